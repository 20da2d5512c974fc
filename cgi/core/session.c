#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/crypto.h>

#include "conf.h"
#include "crypto.h"
#include "decode.h"
#include "jwt.h"
#include "log.h"
#include "session.h"
#include "user.h"
#include "view.h"

/* ST_SESSION_LOOKUP's columns: the session, whether to touch it, then
 * the user (USER_COLUMNS). */
enum { C_LOOKUP_ID, C_LOOKUP_STALE, C_LOOKUP_USER };

static const struct wt_stmt session_stmts[] = {
	STMT(ST_SESSION_LOOKUP) = { "session_lookup",
	  "SELECT s.id, s.last_seen_at < now() - interval '60 seconds', " USER_COLUMNS
	  " FROM web_sessions s JOIN users u ON u.id = s.user_id"
	  " WHERE s.token_hash = $1 AND s.kind = 'browser' AND s.expires_at > now()"
	  " AND s.last_seen_at > now() - make_interval(mins => $2::int)"
	  " AND u.status = 'active'", 2, 1 },
	STMT(ST_SESSION_TOUCH) = { "session_touch",
	  "UPDATE web_sessions SET last_seen_at = now() WHERE id = $1", 1, 0 },
	STMT(ST_SESSION_CREATE) = { "session_create",
	  "INSERT INTO web_sessions (token_hash, user_id, expires_at, ip, user_agent)"
	  " VALUES ($1, $2, now() + make_interval(hours => $3::int), $4, left($5, 300))"
	  " RETURNING id", 5, 0 },
	STMT(ST_SESSION_DELETE) = { "session_delete",
	  "DELETE FROM web_sessions WHERE id = $1", 1, 0 },
	STMT(ST_SESSION_DELETE_TOKEN) = { "session_delete_token",
	  "DELETE FROM web_sessions WHERE token_hash = $1", 1, 0 },
	STMT(ST_SESSION_EXPIRE) = { "session_expire",
	  "DELETE FROM web_sessions WHERE user_id = $1 AND (expires_at < now()"
	  " OR last_seen_at < now() - make_interval(mins => $2::int))", 2, 0 },
	/* An access token lives as long as its session: ended by sign-out,
	 * "sign out everywhere else", a password change, or its time. */
	STMT(ST_SESSION_TOKEN_USER) = { "session_token_user",
	  "SELECT " USER_COLUMNS " FROM users u JOIN web_sessions s ON s.user_id = u.id"
	  " WHERE u.id = $1 AND u.status = 'active' AND u.token_version = $2"
	  " AND s.id = $3 AND s.expires_at > now()", 3, 1 },
	/* A session of its own for an access token given to a script. */
	STMT(ST_SESSION_TOKEN_CREATE) = { "session_token_create",
	  "INSERT INTO web_sessions (token_hash, user_id, expires_at, ip, user_agent, kind)"
	  " VALUES ($1, $2, now() + make_interval(secs => $3::int), $4, left($5, 300),"
	  " 'token') RETURNING id", 5, 0 },
	STMT(ST_SESSION_USER_VERSION) = { "session_user_version",
	  "SELECT token_version FROM users WHERE id = $1", 1, 1 },
};

int
session_register(void)
{
	return db_register(WT_SLOT_SESSION, (struct wt_stmt_table)WT_STMT_TABLE(session_stmts));
}

/* Cookie tokens are 64 lowercase hex digits; anything else is ignored
 * before it reaches the database. */
static int
token_shape_ok(const char *t)
{
	if (t == NULL || strlen(t) != 64)
		return 0;
	for (const char *p = t; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return 0;
	return 1;
}

static char *
csrf_for(const char *cookie_token)
{
	unsigned char key[32], mac[32];

	if (secret_key("csrf", key) != 0)
		return NULL;
	hmac_sha256(key, sizeof(key), cookie_token, strlen(cookie_token), mac);
	OPENSSL_cleanse(key, sizeof(key));
	return b64url_encode(mac, sizeof(mac));
}

/* The token for base, kept in the request and in its view if made. */
static struct wt_err *
csrf_set(struct wt_req *r, const char *base)
{
	free(r->csrf);
	if ((r->csrf = csrf_for(base)) == NULL) {
		log_error("config", "secret is not set: CSRF tokens cannot be made");
		return wt_fail(500, NULL, "the server is not configured to accept forms");
	}
	if (r->view != NULL)
		view_set(r->view, "CSRF.Token", r->csrf);
	return NULL;
}

static struct wt_err *
bad_token(const char *why)
{
	return err_header(wt_fail(401, NULL, "%s", why),
	    "WWW-Authenticate", "Bearer error=\"invalid_token\"");
}

static struct wt_err *
load_bearer(struct wt_req *r, const char *token)
{
	long long uid, ver, sid;
	const char *why;
	char ids[3][32];
	const char *params[3] = { ids[0], ids[1], ids[2] };
	PGresult *res;

	if (jwt_verify(token, time(NULL), &uid, &ver, &sid, &why) != 0)
		return bad_token(why);
	snprintf(ids[0], sizeof(ids[0]), "%lld", uid);
	snprintf(ids[1], sizeof(ids[1]), "%lld", ver);
	snprintf(ids[2], sizeof(ids[2]), "%lld", sid);
	if ((res = db_exec(ST_SESSION_TOKEN_USER, 3, params)) == NULL)
		return db_err();
	if (PQntuples(res) != 1) {
		PQclear(res);
		return bad_token("token was revoked");
	}
	r->user = user_from_row(res, 0, 0);
	r->user->session_id = sid;
	r->auth_via = WT_AUTH_BEARER;
	PQclear(res);
	return NULL;
}

struct wt_err *
session_load(struct wt_req *r)
{
	const char *authz = req_header(r, "HTTP_AUTHORIZATION");
	const char *cookie = kv_get(&r->cookies, WT_SESSION_COOKIE);
	const char *pre = kv_get(&r->cookies, WT_PRE_COOKIE);
	char hash[65], idle[24];
	const char *params[2] = { hash, idle };
	PGresult *res;

	if (authz != NULL && strncasecmp(authz, "Bearer ", 7) == 0) {
		/* A JWT has dots; a device token is plain hex and belongs to
		 * the program's authenticate hook. */
		if (strchr(authz + 7, '.') == NULL) {
			r->bearer = xstrdup(authz + 7);
			return NULL;
		}
		return load_bearer(r, authz + 7);
	}
	if (token_shape_ok(pre))
		r->pre_token = xstrdup(pre);
	if (cookie == NULL)
		return NULL;
	if (!token_shape_ok(cookie)) {
		cookie_set(r, WT_SESSION_COOKIE, "", 0);
		return NULL;
	}
	sha256_hex(cookie, strlen(cookie), hash);
	snprintf(idle, sizeof(idle), "%lld", wt_cfg.session_idle_minutes);
	if ((res = db_exec(ST_SESSION_LOOKUP, 2, params)) == NULL)
		return db_err();
	if (PQntuples(res) != 1) {
		/* Expired or ended elsewhere: forget it in the browser too. */
		PQclear(res);
		cookie_set(r, WT_SESSION_COOKIE, "", 0);
		return NULL;
	}
	r->user = user_from_row(res, 0, C_LOOKUP_USER);
	r->user->session_id = atoll(PQgetvalue(res, 0, C_LOOKUP_ID));
	r->auth_via = WT_AUTH_COOKIE;
	r->session_token = xstrdup(cookie);
	if (strcmp(PQgetvalue(res, 0, C_LOOKUP_STALE), "t") == 0) {
		/* Touch at most once a minute: one write per page view would
		 * cost more than the idle timeout's precision is worth.  A
		 * failed touch costs nothing but precision. */
		const char *id = PQgetvalue(res, 0, C_LOOKUP_ID);
		PGresult *t = db_exec(ST_SESSION_TOUCH, 1, &id);

		if (t != NULL)
			PQclear(t);
	}
	PQclear(res);
	/* Every signed-in page has the sign-out form in its header. */
	return csrf_set(r, r->session_token);
}

struct wt_err *
session_start(struct wt_req *r, long long user_id)
{
	char token[65], hash[65], uid[32], hours[24], idle[24], sid[32];
	const char *params[5], *ua = req_header(r, "HTTP_USER_AGENT");
	PGresult *res;

	if (random_token_hex(32, token) != 0)
		return wt_fail(500, NULL, "no randomness available");
	/* Whatever session this browser had ends here. */
	if (r->user != NULL && r->user->session_id > 0) {
		snprintf(sid, sizeof(sid), "%lld", r->user->session_id);
		params[0] = sid;
		if ((res = db_exec(ST_SESSION_DELETE, 1, params)) == NULL)
			return db_err();
		PQclear(res);
	}
	sha256_hex(token, strlen(token), hash);
	snprintf(uid, sizeof(uid), "%lld", user_id);
	snprintf(hours, sizeof(hours), "%lld", wt_cfg.session_max_hours);
	snprintf(idle, sizeof(idle), "%lld", wt_cfg.session_idle_minutes);
	params[0] = uid;
	params[1] = idle;
	if ((res = db_exec(ST_SESSION_EXPIRE, 2, params)) == NULL)
		return db_err();
	PQclear(res);
	params[0] = hash;
	params[1] = uid;
	params[2] = hours;
	params[3] = r->remote_addr ? r->remote_addr : "";
	params[4] = ua != NULL && utf8_valid_str(ua) ? ua : "";
	if ((res = db_exec(ST_SESSION_CREATE, 5, params)) == NULL)
		return db_err();
	PQclear(res);
	cookie_set(r, WT_SESSION_COOKIE, token, (long)wt_cfg.session_max_hours * 3600);
	if (r->pre_token != NULL)
		cookie_set(r, WT_PRE_COOKIE, "", 0);
	free(r->session_token);
	r->session_token = xstrdup(token);
	OPENSSL_cleanse(token, sizeof(token));
	return csrf_set(r, r->session_token);
}

struct wt_err *
session_end(struct wt_req *r)
{
	char hash[65], id[32];
	const char *p;
	PGresult *res = NULL;

	cookie_set(r, WT_SESSION_COOKIE, "", 0);
	if (r->session_token != NULL) {
		sha256_hex(r->session_token, strlen(r->session_token), hash);
		p = hash;
		res = db_exec(ST_SESSION_DELETE_TOKEN, 1, &p);
	} else if (r->auth_via == WT_AUTH_BEARER && r->user->session_id > 0) {
		/* Signing out with an access token ends its session, and so
		 * the token. */
		snprintf(id, sizeof(id), "%lld", r->user->session_id);
		p = id;
		res = db_exec(ST_SESSION_DELETE, 1, &p);
	} else
		return NULL;
	if (res == NULL)
		return db_err();
	PQclear(res);
	return NULL;
}

struct wt_err *
access_token_issue(struct wt_req *r, long long user_id, long ttl, char **token)
{
	char raw[65], hash[65], uid[32], secs[24], idle[24];
	const char *params[5], *ua = req_header(r, "HTTP_USER_AGENT");
	long long sid, version;
	PGresult *res;

	*token = NULL;
	snprintf(uid, sizeof(uid), "%lld", user_id);
	params[0] = uid;
	if ((res = db_exec(ST_SESSION_USER_VERSION, 1, params)) == NULL)
		return db_err();
	if (PQntuples(res) != 1) {
		PQclear(res);
		return wt_fail(500, NULL, "the account could not be read; the error is logged");
	}
	version = atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	if (r->auth_via == WT_AUTH_COOKIE && r->user != NULL && r->user->id == user_id &&
	    r->user->session_id > 0)
		/* Asked for from a signed-in browser: it ends with that
		 * browser's session. */
		sid = r->user->session_id;
	else {
		/* The session row of a script's token is never looked up by
		 * its hash: a random one fills the column. */
		if (random_token_hex(32, raw) != 0)
			return wt_fail(500, NULL, "no randomness available");
		sha256_hex(raw, 64, hash);
		snprintf(secs, sizeof(secs), "%ld", ttl);
		snprintf(idle, sizeof(idle), "%lld", wt_cfg.session_idle_minutes);
		/* The user's sessions that have run out go first. */
		params[1] = idle;
		if ((res = db_exec(ST_SESSION_EXPIRE, 2, params)) == NULL)
			return db_err();
		PQclear(res);
		params[0] = hash;
		params[1] = uid;
		params[2] = secs;
		params[3] = r->remote_addr ? r->remote_addr : "";
		params[4] = ua != NULL && utf8_valid_str(ua) ? ua : "";
		if ((res = db_exec(ST_SESSION_TOKEN_CREATE, 5, params)) == NULL)
			return db_err();
		sid = atoll(PQgetvalue(res, 0, 0));
		PQclear(res);
	}
	if ((*token = jwt_issue(user_id, version, sid, time(NULL), ttl)) == NULL) {
		log_error("config", "secret is not set: access tokens cannot be issued");
		return wt_fail(500, NULL, "access tokens are not configured on this server");
	}
	return NULL;
}

struct wt_err *
csrf_prepare(struct wt_req *r)
{
	char token[65];

	/* Scripts with a token post no forms: no pre cookie for them. */
	if (r->csrf != NULL || r->auth_via == WT_AUTH_BEARER || r->bearer != NULL)
		return NULL;
	if (r->session_token != NULL)
		return csrf_set(r, r->session_token);
	if (r->pre_token == NULL) {
		if (random_token_hex(32, token) != 0)
			return wt_fail(500, NULL, "no randomness available");
		r->pre_token = xstrdup(token);
		/* Two hours to fill in a form is plenty. */
		cookie_set(r, WT_PRE_COOKIE, token, 7200);
	}
	return csrf_set(r, r->pre_token);
}

struct wt_err *
csrf_check(const struct wt_req *r)
{
	const char *sent = req_header(r, "HTTP_X_CSRF_TOKEN"), *base;
	char *want;
	int good;

	if (sent == NULL)
		sent = kv_get(&r->form, "csrf");
	if (sent == NULL && json_is_object(r->json))
		sent = json_string_value(json_object_get(r->json, "csrf"));
	base = r->session_token != NULL ? r->session_token : r->pre_token;
	want = sent != NULL && base != NULL ? csrf_for(base) : NULL;
	good = want != NULL && ct_streq(sent, want);
	free(want);
	if (!good)
		return wt_fail(403, "csrf", "the form has expired or did not come from this "
		    "site; reload the page and try again");
	return NULL;
}
