/* The signed-in person's own account: profile, password, sessions.
 * Every statement here is keyed by r->user->id: there is no parameter
 * that could name somebody else. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "log.h"
#include "session.h"
#include "useragent.h"
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

/* The notices after a redirect back to the page. */
const struct wt_field account_page_fields[] = {
	{ .name = "saved", .src = WT_SRC_QUERY, .type = WT_T_STRING },
	{ .name = "password", .src = WT_SRC_QUERY, .type = WT_T_STRING },
	{ .name = NULL }
};

const struct wt_field sessions_page_fields[] = {
	{ .name = "ended", .src = WT_SRC_QUERY, .type = WT_T_STRING },
	{ .name = "ended_one", .src = WT_SRC_QUERY, .type = WT_T_STRING },
	{ .name = NULL }
};

const struct wt_field session_fields[] = {
	{ .name = "id", .src = WT_SRC_PATH, .type = WT_T_INT, .flags = WT_REQUIRED, .min = 1,
	  .max = 1LL << 53, .label = "Session" },
	{ .name = NULL }
};

const struct wt_field profile_fields[] = {
	{ .name = "display_name", .src = WT_SRC_BODY, .type = WT_T_STRING,
	  .flags = WT_REQUIRED, .min = 1, .max = 100, .check = check_one_line,
	  .label = "Name" },
	{ .name = "timezone", .src = WT_SRC_BODY, .type = WT_T_STRING,
	  .flags = WT_REQUIRED, .min = 1, .max = 64, .check = check_timezone_shape,
	  .label = "Time zone" },
	{ .name = "target_pace_min", .src = WT_SRC_BODY, .type = WT_T_DECIMAL,
	  .flags = WT_REQUIRED, .min = 10, .max = 144000, .label = "Target pace" },
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
	return json_pack("{sI ss ss ss ss so}", "id", (json_int_t)u->id, "email", u->email,
	    "display_name", u->display_name, "role", u->role, "timezone", u->timezone,
	    "target_pace_min", pace_json(u->target_pace_min));
}

/* Fills the profile form from the user, for the page and for the form
 * shown again with an error (which then puts back what was typed). */
static void
profile_view(struct wt_req *r)
{
	struct wt_view *v = req_view(r);

	if (view_get(v, "Form.Value.display_name") == NULL)
		view_set(v, "Form.Value.display_name", r->user->display_name);
	if (view_get(v, "Form.Value.timezone") == NULL)
		view_set(v, "Form.Value.timezone", r->user->timezone);
	if (view_get(v, "Form.Value.target_pace_min") == NULL) {
		char pace[32];

		pace_text(r->user->target_pace_min, pace);
		view_set(v, "Form.Value.target_pace_min", pace);
	}
	view_set(v, "Account.Email", r->user->email);
	view_set(v, "Account.Role", r->user->role);
}

/* The time zones for the picker (a <datalist>: searchable as one types,
 * no script needed). */
struct wt_err *
account_fill(struct wt_req *r)
{
	struct wt_view *v = req_view(r);
	PGresult *res;

	profile_view(r);
	if ((res = db_exec(ST_AUTH_TZ_LIST, 0, NULL)) == NULL)
		return db_err();
	for (int i = 0; i < PQntuples(res); i++)
		view_setf(v, PQgetvalue(res, i, 0), "Zones.%d", i);
	PQclear(res);
	view_set(v, "Page.Nav", "account");
	return NULL;
}

struct wt_err *
account_page(struct wt_req *r)
{
	struct wt_view *v;

	struct wt_err *e;

	if (req_wants_json(r))
		return wt_json(r, 200, profile_json(r->user));
	if ((e = account_fill(r)) != NULL)
		return e;
	v = req_view(r);
	if (wt_has(r, "saved"))
		view_set(v, "Notice", "Your profile is saved.");
	else if (wt_has(r, "password"))
		view_set(v, "Notice", "Your password is changed. Every other session "
		    "has been signed out.");
	return wt_html(r, 200, "account.cs");
}

struct wt_err *
account_post(struct wt_req *r)
{
	const char *tz = wt_str(r, "timezone"), *name = wt_str(r, "display_name");
	const char *params[4];
	char id[24], *zone;
	const char *pace = wt_str(r, "target_pace_min");
	PGresult *res;

	if ((res = db_exec(ST_AUTH_TZ_VALID, 1, &tz)) == NULL)
		return db_err();
	if (PQntuples(res) == 0) {
		PQclear(res);
		return wt_form_fail(400, "timezone", "Time zone '%s' is not known; pick one "
		    "from the list, like Europe/Paris or America/New_York", tz);
	}
	/* Stored as PostgreSQL spells it, whatever case was typed. */
	zone = xstrdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	lltoa(r->user->id, id);
	params[0] = id;
	params[1] = name;
	params[2] = zone;
	params[3] = pace;
	if ((res = db_exec(ST_AUTH_PROFILE_UPDATE, 4, params)) == NULL) {
		free(zone);
		return db_err();
	}
	PQclear(res);
	log_info("account", "user %lld updated the profile", r->user->id);
	if (!req_wants_json(r)) {
		free(zone);
		return wt_redirect(r, 303, "/account?saved=1");
	}
	free(r->user->display_name);
	free(r->user->timezone);
	r->user->display_name = xstrdup(name);
	r->user->timezone = zone;
	r->user->target_pace_min = (double)wt_decimal(r, "target_pace_min", 550) / 100;
	return wt_json(r, 200, profile_json(r->user));
}

/* NULL when current is the user's password; else the 400 (the failure
 * counted towards the lockout) or the database's error. */
static struct wt_err *
check_current(struct wt_req *r, const char *current, const char *ip)
{
	char id[24];
	const char *p = id;
	PGresult *res;
	int good;

	lltoa(r->user->id, id);
	if ((res = db_exec(ST_AUTH_USER_BY_ID, 1, &p)) == NULL)
		return db_err();
	if (PQntuples(res) != 1) {
		PQclear(res);
		log_error("account", "user %lld is signed in but has no row", r->user->id);
		return wt_fail(500, NULL, "the account could not be read; the error is logged");
	}
	good = password_matches(PQgetisnull(res, 0, C_UBI_HASH) ? NULL :
	    PQgetvalue(res, 0, C_UBI_HASH), current);
	PQclear(res);
	if (good)
		return NULL;
	/* Counted as a failed sign-in of the account: the same counter and
	 * the same lock as the sign-in form's. */
	lockout_fail(LOCK_USER, id, ip);
	return wt_form_fail(400, "current_password", "Current password is not right");
}

struct wt_err *
password_change_post(struct wt_req *r)
{
	const char *pw = wt_str(r, "password"), *confirm = wt_str(r, "password_confirm");
	const char *ip = r->remote_addr ? r->remote_addr : "";
	struct wt_err *e;
	char id[24];
	long wait;

	lltoa(r->user->id, id);
	/* A stolen session must not become a way to guess the password. */
	if ((e = lockout_wait(LOCK_USER, id, ip, &wait)) != NULL)
		return e;
	profile_view(r);
	if (wait > 0)
		return lockout_error(wait, "current_password", "Too many wrong passwords.");
	/* An attempt costs up to seven scrypt hashes (the current password,
	 * the last five, the new one), so each account gets a few an hour
	 * (auth.account_threshold, then the sign-in backoff), right or
	 * wrong: a signed-in member cannot keep the workers hashing and slow
	 * down everyone's sign-in.  What costs no hash is checked first and
	 * not counted. */
	if ((e = lockout_wait(LOCK_CHANGE, id, ip, &wait)) != NULL)
		return e;
	if (wait > 0)
		return lockout_error(wait, "current_password", "Too many password changes.");
	if (confirm != NULL && strcmp(confirm, pw) != 0)
		return wt_form_fail(400, "password_confirm", "The two passwords differ");
	if ((e = new_password_check(0, pw, r->user->email, r->user->display_name,
	    "New password")) != NULL)
		return e;
	lockout_fail(LOCK_CHANGE, id, NULL);
	if ((e = check_current(r, wt_str(r, "current_password"), ip)) != NULL)
		return e;
	if ((e = new_password_check(r->user->id, pw, r->user->email, r->user->display_name,
	    "New password")) != NULL)
		return e;
	if (db_begin() != 0)
		return db_err();
	if ((e = store_password(r->user->id, pw, r->user->session_id)) != NULL)
		return e;
	if (db_commit() != 0)
		return db_err();
	lockout_clear(LOCK_USER, id);
	log_info("account", "user %lld changed the password; other sessions ended",
	    r->user->id);
	if (req_wants_json(r))
		return wt_json(r, 200, json_pack("{ss}", "status", "password changed"));
	return wt_redirect(r, 303, "/account?password=changed");
}

/* The sessions: into the view, and into *list for JSON when list is not
 * NULL. */
static struct wt_err *
sessions_load(struct wt_req *r, json_t **list)
{
	char id[24], browser[64];
	const char *params[2] = { id, r->user->timezone };
	struct wt_view *v = req_view(r);
	PGresult *res;
	int n;

	lltoa(r->user->id, id);
	if ((res = db_exec(ST_AUTH_SESSIONS_LIST, 2, params)) == NULL)
		return db_err();
	n = PQntuples(res);
	if (list != NULL)
		*list = json_array();
	for (int i = 0; i < n; i++) {
		long long sid = atoll(PQgetvalue(res, i, C_SL_ID));
		int current = sid == r->user->session_id;

		ua_describe(PQgetvalue(res, i, C_SL_USER_AGENT), browser, sizeof(browser));
		if (list != NULL)
			json_array_append_new(*list, json_pack("{sI ss ss ss ss ss sb}",
			    "id", (json_int_t)sid,
			    "created", PQgetvalue(res, i, C_SL_CREATED),
			    "last_seen", PQgetvalue(res, i, C_SL_LAST_SEEN),
			    "ip", PQgetvalue(res, i, C_SL_IP),
			    "user_agent", PQgetvalue(res, i, C_SL_USER_AGENT),
			    "browser", browser, "current", current));
		view_setf(v, PQgetvalue(res, i, C_SL_ID), "Sessions.%d.id", i);
		view_setf(v, PQgetvalue(res, i, C_SL_CREATED), "Sessions.%d.created", i);
		view_setf(v, PQgetvalue(res, i, C_SL_LAST_SEEN), "Sessions.%d.last_seen", i);
		view_setf(v, PQgetvalue(res, i, C_SL_IP), "Sessions.%d.ip", i);
		view_setf(v, PQgetvalue(res, i, C_SL_USER_AGENT), "Sessions.%d.user_agent", i);
		view_setf(v, browser, "Sessions.%d.browser", i);
		view_setf(v, current ? "1" : "0", "Sessions.%d.current", i);
	}
	view_set_int(v, "SessionCount", n);
	view_set(v, "Page.Nav", "account");
	PQclear(res);
	return NULL;
}

struct wt_err *
sessions_fill(struct wt_req *r)
{
	return sessions_load(r, NULL);
}

struct wt_err *
sessions_page(struct wt_req *r)
{
	struct wt_err *e;
	json_t *list = NULL;

	if ((e = sessions_load(r, req_wants_json(r) ? &list : NULL)) != NULL)
		return e;
	if (list != NULL)
		return wt_json(r, 200, json_pack("{so}", "sessions", list));
	if (wt_has(r, "ended"))
		view_set(req_view(r), "Notice", "Every other session is signed out.");
	else if (wt_has(r, "ended_one"))
		view_set(req_view(r), "Notice", "That session is signed out.");
	return wt_html(r, 200, "sessions.cs");
}

/* Ends one session of the caller's (never the one in use: that is
 * Sign out). */
struct wt_err *
session_revoke(struct wt_req *r)
{
	char id[24];
	const char *sid = wt_str(r, "id"), *params[2] = { id, sid };
	long long n;

	if (atoll(sid) == r->user->session_id)
		return wt_form_fail(409, NULL, "This is the session you are using: to end it, "
		    "sign out");
	lltoa(r->user->id, id);
	if ((n = db_exec_count(ST_AUTH_SESSION_END, 2, params)) < 0)
		return db_err();
	if (n == 0)
		return wt_fail(404, NULL, "session not found (it may have ended already)");
	log_info("account", "user %lld ended session %s", r->user->id, sid);
	if (req_wants_json(r))
		return wt_json(r, 200, json_pack("{ss}", "status", "ended"));
	return wt_redirect(r, 303, "/account/sessions?ended_one=1");
}

struct wt_err *
sessions_revoke_others(struct wt_req *r)
{
	char id[24], sid[24];
	const char *params[2] = { id, sid };
	long long n;

	lltoa(r->user->id, id);
	lltoa(r->user->session_id, sid);
	if ((n = db_exec_count(ST_AUTH_SESSIONS_END_OTHERS, 2, params)) < 0)
		return db_err();
	log_info("account", "user %lld ended %lld other sessions", r->user->id, n);
	if (req_wants_json(r))
		return wt_json(r, 200, json_pack("{sI}", "ended", (json_int_t)n));
	return wt_redirect(r, 303, "/account/sessions?ended=1");
}
