/* A team's working hours in process: per person per day, as a page, its
 * JSON twin and the payroll CSV, on fixed data: the DST day of Europe/
 * Berlin (23 hours, a span across the missing hour), a break, a member
 * in New York seen in the viewer's zone, names a spreadsheet would run.
 * The CSV's seconds add up to the page's totals to the millisecond, and
 * each cell is the person's own day page. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "dash.h"
#include "check.h"
#include "csvread.h"

static const struct wt_app *dash = &dash_app;
static const char *tag, *TEAM, *MGR, *P, *Q, *TMGR, *TP, *TMGR2;

#define MIN	60000LL
#define FROM	"2024-03-29"
#define TO	"2024-04-01"

static const char *
person(const char *who, const char *name, const char *role, const char *tz)
{
	long long id = ip_user(ip_strf("%s.%s@example.com", who, tag), name, role, NULL);

	ip_exec("UPDATE users SET timezone = $1 WHERE id = $2", tz, ip_strf("%lld", id), NULL);
	return ip_strf("%lld", id);
}

static struct ip_resp *
get(const char *token, const char *path)
{
	return IP(dash, .path = path, .bearer = token, .accept = "application/json");
}

static void
fixtures(void)
{
	const char *dp, *dq, *w, *team2, *mgr2;

	ip_exec("SELECT activity_ensure_partitions('2024-03-01', 2)", NULL);
	MGR = person("hmgr", ip_strf("Hours manager %s", tag), "manager", "Europe/Berlin");
	P = person("hp", ip_strf("Paulé 漢字 %s", tag), "member", "Europe/Berlin");
	Q = person("hq", ip_strf("=HYPERLINK(1) Quinn, \"Q\" %s", tag), "member", "America/New_York");
	mgr2 = person("hmgr2", ip_strf("Other %s", tag), "manager", "Europe/Berlin");
	TMGR = ip_token(atoll(MGR));
	TP = ip_token(atoll(P));
	TMGR2 = ip_token(atoll(mgr2));
	TEAM = ip_q("INSERT INTO teams (name) VALUES ($1) RETURNING id", ip_strf("Hours %s", tag),
	    NULL);
	team2 = ip_q("INSERT INTO teams (name) VALUES ($1) RETURNING id",
	    ip_strf("Hours other %s", tag), NULL);
	ip_exec("INSERT INTO team_members (team_id, user_id, role) VALUES ($1, $2, 'manager'),"
	    " ($1, $3, 'member'), ($1, $4, 'member'), ($5, $6, 'manager')", TEAM, MGR, P, Q,
	    team2, mgr2, NULL);
	w = ip_q("SELECT (windows_intern(ARRAY['code'], ARRAY[$1], ARRAY['']))[1]",
	    ip_strf("hours.c %s", tag), NULL);
	dp = ip_q("INSERT INTO devices (user_id, name) VALUES ($1, 'p') RETURNING id", P, NULL);
	dq = ip_q("INSERT INTO devices (user_id, name) VALUES ($1, 'q') RETURNING id", Q, NULL);
	/* P, Friday: 8 h straight. */
	ip_span(dp, "2024-03-29 09:00+01", 480, w, 0);
	/* P, Sunday 2024-03-31, Berlin's clocks go forward at 02:00: 01:30
	 * to 03:30 on the clock is one hour. */
	ip_span(dp, "2024-03-31 01:30+01", 60, w, 0);
	/* Q (New York): 09:00-10:00 and 10:30-11:30 Berlin time, a 30-minute
	 * break between (the threshold is 15): 2 h worked, 2 h 30 first to
	 * last. */
	ip_span(dq, "2024-03-29 09:00+01", 60, w, 0);
	ip_span(dq, "2024-03-29 10:30+01", 60, w, 0);
	/* Q, Monday: 23:30 to 00:30 Berlin, across midnight: half an hour
	 * on each day (the 31st and 1st). */
	ip_span(dq, "2024-03-31 23:30+02", 60, w, 0);
}

static void
page_json(void)
{
	struct ip_resp *a = get(TMGR, ip_strf("/team/%s/hours?from=" FROM "&to=" TO, TEAM));
	long long sum = 0;
	int ip = -1, iq = -1;

	is_status(a, 200, "working hours of the team: 200");
	is_int(json_array_size(ip_jget(a, "days")), 4, "four days");
	is_int(json_array_size(ip_jget(a, "people")), 3, "three people (the manager too)");
	for (int i = 0; i < 3; i++) {
		const char *id = ip_jstr(a, ip_strf("people.%d.id", i));

		if (strcmp(id, P) == 0)
			ip = i;
		if (strcmp(id, Q) == 0)
			iq = i;
	}
	ok(ip >= 0 && iq >= 0, "P and Q are there");
	is_int(ip_jint(a, ip_strf("people.%d.days.0.worked", ip)), 480 * MIN, "P, Friday: 8 h");
	is_str(ip_jstr(a, ip_strf("people.%d.days.0.hmm", ip)), "8:00", "... 8:00");
	is_int(ip_jint(a, ip_strf("people.%d.days.2.worked", ip)), 60 * MIN,
	    "P, the DST day: 01:30 to 03:30 is one hour");
	is_str(ip_jstr(a, ip_strf("people.%d.days.2.first", ip)), "01:30", "... first 01:30");
	is_str(ip_jstr(a, ip_strf("people.%d.days.2.last", ip)), "03:30", "... last 03:30");
	is_str(ip_jstr(a, ip_strf("people.%d.total.hmm", ip)), "9:00", "P's total: 9:00");
	is_int(ip_jint(a, ip_strf("people.%d.days.0.worked", iq)), 120 * MIN,
	    "Q, Friday: 2 h worked (a 30-minute break)");
	is_str(ip_jstr(a, ip_strf("people.%d.days.0.first", iq)), "09:00",
	    "Q in New York is shown in the viewer's zone");
	is_int(ip_jint(a, ip_strf("people.%d.days.0.breaks", iq)), 1, "... one break");
	is_int(ip_jint(a, ip_strf("people.%d.days.2.worked", iq)), 30 * MIN,
	    "Q, Sunday: the half hour before midnight");
	is_int(ip_jint(a, ip_strf("people.%d.days.3.worked", iq)), 30 * MIN,
	    "Q, Monday: the half hour after");
	is_str(ip_jstr(a, ip_strf("people.%d.total.hours", iq)), "3.00", "Q's total: 3.00 h");

	/* Each cell is the person's own day page, to the millisecond. */
	for (int i = 0; i < 3; i++)
		for (int d = 0; d < 4; d++) {
			const char *id = ip_jstr(a, ip_strf("people.%d.id", i));
			const char *date = ip_jstr(a, ip_strf("people.%d.days.%d.date", i, d));
			struct ip_resp *day = get(TMGR, ip_strf("/day/%s?user=%s", date, id));

			is_int(ip_jint(a, ip_strf("people.%d.days.%d.worked", i, d)),
			    ip_jint(day, "totals.worked"), ip_strf("%s, %s: the day page's", id, date));
			sum += ip_jint(a, ip_strf("people.%d.days.%d.worked", i, d));
		}
	is_int(ip_jint(a, "total.worked"), sum, "the total is the sum of the cells");
	is_int(sum, (480 + 60 + 120 + 60) * MIN, "... 12 h");
	is_str(ip_jstr(a, "csv"), ip_strf("/team/%s/hours.csv?from=" FROM "&to=" TO, TEAM),
	    "the CSV of the same range");
}

static void
csv(void)
{
	struct ip_resp *a = IP(dash, .path = ip_strf("/team/%s/hours.csv?from=" FROM "&to=" TO,
	    TEAM), .bearer = TMGR, .accept = "text/csv");
	struct ip_resp *pg = get(TMGR, ip_strf("/team/%s/hours?from=" FROM "&to=" TO, TEAM));
	const char *p;
	char *cell[16];
	int n, rows = 0, dst_ok = 0, name_ok = 0;
	long long per[3] = { 0 };

	is_status(a, 200, "the payroll CSV: 200");
	like(ip_header(a, "Content-Type"), "^text/csv", "... text/csv");
	like(ip_header(a, "Content-Disposition"),
	    ip_strf("^attachment; filename=\"hours-team%s-" FROM "-" TO ".csv\"", TEAM),
	    "... as a download");
	is_str(ip_header(a, "Content-Length"), NULL, "... streamed");
	p = a->body;
	n = csv_record(&p, cell, 16);
	is_int(n, 11, "eleven columns");
	is_str(n == 11 ? cell[8] : NULL, "worked_hours", "... hours as a decimal");
	is_str(n == 11 ? cell[9] : NULL, "worked_hmm", "... and as h:mm");
	while ((n = csv_record(&p, cell, 16)) > 0) {
		rows++;
		if (n != 11)
			continue;
		for (int i = 0; i < 3; i++)
			if (strcmp(cell[0], ip_jstr(pg, ip_strf("people.%d.id", i))) == 0)
				per[i] += csv_ms(cell[10]);
		if (strcmp(cell[0], P) == 0 && strcmp(cell[3], "2024-03-31") == 0)
			dst_ok = strcmp(cell[4], "01:30") == 0 && strcmp(cell[5], "03:30") == 0 &&
			    strcmp(cell[8], "1.00") == 0 && strcmp(cell[9], "1:00") == 0 &&
			    strcmp(cell[10], "3600.000") == 0;
		if (strcmp(cell[0], Q) == 0)
			name_ok = strcmp(cell[1], ip_strf("'=HYPERLINK(1) Quinn, \"Q\" %s", tag)) == 0;
		if (strcmp(cell[0], Q) == 0 && strcmp(cell[3], "2024-03-29") == 0)
			is_str(ip_strf("%s %s %s %s %s", cell[4], cell[5], cell[6], cell[7], cell[9]),
			    "09:00 11:30 1 0:30 2:00", "Q, Friday: first, last, a break of 0:30, 2:00");
	}
	is_int(rows, 12, "a row per person per day (3 x 4), days without work too");
	ok(dst_ok, "the DST day: 01:30 to 03:30, 1.00 h, 1:00, 3600.000 s");
	ok(name_ok, "a name a spreadsheet would run starts with ' (and keeps its comma and quotes)");
	for (int i = 0; i < 3; i++)
		is_int(per[i], ip_jint(pg, ip_strf("people.%d.total.worked", i)),
		    ip_strf("person %d: the CSV's seconds add up to the page's total to the ms", i));
	like(a->body, "\r\n$", "the last line is whole");
}

static void
page_html(void)
{
	struct ip_resp *a = IP(dash, .path = ip_strf("/team/%s/hours?from=" FROM "&to=" TO, TEAM),
	    .bearer = TMGR, .accept = "text/html");

	is_status(a, 200, "the page");
	like(a->body, ip_strf("href=\"/day/2024-03-31\\?user=%s\"", P), "a cell opens its day");
	like(a->body, "Paulé 漢字", "a name in any script");
	like(a->body, "=HYPERLINK\\(1\\) Quinn, &quot;Q&quot;", "a name escaped");
	like(a->body, ip_strf("href=\"/team/%s/hours.csv\\?from=" FROM "&amp;to=" TO "\"", TEAM),
	    "the CSV link");
	like(a->body, "value=\"" FROM "\"", "the range in the form");
	unlike(a->body, "<script>|style=", "no inline script or style");
	a = IP(dash, .path = ip_strf("/team/%s/hours?from=2024-04-02&to=2024-04-01", TEAM),
	    .bearer = TMGR, .accept = "text/html");
	is_status(a, 400, "a range that ends before it starts: 400 as a page");
	like(a->body, "class=\"field-error\" id=\"e-from\"", "... the message next to From");
	like(a->body, "value=\"2024-04-02\"", "... what was typed is kept");
	like(a->body, ip_strf("action=\"/team/%s/hours\"", TEAM), "... on the team's form");
}

static void
rules(void)
{
	const char *path = ip_strf("/team/%s/hours?from=" FROM "&to=" TO, TEAM);
	struct ip_resp *a;

	is_error(get(TMGR, ip_strf("/team/%s/hours?from=2024-04-02&to=2024-04-01", TEAM)), 400,
	    "from", "from after to: 400");
	is_error(get(TMGR, ip_strf("/team/%s/hours?from=2024-01-01&to=2024-04-01", TEAM)), 400,
	    "to", "a page of more than 62 days: 400");
	is_status(IP(dash, .path = ip_strf("/team/%s/hours.csv?from=2024-01-01&to=2024-04-01",
	    TEAM), .bearer = TMGR), 200, "... the CSV takes a quarter");
	is_error(get(TMGR, ip_strf("/team/%s/hours.csv?from=2023-01-01&to=2024-04-01", TEAM)), 400,
	    "to", "... not more than 366 days");
	is_error(get(TMGR, ip_strf("/team/%s/hours?from=2024-02-30", TEAM)), 400, "from",
	    "not a date: 400");
	a = get(TMGR, ip_strf("/team/%s/hours", TEAM));
	is_status(a, 200, "no range: this month");
	like(ip_jstr(a, "from"), "-01$", "... from the first");
	is_str(ip_jstr(a, "to"), ip_q("SELECT (now() AT TIME ZONE 'Europe/Berlin')::date::text", NULL),
	    "... to today");
	is_status(get(TP, path), 403, "a member: 403");
	is_error(get(TMGR2, path), 404, "id", "another team's manager: 404");
	is_status(IP(dash, .path = ip_strf("/team/%s/hours.csv?from=" FROM "&to=" TO, TEAM),
	    .bearer = TMGR2), 404, "... nor the CSV");
	is_status(IP(dash, .path = path, .accept = "application/json"), 401, "anonymous: 401");
	is_str(ip_q("SELECT count(DISTINCT target_id) FROM audit_log WHERE action = 'report.view'"
	    " AND actor_id = $1 AND after->>'page' = 'hours'", MGR, NULL), "2",
	    "the manager's look is audited for each member (not themselves)");
}

/* A range that ends after today: the past from report_days, today from
 * the row the team page keeps (and refreshes after the answer when it is
 * out of date), later days empty; every cell still the day page's. */
static void
today_and_later(void)
{
	const char *dp = ip_q("SELECT id FROM devices WHERE user_id = $1", P, NULL);
	const char *w = ip_q("SELECT window_id FROM activity WHERE device_id = $1 LIMIT 1", dp, NULL);
	const char *today = ip_q("SELECT (now() AT TIME ZONE 'Europe/Berlin')::date::text", NULL);
	const char *yday = ip_q("SELECT ($1::date - 1)::text", today, NULL);
	const char *tmrw = ip_q("SELECT ($1::date + 1)::text", today, NULL);
	const char *path = ip_strf("/team/%s/hours?from=%s&to=%s", TEAM, yday, tmrw);
	const char *ip = "people.none";
	struct ip_resp *a, *day;

	/* Ten minutes from base and from base + 30: a break of 20 between.
	 * base is 50 minutes ago, but never before Berlin's midnight, so the
	 * spans are today's whenever the test runs. */
	const char *base = ip_q("SELECT greatest(now() - interval '50 minutes',"
	    " date_trunc('day', now() AT TIME ZONE 'Europe/Berlin') AT TIME ZONE 'Europe/Berlin')::text",
	    NULL);

	ip_exec("INSERT INTO activity (started_at, device_id, duration_ms, window_id, afk)"
	    " VALUES ($3::timestamptz, $1, 600000, $2, false),"
	    " ($3::timestamptz + interval '30 minutes', $1, 600000, $2, false)", dp, w, base, NULL);
	a = get(TMGR, path);
	is_status(a, 200, "yesterday to tomorrow: 200");
	for (int i = 0; i < 3; i++)
		if (strcmp(ip_jstr(a, ip_strf("people.%d.id", i)), P) == 0)
			ip = ip_strf("people.%d", i);
	day = get(TMGR, ip_strf("/day/%s?user=%s", today, P));
	is_str(ip_jstr(a, ip_strf("%s.days.1.date", ip)), today, "the second day is today");
	is_int(ip_jint(a, ip_strf("%s.days.1.worked", ip)), ip_jint(day, "totals.worked"),
	    "P today: the day page's time worked");
	is_str(ip_jstr(a, ip_strf("%s.days.1.breaks", ip)),
	    ip_q("SELECT breaks::text FROM report_days($1, $2::date, $2::date, 'Europe/Berlin')",
	    P, today, NULL), "... and report_days' breaks");
	is_str(ip_q("SELECT count(*) FROM report_team_rows WHERE user_id = $1"
	    " AND tz = 'Europe/Berlin' AND day = $2::date", P, today, NULL), "1",
	    "today's figures are the team page's kept row");
	is_int(ip_jint(a, ip_strf("%s.days.2.worked", ip)), 0, "tomorrow: nothing");
	is_str(ip_jstr(a, ip_strf("%s.days.2.first", ip)), "", "... no first activity");

	/* Another span: the kept row is out of date; one such row is
	 * computed before the answer, as on the team page. */
	ip_exec("INSERT INTO activity (started_at, device_id, duration_ms, window_id, afk)"
	    " VALUES ($3::timestamptz + interval '45 minutes', $1, 120000, $2, false)", dp, w, base,
	    NULL);
	a = get(TMGR, path);
	day = get(TMGR, ip_strf("/day/%s?user=%s", today, P));
	is_int(ip_jint(a, ip_strf("%s.days.1.worked", ip)), ip_jint(day, "totals.worked"),
	    "a new span: today's time worked is the day page's at once");
	ok(ip_jint(day, "totals.worked") > 20 * MIN, "... which counts it");
	ip_exec("DELETE FROM activity WHERE device_id = $1 AND started_at >= $2::timestamptz",
	    dp, base, NULL);
}

/* A first view of days nobody opened: the page answers after
 * reports.compute_ms with the people it has, says how many are still
 * being worked out, and computes them after the answer. */
static void
pending(void)
{
	const char *path = ip_strf("/team/%s/hours?from=" FROM "&to=" TO, TEAM);
	long long budget = wt_cfg.reports_compute_ms;
	const char *kept = "SELECT count(*) FROM report_day_cache WHERE tz = 'Europe/Berlin'"
	    " AND day BETWEEN '" FROM "' AND '" TO "' AND user_id IN"
	    " (SELECT user_id FROM team_members WHERE team_id = $1)";
	struct ip_resp *a, *h;

	ip_exec("DELETE FROM report_day_cache WHERE user_id IN"
	    " (SELECT user_id FROM team_members WHERE team_id = $1)", TEAM, NULL);
	wt_cfg.reports_compute_ms = 0;	/* (below the key's minimum: always over) */
	a = get(TMGR, path);
	is_status(a, 200, "over the budget: 200 all the same");
	is_int(ip_jint(a, "pending"), 2, "... the first person's days, the other two pending");
	is_str(ip_jstr(a, "people.1.pending"), "true", "... marked so");
	is_int(json_array_size(ip_jget(a, "people.1.days")), 0, "... without days");
	is_str(ip_q(kept, TEAM, NULL), "12", "after the answer every person's four days are kept");
	ip_exec("DELETE FROM report_day_cache WHERE user_id IN"
	    " (SELECT user_id FROM team_members WHERE team_id = $1)", TEAM, NULL);
	h = IP(dash, .path = path, .bearer = TMGR);
	wt_cfg.reports_compute_ms = budget;
	like(h->body, "The days of 2 of 3 people had not been opened before", "the page says so");
	like(h->body, "still being worked out", "... in their rows");
	a = get(TMGR, path);
	is_int(ip_jint(a, "pending"), 0, "the next view has them all");
	is_int(ip_jint(a, "total.worked"), (480 + 60 + 120 + 60) * MIN, "... 12 h, as before");
}

int
main(void)
{
	if (ip_init("hours") != 0)
		return 0;
	tag = ip_tag();
	fixtures();
	page_json();
	csv();
	page_html();
	rules();
	today_and_later();
	pending();
	return ip_done();
}
