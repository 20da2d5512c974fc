/* The signed-in person's own account, in process (was
 * tests/api/14_auth_account.t): the page, the profile and its checks, the
 * list of sessions and "sign out everywhere else", changing the password,
 * and that nobody can reach another person's account. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "flows.h"
#include "check.h"

static const char *EA, *EB, *AID, *BID;
static const char *PWA = "Lavender-Compass-Beacon-46", *PWB = "Harbor-Juniper-Quartz-73";
static const char *NEWPW = "Tangerine-Obelisk-Meadow-58";
static struct ip_jar *a1;
static const char *ACSRF;

static const char *
profile(const char *id)
{
	return ip_q("SELECT display_name || '|' || timezone || '|' || target_pace_min FROM users"
	    " WHERE id = $1", id, NULL);
}

static struct ip_resp *
post_profile(const char *name, const char *tz, const char *pace, const char *accept,
    const char *more)
{
	return IP(AUTH, .method = "POST", .path = "/account", .jar = a1, .accept = accept,
	    .form = ip_strf("csrf=%s&display_name=%s&timezone=%s&target_pace_min=%s%s",
	    ip_urlenc(ACSRF), ip_urlenc(name), ip_urlenc(tz), ip_urlenc(pace), more ? more : ""));
}

static struct ip_resp *
chpw(const char *cur, const char *new, const char *confirm, const char *accept, const char *more)
{
	return IP(AUTH, .method = "POST", .path = "/account/password", .jar = a1, .accept = accept,
	    .form = ip_strf("csrf=%s&current_password=%s&password=%s&password_confirm=%s%s",
	    ip_urlenc(ACSRF), ip_urlenc(cur), ip_urlenc(new), ip_urlenc(confirm ? confirm : new),
	    more ? more : ""));
}

static void
the_page(void)
{
	struct ip_jar *n = ip_browser("n");
	struct ip_resp *a;

	a = IP(AUTH, .path = "/account", .jar = n);
	is_status(a, 303, "signed out: /account redirects");
	is_str(ip_header(a, "Location"), "/login?next=%2Faccount", "... to sign in, coming back after");
	a = IP(AUTH, .path = "/account.json", .jar = n);
	is_status(a, 401, "signed out: /account.json is 401");
	like(ip_header(a, "WWW-Authenticate"), "^Bearer", "... with WWW-Authenticate: Bearer");

	a = login(a1, EA, PWA);
	is_status(a, 303, "A signs in");
	a = IP(AUTH, .path = "/account", .jar = a1);
	is_status(a, 200, "GET /account: 200");
	like(a->body, "<h1>Your account</h1>", "... the account page");
	like(a->body, EA, "... shows A's address");
	like(a->body, "value=\"Alice Account\"", "... and A's name in the form");
	ACSRF = ip_csrf(a);
	a = IP(AUTH, .path = "/account.json", .jar = a1);
	is_status(a, 200, "GET /account.json: 200");
	is_str(ip_strf("[%s,\"%s\",\"%s\",\"%s\",\"%s\",%s]", ip_jstr(a, "id"), ip_jstr(a, "email"),
	    ip_jstr(a, "display_name"), ip_jstr(a, "role"), ip_jstr(a, "timezone"),
	    ip_jstr(a, "target_pace_min")),
	    ip_strf("[%s,\"%s\",\"Alice Account\",\"member\",\"UTC\",5.5]", AID, EA), "... A's profile (pace: the default 5.5)");
	ok(ip_jget(a, "password_hash") == NULL, "... without the password hash");
}

static void
the_profile(void)
{
	static const char *const paces[] = { "0", "2000", "-5", "abc", "1.555", "0.05", "5,5",
	    "1e2", NULL };
	struct ip_resp *a;
	const char *before;

	a = post_profile("Alice Renamed", "Europe/Paris", "45", NULL, NULL);
	is_status(a, 303, "a valid profile: 303");
	is_str(ip_header(a, "Location"), "/account?saved=1", "... back to the page");
	is_str(profile(AID), "Alice Renamed|Europe/Paris|45", "... saved");
	a = IP(AUTH, .path = "/account?saved=1", .jar = a1);
	like(a->body, "Your profile is saved", "the page says it is saved");
	like(a->body, "value=\"Europe/Paris\"", "... and shows the new zone");

	before = user_row(EA);
	a = post_profile("Mars Person", "Mars/Olympus", "50", "application/json", NULL);
	is_status(a, 400, "an unknown time zone: 400");
	is_str(ip_jstr(a, "field"), "timezone", "... field timezone");
	like(ip_jstr(a, "message"), "Mars/Olympus", "... naming the zone");
	is_str(user_row(EA), before, "... nothing changed");
	a = post_profile("Mars Person", "Mars/Olympus", "50", NULL, NULL);
	is_status(a, 400, "HTML, unknown zone: 400");
	like(field_error(a, "timezone"), "not known", "... the error is under the field");
	like(a->body, "value=\"Mars/Olympus\"", "... what was typed is kept");
	like(a->body, "value=\"Mars Person\"", "... the name too");
	a = post_profile("Mars Person", "Europe/Paris;x", "50", "application/json", NULL);
	is_status(a, 400, "a zone with odd characters: 400");
	is_str(ip_jstr(a, "field"), "timezone", "... field timezone");
	a = post_profile("Mars Person", "../../etc/passwd", "50", "application/json", NULL);
	is_status(a, 400, "a zone that climbs out of the zone directory: 400");
	for (const char *const *p = paces; *p != NULL; p++) {
		a = post_profile("Pace Person", "UTC", *p, "application/json", NULL);
		is_str(ip_strf("%d %s", a->status, ip_jstr(a, "field")), "400 target_pace_min",
		    ip_strf("pace %s: 400, field target_pace_min", *p));
	}
	a = post_profile("", "UTC", "30", "application/json", NULL);
	is_str(ip_strf("%d %s", a->status, ip_jstr(a, "field")), "400 display_name",
	    "an empty name: 400, field display_name");
	a = post_profile(ip_repeat("x", 101), "UTC", "30", "application/json", NULL);
	is_str(ip_strf("%d %s", a->status, ip_jstr(a, "field")), "400 display_name",
	    "a name of 101 characters: 400");
	is_str(user_row(EA), before, "none of those changed anything");
	a = post_profile("Mars Person", "europe/paris", "50", "application/json", NULL);
	is_str(ip_strf("%d %s", a->status, ip_jstr(a, "timezone")), "200 Europe/Paris",
	    "a zone in the wrong case: found, and stored as PostgreSQL spells it");
	a = post_profile(ip_repeat("é", 100), "UTC", "30", "application/json", NULL);
	is_status(a, 200, "a name of 100 two-byte characters: 200");
	is_str(ip_jstr(a, "display_name"), ip_repeat("é", 100), "... kept whole");
	is_str(ip_q("SELECT display_name FROM users WHERE id = $1", AID, NULL), ip_repeat("é", 100),
	    "... and stored whole");
	a = post_profile("Alice Edge", "Etc/GMT+5", "1440", "application/json", NULL);
	is_status(a, 200, "JSON profile update at the limits (pace 1440, Etc/GMT+5): 200");
	is_str(ip_strf("[\"%s\",\"%s\",%s]", ip_jstr(a, "display_name"), ip_jstr(a, "timezone"),
	    ip_jstr(a, "target_pace_min")), "[\"Alice Edge\",\"Etc/GMT+5\",1440]",
	    "... answers the new profile");
	is_str(profile(AID), "Alice Edge|Etc/GMT+5|1440", "... saved");
	/* The pace is a decimal (task sessions measure against it). */
	a = post_profile("Alice Edge", "Etc/GMT+5", "5.5", "application/json", NULL);
	is_str(ip_strf("%d %s", a->status, ip_jstr(a, "target_pace_min")), "200 5.5",
	    "a pace of 5.5 minutes: 200, answered as 5.5");
	is_str(profile(AID), "Alice Edge|Etc/GMT+5|5.5", "... saved as 5.5");
	a = IP(AUTH, .path = "/account", .jar = a1);
	like(a->body, "value=\"5.5\"", "... and shown as 5.5 in the form");
	a = IP(AUTH, .method = "POST", .path = "/account", .jar = a1, .csrf = ACSRF,
	    .json = "{\"display_name\":\"Alice Edge\",\"timezone\":\"UTC\","
	    "\"target_pace_min\":7.25}");
	is_str(ip_strf("%d %s", a->status, ip_jstr(a, "target_pace_min")), "200 7.25",
	    "a JSON number 7.25: 200");
	a = IP(AUTH, .method = "POST", .path = "/account", .jar = a1, .csrf = ACSRF,
	    .json = "{\"display_name\":\"Alice Edge\",\"timezone\":\"UTC\","
	    "\"target_pace_min\":7.255}");
	is_error(a, 400, "target_pace_min", "a JSON number with 3 decimal places: 400");
}

static void
sessions(void)
{
	struct ip_jar *a2 = ip_browser("a2");
	struct ip_resp *a;
	const char *a2sess;
	json_t *list, *s;
	size_t i;
	int current = 0;
	const char *current_ua = NULL;

	a = login(a2, EA, PWA);
	is_status(a, 303, "A signs in from a second browser");
	a = IP(AUTH, .path = "/account/sessions.json", .jar = a1);
	is_status(a, 200, "the session list: 200");
	list = ip_jget(a, "sessions");
	is_int(json_array_size(list), 2, "... two sessions");
	json_array_foreach(list, i, s)
		if (json_is_true(json_object_get(s, "current"))) {
			current++;
			current_ua = json_string_value(json_object_get(s, "user_agent"));
		}
	is_int(current, 1, "... one of them this one");
	is_str(current_ua, "worktime-test/a1", "... the current one is this browser");
	a = IP(AUTH, .path = "/account/sessions", .jar = a1);
	like(a->body, "this browser", "the HTML list marks this browser");
	like(a->body, "worktime-test/a2", "... and lists the other");
	like(a->body, "action=\"/account/sessions/revoke-others\"", "... with a button to sign it out");
	a2sess = ip_strf("%s", ip_jar_get(a2, SESSION_COOKIE));
	a = IP(AUTH, .method = "POST", .path = "/account/sessions/revoke-others", .jar = a1,
	    .form = ip_strf("csrf=%s", ip_urlenc(ACSRF)));
	is_status(a, 303, "sign out everywhere else: 303");
	is_str(ip_header(a, "Location"), "/account/sessions?ended=1", "... back to the list");
	a = IP(AUTH, .path = "/account", .jar = a2);
	is_status(a, 303, "the other browser is signed out");
	is_int(session_exists(a2sess), 0, "... its session is gone from the database");
	a = IP(AUTH, .path = "/account.json", .jar = a1);
	is_status(a, 200, "this browser is still signed in");
	is_int(session_rows(EA), 1, "one session left");
	a = IP(AUTH, .method = "POST", .path = "/account/sessions/revoke-others", .jar = a1,
	    .accept = "application/json", .csrf = ACSRF);
	is_str(ip_jstr(a, "."), "{\"ended\":0}", "JSON: nothing else to end");
}

/* A 429's wait: the lockout runs from the last failure, and on a loaded
 * machine seconds pass between it and this answer (each failure is an
 * scrypt hash), so the wait is 30 s or a little less, the same in the
 * message and in Retry-After. */
static void
says_wait(struct ip_resp *a, const char *what, const char *name)
{
	const char *m = ip_jstr(a, "message"), *ra = ip_header(a, "Retry-After");
	size_t wl = strlen(what);
	int secs = -1, n = 0;

	if (m != NULL && strncmp(m, what, wl) == 0 &&
	    sscanf(m + wl, ". Try again in %d seconds.%n", &secs, &n) == 1 && m[wl + (size_t)n] != '\0')
		secs = -1;
	ok(secs >= 20 && secs <= 30, "%s", name);
	if (!(secs >= 20 && secs <= 30))
		diag("message: %s", m != NULL ? m : "(none)");
	is_str(ra, ip_strf("%d", secs), "... with Retry-After saying the same");
}

static void
password(void)
{
	struct ip_jar *a2 = ip_browser("a2b"), *a3 = ip_browser("a3"), *a4 = ip_browser("a4");
	struct ip_resp *a;
	const char *hash_before;

	login(a2, EA, PWA);
	login(a3, EA, PWA);
	is_int(session_rows(EA), 3, "three sessions");
	hash_before = pw_hash(EA);
	a = chpw("Not-My-Password-11", NEWPW, NULL, "application/json", NULL);
	is_status(a, 400, "a wrong current password: 400");
	is_str(ip_jstr(a, "field"), "current_password", "... field current_password");
	a = chpw("Not-My-Password-12", NEWPW, NULL, NULL, NULL);
	is_status(a, 400, "HTML, wrong current password: 400");
	is_str(field_error(a, "current_password"), "Current password is not right",
	    "... said under the field");
	unlike(a->body, "Not-My-Password-12|Tangerine-Obelisk", "... no password sent back");
	a = chpw(PWA, NEWPW, ip_strf("%sx", NEWPW), "application/json", NULL);
	is_str(ip_strf("%d %s", a->status, ip_jstr(a, "field")), "400 password_confirm",
	    "the repeated password differs: 400");
	a = chpw(PWA, "short", "short", "application/json", NULL);
	is_str(ip_strf("%d %s", a->status, ip_jstr(a, "field")), "400 password",
	    "a short new password: 400");
	is_str(pw_hash(EA), hash_before, "none of those changed the password");
	is_int(session_rows(EA), 3, "... or ended a session");
	clear_lockouts();

	a = chpw(PWA, NEWPW, NULL, NULL, NULL);
	is_status(a, 303, "a good change: 303");
	is_str(ip_header(a, "Location"), "/account?password=changed", "... back to the account");
	a = IP(AUTH, .path = "/account?password=changed", .jar = a1);
	is_status(a, 200, "this browser stays signed in");
	like(a->body, "Every other session has been signed out", "... and is told the others were");
	a = IP(AUTH, .path = "/account.json", .jar = a2);
	is_status(a, 401, "the second browser is signed out");
	a = IP(AUTH, .path = "/account.json", .jar = a3);
	is_status(a, 401, "the third too");
	is_int(session_rows(EA), 1, "one session left");
	a = login(a4, EA, PWA);
	is_status(a, 401, "the old password no longer works");
	a = login(a4, EA, NEWPW);
	is_status(a, 303, "the new one does");
	clear_lockouts();

	/* Wrong current passwords count towards the lockout too. */
	for (int i = 1; i <= 5; i++)
		chpw(ip_strf("Not-My-Password-%d", i), "Another-Strong-Pass-99", NULL,
		    "application/json", NULL);
	a = chpw(NEWPW, "Another-Strong-Pass-99", NULL, "application/json", NULL);
	is_status(a, 429, "five wrong current passwords: then 429, even with the right one");
	is_str(ip_jstr(a, "field"), "current_password", "... field current_password");
	says_wait(a, "Too many wrong passwords", "... says when (30 s from the last failure)");
	a = login(ip_browser("a5"), EA, NEWPW);
	is_status(a, 429, "... and they lock the sign-in form too: one counter per account");
	clear_lockouts();

	/* Issue 8, security 3: the right current password and a password
	 * from the history cost about seven scrypt hashes and were never
	 * counted; every attempt that reaches a hash now counts against an
	 * hourly budget per account. */
	for (int i = 1; i <= 5; i++) {
		a = chpw(NEWPW, PWA, NULL, "application/json", NULL);
		if (a->status != 400)
			break;
	}
	is_status(a, 400, "a password from the history, five times: 400 each");
	a = chpw(NEWPW, PWA, NULL, "application/json", NULL);
	is_status(a, 429, "the sixth attempt within the hour: 429, before any hashing");
	says_wait(a, "Too many password changes", "... says when");
	a = chpw(NEWPW, "Brand-New-Strong-Pass-71", NULL, "application/json", NULL);
	is_status(a, 429, "... a good change waits too");
	a = chpw(NEWPW, "short", NULL, "application/json", NULL);
	is_str(ip_strf("%d %s", a->status, ip_jstr(a, "field")), "429 current_password",
	    "... and so does anything else meanwhile");
	a = login(ip_browser("a6"), EA, NEWPW);
	is_status(a, 303, "sign-in is not locked by the changes' budget");
	clear_lockouts();
}

static void
another_account(void)
{
	struct ip_jar *b1 = ip_browser("b1"), *b2 = ip_browser("b2");
	struct ip_resp *a;
	const char *b_before, *ATOK, *b_hash;
	const char *const queries[] = { ip_strf("id=%s", BID), ip_strf("user_id=%s", BID),
	    ip_strf("email=%s", EB), ip_strf("sub=%s", BID), NULL };
	json_t *list, *s;
	size_t i;
	int of_b = 0;

	a = login(b1, EB, PWB);
	is_status(a, 303, "B signs in");
	b_before = user_row(EB);
	ACSRF = csrf_of(a1, "/account");
	a = post_profile("Alice Again", "UTC", "30", NULL, ip_strf("&id=%s&user_id=%s&email=%s",
	    BID, BID, ip_urlenc(EB)));
	is_status(a, 303, "A's profile form with id, user_id and email of B: 303");
	is_str(profile(AID), "Alice Again|UTC|30", "... changed A");
	is_str(ip_q("SELECT email FROM users WHERE id = $1", AID, NULL), EA, "... A keeps A's address");
	is_str(user_row(EB), b_before, "... B's row is unchanged");
	a = IP(AUTH, .method = "POST", .path = ip_strf("/account?id=%s&user_id=%s", BID, BID),
	    .jar = a1, .form = ip_strf("csrf=%s&display_name=Alice+Query&timezone=UTC"
	    "&target_pace_min=31", ip_urlenc(ACSRF)));
	is_str(profile(AID), "Alice Query|UTC|31", "B's id in the query string: A changed");
	is_str(user_row(EB), b_before, "... B unchanged");
	a = IP(AUTH, .method = "POST", .path = "/account.json", .jar = a1, .csrf = ACSRF,
	    .json = ip_json("{sI sI ss ss ss si}", "id", (json_int_t)atoll(BID),
	    "user_id", (json_int_t)atoll(BID), "email", EB, "display_name", "Alice JSON",
	    "timezone", "UTC", "target_pace_min", 32));
	is_status(a, 200, "a JSON body with B's id and address: 200");
	is_str(ip_strf("[%s,\"%s\"]", ip_jstr(a, "id"), ip_jstr(a, "email")),
	    ip_strf("[%s,\"%s\"]", AID, EA), "... answers A");
	is_str(profile(AID), "Alice JSON|UTC|32", "... changed A");
	is_str(user_row(EB), b_before, "... B unchanged");

	ATOK = token_for(EA, NEWPW, NULL);
	a = IP(AUTH, .method = "POST", .path = "/account.json", .bearer = ATOK,
	    .json = ip_json("{sI sI ss ss ss ss si}", "id", (json_int_t)atoll(BID),
	    "user_id", (json_int_t)atoll(BID), "sub", BID, "email", EB, "display_name", "Alice Token",
	    "timezone", "UTC", "target_pace_min", 33));
	is_str(ip_strf("[%s,\"%s\"]", ip_jstr(a, "id"), ip_jstr(a, "email")),
	    ip_strf("[%s,\"%s\"]", AID, EA), "A's token with B's id in the body: answers A");
	is_str(profile(AID), "Alice Token|UTC|33", "... changed A");
	is_str(user_row(EB), b_before, "... B unchanged");

	for (const char *const *q = queries; *q != NULL; q++) {
		a = IP(AUTH, .path = ip_strf("/account.json?%s", *q), .jar = a1);
		is_str(ip_jstr(a, "email"), EA, ip_strf("GET /account.json?%s shows A", *q));
	}
	a = IP(AUTH, .path = ip_strf("/account.json?id=%s", BID), .bearer = ATOK);
	is_str(ip_jstr(a, "id"), AID, "... with A's token too");
	a = IP(AUTH, .path = ip_strf("/account?id=%s&email=%s", BID, ip_urlenc(EB)), .jar = a1);
	like(a->body, EA, "the HTML page with B's id shows A");
	unlike(a->body, ip_strf("%s|Bob Account", EB), "... and nothing of B");
	a = IP(AUTH, .path = ip_strf("/account/sessions.json?user_id=%s", BID), .jar = a1);
	list = ip_jget(a, "sessions");
	json_array_foreach(list, i, s)
		if (strcmp(json_string_value(json_object_get(s, "user_agent")) ?
		    json_string_value(json_object_get(s, "user_agent")) : "", "worktime-test/b1") == 0)
			of_b++;
	ok(list != NULL && of_b == 0, "A's session list never shows B's session");

	b_hash = pw_hash(EB);
	a = chpw(NEWPW, "Pistachio-Lantern-Harbor-64", NULL, NULL,
	    ip_strf("&email=%s&user_id=%s&id=%s", ip_urlenc(EB), BID, BID));
	is_status(a, 303, "A changes the password with B's id and address in the form: 303");
	is_str(pw_hash(EB), b_hash, "... B's password is unchanged");
	a = login(b2, EB, PWB);
	is_status(a, 303, "... B still signs in with B's password");
	IP(AUTH, .method = "POST", .path = "/account/sessions/revoke-others", .jar = a1,
	    .form = ip_strf("csrf=%s&user_id=%s&id=%s", ip_urlenc(ACSRF), BID, BID));
	a = IP(AUTH, .path = "/account.json", .jar = b1);
	is_str(ip_strf("%d %s", a->status, ip_jstr(a, "email")), ip_strf("200 %s", EB),
	    "A's 'sign out everywhere else' with B's id leaves B signed in");
	is_str(user_row(EB), b_before, "B's row is unchanged at the end");
}

int
main(void)
{
	long long a, b;

	if (ip_init("auth_account") != 0)
		return 0;
	EA = ip_strf("acct-a-%s@example.test", ip_tag());
	EB = ip_strf("acct-b-%s@example.test", ip_tag());
	a = make_user(EA, "Alice Account", PWA, "member");
	ok(a > 0, "user A");
	b = make_user(EB, "Bob Account", PWB, "member");
	ok(b > 0, "user B");
	AID = ip_strf("%lld", a);
	BID = ip_strf("%lld", b);
	a1 = ip_browser("a1");
	the_page();
	the_profile();
	sessions();
	password();
	another_account();
	clear_lockouts();
	return ip_done();
}
