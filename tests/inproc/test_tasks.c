/* Task sessions through the API, in process: POST /api/v1/task-events
 * and GET /api/v1/task-sessions/current with a person's access token.
 * Every transition and every invalid one (409, nothing changed), bad
 * input (400 naming the field), duplicates, and the timing arithmetic of
 * fixed event sequences: a pause inside a task, several pauses, undo
 * after a pause, EXIT while paused, events arriving out of order (the
 * same tasks as in order), a late event that cannot go where it belongs,
 * a session that ends on its own after the idle time; CORS for the
 * listed origins only.  Concurrent clients go through nginx
 * (tests/api/42_tasks.t). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conf.h"
#include "ingest.h"
#include "check.h"

static const struct wt_app *ingest = &ingest_app;
static time_t base;
static int seq;

/* A client time: base + secs, with milliseconds as the widget sends. */
static const char *
at(long long secs)
{
	time_t t = base + secs;
	struct tm tm;
	char buf[40];

	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	return ip_strf("%s.000Z", buf);
}

static const char *
new_id(void)
{
	return ip_strf("%s-ev-%04d", ip_tag(), ++seq);
}

struct person {
	long long	 id;
	const char	*uid;
	const char	*token;
};

static struct person
person(const char *name)
{
	struct person p;

	static int n;

	p.id = ip_user(ip_strf("%s-tasks%d@example.com", ip_tag(), ++n), name, "member", NULL);
	p.uid = ip_strf("%lld", p.id);
	p.token = ip_token(p.id);
	return p;
}

static struct ip_resp *
ev_id(const struct person *p, const char *id, const char *type, long long secs)
{
	return IP(ingest, .method = "POST", .path = "/api/v1/task-events", .bearer = p->token,
	    .json = ip_json("{ss ss ss}", "id", id, "type", type, "at", at(secs)));
}

static struct ip_resp *
ev(const struct person *p, const char *type, long long secs)
{
	return ev_id(p, new_id(), type, secs);
}

/* Sends events "TYPE@secs ..." in the order given; 1 if all were 200. */
static int
run(const struct person *p, const char *events)
{
	char *copy = ip_strf("%s", events), *save = NULL;
	int ok = 1;

	for (char *w = strtok_r(copy, " ", &save); w != NULL; w = strtok_r(NULL, " ", &save)) {
		char *atp = strchr(w, '@');
		struct ip_resp *a;

		*atp = '\0';
		a = ev(p, w, atoll(atp + 1));
		if (a->status != 200) {
			diag("%s@%s: %d %s", w, atp + 1, a->status, a->body);
			ok = 0;
		}
	}
	return ok;
}

/* The person's finished tasks: "number:raw/paused/active" in seconds,
 * of their last session (or the one given). */
static const char *
tasks_of(const struct person *p)
{
	return ip_q("SELECT coalesce(string_agg(t.number || ':' || round(t.raw_ms / 1000.0, 1)"
	    " || '/' || round(t.paused_ms / 1000.0, 1) || '/' || round(t.active_ms / 1000.0, 1),"
	    " ' ' ORDER BY t.number), '')"
	    " FROM task_tasks t WHERE t.session_id = (SELECT max(id) FROM task_sessions"
	    " WHERE user_id = $1)", p->uid, NULL);
}

static const char *
sessions_of(const struct person *p)
{
	return ip_q("SELECT coalesce(string_agg(coalesce(end_reason, 'open') || ':' || task_no,"
	    " ' ' ORDER BY id), '') FROM task_sessions WHERE user_id = $1", p->uid, NULL);
}

static const char *
events_of(const struct person *p)
{
	return ip_q("SELECT count(*) FROM task_events WHERE user_id = $1", p->uid, NULL);
}

/* Everything of a person's task data, to show a refused event changed
 * nothing. */
static const char *
snapshot(const struct person *p)
{
	return ip_q("SELECT md5(coalesce((SELECT json_agg(s ORDER BY id)::text FROM task_sessions s"
	    " WHERE user_id = $1), '') || coalesce((SELECT json_agg(t ORDER BY session_id, number)"
	    "::text FROM task_tasks t JOIN task_sessions s ON s.id = t.session_id"
	    " WHERE s.user_id = $1), '') || coalesce((SELECT json_agg(e ORDER BY id)::text"
	    " FROM task_events e WHERE user_id = $1), ''))", p->uid, NULL);
}

static void
refused(const struct person *p, const char *type, long long secs, const char *re,
    const char *name)
{
	const char *before = snapshot(p);
	struct ip_resp *a = ev(p, type, secs);

	is_status(a, 409, name);
	like(ip_jstr(a, "message"), re, ip_strf("... %s", re));
	is_str(snapshot(p), before, "... and nothing changed");
}

static void
transitions(void)
{
	struct person p = person("Trans Itions");
	struct ip_resp *a;
	const char *sid;

	refused(&p, "PAUSE", 0, "no open session", "PAUSE without a session: 409");
	refused(&p, "UNDO", 0, "no open session", "UNDO without a session: 409");
	refused(&p, "EXIT", 0, "no open session", "EXIT without a session: 409");
	is_str(events_of(&p), "0", "... none of them stored");

	a = ev(&p, "NEXT", 0);
	is_status(a, 200, "NEXT without a session: 200");
	is_str(ip_jstr(a, "event.task"), "1", "... task 1");
	is_str(ip_jstr(a, "session.state"), "running", "... running");
	is_str(ip_jstr(a, "session.started_at"), at(0), "... the session starts at its time");
	is_str(ip_jstr(a, "session.target_pace_min"), "5.5", "... target: the profile's 5.5");
	sid = ip_jstr(a, "session.id");
	is_str(ip_jstr(a, "event.session_id"), sid, "... the event names its session");

	refused(&p, "UNDO", 10, "nothing to undo", "UNDO at task 1: 409");

	a = ev(&p, "PAUSE", 60);
	is_str(ip_strf("%d %s %s", a->status, ip_jstr(a, "session.state"),
	    ip_jstr(a, "session.paused_since")), ip_strf("200 paused %s", at(60)),
	    "PAUSE: paused since its time");
	a = ev(&p, "PAUSE", 120);
	is_str(ip_strf("%d %s %s", a->status, ip_jstr(a, "session.state"),
	    ip_jstr(a, "session.task_paused_ms")), "200 running 60000",
	    "PAUSE again: running, 60 s paused");
	a = ev(&p, "NEXT", 300);
	is_str(ip_strf("%d %s %s %s", a->status, ip_jstr(a, "event.task"),
	    ip_jstr(a, "session.tasks_done"), ip_jstr(a, "session.done_active_ms")),
	    "200 2 1 240000", "NEXT: task 2; task 1 done with 240 s active");
	is_str(tasks_of(&p), "1:300.0/60.0/240.0", "... task 1: 300 s raw, 60 paused, 240 active");
	a = ev(&p, "PAUSE", 330);
	a = ev(&p, "NEXT", 400);
	is_str(ip_strf("%d %s %s", a->status, ip_jstr(a, "event.task"), ip_jstr(a, "session.state")),
	    "200 3 running", "NEXT while paused: task 3, running");
	is_str(tasks_of(&p), "1:300.0/60.0/240.0 2:100.0/70.0/30.0",
	    "... task 2 ended paused: 100 s raw, 70 paused");
	a = ev(&p, "UNDO", 420);
	is_str(ip_strf("%d %s %s %s %s", a->status, ip_jstr(a, "event.task"),
	    ip_jstr(a, "session.task_started_at"), ip_jstr(a, "session.task_paused_ms"),
	    ip_jstr(a, "session.tasks_done")), ip_strf("200 2 %s 70000 1", at(300)),
	    "UNDO: task 2 continues from its start, its 70 s of pause intact");
	is_str(tasks_of(&p), "1:300.0/60.0/240.0", "... task 3 is gone");
	a = ev(&p, "EXIT", 600);
	is_str(ip_strf("%d %s %s %s", a->status, ip_jstr(a, "session.state"),
	    ip_jstr(a, "session.end_reason"), ip_jstr(a, "session.ended_at")),
	    ip_strf("200 ended exit %s", at(600)), "EXIT: the session ends at its time");
	is_str(tasks_of(&p), "1:300.0/60.0/240.0 2:300.0/70.0/230.0",
	    "... task 2: 300 s raw (300 to 600), 70 paused, 230 active");
	refused(&p, "PAUSE", 610, "no open session", "PAUSE after EXIT: 409");
	refused(&p, "UNDO", 610, "no open session", "UNDO after EXIT: 409");
	refused(&p, "EXIT", 620, "no open session", "EXIT after EXIT: 409");
	refused(&p, "PAUSE", 600, "session has ended", "PAUSE at the EXIT's own time: 409");
	a = IP(ingest, .path = "/api/v1/task-sessions/current", .bearer = p.token);
	is_str(ip_strf("%d %s %s", a->status, ip_jstr(a, "session"), ip_jstr(a, "target_pace_min")),
	    "200 null 5.5", "current after EXIT: no session, the profile's target");

	a = IP(ingest, .method = "POST", .path = "/api/v1/task-events", .bearer = p.token,
	    .json = ip_json("{ss ss ss sf}", "id", new_id(), "type", "NEXT", "at", at(700),
	    "target_pace_min", 4.25));
	is_str(ip_strf("%d %s %s", a->status, ip_jstr(a, "event.task"),
	    ip_jstr(a, "session.target_pace_min")), "200 1 4.25",
	    "NEXT after EXIT: a new session, task 1, with the target it was sent");
	is_str(sessions_of(&p), "exit:2 open:1", "... two sessions: one ended, one open");
	a = IP(ingest, .path = "/api/v1/task-sessions/current", .bearer = p.token);
	is_str(ip_strf("%d %s %s", a->status, ip_jstr(a, "session.task"),
	    ip_jstr(a, "session.state")), "200 1 running", "current: the open session's state");
	a = IP(ingest, .path = "/api/v1/task-sessions/current.json", .bearer = p.token);
	is_status(a, 200, "... and its .json spelling");
}

static void
duplicates(void)
{
	struct person p = person("Du Plicate");
	const char *id = new_id(), *first, *before;
	struct ip_resp *a, *b;

	a = ev_id(&p, id, "NEXT", 0);
	is_status(a, 200, "an event: 200");
	first = ip_jnorm(ip_jstr(a, "event"));
	run(&p, "NEXT@60");
	before = snapshot(&p);
	b = ev_id(&p, id, "NEXT", 0);
	is_status(b, 200, "the same event again: 200");
	is_str(ip_jnorm(ip_jstr(b, "event")), first, "... answered the same (task 1)");
	is_str(snapshot(&p), before, "... stored once, nothing changed");
	b = ev_id(&p, id, "PAUSE", 0);
	is_status(b, 409, "the same id for another event: 409");
	like(ip_jstr(b, "message"), "already used", "... says the id is taken");
	is_str(snapshot(&p), before, "... nothing changed");
	a = ev_id(&p, id, "NEXT", 0);
	is_str(ip_jnorm(ip_jstr(a, "event")), first, "and the first event once more: the same");
}

static void
bad_input(void)
{
	struct person p = person("Bad Input");
	struct ip_resp *a;
	const char *path = "/api/v1/task-events";

	a = IP(ingest, .method = "POST", .path = path, .bearer = p.token,
	    .json = ip_json("{ss ss ss}", "id", new_id(), "type", "SKIP", "at", at(0)));
	is_error(a, 400, "type", "an unknown type: 400 naming type");
	a = IP(ingest, .method = "POST", .path = path, .bearer = p.token,
	    .json = ip_json("{ss ss ss}", "id", new_id(), "type", "next", "at", at(0)));
	is_error(a, 400, "type", "a type in lower case: 400");
	a = IP(ingest, .method = "POST", .path = path, .bearer = p.token,
	    .json = ip_json("{ss ss ss}", "id", "short", "type", "NEXT", "at", at(0)));
	is_error(a, 400, "id", "an id of 5 characters: 400 naming id");
	a = IP(ingest, .method = "POST", .path = path, .bearer = p.token,
	    .json = ip_json("{ss ss ss}", "id", "é漢字-not-ascii-id", "type", "NEXT", "at", at(0)));
	is_error(a, 400, "id", "an id with non-ASCII letters: 400");
	a = IP(ingest, .method = "POST", .path = path, .bearer = p.token,
	    .json = ip_json("{ss ss}", "type", "NEXT", "at", at(0)));
	is_error(a, 400, "id", "no id: 400");
	a = IP(ingest, .method = "POST", .path = path, .bearer = p.token,
	    .json = ip_json("{ss ss ss}", "id", new_id(), "type", "NEXT", "at", "yesterday"));
	is_error(a, 400, "at", "a time that is not RFC 3339: 400 naming at");
	a = IP(ingest, .method = "POST", .path = path, .bearer = p.token,
	    .json = ip_json("{ss ss ss}", "id", new_id(), "type", "NEXT", "at", at(50 * 60)));
	is_error(a, 400, "at", "a time 20 minutes in the future: 400");
	like(ip_jstr(a, "message"), "clock", "... says to check the clock");
	a = IP(ingest, .method = "POST", .path = path, .bearer = p.token,
	    .json = ip_json("{ss ss ss}", "id", new_id(), "type", "NEXT", "at",
	    at(-31LL * 86400)));
	is_error(a, 400, "at", "a time 31 days old: 400");
	a = IP(ingest, .method = "POST", .path = path, .bearer = p.token,
	    .json = ip_json("{ss ss ss si}", "id", new_id(), "type", "NEXT", "at", at(0),
	    "target_pace_min", 0));
	is_error(a, 400, "target_pace_min", "a target of 0: 400");
	a = IP(ingest, .method = "POST", .path = path, .bearer = p.token,
	    .json = ip_json("{ss ss ss ss}", "id", new_id(), "type", "NEXT", "at", at(0),
	    "target_pace_min", "fast"));
	is_error(a, 400, "target_pace_min", "a target that is not a number: 400");
	a = IP(ingest, .method = "POST", .path = path,
	    .json = ip_json("{ss ss ss}", "id", new_id(), "type", "NEXT", "at", at(0)));
	is_status(a, 401, "no token: 401");
	a = IP(ingest, .method = "POST", .path = path, .bearer = "a.b.c",
	    .json = ip_json("{ss ss ss}", "id", new_id(), "type", "NEXT", "at", at(0)));
	is_status(a, 401, "a broken token: 401");
	a = IP(ingest, .path = "/api/v1/task-sessions/current");
	is_status(a, 401, "current without a token: 401");
	a = IP(ingest, .method = "POST", .path = path, .bearer = p.token, .body = "NEXT",
	    .content_type = "text/plain");
	is_status(a, 415, "a body that is not JSON: 415");
	is_str(events_of(&p), "0", "none of it stored anything");
}

/* Fixed sequences and the tasks they make (seconds: raw/paused/active). */
static void
arithmetic(void)
{
	static const struct {
		const char *name, *events, *tasks, *sessions;
	} cases[] = {
		{ "a pause inside a task", "NEXT@0 PAUSE@30 PAUSE@90 NEXT@200",
		  "1:200.0/60.0/140.0", "open:2" },
		{ "several pauses", "NEXT@0 PAUSE@10 PAUSE@20 PAUSE@50 PAUSE@80 PAUSE@100 "
		  "PAUSE@130 EXIT@200", "1:200.0/70.0/130.0", "exit:1" },
		{ "undo after a pause", "NEXT@0 NEXT@100 PAUSE@120 PAUSE@150 UNDO@160 NEXT@300",
		  "1:300.0/30.0/270.0", "open:2" },
		{ "undo while paused, resumed later",
		  "NEXT@0 NEXT@100 PAUSE@120 UNDO@160 PAUSE@200 EXIT@250",
		  "1:250.0/80.0/170.0", "exit:1" },
		{ "two undos", "NEXT@0 NEXT@50 NEXT@80 UNDO@90 UNDO@95 NEXT@120 EXIT@150",
		  "1:120.0/0.0/120.0 2:30.0/0.0/30.0", "exit:2" },
		{ "EXIT while paused", "NEXT@0 PAUSE@50 EXIT@80", "1:80.0/30.0/50.0", "exit:1" },
		{ "milliseconds kept", "NEXT@0 NEXT@1 NEXT@2 EXIT@3",
		  "1:1.0/0.0/1.0 2:1.0/0.0/1.0 3:1.0/0.0/1.0", "exit:3" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct person p = person(ip_strf("Arith %zu", i));

		ok(run(&p, cases[i].events), "%s: every event accepted", cases[i].name);
		is_str(tasks_of(&p), cases[i].tasks, ip_strf("... tasks %s", cases[i].tasks));
		is_str(sessions_of(&p), cases[i].sessions, ip_strf("... session %s",
		    cases[i].sessions));
	}
}

static const char *
task_rows(const struct person *p)
{
	return ip_q("SELECT string_agg(t.number || ' ' || t.started_at || ' ' || t.ended_at"
	    " || ' ' || t.paused_ms, ', ' ORDER BY t.number) FROM task_tasks t"
	    " JOIN task_sessions s ON s.id = t.session_id WHERE s.user_id = $1", p->uid, NULL);
}

static void
out_of_order(void)
{
	struct person in = person("In Order"), late = person("Out Of Order");
	const char *before;
	struct ip_resp *a;

	run(&in, "NEXT@0 NEXT@100 PAUSE@150 PAUSE@180 NEXT@200 EXIT@300");
	ok(run(&late, "NEXT@0 NEXT@100 EXIT@300 PAUSE@150 NEXT@200 PAUSE@180"),
	    "out of order: every event accepted");
	is_str(tasks_of(&late), "1:100.0/0.0/100.0 2:100.0/30.0/70.0 3:100.0/0.0/100.0",
	    "... late events placed where they belong, timings recomputed");
	is_str(task_rows(&late), task_rows(&in), "... the same tasks as in order");
	a = ev(&late, "PAUSE", 110);
	is_str(ip_strf("%d %s", a->status, ip_jstr(a, "event.task")), "200 2",
	    "a late PAUSE in an ended session: 200, in task 2");
	is_str(tasks_of(&late), "1:100.0/0.0/100.0 2:100.0/60.0/40.0 3:100.0/0.0/100.0",
	    "... the pauses shift: paused 110-150 and 180-200");

	/* A late UNDO that lands at task 1 cannot apply there. */
	struct person u = person("Late Undo");

	run(&u, "NEXT@0 NEXT@100");
	before = snapshot(&u);
	a = ev(&u, "UNDO", 50);
	is_status(a, 409, "a late UNDO that belongs in task 1: 409");
	like(ip_jstr(a, "message"), "nothing to undo", "... nothing to undo there");
	is_str(snapshot(&u), before, "... nothing changed");
	/* An EXIT at 50 would leave the NEXT at 100 after the end. */
	a = ev(&u, "EXIT", 50);
	is_status(a, 409, "a late EXIT before a NEXT already applied: 409");
	like(ip_jstr(a, "message"), "has ended", "... the NEXT after it would be past the end");
	is_str(snapshot(&u), before, "... nothing changed");

	/* A NEXT that arrives after the session's first NEXT but belongs
	 * before it starts the session earlier. */
	struct person s = person("Early Start");

	run(&s, "NEXT@100");
	a = ev(&s, "NEXT", 40);
	is_str(ip_strf("%d %s %s", a->status, ip_jstr(a, "session.started_at"),
	    ip_jstr(a, "session.task")), ip_strf("200 %s 2", at(40)),
	    "a late first NEXT: the session starts at it, the other NEXT is task 2");
	is_str(tasks_of(&s), "1:60.0/0.0/60.0", "... task 1 runs 40-100");
}

static void
idle_timeout(void)
{
	struct person p = person("Idle Person"), g = person("Gap Person");
	long long idle = wt_cfg.tasks_idle_minutes * 60;
	struct ip_resp *a;

	/* Three hours ago, then the browser was closed. */
	ok(run(&p, ip_strf("NEXT@%lld NEXT@%lld PAUSE@%lld", -3 * 3600LL, -3 * 3600LL + 300,
	    -3 * 3600LL + 420)), "a session three hours ago: accepted");
	a = IP(ingest, .path = "/api/v1/task-sessions/current", .bearer = p.token);
	is_str(ip_strf("%d %s", a->status, ip_jstr(a, "session")), "200 null",
	    "current: none, the old session ended on its own");
	is_str(sessions_of(&p), "idle:2", "... ended as idle after task 2");
	is_str(ip_q("SELECT ended_at = $2::timestamptz FROM task_sessions WHERE user_id = $1",
	    p.uid, at(-3 * 3600LL + 420), NULL), "t", "... at its last event");
	is_str(tasks_of(&p), "1:300.0/0.0/300.0 2:120.0/0.0/120.0",
	    "... task 2 ends at the pause, its last event");
	a = ev(&p, "PAUSE", 0);
	is_status(a, 409, "a PAUSE now: 409, no open session");
	a = ev(&p, "PAUSE", -3 * 3600LL + 480);
	is_status(a, 200, "a PAUSE queued offline one minute after the last event: 200");
	is_str(tasks_of(&p), "1:300.0/0.0/300.0 2:180.0/60.0/120.0",
	    "... reopens it: task 2 runs to the new last event, the pause inside it");
	is_str(sessions_of(&p), "idle:2", "... and it is ended again, still idle");

	/* A gap longer than the idle time between two events. */
	ok(run(&g, ip_strf("NEXT@%lld NEXT@%lld NEXT@%lld", -2 * idle - 600, -2 * idle - 300,
	    -60LL)), "events with a gap longer than the idle time: accepted");
	is_str(sessions_of(&g), "idle:1 open:1",
	    "... two sessions: the first ended at its last event (its empty task 2 dropped)");
	is_str(ip_q("SELECT string_agg(t.raw_ms::text, ' ') FROM task_tasks t JOIN task_sessions s"
	    " ON s.id = t.session_id WHERE s.user_id = $1", g.uid, NULL), "300000",
	    "... one task of 300 s in the first");
}

static const char *
hdr(const struct ip_resp *a, const char *name)
{
	const char *v = ip_header(a, name);

	return v != NULL ? v : "none";
}

static void
cors(void)
{
	struct person p = person("Cors Person");
	struct ip_resp *a;
	char *err = NULL;

	config_set("cors.origins", "https://rater.example.org http://127.0.0.1:9999");
	if (config_apply(&err) != 0)
		diag("config: %s", err);
	free(err);
	a = IP(ingest, .method = "OPTIONS", .path = "/api/v1/task-events",
	    .headers = { "Origin: https://rater.example.org",
	    "Access-Control-Request-Method: POST" });
	is_status(a, 204, "preflight from a listed origin: 204");
	is_str(ip_header(a, "Access-Control-Allow-Origin"), "https://rater.example.org",
	    "... names the origin");
	like(ip_header(a, "Access-Control-Allow-Headers"), "Authorization", "... allows Authorization");
	is_str(ip_header(a, "Access-Control-Allow-Methods"), "POST", "... and POST");
	is_str(ip_header(a, "Access-Control-Allow-Credentials"), NULL, "... never credentials");
	is_str(ip_header(a, "Access-Control-Allow-Private-Network"), NULL,
	    "... nor the private network unless asked");
	a = IP(ingest, .method = "OPTIONS", .path = "/api/v1/task-events",
	    .headers = { "Origin: https://rater.example.org", "Access-Control-Request-Method: POST",
	    "Access-Control-Request-Private-Network: true" });
	is_str(ip_strf("%d %s", a->status, hdr(a, "Access-Control-Allow-Private-Network")),
	    "204 true", "a preflight to a server on the local network: allowed");
	a = IP(ingest, .method = "OPTIONS", .path = "/api/v1/task-events",
	    .headers = { "Origin: https://evil.example.net" });
	is_status(a, 403, "preflight from another origin: 403");
	is_str(ip_header(a, "Access-Control-Allow-Origin"), NULL, "... no CORS header");
	a = IP(ingest, .method = "OPTIONS", .path = "/api/v1/activity",
	    .headers = { "Origin: https://rater.example.org" });
	is_status(a, 405, "preflight to a route the widget does not call: 405");
	a = IP(ingest, .method = "POST", .path = "/api/v1/task-events", .bearer = p.token,
	    .headers = { "Origin: http://127.0.0.1:9999" },
	    .json = ip_json("{ss ss ss}", "id", new_id(), "type", "NEXT", "at", at(0)));
	is_str(ip_strf("%d %s", a->status, hdr(a, "Access-Control-Allow-Origin")),
	    "200 http://127.0.0.1:9999", "an event from a listed origin: readable there");
	a = IP(ingest, .method = "POST", .path = "/api/v1/task-events", .bearer = "x.y.z",
	    .headers = { "Origin: http://127.0.0.1:9999" },
	    .json = ip_json("{ss ss ss}", "id", new_id(), "type", "NEXT", "at", at(0)));
	is_str(ip_strf("%d %s", a->status, hdr(a, "Access-Control-Allow-Origin")),
	    "401 http://127.0.0.1:9999", "... so is a 401 (the widget then refreshes)");
	a = IP(ingest, .path = "/api/v1/task-sessions/current", .bearer = p.token,
	    .headers = { "Origin: https://evil.example.net" });
	is_str(ip_strf("%d %s", a->status, hdr(a, "Access-Control-Allow-Origin")),
	    "200 none", "a read from another origin: no CORS header, the browser hides it");
	config_set("cors.origins", "");
	config_apply(&err);
	free(err);
}

int
main(void)
{
	if (ip_init("test_tasks") != 0)
		return 0;
	base = time(NULL) - 30 * 60;
	transitions();
	duplicates();
	bad_input();
	arithmetic();
	out_of_order();
	idle_timeout();
	cors();
	return ip_done();
}
