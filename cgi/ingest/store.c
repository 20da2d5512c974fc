/* Storing a checked batch: the fast path of POST /api/v1/activity.
 *
 * In one transaction, with the device's batches applied one at a time
 * (an advisory lock per device, so two uploaders of one device see each
 * other's spans and other devices are not held up):
 *   1. a batch already recorded for (device, seq) is answered with its
 *      counts and stores nothing;
 *   2. window ids come from the worker's cache (wincache.c), and only the
 *      windows it has not seen go to windows_intern();
 *   3. the device's stored spans next to the batch are read (the last one
 *      starting before it, those starting inside it: usually one row) and
 *      the new spans trimmed against them and against each other;
 *   4. what is left goes in with one binary COPY, and the batch is
 *      recorded with its counts.
 * The trimming rule is the one activity_store() applies in SQL for
 * heartbeat spans (sql/006_ingest.sql); README "Activity ingest" states
 * it.  Doing it here costs a fraction of doing it row by row in SQL. */
#include "config.h"

#include <arpa/inet.h>

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "ingest.h"
#include "wincache.h"

#define PG_EPOCH_US	946684800000000LL	/* 2000-01-01 in Unix microseconds */

struct piece {
	long long	 st, fin;	/* microseconds */
	size_t		 idx;		/* into the batch */
};

struct stored {
	long long	 st, fin;
};

static int
by_start(const void *a, const void *b)
{
	const struct piece *x = a, *y = b;

	if (x->st != y->st)
		return x->st < y->st ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* An element of a PostgreSQL array literal: quoted, \ and " escaped. */
static void
array_elem(struct wt_buf *b, const char *s, size_t len)
{
	buf_puts(b, b->len > 1 ? ",\"" : "\"");
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"' || s[i] == '\\')
			buf_append(b, "\\", 1);
		buf_append(b, &s[i], 1);
	}
	buf_puts(b, "\"");
}

/* Window ids for every span: the cache first, the database for the rest
 * (one call for all of them). */
static struct wt_err *
window_ids(const struct batch *b, int *ids, long long *new_windows)
{
	struct wt_buf apps, titles, urls;
	size_t *miss = xcalloc(b->n ? b->n : 1, sizeof(*miss)), nmiss = 0;
	struct wt_err *e = NULL;
	const char *params[3];
	PGresult *res;
	char *p;

	*new_windows = 0;
	for (size_t i = 0; i < b->n; i++) {
		const struct span *s = &b->spans[i];

		if (wincache_get(s->app, s->title, s->title_len, s->url, s->url_len, &ids[i]) != 0)
			miss[nmiss++] = i;
	}
	if (nmiss == 0) {
		free(miss);
		return NULL;
	}
	buf_init(&apps);
	buf_init(&titles);
	buf_init(&urls);
	buf_puts(&apps, "{");
	buf_puts(&titles, "{");
	buf_puts(&urls, "{");
	for (size_t j = 0; j < nmiss; j++) {
		const struct span *s = &b->spans[miss[j]];

		array_elem(&apps, s->app, strlen(s->app));
		array_elem(&titles, s->title, s->title_len);
		array_elem(&urls, s->url, s->url_len);
	}
	buf_puts(&apps, "}");
	buf_puts(&titles, "}");
	buf_puts(&urls, "}");
	params[0] = apps.data;
	params[1] = titles.data;
	params[2] = urls.data;
	if ((res = db_exec(ST_INGEST_INTERN, 3, params)) == NULL) {
		e = db_err();
		goto out;
	}
	/* "{12,13,...}", in the order sent. */
	p = PQgetvalue(res, 0, C_INTERN_IDS);
	for (size_t j = 0; j < nmiss; j++) {
		const struct span *s = &b->spans[miss[j]];
		long id;

		while (*p == '{' || *p == ',')
			p++;
		id = strtol(p, &p, 10);
		if (id <= 0) {
			e = wt_fail(500, NULL, "the windows of the batch could not be stored");
			break;
		}
		ids[miss[j]] = (int)id;
		wincache_put(s->app, s->title, s->title_len, s->url, s->url_len, (int)id);
	}
	*new_windows = atoll(PQgetvalue(res, 0, C_INTERN_NEW));
	PQclear(res);
out:
	buf_free(&apps);
	buf_free(&titles);
	buf_free(&urls);
	free(miss);
	return e;
}

/* The device's stored spans that can overlap [lo, hi): sorted, and never
 * overlapping each other. */
static struct wt_err *
neighbours(const char *dev, long long lo, long long hi, struct stored **out, size_t *n)
{
	char los[24], his[24];
	const char *params[3] = { dev, los, his };
	PGresult *res;

	snprintf(los, sizeof(los), "%lld", lo);
	snprintf(his, sizeof(his), "%lld", hi);
	if ((res = db_exec(ST_INGEST_NEIGHBOURS, 3, params)) == NULL)
		return db_err();
	*n = (size_t)PQntuples(res);
	*out = xcalloc(*n ? *n : 1, sizeof(**out));
	for (size_t i = 0; i < *n; i++) {
		(*out)[i].st = atoll(PQgetvalue(res, (int)i, C_NB_START_US));
		(*out)[i].fin = (*out)[i].st + atoll(PQgetvalue(res, (int)i, C_NB_DURATION_MS)) * 1000;
	}
	PQclear(res);
	return NULL;
}

/* Is the instant t the start of a stored span? */
static int
occupied(const struct stored *s, size_t n, long long t)
{
	for (size_t i = 0; i < n; i++)
		if (s[i].st == t)
			return 1;
	return 0;
}

static long long
past_stored(const struct stored *s, size_t n, long long t)
{
	/* Stored spans are sorted and disjoint: one pass moves t past each
	 * one that covers it, including one that starts where the last
	 * ended. */
	for (size_t i = 0; i < n; i++)
		if (s[i].st <= t && t < s[i].fin)
			t = s[i].fin;
	return t;
}

static long long
next_stored_start(const struct stored *s, size_t n, long long after, long long fin)
{
	for (size_t i = 0; i < n; i++)
		if (s[i].st > after && s[i].st < fin)
			return s[i].st;
	return fin;
}

static void
put16(struct wt_buf *b, uint16_t v)
{
	v = htons(v);
	buf_append(b, &v, 2);
}

static void
put32(struct wt_buf *b, uint32_t v)
{
	v = htonl(v);
	buf_append(b, &v, 4);
}

static void
put64(struct wt_buf *b, uint64_t v)
{
	put32(b, (uint32_t)(v >> 32));
	put32(b, (uint32_t)v);
}

/* One row of COPY activity (started_at, device_id, duration_ms,
 * window_id, afk) FROM STDIN (FORMAT binary). */
static void
copy_row(struct wt_buf *b, long long st_us, long long device, long long dur_ms, int wid,
    int afk)
{
	put16(b, 5);
	put32(b, 8);
	put64(b, (uint64_t)(st_us - PG_EPOCH_US));
	put32(b, 4);
	put32(b, (uint32_t)device);
	put32(b, 4);
	put32(b, (uint32_t)dur_ms);
	put32(b, 4);
	put32(b, (uint32_t)wid);
	put32(b, 1);
	buf_append(b, afk ? "\1" : "\0", 1);
}

/* Trims the spans (sorted) against the stored ones and each other and
 * writes the kept ones as COPY rows; the counts into c. */
static void
trim(const struct batch *b, struct piece *p, const int *ids, const struct stored *s, size_t ns,
    long long device, struct wt_buf *copy, struct batch_counts *c)
{
	long long running = LLONG_MIN, last_kept = LLONG_MIN;

	for (size_t i = 0; i < b->n; i++) {
		const struct span *sp = &b->spans[p[i].idx];
		long long st = p[i].st, fin = p[i].fin, st2, fin2;

		st2 = st > running ? st : running;
		st2 = past_stored(s, ns, st2);
		fin2 = next_stored_start(s, ns, st2, fin);
		if (running < fin)
			running = fin;
		/* Two spans of a device never share a start: a zero-length
		 * stored span (or kept one) there pushes this one on by 1 us. */
		if ((occupied(s, ns, st2) || st2 == last_kept) && fin2 - st2 > 1)
			st2++;
		else if (occupied(s, ns, st2) || st2 == last_kept)
			continue;
		if (!(fin2 > st2 || (sp->duration_ms == 0 && st2 == st)))
			continue;
		copy_row(copy, st2, device, (fin2 - st2 + 500) / 1000, ids[p[i].idx], sp->afk);
		last_kept = st2;
		c->accepted++;
		if (st2 != st || fin2 != fin)
			c->trimmed++;
	}
	c->dropped = (long long)b->n - c->accepted;
}

static void
counts_of(PGresult *res, struct batch_counts *c)
{
	c->seq = atoll(PQgetvalue(res, 0, C_BATCH_SEQ));
	c->spans = atoll(PQgetvalue(res, 0, C_BATCH_SPANS));
	c->accepted = atoll(PQgetvalue(res, 0, C_BATCH_ACCEPTED));
	c->trimmed = atoll(PQgetvalue(res, 0, C_BATCH_TRIMMED));
	c->dropped = atoll(PQgetvalue(res, 0, C_BATCH_DROPPED));
	c->new_windows = atoll(PQgetvalue(res, 0, C_BATCH_NEW_WINDOWS));
}

static struct wt_err *
record(const char *dev, const char *seq, struct batch_counts *c)
{
	char v[5][24];
	const char *params[7] = { dev, seq, v[0], v[1], v[2], v[3], v[4] };
	PGresult *res;

	snprintf(v[0], sizeof(v[0]), "%lld", c->spans);
	snprintf(v[1], sizeof(v[1]), "%lld", c->accepted);
	snprintf(v[2], sizeof(v[2]), "%lld", c->trimmed);
	snprintf(v[3], sizeof(v[3]), "%lld", c->dropped);
	snprintf(v[4], sizeof(v[4]), "%lld", c->new_windows);
	if ((res = db_exec(ST_INGEST_BATCH_RECORD, 7, params)) == NULL)
		return db_err();
	PQclear(res);
	return NULL;
}

struct wt_err *
store_batch(long long device, const struct batch *b, struct batch_counts *c)
{
	static const char copy_sql[] = "COPY activity (started_at, device_id, duration_ms,"
	    " window_id, afk) FROM STDIN (FORMAT binary)";
	char dev[24], seq[24];
	const char *params[2] = { dev, seq };
	struct piece *p = NULL;
	struct stored *s = NULL;
	int *ids = NULL;
	size_t ns = 0;
	long long lo = LLONG_MAX, hi = LLONG_MIN;
	struct wt_buf copy;
	struct wt_err *e = NULL;
	PGresult *res;

	memset(c, 0, sizeof(*c));
	buf_init(&copy);
	snprintf(dev, sizeof(dev), "%lld", device);
	snprintf(seq, sizeof(seq), "%lld", b->seq);
	if (db_begin() != 0)
		return db_err();
	if ((res = db_exec(ST_INGEST_LOCK_DEVICE, 1, params)) == NULL)
		return db_err();
	PQclear(res);
	if ((res = db_exec(ST_INGEST_BATCH_FIND, 2, params)) == NULL)
		return db_err();
	if (PQntuples(res) == 1) {
		/* Sent before: the same answer, nothing stored. */
		counts_of(res, c);
		PQclear(res);
		return db_commit() == 0 ? NULL : db_err();
	}
	PQclear(res);
	c->seq = b->seq;
	c->spans = (long long)b->n;
	if (b->n > 0) {
		ids = xcalloc(b->n, sizeof(*ids));
		p = xcalloc(b->n, sizeof(*p));
		if ((e = window_ids(b, ids, &c->new_windows)) != NULL)
			goto out;
		for (size_t i = 0; i < b->n; i++) {
			p[i].st = b->spans[i].start_us;
			p[i].fin = p[i].st + b->spans[i].duration_ms * 1000;
			p[i].idx = i;
			if (p[i].st < lo)
				lo = p[i].st;
			if (p[i].fin > hi)
				hi = p[i].fin;
		}
		qsort(p, b->n, sizeof(*p), by_start);
		if ((e = neighbours(dev, lo, hi, &s, &ns)) != NULL)
			goto out;
		buf_append(&copy, "PGCOPY\n\377\r\n\0", 11);
		put32(&copy, 0);
		put32(&copy, 0);
		trim(b, p, ids, s, ns, device, &copy, c);
		put16(&copy, 0xFFFF);
		if (c->accepted > 0 && db_copy_in(copy_sql, copy.data, copy.len) != 0) {
			e = db_err();
			goto out;
		}
	}
	if ((e = record(dev, seq, c)) != NULL)
		goto out;
	if (db_commit() != 0)
		e = db_err();
out:
	if (e == NULL)
		wincache_commit();
	else
		wincache_abort();
	buf_free(&copy);
	free(ids);
	free(p);
	free(s);
	return e;
}
