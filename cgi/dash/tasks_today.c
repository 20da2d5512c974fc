/* /sessions/today: the tasks finished today, per hour of the day (23 or
 * 25 hours on the days daylight-saving time changes), the pace across
 * today's tasks against their sessions' targets weighted by task count,
 * and today's sessions. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dash.h"
#include "report.h"
#include "tasks.h"
#include "view.h"

const struct wt_field tasks_today_fields[] = {
	{ .name = "user", .src = WT_SRC_QUERY, .type = WT_T_INT, .min = 1,
	  .max = 1LL << 53, .label = "Person" },
	{ .name = NULL }
};

#define MAX_HOURS	25
#define BAR_W		24
#define BAR_H		120

struct wt_err *
tasks_today(struct wt_req *r)
{
	struct rp_person p;
	PGresult *hours = NULL, *done = NULL, *list = NULL;
	char id[24], buf[64];
	const char *params[4];
	long long count[MAX_HOURS] = { 0 }, active[MAX_HOURS] = { 0 };
	long long tasks = 0, act = 0, max = 0;
	double targets = 0;
	int nh;
	struct task_pace pace;
	struct wt_err *e;
	struct wt_view *v;
	json_t *jh, *js;

	if ((e = rp_person_load(r, wt_str(r, "user"), &p)) != NULL ||
	    (e = rp_look(r, &p, "sessions", p.today)) != NULL ||
	    (e = task_close_stale(p.id)) != NULL)
		goto out;
	snprintf(id, sizeof(id), "%lld", p.id);
	params[0] = p.today;
	params[1] = p.view_tz;
	if ((hours = db_exec(ST_DASH_HOURS, 2, params)) == NULL) {
		e = db_err();
		goto out;
	}
	params[0] = id;
	params[1] = p.today;
	params[2] = p.view_tz;
	if ((done = db_exec(ST_DASH_TASK_HOURS, 3, params)) == NULL) {
		e = db_err();
		goto out;
	}
	params[2] = p.today;
	params[3] = p.view_tz;
	if ((list = db_exec(ST_DASH_TASK_LIST, 4, params)) == NULL) {
		e = db_err();
		goto out;
	}
	nh = PQntuples(hours) < MAX_HOURS ? PQntuples(hours) : MAX_HOURS;
	for (int i = 0; i < PQntuples(done); i++) {
		int h = atoi(PQgetvalue(done, i, 0));

		if (h < 0 || h >= nh)
			continue;
		count[h] = atoll(PQgetvalue(done, i, 1));
		active[h] = atoll(PQgetvalue(done, i, 2));
		tasks += count[h];
		act += active[h];
		targets += strtod(PQgetvalue(done, i, 3), NULL);
		if (count[h] > max)
			max = count[h];
	}
	task_pace(act, tasks, tasks ? targets / (double)tasks : 0, &pace);

	if (req_wants_json(r)) {
		jh = json_array();
		for (int h = 0; h < nh; h++)
			json_array_append_new(jh, json_pack("{ss sI sI}", "hour",
			    PQgetvalue(hours, h, 0), "tasks", (json_int_t)count[h],
			    "active_ms", (json_int_t)active[h]));
		js = json_array();
		for (int i = 0; i < PQntuples(list); i++)
			json_array_append_new(js, task_session_json(list, i));
		e = wt_json(r, 200, json_pack("{sI ss sI sI so so so}", "user", (json_int_t)p.id,
		    "date", p.today, "tasks", (json_int_t)tasks, "active_ms", (json_int_t)act,
		    "pace", task_pace_json(&pace), "hours", jh, "sessions", js));
		goto out;
	}
	v = req_view(r);
	rp_person_view(v, &p);
	view_set(v, "Page.Title", "Tasks today");
	view_set(v, "Page.Nav", "sessions");
	view_set(v, "Range.UserQuery", rp_user_query(&p, buf, sizeof(buf)));
	view_set_int(v, "Today.tasks", tasks);
	task_clock(act, buf);
	view_set(v, "Today.active", buf);
	task_pace_view(v, "Today.pace", &pace);
	view_set_int(v, "Today.width", nh * BAR_W);
	for (int h = 0; h < nh; h++) {
		long long bh = max ? count[h] * BAR_H / max : 0;

		view_setf(v, PQgetvalue(hours, h, 0), "Hours.%d.label", h);
		snprintf(buf, sizeof(buf), "%lld", count[h]);
		view_setf(v, buf, "Hours.%d.count", h);
		snprintf(buf, sizeof(buf), "%d", h * BAR_W);
		view_setf(v, buf, "Hours.%d.x", h);
		snprintf(buf, sizeof(buf), "%d", h * BAR_W + BAR_W / 2 - 2);
		view_setf(v, buf, "Hours.%d.cx", h);
		snprintf(buf, sizeof(buf), "%lld", BAR_H - bh);
		view_setf(v, buf, "Hours.%d.y", h);
		snprintf(buf, sizeof(buf), "%lld", bh);
		view_setf(v, buf, "Hours.%d.h", h);
	}
	for (int i = 0; i < PQntuples(list); i++) {
		snprintf(buf, sizeof(buf), "Sessions.%d", i);
		task_session_view(v, buf, list, i);
	}
	e = wt_html(r, 200, "task_today.cs");
out:
	if (hours != NULL)
		PQclear(hours);
	if (done != NULL)
		PQclear(done);
	if (list != NULL)
		PQclear(list);
	rp_person_free(&p);
	return e;
}
