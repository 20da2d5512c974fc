/* The signed-in person's own account: profile, password, sessions.
 * Every statement here is keyed by r->user->id: there is no parameter
 * that could name somebody else. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "log.h"
#include "session.h"
#include "view.h"

static const char *
check_timezone_shape(const char *s)
{
	/* The real test is PostgreSQL's list; this keeps junk out of it. */
	for (const char *p = s; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("/_+-", *p) != NULL))
			return "must be a time zone name like Europe/Paris";
	return NULL;
}

const struct wt_field profile_fields[] = {
	{ .name = "display_name", .src = WT_SRC_BODY, .type = WT_T_STRING,
	  .flags = WT_REQUIRED, .min = 1, .max = 100, .label = "Name" },
	{ .name = "timezone", .src = WT_SRC_BODY, .type = WT_T_STRING,
	  .flags = WT_REQUIRED, .min = 1, .max = 64, .check = check_timezone_shape,
	  .label = "Time zone" },
	{ .name = "target_pace_min", .src = WT_SRC_BODY, .type = WT_T_INT,
	  .flags = WT_REQUIRED, .min = 1, .max = 1440, .label = "Target pace" },
	{ .name = NULL }
};

const struct wt_field password_change_fields[] = {
	{ .name = "current_password", .src = WT_SRC_BODY, .type = WT_T_PASSWORD,
	  .flags = WT_REQUIRED, .min = 1, .max = 1024, .label = "Current password" },
	{ .name = "password", .src = WT_SRC_BODY, .type = WT_T_PASSWORD,
	  .flags = WT_REQUIRED, .min = 1, .max = 1024, .label = "New password" },
	{ .name = "password_confirm", .src = WT_SRC_BODY, .type = WT_T_PASSWORD,
	  .max = 1024, .label = "Repeated password" },
	{ .name = NULL }
};

static json_t *
profile_json(const struct wt_user *u)
{
	return json_pack("{sI ss ss ss ss sI}", "id", (json_int_t)u->id, "email", u->email,
	    "display_name", u->display_name, "role", u->role, "timezone", u->timezone,
	    "target_pace_min", (json_int_t)u->target_pace_min);
}

/* Fills the profile form from the user, for the page and its errors. */
static void
profile_view(struct wt_req *r)
{
	struct wt_view *v = req_view(r);

	if (view_get(v, "Form.Value.display_name") == NULL)
		view_set(v, "Form.Value.display_name", r->user->display_name);
	if (view_get(v, "Form.Value.timezone") == NULL)
		view_set(v, "Form.Value.timezone", r->user->timezone);
	if (view_get(v, "Form.Value.target_pace_min") == NULL)
		view_set_int(v, "Form.Value.target_pace_min", r->user->target_pace_min);
	view_set(v, "Account.Email", r->user->email);
	view_set(v, "Account.Role", r->user->role);
	if (kv_get(&r->query, "saved") != NULL)
		view_set(v, "Notice", "Your profile is saved.");
	else if (kv_get(&r->query, "password") != NULL)
		view_set(v, "Notice", "Your password is changed. Every other session "
		    "has been signed out.");
}

void
account_page(struct wt_req *r)
{
	if (req_wants_json(r)) {
		wt_json(r, 200, profile_json(r->user));
		return;
	}
	profile_view(r);
	wt_html(r, 200, "account.cs");
}

void
account_post(struct wt_req *r)
{
	const char *tz = wt_str(r, "timezone"), *params[4];
	char id[32], pace[16];
	PGresult *res;
	int known;

	if ((res = db_exec("auth_tz_valid", 1, &tz)) == NULL) {
		db_unavailable(r);
		return;
	}
	known = PQntuples(res) > 0;
	PQclear(res);
	if (!known) {
		profile_view(r);
		form_fail(r, 400, "timezone", "Time zone '%s' is not known; use a name "
		    "like Europe/Paris or America/New_York", tz);
		return;
	}
	snprintf(id, sizeof(id), "%lld", r->user->id);
	snprintf(pace, sizeof(pace), "%lld", wt_int(r, "target_pace_min", 30));
	params[0] = id;
	params[1] = wt_str(r, "display_name");
	params[2] = tz;
	params[3] = pace;
	if ((res = db_exec("auth_profile_update", 4, params)) == NULL) {
		db_unavailable(r);
		return;
	}
	PQclear(res);
	log_info("account", "user %lld updated the profile", r->user->id);
	if (req_wants_json(r)) {
		free(r->user->display_name);
		free(r->user->timezone);
		r->user->display_name = xstrdup(params[1]);
		r->user->timezone = xstrdup(tz);
		r->user->target_pace_min = wt_int(r, "target_pace_min", 30);
		wt_json(r, 200, profile_json(r->user));
		return;
	}
	wt_redirect(r, 303, "/account?saved=1");
}

void
password_change_post(struct wt_req *r)
{
	const char *pw = wt_str(r, "password"), *confirm = wt_str(r, "password_confirm");
	const char *ip = r->remote_addr ? r->remote_addr : "", *why;
	char id[32], when[32];
	const char *p = id;
	PGresult *res;
	long wait;
	int good;

	/* A stolen session must not become a way to guess the password. */
	if ((wait = lockout_wait(r->user->email, ip)) < 0) {
		db_unavailable(r);
		return;
	}
	profile_view(r);
	if (wait > 0) {
		char secs[24];

		snprintf(secs, sizeof(secs), "%ld", wait);
		resp_set_header(r, "Retry-After", secs);
		wait_text(wait, when, sizeof(when));
		form_fail(r, 429, "current_password", "Too many wrong passwords. Try "
		    "again in %s.", when);
		return;
	}
	snprintf(id, sizeof(id), "%lld", r->user->id);
	if ((res = db_exec("auth_user_by_id", 1, &p)) == NULL || PQntuples(res) != 1) {
		if (res != NULL)
			PQclear(res);
		db_unavailable(r);
		return;
	}
	good = password_matches(PQgetisnull(res, 0, 6) ? NULL : PQgetvalue(res, 0, 6),
	    wt_str(r, "current_password"));
	PQclear(res);
	if (!good) {
		lockout_fail(r->user->email, ip);
		form_fail(r, 400, "current_password", "Current password is not right");
		return;
	}
	if (confirm != NULL && strcmp(confirm, pw) != 0) {
		form_fail(r, 400, "password_confirm", "The two passwords differ");
		return;
	}
	if ((why = new_password_problem(r->user->id, pw, r->user->email,
	    r->user->display_name)) != NULL) {
		form_fail(r, 400, "password", "New password %s", why);
		return;
	}
	if (db_begin() != 0 || store_password(r->user->id, pw, r->user->session_id) != 0 ||
	    db_commit() != 0) {
		db_unavailable(r);
		return;
	}
	lockout_clear(r->user->email);
	log_info("account", "user %lld changed the password; other sessions ended",
	    r->user->id);
	if (req_wants_json(r))
		wt_json(r, 200, json_pack("{ss}", "status", "password changed"));
	else
		wt_redirect(r, 303, "/account?password=changed");
}

void
sessions_page(struct wt_req *r)
{
	char id[32];
	const char *params[2] = { id, r->user->timezone };
	struct wt_view *v = req_view(r);
	PGresult *res;
	json_t *list;

	snprintf(id, sizeof(id), "%lld", r->user->id);
	if ((res = db_exec("auth_sessions_list", 2, params)) == NULL) {
		db_unavailable(r);
		return;
	}
	list = json_array();
	for (int i = 0; i < PQntuples(res); i++) {
		int current = atoll(PQgetvalue(res, i, 0)) == r->user->session_id;

		json_array_append_new(list, json_pack("{sI ss ss ss ss sb}",
		    "id", (json_int_t)atoll(PQgetvalue(res, i, 0)),
		    "created", PQgetvalue(res, i, 1), "last_seen", PQgetvalue(res, i, 2),
		    "ip", PQgetvalue(res, i, 3), "user_agent", PQgetvalue(res, i, 4),
		    "current", current));
		view_setf(v, PQgetvalue(res, i, 1), "Sessions.%d.created", i);
		view_setf(v, PQgetvalue(res, i, 2), "Sessions.%d.last_seen", i);
		view_setf(v, PQgetvalue(res, i, 3), "Sessions.%d.ip", i);
		view_setf(v, PQgetvalue(res, i, 4), "Sessions.%d.user_agent", i);
		view_setf(v, current ? "1" : "0", "Sessions.%d.current", i);
	}
	view_set_int(v, "SessionCount", PQntuples(res));
	PQclear(res);
	if (req_wants_json(r)) {
		wt_json(r, 200, json_pack("{so}", "sessions", list));
		return;
	}
	json_decref(list);
	if (kv_get(&r->query, "ended") != NULL)
		view_set(v, "Notice", "Every other session is signed out.");
	wt_html(r, 200, "sessions.cs");
}

void
sessions_revoke_others(struct wt_req *r)
{
	char id[32], sid[32];
	const char *params[2] = { id, sid };
	PGresult *res;
	long long n;

	snprintf(id, sizeof(id), "%lld", r->user->id);
	snprintf(sid, sizeof(sid), "%lld", r->user->session_id);
	if ((res = db_exec("auth_sessions_end_others", 2, params)) == NULL) {
		db_unavailable(r);
		return;
	}
	n = atoll(PQcmdTuples(res));
	PQclear(res);
	log_info("account", "user %lld ended %lld other sessions", r->user->id, n);
	if (req_wants_json(r))
		wt_json(r, 200, json_pack("{sI}", "ended", (json_int_t)n));
	else
		wt_redirect(r, 303, "/account/sessions?ended=1");
}
