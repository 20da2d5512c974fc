/* Whose data a caller sees.  Which roles may call a route is the route's
 * own access rule (routes.c), checked by the dispatcher before any handler
 * runs; what is left here is the scope rule for one row, which the
 * statements apply in SQL (stmts.c, SCOPE). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "admin.h"

int
is_admin(const struct wt_req *r)
{
	return r->user != NULL && strcmp(r->user->role, "admin") == 0;
}

struct wt_err *
can_see_user(struct wt_req *r, long long uid, int *seen, int *acts)
{
	char id[32];
	const char *p = id;
	PGresult *res;
	struct wt_err *e;

	*seen = *acts = 0;
	if (uid == r->user->id || is_admin(r)) {
		*seen = *acts = 1;
		return NULL;
	}
	snprintf(id, sizeof(id), "%lld", uid);	/* a number: it fits */
	if ((e = scoped_exec(r, ST_ADMIN_USER_VISIBLE, 1, &p, &res)) != NULL)
		return e;
	*seen = PQntuples(res) > 0;
	*acts = *seen && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	return NULL;
}

struct wt_err *
not_below(void)
{
	return wt_fail(403, NULL, "a manager acts only on the members of their teams, "
	    "not on managers or admins");
}
