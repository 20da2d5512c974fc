/* Task events' fast path against the replay (sql/017_task_speed.sql): an
 * event that comes in order is applied as one step on the counters kept
 * on the session row; a late one replays the session from its events.
 * Random event sequences (a fixed seed, so a failure repeats) go through
 * the API with events delayed, sent twice and gaps past the idle time,
 * and tasks deleted in the reports on the way.  After each sequence:
 *   - every answer's totals were the session's recounted totals then;
 *   - each session's counters equal a recount of its tasks, and its
 *     running task's deleted flag its start event's;
 *   - replaying each session from its events (the path a late event
 *     takes) changes nothing: the fast path built what the replay builds;
 *   - the same accepted events sent in order to a second person (all on
 *     the fast path) make the same tasks and sessions. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"

extern const struct wt_app dash_app, ingest_app;
#define DASH	(&dash_app)
#define INGEST	(&ingest_app)

#define MAX_EV	64

static time_t base;
static int seq;
static uint64_t rng = 0x2545F4914F6CDD1DULL;

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static const char *
at(long long secs)
{
	time_t t = base + secs;
	struct tm tm;
	char buf[40];

	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	return ip_strf("%s.%03uZ", buf, rnd(1000));
}

struct person {
	const char	*id, *token;
};

static struct person
person(const char *name)
{
	struct person p;

	p.id = ip_strf("%lld", ip_user(ip_strf("%s-speed%d@example.com", ip_tag(), ++seq),
	    name, "member", NULL));
	p.token = ip_token(atoll(p.id));
	return p;
}

struct event {
	const char	*id, *type, *at;
	int		 status;	/* the first answer's */
	const char	*task;		/* its event.task */
};

static struct ip_resp *
send(const struct person *p, const struct event *e)
{
	return IP(INGEST, .method = "POST", .path = "/api/v1/task-events", .bearer = p->token,
	    .json = ip_json("{ss ss ss}", "id", e->id, "type", e->type, "at", e->at));
}

/* The recounted totals of session sid: "tasks/active ms". */
static const char *
recount(const char *sid)
{
	return ip_q("SELECT count(*) || '/' || coalesce(sum(active_ms), 0) FROM task_tasks"
	    " WHERE session_id = $1 AND NOT deleted", sid, NULL);
}

/* Sessions whose counters or running task's deleted flag are not what a
 * recount says (none: ""). */
static const char *
miscounted(const struct person *p)
{
	return ip_q("SELECT coalesce(string_agg(s.id || ':' || s.tasks_done || '/'"
	    " || s.done_active_ms || '/' || s.task_deleted, ' '), '')"
	    " FROM task_sessions s"
	    " LEFT JOIN task_events e ON e.id = s.task_start_event"
	    " CROSS JOIN LATERAL (SELECT count(*) AS n, coalesce(sum(active_ms), 0) AS a"
	    "  FROM task_tasks t WHERE t.session_id = s.id AND NOT t.deleted) d"
	    " WHERE s.user_id = $1 AND (s.tasks_done <> d.n OR s.done_active_ms <> d.a"
	    "  OR s.task_deleted <> coalesce(e.task_deleted, false))", p->id, NULL);
}

/* Everything derived from the person's events. */
static const char *
derived(const struct person *p)
{
	return ip_q("SELECT coalesce((SELECT json_agg(s ORDER BY id)::text FROM task_sessions s"
	    " WHERE user_id = $1), '') || coalesce((SELECT json_agg(t ORDER BY session_id, number)"
	    "::text FROM task_tasks t JOIN task_sessions s ON s.id = t.session_id"
	    " WHERE s.user_id = $1), '')", p->id, NULL);
}

/* The tasks and sessions, by time (ids left out): to compare people. */
static const char *
shape(const struct person *p)
{
	return ip_q("SELECT coalesce(string_agg(x, ' ' ORDER BY x), '') FROM ("
	    " SELECT 's ' || started_at || ' ' || coalesce(ended_at::text, '-') || ' '"
	    "  || coalesce(end_reason, '-') || ' ' || task_no || ' ' || tasks_done || ' '"
	    "  || done_active_ms AS x FROM task_sessions WHERE user_id = $1"
	    " UNION ALL SELECT 't ' || t.number || ' ' || t.started_at || ' ' || t.ended_at"
	    "  || ' ' || t.paused_ms || ' ' || t.deleted FROM task_tasks t"
	    "  JOIN task_sessions s ON s.id = t.session_id WHERE s.user_id = $1) q",
	    p->id, NULL);
}

static const char *
pick_type(void)
{
	unsigned r = rnd(100);

	return r < 55 ? "NEXT" : r < 80 ? "PAUSE" : r < 93 ? "UNDO" : "EXIT";
}

static int
by_time(const void *a, const void *b)
{
	const struct event *x = *(struct event *const *)a, *y = *(struct event *const *)b;
	int c = strcmp(x->at, y->at);

	return c != 0 ? c : strcmp(x->id, y->id);
}

static void
sequence(int round)
{
	struct person a = person(ip_strf("Speed é %d", round)), b = person("Speed B 漢字");
	struct event evs[MAX_EV], *order[MAX_EV * 2], *sorted[MAX_EV];
	int n = 24 + (int)rnd(MAX_EV - 24), sent = 0, totals_ok = 1, dup_ok = 1, nsorted = 0;
	long long t = 0;
	const char *sids, *before;

	/* The events as made, a few seconds to minutes apart, now and then
	 * more than the idle time (60 minutes by default). */
	for (int i = 0; i < n; i++) {
		t += rnd(20) == 0 ? 3700 + rnd(600) : 1 + rnd(240);
		evs[i].id = ip_strf("%s-sp-%d-%d", ip_tag(), round, i);
		evs[i].type = i == 0 ? "NEXT" : pick_type();
		evs[i].at = at(t);
		evs[i].status = 0;
		evs[i].task = NULL;
	}
	/* Delivered mostly in order: some late by a few places (an offline
	 * queue, a slow connection), some sent again. */
	for (int i = 0; i < n; i++)
		order[sent++] = &evs[i];
	for (int i = 0; i < n / 6; i++) {
		int from = (int)rnd((unsigned)sent), to = from + 1 + (int)rnd(5);
		struct event *e = order[from];

		if (to >= sent)
			continue;
		memmove(&order[from], &order[from + 1], sizeof(order[0]) * (size_t)(to - from));
		order[to] = e;
	}
	for (int i = 0; i < n / 8; i++) {
		int pos = 1 + (int)rnd((unsigned)sent - 1), src = (int)rnd((unsigned)pos);

		memmove(&order[pos + 1], &order[pos], sizeof(order[0]) * (size_t)(sent - pos));
		order[pos] = order[src];
		sent++;
	}

	for (int i = 0; i < sent; i++) {
		struct event *e = order[i];
		struct ip_resp *r = send(&a, e);

		if (e->status == 200) {
			/* Sent before and stored: answered as the first time. */
			if (r->status != 200 || strcmp(ip_jstr(r, "event.task"), e->task) != 0) {
				diag("round %d: %s again: %d %s", round, e->id, r->status, r->body);
				dup_ok = 0;
			}
			continue;
		}
		e->status = r->status;
		if (r->status != 200)
			continue;
		e->task = ip_jstr(r, "event.task");
		if (strcmp(ip_strf("%s/%s", ip_jstr(r, "session.tasks_done"),
		    ip_jstr(r, "session.done_active_ms")), recount(ip_jstr(r, "session.id"))) != 0) {
			diag("round %d: %s %s: answered %s/%s, recount %s", round, e->type, e->at,
			    ip_jstr(r, "session.tasks_done"), ip_jstr(r, "session.done_active_ms"),
			    recount(ip_jstr(r, "session.id")));
			totals_ok = 0;
		}
		/* Now and then the person deletes a finished task in the
		 * reports (only an ended session's may be). */
		if (rnd(12) == 0) {
			const char *task = ip_q("SELECT t.session_id || '/tasks/' || t.number"
			    " FROM task_tasks t JOIN task_sessions s ON s.id = t.session_id"
			    " WHERE s.user_id = $1 AND s.ended_at IS NOT NULL AND NOT t.deleted"
			    " ORDER BY t.session_id, t.number LIMIT 1", a.id, NULL);

			if (task != NULL && *task != '\0') {
				r = IP(DASH, .method = "POST", .path = ip_strf("/sessions/%s/delete",
				    task), .bearer = a.token, .accept = "application/json");
				if (r->status != 200)
					diag("round %d: deleting %s: %d", round, task, r->status);
			}
		}
	}
	ok(totals_ok, "round %d: %d events (%d sent): every answer's totals are a recount's",
	    round, n, sent);
	ok(dup_ok, "round %d: each event sent again is answered as the first time", round);
	is_str(miscounted(&a), "", ip_strf("round %d: every session's counters are a recount's",
	    round));

	/* The replay (the late event's path) builds what the steps built. */
	before = derived(&a);
	sids = ip_q("SELECT string_agg(id::text, ' ' ORDER BY started_at) FROM task_sessions"
	    " WHERE user_id = $1", a.id, NULL);
	for (char *save = NULL, *s = strtok_r(ip_strf("%s", sids ? sids : ""), " ", &save);
	    s != NULL; s = strtok_r(NULL, " ", &save)) {
		const char *why = ip_q("SELECT coalesce(why, 'ok') FROM task_replay($1, NULL)", s,
		    NULL);

		if (strcmp(why, "ok") != 0)
			diag("round %d: replaying session %s: %s", round, s, why);
	}
	ip_exec("SELECT task_close_stale($1, interval '60 minutes')", a.id, NULL);
	is_str(derived(&a), before, ip_strf("round %d: replaying each session changes nothing",
	    round));

	/* The accepted events, in order, to a second person: the same. */
	for (int i = 0; i < n; i++)
		if (evs[i].status == 200)
			sorted[nsorted++] = &evs[i];
	qsort(sorted, (size_t)nsorted, sizeof(sorted[0]), by_time);
	for (int i = 0; i < nsorted; i++) {
		struct event e = *sorted[i];
		struct ip_resp *r;

		e.id = ip_strf("%s-b", e.id);
		if ((r = send(&b, &e))->status != 200)
			diag("round %d: in order, %s %s: %d %s", round, e.type, e.at, r->status,
			    r->body);
	}
	/* Deleted in the reports for the first person: here too (as dash's
	 * delete does it). */
	ip_exec("WITH d AS (SELECT t.started_at FROM task_tasks t JOIN task_sessions s"
	    " ON s.id = t.session_id WHERE s.user_id = $1 AND t.deleted),"
	    " x AS (UPDATE task_tasks t SET deleted = true FROM task_sessions s, d"
	    "  WHERE s.id = t.session_id AND s.user_id = $2 AND t.started_at = d.started_at"
	    "  RETURNING t.start_event)"
	    " UPDATE task_events e SET task_deleted = true FROM x WHERE e.id = x.start_event",
	    a.id, b.id, NULL);
	is_str(shape(&b), shape(&a), ip_strf("round %d: in order to another person: the same"
	    " tasks and sessions", round));
	is_str(miscounted(&b), "", ip_strf("round %d: ... and their counters are a recount's",
	    round));
}

int
main(void)
{
	if (ip_init("test_task_speed") != 0)
		return 0;
	base = time(NULL) - 8 * 3600;
	for (int round = 1; round <= 12; round++)
		sequence(round);
	return ip_done();
}
