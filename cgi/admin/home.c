/* /admin: what the caller looks after, at a glance; for admins also the
 * state of outgoing mail (waiting, given up, the last error), since a
 * relay that refuses everything is otherwise noticed only by the people
 * whose invitations never arrive. */
#include "config.h"

#include <stdlib.h>

#include "admin.h"
#include "view.h"

static long long
count(PGresult *res, int col)
{
	return atoll(PQgetvalue(res, 0, col));
}

struct wt_err *
home_page(struct wt_req *r)
{
	struct wt_view *v;
	PGresult *res, *mail = NULL;
	struct wt_err *e;
	json_t *body;

	if ((e = scoped_exec(r, ST_ADMIN_COUNTS, 0, NULL, &res)) != NULL)
		return e;
	if (is_admin(r) && (mail = db_exec(ST_MAIL_STATUS, 0, NULL)) == NULL) {
		PQclear(res);
		return db_err();
	}
	if (req_wants_json(r)) {
		body = json_pack("{sI sI sI}",
		    "people", (json_int_t)count(res, C_COUNT_PEOPLE),
		    "teams", (json_int_t)count(res, C_COUNT_TEAMS),
		    "devices", (json_int_t)count(res, C_COUNT_DEVICES));
		if (mail != NULL)
			json_object_set_new(body, "mail", json_pack("{sI sI so}",
			    "waiting", (json_int_t)count(mail, C_MAIL_WAITING),
			    "failed", (json_int_t)count(mail, C_MAIL_FAILED),
			    "last_error", PQgetisnull(mail, 0, C_MAIL_LAST_ERROR) ? json_null() :
			    json_string(PQgetvalue(mail, 0, C_MAIL_LAST_ERROR))));
		PQclear(res);
		PQclear(mail);
		return wt_json(r, 200, body);
	}
	v = req_view(r);
	view_set(v, "Counts.People", PQgetvalue(res, 0, C_COUNT_PEOPLE));
	view_set(v, "Counts.Teams", PQgetvalue(res, 0, C_COUNT_TEAMS));
	view_set(v, "Counts.Devices", PQgetvalue(res, 0, C_COUNT_DEVICES));
	PQclear(res);
	if (mail != NULL) {
		view_set(v, "Mail.Waiting", PQgetvalue(mail, 0, C_MAIL_WAITING));
		view_set(v, "Mail.Failed", PQgetvalue(mail, 0, C_MAIL_FAILED));
		if (!PQgetisnull(mail, 0, C_MAIL_LAST_ERROR))
			view_set(v, "Mail.LastError", PQgetvalue(mail, 0, C_MAIL_LAST_ERROR));
		PQclear(mail);
	}
	if (is_admin(r))
		view_set(v, "Can.Admin", "1");
	view_set(v, "Page.Nav", "admin");
	return wt_html(r, 200, "admin_home.cs");
}
