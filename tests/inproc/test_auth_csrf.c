/* CSRF, in process (was tests/api/15_auth_csrf.t): every state-changing
 * route refuses a missing token, a wrong one, one made for another
 * browser, and the pre-sign-in token once signed in; and changes nothing
 * when it refuses.  The token works as the form field, the X-CSRF-Token
 * header and the JSON member "csrf". */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "flows.h"
#include "check.h"

static const char *EC, *NEWU, *WRONG, *PWC = "Marigold-Beacon-Thunder-39";
static const char *NEWPW = "Changed-Pass-Word-55";

/* Expects 403 for the CSRF token.  variant: NULL (missing), "" (empty),
 * or the token to send. */
static void
refuse(struct ip_jar *b, const char *variant, const char *path, const char *what,
    const char *fields)
{
	const char *form = variant == NULL ? fields + (fields[0] == '&') :
	    ip_strf("csrf=%s%s", ip_urlenc(variant), fields);
	struct ip_resp *a = IP(AUTH, .method = "POST", .path = path, .jar = b,
	    .accept = "application/json", .form = *form ? form : NULL);

	is_str(ip_strf("%d %s", a->status, ip_jstr(a, "field")), "403 csrf",
	    ip_strf("%s: 403 for the CSRF token", what));
}

static const char *
name_of(const char *v, const char *TB)
{
	if (v == NULL)
		return "missing";
	if (*v == '\0')
		return "empty";
	if (v == WRONG)
		return "wrong";
	if (v == TB)
		return "browser xb's token";
	return v;
}

int
main(void)
{
	struct ip_jar *xa, *xb, *ca, *cb, *xc, *xd;
	const char *TA, *TB, *PRE_CA, *TCA, *TCB, *TXC, *mode, *row_before, *sca, *xcs, *RT,
	    *hash_before, *m;
	struct ip_resp *a;
	unsigned char rnd[32];
	long long mark, refused_mark;

	if (ip_init("auth_csrf") != 0)
		return 0;
	ip_lock_global();
	mode = ip_q("SELECT registration_mode FROM settings", NULL);
	EC = ip_strf("csrf-%s@example.test", ip_tag());
	NEWU = ip_strf("csrf-new-%s@example.test", ip_tag());
	random_bytes(rnd, sizeof(rnd));
	{
		char *w = b64url_encode(rnd, sizeof(rnd));

		WRONG = ip_strf("%s", w);
		free(w);
	}
	ok(make_user(EC, "Csrf Tester", PWC, "member") > 0, "a confirmed user");

	/* Two anonymous browsers with their pre-session tokens. */
	xa = ip_browser("xa");
	xb = ip_browser("xb");
	TA = csrf_of(xa, NULL);
	TB = csrf_of(xb, NULL);
	ok(TA != NULL && TB != NULL && strcmp(TA, TB) != 0, "two browsers get two different tokens");

	/* One user signed in from two browsers; ca's token from before. */
	ca = ip_browser("ca");
	cb = ip_browser("cb");
	PRE_CA = csrf_of(ca, NULL);
	a = login(ca, EC, PWC);
	is_status(a, 303, "signed in from browser ca");
	a = login(cb, EC, PWC);
	is_status(a, 303, "... and from browser cb");
	TCA = csrf_of(ca, "/account");
	TCB = csrf_of(cb, "/account");
	ok(TCA != NULL && TCB != NULL && strcmp(TCA, TCB) != 0 && strcmp(TCA, PRE_CA) != 0,
	    "each session has its own token, not the pre-session one");

	/* --- anonymous routes --- */
	set_mode("open");
	mark = refused_mark = mail_mark();
	{
		const char *variants[] = { NULL, "", WRONG, TB };
		int sessions_before = session_rows(EC);

		for (size_t i = 0; i < 4; i++) {
			const char *v = variants[i], *n = name_of(v, TB);

			refuse(xa, v, "/login", ip_strf("POST /login, %s", n),
			    ip_strf("&email=%s&password=%s", ip_urlenc(EC), ip_urlenc(PWC)));
			refuse(xa, v, "/register", ip_strf("POST /register, %s", n),
			    ip_strf("&email=%s&display_name=New+Person&password=%s", ip_urlenc(NEWU),
			    ip_urlenc(PWC)));
			refuse(xa, v, "/password/forgot", ip_strf("POST /password/forgot, %s", n),
			    ip_strf("&email=%s", ip_urlenc(EC)));
		}
		is_str(ip_jar_get(xa, SESSION_COOKIE), NULL, "login refused: browser xa is not signed in");
		is_int(session_rows(EC), sessions_before, "... no session was made");
	}
	is_str(ip_q("SELECT count(*) FROM users WHERE email = $1", NEWU, NULL), "0",
	    "register refused: no account");
	is_str(ip_q("SELECT count(*) FROM auth_tokens t JOIN users u ON u.id = t.user_id"
	    " WHERE u.email = $1 AND t.kind = 'reset'", EC, NULL), "0",
	    "forgot refused: no reset link made");
	is_str(ip_strf("%d%d", mail_count_to(EC, mark), mail_count_to(NEWU, mark)), "00",
	    "... and no message sent");

	a = IP(AUTH, .method = "POST", .path = "/login", .jar = xa,
	    .json = ip_json("{ss ss ss}", "csrf", TB, "email", EC, "password", PWC));
	is_status(a, 403, "JSON body with another browser's token: 403");
	a = IP(AUTH, .method = "POST", .path = ip_strf("/login?csrf=%s", TA), .jar = xa,
	    .accept = "application/json",
	    .form = ip_strf("email=%s&password=%s", ip_urlenc(EC), ip_urlenc(PWC)));
	is_status(a, 403, "the token in the query string: 403");

	/* --- signed-in routes --- */
	row_before = user_row(EC);
	{
		const char *variants[] = { NULL, WRONG, TCB, PRE_CA, TA };

		for (size_t i = 0; i < 5; i++) {
			const char *v = variants[i], *n;

			n = v == TCB ? "the token of the user's other session" :
			    v == PRE_CA ? "this browser's token from before signing in" :
			    v == TA ? "an anonymous browser's token" : name_of(v, NULL);
			refuse(ca, v, "/account", ip_strf("POST /account, %s", n),
			    "&display_name=Changed+Name&timezone=Europe%2FParis&target_pace_min=99");
			refuse(ca, v, "/account/password", ip_strf("POST /account/password, %s", n),
			    ip_strf("&current_password=%s&password=Changed-Pass-Word-55", ip_urlenc(PWC)));
			refuse(ca, v, "/account/sessions/revoke-others",
			    ip_strf("POST /account/sessions/revoke-others, %s", n), "");
			refuse(ca, v, "/logout", ip_strf("POST /logout, %s", n), "");
		}
	}
	is_str(user_row(EC), row_before, "refused: the profile and password are unchanged");
	is_int(session_rows(EC), 2, "refused: both sessions are still there");
	a = IP(AUTH, .path = "/account.json", .jar = ca);
	is_status(a, 200, "refused logout: browser ca is still signed in");
	a = IP(AUTH, .path = "/account.json", .jar = cb);
	is_status(a, 200, "refused revoke-others: browser cb is still signed in");
	a = IP(AUTH, .path = "/logout",
	    .cookie = ip_strf(SESSION_COOKIE "=%s", ip_jar_get(ca, SESSION_COOKIE)));
	is_status(a, 405, "GET /logout: 405");
	a = IP(AUTH, .path = "/account.json", .jar = ca);
	is_status(a, 200, "... and does not sign out");

	/* --- the right token works, in every form --- */
	a = IP(AUTH, .method = "POST", .path = "/account", .jar = ca, .accept = "application/json",
	    .csrf = TCA, .form = "display_name=Header+Name&timezone=UTC&target_pace_min=30");
	is_status(a, 200, "POST /account with X-CSRF-Token: 200");
	a = IP(AUTH, .method = "POST", .path = "/account.json", .jar = ca,
	    .json = ip_json("{ss ss ss si}", "csrf", TCA, "display_name", "Json Name",
	    "timezone", "UTC", "target_pace_min", 30));
	is_status(a, 200, "POST /account.json with the JSON member csrf: 200");
	a = IP(AUTH, .method = "POST", .path = "/account", .jar = ca,
	    .form = ip_strf("csrf=%s&display_name=Form+Name&timezone=UTC&target_pace_min=30",
	    ip_urlenc(TCA)));
	is_status(a, 303, "POST /account with the form field: 303");
	is_str(ip_q("SELECT display_name FROM users WHERE email = $1", EC, NULL), "Form Name",
	    "... saved");
	a = IP(AUTH, .method = "POST", .path = "/account/sessions/revoke-others", .jar = ca,
	    .accept = "application/json", .csrf = TCA);
	is_str(ip_strf("%d %s", a->status, ip_jstr(a, "ended")), "200 1",
	    "revoke-others with X-CSRF-Token: ends the other session");
	login(cb, EC, PWC);
	a = IP(AUTH, .method = "POST", .path = "/account/password", .jar = ca,
	    .accept = "application/json", .csrf = TCA,
	    .form = ip_strf("current_password=%s&password=%s", ip_urlenc(PWC), ip_urlenc(NEWPW)));
	is_status(a, 200, "POST /account/password with X-CSRF-Token: 200");
	a = IP(AUTH, .path = "/account.json", .jar = cb);
	is_status(a, 401, "... the other session ended");
	sca = ip_strf("%s", ip_jar_get(ca, SESSION_COOKIE));
	a = IP(AUTH, .method = "POST", .path = "/logout", .jar = ca, .accept = "application/json",
	    .csrf = TCA);
	is_status(a, 200, "POST /logout with X-CSRF-Token: 200");
	is_int(session_exists(sca), 0, "... the session is gone");

	/* Signing in with the header; then the pre-sign-in token is dead. */
	xc = ip_browser("xc");
	TXC = csrf_of(xc, NULL);
	a = IP(AUTH, .method = "POST", .path = "/login", .jar = xc, .csrf = TXC,
	    .form = ip_strf("email=%s&password=%s", ip_urlenc(EC), ip_urlenc(NEWPW)));
	is_status(a, 303, "POST /login with X-CSRF-Token: 303");
	refuse(xc, TXC, "/account", "after signing in, the token from the sign-in page",
	    "&display_name=Pre+Token&timezone=UTC&target_pace_min=30");
	refuse(xc, TXC, "/logout", "after signing in, the sign-in page's token for /logout", "");
	a = IP(AUTH, .path = "/account.json", .jar = xc);
	is_status(a, 200, "... still signed in");
	is_str(ip_q("SELECT display_name FROM users WHERE email = $1", EC, NULL), "Form Name",
	    "... nothing changed");

	/* A bearer token that is not a valid JWT proves nothing, so it must
	 * not stand in for the CSRF token either. */
	xcs = ip_strf("%s", ip_jar_get(xc, SESSION_COOKIE));
	a = IP(AUTH, .method = "POST", .path = "/logout", .jar = xc, .bearer = "notajwt");
	ok(a->status == 401 || a->status == 403,
	    "POST /logout with 'Authorization: Bearer notajwt' and no CSRF token: refused (got %d)",
	    a->status);
	a = IP(AUTH, .path = "/account.json", .cookie = ip_strf(SESSION_COOKIE "=%s", xcs));
	is_status(a, 200, "... the session is still signed in");
	xd = ip_browser("xd");
	csrf_of(xd, NULL);
	a = IP(AUTH, .method = "POST", .path = "/login", .jar = xd, .bearer = "notajwt",
	    .form = ip_strf("email=%s&password=%s", ip_urlenc(EC), ip_urlenc(NEWPW)));
	ok(a->status == 401 || a->status == 403,
	    "POST /login with 'Authorization: Bearer notajwt' and no CSRF token: refused (got %d)",
	    a->status);
	is_str(ip_jar_get(xd, SESSION_COOKIE), NULL, "... not signed in");

	mark = mail_mark();
	a = IP(AUTH, .method = "POST", .path = "/register", .jar = xa, .csrf = TA,
	    .form = ip_strf("email=%s&display_name=New+Person&password=%s", ip_urlenc(NEWU),
	    ip_urlenc(PWC)));
	is_status(a, 200, "POST /register with X-CSRF-Token: 200");
	is_str(ip_q("SELECT count(*) FROM users WHERE email = $1", NEWU, NULL), "1",
	    "... the account exists");
	a = IP(AUTH, .method = "POST", .path = "/password/forgot", .jar = xa, .csrf = TA,
	    .form = ip_strf("email=%s", ip_urlenc(EC)));
	is_status(a, 200, "POST /password/forgot with X-CSRF-Token: 200");
	m = mail_latest_to(EC, mark);
	ok(m != NULL, "... the message is sent");
	RT = link_token(mail_link(m));
	is_str(ip_strf("%d %d", mail_count_to(EC, refused_mark), mail_count_to(NEWU, refused_mark)), "1 1",
	    ip_strf("since the refused requests: one message each to %s and %s, from the accepted ones",
	    EC, NEWU));

	/* --- the reset form --- */
	hash_before = pw_hash(EC);
	{
		const char *variants[] = { NULL, WRONG, TB };

		for (size_t i = 0; i < 3; i++)
			refuse(xa, variants[i], "/password/reset",
			    ip_strf("POST /password/reset, %s", name_of(variants[i], TB)),
			    ip_strf("&token=%s&password=Reset-Pass-Word-77", RT ? RT : ""));
	}
	is_str(pw_hash(EC), hash_before, "reset refused: the password is unchanged");
	is_str(ip_q("SELECT used_at IS NULL FROM auth_tokens WHERE token_hash = $1",
	    sha256_of(RT ? RT : ""), NULL), "t", "... the link is not used up");
	a = IP(AUTH, .method = "POST", .path = "/password/reset", .jar = xa,
	    .accept = "application/json", .csrf = TA,
	    .form = ip_strf("token=%s&password=Reset-Pass-Word-77", RT ? RT : ""));
	is_status(a, 200, "POST /password/reset with X-CSRF-Token: 200");

	set_mode(mode != NULL && *mode ? mode : "invite");
	clear_lockouts();
	return ip_done();
}
