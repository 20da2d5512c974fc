/* Spans from samples.  Consecutive polls with the same application, title
 * and away state are one span; a change closes it at the poll that saw the
 * change and opens the next there.  Away from the keyboard starts when the
 * idle time reaches the timeout and is back-dated to the last input (and
 * so is the return).  A jump of the wall clock against the monotonic one
 * (suspend, a clock change) closes the span at the last poll before it. */
#ifndef WA_TRACKER_H
#define WA_TRACKER_H

#include <stdint.h>

#include "backend.h"

/* A span longer than this is closed and a new one opened: the server takes
 * spans of up to 24 hours, and a long span is a long time to keep only in
 * memory. */
#define TRACKER_MAX_SPAN_MS	(3600LL * 1000)
/* Wall and monotonic clocks may drift apart by this much between two polls
 * before it counts as a jump. */
#define TRACKER_JUMP_MS		2000

struct span {
	int64_t	 start_ms, end_ms;	/* wall clock, ms since 1970 UTC */
	char	*app, *title;
	int	 afk;
};

struct tracker {
	int	 open;
	struct span cur;
	int	 have_last;
	int64_t	 last_wall, last_mono;
	int64_t	 idle_timeout_ms;
	/* Called with every closed span (duration > 0). */
	void	 (*emit)(void *ctx, const struct span *);
	void	*ctx;
};

/* One poll at (wall, mono); s is NULL when there is no window system. */
void	 tracker_poll(struct tracker *, int64_t wall, int64_t mono, const struct sample *s);
/* Closes the open span at wall and opens the same one again from there
 * (for a flush: what was in front until now is recorded). */
void	 tracker_cut(struct tracker *, int64_t wall);
/* Closes the open span at wall (the agent stops). */
void	 tracker_close(struct tracker *, int64_t wall);
void	 tracker_free(struct tracker *);

#endif
