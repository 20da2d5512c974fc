/* Teams and their members.  Admins shape them; a manager sees the teams
 * they manage.  Making someone a team's manager also makes a plain member
 * a manager, since the manager pages need that role. */
#include "config.h"

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

const struct wt_field teams_page_fields[] = { NOTICE_FIELD("deleted"), { .name = NULL } };

const struct wt_field team_page_fields[] = {
	TEAM_ID,
	NOTICE_FIELD("saved"),
	{ .name = NULL }
};

const struct wt_field team_create_fields[] = {
	{ .name = "name", .src = WT_SRC_BODY, .type = WT_T_STRING, .flags = WT_REQUIRED,
	  .min = 1, .max = 100, .check = check_one_line, .label = "Name" },
	{ .name = NULL }
};

const struct wt_field team_rename_fields[] = {
	TEAM_ID,
	{ .name = "name", .src = WT_SRC_BODY, .type = WT_T_STRING, .flags = WT_REQUIRED,
	  .min = 1, .max = 100, .check = check_one_line, .label = "Name" },
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

struct wt_err *
teams_page(struct wt_req *r)
{
	struct wt_view *v;
	struct wt_err *e;
	PGresult *res;
	json_t *list;

	if ((e = scoped_exec(r, ST_ADMIN_TEAMS_LIST, 0, NULL, &res)) != NULL)
		return e;
	v = req_view(r);
	list = json_array();
	for (int i = 0; i < PQntuples(res); i++) {
		json_array_append_new(list, json_pack("{sI ss sI ss}",
		    "id", (json_int_t)atoll(PQgetvalue(res, i, C_TLIST_ID)),
		    "name", PQgetvalue(res, i, C_TLIST_NAME),
		    "members", (json_int_t)atoll(PQgetvalue(res, i, C_TLIST_MEMBERS)),
		    "managers", PQgetvalue(res, i, C_TLIST_MANAGERS)));
		view_setf(v, PQgetvalue(res, i, C_TLIST_ID), "TeamList.%d.id", i);
		view_setf(v, PQgetvalue(res, i, C_TLIST_NAME), "TeamList.%d.name", i);
		view_setf(v, PQgetvalue(res, i, C_TLIST_MEMBERS), "TeamList.%d.members", i);
		view_setf(v, PQgetvalue(res, i, C_TLIST_MANAGERS), "TeamList.%d.managers", i);
	}
	PQclear(res);
	if (req_wants_json(r))
		return wt_json(r, 200, json_pack("{so}", "teams", list));
	json_decref(list);
	if (is_admin(r))
		view_set(v, "Can.Edit", "1");
	if (wt_bool(r, "deleted", 0))
		view_set(v, "Notice", "The team is deleted; its people are not.");
	view_set(v, "Page.Nav", "teams");
	return wt_html(r, 200, "admin_teams.cs");
}

struct wt_err *
team_page(struct wt_req *r)
{
	const char *id = wt_str(r, "id"), *p = id;
	struct wt_view *v;
	PGresult *res, *members;
	struct wt_err *e;
	json_t *body, *list;

	if ((e = scoped_exec(r, ST_ADMIN_TEAM_GET, 1, &p, &res)) != NULL)
		return e;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return not_found("team");
	}
	if ((members = db_exec(ST_ADMIN_TEAM_MEMBERS, 1, &p)) == NULL) {
		PQclear(res);
		return db_err();
	}
	v = req_view(r);
	list = json_array();
	for (int i = 0; i < PQntuples(members); i++) {
		json_array_append_new(list, json_pack("{sI ss ss ss ss}",
		    "id", (json_int_t)atoll(PQgetvalue(members, i, C_TMEM_ID)),
		    "display_name", PQgetvalue(members, i, C_TMEM_NAME),
		    "email", PQgetvalue(members, i, C_TMEM_EMAIL),
		    "role", PQgetvalue(members, i, C_TMEM_ROLE),
		    "status", PQgetvalue(members, i, C_TMEM_STATUS)));
		view_setf(v, PQgetvalue(members, i, C_TMEM_ID), "Members.%d.id", i);
		view_setf(v, PQgetvalue(members, i, C_TMEM_NAME), "Members.%d.name", i);
		view_setf(v, PQgetvalue(members, i, C_TMEM_EMAIL), "Members.%d.email", i);
		view_setf(v, PQgetvalue(members, i, C_TMEM_ROLE), "Members.%d.role", i);
		view_setf(v, PQgetvalue(members, i, C_TMEM_STATUS), "Members.%d.status", i);
	}
	body = json_pack("{sI ss ss so}", "id", (json_int_t)atoll(id),
	    "name", PQgetvalue(res, 0, C_TGET_NAME), "created", PQgetvalue(res, 0, C_TGET_CREATED),
	    "members", list);
	view_set(v, "Team.Id", id);
	view_set(v, "Team.Name", PQgetvalue(res, 0, C_TGET_NAME));
	view_set(v, "Team.Created", PQgetvalue(res, 0, C_TGET_CREATED));
	view_set(v, "Form.Value.name", PQgetvalue(res, 0, C_TGET_NAME));
	PQclear(res);
	PQclear(members);
	if (req_wants_json(r))
		return wt_json(r, 200, body);
	json_decref(body);
	if (is_admin(r))
		view_set(v, "Can.Edit", "1");
	if (wt_bool(r, "saved", 0))
		view_set(v, "Notice", "Saved.");
	view_set(v, "Page.Nav", "teams");
	return wt_html(r, 200, "admin_team.cs");
}

/* The team's row for the audit log (*json, and its name in *name when
 * name is not NULL, both the caller's to free); 404 when there is no
 * such team, or the database's error. */
static struct wt_err *
team_load(const char *id, char **json, char **name)
{
	PGresult *res = db_exec(ST_ADMIN_TEAM_JSON, 1, &id);

	*json = NULL;
	if (name != NULL)
		*name = NULL;
	if (res == NULL)
		return db_err();
	if (PQntuples(res) != 1) {
		PQclear(res);
		return not_found("team");
	}
	*json = xstrdup(PQgetvalue(res, 0, C_TJSON_JSON));
	if (name != NULL)
		*name = xstrdup(PQgetvalue(res, 0, C_TJSON_NAME));
	PQclear(res);
	return NULL;
}

/* After an insert or rename failed: the name is taken (said with the
 * name, for the person who typed it), or whatever else went wrong. */
static struct wt_err *
team_write_failed(const char *name)
{
	if (strcmp(db_sqlstate(), SQLSTATE_UNIQUE_VIOLATION) == 0) {
		db_rollback();
		return wt_form_fail(409, "name", "A team called '%s' exists already", name);
	}
	return db_err();
}

/* "/admin/teams/ID" with suffix */
static char *
team_location(const char *id, const char *suffix)
{
	struct wt_buf loc;

	buf_init(&loc);
	buf_printf(&loc, "/admin/teams/%s%s", id, suffix);
	return buf_take(&loc);
}

struct wt_err *
team_create(struct wt_req *r)
{
	const char *name = wt_str(r, "name");
	char *id, *loc, *after;
	struct wt_err *e;
	PGresult *res;

	if (db_begin() != 0)
		return db_err();
	if ((res = db_exec(ST_ADMIN_TEAM_INSERT, 1, &name)) == NULL)
		return team_write_failed(name);
	id = xstrdup(PQgetvalue(res, 0, C_TINS_ID));
	PQclear(res);
	after = json_text(json_pack("{sI ss}", "id", (json_int_t)atoll(id), "name", name));
	e = audit(r, "team.create", "team", id, name, NULL, after);
	free(after);
	if (e == NULL && db_commit() != 0)
		e = db_err();
	if (e == NULL) {
		loc = team_location(id, "");
		e = done(r, 201, json_pack("{sI ss}", "id", (json_int_t)atoll(id), "name", name),
		    loc);
		free(loc);
	}
	free(id);
	return e;
}

struct wt_err *
team_rename(struct wt_req *r)
{
	const char *id = wt_str(r, "id"), *name = wt_str(r, "name"), *params[2] = { id, name };
	char *before = NULL, *after = NULL, *loc;
	struct wt_err *e;
	PGresult *res;

	if (db_begin() != 0)
		return db_err();
	if ((e = team_load(id, &before, NULL)) != NULL)
		return e;
	if ((res = db_exec(ST_ADMIN_TEAM_RENAME, 2, params)) == NULL) {
		e = team_write_failed(name);
		goto out;
	}
	PQclear(res);
	if ((e = team_load(id, &after, NULL)) != NULL ||
	    (e = audit(r, "team.rename", "team", id, name, before, after)) != NULL)
		goto out;
	if (db_commit() != 0) {
		e = db_err();
		goto out;
	}
	loc = team_location(id, "?saved=1");
	e = done(r, 200, json_pack("{sI ss}", "id", (json_int_t)atoll(id), "name", name), loc);
	free(loc);
out:
	free(before);
	free(after);
	return e;
}

struct wt_err *
team_delete(struct wt_req *r)
{
	const char *id = wt_str(r, "id");
	char *before, *name;
	struct wt_err *e;

	if (db_begin() != 0)
		return db_err();
	if ((e = team_load(id, &before, &name)) != NULL)
		return e;
	if (db_exec_count(ST_ADMIN_TEAM_DELETE, 1, &id) < 0)
		e = db_err();
	else if ((e = audit(r, "team.delete", "team", id, name, before, NULL)) == NULL &&
	    db_commit() != 0)
		e = db_err();
	free(before);
	free(name);
	if (e != NULL)
		return e;
	return done(r, 200, json_pack("{ss}", "status", "deleted"), "/admin/teams?deleted=1");
}

/* The person named by user_id or email: NULL and their id in *uid (the
 * caller frees it), or a 400 naming the field, or the database's error. */
static struct wt_err *
member_target(struct wt_req *r, char **uid)
{
	const char *email = wt_str(r, "email"), *given = wt_str(r, "user_id");
	PGresult *res;

	*uid = NULL;
	if (given != NULL)
		res = db_exec(ST_ADMIN_USER_JSON, 1, &given);
	else if (email != NULL)
		res = db_exec(ST_ADMIN_USER_BY_EMAIL, 1, &email);
	else
		return wt_fail(400, "email", "name the person by email or user_id");
	if (res == NULL)
		return db_err();
	if (PQntuples(res) != 1) {
		PQclear(res);
		return wt_fail(400, given ? "user_id" : "email", "there is no such person");
	}
	*uid = xstrdup(given != NULL ? given : PQgetvalue(res, 0, C_UEMAIL_ID));
	PQclear(res);
	return NULL;
}

static char *
membership_json(const char *team, const char *uid, const char *role)
{
	return json_text(json_pack("{sI sI so}", "team_id", (json_int_t)atoll(team),
	    "user_id", (json_int_t)atoll(uid), "role", role ? json_string(role) : json_null()));
}

struct wt_err *
member_add(struct wt_req *r)
{
	const char *team = wt_str(r, "id"), *role = wt_str(r, "role"), *params[3];
	char *uid, *before = NULL, *after = NULL, *team_json = NULL, *loc;
	struct wt_err *e;
	PGresult *res;
	long long promoted;

	if (role == NULL)
		role = "member";
	if ((e = member_target(r, &uid)) != NULL)
		return e;
	if (db_begin() != 0) {
		e = db_err();
		goto out;
	}
	if ((e = team_load(team, &team_json, NULL)) != NULL)
		goto out;
	params[0] = team;
	params[1] = uid;
	params[2] = role;
	if ((res = db_exec(ST_ADMIN_MEMBER_GET, 2, params)) == NULL) {
		e = db_err();
		goto out;
	}
	if (PQntuples(res) == 1)
		before = membership_json(team, uid, PQgetvalue(res, 0, C_MGET_ROLE));
	PQclear(res);
	if (db_exec_count(ST_ADMIN_MEMBER_UPSERT, 3, params) < 0) {
		e = db_err();
		goto out;
	}
	if (strcmp(role, "manager") == 0) {
		const char *u = uid;

		if ((promoted = db_exec_count(ST_ADMIN_PROMOTE_MANAGER, 1, &u)) < 0) {
			e = db_err();
			goto out;
		}
		if (promoted > 0)
			log_info("admin", "user %s became a manager with their first team", uid);
	}
	after = membership_json(team, uid, role);
	if ((e = audit(r, before ? "team.member_role" : "team.member_add", "team", team, uid,
	    before, after)) != NULL)
		goto out;
	if (db_commit() != 0) {
		e = db_err();
		goto out;
	}
	loc = team_location(team, "?saved=1");
	e = done(r, 200, json_pack("{sI sI ss}", "team_id", (json_int_t)atoll(team),
	    "user_id", (json_int_t)atoll(uid), "role", role), loc);
	free(loc);
out:
	free(uid);
	free(team_json);
	free(before);
	free(after);
	return e;
}

struct wt_err *
member_remove(struct wt_req *r)
{
	const char *team = wt_str(r, "id"), *uid = wt_str(r, "user"), *params[2] = { team, uid };
	char *before, *loc;
	struct wt_err *e;
	PGresult *res;

	if (db_begin() != 0)
		return db_err();
	if ((res = db_exec(ST_ADMIN_MEMBER_GET, 2, params)) == NULL)
		return db_err();
	if (PQntuples(res) != 1) {
		PQclear(res);
		return not_found("membership");
	}
	before = membership_json(team, uid, PQgetvalue(res, 0, C_MGET_ROLE));
	PQclear(res);
	if (db_exec_count(ST_ADMIN_MEMBER_DELETE, 2, params) < 0)
		e = db_err();
	else if ((e = audit(r, "team.member_remove", "team", team, uid, before, NULL)) == NULL &&
	    db_commit() != 0)
		e = db_err();
	free(before);
	if (e != NULL)
		return e;
	loc = team_location(team, "?saved=1");
	e = done(r, 200, json_pack("{ss}", "status", "removed"), loc);
	free(loc);
	return e;
}
