/* Group commit of activity batches across ingest's worker processes.
 *
 * Most of what PostgreSQL spends on a 100-span batch is the transaction
 * around it, not the rows: the statements' start-up, the insert trigger,
 * the batch's record, the commit.  So the workers share a queue in memory
 * mapped before they fork: a worker with a checked batch (the window ids
 * its cache knows, the other windows' text) puts it in its slot and
 * either waits, or, when fewer than GROUP_LANES groups are being stored,
 * becomes a leader: it takes every queued batch (one per device) and
 * stores them all in one transaction (store_group in store.c), then hands
 * each owner its counts.
 *
 * Nothing is answered before its group committed.  A leader that dies
 * mid-way leaves its batches to be taken again: one that committed is then
 * found by (device, batch) and answered with its counts, as any batch
 * sent twice.  A group that fails answers GROUP_FAILED to each owner,
 * which stores its batch alone and answers whatever that gives. */
#ifndef WT_GROUP_H
#define WT_GROUP_H

#include <stdbool.h>

#include "ingest.h"

/* A kept span, as store_group reads it. */
struct gspan {
	long long	start_us;
	int		duration_ms;
	int		window_id;
	bool		afk;
	bool		miss;		/* window_id comes from store_group's intern */
};

/* A batch ready to store.  Spans whose window the worker's cache knew
 * have its id; the rest (window_id 0, nmiss of them) are interned by
 * store_group in the group's transaction, from their (app, title, url)
 * written as three PostgreSQL array literals into the text after the
 * spans.  counts.new_windows and capped are set by whoever interned them;
 * store_group fills the rest. */
struct gbatch {
	long long		device, seq;
	char			token_hash[65];	/* the device's, as the worker knows it */
	int			n;
	int			nmiss;
	bool			capped;		/* some misses went under the placeholder */
	bool			refused;	/* the token is no longer the device's */
	size_t			text_cap;	/* room for the literals (0: none) */
	size_t			lit_len[3];	/* each literal's length, NUL excluded */
	struct batch_counts	counts;
	struct gspan		spans[];	/* n of them; room for WT_BATCH_MAX_SPANS in a slot */
};

/* The literals of g's misses: app, title and url, each NUL-terminated,
 * one after another. */
#define GBATCH_TEXT(g)	((char *)&(g)->spans[WT_BATCH_MAX_SPANS])

enum { GROUP_STORED, GROUP_FAILED, GROUP_OFF };
/* Batches in one transaction, and statements in its first round trip
 * (store_group). */
#define GROUP_BATCHES	16
#define GROUP_CALLS	5

/* In the supervisor, before the workers fork: room for nslots workers.
 * -1 (logged) leaves grouping off; each worker then stores alone. */
int		 group_setup(int nslots);
/* In each worker: takes a free slot.  -1: none (this worker stores
 * alone). */
int		 group_attach(void);
/* The room a slot has for its misses' literals (GBATCH_TEXT). */
size_t		 group_text_cap(void);
/* The worker's slot's batch, to fill (NULL when grouping is off). */
struct gbatch	*group_slot(void);
/* Stores the slot's batch with others: GROUP_STORED (counts in the
 * slot), GROUP_FAILED, or GROUP_OFF (no slot). */
int		 group_store(void);

/* store.c: stores the n batches (n >= 1, of different devices) in one
 * transaction, each exactly once and trimmed against its device's stored
 * spans; every batch's counts filled, except those whose device and token
 * hash no longer name an active device: refused set, nothing of theirs
 * stored.  NULL, or the error that rolled all of them back. */
struct wt_err	*store_group(struct gbatch **g, int n);
/* store.c: b's spans into out with the window ids the worker's cache
 * knows; the others' triples into out's text for store_group, or, when
 * out has no room for them, interned at once in a call of their own.
 * The indexes of the misses into miss (b->n of room). */
struct wt_err	*batch_windows(const struct wt_device *d, const struct batch *b,
		    struct gbatch *out, size_t *miss);

#endif
