/* What the admin pages share. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "log.h"

struct wt_err *
not_found(const char *what)
{
	/* The same answer whether the row does not exist or is outside the
	 * caller's scope: a manager cannot probe for other teams' people. */
	return wt_fail(404, NULL, "%s not found", what);
}

const char *
me(struct wt_req *r)
{
	static char id[32];

	/* A number, never user text: it always fits. */
	snprintf(id, sizeof(id), "%lld", r->user->id);
	return id;
}

struct wt_err *
scoped_exec(struct wt_req *r, int stmt, int n, const char *const *params, PGresult **out)
{
	const char *all[16];

	*out = NULL;
	if (n < 0 || n > 14) {
		log_error("bug", "scoped statement %s called with %d parameters",
		    db_stmt_name(stmt), n);
		return wt_fail(500, NULL, "the server failed to do this; the error is logged");
	}
	all[0] = me(r);
	all[1] = r->user->role;
	for (int i = 0; i < n; i++)
		all[2 + i] = params[i];
	if ((*out = db_exec(stmt, n + 2, all)) == NULL)
		return db_err();
	return NULL;
}

struct wt_err *
done(struct wt_req *r, int status, json_t *body, const char *redirect)
{
	if (req_wants_json(r))
		return wt_json(r, status, body);
	json_decref(body);
	return wt_redirect(r, 303, redirect);
}

char *
json_text(json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);

	json_decref(j);
	return s;
}
