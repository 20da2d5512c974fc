/* Signing in and out: the browser form, and access tokens for scripts. */
#include "config.h"

#include <stdlib.h>

#include "auth.h"
#include "conf.h"
#include "log.h"
#include "session.h"
#include "user.h"
#include "view.h"

const struct wt_field login_page_fields[] = {
	{ .name = "next", .src = WT_SRC_QUERY, .type = WT_T_STRING, .max = 2000,
	  .check = check_local_path },
	/* Where /logout sends the browser: the page says so. */
	{ .name = "signed_out", .src = WT_SRC_QUERY, .type = WT_T_STRING },
	{ .name = NULL }
};

const struct wt_field login_fields[] = {
	{ .name = "email", .src = WT_SRC_BODY, .type = WT_T_STRING,
	  .flags = WT_REQUIRED, .min = 1, .max = 254, .label = "E-mail" },
	{ .name = "password", .src = WT_SRC_BODY, .type = WT_T_PASSWORD,
	  .flags = WT_REQUIRED, .min = 1, .max = 1024, .label = "Password" },
	{ .name = "next", .src = WT_SRC_BODY, .type = WT_T_STRING, .max = 2000,
	  .check = check_local_path },
	{ .name = NULL }
};

const struct wt_field token_fields[] = {
	{ .name = "email", .src = WT_SRC_BODY, .type = WT_T_STRING,
	  .flags = WT_REQUIRED, .min = 1, .max = 254 },
	{ .name = "password", .src = WT_SRC_BODY, .type = WT_T_PASSWORD,
	  .flags = WT_REQUIRED, .min = 1, .max = 1024 },
	/* The widget asks for a refresh token too (refresh.c). */
	{ .name = "refresh", .src = WT_SRC_BODY, .type = WT_T_BOOL },
	{ .name = NULL }
};

static json_t *
user_json(const struct wt_user *u)
{
	return json_pack("{sI ss ss ss ss so}", "id", (json_int_t)u->id, "email", u->email,
	    "display_name", u->display_name, "role", u->role, "timezone", u->timezone,
	    "target_pace_min", pace_json(u->target_pace_min));
}

/* The user's row (ST_AUTH_USER_BY_ID) in *out, or the error. */
static struct wt_err *
user_row(long long uid, PGresult **out)
{
	char id[24];
	const char *p = id;
	PGresult *res;

	lltoa(uid, id);
	if ((res = db_exec(ST_AUTH_USER_BY_ID, 1, &p)) == NULL)
		return db_err();
	if (PQntuples(res) != 1) {
		/* Signed in a moment ago: only a concurrent deletion. */
		PQclear(res);
		log_error("auth", "user %lld vanished after signing in", uid);
		return wt_fail(500, NULL, "the account could not be read; the error is logged");
	}
	*out = res;
	return NULL;
}

struct wt_err *
login_fill(struct wt_req *r)
{
	enum reg_mode mode;
	struct wt_err *e;

	if ((e = registration_mode(&mode)) != NULL)
		return e;
	/* "Create an account" only where anyone may; otherwise the page
	 * says how to get in. */
	view_set(req_view(r), "Registration.Mode", mode == REG_OPEN ? "open" :
	    mode == REG_INVITE ? "invite" : "closed");
	return NULL;
}

struct wt_err *
login_page(struct wt_req *r)
{
	const char *next = wt_str(r, "next");
	struct wt_view *v;
	struct wt_err *e;

	if (r->user != NULL)
		return wt_redirect(r, 303, next ? next : "/");
	if ((e = login_fill(r)) != NULL)
		return e;
	v = req_view(r);
	view_set(v, "Form.Value.next", next ? next : "");
	if (wt_has(r, "signed_out"))
		view_set(v, "Notice", "You are signed out.");
	return wt_html(r, 200, "login.cs");
}

struct wt_err *
login_post(struct wt_req *r)
{
	const char *next = wt_str(r, "next");
	long long uid = 0;
	PGresult *res = NULL;
	struct wt_err *e;

	if ((e = authenticate(r, wt_str(r, "email"), wt_str(r, "password"), &uid)) != NULL ||
	    (e = session_start(r, uid)) != NULL)
		return e;
	log_info("login", "user %lld signed in", uid);
	if (!req_wants_json(r))
		return wt_redirect(r, 303, next ? next : "/");
	if ((e = user_row(uid, &res)) != NULL)
		return e;
	user_free(r->user);
	r->user = user_from_row(res, 0, C_UBI_USER);
	PQclear(res);
	return wt_json(r, 200, json_pack("{so}", "user", user_json(r->user)));
}

struct wt_err *
logout_post(struct wt_req *r)
{
	struct wt_err *e;

	if (r->user != NULL)
		log_info("logout", "user %lld signed out", r->user->id);
	if ((e = session_end(r)) != NULL)
		return e;
	if (req_wants_json(r))
		return wt_json(r, 200, json_pack("{ss}", "status", "signed out"));
	return wt_redirect(r, 303, "/login?signed_out=1");
}

struct wt_err *
token_post(struct wt_req *r)
{
	long long uid = 0, ttl = wt_cfg.token_ttl_seconds;
	struct wt_err *e;
	char *token;

	if ((e = authenticate(r, wt_str(r, "email"), wt_str(r, "password"), &uid)) != NULL)
		return e;
	/* The widget signs in for longer (refresh.c). */
	if (wt_bool(r, "refresh", 0))
		return widget_sign_in(r, uid);
	if ((e = access_token_issue(r, uid, (long)ttl, &token)) != NULL)
		return e;
	log_info("token", "issued an access token to user %lld", uid);
	e = wt_json(r, 200, json_pack("{ss ss sI}", "access_token", token,
	    "token_type", "Bearer", "expires_in", (json_int_t)ttl));
	free(token);
	return e;
}
