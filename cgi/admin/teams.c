/* Teams and their members.  Admins shape them; a manager sees the teams
 * they manage.  Making someone a team's manager also makes a plain member
 * a manager, since the manager pages need that role. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "log.h"
#include "view.h"

static const char *const team_roles[] = { "member", "manager", NULL };

#define TEAM_ID \
	{ .name = "id", .src = WT_SRC_PATH, .type = WT_T_INT, .flags = WT_REQUIRED, \
	  .min = 1, .max = 1LL << 53, .label = "Team" }

const struct wt_field team_fields[] = { TEAM_ID, { .name = NULL } };

const struct wt_field team_create_fields[] = {
	{ .name = "name", .src = WT_SRC_BODY, .type = WT_T_STRING, .flags = WT_REQUIRED,
	  .min = 1, .max = 100, .label = "Name" },
	{ .name = NULL }
};

const struct wt_field team_rename_fields[] = {
	TEAM_ID,
	{ .name = "name", .src = WT_SRC_BODY, .type = WT_T_STRING, .flags = WT_REQUIRED,
	  .min = 1, .max = 100, .label = "Name" },
	{ .name = NULL }
};

const struct wt_field member_add_fields[] = {
	TEAM_ID,
	{ .name = "email", .src = WT_SRC_BODY, .type = WT_T_EMAIL, .label = "E-mail" },
	{ .name = "user_id", .src = WT_SRC_BODY, .type = WT_T_INT, .min = 1,
	  .max = 1LL << 53, .label = "Person" },
	{ .name = "role", .src = WT_SRC_BODY, .type = WT_T_ENUM, .choices = team_roles,
	  .label = "Role in the team" },
	{ .name = NULL }
};

const struct wt_field member_fields[] = {
	TEAM_ID,
	{ .name = "user", .src = WT_SRC_PATH, .type = WT_T_INT, .flags = WT_REQUIRED,
	  .min = 1, .max = 1LL << 53, .label = "Person" },
	{ .name = NULL }
};

void
teams_page(struct wt_req *r)
{
	struct wt_view *v = req_view(r);
	PGresult *res = scoped_exec(r, "admin_teams_list", 0, NULL);
	json_t *list;

	if (res == NULL) {
		db_unavailable(r);
		return;
	}
	list = json_array();
	for (int i = 0; i < PQntuples(res); i++) {
		json_array_append_new(list, json_pack("{sI ss sI ss}",
		    "id", (json_int_t)atoll(PQgetvalue(res, i, 0)), "name", PQgetvalue(res, i, 1),
		    "members", (json_int_t)atoll(PQgetvalue(res, i, 2)),
		    "managers", PQgetvalue(res, i, 3)));
		view_setf(v, PQgetvalue(res, i, 0), "TeamList.%d.id", i);
		view_setf(v, PQgetvalue(res, i, 1), "TeamList.%d.name", i);
		view_setf(v, PQgetvalue(res, i, 2), "TeamList.%d.members", i);
		view_setf(v, PQgetvalue(res, i, 3), "TeamList.%d.managers", i);
	}
	PQclear(res);
	if (req_wants_json(r)) {
		wt_json(r, 200, json_pack("{so}", "teams", list));
		return;
	}
	json_decref(list);
	if (is_admin(r))
		view_set(v, "Can.Edit", "1");
	if (kv_get(&r->query, "deleted") != NULL)
		view_set(v, "Notice", "The team is deleted; its people are not.");
	view_set(v, "Page.Nav", "teams");
	csrf_token(r);
	wt_html(r, 200, "admin_teams.cs");
}

void
team_page(struct wt_req *r)
{
	const char *id = wt_str(r, "id"), *p = id;
	struct wt_view *v = req_view(r);
	PGresult *res, *members;
	json_t *body, *list;

	if ((res = scoped_exec(r, "admin_team_get", 1, &p)) == NULL) {
		db_unavailable(r);
		return;
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		not_found(r, "team");
		return;
	}
	if ((members = db_exec("admin_team_members", 1, &p)) == NULL) {
		PQclear(res);
		db_unavailable(r);
		return;
	}
	list = json_array();
	for (int i = 0; i < PQntuples(members); i++) {
		json_array_append_new(list, json_pack("{sI ss ss ss ss}",
		    "id", (json_int_t)atoll(PQgetvalue(members, i, 0)),
		    "display_name", PQgetvalue(members, i, 1), "email", PQgetvalue(members, i, 2),
		    "role", PQgetvalue(members, i, 3), "status", PQgetvalue(members, i, 4)));
		view_setf(v, PQgetvalue(members, i, 0), "Members.%d.id", i);
		view_setf(v, PQgetvalue(members, i, 1), "Members.%d.name", i);
		view_setf(v, PQgetvalue(members, i, 2), "Members.%d.email", i);
		view_setf(v, PQgetvalue(members, i, 3), "Members.%d.role", i);
		view_setf(v, PQgetvalue(members, i, 4), "Members.%d.status", i);
	}
	body = json_pack("{sI ss ss so}", "id", (json_int_t)atoll(id),
	    "name", PQgetvalue(res, 0, 1), "created", PQgetvalue(res, 0, 2), "members", list);
	view_set(v, "Team.Id", id);
	view_set(v, "Team.Name", PQgetvalue(res, 0, 1));
	view_set(v, "Team.Created", PQgetvalue(res, 0, 2));
	view_set(v, "Form.Value.name", PQgetvalue(res, 0, 1));
	PQclear(res);
	PQclear(members);
	if (req_wants_json(r)) {
		wt_json(r, 200, body);
		return;
	}
	json_decref(body);
	if (is_admin(r))
		view_set(v, "Can.Edit", "1");
	if (kv_get(&r->query, "saved") != NULL)
		view_set(v, "Notice", "Saved.");
	view_set(v, "Page.Nav", "teams");
	csrf_token(r);
	wt_html(r, 200, "admin_team.cs");
}

/* The team's snapshot for the audit log; NULL (and answered) when the
 * team does not exist or the database failed. */
static char *
team_snapshot(struct wt_req *r, const char *id)
{
	PGresult *res = db_exec("admin_team_json", 1, &id);
	char *json;

	if (res == NULL) {
		db_unavailable(r);
		return NULL;
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		db_rollback();
		not_found(r, "team");
		return NULL;
	}
	json = xstrdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	return json;
}

static void
team_taken(struct wt_req *r, const char *name)
{
	db_rollback();
	form_fail(r, 409, "name", "A team called '%s' exists already", name);
}

void
team_create(struct wt_req *r)
{
	const char *name = wt_str(r, "name");
	char id[32], loc[64], *after;
	PGresult *res;
	json_t *snap;
	int rc;

	if (db_begin() != 0) {
		db_unavailable(r);
		return;
	}
	if ((res = db_exec("admin_team_insert", 1, &name)) == NULL) {
		if (strcmp(db_sqlstate(), SQLSTATE_UNIQUE_VIOLATION) == 0)
			team_taken(r, name);
		else
			db_unavailable(r);
		return;
	}
	snprintf(id, sizeof(id), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	snap = json_pack("{sI ss}", "id", (json_int_t)atoll(id), "name", name);
	after = json_dumps(snap, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(snap);
	rc = audit(r, "team.create", "team", id, name, NULL, after);
	free(after);
	if (rc != 0 || db_commit() != 0) {
		db_unavailable(r);
		return;
	}
	snprintf(loc, sizeof(loc), "/admin/teams/%s", id);
	done(r, 201, json_pack("{sI ss}", "id", (json_int_t)atoll(id), "name", name), loc);
}

void
team_rename(struct wt_req *r)
{
	const char *id = wt_str(r, "id"), *name = wt_str(r, "name"), *params[2] = { id, name };
	char *before, *after, loc[64];
	PGresult *res;
	int rc;

	if (db_begin() != 0) {
		db_unavailable(r);
		return;
	}
	if ((before = team_snapshot(r, id)) == NULL)
		return;
	if ((res = db_exec("admin_team_rename", 2, params)) == NULL) {
		free(before);
		if (strcmp(db_sqlstate(), SQLSTATE_UNIQUE_VIOLATION) == 0)
			team_taken(r, name);
		else
			db_unavailable(r);
		return;
	}
	PQclear(res);
	after = team_snapshot(r, id);
	rc = after ? audit(r, "team.rename", "team", id, name, before, after) : -1;
	free(before);
	free(after);
	if (r->resp.done)
		return;
	if (rc != 0 || db_commit() != 0) {
		db_unavailable(r);
		return;
	}
	snprintf(loc, sizeof(loc), "/admin/teams/%s?saved=1", id);
	done(r, 200, json_pack("{sI ss}", "id", (json_int_t)atoll(id), "name", name), loc);
}

void
team_delete(struct wt_req *r)
{
	const char *id = wt_str(r, "id");
	char *before;
	PGresult *res;
	json_t *j;
	int rc;

	if (db_begin() != 0) {
		db_unavailable(r);
		return;
	}
	if ((before = team_snapshot(r, id)) == NULL)
		return;
	if ((res = db_exec("admin_team_delete", 1, &id)) == NULL) {
		free(before);
		db_unavailable(r);
		return;
	}
	PQclear(res);
	j = json_loads(before, 0, NULL);
	rc = audit(r, "team.delete", "team", id, json_string_value(json_object_get(j, "name")),
	    before, NULL);
	json_decref(j);
	free(before);
	if (rc != 0 || db_commit() != 0) {
		db_unavailable(r);
		return;
	}
	done(r, 200, json_pack("{ss}", "status", "deleted"), "/admin/teams?deleted=1");
}

/* The person named by user_id or email: 1 and the id, 0 answered. */
static int
member_target(struct wt_req *r, char *uid, size_t len)
{
	const char *email = wt_str(r, "email"), *given = wt_str(r, "user_id");
	PGresult *res;

	if (given != NULL) {
		snprintf(uid, len, "%s", given);
		res = db_exec("admin_user_json", 1, &given);
	} else if (email != NULL)
		res = db_exec("admin_user_by_email", 1, &email);
	else {
		wt_error(r, 400, "email", "name the person by email or user_id");
		return 0;
	}
	if (res == NULL) {
		db_unavailable(r);
		return 0;
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		wt_error(r, 400, given ? "user_id" : "email", "there is no such person");
		return 0;
	}
	if (given == NULL)
		snprintf(uid, len, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return 1;
}

static char *
membership_json(const char *team, const char *uid, const char *role)
{
	json_t *j = json_pack("{sI sI so}", "team_id", (json_int_t)atoll(team),
	    "user_id", (json_int_t)atoll(uid), "role", role ? json_string(role) : json_null());
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);

	json_decref(j);
	return s;
}

void
member_add(struct wt_req *r)
{
	const char *team = wt_str(r, "id"), *role = wt_str(r, "role"), *params[3];
	char uid[32], loc[64], *before = NULL, *after, *team_json;
	PGresult *res;
	int rc;

	if (role == NULL)
		role = "member";
	if (!member_target(r, uid, sizeof(uid)) || db_begin() != 0) {
		if (!r->resp.done)
			db_unavailable(r);
		return;
	}
	if ((team_json = team_snapshot(r, team)) == NULL)
		return;
	free(team_json);
	params[0] = team;
	params[1] = uid;
	params[2] = role;
	if ((res = db_exec("admin_member_get", 2, params)) == NULL) {
		db_unavailable(r);
		return;
	}
	if (PQntuples(res) == 1)
		before = membership_json(team, uid, PQgetvalue(res, 0, 0));
	PQclear(res);
	if ((res = db_exec("admin_member_upsert", 3, params)) == NULL) {
		free(before);
		db_unavailable(r);
		return;
	}
	PQclear(res);
	if (strcmp(role, "manager") == 0) {
		const char *u = uid;

		if ((res = db_exec("admin_promote_manager", 1, &u)) == NULL) {
			free(before);
			db_unavailable(r);
			return;
		}
		if (atoll(PQcmdTuples(res)) > 0)
			log_info("admin", "user %s became a manager with their first team", uid);
		PQclear(res);
	}
	after = membership_json(team, uid, role);
	rc = audit(r, before ? "team.member_role" : "team.member_add", "team", team, uid,
	    before, after);
	free(before);
	free(after);
	if (rc != 0 || db_commit() != 0) {
		db_unavailable(r);
		return;
	}
	snprintf(loc, sizeof(loc), "/admin/teams/%s?saved=1", team);
	done(r, 200, json_pack("{sI sI ss}", "team_id", (json_int_t)atoll(team),
	    "user_id", (json_int_t)atoll(uid), "role", role), loc);
}

void
member_remove(struct wt_req *r)
{
	const char *team = wt_str(r, "id"), *uid = wt_str(r, "user"), *params[2] = { team, uid };
	char loc[64], *before;
	PGresult *res;
	int rc;

	if (db_begin() != 0) {
		db_unavailable(r);
		return;
	}
	if ((res = db_exec("admin_member_get", 2, params)) == NULL) {
		db_unavailable(r);
		return;
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		db_rollback();
		not_found(r, "membership");
		return;
	}
	before = membership_json(team, uid, PQgetvalue(res, 0, 0));
	PQclear(res);
	if ((res = db_exec("admin_member_delete", 2, params)) == NULL) {
		free(before);
		db_unavailable(r);
		return;
	}
	PQclear(res);
	rc = audit(r, "team.member_remove", "team", team, uid, before, NULL);
	free(before);
	if (rc != 0 || db_commit() != 0) {
		db_unavailable(r);
		return;
	}
	snprintf(loc, sizeof(loc), "/admin/teams/%s?saved=1", team);
	done(r, 200, json_pack("{ss}", "status", "removed"), loc);
}
