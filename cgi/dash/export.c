/* Exports (/export.csv, /export.json): the segments of report_segments()
 * for a range of days, as CSV or JSON, streamed.  The rows are the same
 * segments the pages add up, so an export's active and away seconds per
 * day are the page's to the millisecond.
 *
 * A year is about 400,000 segments, so nothing is done per segment that
 * can be done once: a month of days at a time comes from
 * report_day_arrays() (sql/016: finished days kept, one row a day with
 * the day's segments as arrays of numbers), the windows those days name
 * in one more query, each window's cells are written once, and each
 * segment costs its two times and its length, formatted here
 * (segarr.h).  Memory
 * holds one month of numbers and its windows, however long the range.
 *
 * Times are local to the viewer's zone with their offset
 * (2024-03-31T09:00:00.000+02:00).  Text cells that a spreadsheet would
 * run as a formula (starting with = + - @, tab or CR) get a leading '. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bulk.h"
#include "csv.h"
#include "dash.h"
#include "log.h"
#include "report.h"
#include "segarr.h"
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
	struct dash_bulk	 bulk;
	char			 from[11], to[11];
	int			 json;
	long long		 rows, active, away;
	struct wt_stream	*out;
};

/* A window of the month being written: its cells after the times,
 * written once. */
struct win {
	char		*tail;
	size_t		 len;
};

static void
export_free(void *arg)
{
	struct export *x = arg;

	dash_bulk_release(&x->bulk);
	rp_person_free(&x->p);
	free(x);
}

static char *
digits(char *o, long long v, int width)
{
	for (int i = width - 1; i >= 0; i--) {
		o[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return o + width;
}

/* v (not negative) in as many digits as it takes. */
static char *
number(char *o, long long v)
{
	char t[24];
	int n = 0;

	do
		t[n++] = (char)('0' + v % 10);
	while ((v /= 10) > 0 && n < 20);
	while (n > 0)
		*o++ = t[--n];
	return o;
}

/* 2024-03-31T09:00:00.000+02:00 from ms since 1970 and the zone's offset
 * in minutes at that instant; 29 bytes, not terminated. */
static void
local_iso(long long ms, int off_min, char out[29])
{
	long long local = ms + (long long)off_min * 60000;
	long long day = local >= 0 ? local / 86400000 : (local - 86399999) / 86400000;
	long long in = local - day * 86400000;
	int y, m, d, a = off_min < 0 ? -off_min : off_min;
	char *o = out;

	rp_civil_from_days((long)day, &y, &m, &d);
	if (y < 0 || y > 9999)
		y = 0;
	o = digits(o, y, 4);
	*o++ = '-';
	o = digits(o, m, 2);
	*o++ = '-';
	o = digits(o, d, 2);
	*o++ = 'T';
	o = digits(o, in / 3600000, 2);
	*o++ = ':';
	o = digits(o, in / 60000 % 60, 2);
	*o++ = ':';
	o = digits(o, in / 1000 % 60, 2);
	*o++ = '.';
	o = digits(o, in % 1000, 3);
	*o++ = off_min < 0 ? '-' : '+';
	o = digits(o, a / 60 % 100, 2);
	*o++ = ':';
	digits(o, a % 60, 2);
}

/* A JSON string (UTF-8 from the database, valid), or null for NULL. */
static void
json_str(struct wt_buf *b, const char *v)
{
	static const char hex[] = "0123456789abcdef";

	if (v == NULL) {
		buf_puts(b, "null");
		return;
	}
	buf_puts(b, "\"");
	for (const char *p = v; *p; ) {
		size_t n = strcspn(p, "\"\\\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c"
		    "\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f");
		unsigned char c;

		buf_append(b, p, n);
		p += n;
		if ((c = (unsigned char)*p) == '\0')
			break;
		if (c == '"' || c == '\\') {
			char e[2] = { '\\', (char)c };

			buf_append(b, e, 2);
		} else if (c == '\n')
			buf_puts(b, "\\n");
		else if (c == '\t')
			buf_puts(b, "\\t");
		else if (c == '\r')
			buf_puts(b, "\\r");
		else {
			char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };

			buf_append(b, e, 6);
		}
		p++;
	}
	buf_puts(b, "\"");
}

/* What follows a segment's times for a window (or for away time): the
 * state and the window's cells, up to the end of the record. */
static char *
window_tail(int json, PGresult *res, int row, size_t *len)
{
	struct wt_buf b;
	int away = res == NULL;
	const char *app = away ? "" : PQgetvalue(res, row, C_W_APP);
	const char *title = away ? "" : PQgetvalue(res, row, C_W_TITLE);
	const char *url = away ? "" : PQgetvalue(res, row, C_W_URL);
	const char *cat = away || PQgetisnull(res, row, C_W_CATEGORY) ? NULL :
	    PQgetvalue(res, row, C_W_CATEGORY);
	const char *prod = away || PQgetisnull(res, row, C_W_PRODUCTIVITY) ? NULL :
	    PQgetvalue(res, row, C_W_PRODUCTIVITY);

	buf_init(&b);
	if (json) {
		buf_puts(&b, away ? ",\"state\":\"away\",\"app\":" : ",\"state\":\"active\",\"app\":");
		json_str(&b, app);
		buf_puts(&b, ",\"title\":");
		json_str(&b, title);
		buf_puts(&b, ",\"url\":");
		json_str(&b, url);
		buf_puts(&b, ",\"category\":");
		json_str(&b, cat);
		buf_puts(&b, ",\"productivity\":");
		json_str(&b, prod);
		buf_puts(&b, "}");
	} else {
		csv_cell(&b, away ? "away" : "active");
		csv_cell(&b, app);
		csv_cell(&b, title);
		csv_cell(&b, url);
		csv_cell(&b, cat ? cat : "");
		csv_cell(&b, prod ? prod : "");
		buf_puts(&b, "\r\n");
	}
	*len = b.len;
	return buf_take(&b);
}

/* Writes one day of res (row i) with the windows' tails (by row of
 * w->res) and the away tail; -1 when the numbers do not add up (a bug:
 * the export stops) or the client went away. */
static int
write_day(struct export *x, PGresult *res, int i, const struct sa_windows *w,
    struct win *tails, const struct win *away_tail)
{
	const char *day = PQgetvalue(res, i, C_Y_DAY);
	size_t n = strlen(day);
	struct sa_iter it;
	struct sa_seg g;
	int rc;
	char rec[192];

	if (n > 10)
		return -1;
	sa_begin(&it, res, i);
	while ((rc = sa_next(&it, &g)) > 0) {
		const struct win *t = away_tail;
		char *o = rec;

		if (g.window != 0) {
			int row = sa_window(w, g.window);

			if (row < 0)
				return -1;
			t = &tails[row];
			x->active += g.ms;
		} else
			x->away += g.ms;
		if (x->json) {
			memcpy(o, x->rows ? ",\n{\"date\":\"" : "\n{\"date\":\"", x->rows ? 11 : 10);
			o += x->rows ? 11 : 10;
			memcpy(o, day, n);
			o += n;
			memcpy(o, "\",\"start\":\"", 11);
			o += 11;
			local_iso(g.start, g.off_s, o);
			o += 29;
			memcpy(o, "\",\"end\":\"", 9);
			o += 9;
			local_iso(g.start + g.ms, g.off_e, o);
			o += 29;
			memcpy(o, "\",\"ms\":", 7);
			o = number(o + 7, g.ms);
		} else {
			memcpy(o, day, n);
			o += n;
			*o++ = ',';
			local_iso(g.start, g.off_s, o);
			o += 29;
			*o++ = ',';
			local_iso(g.start + g.ms, g.off_e, o);
			o += 29;
			*o++ = ',';
			o = number(o, g.ms / 1000);
			*o++ = '.';
			o = digits(o, g.ms % 1000, 3);
		}
		stream_write(x->out, rec, (size_t)(o - rec));
		stream_write(x->out, t->tail, t->len);
		x->rows++;
		if (x->out->failed)
			return -1;
	}
	return rc;
}

/* One chunk of days: their segments, the windows they name, the rows. */
static int
write_chunk(struct export *x, const char *lo, const char *hi)
{
	char id[24];
	const char *params[4] = { id, lo, hi, x->p.view_tz };
	PGresult *days;
	struct sa_windows w;
	struct win *tails, away;
	int rc = 0, nw;

	snprintf(id, sizeof(id), "%lld", x->p.id);
	if ((days = db_exec(ST_DASH_DAY_ARRAYS, 4, params)) == NULL)
		return -1;
	if (sa_windows_load(&w, days) != 0) {
		sa_windows_free(&w);
		PQclear(days);
		return -1;
	}
	nw = PQntuples(w.res);
	tails = xcalloc((size_t)nw + 1, sizeof(*tails));
	for (int i = 0; i < nw; i++)
		tails[i].tail = window_tail(x->json, w.res, i, &tails[i].len);
	away.tail = window_tail(x->json, NULL, 0, &away.len);
	for (int i = 0; i < PQntuples(days) && rc == 0; i++)
		if (write_day(x, days, i, &w, tails, &away) != 0)
			rc = -1;
	for (int i = 0; i < nw; i++)
		free(tails[i].tail);
	free(tails);
	free(away.tail);
	sa_windows_free(&w);
	PQclear(days);
	return rc;
}

static void
write_export(struct wt_req *r, struct wt_stream *s)
{
	struct export *x = r->resp.stream_arg;
	char lo[11], hi[11];
	int failed = 0;

	x->out = s;
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
		if (write_chunk(x, lo, hi) != 0) {
			log_error("export", "stopped after %lld rows (%s)", x->rows,
			    x->out->failed ? "the client went away" : db_sqlstate());
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
	else if ((e = dash_bulk_take(r, &x->bulk)) == NULL)
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
	/* nginx passes it on as it comes instead of keeping it in a file. */
	resp_set_header(r, "X-Accel-Buffering", "no");
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
