/* Reading report_day_arrays() rows (see segarr.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dash.h"
#include "segarr.h"

/* The next number of a PostgreSQL array's text ("{1,NULL,-3}"); *null
 * set for NULL.  -1 at the end.  (strtoll's locale handling was an
 * eighth of an export's time.) */
static int
num(const char **p, long long *v, int *null)
{
	const char *s = *p;
	unsigned long long n = 0;
	int neg;

	while (*s == '{' || *s == ',')
		s++;
	if (*s == '}' || *s == '\0')
		return -1;
	*null = *s == 'N';
	if (*null) {
		if (strncmp(s, "NULL", 4) != 0)
			return -1;
		*v = 0;
		*p = s + 4;
		return 0;
	}
	neg = *s == '-';
	if (neg)
		s++;
	if (*s < '0' || *s > '9')
		return -1;
	while (*s >= '0' && *s <= '9')
		n = n * 10 + (unsigned long long)(*s++ - '0');
	*v = neg ? -(long long)n : (long long)n;
	*p = s;
	return 0;
}

void
sa_begin(struct sa_iter *it, PGresult *res, int row)
{
	it->lo_us = atoll(PQgetvalue(res, row, C_Y_LO_US));
	it->off = atoi(PQgetvalue(res, row, C_Y_OFF_LO));
	it->s = PQgetvalue(res, row, C_Y_S);
	it->e = PQgetvalue(res, row, C_Y_E);
	it->w = PQgetvalue(res, row, C_Y_W);
	it->gap = PQgetvalue(res, row, C_Y_GAP);
	/* Only a day the clocks change has an offset for each end. */
	it->os = PQgetisnull(res, row, C_Y_OFF_S) ? NULL : PQgetvalue(res, row, C_Y_OFF_S);
	it->oe = PQgetisnull(res, row, C_Y_OFF_E) ? NULL : PQgetvalue(res, row, C_Y_OFF_E);
}

int
sa_next(struct sa_iter *it, struct sa_seg *out)
{
	long long s, e, w, gap, off;
	int null, wnull;

	if (num(&it->s, &s, &null) != 0)
		return 0;
	if (num(&it->e, &e, &null) != 0 || num(&it->w, &w, &wnull) != 0 ||
	    num(&it->gap, &gap, &null) != 0)
		return -1;
	out->gap = null ? -1 : gap;
	out->window = wnull ? 0 : w;
	out->off_s = out->off_e = it->off;
	if (it->os != NULL) {
		if (num(&it->os, &off, &null) != 0)
			return -1;
		out->off_s = (int)off;
		if (it->oe == NULL || num(&it->oe, &off, &null) != 0)
			return -1;
		out->off_e = (int)off;
	}
	/* As (extract(epoch FROM t) * 1000)::bigint rounds: half away from
	 * zero (these are never negative). */
	out->start = (it->lo_us + s + 500) / 1000;
	out->ms = (e - s + 500) / 1000;
	if (out->start < 0 || out->ms < 0 || (!wnull && w <= 0))
		return -1;
	return 1;
}

static size_t
slot(const struct sa_windows *w, long long id)
{
	size_t h = (size_t)((unsigned long long)id * 0x9E3779B97F4A7C15ULL >> 20) & w->mask;

	while (w->keys[h] != 0 && w->keys[h] != id)
		h = (h + 1) & w->mask;
	return h;
}

int
sa_windows_load(struct sa_windows *w, PGresult *days)
{
	size_t n = 16, cap = 64;
	struct wt_buf ids;
	long long v;
	int null;

	memset(w, 0, sizeof(*w));
	for (int i = 0; i < PQntuples(days); i++)
		for (const char *p = PQgetvalue(days, i, C_Y_W); *p; p++)
			n += *p == ',';
	while (cap < 2 * n)
		cap *= 2;
	w->keys = xcalloc(cap, sizeof(*w->keys));
	w->rows = xcalloc(cap, sizeof(*w->rows));
	w->mask = cap - 1;
	buf_init(&ids);
	buf_puts(&ids, "{");
	for (int i = 0; i < PQntuples(days); i++)
		for (const char *p = PQgetvalue(days, i, C_Y_W); num(&p, &v, &null) == 0; ) {
			size_t h;

			if (null || v <= 0 || w->keys[h = slot(w, v)] == v)
				continue;
			w->keys[h] = v;
			w->rows[h] = -1;
			buf_printf(&ids, "%s%lld", ids.len > 1 ? "," : "", v);
		}
	buf_puts(&ids, "}");
	w->res = db_exec(ST_DASH_WINDOWS, 1, (const char *[]){ ids.data });
	buf_free(&ids);
	if (w->res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(w->res); i++) {
		long long id = atoll(PQgetvalue(w->res, i, C_W_ID));
		size_t h = slot(w, id);

		if (w->keys[h] == id)
			w->rows[h] = i;
	}
	return 0;
}

int
sa_window(const struct sa_windows *w, long long id)
{
	size_t h = slot(w, id);

	return w->keys[h] == id ? w->rows[h] : -1;
}

void
sa_windows_free(struct sa_windows *w)
{
	if (w->res != NULL)
		PQclear(w->res);
	free(w->keys);
	free(w->rows);
	memset(w, 0, sizeof(*w));
}
