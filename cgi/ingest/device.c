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

int
device_auth(struct wt_req *r, struct device *d)
{
	char hash[65];
	const char *p = hash;
	PGresult *res;

	if (r->bearer == NULL || strlen(r->bearer) != 64) {
		resp_set_header(r, "WWW-Authenticate", "Bearer realm=\"device\"");
		wt_error(r, 401, NULL, "send the device token: Authorization: Bearer <token>");
		return -1;
	}
	sha256_hex(r->bearer, 64, hash);
	if ((res = db_exec("ingest_device_by_token", 1, &p)) == NULL) {
		db_unavailable(r);
		return -1;
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		resp_set_header(r, "WWW-Authenticate", "Bearer realm=\"device\", error=\"invalid_token\"");
		wt_error(r, 401, NULL, "this device token is not valid (revoked or unknown)");
		return -1;
	}
	d->id = atoll(PQgetvalue(res, 0, 0));
	d->user_id = atoll(PQgetvalue(res, 0, 1));
	snprintf(d->kind, sizeof(d->kind), "%s", PQgetvalue(res, 0, 2));
	snprintf(d->name, sizeof(d->name), "%s", PQgetvalue(res, 0, 3));
	if (strcmp(PQgetvalue(res, 0, 4), "t") == 0) {
		const char *id = PQgetvalue(res, 0, 0);
		PGresult *t = db_exec("ingest_device_seen", 1, &id);

		if (t != NULL)
			PQclear(t);
	}
	PQclear(res);
	return 0;
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

void
enroll_post(struct wt_req *r)
{
	char code[17], hash[65], token[65], token_hash[65], secret[65] = "";
	char code_id[32], user_id[32], kind[8], name[104], device_id[32];
	const char *params[8];
	PGresult *res;

	normalise_code(wt_str(r, "code"), code);
	sha256_hex(code, 16, hash);
	if (db_begin() != 0) {
		db_unavailable(r);
		return;
	}
	params[0] = hash;
	if ((res = db_exec("ingest_code_spend", 1, params)) == NULL) {
		db_unavailable(r);
		return;
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		db_rollback();
		wt_error(r, 400, "code", "this code is not valid: it may be mistyped, used, "
		    "revoked or expired; ask for a new one");
		return;
	}
	snprintf(code_id, sizeof(code_id), "%s", PQgetvalue(res, 0, 0));
	snprintf(user_id, sizeof(user_id), "%s", PQgetvalue(res, 0, 1));
	snprintf(kind, sizeof(kind), "%s", PQgetvalue(res, 0, 2));
	snprintf(name, sizeof(name), "%s", PQgetvalue(res, 0, 3));
	PQclear(res);
	if (random_token_hex(32, token) != 0 ||
	    (strcmp(kind, "phone") == 0 && random_token_hex(32, secret) != 0)) {
		db_unavailable(r);
		return;
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
	if ((res = db_exec("ingest_device_insert", 8, params)) == NULL) {
		db_unavailable(r);
		return;
	}
	snprintf(device_id, sizeof(device_id), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	params[0] = code_id;
	params[1] = device_id;
	if ((res = db_exec("ingest_code_device", 2, params)) == NULL || db_commit() != 0) {
		if (res != NULL)
			PQclear(res);
		db_unavailable(r);
		return;
	}
	PQclear(res);
	log_info("enroll", "device %s (%s) enrolled for user %s", device_id, kind, user_id);
	/* The token is shown this once; the server keeps only its hash. */
	wt_json(r, 201, json_pack("{sI ss ss ss ss}", "device_id", (json_int_t)atoll(device_id),
	    "name", name, "kind", kind, "token", token, "hmac_secret", secret));
	OPENSSL_cleanse(token, sizeof(token));
	OPENSSL_cleanse(secret, sizeof(secret));
}

/* The policy an agent polls: idle timeout and the screenshot schedule. */
void
agent_config(struct wt_req *r)
{
	struct device d;
	PGresult *res;

	if (device_auth(r, &d) != 0)
		return;
	if ((res = db_exec("ingest_agent_settings", 0, NULL)) == NULL) {
		db_unavailable(r);
		return;
	}
	wt_json(r, 200, json_pack("{s{sI ss} sI si s{ss sI sI sI sb}}",
	    "device", "id", (json_int_t)d.id, "name", d.name,
	    "idle_timeout_s", (json_int_t)atoll(PQgetvalue(res, 0, 0)),
	    "poll_interval_s", 300,
	    "screenshots", "mode", PQgetvalue(res, 0, 1),
	    "interval_min", (json_int_t)atoll(PQgetvalue(res, 0, 2)),
	    "from_hour", (json_int_t)atoll(PQgetvalue(res, 0, 3)),
	    "to_hour", (json_int_t)atoll(PQgetvalue(res, 0, 4)),
	    "blur", strcmp(PQgetvalue(res, 0, 5), "t") == 0));
	PQclear(res);
}
