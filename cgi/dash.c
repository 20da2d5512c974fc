/* dash.fcgi: every page and JSON report a person reads. */
#include "config.h"

#include <stdlib.h>

#include "app.h"
#include "view.h"

enum dash_stmt {
	ST_DASH_SCHEMA = WT_STMT_BASE(WT_SLOT_APP),
	ST_DASH_END
};
/* Columns of ST_DASH_SCHEMA. */
enum { C_SCHEMA_VERSION, C_SCHEMA_COUNT };

static const struct wt_stmt stmts[ST_DASH_END - WT_STMT_BASE(WT_SLOT_APP)] = {
	STMT(ST_DASH_SCHEMA) = { "dash_schema",
	  "SELECT coalesce(max(version), ''), count(*) FROM schema_migrations", 0, 1 },
};

/* The front page.  Until the reports exist it shows what Worktime is and
 * whether this installation is healthy; a database that is away is shown
 * on the page rather than as an error, since that is what it reports. */
static struct wt_err *
home(struct wt_req *r)
{
	struct wt_view *v = req_view(r);
	PGresult *res = db_exec(ST_DASH_SCHEMA, 0, NULL);

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

static const struct wt_route routes[] = {
	WT_CORE_ROUTES,
	{ .method = "GET", .pattern = "/", .handler = home,
	  .access = { WT_ANYONE, "nothing personal (what Worktime is, whether it is up)" } },
	WT_ROUTES_END
};

static const struct wt_app app = {
	.name = "dash", .routes = routes, .stmts = WT_STMT_TABLE(stmts)
};

int
main(int argc, char **argv)
{
	return wt_main(argc, argv, &app);
}
