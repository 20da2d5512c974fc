/* Working hours of a team for a range of days (/team/ID/hours, its JSON
 * twin, and /team/ID/hours.csv for payroll): per person per day the time
 * worked (first to last activity less the breaks), first and last
 * activity and the breaks, as report_days() (sql/009) computes them for
 * every report, in the viewer's zone.
 *
 * Each person's past days are one statement (report_days keeps the
 * finished days it computes, so a slow first view still leaves them
 * kept); today comes from the rows the team page keeps (team_today,
 * sql/018 and 027), not from every member's spans again.  The page
 * answers after reports.compute_ms with the people it has and computes
 * the others after the answer.
 *
 * The page is a grid of people by days with each person's total; the CSV
 * has one row per person per day, days without work included, and is
 * streamed through a 64 KiB buffer, so a year of a large team costs a
 * worker no more memory than a day. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bulk.h"
#include "clock.h"
#include "conf.h"
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

/* A person's day as the page and the CSV show it. */
struct hday {
	const char	*date, *first, *last;
	int		 breaks;
	long long	 break_ms, worked;
};
typedef int (*hday_fn)(void *arg, const struct hday *);

/* What a request reads the days from: the members, and today's kept
 * rows when the range includes today. */
struct hours_src {
	const struct team	*t;
	const char		*from, *to;
	PGresult		*members;
	PGresult		*today;
};

static struct wt_err *
src_open(struct hours_src *src, const struct team *t, const char *from, const char *to)
{
	memset(src, 0, sizeof(*src));
	src->t = t;
	src->from = from;
	src->to = to;
	if ((src->members = db_exec(ST_DASH_HOURS_MEMBERS, 1, (const char *[]){ t->id })) == NULL)
		return db_err();
	if (strcmp(from, t->today) <= 0 && strcmp(t->today, to) <= 0) {
		if ((src->today = db_exec(ST_DASH_HOURS_TODAY, 3,
		    (const char *[]){ t->id, t->tz, DASH_TEAM_SYNC_ROWS })) == NULL)
			return db_err();
		/* As on the team page: a few out-of-date rows are computed
		 * now, more are shown as kept and refreshed after the answer. */
		for (int i = 0; i < PQntuples(src->today); i++)
			if (strcmp(PQgetvalue(src->today, i, 1 + C_H_EXACT), "t") != 0) {
				dash_team_refresh_later(t);
				break;
			}
	}
	return NULL;
}

static void
src_close(struct hours_src *src)
{
	if (src->members != NULL)
		PQclear(src->members);
	if (src->today != NULL)
		PQclear(src->today);
}

static void
hday_row(PGresult *res, int row, int col0, struct hday *d)
{
	d->date = PQgetvalue(res, row, col0 + C_H_DAY);
	d->first = PQgetvalue(res, row, col0 + C_H_FIRST);
	d->last = PQgetvalue(res, row, col0 + C_H_LAST);
	d->breaks = atoi(PQgetvalue(res, row, col0 + C_H_BREAKS));
	d->break_ms = atoll(PQgetvalue(res, row, col0 + C_H_BREAK_MS));
	d->worked = atoll(PQgetvalue(res, row, col0 + C_H_WORKED));
}

/* The person's days before today, computed (and kept) when missing. */
static int
past_days(const struct team *t, const char *uid, const char *from, const char *to,
    hday_fn fn, void *arg)
{
	char yesterday[11];
	PGresult *res;
	struct hday d;
	int rc = 0;

	rp_date_add(t->today, -1, yesterday);
	if (strcmp(to, yesterday) > 0)
		to = yesterday;
	if (strcmp(from, to) > 0)
		return 0;
	if ((res = db_exec(ST_DASH_HOURS_DAYS, 4, (const char *[]){ uid, from, to, t->tz })) == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res) && rc == 0; i++) {
		hday_row(res, i, 0, &d);
		if (fn != NULL)
			rc = fn(arg, &d);
	}
	PQclear(res);
	return rc;
}

/* Calls fn for each of member i's days in order: those before today from
 * report_days, today from the kept row, later days empty.  -1 on a
 * database error, else what fn returned if it stopped the walk. */
static int
person_days(const struct hours_src *src, int i, hday_fn fn, void *arg)
{
	const struct team *t = src->t;
	const char *uid = PQgetvalue(src->members, i, C_HM_ID);
	struct hday d = { .first = "", .last = "" };
	char day[11];
	int rc;

	if ((rc = past_days(t, uid, src->from, src->to, fn, arg)) != 0)
		return rc;
	if (src->today != NULL) {
		d.date = t->today;
		for (int k = 0; k < PQntuples(src->today); k++)
			if (strcmp(PQgetvalue(src->today, k, 0), uid) == 0 &&
			    strcmp(PQgetvalue(src->today, k, 1 + C_H_DAY), t->today) == 0)
				hday_row(src->today, k, 1, &d);
		if ((rc = fn(arg, &d)) != 0)
			return rc;
	}
	rp_date_add(t->today, 1, day);
	if (strcmp(day, src->from) < 0)
		snprintf(day, sizeof(day), "%s", src->from);
	for (; strcmp(day, src->to) <= 0; rp_date_add(day, 1, day)) {
		struct hday none = { .date = day, .first = "", .last = "" };

		if ((rc = fn(arg, &none)) != 0)
			return rc;
	}
	return 0;
}

/* After the answer: the past days of the people the page had no time
 * for, so that the next view finds them kept. */
struct rest {
	struct team	 t;		/* id, today and tz only */
	char		 tz[128], from[11], to[11];
	int		 n;
	char		 (*uid)[24];
};

static void
rest_free(void *arg)
{
	struct rest *x = arg;

	free(x->uid);
	free(x);
}

#define REST_MAX_MS	120000

static void
rest_compute(void *arg)
{
	struct rest *x = arg;
	double t0 = clock_mono_ms();
	int i;

	for (i = 0; i < x->n && clock_mono_ms() - t0 < REST_MAX_MS; i++)
		if (past_days(&x->t, x->uid[i], x->from, x->to, NULL, NULL) != 0)
			log_error("hours_rest", "team %s, person %s: %s", x->t.id, x->uid[i],
			    db_sqlstate());
	log_info("hours_rest", "team %s: %d of %d people's days computed after the answer",
	    x->t.id, i, x->n);
}

static void
compute_rest_later(const struct hours_src *src, int first)
{
	struct rest *x = xcalloc(1, sizeof(*x));
	int n = PQntuples(src->members) - first;

	snprintf(x->t.id, sizeof(x->t.id), "%s", src->t->id);
	snprintf(x->t.today, sizeof(x->t.today), "%s", src->t->today);
	snprintf(x->tz, sizeof(x->tz), "%s", src->t->tz);
	x->t.tz = x->tz;
	snprintf(x->from, sizeof(x->from), "%s", src->from);
	snprintf(x->to, sizeof(x->to), "%s", src->to);
	x->uid = xcalloc(n, sizeof(*x->uid));
	for (int i = 0; i < n; i++)
		snprintf(x->uid[i], sizeof(x->uid[i]), "%s", PQgetvalue(src->members, first + i, C_HM_ID));
	x->n = n;
	app_defer(rest_compute, x, rest_free);
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

/* One person's row of the page. */
struct page_person {
	json_t		*days;
	long long	 total;
	const char	*uid;
};

static int
page_day(void *arg, const struct hday *d)
{
	struct page_person *p = arg;
	json_t *day;
	char a[24], link[96];

	hmm(d->worked, a);
	snprintf(link, sizeof(link), "/day/%s?user=%s", d->date, p->uid);
	day = json_pack("{ss sI ss ss ss si sI ss}", "date", d->date, "worked", (json_int_t)d->worked,
	    "hmm", a, "first", d->first, "last", d->last, "breaks", d->breaks,
	    "break_ms", (json_int_t)d->break_ms, "day", link);
	json_array_append_new(p->days, day);
	p->total += d->worked;
	return 0;
}

struct wt_err *
dash_hours(struct wt_req *r)
{
	struct team t;
	struct hours_src src = { 0 };
	struct wt_err *e;
	char from[11], to[11], d[11], csv[96];
	json_t *out = NULL, *days, *people;
	long long total = 0;
	double t0 = clock_mono_ms();
	int ndays = 0, npending = 0;

	if ((e = dash_team_load(r, &t)) != NULL)
		return e;
	if ((e = range(r, &t, MAX_PAGE_DAYS, from, to)) != NULL ||
	    (e = look(r, &t, from, to)) != NULL ||
	    (e = src_open(&src, &t, from, to)) != NULL)
		goto done;

	days = json_array();
	for (snprintf(d, sizeof(d), "%s", from); strcmp(d, to) <= 0; rp_date_add(d, 1, d)) {
		static const char *const wd[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };

		json_array_append_new(days, json_pack("{ss ss ss sb}", "date", d, "dom", d + 8,
		    "weekday", wd[rp_weekday(d)], "weekend", rp_weekday(d) >= 5));
		ndays++;
	}
	people = json_array();
	for (int i = 0; i < PQntuples(src.members); i++) {
		struct page_person p = { .days = json_array(), .uid = PQgetvalue(src.members, i, C_HM_ID) };
		json_t *person = json_pack("{sI ss ss so}", "id", (json_int_t)atoll(p.uid),
		    "name", PQgetvalue(src.members, i, C_HM_NAME),
		    "email", PQgetvalue(src.members, i, C_HM_EMAIL), "days", p.days);

		if (npending == 0 && i > 0 && clock_mono_ms() - t0 >= wt_cfg.reports_compute_ms) {
			npending = PQntuples(src.members) - i;
			compute_rest_later(&src, i);
		}
		if (npending > 0) {
			json_object_set_new(person, "pending", json_true());
			json_object_set_new(person, "total", json_null());
			json_array_append_new(people, person);
			continue;
		}
		if (person_days(&src, i, page_day, &p) != 0) {
			json_decref(person);
			json_decref(people);
			json_decref(days);
			e = db_err();
			goto done;
		}
		json_object_set_new(person, "total", hours_json(p.total));
		json_array_append_new(people, person);
		total += p.total;
	}
	snprintf(csv, sizeof(csv), "/team/%s/hours.csv?from=%s&to=%s", t.id, from, to);
	out = json_pack("{s{sI ss} ss ss ss ss so so so si}", "team", "id", (json_int_t)atoll(t.id),
	    "name", t.name, "timezone", t.tz, "from", from, "to", to, "csv", csv,
	    "days", days, "people", people, "total", hours_json(total), "pending", npending);

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
	src_close(&src);
	dash_team_free(&t);
	return e;
}

/* --- the CSV -------------------------------------------------------------- */

struct hours_csv {
	struct team		 t;
	struct dash_bulk	 bulk;
	char			 from[11], to[11];
	long long		 rows;
	struct wt_stream	*out;
};

static void
hours_csv_free(void *arg)
{
	struct hours_csv *x = arg;

	dash_bulk_release(&x->bulk);
	dash_team_free(&x->t);
	free(x);
}

/* One row per person per day. */
struct csv_person {
	struct hours_csv	*x;
	const char		*uid, *name, *email;
};

static int
csv_day(void *arg, const struct hday *d)
{
	struct csv_person *p = arg;
	struct wt_stream *out = p->x->out;
	char a[24], b[24], c[24];

	hmm(d->break_ms, a);
	decimal_hours(d->worked, b);
	hmm(d->worked, c);
	stream_puts(out, p->uid);
	csv_stream_cell(out, p->name);
	csv_stream_cell(out, p->email);
	stream_printf(out, ",%s,%s,%s,%d,%s,%s,%s,%lld.%03lld\r\n", d->date, d->first, d->last,
	    d->breaks, a, b, c, d->worked / 1000, d->worked % 1000);
	p->x->rows++;
	return out->failed ? 1 : 0;
}

static void
write_csv(struct wt_req *r, struct wt_stream *s)
{
	struct hours_csv *x = r->resp.stream_arg;
	struct hours_src src;

	x->out = s;
	stream_puts(s, "person_id,name,email,date,first,last,breaks,break_time,worked_hours,"
	    "worked_hmm,worked_seconds\r\n");
	/* A failed export ends without the newline of its last line: cut. */
	if (src_open(&src, &x->t, x->from, x->to) != NULL) {
		log_error("hours_csv", "team %s: %s", x->t.id, db_sqlstate());
		src_close(&src);
		return;
	}
	for (int i = 0; i < PQntuples(src.members); i++) {
		struct csv_person p = { x, PQgetvalue(src.members, i, C_HM_ID),
		    PQgetvalue(src.members, i, C_HM_NAME), PQgetvalue(src.members, i, C_HM_EMAIL) };
		int rc = person_days(&src, i, csv_day, &p);

		if (rc != 0) {
			log_error("hours_csv", "stopped after %lld rows (%s)", x->rows,
			    rc < 0 ? db_sqlstate() : "the client went away");
			break;
		}
	}
	src_close(&src);
}

struct wt_err *
dash_hours_csv(struct wt_req *r)
{
	struct hours_csv *x = xcalloc(1, sizeof(*x));
	struct wt_err *e;
	char disp[96];

	if ((e = dash_team_load(r, &x->t)) != NULL ||
	    (e = range(r, &x->t, MAX_CSV_DAYS, x->from, x->to)) != NULL ||
	    (e = dash_bulk_take(r, &x->bulk)) != NULL ||
	    (e = look(r, &x->t, x->from, x->to)) != NULL) {
		hours_csv_free(x);
		return e;
	}
	snprintf(disp, sizeof(disp), "attachment; filename=\"hours-team%s-%s-%s.csv\"", x->t.id,
	    x->from, x->to);
	resp_set_header(r, "Content-Disposition", disp);
	return wt_stream(r, 200, "text/csv; charset=utf-8", write_csv, x, hours_csv_free);
}
