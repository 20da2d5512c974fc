/* My day in process: the day arithmetic of sql/009_reports.sql on fixed
 * data (two devices overlapping, AFK inside another device's active
 * span, a span crossing midnight, the DST days of Europe/Berlin and
 * America/New_York with 23 and 25 hours, a viewer in another zone than
 * the person), the page and its JSON twin, the timeline's bars, the
 * empty-day explanations, who may open whose day, and the audited look. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dash.h"
#include "check.h"

static const struct wt_app *dash = &dash_app;
static const char *tag;

#define MIN	60000LL

static const char *
person(const char *who, const char *role, const char *tz)
{
	long long id = ip_user(ip_strf("%s.%s@example.com", who, tag), ip_strf("%s %s", who, tag),
	    role, NULL);

	ip_exec("UPDATE users SET timezone = $1 WHERE id = $2", tz, ip_strf("%lld", id), NULL);
	return ip_strf("%lld", id);
}

static const char *
device(const char *user, const char *name)
{
	return ip_q("INSERT INTO devices (user_id, name, last_seen_at) VALUES ($1, $2, now())"
	    " RETURNING id", user, name, NULL);
}

/* A window of this run (titles carry the tag: no other run shares it). */
static const char *
win(const char *app, const char *title, const char *url)
{
	return ip_q("SELECT (windows_intern(ARRAY[$1], ARRAY[$2], ARRAY[$3]))[1]", app,
	    ip_strf("%s %s", title, tag), url, NULL);
}

/* A span of a few seconds. */
static void
span_s(const char *dev, const char *start, int seconds, const char *w)
{
	ip_exec("INSERT INTO activity (started_at, device_id, duration_ms, window_id, afk)"
	    " VALUES ($1::timestamptz, $2, $3::int * 1000, $4, false)", start, dev,
	    ip_strf("%d", seconds), w, NULL);
}

static struct ip_resp *
get(const char *token, const char *path)
{
	return IP(dash, .path = path, .bearer = token, .accept = "application/json");
}

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; p != NULL && (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

static const char *P, *N, *MGR, *OTHER, *ADMIN_ID;
static const char *TP, *TN, *TMGR, *TOTHER, *TADMIN;
static const char *CODE, *SLACK, *TUBE;

static void
fixtures(void)
{
	const char *d1, *d2, *nd, *team;

	ip_exec("SELECT activity_ensure_partitions('2024-03-01', 9)", NULL);
	P = person("berlin", "member", "Europe/Berlin");
	N = person("newyork", "member", "America/New_York");
	MGR = person("mgr", "manager", "America/New_York");
	OTHER = person("other", "member", "Europe/Berlin");
	ADMIN_ID = person("admin", "admin", "Asia/Tokyo");
	TP = ip_token(atoll(P));
	TN = ip_token(atoll(N));
	TMGR = ip_token(atoll(MGR));
	TOTHER = ip_token(atoll(OTHER));
	TADMIN = ip_token(atoll(ADMIN_ID));
	team = ip_q("INSERT INTO teams (name) VALUES ($1) RETURNING id", ip_strf("R %s", tag), NULL);
	ip_exec("INSERT INTO team_members (team_id, user_id, role) VALUES ($1, $2, 'manager'),"
	    " ($1, $3, 'member')", team, MGR, P, NULL);

	CODE = win("code", "main.c — é 漢字 🙂", "");
	SLACK = win("slack", "#general | Slack", "");
	TUBE = win("firefox", "Talk - YouTube", "https://www.youtube.com/watch?v=1");

	/* Berlin, Sunday 2024-03-31: clocks go forward at 02:00 (23 h). */
	d1 = device(P, "laptop");
	d2 = device(P, "desktop");
	ip_span(d1, "2024-03-31 01:30+01", 60, CODE, 0);	/* runs across the missing hour */
	ip_span(d1, "2024-03-31 09:00+02", 60, CODE, 0);
	ip_span(d1, "2024-03-31 10:00+02", 20, CODE, 1);	/* AFK, while d2 is active */
	ip_span(d1, "2024-03-31 10:20+02", 40, CODE, 0);
	ip_span(d2, "2024-03-31 09:30+02", 60, SLACK, 0);	/* overlaps d1 */
	ip_span(d1, "2024-03-31 12:00+02", 30, CODE, 1);	/* lunch: away */
	ip_span(d1, "2024-03-31 13:00+02", 60, CODE, 0);
	ip_span(d1, "2024-03-31 14:05+02", 5, CODE, 0);	/* a 5-minute gap: no break */
	ip_span(d1, "2024-03-31 23:30+02", 60, TUBE, 0);	/* crosses midnight */
	/* Berlin, Sunday 2024-10-27: clocks go back at 03:00 (25 h). */
	ip_span(d1, "2024-10-27 02:30+02", 60, CODE, 0);

	/* New York: 2024-03-10 (23 h) and 2024-11-03 (25 h). */
	nd = device(N, "nylaptop");
	ip_span(nd, "2024-03-10 01:00-05", 120, CODE, 0);
	ip_span(nd, "2024-11-03 01:30-04", 60, CODE, 0);	/* 01:30 EDT to 01:30 EST */
	ip_span(nd, "2024-11-03 08:00-05", 10, SLACK, 1);
	ip_span(nd, "2024-11-03 08:10-05", 50, SLACK, 0);
}

static void
berlin_spring(void)
{
	struct ip_resp *a = get(TP, "/day/2024-03-31");

	is_status(a, 200, "Berlin 2024-03-31: 200");
	is_int(ip_jint(a, "totals.hours"), 23, "the day clocks go forward has 23 hours");
	is_int(json_array_size(ip_jget(a, "per_hour")), 23, "... and 23 hour buckets");
	is_str(ip_jstr(a, "per_hour.1.hour"), "01", "... the second is 01:00");
	is_str(ip_jstr(a, "per_hour.2.hour"), "03", "... the third 03:00 (02:00 never happened)");
	is_int(ip_jint(a, "per_hour.1.ms"), 30 * MIN, "... 30 min active in 01:00-02:00");
	is_int(ip_jint(a, "per_hour.2.ms"), 30 * MIN, "... and 30 min in 03:00-04:00");
	is_int(ip_jint(a, "totals.active"), 275 * MIN,
	    "active: overlapping devices counted once, AFK under another device's activity is active");
	is_int(ip_jint(a, "totals.away"), 30 * MIN, "away: the lunch only");
	is_int(ip_jint(a, "totals.tracked"), 305 * MIN, "tracked = active + away");
	is_int(ip_jint(a, "totals.productive"), 215 * MIN, "productive: the editor (first device keeps the overlap)");
	is_int(ip_jint(a, "totals.neutral"), 30 * MIN, "neutral: chat, only what ran past the editor");
	is_int(ip_jint(a, "totals.distracting"), 30 * MIN, "distracting: the video's half before midnight");
	is_str(ip_jstr(a, "totals.first"), "01:30", "first activity 01:30");
	is_str(ip_jstr(a, "totals.last"), "24:00", "last activity: midnight, where the video crosses it");
	is_int(ip_jint(a, "totals.break_count"), 3, "three breaks of 15 min or more");
	is_int(ip_jint(a, "totals.break_ms"), (330 + 120 + 560) * MIN, "... 5 h 30, 2 h and 9 h 20");
	is_int(ip_jint(a, "totals.worked"), 280 * MIN, "worked: first to last less the breaks");
	is_str(ip_jstr(a, "totals.text.worked"), "4 h 40 min", "... in words");
	is_int(ip_jint(a, "totals.productive_share"), 78, "productive share 215/275");
	is_int(json_array_size(ip_jget(a, "timeline")), 8, "the timeline has 8 bars");
	is_str(ip_jstr(a, "timeline.4.kind"), "away", "... the fifth is the lunch, away");
	is_str(ip_jstr(a, "timeline.4.from"), "12:00", "... from 12:00");
	is_str(ip_jstr(a, "timeline.7.to"), "24:00", "... the last ends at midnight");
	is_str(ip_jstr(a, "apps.0.app"), "code", "top application: the editor");
	is_str(ip_jstr(a, "categories.0.name"), "Work > Programming", "top category: programming");
	is_str(ip_jstr(a, "categories.0.productivity"), "productive", "... productive");
	is_int(ip_jint(a, "apps.0.ms"), 215 * MIN, "... 3 h 35 min");
	like(ip_jstr(a, "titles.0.title"), "main.c — é 漢字 🙂", "top title keeps its characters");
	is_str(ip_jstr(a, "prev"), "2024-03-30", "previous day");
	is_str(ip_jstr(a, "next"), "2024-04-01", "next day");

	a = get(TP, "/day/2024-04-01");
	is_int(ip_jint(a, "totals.active"), 30 * MIN, "2024-04-01: the video's half after midnight");
	is_str(ip_jstr(a, "totals.first"), "00:00", "... from midnight");
	is_int(ip_jint(a, "totals.hours"), 24, "... an ordinary 24-hour day");

	a = IP(dash, .path = "/day/2024-03-31", .bearer = TP, .accept = "text/html");
	is_status(a, 200, "the page as HTML");
	is_int(count(a->body, "<rect class=\"bar active\""), 7, "the SVG timeline: 7 active bars");
	is_int(count(a->body, "<rect class=\"bar away\""), 1, "... and 1 away bar");
	is_int(count(a->body, "<rect class=\"hour\""), 23, "23 hour bars");
	like(a->body, "This day has 23 hours", "the page says the day is short");
	like(a->body, "href=\"/day/2024-03-30\"", "a link to the previous day");
	like(a->body, "href=\"/day/2024-04-01\"", "a link to the next day");
	like(a->body, "main.c — é 漢字 🙂", "titles shown as they are");
	unlike(a->body, "<script>|style=", "no inline script or style");
	unlike(a->body, "data-live", "a past day is not refreshed");

	a = get(TP, "/day/2024-10-27");
	is_int(ip_jint(a, "totals.hours"), 25, "Berlin 2024-10-27 has 25 hours");
	is_str(ip_jstr(a, "per_hour.2.hour"), "02", "... 02:00 comes");
	is_str(ip_jstr(a, "per_hour.3.hour"), "02", "... twice");
	is_int(ip_jint(a, "totals.active"), 60 * MIN, "... one hour active across the change");
}

static void
new_york(void)
{
	struct ip_resp *a = get(TN, "/day/2024-03-10");

	is_int(ip_jint(a, "totals.hours"), 23, "New York 2024-03-10 has 23 hours");
	is_int(ip_jint(a, "totals.active"), 120 * MIN, "... two real hours from 01:00 EST to 04:00 EDT");
	is_str(ip_jstr(a, "totals.last"), "04:00", "... ending at 04:00");
	a = get(TN, "/day/2024-11-03");
	is_int(ip_jint(a, "totals.hours"), 25, "New York 2024-11-03 has 25 hours");
	is_str(ip_jstr(a, "per_hour.1.hour"), "01", "... 01:00 EDT");
	is_str(ip_jstr(a, "per_hour.2.hour"), "01", "... then 01:00 EST");
	is_int(ip_jint(a, "per_hour.1.ms"), 30 * MIN, "... half the span in each");
	is_int(ip_jint(a, "totals.active"), 110 * MIN, "active 60 + 50 min");
	is_int(ip_jint(a, "totals.away"), 10 * MIN, "away 10 min");
	is_int(ip_jint(a, "totals.break_count"), 1, "one break (01:30 EST to 08:00 is a break)");
	is_int(ip_jint(a, "totals.worked"), 110 * MIN, "worked 1 h 50");
}

static void
viewer_zone(void)
{
	struct ip_resp *a;
	const char *looks;

	/* The manager in New York sees Berlin's spans on New York's day. */
	a = get(TMGR, ip_strf("/day/2024-03-31?user=%s", P));
	is_status(a, 200, "the manager opens a team member's day");
	is_str(ip_jstr(a, "timezone"), "America/New_York", "... drawn in the manager's zone");
	is_str(ip_jstr(a, "person.timezone"), "Europe/Berlin", "... naming the person's zone");
	is_int(ip_jint(a, "totals.active"), 245 * MIN, "... New York's day holds 245 min of it");
	is_int(ip_jint(a, "totals.away"), 30 * MIN, "... and the lunch");
	is_str(ip_jstr(a, "totals.first"), "03:00", "... first activity 03:00 New York time");
	is_str(ip_jstr(a, "totals.last"), "18:30", "... last 18:30");
	is_int(ip_jint(a, "totals.hours"), 24, "... a 24-hour day in New York");
	looks = ip_q("SELECT count(*) FROM audit_log WHERE action = 'report.view'"
	    " AND actor_id = $1 AND target_id = $2", MGR, P, NULL);
	is_str(looks, "1", "the look is in the audit log");
	get(TMGR, ip_strf("/day/2024-03-31?user=%s", P));
	is_str(ip_q("SELECT count(*) FROM audit_log WHERE action = 'report.view'"
	    " AND actor_id = $1 AND target_id = $2", MGR, P, NULL), "1",
	    "looking again within ten minutes is not written twice");
	a = IP(dash, .path = ip_strf("/day/2024-03-31?user=%s", P), .bearer = TMGR,
	    .accept = "text/html");
	like(a->body, "can see that you looked", "the page tells the manager the look is seen");
	like(a->body, ip_strf("href=\"/day/2024-03-30\\?user=%s\"", P), "navigation keeps the person");

	a = get(TADMIN, ip_strf("/day/2024-03-31?user=%s", P));
	is_status(a, 200, "an admin opens anyone's day");
	is_str(ip_jstr(a, "timezone"), "Asia/Tokyo", "... in the admin's zone");
	a = get(TOTHER, ip_strf("/day/2024-03-31?user=%s", P));
	is_status(a, 404, "a member cannot open another member's day");
	unlike(a->body, "berlin", "... and learns nothing about them");
	a = get(TMGR, ip_strf("/day/2024-03-31?user=%s", N));
	is_status(a, 404, "a manager cannot open the day of someone outside their teams");
	a = get(TP, ip_strf("/day/2024-03-31?user=%s", MGR));
	is_status(a, 404, "a member cannot open their manager's day");
	a = get(TP, ip_strf("/day/2024-03-31?user=%s", P));
	is_status(a, 200, "?user= naming oneself is one's own day");
	is_str(ip_q("SELECT count(*) FROM audit_log WHERE action = 'report.view'"
	    " AND target_id = $1 AND actor_id = $1", P, NULL), "0", "... and no look is written");
}

static void
empty_days(void)
{
	const char *lonely = person("lonely", "member", "Europe/Berlin");
	const char *t = ip_token(atoll(lonely));
	struct ip_resp *a = get(t, "/");

	is_status(a, 200, "/ signed in is my day");
	is_str(ip_jstr(a, "empty.why"), "no_device", "no device: the page says so");
	a = IP(dash, .path = "/", .bearer = t, .accept = "text/html");
	like(a->body, "No device is enrolled yet", "... in words");
	like(a->body, "href=\"/admin/devices\"", "... with where to enroll one");
	like(a->body, "data-live=\"/day/", "today refreshes itself");
	like(a->body, "src=\"/static/js/live.js\"", "... with the static script");
	ip_exec("INSERT INTO devices (user_id, name) VALUES ($1, 'silent')", lonely, NULL);
	is_str(ip_jstr(get(t, "/"), "empty.why"), "never_reported", "a device that never reported");
	ip_exec("UPDATE devices SET last_seen_at = now() - interval '3 days' WHERE user_id = $1",
	    lonely, NULL);
	a = get(t, "/");
	is_str(ip_jstr(a, "empty.why"), "not_running", "an agent that stopped");
	ok(ip_jstr(a, "empty.last_seen") != NULL, "... saying since when");
	a = get(t, "/day/2999-01-01");
	is_str(ip_jstr(a, "empty.why"), "future", "a day ahead");
	is_str(ip_jstr(get(TP, "/day/2024-03-29"), "empty.why"), "retention",
	    "a day before the retention period");
	is_str(ip_jstr(get(TP, "/"), "next"), "null", "today has no next day");
}

static void
bad_input(void)
{
	struct ip_resp *a = get(TP, "/day/2024-02-30");

	is_error(a, 400, "date", "a date that does not exist: 400 naming it");
	is_error(get(TP, "/day/yesterday"), 400, "date", "a date that is not one: 400");
	is_error(get(TP, "/day/2024-03-31?user=abc"), 400, "user", "?user= not a number: 400");
	is_status(get(TP, "/day/2024-03-31?user=999999999999"), 404, "?user= nobody: 404");
	a = IP(dash, .path = "/day/2024-03-31", .accept = "application/json");
	is_status(a, 401, "anonymous: 401");
	a = IP(dash, .path = "/day/2024-03-31", .accept = "text/html");
	is_status(a, 303, "anonymous browser: to the sign-in page");
}

/* The timeline is drawn to the minute: each minute in the state that
 * holds most of it; the figures keep every second. */
static void
minute_bars(void)
{
	const char *d = ip_q("SELECT id FROM devices WHERE user_id = $1 AND name = 'laptop'", P, NULL);
	struct ip_resp *a;

	span_s(d, "2024-04-02 09:00:00+02", 40, CODE);
	span_s(d, "2024-04-02 09:00:40+02", 20, SLACK);
	span_s(d, "2024-04-02 09:01:00+02", 50, SLACK);
	span_s(d, "2024-04-02 09:01:50+02", 10, CODE);
	span_s(d, "2024-04-02 09:03:00+02", 20, CODE);	/* a third of a minute */
	span_s(d, "2024-04-02 09:05:00+02", 30, CODE);
	span_s(d, "2024-04-02 09:05:30+02", 60, CODE);	/* half of 09:06: drawn */
	a = get(TP, "/day/2024-04-02");
	is_int(ip_jint(a, "totals.active"), 230 * 1000LL, "seconds-long spans: every second counted");
	is_int(json_array_size(ip_jget(a, "timeline")), 3, "... drawn as 3 minute bars");
	is_str(ip_jstr(a, "timeline.0.from"), "09:00", "... the editor has most of 09:00");
	is_str(ip_jstr(a, "timeline.0.to"), "09:01", "... for that minute");
	is_str(ip_jstr(a, "timeline.0.category"), "Work > Programming", "... as programming");
	is_str(ip_jstr(a, "timeline.1.from"), "09:01", "... chat has most of 09:01");
	is_str(ip_jstr(a, "timeline.1.to"), "09:02", "... to 09:02");
	is_str(ip_jstr(a, "timeline.2.from"), "09:05", "20 s alone in 09:03 is not drawn; 09:05");
	is_str(ip_jstr(a, "timeline.2.to"), "09:07", "... to 09:07, half of it tracked");
	is_int(ip_jint(a, "timeline.2.ms"), 2 * MIN, "... two minutes");
	a = IP(dash, .path = "/day/2024-04-02", .bearer = TP, .accept = "text/html");
	is_int(count(a->body, "<rect class=\"bar active\""), 3, "the page draws the same 3 bars");
}

/* The cache of finished days follows late spans and rule changes. */
static void
cache(void)
{
	const char *d = ip_q("SELECT id FROM devices WHERE user_id = $1 AND name = 'laptop'", P, NULL);

	is_int(ip_jint(get(TP, "/day/2024-03-31"), "totals.active"), 275 * MIN, "cached: same figures");
	ok(atoi(ip_q("SELECT count(*) FROM report_day_cache WHERE user_id = $1", P, NULL)) >= 1,
	    "finished days are kept");
	ip_span(d, "2024-03-31 20:00+02", 10, CODE, 0);
	is_int(ip_jint(get(TP, "/day/2024-03-31"), "totals.active"), 285 * MIN,
	    "a late span changes the kept day at once");
	ip_exec("DELETE FROM activity WHERE device_id = $1 AND started_at = '2024-03-31 20:00+02'",
	    d, NULL);
	is_int(ip_jint(get(TP, "/day/2024-03-31"), "totals.active"), 275 * MIN,
	    "... and so does deleting it");
	ip_exec("UPDATE settings SET day_gap_min = day_gap_min", NULL);
	is_int(ip_jint(get(TP, "/day/2024-03-31"), "totals.break_count"), 3,
	    "a settings change recomputes (same threshold, same breaks)");
}

/* Finished days keep their segments (sql/016): what the page and the
 * exports read from the cache is what report_segments computes. */
static void
kept_segments(void)
{
	static const char *const diff =
	    "SELECT (SELECT count(*) FROM (SELECT * FROM report_day_segments($1, $2, $3, $4)"
	    " EXCEPT ALL SELECT * FROM report_segments($1, $2, $3, $4)) a)"
	    " + (SELECT count(*) FROM (SELECT * FROM report_segments($1, $2, $3, $4)"
	    " EXCEPT ALL SELECT * FROM report_day_segments($1, $2, $3, $4)) b)";

	get(TP, "/day/2024-03-31");
	get(TP, "/day/2024-04-02");
	ok(atoi(ip_q("SELECT count(*) FROM report_day_cache WHERE user_id = $1"
	    " AND tz = 'Europe/Berlin' AND day = '2024-03-31' AND seg_s IS NOT NULL", P, NULL)) == 1,
	    "a finished day keeps its segments");
	is_str(ip_q("SELECT count(*) FROM report_day_segments($1, '2024-03-31', '2024-03-31',"
	    " 'Europe/Berlin')", P, NULL), ip_q("SELECT count(*) FROM report_segments($1,"
	    " '2024-03-31', '2024-03-31', 'Europe/Berlin')", P, NULL), "... all of them");
	is_str(ip_q(diff, P, "2024-03-29", "2024-04-03", "Europe/Berlin", NULL), "0",
	    "kept and computed segments are the same, DST day and seconds-long spans included");
	is_str(ip_q(diff, P, "2024-03-29", "2024-04-03", "America/New_York", NULL), "0",
	    "... in another zone (its own kept days)");
	is_str(ip_q(diff, N, "2024-11-02", "2024-11-04", "America/New_York", NULL), "0",
	    "... on New York's 25-hour day");
	is_str(ip_q(diff, P, ip_q("SELECT (now() AT TIME ZONE 'Europe/Berlin')::date - 3", NULL),
	    ip_q("SELECT (now() AT TIME ZONE 'Europe/Berlin')::date + 1", NULL), "Europe/Berlin",
	    NULL), "0", "... up to tomorrow (today and days ahead are computed)");
	is_str(ip_q("SELECT count(*) FROM report_day_cache WHERE user_id = $1"
	    " AND day >= (now() AT TIME ZONE 'Europe/Berlin')::date", P, NULL), "0",
	    "today and days ahead are not kept");
}

int
main(void)
{
	if (ip_init("report_day") != 0)
		return 0;
	tag = ip_tag();
	fixtures();
	berlin_spring();
	new_york();
	viewer_zone();
	empty_days();
	bad_input();
	minute_bars();
	cache();
	kept_segments();
	return ip_done();
}
