/* POST /api/v1/activity: a batch of spans from an agent, stored exactly
 * once (see sql/006_ingest.sql for how: idempotent by (device, batch),
 * overlaps trimmed) and answered with what it produced.  A batch sent
 * again gets the same answer and stores nothing. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "batch.h"
#include "clock.h"
#include "group.h"
#include "ingest.h"

static int
is_json(const char *ct)
{
	return ct != NULL && strncasecmp(ct, "application/json", 16) == 0 &&
	    (ct[16] == '\0' || ct[16] == ';' || ct[16] == ' ');
}

struct wt_err *
activity_post(struct wt_req *r)
{
	struct batch_rules rules;
	struct batch b;
	struct batch_counts c;
	struct wt_err *e;

	if (!is_json(r->content_type))
		return wt_fail(415, NULL, "send the batch as application/json");
	rules.now_us = clock_real_us();
	rules.oldest_us = device_oldest_us(r->device, rules.now_us);
	if ((e = batch_parse(r->body, r->body_len, &rules, &b)) != NULL) {
		batch_free(&b);
		return e;
	}
	e = store_batch(r->device, &b, &c);
	batch_free(&b);
	if (e != NULL)
		return e;
	return wt_json(r, 200, json_pack("{sI sI sI sI sI sI}", "batch", (json_int_t)c.seq,
	    "spans", (json_int_t)c.spans, "accepted", (json_int_t)c.accepted,
	    "trimmed", (json_int_t)c.trimmed, "dropped", (json_int_t)c.dropped,
	    "new_windows", (json_int_t)c.new_windows));
}

int
ingest_supervisor_init(int nworkers)
{
	/* A slot for each worker's batch, and as many again for workers
	 * respawned while a leader still stores a dead one's. */
	return group_setup(2 * nworkers);
}

int
ingest_worker_init(void)
{
	PGresult *res;

	(void)group_attach();
	/* Months ahead get their partitions before spans arrive for them; a
	 * database that is away now is no reason not to start (the default
	 * partition catches anything until the next start or the job). */
	if ((res = db_exec(ST_INGEST_ENSURE_PARTITIONS, 0, NULL)) != NULL)
		PQclear(res);
	return 0;
}
