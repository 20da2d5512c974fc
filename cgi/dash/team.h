/* A team whose reports the caller opens (team.c, and the working-hours
 * report): loaded only when the caller may see it. */
#ifndef WT_DASH_TEAM_H
#define WT_DASH_TEAM_H

#include "http.h"

/* Out-of-date members (whose figures changed since they were kept) up to
 * this many are computed before the answer; more wait for the refresh
 * after it (a busy team of 200 costs seconds to compute). */
#define DASH_TEAM_SYNC_ROWS	"8"

struct team {
	char		 id[24];
	char		*name;
	char		 today[11];	/* in tz */
	const char	*tz;		/* the viewer's zone: reports are drawn in it */
};

/* The team of the path's :id: 404, as for a team that does not exist,
 * unless the caller is an admin or the team's manager. */
struct wt_err	*dash_team_load(struct wt_req *, struct team *);
void		 dash_team_free(struct team *);
/* After the answer, brings the team's kept rows that are out of date
 * up to date (team_today_refresh, sql/018). */
void		 dash_team_refresh_later(const struct team *);

#endif
