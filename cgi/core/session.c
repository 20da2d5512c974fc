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
#include "view.h"

#define USER_COLUMNS \
	"u.id, u.email, u.display_name, u.role, u.timezone, u.target_pace_min"

const struct wt_stmt session_stmts[] = {
	{ "session_lookup",
	  "SELECT s.id, s.last_seen_at < now() - interval '60 seconds', " USER_COLUMNS
	  " FROM web_sessions s JOIN users u ON u.id = s.user_id"
	  " WHERE s.token_hash = $1 AND s.expires_at > now()"
	  " AND s.last_seen_at > now() - make_interval(mins => $2::int)"
	  " AND u.status = 'active'", 1 },
	{ "session_touch",
	  "UPDATE web_sessions SET last_seen_at = now() WHERE id = $1", 0 },
	{ "session_create",
	  "INSERT INTO web_sessions (token_hash, user_id, expires_at, ip, user_agent)"
	  " VALUES ($1, $2, now() + make_interval(hours => $3::int), $4, left($5, 300))"
	  " RETURNING id", 0 },
	{ "session_delete", "DELETE FROM web_sessions WHERE id = $1", 0 },
	{ "session_delete_token", "DELETE FROM web_sessions WHERE token_hash = $1", 0 },
	{ "session_expire",
	  "DELETE FROM web_sessions WHERE user_id = $1 AND (expires_at < now()"
	  " OR last_seen_at < now() - make_interval(mins => $2::int))", 0 },
	{ "session_token_user",
	  "SELECT " USER_COLUMNS " FROM users u"
	  " WHERE u.id = $1 AND u.status = 'active' AND u.token_version = $2", 1 },
	{ NULL, NULL, 0 }
};

void
user_free(struct wt_user *u)
{
	if (u == NULL)
		return;
	free(u->email);
	free(u->display_name);
	free(u->role);
	free(u->timezone);
	free(u);
}

struct wt_user *
user_from_row(PGresult *res, int row, int c)
{
	struct wt_user *u = xcalloc(1, sizeof(*u));

	u->id = atoll(PQgetvalue(res, row, c));
	u->email = xstrdup(PQgetvalue(res, row, c + 1));
	u->display_name = xstrdup(PQgetvalue(res, row, c + 2));
	u->role = xstrdup(PQgetvalue(res, row, c + 3));
	u->timezone = xstrdup(PQgetvalue(res, row, c + 4));
	u->target_pace_min = atoll(PQgetvalue(res, row, c + 5));
	return u;
}

void
cookie_set(struct wt_req *r, const char *name, const char *value, long max_age)
{
	char hdr[512];

	/* __Host- cookies must be Secure, Path=/ and carry no Domain. */
	snprintf(hdr, sizeof(hdr), "%s=%s; Path=/; Max-Age=%ld; HttpOnly; Secure; SameSite=Lax",
	    name, value, max_age);
	resp_header(r, "Set-Cookie", hdr);
}

static long
config_long(const char *key, long def)
{
	long long v;
	char *err = NULL;

	if (config_int(key, 1, 1000000, &v, &err) != 0) {
		log_error("config", "%s", err);
		free(err);
		return def;
	}
	return (long)v;
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

static int
load_bearer(struct wt_req *r, const char *token)
{
	long long uid, ver;
	const char *why;
	char ids[2][32];
	const char *params[2];
	PGresult *res;

	if (jwt_verify(token, time(NULL), &uid, &ver, &why) != 0) {
		resp_set_header(r, "WWW-Authenticate", "Bearer error=\"invalid_token\"");
		wt_error(r, 401, NULL, "%s", why);
		return -1;
	}
	snprintf(ids[0], sizeof(ids[0]), "%lld", uid);
	snprintf(ids[1], sizeof(ids[1]), "%lld", ver);
	params[0] = ids[0];
	params[1] = ids[1];
	if ((res = db_exec("session_token_user", 2, params)) == NULL) {
		db_unavailable(r);
		return -1;
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		resp_set_header(r, "WWW-Authenticate", "Bearer error=\"invalid_token\"");
		wt_error(r, 401, NULL, "token was revoked");
		return -1;
	}
	r->user = user_from_row(res, 0, 0);
	r->auth_via = WT_AUTH_BEARER;
	PQclear(res);
	return 0;
}

int
session_load(struct wt_req *r)
{
	const char *authz = req_header(r, "HTTP_AUTHORIZATION");
	const char *cookie = kv_get(&r->cookies, WT_SESSION_COOKIE);
	const char *pre = kv_get(&r->cookies, WT_PRE_COOKIE);
	char hash[65], idle[16];
	const char *params[2];
	PGresult *res;

	if (authz != NULL && strncasecmp(authz, "Bearer ", 7) == 0) {
		/* A JWT has dots; a device token is plain hex and belongs to
		 * the program (ingest) to check. */
		if (strchr(authz + 7, '.') == NULL) {
			/* Not a person's credential: nobody is signed in, and
			 * CSRF rules stay as for any cookie-less request. */
			r->bearer = xstrdup(authz + 7);
			return 0;
		}
		return load_bearer(r, authz + 7);
	}
	if (token_shape_ok(pre))
		r->pre_token = xstrdup(pre);
	if (cookie == NULL)
		return 0;
	if (!token_shape_ok(cookie)) {
		cookie_set(r, WT_SESSION_COOKIE, "", 0);
		return 0;
	}
	sha256_hex(cookie, strlen(cookie), hash);
	snprintf(idle, sizeof(idle), "%ld", config_long("session.idle_minutes", 480));
	params[0] = hash;
	params[1] = idle;
	if ((res = db_exec("session_lookup", 2, params)) == NULL) {
		db_unavailable(r);
		return -1;
	}
	if (PQntuples(res) != 1) {
		/* Expired or ended elsewhere: forget it in the browser too. */
		PQclear(res);
		cookie_set(r, WT_SESSION_COOKIE, "", 0);
		return 0;
	}
	r->user = user_from_row(res, 0, 2);
	r->user->session_id = atoll(PQgetvalue(res, 0, 0));
	r->auth_via = WT_AUTH_COOKIE;
	r->session_token = xstrdup(cookie);
	if (strcmp(PQgetvalue(res, 0, 1), "t") == 0) {
		/* Touch at most once a minute: one write per page view would
		 * cost more than the idle timeout's precision is worth. */
		const char *id = PQgetvalue(res, 0, 0);
		PGresult *t = db_exec("session_touch", 1, &id);

		if (t != NULL)
			PQclear(t);
	}
	PQclear(res);
	return 0;
}

int
session_start(struct wt_req *r, long long user_id)
{
	char token[65], hash[65], uid[32], hours[16], idle[16];
	const char *params[5], *ua = req_header(r, "HTTP_USER_AGENT");
	long max_hours = config_long("session.max_hours", 168);
	PGresult *res;

	if (random_token_hex(32, token) != 0)
		return -1;
	/* Whatever session this browser had ends here. */
	if (r->user != NULL && r->user->session_id > 0) {
		char sid[32];
		const char *p = sid;

		snprintf(sid, sizeof(sid), "%lld", r->user->session_id);
		if ((res = db_exec("session_delete", 1, &p)) != NULL)
			PQclear(res);
	}
	sha256_hex(token, strlen(token), hash);
	snprintf(uid, sizeof(uid), "%lld", user_id);
	snprintf(hours, sizeof(hours), "%ld", max_hours);
	snprintf(idle, sizeof(idle), "%ld", config_long("session.idle_minutes", 480));
	params[0] = uid;
	params[1] = idle;
	if ((res = db_exec("session_expire", 2, params)) != NULL)
		PQclear(res);
	params[0] = hash;
	params[1] = uid;
	params[2] = hours;
	params[3] = r->remote_addr ? r->remote_addr : "";
	params[4] = ua != NULL && utf8_valid_str(ua) ? ua : "";
	if ((res = db_exec("session_create", 5, params)) == NULL)
		return -1;
	PQclear(res);
	cookie_set(r, WT_SESSION_COOKIE, token, max_hours * 3600);
	if (r->pre_token != NULL)
		cookie_set(r, WT_PRE_COOKIE, "", 0);
	free(r->session_token);
	r->session_token = xstrdup(token);
	free(r->csrf);
	r->csrf = NULL;
	OPENSSL_cleanse(token, sizeof(token));
	return 0;
}

void
session_end(struct wt_req *r)
{
	if (r->session_token != NULL) {
		char hash[65];
		const char *p = hash;
		PGresult *res;

		sha256_hex(r->session_token, strlen(r->session_token), hash);
		if ((res = db_exec("session_delete_token", 1, &p)) != NULL)
			PQclear(res);
	}
	cookie_set(r, WT_SESSION_COOKIE, "", 0);
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

const char *
csrf_token(struct wt_req *r)
{
	const char *base;

	if (r->csrf != NULL)
		return r->csrf;
	if (r->session_token != NULL)
		base = r->session_token;
	else {
		if (r->pre_token == NULL) {
			char token[65];

			if (random_token_hex(32, token) != 0)
				return "";
			r->pre_token = xstrdup(token);
			/* Two hours to fill in a form is plenty. */
			cookie_set(r, WT_PRE_COOKIE, token, 7200);
		}
		base = r->pre_token;
	}
	r->csrf = csrf_for(base);
	if (r->csrf == NULL) {
		log_error("config", "secret is not set: CSRF tokens cannot be made");
		r->csrf = xstrdup("");
	}
	view_set(req_view(r), "CSRF.Token", r->csrf);
	return r->csrf;
}

int
csrf_check(struct wt_req *r)
{
	const char *sent = req_header(r, "HTTP_X_CSRF_TOKEN"), *base;
	char *want;
	int good;

	if (sent == NULL)
		sent = kv_get(&r->form, "csrf");
	if (sent == NULL && json_is_object(r->json))
		sent = json_string_value(json_object_get(r->json, "csrf"));
	base = r->session_token != NULL ? r->session_token : r->pre_token;
	if (sent == NULL || base == NULL) {
		wt_error(r, 403, "csrf", "the form has expired or did not come from this "
		    "site; reload the page and try again");
		return -1;
	}
	want = csrf_for(base);
	good = want != NULL && ct_streq(sent, want);
	free(want);
	if (!good) {
		wt_error(r, 403, "csrf", "the form has expired or did not come from this "
		    "site; reload the page and try again");
		return -1;
	}
	return 0;
}

void
require_sign_in(struct wt_req *r)
{
	if (req_wants_json(r)) {
		resp_set_header(r, "WWW-Authenticate", "Bearer");
		wt_error(r, 401, NULL, "sign in first: send a session cookie or "
		    "Authorization: Bearer <token from /api/v1/token>");
		return;
	}
	{
		struct wt_buf loc;
		char *enc = url_encode_component(r->path);

		buf_init(&loc);
		buf_printf(&loc, "/login?next=%s", enc);
		free(enc);
		wt_redirect(r, 303, loc.data);
		buf_free(&loc);
	}
}
