/* The widget's sign-in and refresh flow, in process: POST /api/v1/token
 * with "refresh": true (a session of its own), POST /api/v1/token/refresh
 * (rotation, the grace for two tabs, reuse after it ending the session,
 * an idle or expired session), and every way the widget's sign-in ends,
 * its access and refresh tokens with it: the widget's sign-out
 * (/api/v1/token/revoke), ending it from /account/sessions, "sign out
 * everywhere else", a password change, a disabled account. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "flows.h"
#include "check.h"

static const char *PW = "Heron-Quartz-Lantern-57";

static struct ip_resp *
refresh(const char *tok)
{
	return IP(AUTH, .method = "POST", .path = "/api/v1/token/refresh",
	    .json = ip_json("{ss}", "refresh_token", tok));
}

static const char *
rows_of(const char *uid)
{
	return ip_q("SELECT count(*) || '/' || count(used_at) FROM refresh_tokens r"
	    " JOIN web_sessions s ON s.id = r.session_id WHERE s.user_id = $1", uid, NULL);
}

static struct ip_resp *
sign_in(const char *e)
{
	return IP(AUTH, .method = "POST", .path = "/api/v1/token",
	    .json = ip_json("{ss ss sb}", "email", e, "password", PW, "refresh", 1));
}

/* The session a refresh token belongs to. */
static const char *
session_of(const char *tok)
{
	return ip_q("SELECT session_id FROM refresh_tokens WHERE token_hash = $1",
	    sha256_of(tok), NULL);
}

int
main(void)
{
	const char *E, *UID, *R1, *R2, *R3, *A1, *A2, *SID;
	struct ip_resp *a;
	struct ip_jar *c;

	if (ip_init("test_auth_refresh") != 0)
		return 0;
	E = ip_strf("%s-refresh@example.com", ip_tag());
	UID = ip_strf("%lld", ip_user(E, "Refresh Person", "member", PW));

	a = IP(AUTH, .method = "POST", .path = "/api/v1/token",
	    .json = ip_json("{ss ss}", "email", E, "password", PW));
	is_status(a, 200, "a token without refresh: 200");
	is_str(ip_jstr(a, "refresh_token"), NULL, "... and no refresh token");
	a = sign_in(E);
	is_status(a, 200, "a token with \"refresh\": true: 200");
	R1 = ip_jstr(a, "refresh_token");
	A1 = ip_jstr(a, "access_token");
	like(R1, "^[0-9a-f]{64}$", "... a refresh token of 256 bits");
	SID = session_of(R1);
	is_str(ip_q("SELECT kind || ' ' || (expires_at > now() + interval '100 hours')"
	    " FROM web_sessions WHERE id = $1", SID, NULL), "token true",
	    "... in a session of its own, lasting as a browser's");
	is_str(ip_q("SELECT count(*) FROM refresh_tokens WHERE token_hash = $1", sha256_of(R1),
	    NULL), "1", "... stored as its SHA-256");
	is_str(ip_q("SELECT count(*) FROM refresh_tokens WHERE token_hash = $1", R1, NULL), "0",
	    "... never as itself");

	a = refresh(R1);
	is_status(a, 200, "refresh: 200");
	A2 = ip_jstr(a, "access_token");
	R2 = ip_jstr(a, "refresh_token");
	ok(A2 != NULL && R2 != NULL && strcmp(R1, R2) != 0, "... a new access and refresh token");
	is_str(ip_jstr(a, "expires_in"), "900", "... the access token for 15 minutes");
	a = IP(AUTH, .path = "/account.json", .bearer = A2);
	is_status(a, 200, "the new access token works");
	is_str(rows_of(UID), "2/1", "the first refresh token is spent, one new");

	a = refresh(R1);
	is_status(a, 401, "the spent token again at once (another tab): 401");
	like(ip_jstr(a, "message"), "just used", "... says it was just used");
	is_str(rows_of(UID), "2/1", "... and ends nothing");
	a = refresh(R2);
	is_status(a, 200, "the newest token still works");
	R3 = ip_jstr(a, "refresh_token");

	/* Used again long after it was spent: a copy; the family ends. */
	ip_exec("UPDATE refresh_tokens SET used_at = now() - interval '10 minutes'"
	    " WHERE token_hash = $1", sha256_of(R1), NULL);
	a = refresh(R1);
	is_status(a, 401, "a token spent 10 minutes ago, again: 401");
	like(ip_jstr(a, "message"), "ended", "... the widget's sign-in is ended");
	is_str(rows_of(UID), "0/0", "... every refresh token of it is gone");
	is_str(ip_q("SELECT count(*) FROM web_sessions WHERE id = $1", SID, NULL), "0",
	    "... with its session");
	is_status(refresh(R3), 401, "... the newest one is refused too");
	is_status(IP(AUTH, .path = "/account.json", .bearer = A2), 401,
	    "... and so is the access token it gave");

	/* Unused for longer than session.idle_minutes, or past its end. */
	R1 = ip_jstr(sign_in(E), "refresh_token");
	ip_exec("UPDATE web_sessions SET last_seen_at = now() - interval '9 hours'"
	    " WHERE id = $1", session_of(R1), NULL);
	a = refresh(R1);
	is_status(a, 401, "a sign-in unused for 9 hours: 401");
	is_str(ip_jstr(a, "field"), "refresh_token", "... naming refresh_token");
	R1 = ip_jstr(sign_in(E), "refresh_token");
	ip_exec("UPDATE web_sessions SET expires_at = now() - interval '1 second'"
	    " WHERE id = $1", session_of(R1), NULL);
	is_status(refresh(R1), 401, "a sign-in past session.max_hours: 401");

	/* The widget's sign-out. */
	a = sign_in(E);
	R1 = ip_jstr(a, "refresh_token");
	A1 = ip_jstr(a, "access_token");
	a = IP(AUTH, .method = "POST", .path = "/api/v1/token/revoke",
	    .json = ip_json("{ss}", "refresh_token", R1));
	is_str(ip_strf("%d %s", a->status, ip_jstr(a, "revoked")), "200 true",
	    "revoke: 200, revoked");
	is_status(refresh(R1), 401, "... the token buys nothing any more");
	is_status(IP(AUTH, .path = "/account.json", .bearer = A1), 401,
	    "... and the access token ended with it");
	a = IP(AUTH, .method = "POST", .path = "/api/v1/token/revoke",
	    .json = ip_json("{ss}", "refresh_token", R1));
	is_str(ip_strf("%d %s", a->status, ip_jstr(a, "revoked")), "200 false",
	    "revoke again: 200, nothing to revoke");

	/* A disabled account. */
	R1 = ip_jstr(sign_in(E), "refresh_token");
	ip_exec("UPDATE users SET status = 'disabled' WHERE id = $1", UID, NULL);
	is_status(refresh(R1), 401, "a disabled person's refresh token: 401");
	ip_exec("UPDATE users SET status = 'active' WHERE id = $1", UID, NULL);

	/* Ended from the sessions page, one session. */
	R1 = ip_jstr(sign_in(E), "refresh_token");
	c = ip_browser("c");
	login(c, E, PW);
	a = IP(AUTH, .method = "POST", .path = ip_strf("/account/sessions/%s/revoke",
	    session_of(R1)), .jar = c, .csrf = csrf_of(c, "/account/sessions"));
	ok(a->status == 303 || a->status == 200, "the widget's session ended from the sessions page");
	is_status(refresh(R1), 401, "... its refresh token ended with it");

	/* "Sign out everywhere else" ends them too. */
	R1 = ip_jstr(sign_in(E), "refresh_token");
	a = IP(AUTH, .method = "POST", .path = "/account/sessions/revoke-others", .jar = c,
	    .csrf = csrf_of(c, "/account/sessions"));
	ok(a->status == 303 || a->status == 200, "sign out everywhere else");
	is_status(refresh(R1), 401, "... the widget's refresh token ended with it");

	/* A password change (from the browser) ends every other session. */
	R1 = ip_jstr(sign_in(E), "refresh_token");
	a = IP(AUTH, .method = "POST", .path = "/account/password", .jar = c,
	    .csrf = csrf_of(c, "/account"), .form = ip_strf("current_password=%s&password=%s"
	    "&password_confirm=%s", PW, "Osprey-Marble-Kettle-93", "Osprey-Marble-Kettle-93"));
	ok(a->status == 303 || a->status == 200, "the password changed in the browser");
	is_status(refresh(R1), 401, "... the widget's refresh token ended with it");

	/* Bad input. */
	a = IP(AUTH, .method = "POST", .path = "/api/v1/token/refresh", .json = "{}");
	is_error(a, 400, "refresh_token", "no refresh token: 400");
	a = refresh("not-a-token");
	is_status(a, 401, "an unknown token: 401");
	ok(strstr(ip_all_logs(), R1) == NULL, "no refresh token in the logs");
	return ip_done();
}
