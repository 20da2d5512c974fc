/* The team page in process: each member's status from their devices,
 * hours today and this week, shares, first and last activity and the
 * team's medians, on data written for today; the figures agree with each
 * person's own day and week pages; a member in another time zone is
 * shown in the viewer's; names in any script; who may open which team;
 * the audited look; the page, its JSON twin and the teams list. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dash.h"
#include "check.h"

static const struct wt_app *dash = &dash_app;
static const char *tag, *TODAY, *TEAM, *TEAM2;
static const char *MGR, *A, *B, *C, *D, *OUT, *MGR2, *ADM;
static const char *TMGR, *TA, *TMGR2, *TADM;

#define MIN	60000LL

static const char *
person(const char *who, const char *name, const char *role, const char *tz)
{
	long long id = ip_user(ip_strf("%s.%s@example.com", who, tag), ip_strf("%s %s", name, tag),
	    role, NULL);

	ip_exec("UPDATE users SET timezone = $1 WHERE id = $2", tz, ip_strf("%lld", id), NULL);
	return ip_strf("%lld", id);
}

static const char *
device(const char *user, const char *last_seen)
{
	return ip_q("INSERT INTO devices (user_id, name, last_seen_at) VALUES ($1, 'laptop',"
	    " now() - $2::interval) RETURNING id", user, last_seen, NULL);
}

/* A span today at local hh:mm in Europe/Berlin (the manager's zone). */
static void
span(const char *dev, const char *hhmm, int minutes, const char *w, int afk)
{
	ip_exec("INSERT INTO activity (started_at, device_id, duration_ms, window_id, afk)"
	    " VALUES (($1::date + $2::time) AT TIME ZONE 'Europe/Berlin', $3, $4::int * 60000, $5, $6)",
	    TODAY, hhmm, dev, ip_strf("%d", minutes), w, afk ? "true" : "false", NULL);
}

static struct ip_resp *
get(const char *token, const char *path)
{
	return IP(dash, .path = path, .bearer = token, .accept = "application/json");
}

/* The index of person id in the answer's members, -1 if absent. */
static int
idx(const struct ip_resp *a, const char *id)
{
	json_t *ms = ip_jget(a, "members");

	for (size_t i = 0; i < json_array_size(ms); i++)
		if (strcmp(ip_jstr(a, ip_strf("members.%zu.id", i)), id) == 0)
			return (int)i;
	return -1;
}

static const char *
mf(const struct ip_resp *a, const char *id, const char *path)
{
	return ip_jstr(a, ip_strf("members.%d.%s", idx(a, id), path));
}

static void
fixtures(void)
{
	const char *da, *db, *dc, *code, *tube;

	TODAY = ip_q("SELECT (now() AT TIME ZONE 'Europe/Berlin')::date::text", NULL);
	ip_exec("SELECT activity_ensure_partitions((now() - interval '8 days')::date, 2)", NULL);
	MGR = person("mgr", "Manager", "manager", "Europe/Berlin");
	A = person("a", "Zoë 漢字 🙂 Ⓚ\xe2\x84\xaa", "member", "Europe/Berlin");
	B = person("b", "Björn in Tokyo", "member", "Asia/Tokyo");
	C = person("c", "Chloé <offline>", "member", "America/New_York");
	D = person("d", "Dmitri (no device)", "member", "Europe/Berlin");
	OUT = person("out", "Outsider", "member", "Europe/Berlin");
	MGR2 = person("mgr2", "Other manager", "manager", "Europe/Berlin");
	ADM = person("adm", "Admin", "admin", "UTC");
	TMGR = ip_token(atoll(MGR));
	TA = ip_token(atoll(A));
	TMGR2 = ip_token(atoll(MGR2));
	TADM = ip_token(atoll(ADM));
	TEAM = ip_q("INSERT INTO teams (name) VALUES ($1) RETURNING id", ip_strf("Équipe 漢 %s", tag),
	    NULL);
	TEAM2 = ip_q("INSERT INTO teams (name) VALUES ($1) RETURNING id", ip_strf("Other %s", tag),
	    NULL);
	ip_exec("INSERT INTO team_members (team_id, user_id, role) VALUES ($1, $2, 'manager'),"
	    " ($1, $3, 'member'), ($1, $4, 'member'), ($1, $5, 'member'), ($1, $6, 'member')",
	    TEAM, MGR, A, B, C, D, NULL);
	ip_exec("INSERT INTO team_members (team_id, user_id, role) VALUES ($1, $2, 'manager'),"
	    " ($1, $3, 'member')", TEAM2, MGR2, OUT, NULL);

	code = ip_q("SELECT (windows_intern(ARRAY['code'], ARRAY[$1], ARRAY['']))[1]",
	    ip_strf("team.c — é 漢字 %s", tag), NULL);
	tube = ip_q("SELECT (windows_intern(ARRAY['firefox'], ARRAY[$1], ARRAY['']))[1]",
	    ip_strf("Talk - YouTube %s", tag), NULL);
	/* A: online; 08:00-10:00 and 10:00-11:00, 3 h worked. */
	da = device(A, "0 s");
	ip_exec("INSERT INTO device_presence (device_id, seen_at, idle) VALUES ($1, now(), false)",
	    da, NULL);
	span(da, "08:00", 120, code, 0);
	span(da, "10:00", 60, tube, 0);
	/* B, in Tokyo: idle; 09:00-10:00 Berlin time active, then 30 min
	 * away: 1 h worked, 67% of the tracked time active. */
	db = device(B, "0 s");
	ip_exec("INSERT INTO device_presence (device_id, seen_at, idle, idle_since)"
	    " VALUES ($1, now(), true, now())", db, NULL);
	span(db, "09:00", 60, code, 0);
	span(db, "10:00", 30, code, 1);
	/* C: a device last seen yesterday, nothing today. */
	dc = device(C, "1 day");
	(void)dc;
}

static void
figures(void)
{
	struct ip_resp *a = get(TMGR, ip_strf("/team/%s", TEAM));
	int ia = idx(a, A), ib = idx(a, B);

	is_status(a, 200, "the team's manager opens the team: 200");
	is_str(ip_jstr(a, "team.name"), ip_strf("Équipe 漢 %s", tag), "... its name, as written");
	is_str(ip_jstr(a, "today"), TODAY, "... today in the manager's zone");
	is_str(ip_jstr(a, "timezone"), "Europe/Berlin", "... drawn in the manager's zone");
	is_int(json_array_size(ip_jget(a, "members")), 5, "five members (the manager too)");
	ok(idx(a, OUT) < 0, "the other team's member is not listed");
	ok(ia >= 0 && ib >= 0, "A and B are listed");
	is_str(mf(a, A, "name"), ip_strf("Zoë 漢字 🙂 Ⓚ\xe2\x84\xaa %s", tag), "a name in any script, as written");

	is_str(mf(a, A, "status"), "online", "A: online (a heartbeat now)");
	is_str(mf(a, B, "status"), "idle", "B: idle (the agent says so)");
	is_str(mf(a, C, "status"), "offline", "C: offline (last seen yesterday)");
	is_str(mf(a, D, "status"), "never", "D: no device, never seen");
	is_int(ip_jint(a, "counts.online"), 1, "one online");
	is_int(ip_jint(a, "counts.idle"), 1, "one idle");

	is_int(atoll(mf(a, A, "today.worked")), 180 * MIN, "A worked 3 h today");
	is_str(mf(a, A, "today.text.worked"), "3 h 00 min", "... in words");
	is_str(mf(a, A, "today.first"), "08:00", "A's first activity");
	is_str(mf(a, A, "today.last"), "11:00", "A's last activity");
	is_str(mf(a, A, "today.active_share"), "100", "A: all tracked time active");
	is_int(atoll(mf(a, B, "today.worked")), 60 * MIN, "B worked 1 h today");
	is_str(mf(a, B, "today.first"), "09:00",
	    "B, in Tokyo, is shown in the viewer's zone (09:00 Berlin, 17:00 there)");
	is_str(mf(a, B, "timezone"), "Asia/Tokyo", "... with their own zone");
	is_str(mf(a, B, "today.active_share"), "67", "B: 1 h of 1 h 30 tracked active");
	is_str(mf(a, C, "today.first"), "null", "C: no first activity today");
	is_str(mf(a, C, "today.active_share"), "null", "C: no share without tracked time");

	is_int(ip_jint(a, "median.today_worked"), 120 * MIN,
	    "median worked today: of A and B, who worked (2 h)");
	is_int(ip_jint(a, "median.people_today"), 2, "... over two people");
	is_str(ip_jstr(a, "median.first"), "08:30", "median first activity");
	is_str(mf(a, A, "vs_median.text.today_worked"), "+1 h 00 min", "A: an hour above the median");
	is_str(mf(a, B, "vs_median.text.today_worked"), "\xe2\x88\x92" "1 h 00 min",
	    "B: an hour below");
	is_str(mf(a, A, "vs_median.text.first"), "30 min earlier", "A started 30 min earlier");
	is_str(mf(a, C, "vs_median.today_worked"), NULL, "C: nothing to compare");
	is_str(mf(a, A, "day"), ip_strf("/day/%s?user=%s", TODAY, A), "A's row opens A's day");
	is_str(ip_jstr(a, ip_strf("live.%s.today", A)), "3 h 00 min", "live: A's figure by id");
	is_str(ip_jstr(a, ip_strf("live.%s.active_share", B)), "67%", "live: B's share as shown");

	/* The same figures as each person's own pages, to the millisecond. */
	for (int i = 0; i < 5; i++) {
		const char *id = ip_jstr(a, ip_strf("members.%d.id", i));
		struct ip_resp *d = get(TMGR, ip_strf("/day/%s?user=%s", TODAY, id));
		struct ip_resp *w = get(TMGR, ip_strf("/week?user=%s", id));

		is_int(ip_jint(a, ip_strf("members.%d.today.worked", i)), ip_jint(d, "totals.worked"),
		    ip_strf("member %s: worked today as their day page", id));
		is_int(ip_jint(a, ip_strf("members.%d.today.active", i)), ip_jint(d, "totals.active"),
		    ip_strf("member %s: active today as their day page", id));
		is_int(ip_jint(a, ip_strf("members.%d.today.productive", i)),
		    ip_jint(d, "totals.productive"), ip_strf("member %s: productive as the day page", id));
		is_int(ip_jint(a, ip_strf("members.%d.week.worked", i)), ip_jint(w, "totals.worked"),
		    ip_strf("member %s: the week as their week page", id));
	}
	is_status(get(TMGR, ip_strf("/team/%s.json", TEAM)), 200, "the twin as /team/ID.json");
}

static void
access(void)
{
	const char *path = ip_strf("/team/%s", TEAM);

	is_status(IP(dash, .path = path, .accept = "application/json"), 401, "anonymous: 401");
	is_status(get(TA, path), 403, "a member, of the team even: 403");
	is_error(get(TMGR2, path), 404, "id", "the manager of another team: 404, as no team");
	is_status(get(TADM, path), 200, "an admin: 200");
	is_error(get(TMGR, "/team/999999999999"), 404, "id", "a team that does not exist: 404");
	is_error(get(TMGR, "/team/x"), 400, "id", "not a number: 400");
	unlike(get(TMGR2, path)->body, "Zo|Björn", "the refusal names nobody");
}

static void
audit(void)
{
	const char *n0, *n1, *seen = NULL;
	struct ip_resp *a;

	n0 = ip_q("SELECT count(*) FROM audit_log WHERE action = 'report.view' AND actor_id = $1"
	    " AND after->>'page' = 'team'", MGR, NULL);
	is_str(n0, "4", "the manager's look is audited for each other member (4)");
	is_str(ip_q("SELECT count(*) FROM audit_log WHERE action = 'report.view' AND actor_id = $1"
	    " AND target_id = $1", MGR, NULL), "0", "... not for themselves");
	get(TMGR, ip_strf("/team/%s", TEAM));
	n1 = ip_q("SELECT count(*) FROM audit_log WHERE action = 'report.view' AND actor_id = $1"
	    " AND after->>'page' = 'team'", MGR, NULL);
	is_str(n1, "4", "a refresh within ten minutes adds none");
	a = get(TA, "/me/data");
	for (size_t i = 0; i < json_array_size(ip_jget(a, "looks")); i++)
		if (strcmp(ip_jstr(a, ip_strf("looks.%zu.page", i)), "team") == 0)
			seen = ip_jstr(a, ip_strf("looks.%zu.who", i));
	is_str(seen, ip_strf("Manager %s", tag), "A sees the manager's look on their My data page");
}

/* The figures kept between requests (sql/018): exact while nothing they
 * come from changed; a change makes a member's row out of date, and it
 * is computed again (now when few are, after the answer when many). */
static void
kept(void)
{
	const char *q = "SELECT count(*) FROM team_today($1, 'Europe/Berlin', 0) WHERE NOT exact";
	const char *dev = ip_q("SELECT id FROM devices WHERE user_id = $1", A, NULL);
	const char *w = ip_q("SELECT window_id FROM activity WHERE device_id = $1 LIMIT 1", dev, NULL);
	struct ip_resp *a, *d;

	is_str(ip_q("SELECT count(*) FROM report_team_rows WHERE user_id IN"
	    " (SELECT user_id FROM team_members WHERE team_id = $1) AND tz = 'Europe/Berlin'",
	    TEAM, NULL), "5", "each member's row is kept");
	is_str(ip_q(q, TEAM, NULL), "0", "... and exact");
	span(dev, "06:00", 30, w, 0);
	is_str(ip_q(q, TEAM, NULL), "1", "new activity: A's row is out of date");
	is_str(ip_q("SELECT ((r).t_worked / 60000)::text FROM team_today($1, 'Europe/Berlin', 0)"
	    " WHERE user_id = $2", TEAM, A, NULL), "180", "... served as kept (3 h) when none are computed now");
	is_str(ip_q("SELECT team_today_refresh($1, 'Europe/Berlin')::text", TEAM, NULL), "1",
	    "the refresh computes the one");
	is_str(ip_q(q, TEAM, NULL), "0", "... all exact again");
	a = get(TMGR, ip_strf("/team/%s", TEAM));
	is_int(atoll(mf(a, A, "today.worked")), 210 * MIN,
	    "A: 06:00 to 11:00 less a break of 1 h 30 (the new half hour counts)");
	is_str(mf(a, A, "today.first"), "06:00", "... from 06:00");
	is_str(ip_jstr(a, "kept.out_of_date"), "0", "... nothing out of date");
	/* An open heartbeat span grows without touching activity. */
	ip_exec("UPDATE device_presence SET span_started_at = ($1::date + time '12:00')"
	    " AT TIME ZONE 'Europe/Berlin', span_duration_ms = 600000, span_window_id = $2,"
	    " span_afk = false WHERE device_id = $3", TODAY, w, dev, NULL);
	is_str(ip_q(q, TEAM, NULL), "1", "an open span grew: out of date");
	a = get(TMGR, ip_strf("/team/%s", TEAM));
	d = get(TMGR, ip_strf("/day/%s?user=%s", TODAY, A));
	is_int(atoll(mf(a, A, "today.worked")), ip_jint(d, "totals.worked"),
	    "one out of date is computed before the answer: the day page's figure");
	is_str(mf(a, A, "today.last"), "12:10", "... last activity the open span's end");
}

static void
page(void)
{
	struct ip_resp *a = IP(dash, .path = ip_strf("/team/%s", TEAM), .bearer = TMGR,
	    .accept = "text/html");

	is_status(a, 200, "the page");
	like(a->body, "Zoë 漢字 🙂", "a name in any script on the page");
	like(a->body, "Chloé &lt;offline&gt;", "a name is escaped");
	like(a->body, ip_strf("href=\"/day/%s\\?user=%s\"", TODAY, A), "a name opens the day");
	like(a->body, "Asia/Tokyo, [0-9]{2}:[0-9]{2} there", "another zone is named");
	like(a->body, ip_strf("data-live=\"/team/%s.json\"", TEAM), "live refresh from the twin");
	like(a->body, "<script src=\"/static/js/live.js\" defer></script>", "the script is a file");
	unlike(a->body, "<script>|style=|onclick", "no inline script or style");
	like(a->body, "Team median", "the median row");
	like(a->body, "href=\"/team\" aria-current=\"page\"", "the menu's Team link is current");
	unlike(IP(dash, .path = "/", .bearer = TA, .accept = "text/html")->body, "href=\"/team\"",
	    "a member's menu has no Team link");
}

static void
list(void)
{
	struct ip_resp *a = IP(dash, .path = "/team", .bearer = TMGR, .accept = "text/html");

	is_status(a, 303, "/team with one team: that team's page");
	is_str(ip_header(a, "Location"), ip_strf("/team/%s", TEAM), "... there");
	a = get(TMGR, "/team");
	is_int(json_array_size(ip_jget(a, "teams")), 1, "the manager's teams: one");
	is_int(ip_jint(a, "teams.0.members"), 5, "... of five");
	a = IP(dash, .path = "/team", .bearer = TADM, .accept = "text/html");
	is_status(a, 200, "an admin's list of every team");
	like(a->body, ip_strf("href=\"/team/%s\"", TEAM2), "... with the other team");
	is_status(get(TA, "/team"), 403, "a member: 403");
}

int
main(void)
{
	if (ip_init("team") != 0)
		return 0;
	tag = ip_tag();
	fixtures();
	figures();
	access();
	audit();
	kept();
	page();
	list();
	return ip_done();
}
