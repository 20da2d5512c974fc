/* Storing checked batches: the fast path of POST /api/v1/activity.
 *
 * First the window of every span the worker's cache knows (wincache.c);
 * the others' (app, title, url) go with the batch into its slot of the
 * group queue (group.h), and the group's first round trip stores every
 * batch's in one windows_intern_group() call (sql/036).  A batch too big
 * for its slot's text has them stored at once in a call of its own.
 *
 * Then the batches themselves, usually several workers' at once
 * (group.h), in one transaction of two round trips to the database
 * (libpq's pipeline mode, db_pipeline), with each device's batches
 * applied one at a time (an advisory lock per device, taken in device
 * order, so two uploaders of one device see each other's spans and other
 * devices are not held up):
 *   1. the devices' locks, which of them still have the token their
 *      worker knows them by (devcache.c; the others' batches are refused
 *      and the rest stored without them), the batches' records if they
 *      were stored before (those are answered with their counts and
 *      store nothing),
 *      each device's stored spans next to its batch (the last one
 *      starting before it, those starting inside it: usually one row),
 *      and the missed windows; the new spans are trimmed against the
 *      stored ones and against each other;
 *   2. what is left goes in with one INSERT from arrays, with the
 *      batches' records and the COMMIT.
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
#include "group.h"
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

/* The next element of an array's text ("{1,2}", "{t,f}"), from *p on. */
static long long
next_num(char **p)
{
	while (**p == '{' || **p == ',')
		(*p)++;
	return strtoll(*p, p, 10);
}

static int
next_bool(char **p)
{
	while (**p == '{' || **p == ',')
		(*p)++;
	return *(*p)++ == 't';
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
		long long id = next_num(&p);

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

/* The missed spans' windows (window_misses' miss and arr) in one call of
 * their own, into ids and the cache.  With token_hash, only while the
 * device still has that token and is active (in the same statement), else
 * the 401. */
static struct wt_err *
intern_misses(long long device, const char *token_hash, const struct batch *b,
    const size_t *miss, size_t nmiss, struct wt_buf arr[3], int *ids, long long *new_windows)
{
	char dev[24], budget[24];
	const char *params[6] = { dev, budget, arr[0].data, arr[1].data, arr[2].data, token_hash };
	struct wt_err *e;
	PGresult *res;

	snprintf(dev, sizeof(dev), "%lld", device);
	snprintf(budget, sizeof(budget), "%lld", wt_cfg.ingest_new_windows_per_hour);
	/* Committed without waiting for the disk: nothing refers to the
	 * windows before a batch or span that does commits, and that commit
	 * flushes the log past theirs. */
	if (token_hash != NULL)
		res = db_exec(ST_INGEST_INTERN_ACTIVE, 6, params);
	else
		res = db_exec(ST_INGEST_INTERN, 5, params);
	if (res == NULL)
		return db_err();
	if (PQntuples(res) != 1 && token_hash != NULL) {
		PQclear(res);
		devcache_forget(token_hash);
		return device_token_refused();
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		return wt_fail(500, NULL, "the windows of the batch could not be stored");
	}
	e = window_fill(res, b, miss, nmiss, ids, new_windows);
	PQclear(res);
	return e;
}

/* Window ids for every span: the cache first, the database for the rest
 * (one call for all of them). */
struct wt_err *
window_ids(long long device, const struct batch *b, int *ids, long long *new_windows)
{
	size_t *miss = xcalloc(b->n ? b->n : 1, sizeof(*miss)), nmiss;
	struct wt_buf arr[3];
	struct wt_err *e = NULL;

	*new_windows = 0;
	nmiss = window_misses(b, ids, miss, arr);
	if (nmiss > 0)
		e = intern_misses(device, NULL, b, miss, nmiss, arr, ids, new_windows);
	free3(arr);
	free(miss);
	return e;
}

/* The stored spans of device that can overlap its batch, from
 * ST_INGEST_NEIGHBOURS (every batch's, by device and start): sorted; those
 * with a length never overlap each other (a zero-length one may lie
 * inside one of them). */
static struct stored *
neighbours(PGresult *res, long long device, size_t *n)
{
	int rows = res != NULL ? PQntuples(res) : 0;
	struct stored *out = xcalloc(rows > 0 ? (size_t)rows : 1, sizeof(*out));

	*n = 0;
	for (int i = 0; i < rows; i++) {
		if (atoll(PQgetvalue(res, i, C_NB_DEVICE)) != device)
			continue;
		out[*n].st = atoll(PQgetvalue(res, i, C_NB_START_US));
		out[*n].fin = out[*n].st + atoll(PQgetvalue(res, i, C_NB_DURATION_MS)) * 1000;
		(*n)++;
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

/* Where a span starting at after must end: the next stored span with a
 * length.  A zero-length one (a late heartbeat's instant) takes no time,
 * so a span may run across it; cutting there lost the rest of the span. */
static long long
next_stored_start(const struct stored *s, size_t n, long long after, long long fin)
{
	for (size_t i = 0; i < n; i++)
		if (s[i].st > after && s[i].st < fin && s[i].fin > s[i].st)
			return s[i].st;
	return fin;
}

/* The kept spans of every batch as the five array parameters of
 * ST_INGEST_INSERT_SPANS, and the batches' records as the seven of
 * ST_INGEST_BATCH_RECORD: one INSERT each for the whole group, in the
 * same round trip as the COMMIT, where COPY would need two of its own. */
#define NCOLS	5
#define NREC	7

struct arrays {
	struct wt_buf	 col[NREC];
	int		 n;	/* elements in each */
};

static void
arrays_init(struct arrays *a)
{
	for (int k = 0; k < NREC; k++) {
		buf_init(&a->col[k]);
		buf_puts(&a->col[k], "{");
	}
	a->n = 0;
}

/* One element (integers only) into each of the first ncols arrays. */
static void
arrays_add(struct arrays *a, int ncols, const long long *v)
{
	for (int k = 0; k < ncols; k++) {
		if (a->n > 0)
			buf_append(&a->col[k], ",", 1);
		buf_put_ll(&a->col[k], v[k]);
	}
	a->n++;
}

static void
arrays_end(struct arrays *a, const char **params)
{
	for (int k = 0; k < NREC; k++) {
		buf_puts(&a->col[k], "}");
		params[k] = a->col[k].data;
	}
}

static void
arrays_free(struct arrays *a)
{
	for (int k = 0; k < NREC; k++)
		buf_free(&a->col[k]);
}

/* Trims g's spans (sorted in p) against the stored ones and each other,
 * adds the kept ones to rows and sets g's counts. */
static void
trim(struct gbatch *g, const struct piece *p, const struct stored *s, size_t ns,
    struct arrays *rows)
{
	long long running = LLONG_MIN, last_kept = LLONG_MIN;
	struct batch_counts *c = &g->counts;

	for (int i = 0; i < g->n; i++) {
		const struct gspan *sp = &g->spans[p[i].idx];
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
		/* Whole milliseconds, rounded down: a span rounded up would end
		 * past the start it was cut at.  Less than one left of a span
		 * that had some is nothing left. */
		if (!((fin2 - st2) / 1000 > 0 || (sp->duration_ms == 0 && st2 == st)))
			continue;
		arrays_add(rows, NCOLS, (const long long[NCOLS]){ g->device, st2,
		    (fin2 - st2) / 1000, sp->window_id, sp->afk });
		last_kept = st2;
		c->accepted++;
		if (st2 != st || fin2 != fin)
			c->trimmed++;
	}
	c->dropped = (long long)g->n - c->accepted;
}

static void
counts_of(PGresult *res, int row, struct batch_counts *c)
{
	c->seq = atoll(PQgetvalue(res, row, C_FOUND_SEQ));
	c->spans = atoll(PQgetvalue(res, row, C_FOUND_SPANS));
	c->accepted = atoll(PQgetvalue(res, row, C_FOUND_ACCEPTED));
	c->trimmed = atoll(PQgetvalue(res, row, C_FOUND_TRIMMED));
	c->dropped = atoll(PQgetvalue(res, row, C_FOUND_DROPPED));
	c->new_windows = atoll(PQgetvalue(res, row, C_FOUND_NEW_WINDOWS));
}

/* g's spans, sorted by start, and the interval they cover into lo/hi. */
static struct piece *
sorted(const struct gbatch *g, long long *lo, long long *hi)
{
	struct piece *p = xcalloc(g->n > 0 ? (size_t)g->n : 1, sizeof(*p));

	*lo = LLONG_MAX;
	*hi = LLONG_MIN;
	for (int i = 0; i < g->n; i++) {
		p[i].st = g->spans[i].start_us;
		p[i].fin = p[i].st + g->spans[i].duration_ms * 1000LL;
		p[i].idx = (size_t)i;
		if (p[i].st < *lo)
			*lo = p[i].st;
		if (p[i].fin > *hi)
			*hi = p[i].fin;
	}
	qsort(p, (size_t)g->n, sizeof(*p), by_start);
	return p;
}

static int
by_device(const void *a, const void *b)
{
	const struct gbatch *x = *(struct gbatch *const *)a, *y = *(struct gbatch *const *)b;

	return x->device < y->device ? -1 : x->device > y->device;
}

/* Which of the group's batches were stored before: their counts, and
 * found[k] set. */
static void
mark_found(PGresult *res, struct gbatch **g, int n, int *found)
{
	for (int r = 0; r < PQntuples(res); r++) {
		long long dev = atoll(PQgetvalue(res, r, C_FOUND_DEVICE));

		for (int k = 0; k < n; k++)
			if (g[k]->device == dev) {
				counts_of(res, r, &g[k]->counts);
				found[k] = 1;
			}
	}
}

/* The group's batches whose device ST_INGEST_DEVICES_ACTIVE did not
 * answer: refused set; how many. */
static int
mark_refused(PGresult *res, struct gbatch **g, int n)
{
	int refused = 0;

	for (int k = 0; k < n; k++) {
		int ok = 0;

		for (int r = 0; r < PQntuples(res) && !ok; r++)
			ok = atoll(PQgetvalue(res, r, 0)) == g[k]->device;
		g[k]->refused = !ok;
		refused += !ok;
	}
	return refused;
}

/* The group's misses as the five parameters of ST_INGEST_INTERN_GROUP:
 * each triple's device, the budget, and the batches' literals joined. */
struct intern_args {
	struct wt_buf	 dev, lit[3];
	char		 budget[24];
	const char	*params[5];
};

static int
intern_args(struct gbatch **g, int n, struct intern_args *a)
{
	int count = 0;

	buf_init(&a->dev);
	buf_puts(&a->dev, "{");
	for (int k = 0; k < 3; k++) {
		buf_init(&a->lit[k]);
		buf_puts(&a->lit[k], "{");
	}
	for (int b = 0; b < n; b++) {
		const char *t = GBATCH_TEXT(g[b]);

		if (g[b]->nmiss == 0)
			continue;
		for (int j = 0; j < g[b]->nmiss; j++) {
			if (count++ > 0)
				buf_append(&a->dev, ",", 1);
			buf_put_ll(&a->dev, g[b]->device);
		}
		/* "{x,y}" joins as "x,y". */
		for (int k = 0; k < 3; k++) {
			if (a->lit[k].len > 1)
				buf_append(&a->lit[k], ",", 1);
			buf_append(&a->lit[k], t + 1, g[b]->lit_len[k] - 2);
			t += g[b]->lit_len[k] + 1;
		}
	}
	buf_puts(&a->dev, "}");
	snprintf(a->budget, sizeof(a->budget), "%lld", wt_cfg.ingest_new_windows_per_hour);
	a->params[0] = a->dev.data;
	a->params[1] = a->budget;
	for (int k = 0; k < 3; k++) {
		buf_puts(&a->lit[k], "}");
		a->params[2 + k] = a->lit[k].data;
	}
	return count;
}

static void
intern_args_free(struct intern_args *a)
{
	buf_free(&a->dev);
	free3(a->lit);
}

/* ST_INGEST_INTERN_GROUP's answer: the ids into the missed spans, in
 * the order they were sent, and each batch's new windows and whether it
 * went past its budget. */
static struct wt_err *
intern_apply(PGresult *res, struct gbatch **g, int n)
{
	char *ids = PQgetvalue(res, 0, C_IG_IDS), *dev = PQgetvalue(res, 0, C_IG_DEVICES);
	char *fresh = PQgetvalue(res, 0, C_IG_FRESH), *capped = PQgetvalue(res, 0, C_IG_CAPPED);

	for (int b = 0; b < n; b++)
		for (int i = 0; g[b]->nmiss > 0 && i < g[b]->n; i++) {
			long long id;

			if (!g[b]->spans[i].miss)
				continue;
			if ((id = next_num(&ids)) <= 0 || id > INT_MAX)
				return wt_fail(500, NULL, "the windows of the batch could not be stored");
			g[b]->spans[i].window_id = (int)id;
		}
	while (*dev != '\0' && *dev != '}') {
		long long d = next_num(&dev), f = next_num(&fresh);
		int c = next_bool(&capped);

		for (int b = 0; b < n; b++)
			if (g[b]->device == d && g[b]->nmiss > 0) {
				g[b]->counts.new_windows = f;
				g[b]->capped = c;
			}
	}
	return NULL;
}

struct wt_err *
store_group(struct gbatch **g, int n)
{
	struct db_call calls[GROUP_CALLS];
	PGresult *res[GROUP_CALLS];
	struct arrays keys, nbs, rows, recs;
	const char *kp[NREC], *np[NREC], *rp[NREC], *cp[NREC];
	int found[GROUP_BATCHES] = { 0 }, nc = 0, nrec = 0, in_of = -1, nb_of = -1;
	struct piece *p[GROUP_BATCHES] = { NULL };
	struct intern_args ia;
	struct wt_buf hashes;
	const char *ap[2];
	struct wt_err *e = NULL;

	if (n < 1 || n > GROUP_BATCHES)
		return wt_fail(500, NULL, "a group of %d batches", n);
	/* Locks in device order: two groups never wait for each other in
	 * a circle. */
	qsort(g, (size_t)n, sizeof(*g), by_device);
	arrays_init(&keys);
	arrays_init(&nbs);
	arrays_init(&rows);
	arrays_init(&recs);
	buf_init(&hashes);
	buf_puts(&hashes, "{");
	for (int k = 0; k < n; k++) {
		long long lo, hi;

		/* Hex digits only: nothing to quote. */
		buf_printf(&hashes, "%s%s", k > 0 ? "," : "", g[k]->token_hash);
		g[k]->refused = false;
		g[k]->counts = (struct batch_counts){ .seq = g[k]->seq, .spans = g[k]->n,
		    .new_windows = g[k]->counts.new_windows };
		arrays_add(&keys, 2, (const long long[2]){ g[k]->device, g[k]->seq });
		p[k] = sorted(g[k], &lo, &hi);
		if (g[k]->n > 0)
			arrays_add(&nbs, 3, (const long long[3]){ g[k]->device, lo, hi });
	}
	arrays_end(&keys, kp);
	arrays_end(&nbs, np);
	buf_puts(&hashes, "}");
	ap[0] = kp[0];
	ap[1] = hashes.data;

	/* Round trip 1: begin, the locks (their own statement, so what
	 * follows sees what another uploader committed meanwhile), which
	 * devices still have their token, the batches stored before, the
	 * stored spans next to each batch (all of them in one statement). */
	calls[nc++] = (struct db_call){ ST_INGEST_LOCK_DEVICES, 1, kp };
	calls[nc++] = (struct db_call){ ST_INGEST_DEVICES_ACTIVE, 2, ap };
	calls[nc++] = (struct db_call){ ST_INGEST_BATCHES_FIND, 2, kp };
	if (nbs.n > 0) {
		nb_of = nc++;
		calls[nb_of] = (struct db_call){ ST_INGEST_NEIGHBOURS, 3, np };
	}
	/* The windows the workers' caches did not know, every batch's in
	 * one call (sql/036), committed with the spans that name them. */
	if (intern_args(g, n, &ia) > 0) {
		in_of = nc++;
		calls[in_of] = (struct db_call){ ST_INGEST_INTERN_GROUP, 5, ia.params };
	}
	if (nc > GROUP_CALLS) {
		intern_args_free(&ia);
		e = wt_fail(500, NULL, "a group's first round trip of %d statements", nc);
		goto out;
	}
	if (db_pipeline(1, calls, nc, res, 0) != 0) {
		e = db_err();
		intern_args_free(&ia);
		goto out;
	}
	intern_args_free(&ia);
	if (mark_refused(res[1], g, n) > 0) {
		/* Nothing of a refused device's may stay, its new windows
		 * included: the rest again, without it. */
		struct gbatch *rest[GROUP_BATCHES];
		int m = 0;

		for (int k = 0; k < nc; k++)
			PQclear(res[k]);
		db_rollback();
		for (int k = 0; k < n; k++)
			if (!g[k]->refused)
				rest[m++] = g[k];
		if (m > 0)
			e = store_group(rest, m);
		goto out;
	}
	if (in_of >= 0 && (e = intern_apply(res[in_of], g, n)) != NULL) {
		for (int k = 0; k < nc; k++)
			PQclear(res[k]);
		db_rollback();
		goto out;
	}
	mark_found(res[2], g, n, found);
	for (int k = 0; k < n; k++) {
		struct stored *s = NULL;
		size_t ns = 0;
		struct batch_counts *c = &g[k]->counts;

		if (found[k])
			continue;
		s = neighbours(nb_of >= 0 ? res[nb_of] : NULL, g[k]->device, &ns);
		trim(g[k], p[k], s, ns, &rows);
		free(s);
		arrays_add(&recs, NREC, (const long long[NREC]){ g[k]->device, g[k]->seq, c->spans,
		    c->accepted, c->trimmed, c->dropped, c->new_windows });
		nrec++;
	}
	for (int k = 0; k < nc; k++)
		PQclear(res[k]);

	/* Round trip 2: the kept spans, the batches' records, commit. */
	arrays_end(&rows, rp);
	arrays_end(&recs, cp);
	nc = 0;
	if (rows.n > 0)
		calls[nc++] = (struct db_call){ ST_INGEST_INSERT_SPANS, NCOLS, rp };
	if (nrec > 0)
		calls[nc++] = (struct db_call){ ST_INGEST_BATCH_RECORD, NREC, cp };
	if (db_pipeline(0, calls, nc, res, 1) != 0) {
		e = db_err();
		goto out;
	}
	for (int k = 0; k < nc; k++)
		PQclear(res[k]);
out:
	for (int k = 0; k < n; k++)
		free(p[k]);
	arrays_free(&keys);
	arrays_free(&nbs);
	arrays_free(&rows);
	arrays_free(&recs);
	buf_free(&hashes);
	return e;
}

/* Copies the three literals into g's text; -1 when they do not fit. */
static int
put_literals(struct gbatch *g, struct wt_buf arr[3])
{
	char *t;

	if (arr[0].len + arr[1].len + arr[2].len + 3 > g->text_cap)
		return -1;
	t = GBATCH_TEXT(g);
	for (int k = 0; k < 3; k++) {
		memcpy(t, arr[k].data, arr[k].len + 1);
		g->lit_len[k] = arr[k].len;
		t += arr[k].len + 1;
	}
	return 0;
}

struct wt_err *
batch_windows(const struct wt_device *d, const struct batch *b, struct gbatch *out,
    size_t *miss)
{
	int *ids = xcalloc(b->n ? b->n : 1, sizeof(*ids));
	struct wt_buf arr[3];
	size_t nmiss;
	struct wt_err *e = NULL;

	memset(&out->counts, 0, sizeof(out->counts));
	out->device = d->id;
	memcpy(out->token_hash, d->token_hash, sizeof(out->token_hash));
	out->seq = b->seq;
	out->n = (int)b->n;
	out->nmiss = 0;
	out->capped = false;
	out->refused = false;
	nmiss = window_misses(b, ids, miss, arr);
	/* Interned in the group's transaction when they fit its slot
	 * (their ids 0 until then); otherwise now, in a call of their own. */
	if (nmiss > 0 && put_literals(out, arr) == 0)
		out->nmiss = (int)nmiss;
	else if (nmiss > 0)
		e = intern_misses(d->id, d->token_hash, b, miss, nmiss, arr, ids,
		    &out->counts.new_windows);
	free3(arr);
	if (e == NULL)
		for (size_t i = 0; i < b->n; i++)
			out->spans[i] = (struct gspan){ b->spans[i].start_us,
			    (int)b->spans[i].duration_ms, ids[i], b->spans[i].afk != 0,
			    out->nmiss > 0 && ids[i] == 0 };
	free(ids);
	return e;
}

struct wt_err *
store_batch(const struct wt_device *d, const struct batch *b, struct batch_counts *c)
{
	struct gbatch *g = group_slot(), *own = NULL;
	size_t *miss = xcalloc(b->n ? b->n : 1, sizeof(*miss));
	struct wt_err *e;

	/* Without a slot (the in-process tests, or no shared memory), and
	 * when the group failed, the batch is a group of one.  Its text is
	 * not touched unless it has misses: calloc maps it lazily. */
	if (g == NULL) {
		g = own = xcalloc(1, sizeof(*g) + WT_BATCH_MAX_SPANS * sizeof(struct gspan) +
		    group_text_cap());
		g->text_cap = group_text_cap();
	}
	if ((e = batch_windows(d, b, g, miss)) == NULL &&
	    group_store() != GROUP_STORED)
		e = store_group(&g, 1);
	if (e == NULL && g->refused) {
		devcache_forget(d->token_hash);
		e = device_token_refused();
	} else if (e == NULL) {
		devcache_stored(d);
		*c = g->counts;
		/* Committed now: the windows interned with the batch. */
		for (int j = 0; j < g->nmiss && !g->capped; j++) {
			const struct span *s = &b->spans[miss[j]];

			wincache_put(s->app, s->title, s->title_len, s->url, s->url_len,
			    g->spans[miss[j]].window_id);
		}
	}
	free(miss);
	free(own);
	return e;
}
