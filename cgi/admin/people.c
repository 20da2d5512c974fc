/* People: the list (search, filters, pages), one person, invitations,
 * edits, deactivation and deletion.  Changes are admin-only (the routes'
 * access rules, routes.c); reading is scoped to the caller's teams in SQL. */
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
#include "shotstore.h"
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
	NOTICE_FIELD("deleted"),
	{ .name = NULL }
};

#define ID_FIELD \
	{ .name = "id", .src = WT_SRC_PATH, .type = WT_T_INT, .flags = WT_REQUIRED, \
	  .min = 1, .max = 1LL << 53, .label = "Person" }

const struct wt_field person_fields[] = { ID_FIELD, { .name = NULL } };

const struct wt_field person_page_fields[] = {
	ID_FIELD,
	NOTICE_FIELD("saved"),
	NOTICE_FIELD("deactivated"),
	NOTICE_FIELD("activated"),
	{ .name = NULL }
};

const struct wt_field person_edit_fields[] = {
	ID_FIELD,
	{ .name = "display_name", .src = WT_SRC_BODY, .type = WT_T_STRING,
	  .flags = WT_REQUIRED, .min = 1, .max = 100, .check = check_one_line,
	  .label = "Name" },
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
	return json_pack("{sI ss ss ss ss ss}",
	    "id", (json_int_t)atoll(PQgetvalue(res, i, C_ULIST_ID)),
	    "email", PQgetvalue(res, i, C_ULIST_EMAIL),
	    "display_name", PQgetvalue(res, i, C_ULIST_NAME),
	    "role", PQgetvalue(res, i, C_ULIST_ROLE),
	    "status", PQgetvalue(res, i, C_ULIST_STATUS),
	    "created", PQgetvalue(res, i, C_ULIST_CREATED));
}

struct wt_err *
team_choices(struct wt_req *r, struct wt_view *v)
{
	PGresult *res;
	struct wt_err *e;

	if ((e = scoped_exec(r, ST_ADMIN_TEAMS_LIST, 0, NULL, &res)) != NULL)
		return e;
	for (int i = 0; i < PQntuples(res); i++) {
		view_setf(v, PQgetvalue(res, i, C_TLIST_ID), "Teams.%d.id", i);
		view_setf(v, PQgetvalue(res, i, C_TLIST_NAME), "Teams.%d.name", i);
	}
	PQclear(res);
	return NULL;
}

struct wt_err *
people_page(struct wt_req *r)
{
	long long page = wt_int(r, "page", 1), total = 0;
	char limit[16], offset[24];
	const char *params[5];
	struct wt_view *v;
	struct wt_err *e;
	json_t *list;
	PGresult *res;

	/* Numbers within the field's limits: they fit. */
	snprintf(limit, sizeof(limit), "%d", PAGE_SIZE);
	snprintf(offset, sizeof(offset), "%lld", (page - 1) * PAGE_SIZE);
	params[0] = wt_str(r, "q") ? wt_str(r, "q") : "";
	params[1] = wt_str(r, "team") ? wt_str(r, "team") : "0";
	params[2] = wt_str(r, "role") ? wt_str(r, "role") : "";
	params[3] = limit;
	params[4] = offset;
	if ((e = scoped_exec(r, ST_ADMIN_USERS_LIST, 5, params, &res)) != NULL)
		return e;
	v = req_view(r);
	list = json_array();
	for (int i = 0, row = 0; i < PQntuples(res); i++) {
		json_t *p;

		total = atoll(PQgetvalue(res, i, C_ULIST_TOTAL));
		if (PQgetisnull(res, i, C_ULIST_ID))
			continue;	/* an empty page: only the total */
		p = person_json(res, i);
		json_object_set_new(p, "teams", json_string(PQgetvalue(res, i, C_ULIST_TEAMS)));
		json_array_append_new(list, p);
		view_setf(v, PQgetvalue(res, i, C_ULIST_ID), "Users.%d.id", row);
		view_setf(v, PQgetvalue(res, i, C_ULIST_EMAIL), "Users.%d.email", row);
		view_setf(v, PQgetvalue(res, i, C_ULIST_NAME), "Users.%d.name", row);
		view_setf(v, PQgetvalue(res, i, C_ULIST_ROLE), "Users.%d.role", row);
		view_setf(v, PQgetvalue(res, i, C_ULIST_STATUS), "Users.%d.status", row);
		view_setf(v, PQgetvalue(res, i, C_ULIST_TEAMS), "Users.%d.teams", row);
		row++;
	}
	PQclear(res);
	if (req_wants_json(r))
		return wt_json(r, 200, json_pack("{sI sI si so}", "total", (json_int_t)total,
		    "page", (json_int_t)page, "page_size", PAGE_SIZE, "users", list));
	json_decref(list);
	view_set(v, "Form.Value.q", params[0]);
	view_set(v, "Form.Value.team", params[1]);
	view_set(v, "Form.Value.role", params[2]);
	view_set_int(v, "Page.Number", page);
	view_set_int(v, "Page.Total", total);
	view_set_int(v, "Page.Last", total ? (total + PAGE_SIZE - 1) / PAGE_SIZE : 1);
	view_set(v, "Page.Nav", "people");
	if ((e = team_choices(r, v)) != NULL)
		return e;
	if (is_admin(r))
		view_set(v, "Can.Invite", "1");
	if (wt_bool(r, "deleted", 0))
		view_set(v, "Notice", "The person and all their data are deleted.");
	return wt_html(r, 200, "admin_people.cs");
}

/* The person's row and teams: into the view, and into *body for JSON
 * when body is not NULL.  404 outside the caller's scope. */
static struct wt_err *
person_load_page(struct wt_req *r, const char *id, json_t **body)
{
	const char *params[2] = { id, r->user->timezone };
	struct wt_view *v;
	PGresult *res, *teams;
	struct wt_err *e;
	json_t *tlist;

	if (id == NULL)
		return not_found("person");
	if ((e = scoped_exec(r, ST_ADMIN_USER_GET, 2, params, &res)) != NULL)
		return e;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return not_found("person");
	}
	if ((e = scoped_exec(r, ST_ADMIN_USER_TEAMS, 1, params, &teams)) != NULL) {
		PQclear(res);
		return e;
	}
	v = req_view(r);
	tlist = json_array();
	for (int i = 0; i < PQntuples(teams); i++) {
		json_array_append_new(tlist, json_pack("{sI ss ss}",
		    "id", (json_int_t)atoll(PQgetvalue(teams, i, C_UTEAM_ID)),
		    "name", PQgetvalue(teams, i, C_UTEAM_NAME),
		    "role", PQgetvalue(teams, i, C_UTEAM_ROLE)));
		view_setf(v, PQgetvalue(teams, i, C_UTEAM_ID), "Person.Teams.%d.id", i);
		view_setf(v, PQgetvalue(teams, i, C_UTEAM_NAME), "Person.Teams.%d.name", i);
		view_setf(v, PQgetvalue(teams, i, C_UTEAM_ROLE), "Person.Teams.%d.role", i);
	}
	if (body != NULL) {
		*body = json_pack("{sI ss ss ss ss ss ss ss}", "id", (json_int_t)atoll(id),
		    "email", PQgetvalue(res, 0, C_UGET_EMAIL),
		    "display_name", PQgetvalue(res, 0, C_UGET_NAME),
		    "role", PQgetvalue(res, 0, C_UGET_ROLE),
		    "status", PQgetvalue(res, 0, C_UGET_STATUS),
		    "timezone", PQgetvalue(res, 0, C_UGET_TIMEZONE),
		    "created", PQgetvalue(res, 0, C_UGET_CREATED),
		    "last_seen", PQgetvalue(res, 0, C_UGET_LAST_SEEN));
		json_object_set_new(*body, "teams", tlist);
	} else
		json_decref(tlist);
	view_set(v, "Person.Id", id);
	view_set(v, "Person.Email", PQgetvalue(res, 0, C_UGET_EMAIL));
	view_set(v, "Person.Name", PQgetvalue(res, 0, C_UGET_NAME));
	view_set(v, "Person.Role", PQgetvalue(res, 0, C_UGET_ROLE));
	view_set(v, "Person.Status", PQgetvalue(res, 0, C_UGET_STATUS));
	view_set(v, "Person.Timezone", PQgetvalue(res, 0, C_UGET_TIMEZONE));
	view_set(v, "Person.Created", PQgetvalue(res, 0, C_UGET_CREATED));
	view_set(v, "Person.LastSeen", PQgetvalue(res, 0, C_UGET_LAST_SEEN));
	if (strcmp(PQgetvalue(res, 0, C_UGET_LAST_ADMIN), "t") == 0)
		view_set(v, "Person.LastAdmin", "1");
	view_set(v, "Form.Value.display_name", PQgetvalue(res, 0, C_UGET_NAME));
	view_set(v, "Form.Value.role", PQgetvalue(res, 0, C_UGET_ROLE));
	PQclear(res);
	PQclear(teams);
	return NULL;
}

struct wt_err *
person_fill(struct wt_req *r)
{
	struct wt_view *v;
	struct wt_err *e;

	if ((e = person_load_page(r, wt_str(r, "id"), NULL)) != NULL)
		return e;
	v = req_view(r);
	if (is_admin(r)) {
		view_set(v, "Can.Edit", "1");
		if ((e = team_choices(r, v)) != NULL)
			return e;
	}
	view_set(v, "Page.Nav", "people");
	return NULL;
}

struct wt_err *
person_page(struct wt_req *r)
{
	struct wt_view *v;
	struct wt_err *e;
	json_t *body = NULL;
	const char *pre = NULL, *post = NULL;
	struct wt_buf text;

	if (req_wants_json(r)) {
		if ((e = person_load_page(r, wt_str(r, "id"), &body)) != NULL)
			return e;
		return wt_json(r, 200, body);
	}
	if ((e = person_fill(r)) != NULL)
		return e;
	v = req_view(r);
	if (wt_bool(r, "saved", 0)) {
		pre = "Changes to ";
		post = " are saved.";
	} else if (wt_bool(r, "deactivated", 0)) {
		pre = "";
		post = " is deactivated: they cannot sign in, and their data is kept.";
	} else if (wt_bool(r, "activated", 0)) {
		pre = "";
		post = " is active again and can sign in.";
	}
	if (pre != NULL) {
		buf_init(&text);
		buf_printf(&text, "%s%s%s", pre, view_get(v, "Person.Name"), post);
		view_set(v, "Notice", text.data);
		buf_free(&text);
	}
	return wt_html(r, 200, "admin_person.cs");
}

/* A person as the changes need them: the row for the audit log, and
 * their e-mail and role, on the heap. */
struct person {
	char	*json;
	char	*email;
	char	*role;
};

static void
person_free(struct person *p)
{
	free(p->json);
	free(p->email);
	free(p->role);
	p->json = p->email = p->role = NULL;
}

/* NULL and *p filled, 404 when there is no such person, or the
 * database's error. */
static struct wt_err *
person_load(const char *id, struct person *p)
{
	PGresult *res = db_exec(ST_ADMIN_USER_JSON, 1, &id);

	p->json = p->email = p->role = NULL;
	if (res == NULL)
		return db_err();
	if (PQntuples(res) != 1) {
		PQclear(res);
		return not_found("person");
	}
	p->json = xstrdup(PQgetvalue(res, 0, C_UJSON_JSON));
	p->email = xstrdup(PQgetvalue(res, 0, C_UJSON_EMAIL));
	p->role = xstrdup(PQgetvalue(res, 0, C_UJSON_ROLE));
	PQclear(res);
	return NULL;
}

/* NULL when someone other than id is an active admin; a 409 when the
 * change would leave no active admin; or the database's error.  Runs
 * inside the caller's transaction and locks the other admins' rows until
 * it ends. */
static struct wt_err *
last_admin(const char *id, const char *field, const char *what)
{
	PGresult *res = db_exec(ST_ADMIN_OTHER_ADMINS, 1, &id);
	int others;

	if (res == NULL)
		return db_err();
	others = PQntuples(res);
	PQclear(res);
	if (others > 0)
		return NULL;
	return wt_form_fail(409, field, "%s would leave the organisation without an admin; "
	    "make someone else admin first", what);
}

/* Begins a transaction and loads the person as they are before the
 * change. */
static struct wt_err *
begin_change(const char *id, struct person *before)
{
	before->json = before->email = before->role = NULL;
	if (db_begin() != 0)
		return db_err();
	return person_load(id, before);
}

/* Records the change with the row after it, and commits. */
static struct wt_err *
finish_change(struct wt_req *r, const char *action, const char *id,
    const struct person *before)
{
	struct person after;
	struct wt_err *e;

	if ((e = person_load(id, &after)) != NULL)
		return e;
	e = audit(r, action, "user", id, before->email, before->json, after.json);
	person_free(&after);
	if (e != NULL)
		return e;
	if (db_commit() != 0)
		return db_err();
	return NULL;
}

/* "/admin/users/ID?what=1" */
static char *
saved_location(const char *id, const char *what)
{
	struct wt_buf loc;

	buf_init(&loc);
	buf_printf(&loc, "/admin/users/%s?%s=1", id, what);
	return buf_take(&loc);
}

struct wt_err *
person_edit(struct wt_req *r)
{
	const char *id = wt_str(r, "id"), *role = wt_str(r, "role"), *params[3];
	struct person before;
	struct wt_err *e;
	PGresult *res;
	char *loc, *manages = NULL;

	if ((e = begin_change(id, &before)) != NULL)
		goto out;
	if (strcmp(before.role, "admin") == 0 && strcmp(role, "admin") != 0 &&
	    (e = last_admin(id, "role", "Changing this role")) != NULL)
		goto out;
	/* Demoted to member, a person manages no team any more (the
	 * trigger of sql/007 turns those memberships into plain ones, so a
	 * later promotion gives no forgotten scope back): audited here. */
	if (strcmp(role, "member") == 0 && strcmp(before.role, "member") != 0) {
		if ((res = db_exec(ST_ADMIN_USER_MANAGES, 1, &id)) == NULL) {
			e = db_err();
			goto out;
		}
		if (!PQgetisnull(res, 0, 0))
			manages = xstrdup(PQgetvalue(res, 0, 0));
		PQclear(res);
	}
	params[0] = id;
	params[1] = wt_str(r, "display_name");
	params[2] = role;
	if ((res = db_exec(ST_ADMIN_USER_UPDATE, 3, params)) == NULL) {
		e = db_err();
		goto out;
	}
	PQclear(res);
	if (manages != NULL && (e = audit(r, "user.teams_unmanaged", "user", id, before.email,
	    manages, "{\"manages\": []}")) != NULL)
		goto out;
	if ((e = finish_change(r, "user.update", id, &before)) != NULL)
		goto out;
	loc = saved_location(id, "saved");
	e = done(r, 200, json_pack("{ss ss ss}", "status", "saved", "display_name", params[1],
	    "role", role), loc);
	free(loc);
out:
	free(manages);
	person_free(&before);
	return e;
}

static struct wt_err *
set_status(struct wt_req *r, int enable)
{
	const char *id = wt_str(r, "id");
	struct person before;
	struct wt_err *e;
	long long changed;
	char *loc;

	if ((e = begin_change(id, &before)) != NULL)
		goto out;
	if (!enable && strcmp(before.role, "admin") == 0 &&
	    (e = last_admin(id, NULL, "Deactivating this person")) != NULL)
		goto out;
	changed = db_exec_count(enable ? ST_ADMIN_USER_ENABLE : ST_ADMIN_USER_DISABLE, 1, &id);
	if (changed < 0) {
		e = db_err();
		goto out;
	}
	if (changed == 0) {
		/* Nothing to do is not a change: no audit entry, and the
		 * answer says why. */
		e = wt_form_fail(409, NULL, enable ? "This account is not deactivated" :
		    "This account is deactivated already");
		goto out;
	}
	/* Signed out everywhere at once; their access tokens died with the
	 * token_version bump. */
	if (!enable && db_exec_count(ST_ADMIN_USER_SESSIONS_END, 1, &id) < 0) {
		e = db_err();
		goto out;
	}
	if ((e = finish_change(r, enable ? "user.activate" : "user.deactivate", id,
	    &before)) != NULL)
		goto out;
	loc = saved_location(id, enable ? "activated" : "deactivated");
	e = done(r, 200, json_pack("{ss}", "status", enable ? "active" : "disabled"), loc);
	free(loc);
out:
	person_free(&before);
	return e;
}

struct wt_err *
person_deactivate(struct wt_req *r)
{
	return set_status(r, 0);
}

struct wt_err *
person_activate(struct wt_req *r)
{
	return set_status(r, 1);
}

struct wt_err *
person_delete(struct wt_req *r)
{
	const char *id = wt_str(r, "id"), *confirm = wt_str(r, "confirm");
	struct person before;
	struct wt_err *e;

	if ((e = begin_change(id, &before)) != NULL)
		goto out;
	if (confirm == NULL || strcmp(confirm, before.email) != 0) {
		e = wt_form_fail(400, "confirm", "Type the person's e-mail address (%s) to "
		    "confirm the deletion", before.email);
		goto out;
	}
	if (strcmp(before.role, "admin") == 0 &&
	    (e = last_admin(id, "confirm", "Deleting this person")) != NULL)
		goto out;
	/* Everything of theirs goes with them, through ON DELETE CASCADE:
	 * sessions, tokens, memberships, devices, activity, screenshots. */
	if (db_exec_count(ST_ADMIN_USER_DELETE, 1, &id) < 0) {
		e = db_err();
		goto out;
	}
	if ((e = audit(r, "user.delete", "user", id, before.email, before.json, NULL)) != NULL)
		goto out;
	if (db_commit() != 0) {
		e = db_err();
		goto out;
	}
	log_info("admin", "user %lld deleted user %s", r->user->id, id);
	/* Their screenshots' rows went with them; their files go now (a
	 * later sweep takes whatever is left past this many). */
	if (shots_sweep(SHOTS_SWEEP_REQUEST) < 0)
		log_warn("screenshot_sweep", "the sweep failed; the next one removes the files");
	e = done(r, 200, json_pack("{ss}", "status", "deleted"), "/admin/users?deleted=1");
out:
	person_free(&before);
	return e;
}
