/* The pace scale and the small formatting the task pages share. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "dash.h"
#include "tasks.h"
#include "user.h"
#include "view.h"

static const struct {
	double		 upto;		/* ratio at most */
	const char	*emoji, *words;
} SCALE[] = {
	{ 0.80, "🚀", "well ahead of the target" },
	{ 1.00, "😀", "on target" },
	{ 1.15, "🙂", "close to the target" },
	{ 1.35, "😐", "behind the target" },
	{ 1.60, "😟", "well behind the target" },
	{ -1, "🐢", "far behind the target" },	/* anything above */
};

void
task_pace(long long active_ms, long long tasks, double target, struct task_pace *p)
{
	memset(p, 0, sizeof(*p));
	if (tasks <= 0 || target <= 0)
		return;
	p->known = 1;
	p->min_per_task = (double)active_ms / 60000.0 / (double)tasks;
	p->ratio = p->min_per_task / target;
	for (size_t i = 0; i < sizeof(SCALE) / sizeof(SCALE[0]); i++)
		/* Within a millionth, so 5.5 of 5.5 is exactly 1.00. */
		if (SCALE[i].upto < 0 || p->ratio <= SCALE[i].upto + 1e-6) {
			p->emoji = SCALE[i].emoji;
			p->words = SCALE[i].words;
			break;
		}
}

json_t *
task_pace_json(const struct task_pace *p)
{
	if (!p->known)
		return json_null();
	return json_pack("{sf sf ss ss}", "min_per_task",
	    (double)(long long)(p->min_per_task * 100 + 0.5) / 100, "ratio",
	    (double)(long long)(p->ratio * 100 + 0.5) / 100, "emoji", p->emoji, "words", p->words);
}

void
task_pace_view(struct wt_view *v, const char *base, const struct task_pace *p)
{
	char buf[32];

	view_setf(v, p->known ? "1" : "0", "%s.known", base);
	if (!p->known)
		return;
	snprintf(buf, sizeof(buf), "%.2f", p->min_per_task);
	view_setf(v, buf, "%s.min", base);
	snprintf(buf, sizeof(buf), "%d", (int)(p->ratio * 100 + 0.5));
	view_setf(v, buf, "%s.percent", base);
	view_setf(v, p->emoji, "%s.emoji", base);
	view_setf(v, p->words, "%s.words", base);
}

void
task_clock(long long ms, char out[24])
{
	long long s = ms < 0 ? 0 : (ms + 500) / 1000;

	if (s >= 3600)
		snprintf(out, 24, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
	else
		snprintf(out, 24, "%lld:%02lld", s / 60, s % 60);
}

struct wt_err *
task_close_stale(long long user_id)
{
	char uid[24], idle[24];
	const char *params[2] = { uid, idle };
	PGresult *res;

	snprintf(uid, sizeof(uid), "%lld", user_id);
	snprintf(idle, sizeof(idle), "%lld", wt_cfg.tasks_idle_minutes);
	if ((res = db_exec(ST_DASH_TASK_TOUCH, 2, params)) == NULL)
		return db_err();
	PQclear(res);
	return NULL;
}

static long long
num(PGresult *res, int row, int col)
{
	return atoll(PQgetvalue(res, row, col));
}

json_t *
task_session_json(PGresult *res, int row)
{
	struct task_pace p;
	double target = strtod(PQgetvalue(res, row, C_TL_TARGET), NULL);
	long long tasks = num(res, row, C_TL_TASKS), active = num(res, row, C_TL_ACTIVE);
	int open = strcmp(PQgetvalue(res, row, C_TL_OPEN), "t") == 0;

	task_pace(active, tasks, target, &p);
	return json_pack("{sI ss ss* ss* ss* sf sI sI sI sI so}",
	    "id", (json_int_t)num(res, row, C_TL_ID),
	    "state", open ? "open" : "ended",
	    "started_at", PQgetvalue(res, row, C_TL_STARTED_AT),
	    "ended_at", open ? NULL : PQgetvalue(res, row, C_TL_ENDED_AT),
	    "end_reason", open ? NULL : PQgetvalue(res, row, C_TL_REASON),
	    "target_pace_min", target,
	    "tasks", (json_int_t)tasks,
	    "active_ms", (json_int_t)active,
	    "paused_ms", (json_int_t)num(res, row, C_TL_PAUSED),
	    "duration_ms", (json_int_t)num(res, row, C_TL_WALL),
	    "pace", task_pace_json(&p));
}

void
task_session_view(struct wt_view *v, const char *base, PGresult *res, int row)
{
	struct task_pace p;
	char buf[64];
	const char *reason = PQgetvalue(res, row, C_TL_REASON);

	task_pace(num(res, row, C_TL_ACTIVE), num(res, row, C_TL_TASKS),
	    strtod(PQgetvalue(res, row, C_TL_TARGET), NULL), &p);
	view_setf(v, PQgetvalue(res, row, C_TL_ID), "%s.id", base);
	view_setf(v, PQgetvalue(res, row, C_TL_DAY), "%s.day", base);
	view_setf(v, PQgetvalue(res, row, C_TL_START), "%s.start", base);
	view_setf(v, PQgetvalue(res, row, C_TL_END), "%s.end", base);
	view_setf(v, strcmp(PQgetvalue(res, row, C_TL_OPEN), "t") == 0 ? "open" :
	    strcmp(reason, "idle") == 0 ? "ended when idle" : "ended", "%s.state", base);
	view_setf(v, PQgetvalue(res, row, C_TL_TASKS), "%s.tasks", base);
	pace_text(strtod(PQgetvalue(res, row, C_TL_TARGET), NULL), buf);
	view_setf(v, buf, "%s.target", base);
	task_clock(num(res, row, C_TL_ACTIVE), buf);
	view_setf(v, buf, "%s.active", base);
	task_clock(num(res, row, C_TL_PAUSED), buf);
	view_setf(v, buf, "%s.paused", base);
	task_clock(num(res, row, C_TL_WALL), buf);
	view_setf(v, buf, "%s.duration", base);
	snprintf(buf, sizeof(buf), "%s.pace", base);
	task_pace_view(v, buf, &p);
}
