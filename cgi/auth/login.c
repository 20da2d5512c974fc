/* Signing in and out: the browser form, and access tokens for scripts. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "conf.h"
#include "jwt.h"
#include "log.h"
#include "session.h"
#include "view.h"

const struct wt_field login_page_fields[] = {
	{ .name = "next", .src = WT_SRC_QUERY, .type = WT_T_STRING, .max = 2000,
	  .check = check_local_path },
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
	{ .name = NULL }
};

static json_t *
user_json(const struct wt_user *u)
{
	return json_pack("{sI ss ss ss ss sI}", "id", (json_int_t)u->id, "email", u->email,
	    "display_name", u->display_name, "role", u->role, "timezone", u->timezone,
	    "target_pace_min", (json_int_t)u->target_pace_min);
}

/* The user's row (auth_user_by_id), or NULL after answering 503. */
static PGresult *
user_row(struct wt_req *r, long long uid)
{
	char id[32];
	const char *p = id;
	PGresult *res;

	snprintf(id, sizeof(id), "%lld", uid);
	if ((res = db_exec("auth_user_by_id", 1, &p)) == NULL || PQntuples(res) != 1) {
		if (res != NULL)
			PQclear(res);
		db_unavailable(r);
		return NULL;
	}
	return res;
}

void
login_page(struct wt_req *r)
{
	const char *next = wt_str(r, "next");

	if (r->user != NULL) {
		wt_redirect(r, 303, next ? next : "/");
		return;
	}
	csrf_token(r);
	view_set(req_view(r), "Form.Value.next", next ? next : "");
	if (kv_get(&r->query, "signed_out") != NULL)
		view_set(req_view(r), "Notice", "You are signed out.");
	wt_html(r, 200, "login.cs");
}

void
login_post(struct wt_req *r)
{
	const char *next = wt_str(r, "next");
	long long uid;
	PGresult *res;

	if (authenticate(r, wt_str(r, "email"), wt_str(r, "password"), &uid) != 0)
		return;
	if (session_start(r, uid) != 0) {
		db_unavailable(r);
		return;
	}
	log_info("login", "user %lld signed in", uid);
	if (!req_wants_json(r)) {
		wt_redirect(r, 303, next ? next : "/");
		return;
	}
	if ((res = user_row(r, uid)) == NULL)
		return;
	user_free(r->user);
	r->user = user_from_row(res, 0, 0);
	PQclear(res);
	wt_json(r, 200, json_pack("{so}", "user", user_json(r->user)));
}

void
logout_post(struct wt_req *r)
{
	if (r->user != NULL)
		log_info("logout", "user %lld signed out", r->user->id);
	session_end(r);
	if (req_wants_json(r))
		wt_json(r, 200, json_pack("{ss}", "status", "signed out"));
	else
		wt_redirect(r, 303, "/login?signed_out=1");
}

void
token_post(struct wt_req *r)
{
	long long uid, ttl;
	char *token, *err = NULL;
	PGresult *res;

	if (authenticate(r, wt_str(r, "email"), wt_str(r, "password"), &uid) != 0)
		return;
	if (config_int("token.ttl_seconds", 60, 86400, &ttl, &err) != 0) {
		log_error("config", "%s", err);
		free(err);
		ttl = 900;
	}
	if ((res = user_row(r, uid)) == NULL)
		return;
	token = jwt_issue(uid, atoll(PQgetvalue(res, 0, 7)), time(NULL), (long)ttl);
	PQclear(res);
	if (token == NULL) {
		log_error("config", "secret is not set: access tokens cannot be issued");
		wt_error(r, 500, NULL, "access tokens are not configured on this server");
		return;
	}
	log_info("token", "issued an access token to user %lld", uid);
	wt_json(r, 200, json_pack("{ss ss sI}", "access_token", token,
	    "token_type", "Bearer", "expires_in", (json_int_t)ttl));
	free(token);
}
