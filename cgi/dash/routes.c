/* dash.fcgi's routes.  The program is dash_app; main.c only runs it, and
 * the in-process tests (tests/inproc/) dispatch requests to it directly. */
#include "config.h"

#include "dash.h"

static const struct wt_route routes[] = {
	WT_CORE_ROUTES,
	{ .method = "GET", .pattern = "/", .handler = dash_home,
	  .access = { WT_ANYONE, "nothing personal (what Worktime is, whether it is up)" } },
	/* Screenshots (screenshots.c): whose follows the organisation's
	 * setting, applied in SQL; the images go out through nginx. */
	{ .method = "GET", .pattern = "/screenshots", .handler = shots_page,
	  .fields = shots_page_fields,
	  .access = { WT_ROLE_ANY, "their own; manager: their teams' people when the setting is "
	  "managers; admin: everyone's" } },
	{ .method = "GET", .pattern = "/screenshots/:id/image", .handler = shot_image,
	  .fields = shot_id_fields,
	  .access = { WT_ROLE_ANY, "as /screenshots; a look at someone else's is audited" } },
	{ .method = "GET", .pattern = "/screenshots/:id/thumb", .handler = shot_thumb,
	  .fields = shot_id_fields,
	  .access = { WT_ROLE_ANY, "as /screenshots; a look at someone else's is audited" } },
	{ .method = "POST", .pattern = "/screenshots/:id/delete", .handler = shot_delete,
	  .fields = shot_id_fields,
	  .access = { WT_ROLE_ANY, "their own only" } },
	{ .method = "POST", .pattern = "/screenshots/notice", .handler = shots_notice_post,
	  .fields = shots_notice_fields,
	  .access = { WT_ROLE_ANY, "their own: the notice is read" } },
	WT_ROUTES_END
};

const struct wt_app dash_app = {
	.name = "dash", .routes = routes, .stmts = WT_STMT_TABLE(dash_stmts)
};
