/* My data in process: CSV and JSON exports that match the day pages to
 * the millisecond (a DST day, a span crossing midnight, two devices,
 * AFK), streamed without a Content-Length; spreadsheet formulas and
 * quotes in titles; who may export whose data; the page listing who
 * looked; deleting a range (spans across its edges cut, not lost) and
 * everything, with a confirmation; and the everything-about-me file. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dash.h"
#include "check.h"
#include "csvread.h"
#include "flows.h"

static const struct wt_app *dash = &dash_app;
static const char *tag, *P, *TP, *MGR, *TMGR, *OTHER, *TOTHER, *D1, *D2;

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
win(const char *app, const char *title)
{
	return ip_q("SELECT (windows_intern(ARRAY[$1], ARRAY[$2], ARRAY['']))[1]", app, title, NULL);
}

static struct ip_resp *
get(const char *token, const char *path)
{
	return IP(dash, .path = path, .bearer = token, .accept = "application/json");
}

static void
fixtures(void)
{
	const char *code, *chat, *tube, *formula, *quoted, *team;

	ip_exec("SELECT activity_ensure_partitions('2024-03-01', 2)", NULL);
	P = person("data", "member", "Europe/Berlin");
	MGR = person("datamgr", "manager", "Europe/Berlin");
	OTHER = person("dataother", "member", "Europe/Berlin");
	TP = ip_token(atoll(P));
	TMGR = ip_token(atoll(MGR));
	TOTHER = ip_token(atoll(OTHER));
	team = ip_q("INSERT INTO teams (name) VALUES ($1) RETURNING id", ip_strf("D %s", tag), NULL);
	ip_exec("INSERT INTO team_members (team_id, user_id, role) VALUES ($1, $2, 'manager'),"
	    " ($1, $3, 'member')", team, MGR, P, NULL);
	D1 = ip_q("INSERT INTO devices (user_id, name) VALUES ($1, 'laptop') RETURNING id", P, NULL);
	D2 = ip_q("INSERT INTO devices (user_id, name) VALUES ($1, 'desktop') RETURNING id", P, NULL);
	code = win("code", ip_strf("export.c — é 漢字 🙂 %s", tag));
	chat = win("slack", ip_strf("#general | Slack %s", tag));
	tube = win("firefox", ip_strf("Talk - YouTube %s", tag));
	formula = win("gedit", ip_strf("=HYPERLINK(\"http://x\") %s", tag));
	quoted = win("gedit", ip_strf("a, \"quoted\" title %s", tag));
	ip_span(D1, "2024-03-30 22:30+01", 120, code, 0);	/* into the DST day */
	ip_span(D1, "2024-03-31 01:30+01", 60, code, 0);	/* across the missing hour */
	ip_span(D1, "2024-03-31 09:00+02", 60, code, 0);
	ip_span(D1, "2024-03-31 10:00+02", 20, code, 1);
	ip_span(D2, "2024-03-31 09:30+02", 60, chat, 0);
	ip_span(D1, "2024-03-31 12:00+02", 30, code, 1);
	ip_span(D1, "2024-03-31 13:00+02", 10, formula, 0);
	ip_span(D1, "2024-03-31 13:10+02", 10, quoted, 0);
	ip_span(D1, "2024-03-31 23:30+02", 60, tube, 0);	/* out of it */
	/* A day of its own (csv_separators). */
	ip_span(D1, "2024-04-10 09:00+02", 10, win(ip_strf("a;=1+2 %s", tag),
	    ip_strf("x;=HYPERLINK(https://evil.example)\t@SUM(A1) %s", tag)), 0);
}

/* Per day and state, the milliseconds of an export must be the page's. */
static void
csv_export(void)
{
	struct ip_resp *a = IP(dash, .path = "/export.csv?from=2024-03-30&to=2024-04-01",
	    .bearer = TP, .accept = "text/csv");
	const char *p;
	char *cell[12];
	int n, rows = 0, formula_ok = 0, quote_ok = 0, iso_ok = 0;
	long long active[3] = { 0 }, away[3] = { 0 };
	static const char *const days[3] = { "2024-03-30", "2024-03-31", "2024-04-01" };

	is_status(a, 200, "CSV export: 200");
	like(ip_header(a, "Content-Type"), "^text/csv", "... text/csv");
	like(ip_header(a, "Content-Disposition"),
	    "^attachment; filename=\"worktime-2024-03-30-2024-04-01.csv\"", "... as a download");
	is_str(ip_header(a, "Content-Length"), NULL, "... streamed, without a Content-Length");
	p = a->body;
	n = csv_record(&p, cell, 12);
	is_int(n, 10, "the header has 10 columns");
	is_str(n > 0 ? cell[0] : NULL, "date", "... starting with the date");
	while ((n = csv_record(&p, cell, 12)) > 0) {
		rows++;
		if (n != 10)
			continue;
		for (int d = 0; d < 3; d++)
			if (strcmp(cell[0], days[d]) == 0) {
				if (strcmp(cell[4], "away") == 0)
					away[d] += csv_ms(cell[3]);
				else
					active[d] += csv_ms(cell[3]);
			}
		if (strncmp(cell[6], "'=HYPERLINK(\"http://x\")", 23) == 0)
			formula_ok = 1;
		if (strncmp(cell[6], "a, \"quoted\" title", 17) == 0)
			quote_ok = 1;
		if (strcmp(cell[1], "2024-03-31T09:00:00.000+02:00") == 0)
			iso_ok = 1;
	}
	ok(rows > 8, "rows for every segment");
	ok(formula_ok, "a title that looks like a formula is quoted with '");
	ok(quote_ok, "commas and quotes survive the CSV");
	ok(iso_ok, "times are local with their offset (+02:00 after the change)");
	like(a->body, "2024-03-31T01:30:00.000\\+01:00", "... +01:00 before it");
	for (int d = 0; d < 3; d++) {
		struct ip_resp *day = get(TP, ip_strf("/day/%s", days[d]));

		is_int(active[d], ip_jint(day, "totals.active"),
		    ip_strf("%s: the CSV's active ms are the page's", days[d]));
		is_int(away[d], ip_jint(day, "totals.away"),
		    ip_strf("%s: the CSV's away ms are the page's", days[d]));
	}
	is_int(active[1], 230 * MIN, "2024-03-31: 3 h 50 active in the export");
}

/* A spreadsheet set to split cells on ; or tabs (as many are, by
 * locale) must not find a cell starting with = or @ inside a title: a
 * text cell holding either is quoted whole. */
static void
csv_separators(void)
{
	struct ip_resp *a = IP(dash, .path = "/export.csv?from=2024-04-10&to=2024-04-10",
	    .bearer = TP, .accept = "text/csv");

	is_status(a, 200, "CSV export of a title with ; and a tab: 200");
	like(a->body, ip_strf(",\"a;=1\\+2 %s\",", tag), "an application with a ; is quoted");
	like(a->body, ip_strf(",\"x;=HYPERLINK\\(https://evil.example\\)\t@SUM\\(A1\\) %s\",",
	    tag), "... a title with ; and a tab too");
}

static void
json_export(void)
{
	struct ip_resp *a = get(TP, "/export.json?from=2024-03-31&to=2024-03-31"), *day;
	json_t *segs = ip_jget(a, "segments"), *o;
	size_t i;
	long long act = 0, away = 0;

	is_status(a, 200, "JSON export: 200");
	ok(a->json != NULL, "... parses as JSON");
	is_str(ip_header(a, "Content-Length"), NULL, "... streamed");
	is_str(ip_jstr(a, "timezone"), "Europe/Berlin", "... in the person's zone");
	json_array_foreach(segs, i, o) {
		if (strcmp(ip_jval(o, "state"), "away") == 0)
			away += atoll(ip_jval(o, "ms"));
		else
			act += atoll(ip_jval(o, "ms"));
	}
	day = get(TP, "/day/2024-03-31");
	is_int(act, ip_jint(day, "totals.active"), "the JSON's active ms are the page's");
	is_int(away, ip_jint(day, "totals.away"), "the JSON's away ms are the page's");
	is_int(ip_jint(a, "totals.active_ms"), act, "its own totals agree");
	is_int(ip_jint(a, "totals.segments"), (long long)json_array_size(segs), "... and its count");
	like(ip_jstr(a, "segments.0.start"), "^2024-03-31T00:00:00.000\\+01:00$",
	    "the first segment starts at midnight (the span from the day before, clipped)");

	a = get(TP, "/export.json?from=2024-01-01&to=2024-12-31");
	is_status(a, 200, "a year's export");
	is_int(ip_jint(a, "totals.active_ms"), (350 + 10) * MIN,
	    "... holds every active minute of the year");
}

static void
access(void)
{
	struct ip_resp *a;

	a = get(TOTHER, ip_strf("/export.json?from=2024-03-31&to=2024-03-31&user=%s", P));
	is_status(a, 404, "a member cannot export another member's activity");
	a = IP(dash, .path = ip_strf("/export.csv?from=2024-03-31&to=2024-03-31&user=%s", P),
	    .bearer = TOTHER);
	is_status(a, 404, "... nor as CSV");
	unlike(a->body, "export.c", "... and sees nothing of it");
	a = get(TMGR, ip_strf("/export.json?from=2024-03-31&to=2024-03-31&user=%s", P));
	is_status(a, 200, "the manager exports a team member's day");
	is_str(ip_q("SELECT count(*) FROM audit_log WHERE action = 'report.view' AND actor_id = $1"
	    " AND target_id = $2 AND after->>'page' = 'export'", MGR, P, NULL), "1",
	    "... and the export is in the audit log");
	a = get(TP, "/me/data");
	is_status(a, 200, "my data (JSON)");
	is_str(ip_jstr(a, "looks.0.who"), ip_strf("datamgr %s", tag), "the person sees who looked");
	is_str(ip_jstr(a, "looks.0.page"), "export", "... at what");
	a = IP(dash, .path = "/me/data", .bearer = TP, .accept = "text/html");
	is_status(a, 200, "my data as a page");
	like(a->body, ip_strf("datamgr %s", tag), "... naming who looked");
	like(a->body, "action=\"/export.csv\"", "... with the export form");
	like(a->body, "action=\"/me/data/delete\"", "... and the delete form");
	unlike(a->body, "<script>|style=", "no inline script or style");
	is_status(IP(dash, .path = "/export.csv?from=2024-03-31&to=2024-03-31"), 303,
	    "anonymous browser: to the sign-in page");
}

static void
bad_ranges(void)
{
	is_error(get(TP, "/export.json?from=2024-04-02&to=2024-04-01"), 400, "to",
	    "a range that ends before it starts: 400");
	is_error(get(TP, "/export.json?to=2024-04-01"), 400, "from", "no start: 400");
	is_error(get(TP, "/export.json?from=2024-02-30&to=2024-04-01"), 400, "from",
	    "a start that is not a date: 400");
	is_error(get(TP, "/export.json?from=2000-01-01&to=2024-04-01"), 400, "to",
	    "more than 3,660 days: 400");
}

/* A task session of the person as the widget makes it: three events,
 * task 1 done (60 s, 20 of them paused), task 2 running. */
static void
task_fixture(void)
{
	static const char *const evs[][2] = {
		{ "NEXT", "5 minutes" }, { "PAUSE", "4 minutes 40 seconds" },
		{ "PAUSE", "4 minutes 20 seconds" }, { "NEXT", "4 minutes" },
	};

	/* One "now" for all four: each statement has its own now(), and a
	 * second ticking over between two would shift the timings. */
	const char *base = ip_q("SELECT date_trunc('second', now())", NULL);

	for (size_t i = 0; i < sizeof(evs) / sizeof(evs[0]); i++)
		is_str(ip_q("SELECT status FROM task_event($1, $2, $3,"
		    " $5::timestamptz - $4::interval, interval '60 minutes', NULL)",
		    P, ip_strf("%s-data-%zu", tag, i), evs[i][0], evs[i][1], base, NULL), "200",
		    ip_strf("task event %zu (%s) for the person", i + 1, evs[i][0]));
}

static void
everything(void)
{
	struct ip_resp *a;

	task_fixture();
	a = get(TP, "/me/data/everything.json");

	is_status(a, 200, "everything about me: 200");
	ok(a->json != NULL, "... one JSON document");
	like(ip_header(a, "Content-Disposition"), "^attachment", "... as a download");
	is_str(ip_jstr(a, "profile.account.email"), ip_strf("data.%s@example.com", tag),
	    "... with the account");
	is_str(ip_jstr(a, "profile.teams.0.team"), ip_strf("D %s", tag), "... the teams");
	is_int(json_array_size(ip_jget(a, "profile.devices")), 2, "... both devices");
	is_int(json_array_size(ip_jget(a, "activity")),
	    atoll(ip_q("SELECT count(*) FROM activity WHERE device_id IN ($1, $2)", D1, D2, NULL)),
	    "... and every stored span");
	unlike(a->body, "token_hash|hmac_secret|password", "... and no secrets");
	is_str(ip_jstr(a, "activity.0.device"), "laptop", "spans name their device");
	is_str(ip_strf("%zu %s %s %s", json_array_size(ip_jget(a, "task_sessions")),
	    ip_jstr(a, "task_sessions.0.task"), ip_jstr(a, "task_sessions.0.tasks_done"),
	    ip_jstr(a, "task_sessions.0.done_active_ms")), "1 2 1 40000",
	    "the task session: task 2 running, one done with 40 s active");
	is_str(ip_jstr(a, "task_sessions.0.id"),
	    ip_q("SELECT id FROM task_sessions WHERE user_id = $1", P, NULL), "... its id");
	is_str(ip_strf("%zu %s %s %s %s", json_array_size(ip_jget(a, "tasks")),
	    ip_jstr(a, "tasks.0.number"), ip_jstr(a, "tasks.0.raw_ms"),
	    ip_jstr(a, "tasks.0.paused_ms"), ip_jstr(a, "tasks.0.deleted")),
	    "1 1 60000 20000 false", "its task: 60 s raw, 20 paused, not deleted");
	is_str(ip_strf("%zu %s %s %s", json_array_size(ip_jget(a, "task_events")),
	    ip_jstr(a, "task_events.0.id"), ip_jstr(a, "task_events.1.type"),
	    ip_jstr(a, "task_events.3.task")), ip_strf("4 %s-data-0 PAUSE 2", tag),
	    "its four events as sent, in order, with the task each left running");
	like(ip_jstr(a, "task_events.0.at"), "^20[0-9-]{8}T[0-9:]{8}\\.000Z$",
	    "... times as the API writes them");
	is_str(ip_jstr(a, "task_events.0.session_id"), ip_jstr(a, "task_sessions.0.id"),
	    "... naming their session");
}

static void
delete_range(void)
{
	struct ip_resp *a;
	const char *before;

	a = IP(dash, .method = "POST", .path = "/me/data/delete", .bearer = TP,
	    .accept = "application/json", .json = "{\"from\":\"2024-03-31\",\"to\":\"2024-03-31\"}");
	is_error(a, 400, "confirm", "no confirmation: 400 naming the field");
	is_int(ip_jint(get(TP, "/day/2024-03-31"), "totals.active"), 230 * MIN, "... nothing deleted");
	a = IP(dash, .method = "POST", .path = "/me/data/delete", .bearer = TP,
	    .accept = "application/json", .json = "{\"confirm\":\"delete\"}");
	is_error(a, 400, "from", "no range and not everything: 400");

	before = ip_q("SELECT count(*) FROM activity WHERE device_id IN ($1, $2)", D1, D2, NULL);
	a = IP(dash, .method = "POST", .path = "/me/data/delete", .bearer = TP,
	    .accept = "application/json",
	    .json = "{\"from\":\"2024-03-31\",\"to\":\"2024-03-31\",\"confirm\":\"delete\"}");
	is_status(a, 200, "delete 2024-03-31: 200");
	ok(ip_jint(a, "deleted") > 0, "... saying how many spans");
	is_int(ip_jint(get(TP, "/day/2024-03-31"), "totals.tracked"), 0, "the day is empty");
	is_int(ip_jint(get(TP, "/day/2024-03-30"), "totals.active"), 90 * MIN,
	    "the day before keeps its part of the span that ran in");
	is_int(ip_jint(get(TP, "/day/2024-04-01"), "totals.active"), 30 * MIN,
	    "the day after keeps its part of the span that ran out");
	ok(atoll(ip_q("SELECT count(*) FROM activity WHERE device_id IN ($1, $2)", D1, D2, NULL)) <
	    atoll(before), "spans are gone from the database");
	is_str(ip_q("SELECT count(*) FROM audit_log WHERE action = 'activity.delete'"
	    " AND actor_id = $1", P, NULL), "1", "the deletion is in the audit log");

	a = IP(dash, .method = "POST", .path = "/me/data/delete", .bearer = TP,
	    .accept = "application/json", .json = "{\"all\":true,\"confirm\":\"delete\"}");
	is_status(a, 200, "delete everything: 200");
	is_str(ip_q("SELECT count(*) FROM activity WHERE device_id IN ($1, $2)", D1, D2, NULL), "0",
	    "nothing of the person's activity is left");
	is_int(ip_jint(get(TP, "/export.json?from=2024-01-01&to=2024-12-31"), "totals.segments"), 0,
	    "an export finds nothing");
}

/* A browser: the form again with the message next to the field and the
 * days typed kept; with the confirmation, back to the page. */
static void
form(void)
{
	struct ip_jar *b = ip_browser("data");
	const char *email = ip_strf("datab.%s@example.com", tag), *csrf;
	struct ip_resp *a;

	make_user(email, "Daten Browser", "Granite-Meadow-Falcon-71", "member");
	login(b, email, "Granite-Meadow-Falcon-71");
	a = IP(dash, .path = "/me/data", .jar = b);
	is_status(a, 200, "the page in a browser");
	csrf = ip_csrf(a);
	ok(csrf != NULL, "... with a CSRF token in its forms");
	a = IP(dash, .method = "POST", .path = "/me/data/delete", .jar = b,
	    .form = ip_strf("csrf=%s&from=2024-03-31&to=2024-03-31&confirm=yes",
	    ip_urlenc(csrf ? csrf : "")));
	is_status(a, 400, "a wrong confirmation: 400");
	like(field_error(a, "confirm"), "type delete", "... next to the field");
	like(a->body, "value=\"2024-03-31\"", "... the days typed kept");
	like(a->body, "Who looked at my reports", "... on the whole page");
	a = IP(dash, .method = "POST", .path = "/me/data/delete", .jar = b,
	    .form = ip_strf("csrf=%s&from=2024-03-31&to=2024-03-31&confirm=delete",
	    ip_urlenc(csrf ? csrf : "")));
	is_status(a, 303, "confirmed: back to the page");
	like(ip_header(a, "Location"), "^/me/data\\?deleted=0$", "... saying what was deleted");
	a = IP(dash, .method = "POST", .path = "/me/data/delete", .jar = b,
	    .form = "from=2024-03-31&to=2024-03-31&confirm=delete");
	is_status(a, 403, "without the CSRF token: refused");
}

/* One bulk read at a time per person: while an export of P's holds the
 * lock (here the fixture's connection holds it), P's exports, everything
 * file and nothing else are refused with 429; another person's are not;
 * and the lock is let go after each export, so the next one runs. */
static void
one_export_at_a_time(void)
{
	const char *csv = "/export.csv?from=2024-03-30&to=2024-04-01";
	struct ip_resp *a;

	ip_q("SELECT pg_advisory_lock(7242012, ($1::bigint % 2147483647)::integer)", P, NULL);
	a = IP(dash, .path = csv, .bearer = TP, .accept = "text/csv");
	is_error(a, 429, "", "an export while one of P's runs: 429");
	like(a->body, "an export of yours is still running", "... saying why");
	is_str(ip_header(a, "Retry-After"), "10", "... and when to try again");
	is_error(get(TP, "/me/data/everything.json"), 429, "", "... the everything file too");
	is_status(get(TP, "/day/2024-03-31"), 200, "P's pages still answer");
	is_status(IP(dash, .path = ip_strf("/export.csv?from=2024-03-30&to=2024-04-01&user=%s", P),
	    .bearer = TMGR, .accept = "text/csv"), 200,
	    "a manager's export of P's days is not held up: the lock is the viewer's");
	ip_q("SELECT pg_advisory_unlock(7242012, ($1::bigint % 2147483647)::integer)", P, NULL);
	is_status(IP(dash, .path = csv, .bearer = TP, .accept = "text/csv"), 200,
	    "once it is done: 200");
	is_status(IP(dash, .path = csv, .bearer = TP, .accept = "text/csv"), 200,
	    "... and again (each export lets the lock go)");
	is_str(ip_q("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = 7242012",
	    NULL), "0", "no export lock is left behind");
}

int
main(void)
{
	if (ip_init("report_data") != 0)
		return 0;
	tag = ip_tag();
	fixtures();
	csv_export();
	csv_separators();
	json_export();
	access();
	bad_ranges();
	everything();
	one_export_at_a_time();
	delete_range();
	form();
	return ip_done();
}
