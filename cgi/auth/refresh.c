/* The widget's sign-in and refresh flow.  An access token (JWT) lives
 * token.ttl_seconds (15 minutes); the widget keeps a refresh token beside
 * it and trades it for a new pair before the access token expires, so the
 * person types the password once per sign-in, not every 15 minutes.
 *
 *   POST /api/v1/token {"email", "password", "refresh": true}
 *        -> {"access_token", "token_type", "expires_in", "refresh_token"}
 *   POST /api/v1/token/refresh {"refresh_token"}  -> a new pair
 *   POST /api/v1/token/revoke {"refresh_token"}   -> the widget's sign-out
 *
 * The widget's sign-in is a session of its own (web_sessions, kind
 * 'token', listed under /account/sessions) and both kinds of token belong
 * to it: it ends as a browser's session does (unused for
 * session.idle_minutes, session.max_hours after sign-in, "sign out
 * everywhere else", a password change or reset, ending it from the
 * sessions page), and every token of it ends with it.  A refresh token is
 * 256 random bits; only its SHA-256 is stored.  Each is spent once: a
 * refresh gives a new one.  One spent again within REFRESH_GRACE is
 * refused without harm (two tabs of the widget refreshing at the same
 * moment: the loser reads the winner's new token from the storage the
 * tabs share); spent again later, it was copied, and the session ends. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "conf.h"
#include "crypto.h"
#include "decode.h"
#include "jwt.h"
#include "log.h"

#define REFRESH_GRACE	"2 minutes"

const struct wt_field refresh_fields[] = {
	{ .name = "refresh_token", .src = WT_SRC_BODY, .type = WT_T_PASSWORD,
	  .flags = WT_REQUIRED, .min = 1, .max = 200 },
	{ .name = NULL }
};

/* A new pair for session sid as the answer (the caller commits). */
static struct wt_err *
pair_answer(struct wt_req *r, long long uid, long long version, const char *sid)
{
	long long ttl = wt_cfg.token_ttl_seconds;
	char token[65], hash[65];
	const char *params[2] = { hash, sid };
	PGresult *res;
	char *jwt;
	struct wt_err *e;

	if (random_token_hex(32, token) != 0)
		return wt_fail(500, NULL, "no randomness available");
	sha256_hex(token, strlen(token), hash);
	if ((res = db_exec(ST_AUTH_REFRESH_INSERT, 2, params)) == NULL)
		return db_err();
	PQclear(res);
	if ((jwt = jwt_issue(uid, version, atoll(sid), time(NULL), (long)ttl)) == NULL) {
		log_error("config", "secret is not set: access tokens cannot be issued");
		return wt_fail(500, NULL, "access tokens are not configured on this server");
	}
	e = wt_json(r, 200, json_pack("{ss ss sI ss}", "access_token", jwt, "token_type",
	    "Bearer", "expires_in", (json_int_t)ttl, "refresh_token", token));
	free(jwt);
	return e;
}

struct wt_err *
widget_sign_in(struct wt_req *r, long long uid)
{
	char raw[65], hash[65], id[24], hours[24], idle[24], sid[24];
	const char *ua = req_header(r, "HTTP_USER_AGENT");
	const char *params[6] = { hash, id, hours, r->remote_addr ? r->remote_addr : "",
	    ua != NULL && utf8_valid_str(ua) ? ua : "", idle };
	long long version;
	PGresult *res;
	struct wt_err *e;

	/* The session row is found by its id (in the tokens), never by
	 * this hash: a random one fills the column. */
	if (random_token_hex(32, raw) != 0)
		return wt_fail(500, NULL, "no randomness available");
	sha256_hex(raw, 64, hash);
	snprintf(id, sizeof(id), "%lld", uid);
	snprintf(hours, sizeof(hours), "%lld", wt_cfg.session_max_hours);
	snprintf(idle, sizeof(idle), "%lld", wt_cfg.session_idle_minutes);
	if (db_begin() != 0)
		return db_err();
	if ((res = db_exec(ST_AUTH_WIDGET_SESSION, 6, params)) == NULL)
		return db_err();
	snprintf(sid, sizeof(sid), "%s", PQgetvalue(res, 0, C_WS_ID));
	version = atoll(PQgetvalue(res, 0, C_WS_VERSION));
	PQclear(res);
	if ((e = pair_answer(r, uid, version, sid)) != NULL)
		return e;
	if (db_commit() != 0)
		return db_err();
	log_info("token", "user %lld signed the widget in (session %s)", uid, sid);
	return NULL;
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
	char hash[65], idle[24], sid[24];
	const char *params[3] = { hash, REFRESH_GRACE, idle };
	PGresult *res;
	const char *result;
	long long uid, ver;
	struct wt_err *e;

	sha256_hex(tok, strlen(tok), hash);
	snprintf(idle, sizeof(idle), "%lld", wt_cfg.session_idle_minutes);
	if (db_begin() != 0)
		return db_err();
	if ((res = db_exec(ST_AUTH_REFRESH_USE, 3, params)) == NULL)
		return db_err();
	result = PQgetvalue(res, 0, C_RU_RESULT);
	if (strcmp(result, "ok") != 0) {
		if (strcmp(result, "reused") == 0) {
			/* The session's end must stay: commit it, then refuse. */
			log_warn("token", "a spent refresh token was used again; its session "
			    "is ended");
			PQclear(res);
			if (db_commit() != 0)
				return db_err();
			return bad_refresh("this refresh token was already used; the widget's "
			    "sign-in is ended: sign in again");
		}
		e = strcmp(result, "just_used") == 0 ?
		    bad_refresh("this refresh token was just used by another tab; use the "
		    "newest one") :
		    bad_refresh("the widget's sign-in has ended (signed out, unused too long "
		    "or the password changed): sign in again");
		PQclear(res);
		return e;
	}
	uid = atoll(PQgetvalue(res, 0, C_RU_USER));
	ver = atoll(PQgetvalue(res, 0, C_RU_VERSION));
	snprintf(sid, sizeof(sid), "%s", PQgetvalue(res, 0, C_RU_SESSION));
	PQclear(res);
	if ((e = pair_answer(r, uid, ver, sid)) != NULL)
		return e;
	if (db_commit() != 0)
		return db_err();
	log_info("token", "refreshed the widget's tokens of user %lld", uid);
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
