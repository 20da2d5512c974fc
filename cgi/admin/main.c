/* admin.fcgi: people, teams, devices, settings and the audit log.
 * `admin.fcgi --access-table` prints every route with its access rule
 * (the access test walks it). */
#include "config.h"

#include <string.h>

#include "admin.h"

#define R(m, p, h, f) \
	{ .method = m, .pattern = p, .handler = h, .fields = f, \
	  .flags = WT_ROUTE_SIGNED_IN }

const struct wt_route admin_routes[] = {
	WT_CORE_ROUTES,
	R("GET", "/admin", home_page, NULL),
	R("GET", "/admin/users", people_page, people_list_fields),
	R("POST", "/admin/users", person_create, person_create_fields),
	R("GET", "/admin/users/:id", person_page, person_fields),
	R("POST", "/admin/users/:id", person_edit, person_edit_fields),
	R("POST", "/admin/users/:id/deactivate", person_deactivate, person_fields),
	R("POST", "/admin/users/:id/activate", person_activate, person_fields),
	R("POST", "/admin/users/:id/delete", person_delete, person_delete_fields),
	R("GET", "/admin/teams", teams_page, NULL),
	R("POST", "/admin/teams", team_create, team_create_fields),
	R("GET", "/admin/teams/:id", team_page, team_fields),
	R("POST", "/admin/teams/:id", team_rename, team_rename_fields),
	R("POST", "/admin/teams/:id/delete", team_delete, team_fields),
	R("POST", "/admin/teams/:id/members", member_add, member_add_fields),
	R("POST", "/admin/teams/:id/members/:user/delete", member_remove, member_fields),
	R("GET", "/admin/devices", devices_page, devices_fields),
	R("POST", "/admin/devices/codes", code_create, code_create_fields),
	R("POST", "/admin/devices/codes/:id/revoke", code_revoke, code_fields),
	R("POST", "/admin/devices/:id/revoke", device_revoke, device_fields),
	R("GET", "/admin/settings", settings_page, NULL),
	{ .method = "POST", .pattern = "/admin/settings", .handler = settings_post,
	  .fields = settings_fields, .flags = WT_ROUTE_SIGNED_IN,
	  .form = "admin_settings.cs" },
	R("GET", "/admin/audit", audit_page, audit_fields),
	WT_ROUTES_END
};

static const struct wt_app app = {
	.name = "admin", .routes = admin_routes, .stmts = admin_stmts,
	.authorize = admin_authorize
};

int
main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--access-table") == 0)
		return access_table_print();
	return wt_main(argc, argv, &app);
}
