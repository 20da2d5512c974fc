/* Registration, in process (was tests/api/11_auth_register.t): open mode
 * with e-mail confirmation, the same answer for an address that has an
 * account, the password rules, invitations, closed mode, and forms that
 * keep what was typed except passwords.  The confirmation and notice
 * messages are read from the outbox they were queued in. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "flows.h"
#include "check.h"

static const char *E, *PW = "Quiet-Meadow-Falcon-17";

static const char *
count_users(const char *email)
{
	return ip_q("SELECT count(*) FROM users WHERE email = lower($1)", email, NULL);
}

/* POST /register from browser b with csrf; fields as a form tail. */
static struct ip_resp *
reg(struct ip_jar *b, const char *csrf, const char *accept, const char *fields)
{
	return IP(AUTH, .method = "POST", .path = "/register", .jar = b, .accept = accept,
	    .form = ip_strf("csrf=%s%s", ip_urlenc(csrf ? csrf : ""), fields));
}

static const char *
f(const char *name, const char *value)
{
	return ip_strf("&%s=%s", name, ip_urlenc(value));
}

static const char *
upper(const char *s)
{
	char *u = ip_strf("%s", s);

	for (char *p = u; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	return u;
}

static const char *new_page;

static void
open_mode(void)
{
	struct ip_jar *r = ip_browser("r"), *r2 = ip_browser("r2");
	struct ip_resp *a;
	const char *csrf, *m, *link, *hash_before, *j_new, *vlink, *E2;
	long long mark;

	set_mode("open");
	a = IP(AUTH, .path = "/register", .jar = r);
	is_status(a, 200, "open mode: the registration form");
	like(a->body, "name=\"email\"", "... asks for the e-mail");
	csrf = ip_csrf(a);
	like(csrf, "^[A-Za-z0-9_-]{43}$", "... with a CSRF token");
	mark = mail_mark();
	a = reg(r, csrf, NULL, ip_strf("%s%s%s%s", f("email", E), f("display_name", "Reg Tester"),
	    f("password", PW), f("password_confirm", PW)));
	is_status(a, 200, "POST /register: 200");
	like(a->body, "<h1>Check your e-mail</h1>", "... says to check the e-mail");
	new_page = main_part(a);
	is_str(ip_q("SELECT status FROM users WHERE email = $1", E, NULL), "unverified",
	    "the user is unverified");
	is_str(ip_q("SELECT role FROM users WHERE email = $1", E, NULL), "member", "... a member");
	is_str(ip_jar_get(r, SESSION_COOKIE), NULL, "... and not signed in");

	m = mail_latest_to(E, mark);
	ok(m != NULL, "a message went to the address");
	is_str(mail_subject(m), "Confirm your e-mail address", "... to confirm it");
	link = mail_link(m);
	like(link, ip_strf("^%s/verify\\?token=[0-9a-f]{64}$", wt_cfg.site_url),
	    "... with a link to /verify");

	a = login(r, E, PW);
	is_status(a, 403, "unconfirmed: cannot sign in (403)");
	like(form_error(a), "Confirm your e-mail address first", "... and is told why");

	a = IP(AUTH, .path = local_path(link));
	is_status(a, 200, "the link confirms the address");
	like(a->body, "Address confirmed", "... and says so");
	is_str(ip_q("SELECT status || '|' || (email_verified_at IS NOT NULL) FROM users"
	    " WHERE email = $1", E, NULL), "active|true", "the user is active and confirmed");
	a = IP(AUTH, .path = local_path(link));
	is_status(a, 400, "the link works once: the second use is 400");
	like(a->body, "Link not valid", "... 'Link not valid'");
	a = IP(AUTH, .path = local_path(link), .accept = "application/json");
	is_str(ip_jstr(a, "field"), "token", "... (JSON: field token)");
	a = IP(AUTH, .path = ip_strf("/verify?token=%s", rand_hex(32)));
	is_status(a, 400, "a made-up token: 400");
	a = IP(AUTH, .path = "/verify?token=xyz");
	is_status(a, 400, "a malformed token: 400");
	a = IP(AUTH, .path = "/verify");
	is_status(a, 400, "no token at all: 400");

	a = login(r, E, PW);
	is_status(a, 303, "confirmed: signs in");

	/* An address with an account: the same answer, a different message. */
	hash_before = pw_hash(E);
	csrf = csrf_of(r2, "/register");
	mark = mail_mark();
	a = reg(r2, csrf, NULL, ip_strf("%s%s%s%s", f("email", E),
	    f("display_name", "Somebody Else"), f("password", "Other-Secret-Pass-88"),
	    f("password_confirm", "Other-Secret-Pass-88")));
	is_status(a, 200, "registering a taken address: 200 as well");
	is_str(main_part(a), new_page, "... the identical page");
	m = mail_latest_to(E, mark);
	ok(m != NULL, "a message went to the owner");
	is_str(mail_subject(m), "Someone tried to register with your address", "... a different one");
	like(mail_link(m), ip_strf("^%s/login$", wt_cfg.site_url), "... pointing to the sign-in page");
	unlike(m, "verify\\?token=", "... with no confirmation link");
	is_str(count_users(E), "1", "still one user with that address");
	is_str(pw_hash(E), hash_before, "... the password is unchanged");
	is_str(ip_q("SELECT display_name FROM users WHERE email = $1", E, NULL), "Reg Tester",
	    "... the name is unchanged");
	a = reg(r2, csrf, NULL, ip_strf("%s%s%s", f("email", upper(E)),
	    f("display_name", "Somebody Else"), f("password", "Other-Secret-Pass-88")));
	is_status(a, 200, "the taken address in capitals: 200");
	is_str(count_users(E), "1", "... still one user");

	/* JSON: 202, the same for a new and a taken address. */
	E2 = ip_strf("reg2-%s@example.test", ip_tag());
	mark = mail_mark();
	a = reg(r2, csrf, "application/json", ip_strf("%s%s%s", f("email", E2),
	    f("display_name", "Reg Two"), f("password", PW)));
	is_status(a, 202, "JSON registration: 202");
	is_str(ip_jstr(a, "status"), "verification sent", "... verification sent");
	j_new = json_sans_id(a);
	a = reg(r2, csrf, "application/json", ip_strf("%s%s%s", f("email", E),
	    f("display_name", "Reg Two"), f("password", PW)));
	is_status(a, 202, "JSON, taken address: 202");
	is_str(json_sans_id(a), j_new, "... the identical body");
	/* A confirmation link is no password-reset link. */
	vlink = mail_link(mail_latest_to(E2, mark));
	a = IP(AUTH, .path = ip_strf("/password/reset?token=%s", link_token(vlink)));
	is_status(a, 400, "a confirmation token used as a reset link: 400");
	a = IP(AUTH, .path = local_path(vlink));
	is_status(a, 200, "... and it still confirms the address");
}

static void
weak(struct ip_jar *b, const char *csrf, const char *email, const char *pw, const char *what)
{
	struct ip_resp *a = reg(b, csrf, "application/json", ip_strf("%s%s%s%s", f("email", email),
	    f("display_name", "Weak Tester"), f("password", pw), f("password_confirm", pw)));

	is_status(a, 400, ip_strf("%s: 400", what));
	is_str(ip_jstr(a, "field"), "password", ip_strf("%s: field password", what));
	if (strcmp(what, "a short password (\"abc\")") == 0)
		like(ip_jstr(a, "message"), "at least 12 characters", "... says at least 12 characters");
	if (strcmp(what, "a dictionary word of 13 letters") == 0)
		like(ip_jstr(a, "message"), "dictionary word", "... says it is a dictionary word");
}

static void
password_rules(void)
{
	struct ip_jar *r2 = ip_browser("r2b");
	const char *csrf = csrf_of(r2, "/register");
	const char *E3 = ip_strf("weak-%s@example.test", ip_tag());
	/* "kestrelmangoqz" passes every other rule (the address is never
	 * made, so every run may use it). */
	const char *local = "kestrelmangoqz";
	const char *E4 = "kestrelmangoqz@example.test";
	struct ip_resp *a;

	weak(r2, csrf, E3, "abc", "a short password (\"abc\")");
	weak(r2, csrf, E3, "password1234", "\"password1234\"");
	weak(r2, csrf, E3, "international", "a dictionary word of 13 letters");
	a = reg(r2, csrf, "application/json", ip_strf("%s%s%s", f("email", E4),
	    f("display_name", "Weak Tester"), f("password", local)));
	is_status(a, 400, "the e-mail's local part as password: 400");
	is_str(ip_jstr(a, "field"), "password", "... field password");
	like(ip_jstr(a, "message"), "username", "... says it is based on the address");
	a = reg(r2, csrf, "application/json", ip_strf("%s%s%s%s", f("email", E3),
	    f("display_name", "Weak Tester"), f("password", PW),
	    f("password_confirm", ip_strf("%sx", PW))));
	is_status(a, 400, "the repeated password differs: 400");
	is_str(ip_jstr(a, "field"), "password_confirm", "... field password_confirm");
	is_str(ip_strf("%s%s", count_users(E3), count_users(E4)), "00",
	    "no account was made by any refused attempt");

	/* The HTML form keeps what was typed, never a password. */
	a = reg(r2, csrf, NULL, ip_strf("%s%s%s%s", f("email", E3),
	    f("display_name", ip_strf("Typed Name %s", ip_tag())),
	    f("password", "Echo-Check-Secret-7731"), f("password_confirm", "Echo-Check-Secret-7732")));
	is_status(a, 400, "HTML, passwords differ: 400");
	is_str(field_error(a, "password_confirm"), "The two passwords differ",
	    "... the error is under the field");
	like(a->body, ip_strf("value=\"%s\"", E3), "... the e-mail is kept");
	like(a->body, ip_strf("value=\"Typed Name %s\"", ip_tag()), "... the name is kept");
	unlike(a->body, "Echo-Check-Secret", "... no password is sent back");
	a = reg(r2, csrf, NULL, ip_strf("%s%s%s", f("email", E3),
	    f("display_name", ip_strf("Typed Name %s", ip_tag())), f("password", "international")));
	is_status(a, 400, "HTML, weak password: 400");
	like(field_error(a, "password"), "dictionary word", "... the error is under the password field");
	unlike(a->body, "international", "... and the password is not sent back");
	a = reg(r2, csrf, NULL, ip_strf("%s%s%s", f("email", "not-an-address"),
	    f("display_name", ip_strf("Typed Name %s", ip_tag())),
	    f("password", "Echo-Check-Secret-7733")));
	is_status(a, 400, "HTML, bad e-mail: 400");
	like(field_error(a, "email"), "e-mail address", "... the error is under the e-mail field");
	like(a->body, "value=\"not-an-address\"", "... what was typed is kept");
	unlike(a->body, "Echo-Check-Secret", "... the password is not");
	a = reg(r2, csrf, "application/json", ip_strf("%s%s%s", f("email", E3),
	    f("display_name", ip_repeat("n", 101)), f("password", PW)));
	is_str(ip_jstr(a, "field"), "display_name", "a name of 101 characters: 400 naming it");
	a = reg(r2, csrf, "application/json", ip_strf("%s%s", f("email", E3), f("password", PW)));
	is_str(ip_jstr(a, "field"), "display_name", "no name: 400 naming it");
}

static void
invitations(void)
{
	struct ip_jar *i = ip_browser("i"), *i2 = ip_browser("i2");
	const char *IE = ip_strf("invited-%s@example.test", ip_tag());
	const char *XE = ip_strf("expired-%s@example.test", ip_tag());
	const char *smuggled = ip_strf("smuggled-%s@example.test", ip_tag());
	const char *reg3 = ip_strf("reg3-%s@example.test", ip_tag());
	const char *inv, *xinv, *tinv, *csrf;
	struct ip_resp *a;

	set_mode("invite");
	a = IP(AUTH, .path = "/register", .jar = i);
	is_status(a, 200, "invite mode, no invitation: a page, not a refusal");
	like(a->body, "Registration is by invitation", "... says so");
	like(a->body, "ask your administrator to invite you", "... and how to get in");
	a = IP(AUTH, .path = "/register", .jar = i, .accept = "application/json");
	is_status(a, 403, "... a script is refused (403)");
	csrf = csrf_of(i, "/login");
	a = reg(i, csrf, NULL, ip_strf("%s%s%s", f("email", reg3), f("display_name", "No Invite"),
	    f("password", PW)));
	is_status(a, 403, "invite mode, POST without an invitation: 403");
	is_str(count_users(reg3), "0", "... no account");

	inv = make_invite(IE, "manager", NULL);
	a = IP(AUTH, .path = ip_strf("/register?invite=%s", inv), .jar = i);
	is_status(a, 200, "a valid invitation: the form");
	like(a->body, ip_strf("You were invited as <strong>%s</strong>", IE),
	    "... shows the invited address");
	like(a->body, ip_strf("name=\"invite\" value=\"%s\"", inv), "... carries the invitation");
	csrf = ip_csrf(a);
	a = reg(i, csrf, NULL, ip_strf("%s%s%s%s%s", f("invite", inv), f("email", smuggled),
	    f("display_name", "Invited One"), f("password", PW), f("password_confirm", PW)));
	is_status(a, 303, "registering with the invitation: 303");
	is_str(ip_header(a, "Location"), "/", "... to the start page");
	like(ip_jar_get(i, SESSION_COOKIE), "^[0-9a-f]{64}$", "... signed in");
	is_str(ip_q("SELECT status || '|' || role || '|' || (email_verified_at IS NOT NULL)"
	    " FROM users WHERE email = $1", IE, NULL), "active|manager|true",
	    "the user is active, confirmed, with the invitation's role");
	is_str(count_users(smuggled), "0", "the address in the form does not replace the invited one");
	is_str(ip_q("SELECT used_at IS NOT NULL AND used_by = (SELECT id FROM users WHERE email = $1)"
	    " FROM invites WHERE token_hash = $2", IE, sha256_of(inv), NULL), "t",
	    "the invitation is marked used by the user");
	a = IP(AUTH, .path = "/account.json", .jar = i);
	is_str(ip_jstr(a, "email"), IE, "the new session is the invited user's");

	a = IP(AUTH, .path = ip_strf("/register?invite=%s", inv), .jar = i2);
	is_status(a, 400, "a used invitation: 400");
	like(a->body, "Invitation not valid", "... says it is not valid");
	csrf = csrf_of(i2, "/login");
	a = reg(i2, csrf, NULL, ip_strf("%s%s%s", f("invite", inv), f("display_name", "Second Use"),
	    f("password", "Another-Long-Pass-19")));
	is_status(a, 400, "POST with a used invitation: 400");
	like(a->body, "invalid, used or expired", "... the form says why");
	is_str(ip_q("SELECT display_name FROM users WHERE email = $1", IE, NULL), "Invited One",
	    "... the account is untouched");

	xinv = make_invite(XE, "member", "-1 minute");
	a = IP(AUTH, .path = ip_strf("/register?invite=%s", xinv), .jar = i2);
	is_status(a, 400, "an expired invitation: 400");
	a = reg(i2, csrf, "application/json", ip_strf("%s%s%s", f("invite", xinv),
	    f("display_name", "Too Late"), f("password", PW)));
	is_status(a, 400, "POST with an expired invitation: 400");
	is_str(ip_jstr(a, "field"), "invite", "... field invite");
	is_str(count_users(XE), "0", "... no account");
	a = IP(AUTH, .path = ip_strf("/register?invite=%s", rand_hex(32)), .jar = i2);
	is_status(a, 400, "an unknown invitation: 400");
	a = IP(AUTH, .path = "/register?invite=not-a-token", .jar = i2);
	is_status(a, 400, "a malformed invitation: 400");

	/* An invitation for an address that has an account. */
	tinv = make_invite(E, "member", NULL);
	csrf = csrf_of(i2, ip_strf("/register?invite=%s", tinv));
	a = reg(i2, csrf, "application/json", ip_strf("%s%s%s", f("invite", tinv),
	    f("display_name", "Again"), f("password", PW)));
	is_status(a, 409, "an invitation for a taken address: 409");
	like(ip_jstr(a, "message"), "^[A-Za-z]", "... with a message in words");
	is_str(ip_q("SELECT used_at IS NULL FROM invites WHERE token_hash = $1",
	    sha256_of(tinv), NULL), "t", "... and the invitation stays unused");
}

static void
closed(void)
{
	struct ip_jar *c = ip_browser("c");
	const char *ce = ip_strf("closed-%s@example.test", ip_tag()), *csrf;
	struct ip_resp *a;

	set_mode("closed");
	a = IP(AUTH, .path = "/register", .jar = c);
	is_status(a, 200, "closed mode: a page, not a refusal");
	like(a->body, "Registration is closed", "... says so");
	like(a->body, "Ask yours for an invitation", "... and how to get in");
	csrf = csrf_of(c, "/login");
	a = reg(c, csrf, "application/json", ip_strf("%s%s%s", f("email", ce),
	    f("display_name", "Closed"), f("password", PW)));
	is_status(a, 403, "closed mode, POST: 403");
	like(ip_jstr(a, "message"), "Registration is closed", "... says so");
	is_str(count_users(ce), "0", "... no account");
}

int
main(void)
{
	const char *mode;

	if (ip_init("auth_register") != 0)
		return 0;
	ip_lock_global();
	mode = ip_q("SELECT registration_mode FROM settings", NULL);
	E = ip_strf("reg-%s@example.test", ip_tag());
	open_mode();
	password_rules();
	invitations();
	closed();
	set_mode(mode != NULL && *mode ? mode : "invite");
	clear_lockouts();
	return ip_done();
}
