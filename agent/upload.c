/* The daemon's network tasks: batches from the spool, heartbeats, and the
 * policy.
 *
 * A batch leaves the spool only on a 2xx.  No answer, 404 and 405 (a proxy
 * in the middle of a deploy), 408, 429 and 5xx are tried again after a
 * wait that doubles from retry_initial_s (5 s) to retry_max_s (5 minutes),
 * each drawn between half and all of it (jitter, so a fleet coming back
 * does not arrive at once), and never shorter than a Retry-After.  Any
 * other 4xx is the batch's own fault: it is set aside (the rejected file)
 * with a log line, and the next goes.  A 401 stops uploads and heartbeats
 * until agent.conf has a new token. */
#include "config.h"

#include <inttypes.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "json.h"

#define BATCH_SPANS	1000		/* the server's limit */
#define BATCH_BODY	(512 * 1024)	/* half the server's limit */

static struct task upload_task, heartbeat_task, config_task;

static int
upload_s(const struct agent *a)
{
	return a->conf.upload_interval_s ? a->conf.upload_interval_s : a->pol.upload_interval_s;
}

static int
heartbeat_s(const struct agent *a)
{
	return a->conf.heartbeat_interval_s ? a->conf.heartbeat_interval_s :
	    a->pol.heartbeat_interval_s;
}

static int
config_s(const struct agent *a)
{
	return a->conf.config_interval_s ? a->conf.config_interval_s : a->pol.config_interval_s;
}

int64_t
agent_backoff_ms(const struct agent *a, int fails, long retry_after)
{
	double lo = (a->conf.retry_initial_s ? a->conf.retry_initial_s : 5) * 1000.0;
	double hi = (a->conf.retry_max_s ? a->conf.retry_max_s : 300) * 1000.0, w = lo;

	for (int i = 1; i < fails && w < hi; i++)
		w *= 2;
	if (w > hi)
		w = hi;
	w = w / 2 + random_unit() * w / 2;
	if (w < retry_after * 1000.0)
		w = retry_after * 1000.0;
	return (int64_t)w;
}

static void
finish_flush(struct agent *a, const char *result)
{
	if (!a->flushing)
		return;
	a->flushing = 0;
	a->flushes++;
	snprintf(a->flush_result, sizeof(a->flush_result), "%s", result);
	log_info("flush: %s", result);
	agent_write_status(a);
}

void
agent_revoked(struct agent *a, const struct req *r)
{
	char why[300];

	if (a->revoked)
		return;
	req_describe(r, why, sizeof(why));
	a->revoked = 1;
	a->last_error_ms = wall_ms();
	snprintf(a->last_error, sizeof(a->last_error), "the server refused this device's token (%s): the device was revoked "
	    "or its token is wrong.  Uploads have stopped; spans are still recorded and kept.  "
	    "Enroll again: worktime-agent enroll %s NEW-CODE", why, a->conf.url);
	log_error("%s", a->last_error);
	finish_flush(a, a->last_error);
	agent_write_status(a);
}

/* --- batches ---------------------------------------------------------------- */

static void
upload_done(struct req *r, void *ctx)
{
	struct agent *a = ctx;
	int64_t now = mono_ms();
	char why[600];
	long st = r->status;

	req_describe(r, why, sizeof(why));
	if (st >= 200 && st < 300) {
		struct jv *j = json_parse(buf_str(&r->resp), r->resp.len, NULL, 0);

		log_info("uploaded batch %" PRId64 ": %" PRIu64 " spans (%" PRId64 " stored, %"
		    PRId64 " trimmed, %" PRId64 " dropped as already there)", a->spool.inflight_seq,
		    a->spool.inflight_to - a->spool.acked, json_int(j, "accepted", -1),
		    json_int(j, "trimmed", -1), json_int(j, "dropped", -1));
		json_free(j);
		if (spool_ack(&a->spool) != 0) {
			agent_error(a, "cannot record the upload in the spool's state");
			upload_task.due = now + agent_backoff_ms(a, a->fails, 0);
			return;
		}
		a->fails = 0;
		a->last_upload_ms = wall_ms();
		if (spool_pending(&a->spool) > 0)
			upload_task.due = now;
		else {
			upload_task.due = now + upload_s(a) * 1000LL;
			finish_flush(a, "ok: everything recorded is on the server");
		}
		agent_write_status(a);
		/* Give back what the request and the TLS session took. */
		malloc_trim(0);
		return;
	}
	if (st == 401) {
		agent_revoked(a, r);
		upload_task.due = now + upload_s(a) * 1000LL;
		return;
	}
	if (st != 0 && st >= 400 && st < 500 && st != 404 && st != 405 && st != 408 &&
	    st != 429) {
		char *answer = xstrdup(why);

		log_error("the server refused batch %" PRId64 " (%" PRIu64 " spans) for good: %s; "
		    "it is set aside in %s and the next batch goes", a->spool.inflight_seq,
		    a->spool.inflight_to - a->spool.acked, why, a->spool.rejected_path);
		if (spool_set_aside(&a->spool, st, answer, &a->up_body) != 0)
			upload_task.due = now + agent_backoff_ms(a, a->fails, 0);
		else
			upload_task.due = now;
		snprintf(a->last_error, sizeof(a->last_error), "batch set aside: %s", answer);
		a->last_error_ms = wall_ms();
		free(answer);
		agent_write_status(a);
		return;
	}
	a->fails++;
	upload_task.due = now + agent_backoff_ms(a, a->fails, r->retry_after);
	agent_error(a, "upload of batch %" PRId64 " failed (%s); try %d again in %.1f s",
	    a->spool.inflight_seq, why, a->fails + 1, (upload_task.due - now) / 1000.0);
	finish_flush(a, a->last_error);
	agent_write_status(a);
}

static void
upload_run(struct agent *a, struct task *t)
{
	int rc;

	t->due = NEVER;
	if (a->revoked) {
		t->due = mono_ms() + upload_s(a) * 1000LL;
		finish_flush(a, a->last_error);
		return;
	}
	if (a->up.busy)
		return;	/* its end schedules the next */
	rc = spool_batch(&a->spool, BATCH_SPANS, BATCH_BODY, &a->up_body);
	if (rc == 1) {
		t->due = mono_ms() + upload_s(a) * 1000LL;
		finish_flush(a, "ok: everything recorded is on the server");
		return;
	}
	if (rc != 0) {
		agent_error(a, "cannot read the spool for an upload");
		t->due = mono_ms() + upload_s(a) * 1000LL;
		finish_flush(a, a->last_error);
		return;
	}
	req_prepare(&a->up, &a->conf, "POST", "/api/v1/activity", &a->up_body, NULL,
	    a->conf.token);
	if (req_start(&a->net, &a->up) != 0) {
		agent_error(a, "cannot start an upload");
		t->due = mono_ms() + agent_backoff_ms(a, a->fails, 0);
	}
}

void
uploads_flush(struct agent *a)
{
	a->flushing = 1;
	upload_task.due = mono_ms();
}

/* --- heartbeats: presence only ------------------------------------------------ */

static void
heartbeat_done(struct req *r, void *ctx)
{
	struct agent *a = ctx;

	if (r->status == 401)
		agent_revoked(a, r);
	else if (r->status < 200 || r->status >= 300) {
		char why[300];

		req_describe(r, why, sizeof(why));
		log_debug("heartbeat: %s", why);
	}
}

static void
heartbeat_run(struct agent *a, struct task *t)
{
	struct buf *body = &a->hb_body;
	char when[40];

	t->due = mono_ms() + heartbeat_s(a) * 1000LL;
	if (a->revoked || a->hb.busy || a->bs == NULL)
		return;
	fmt_time(wall_ms(), when, sizeof(when));
	body->len = 0;
	buf_addf(body, "{\"at\":\"%s\",\"idle\":%s}", when, a->afk ? "true" : "false");
	req_prepare(&a->hb, &a->conf, "POST", "/api/v1/heartbeat", body, NULL, a->conf.token);
	req_start(&a->net, &a->hb);
}

/* --- the policy --------------------------------------------------------------- */

static void
config_done(struct req *r, void *ctx)
{
	struct agent *a = ctx;
	char why[300];

	config_task.due = mono_ms() + config_s(a) * 1000LL;
	if (r->status == 304)
		return;
	if (r->status == 401) {
		agent_revoked(a, r);
		return;
	}
	if (r->status != 200) {
		req_describe(r, why, sizeof(why));
		log_warn("could not fetch the policy (%s); keeping the one in use", why);
		if (config_task.due > mono_ms() + 60000)
			config_task.due = mono_ms() + 60000;
		return;
	}
	if (policy_set(&a->pol, buf_str(&r->resp), r->resp.len, r->etag, why, sizeof(why)) != 0) {
		log_warn("the server's policy is not readable (%s); keeping the one in use", why);
		return;
	} else {
		struct buf b = { 0 };
		char *path = path_join(a->conf.state_dir, "policy.json");

		buf_addf(&b, "%s\n", r->etag);
		buf_add(&b, r->resp.p, r->resp.len);
		if (write_atomic(path, b.p, b.len, 0600) != 0)
			log_warn("cannot save the policy in %s", path);
		buf_free(&b);
		free(path);
		log_info("policy %s: idle timeout %d s, upload every %d s, heartbeat every %d s, "
		    "%zu title pattern%s (in force, with agent.conf's overrides)", r->etag,
		    agent_idle_s(a), upload_s(a), heartbeat_s(a), a->pol.nre,
		    a->pol.nre == 1 ? "" : "s");
		/* The new intervals apply from now. */
		config_task.due = mono_ms() + config_s(a) * 1000LL;
		if (heartbeat_task.due != NEVER && heartbeat_task.due > mono_ms() + heartbeat_s(a) * 1000LL)
			heartbeat_task.due = mono_ms() + heartbeat_s(a) * 1000LL;
		if (!a->up.busy && upload_task.due > mono_ms() + upload_s(a) * 1000LL && a->fails == 0)
			upload_task.due = mono_ms() + upload_s(a) * 1000LL;
		agent_write_status(a);
	}
}

static void
config_run(struct agent *a, struct task *t)
{
	t->due = NEVER;
	if (a->revoked || a->cfg.busy) {
		t->due = mono_ms() + config_s(a) * 1000LL;
		return;
	}
	req_prepare(&a->cfg, &a->conf, "GET", "/api/v1/agent/config", NULL, a->pol.etag,
	    a->conf.token);
	if (req_start(&a->net, &a->cfg) != 0)
		t->due = mono_ms() + config_s(a) * 1000LL;
}

void
uploads_init(struct agent *a)
{
	int64_t now = mono_ms();

	upload_task = (struct task){ "upload", now + 2000, upload_run, NULL };
	heartbeat_task = (struct task){ "heartbeat", now + 1000, heartbeat_run, NULL };
	config_task = (struct task){ "config", now, config_run, NULL };
	a->up.what = "upload";
	a->up.done = upload_done;
	a->up.ctx = a;
	a->hb.what = "heartbeat";
	a->hb.done = heartbeat_done;
	a->hb.ctx = a;
	a->cfg.what = "config";
	a->cfg.done = config_done;
	a->cfg.ctx = a;
	agent_add_task(a, &upload_task);
	agent_add_task(a, &heartbeat_task);
	agent_add_task(a, &config_task);
}

void
uploads_free(struct agent *a)
{
	struct req *rs[] = { &a->up, &a->hb, &a->cfg };

	for (int i = 0; i < 3; i++) {
		if (rs[i]->busy)
			curl_multi_remove_handle(a->net.multi, rs[i]->easy);
		req_free(rs[i]);
	}
	buf_free(&a->up_body);
	buf_free(&a->hb_body);
}
