/* One bulk read at a time per person: the exports, everything held about
 * them and a team's hours CSV each keep a worker busy for seconds, and
 * dash has few workers, so one person starting many at once (from many
 * sessions or tokens) would keep everyone else waiting. */
#ifndef WT_DASH_BULK_H
#define WT_DASH_BULK_H

#include "http.h"

struct dash_bulk {
	long long	 user;
	int		 held;
};

/* Takes the viewer's bulk-read lock for the worker's database session
 * (released by dash_bulk_release, or by the session's end if the worker
 * dies), or a 429 with Retry-After saying one of theirs is running. */
struct wt_err	*dash_bulk_take(struct wt_req *, struct dash_bulk *);
/* Lets it go (no-op if not held): from the stream's free callback. */
void		 dash_bulk_release(struct dash_bulk *);

#endif
