/* Admin forms in a browser, in process (issue 8, newcomer points 2 and
 * 4): a mistake (a team name empty or taken, an unknown member's e-mail,
 * an empty device name, a name left empty) is shown next to its field on
 * the page the person was on, with what they typed, never as a full-page
 * 400 or 409; and what destroys something asks first. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "admin_flows.h"
#include "check.h"

static struct admin ADM;
static struct ip_jar *B;
static const char *CSRF, *tag;

static struct ip_resp *
post(const char *path, const char *form)
{
	return IP(ADMIN, .method = "POST", .path = path, .jar = B,
	    .form = ip_strf("csrf=%s%s%s", ip_urlenc(CSRF), *form ? "&" : "", form));
}

/* The form again: its page, the message at the field, the value kept. */
static void
on_the_page(const struct ip_resp *a, int status, const char *field, const char *msg,
    const char *typed, const char *page_mark, const char *what)
{
	is_status(a, status, ip_strf("%s: %d", what, status));
	like(field_error(a, field), msg, ip_strf("%s: the message is next to the field", what));
	if (typed != NULL)
		like(a->body, ip_strf("name=\"%s\"[^>]*value=\"%s\"", field, typed),
		    ip_strf("%s: what was typed is kept", what));
	like(a->body, page_mark, ip_strf("%s: on the page, with the rest of it", what));
	unlike(a->body, "error-page", ip_strf("%s: not an error page", what));
	like(a->body, ip_strf("id=\"f-%s\"[^>]*autofocus", field), ip_strf("%s: focus on the field", what));
}

int
main(void)
{
	const char *team, *taken, *pid;
	struct ip_resp *a;

	if (ip_init("forms") != 0)
		return 0;
	/* It counts audit rows. */
	ip_lock_global();
	tag = ip_tag();
	make_admin(&ADM);
	B = ip_browser("forms");
	is_status(login(B, ADM.email, PERSON_PW), 303, "the admin signs in with a browser");
	CSRF = ip_csrf(IP(ADMIN, .path = "/admin/teams", .jar = B));
	ok(CSRF != NULL, "the teams page has a form");
	taken = ip_strf("Taken %s", tag);
	team = make_team(&ADM, taken);

	a = post("/admin/teams", "name=");
	on_the_page(a, 400, "name", "Name is required", NULL, "<h1>Teams</h1>", "a team without a name");
	like(a->body, taken, "... the list of teams is shown too");
	a = post("/admin/teams", ip_strf("name=%s", ip_urlenc(ip_strf("taken %s", tag))));
	on_the_page(a, 409, "name", ip_strf("A team called &#39;taken %s&#39; exists already", tag),
	    ip_strf("taken %s", tag), "<h1>Teams</h1>", "a team name taken (in another case)");

	a = post(ip_strf("/admin/teams/%s/members", team), ip_strf("email=%s&role=manager",
	    ip_urlenc(ip_strf("nobody-%s@example.test", tag))));
	on_the_page(a, 400, "email", "Nobody has an account with the address", ip_strf("nobody-%s@example.test", tag),
	    ip_strf("<h1>%s</h1>", taken), "adding an unknown e-mail to a team");
	like(a->body, "<option value=\"manager\" selected>", "... the role chosen is kept");
	a = post(ip_strf("/admin/teams/%s", team), "name=");
	on_the_page(a, 400, "name", "Name is required", "", ip_strf("<h1>%s</h1>", taken),
	    "renaming a team to nothing");
	a = post("/admin/teams/999999999/members", "email=x%40example.test");
	is_status(a, 404, "a team that does not exist: 404, an error page");

	a = post("/admin/devices/codes", "device_name=&kind=phone");
	on_the_page(a, 400, "device_name", "Device name is required", "", "<h1>Devices</h1>",
	    "a code for a device without a name");
	like(a->body, "<option value=\"phone\" selected>", "... the kind chosen is kept");

	pid = ip_strf("%lld", make_user(ip_strf("formp-%s@example.test", tag), "Form Person",
	    PERSON_PW, "member"));
	a = post(ip_strf("/admin/users/%s", pid), "display_name=&role=manager");
	on_the_page(a, 400, "display_name", "Name is required", "", "<h1>Form Person</h1>",
	    "a person's name emptied");
	like(a->body, "<option value=\"manager\" selected>", "... the role chosen is kept");
	a = post(ip_strf("/admin/users/%s/delete", pid), "confirm=wrong%40example.test");
	on_the_page(a, 400, "confirm", "Type the person&#39;s e-mail address", "wrong@example.test",
	    "<h1>Form Person</h1>", "a deletion confirmed with the wrong address");
	like(a->body, "<details class=\"confirm\" open>", "... the confirmation stays open");
	is_str(ip_q("SELECT count(*) FROM users WHERE id = $1", pid, NULL), "1", "... nobody deleted");

	/* What destroys something asks first. */
	a = IP(ADMIN, .path = ip_strf("/admin/teams/%s", team), .jar = B);
	like(a->body, "<summary class=\"button danger-outline\">Delete the team", "deleting a team asks first");
	like(a->body, "<button type=\"submit\" class=\"danger\">Yes, delete the team</button>",
	    "... with a button that looks dangerous");
	a = IP(ADMIN, .path = ip_strf("/admin/users/%s", pid), .jar = B);
	like(a->body, "<summary class=\"button danger-outline\">Deactivate", "deactivating asks first");
	make_device(pid, ip_strf("Form laptop %s", tag), NULL, NULL);
	a = IP(ADMIN, .path = ip_strf("/admin/devices?user=%s", pid), .jar = B);
	like(a->body, "<summary class=\"button danger-outline small\">Revoke", "revoking a device asks first");
	post("/admin/devices/codes", ip_strf("device_name=%s", ip_urlenc("Form phone")));
	a = IP(ADMIN, .path = "/admin/devices", .jar = B);
	like(a->body, "Revoke<span class=\"visually-hidden\"> the code for Form phone", "revoking a code asks first");

	/* Notices say what happened. */
	a = post(ip_strf("/admin/teams/%s", team), ip_strf("name=%s", ip_urlenc(ip_strf("Renamed %s", tag))));
	is_status(a, 303, "a rename: 303");
	a = IP(ADMIN, .path = ip_header(a, "Location"), .jar = B);
	like(a->body, ip_strf("The team is now called Renamed %s\\.", tag), "... the notice says the new name");
	a = post(ip_strf("/admin/teams/%s/members", team), ip_strf("user_id=%s&role=member", pid));
	a = IP(ADMIN, .path = ip_header(a, "Location"), .jar = B);
	like(a->body, ip_strf("Form Person is a member of Renamed %s\\.", tag), "an added member is named");

	/* The audit log names people and teams and lists what changed; a
	 * save that changed nothing is not recorded. */
	{
		long long a0 = audit_max();
		json_t *e;

		a = post(ip_strf("/admin/users/%s", pid), "display_name=Form+Person&role=member");
		is_status(a, 303, "saving a person unchanged: 303");
		is_int(audit_since(a0), 0, "... and nothing recorded");
		post(ip_strf("/admin/users/%s", pid), "display_name=Form+Person+II&role=manager");
		is_int(audit_since(a0), 1, "a real change: one entry");
		a = api("GET", ip_strf("/admin/audit?action=user.update&target_id=%s", pid), ADM.token, NULL);
		e = ip_jget(a, "entries.0");
		is_str(ip_jval(e, "actor_name"), ADM.name, "the entry names who did it");
		is_str(ip_jval(e, "target_name"), "Form Person II", "... and whom");
		is_str(ip_jnorm(ip_jval(e, "changes")), ip_jnorm("[{\"field\":\"display_name\",\"before\":"
		    "\"Form Person\",\"after\":\"Form Person II\"},{\"field\":\"role\",\"before\":"
		    "\"member\",\"after\":\"manager\"}]"), "... and exactly the fields that changed");
		a = api("GET", ip_strf("/admin/audit?action=team.member_add&target_id=%s", team), ADM.token, NULL);
		like(ip_jstr(a, "entries.0.changes"), "\"field\":\"user_id\",\"before\":null,"
		    "\"after\":\"Form Person II\"", "a membership's person is named, not numbered");
		a = IP(ADMIN, .path = ip_strf("/admin/audit?target_id=%s&target_type=user", pid), .jar = B);
		like(a->body, "<del>member</del> → <ins>manager</ins>", "the page shows before and after");
		like(a->body, ip_strf("<td data-label=\"Who\">%s</td>", ADM.name), "... and who, by name");
		unlike(a->body, "\\{&quot;", "... no raw JSON");
	}

	/* Settings come in groups; screenshot fields are marked as applying
	 * only when screenshots are taken (CSS hides them, no script). */
	a = IP(ADMIN, .path = "/admin/settings", .jar = B);
	like(a->body, "<legend>Screenshots</legend>", "settings: a Screenshots group");
	like(a->body, "<legend>Privacy</legend>", "... Privacy");
	like(a->body, "<legend>Working day</legend>", "... Working day");
	like(a->body, "<legend>Registration</legend>", "... Registration");
	like(a->body, "<div class=\"when-shots when-interval\">", "... the interval applies to one mode");
	like(a->body, "<div class=\"field check\">", "... the checkbox has its own layout");
	ip_exec("DELETE FROM users WHERE id = $1", pid, NULL);
	return ip_done();
}
