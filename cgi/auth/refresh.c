/* The widget's refresh flow: an access token (JWT) lives
 * token.ttl_seconds (15 minutes); the widget keeps a refresh token
 * beside it and trades it for a new pair before the access token
 * expires, so the person types the password once per
 * token.refresh_days, not every 15 minutes.
 *
 *   POST /api/v1/token {"email", "password", "refresh": true}
 *        -> {"access_token", "expires_in", "refresh_token",
 *            "refresh_expires_in", ...}
 *   POST /api/v1/token/refresh {"refresh_token"}  -> a new pair
 *   POST /api/v1/token/revoke {"refresh_token"}   -> the widget's sign-out
 *
 * A refresh token is 256 random bits; only its SHA-256 is stored.  Each
 * is spent once: a refresh gives a new one in the same family.  One
 * spent again within REFRESH_GRACE is refused without harm (two tabs of
 * the widget refreshing at the same moment: the loser reads the
 * winner's new token from the shared storage); spent again later, it
 * was copied, and the whole family ends.  A refresh token carries the
 * person's token version, so a password change or reset ends it as it
 * ends the access tokens; a disabled account's tokens buy nothing; and
 * "sign out everywhere else" ends every refresh token of the person. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "conf.h"
#include "crypto.h"
#include "jwt.h"
#include "log.h"

#define REFRESH_GRACE	"2 minutes"

const struct wt_field refresh_fields[] = {
	{ .name = "refresh_token", .src = WT_SRC_BODY, .type = WT_T_PASSWORD,
	  .flags = WT_REQUIRED, .min = 1, .max = 200 },
	{ .name = NULL }
};

/* A new refresh token for uid in family (NULL: a new family), into the
 * answer ans. */
static struct wt_err *
refresh_issue(struct wt_req *r, long long uid, long long version, const char *family,
    json_t *ans)
{
	char token[65], hash[65], id[24], ver[24], days[24];
	const char *ua = req_header(r, "HTTP_USER_AGENT");
	const char *params[6] = { hash, family, id, ver, days, ua != NULL ? ua : "" };
	PGresult *res;

	if (random_token_hex(32, token) != 0)
		return wt_fail(500, NULL, "no randomness available");
	sha256_hex(token, strlen(token), hash);
	snprintf(id, sizeof(id), "%lld", uid);
	snprintf(ver, sizeof(ver), "%lld", version);
	snprintf(days, sizeof(days), "%lld", wt_cfg.token_refresh_days);
	if ((res = db_exec(ST_AUTH_REFRESH_INSERT, 6, params)) == NULL)
		return db_err();
	PQclear(res);
	json_object_set_new(ans, "refresh_token", json_string(token));
	json_object_set_new(ans, "refresh_expires_in",
	    json_integer((json_int_t)(wt_cfg.token_refresh_days * 86400)));
	return NULL;
}

struct wt_err *
token_answer(struct wt_req *r, long long uid, long long version, int with_refresh,
    const char *family)
{
	long long ttl = wt_cfg.token_ttl_seconds;
	char *token = jwt_issue(uid, version, time(NULL), (long)ttl);
	struct wt_err *e;
	json_t *ans;

	if (token == NULL) {
		log_error("config", "secret is not set: access tokens cannot be issued");
		return wt_fail(500, NULL, "access tokens are not configured on this server");
	}
	ans = json_pack("{ss ss sI}", "access_token", token, "token_type", "Bearer",
	    "expires_in", (json_int_t)ttl);
	free(token);
	if (with_refresh && (e = refresh_issue(r, uid, version, family, ans)) != NULL) {
		json_decref(ans);
		return e;
	}
	return wt_json(r, 200, ans);
}

static struct wt_err *
bad_refresh(const char *why)
{
	return err_header(wt_fail(401, "refresh_token", "%s", why), "WWW-Authenticate",
	    "Bearer error=\"invalid_token\"");
}

struct wt_err *
token_refresh_post(struct wt_req *r)
{
	const char *tok = wt_str(r, "refresh_token");
	char hash[65];
	const char *params[2] = { hash, REFRESH_GRACE };
	PGresult *res;
	const char *result;
	long long uid, ver;
	char family[24];
	struct wt_err *e;

	sha256_hex(tok, strlen(tok), hash);
	if (db_begin() != 0)
		return db_err();
	if ((res = db_exec(ST_AUTH_REFRESH_USE, 2, params)) == NULL)
		return db_err();
	result = PQgetvalue(res, 0, C_RU_RESULT);
	if (strcmp(result, "ok") != 0) {
		if (strcmp(result, "reused") == 0) {
			/* The family's end must stay: commit it, then refuse. */
			log_warn("token", "a spent refresh token was used again; its family "
			    "is revoked");
			PQclear(res);
			if (db_commit() != 0)
				return db_err();
			return bad_refresh("this refresh token was already used; every token "
			    "of this sign-in is revoked: sign in again");
		}
		e = strcmp(result, "just_used") == 0 ?
		    bad_refresh("this refresh token was just used by another tab; use the "
		    "newest one") :
		    bad_refresh("the refresh token is unknown, expired or revoked: sign in "
		    "again");
		PQclear(res);
		return e;
	}
	uid = atoll(PQgetvalue(res, 0, C_RU_USER));
	ver = atoll(PQgetvalue(res, 0, C_RU_VERSION));
	snprintf(family, sizeof(family), "%s", PQgetvalue(res, 0, C_RU_FAMILY));
	PQclear(res);
	if ((e = token_answer(r, uid, ver, 1, family)) != NULL)
		return e;
	if (db_commit() != 0)
		return db_err();
	log_info("token", "refreshed the tokens of user %lld", uid);
	return NULL;
}

struct wt_err *
token_revoke_post(struct wt_req *r)
{
	const char *tok = wt_str(r, "refresh_token");
	char hash[65];
	const char *p = hash;
	long long n;

	sha256_hex(tok, strlen(tok), hash);
	if ((n = db_exec_count(ST_AUTH_REFRESH_REVOKE, 1, &p)) < 0)
		return db_err();
	return wt_json(r, 200, json_pack("{sb}", "revoked", n > 0));
}
