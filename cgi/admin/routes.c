/* admin.fcgi: people, teams, devices, settings, categories and the audit log.
 * The program is admin_app; main.c only runs it, and the in-process
 * tests (tests/inproc/) dispatch requests to it directly.
 *
 * Every route carries its access rule: the roles that may call it and
 * whose data they see there.  The dispatcher enforces the roles before
 * any handler runs (401 or the sign-in page for anonymous callers, 403
 * for a role not listed), a route without a rule stops the program at
 * start, and `admin.fcgi --access-table` prints the table (the core does
 * it; tests/api/30_access.t walks it, README.md shows it). */
#include "config.h"

#include "admin.h"
#include "categories.h"

#define MANAGER_ADMIN	(WT_ROLE_MANAGER | WT_ROLE_ADMIN)
#define SEES_ALL_TEAM \
	"admin: everyone; manager: people of the teams they manage"
#define SEES_DEVICES \
	"admin: every device; manager: devices of their teams' people; member: their own"

/* A route: method, pattern, handler, fields, flags, roles, whose data. */
#define R(m, p, h, f, fl, who, sees) \
	{ .method = (m), .pattern = (p), .handler = (h), .fields = (f), .flags = (fl), \
	  .access = { (who), (sees) } }

/* A form post: a refused browser post shows the form's page (tpl, filled
 * by fill) again, the message next to the field and what was typed kept. */
#define RF_(m, p, h, f, who, sees, tpl, fill) \
	{ .method = (m), .pattern = (p), .handler = (h), .fields = (f), \
	  .access = { (who), (sees) }, .form = (tpl), .form_page = (fill) }
/* The last argument is "template, fill" (PERSON_FORM...). */
#define RF(m, p, h, f, who, sees, ...)	RF_(m, p, h, f, who, sees, __VA_ARGS__)
#define PERSON_FORM	"admin_person.cs", person_fill
#define TEAM_FORM	"admin_team.cs", team_fill
#define DEVICES_FORM	"admin_devices.cs", devices_fill
#define INVITES_FORM	"admin_invitations.cs", invitations_fill
#define CATEGORY_FORM	"admin_category.cs", category_fill
#define NEW_CATEGORY_FORM	"admin_category.cs", category_new_fill
#define SEES_INVITES \
	"admin: every invitation; manager: invitations of members into the teams they manage"

const struct wt_route admin_routes[] = {
	WT_CORE_ROUTES,
	R("GET", "/admin", home_page, NULL, 0,
	  MANAGER_ADMIN, "counts within their scope"),
	R("GET", "/admin/users", people_page, people_list_fields, WT_ROUTE_FORM,
	  MANAGER_ADMIN, SEES_ALL_TEAM),
	RF("POST", "/admin/users", invitation_create, invitation_create_fields,
	  WT_ROLE_ADMIN, "admin only: invites a person", INVITES_FORM),
	R("GET", "/admin/users/:id", person_page, person_page_fields, WT_ROUTE_FORM,
	  MANAGER_ADMIN, SEES_ALL_TEAM),
	RF("POST", "/admin/users/:id", person_edit, person_edit_fields,
	  WT_ROLE_ADMIN, "admin only: name, role", PERSON_FORM),
	RF("POST", "/admin/users/:id/deactivate", person_deactivate, person_fields,
	  WT_ROLE_ADMIN, "admin only", PERSON_FORM),
	RF("POST", "/admin/users/:id/activate", person_activate, person_fields,
	  WT_ROLE_ADMIN, "admin only", PERSON_FORM),
	RF("POST", "/admin/users/:id/delete", person_delete, person_delete_fields,
	  WT_ROLE_ADMIN, "admin only, with confirmation", PERSON_FORM),
	R("GET", "/admin/invitations", invitations_page, invitations_fields, WT_ROUTE_FORM,
	  MANAGER_ADMIN, SEES_INVITES),
	RF("POST", "/admin/invitations/:id/resend", invitation_resend, invitation_fields,
	  MANAGER_ADMIN, SEES_INVITES, INVITES_FORM),
	RF("POST", "/admin/invitations/:id/revoke", invitation_revoke, invitation_fields,
	  MANAGER_ADMIN, SEES_INVITES, INVITES_FORM),
	R("GET", "/admin/teams", teams_page, teams_page_fields, WT_ROUTE_FORM,
	  MANAGER_ADMIN, "admin: every team; manager: the teams they manage"),
	RF("POST", "/admin/teams", team_create, team_create_fields,
	  WT_ROLE_ADMIN, "admin only", "admin_teams.cs", teams_fill),
	R("GET", "/admin/teams/:id", team_page, team_page_fields, WT_ROUTE_FORM,
	  MANAGER_ADMIN, "admin: any team; manager: a team they manage"),
	RF("POST", "/admin/teams/:id", team_rename, team_rename_fields,
	  WT_ROLE_ADMIN, "admin only: rename", TEAM_FORM),
	RF("POST", "/admin/teams/:id/delete", team_delete, team_fields,
	  WT_ROLE_ADMIN, "admin only", TEAM_FORM),
	RF("POST", "/admin/teams/:id/members", member_add, member_add_fields,
	  WT_ROLE_ADMIN, "admin only: add or change a member", TEAM_FORM),
	RF("POST", "/admin/teams/:id/members/:user/delete", member_remove, member_fields,
	  WT_ROLE_ADMIN, "admin only", TEAM_FORM),
	R("GET", "/admin/devices", devices_page, devices_fields, WT_ROUTE_FORM,
	  WT_ROLE_ANY, SEES_DEVICES),
	RF("POST", "/admin/devices/codes", code_create, code_create_fields,
	  WT_ROLE_ANY,
	  "admin: for anyone; manager: for their teams' people; member: for themselves",
	  DEVICES_FORM),
	RF("POST", "/admin/devices/codes/:id/revoke", code_revoke, code_fields,
	  WT_ROLE_ANY, SEES_DEVICES, DEVICES_FORM),
	RF("POST", "/admin/devices/:id/revoke", device_revoke, device_fields,
	  WT_ROLE_ANY, SEES_DEVICES, DEVICES_FORM),
	R("GET", "/admin/settings", settings_page, settings_page_fields, WT_ROUTE_FORM,
	  WT_ROLE_ADMIN, "admin only"),
	/* A refused browser post shows the settings form again. */
	{ .method = "POST", .pattern = "/admin/settings", .handler = settings_post,
	  .fields = settings_fields, .form = "admin_settings.cs",
	  .access = { WT_ROLE_ADMIN, "admin only" } },
	/* Category rules: the page and its JSON twin, the editor (a new
	 * rule, one rule).  Saving re-categorises the stored windows. */
	R("GET", "/admin/categories", categories_page, categories_page_fields, WT_ROUTE_FORM,
	  WT_ROLE_ADMIN, "admin only: every rule, with how many windows it names"),
	RF("POST", "/admin/categories", category_create, category_create_fields,
	  WT_ROLE_ADMIN, "admin only: re-categorises the stored windows", NEW_CATEGORY_FORM),
	/* Nothing is saved: what a rule would match, shown on the editor. */
	RF("POST", "/admin/categories/preview", category_preview, category_preview_fields,
	  WT_ROLE_ADMIN, "admin only: what a rule would match in the last 7 days, unsaved",
	  "admin_category.cs", category_preview_fill),
	R("GET", "/admin/categories/builder", category_builder, category_builder_fields,
	  WT_ROUTE_FORM, WT_ROLE_ADMIN, "admin only: every person's uncategorised windows"),
	RF("POST", "/admin/categories/quick", category_quick, category_quick_fields,
	  WT_ROLE_ADMIN, "admin only: a rule from a word or an application; re-categorises "
	  "the stored windows", "admin_categories_builder.cs", category_builder_fill),
	R("GET", "/admin/categories/new", category_new_page, category_new_fields, WT_ROUTE_FORM,
	  WT_ROLE_ADMIN, "admin only: the form of a new rule"),
	R("GET", "/admin/categories/:id", category_page, category_page_fields, WT_ROUTE_FORM,
	  WT_ROLE_ADMIN, "admin only: one rule"),
	RF("POST", "/admin/categories/:id", category_edit, category_edit_fields,
	  WT_ROLE_ADMIN, "admin only: re-categorises the stored windows", CATEGORY_FORM),
	RF("POST", "/admin/categories/:id/delete", category_delete, category_fields,
	  WT_ROLE_ADMIN, "admin only: re-categorises the stored windows", CATEGORY_FORM),
	R("GET", "/admin/audit", audit_page, audit_fields, 0,
	  WT_ROLE_ADMIN, "admin only: every action"),
	R("GET", "/admin/system", system_page, NULL, 0,
	  WT_ROLE_ADMIN, "admin only: the database, migrations and outgoing mail"),
	WT_ROUTES_END
};

const struct wt_app admin_app = {
	.name = "admin",
	.routes = admin_routes,
	.stmts = WT_STMT_TABLE(admin_stmts),
	.constraints = admin_constraints,
	/* The categories pages sum a week of everyone's spans: compiling
	 * such a plan with the JIT costs more than it saves (as for dash).
	 * They join and hash the ~90,000 windows of a week of 200 people,
	 * which spills to disk at the default 4 MB (bench/BENCHMARKS.md). */
	.session_sql = "SET jit = off; SET work_mem = '32MB'",
};
