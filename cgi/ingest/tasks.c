/* The widget's task events: POST /api/v1/task-events and
 * GET /api/v1/task-sessions/current, signed in with the person's access
 * token (JWT), from the pages of the origins in cors.origins.
 *
 * All the rules live in task_event() (sql/010_tasks.sql), which places
 * the event in its session by client time, applies it under the
 * person's row lock and answers in one call; this file checks the input
 * and turns the answer into JSON.
 *
 *   {"id": "client-made id", "type": "NEXT"|"PAUSE"|"UNDO"|"EXIT",
 *    "at": RFC 3339 client time, "target_pace_min": 5.5 (optional: the
 *    target of a session this event starts; default the profile's)} */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "batch.h"
#include "clock.h"
#include "conf.h"
#include "ingest.h"
#include "user.h"

/* How far an event's client time may be from the server's clock: ahead
 * (a clock set wrong) and behind (the widget's queue keeps events for
 * at most this long). */
#define TASK_FUTURE_US	(5LL * 60 * 1000000)
#define TASK_PAST_US	(30LL * 86400 * 1000000)

static const char *const task_types[] = { "NEXT", "PAUSE", "UNDO", "EXIT", NULL };

static const char *
check_client_id(const char *s)
{
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
			return "must be letters, digits, - and _ only (a UUID will do)";
	return NULL;
}

static const char *
check_at(const char *s)
{
	long long us;

	return rfc3339_parse(s, &us) == 0 ? NULL :
	    "must be an RFC 3339 time such as 2026-11-23T09:15:00.250Z";
}

const struct wt_field task_event_fields[] = {
	{ .name = "id", .src = WT_SRC_BODY, .type = WT_T_STRING, .flags = WT_REQUIRED,
	  .min = 8, .max = 64, .check = check_client_id },
	{ .name = "type", .src = WT_SRC_BODY, .type = WT_T_ENUM, .flags = WT_REQUIRED,
	  .choices = task_types },
	{ .name = "at", .src = WT_SRC_BODY, .type = WT_T_STRING, .flags = WT_REQUIRED,
	  .max = 64, .check = check_at },
	{ .name = "target_pace_min", .src = WT_SRC_BODY, .type = WT_T_DECIMAL,
	  .min = 10, .max = 144000, .label = "target_pace_min (minutes per task)" },
	{ .name = NULL }
};

/* Microseconds since 1970 as a timestamp PostgreSQL reads exactly. */
static void
us_text(long long us, char out[40])
{
	time_t secs = (time_t)(us / 1000000);
	long long frac = us % 1000000;
	struct tm tm;
	char day[24];

	if (frac < 0) {
		frac += 1000000;
		secs--;
	}
	gmtime_r(&secs, &tm);
	strftime(day, sizeof(day), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, 40, "%s.%06lldZ", day, frac);
}

static json_t *
state_of(PGresult *res, int col)
{
	if (PQgetisnull(res, 0, col))
		return json_null();
	return json_loads(PQgetvalue(res, 0, col), JSON_DECODE_ANY, NULL);
}

struct wt_err *
task_event_post(struct wt_req *r)
{
	char uid[24], at[40], idle[24];
	const char *params[6];
	long long t, now = clock_real_us();
	PGresult *res;
	json_t *state, *ev;
	struct wt_err *e;

	rfc3339_parse(wt_str(r, "at"), &t);
	if (t > now + TASK_FUTURE_US)
		return wt_fail(400, "at", "at is more than 5 minutes ahead of the server's clock; "
		    "check this computer's clock");
	if (t < now - TASK_PAST_US)
		return wt_fail(400, "at", "at is more than 30 days old; events older than that "
		    "are not accepted");
	snprintf(uid, sizeof(uid), "%lld", r->user->id);
	us_text(t, at);
	snprintf(idle, sizeof(idle), "%lld", wt_cfg.tasks_idle_minutes);
	params[0] = uid;
	params[1] = wt_str(r, "id");
	params[2] = wt_str(r, "type");
	params[3] = at;
	params[4] = idle;
	params[5] = wt_str(r, "target_pace_min");
	if ((res = db_exec(ST_INGEST_TASK_EVENT, 6, params)) == NULL)
		return db_err();
	if (atoi(PQgetvalue(res, 0, C_TE_STATUS)) != 200) {
		e = wt_fail(409, NULL, "%s", PQgetvalue(res, 0, C_TE_MESSAGE));
		PQclear(res);
		return e;
	}
	state = state_of(res, C_TE_STATE);
	/* The event part is the same for the event and its duplicates. */
	ev = json_pack("{ss ss ss sI sI}", "id", params[1], "type", params[2],
	    "at", wt_str(r, "at"),
	    "session_id", (json_int_t)atoll(PQgetvalue(res, 0, C_TE_SESSION)),
	    "task", (json_int_t)atoll(PQgetvalue(res, 0, C_TE_TASK)));
	PQclear(res);
	return wt_json(r, 200, json_pack("{so so}", "event", ev, "session",
	    state != NULL ? state : json_null()));
}

struct wt_err *
task_current_get(struct wt_req *r)
{
	char uid[24], idle[24], now[40];
	const char *params[2] = { uid, idle };
	PGresult *res;
	json_t *state;

	snprintf(uid, sizeof(uid), "%lld", r->user->id);
	snprintf(idle, sizeof(idle), "%lld", wt_cfg.tasks_idle_minutes);
	if ((res = db_exec(ST_INGEST_TASK_CURRENT, 2, params)) == NULL)
		return db_err();
	state = state_of(res, 0);
	PQclear(res);
	us_text(clock_real_us(), now);
	return wt_json(r, 200, json_pack("{so so sI ss}", "session",
	    state != NULL ? state : json_null(), "target_pace_min",
	    pace_json(r->user->target_pace_min), "idle_minutes",
	    (json_int_t)wt_cfg.tasks_idle_minutes, "server_time", now));
}
