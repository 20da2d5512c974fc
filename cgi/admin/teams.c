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

const struct wt_field teams_page_fields[] = { NOTICE_FIELD("deleted"), { .name = NULL } };

const struct wt_field team_page_fields[] = {
	TEAM_ID,
	NOTICE_FIELD("saved"),
	NOTICE_FIELD("removed"),
	{ .name = "member", .src = WT_SRC_QUERY, .type = WT_T_INT, .min = 1, .max = 1LL << 53 },
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

/* The list of teams: into the view, and into *list for JSON when list
 * is not NULL. */
static struct wt_err *
teams_load(struct wt_req *r, json_t **list)
{
	struct wt_view *v;
	struct wt_err *e;
	PGresult *res;

	if ((e = scoped_exec(r, ST_ADMIN_TEAMS_LIST, 0, NULL, &res)) != NULL)
		return e;
	v = req_view(r);
	if (list != NULL)
		*list = json_array();
	for (int i = 0; i < PQntuples(res); i++) {
		if (list != NULL)
			json_array_append_new(*list, json_pack("{sI ss sI ss}",
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
	if (is_admin(r))
		view_set(v, "Can.Edit", "1");
	view_set(v, "Page.Nav", "teams");
	return NULL;
}

struct wt_err *
teams_fill(struct wt_req *r)
{
	return teams_load(r, NULL);
}

struct wt_err *
teams_page(struct wt_req *r)
{
	struct wt_err *e;
	json_t *list = NULL;

	if ((e = teams_load(r, req_wants_json(r) ? &list : NULL)) != NULL)
		return e;
	if (list != NULL)
		return wt_json(r, 200, json_pack("{so}", "teams", list));
	if (wt_bool(r, "deleted", 0))
		view_set(req_view(r), "Notice", "The team is deleted; its people and their "
		    "data are kept.");
	return wt_html(r, 200, "admin_teams.cs");
}

/* One team and its members: into the view, and into *body for JSON when
 * body is not NULL.  404 outside the caller's scope. */
static struct wt_err *
team_load_page(struct wt_req *r, const char *id, json_t **body)
{
	const char *p = id;
	struct wt_view *v;
	PGresult *res, *members;
	struct wt_err *e;
	json_t *list;

	if (id == NULL)
		return not_found("team");
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
	if (body != NULL)
		*body = json_pack("{sI ss ss so}", "id", (json_int_t)atoll(id),
		    "name", PQgetvalue(res, 0, C_TGET_NAME),
		    "created", PQgetvalue(res, 0, C_TGET_CREATED), "members", list);
	else
		json_decref(list);
	view_set(v, "Team.Id", id);
	view_set(v, "Team.Name", PQgetvalue(res, 0, C_TGET_NAME));
	view_set(v, "Team.Created", PQgetvalue(res, 0, C_TGET_CREATED));
	view_set_int(v, "Team.Size", PQntuples(members));
	view_set(v, "Form.Value.name", PQgetvalue(res, 0, C_TGET_NAME));
	PQclear(res);
	PQclear(members);
	if (is_admin(r))
		view_set(v, "Can.Edit", "1");
	view_set(v, "Page.Nav", "teams");
	return NULL;
}

struct wt_err *
team_fill(struct wt_req *r)
{
	return team_load_page(r, wt_str(r, "id"), NULL);
}

/* Member uid's row number on the page, -1 if they are not listed. */
static int
member_row(struct wt_view *v, const char *uid)
{
	char name[48];
	const char *id;

	for (int i = 0; i < 100000; i++) {
		snprintf(name, sizeof(name), "Members.%d.id", i);
		if ((id = view_get(v, name)) == NULL)
			break;
		if (strcmp(id, uid) == 0)
			return i;
	}
	return -1;
}

static const char *
member_value(struct wt_view *v, int row, const char *col)
{
	char name[48];

	snprintf(name, sizeof(name), "Members.%d.%s", row, col);
	return view_get(v, name);
}

struct wt_err *
team_page(struct wt_req *r)
{
	const char *uid;
	struct wt_view *v;
	struct wt_err *e;
	json_t *body = NULL;
	struct wt_buf text;
	int row;

	if ((e = team_load_page(r, wt_str(r, "id"), req_wants_json(r) ? &body : NULL)) != NULL)
		return e;
	if (body != NULL)
		return wt_json(r, 200, body);
	v = req_view(r);
	buf_init(&text);
	if (wt_bool(r, "saved", 0))
		buf_printf(&text, "The team is now called %s.", view_get(v, "Team.Name"));
	else if ((uid = wt_str(r, "member")) != NULL && (row = member_row(v, uid)) >= 0)
		buf_printf(&text, "%s is %s of %s.", member_value(v, row, "name"),
		    strcmp(member_value(v, row, "role"), "manager") == 0 ? "a manager" :
		    "a member", view_get(v, "Team.Name"));
	else if (wt_bool(r, "removed", 0))
		buf_printf(&text, "The person is removed from %s; their account and data are "
		    "kept.", view_get(v, "Team.Name"));
	if (text.len > 0)
		view_set(v, "Notice", text.data);
	buf_free(&text);
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

/* The person named by user_id or email: NULL and their id and e-mail in
 * *uid and *email (the caller frees them), or a 400 naming the field, or
 * the database's error. */
static struct wt_err *
member_target(struct wt_req *r, char **uid, char **mail)
{
	const char *email = wt_str(r, "email"), *given = wt_str(r, "user_id");
	PGresult *res;

	*uid = *mail = NULL;
	if (given != NULL)
		res = db_exec(ST_ADMIN_USER_JSON, 1, &given);
	else if (email != NULL)
		res = db_exec(ST_ADMIN_USER_BY_EMAIL, 1, &email);
	else
		return wt_form_fail(400, "email", "E-mail is required: whom should the team get?");
	if (res == NULL)
		return db_err();
	if (PQntuples(res) != 1) {
		PQclear(res);
		if (given != NULL)
			return wt_form_fail(400, "user_id", "That person does not exist any more");
		return wt_form_fail(400, "email", "Nobody has an account with the address %s; "
		    "invite them first (People, Invite a person)", email);
	}
	*uid = xstrdup(given != NULL ? given : PQgetvalue(res, 0, C_UEMAIL_ID));
	*mail = xstrdup(PQgetvalue(res, 0, given != NULL ? C_UJSON_EMAIL : C_UEMAIL_EMAIL));
	PQclear(res);
	return NULL;
}

/* "?member=UID": the page says what became of them. */
static const char *
member_suffix(const char *uid)
{
	static char s[40];

	snprintf(s, sizeof(s), "?member=%s", uid);	/* a number: it fits */
	return s;
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
	char *uid, *mail = NULL, *before = NULL, *after = NULL, *team_json = NULL, *loc;
	struct wt_err *e;
	PGresult *res;
	long long promoted;

	if (role == NULL)
		role = "member";
	/* The team first: a team that does not exist is a 404 whatever
	 * the form says. */
	uid = NULL;
	if (db_begin() != 0)
		return db_err();
	if ((e = team_load(team, &team_json, NULL)) != NULL ||
	    (e = member_target(r, &uid, &mail)) != NULL)
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
	if ((e = audit(r, before ? "team.member_role" : "team.member_add", "team", team, mail,
	    before, after)) != NULL)
		goto out;
	if (db_commit() != 0) {
		e = db_err();
		goto out;
	}
	loc = team_location(team, member_suffix(uid));
	e = done(r, 200, json_pack("{sI sI ss}", "team_id", (json_int_t)atoll(team),
	    "user_id", (json_int_t)atoll(uid), "role", role), loc);
	free(loc);
out:
	free(uid);
	free(mail);
	free(team_json);
	free(before);
	free(after);
	return e;
}

struct wt_err *
member_remove(struct wt_req *r)
{
	const char *team = wt_str(r, "id"), *uid = wt_str(r, "user"), *params[2] = { team, uid };
	char *before, *loc, *mail;
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
	mail = xstrdup(PQgetvalue(res, 0, C_MGET_EMAIL));
	before = membership_json(team, uid, PQgetvalue(res, 0, C_MGET_ROLE));
	PQclear(res);
	if (db_exec_count(ST_ADMIN_MEMBER_DELETE, 2, params) < 0)
		e = db_err();
	else if ((e = audit(r, "team.member_remove", "team", team, mail, before, NULL)) == NULL &&
	    db_commit() != 0)
		e = db_err();
	free(before);
	free(mail);
	if (e != NULL)
		return e;
	loc = team_location(team, "?removed=1");
	e = done(r, 200, json_pack("{ss}", "status", "removed"), loc);
	free(loc);
	return e;
}
