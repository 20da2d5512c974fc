/* Storing a checked batch: the fast path of POST /api/v1/activity.
 *
 * In one transaction, with the device's batches applied one at a time
 * (an advisory lock per device, so two uploaders of one device see each
 * other's spans and other devices are not held up), in three round trips
 * to the database (libpq's pipeline mode, db_pipeline):
 *   1. the lock, and the batch's record if it was stored before: then it
 *      is answered with its counts and stores nothing;
 *   2. window ids come from the worker's cache (wincache.c), and only the
 *      windows it has not seen go to windows_intern(), together with the
 *      device's stored spans next to the batch (the last one starting
 *      before it, those starting inside it: usually one row); the new
 *      spans are trimmed against them and against each other;
 *   3. what is left goes in with one INSERT from arrays, with the batch's
 *      record and the COMMIT.
 * The trimming rule is the one activity_store() applies in SQL for
 * heartbeat spans (sql/006_ingest.sql); README "Activity ingest" states
 * it.  Doing it here costs a fraction of doing it row by row in SQL. */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "conf.h"
#include "ingest.h"
#include "wincache.h"

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

/* The spans whose window the worker's cache does not know: their indexes
 * into miss (the ids of the others are filled in), and the three array
 * parameters of ST_INGEST_INTERN for them. */
static size_t
window_misses(const struct batch *b, int *ids, size_t *miss, struct wt_buf arr[3])
{
	size_t nmiss = 0;

	for (size_t i = 0; i < b->n; i++) {
		const struct span *s = &b->spans[i];

		if (wincache_get(s->app, s->title, s->title_len, s->url, s->url_len, &ids[i]) != 0)
			miss[nmiss++] = i;
	}
	for (int k = 0; k < 3; k++) {
		buf_init(&arr[k]);
		buf_puts(&arr[k], "{");
	}
	for (size_t j = 0; j < nmiss; j++) {
		const struct span *s = &b->spans[miss[j]];

		array_elem(&arr[0], s->app, strlen(s->app));
		array_elem(&arr[1], s->title, s->title_len);
		array_elem(&arr[2], s->url, s->url_len);
	}
	for (int k = 0; k < 3; k++)
		buf_puts(&arr[k], "}");
	return nmiss;
}

/* The ids ST_INGEST_INTERN answered for the missed spans, into ids and
 * the cache. */
static struct wt_err *
window_fill(PGresult *res, const struct batch *b, const size_t *miss, size_t nmiss, int *ids,
    long long *new_windows)
{
	/* "{12,13,...}", in the order sent. */
	char *p = PQgetvalue(res, 0, C_INTERN_IDS);
	/* Over the budget, a triple's id is the placeholder's: not its own. */
	int capped = strcmp(PQgetvalue(res, 0, C_INTERN_CAPPED), "t") == 0;

	for (size_t j = 0; j < nmiss; j++) {
		const struct span *s = &b->spans[miss[j]];
		long id;

		while (*p == '{' || *p == ',')
			p++;
		id = strtol(p, &p, 10);
		if (id <= 0)
			return wt_fail(500, NULL, "the windows of the batch could not be stored");
		ids[miss[j]] = (int)id;
		if (!capped)
			wincache_put(s->app, s->title, s->title_len, s->url, s->url_len, (int)id);
	}
	*new_windows = atoll(PQgetvalue(res, 0, C_INTERN_NEW));
	return NULL;
}

static void
free3(struct wt_buf arr[3])
{
	for (int k = 0; k < 3; k++)
		buf_free(&arr[k]);
}

/* Window ids for every span: the cache first, the database for the rest
 * (one call for all of them). */
struct wt_err *
window_ids(long long device, const struct batch *b, int *ids, long long *new_windows)
{
	size_t *miss = xcalloc(b->n ? b->n : 1, sizeof(*miss)), nmiss;
	struct wt_buf arr[3];
	char dev[24], budget[24];
	const char *params[5] = { dev, budget };
	struct wt_err *e = NULL;
	PGresult *res;

	*new_windows = 0;
	nmiss = window_misses(b, ids, miss, arr);
	if (nmiss > 0) {
		snprintf(dev, sizeof(dev), "%lld", device);
		snprintf(budget, sizeof(budget), "%lld", wt_cfg.ingest_new_windows_per_hour);
		params[2] = arr[0].data;
		params[3] = arr[1].data;
		params[4] = arr[2].data;
		if ((res = db_exec(ST_INGEST_INTERN, 5, params)) == NULL)
			e = db_err();
		else {
			e = window_fill(res, b, miss, nmiss, ids, new_windows);
			PQclear(res);
		}
	}
	free3(arr);
	free(miss);
	return e;
}

/* The device's stored spans that can overlap the batch, from
 * ST_INGEST_NEIGHBOURS: sorted, and never overlapping each other. */
static struct stored *
neighbours(PGresult *res, size_t *n)
{
	struct stored *out;

	*n = (size_t)PQntuples(res);
	out = xcalloc(*n ? *n : 1, sizeof(*out));
	for (size_t i = 0; i < *n; i++) {
		out[i].st = atoll(PQgetvalue(res, (int)i, C_NB_START_US));
		out[i].fin = out[i].st + atoll(PQgetvalue(res, (int)i, C_NB_DURATION_MS)) * 1000;
	}
	return out;
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

/* The kept spans as the four array parameters of ST_INGEST_INSERT_SPANS:
 * an INSERT from unnest() goes in the same round trip as the batch's
 * record and the COMMIT, where COPY would need two of its own. */
struct rows {
	struct wt_buf	 start, dur, wid, afk;
};

static void
rows_init(struct rows *r)
{
	struct wt_buf *all[4] = { &r->start, &r->dur, &r->wid, &r->afk };

	for (int k = 0; k < 4; k++) {
		buf_init(all[k]);
		buf_puts(all[k], "{");
	}
}

static void
rows_add(struct rows *r, long long st_us, long long dur_ms, int wid, int afk)
{
	const char *sep = r->start.len > 1 ? "," : "";

	buf_printf(&r->start, "%s%lld", sep, st_us);
	buf_printf(&r->dur, "%s%lld", sep, dur_ms);
	buf_printf(&r->wid, "%s%d", sep, wid);
	buf_printf(&r->afk, "%s%c", sep, afk ? 't' : 'f');
}

static void
rows_end(struct rows *r)
{
	buf_puts(&r->start, "}");
	buf_puts(&r->dur, "}");
	buf_puts(&r->wid, "}");
	buf_puts(&r->afk, "}");
}

static void
rows_free(struct rows *r)
{
	buf_free(&r->start);
	buf_free(&r->dur);
	buf_free(&r->wid);
	buf_free(&r->afk);
}

/* Trims the spans (sorted) against the stored ones and each other and
 * adds the kept ones to rows; the counts into c. */
static void
trim(const struct batch *b, struct piece *p, const int *ids, const struct stored *s, size_t ns,
    struct rows *rows, struct batch_counts *c)
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
		rows_add(rows, st2, (fin2 - st2 + 500) / 1000, ids[p[i].idx], sp->afk);
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

struct wt_err *
store_batch(long long device, const struct batch *b, struct batch_counts *c)
{
	char dev[24], seq[24], v[5][24];
	const char *key[2] = { dev, seq };
	char budget[24];
	const char *win[5] = { dev, budget }, *nb[3], *ins[5], *rec[7] = { dev, seq, v[0], v[1], v[2], v[3], v[4] };
	struct db_call calls[2];
	PGresult *res[2] = { NULL, NULL };
	struct piece *p = NULL;
	struct stored *s = NULL;
	int *ids = NULL;
	size_t *miss = NULL, nmiss = 0, ns = 0;
	long long lo = LLONG_MAX, hi = LLONG_MIN;
	char los[24], his[24];
	struct wt_buf arr[3];
	struct rows rows;
	struct wt_err *e = NULL;
	int nc;

	memset(c, 0, sizeof(*c));
	snprintf(dev, sizeof(dev), "%lld", device);
	snprintf(seq, sizeof(seq), "%lld", b->seq);

	/* Round trip 1: begin, the device's lock, and whether the batch was
	 * stored before (the lock comes first, in its own statement, so the
	 * look finds a batch another uploader committed meanwhile). */
	calls[0] = (struct db_call){ ST_INGEST_LOCK_DEVICE, 1, key };
	calls[1] = (struct db_call){ ST_INGEST_BATCH_FIND, 2, key };
	if (db_pipeline(1, calls, 2, res, 0) != 0)
		return db_err();
	PQclear(res[0]);
	if (PQntuples(res[1]) == 1) {
		/* Sent before: the same answer, nothing stored. */
		counts_of(res[1], c);
		PQclear(res[1]);
		return db_commit() == 0 ? NULL : db_err();
	}
	PQclear(res[1]);
	rows_init(&rows);
	for (int k = 0; k < 3; k++)
		buf_init(&arr[k]);
	c->seq = b->seq;
	c->spans = (long long)b->n;
	if (b->n > 0) {
		ids = xcalloc(b->n, sizeof(*ids));
		p = xcalloc(b->n, sizeof(*p));
		miss = xcalloc(b->n, sizeof(*miss));
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
		nmiss = window_misses(b, ids, miss, arr);

		/* Round trip 2: the windows the cache did not know, and the
		 * stored spans next to the batch. */
		snprintf(los, sizeof(los), "%lld", lo);
		snprintf(his, sizeof(his), "%lld", hi);
		nb[0] = dev;
		nb[1] = los;
		nb[2] = his;
		snprintf(budget, sizeof(budget), "%lld", wt_cfg.ingest_new_windows_per_hour);
		win[2] = arr[0].data;
		win[3] = arr[1].data;
		win[4] = arr[2].data;
		nc = 0;
		if (nmiss > 0)
			calls[nc++] = (struct db_call){ ST_INGEST_INTERN, 5, win };
		calls[nc++] = (struct db_call){ ST_INGEST_NEIGHBOURS, 3, nb };
		if (db_pipeline(0, calls, nc, res, 0) != 0) {
			e = db_err();
			goto out;
		}
		if (nmiss > 0)
			e = window_fill(res[0], b, miss, nmiss, ids, &c->new_windows);
		s = neighbours(res[nc - 1], &ns);
		for (int k = 0; k < nc; k++)
			PQclear(res[k]);
		if (e != NULL)
			goto out;
		trim(b, p, ids, s, ns, &rows, c);
	}
	rows_end(&rows);

	/* Round trip 3: the kept spans, the batch's record, commit. */
	snprintf(v[0], sizeof(v[0]), "%lld", c->spans);
	snprintf(v[1], sizeof(v[1]), "%lld", c->accepted);
	snprintf(v[2], sizeof(v[2]), "%lld", c->trimmed);
	snprintf(v[3], sizeof(v[3]), "%lld", c->dropped);
	snprintf(v[4], sizeof(v[4]), "%lld", c->new_windows);
	ins[0] = dev;
	ins[1] = rows.start.data;
	ins[2] = rows.dur.data;
	ins[3] = rows.wid.data;
	ins[4] = rows.afk.data;
	nc = 0;
	if (c->accepted > 0)
		calls[nc++] = (struct db_call){ ST_INGEST_INSERT_SPANS, 5, ins };
	calls[nc++] = (struct db_call){ ST_INGEST_BATCH_RECORD, 7, rec };
	if (db_pipeline(0, calls, nc, res, 1) != 0) {
		e = db_err();
		goto out;
	}
	for (int k = 0; k < nc; k++)
		PQclear(res[k]);
out:
	/* Window ids interned by a transaction that rolled back name no
	 * window: the cache must not keep them. */
	if (e == NULL)
		wincache_commit();
	else
		wincache_abort();
	rows_free(&rows);
	free3(arr);
	free(ids);
	free(p);
	free(miss);
	free(s);
	return e;
}
