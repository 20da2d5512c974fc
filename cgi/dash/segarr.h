/* The segments of days as report_day_arrays() gives them (sql/016): a
 * day a row, its segments as arrays of numbers, and the windows they name
 * looked up once.  Pages and exports read a day of 1,600 segments, or a
 * month of 50,000, without a result row (and a join) per segment. */
#ifndef WT_DASH_SEGARR_H
#define WT_DASH_SEGARR_H

#include <libpq-fe.h>

/* One segment of a day (report_segments' row): ms since 1970 and its
 * length in ms, rounded as the figures are; gap_ms -1 for none. */
struct sa_seg {
	long long	 start, ms, gap;
	long long	 window;	/* 0: away */
	int		 off_s, off_e;	/* the zone's offset in minutes at each end */
};

/* Walks the segments of row i of an ST_DASH_DAY_ARRAYS result. */
struct sa_iter {
	const char	*s, *e, *w, *gap, *os, *oe;
	long long	 lo_us;
	int		 off;
};
void	 sa_begin(struct sa_iter *, PGresult *, int row);
/* 1 with the next segment in *out, 0 at the end, -1 when the arrays do
 * not agree (a bug: the caller stops). */
int	 sa_next(struct sa_iter *, struct sa_seg *out);

/* The windows the days of a result name, with their category
 * (ST_DASH_WINDOWS' columns). */
struct sa_windows {
	PGresult	*res;
	long long	*keys;	/* open addressing: window id, 0 empty */
	int		*rows;
	size_t		 mask;
};
/* 0, or -1 with the failure for db_err(). */
int	 sa_windows_load(struct sa_windows *, PGresult *days);
/* The row of window id in w->res, or -1. */
int	 sa_window(const struct sa_windows *, long long id);
void	 sa_windows_free(struct sa_windows *);

#endif
