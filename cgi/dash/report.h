/* What the report pages share: whose report a request is about (and
 * whether the caller may read it), the figures of days from the one place
 * that adds them up (report_days() in sql/009_reports.sql), and the words
 * and numbers pages show.  The day arithmetic itself is never repeated
 * here: these helpers only read its results. */
#ifndef WT_DASH_REPORT_H
#define WT_DASH_REPORT_H

#include <jansson.h>
#include <libpq-fe.h>

#include "http.h"

struct wt_view;

/* The person a report is about and the caller's view of them. */
struct rp_person {
	long long	 id;
	char		*name;
	char		*email;
	char		*timezone;	/* the person's own zone */
	const char	*view_tz;	/* the zone the report is drawn in: the viewer's */
	char		 today[11];	/* in view_tz */
	char		 oldest[11];	/* the first day retention keeps */
	long long	 gap_min;	/* the organisation's break threshold */
	long long	 retention_days;
	long long	 devices;	/* not revoked */
	char		*last_seen;	/* local "YYYY-MM-DD HH:MM", or "" */
	int		 self;
};

/* The figures of one day (a row of report_days). */
struct rp_day {
	char		 day[11];
	long long	 lo_ms, hi_ms;	/* the day's edges, ms since 1970 */
	long long	 tracked, active, away, productive, neutral, distracting, none;
	long long	 worked, breaks, break_ms;
	char		 first[6], last[6];	/* local HH:MM, or "" */
	json_t		*categories;	/* {"id": ms}; 0 is none */
};

/* Loads the person of the request: ?user=ID when given (404, as for a
 * person who does not exist, unless the caller may see them), else the
 * caller.  A look at someone else's report is written to the audit log
 * (page: "day", what: the date, say).  Free with rp_person_free. */
struct wt_err	*rp_person_load(struct wt_req *, const char *user_param, struct rp_person *);
void		 rp_person_free(struct rp_person *);
struct wt_err	*rp_look(struct wt_req *, const struct rp_person *, const char *page,
		    const char *what);

/* report_days for [from, to]: *out gets n days (free with rp_days_free). */
struct wt_err	*rp_days(const struct rp_person *, const char *from, const char *to,
		    struct rp_day **out, int *n);
void		 rp_days_free(struct rp_day *, int n);
/* The days of a result with ST_DASH_DAYS' columns from column base. */
void		 rp_days_read(PGresult *, int base, struct rp_day **out, int *n);

/* "7 h 05 min", "45 min", "30 s", "0 min". */
void		 rp_duration(long long ms, char *out, size_t n);
/* A share in whole percent of part in whole (0 when whole is 0). */
int		 rp_percent(long long part, long long whole);
/* Sets Base.* in the view and returns the JSON of one day's figures
 * (totals with their words), as the pages and their twins show them. */
json_t		*rp_day_json(const struct rp_day *);
void		 rp_day_view(struct wt_view *, const char *base, const struct rp_day *);
/* The category list (id, name, colour, productivity) as JSON, by id. */
struct wt_err	*rp_categories(json_t **out);
/* Date arithmetic on YYYY-MM-DD (proleptic Gregorian). */
void		 rp_date_add(const char *day, int days, char out[11]);
int		 rp_weekday(const char *day);	/* 0 Monday .. 6 Sunday */
/* Year, month, day of day z after 1970-01-01. */
void		 rp_civil_from_days(long z, int *y, int *m, int *d);
/* Sets Person.* (and whether it is someone else) for the templates. */
void		 rp_person_view(struct wt_view *, const struct rp_person *);
/* "&user=ID" for links when the report is about someone else, else "". */
const char	*rp_user_query(const struct rp_person *, char *buf, size_t n);

#endif
