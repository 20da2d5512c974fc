/* Week and month in process, on fixed data: a bar per day, totals that
 * are the sum of the days (each day as its own page shows it), the
 * comparison with the week before and with the median of the four weeks
 * before, and the biggest changes in words. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dash.h"
#include "check.h"

static const struct wt_app *dash = &dash_app;
static const char *tag, *W, *TW, *DEV, *CODE, *CHAT;

#define MIN	60000LL

static void
span(const char *start, int minutes, const char *w)
{
	ip_exec("INSERT INTO activity (started_at, device_id, duration_ms, window_id, afk)"
	    " VALUES ($1::timestamptz, $2, $3::int * 60000, $4, false)", start, DEV,
	    ip_strf("%d", minutes), w, NULL);
}

static struct ip_resp *
get(const char *path)
{
	return IP(dash, .path = path, .bearer = TW, .accept = "application/json");
}

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; p != NULL && (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

static void
fixtures(void)
{
	long long id;

	ip_exec("SELECT activity_ensure_partitions('2024-02-01', 3)", NULL);
	id = ip_user(ip_strf("week.%s@example.com", tag), ip_strf("Wöchner %s", tag), "member", NULL);
	W = ip_strf("%lld", id);
	ip_exec("UPDATE users SET timezone = 'Europe/Berlin' WHERE id = $1", W, NULL);
	TW = ip_token(id);
	DEV = ip_q("INSERT INTO devices (user_id, name) VALUES ($1, 'w') RETURNING id", W, NULL);
	CODE = ip_q("SELECT (windows_intern(ARRAY['code'], ARRAY[$1], ARRAY['']))[1]",
	    ip_strf("period.c %s", tag), NULL);
	CHAT = ip_q("SELECT (windows_intern(ARRAY['slack'], ARRAY[$1], ARRAY['']))[1]",
	    ip_strf("#team | Slack %s", tag), NULL);
	/* The four weeks before the week of 2024-03-25: 60, 120, 180 and
	 * 240 + 30 minutes (median 150). */
	span("2024-02-26 09:00+01", 60, CODE);
	span("2024-03-04 09:00+01", 120, CODE);
	span("2024-03-11 09:00+01", 180, CODE);
	span("2024-03-18 09:00+01", 240, CODE);
	span("2024-03-19 09:00+01", 30, CHAT);
	/* The week: 200 minutes of code on Monday, 130 of chat on Tuesday. */
	span("2024-03-25 09:00+01", 200, CODE);
	span("2024-03-26 09:00+01", 130, CHAT);
}

static void
week(void)
{
	struct ip_resp *a = get("/week/2024-03-27"), *d;
	long long sum = 0;

	is_status(a, 200, "the week of 2024-03-27: 200");
	is_str(ip_jstr(a, "period.from"), "2024-03-25", "... starts on Monday");
	is_str(ip_jstr(a, "period.to"), "2024-03-31", "... ends on Sunday");
	is_int(json_array_size(ip_jget(a, "days")), 7, "... seven days");
	for (int i = 0; i < 7; i++) {
		const char *date = ip_jstr(a, ip_strf("days.%d.date", i));

		d = get(ip_strf("/day/%s", date));
		is_int(ip_jint(a, ip_strf("days.%d.active", i)), ip_jint(d, "totals.active"),
		    ip_strf("%s: the week's bar is the day page's active time", date));
		sum += ip_jint(a, ip_strf("days.%d.active", i));
	}
	is_int(ip_jint(a, "totals.active"), sum, "the week's total is the sum of its days");
	is_int(ip_jint(a, "totals.active"), 330 * MIN, "... 5 h 30");
	is_int(ip_jint(a, "totals.days_worked"), 2, "two days with activity");
	is_int(ip_jint(a, "previous.active"), 270 * MIN, "the week before: 4 h 30");
	is_int(ip_jint(a, "usual.active"), 150 * MIN, "the median of the four weeks before: 2 h 30");
	is_str(ip_jstr(a, "insights.0"), "Worked 5 h 30 min, up 1 h 00 min on last week.",
	    "insight: time worked against last week");
	is_str(ip_jstr(a, "insights.1"),
	    "Active time up 3 h 00 min on your usual (the median of the 4 weeks before).",
	    "insight: against the four-week median");
	is_str(ip_jstr(a, "insights.3"), "Communication up 1 h 40 min on last week.",
	    "insight: the biggest change named");
	is_str(ip_jstr(a, "insights.4"), "Work down 40 min on last week.", "... then the next");
	is_str(ip_jstr(a, "period.prev"), "2024-03-18", "previous week");
	is_str(ip_jstr(a, "period.next"), "2024-04-01", "next week");

	a = IP(dash, .path = "/week/2024-03-25", .bearer = TW, .accept = "text/html");
	is_status(a, 200, "the week as a page");
	is_int(count(a->body, "<g class=\"day\">"), 7, "seven day bars in the SVG");
	is_int(count(a->body, "<rect class=\"seg\""), 2, "two stacked segments (Monday, Tuesday)");
	like(a->body, "href=\"/day/2024-03-26\"", "a day's bar opens the day");
	like(a->body, "Communication up 1 h 40 min on last week", "the insight on the page");
	unlike(a->body, "<script>|style=", "no inline script or style");

	a = get("/week");
	is_status(a, 200, "/week: this week");
	ok(json_array_size(ip_jget(a, "days")) == 7, "... seven days");
	is_str(ip_jstr(a, "period.next"), NULL, "... and no next week yet");
}

static void
month(void)
{
	struct ip_resp *a = get("/month/2024-03-09");

	is_status(a, 200, "March 2024: 200");
	is_str(ip_jstr(a, "period.from"), "2024-03-01", "... from the 1st");
	is_str(ip_jstr(a, "period.to"), "2024-03-31", "... to the 31st");
	is_int(json_array_size(ip_jget(a, "days")), 31, "... 31 days");
	is_int(ip_jint(a, "totals.active"), (120 + 180 + 240 + 30 + 200 + 130) * MIN,
	    "... every span of March");
	is_int(ip_jint(a, "previous.active"), 60 * MIN, "February had one hour");
	a = IP(dash, .path = "/month/2024-03-09", .bearer = TW, .accept = "text/html");
	is_int(count(a->body, "<g class=\"day\">"), 31, "31 day bars");
	like(a->body, "March 2024", "titled with the month");
	a = get("/month/2024-02-29");
	is_int(json_array_size(ip_jget(a, "days")), 29, "February 2024 has 29 days");
	is_error(get("/month/2024-02-30"), 400, "date", "a date that does not exist: 400");
	is_status(IP(dash, .path = "/month", .accept = "application/json"), 401,
	    "anonymous: 401");
}

/* The far end of the calendar: the pages add days to the date they are
 * given (next week, next month, an export's last day); a date whose
 * neighbours have five-digit years is refused with a 400, never a 500. */
static void
far_future(void)
{
	const char *const far[] = { "/week/9999-12-31", "/month/9999-12-01", "/day/9999-12-31",
	    "/week/9001-01-01", "/export.csv?from=9999-12-01&to=9999-12-31",
	    "/export?from=2024-01-01&to=9999-12-31", "/sessions?from=9999-12-30&to=9999-12-31",
	    "/screenshots?date=9999-12-31" };
	struct ip_resp *a;

	for (size_t i = 0; i < sizeof(far) / sizeof(far[0]); i++) {
		a = get(far[i]);
		is_status(a, 400, ip_strf("%s: 400", far[i]));
		like(ip_jstr(a, "message"), "from 1970 to 9000", "... saying which dates are");
	}
	a = get("/week/9000-12-31");
	is_status(a, 200, "the last week that may be asked for: 200");
	like(ip_jstr(a, "period.to"), "^(9000-12-31|9001-01-0[1-6])$", "... to a real date");
	is_int(json_array_size(ip_jget(a, "days")), 7, "... seven days");
	is_status(get("/month/9000-12-01"), 200, "the last month: 200");
	is_status(get("/day/9000-12-31"), 200, "the last day: 200");
}

int
main(void)
{
	if (ip_init("report_period") != 0)
		return 0;
	tag = ip_tag();
	fixtures();
	week();
	month();
	far_future();
	return ip_done();
}
