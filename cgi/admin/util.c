/* What the admin pages share. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "admin.h"

void
not_found(struct wt_req *r, const char *what)
{
	/* The same answer whether the row does not exist or is outside the
	 * caller's scope: a manager cannot probe for other teams' people. */
	wt_error(r, 404, NULL, "%s not found", what);
}

const char *
me(struct wt_req *r)
{
	static char id[32];

	snprintf(id, sizeof(id), "%lld", r->user->id);
	return id;
}

PGresult *
scoped_exec(struct wt_req *r, const char *stmt, int n, const char *const *params)
{
	const char *all[16];

	if (n > 14)
		return NULL;
	all[0] = me(r);
	all[1] = r->user->role;
	for (int i = 0; i < n; i++)
		all[2 + i] = params[i];
	return db_exec(stmt, n + 2, all);
}

void
done(struct wt_req *r, int status, json_t *body, const char *redirect)
{
	if (req_wants_json(r)) {
		wt_json(r, status, body);
		return;
	}
	json_decref(body);
	wt_redirect(r, 303, redirect);
}
