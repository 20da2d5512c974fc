/* Forgotten passwords, in process (was tests/api/12_auth_reset.t): the
 * same answer for every address, a single-use link that expires, a new
 * password that ends every session and access token, and no reuse of the
 * last five passwords.  Links are read from the outbox. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "flows.h"
#include "check.h"

static const char *E, *NOBODY, *RID;
static const char *PW1 = "Copper-Willow-Signal-31", *PW2 = "Amber-Thistle-Rocket-52",
    *PW3 = "Granite-Puffin-Orchard-63";
static struct ip_jar *fb;
static const char *FCSRF;
static const char *known_page;

static struct ip_resp *
forgot(const char *email, const char *accept)
{
	return IP(AUTH, .method = "POST", .path = "/password/forgot", .jar = fb, .accept = accept,
	    .form = ip_strf("csrf=%s&email=%s", ip_urlenc(FCSRF), ip_urlenc(email)));
}

static struct ip_resp *
reset(const char *tok, const char *pw, const char *confirm, const char *accept)
{
	return IP(AUTH, .method = "POST", .path = "/password/reset", .jar = fb, .accept = accept,
	    .form = ip_strf("csrf=%s&token=%s&password=%s&password_confirm=%s", ip_urlenc(FCSRF),
	    ip_urlenc(tok), ip_urlenc(pw), ip_urlenc(confirm ? confirm : pw)));
}

static const char *
token_used(const char *tok)
{
	return ip_q("SELECT used_at IS NOT NULL FROM auth_tokens WHERE token_hash = $1",
	    sha256_of(tok), NULL);
}

static void
same_answer(const char **link_out)
{
	struct ip_resp *a;
	const char *known_json, *newest, *oldest, *link;
	long long mark;

	a = IP(AUTH, .path = "/password/forgot", .jar = fb);
	is_status(a, 200, "the forgot form");
	FCSRF = ip_csrf(a);
	like(FCSRF, "^[A-Za-z0-9_-]{43}$", "... with a CSRF token");
	mark = mail_mark();
	a = forgot(E, NULL);
	is_status(a, 200, "known address: 200");
	like(a->body, "<h1>Check your e-mail</h1>", "... says to check the e-mail");
	known_page = main_part(a);
	a = forgot(NOBODY, NULL);
	is_status(a, 200, "unknown address: 200");
	is_str(main_part(a), known_page, "... the identical page");
	a = forgot(E, "application/json");
	is_status(a, 202, "JSON, known address: 202");
	is_str(ip_jstr(a, "status"), "sent", "... status sent");
	known_json = json_sans_id(a);
	a = forgot(NOBODY, "application/json");
	is_status(a, 202, "JSON, unknown address: 202");
	is_str(json_sans_id(a), known_json, "... the identical body");
	is_int(mail_count_to(NOBODY, mark), 0, "no message to the unknown address");
	is_int(mail_count_to(E, mark), 2, "a message to the known address for each request");
	newest = mail_latest_to(E, mark);
	oldest = mail_oldest_to(E, mark);
	is_str(mail_subject(newest), "Reset your password", "the message's subject");
	link = mail_link(newest);
	like(link, ip_strf("^%s/password/reset\\?token=[0-9a-f]{64}$", wt_cfg.site_url),
	    "... a link to /password/reset");
	a = IP(AUTH, .path = local_path(mail_link(oldest)));
	is_status(a, 400, "a newer link voids the older one");
	*link_out = link;
}

static void
using_the_link(const char *link)
{
	struct ip_jar *s1 = ip_browser("s1"), *s2 = ip_browser("s2"), *s3 = ip_browser("s3");
	const char *RTOK = link_token(link), *OLDJWT, *hash1, *ver1;
	struct ip_resp *a;

	login(s1, E, PW1);
	login(s2, E, PW1);
	is_int(session_rows(E), 2, "two sessions before the reset");
	OLDJWT = token_for(E, PW1, NULL);
	a = IP(AUTH, .path = "/account.json", .bearer = OLDJWT);
	is_status(a, 200, "an access token before the reset works");

	a = IP(AUTH, .path = local_path(link), .jar = fb);
	is_status(a, 200, "the link shows the form");
	like(a->body, ip_strf("For <strong>%s</strong>", E), "... for the right account");
	like(a->body, ip_strf("name=\"token\" value=\"%s\"", RTOK), "... carrying the token");
	FCSRF = ip_csrf(a);
	hash1 = pw_hash(E);
	a = reset(RTOK, PW2, ip_strf("%s-typo", PW2), NULL);
	is_status(a, 400, "the repeated password differs: 400");
	is_str(field_error(a, "password_confirm"), "The two passwords differ", "... said under the field");
	unlike(a->body, PW2, "... no password sent back");
	a = reset(RTOK, PW1, PW1, "application/json");
	is_status(a, 400, "the current password as the new one: 400");
	is_str(ip_jstr(a, "field"), "password", "... field password");
	is_str(ip_jstr(a, "message"), "Password must differ from your last 5 passwords",
	    "... must differ from the last 5");
	is_str(pw_hash(E), hash1, "refused attempts change nothing");
	is_str(token_used(RTOK), "f", "... and do not use up the link");
	ver1 = ip_q("SELECT token_version FROM users WHERE id = $1", RID, NULL);

	a = reset(RTOK, PW2, NULL, NULL);
	is_status(a, 200, "a good new password: 200");
	like(a->body, "Password changed", "... 'Password changed'");
	ok(strcmp(pw_hash(E), hash1) != 0, "the password hash changed");
	is_str(token_used(RTOK), "t", "the link is used up");
	is_str(ip_q("SELECT token_version FROM users WHERE id = $1", RID, NULL),
	    ip_strf("%lld", atoll(ver1) + 1), "the token version went up");

	a = reset(RTOK, PW3, NULL, NULL);
	is_status(a, 400, "the link a second time: 400");
	like(a->body, "Link not valid", "... 'Link not valid'");
	a = IP(AUTH, .path = local_path(link), .jar = fb);
	is_status(a, 400, "... and the page is 400 too");

	is_int(session_rows(E), 0, "every session of the user is gone");
	a = IP(AUTH, .path = "/account", .jar = s1);
	is_status(a, 303, "an old session cookie: signed out");
	a = IP(AUTH, .path = "/account.json", .jar = s2);
	is_status(a, 401, "the other old session: signed out");
	a = IP(AUTH, .path = "/account.json", .bearer = OLDJWT);
	is_status(a, 401, "an access token from before the reset: 401");
	is_str(ip_jstr(a, "message"), "token was revoked", "... revoked");
	like(ip_header(a, "WWW-Authenticate"), "^Bearer", "... with WWW-Authenticate: Bearer");

	a = login(s3, E, PW1);
	is_status(a, 401, "the old password no longer signs in");
	a = login(s3, E, PW2);
	is_status(a, 303, "the new one does");
	clear_lockouts();
}

static void
bad_links(void)
{
	struct ip_resp *a;
	const char *link, *XTOK, *TTOK, *BAD, *hash2;
	long long mark;
	char *caps;

	mark = mail_mark();
	forgot(E, NULL);
	link = mail_link(mail_latest_to(E, mark));
	XTOK = link_token(link);
	ip_exec("UPDATE auth_tokens SET expires_at = now() - interval '1 minute'"
	    " WHERE token_hash = $1", sha256_of(XTOK), NULL);
	hash2 = pw_hash(E);
	a = IP(AUTH, .path = local_path(link), .jar = fb);
	is_status(a, 400, "an expired link: the page is 400");
	a = reset(XTOK, PW3, NULL, NULL);
	is_status(a, 400, "an expired link: POST is 400");
	is_str(pw_hash(E), hash2, "... the password is unchanged");

	mark = mail_mark();
	forgot(E, NULL);
	link = mail_link(mail_latest_to(E, mark));
	TTOK = link_token(link);
	BAD = ip_strf("%c%s", TTOK[0] == '0' ? '1' : '0', TTOK + 1);
	a = IP(AUTH, .path = ip_strf("/password/reset?token=%s", BAD));
	is_status(a, 400, "a link with one digit changed: 400");
	a = reset(BAD, PW3, NULL, "application/json");
	is_status(a, 400, "POST with it: 400");
	is_str(ip_jstr(a, "field"), "token", "... field token");
	a = reset(ip_strf("%.63s", TTOK), PW3, NULL, "application/json");
	is_status(a, 400, "a token one digit short: 400");
	caps = ip_strf("%s", TTOK);
	for (char *p = caps; *p; p++)
		if (*p >= 'a' && *p <= 'f')
			*p = (char)(*p - 'a' + 'A');
	a = reset(caps, PW3, NULL, "application/json");
	is_status(a, 400, "the token in capitals: 400");
	is_str(pw_hash(E), hash2, "... the password is unchanged");
	a = IP(AUTH, .path = local_path(link), .jar = fb);
	is_status(a, 200, "the untouched link still works");

	/* --- the last five passwords --- */
	a = reset(TTOK, PW1, NULL, "application/json");
	is_status(a, 400, "a reset to the previous password: 400");
	is_str(ip_jstr(a, "message"), "Password must differ from your last 5 passwords",
	    "... must differ from the last 5");
	a = reset(TTOK, PW3, NULL, "application/json");
	is_status(a, 200, "a reset to a third password: 200");
	is_str(ip_jstr(a, "status"), "password changed", "... password changed");
}

static void
last_five(void)
{
	struct ip_jar *ab = ip_browser("a");
	const char *ACSRF, *prev = PW3;
	struct ip_resp *a;
	char codes[32] = "";

	a = login(ab, E, PW3);
	is_status(a, 303, "signed in with the third password");
	ACSRF = csrf_of(ab, "/account");
#define CHANGE(cur, new) IP(AUTH, .method = "POST", .path = "/account/password", .jar = ab, \
	    .accept = "application/json", .form = ip_strf("csrf=%s&current_password=%s" \
	    "&password=%s&password_confirm=%s", ip_urlenc(ACSRF), ip_urlenc(cur), \
	    ip_urlenc(new), ip_urlenc(new)))
	for (int n = 4; n <= 6; n++) {
		const char *next = ip_strf("Fresh-Password-Number-%d", n);

		a = CHANGE(prev, next);
		snprintf(codes + strlen(codes), sizeof(codes) - strlen(codes), " %d", a->status);
		prev = next;
	}
	is_str(codes, " 200 200 200", "three more changes");
	a = CHANGE(prev, PW3);
	is_status(a, 400, "the third password (among the last five): 400");
	is_str(ip_jstr(a, "message"), "New password must differ from your last 5 passwords",
	    "... must differ from the last 5");
	a = CHANGE(prev, PW2);
	is_status(a, 400, "the second password (the oldest of the last five): 400");
	/* Six changes in a row meet the hourly budget of password changes
	 * (test_auth_account); the history is what this checks. */
	clear_lockouts();
	a = CHANGE(prev, PW1);
	is_status(a, 200, "the first password (sixth from last) may be used again");
	is_str(ip_q("SELECT count(*) FROM password_history WHERE user_id = $1", RID, NULL), "5",
	    "only five old hashes are kept");
#undef CHANGE
}

static void
disabled(void)
{
	struct ip_resp *a;
	const char *link;
	long long mark;

	/* The messages so far do not count towards the hourly limit. */
	mail_hour_passes(E);
	mark = mail_mark();
	forgot(E, NULL);
	link = mail_link(mail_latest_to(E, mark));
	ip_exec("UPDATE users SET status = 'disabled' WHERE id = $1", RID, NULL);
	a = IP(AUTH, .path = local_path(link), .jar = fb);
	is_status(a, 400, "a disabled account's link: 400");
	mark = mail_mark();
	a = forgot(E, NULL);
	is_status(a, 200, "forgot for a disabled account: the same 200");
	is_str(main_part(a), known_page, "... the identical page");
	is_int(mail_count_to(E, mark), 0, "... but no message");
	ip_exec("UPDATE users SET status = 'active' WHERE id = $1", RID, NULL);
	forgot(E, NULL);
	is_int(mail_count_to(E, mark), 1,
	    "active again: the next request's message comes, the only one since the disabled account's request");
}

/* Issue 8, security 5: "forgot" answers before it even looks the address
 * up, so its timing cannot tell whether the address has an account
 * (bench/forgot_timing.sh measures it through nginx).  The work deferred
 * until after the answer is held here: when the answer leaves, nothing
 * is written yet, for a known address as for an unknown one. */
static void
answer_first(void)
{
	struct ip_resp *a, *b;
	long long mark;
	const char *tokens = ip_q("SELECT count(*) FROM auth_tokens WHERE user_id = $1", RID, NULL);

	mail_hour_passes(E);
	mark = mail_mark();
	a = IP(AUTH, .method = "POST", .path = "/password/forgot", .jar = fb, .hold_deferred = 1,
	    .form = ip_strf("csrf=%s&email=%s", ip_urlenc(FCSRF), ip_urlenc(E)));
	is_status(a, 200, "a known address: answered");
	is_str(ip_q("SELECT count(*) FROM auth_tokens WHERE user_id = $1", RID, NULL), tokens,
	    "... before any reset token is written");
	is_int(mail_count_to(E, mark), 0, "... and before any message is queued");
	unlike(a->log, "reset link issued", "... or anything about the account is logged");
	ip_run_deferred();
	is_int(mail_count_to(E, mark), 1, "after the answer, the link is sent");
	b = IP(AUTH, .method = "POST", .path = "/password/forgot", .jar = fb, .hold_deferred = 1,
	    .form = ip_strf("csrf=%s&email=%s", ip_urlenc(FCSRF), ip_urlenc(NOBODY)));
	is_str(main_part(b), main_part(a), "an unknown address: the identical answer");
	ip_run_deferred();
}

/* Issue 8, security 2: whatever the route or spelling (nginx limits
 * those), the program queues at most mail.per_address_hour messages to
 * one address in an hour; the answer does not change. */
static void
mail_limit(void)
{
	long long mark;
	const char *first = NULL, *upper = ip_strf("%s", E);
	int same = 1;

	for (char *p = (char *)upper; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	mail_hour_passes(E);
	mark = mail_mark();
	for (int i = 0; i < 12; i++) {
		struct ip_resp *a = IP(AUTH, .method = "POST",
		    .path = i % 2 ? "/password/forgot.json" : "/password/forgot", .jar = fb,
		    .accept = "application/json", .form = ip_strf("csrf=%s&email=%s",
		    ip_urlenc(FCSRF), ip_urlenc(i % 3 ? E : upper)));

		if (first == NULL)
			first = json_sans_id(a);
		same = same && a->status == 202 && strcmp(json_sans_id(a), first) == 0;
	}
	ok(same, "twelve requests for one address (two spellings, both routes): the same 202");
	is_int(mail_count_to(E, mark), (int)wt_cfg.mail_per_address_hour,
	    ip_strf("... but only %lld messages are queued (mail.per_address_hour)",
	    wt_cfg.mail_per_address_hour));
	like(ip_all_logs(), "refused a message: [0-9]+ to one address in the last hour",
	    "... the rest are refused and logged");
	mail_hour_passes(E);
	mark = mail_mark();
	forgot(E, NULL);
	is_int(mail_count_to(E, mark), 1, "an hour later, a message goes again");
}

/* Issue 8, security 6: a reset link issued before a password change does
 * not work after it. */
static void
link_after_change(void)
{
	struct ip_jar *s = ip_browser("chg");
	struct ip_resp *a;
	const char *link, *csrf, *NEWPW = "Lilac-Harbour-Comet-94";
	long long mark;

	mail_hour_passes(E);
	mark = mail_mark();
	forgot(E, NULL);
	link = mail_link(mail_latest_to(E, mark));
	a = IP(AUTH, .path = local_path(link), .jar = fb);
	is_status(a, 200, "a fresh reset link works");
	a = login(s, E, PW1);
	is_status(a, 303, "signed in with the current password");
	csrf = csrf_of(s, "/account");
	a = IP(AUTH, .method = "POST", .path = "/account/password", .jar = s,
	    .form = ip_strf("csrf=%s&current_password=%s&password=%s&password_confirm=%s",
	    ip_urlenc(csrf), ip_urlenc(PW1), ip_urlenc(NEWPW), ip_urlenc(NEWPW)));
	is_status(a, 303, "the password is changed on the account page");
	a = IP(AUTH, .path = local_path(link), .jar = fb);
	is_status(a, 400, "the link from before the change: the page is 400");
	a = reset(link_token(link), PW3, NULL, "application/json");
	is_status(a, 400, "... and POST with it is 400");
	is_str(ip_jstr(a, "field"), "token", "... about the token");
	a = login(ip_browser("chg2"), E, NEWPW);
	is_status(a, 303, "the changed password stands");
	clear_lockouts();
}

int
main(void)
{
	const char *link = NULL;
	long long uid, start;

	if (ip_init("auth_reset") != 0)
		return 0;
	E = ip_strf("reset-%s@example.test", ip_tag());
	NOBODY = ip_strf("noreset-%s@example.test", ip_tag());
	uid = make_user(E, "Reset Tester", PW1, "member");
	ok(uid > 0, "a confirmed user");
	RID = ip_strf("%lld", uid);
	fb = ip_browser("f");
	start = mail_mark();
	same_answer(&link);
	using_the_link(link);
	bad_links();
	last_five();
	disabled();
	answer_first();
	mail_limit();
	link_after_change();
	is_int(mail_count_to(NOBODY, start), 0, "no message to the unknown address during the whole file");
	clear_lockouts();
	return ip_done();
}
