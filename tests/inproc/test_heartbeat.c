/* POST /api/v1/heartbeat and GET /api/v1/agent/config in process.
 * Heartbeats: ActivityWatch's pulsetime rule (same data within
 * pulsetime grows the open span; after a gap, or with other data, the
 * open span is stored and a new one opened; a heartbeat older than the
 * open span is stored on its own, trimmed), presence and idle state, and
 * the bad inputs.  The policy: every key the agent reads, and its ETag. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto.h"
#include "ingest.h"
#include "check.h"

static const struct wt_app *ingest = &ingest_app;
static const char *tag;
static long long uid;

static const char *
new_device(const char *name, const char **id)
{
	char token[65], hash[65];

	if (random_token_hex(32, token) != 0)
		return NULL;
	sha256_hex(token, 64, hash);
	*id = ip_q("INSERT INTO devices (user_id, name, token_hash) VALUES ($1, $2, $3)"
	    " RETURNING id", ip_strf("%lld", uid), name, hash, NULL);
	return ip_strf("%s", token);
}

static const char *
at(long long secs)
{
	/* One "now" for the whole run: offsets between spans stay exact
	 * however slowly the test runs (under the sanitizers, say). */
	static time_t now;
	time_t t;

	if (now == 0)
		now = time(NULL);
	t = now + secs;
	struct tm tm;
	char buf[40];

	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return ip_strf("%s", buf);
}

static struct ip_resp *
beat(const char *tok, const char *json)
{
	return IP(ingest, .method = "POST", .path = "/api/v1/heartbeat", .bearer = tok,
	    .json = json);
}

static const char *
win(long long secs, const char *app, const char *title, long long dur)
{
	return ip_json("{ss sb sI s{ss ss}}", "at", at(secs), "idle", 0,
	    "duration_ms", (json_int_t)dur, "window", "app", app, "title", title);
}

static const char *
open_span(const char *dev)
{
	return ip_q("SELECT coalesce(span_duration_ms::text, '-') FROM device_presence"
	    " WHERE device_id = $1", dev, NULL);
}

static const char *
stored(const char *dev)
{
	return ip_q("SELECT count(*) || '/' || coalesce(sum(duration_ms), 0) FROM activity"
	    " WHERE device_id = $1", dev, NULL);
}

static void
pulsetime(void)
{
	const char *dev, *tok = new_device(ip_strf("hb %s", tag), &dev);
	struct ip_resp *a;

	/* pulsetime is 45 s by default; the test sets it so. */
	a = beat(tok, win(-300, "editor", "notes.txt — é", 0));
	is_status(a, 200, "a first heartbeat: 200");
	is_str(ip_jstr(a, "result"), "new", "... opens a span");
	a = beat(tok, win(-290, "editor", "notes.txt — é", 0));
	is_str(ip_jstr(a, "result"), "merged", "the same window 10 s later: merged");
	is_str(open_span(dev), "10000", "... the open span is 10 s long");
	a = beat(tok, win(-250, "editor", "notes.txt — é", 5000));
	is_str(ip_jstr(a, "result"), "merged", "40 s later (within pulsetime): merged");
	is_str(open_span(dev), "55000", "... to 50 s plus the heartbeat's own 5 s");
	is_str(stored(dev), "0/0", "nothing is stored while the span is open");
	a = beat(tok, win(-100, "editor", "notes.txt — é", 0));
	is_str(ip_jstr(a, "result"), "new", "the same window after a gap beyond pulsetime: new");
	is_str(stored(dev), "1/55000", "... the earlier span is stored as it was");
	a = beat(tok, win(-90, "browser", "News", 0));
	is_str(ip_jstr(a, "result"), "new", "another window: new");
	/* As in ActivityWatch, a span lasts as long as its heartbeats say:
	 * the single heartbeat at -100 s made a span of 0 s. */
	is_str(stored(dev), "2/55000", "... the span before it stored, as long as its beats");
	a = beat(tok, win(-95, "terminal", "make", 2000));
	is_str(ip_jstr(a, "result"), "out_of_order", "a heartbeat older than the open span");
	is_str(stored(dev), "3/57000", "... is stored on its own, in the gap it fits");
	a = beat(tok, win(-260, "terminal", "make", 20000));
	is_str(ip_jstr(a, "result"), "out_of_order", "a late heartbeat over a stored span");
	is_str(stored(dev), "4/62000", "... is trimmed to what the stored span leaves (5 s)");
	is_str(ip_q("SELECT count(*) FROM (SELECT started_at + duration_ms * interval '1 ms'"
	    " AS fin, lead(started_at) OVER (ORDER BY started_at) AS nxt FROM activity"
	    " WHERE device_id = $1) s WHERE fin > nxt", dev, NULL), "0",
	    "stored spans never overlap");
}

static void
presence(void)
{
	const char *dev, *tok = new_device(ip_strf("presence %s", tag), &dev);
	struct ip_resp *a;

	a = beat(tok, "{}");
	is_status(a, 200, "an empty heartbeat: presence only");
	is_str(ip_jstr(a, "result"), "presence", "... says so");
	is_str(ip_q("SELECT idle::text || ',' || (seen_at > now() - interval '1 minute')::text"
	    " FROM device_presence WHERE device_id = $1", dev, NULL), "false,true",
	    "the device is seen now, not idle");
	a = beat(tok, ip_json("{sb ss}", "idle", 1, "at", at(-30)));
	is_str(ip_jstr(a, "result"), "presence", "an idle heartbeat");
	is_str(ip_q("SELECT idle::text || ',' || (idle_since <= now() - interval '29 seconds')::text"
	    " FROM device_presence WHERE device_id = $1", dev, NULL), "true,true",
	    "... idle since the time it gave");
}

static void
bad_beats(void)
{
	const char *dev, *tok = new_device(ip_strf("badhb %s", tag), &dev);

	is_error(beat(tok, "{\"at\": \"now\"}"), 400, "at", "an at that is not RFC 3339");
	is_error(beat(tok, ip_json("{ss}", "at", at(3600))), 400, "at", "an hour in the future");
	is_error(beat(tok, "{\"at\": \"1999-01-01T00:00:00Z\"}"), 400, "at",
	    "older than the retention period");
	is_error(beat(tok, "{\"idle\": \"maybe\"}"), 400, "idle", "idle as a string");
	is_error(beat(tok, "{\"duration_ms\": -5}"), 400, "duration_ms", "a negative duration");
	is_error(beat(tok, "{\"duration_ms\": 86400001}"), 400, "duration_ms",
	    "a duration past 24 hours");
	is_error(beat(tok, "{\"duration_ms\": 3600000}"), 400, "duration_ms",
	    "a heartbeat now lasting an hour: it would end in the future");
	is_error(beat(tok, ip_json("{ss sI}", "at", at(-600), "duration_ms", (json_int_t)1500000)),
	    400, "duration_ms", "... one 10 minutes ago lasting 25");
	is_error(beat(tok, "{\"window\": \"vim\"}"), 400, "window", "a window that is a string");
	is_error(beat(tok, "{\"window\": {\"title\": \"x\"}}"), 400, "window.app",
	    "a window without app");
	is_error(beat(tok, ip_strf("{\"window\": {\"app\": \"%s\"}}", ip_repeat("a", 257))), 400,
	    "window.app", "an app of 257 bytes");
	is_error(beat(tok, "{\"window\": {\"app\": 5}}"), 400, "window.app",
	    "an app that is a number: the field named as it is sent");
	is_error(beat(tok, "{\"window\": {\"app\": \"vim\", \"title\": [\"é\"]}}"), 400,
	    "window.title", "a title that is an array");
	is_error(beat(tok, "{\"window\": {\"app\": \"vim\", \"url\": 5}}"), 400, "window.url",
	    "a url that is a number");
	is_str(ip_q("SELECT count(*) FROM device_presence WHERE device_id = $1", dev, NULL), "0",
	    "no refused heartbeat changed the device's presence");
	is_status(beat(ip_repeat("cd", 32), "{}"), 401, "an unknown token: 401");
	is_status(IP(ingest, .method = "POST", .path = "/api/v1/heartbeat", .json = "{}"), 401,
	    "no token: 401");
}

static void
policy(void)
{
	const char *dev, *tok = new_device(ip_strf("policy %s", tag), &dev);
	const char *etag, *old;
	struct ip_resp *a;

	a = IP(ingest, .path = "/api/v1/agent/config", .bearer = tok);
	is_status(a, 200, "the policy");
	ok(ip_jget(a, "title_exclude") != NULL && json_is_array(ip_jget(a, "title_exclude")),
	    "... with the title exclusion patterns");
	ok(ip_jstr(a, "upload_interval_s") != NULL, "... the upload interval");
	ok(ip_jstr(a, "heartbeat_interval_s") != NULL, "... the heartbeat interval");
	ok(ip_jstr(a, "pulsetime_s") != NULL, "... the pulsetime");
	ok(ip_jstr(a, "idle_timeout_s") != NULL, "... the idle timeout");
	etag = ip_header(a, "ETag");
	like(etag ? etag : "", "^\"[0-9a-f]{32}\"$", "... and an ETag");
	a = IP(ingest, .path = "/api/v1/agent/config", .bearer = tok,
	    .headers = { ip_strf("If-None-Match: %s", etag) });
	is_status(a, 304, "polled again with If-None-Match: 304");
	is_int((long long)a->body_len, 0, "... without a body");
	old = ip_q("SELECT title_exclude::text FROM settings", NULL);
	ip_exec("UPDATE settings SET title_exclude = '{\"(?i)bank\",\"password\"}'", NULL);
	a = IP(ingest, .path = "/api/v1/agent/config", .bearer = tok,
	    .headers = { ip_strf("If-None-Match: %s", etag) });
	is_status(a, 200, "after a policy change the same ETag gets the new policy");
	is_str(ip_jstr(a, "title_exclude"), "[\"(?i)bank\",\"password\"]", "... with the patterns");
	ok(ip_header(a, "ETag") && strcmp(ip_header(a, "ETag"), etag) != 0, "... and a new ETag");
	ip_exec("UPDATE settings SET title_exclude = $1::text[]", old, NULL);
}

/* The beat's statement checks the token itself (sql/033): a revoked
 * device, or one whose owner is disabled, is refused whether its window
 * is in the worker's cache or not, and changes nothing. */
static void
token_in_statement(void)
{
	const char *dev, *tok = new_device(ip_strf("tokhb %s", tag), &dev);
	const char *title = ip_strf("revoked-window 漢字 %s", tag);
	const char *owner = ip_strf("%lld", ip_user(ip_strf("hb.owner.%s@example.com", tag),
	    ip_strf("Owner %s", tag), "member", NULL));
	const char *dev2, *tok2, *budget;
	struct ip_resp *a;

	is_str(ip_q("SELECT coalesce(last_seen_at::text, '-') FROM devices WHERE id = $1", dev,
	    NULL), "-", "a device never seen");
	is_str(ip_jstr(beat(tok, win(-60, "editor", "a.txt", 0)), "result"), "new",
	    "its first heartbeat");
	/* The window is cached now: what follows is the one statement's. */
	ip_exec("UPDATE devices SET last_seen_at = now() - interval '1 hour' WHERE id = $1", dev,
	    NULL);
	is_str(ip_jstr(beat(tok, win(-58, "editor", "a.txt", 0)), "result"), "merged",
	    "a beat naming a cached window");
	is_str(ip_q("SELECT (last_seen_at > now() - interval '1 minute')::text FROM devices"
	    " WHERE id = $1", dev, NULL), "true", "... marks the device seen");
	ip_exec("UPDATE devices SET last_seen_at = now() - interval '1 hour' WHERE id = $1", dev,
	    NULL);
	is_str(ip_jstr(beat(tok, "{}"), "result"), "presence", "a presence-only beat");
	is_str(ip_q("SELECT (last_seen_at > now() - interval '1 minute')::text FROM devices"
	    " WHERE id = $1", dev, NULL), "true", "... marks the device seen too");
	budget = ip_q("SELECT coalesce(sum(used), 0)::text FROM device_window_budget"
	    " WHERE device_id = $1", dev, NULL);
	is_error(beat(tok, ip_json("{ss s{ss ss}}", "at", "1999-01-01T00:00:00Z", "window",
	    "app", "editor", "title", title)), 400, "at",
	    "older than the retention period, naming a window nobody has sent");
	is_str(ip_q("SELECT count(*) FROM windows WHERE title = $1", title, NULL), "0",
	    "... and that window was not stored");
	is_str(ip_q("SELECT coalesce(sum(used), 0)::text FROM device_window_budget"
	    " WHERE device_id = $1", dev, NULL), budget,
	    "... nor counted against the device's new windows");
	ip_exec("UPDATE devices SET revoked_at = now() WHERE id = $1", dev, NULL);
	a = beat(tok, win(-50, "editor", "a.txt", 0));
	is_status(a, 401, "revoked, with a window the worker has cached: 401");
	like(ip_header(a, "WWW-Authenticate") ? ip_header(a, "WWW-Authenticate") : "",
	    "invalid_token", "... saying the token is not valid");
	is_str(open_span(dev), "2000", "... and the open span did not grow (2 s, as before)");
	is_status(beat(tok, win(-50, "editor", title, 0)), 401,
	    "revoked, with a window nobody has sent: 401");
	is_str(ip_q("SELECT count(*) FROM windows WHERE title = $1", title, NULL), "0",
	    "... and the window was not stored");
	is_status(beat(tok, "{}"), 401, "revoked, presence only: 401");
	is_status(beat(tok, "{\"at\": \"1999-01-01T00:00:00Z\"}"), 401,
	    "revoked and older than the retention period: the token comes first");

	ip_exec("UPDATE devices SET user_id = $2 WHERE id = $1", dev, owner, NULL);
	tok2 = new_device(ip_strf("tokhb2 %s", tag), &dev2);
	ip_exec("UPDATE devices SET user_id = $2 WHERE id = $1", dev2, owner, NULL);
	is_str(ip_jstr(beat(tok2, win(-40, "editor", "a.txt", 0)), "result"), "new",
	    "another person's device beats");
	ip_exec("UPDATE users SET status = 'disabled' WHERE id = $1", owner, NULL);
	is_status(beat(tok2, win(-30, "editor", "a.txt", 0)), 401,
	    "... and is refused once that person is disabled");
	is_str(open_span(dev2), "0", "... its open span unchanged");
	is_status(beat(tok2, win(-30, "editor", title, 0)), 401,
	    "... naming a window nobody has sent too");
	is_str(ip_q("SELECT count(*) FROM windows WHERE title = $1", title, NULL), "0",
	    "... which was not stored");
	is_error(beat(ip_repeat("ab", 32), ip_json("{ss}", "at", at(-60))), 401, "",
	    "an unknown token with a good body: 401");
}

int
main(void)
{
	if (ip_init("heartbeat") != 0)
		return 0;
	tag = ip_tag();
	uid = ip_user(ip_strf("hb.%s@example.com", tag), ip_strf("HB %s", tag), "member", NULL);
	ok(uid > 0, "a member to own the devices");
	ip_lock_global();
	ip_exec("UPDATE settings SET pulsetime_s = 45, heartbeat_interval_s = 30", NULL);
	pulsetime();
	presence();
	bad_beats();
	token_in_statement();
	policy();
	return ip_done();
}
