/* The screenshot schedule (agent/shotsched.c) on fixed seeds and fixed
 * days: one moment per window, inside it; windows that tile the day from
 * local midnight, with 46 or 50 half-hour windows on the days daylight
 * saving starts and ends (Europe/Berlin, America/New_York); twice a day
 * between the hours, one moment in each half, on ordinary and DST days
 * and when the starting hour falls in the spring gap; a start in the
 * middle of a window; the same seed giving the same times; moments spread
 * over the whole window. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "shotsched.h"
#include "tap.h"

static void
zone(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

/* ms of a local time (isdst left to mktime). */
static int64_t
local_ms(int y, int mo, int d, int h, int mi)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h,
	    .tm_min = mi, .tm_isdst = -1 };

	return (int64_t)mktime(&tm) * 1000;
}

static void
local_hm(int64_t ms, int *h, int *m, int *mday)
{
	time_t s = (time_t)(ms / 1000);
	struct tm tm;

	localtime_r(&s, &tm);
	*h = tm.tm_hour;
	*m = tm.tm_min;
	*mday = tm.tm_mday;
}

/* Walks a schedule from `from` to `until`, the way the agent does; counts
 * the moments and checks each lies in its window and that windows follow
 * one another without gap (interval) or overlap. */
static int
walk(const struct shotsched *p, int64_t from, int64_t until, uint64_t seed, int *bad,
    int64_t *moments, int max)
{
	uint64_t rng = seed;
	int64_t t = from, end, prev_end = -1;
	int n = 0;

	*bad = 0;
	while (t < until) {
		int64_t s, e, m = shotsched_next(p, t, &rng, &end);

		if (m < 0 || shotsched_window(p, m, &s, &e) != 0) {
			(*bad)++;
			break;
		}
		if (m < t || m < s || m >= e || e != end)
			(*bad)++;
		if (p->mode == SHOT_INTERVAL && prev_end >= 0 && s != prev_end)
			(*bad)++;
		if (m >= until)
			break;
		if (n < max)
			moments[n] = m;
		n++;
		prev_end = end;
		t = end;
	}
	return n;
}

static void
interval_day(const char *tz, int y, int mo, int d, int minutes, int want, const char *what)
{
	struct shotsched p = { SHOT_INTERVAL, minutes * 60000LL, 0, 0 };
	int64_t m[400];
	int bad, n;

	zone(tz);
	n = walk(&p, local_ms(y, mo, d, 0, 0), local_ms(y, mo, d + 1, 0, 0), 42, &bad, m, 400);
	is_int(n, want, what);
	is_int(bad, 0, "... every moment inside its window, the windows back to back");
}

/* Twice a day from `from` to `to`: two moments that day, the first in
 * [lo_h:lo_m, middle), the second in [middle, hi_h:00), the middle taken
 * in elapsed time (a 25-hour day's clock shows it an hour off). */
static void
twice(const char *tz, int y, int mo, int d, int from, int to, int lo_h, int lo_m, int hi_h,
    const char *what)
{
	struct shotsched p = { SHOT_TWICE_DAILY, 0, from, to };
	int64_t m[8], lo, hi, mid;
	int bad, n, h1, m1, h2, m2, d1, d2;

	zone(tz);
	lo = local_ms(y, mo, d, lo_h, lo_m);
	hi = local_ms(y, mo, d, hi_h, 0);
	mid = lo + (hi - lo) / 2;
	n = walk(&p, local_ms(y, mo, d, 0, 0), local_ms(y, mo, d + 1, 0, 0), 7, &bad, m, 8);
	ok(n == 2, "%s: two moments (%d)", what, n);
	is_int(bad, 0, "... each inside its window");
	if (n != 2)
		return;
	local_hm(m[0], &h1, &m1, &d1);
	local_hm(m[1], &h2, &m2, &d2);
	ok(d1 == d && d2 == d, "... on that day (%d, %d)", d1, d2);
	ok(m[0] >= lo && m[0] < mid, "... the first in the first half (%02d:%02d)", h1, m1);
	ok(m[1] >= mid && m[1] < hi, "... the second in the second half (%02d:%02d)", h2, m2);
}

int
main(void)
{
	struct shotsched off = { SHOT_OFF, 0, 0, 0 };
	struct shotsched half = { SHOT_INTERVAL, 30 * 60000LL, 0, 0 };
	uint64_t a = 1, b = 1, c = 2;
	int64_t s, e, end, t, m1, m2;
	int same = 1, differ = 0;

	/* The generator: a seed is a sequence. */
	for (int i = 0; i < 100; i++) {
		uint64_t x = shotsched_rand(&a), y = shotsched_rand(&b), z = shotsched_rand(&c);

		same &= x == y;
		differ |= x != z;
	}
	ok(same, "the same seed gives the same numbers");
	ok(differ, "another seed gives others");
	a = 0;
	is_int(shotsched_rand(&a) == 0xe220a8397b1dcdafULL, 1,
	    "splitmix64 from seed 0 starts at 0xe220a8397b1dcdaf");

	ok(shotsched_next(&off, 0, &a, &end) == -1, "mode off: no moment");
	ok(shotsched_window(&off, 0, &s, &e) == -1, "... and no window");

	interval_day("Europe/Berlin", 2026, 11, 23, 30, 48, "every 30 min, an ordinary day in Berlin: 48");
	interval_day("Europe/Berlin", 2026, 3, 29, 30, 46, "the day DST starts in Berlin (23 h): 46");
	interval_day("Europe/Berlin", 2026, 10, 25, 30, 50, "the day DST ends in Berlin (25 h): 50");
	interval_day("America/New_York", 2026, 3, 8, 30, 46, "the day DST starts in New York: 46");
	interval_day("America/New_York", 2026, 11, 1, 30, 50, "the day DST ends in New York: 50");
	interval_day("Asia/Kolkata", 2026, 11, 23, 7, 206,
	    "every 7 min in Kolkata (+05:30): 206, the last cut at midnight");
	interval_day("UTC", 2026, 11, 23, 1440, 1, "every 1440 min: one a day");

	/* Windows start at local midnight, not at UTC's. */
	zone("Asia/Kolkata");
	shotsched_window(&half, local_ms(2026, 11, 23, 10, 40), &s, &e);
	ok(s == local_ms(2026, 11, 23, 10, 30) && e == local_ms(2026, 11, 23, 11, 0),
	    "a window is 10:30-11:00 local in a +05:30 zone");
	zone("Europe/Berlin");
	/* After the spring gap the windows still start on the local half hour. */
	shotsched_window(&half, local_ms(2026, 3, 29, 3, 40), &s, &e);
	ok(s == local_ms(2026, 3, 29, 3, 30), "after the spring gap a window starts at 03:30 CEST");

	/* A start in the middle of a window: the moment is in what is left. */
	t = local_ms(2026, 11, 23, 10, 29);
	a = 99;
	m1 = shotsched_next(&half, t, &a, &end);
	ok(m1 >= t && m1 < local_ms(2026, 11, 23, 10, 30), "a start at 10:29 takes one before 10:30");
	is_int(end, local_ms(2026, 11, 23, 10, 30), "... and the next window follows at 10:30");
	a = 99;
	m2 = shotsched_next(&half, t, &a, &end);
	is_int(m2, m1, "the same seed and start: the same moment");

	twice("Europe/Berlin", 2026, 11, 23, 9, 17, 9, 0, 17, "twice a day 9-17, Berlin");
	twice("Europe/Berlin", 2026, 3, 29, 9, 17, 9, 0, 17, "... the day DST starts");
	twice("America/New_York", 2026, 11, 1, 0, 4, 0, 0, 4,
	    "0-4 on the day DST ends in New York (5 hours: the halves meet at 01:30 EST)");
	twice("Europe/Berlin", 2026, 3, 29, 2, 4, 3, 0, 4,
	    "2-4 on the day 02:00 does not exist in Berlin: 03:00-04:00");
	twice("Europe/Berlin", 2026, 11, 23, 0, 24, 0, 0, 24, "0-24: the whole day");

	/* After the hours: the next moment is tomorrow's first. */
	{
		struct shotsched p = { SHOT_TWICE_DAILY, 0, 9, 17 };
		int h, mi, md;

		a = 5;
		m1 = shotsched_next(&p, local_ms(2026, 11, 23, 18, 0), &a, &end);
		local_hm(m1, &h, &mi, &md);
		ok(md == 24 && h >= 9 && h < 13, "at 18:00 the next is tomorrow morning (%d %02d:%02d)",
		    md, h, mi);
	}

	/* Spread: over 2000 windows the moments cover the window evenly. */
	{
		uint64_t r = 12345;
		double sum = 0, lo = 1, hi = 0;
		int n = 0;

		zone("UTC");
		t = local_ms(2026, 1, 1, 0, 0);
		for (int i = 0; i < 2000; i++) {
			int64_t m = shotsched_next(&half, t, &r, &end);
			double f = (double)(m - (end - half.interval_ms)) / (double)half.interval_ms;

			sum += f;
			lo = f < lo ? f : lo;
			hi = f > hi ? f : hi;
			t = end;
			n++;
		}
		ok(sum / n > 0.47 && sum / n < 0.53, "moments average the middle of their windows (%.3f)",
		    sum / n);
		ok(lo < 0.01 && hi > 0.99, "... and reach both ends (%.4f, %.4f)", lo, hi);
	}
	return done_testing();
}
