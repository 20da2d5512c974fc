/* The task-session pages in process (dash.fcgi): /sessions with its date
 * filters in the viewer's zone, /sessions/ID with each task's raw and
 * active time and the pace emoji, /sessions/today (tasks per hour, pace
 * weighted by task count), the JSON twins and the CSV agreeing with each
 * other to the millisecond, deleting a task (totals recomputed, and kept
 * deleted when a late event replays the session) or a session, and who
 * may see and delete what.  Events are made through the API (ingest). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"

extern const struct wt_app dash_app, ingest_app;
#define DASH	(&dash_app)
#define INGEST	(&ingest_app)

static time_t now0;
static int seq;

static const char *
at(long long secs)
{
	time_t t = now0 + secs;
	struct tm tm;
	char buf[40];

	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S.000Z", &tm);
	return ip_strf("%s", buf);
}

struct person {
	const char	*id, *token;
};

static struct person
person(const char *role, const char *tz)
{
	struct person p;
	int n = ++seq;

	p.id = ip_strf("%lld", ip_user(ip_strf("%s-pages%d@example.com", ip_tag(), n),
	    ip_strf("Pages Person %d é", n), role, NULL));
	ip_exec("UPDATE users SET timezone = $2 WHERE id = $1", p.id, tz, NULL);
	p.token = ip_token(atoll(p.id));
	return p;
}

static int
event(const struct person *p, const char *type, long long secs, const char *pace)
{
	int n = ++seq;
	struct ip_resp *a = IP(INGEST, .method = "POST", .path = "/api/v1/task-events",
	    .bearer = p->token, .json = pace ?
	    ip_strf("{\"id\":\"%s-pg-%d\",\"type\":\"%s\",\"at\":\"%s\",\"target_pace_min\":%s}",
	    ip_tag(), n, type, at(secs), pace) :
	    ip_strf("{\"id\":\"%s-pg-%d\",\"type\":\"%s\",\"at\":\"%s\"}", ip_tag(), n,
	    type, at(secs)));

	if (a->status != 200)
		diag("%s@%lld: %d %s", type, secs, a->status, a->body);
	return a->status;
}

static struct ip_resp *
get(const struct person *p, const char *path)
{
	return IP(DASH, .path = path, .bearer = p->token, .accept = "application/json");
}

static const char *
sessions_of(const struct person *p)
{
	return ip_q("SELECT string_agg(id::text, ' ' ORDER BY started_at) FROM task_sessions"
	    " WHERE user_id = $1", p->id, NULL);
}

int
main(void)
{
	struct person a, b, mgr;
	struct ip_resp *r;
	const char *s1, *s2, *old, *team, *csv, *path, *today_sql;
	int ok_all = 1;

	if (ip_init("test_task_pages") != 0)
		return 0;
	now0 = time(NULL);
	a = person("member", "Pacific/Kiritimati");
	b = person("member", "UTC");
	mgr = person("manager", "America/New_York");
	team = ip_q("INSERT INTO teams (name) VALUES ($1) RETURNING id",
	    ip_strf("Tasks team %s", ip_tag()), NULL);
	ip_exec("INSERT INTO team_members (team_id, user_id, role) VALUES ($1, $2, 'manager'),"
	    " ($1, $3, 'member')", team, mgr.id, a.id, NULL);

	/* An old session (ten days ago, ended when idle), one today and an
	 * open one with its own target. */
	ok_all &= event(&a, "NEXT", -10 * 86400, NULL) == 200;
	ok_all &= event(&a, "NEXT", -10 * 86400 + 240, NULL) == 200;
	ok_all &= event(&a, "EXIT", -10 * 86400 + 420, NULL) == 200;
	ok_all &= event(&a, "NEXT", -3000, NULL) == 200;
	ok_all &= event(&a, "PAUSE", -2900, NULL) == 200;
	ok_all &= event(&a, "PAUSE", -2800, NULL) == 200;
	ok_all &= event(&a, "NEXT", -2700, NULL) == 200;
	ok_all &= event(&a, "NEXT", -2400, NULL) == 200;
	ok_all &= event(&a, "EXIT", -2100, NULL) == 200;
	ok_all &= event(&a, "NEXT", -600, "4") == 200;
	ok_all &= event(&a, "NEXT", -300, NULL) == 200;
	ok(ok_all, "fixtures: three sessions through the API");
	old = ip_q("SELECT min(id) FROM task_sessions WHERE user_id = $1", a.id, NULL);
	s1 = ip_q("SELECT id FROM task_sessions WHERE user_id = $1 ORDER BY id OFFSET 1 LIMIT 1",
	    a.id, NULL);
	s2 = ip_q("SELECT max(id) FROM task_sessions WHERE user_id = $1", a.id, NULL);

	/* --- one session --- */
	r = get(&a, ip_strf("/sessions/%s", s1));
	is_status(r, 200, "GET /sessions/ID (JSON): 200");
	is_str(ip_jnorm(ip_jstr(r, "tasks")), ip_jnorm(ip_strf("[%s,%s,%s]",
	    ip_strf("{\"number\":1,\"started_at\":\"%s\",\"ended_at\":\"%s\",\"raw_ms\":300000,"
	    "\"paused_ms\":100000,\"active_ms\":200000,\"pace\":{\"min_per_task\":3.33,"
	    "\"ratio\":0.61,\"emoji\":\"🚀\",\"words\":\"well ahead of the target\"}}",
	    at(-3000), at(-2700)),
	    ip_strf("{\"number\":2,\"started_at\":\"%s\",\"ended_at\":\"%s\",\"raw_ms\":300000,"
	    "\"paused_ms\":0,\"active_ms\":300000,\"pace\":{\"min_per_task\":5.0,\"ratio\":0.91,"
	    "\"emoji\":\"😀\",\"words\":\"on target\"}}", at(-2700), at(-2400)),
	    ip_strf("{\"number\":3,\"started_at\":\"%s\",\"ended_at\":\"%s\",\"raw_ms\":300000,"
	    "\"paused_ms\":0,\"active_ms\":300000,\"pace\":{\"min_per_task\":5.0,\"ratio\":0.91,"
	    "\"emoji\":\"😀\",\"words\":\"on target\"}}", at(-2400), at(-2100)))),
	    "... each task's raw, paused and active time and pace");
	is_str(ip_strf("%s %s %s %s %s %s", ip_jstr(r, "session.tasks"),
	    ip_jstr(r, "session.active_ms"), ip_jstr(r, "session.paused_ms"),
	    ip_jstr(r, "session.duration_ms"), ip_jstr(r, "session.pace.min_per_task"),
	    ip_jstr(r, "session.pace.emoji")), "3 800000 100000 900000 4.44 😀",
	    "... the totals: 3 tasks, 800 s active, 4.44 min a task against 5.5: 😀");
	r = IP(DASH, .path = ip_strf("/sessions/%s", s1), .bearer = a.token);
	is_status(r, 200, "the page: 200");
	like(r->body, "<td data-label=\"Active\" class=\"num\">3:20</td>", "... task 1: 3:20 active");
	like(r->body, "🚀</span> 61%", "... its pace: 🚀, 61% of the target");
	like(r->body, "4\\.44</span>min per task against 5\\.5: on target", "... the session's pace");
	like(r->body, "Yes, delete task 2", "... the owner may delete a task");
	r = get(&a, ip_strf("/sessions/%s", s2));
	is_str(ip_strf("%s %s %s %s", ip_jstr(r, "session.state"), ip_jstr(r, "session.tasks"),
	    ip_jstr(r, "session.target_pace_min"), ip_jstr(r, "running.number")), "open 1 4 2",
	    "an open session: 1 task finished, target 4 as sent, task 2 running");
	r = get(&a, "/sessions/999999999");
	is_status(r, 404, "a session that does not exist: 404");
	r = get(&a, "/sessions/abc");
	is_error(r, 400, "id", "a session id that is not a number: 400");

	/* --- the list, its filters, the CSV --- */
	r = get(&a, "/sessions");
	is_status(r, 200, "GET /sessions (JSON): 200");
	is_str(ip_strf("%s %s %s", ip_jstr(r, "totals.sessions"), ip_jstr(r, "totals.tasks"),
	    ip_jstr(r, "totals.active_ms")), "3 6 1520000",
	    "... the last 30 days: 3 sessions, 6 finished tasks, 1520 s active");
	is_str(ip_jstr(r, "sessions.0.id"), s2, "... newest first");
	/* Totals across sessions: active over tasks, against the targets
	 * weighted by task count ((5 * 5.5 + 1 * 4) / 6 = 5.25). */
	is_str(ip_strf("%s %s", ip_jstr(r, "totals.pace.min_per_task"),
	    ip_jstr(r, "totals.pace.ratio")), "4.22 0.8",
	    "... 4.22 min a task overall, 0.8 of the weighted target");
	path = ip_strf("/sessions?from=%s&to=%s", ip_q("SELECT ((now() - interval '10 days')"
	    " AT TIME ZONE 'Pacific/Kiritimati')::date::text", NULL),
	    ip_q("SELECT ((now() - interval '10 days') AT TIME ZONE 'Pacific/Kiritimati')::date::text",
	    NULL));
	r = get(&a, path);
	is_str(ip_strf("%s %s", ip_jstr(r, "totals.sessions"), ip_jstr(r, "sessions.0.id")),
	    ip_strf("1 %s", old), "the day ten days ago, in the viewer's zone (UTC+14): the old session");
	r = get(&b, ip_strf("/sessions?from=%s&to=%s&user=%s",
	    ip_q("SELECT ((now() - interval '10 days') AT TIME ZONE 'Pacific/Kiritimati')::date::text",
	    NULL), ip_q("SELECT ((now() - interval '10 days') AT TIME ZONE 'Pacific/Kiritimati')"
	    "::date::text", NULL), a.id));
	is_status(r, 404, "another member's list: 404");
	r = get(&a, "/sessions?from=2026-02-10&to=2026-02-01");
	is_error(r, 400, "from", "from after to: 400 naming from");
	r = get(&a, "/sessions?from=2024-01-01&to=2026-02-01");
	is_error(r, 400, "from", "more than 366 days: 400");
	r = IP(DASH, .path = "/sessions?from=2026-02-10&to=2026-02-01", .bearer = a.token);
	is_status(r, 400, "the page with from after to: 400");
	like(r->body, "From must not be after To", "... the message on the page");
	like(r->body, "value=\"2026-02-10\"", "... what was typed kept");
	r = get(&a, "/sessions?from=2026-02-30");
	is_error(r, 400, "from", "a date that does not exist: 400");

	r = IP(DASH, .path = "/sessions.csv", .bearer = a.token);
	is_status(r, 200, "GET /sessions.csv: 200");
	like(ip_header(r, "Content-Type"), "^text/csv", "... text/csv");
	like(ip_header(r, "Content-Disposition"), "attachment; filename=\"tasks-", "... a download");
	csv = r->body;
	is_str(ip_q("SELECT count(*) || ' ' || sum(split_part(l, ',', 9)::numeric * 1000)"
	    " FROM unnest(string_to_array(rtrim($1, E'\\r\\n'), E'\\r\\n')) WITH ORDINALITY u(l, n)"
	    " WHERE n > 1", csv, NULL), "6 1520000.000",
	    "... 6 task rows whose active seconds add up to the JSON's total");
	like(csv, ip_strf("\r\n%s,[^,]*,5\\.5,1,[^,]*,[^,]*,300\\.000,100\\.000,200\\.000\r\n", s1),
	    "... task 1 of the session: 300 s raw, 100 paused, 200 active");

	/* --- today --- */
	r = get(&a, "/sessions/today");
	is_status(r, 200, "GET /sessions/today (JSON): 200");
	today_sql = ip_q("SELECT count(*) || ' ' || sum(t.active_ms) FROM task_tasks t"
	    " JOIN task_sessions s ON s.id = t.session_id WHERE s.user_id = $1 AND NOT t.deleted"
	    " AND (t.ended_at AT TIME ZONE 'Pacific/Kiritimati')::date ="
	    " (now() AT TIME ZONE 'Pacific/Kiritimati')::date", a.id, NULL);
	is_str(ip_strf("%s %s", ip_jstr(r, "tasks"), ip_jstr(r, "active_ms")), today_sql,
	    "... the tasks finished today and their active time");
	is_str(ip_q("SELECT sum((e->>'tasks')::int) FROM json_array_elements($1::json) e",
	    ip_jstr(r, "hours"), NULL), ip_jstr(r, "tasks"), "... the hours add up to them");
	ok(json_array_size(ip_jget(r, "hours")) >= 23 && json_array_size(ip_jget(r, "hours")) <= 25,
	    "... 23 to 25 hours");
	if (strcmp(ip_jstr(r, "tasks"), "4") == 0)
		is_str(ip_strf("%s %s", ip_jstr(r, "pace.min_per_task"), ip_jstr(r, "pace.ratio")),
		    "4.58 0.89", "... pace 4.58 min a task against (3 x 5.5 + 4) / 4: weighted");
	else
		ok(1, "# SKIP today began within the last hour in the viewer's zone");
	r = IP(DASH, .path = "/sessions/today", .bearer = a.token);
	is_status(r, 200, "the page: 200");
	like(r->body, "<svg class=\"hourbars\"", "... with its hour bars");

	/* Every step of the scale, at its edges (target 5.5; ratio = pace /
	 * target), and far past the last. */
	{
		static const struct { long long secs; const char *emoji; } steps[] = {
			{ 264, "🚀" }, { 265, "😀" }, { 330, "😀" }, { 331, "🙂" }, { 379, "🙂" },
			{ 380, "😐" }, { 445, "😐" }, { 446, "😟" }, { 528, "😟" }, { 529, "🐢" },
			{ 3000, "🐢" },
		};
		const char *got = "", *want = "", *sb;
		long long t0 = -20000;

		for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
			event(&b, "NEXT", t0, NULL);
			event(&b, "EXIT", t0 + steps[i].secs, NULL);
			t0 += steps[i].secs + 10;
			sb = ip_q("SELECT max(id) FROM task_sessions WHERE user_id = $1", b.id, NULL);
			r = get(&b, ip_strf("/sessions/%s", sb));
			got = ip_strf("%s %s", got, ip_jstr(r, "session.pace.emoji"));
			want = ip_strf("%s %s", want, steps[i].emoji);
		}
		is_str(got, want, "the pace scale at its edges: 🚀 to 0.80, 😀 to 1.00, 🙂 to 1.15, "
		    "😐 to 1.35, 😟 to 1.60, 🐢 above");
	}

	/* --- who may see and delete --- */
	r = get(&b, ip_strf("/sessions/%s", s1));
	is_status(r, 404, "another member's session: 404");
	r = IP(DASH, .method = "POST", .path = ip_strf("/sessions/%s/delete", s1), .bearer = b.token,
	    .accept = "application/json");
	is_status(r, 404, "another member deleting it: 404");
	r = get(&mgr, ip_strf("/sessions/%s", s1));
	is_status(r, 200, "the manager of the person's team: 200");
	is_str(ip_q("SELECT count(*) FROM audit_log WHERE actor_id = $1 AND target_id = $2"
	    " AND action = 'report.view' AND after->>'page' = 'session'", mgr.id, a.id, NULL), "1",
	    "... the look is audited");
	r = IP(DASH, .path = ip_strf("/sessions/%s", s1), .bearer = mgr.token);
	unlike(r->body, "Yes, delete", "... the page offers no delete to the manager");
	r = IP(DASH, .method = "POST", .path = ip_strf("/sessions/%s/delete", s1),
	    .bearer = mgr.token, .accept = "application/json");
	is_status(r, 403, "... who may not delete it: 403");
	r = get(&mgr, ip_strf("/sessions?user=%s", a.id));
	is_str(ip_strf("%d %s", r->status, ip_jstr(r, "totals.sessions")), "200 3",
	    "... and may list them with ?user=");
	r = IP(DASH, .path = "/sessions");
	is_status(r, 303, "anonymous: to the sign-in page");

	/* --- deleting a task, then a late event --- */
	r = IP(DASH, .method = "POST", .path = ip_strf("/sessions/%s/tasks/1/delete", s1),
	    .bearer = a.token, .accept = "application/json");
	is_str(ip_strf("%d %s %s %s", r->status, ip_jstr(r, "session.tasks"),
	    ip_jstr(r, "session.active_ms"), ip_jstr(r, "session.pace.min_per_task")),
	    "200 2 600000 5", "delete task 1: 2 tasks, 600 s active, 5 min a task");
	r = get(&a, ip_strf("/sessions/%s", s1));
	is_str(ip_strf("%s %s %s", ip_jstr(r, "tasks.0.number"), ip_jstr(r, "tasks.1.number"),
	    ip_jstr(r, "session.deleted_tasks")), "2 3 1", "... the page lists tasks 2 and 3");
	ok(event(&a, "PAUSE", -2600, NULL) == 200 && event(&a, "PAUSE", -2550, NULL) == 200,
	    "a late pause in task 2 (a replay of the session)");
	r = get(&a, ip_strf("/sessions/%s", s1));
	is_str(ip_strf("%s %s %s %s", ip_jstr(r, "session.tasks"), ip_jstr(r, "tasks.0.number"),
	    ip_jstr(r, "tasks.0.paused_ms"), ip_jstr(r, "session.active_ms")), "2 2 50000 550000",
	    "... task 1 stays deleted, task 2 has the pause");
	r = IP(DASH, .method = "POST", .path = ip_strf("/sessions/%s/tasks/1/delete", s1),
	    .bearer = a.token, .accept = "application/json");
	is_status(r, 404, "deleting it again: 404");
	r = IP(DASH, .method = "POST", .path = ip_strf("/sessions/%s/tasks/1/delete", s2),
	    .bearer = a.token, .accept = "application/json");
	is_status(r, 409, "deleting a task of an open session: 409");

	/* --- deleting a session --- */
	r = IP(DASH, .method = "POST", .path = ip_strf("/sessions/%s/delete", s2), .bearer = a.token);
	is_str(ip_strf("%d %s", r->status, ip_header(r, "Location")), "303 /sessions?deleted=1",
	    "delete the open session: back to the list");
	is_str(sessions_of(&a), ip_strf("%s %s", old, s1), "... it is gone, with its tasks");
	r = IP(INGEST, .path = "/api/v1/task-sessions/current", .bearer = a.token);
	is_str(ip_jstr(r, "session"), "null", "... and the widget has no open session");
	r = IP(DASH, .path = "/sessions?deleted=1", .bearer = a.token);
	like(r->body, "The session is deleted", "... the list says so");
	return ip_done();
}
