/* POST /api/v1/activity in process: a batch stored once, categorised and
 * answered with its counts; the same batch again answered the same and
 * storing nothing; batches out of order; overlaps trimmed, covered spans
 * dropped; and every bad input refused with a 400 naming the span and the
 * field, nothing of the batch stored.  Each run makes its own person and
 * devices, so runs never collide. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "batch.h"
#include "clock.h"
#include "crypto.h"
#include "db.h"
#include "buf.h"
#include "conf.h"
#include "group.h"
#include "ingest.h"
#include "check.h"

static const struct wt_app *ingest = &ingest_app;
static const char *tag;
static long long uid;

/* A device of owner with a known token, as the enrollment exchange
 * makes one. */
static const char *
new_device_of(long long owner, const char *name, const char **id)
{
	char token[65], hash[65];

	if (random_token_hex(32, token) != 0)
		return NULL;
	sha256_hex(token, 64, hash);
	*id = ip_q("INSERT INTO devices (user_id, name, token_hash) VALUES ($1, $2, $3)"
	    " RETURNING id", ip_strf("%lld", owner), name, hash, NULL);
	return ip_strf("%s", token);
}

static const char *
new_device(const char *name, const char **id)
{
	return new_device_of(uid, name, id);
}

static struct ip_resp *
post(const char *token, const char *json)
{
	return IP(ingest, .method = "POST", .path = "/api/v1/activity", .bearer = token,
	    .json = json);
}

/* An RFC 3339 time seconds from now, in UTC or with an offset. */
static const char *
at(long long secs, const char *zone)
{
	/* One "now" for the whole run: offsets between spans stay exact
	 * however slowly the test runs (under the sanitizers, say). */
	static time_t now;
	time_t t;

	if (now == 0)
		now = time(NULL);
	t = now + secs;
	struct tm tm;
	char buf[64];

	if (zone != NULL && strcmp(zone, "+05:30") == 0) {
		t += 5 * 3600 + 1800;
		gmtime_r(&t, &tm);
		strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S.250+05:30", &tm);
	} else {
		gmtime_r(&t, &tm);
		strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	}
	return ip_strf("%s", buf);
}

static const char *
rows(const char *dev)
{
	return ip_q("SELECT count(*) || '/' || coalesce(sum(duration_ms), 0) FROM activity"
	    " WHERE device_id = $1", dev, NULL);
}

static void
stored_once(void)
{
	const char *dev, *tok = new_device(ip_strf("laptop %s", tag), &dev);
	const char *batch;
	struct ip_resp *a, *b;

	batch = ip_json("{sI s[{ss sI ss ss ss} {ss sI ss ss sb} {ss sI ss ss sb}]}",
	    "batch", (json_int_t)7, "spans",
	    "start", at(-600, NULL), "duration_ms", (json_int_t)60000, "app", "firefox",
	    "title", "Pull request #12 – é 漢字 😀", "url", "https://github.com/x/y/pull/12",
	    "start", at(-540, "+05:30"), "duration_ms", (json_int_t)29000, "app", "code",
	    "title", "main.c — worktime", "afk", 0,
	    "start", at(-510, NULL), "duration_ms", (json_int_t)200000, "app", "code",
	    "title", "main.c — worktime", "afk", 1);
	a = post(tok, batch);
	is_status(a, 200, "a batch of three spans is stored");
	is_str(ip_jstr(a, "batch"), "7", "... the answer names the batch");
	is_str(ip_jstr(a, "spans"), "3", "... three spans came");
	is_str(ip_jstr(a, "accepted"), "3", "... three were stored");
	is_str(ip_jstr(a, "trimmed"), "0", "... none trimmed");
	is_str(ip_jstr(a, "dropped"), "0", "... none dropped");
	is_str(rows(dev), "3/289000", "three rows, 289 s in all");
	is_str(ip_q("SELECT w.title FROM activity a JOIN windows w ON w.id = a.window_id"
	    " WHERE a.device_id = $1 ORDER BY a.started_at LIMIT 1", dev, NULL),
	    "Pull request #12 – é 漢字 😀", "the non-ASCII title is stored as sent");
	is_str(ip_q("SELECT to_char(a.started_at AT TIME ZONE 'UTC', 'SS.MS')"
	    " FROM activity a WHERE a.device_id = $1 ORDER BY a.started_at OFFSET 1 LIMIT 1",
	    dev, NULL), ip_strf("%.2s.250", at(-540, NULL) + 17), "a start with an offset "
	    "and a fraction is the same instant in UTC");
	is_str(ip_q("SELECT string_agg(a.afk::text, ',' ORDER BY a.started_at) FROM activity a"
	    " WHERE a.device_id = $1", dev, NULL), "false,false,true", "afk as sent");
	ok(ip_q("SELECT c.name FROM activity a JOIN windows w ON w.id = a.window_id"
	    " JOIN categories c ON c.id = w.category_id WHERE a.device_id = $1"
	    " AND w.app = 'code' LIMIT 1", dev, NULL)[0] != '\0',
	    "a new window gets its category when first stored");

	b = post(tok, batch);
	is_status(b, 200, "the same batch again: 200");
	is_str(ip_jbody(b), ip_jbody(a), "... answered with the same counts");
	is_str(rows(dev), "3/289000", "... and nothing new is stored");

	/* Out of order: 9 arrives before 8; both are stored. */
	a = post(tok, ip_json("{sI s[{ss sI ss ss}]}", "batch", (json_int_t)9, "spans",
	    "start", at(-100, NULL), "duration_ms", (json_int_t)10000, "app", "xterm",
	    "title", "make"));
	is_str(ip_jstr(a, "accepted"), "1", "batch 9 before 8: stored");
	a = post(tok, ip_json("{sI s[{ss sI ss ss}]}", "batch", (json_int_t)8, "spans",
	    "start", at(-200, NULL), "duration_ms", (json_int_t)10000, "app", "xterm",
	    "title", "make check"));
	is_str(ip_jstr(a, "accepted"), "1", "... then 8: stored too");
	is_str(rows(dev), "5/309000", "five rows");

	a = post(tok, "{\"batch\": 10, \"spans\": []}");
	is_status(a, 200, "an empty batch is fine");
	is_str(ip_jstr(a, "spans"), "0", "... with nothing in it");
	is_str(ip_q("SELECT count(*) FROM activity_batches WHERE device_id = $1", dev, NULL),
	    "4", "every batch is recorded once");
}

static void
overlaps(void)
{
	const char *dev, *tok = new_device(ip_strf("overlap %s", tag), &dev);
	const char *t0 = at(-3600, NULL), *t30 = at(-3570, NULL), *t60 = at(-3540, NULL);
	const char *t90 = at(-3510, NULL), *t120 = at(-3480, NULL);
	struct ip_resp *a;

	a = post(tok, ip_json("{sI s[{ss sI ss ss}]}", "batch", (json_int_t)1, "spans",
	    "start", t30, "duration_ms", (json_int_t)60000, "app", "vim", "title", "a"));
	is_str(ip_jstr(a, "accepted"), "1", "a minute from t+30 s");
	/* The same minute resent under another batch number: covered. */
	a = post(tok, ip_json("{sI s[{ss sI ss ss}]}", "batch", (json_int_t)2, "spans",
	    "start", t30, "duration_ms", (json_int_t)60000, "app", "vim", "title", "a"));
	is_str(ip_jstr(a, "dropped"), "1", "the same span under another batch: dropped");
	/* Starts inside the stored span: its start moves to where that ends. */
	a = post(tok, ip_json("{sI s[{ss sI ss ss}]}", "batch", (json_int_t)3, "spans",
	    "start", t60, "duration_ms", (json_int_t)60000, "app", "vim", "title", "b"));
	is_str(ip_jstr(a, "accepted"), "1", "a span overlapping the end: stored");
	is_str(ip_jstr(a, "trimmed"), "1", "... trimmed");
	is_str(ip_q("SELECT duration_ms FROM activity WHERE device_id = $1 AND started_at = $2",
	    dev, t90, NULL), "30000", "... to start where the stored one ends (30 s left)");
	/* Ends inside a stored span: cut at its start. */
	a = post(tok, ip_json("{sI s[{ss sI ss ss}]}", "batch", (json_int_t)4, "spans",
	    "start", t0, "duration_ms", (json_int_t)45000, "app", "vim", "title", "c"));
	is_str(ip_jstr(a, "trimmed"), "1", "a span running into a stored one: trimmed");
	is_str(ip_q("SELECT duration_ms FROM activity WHERE device_id = $1 AND started_at = $2",
	    dev, t0, NULL), "30000", "... to end where the stored one starts");
	/* Overlaps within one batch. */
	a = post(tok, ip_json("{sI s[{ss sI ss ss} {ss sI ss ss}]}", "batch", (json_int_t)5,
	    "spans", "start", t120, "duration_ms", (json_int_t)20000, "app", "vim", "title", "d",
	    "start", t120, "duration_ms", (json_int_t)30000, "app", "vim", "title", "e"));
	is_str(ip_jstr(a, "accepted"), "2", "two spans of one batch with the same start");
	is_str(ip_jstr(a, "trimmed"), "1", "... the second trimmed to follow the first");
	is_str(rows(dev), "5/150000", "no second of the device is stored twice");
	is_str(ip_q("SELECT count(*) FROM (SELECT started_at, lead(started_at) OVER w AS nxt,"
	    " started_at + duration_ms * interval '1 ms' AS fin FROM activity"
	    " WHERE device_id = $1 WINDOW w AS (ORDER BY started_at)) s WHERE fin > nxt", dev,
	    NULL), "0", "stored spans of the device never overlap");
}

/* at(secs) with a fraction of a second ("0005" for 500 us). */
static const char *
at_frac(long long secs, const char *frac)
{
	const char *t = at(secs, NULL);

	return ip_strf("%.*s.%sZ", (int)strlen(t) - 1, t, frac);
}

static void
stored_span(const char *dev, const char *start, long long ms)
{
	ip_q("INSERT INTO activity (started_at, device_id, duration_ms, window_id, afk)"
	    " VALUES ($1, $2, $3, (SELECT min(id) FROM windows), false)", start, dev,
	    ip_strf("%lld", ms), NULL);
}

/* The edges a fuzzing of the API found (sql/038 has the same for the
 * heartbeats' path): past a chain of stored spans that touch, across a
 * zero-length one, half a millisecond left, on a zero-length one's
 * instant. */
static void
trim_edges(void)
{
	const char *dev, *tok = new_device(ip_strf("edges %s", tag), &dev);
	const long long b = -7000;
	struct ip_resp *a;

	stored_span(dev, at(b, NULL), 600000);
	stored_span(dev, at(b + 600, NULL), 600000);
	stored_span(dev, at(b + 2400, NULL), 0);
	stored_span(dev, at_frac(b + 3600, "0005"), 1000);
	stored_span(dev, at(b + 4000, NULL), 0);
	a = post(tok, ip_json("{sI s[{ss sI ss ss} {ss sI ss ss} {ss sI ss ss} {ss sI ss ss}]}",
	    "batch", (json_int_t)1, "spans",
	    "start", at(b + 300, NULL), "duration_ms", (json_int_t)1200000, "app", "vim", "title", "a",
	    "start", at(b + 1800, NULL), "duration_ms", (json_int_t)1200000, "app", "vim", "title", "b",
	    "start", at_frac(b + 3600, "000"), "duration_ms", (json_int_t)1, "app", "vim", "title", "c",
	    "start", at(b + 4000, NULL), "duration_ms", (json_int_t)1000, "app", "vim", "title", "d"));
	is_status(a, 200, "a batch over the edges of stored spans");
	is_str(ip_jstr(a, "accepted"), "3", "... three spans stored");
	is_str(ip_jstr(a, "trimmed"), "2", "... two of them trimmed");
	is_str(ip_jstr(a, "dropped"), "1", "... and the one with half a millisecond left dropped");
	is_str(ip_q("SELECT string_agg(extract(epoch FROM started_at - $2::timestamptz)::text"
	    " || '+' || duration_ms, ' ' ORDER BY started_at) FROM activity WHERE device_id = $1",
	    dev, at(b, NULL), NULL),
	    "0.000000+600000 600.000000+600000 1200.000000+300000 1800.000000+1200000"
	    " 2400.000000+0 3600.000500+1000 4000.000000+0 4000.000001+999",
	    "... past both touching spans, across the instant, a microsecond on and rounded down");
	is_str(ip_q("SELECT count(*) FROM (SELECT started_at, lead(started_at) OVER w AS nxt,"
	    " started_at + duration_ms * interval '1 ms' AS fin FROM activity"
	    " WHERE device_id = $1 AND duration_ms > 0 WINDOW w AS (ORDER BY started_at)) s"
	    " WHERE fin > nxt", dev, NULL), "0", "... and no two spans with a length overlap");
}

/* A bad batch: the status, the field named, and nothing stored. */
static void
refused(const char *tok, const char *dev, const char *json, int status, const char *field,
    const char *name)
{
	const char *before = rows(dev);
	struct ip_resp *a = post(tok, json);

	is_error(a, status, field, name);
	is_str(rows(dev), before, "... and nothing of the batch is stored");
}

static const char *
one_span(const char *member, const char *value_json)
{
	/* A valid span with one member replaced by raw JSON text. */
	const char *start = ip_strf("\"%s\"", at(-60, NULL));
	const char *dur = "1000", *app = "\"vim\"", *title = "\"t\"";

	if (strcmp(member, "start") == 0)
		start = value_json;
	else if (strcmp(member, "duration_ms") == 0)
		dur = value_json;
	else if (strcmp(member, "app") == 0)
		app = value_json;
	else if (strcmp(member, "title") == 0)
		title = value_json;
	return ip_strf("{\"batch\": 1, \"spans\": [{\"start\": \"%s\", \"duration_ms\": 5,"
	    " \"app\": \"ok\", \"title\": \"ok\"}, {\"start\": %s, \"duration_ms\": %s,"
	    " \"app\": %s, \"title\": %s, \"afk\": %s}]}", at(-120, NULL), start, dur, app, title,
	    strcmp(member, "afk") == 0 ? value_json : "false");
}

static void
bad_input(void)
{
	const char *dev, *tok = new_device(ip_strf("bad %s", tag), &dev);
	struct ip_resp *a;
	struct wt_buf big;

	refused(tok, dev, "{\"batch\": 1, \"spans\": [", 400, "", "malformed JSON");
	refused(tok, dev, "[1, 2]", 400, "", "a JSON array instead of an object");
	/* The field before a bad member name is not blamed for it. */
	refused(tok, dev, ip_strf("{\"batch\": 1, \"spans\": [{\"start\": \"%s\","
	    " \"app\": \"a\", \"duration_ms\": 5, \"note\\u0000\": 1}]}", at(-60, NULL)),
	    400, "", "a member name with a NUL after duration_ms");
	refused(tok, dev, ip_strf("{\"batch\": 1, \"spans\": [{\"start\": \"%s\","
	    " \"title\": \"t\", \"\xff\": 1}]}", at(-60, NULL)),
	    400, "", "a member name of invalid UTF-8 after title");
	refused(tok, dev, "{\"spans\": []}", 400, "batch", "no batch number");
	refused(tok, dev, "{\"batch\": -1, \"spans\": []}", 400, "batch", "a negative batch");
	refused(tok, dev, "{\"batch\": \"1\", \"spans\": []}", 400, "batch", "a batch as a string");
	refused(tok, dev, "{\"batch\": 1}", 400, "spans", "no spans");
	refused(tok, dev, "{\"batch\": 1, \"spans\": {}}", 400, "spans", "spans not an array");
	refused(tok, dev, "{\"batch\": 1, \"spans\": [1]}", 400, "spans", "a span that is not an object");
	refused(tok, dev, one_span("start", "\"yesterday\""), 400, "spans[1].start",
	    "a start that is not RFC 3339: the span's index and field named");
	refused(tok, dev, one_span("start", "\"2026-02-30T10:00:00Z\""), 400, "spans[1].start",
	    "February 30th");
	refused(tok, dev, one_span("start", "\"2026-11-23T10:00:00\""), 400, "spans[1].start",
	    "a start without a zone");
	refused(tok, dev, one_span("start", "1763900000"), 400, "spans[1].start",
	    "a start as a number");
	refused(tok, dev, one_span("start", ip_strf("\"%s\"", at(600, NULL))), 400,
	    "spans[1].start", "a start 10 minutes in the future");
	refused(tok, dev, one_span("duration_ms", "3600000"), 400, "spans[1].duration_ms",
	    "a span that ends an hour from now (time not yet worked)");
	refused(tok, dev, one_span("start", "\"2001-01-01T00:00:00Z\""), 400, "spans[1].start",
	    "an ancient start, older than the retention period");
	refused(tok, dev, one_span("duration_ms", "-1"), 400, "spans[1].duration_ms",
	    "a negative duration");
	refused(tok, dev, one_span("duration_ms", "90000000"), 400, "spans[1].duration_ms",
	    "a 25-hour duration");
	refused(tok, dev, one_span("duration_ms", "1.5"), 400, "spans[1].duration_ms",
	    "a fractional duration");
	refused(tok, dev, one_span("app", "\"\""), 400, "spans[1].app", "an empty app");
	refused(tok, dev, one_span("app", "42"), 400, "spans[1].app", "an app as a number");
	refused(tok, dev, one_span("app", ip_strf("\"%s\"", ip_repeat("a", 257))), 400,
	    "spans[1].app", "an app of 257 bytes");
	refused(tok, dev, one_span("title", "[\"x\"]"), 400, "spans[1].title", "a title array");
	refused(tok, dev, one_span("afk", "\"yes\""), 400, "spans[1].afk", "afk as a string");
	refused(tok, dev, one_span("title", "\"bad \xff\xfe byte\""), 400, "spans[1].title",
	    "invalid UTF-8 in a title: the span and the field named");
	refused(tok, dev, one_span("title", "\"nul \\u0000 inside\""), 400, "spans[1].title",
	    "a NUL character in a title");

	buf_init(&big);
	buf_puts(&big, "{\"batch\": 1, \"spans\": [");
	for (int i = 0; i < 1001; i++)
		buf_printf(&big, "%s{\"start\": \"%s\", \"duration_ms\": 1, \"app\": \"a\"}",
		    i ? "," : "", at(-3000 + i, NULL));
	buf_puts(&big, "]}");
	refused(tok, dev, ip_strf("%s", big.data), 400, "spans", "a batch of 1,001 spans");
	buf_free(&big);

	a = IP(ingest, .method = "POST", .path = "/api/v1/activity", .bearer = tok,
	    .body = "batch=1", .content_type = "application/x-www-form-urlencoded");
	is_status(a, 415, "a form body: 415");
	a = post(ip_repeat("ab", 32), "{\"batch\": 1, \"spans\": []}");
	is_status(a, 401, "an unknown token: 401");
	ip_exec("UPDATE devices SET revoked_at = now() WHERE id = $1", dev, NULL);
	a = post(tok, "{\"batch\": 99, \"spans\": []}");
	is_status(a, 401, "a revoked device: 401");
	is_str(ip_q("SELECT count(*) FROM activity_batches WHERE device_id = $1", dev, NULL),
	    "0", "no batch of any refused request was recorded");
}

/* The parser reads the batch as it streams past (yajl): members in any
 * order, unknown ones skipped however deep, and what it cannot read as
 * written refused before anything else. */
static void
streaming(void)
{
	const char *dev, *tok = new_device(ip_strf("stream %s", tag), &dev);
	const char *span = ip_strf("{\"start\": \"%s\", \"duration_ms\": 1000, \"app\": \"vim\"}",
	    at(-200, NULL));
	struct ip_resp *a;
	struct wt_buf big;

	a = post(tok, ip_strf("{\"spans\": [{\"afk\": true, \"extra\": {\"a\": [1, {\"b\": null}]},"
	    " \"title\": \"t \\u00e9 \\ud83d\\ude00\", \"app\": \"vim\", \"duration_ms\": 1000,"
	    " \"start\": \"%s\"}], \"v\": [[[]]], \"batch\": 3}", at(-300, NULL)));
	is_status(a, 200, "members in any order, batch after spans, unknown members skipped");
	is_str(ip_jstr(a, "accepted"), "1", "... the span stored");
	is_str(ip_q("SELECT w.title || '|' || a.afk FROM activity a JOIN windows w"
	    " ON w.id = a.window_id WHERE a.device_id = $1", dev, NULL), "t é 😀|true",
	    "... with its escapes decoded (a surrogate pair too) and afk read");
	refused(tok, dev, ip_strf("{\"batch\": 4, \"spans\": [{\"start\": \"%s\", \"duration_ms\": 1,"
	    " \"app\": \"a\", \"title\": \"half \\ud83d pair\"}]}", at(-100, NULL)), 400, "",
	    "half a surrogate pair in a title");
	refused(tok, dev, ip_strf("{\"batch\": 4, \"spans\": [{\"start\": \"%s\", \"duration_ms\": 1,"
	    " \"app\": \"a\", \"title\": \"\\udc00 low half first\"}]}", at(-100, NULL)), 400, "",
	    "the low half of a pair alone");
	refused(tok, dev, ip_strf("{\"batch\": 4, \"spans\": [{\"start\": \"%s\", \"duration_ms\": 1,"
	    " \"app\": \"a\", \"app\": \"b\"}]}", at(-100, NULL)), 400, "spans[0].app",
	    "a member given twice");
	refused(tok, dev, "{\"batch\": 4, \"batch\": 5, \"spans\": []}", 400, "batch",
	    "batch given twice");
	refused(tok, dev, ip_strf("{\"batch\": 4, \"spans\": [%s]} x", span), 400, "",
	    "text after the object");
	a = post(tok, "{\"batch\": 4,\n \"spans\": [");
	is_error(a, 400, "", "a body cut short");
	like(ip_jstr(a, "message"), "^malformed JSON at line 2, column 12: parse error: premature EOF$",
	    "... says where it ends: its last line and column");
	refused(tok, dev, ip_strf("{\"batch\": 4, \"spans\": [%s], /* c */ \"v\": 1}", span), 400,
	    "", "a comment");
	refused(tok, dev, "{\"batch\": 99999999999999999999, \"spans\": []}", 400, "batch",
	    "a batch number past 64 bits");
	refused(tok, dev, ip_strf("{\"batch\": 4, \"spans\": [{\"start\": \"%s\", \"duration_ms\": 1e3,"
	    " \"app\": \"a\"}]}", at(-100, NULL)), 400, "spans[0].duration_ms",
	    "a duration written with an exponent");
	refused(tok, dev, ip_strf("{\"batch\": 4, \"spans\": [%s, {\"start\": \"%s\", \"duration_ms\": 1,"
	    " \"app\": \"a\", \"url\": {\"href\": \"x\"}}]}", span, at(-100, NULL)), 400,
	    "spans[1].url", "a url that is an object");
	refused(tok, dev, ip_strf("{\"batch\": 4, \"spans\": [%s, {\"start\": \"%s\", \"duration_ms\": 1,"
	    " \"app\": \"a\", \"title\": \"raw \x01 control\"}]}", span, at(-100, NULL)), 400, "",
	    "a raw control character in a title");
	refused(tok, dev, ip_strf("{\"batch\": 4, \"spans\": [{\"start\": \"%s\", \"duration_ms\": 1,"
	    " \"app\": \"over\xc0\xaflong\"}]}", at(-100, NULL)), 400, "spans[0].app",
	    "an overlong UTF-8 form in an app");

	/* A bad span early in a batch that is too long: the length is
	 * answered, as a reader would check it first. */
	buf_init(&big);
	buf_puts(&big, "{\"batch\": 5, \"spans\": [{\"start\": \"no\"}");
	for (int i = 1; i < 1001; i++)
		buf_printf(&big, ",%s", span);
	buf_puts(&big, "]}");
	a = post(tok, big.data);
	is_error(a, 400, "spans", "1,001 spans, the first bad: the length is refused");
	like(ip_jstr(a, "message"), "at most 1000 spans; this one has 1001", "... and says so");
	buf_free(&big);

	/* Nesting 100,000 deep in a member nobody reads: no recursion, no
	 * crash, just skipped. */
	buf_init(&big);
	buf_printf(&big, "{\"batch\": 6, \"deep\": ");
	for (int i = 0; i < 100000; i++)
		buf_append(&big, "[", 1);
	for (int i = 0; i < 100000; i++)
		buf_append(&big, "]", 1);
	buf_printf(&big, ", \"spans\": [%s]}", span);
	a = post(tok, big.data);
	is_status(a, 200, "an unknown member nested 100,000 deep is skipped");
	buf_free(&big);
	is_str(ip_q("SELECT string_agg(seq::text, ',' ORDER BY seq) FROM activity_batches"
	    " WHERE device_id = $1", dev, NULL), "3,6", "only the good batches were recorded");
}

static void
long_text(void)
{
	const char *dev, *tok = new_device(ip_strf("long %s", tag), &dev);
	/* 1,022 bytes and a 4-byte emoji: the cut at 1,024 falls inside it. */
	const char *title = ip_strf("%s😀 and more", ip_repeat("x", 1022));
	struct ip_resp *a;

	a = post(tok, ip_json("{sI s[{ss sI ss ss ss}]}", "batch", (json_int_t)1, "spans",
	    "start", at(-30, NULL), "duration_ms", (json_int_t)1000, "app", "browser",
	    "title", title, "url", ip_strf("https://e.example/%s", ip_repeat("é", 600))));
	is_status(a, 200, "a title of 1,037 bytes is accepted");
	is_str(ip_q("SELECT octet_length(w.title) || ',' || octet_length(w.url) FROM activity a"
	    " JOIN windows w ON w.id = a.window_id WHERE a.device_id = $1", dev, NULL),
	    "1022,1024", "title and URL cut at 1,024 bytes on a character boundary");
}

/* db_pipeline, which the batch path runs on: a statement failing inside
 * one takes the whole transaction back, says why as db_exec would, and
 * leaves the connection fit for the next request. */
static void
pipeline_failures(void)
{
	const char *dev, *tok = new_device(ip_strf("pipe %s", tag), &dev);
	const char *devs = ip_strf("{%s}", dev);
	const char *key[2] = { devs, "{77}" };
	const char *bad[5] = { ip_strf("{%s,%s}", dev, dev), "{1700000000000000,1700000001000000}",
	    "{1000}", "{1,1}", "{f,f}" };
	const char *rec[7] = { devs, "{77}", "{2}", "{2}", "{0}", "{0}", "{0}" };
	struct db_call calls[2];
	PGresult *res[2];
	struct ip_resp *a;

	/* The statements are ingest's: one request sets them up. */
	a = post(tok, ip_strf("{\"batch\": 1, \"spans\": [{\"start\": \"%s\", "
	    "\"duration_ms\": 1000, \"app\": \"pipe\", \"title\": \"é\"}]}",
	    at(-600, NULL)));
	is_status(a, 200, "pipeline: a first batch");
	calls[0] = (struct db_call){ ST_INGEST_LOCK_DEVICES, 1, key };
	calls[1] = (struct db_call){ ST_INGEST_BATCHES_FIND, 2, key };
	ok(db_pipeline(1, calls, 2, res, 1) == 0, "a pipeline in a transaction runs");
	ok(res[0] != NULL && res[1] != NULL && PQntuples(res[1]) == 0,
	    "... with each statement's result, in order");
	PQclear(res[0]);
	PQclear(res[1]);
	/* Two starts, one duration: unnest pads with NULL, which the
	 * NOT NULL of duration_ms refuses. */
	calls[0] = (struct db_call){ ST_INGEST_INSERT_SPANS, 5, bad };
	calls[1] = (struct db_call){ ST_INGEST_BATCH_RECORD, 7, rec };
	ok(db_pipeline(1, calls, 2, res, 1) == -1, "a failing statement fails the pipeline");
	is_str(db_sqlstate(), "23502", "... with its SQLSTATE");
	ok(res[0] == NULL && res[1] == NULL, "... and no results kept");
	db_rollback();
	is_str(ip_q("SELECT count(*) FROM activity_batches WHERE device_id = $1 AND seq = 77",
	    dev, NULL), "0", "the record sent after the failure is not stored");
	is_str(rows(dev), "1/1000", "nor any span");
	calls[0] = (struct db_call){ ST_INGEST_BATCHES_FIND, 1, key };
	ok(db_pipeline(0, calls, 1, res, 0) == -1, "a wrong parameter count is refused");
	a = post(tok, ip_strf("{\"batch\": 2, \"spans\": [{\"start\": \"%s\", "
	    "\"duration_ms\": 1000, \"app\": \"pipe\", \"title\": \"漢字\"}]}",
	    at(-500, NULL)));
	is_status(a, 200, "the next request on the same connection is stored");
	is_str(rows(dev), "2/2000", "... both batches' spans are there");
}

/* A batch that interned a new window and then failed: the window was
 * stored in the batch's transaction (sql/036) and went with it, the
 * worker did not remember its id, and the next batch naming it stores it
 * again.  The failure is a real one: a trigger that refuses this batch's
 * record. */
static void
cache_after_rollback(void)
{
	const char *dev, *tok = new_device(ip_strf("rollback %s", tag), &dev);
	const char *fn = ip_strf("refuse_batch_%s", tag);
	const char *title = ip_strf("Rolled back 漢字 %s", tag);
	struct ip_resp *a;

	ip_exec(ip_strf("CREATE FUNCTION %s() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN"
	    " IF NEW.device_id = %s AND NEW.seq = 666 THEN RAISE EXCEPTION 'refused by the test';"
	    " END IF; RETURN NEW; END $f$", fn, dev), NULL);
	ip_exec(ip_strf("CREATE TRIGGER %s BEFORE INSERT ON activity_batches"
	    " FOR EACH ROW EXECUTE FUNCTION %s()", fn, fn), NULL);
	a = post(tok, ip_strf("{\"batch\": 666, \"spans\": [{\"start\": \"%s\", "
	    "\"duration_ms\": 1000, \"app\": \"rollback\", \"title\": \"%s\"}]}",
	    at(-400, NULL), title));
	is_status(a, 500, "a batch whose record fails: 500");
	ip_exec(ip_strf("DROP TRIGGER %s ON activity_batches", fn), NULL);
	ip_exec(ip_strf("DROP FUNCTION %s()", fn), NULL);
	is_str(ip_q("SELECT count(*) FROM windows WHERE title = $1", title, NULL), "0",
	    "... the window it interned went with it");
	is_str(rows(dev), "0/0", "... and none of its spans");
	a = post(tok, ip_strf("{\"batch\": 667, \"spans\": [{\"start\": \"%s\", "
	    "\"duration_ms\": 1000, \"app\": \"rollback\", \"title\": \"%s\"}]}",
	    at(-300, NULL), title));
	is_status(a, 200, "the same window in the next batch: stored");
	is_str(ip_q("SELECT string_agg(w.app || '|' || w.title, ',') FROM activity s"
	    " JOIN windows w ON w.id = s.window_id WHERE s.device_id = $1", dev, NULL),
	    ip_strf("rollback|%s", title), "... pointing at the window");
}

/* A batch of n spans of a minute from offset secs, each with a title of
 * its own ("<word> <i> <tag>"). */
static const char *
titled_batch(int seq, long long secs, int n, const char *word)
{
	struct wt_buf b;
	const char *out;

	buf_init(&b);
	buf_printf(&b, "{\"batch\": %d, \"spans\": [", seq);
	for (int i = 0; i < n; i++)
		buf_printf(&b, "%s{\"start\": \"%s\", \"duration_ms\": 60000, \"app\": \"budget\","
		    " \"title\": \"%s %d — 漢字 %s\", \"url\": \"https://é.example/%d\"}",
		    i ? ", " : "", at(secs + i * 60, NULL), word, i, tag, i);
	buf_puts(&b, "]}");
	out = ip_strf("%s", b.data);
	buf_free(&b);
	return out;
}

/* sql/028: past its hourly budget of new windows a device's spans are
 * stored under the placeholder title, their time intact; windows it
 * already has are not counted; the placeholder is not remembered as the
 * title's window, so the next hour the title gets its own. */
static void
window_budget(void)
{
	const char *dev, *tok = new_device(ip_strf("budget %s", tag), &dev);
	long long was = wt_cfg.ingest_new_windows_per_hour;
	const char *by_title = "SELECT string_agg(w.title, '|' ORDER BY s.started_at) FROM activity s"
	    " JOIN windows w ON w.id = s.window_id WHERE s.device_id = $1 AND w.title LIKE $2";
	const char *placeholder = "(more new windows than the hourly limit)";
	struct ip_resp *a;

	wt_cfg.ingest_new_windows_per_hour = 5;
	a = post(tok, titled_batch(1, -3000, 8, "page"));
	is_status(a, 200, "eight new windows with a budget of five: 200");
	is_str(ip_jstr(a, "accepted"), "8", "... every span accepted");
	is_str(rows(dev), "8/480000", "... and stored, 8 minutes");
	is_str(ip_q("SELECT count(*) FROM activity s JOIN windows w ON w.id = s.window_id"
	    " WHERE s.device_id = $1 AND w.title LIKE 'page %'", dev, NULL), "5",
	    "the first five under their own titles");
	is_str(ip_q("SELECT count(*) || ' ' || min(w.app) || ' ' || min(w.url) FROM activity s"
	    " JOIN windows w ON w.id = s.window_id WHERE s.device_id = $1 AND w.title = $2",
	    dev, placeholder, NULL), "3 budget ", "the other three under the placeholder, app kept, no address");
	a = post(tok, titled_batch(2, -2000, 3, "page"));
	is_str(ip_jstr(a, "accepted"), "3", "the first three again (known): stored");
	is_str(ip_q(by_title, dev, ip_strf("page 0 %%%s", tag), NULL),
	    ip_strf("page 0 — 漢字 %s|page 0 — 漢字 %s", tag, tag),
	    "... under their own titles: windows the device has are not counted");
	a = post(tok, titled_batch(3, -1000, 1, "more"));
	is_str(ip_jstr(a, "accepted"), "1", "a new one in the same hour: stored");
	is_str(ip_q("SELECT count(*) FROM activity s JOIN windows w ON w.id = s.window_id"
	    " WHERE s.device_id = $1 AND w.title = $2", dev, placeholder, NULL), "4",
	    "... under the placeholder");
	/* The next hour. */
	ip_exec("UPDATE device_window_budget SET hour = hour - interval '1 hour' WHERE device_id = $1",
	    dev, NULL);
	a = post(tok, ip_strf("{\"batch\": 4, \"spans\": [{\"start\": \"%s\", \"duration_ms\": 1000,"
	    " \"app\": \"budget\", \"title\": \"page 7 — 漢字 %s\", \"url\": \"https://é.example/7\"}]}",
	    at(-500, NULL), tag));
	is_status(a, 200, "the next hour, a title that went under the placeholder: 200");
	is_str(ip_q(by_title, dev, ip_strf("page 7 %%%s", tag), NULL),
	    ip_strf("page 7 — 漢字 %s", tag), "... now under its own title (the worker did not"
	    " remember the placeholder for it)");
	wt_cfg.ingest_new_windows_per_hour = was;
}

/* The same batches through the workers' shared queue (group.c), as the
 * server stores them: one process here, so each batch is a group that
 * this process leads. */
/* A one-span batch with its own new window. */
static const char *
one_new(int seq, long long secs, const char *title)
{
	return ip_strf("{\"batch\": %d, \"spans\": [{\"start\": \"%s\", \"duration_ms\": 1000,"
	    " \"app\": \"revoked\", \"title\": \"%s\"}]}", seq, at(secs, NULL), title);
}

static const char *
windows_titled(const char *title)
{
	return ip_q("SELECT count(*) FROM windows WHERE title = $1", title, NULL);
}

/* A worker knows the devices it has seen (devcache.c) and does not look
 * their tokens up again: the transaction that stores a batch checks the
 * device instead, so a revoked token or a disabled owner is refused at
 * once, with nothing of the batch kept, its new windows included. */
static void
refused_when_stored(void)
{
	static int run;
	const char *dev, *tok = new_device(ip_strf("cached %s %d", tag, run), &dev);
	const char *title = ip_strf("Revoked window 漢字 🙂 %s %d", tag, run);
	const char *dev2, *tok2;
	long long owner;
	struct ip_resp *a;

	a = post(tok, one_new(1, -900, ip_strf("Before 漢字 %s", tag)));
	is_status(a, 200, "a device's first batch: stored (and the device remembered)");
	ip_exec("UPDATE devices SET revoked_at = now() WHERE id = $1", dev, NULL);
	a = post(tok, one_new(2, -800, title));
	is_status(a, 401, "revoked after that: its next batch is 401");
	is_str(rows(dev), "1/1000", "... none of its spans stored");
	is_str(windows_titled(title), "0", "... nor its new window");
	is_str(ip_q("SELECT count(*) FROM activity_batches WHERE device_id = $1 AND seq = 2",
	    dev, NULL), "0", "... nor its record");
	a = post(tok, one_new(2, -800, title));
	is_status(a, 401, "... and again 401 (looked up now)");

	owner = ip_user(ip_strf("own%d.%s@example.com", run++, tag), ip_strf("Owner é %s", tag),
	    "member", NULL);
	tok2 = new_device_of(owner, ip_strf("owner's %s", tag), &dev2);
	is_status(post(tok2, one_new(1, -700, ip_strf("Owner 1 %s", tag))), 200,
	    "another person's device: stored");
	ip_exec("UPDATE users SET status = 'disabled' WHERE id = $1", ip_strf("%lld", owner), NULL);
	is_status(post(tok2, one_new(2, -600, title)), 401,
	    "its owner disabled since: its next batch is 401");
	is_str(rows(dev2), "1/1000", "... nothing of it stored");
	is_str(windows_titled(title), "0", "... nor its window");
}

/* A device deleted (with its person, say) after a worker remembered it:
 * 401, as for a revoked one, also when its batch names a new window (its
 * budget row would break the group's call for every batch in it). */
static void
deleted_since(void)
{
	const char *dev, *tok = new_device(ip_strf("deleted %s", tag), &dev);
	const char *title = ip_strf("Deleted device's window ☃ %s", tag);

	is_status(post(tok, one_new(1, -1000, ip_strf("First ☃ %s", tag))), 200,
	    "a device's first batch: stored");
	ip_exec("DELETE FROM devices WHERE id = $1", dev, NULL);
	is_status(post(tok, one_new(2, -990, title)), 401,
	    "deleted since: its next batch, with a new window, is 401");
	is_str(windows_titled(title), "0", "... its window not stored");
}

/* The windows of a batch too big for its group slot are stored before the
 * group, by one statement that checks the device first: nothing for a
 * revoked one. */
static void
intern_checks_the_device(void)
{
	const char *d1, *t1 = new_device(ip_strf("intern ok %s", tag), &d1);
	const char *d2, *t2 = new_device(ip_strf("intern revoked %s", tag), &d2);
	const char *w1 = ip_strf("{\"Intern active é %s\"}", tag);
	const char *w2 = ip_strf("{\"Intern revoked é %s\"}", tag);
	char h1[65], h2[65];
	PGresult *res;

	sha256_hex(t1, 64, h1);
	sha256_hex(t2, 64, h2);
	ip_exec("UPDATE devices SET revoked_at = now() WHERE id = $1", d2, NULL);
	res = db_exec(ST_INGEST_INTERN_ACTIVE, 6,
	    (const char *[]){ d1, "3000", "{intern}", w1, "{\"\"}", h1 });
	ok(res != NULL && PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, C_INTERN_NEW), "1") == 0,
	    "an active device's new window: stored by the checked statement");
	PQclear(res);
	res = db_exec(ST_INGEST_INTERN_ACTIVE, 6,
	    (const char *[]){ d2, "3000", "{intern}", w2, "{\"\"}", h2 });
	ok(res != NULL && PQntuples(res) == 0, "a revoked device's: no row");
	PQclear(res);
	is_str(windows_titled(ip_strf("Intern revoked é %s", tag)), "0", "... and no window stored");
	res = db_exec(ST_INGEST_INTERN_ACTIVE, 6,
	    (const char *[]){ d1, "3000", "{intern}", w2, "{\"\"}", h2 });
	ok(res != NULL && PQntuples(res) == 0, "another device's token hash: no row");
	PQclear(res);
	is_str(windows_titled(ip_strf("Intern revoked é %s", tag)), "0", "... and no window stored");
}

/* A batch of d's as a worker puts it in its group slot (batch_windows),
 * parsed from body into *b; NULL and *e set when either step refuses it.
 * The caller frees both. */
static struct gbatch *
group_batch(const struct wt_device *d, const char *body, struct batch *b, struct wt_err **e)
{
	struct gbatch *g = xcalloc(1, sizeof(*g) + WT_BATCH_MAX_SPANS * sizeof(struct gspan) +
	    group_text_cap());
	struct batch_rules rules = { .now_us = clock_real_us(), .oldest_us = 0 };
	size_t miss[WT_BATCH_MAX_SPANS];

	g->text_cap = group_text_cap();
	if ((*e = batch_parse(body, strlen(body), &rules, b)) == NULL)
		*e = batch_windows(d, b, g, miss);
	return g;
}

/* Two batches in one group, one of them from a device revoked (or, with
 * deleted, deleted) since its worker saw it: the other is stored, and
 * nothing of the refused one is, not even the new window both name. */
static void
group_with_a_refused_batch(int deleted)
{
	const char *d1, *t1 = new_device(ip_strf("group ok %s %d", tag, deleted), &d1);
	const char *d2, *t2 = new_device(ip_strf("group revoked %s %d", tag, deleted), &d2);
	const char *shared = ip_strf("Shared new window é %s %d", tag, deleted);
	const char *own = ip_strf("Only the refused one's 漢字 %s %d", tag, deleted);
	struct wt_device dev[2] = { { .id = atoll(d1) }, { .id = atoll(d2) } };
	const char *body[2] = {
		ip_strf("{\"batch\": 5, \"spans\": [{\"start\": \"%s\", \"duration_ms\": 1000,"
		    " \"app\": \"grp\", \"title\": \"%s\"}]}", at(-500, NULL), shared),
		ip_strf("{\"batch\": 5, \"spans\": [{\"start\": \"%s\", \"duration_ms\": 1000,"
		    " \"app\": \"grp\", \"title\": \"%s\"}, {\"start\": \"%s\", \"duration_ms\": 1000,"
		    " \"app\": \"grp\", \"title\": \"%s\"}]}", at(-500, NULL), shared, at(-400, NULL), own) };
	struct gbatch *g[2];
	struct batch b[2];
	struct wt_err *e;

	sha256_hex(t1, 64, dev[0].token_hash);
	sha256_hex(t2, 64, dev[1].token_hash);
	ip_exec(deleted ? "DELETE FROM devices WHERE id = $1" :
	    "UPDATE devices SET revoked_at = now() WHERE id = $1", d2, NULL);
	for (int k = 0; k < 2; k++) {
		g[k] = group_batch(&dev[k], body[k], &b[k], &e);
		ok(e == NULL, "batch %d parsed", k);
		ok(e == NULL && g[k]->nmiss > 0, "... its new windows left to the group");
	}
	e = store_group(g, 2);
	ok(e == NULL, "the group of two: stored");
	ok(!g[0]->refused && g[0]->counts.accepted == 1, "... the active device's batch in it");
	ok(g[1]->refused, "... the %s one's refused", deleted ? "deleted" : "revoked");
	is_str(rows(d1), "1/1000", "... the active device's span stored");
	is_str(rows(d2), "0/0", "... none of the refused one's");
	is_str(ip_q("SELECT count(*) FROM activity_batches WHERE device_id = $1", d2, NULL), "0",
	    "... nor its record");
	is_str(windows_titled(shared), "1", "the window both named: stored, once");
	is_str(windows_titled(own), "0", "the window only the refused device named: not stored");
	for (int k = 0; k < 2; k++) {
		batch_free(&b[k]);
		free(g[k]);
	}
}

/* A full group (GROUP_BATCHES of different devices), every batch with
 * spans and new windows: the most the first round trip ever carries. */
static void
full_group(void)
{
	struct gbatch *g[GROUP_BATCHES];
	struct batch b[GROUP_BATCHES];
	struct wt_device dev[GROUP_BATCHES];
	const char *ids[GROUP_BATCHES];
	const char *shared = ip_strf("Full group's shared window ✓ %s", tag);
	struct wt_err *e;
	int stored = 0;

	for (int k = 0; k < GROUP_BATCHES; k++) {
		const char *tok = new_device(ip_strf("full %d %s", k, tag), &ids[k]);
		const char *body = ip_strf("{\"batch\": 1, \"spans\": [{\"start\": \"%s\","
		    " \"duration_ms\": 1000, \"app\": \"full\", \"title\": \"%s\"},"
		    " {\"start\": \"%s\", \"duration_ms\": 1000, \"app\": \"full\","
		    " \"title\": \"Full group %d ✓ %s\"}]}", at(-300, NULL), shared, at(-200, NULL),
		    k, tag);

		dev[k] = (struct wt_device){ .id = atoll(ids[k]) };
		sha256_hex(tok, 64, dev[k].token_hash);
		g[k] = group_batch(&dev[k], body, &b[k], &e);
		if (!ok(e == NULL, "batch %d of the full group made", k))
			return;
	}
	e = store_group(g, GROUP_BATCHES);
	ok(e == NULL, "a full group of %d batches, each with new windows: stored", GROUP_BATCHES);
	for (int k = 0; k < GROUP_BATCHES; k++)
		stored += !g[k]->refused && g[k]->counts.accepted == 2 &&
		    strcmp(rows(ids[k]), "2/2000") == 0;
	is_int(stored, GROUP_BATCHES, "... every batch's two spans stored and counted");
	is_str(windows_titled(shared), "1", "... the window all of them named stored once");
	is_str(ip_q("SELECT count(*) FROM windows WHERE title LIKE $1",
	    ip_strf("Full group %% ✓ %s", tag), NULL), ip_strf("%d", GROUP_BATCHES),
	    "... and each one's own");
	for (int k = 0; k < GROUP_BATCHES; k++) {
		batch_free(&b[k]);
		free(g[k]);
	}
}

static void
through_the_queue(void)
{
	ok(group_setup(4) == 0, "the group commit's shared memory is mapped");
	ok(group_attach() == 0, "... this process has a slot in it");
	ok(group_slot() != NULL, "... which the next batches go through");
	stored_once();
	overlaps();
}

int
main(void)
{
	if (ip_init("activity") != 0)
		return 0;
	tag = ip_tag();
	uid = ip_user(ip_strf("act.%s@example.com", tag), ip_strf("Act %s", tag), "member", NULL);
	ok(uid > 0, "a member to own the devices");
	stored_once();
	overlaps();
	trim_edges();
	bad_input();
	streaming();
	long_text();
	pipeline_failures();
	cache_after_rollback();
	window_budget();
	refused_when_stored();
	deleted_since();
	intern_checks_the_device();
	group_with_a_refused_batch(0);
	group_with_a_refused_batch(1);
	full_group();
	through_the_queue();
	refused_when_stored();
	deleted_since();
	return ip_done();
}
