/* dash.fcgi: every page and JSON report a person reads. */
#include "config.h"

#include <stdlib.h>

#include "app.h"
#include "view.h"

static const struct wt_stmt stmts[] = {
	{ "dash_schema",
	  "SELECT coalesce(max(version), ''), count(*) FROM schema_migrations", 1 },
	{ NULL, NULL, 0 }
};

/* The front page.  Until sign-in exists it shows what Worktime is and
 * whether this installation is healthy; the personal day replaces it
 * once there is a user to show it to. */
static void
home(struct wt_req *r)
{
	struct wt_view *v = req_view(r);
	PGresult *res = db_exec("dash_schema", 0, NULL);

	view_set(v, "Page.Title", "Welcome");
	view_set(v, "Page.Nav", "home");
	if (res != NULL && PQntuples(res) == 1) {
		view_set(v, "Status.Db", "ok");
		view_set(v, "Status.Schema", PQgetvalue(res, 0, 0));
		view_set(v, "Status.Migrations", PQgetvalue(res, 0, 1));
	} else
		view_set(v, "Status.Db", "unavailable");
	if (res != NULL)
		PQclear(res);
	if (req_wants_json(r)) {
		wt_json(r, 200, json_pack("{ss ss}", "site", view_get(v, "Site.Name"),
		    "db", view_get(v, "Status.Db")));
		return;
	}
	wt_html(r, 200, "home.cs");
}

static const struct wt_route routes[] = {
	WT_CORE_ROUTES,
	{ .method = "GET", .pattern = "/", .handler = home },
	WT_ROUTES_END
};

static const struct wt_app app = {
	.name = "dash", .routes = routes, .stmts = stmts
};

int
main(int argc, char **argv)
{
	return wt_main(argc, argv, &app);
}
