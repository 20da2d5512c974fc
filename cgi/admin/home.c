/* /admin: what the caller looks after, at a glance, and for a new
 * organisation the first steps (a team, people, a device); for admins a
 * warning when outgoing mail is failing, since a relay that refuses
 * everything is otherwise noticed only by the people whose invitations
 * never arrive.  /admin/system: the installation itself (database,
 * migrations, mail), for admins only. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "view.h"

static long long
count(PGresult *res, int col)
{
	return atoll(PQgetvalue(res, 0, col));
}

static json_t *
mail_json(PGresult *mail)
{
	return json_pack("{sI sI so}",
	    "waiting", (json_int_t)count(mail, C_MAIL_WAITING),
	    "failed", (json_int_t)count(mail, C_MAIL_FAILED),
	    "last_error", PQgetisnull(mail, 0, C_MAIL_LAST_ERROR) ? json_null() :
	    json_string(PQgetvalue(mail, 0, C_MAIL_LAST_ERROR)));
}

static void
mail_view(struct wt_view *v, PGresult *mail)
{
	view_set(v, "Mail.Waiting", PQgetvalue(mail, 0, C_MAIL_WAITING));
	view_set(v, "Mail.Failed", PQgetvalue(mail, 0, C_MAIL_FAILED));
	if (!PQgetisnull(mail, 0, C_MAIL_LAST_ERROR))
		view_set(v, "Mail.LastError", PQgetvalue(mail, 0, C_MAIL_LAST_ERROR));
}

struct wt_err *
home_page(struct wt_req *r)
{
	struct wt_view *v;
	PGresult *res, *mail = NULL;
	struct wt_err *e;
	json_t *body;
	int steps = 0;

	if ((e = scoped_exec(r, ST_ADMIN_COUNTS, 0, NULL, &res)) != NULL)
		return e;
	if (is_admin(r) && (mail = db_exec(ST_MAIL_STATUS, 0, NULL)) == NULL) {
		PQclear(res);
		return db_err();
	}
	if (req_wants_json(r)) {
		body = json_pack("{sI sI sI sI}",
		    "people", (json_int_t)count(res, C_COUNT_PEOPLE),
		    "teams", (json_int_t)count(res, C_COUNT_TEAMS),
		    "devices", (json_int_t)count(res, C_COUNT_DEVICES),
		    "invitations", (json_int_t)count(res, C_COUNT_INVITES));
		if (mail != NULL)
			json_object_set_new(body, "mail", mail_json(mail));
		PQclear(res);
		PQclear(mail);
		return wt_json(r, 200, body);
	}
	v = req_view(r);
	view_set(v, "Counts.People", PQgetvalue(res, 0, C_COUNT_PEOPLE));
	view_set(v, "Counts.Teams", PQgetvalue(res, 0, C_COUNT_TEAMS));
	view_set(v, "Counts.Devices", PQgetvalue(res, 0, C_COUNT_DEVICES));
	view_set(v, "Counts.Invitations", PQgetvalue(res, 0, C_COUNT_INVITES));
	/* The first-run checklist, for admins until all three are done: a
	 * step counts as done once it was done at all (an invitation sent,
	 * even if not yet used). */
	if (is_admin(r)) {
		int done[3] = { count(res, C_COUNT_TEAMS) > 0,
		    count(res, C_COUNT_EVER_INVITED) > 0 || count(res, C_COUNT_PEOPLE) > 1,
		    count(res, C_COUNT_DEVICES) > 0 };
		static const char *const names[3] = { "Start.Team", "Start.People",
		    "Start.Device" };

		for (int i = 0; i < 3; i++)
			if (done[i]) {
				view_set(v, names[i], "1");
				steps++;
			}
		view_set_int(v, "Start.Done", steps);
	}
	PQclear(res);
	if (mail != NULL) {
		mail_view(v, mail);
		PQclear(mail);
	}
	if (is_admin(r))
		view_set(v, "Can.Admin", "1");
	view_set(v, "Page.Nav", "admin");
	return wt_html(r, 200, "admin_home.cs");
}

struct wt_err *
system_page(struct wt_req *r)
{
	const char *tz = r->user->timezone;
	PGresult *res, *mail;
	struct wt_view *v;
	json_t *body;

	if ((res = db_exec(ST_ADMIN_SYSTEM, 1, &tz)) == NULL)
		return db_err();
	if ((mail = db_exec(ST_MAIL_STATUS, 0, NULL)) == NULL) {
		PQclear(res);
		return db_err();
	}
	if (req_wants_json(r)) {
		body = json_pack("{ss ss sI ss ss so}", "db", "ok",
		    "schema", PQgetvalue(res, 0, C_SYS_SCHEMA),
		    "migrations", (json_int_t)count(res, C_SYS_MIGRATIONS),
		    "last_migration", PQgetvalue(res, 0, C_SYS_LAST_APPLIED),
		    "postgresql", PQgetvalue(res, 0, C_SYS_PG_VERSION),
		    "mail", mail_json(mail));
		PQclear(res);
		PQclear(mail);
		return wt_json(r, 200, body);
	}
	v = req_view(r);
	view_set(v, "System.Schema", PQgetvalue(res, 0, C_SYS_SCHEMA));
	view_set(v, "System.Migrations", PQgetvalue(res, 0, C_SYS_MIGRATIONS));
	view_set(v, "System.LastApplied", PQgetvalue(res, 0, C_SYS_LAST_APPLIED));
	view_set(v, "System.Postgres", PQgetvalue(res, 0, C_SYS_PG_VERSION));
	mail_view(v, mail);
	PQclear(res);
	PQclear(mail);
	view_set(v, "Page.Nav", "admin");
	return wt_html(r, 200, "admin_system.cs");
}
