/* POST /api/v1/screenshots?seq=N&taken_at=RFC3339&blurred=true|false
 * with the image as the body (image/png or image/jpeg, at most
 * screenshots.max_bytes), and
 * POST /api/v1/screenshots/:seq/thumbnail with its thumbnail (at most
 * 320 pixels wide), sent after the image.
 *
 * Nothing is stored unless the organisation takes screenshots (403), and
 * an unblurred one is refused while the policy asks for blur (403).  The
 * image is checked from its bytes before anything else (imgcheck.h), so
 * a file that is not what it says gets a 400 and touches nothing.
 * Uploads are idempotent like batches: (device, seq) is stored once; the
 * same upload again is answered 200 with the same body, the same seq
 * with another image is a 409, one the person deleted a 410.  The file goes into the content-addressed
 * store (shotstore.h), where the same image is one file however often it
 * is sent. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "batch.h"
#include "clock.h"
#include "conf.h"
#include "crypto.h"
#include "imgcheck.h"
#include "ingest.h"
#include "log.h"
#include "shotstore.h"

/* A thumbnail is at most this wide (and a sliver at most 4 times as tall). */
#define THUMB_MAX_WIDTH		320
#define THUMB_MAX_PIXELS	(320ULL * 1280)

static const char *
check_time(const char *s)
{
	long long us;

	return rfc3339_parse(s, &us) == 0 ? NULL :
	    "must be an RFC 3339 time such as 2026-11-23T09:15:00Z";
}

const struct wt_field screenshot_fields[] = {
	{ .name = "seq", .src = WT_SRC_QUERY, .type = WT_T_INT, .flags = WT_REQUIRED,
	  .min = 0, .max = 1LL << 53 },
	{ .name = "taken_at", .src = WT_SRC_QUERY, .type = WT_T_STRING, .flags = WT_REQUIRED,
	  .max = 64, .check = check_time },
	{ .name = "blurred", .src = WT_SRC_QUERY, .type = WT_T_BOOL, .flags = WT_REQUIRED },
	{ .name = NULL }
};

const struct wt_field thumbnail_fields[] = {
	{ .name = "seq", .src = WT_SRC_PATH, .type = WT_T_INT, .flags = WT_REQUIRED,
	  .min = 0, .max = 1LL << 53 },
	{ .name = NULL }
};

/* The organisation's policy: 403 when it takes no screenshots, or takes
 * them blurred and this one is not. */
static struct wt_err *
policy_allows(int blurred)
{
	PGresult *res = db_exec(ST_INGEST_AGENT_SETTINGS, 0, NULL);
	struct wt_err *e = NULL;

	if (res == NULL)
		return db_err();
	if (strcmp(PQgetvalue(res, 0, C_SET_SHOT_MODE), "off") == 0)
		e = wt_fail(403, NULL, "the organisation's policy takes no screenshots; "
		    "nothing was stored");
	else if (blurred == 0 && strcmp(PQgetvalue(res, 0, C_SET_SHOT_BLUR), "t") == 0)
		e = wt_fail(403, "blurred", "the organisation's policy asks for blurred "
		    "screenshots; an unblurred one is not stored");
	PQclear(res);
	return e;
}

static json_t *
file_json(PGresult *res, int sha, int mime, int bytes, int w, int h)
{
	if (PQgetisnull(res, 0, sha))
		return json_null();
	return json_pack("{ss ss sI sI sI}", "sha256", PQgetvalue(res, 0, sha),
	    "mime", PQgetvalue(res, 0, mime),
	    "bytes", (json_int_t)atoll(PQgetvalue(res, 0, bytes)),
	    "width", (json_int_t)atoll(PQgetvalue(res, 0, w)),
	    "height", (json_int_t)atoll(PQgetvalue(res, 0, h)));
}

/* The stored screenshot (device, seq), or NULL in *out when there is
 * none; 410 when the person deleted it. */
static struct wt_err *
find(const struct wt_req *r, const char *seq, PGresult **out)
{
	char dev[32];
	const char *params[2] = { dev, seq };
	int gone;

	snprintf(dev, sizeof(dev), "%lld", r->device->id);
	if ((*out = db_exec(ST_INGEST_SHOT_FIND, 2, params)) == NULL)
		return db_err();
	if (PQntuples(*out) > 0)
		return NULL;
	PQclear(*out);
	*out = NULL;
	if ((*out = db_exec(ST_INGEST_SHOT_TOMBSTONE, 2, params)) == NULL)
		return db_err();
	gone = PQntuples(*out) > 0;
	PQclear(*out);
	*out = NULL;
	if (gone)
		return wt_fail(410, "seq", "the person deleted screenshot %s of this device; "
		    "it is not stored again", seq);
	return NULL;
}

/* Every answer about a screenshot, first or repeated, is this. */
static struct wt_err *
answer(struct wt_req *r, int status, PGresult *res)
{
	json_t *body = json_pack("{sI sI ss sb so so so}",
	    "id", (json_int_t)atoll(PQgetvalue(res, 0, C_SHOT_ID)),
	    "seq", (json_int_t)atoll(PQgetvalue(res, 0, C_SHOT_SEQ)),
	    "taken_at", PQgetvalue(res, 0, C_SHOT_TAKEN),
	    "blurred", strcmp(PQgetvalue(res, 0, C_SHOT_BLURRED), "t") == 0,
	    "image", file_json(res, C_SHOT_SHA, C_SHOT_MIME, C_SHOT_BYTES, C_SHOT_W, C_SHOT_H),
	    "thumbnail", file_json(res, C_SHOT_THUMB_SHA, C_SHOT_THUMB_MIME, C_SHOT_THUMB_BYTES,
	    C_SHOT_THUMB_W, C_SHOT_THUMB_H),
	    "window_id", PQgetisnull(res, 0, C_SHOT_WINDOW) ? json_null() :
	    json_integer(atoll(PQgetvalue(res, 0, C_SHOT_WINDOW))));

	PQclear(res);
	return wt_json(r, status, body);
}

/* Under the hash's lock: the file in the store and its row. */
static struct wt_err *
store_file(const char *sha, const struct wt_req *r, const struct img_info *img)
{
	char bytes[24], w[24], h[24];
	const char *params[5] = { sha, img->mime, bytes, w, h };
	struct wt_err *e;
	PGresult *res;
	int existed;

	if ((e = shots_lock(sha)) != NULL ||
	    (e = shots_put(sha, img->ext, r->body, r->body_len, &existed)) != NULL)
		return e;
	snprintf(bytes, sizeof(bytes), "%zu", r->body_len);
	snprintf(w, sizeof(w), "%lu", img->width);
	snprintf(h, sizeof(h), "%lu", img->height);
	if ((res = db_exec(ST_SHOTS_FILE_ADD, 5, params)) == NULL)
		return db_err();
	PQclear(res);
	return NULL;
}

/* The same seq again: the same image is answered as it was stored, any
 * other is a conflict. */
static struct wt_err *
again(struct wt_req *r, PGresult *res, const char *sha, int col, const char *what)
{
	if (!PQgetisnull(res, 0, col) && strcmp(PQgetvalue(res, 0, col), sha) == 0)
		return answer(r, 200, res);
	PQclear(res);
	return wt_fail(409, "seq", "this device already sent %s %s with a different image",
	    what, wt_str(r, "seq"));
}

struct wt_err *
screenshot_post(struct wt_req *r)
{
	const char *seq = wt_str(r, "seq");
	int blurred = wt_bool(r, "blurred", 0);
	struct img_rules rules = { (unsigned long long)wt_cfg.screenshots_max_pixels, 0 };
	struct img_info img;
	long long taken, now = clock_real_us();
	char sha[65], dev[32], user[32], t[32];
	const char *params[6] = { dev, user, seq, t, blurred ? "true" : "false", sha };
	PGresult *res;
	struct wt_err *e;

	if ((e = policy_allows(blurred)) != NULL)
		return e;
	rfc3339_parse(wt_str(r, "taken_at"), &taken);
	if (taken > now + WT_FUTURE_SLACK_US)
		return wt_fail(400, "taken_at", "taken_at is in the future");
	if (taken < device_oldest_us(r->device, now))
		return wt_fail(400, "taken_at", "taken_at is older than the retention period "
		    "(%lld days)", r->device->retention_days);
	if ((e = img_check((const unsigned char *)r->body, r->body_len, r->content_type, &rules,
	    &img)) != NULL)
		return e;
	sha256_hex(r->body, r->body_len, sha);
	if ((e = find(r, seq, &res)) != NULL)
		return e;
	if (res != NULL)
		return again(r, res, sha, C_SHOT_SHA, "screenshot");

	snprintf(dev, sizeof(dev), "%lld", r->device->id);
	snprintf(user, sizeof(user), "%lld", r->device->user_id);
	snprintf(t, sizeof(t), "%lld", taken);
	if (db_begin() != 0)
		return db_err();
	if ((e = store_file(sha, r, &img)) != NULL)
		return e;
	if ((res = db_exec(ST_INGEST_SHOT_INSERT, 6, params)) == NULL)
		return db_err();
	if (PQntuples(res) == 0) {
		/* The same seq, sent twice at once: the other one stored it. */
		PQclear(res);
		db_rollback();
		if ((e = find(r, seq, &res)) != NULL)
			return e;
		if (res == NULL)
			return wt_fail(503, NULL, "the screenshot could not be stored; send it again");
		return again(r, res, sha, C_SHOT_SHA, "screenshot");
	}
	PQclear(res);
	if (db_commit() != 0)
		return db_err();
	log_info("screenshot", "device %lld stored screenshot %s (%lux%lu %s, %zu bytes%s)",
	    r->device->id, seq, img.width, img.height, img.ext, r->body_len,
	    blurred ? ", blurred" : "");
	if ((e = find(r, seq, &res)) != NULL)
		return e;
	if (res == NULL)
		return wt_fail(500, NULL, "the screenshot was stored and then not found");
	return answer(r, 201, res);
}

struct wt_err *
thumbnail_post(struct wt_req *r)
{
	const char *seq = wt_str(r, "seq");
	struct img_rules rules = { THUMB_MAX_PIXELS, THUMB_MAX_WIDTH };
	struct img_info img;
	char sha[65], dev[32];
	const char *params[3] = { dev, seq, sha };
	PGresult *res;
	struct wt_err *e;

	if ((e = policy_allows(-1)) != NULL)
		return e;
	if ((e = img_check((const unsigned char *)r->body, r->body_len, r->content_type, &rules,
	    &img)) != NULL)
		return e;
	sha256_hex(r->body, r->body_len, sha);
	if ((e = find(r, seq, &res)) != NULL)
		return e;
	if (res == NULL)
		return wt_fail(404, "seq", "this device has sent no screenshot %s; send the image "
		    "before its thumbnail", seq);
	if (!PQgetisnull(res, 0, C_SHOT_THUMB_SHA))
		return again(r, res, sha, C_SHOT_THUMB_SHA, "the thumbnail of screenshot");
	PQclear(res);

	snprintf(dev, sizeof(dev), "%lld", r->device->id);
	if (db_begin() != 0)
		return db_err();
	if ((e = store_file(sha, r, &img)) != NULL)
		return e;
	if ((res = db_exec(ST_INGEST_SHOT_THUMB, 3, params)) == NULL)
		return db_err();
	if (PQntuples(res) == 0) {
		/* Another thumbnail came first, or the screenshot was deleted. */
		PQclear(res);
		db_rollback();
		if ((e = find(r, seq, &res)) != NULL)
			return e;
		if (res == NULL)
			return wt_fail(404, "seq", "this device has no screenshot %s", seq);
		return again(r, res, sha, C_SHOT_THUMB_SHA, "the thumbnail of screenshot");
	}
	PQclear(res);
	if (db_commit() != 0)
		return db_err();
	if ((e = find(r, seq, &res)) != NULL)
		return e;
	if (res == NULL)
		return wt_fail(404, "seq", "this device has no screenshot %s", seq);
	return answer(r, 201, res);
}
