/* The widget's refresh flow, in process: POST /api/v1/token with
 * "refresh": true, POST /api/v1/token/refresh (rotation, the grace for
 * two tabs, reuse after it ending the family, expiry), and every way a
 * refresh token is ended: the widget's sign-out (/api/v1/token/revoke),
 * a password change, "sign out everywhere else", a disabled account. */
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
	return ip_q("SELECT count(*) || '/' || count(used_at) FROM refresh_tokens"
	    " WHERE user_id = $1", uid, NULL);
}

int
main(void)
{
	const char *E, *UID, *R1, *R2, *R3, *A2;
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
	a = IP(AUTH, .method = "POST", .path = "/api/v1/token",
	    .json = ip_json("{ss ss sb}", "email", E, "password", PW, "refresh", 1));
	is_status(a, 200, "a token with \"refresh\": true: 200");
	R1 = ip_jstr(a, "refresh_token");
	like(R1, "^[0-9a-f]{64}$", "... a refresh token of 256 bits");
	is_str(ip_jstr(a, "refresh_expires_in"), "2592000", "... for 30 days");
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
	like(ip_jstr(a, "message"), "revoked", "... every token of the sign-in revoked");
	is_str(rows_of(UID), "0/0", "... the whole family is gone");
	a = refresh(R3);
	is_status(a, 401, "... the newest one too");

	/* Expired. */
	a = IP(AUTH, .method = "POST", .path = "/api/v1/token",
	    .json = ip_json("{ss ss sb}", "email", E, "password", PW, "refresh", 1));
	R1 = ip_jstr(a, "refresh_token");
	ip_exec("UPDATE refresh_tokens SET expires_at = now() - interval '1 second'"
	    " WHERE token_hash = $1", sha256_of(R1), NULL);
	a = refresh(R1);
	is_status(a, 401, "an expired refresh token: 401");
	is_str(ip_jstr(a, "field"), "refresh_token", "... naming refresh_token");

	/* The widget's sign-out. */
	a = IP(AUTH, .method = "POST", .path = "/api/v1/token",
	    .json = ip_json("{ss ss sb}", "email", E, "password", PW, "refresh", 1));
	R1 = ip_jstr(a, "refresh_token");
	a = IP(AUTH, .method = "POST", .path = "/api/v1/token/revoke",
	    .json = ip_json("{ss}", "refresh_token", R1));
	is_str(ip_strf("%d %s", a->status, ip_jstr(a, "revoked")), "200 true",
	    "revoke: 200, revoked");
	is_status(refresh(R1), 401, "... the token buys nothing any more");
	a = IP(AUTH, .method = "POST", .path = "/api/v1/token/revoke",
	    .json = ip_json("{ss}", "refresh_token", R1));
	is_str(ip_strf("%d %s", a->status, ip_jstr(a, "revoked")), "200 false",
	    "revoke again: 200, nothing to revoke");

	/* A disabled account. */
	a = IP(AUTH, .method = "POST", .path = "/api/v1/token",
	    .json = ip_json("{ss ss sb}", "email", E, "password", PW, "refresh", 1));
	R1 = ip_jstr(a, "refresh_token");
	ip_exec("UPDATE users SET status = 'disabled' WHERE id = $1", UID, NULL);
	is_status(refresh(R1), 401, "a disabled person's refresh token: 401");
	ip_exec("UPDATE users SET status = 'active' WHERE id = $1", UID, NULL);

	/* A password change ends refresh tokens as it ends access tokens. */
	a = IP(AUTH, .method = "POST", .path = "/api/v1/token",
	    .json = ip_json("{ss ss sb}", "email", E, "password", PW, "refresh", 1));
	R1 = ip_jstr(a, "refresh_token");
	ip_exec("UPDATE users SET token_version = token_version + 1 WHERE id = $1", UID, NULL);
	is_status(refresh(R1), 401, "after the token version moved (password change): 401");

	/* "Sign out everywhere else" ends them too. */
	a = IP(AUTH, .method = "POST", .path = "/api/v1/token",
	    .json = ip_json("{ss ss sb}", "email", E, "password", PW, "refresh", 1));
	R1 = ip_jstr(a, "refresh_token");
	c = ip_browser("c");
	login(c, E, PW);
	a = IP(AUTH, .method = "POST", .path = "/account/sessions/revoke-others", .jar = c,
	    .csrf = csrf_of(c, "/account/sessions"));
	ok(a->status == 303 || a->status == 200, "sign out everywhere else");
	is_status(refresh(R1), 401, "... the widget's refresh token ended with it");

	/* Bad input. */
	a = IP(AUTH, .method = "POST", .path = "/api/v1/token/refresh", .json = "{}");
	is_error(a, 400, "refresh_token", "no refresh token: 400");
	a = refresh("not-a-token");
	is_status(a, 401, "an unknown token: 401");
	ok(strstr(ip_all_logs(), R1) == NULL, "no refresh token in the logs");
	return ip_done();
}
