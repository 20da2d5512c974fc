/* People: the list (search, filters, pages), one person, invitations,
 * edits, deactivation and deletion.  Changes are admin-only (access.c);
 * reading is scoped to the caller's teams in SQL. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "admin.h"
#include "conf.h"
#include "crypto.h"
#include "log.h"
#include "mail.h"
#include "view.h"

#define PAGE_SIZE 50

static const char *const roles[] = { "member", "manager", "admin", NULL };

const struct wt_field people_list_fields[] = {
	{ .name = "q", .src = WT_SRC_QUERY, .type = WT_T_STRING, .max = 100,
	  .label = "Search" },
	{ .name = "team", .src = WT_SRC_QUERY, .type = WT_T_INT, .min = 1,
	  .max = 1LL << 53, .label = "Team" },
	{ .name = "role", .src = WT_SRC_QUERY, .type = WT_T_ENUM, .choices = roles,
	  .label = "Role" },
	{ .name = "page", .src = WT_SRC_QUERY, .type = WT_T_INT, .min = 1, .max = 100000,
	  .label = "Page" },
	{ .name = NULL }
};

#define ID_FIELD \
	{ .name = "id", .src = WT_SRC_PATH, .type = WT_T_INT, .flags = WT_REQUIRED, \
	  .min = 1, .max = 1LL << 53, .label = "Person" }

const struct wt_field person_fields[] = { ID_FIELD, { .name = NULL } };

const struct wt_field person_create_fields[] = {
	{ .name = "email", .src = WT_SRC_BODY, .type = WT_T_EMAIL, .flags = WT_REQUIRED,
	  .label = "E-mail" },
	{ .name = "role", .src = WT_SRC_BODY, .type = WT_T_ENUM, .choices = roles,
	  .label = "Role" },
	{ .name = "team_id", .src = WT_SRC_BODY, .type = WT_T_INT, .min = 1,
	  .max = 1LL << 53, .label = "Team" },
	{ .name = NULL }
};

const struct wt_field person_edit_fields[] = {
	ID_FIELD,
	{ .name = "display_name", .src = WT_SRC_BODY, .type = WT_T_STRING,
	  .flags = WT_REQUIRED, .min = 1, .max = 100, .label = "Name" },
	{ .name = "role", .src = WT_SRC_BODY, .type = WT_T_ENUM, .flags = WT_REQUIRED,
	  .choices = roles, .label = "Role" },
	{ .name = NULL }
};

const struct wt_field person_delete_fields[] = {
	ID_FIELD,
	{ .name = "confirm", .src = WT_SRC_BODY, .type = WT_T_STRING, .max = 254,
	  .label = "Confirmation" },
	{ .name = NULL }
};

static json_t *
person_json(PGresult *res, int i)
{
	return json_pack("{sI ss ss ss ss ss}", "id", (json_int_t)atoll(PQgetvalue(res, i, 0)),
	    "email", PQgetvalue(res, i, 1), "display_name", PQgetvalue(res, i, 2),
	    "role", PQgetvalue(res, i, 3), "status", PQgetvalue(res, i, 4),
	    "created", PQgetvalue(res, i, 5));
}

/* The teams the caller may filter by, for the list page. */
static void
team_choices(struct wt_req *r, struct wt_view *v)
{
	PGresult *res = scoped_exec(r, "admin_teams_list", 0, NULL);

	if (res == NULL)
		return;
	for (int i = 0; i < PQntuples(res); i++) {
		view_setf(v, PQgetvalue(res, i, 0), "Teams.%d.id", i);
		view_setf(v, PQgetvalue(res, i, 1), "Teams.%d.name", i);
	}
	PQclear(res);
}

void
people_page(struct wt_req *r)
{
	long long page = wt_int(r, "page", 1), total = 0;
	char limit[16], offset[24];
	const char *params[5];
	struct wt_view *v = req_view(r);
	json_t *list = json_array();
	PGresult *res;

	snprintf(limit, sizeof(limit), "%d", PAGE_SIZE);
	snprintf(offset, sizeof(offset), "%lld", (page - 1) * PAGE_SIZE);
	params[0] = wt_str(r, "q") ? wt_str(r, "q") : "";
	params[1] = wt_str(r, "team") ? wt_str(r, "team") : "0";
	params[2] = wt_str(r, "role") ? wt_str(r, "role") : "";
	params[3] = limit;
	params[4] = offset;
	if ((res = scoped_exec(r, "admin_users_list", 5, params)) == NULL) {
		json_decref(list);
		db_unavailable(r);
		return;
	}
	for (int i = 0, row = 0; i < PQntuples(res); i++) {
		json_t *p;

		total = atoll(PQgetvalue(res, i, 7));
		if (PQgetisnull(res, i, 0))
			continue;	/* an empty page: only the total */
		p = person_json(res, i);

		json_object_set_new(p, "teams", json_string(PQgetvalue(res, i, 6)));
		json_array_append_new(list, p);
		view_setf(v, PQgetvalue(res, i, 0), "Users.%d.id", row);
		view_setf(v, PQgetvalue(res, i, 1), "Users.%d.email", row);
		view_setf(v, PQgetvalue(res, i, 2), "Users.%d.name", row);
		view_setf(v, PQgetvalue(res, i, 3), "Users.%d.role", row);
		view_setf(v, PQgetvalue(res, i, 4), "Users.%d.status", row);
		view_setf(v, PQgetvalue(res, i, 6), "Users.%d.teams", row);
		row++;
	}
	PQclear(res);
	if (req_wants_json(r)) {
		wt_json(r, 200, json_pack("{sI sI si so}", "total", (json_int_t)total,
		    "page", (json_int_t)page, "page_size", PAGE_SIZE, "users", list));
		return;
	}
	json_decref(list);
	view_set(v, "Form.Value.q", params[0]);
	view_set(v, "Form.Value.team", params[1]);
	view_set(v, "Form.Value.role", params[2]);
	view_set_int(v, "Page.Number", page);
	view_set_int(v, "Page.Total", total);
	view_set_int(v, "Page.Last", total ? (total + PAGE_SIZE - 1) / PAGE_SIZE : 1);
	view_set(v, "Page.Nav", "people");
	team_choices(r, v);
	if (is_admin(r))
		view_set(v, "Can.Invite", "1");
	if (kv_get(&r->query, "invited") != NULL)
		view_set(v, "Notice", "The invitation is on its way.");
	if (kv_get(&r->query, "deleted") != NULL)
		view_set(v, "Notice", "The person and all their data are deleted.");
	csrf_token(r);
	wt_html(r, 200, "admin_people.cs");
}

void
person_page(struct wt_req *r)
{
	const char *id = wt_str(r, "id"), *p = id;
	struct wt_view *v = req_view(r);
	PGresult *res, *teams;
	json_t *body, *tlist;

	if ((res = scoped_exec(r, "admin_user_get", 1, &p)) == NULL) {
		db_unavailable(r);
		return;
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		not_found(r, "person");
		return;
	}
	if ((teams = scoped_exec(r, "admin_user_teams", 1, &p)) == NULL) {
		PQclear(res);
		db_unavailable(r);
		return;
	}
	body = json_pack("{sI ss ss ss ss ss ss ss}", "id", (json_int_t)atoll(id),
	    "email", PQgetvalue(res, 0, 1), "display_name", PQgetvalue(res, 0, 2),
	    "role", PQgetvalue(res, 0, 3), "status", PQgetvalue(res, 0, 4),
	    "timezone", PQgetvalue(res, 0, 5), "created", PQgetvalue(res, 0, 6),
	    "last_seen", PQgetvalue(res, 0, 7));
	tlist = json_array();
	for (int i = 0; i < PQntuples(teams); i++) {
		json_array_append_new(tlist, json_pack("{sI ss ss}",
		    "id", (json_int_t)atoll(PQgetvalue(teams, i, 0)),
		    "name", PQgetvalue(teams, i, 1), "role", PQgetvalue(teams, i, 2)));
		view_setf(v, PQgetvalue(teams, i, 0), "Person.Teams.%d.id", i);
		view_setf(v, PQgetvalue(teams, i, 1), "Person.Teams.%d.name", i);
		view_setf(v, PQgetvalue(teams, i, 2), "Person.Teams.%d.role", i);
	}
	json_object_set_new(body, "teams", tlist);
	view_set(v, "Person.Id", id);
	view_set(v, "Person.Email", PQgetvalue(res, 0, 1));
	view_set(v, "Person.Name", PQgetvalue(res, 0, 2));
	view_set(v, "Person.Role", PQgetvalue(res, 0, 3));
	view_set(v, "Person.Status", PQgetvalue(res, 0, 4));
	view_set(v, "Person.Timezone", PQgetvalue(res, 0, 5));
	view_set(v, "Person.Created", PQgetvalue(res, 0, 6));
	view_set(v, "Person.LastSeen", PQgetvalue(res, 0, 7));
	view_set(v, "Form.Value.display_name", PQgetvalue(res, 0, 2));
	view_set(v, "Form.Value.role", PQgetvalue(res, 0, 3));
	PQclear(res);
	PQclear(teams);
	if (req_wants_json(r)) {
		wt_json(r, 200, body);
		return;
	}
	json_decref(body);
	if (is_admin(r)) {
		view_set(v, "Can.Edit", "1");
		team_choices(r, v);
	}
	if (kv_get(&r->query, "saved") != NULL)
		view_set(v, "Notice", "Saved.");
	view_set(v, "Page.Nav", "people");
	csrf_token(r);
	wt_html(r, 200, "admin_person.cs");
}

/* The person's row as JSON text for the audit log (caller frees), with
 * e-mail and role; NULL when there is no such person. */
static char *
snapshot(const char *id, char *email, size_t elen, char *role, size_t rlen, int *missing)
{
	PGresult *res = db_exec("admin_user_json", 1, &id);
	char *json;

	*missing = 0;
	if (res == NULL)
		return NULL;
	if (PQntuples(res) != 1) {
		PQclear(res);
		*missing = 1;
		return NULL;
	}
	json = xstrdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	if (email != NULL) {
		json_t *j = json_loads(json, 0, NULL);

		snprintf(email, elen, "%s", json_string_value(json_object_get(j, "email")));
		snprintf(role, rlen, "%s", json_string_value(json_object_get(j, "role")));
		json_decref(j);
	}
	return json;
}

/* 1 when the change would leave no active admin (answered 409), 0 when
 * it is fine, -1 on error.  Runs inside the caller's transaction and
 * locks the other admins' rows until it ends. */
static int
last_admin(struct wt_req *r, const char *id, const char *what)
{
	PGresult *res = db_exec("admin_other_admins", 1, &id);
	int others;

	if (res == NULL)
		return -1;
	others = PQntuples(res);
	PQclear(res);
	if (others > 0)
		return 0;
	db_rollback();
	wt_error(r, 409, NULL, "%s would leave the organisation without an admin; "
	    "make someone else admin first", what);
	return 1;
}

/* Begins a transaction and takes the person's snapshot; 0 when the
 * caller may go on, -1 after answering (404, 503). */
static int
begin_change(struct wt_req *r, const char *id, char **before, char *email, size_t elen,
    char *role, size_t rlen)
{
	int missing;

	if (db_begin() != 0) {
		db_unavailable(r);
		return -1;
	}
	*before = snapshot(id, email, elen, role, rlen, &missing);
	if (*before == NULL) {
		if (missing) {
			db_rollback();
			not_found(r, "person");
		} else
			db_unavailable(r);
		return -1;
	}
	return 0;
}

/* Records the change with the row after it, and commits. */
static int
finish_change(struct wt_req *r, const char *action, const char *id, const char *email,
    const char *before)
{
	int missing;
	char *after = snapshot(id, NULL, 0, NULL, 0, &missing);
	int rc = audit(r, action, "user", id, email, before, after);

	free(after);
	if (rc != 0 || db_commit() != 0) {
		db_unavailable(r);
		return -1;
	}
	return 0;
}

void
person_create(struct wt_req *r)
{
	const char *email = wt_str(r, "email"), *role = wt_str(r, "role");
	const char *team = wt_str(r, "team_id"), *params[5];
	char token[65], hash[65], *after;
	struct wt_buf body;
	PGresult *res;
	json_t *snap;
	int rc;

	if (role == NULL)
		role = "member";
	if ((res = db_exec("admin_user_by_email", 1, &email)) == NULL) {
		db_unavailable(r);
		return;
	}
	if (PQntuples(res) > 0) {
		PQclear(res);
		form_fail(r, 409, "email", "%s has an account already", email);
		return;
	}
	PQclear(res);
	if (team != NULL) {
		if ((res = db_exec("admin_team_json", 1, &team)) == NULL) {
			db_unavailable(r);
			return;
		}
		if (PQntuples(res) != 1) {
			PQclear(res);
			form_fail(r, 400, "team_id", "Team %s does not exist", team);
			return;
		}
		PQclear(res);
	}
	if (random_token_hex(32, token) != 0 || db_begin() != 0) {
		db_unavailable(r);
		return;
	}
	sha256_hex(token, 64, hash);
	params[0] = hash;
	params[1] = email;
	params[2] = role;
	params[3] = me(r);
	params[4] = team ? team : "0";
	if ((res = db_exec("admin_invite_insert", 5, params)) == NULL) {
		db_unavailable(r);
		return;
	}
	PQclear(res);
	snap = json_pack("{ss ss so}", "email", email, "role", role, "team_id",
	    team ? json_integer(atoll(team)) : json_null());
	after = json_dumps(snap, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(snap);
	rc = audit(r, "user.invite", "user", NULL, email, NULL, after);
	free(after);
	if (rc != 0 || db_commit() != 0) {
		db_unavailable(r);
		return;
	}
	buf_init(&body);
	buf_printf(&body, "Hello,\n\n%s invites you to %s, where your team keeps track of "
	    "its working time.\nCreate your account within 7 days with this link:\n\n"
	    "%s/register?invite=%s\n\n-- \n%s\n", r->user->display_name,
	    config_get("site.name"), config_get("site.url"), token, config_get("site.name"));
	mail_queue(email, "You are invited to Worktime", body.data);
	buf_free(&body);
	OPENSSL_cleanse(token, sizeof(token));
	log_info("admin", "user %lld invited %s as %s", r->user->id, email, role);
	done(r, 201, json_pack("{ss ss ss}", "status", "invited", "email", email, "role", role),
	    "/admin/users?invited=1");
}

void
person_edit(struct wt_req *r)
{
	const char *id = wt_str(r, "id"), *role = wt_str(r, "role"), *params[3];
	char *before, email[256], old_role[16];
	PGresult *res;

	if (begin_change(r, id, &before, email, sizeof(email), old_role, sizeof(old_role)) != 0)
		return;
	if (strcmp(old_role, "admin") == 0 && strcmp(role, "admin") != 0 &&
	    last_admin(r, id, "Changing this role") != 0) {
		free(before);
		if (!r->resp.done)
			db_unavailable(r);
		return;
	}
	params[0] = id;
	params[1] = wt_str(r, "display_name");
	params[2] = role;
	if ((res = db_exec("admin_user_update", 3, params)) == NULL) {
		free(before);
		db_unavailable(r);
		return;
	}
	PQclear(res);
	if (finish_change(r, "user.update", id, email, before) == 0) {
		char loc[64];

		snprintf(loc, sizeof(loc), "/admin/users/%s?saved=1", id);
		done(r, 200, json_pack("{ss ss ss}", "status", "saved", "display_name", params[1],
		    "role", role), loc);
	}
	free(before);
}

static void
set_status(struct wt_req *r, int enable)
{
	const char *id = wt_str(r, "id");
	char *before, email[256], role[16], loc[64];
	PGresult *res;

	if (begin_change(r, id, &before, email, sizeof(email), role, sizeof(role)) != 0)
		return;
	if (!enable && strcmp(role, "admin") == 0 &&
	    last_admin(r, id, "Deactivating this person") != 0) {
		free(before);
		if (!r->resp.done)
			db_unavailable(r);
		return;
	}
	if ((res = db_exec(enable ? "admin_user_enable" : "admin_user_disable", 1, &id)) == NULL) {
		free(before);
		db_unavailable(r);
		return;
	}
	if (atoll(PQcmdTuples(res)) == 0) {
		/* Nothing to do is not a change: no audit entry, and the
		 * answer says why. */
		PQclear(res);
		free(before);
		db_rollback();
		wt_error(r, 409, NULL, enable ? "this account is not disabled" :
		    "this account is disabled already");
		return;
	}
	PQclear(res);
	/* Signed out everywhere at once; their access tokens died with the
	 * token_version bump. */
	if (!enable && (res = db_exec("admin_user_sessions_end", 1, &id)) != NULL)
		PQclear(res);
	if (finish_change(r, enable ? "user.activate" : "user.deactivate", id, email,
	    before) == 0) {
		snprintf(loc, sizeof(loc), "/admin/users/%s?saved=1", id);
		done(r, 200, json_pack("{ss}", "status", enable ? "active" : "disabled"), loc);
	}
	free(before);
}

void
person_deactivate(struct wt_req *r)
{
	set_status(r, 0);
}

void
person_activate(struct wt_req *r)
{
	set_status(r, 1);
}

void
person_delete(struct wt_req *r)
{
	const char *id = wt_str(r, "id"), *confirm = wt_str(r, "confirm");
	char *before, email[256], role[16];
	PGresult *res;

	if (begin_change(r, id, &before, email, sizeof(email), role, sizeof(role)) != 0)
		return;
	if (confirm == NULL || strcmp(confirm, email) != 0) {
		db_rollback();
		free(before);
		wt_error(r, 400, "confirm", "type the person's e-mail address (%s) to confirm "
		    "the deletion", email);
		return;
	}
	if (strcmp(role, "admin") == 0 && last_admin(r, id, "Deleting this person") != 0) {
		free(before);
		if (!r->resp.done)
			db_unavailable(r);
		return;
	}
	/* Everything of theirs goes with them, through ON DELETE CASCADE:
	 * sessions, tokens, memberships, devices, activity, screenshots. */
	if ((res = db_exec("admin_user_delete", 1, &id)) == NULL) {
		free(before);
		db_unavailable(r);
		return;
	}
	PQclear(res);
	if (audit(r, "user.delete", "user", id, email, before, NULL) != 0 ||
	    db_commit() != 0) {
		free(before);
		db_unavailable(r);
		return;
	}
	free(before);
	log_info("admin", "user %lld deleted user %s", r->user->id, id);
	done(r, 200, json_pack("{ss}", "status", "deleted"), "/admin/users?deleted=1");
}
