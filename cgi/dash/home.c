/* The front page. */
#include "config.h"

#include "dash.h"
#include "view.h"

/* Signed in, it is the person's day (day.c).  For anyone else it shows
 * what Worktime is and whether this installation is healthy; a database
 * that is away is shown on the page rather than as an error, since that
 * is what it reports. */
struct wt_err *
dash_home(struct wt_req *r)
{
	struct wt_view *v;
	PGresult *res;

	if (r->user != NULL)
		return dash_day(r);
	v = req_view(r);
	res = db_exec(ST_DASH_SCHEMA, 0, NULL);

	view_set(v, "Page.Title", "Welcome");
	view_set(v, "Page.Nav", "home");
	if (res != NULL && PQntuples(res) == 1) {
		view_set(v, "Status.Db", "ok");
		view_set(v, "Status.Schema", PQgetvalue(res, 0, C_SCHEMA_VERSION));
		view_set(v, "Status.Migrations", PQgetvalue(res, 0, C_SCHEMA_COUNT));
	} else
		view_set(v, "Status.Db", "unavailable");
	if (res != NULL)
		PQclear(res);
	if (req_wants_json(r))
		return wt_json(r, 200, json_pack("{ss ss}", "site", view_get(v, "Site.Name"),
		    "db", view_get(v, "Status.Db")));
	return wt_html(r, 200, "home.cs");
}
