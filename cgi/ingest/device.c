/* Device authentication and the enrollment exchange. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "crypto.h"
#include "ingest.h"
#include "log.h"

static struct wt_err *
unauthorised(const char *challenge, const char *msg)
{
	return err_header(wt_fail(401, NULL, "%s", msg), "WWW-Authenticate", challenge);
}

struct wt_err *
device_token_shape(struct wt_req *r)
{
	if (r->bearer == NULL || strlen(r->bearer) != 64)
		return unauthorised("Bearer realm=\"device\"",
		    "send the device token: Authorization: Bearer <token>");
	return NULL;
}

struct wt_err *
device_token_refused(void)
{
	return unauthorised("Bearer realm=\"device\", error=\"invalid_token\"",
	    "this device token is not valid (revoked or unknown)");
}

long long
device_oldest_us(const struct wt_device *d, long long now_us)
{
	return now_us - d->retention_days * 86400LL * 1000000LL;
}

struct wt_err *
device_auth_hash(struct wt_req *r, const char *hash)
{
	struct wt_device *d;
	PGresult *res;

	if ((res = db_exec(ST_INGEST_DEVICE_BY_TOKEN, 1, &hash)) == NULL)
		return db_err();
	if (PQntuples(res) != 1) {
		PQclear(res);
		return device_token_refused();
	}
	d = xcalloc(1, sizeof(*d));
	d->id = atoll(PQgetvalue(res, 0, C_DEV_ID));
	d->user_id = atoll(PQgetvalue(res, 0, C_DEV_USER));
	d->kind = xstrdup(PQgetvalue(res, 0, C_DEV_KIND));
	d->name = xstrdup(PQgetvalue(res, 0, C_DEV_NAME));
	d->retention_days = atoll(PQgetvalue(res, 0, C_DEV_RETENTION));
	memcpy(d->token_hash, hash, sizeof(d->token_hash));
	r->device = d;
	if (strcmp(PQgetvalue(res, 0, C_DEV_STALE), "t") == 0)
		device_seen(d->id);
	PQclear(res);
	return NULL;
}

void
device_seen(long long id)
{
	char buf[24];
	const char *p = buf;
	PGresult *res;

	/* Last-seen is presence, not data: a failed update costs nothing
	 * but its precision. */
	snprintf(buf, sizeof(buf), "%lld", id);
	if ((res = db_exec(ST_INGEST_DEVICE_SEEN, 1, &p)) != NULL)
		PQclear(res);
}

struct wt_err *
device_auth(struct wt_req *r)
{
	char hash[65];
	struct wt_err *e;

	if ((e = device_token_shape(r)) != NULL)
		return e;
	sha256_hex(r->bearer, 64, hash);
	return device_auth_hash(r, hash);
}

/* Codes are typed by people: case, dashes and spaces do not matter, and
 * the letters Crockford's base32 leaves out read as the digits they look
 * like (I, L -> 1; O -> 0).  NULL for anything that is not 16 symbols. */
static const char *
normalise_code(const char *in, char out[17])
{
	static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	size_t n = 0;

	for (const char *p = in; *p; p++) {
		char c = (char)toupper((unsigned char)*p);

		if (c == '-' || c == ' ')
			continue;
		if (c == 'I' || c == 'L')
			c = '1';
		else if (c == 'O')
			c = '0';
		if (strchr(alphabet, c) == NULL || c == '\0' || n >= 16)
			return NULL;
		out[n++] = c;
	}
	out[n] = '\0';
	return n == 16 ? out : NULL;
}

static const char *
check_code(const char *s)
{
	char tmp[17];

	return normalise_code(s, tmp) ? NULL : "must be the 16-character code, like 7K3Q-M9XD-2PWH-A4TC";
}

const struct wt_field enroll_fields[] = {
	{ .name = "code", .src = WT_SRC_BODY, .type = WT_T_STRING, .flags = WT_REQUIRED,
	  .max = 32, .check = check_code },
	{ .name = "hostname", .src = WT_SRC_BODY, .type = WT_T_STRING, .max = 255 },
	{ .name = "os", .src = WT_SRC_BODY, .type = WT_T_STRING, .max = 100 },
	{ .name = "agent_version", .src = WT_SRC_BODY, .type = WT_T_STRING, .max = 50 },
	{ .name = NULL }
};

static const char *
opt(struct wt_req *r, const char *name)
{
	const char *s = wt_str(r, name);

	return s ? s : "";
}

/* The one-time code for a device token.  The code's row carries the
 * person, the kind and the device's name as the admin typed it (any
 * length, any script): they are copied as they are, never into a fixed
 * buffer. */
struct wt_err *
enroll_post(struct wt_req *r)
{
	char code[17], hash[65], token[65], token_hash[65], secret[65] = "";
	char *code_id = NULL, *user_id = NULL, *kind = NULL, *name = NULL, *device_id = NULL;
	const char *params[8];
	struct wt_err *e = NULL;
	PGresult *res;

	normalise_code(wt_str(r, "code"), code);
	sha256_hex(code, 16, hash);
	if (db_begin() != 0)
		return db_err();
	params[0] = hash;
	if ((res = db_exec(ST_INGEST_CODE_SPEND, 1, params)) == NULL)
		return db_err();
	if (PQntuples(res) != 1) {
		PQclear(res);
		db_rollback();
		return wt_fail(400, "code", "this code is not valid: it may be mistyped, used, "
		    "revoked or expired; ask for a new one");
	}
	code_id = xstrdup(PQgetvalue(res, 0, C_CODE_ID));
	user_id = xstrdup(PQgetvalue(res, 0, C_CODE_USER));
	kind = xstrdup(PQgetvalue(res, 0, C_CODE_KIND));
	name = xstrdup(PQgetvalue(res, 0, C_CODE_NAME));
	PQclear(res);
	if (random_token_hex(32, token) != 0 ||
	    (strcmp(kind, "phone") == 0 && random_token_hex(32, secret) != 0)) {
		e = wt_fail(500, NULL, "no randomness available");
		goto out;
	}
	sha256_hex(token, 64, token_hash);
	params[0] = user_id;
	params[1] = kind;
	params[2] = name;
	params[3] = opt(r, "hostname");
	params[4] = opt(r, "os");
	params[5] = opt(r, "agent_version");
	params[6] = token_hash;
	params[7] = secret;
	if ((res = db_exec(ST_INGEST_DEVICE_INSERT, 8, params)) == NULL) {
		e = db_err();
		goto out;
	}
	device_id = xstrdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	params[0] = code_id;
	params[1] = device_id;
	if ((res = db_exec(ST_INGEST_CODE_DEVICE, 2, params)) == NULL) {
		e = db_err();
		goto out;
	}
	PQclear(res);
	if (db_commit() != 0) {
		e = db_err();
		goto out;
	}
	log_info("enroll", "device %s (%s) enrolled for user %s", device_id, kind, user_id);
	/* The token is shown this once; the server keeps only its hash. */
	e = wt_json(r, 201, json_pack("{sI ss ss ss ss}",
	    "device_id", (json_int_t)atoll(device_id), "name", name, "kind", kind,
	    "token", token, "hmac_secret", secret));
out:
	OPENSSL_cleanse(token, sizeof(token));
	OPENSSL_cleanse(secret, sizeof(secret));
	free(code_id);
	free(user_id);
	free(kind);
	free(name);
	free(device_id);
	return e;
}

/* The policy an agent polls every few minutes: idle timeout, upload and
 * heartbeat intervals, title exclusion patterns and the screenshot
 * schedule.  Its ETag is a hash of the answer, so a poll that changed
 * nothing costs a 304 and no body. */
struct wt_err *
agent_config(struct wt_req *r)
{
	const struct wt_device *d = r->device;
	const char *inm = req_header(r, "HTTP_IF_NONE_MATCH");
	json_t *body, *exclude;
	char *text, hash[65], etag[40];
	PGresult *res;
	struct wt_err *e;

	if ((res = db_exec(ST_INGEST_AGENT_SETTINGS, 0, NULL)) == NULL)
		return db_err();
	exclude = json_loads(PQgetvalue(res, 0, C_SET_TITLE_EXCLUDE), 0, NULL);
	body = json_pack("{s{sI ss} sI sI sI sI sI so s{ss sI sI sI sb}}",
	    "device", "id", (json_int_t)d->id, "name", d->name,
	    "idle_timeout_s", (json_int_t)atoll(PQgetvalue(res, 0, C_SET_IDLE)),
	    "poll_interval_s", (json_int_t)300,
	    "upload_interval_s", (json_int_t)atoll(PQgetvalue(res, 0, C_SET_UPLOAD_S)),
	    "heartbeat_interval_s", (json_int_t)atoll(PQgetvalue(res, 0, C_SET_HEARTBEAT_S)),
	    "pulsetime_s", (json_int_t)atoll(PQgetvalue(res, 0, C_SET_PULSETIME_S)),
	    "title_exclude", exclude != NULL ? exclude : json_array(),
	    "screenshots", "mode", PQgetvalue(res, 0, C_SET_SHOT_MODE),
	    "interval_min", (json_int_t)atoll(PQgetvalue(res, 0, C_SET_SHOT_INTERVAL)),
	    "from_hour", (json_int_t)atoll(PQgetvalue(res, 0, C_SET_SHOT_FROM)),
	    "to_hour", (json_int_t)atoll(PQgetvalue(res, 0, C_SET_SHOT_TO)),
	    "blur", strcmp(PQgetvalue(res, 0, C_SET_SHOT_BLUR), "t") == 0);
	PQclear(res);
	if (body == NULL || (text = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS)) == NULL) {
		json_decref(body);
		return wt_fail(500, NULL, "the policy could not be written");
	}
	sha256_hex(text, strlen(text), hash);
	free(text);
	snprintf(etag, sizeof(etag), "\"%.32s\"", hash);
	resp_set_header(r, "ETag", etag);
	if (inm != NULL && strstr(inm, etag) != NULL) {
		json_decref(body);
		return wt_empty(r, 304);
	}
	e = wt_json(r, 200, body);
	return e;
}
