/* Invitations (issue 8, security point 4), in process.  An invitation
 * carries its sender's authority, so it must end with it: an admin's
 * invitation to the admin role, left behind by an admin who is then
 * deleted, made a new admin before this change.  Here: invitations die
 * with a sender who is deleted, deactivated or demoted; registering
 * through one consumes every other one for the address; one to the admin
 * role works 24 hours; admins (and managers, for members of their teams)
 * list, send again and revoke them; and the pages show a refused
 * invitation next to its field, with what was typed. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "admin_flows.h"
#include "check.h"

static struct admin ADM;
static const char *tag;

/* Another admin, with an access token. */
static struct admin
other_admin(const char *what)
{
	struct admin a;

	a.email = ip_strf("%s-%s@example.test", what, tag);
	a.name = ip_strf("Admin %s %s", what, tag);
	a.id = ip_strf("%lld", make_user(a.email, a.name, PERSON_PW, "admin"));
	a.token = ip_token(atoll(a.id));
	return a;
}

/* GET /register?invite=TOKEN: 200 while the link works. */
static int
link_status(const char *tok)
{
	return IP(AUTH, .path = ip_strf("/register?invite=%s", tok))->status;
}

static const char *
invite_row(const char *email, const char *cols)
{
	return ip_q(ip_strf("SELECT %s FROM invites WHERE email = lower($1) ORDER BY id DESC LIMIT 1",
	    cols), email, NULL);
}

/* The sender deleted, deactivated or demoted: their invitations go. */
static void
with_the_sender(void)
{
	struct admin gone = other_admin("gone"), off = other_admin("off"), down = other_admin("down");
	const char *e1 = ip_strf("heir1-%s@example.test", tag), *e2 = ip_strf("heir2-%s@example.test", tag);
	const char *e3 = ip_strf("heir3-%s@example.test", tag), *t1, *t2, *t3;
	struct ip_resp *a;

	t1 = invite(&gone, e1, "admin", NULL);
	t2 = invite(&off, e2, "admin", NULL);
	t3 = invite(&down, e3, "manager", NULL);
	ok(t1 && t2 && t3, "three admins each invite someone");
	is_int(link_status(t1), 200, "the first link works");

	/* The regression: before sql/008 this link still made an admin. */
	a = api("POST", ip_strf("/admin/users/%s/delete", gone.id), ADM.token,
	    ip_json("{ss}", "confirm", gone.email));
	is_status(a, 200, "the sender of an admin invitation is deleted");
	is_int(link_status(t1), 400, "... and the link no longer works");
	is_str(invite_row(e1, "revoked_reason"), "sender_deleted", "... revoked, saying why");
	a = IP(AUTH, .method = "POST", .path = "/register", .accept = "application/json",
	    .csrf = csrf_of(ip_browser("heir1"), "/login"), .jar = ip_browser("heir1"),
	    .json = ip_json("{ss ss ss}", "invite", t1, "display_name", "Heir", "password", PERSON_PW));
	ok(a->status >= 400, "... registering with it fails (%d)", a->status);
	is_str(ip_q("SELECT count(*) FROM users WHERE email = $1", e1, NULL), "0", "... no account, no new admin");

	a = api("POST", ip_strf("/admin/users/%s/deactivate", off.id), ADM.token, NULL);
	is_status(a, 200, "the sender of another is deactivated");
	is_int(link_status(t2), 400, "... and their link no longer works");
	is_str(invite_row(e2, "revoked_reason"), "sender_deactivated", "... revoked, saying why");

	a = api("POST", ip_strf("/admin/users/%s", down.id), ADM.token,
	    ip_json("{ss ss}", "display_name", down.name, "role", "member"));
	is_status(a, 200, "the sender of a third is demoted to member");
	is_int(link_status(t3), 400, "... and their link no longer works");
	is_str(invite_row(e3, "revoked_reason"), "sender_demoted", "... revoked, saying why");

	/* Changes that take nothing away leave invitations alone. */
	{
		struct admin stay = other_admin("stay");
		const char *e4 = ip_strf("heir4-%s@example.test", tag), *t4 = invite(&stay, e4, "member", NULL);

		api("POST", ip_strf("/admin/users/%s", stay.id), ADM.token,
		    ip_json("{ss ss}", "display_name", "Renamed Admin", "role", "admin"));
		is_int(link_status(t4), 200, "a sender renamed: their invitation still works");
		ip_exec("UPDATE users SET status = 'disabled' WHERE id = $1", stay.id, NULL);
		is_int(link_status(t4), 400, "deactivated by SQL by hand: the database revokes it too");
	}
}

/* One account per address: the other invitations go with the first used. */
static void
consumed(void)
{
	struct admin two = other_admin("two");
	const char *e = ip_strf("Twice-%s@Example.test", tag), *lower = ip_strf("twice-%s@example.test", tag);
	const char *tm, *ta;

	tm = invite(&ADM, e, "member", NULL);
	ta = invite(&two, lower, "admin", NULL);
	ok(tm && ta, "two admins invite one address, as a member and as an admin");
	is_int(register_invited(tm, "Twice Invited", ip_browser("twice")), 0,
	    "the person registers through the member invitation");
	is_str(ip_q("SELECT role FROM users WHERE email = $1", lower, NULL), "member", "... as a member");
	is_int(link_status(ta), 400, "the admin invitation no longer works");
	is_str(ip_q("SELECT revoked_reason FROM invites WHERE email = $1 AND role = 'admin'", lower, NULL),
	    "registered", "... consumed by the registration");
	ip_exec("DELETE FROM users WHERE email = $1", lower, NULL);
	is_int(link_status(ta), 400, "... and stays dead after the account is deleted");
}

/* An invitation to the admin role: 24 hours; others 7 days. */
static void
admin_for_a_day(void)
{
	const char *ea = ip_strf("day-%s@example.test", tag), *em = ip_strf("week-%s@example.test", tag);
	long long mark = mail_mark();
	const char *ta = invite(&ADM, ea, "admin", NULL), *tm = invite(&ADM, em, "member", NULL);

	ok(ta && tm, "an admin and a member are invited");
	is_str(invite_row(ea, "expires_at - sent_at"), "1 day", "the admin invitation works 24 hours");
	is_str(invite_row(em, "expires_at - sent_at"), "7 days", "the member invitation 7 days");
	like(mail_latest_to(ea, mark), "within 24 hours", "... and the message says 24 hours");
	like(mail_latest_to(em, mark), "within 7 days", "... or 7 days");
	ip_exec("UPDATE invites SET sent_at = sent_at - interval '25 hours',"
	    " expires_at = expires_at - interval '25 hours' WHERE email = $1", ea, NULL);
	is_int(link_status(ta), 400, "25 hours later the admin link is dead");
	ip_exec("UPDATE invites SET sent_at = sent_at - interval '25 hours',"
	    " expires_at = expires_at - interval '25 hours' WHERE email = $1", em, NULL);
	is_int(link_status(tm), 200, "... the member link still works");
	like(ip_q_error(ip_strf("INSERT INTO invites (token_hash, email, role, expires_at) VALUES"
	    " (repeat('a', 64), 'x-%s@example.test', 'admin', now() + interval '7 days')", tag)),
	    "invites_admin_24h", "the database refuses an admin invitation longer than 24 hours");
}

/* The invite= of a message's link. */
static const char *
invite_token(const char *msg)
{
	const char *p = msg != NULL ? strstr(msg, "register?invite=") : NULL;

	if (p == NULL)
		return NULL;
	p += 16;
	return ip_strf("%.*s", (int)strspn(p, "0123456789abcdef"), p);
}

static json_t *
listed(const struct ip_resp *a, const char *email)
{
	json_t *arr = ip_jget(a, "invitations"), *o;
	size_t i;

	json_array_foreach(arr, i, o)
		if (strcmp(ip_jval(o, "email"), email) == 0)
			return o;
	return NULL;
}

/* List, send again, revoke; a manager for members of their own team. */
static void
manage(void)
{
	const char *team = make_team(&ADM, ip_strf("Inv team %s", tag));
	const char *other = make_team(&ADM, ip_strf("Inv other %s", tag));
	const char *mgr_email = ip_strf("invmgr-%s@example.test", tag);
	const char *mgr = make_person(&ADM, mgr_email, "manager", team, NULL, NULL);
	const char *mine = ip_strf("mine-%s@example.test", tag), *theirs = ip_strf("theirs-%s@example.test", tag);
	const char *boss = ip_strf("boss-%s@example.test", tag);
	const char *tmine = invite(&ADM, mine, "member", team), *tnew, *id, *mid;
	long long mark;
	struct ip_resp *a;

	invite(&ADM, theirs, "member", other);
	invite(&ADM, boss, "manager", team);
	ok(mgr && tmine, "a manager of a team; invitations into it and another team");
	a = api("GET", "/admin/invitations", ADM.token, NULL);
	is_status(a, 200, "the admin lists the invitations");
	ok(listed(a, mine) && listed(a, theirs) && listed(a, boss), "... every pending one");
	is_str(listed(a, mine) ? ip_jval(listed(a, mine), "sender") : NULL, ADM.name, "... with who sent it");
	a = api("GET", "/admin/invitations", mgr, NULL);
	is_status(a, 200, "the manager lists the invitations");
	ok(listed(a, mine) != NULL, "... sees the member invited into their team");
	ok(listed(a, theirs) == NULL, "... not the other team's");
	ok(listed(a, boss) == NULL, "... not one to a role as high as theirs");
	id = invite_row(theirs, "id");
	is_status(api("POST", ip_strf("/admin/invitations/%s/revoke", id), mgr, NULL), 404,
	    "the manager cannot revoke the other team's (404)");
	is_int(link_status(tmine), 200, "the link into the manager's team works");

	mid = invite_row(mine, "id");
	mark = mail_mark();
	a = api("POST", ip_strf("/admin/invitations/%s/resend", mid), mgr, NULL);
	is_status(a, 200, "the manager sends their team's invitation again");
	tnew = invite_token(mail_latest_to(mine, mark));
	ok(tnew != NULL && strcmp(tnew, tmine) != 0, "... a new link is mailed");
	is_int(link_status(tmine), 400, "... the old link is dead");
	is_int(link_status(tnew), 200, "... the new one works");
	is_str(invite_row(mine, "sent_count"), "2", "... counted as sent twice");
	like(audit_last("invite.resend", mid), "\"actor_id\" *: *[0-9]", "... audited");

	a = api("POST", ip_strf("/admin/invitations/%s/revoke", mid), mgr, NULL);
	is_status(a, 200, "the manager revokes it");
	is_int(link_status(tnew), 400, "... the link is dead");
	is_str(invite_row(mine, "revoked_reason"), "revoked", "... revoked");
	ok(audit_last("invite.revoke", mid) != NULL && *audit_last("invite.revoke", mid), "... audited");
	a = api("POST", ip_strf("/admin/invitations/%s/revoke", mid), ADM.token, NULL);
	is_status(a, 409, "revoking it again: 409");
	a = api("POST", ip_strf("/admin/invitations/%s/resend", mid), ADM.token, NULL);
	is_status(a, 409, "sending a revoked one again: 409");
	ok(listed(api("GET", "/admin/invitations", ADM.token, NULL), mine) == NULL,
	    "a revoked invitation is not listed");
}

/* The pages: an invitation refused is shown on the page, next to its
 * field, with what was typed; a sent one is named in the notice. */
static void
pages(void)
{
	struct ip_jar *b = ip_browser("inv-pages");
	const char *csrf, *who = ip_strf("Page-%s@example.test", tag);
	struct ip_resp *a;

	is_status(login(b, ADM.email, PERSON_PW), 303, "the admin signs in with a browser");
	a = IP(ADMIN, .path = "/admin/invitations", .jar = b);
	is_status(a, 200, "the invitations page");
	like(a->body, "<h2 id=\"invite-h\">Invite a person</h2>", "... with the form");
	like(a->body, "Waiting to be accepted", "... and the list");
	csrf = ip_csrf(a);
	a = IP(ADMIN, .method = "POST", .path = "/admin/users", .jar = b, .form = ip_strf(
	    "csrf=%s&email=%s&role=manager", ip_urlenc(csrf), ip_urlenc(ADM.email)));
	is_status(a, 409, "inviting someone with an account: 409");
	like(field_error(a, "email"), "has an account already", "... said next to the e-mail field");
	like(a->body, ip_strf("value=\"%s\"", ADM.email), "... what was typed is kept");
	like(a->body, "<option value=\"manager\" selected>", "... and the role chosen");
	like(a->body, "Waiting to be accepted", "... on the invitations page, list and all");
	unlike(a->body, "error-page", "... not an error page");
	like(a->body, "id=\"f-email\"[^>]*autofocus", "... the cursor in the field");
	a = IP(ADMIN, .method = "POST", .path = "/admin/users", .jar = b, .form = ip_strf(
	    "csrf=%s&email=%s", ip_urlenc(csrf), "not-an-address"));
	is_status(a, 400, "a malformed address: 400");
	like(field_error(a, "email"), "E-mail", "... said next to the field");
	like(a->body, "value=\"not-an-address\"", "... as typed");
	a = IP(ADMIN, .method = "POST", .path = "/admin/users", .jar = b, .form = ip_strf(
	    "csrf=%s&email=%s&role=member", ip_urlenc(csrf), ip_urlenc(who)));
	is_status(a, 303, "a good invitation: 303");
	like(ip_header(a, "Location"), "^/admin/invitations\\?sent=[0-9]+$", "... back to the list");
	a = IP(ADMIN, .path = ip_header(a, "Location"), .jar = b);
	like(a->body, ip_strf("Invitation sent to %s\\.", invite_row(who, "email")),
	    "the notice names the address");
	like(a->body, ip_strf("/admin/invitations/%s/revoke", invite_row(who, "id")),
	    "... the list offers to revoke it");
	like(a->body, "<details class=\"confirm\">", "... behind a confirmation");
}

int
main(void)
{
	if (ip_init("invitations") != 0)
		return 0;
	/* It deletes and demotes admins and counts invitations. */
	ip_lock_global();
	tag = ip_tag();
	make_admin(&ADM);
	with_the_sender();
	consumed();
	admin_for_a_day();
	manage();
	pages();
	clear_lockouts();
	return ip_done();
}
