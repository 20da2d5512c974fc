/* Working hours of a team for a range of days (/team/ID/hours, its JSON
 * twin, and /team/ID/hours.csv for payroll): per person per day the time
 * worked (first to last activity less the breaks), first and last
 * activity and the breaks, as report_days() (sql/009) computes them for
 * every report, in the viewer's zone.
 *
 * The page is a grid of people by days with each person's total; the CSV
 * has one row per person per day, days without work included, and is
 * streamed (libpq's single-row mode through a 64 KiB buffer), so a year
 * of a large team costs a worker no more memory than a day. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "dash.h"
#include "log.h"
#include "report.h"
#include "stream.h"
#include "team.h"
#include "view.h"

#define MAX_PAGE_DAYS	62
#define MAX_CSV_DAYS	366

const struct wt_field dash_hours_fields[] = {
	{ .name = "id", .src = WT_SRC_PATH, .type = WT_T_INT, .flags = WT_REQUIRED,
	  .min = 1, .max = 1LL << 53, .label = "Team" },
	{ .name = "from", .src = WT_SRC_QUERY, .type = WT_T_DATE, .label = "From" },
	{ .name = "to", .src = WT_SRC_QUERY, .type = WT_T_DATE, .label = "To" },
	{ .name = NULL }
};

/* The range asked for: by default the month to today. */
static struct wt_err *
range(struct wt_req *r, const struct team *t, int max_days, char from[11], char to[11])
{
	char last[11];

	snprintf(to, 11, "%s", wt_str(r, "to") ? wt_str(r, "to") : t->today);
	if (wt_str(r, "from") != NULL)
		snprintf(from, 11, "%s", wt_str(r, "from"));
	else
		snprintf(from, 11, "%.8s01", to);
	if (strcmp(from, to) > 0)
		return wt_form_fail(400, "from", "From must not be after To");
	rp_date_add(from, max_days - 1, last);
	if (strcmp(to, last) > 0)
		return wt_form_fail(400, "to", "At most %d days at a time", max_days);
	return NULL;
}

/* 7:05 (rounded to the minute) and 7.08 (hours, to the hundredth). */
static void
hmm(long long ms, char out[24])
{
	long long m = (ms + 30000) / 60000;

	snprintf(out, 24, "%lld:%02lld", m / 60, m % 60);
}

static void
decimal_hours(long long ms, char out[24])
{
	long long h = (ms + 18000) / 36000;

	snprintf(out, 24, "%lld.%02lld", h / 100, h % 100);
}

static json_t *
hours_json(long long ms)
{
	char a[24], b[24], w[32];

	hmm(ms, a);
	decimal_hours(ms, b);
	rp_duration(ms, w, sizeof(w));
	return json_pack("{sI ss ss ss}", "worked", (json_int_t)ms, "hmm", a, "hours", b,
	    "text", w);
}

/* Each member's figures were seen: a look at each, as on the team page. */
static struct wt_err *
look(struct wt_req *r, const struct team *t, const char *from, const char *to)
{
	char viewer[24], what[24];
	PGresult *res;

	snprintf(viewer, sizeof(viewer), "%lld", r->user->id);
	snprintf(what, sizeof(what), "%s %s", from, to);
	if ((res = db_exec(ST_DASH_TEAM_LOOK, 5, (const char *[]){ viewer, t->id, "hours", what,
	    r->remote_addr ? r->remote_addr : "" })) == NULL)
		return db_err();
	PQclear(res);
	return NULL;
}

/* The page shown again with a range's error: the team, no grid. */
struct wt_err *
dash_hours_fill(struct wt_req *r)
{
	struct wt_view *v = req_view(r);
	struct team t;

	view_set(v, "Page.Title", "Working hours");
	view_set(v, "Page.Nav", "team");
	if (wt_str(r, "id") != NULL && dash_team_load(r, &t) == NULL) {
		view_set(v, "Hours.team.id", t.id);
		view_set(v, "Hours.team.name", t.name);
		dash_team_free(&t);
	}
	return NULL;
}

struct wt_err *
dash_hours(struct wt_req *r)
{
	struct team t;
	struct wt_err *e;
	PGresult *res = NULL;
	char from[11], to[11], d[11], csv[96];
	const char *params[4];
	json_t *out = NULL, *days, *people, *person = NULL, *pdays = NULL;
	long long total = 0, ptotal = 0;
	const char *pid = "";
	int ndays = 0;

	if ((e = dash_team_load(r, &t)) != NULL)
		return e;
	if ((e = range(r, &t, MAX_PAGE_DAYS, from, to)) != NULL ||
	    (e = look(r, &t, from, to)) != NULL)
		goto done;
	params[0] = t.id;
	params[1] = from;
	params[2] = to;
	params[3] = t.tz;
	if ((res = db_exec(ST_DASH_TEAM_HOURS, 4, params)) == NULL) {
		e = db_err();
		goto done;
	}

	days = json_array();
	for (snprintf(d, sizeof(d), "%s", from); strcmp(d, to) <= 0; rp_date_add(d, 1, d)) {
		static const char *const wd[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };

		json_array_append_new(days, json_pack("{ss ss ss sb}", "date", d, "dom", d + 8,
		    "weekday", wd[rp_weekday(d)], "weekend", rp_weekday(d) >= 5));
		ndays++;
	}
	people = json_array();
	for (int i = 0; i < PQntuples(res); i++) {
		long long ms = atoll(PQgetvalue(res, i, C_H_WORKED));
		json_t *day;
		char a[24], link[96];

		if (strcmp(pid, PQgetvalue(res, i, C_H_ID)) != 0) {
			if (person != NULL) {
				json_object_set_new(person, "total", hours_json(ptotal));
				json_array_append_new(people, person);
			}
			pid = PQgetvalue(res, i, C_H_ID);
			pdays = json_array();
			person = json_pack("{sI ss ss so}", "id", (json_int_t)atoll(pid),
			    "name", PQgetvalue(res, i, C_H_NAME), "email", PQgetvalue(res, i, C_H_EMAIL),
			    "days", pdays);
			ptotal = 0;
		}
		hmm(ms, a);
		snprintf(link, sizeof(link), "/day/%s?user=%s", PQgetvalue(res, i, C_H_DAY), pid);
		day = json_pack("{ss sI ss ss si sI ss}", "date", PQgetvalue(res, i, C_H_DAY),
		    "worked", (json_int_t)ms, "hmm", a, "first", PQgetvalue(res, i, C_H_FIRST),
		    "breaks", atoi(PQgetvalue(res, i, C_H_BREAKS)),
		    "break_ms", (json_int_t)atoll(PQgetvalue(res, i, C_H_BREAK_MS)), "day", link);
		json_object_set_new(day, "last", json_string(PQgetvalue(res, i, C_H_LAST)));
		json_array_append_new(pdays, day);
		ptotal += ms;
		total += ms;
	}
	if (person != NULL) {
		json_object_set_new(person, "total", hours_json(ptotal));
		json_array_append_new(people, person);
	}
	snprintf(csv, sizeof(csv), "/team/%s/hours.csv?from=%s&to=%s", t.id, from, to);
	out = json_pack("{s{sI ss} ss ss ss ss so so so}", "team", "id", (json_int_t)atoll(t.id),
	    "name", t.name, "timezone", t.tz, "from", from, "to", to, "csv", csv,
	    "days", days, "people", people, "total", hours_json(total));

	if (req_wants_json(r)) {
		e = wt_json(r, 200, out);
		out = NULL;
	} else {
		struct wt_view *v = req_view(r);

		view_set(v, "Page.Title", "Working hours");
		view_set(v, "Page.Nav", "team");
		view_set(v, "Form.Value.from", from);
		view_set(v, "Form.Value.to", to);
		view_set_int(v, "Hours.ndays", ndays);
		view_set_json(v, "Hours", out);
		e = wt_html(r, 200, "team_hours.cs");
	}
done:
	json_decref(out);
	if (res != NULL)
		PQclear(res);
	dash_team_free(&t);
	return e;
}

/* --- the CSV -------------------------------------------------------------- */

struct hours_csv {
	struct team		 t;
	char			 from[11], to[11];
	long long		 rows;
	struct wt_stream	*out;
};

static void
hours_csv_free(void *arg)
{
	struct hours_csv *x = arg;

	dash_team_free(&x->t);
	free(x);
}

static int
csv_row(PGresult *res, void *arg)
{
	struct hours_csv *x = arg;
	long long ms = atoll(PQgetvalue(res, 0, C_H_WORKED));
	long long bms = atoll(PQgetvalue(res, 0, C_H_BREAK_MS));
	char a[24], b[24], c[24];

	hmm(bms, a);
	decimal_hours(ms, b);
	hmm(ms, c);
	stream_puts(x->out, PQgetvalue(res, 0, C_H_ID));
	csv_cell(x->out, PQgetvalue(res, 0, C_H_NAME));
	csv_cell(x->out, PQgetvalue(res, 0, C_H_EMAIL));
	stream_printf(x->out, ",%s,%s,%s,%s,%s,%s,%s,%lld.%03lld\r\n", PQgetvalue(res, 0, C_H_DAY),
	    PQgetvalue(res, 0, C_H_FIRST), PQgetvalue(res, 0, C_H_LAST),
	    PQgetvalue(res, 0, C_H_BREAKS), a, b, c, ms / 1000, ms % 1000);
	x->rows++;
	return x->out->failed ? -1 : 0;
}

static void
write_csv(struct wt_req *r, struct wt_stream *s)
{
	struct hours_csv *x = r->resp.stream_arg;
	const char *params[4] = { x->t.id, x->from, x->to, x->t.tz };

	x->out = s;
	stream_puts(s, "person_id,name,email,date,first,last,breaks,break_time,worked_hours,"
	    "worked_hmm,worked_seconds\r\n");
	/* A failed export ends without the newline of its last line: cut. */
	if (db_each(ST_DASH_TEAM_HOURS, 4, params, csv_row, x) != 0)
		log_error("hours_csv", "stopped after %lld rows (%s)", x->rows, db_sqlstate());
}

struct wt_err *
dash_hours_csv(struct wt_req *r)
{
	struct hours_csv *x = xcalloc(1, sizeof(*x));
	struct wt_err *e;
	char disp[96];

	if ((e = dash_team_load(r, &x->t)) != NULL ||
	    (e = range(r, &x->t, MAX_CSV_DAYS, x->from, x->to)) != NULL ||
	    (e = look(r, &x->t, x->from, x->to)) != NULL) {
		hours_csv_free(x);
		return e;
	}
	snprintf(disp, sizeof(disp), "attachment; filename=\"hours-team%s-%s-%s.csv\"", x->t.id,
	    x->from, x->to);
	resp_set_header(r, "Content-Disposition", disp);
	return wt_stream(r, 200, "text/csv; charset=utf-8", write_csv, x, hours_csv_free);
}
