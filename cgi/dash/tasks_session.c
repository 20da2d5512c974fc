/* /sessions/ID: one task session, each task's raw and active time, the
 * pace against the target with its emoji, the totals; and deleting the
 * session or one of its tasks (its owner only; the totals are sums of
 * what is left, so they follow at once). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dash.h"
#include "log.h"
#include "report.h"
#include "tasks.h"
#include "view.h"

const struct wt_field tasks_session_fields[] = {
	{ .name = "id", .src = WT_SRC_PATH, .type = WT_T_INT, .flags = WT_REQUIRED,
	  .min = 1, .max = 1LL << 53, .label = "Session" },
	{ .name = NULL }
};

const struct wt_field tasks_task_fields[] = {
	{ .name = "id", .src = WT_SRC_PATH, .type = WT_T_INT, .flags = WT_REQUIRED,
	  .min = 1, .max = 1LL << 53, .label = "Session" },
	{ .name = "n", .src = WT_SRC_PATH, .type = WT_T_INT, .flags = WT_REQUIRED,
	  .min = 1, .max = 1000000, .label = "Task" },
	{ .name = NULL }
};

static long long
num(PGresult *res, int row, int col)
{
	return atoll(PQgetvalue(res, row, col));
}

/* The session (ST_DASH_TASK_SESSION) and its person, if the caller may
 * see them; else 404, as for a session that does not exist. */
static struct wt_err *
session_load(struct wt_req *r, struct rp_person *p, PGresult **out)
{
	const char *id = wt_str(r, "id");
	const char *params[2] = { id, r->user->timezone };
	char owner[24];
	PGresult *res;
	struct wt_err *e;

	memset(p, 0, sizeof(*p));
	*out = NULL;
	if ((res = db_exec(ST_DASH_TASK_SESSION, 2, params)) == NULL)
		return db_err();
	if (PQntuples(res) != 1) {
		PQclear(res);
		return wt_fail(404, NULL, "there is no task session %s", id);
	}
	snprintf(owner, sizeof(owner), "%s", PQgetvalue(res, 0, C_TS_USER));
	PQclear(res);
	if ((e = rp_person_load(r, owner, p)) != NULL) {
		err_free(e);
		return wt_fail(404, NULL, "there is no task session %s", id);
	}
	/* Idle for too long: ended before it is shown. */
	if ((e = task_close_stale(p->id)) != NULL)
		return e;
	if ((res = db_exec(ST_DASH_TASK_SESSION, 2, params)) == NULL)
		return db_err();
	if (PQntuples(res) != 1) {
		PQclear(res);
		return wt_fail(404, NULL, "there is no task session %s", id);
	}
	*out = res;
	return NULL;
}

static json_t *
task_json(PGresult *t, int i, double target)
{
	struct task_pace pace;

	task_pace(num(t, i, 5), 1, target, &pace);
	return json_pack("{sI ss ss sI sI sI so}", "number", (json_int_t)num(t, i, 0),
	    "started_at", PQgetvalue(t, i, 6), "ended_at", PQgetvalue(t, i, 7),
	    "raw_ms", (json_int_t)num(t, i, 3), "paused_ms", (json_int_t)num(t, i, 4),
	    "active_ms", (json_int_t)num(t, i, 5), "pace", task_pace_json(&pace));
}

static void
task_view(struct wt_view *v, PGresult *t, int i, double target)
{
	struct task_pace pace;
	char buf[24], base[32];

	snprintf(base, sizeof(base), "Tasks.%d", i);
	view_setf(v, PQgetvalue(t, i, 0), "%s.number", base);
	view_setf(v, PQgetvalue(t, i, 1), "%s.start", base);
	view_setf(v, PQgetvalue(t, i, 2), "%s.end", base);
	task_clock(num(t, i, 3), buf);
	view_setf(v, buf, "%s.raw", base);
	task_clock(num(t, i, 4), buf);
	view_setf(v, buf, "%s.paused", base);
	task_clock(num(t, i, 5), buf);
	view_setf(v, buf, "%s.active", base);
	task_pace(num(t, i, 5), 1, target, &pace);
	snprintf(base, sizeof(base), "Tasks.%d.pace", i);
	task_pace_view(v, base, &pace);
}

struct wt_err *
tasks_session(struct wt_req *r)
{
	struct rp_person p;
	PGresult *s = NULL, *t = NULL;
	const char *params[2] = { wt_str(r, "id"), r->user->timezone };
	struct wt_err *e;
	struct wt_view *v;
	double target;
	int open;
	char buf[64];

	if ((e = session_load(r, &p, &s)) != NULL ||
	    (e = rp_look(r, &p, "session", wt_str(r, "id"))) != NULL)
		goto done;
	if ((t = db_exec(ST_DASH_TASK_TASKS, 2, params)) == NULL) {
		e = db_err();
		goto done;
	}
	target = strtod(PQgetvalue(s, 0, C_TL_TARGET), NULL);
	open = strcmp(PQgetvalue(s, 0, C_TL_OPEN), "t") == 0;
	if (req_wants_json(r)) {
		json_t *tasks = json_array(), *sess = task_session_json(s, 0), *running = json_null();

		for (int i = 0; i < PQntuples(t); i++)
			json_array_append_new(tasks, task_json(t, i, target));
		json_object_set_new(sess, "deleted_tasks", json_integer(num(s, 0, C_TS_DELETED)));
		if (open && num(s, 0, C_TS_TASK_NO) > 0) {
			json_decref(running);
			running = json_pack("{sI sI sb}", "number", (json_int_t)num(s, 0, C_TS_TASK_NO),
			    "active_ms", (json_int_t)num(s, 0, C_TS_RUNNING_MS), "paused",
			    strcmp(PQgetvalue(s, 0, C_TS_PAUSED), "t") == 0);
		}
		e = wt_json(r, 200, json_pack("{sI so so so}", "user", (json_int_t)p.id,
		    "session", sess, "tasks", tasks, "running", running));
		goto done;
	}
	v = req_view(r);
	rp_person_view(v, &p);
	snprintf(buf, sizeof(buf), "Task session %s", wt_str(r, "id"));
	view_set(v, "Page.Title", buf);
	view_set(v, "Page.Nav", "sessions");
	task_session_view(v, "Session", s, 0);
	view_set(v, "Session.open", open ? "1" : "0");
	view_set(v, "Session.deleted", PQgetvalue(s, 0, C_TS_DELETED));
	if (open && num(s, 0, C_TS_TASK_NO) > 0) {
		view_set(v, "Running.number", PQgetvalue(s, 0, C_TS_TASK_NO));
		view_set(v, "Running.start", PQgetvalue(s, 0, C_TS_TASK_START));
		task_clock(num(s, 0, C_TS_RUNNING_MS), buf);
		view_set(v, "Running.active", buf);
		view_set(v, "Running.paused", PQgetvalue(s, 0, C_TS_PAUSED));
	}
	view_set(v, "Range.UserQuery", rp_user_query(&p, buf, sizeof(buf)));
	for (int i = 0; i < PQntuples(t); i++)
		task_view(v, t, i, target);
	e = wt_html(r, 200, "task_session.cs");
done:
	if (s != NULL)
		PQclear(s);
	if (t != NULL)
		PQclear(t);
	rp_person_free(&p);
	return e;
}

/* The session for a change by its owner: locked, and 404 for anyone
 * else's (403 for a manager or admin who may only look). */
static struct wt_err *
owned(struct wt_req *r, struct rp_person *p, PGresult **s)
{
	char uid[24];
	const char *param = uid;
	PGresult *res;
	struct wt_err *e;

	snprintf(uid, sizeof(uid), "%lld", r->user->id);
	if (db_begin() != 0)
		return db_err();
	if ((res = db_exec(ST_DASH_TASK_LOCK, 1, &param)) == NULL)
		return db_err();
	PQclear(res);
	if ((e = session_load(r, p, s)) != NULL)
		return e;
	if (!p->self)
		return wt_fail(403, NULL, "only %s may delete their task sessions", p->name);
	return NULL;
}

struct wt_err *
tasks_session_delete(struct wt_req *r)
{
	struct rp_person p;
	PGresult *s = NULL, *res;
	char uid[24];
	const char *params[2] = { wt_str(r, "id"), uid };
	struct wt_err *e;

	if ((e = owned(r, &p, &s)) != NULL)
		goto done;
	snprintf(uid, sizeof(uid), "%lld", r->user->id);
	if ((res = db_exec(ST_DASH_TASK_DELETE_SESSION, 2, params)) == NULL) {
		e = db_err();
		goto done;
	}
	PQclear(res);
	if (db_commit() != 0) {
		e = db_err();
		goto done;
	}
	log_info("tasks", "user %lld deleted task session %s", r->user->id, params[0]);
	e = req_wants_json(r) ? wt_json(r, 200, json_pack("{ss}", "deleted", params[0])) :
	    wt_redirect(r, 303, "/sessions?deleted=1");
done:
	if (s != NULL)
		PQclear(s);
	rp_person_free(&p);
	return e;
}

struct wt_err *
tasks_task_delete(struct wt_req *r)
{
	struct rp_person p;
	PGresult *s = NULL, *res;
	const char *params[2] = { wt_str(r, "id"), wt_str(r, "n") };
	struct wt_err *e;
	char loc[64];

	if ((e = owned(r, &p, &s)) != NULL)
		goto done;
	if (strcmp(PQgetvalue(s, 0, C_TL_OPEN), "t") == 0) {
		e = wt_fail(409, NULL, "the session is still open: end it (EXIT) before "
		    "deleting its tasks");
		goto done;
	}
	if ((res = db_exec(ST_DASH_TASK_DELETE_TASK, 2, params)) == NULL) {
		e = db_err();
		goto done;
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		e = wt_fail(404, "n", "session %s has no task %s", params[0], params[1]);
		goto done;
	}
	PQclear(res);
	if (db_commit() != 0) {
		e = db_err();
		goto done;
	}
	log_info("tasks", "user %lld deleted task %s of session %s", r->user->id, params[1],
	    params[0]);
	snprintf(loc, sizeof(loc), "/sessions/%s", params[0]);
	if (req_wants_json(r)) {
		json_t *sess;

		PQclear(s);
		if ((s = db_exec(ST_DASH_TASK_SESSION, 2,
		    (const char *[]){ params[0], r->user->timezone })) == NULL) {
			e = db_err();
			goto done;
		}
		sess = task_session_json(s, 0);
		e = wt_json(r, 200, json_pack("{ss so}", "deleted", params[1], "session", sess));
	} else
		e = wt_redirect(r, 303, loc);
done:
	if (s != NULL)
		PQclear(s);
	rp_person_free(&p);
	return e;
}
