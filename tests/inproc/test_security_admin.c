/* Issue 8's security points about roles and names, in process:
 *  7. a manager acts (enrollment codes, and so device tokens; revoking
 *     codes and devices) only on people whose role is below theirs, even
 *     when an admin or another manager is in their team;
 *  8. demoting a manager to member ends their team-manager memberships,
 *     so promoting them again restores no forgotten scope; the schema
 *     refuses a manager membership of a member;
 * 10. names that reach e-mail (people's, teams') refuse control
 *     characters and line separators, field by field, in the forms and
 *     in the schema. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "admin_flows.h"
#include "check.h"

static struct admin ADM;
static const char *tag;

/* A person made with SQL (no scrypt), with an access token. */
static const char *
person(const char *who, const char *role, const char **token)
{
	long long id = ip_user(ip_strf("%s-%s@example.test", who, tag), who, role, NULL);

	*token = ip_token(id);
	return ip_strf("%lld", id);
}

static void
manager_acts_below(void)
{
	const char *T, *G, *GT, *M, *MT, *A2, *A2T, *G2, *G2T, *dev_a2, *dev_m, *code_a2;
	struct ip_resp *a;

	T = make_team(&ADM, ip_strf("Roles %s", tag));
	G = person("greta", "member", &GT);
	M = person("mia", "member", &MT);
	A2 = person("ada", "admin", &A2T);
	G2 = person("gus", "manager", &G2T);
	add_member(&ADM, T, G, "manager");
	add_member(&ADM, T, M, "member");
	add_member(&ADM, T, A2, "member");
	add_member(&ADM, T, G2, "member");
	is_str(ip_q("SELECT role FROM users WHERE id = $1", G, NULL), "manager",
	    "Greta manages the team (an admin, a manager and a member are in it)");

#define CODE_FOR(tok, uid) api("POST", "/admin/devices/codes", tok, \
	    ip_json("{sI ss}", "user_id", (json_int_t)atoll(uid), "device_name", "Laptop"))
	a = CODE_FOR(GT, M);
	is_status(a, 201, "the manager makes a code for a member of the team");
	a = CODE_FOR(GT, G);
	is_status(a, 201, "... and for themselves");
	a = CODE_FOR(GT, A2);
	is_status(a, 403, "... but not for the admin in their team");
	like(ip_jstr(a, "message"), "only on the members", "... saying why");
	a = CODE_FOR(GT, G2);
	is_status(a, 403, "... nor for the other manager in it");
	is_str(ip_q("SELECT count(*) FROM enrollment_codes WHERE user_id IN ($1, $2)", A2, G2, NULL),
	    "0", "no code was made for either");
	a = CODE_FOR(ADM.token, A2);
	is_status(a, 201, "the admin makes a code for the other admin");
	code_a2 = ip_jstr(a, "id");
#undef CODE_FOR

	dev_a2 = make_device(A2, ip_strf("ada-%s", tag), "now()", NULL);
	dev_m = make_device(M, ip_strf("mia-%s", tag), "now()", NULL);
	a = api("GET", "/admin/devices", GT, NULL);
	like(ip_jbody(a), ip_strf("ada-%s", tag), "the manager still sees the admin's device");
	a = api("POST", ip_strf("/admin/devices/%s/revoke", dev_a2), GT, NULL);
	is_status(a, 403, "... but cannot revoke it");
	a = api("POST", ip_strf("/admin/devices/codes/%s/revoke", code_a2 ? code_a2 : "0"), GT,
	    NULL);
	is_status(a, 403, "... nor the admin's enrollment code");
	is_str(ip_q("SELECT (SELECT revoked_at IS NULL FROM devices WHERE id = $1)::text || ' ' ||"
	    " (SELECT revoked_at IS NULL FROM enrollment_codes WHERE id = $2)::text",
	    dev_a2, code_a2 ? code_a2 : "0", NULL), "true true", "both still live");
	a = api("POST", ip_strf("/admin/devices/%s/revoke", dev_m), GT, NULL);
	is_status(a, 200, "the member's device: revoked by the manager");
	(void)MT;
	(void)G2T;
	(void)A2T;
}

static void
demotion(void)
{
	const char *T2, *P, *PT, *M, *MT, *row;
	struct ip_resp *a;

	T2 = make_team(&ADM, ip_strf("Demote %s", tag));
	P = person("pia", "member", &PT);
	M = person("max", "member", &MT);
	add_member(&ADM, T2, P, "manager");
	add_member(&ADM, T2, M, "member");
	a = api("GET", ip_strf("/admin/users/%s", M), PT, NULL);
	is_status(a, 200, "as the team's manager, Pia sees Max");

	a = api("POST", ip_strf("/admin/users/%s", P), ADM.token,
	    ip_json("{ss ss}", "display_name", "pia", "role", "member"));
	is_status(a, 200, "the admin demotes Pia to member");
	is_str(ip_q("SELECT role FROM team_members WHERE team_id = $1 AND user_id = $2", T2, P, NULL),
	    "member", "... her manager membership became a plain one");
	row = audit_last("user.teams_unmanaged", P);
	like(row, ip_strf("Demote %s", tag), "... audited, naming the team she no longer manages");

	a = api("POST", ip_strf("/admin/users/%s", P), ADM.token,
	    ip_json("{ss ss}", "display_name", "pia", "role", "manager"));
	is_status(a, 200, "promoted to manager again");
	is_str(ip_q("SELECT role FROM team_members WHERE team_id = $1 AND user_id = $2", T2, P, NULL),
	    "member", "... the old team scope does not come back");
	a = api("GET", ip_strf("/admin/users/%s", M), PT, NULL);
	is_status(a, 404, "... she no longer sees Max");
	a = api("GET", "/admin/teams", PT, NULL);
	is_str(ip_jstr(a, "teams.0.id"), NULL, "... nor any team");

	like(ip_q_error(ip_strf("UPDATE team_members SET role = 'manager'"
	    " WHERE team_id = %s AND user_id = %s", T2, M)), "cannot manage a team",
	    "the schema refuses a manager membership of a member");
	(void)MT;
}

static void
plain_names(void)
{
	static const char *const bad[] = { "Eve\nDear customer, click here", "Eve\r\nBcc: x",
	    "Eve\tTab", "Eve\x1b[31mred", "Eve\x7f", "Eve\xc2\x85next", "Eve\xe2\x80\xa8line",
	    "Eve\xe2\x80\xa9para", NULL };
	const char *E, *ET, *T, *before, *tok;
	struct ip_resp *a;
	int refused = 0, n = 0;

	E = person("eve", "member", &ET);
	T = make_team(&ADM, ip_strf("Names %s", tag));
	before = user_json(E);
	for (int i = 0; bad[i] != NULL; i++, n++) {
		a = api("POST", ip_strf("/admin/users/%s", E), ADM.token,
		    ip_json("{ss ss}", "display_name", bad[i], "role", "member"));
		refused += a->status == 400 && ip_jstr(a, "field") &&
		    strcmp(ip_jstr(a, "field"), "display_name") == 0;
	}
	is_int(refused, n, "an admin cannot give a person a name with a control character, "
	    "CR/LF, NEL or a line separator (400 naming display_name)");
	is_str(user_json(E), before, "... nothing changed");
	a = api("POST", ip_strf("/admin/users/%s", E), ADM.token,
	    ip_json("{ss ss}", "display_name", "Zoë 漢字 🙂 O'Brien-Smith", "role", "member"));
	is_status(a, 200, "a name with accents, CJK and an emoji is fine");

	refused = 0;
	for (int i = 0; bad[i] != NULL; i++) {
		a = IP(AUTH, .method = "POST", .path = "/account", .bearer = ET,
		    .accept = "application/json", .json = ip_json("{ss ss si}", "display_name",
		    bad[i], "timezone", "Europe/Berlin", "target_pace_min", 30));
		refused += a->status == 400;
	}
	is_int(refused, n, "nor can the person on their own account page");

	a = api("POST", "/admin/teams", ADM.token, ip_json("{ss}", "name", "Sales\nBcc: x"));
	is_error(a, 400, "name", "a team name with a newline: 400 naming name");
	a = api("POST", ip_strf("/admin/teams/%s", T), ADM.token,
	    ip_json("{ss}", "name", "Sales\xe2\x80\xa8x"));
	is_error(a, 400, "name", "renaming a team to a name with a line separator: 400");

	tok = make_invite(ip_strf("inv-%s@example.test", tag), "member", "1 day");
	{
		struct ip_jar *j = ip_browser("names-inv");
		const char *csrf;

		a = IP(AUTH, .path = ip_strf("/register?invite=%s", tok), .jar = j);
		csrf = ip_csrf(a);
		a = IP(AUTH, .method = "POST", .path = "/register", .jar = j,
		    .accept = "application/json", .form = ip_strf("csrf=%s&invite=%s&display_name=%s"
		    "&password=%s&password_confirm=%s", ip_urlenc(csrf), tok,
		    ip_urlenc("New\nPhishing line"), ip_urlenc(PERSON_PW), ip_urlenc(PERSON_PW)));
		is_error(a, 400, "display_name", "registering with a newline in the name: 400");
	}

	like(ip_q_error(ip_strf("UPDATE users SET display_name = E'a\\nb' WHERE id = %s", E)),
	    "users_display_name_plain", "the schema refuses such a name too");
	like(ip_q_error(ip_strf("UPDATE teams SET name = E'a\\u2028b' WHERE id = %s", T)),
	    "teams_name_plain", "... and such a team name");
}

int
main(void)
{
	if (ip_init("security_admin") != 0)
		return 0;
	tag = ip_tag();
	make_admin(&ADM);
	ok(ADM.token != NULL, "this run's admin has an access token");
	manager_acts_below();
	demotion();
	plain_names();
	return ip_done();
}
