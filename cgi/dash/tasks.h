/* The task-session pages (/sessions, /sessions/today, /sessions/ID, the
 * CSV export, deleting a session or a task).  The timings themselves are
 * made by task_event() in sql/010_tasks.sql; these pages read them. */
#ifndef WT_DASH_TASKS_H
#define WT_DASH_TASKS_H

#include <jansson.h>
#include <libpq-fe.h>

#include "http.h"

struct wt_view;
struct rp_person;

/* Pace: active minutes per finished task against the session's target.
 * The scale (README "Task sessions", and the widget's copy in
 * static/worktime-widget.user.js) by ratio = pace / target:
 *   <= 0.80 🚀 well ahead,  <= 1.00 😀 on target,  <= 1.15 🙂 close,
 *   <= 1.35 😐 behind,      <= 1.60 😟 well behind, above 🐢 far behind */
struct task_pace {
	int		 known;		/* 0: no finished task, no pace */
	double		 min_per_task;
	double		 ratio;
	const char	*emoji;
	const char	*words;
};

void		 task_pace(long long active_ms, long long tasks, double target,
		    struct task_pace *);
/* {"min_per_task", "ratio", "emoji", "words"} or null. */
json_t		*task_pace_json(const struct task_pace *);
/* Sets base.{known,min,ratio,emoji,words} for a template. */
void		 task_pace_view(struct wt_view *, const char *base, const struct task_pace *);
/* "4:05" (minutes:seconds) or "1:04:05"; "0:00" for nothing. */
void		 task_clock(long long ms, char out[24]);

/* Ends the person's session if it has been idle (as the API would):
 * the pages never show a session open that has timed out. */
struct wt_err	*task_close_stale(long long user_id);

/* The columns of ST_DASH_TASK_LIST and ST_DASH_TASK_SESSION (which adds
 * C_TS_* after these). */
enum { C_TL_ID, C_TL_DAY, C_TL_START, C_TL_END, C_TL_REASON, C_TL_TARGET, C_TL_TASKS,
	C_TL_ACTIVE, C_TL_PAUSED, C_TL_WALL, C_TL_STARTED_AT, C_TL_ENDED_AT, C_TL_OPEN,
	C_TL_NCOLS };
enum { C_TS_USER = C_TL_NCOLS, C_TS_TASK_NO, C_TS_TASK_START, C_TS_RUNNING_MS, C_TS_PAUSED,
	C_TS_DELETED };
/* The date range of a list (?from=&to=, in the viewer's days): the last
 * 30 days by default; at most 366 days, from not after to. */
struct wt_err	*task_range(struct wt_req *, const struct rp_person *, char from[11],
		    char to[11]);
/* One row of a session list as JSON, and into the view at base. */
json_t		*task_session_json(PGresult *, int row);
void		 task_session_view(struct wt_view *, const char *base, PGresult *, int row);

#endif
