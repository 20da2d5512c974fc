/* POST /api/v1/heartbeat: presence, and optionally the window in front,
 * merged into the device's open span with ActivityWatch's pulsetime rule
 * (device_heartbeat in sql/014).  The hot path: one statement checks the
 * token and stores the beat (heartbeat_by_token in sql/033), no
 * transaction beyond the merge's own.
 *
 *   {"at": RFC 3339 (default: now), "idle": bool, "duration_ms": n,
 *    "window": {"app": s, "title": s, "url": s}}  (all optional) */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "batch.h"
#include "clock.h"
#include "crypto.h"
#include "decode.h"
#include "ingest.h"
#include "wincache.h"

static const char *
check_time(const char *s)
{
	long long us;

	return rfc3339_parse(s, &us) == 0 ? NULL :
	    "must be an RFC 3339 time such as 2026-11-23T09:15:00Z";
}

const struct wt_field heartbeat_fields[] = {
	{ .name = "at", .src = WT_SRC_BODY, .type = WT_T_STRING, .max = 64,
	  .check = check_time },
	{ .name = "idle", .src = WT_SRC_BODY, .type = WT_T_BOOL },
	{ .name = "duration_ms", .src = WT_SRC_BODY, .type = WT_T_INT, .min = 0,
	  .max = WT_SPAN_MAX_MS },
	{ .name = "window", .src = WT_SRC_BODY, .type = WT_T_JSON },
	{ .name = NULL }
};

/* The window's members, checked as a batch's span is: app required and
 * at most 256 bytes, title and url cut on a character boundary. */
static struct wt_err *
window_of(json_t *w, char **app, char **title, char **url)
{
	const char *names[3] = { "app", "title", "url" };
	const char *fields[3] = { "window.app", "window.title", "window.url" };
	char **out[3] = { app, title, url };

	if (!json_is_object(w))
		return wt_fail(400, "window", "window must be an object with app, title, url");
	for (int i = 0; i < 3; i++) {
		json_t *j = json_object_get(w, names[i]);
		size_t len;

		if (j == NULL || json_is_null(j)) {
			if (i == 0)
				return wt_fail(400, "window.app", "window.app is required");
			*out[i] = xstrdup("");
			continue;
		}
		if (!json_is_string(j))
			return wt_fail(400, fields[i], "%s must be a string", fields[i]);
		len = json_string_length(j);
		if (i == 0 && (len == 0 || len > WT_APP_MAX))
			return wt_fail(400, "window.app", "window.app must be 1 to 256 bytes");
		*out[i] = xstrndup(json_string_value(j), utf8_cut(json_string_value(j), len,
		    WT_TITLE_MAX));
	}
	return NULL;
}

static struct wt_err *
too_old(void)
{
	return wt_fail(400, "at", "at is older than the retention period");
}

/* The id of the heartbeat's window.  Most beats name a window the
 * worker has seen: the cache answers and the token is checked in the
 * beat's own statement.  On a miss the window is interned under the
 * device's hourly budget, which needs the device first (device_auth), and
 * a beat the statement would refuse as too old must not spend it. */
static struct wt_err *
window_id(struct wt_req *r, long long at, const char *app, const char *title, const char *url,
    char out[24])
{
	struct span sp = { .app = app, .title = title, .title_len = strlen(title), .url = url,
	    .url_len = strlen(url) };
	struct batch one = { .n = 1, .spans = &sp };
	long long fresh;
	int id;
	struct wt_err *e;

	if (wincache_get(app, title, sp.title_len, url, sp.url_len, &id) != 0) {
		if ((e = device_auth(r)) != NULL)
			return e;
		if (at < device_oldest_us(r->device, clock_real_us()))
			return too_old();
		if ((e = window_ids(r->device->id, &one, &id, &fresh)) != NULL)
			return e;
	}
	snprintf(out, 24, "%d", id);
	return NULL;
}

struct wt_err *
heartbeat_post(struct wt_req *r)
{
	char hash[65], now_s[24], at[24], dur[24], wid[24] = "";
	char *app = NULL, *title = NULL, *url = NULL;
	const char *params[6] = { hash, now_s, at, NULL, wid, dur };
	long long now = clock_real_us(), t = now;
	json_t *w = wt_json_field(r, "window");
	struct wt_err *e = NULL;
	PGresult *res;
	const char *result;

	if (wt_has(r, "at"))
		rfc3339_parse(wt_str(r, "at"), &t);
	if (t > now + WT_FUTURE_SLACK_US)
		return wt_fail(400, "at", "at is more than 5 minutes in the future; check the "
		    "device's clock");
	/* The span it makes ends at + duration_ms: no later than a batch's. */
	if (t + wt_int(r, "duration_ms", 0) * 1000 > now + WT_FUTURE_SLACK_US)
		return wt_fail(400, "duration_ms", "at + duration_ms is more than 5 minutes in "
		    "the future; check the device's clock");
	if (w != NULL && ((e = window_of(w, &app, &title, &url)) != NULL ||
	    (e = window_id(r, t, app, title, url, wid)) != NULL))
		goto out;
	sha256_hex(r->bearer, 64, hash);
	snprintf(now_s, sizeof(now_s), "%lld", now);
	snprintf(at, sizeof(at), "%lld", t);
	snprintf(dur, sizeof(dur), "%lld", wt_int(r, "duration_ms", 0));
	params[3] = wt_bool(r, "idle", 0) ? "true" : "false";
	if ((res = db_exec(ST_INGEST_HEARTBEAT, 6, params)) == NULL) {
		e = db_err();
		goto out;
	}
	result = PQntuples(res) == 1 ? PQgetvalue(res, 0, C_HB_RESULT) : NULL;
	if (result == NULL)
		e = device_token_refused();
	else if (strcmp(result, "too_old") == 0)
		e = too_old();
	else
		e = wt_json(r, 200, json_pack("{ss}", "result", result));
	PQclear(res);
out:
	free(app);
	free(title);
	free(url);
	return e;
}
