/* When screenshots are taken: pure arithmetic on times, no clocks of its
 * own, so the tests can run it on fixed seeds and fixed days.
 *
 * Time is cut into windows and one screenshot is taken at a random moment
 * inside each window:
 *   interval     windows of N seconds from each local midnight (the last
 *                window of a day is cut short at the next midnight);
 *   twice_daily  the local hours [from, to) of each day, halved: one
 *                moment in the first half, one in the second.
 * Windows are measured in elapsed time from instants found with mktime(),
 * so a day of 23 or 25 hours (daylight saving) has fewer or more windows
 * and no window starts at a local time that does not exist.  The local
 * time zone is the process's (TZ). */
#ifndef WA_SHOTSCHED_H
#define WA_SHOTSCHED_H

#include <stdint.h>

enum shot_mode { SHOT_OFF, SHOT_INTERVAL, SHOT_TWICE_DAILY };

struct shotsched {
	enum shot_mode	 mode;
	int64_t		 interval_ms;	/* SHOT_INTERVAL */
	int		 from_hour, to_hour;	/* SHOT_TWICE_DAILY, 0..24, from < to */
};

/* A small seeded generator (splitmix64): the same seed, the same times. */
uint64_t shotsched_rand(uint64_t *state);

/* The window holding the instant t (ms since 1970 UTC), or the first one
 * after it when t is in none (twice_daily outside the hours): its start
 * and end.  -1 when the mode is off. */
int	 shotsched_window(const struct shotsched *, int64_t t, int64_t *start, int64_t *end);

/* The next moment to take a screenshot at or after `from`: a random one
 * in what is left of from's window (or in the next window).  *window_end
 * is where that window ends: the call after the screenshot (taken or
 * skipped) passes it as `from`, so each window has one moment.  -1 when
 * the mode is off. */
int64_t	 shotsched_next(const struct shotsched *, int64_t from, uint64_t *rng,
	    int64_t *window_end);

#endif
