/* POST /api/v1/heartbeat: presence, and optionally the window in front,
 * merged into the device's open span with ActivityWatch's pulsetime rule
 * (device_heartbeat in sql/005).  The hot path: the device check and one
 * statement, no transaction beyond the merge's own.
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
#include "decode.h"
#include "ingest.h"

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

/* A heartbeat older than the open span is a late one: it is stored as a
 * span of its own, trimmed against what is stored, as a batch would be. */
static struct wt_err *
store_late(const char *dev, const char *at, const char *dur, const char *window_id,
    const char *idle)
{
	const char *params[5] = { dev, at, dur, window_id, idle };
	PGresult *res = db_exec(ST_INGEST_STORE_SPAN, 5, params);

	if (res == NULL)
		return db_err();
	PQclear(res);
	return NULL;
}

/* The id of the heartbeat's window, through the same cache as batches. */
static struct wt_err *
window_id(long long device, const char *app, const char *title, const char *url, char out[24])
{
	struct span sp = { .app = app, .title = title, .title_len = strlen(title), .url = url,
	    .url_len = strlen(url) };
	struct batch one = { .n = 1, .spans = &sp };
	long long fresh;
	int id;
	struct wt_err *e;

	if ((e = window_ids(device, &one, &id, &fresh)) != NULL)
		return e;
	snprintf(out, 24, "%d", id);
	return NULL;
}

struct wt_err *
heartbeat_post(struct wt_req *r)
{
	char dev[24], at[24], dur[24], wid[24] = "", *app = NULL, *title = NULL, *url = NULL;
	const char *params[5];
	long long t = clock_real_us(), oldest;
	json_t *w = wt_json_field(r, "window");
	struct wt_err *e = NULL;
	PGresult *res;
	const char *result;

	if (wt_has(r, "at"))
		rfc3339_parse(wt_str(r, "at"), &t);
	oldest = clock_real_us() - r->device->retention_days * 86400LL * 1000000LL;
	if (t > clock_real_us() + WT_FUTURE_SLACK_US)
		return wt_fail(400, "at", "at is more than 5 minutes in the future; check the "
		    "device's clock");
	if (t < oldest)
		return wt_fail(400, "at", "at is older than the retention period");
	/* The span it makes ends at + duration_ms: no later than a batch's. */
	if (t + wt_int(r, "duration_ms", 0) * 1000 > clock_real_us() + WT_FUTURE_SLACK_US)
		return wt_fail(400, "duration_ms", "at + duration_ms is more than 5 minutes in "
		    "the future; check the device's clock");
	if (w != NULL && ((e = window_of(w, &app, &title, &url)) != NULL ||
	    (e = window_id(r->device->id, app, title, url, wid)) != NULL))
		goto out;
	snprintf(dev, sizeof(dev), "%lld", r->device->id);
	snprintf(at, sizeof(at), "%lld", t);
	snprintf(dur, sizeof(dur), "%lld", wt_int(r, "duration_ms", 0));
	params[0] = dev;
	params[1] = at;
	params[2] = wt_bool(r, "idle", 0) ? "true" : "false";
	params[3] = wid;
	params[4] = dur;
	if ((res = db_exec(ST_INGEST_HEARTBEAT, 5, params)) == NULL) {
		e = db_err();
		goto out;
	}
	result = PQgetvalue(res, 0, C_HB_RESULT);
	if (strcmp(result, "out_of_order") == 0 && wid[0] != '\0' &&
	    (e = store_late(dev, at, dur, wid, params[2])) != NULL) {
		PQclear(res);
		goto out;
	}
	e = wt_json(r, 200, json_pack("{ss}", "result", result));
	PQclear(res);
out:
	free(app);
	free(title);
	free(url);
	return e;
}
