#include "config.h"

#include <stdio.h>
#include <string.h>

#include "bulk.h"
#include "dash.h"
#include "log.h"

struct wt_err *
dash_bulk_take(struct wt_req *r, struct dash_bulk *b)
{
	char id[24];
	PGresult *res;
	int got;

	b->user = r->user->id;
	snprintf(id, sizeof(id), "%lld", b->user);
	if ((res = db_exec(ST_DASH_BULK_LOCK, 1, (const char *[]){ id })) == NULL)
		return db_err();
	got = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (!got)
		return err_header(wt_fail(429, "", "an export of yours is still running; "
		    "wait for it to finish, then try again"), "Retry-After", "10");
	b->held = 1;
	return NULL;
}

void
dash_bulk_release(struct dash_bulk *b)
{
	char id[24];
	PGresult *res;

	if (!b->held)
		return;
	b->held = 0;
	snprintf(id, sizeof(id), "%lld", b->user);
	if ((res = db_exec(ST_DASH_BULK_UNLOCK, 1, (const char *[]){ id })) == NULL) {
		/* The lock goes with the session; a failed unlock means the
		 * session is gone or going. */
		log_error("bulk", "person %s: the export lock was not released (%s)", id,
		    db_sqlstate());
		return;
	}
	PQclear(res);
}
