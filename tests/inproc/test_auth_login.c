/* Signing in and out, in process (was tests/api/10_auth_login.t): the
 * same answer for a wrong password and an unknown address, backoff after
 * failures, disabled and unconfirmed accounts, session fixation, cookie
 * attributes, logout, session expiry and the next= redirect. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "flows.h"
#include "check.h"

static const char *E, *NOBODY, *PW = "Violet-Harbour-Lantern-42";
static const char *USER_ID;
static struct ip_jar *j;
static const char *JTOK;

/* The sign-in form route, answered in JSON (browser j). */
static struct ip_resp *
jlogin(const char *email, const char *pw)
{
	return IP(AUTH, .method = "POST", .path = "/login", .jar = j,
	    .accept = "application/json",
	    .form = ip_strf("csrf=%s&email=%s&password=%s", ip_urlenc(JTOK), ip_urlenc(email),
	    ip_urlenc(pw)));
}

static struct ip_resp *
hlogin(struct ip_jar *b, const char *tok, const char *email, const char *pw, const char *more)
{
	return IP(AUTH, .method = "POST", .path = "/login", .jar = b,
	    .form = ip_strf("csrf=%s&email=%s&password=%s%s", ip_urlenc(tok), ip_urlenc(email),
	    ip_urlenc(pw), more ? more : ""));
}

static const char *
failures_of(const char *kind, const char *key)
{
	return ip_q("SELECT failures FROM login_failures WHERE kind = $1 AND key = $2",
	    kind, key, NULL);
}

static void
no_enumeration(void)
{
	struct ip_resp *a;
	struct ip_jar *h = ip_browser("h");
	const char *known, *tok, *html_known;

	a = jlogin(E, "Wrong-Password-123");
	is_status(a, 401, "wrong password: 401");
	is_str(ip_jstr(a, "message"), "The e-mail address or the password is not right.",
	    "wrong password: the message");
	is_str(ip_jstr(a, "error"), "Unauthorized", "wrong password: JSON error");
	known = json_sans_id(a);
	a = jlogin(NOBODY, "Wrong-Password-123");
	is_status(a, 401, "unknown e-mail: 401 too");
	is_str(json_sans_id(a), known, "unknown e-mail: the identical JSON answer");
	ok(ip_jar_get(j, SESSION_COOKIE) == NULL, "no session after failures");

	tok = csrf_of(h, "/login");
	a = hlogin(h, tok, E, "Secret-Typed-Wrong-77", NULL);
	is_status(a, 401, "HTML: wrong password: 401");
	like(ip_header(a, "Content-Type"), "^text/html", "HTML: the form again");
	html_known = form_error(a);
	is_str(html_known, "The e-mail address or the password is not right.",
	    "HTML: the form's error");
	like(a->body, ip_strf("value=\"%s\"", E), "HTML: the typed e-mail is kept");
	unlike(a->body, "Secret-Typed-Wrong-77", "HTML: the password is not echoed");
	like(ip_csrf(a), "^[A-Za-z0-9_-]{43}$", "HTML: the form has a CSRF token again");
	a = hlogin(h, tok, NOBODY, "Secret-Typed-Wrong-77", NULL);
	is_status(a, 401, "HTML: unknown e-mail: 401");
	is_str(form_error(a), html_known, "HTML: unknown e-mail: the same error text");
	a = hlogin(h, tok, "<script>alert(1)</script>", "Secret-Typed-Wrong-77", NULL);
	unlike(a->body, "<script>alert",
	    "HTML: markup typed as the e-mail is not sent back as markup");
	like(a->body, "value=\"&lt;script&gt;alert\\(1\\)&lt;/script&gt;\"", "... but escaped");
	clear_lockouts();
}

static void
backoff(void)
{
	struct ip_resp *a;
	struct ip_jar *h = ip_browser("h2");
	const char *tok = csrf_of(h, "/login"), *locked_body, *wait_left;
	char codes[64] = "";
	long w;

	for (int i = 1; i <= 5; i++) {
		a = jlogin(E, ip_strf("Wrong-Password-%d", i));
		snprintf(codes + strlen(codes), sizeof(codes) - strlen(codes), " %d", a->status);
	}
	is_str(codes, " 401 401 401 401 401", "five wrong passwords: five 401s");
	a = jlogin(E, "Wrong-Password-6");
	is_status(a, 429, "then 429");
	is_str(ip_jstr(a, "message"), "Too many failed sign-in attempts. Try again in 30 seconds.",
	    "429 says: 30 seconds");
	is_str(ip_header(a, "Retry-After"), "30", "Retry-After: 30");
	locked_body = json_sans_id(a);
	a = jlogin(E, PW);
	is_status(a, 429, "the right password while locked: still 429");
	ok(ip_jar_get(j, SESSION_COOKIE) == NULL, "... and no session");
	is_str(failures_of("user", USER_ID), "5", "attempts while locked are not counted as failures");

	a = hlogin(h, tok, E, PW, NULL);
	is_status(a, 429, "HTML while locked: 429");
	is_str(form_error(a), "Too many failed sign-in attempts. Try again in 30 seconds.",
	    "HTML: the form says when");
	is_str(ip_header(a, "Retry-After"), "30", "HTML: Retry-After too");

	fast_forward_locks();
	a = jlogin(E, "Wrong-Password-7");
	is_status(a, 401, "lock over: the 6th failure is a 401");
	a = jlogin(E, "Wrong-Password-8");
	is_status(a, 429, "... and locks again");
	is_str(ip_header(a, "Retry-After"), "60", "the 6th failure: 60 s");
	is_str(ip_jstr(a, "message"), "Too many failed sign-in attempts. Try again in 1 minute.",
	    "... said as 1 minute");

	fast_forward_locks();
	a = jlogin(E, "Wrong-Password-9");
	is_status(a, 401, "the 7th failure is a 401");
	a = jlogin(E, "Wrong-Password-10");
	is_str(ip_header(a, "Retry-After"), "120", "the 7th failure: 120 s");
	is_str(ip_jstr(a, "message"), "Too many failed sign-in attempts. Try again in 2 minutes.",
	    "... said as 2 minutes");

	for (int n = 8; n <= 11; n++) {
		fast_forward_locks();
		jlogin(E, ip_strf("Wrong-Password-x%d", n));
	}
	a = jlogin(E, "Wrong-Password-12");
	is_str(ip_header(a, "Retry-After"), "900",
	    "doubling stops at 900 s (the 10th and 11th failure)");
	is_str(ip_jstr(a, "message"), "Too many failed sign-in attempts. Try again in 15 minutes.",
	    "... said as 15 minutes");
	wait_left = ip_q("SELECT ceil(extract(epoch FROM locked_until - now())) FROM login_failures"
	    " WHERE kind = 'user' AND key = $1", USER_ID, NULL);
	w = wait_left ? atol(wait_left) : -1;
	ok(w >= 895 && w <= 900, "the database lock is 900 s too (%ld)", w);
	clear_lockouts();

	/* The same backoff for an address nobody has. */
	for (int i = 1; i <= 5; i++)
		jlogin(NOBODY, ip_strf("Wrong-Password-%d", i));
	a = jlogin(NOBODY, "Wrong-Password-6");
	is_status(a, 429, "unknown e-mail: locked after five failures as well");
	is_str(ip_header(a, "Retry-After"), "30", "unknown e-mail: Retry-After 30");
	is_str(json_sans_id(a), locked_body, "unknown e-mail: the identical 429 answer");
	/* The address is the key whatever its case. */
	{
		char *upper = ip_strf("%s", NOBODY);

		for (char *p = upper; *p; p++)
			if (*p >= 'a' && *p <= 'z')
				*p = (char)(*p - 'a' + 'A');
		a = jlogin(upper, "Wrong-Password-7");
		is_status(a, 429, "the same address in capitals is locked too");
	}
	clear_lockouts();

	/* A success clears the account's counter. */
	for (int i = 1; i <= 3; i++)
		jlogin(E, ip_strf("Wrong-Password-%d", i));
	is_str(failures_of("user", USER_ID), "3", "three failures are counted");
	a = jlogin(E, PW);
	is_status(a, 200, "JSON sign-in: 200");
	is_str(ip_jstr(a, "user.email"), E, "JSON sign-in answers the user");
	is_str(ip_jstr(a, "user.id"), USER_ID, "... with the user's id");
	is_str(ip_q("SELECT count(*) FROM login_failures WHERE kind = 'user' AND key = $1",
	    USER_ID, NULL), "0", "the success cleared the account's counter");
	ip_forget(j);
	JTOK = csrf_of(j, "/login");
	clear_lockouts();

	/* Per address: 20 failures from one client, on different accounts. */
	for (int i = 1; i <= 20; i++)
		a = jlogin(ip_strf("spray%d-%s@example.test", i, ip_tag()), "Wrong-Password-1");
	is_status(a, 401, "the 20th failure from one address is still a 401");
	a = jlogin(E, PW);
	is_status(a, 429, "then the address is locked, even for the right password of another account");
	is_str(ip_header(a, "Retry-After"), "30", "... for 30 s");
	a = IP(AUTH, .method = "POST", .path = "/login", .jar = j, .accept = "application/json",
	    .remote_addr = "10.255.255.254", .form = ip_strf("csrf=%s&email=%s&password=%s",
	    ip_urlenc(JTOK), ip_urlenc(E), ip_urlenc(PW)));
	is_status(a, 200, "... while the same account signs in from another address");
	ip_forget(j);
	JTOK = csrf_of(j, "/login");
	clear_lockouts();
}

/* Issue 8, security 1: the backoff cannot be bypassed with look-alike
 * letters.  PostgreSQL's lower() maps the Kelvin sign U+212A to k and
 * U+0130 to i; the address is normalised once (email_normalize, sql/007)
 * and failures are counted against the account's id, so every spelling
 * that finds the account meets the same counter and the same lock. */
static void
lookalikes(void)
{
	const char *plain = ip_strf("pt-kiki-%s@example.test", ip_tag());
	const char *kelvin = ip_strf("pt-\u212Aiki-%s@example.test", ip_tag());
	const char *dotted = ip_strf("pt-k\u0130ki-%s@example.test", ip_tag());
	const char *wide = ip_strf("pt-\uFF4Biki-%s@example.test", ip_tag());
	const char *upper = ip_strf("PT-KIKI-%s@EXAMPLE.TEST", ip_tag());
	const char *spaced = ip_strf(" pt-kiki-%s@example.test ", ip_tag());
	const char *spellings[] = { plain, kelvin, dotted, wide, upper, spaced };
	const char *pw = "Quartz-Meadow-Falcon-77", *id;
	struct ip_resp *a;
	char codes[64] = "";

	clear_lockouts();
	id = ip_strf("%lld", make_user(plain, "Kiki Lookalike", pw, "member"));
	is_str(ip_q("SELECT email_normalize($1) || ' ' || email_normalize($2) || ' ' ||"
	    " email_normalize($3) || ' ' || email_normalize($4)", kelvin, dotted, wide, spaced,
	    NULL), ip_strf("%s %s %s %s", plain, plain, plain, plain),
	    "the Kelvin sign, U+0130, a fullwidth k and spaces: one normal form");
	for (int i = 1; i <= 5; i++) {
		a = jlogin(spellings[i], ip_strf("Wrong-Password-%d", i));
		snprintf(codes + strlen(codes), sizeof(codes) - strlen(codes), " %d", a->status);
	}
	is_str(codes, " 401 401 401 401 401", "five spellings, five wrong passwords: 401s");
	is_str(failures_of("user", id), "5", "... all counted against the one account's id");
	is_str(ip_q("SELECT count(*) FROM login_failures WHERE kind = 'account'"
	    " AND strpos(key, $1) > 0", ip_tag(), NULL), "0",
	    "... and no spelling got a counter of its own");
	for (size_t i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++) {
		a = jlogin(spellings[i], pw);
		is_status(a, 429, ip_strf("locked: the right password as spelling %zu is refused", i));
	}
	ok(ip_jar_get(j, SESSION_COOKIE) == NULL, "no session was made while locked");
	a = IP(AUTH, .method = "POST", .path = "/api/v1/token",
	    .json = ip_json("{ss ss}", "email", kelvin, "password", pw));
	is_status(a, 429, "the access-token route refuses the Kelvin spelling while locked too");

	/* An unknown address: its spellings share one counter as well. */
	clear_lockouts();
	for (int i = 1; i <= 5; i++)
		jlogin(ip_strf("pt-\u212Aoko-%s@example.test", ip_tag()), "Wrong-Password-1");
	a = jlogin(ip_strf("PT-KOKO-%s@example.test", ip_tag()), "Wrong-Password-1");
	is_status(a, 429, "an unknown address: five Kelvin spellings lock the plain one");
	is_str(failures_of("account", ip_strf("pt-koko-%s@example.test", ip_tag())), "5",
	    "... counted under its normal form");

	/* Once the lock is over, the spelling finds the one account. */
	clear_lockouts();
	a = jlogin(kelvin, pw);
	is_status(a, 200, "not locked: the Kelvin spelling signs in");
	is_str(ip_jstr(a, "user.id"), id, "... to the one account");
	is_str(ip_jstr(a, "user.email"), plain, "... whose address is stored normalised");
	ip_forget(j);
	JTOK = csrf_of(j, "/login");
	/* The schema refuses an address that is not in its normal form. */
	like(ip_q_error(ip_strf("INSERT INTO users (email, display_name) VALUES"
	    " (U&'pt-\\212Aiki-%s@example.test', 'K')", ip_tag())), "users_email_check",
	    "the database refuses an address not in its normal form");
	clear_lockouts();
}

static void
disabled(void)
{
	struct ip_jar *d = ip_browser("d");
	struct ip_resp *a;

	a = login(d, E, PW);
	is_status(a, 303, "a session before the account is disabled");
	ip_exec("UPDATE users SET status = 'disabled' WHERE id = $1", USER_ID, NULL);
	a = jlogin(E, PW);
	is_status(a, 403, "disabled account, right password: 403");
	like(ip_jstr(a, "message"), "disabled", "... and says it is disabled");
	a = jlogin(E, "Wrong-Password-1");
	is_status(a, 401, "disabled account, wrong password: 401 (nothing revealed)");
	a = IP(AUTH, .path = "/account.json", .jar = d);
	is_status(a, 401, "the disabled user's open session no longer works");
	ip_exec("UPDATE users SET status = 'unverified' WHERE id = $1", USER_ID, NULL);
	a = jlogin(E, PW);
	is_status(a, 403, "unconfirmed account, right password: 403");
	like(ip_jstr(a, "message"), "Confirm your e-mail address first",
	    "... and says to confirm the address");
	ok(ip_jar_get(j, SESSION_COOKIE) == NULL, "... and no session");
	ip_exec("UPDATE users SET status = 'active' WHERE id = $1", USER_ID, NULL);
	clear_lockouts();
}

static void
fixation(void)
{
	struct ip_jar *f = ip_browser("f"), *x = ip_browser("fx");
	struct ip_resp *a;
	const char *pre, *preline, *tok, *line, *sess, *planted, *p2, *after;

	a = IP(AUTH, .path = "/login", .jar = f);
	pre = ip_jar_get(f, PRE_COOKIE);
	like(pre, "^[0-9a-f]{64}$", "the sign-in page gives a pre-session cookie");
	preline = set_cookie_line(a, PRE_COOKIE);
	like(preline, "; HttpOnly", "pre-session cookie: HttpOnly");
	like(preline, "; Secure", "pre-session cookie: Secure");
	like(preline, "; SameSite=Lax", "pre-session cookie: SameSite=Lax");
	like(preline, "; Path=/(;|$)", "pre-session cookie: Path=/");
	unlike(preline, "[Dd]omain=", "pre-session cookie: no Domain");
	pre = ip_strf("%s", pre);
	tok = ip_csrf(a);
	a = hlogin(f, tok, E, PW, NULL);
	is_status(a, 303, "form sign-in: 303");
	is_str(ip_header(a, "Location"), "/", "... to the start page");
	line = set_cookie_line(a, SESSION_COOKIE);
	sess = set_cookie_val(a, SESSION_COOKIE);
	like(sess, "^[0-9a-f]{64}$", "a session cookie is set");
	ok(sess != NULL && strcmp(sess, pre) != 0, "the session token is not the pre-session token");
	like(line, "; HttpOnly", "session cookie: HttpOnly");
	like(line, "; Secure", "session cookie: Secure");
	like(line, "; SameSite=Lax", "session cookie: SameSite=Lax");
	like(line, "; Path=/(;|$)", "session cookie: Path=/");
	unlike(line, "[Dd]omain=", "session cookie: no Domain");
	like(line, ip_strf("Max-Age=%lld", wt_cfg.session_max_hours * 3600),
	    "session cookie lasts the absolute session.max_hours");
	is_str(set_cookie_val(a, PRE_COOKIE), "", "the pre-session cookie is deleted at sign-in");
	is_str(ip_jar_get(f, PRE_COOKIE), NULL, "... and gone from the browser");
	is_int(session_exists(sess), 1, "the server stores the session (as a hash)");
	is_int(session_exists(pre), 0, "the pre-session token is no session");

	/* A session token planted by somebody else is never adopted. */
	planted = rand_hex(32);
	a = IP(AUTH, .path = "/account", .cookie = ip_strf(SESSION_COOKIE "=%s", planted));
	is_status(a, 303, "a planted session cookie does not sign anybody in");
	like(set_cookie_line(a, SESSION_COOKIE), "^__Host-wt_session=;",
	    "... and the server tells the browser to drop it");
	a = IP(AUTH, .path = "/login", .cookie = ip_strf(SESSION_COOKIE "=%s", planted));
	p2 = set_cookie_val(a, PRE_COOKIE);
	tok = ip_csrf(a);
	a = IP(AUTH, .method = "POST", .path = "/login",
	    .cookie = ip_strf(PRE_COOKIE "=%s; " SESSION_COOKIE "=%s", p2, planted),
	    .form = ip_strf("csrf=%s&email=%s&password=%s", ip_urlenc(tok), ip_urlenc(E),
	    ip_urlenc(PW)));
	is_status(a, 303, "signing in with a planted session cookie: 303");
	after = set_cookie_val(a, SESSION_COOKIE);
	like(after, "^[0-9a-f]{64}$", "... sets a session cookie");
	ok(after != NULL && strcmp(after, planted) != 0, "... a new one, not the planted token");
	is_int(session_exists(planted), 0, "the planted token is not a session on the server");
	a = IP(AUTH, .path = "/account.json", .cookie = ip_strf(SESSION_COOKIE "=%s", planted));
	is_status(a, 401, "the planted token still does not work after the victim signed in");
	a = IP(AUTH, .path = "/account.json", .cookie = ip_strf(SESSION_COOKIE "=%s", after));
	is_status(a, 200, "the new session works");
	{
		char *upper = ip_strf("%s", after ? after : "");

		for (char *p = upper; *p; p++)
			if (*p >= 'a' && *p <= 'f')
				*p = (char)(*p - 'a' + 'A');
		a = IP(AUTH, .path = "/account.json", .cookie = ip_strf(SESSION_COOKIE "=%s", upper));
		is_status(a, 401, "the token in capitals is not accepted");
	}

	/* --- logout --- */
	a = IP(AUTH, .path = "/account", .jar = f);
	is_status(a, 200, "signed in: /account is 200");
	tok = ip_csrf(a);
	a = IP(AUTH, .method = "POST", .path = "/logout", .jar = f,
	    .form = ip_strf("csrf=%s", ip_urlenc(tok)));
	is_status(a, 303, "logout: 303");
	is_str(ip_header(a, "Location"), "/login?signed_out=1", "... to the sign-in page");
	is_str(set_cookie_val(a, SESSION_COOKIE), "", "... deleting the session cookie");
	is_int(session_exists(sess), 0, "the session row is gone from the database");
	a = IP(AUTH, .path = "/account", .cookie = ip_strf(SESSION_COOKIE "=%s", sess));
	is_status(a, 303, "the old cookie replayed: /account redirects");
	is_str(ip_header(a, "Location"), "/login?next=%2Faccount", "... to the sign-in page");
	a = IP(AUTH, .path = "/account.json", .cookie = ip_strf(SESSION_COOKIE "=%s", sess));
	is_status(a, 401, "the old cookie replayed, JSON: 401");
	a = IP(AUTH, .path = "/account", .cookie = ip_strf(SESSION_COOKIE "=%s", sess),
	    .accept = "application/json");
	is_status(a, 401, "... also when JSON is asked for with Accept");
	like(ip_header(a, "WWW-Authenticate"), "^Bearer", "... with WWW-Authenticate: Bearer");
	a = IP(AUTH, .path = "/login?signed_out=1", .jar = f);
	like(a->body, "You are signed out", "the sign-in page says so");

	/* JSON logout. */
	a = jlogin(E, PW);
	{
		const char *s2 = ip_strf("%s", ip_jar_get(j, SESSION_COOKIE) ?
		    ip_jar_get(j, SESSION_COOKIE) : "");

		a = IP(AUTH, .path = "/account", .jar = j);
		tok = ip_csrf(a);
		a = IP(AUTH, .method = "POST", .path = "/logout", .jar = j,
		    .accept = "application/json", .csrf = tok);
		is_status(a, 200, "JSON logout: 200");
		is_str(ip_jstr(a, "."), "{\"status\":\"signed out\"}", "... says signed out");
		is_int(session_exists(s2), 0, "... and the session row is gone");
	}
	ip_forget(j);
	JTOK = csrf_of(j, "/login");

	/* --- session expiry --- */
	login(x, E, PW);
	{
		const char *sx = ip_strf("%s", ip_jar_get(x, SESSION_COOKIE));

		ip_exec("UPDATE web_sessions SET last_seen_at = now() - interval '7 hours'"
		    " WHERE token_hash = $1", sha256_of(sx), NULL);
		a = IP(AUTH, .path = "/account.json", .jar = x);
		is_status(a, 200, "7 hours idle: still signed in");
		is_str(ip_q("SELECT last_seen_at > now() - interval '1 minute' FROM web_sessions"
		    " WHERE token_hash = $1", sha256_of(sx), NULL), "t",
		    "... and the use counts as activity");
		ip_exec("UPDATE web_sessions SET last_seen_at = now() - interval '9 hours'"
		    " WHERE token_hash = $1", sha256_of(sx), NULL);
		a = IP(AUTH, .path = "/account", .jar = x);
		is_status(a, 303, "9 hours idle (over 480 min): signed out");
		is_str(ip_header(a, "Location"), "/login?next=%2Faccount", "... sent to sign in");
	}
	login(x, E, PW);
	{
		const char *sx = ip_strf("%s", ip_jar_get(x, SESSION_COOKIE));

		ip_exec("UPDATE web_sessions SET expires_at = now() - interval '1 second'"
		    " WHERE token_hash = $1", sha256_of(sx), NULL);
		a = IP(AUTH, .path = "/account.json", .jar = x);
		is_status(a, 401, "past the absolute lifetime: signed out");
	}
}

static void
next_redirect(void)
{
	struct ip_jar *n = ip_browser("n");
	struct ip_resp *a;
	const char *csrf;

	a = IP(AUTH, .path = "/login?next=//evil.example", .accept = "application/json");
	is_status(a, 400, "next=//evil.example: 400");
	is_str(ip_jstr(a, "field"), "next", "... names the field");
	a = IP(AUTH, .path = "/login?next=https://evil.example");
	is_status(a, 400, "next=https://evil.example: 400");
	a = IP(AUTH, .path = "/login?next=%2F%5Cevil.example");
	is_status(a, 400, "next=/\\evil.example: 400");
	csrf = csrf_of(n, "/login");
	a = hlogin(n, csrf, E, PW, "&next=%2F%2Fevil.example");
	is_status(a, 400, "POST with next=//evil.example: 400");
	is_str(ip_header(a, "Location"), NULL, "... no redirect");
	is_str(ip_jar_get(n, SESSION_COOKIE), NULL, "... and not signed in");
	a = hlogin(n, csrf, E, PW, "&next=https%3A%2F%2Fevil.example%2Fx");
	is_status(a, 400, "POST with next=https://evil.example/x: 400");
	a = IP(AUTH, .path = "/login?next=/account", .jar = n);
	like(a->body, "name=\"next\" value=\"/account\"", "the form carries next=/account");
	a = hlogin(n, csrf, E, PW, "&next=%2Faccount");
	is_status(a, 303, "POST with next=/account: 303");
	is_str(ip_header(a, "Location"), "/account", "... to /account");
	a = IP(AUTH, .path = "/login?next=/account", .jar = n);
	is_status(a, 303, "already signed in: /login?next=/account redirects");
	is_str(ip_header(a, "Location"), "/account", "... to /account");
}

int
main(void)
{
	long long uid;

	if (ip_init("auth_login") != 0)
		return 0;
	E = ip_strf("login-%s@example.test", ip_tag());
	NOBODY = ip_strf("nobody-%s@example.test", ip_tag());
	uid = make_user(E, "Login Tester", PW, "member");
	ok(uid > 0, "a confirmed user to sign in with");
	USER_ID = ip_strf("%lld", uid);
	j = ip_browser("j");
	JTOK = csrf_of(j, "/login");
	no_enumeration();
	backoff();
	lookalikes();
	disabled();
	fixation();
	next_redirect();
	clear_lockouts();
	return ip_done();
}
