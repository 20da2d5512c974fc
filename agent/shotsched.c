#include "config.h"

#include <time.h>

#include "shotsched.h"

uint64_t
shotsched_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* The instant of local hour:00 on the day of t plus `days` days.  mktime
 * normalises the day of the month and an hour that does not exist (the
 * spring gap) moves past the gap. */
static int64_t
local_at(int64_t t, int days, int hour)
{
	time_t s = (time_t)(t >= 0 ? t / 1000 : (t - 999) / 1000);
	struct tm tm;

	localtime_r(&s, &tm);
	tm.tm_mday += days;
	tm.tm_hour = hour;
	tm.tm_min = 0;
	tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm) * 1000;
}

int
shotsched_window(const struct shotsched *p, int64_t t, int64_t *start, int64_t *end)
{
	if (p->mode == SHOT_INTERVAL && p->interval_ms > 0) {
		int64_t day = local_at(t, 0, 0), next = local_at(t, 1, 0), k;

		/* A time before its own local midnight cannot happen, but a
		 * zone database can surprise: never loop, never go back. */
		if (day > t || next <= t) {
			day = t - t % p->interval_ms;
			next = day + p->interval_ms;
		}
		k = (t - day) / p->interval_ms;
		*start = day + k * p->interval_ms;
		*end = *start + p->interval_ms;
		if (*end > next)
			*end = next;
		return 0;
	}
	if (p->mode == SHOT_TWICE_DAILY && p->from_hour < p->to_hour) {
		for (int d = 0; d < 3; d++) {
			int64_t f = local_at(t, d, p->from_hour), e = local_at(t, d, p->to_hour);
			int64_t m = f + (e - f) / 2;

			if (e <= f)
				continue;
			if (t < m) {
				*start = f;
				*end = m;
				return 0;
			}
			if (t < e) {
				*start = m;
				*end = e;
				return 0;
			}
		}
	}
	return -1;
}

int64_t
shotsched_next(const struct shotsched *p, int64_t from, uint64_t *rng, int64_t *window_end)
{
	int64_t s, e, lo;

	if (shotsched_window(p, from, &s, &e) != 0)
		return -1;
	lo = from > s ? from : s;
	*window_end = e;
	return lo + (int64_t)(shotsched_rand(rng) % (uint64_t)(e - lo));
}
