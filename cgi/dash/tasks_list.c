/* /sessions (page and JSON twin) and /sessions.csv: a person's task
 * sessions started within a range of days, in the viewer's time zone. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dash.h"
#include "report.h"
#include "tasks.h"
#include "view.h"

const struct wt_field tasks_list_fields[] = {
	{ .name = "from", .src = WT_SRC_QUERY, .type = WT_T_DATE, .label = "From" },
	{ .name = "to", .src = WT_SRC_QUERY, .type = WT_T_DATE, .label = "To" },
	{ .name = "user", .src = WT_SRC_QUERY, .type = WT_T_INT, .min = 1,
	  .max = 1LL << 53, .label = "Person" },
	/* After a session was deleted: says so. */
	{ .name = "deleted", .src = WT_SRC_QUERY, .type = WT_T_BOOL },
	{ .name = NULL }
};

#define MAX_RANGE_DAYS	366

static int
days_between(const char *a, const char *b)
{
	char d[11];
	int n = 0;

	snprintf(d, sizeof(d), "%s", a);
	while (strcmp(d, b) < 0 && n <= MAX_RANGE_DAYS) {
		rp_date_add(d, 1, d);
		n++;
	}
	return n;
}

struct wt_err *
task_range(struct wt_req *r, const struct rp_person *p, char from[11], char to[11])
{
	snprintf(to, 11, "%s", wt_str(r, "to") ? wt_str(r, "to") : p->today);
	if (wt_str(r, "from") != NULL)
		snprintf(from, 11, "%s", wt_str(r, "from"));
	else
		rp_date_add(to, -29, from);
	if (strcmp(from, to) > 0)
		return wt_form_fail(400, "from", "From must not be after To");
	if (days_between(from, to) >= MAX_RANGE_DAYS)
		return wt_form_fail(400, "from", "At most %d days at a time", MAX_RANGE_DAYS);
	return NULL;
}

static struct wt_err *
load(struct wt_req *r, struct rp_person *p, char from[11], char to[11], int stmt,
    PGresult **res)
{
	struct wt_err *e;
	char id[24];
	const char *params[4] = { id, from, to, NULL };

	*res = NULL;
	if ((e = rp_person_load(r, wt_str(r, "user"), p)) != NULL)
		return e;
	params[3] = p->view_tz;
	snprintf(id, sizeof(id), "%lld", p->id);
	if ((e = task_range(r, p, from, to)) != NULL ||
	    (e = rp_look(r, p, "sessions", from)) != NULL ||
	    (e = task_close_stale(p->id)) != NULL)
		return e;
	if ((*res = db_exec(stmt, 4, params)) == NULL)
		return db_err();
	return NULL;
}

/* The page around a range shown again with its error (no list). */
struct wt_err *
tasks_list_fill(struct wt_req *r)
{
	struct wt_view *v = req_view(r);

	view_set(v, "Page.Title", "Task sessions");
	view_set(v, "Page.Nav", "sessions");
	view_set(v, "Range.UserQuery", "");
	return NULL;
}

struct wt_err *
tasks_list(struct wt_req *r)
{
	struct rp_person p;
	char from[11], to[11], uq[40], buf[64];
	PGresult *res;
	struct wt_err *e;
	struct wt_view *v;
	json_t *list;
	long long tasks = 0, active = 0;
	double weighted = 0;
	struct task_pace pace;

	if ((e = load(r, &p, from, to, ST_DASH_TASK_LIST, &res)) != NULL) {
		rp_person_free(&p);
		return e;
	}
	for (int i = 0; i < PQntuples(res); i++) {
		long long n = atoll(PQgetvalue(res, i, C_TL_TASKS));

		tasks += n;
		active += atoll(PQgetvalue(res, i, C_TL_ACTIVE));
		weighted += (double)n * strtod(PQgetvalue(res, i, C_TL_TARGET), NULL);
	}
	/* Across sessions the target is their targets weighted by tasks. */
	task_pace(active, tasks, tasks ? weighted / (double)tasks : 0, &pace);
	if (req_wants_json(r)) {
		list = json_array();
		for (int i = 0; i < PQntuples(res); i++)
			json_array_append_new(list, task_session_json(res, i));
		PQclear(res);
		e = wt_json(r, 200, json_pack("{sI ss ss so s{sI sI sI so}}", "user",
		    (json_int_t)p.id, "from", from, "to", to, "sessions", list, "totals",
		    "sessions", (json_int_t)json_array_size(list), "tasks", (json_int_t)tasks,
		    "active_ms", (json_int_t)active, "pace", task_pace_json(&pace)));
		rp_person_free(&p);
		return e;
	}
	v = req_view(r);
	rp_person_view(v, &p);
	view_set(v, "Page.Title", "Task sessions");
	view_set(v, "Page.Nav", "sessions");
	if (wt_bool(r, "deleted", 0))
		view_set(v, "Notice", "The session is deleted.");
	view_set(v, "Range.From", from);
	view_set(v, "Range.To", to);
	view_set(v, "Form.Value.from", from);
	view_set(v, "Form.Value.to", to);
	view_set(v, "Range.UserQuery", rp_user_query(&p, uq, sizeof(uq)));
	view_set_int(v, "Totals.sessions", PQntuples(res));
	view_set_int(v, "Totals.tasks", tasks);
	task_clock(active, buf);
	view_set(v, "Totals.active", buf);
	task_pace_view(v, "Totals.pace", &pace);
	for (int i = 0; i < PQntuples(res); i++) {
		snprintf(buf, sizeof(buf), "Sessions.%d", i);
		task_session_view(v, buf, res, i);
	}
	PQclear(res);
	rp_person_free(&p);
	return wt_html(r, 200, "task_sessions.cs");
}

struct wt_err *
tasks_csv(struct wt_req *r)
{
	struct rp_person p;
	char from[11], to[11], name[80];
	PGresult *res;
	struct wt_err *e;

	if ((e = load(r, &p, from, to, ST_DASH_TASK_CSV, &res)) != NULL) {
		rp_person_free(&p);
		return e;
	}
	(void)wt_empty(r, 200);
	resp_set_header(r, "Content-Type", "text/csv; charset=utf-8");
	snprintf(name, sizeof(name), "attachment; filename=\"tasks-%s-%s.csv\"", from, to);
	resp_set_header(r, "Content-Disposition", name);
	/* Every value is a number or a time: nothing needs quoting. */
	buf_puts(&r->resp.body, "session,session_started,target_min_per_task,task,started,"
	    "ended,raw_s,paused_s,active_s\r\n");
	for (int i = 0; i < PQntuples(res); i++) {
		for (int c = 0; c < PQnfields(res); c++)
			buf_printf(&r->resp.body, "%s%s", c ? "," : "", PQgetvalue(res, i, c));
		buf_puts(&r->resp.body, "\r\n");
	}
	PQclear(res);
	rp_person_free(&p);
	return NULL;
}
