/* Exports (/export.csv, /export.json): the segments of report_segments()
 * for a range of days, as CSV or JSON, streamed: a month of segments is
 * read at a time in libpq's single-row mode and written through a small
 * buffer, so a year costs the same memory as a day.  The rows are the
 * same segments the pages add up, so an export's active and away
 * seconds per day are the page's to the millisecond.
 *
 * Times are local to the viewer's zone with their offset
 * (2024-03-31T09:00:00.000+02:00).  Text cells that a spreadsheet would
 * run as a formula (starting with = + - @, tab or CR) get a leading '. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "csv.h"
#include "dash.h"
#include "log.h"
#include "report.h"
#include "stream.h"

#define MAX_EXPORT_DAYS	3660
#define CHUNK_DAYS	31

const struct wt_field dash_export_fields[] = {
	{ .name = "from", .src = WT_SRC_QUERY, .type = WT_T_DATE, .flags = WT_REQUIRED,
	  .label = "From" },
	{ .name = "to", .src = WT_SRC_QUERY, .type = WT_T_DATE, .flags = WT_REQUIRED,
	  .label = "To" },
	{ .name = "user", .src = WT_SRC_QUERY, .type = WT_T_INT, .min = 1,
	  .max = 1LL << 53, .label = "Person" },
	{ .name = NULL }
};

struct export {
	struct rp_person	 p;
	char			 from[11], to[11];
	int			 json;
	long long		 rows, active, away;
	struct wt_stream	*out;
};

static void
export_free(void *arg)
{
	struct export *x = arg;

	rp_person_free(&x->p);
	free(x);
}

/* 2024-03-31T09:00:00.000+02:00 from ms since 1970 and the zone's offset
 * in minutes at that instant. */
static void
local_iso(long long ms, int off_min, char out[40])
{
	long long local = ms + (long long)off_min * 60000;
	time_t t = (time_t)(local >= 0 ? local / 1000 : (local - 999) / 1000);
	int frac = (int)(local - (long long)t * 1000);
	struct tm tm;
	int a = off_min < 0 ? -off_min : off_min;

	gmtime_r(&t, &tm);
	if (bsnprintf(out, 40, "%04d-%02d-%02dT%02d:%02d:%02d.%03d%c%02d:%02d", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac,
	    off_min < 0 ? '-' : '+', (a / 60) % 100, a % 60) != 0)
		snprintf(out, 40, "?");
}

static int
row(PGresult *res, void *arg)
{
	struct export *x = arg;
	long long start = atoll(PQgetvalue(res, 0, C_E_START));
	long long ms = atoll(PQgetvalue(res, 0, C_E_MS));
	int away = strcmp(PQgetvalue(res, 0, C_E_AWAY), "t") == 0;
	char a[40], b[40];

	local_iso(start, atoi(PQgetvalue(res, 0, C_E_OFF_START)), a);
	local_iso(start + ms, atoi(PQgetvalue(res, 0, C_E_OFF_END)), b);
	if (away)
		x->away += ms;
	else
		x->active += ms;
	if (x->json) {
		json_t *o = json_pack("{ss ss ss sI ss ss ss ss ss? ss?}",
		    "date", PQgetvalue(res, 0, C_E_DAY), "start", a, "end", b, "ms", (json_int_t)ms,
		    "state", away ? "away" : "active",
		    "app", PQgetvalue(res, 0, C_E_APP), "title", PQgetvalue(res, 0, C_E_TITLE),
		    "url", PQgetvalue(res, 0, C_E_URL),
		    "category", away || PQgetisnull(res, 0, C_E_CATEGORY) ? NULL :
		    PQgetvalue(res, 0, C_E_CATEGORY),
		    "productivity", away || PQgetisnull(res, 0, C_E_PRODUCTIVITY) ? NULL :
		    PQgetvalue(res, 0, C_E_PRODUCTIVITY));
		char *txt = o != NULL ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;

		json_decref(o);
		if (txt == NULL)
			return -1;
		stream_puts(x->out, x->rows ? ",\n" : "\n");
		stream_puts(x->out, txt);
		free(txt);
	} else {
		stream_puts(x->out, PQgetvalue(res, 0, C_E_DAY));
		csv_cell(x->out, a);
		csv_cell(x->out, b);
		stream_printf(x->out, ",%lld.%03lld", ms / 1000, ms % 1000);
		csv_cell(x->out, away ? "away" : "active");
		csv_cell(x->out, PQgetvalue(res, 0, C_E_APP));
		csv_cell(x->out, PQgetvalue(res, 0, C_E_TITLE));
		csv_cell(x->out, PQgetvalue(res, 0, C_E_URL));
		csv_cell(x->out, PQgetvalue(res, 0, C_E_CATEGORY));
		csv_cell(x->out, PQgetvalue(res, 0, C_E_PRODUCTIVITY));
		stream_puts(x->out, "\r\n");
	}
	x->rows++;
	return x->out->failed ? -1 : 0;
}

static void
write_export(struct wt_req *r, struct wt_stream *s)
{
	struct export *x = r->resp.stream_arg;
	char id[24], lo[11], hi[11];
	const char *params[4] = { id, lo, hi, x->p.view_tz };
	int failed = 0;

	(void)r;
	x->out = s;
	snprintf(id, sizeof(id), "%lld", x->p.id);
	if (x->json) {
		json_t *head = json_pack("{ss ss ss ss}", "person", x->p.name, "timezone",
		    x->p.view_tz, "from", x->from, "to", x->to);
		char *txt = json_dumps(head, JSON_COMPACT | JSON_PRESERVE_ORDER);

		/* The header object, opened for the segments that follow. */
		stream_write(s, txt, strlen(txt) - 1);
		stream_puts(s, ",\"segments\":[");
		free(txt);
		json_decref(head);
	} else
		stream_puts(s, "date,start,end,seconds,state,application,title,url,category,"
		    "productivity\r\n");
	snprintf(lo, sizeof(lo), "%s", x->from);
	while (!failed && strcmp(lo, x->to) <= 0) {
		rp_date_add(lo, CHUNK_DAYS - 1, hi);
		if (strcmp(hi, x->to) > 0)
			snprintf(hi, sizeof(hi), "%s", x->to);
		if (db_each(ST_DASH_EXPORT, 4, params, row, x) != 0) {
			log_error("export", "stopped after %lld rows (%s)", x->rows, db_sqlstate());
			failed = 1;
		}
		rp_date_add(hi, 1, lo);
	}
	/* A failed export ends without its closing lines: a client sees it
	 * is cut. */
	if (failed)
		return;
	if (x->json) {
		json_t *tail = json_pack("{sI sI sI}", "segments", (json_int_t)x->rows,
		    "active_ms", (json_int_t)x->active, "away_ms", (json_int_t)x->away);
		char *txt = json_dumps(tail, JSON_COMPACT | JSON_PRESERVE_ORDER);

		stream_puts(s, "\n],\"totals\":");
		stream_puts(s, txt);
		stream_puts(s, "}\n");
		free(txt);
		json_decref(tail);
	}
}

static struct wt_err *
export(struct wt_req *r, int json)
{
	struct export *x = xcalloc(1, sizeof(*x));
	const char *from = wt_str(r, "from"), *to = wt_str(r, "to");
	struct wt_err *e;
	char last[11], disp[96];

	if ((e = rp_person_load(r, wt_str(r, "user"), &x->p)) != NULL) {
		export_free(x);
		return e;
	}
	rp_date_add(from, MAX_EXPORT_DAYS - 1, last);
	if (strcmp(from, to) > 0)
		e = wt_fail(400, "to", "the range ends before it starts");
	else if (strcmp(to, last) > 0)
		e = wt_fail(400, "to", "at most %d days at a time", MAX_EXPORT_DAYS);
	else
		e = rp_look(r, &x->p, "export", from);
	if (e != NULL) {
		export_free(x);
		return e;
	}
	snprintf(x->from, sizeof(x->from), "%s", from);
	snprintf(x->to, sizeof(x->to), "%s", to);
	x->json = json;
	snprintf(disp, sizeof(disp), "attachment; filename=\"worktime-%s-%s.%s\"", from, to,
	    json ? "json" : "csv");
	resp_set_header(r, "Content-Disposition", disp);
	return wt_stream(r, 200, json ? "application/json" : "text/csv; charset=utf-8",
	    write_export, x, export_free);
}

struct wt_err *
dash_export_csv(struct wt_req *r)
{
	return export(r, 0);
}

struct wt_err *
dash_export_json(struct wt_req *r)
{
	return export(r, 1);
}
