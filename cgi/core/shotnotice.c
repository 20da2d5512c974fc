/* The screenshot notice (issue 11, point 5): while the organisation takes
 * screenshots, every page a signed-in person sees says so, and says it
 * prominently (Shots.Due) until they have read it after the policy last
 * changed (POST /screenshots/notice).  The layout shows it
 * (templates/shots_notice.cs). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "http.h"
#include "shotstore.h"
#include "view.h"

void
shots_notice_view(struct wt_req *r)
{
	struct wt_view *v;
	char uid[32];
	const char *p = uid;
	PGresult *res;

	if (r->user == NULL)
		return;
	snprintf(uid, sizeof(uid), "%lld", r->user->id);
	/* A page is shown without it rather than not at all. */
	if ((res = db_exec(ST_SHOTS_NOTICE, 1, &p)) == NULL)
		return;
	if (PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, C_NOTE_MODE), "off") != 0) {
		v = req_view(r);
		view_set(v, "Shots.On", "1");
		view_set(v, "Shots.Due", strcmp(PQgetvalue(res, 0, C_NOTE_DUE), "t") == 0 ? "1" : "0");
		view_set(v, "Shots.Mode", PQgetvalue(res, 0, C_NOTE_MODE));
		view_set(v, "Shots.Interval", PQgetvalue(res, 0, C_NOTE_INTERVAL));
		view_set(v, "Shots.From", PQgetvalue(res, 0, C_NOTE_FROM));
		view_set(v, "Shots.To", PQgetvalue(res, 0, C_NOTE_TO));
		view_set(v, "Shots.Blur", strcmp(PQgetvalue(res, 0, C_NOTE_BLUR), "t") == 0 ? "1" : "0");
		view_set(v, "Shots.Visibility", PQgetvalue(res, 0, C_NOTE_VISIBILITY));
	}
	PQclear(res);
}
