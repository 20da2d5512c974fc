/* The access table: every admin route, the roles that may call it and
 * whose data they see there.  A route with no entry is refused (500 and a
 * log line) — and the access test fails — so a new route cannot slip in
 * without a decision.  README.md shows the same table. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "log.h"
#include "session.h"

#define SEES_ALL_TEAM_SELF \
	"admin: everyone; manager: people of the teams they manage"
#define SEES_DEVICES \
	"admin: every device; manager: devices of their teams' people; member: their own"

const struct access_rule access_rules[] = {
	{ "GET",  "/healthz", R_ANY, "nothing personal (health check, no sign-in)" },
	{ "GET",  "/admin", R_MANAGER | R_ADMIN, "counts within their scope" },
	{ "GET",  "/admin/users", R_MANAGER | R_ADMIN, SEES_ALL_TEAM_SELF },
	{ "POST", "/admin/users", R_ADMIN, "admin only: invites a person" },
	{ "GET",  "/admin/users/:id", R_MANAGER | R_ADMIN, SEES_ALL_TEAM_SELF },
	{ "POST", "/admin/users/:id", R_ADMIN, "admin only: name, role" },
	{ "POST", "/admin/users/:id/deactivate", R_ADMIN, "admin only" },
	{ "POST", "/admin/users/:id/activate", R_ADMIN, "admin only" },
	{ "POST", "/admin/users/:id/delete", R_ADMIN, "admin only, with confirmation" },
	{ "GET",  "/admin/teams", R_MANAGER | R_ADMIN,
	  "admin: every team; manager: the teams they manage" },
	{ "POST", "/admin/teams", R_ADMIN, "admin only" },
	{ "GET",  "/admin/teams/:id", R_MANAGER | R_ADMIN,
	  "admin: any team; manager: a team they manage" },
	{ "POST", "/admin/teams/:id", R_ADMIN, "admin only: rename" },
	{ "POST", "/admin/teams/:id/delete", R_ADMIN, "admin only" },
	{ "POST", "/admin/teams/:id/members", R_ADMIN, "admin only: add or change a member" },
	{ "POST", "/admin/teams/:id/members/:user/delete", R_ADMIN, "admin only" },
	{ "GET",  "/admin/devices", R_ANY, SEES_DEVICES },
	{ "POST", "/admin/devices/codes", R_ANY,
	  "admin: for anyone; manager: for their teams' people; member: for themselves" },
	{ "POST", "/admin/devices/codes/:id/revoke", R_ANY, SEES_DEVICES },
	{ "POST", "/admin/devices/:id/revoke", R_ANY, SEES_DEVICES },
	{ "GET",  "/admin/settings", R_ADMIN, "admin only" },
	{ "POST", "/admin/settings", R_ADMIN, "admin only" },
	{ "GET",  "/admin/audit", R_ADMIN, "admin only: every action" },
	{ NULL, NULL, 0, NULL }
};

static const struct access_rule *
rule_for(const struct wt_route *rt)
{
	for (const struct access_rule *a = access_rules; a->pattern != NULL; a++)
		if (strcmp(a->method, rt->method) == 0 && strcmp(a->pattern, rt->pattern) == 0)
			return a;
	return NULL;
}

static unsigned
role_bit(const char *role)
{
	if (strcmp(role, "admin") == 0)
		return R_ADMIN;
	if (strcmp(role, "manager") == 0)
		return R_MANAGER;
	return R_MEMBER;
}

int
is_admin(const struct wt_req *r)
{
	return r->user != NULL && strcmp(r->user->role, "admin") == 0;
}

int
admin_authorize(struct wt_req *r)
{
	const struct access_rule *a = rule_for(r->route);

	if (a == NULL) {
		log_error("bug", "route %s %s has no access rule; refused",
		    r->route->method, r->route->pattern);
		wt_error(r, 500, NULL, "this page has no access rule");
		return -1;
	}
	if (r->user == NULL) {
		if (strcmp(r->route->pattern, "/healthz") == 0)
			return 0;
		require_sign_in(r);
		return -1;
	}
	if (!(a->roles & role_bit(r->user->role))) {
		wt_error(r, 403, NULL, "your role (%s) may not use this page", r->user->role);
		return -1;
	}
	return 0;
}

int
access_table_print(void)
{
	int missing = 0;

	for (const struct wt_route *rt = admin_routes; rt->pattern != NULL; rt++) {
		const struct access_rule *a = rule_for(rt);

		if (a == NULL) {
			printf("%s\t%s\tMISSING\t\n", rt->method, rt->pattern);
			missing++;
			continue;
		}
		printf("%s\t%s\t%s%s%s\t%s\n", rt->method, rt->pattern,
		    a->roles & R_MEMBER ? "member " : "",
		    a->roles & R_MANAGER ? "manager " : "",
		    a->roles & R_ADMIN ? "admin" : "", a->sees);
	}
	/* A rule for a route that does not exist is a mistake too. */
	for (const struct access_rule *a = access_rules; a->pattern != NULL; a++) {
		int found = 0;

		for (const struct wt_route *rt = admin_routes; rt->pattern != NULL; rt++)
			if (strcmp(a->method, rt->method) == 0 &&
			    strcmp(a->pattern, rt->pattern) == 0)
				found = 1;
		if (!found) {
			printf("%s\t%s\tNO-ROUTE\t\n", a->method, a->pattern);
			missing++;
		}
	}
	return missing ? 1 : 0;
}

int
can_see_user(struct wt_req *r, long long uid)
{
	char id[32];
	const char *p = id;
	PGresult *res;
	int seen;

	if (uid == r->user->id || is_admin(r))
		return 1;
	snprintf(id, sizeof(id), "%lld", uid);
	if ((res = scoped_exec(r, "admin_user_visible", 1, &p)) == NULL)
		return -1;
	seen = PQntuples(res) > 0;
	PQclear(res);
	return seen;
}
