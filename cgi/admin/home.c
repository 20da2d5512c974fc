/* /admin: what the caller looks after, at a glance. */
#include "config.h"

#include <stdlib.h>

#include "admin.h"
#include "view.h"

void
home_page(struct wt_req *r)
{
	struct wt_view *v = req_view(r);
	PGresult *res = scoped_exec(r, "admin_counts", 0, NULL);

	if (res == NULL) {
		db_unavailable(r);
		return;
	}
	if (req_wants_json(r)) {
		wt_json(r, 200, json_pack("{sI sI sI}",
		    "people", (json_int_t)atoll(PQgetvalue(res, 0, 0)),
		    "teams", (json_int_t)atoll(PQgetvalue(res, 0, 1)),
		    "devices", (json_int_t)atoll(PQgetvalue(res, 0, 2))));
		PQclear(res);
		return;
	}
	view_set(v, "Counts.People", PQgetvalue(res, 0, 0));
	view_set(v, "Counts.Teams", PQgetvalue(res, 0, 1));
	view_set(v, "Counts.Devices", PQgetvalue(res, 0, 2));
	PQclear(res);
	if (is_admin(r))
		view_set(v, "Can.Admin", "1");
	view_set(v, "Page.Nav", "admin");
	wt_html(r, 200, "admin_home.cs");
}
