/* The spool: spans on disk until the server has them.
 *
 * spool      a header ("WTSPOOL1", the index of its first record, CRC)
 *            and records appended one after another, each its length,
 *            the CRC-32 of its payload and the payload (a span as the JSON
 *            object the server reads).  A record counts as recorded once
 *            it is written and fdatasync'd; a torn last record (a crash
 *            mid-write) fails its checksum and is cut off at start.
 * spool.state  what the server has: every record before "acked", the next
 *            batch number, and the batch in flight (its number and its
 *            records), written atomically (tmp, fsync, rename) before the
 *            batch is sent and after the server's 2xx.  A batch sent again
 *            after a crash is the same batch under the same number, so the
 *            server's idempotency makes the retry safe.
 * rejected   batches the server refused with a 4xx, kept for a person to
 *            read (one JSON line each: when, status, answer, body).
 *
 * Records are numbered from 0 for the life of the spool; rewriting the
 * file (to drop what the server has, or the oldest records when the spool
 * is over its size) keeps the numbers and records the first one in the
 * header, so spool.state stays true whatever step a crash interrupts. */
#ifndef WA_SPOOL_H
#define WA_SPOOL_H

#include <stdint.h>
#include <sys/types.h>

#include "util.h"

#define SPOOL_RECORD_MAX	65536

struct spool {
	char		*path, *state_path, *rejected_path;
	int		 fd;
	int		 readonly;
	int64_t		 max_bytes;
	uint64_t	 base;		/* the number of the file's first record */
	uint64_t	 end;		/* one past the last record's number */
	off_t		 end_off;	/* the file's size */
	uint64_t	 acked;		/* records before this one are stored */
	off_t		 acked_off;
	int64_t		 next_seq;	/* the next batch's number */
	int		 inflight;	/* a batch was built and maybe sent */
	int64_t		 inflight_seq;
	uint64_t	 inflight_to;	/* its records: [acked, inflight_to) */
	off_t		 inflight_to_off; /* where they end in the file */
	uint64_t	 dropped;	/* records dropped for space, ever */
	uint64_t	 set_aside;	/* batches set aside, ever */
	uint64_t	 torn_bytes;	/* bytes cut off at open (damaged tail) */
};

/* Opens (creating) the spool in dir.  readonly: only looks (status), cuts
 * nothing.  0, or -1 with the reason logged. */
int	 spool_open(struct spool *, const char *dir, int64_t max_bytes, int readonly);
void	 spool_close(struct spool *);
/* Appends one record and syncs it to disk; 0 or -1. */
int	 spool_append(struct spool *, const char *payload, size_t len);
static inline uint64_t spool_pending(const struct spool *s) { return s->end - s->acked; }
/* The batch to send: the one in flight, or a new one of at most max_spans
 * records and about max_body bytes, recorded as in flight before this
 * returns.  Fills body with the JSON the server reads; 0, 1 if there is
 * nothing to send, -1 on error. */
int	 spool_batch(struct spool *, size_t max_spans, size_t max_body, struct buf *body);
/* The server stored the batch in flight (a 2xx). */
int	 spool_ack(struct spool *);
/* The server refused it for good: keep it in "rejected", go past it. */
int	 spool_set_aside(struct spool *, long status, const char *answer, const struct buf *body);

#endif
