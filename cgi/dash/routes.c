/* dash.fcgi's routes.  The program is dash_app; main.c only runs it, and
 * the in-process tests (tests/inproc/) dispatch requests to it directly. */
#include "config.h"

#include "dash.h"

static const struct wt_route routes[] = {
	WT_CORE_ROUTES,
	{ .method = "GET", .pattern = "/", .handler = dash_home,
	  .access = { WT_ANYONE, "nothing personal (what Worktime is, whether it is up)" } },
	WT_ROUTES_END
};

const struct wt_app dash_app = {
	.name = "dash", .routes = routes, .stmts = WT_STMT_TABLE(dash_stmts)
};
