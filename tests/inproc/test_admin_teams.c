/* Admin: teams, in process (was tests/api/21_admin_teams.t).  Create
 * (names unique whatever their case), rename, delete (people stay),
 * members by e-mail or id, making a team manager (which promotes a plain
 * member), removing members, and what a manager sees. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "admin_flows.h"
#include "check.h"

static struct admin ADM;

static const char *
upper(const char *s)
{
	char *u = ip_strf("%s", s);

	for (char *p = u; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	return u;
}

static const char *
members_of(const struct ip_resp *a)
{
	json_t *arr = ip_jget(a, "members"), *o;
	size_t i;
	const char *out = "";

	json_array_foreach(arr, i, o)
		out = ip_strf("%s%s%s", out, i ? "," : "", ip_jval(o, "id"));
	return out;
}

int
main(void)
{
	const char *E1, *E2, *E3, *M1, *M2, *M1_TOKEN, *M2_TOKEN, *M3_TOKEN, *TN, *TA, *TB, *aud,
	    *tag, *ren, *REN;
	struct ip_resp *a;
	long long a0;

	if (ip_init("admin_teams") != 0)
		return 0;
	/* It counts audit rows: alone. */
	ip_lock_global();
	tag = ip_tag();
	make_admin(&ADM);
	ok(ADM.token != NULL, "this run's admin has an access token");
	E1 = ip_strf("tm1-%s@example.test", tag);
	E2 = ip_strf("tm2-%s@example.test", tag);
	E3 = ip_strf("tm3-%s@example.test", tag);
	M1_TOKEN = make_person(&ADM, E1, "member", NULL, "Mia Teamlead", NULL);
	ok(M1_TOKEN != NULL, "a person who will manage a team");
	M2_TOKEN = make_person(&ADM, E2, "member", NULL, "Noah Member", NULL);
	ok(M2_TOKEN != NULL, "a person who will be a member");
	M1 = uid_of(E1);
	M2 = uid_of(E2);

	/* --- create --- */
	TN = ip_strf("Alpha %s", tag);
	a0 = audit_max();
	a = api("POST", "/admin/teams", ADM.token, ip_json("{ss}", "name", TN));
	is_status(a, 201, "create a team: 201");
	TA = ip_jstr(a, "id");
	if (TA == NULL)
		TA = "0";
	is_str(ip_jstr(a, "name"), TN, "... with its name");
	is_str(ip_q("SELECT name FROM teams WHERE id = $1", TA, NULL), TN, "... in the database");
	aud = audit_last("team.create", TA);
	is_str(ip_strf("%s|%s|%s|%s", ip_jtext(aud, "actor_email"), ip_jtext(aud, "target_type"),
	    ip_jtext(aud, "target_label"), ip_jtext(aud, "before")),
	    ip_strf("%s|team|%s|null", ADM.email, TN), "audit: team.create by the admin");
	is_str(ip_jnorm(ip_jtext(aud, "after")), ip_strf("{\"id\":%s,\"name\":\"%s\"}", TA, TN),
	    "audit: after = the team");
	is_int(audit_since(a0), 1, "one audit row");

	a0 = audit_max();
	a = api("POST", "/admin/teams", ADM.token, ip_json("{ss}", "name", ip_strf("ALPHA %s", tag)));
	is_error(a, 409, "name", "the same name in capitals: 409 naming name");
	like(ip_jstr(a, "message"), "^[A-Za-z]", "... with a message in words");
	unlike(a->body, "23505|teams_name_key|duplicate", "... and nothing of the SQL");
	a = api("POST", "/admin/teams", ADM.token, ip_json("{ss}", "name", TN));
	is_error(a, 409, "name", "the very same name: 409");
	is_str(ip_q("SELECT count(*) FROM teams WHERE lower(name) = lower($1)", TN, NULL), "1",
	    "still one team of that name");
	a = api("POST", "/admin/teams", ADM.token, "{}");
	is_error(a, 400, "name", "no name: 400 naming name");
	a = api("POST", "/admin/teams", ADM.token, "{\"name\":\"\"}");
	is_error(a, 400, "name", "an empty name: 400 naming name");
	a = api("POST", "/admin/teams", ADM.token, ip_json("{ss}", "name", ip_repeat("t", 101)));
	is_error(a, 400, "name", "a name of 101 characters: 400 naming name");
	a = api("POST", "/admin/teams", ADM.token, "{\"name\":42}");
	is_error(a, 400, "name", "a name that is a number: 400 naming name");
	is_int(audit_since(a0), 0, "refusals write no audit row");
	a = api("POST", "/admin/teams", M2_TOKEN, "{\"name\":\"Mine\"}");
	is_error(a, 403, "", "a member may not create a team: 403");
	TB = make_team(&ADM, ip_strf("Bravo %s", tag));
	ok(TB != NULL, "a second team");
	if (TB == NULL)
		TB = "0";

	/* --- rename --- */
	ren = ip_strf("Alpha Renamed %s", tag);
	a0 = audit_max();
	a = api("POST", ip_strf("/admin/teams/%s", TA), ADM.token, ip_json("{ss}", "name", ren));
	is_status(a, 200, "rename: 200");
	is_str(ip_strf("%s %s", ip_jstr(a, "id"), ip_jstr(a, "name")), ip_strf("%s %s", TA, ren),
	    "... with the new name");
	is_str(ip_q("SELECT name FROM teams WHERE id = $1", TA, NULL), ren, "... in the database");
	aud = audit_last("team.rename", TA);
	is_str(ip_strf("%s|%s|%s", ip_jtext(aud, "actor_email"), ip_jtext(aud, "before.name"),
	    ip_jtext(aud, "after.name")), ip_strf("%s|%s|%s", ADM.email, TN, ren),
	    "audit: team.rename, old name -> new name");
	is_int(audit_since(a0), 1, "one audit row");
	a = api("POST", ip_strf("/admin/teams/%s", TA), ADM.token,
	    ip_json("{ss}", "name", ip_strf("bravo %s", tag)));
	is_error(a, 409, "name", "renaming to another team's name (other case): 409 naming name");
	is_str(ip_q("SELECT name FROM teams WHERE id = $1", TA, NULL), ren, "... the name is unchanged");
	REN = upper(ren);
	a = api("POST", ip_strf("/admin/teams/%s", TA), ADM.token, ip_json("{ss}", "name", REN));
	is_status(a, 200, "changing only the case of its own name: 200");
	a = api("POST", ip_strf("/admin/teams/%s", TA), ADM.token, "{}");
	is_error(a, 400, "name", "rename without a name: 400 naming name");
	a = api("POST", "/admin/teams/999999999", ADM.token, "{\"name\":\"Nowhere\"}");
	is_error(a, 404, "", "renaming a team that does not exist: 404");
	a = api("POST", ip_strf("/admin/teams/%s", TA), M1_TOKEN, "{\"name\":\"Hijacked\"}");
	is_error(a, 403, "", "a member may not rename: 403");

	/* --- members --- */
	a0 = audit_max();
	a = api("POST", ip_strf("/admin/teams/%s/members", TA), ADM.token,
	    ip_json("{ss}", "email", upper(E1)));
	is_status(a, 200, "add a member by e-mail (in capitals): 200");
	is_str(ip_strf("%s %s %s", ip_jstr(a, "team_id"), ip_jstr(a, "user_id"), ip_jstr(a, "role")),
	    ip_strf("%s %s member", TA, M1), "... as a member");
	a = api("POST", ip_strf("/admin/teams/%s/members", TA), ADM.token,
	    ip_json("{sI}", "user_id", (json_int_t)atoll(M2)));
	is_status(a, 200, "add a member by user_id: 200");
	is_str(ip_q("SELECT string_agg(user_id || ':' || role, ' ' ORDER BY user_id) FROM team_members"
	    " WHERE team_id = $1", TA, NULL), ip_strf("%s:member %s:member", M1, M2),
	    "both are members in the database");
	aud = audit_last("team.member_add", TA);
	is_str(ip_strf("%s|%s|%s|%s", ip_jtext(aud, "actor_email"), ip_jtext(aud, "target_type"),
	    ip_jtext(aud, "target_label"), ip_jtext(aud, "before")),
	    ip_strf("%s|team|%s|null", ADM.email, ip_q("SELECT email FROM users WHERE id = $1", M2, NULL)),
	    "audit: team.member_add, about the team and the person");
	is_str(ip_jnorm(ip_jtext(aud, "after")),
	    ip_strf("{\"role\":\"member\",\"team_id\":%s,\"user_id\":%s}", TA, M2),
	    "audit: after = the membership");
	is_int(audit_since(a0), 2, "two additions, two audit rows");

	a0 = audit_max();
	a = api("POST", ip_strf("/admin/teams/%s/members", TA), ADM.token,
	    ip_json("{ss}", "email", ip_strf("nobody-%s@example.test", tag)));
	is_error(a, 400, "email", "an unknown e-mail: 400 naming email");
	a = api("POST", ip_strf("/admin/teams/%s/members", TA), ADM.token, "{\"user_id\":999999999}");
	is_error(a, 400, "user_id", "an unknown user_id: 400 naming user_id");
	a = api("POST", ip_strf("/admin/teams/%s/members", TA), ADM.token, "{\"role\":\"member\"}");
	is_error(a, 400, "email", "neither e-mail nor user_id: 400 naming email");
	a = api("POST", ip_strf("/admin/teams/%s/members", TA), ADM.token,
	    ip_json("{sI ss}", "user_id", (json_int_t)atoll(M2), "role", "boss"));
	is_error(a, 400, "role", "role boss: 400 naming role");
	a = api("POST", ip_strf("/admin/teams/%s/members", TA), ADM.token,
	    ip_json("{sI ss}", "user_id", (json_int_t)atoll(M2), "role", "admin"));
	is_error(a, 400, "role", "a team has no admins: 400 naming role");
	a = api("POST", "/admin/teams/999999999/members", ADM.token,
	    ip_json("{sI}", "user_id", (json_int_t)atoll(M2)));
	is_error(a, 404, "", "adding to a team that does not exist: 404");
	is_int(audit_since(a0), 0, "refusals write no audit row");

	a = api("GET", ip_strf("/admin/teams/%s", TA), ADM.token, NULL);
	is_status(a, 200, "the team page as JSON: 200");
	is_str(ip_strf("%s %s", ip_jstr(a, "id"), ip_jstr(a, "name")), ip_strf("%s %s", TA, REN),
	    "... its id and name");
	like(ip_jstr(a, "created"), "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "... when it was made");
	{
		json_t *arr = ip_jget(a, "members"), *o;
		size_t i;
		const char *got = "", *first = NULL, *second = NULL;

		json_array_foreach(arr, i, o) {
			const char *line = ip_strf("%s %s %s %s %s", ip_jval(o, "id"), ip_jval(o, "email"),
			    ip_jval(o, "display_name"), ip_jval(o, "role"), ip_jval(o, "status"));

			if (strcmp(ip_jval(o, "id"), M1) == 0)
				first = line;
			else
				second = line;
		}
		got = ip_strf("%s,%s", first ? first : "", second ? second : "");
		is_str(got, ip_strf("%s %s Mia Teamlead member active,%s %s Noah Member member active",
		    M1, E1, M2, E2), "... its members with name, address, role, status");
	}
	a = api("GET", "/admin/teams/999999999", ADM.token, NULL);
	is_error(a, 404, "", "a team that does not exist: 404");

	/* --- team manager --- */
	is_str(ip_q("SELECT role FROM users WHERE id = $1", M1, NULL), "member", "before: a plain member");
	a = api("GET", "/admin/teams", M1_TOKEN, NULL);
	is_status(a, 403, "... who may not see the teams");
	a0 = audit_max();
	a = api("POST", ip_strf("/admin/teams/%s/members", TA), ADM.token,
	    ip_json("{sI ss}", "user_id", (json_int_t)atoll(M1), "role", "manager"));
	is_status(a, 200, "make them the team's manager: 200");
	is_str(ip_jstr(a, "role"), "manager", "... role manager");
	is_str(ip_q("SELECT role FROM team_members WHERE team_id = $1 AND user_id = $2", TA, M1, NULL),
	    "manager", "the membership says manager");
	is_str(ip_q("SELECT role FROM users WHERE id = $1", M1, NULL), "manager",
	    "a global member became a manager");
	aud = audit_last("team.member_role", TA);
	is_str(ip_strf("%s %s %s %s", ip_jtext(aud, "actor_email"), ip_jtext(aud, "target_label"),
	    ip_jtext(aud, "before.role"), ip_jtext(aud, "after.role")),
	    ip_strf("%s %s member manager", ADM.email, ip_q("SELECT email FROM users WHERE id = $1", M1, NULL)),
	    "audit: team.member_role, member -> manager");
	is_int(audit_since(a0), 1, "one audit row");

	a = api("POST", ip_strf("/admin/teams/%s/members", TB), ADM.token,
	    ip_json("{sI ss}", "user_id", (json_int_t)atoll(ADM.id), "role", "manager"));
	is_status(a, 200, "the admin as a team's manager: 200");
	is_str(ip_q("SELECT role FROM users WHERE id = $1", ADM.id, NULL), "admin", "... stays an admin");
	api("POST", ip_strf("/admin/teams/%s/members/%s/delete", TB, ADM.id), ADM.token, NULL);

	a = api("GET", "/admin/teams", ADM.token, NULL);
	{
		json_t *arr = ip_jget(a, "teams"), *o;
		size_t i;
		const char *line = NULL;
		int seen_a = 0, seen_b = 0;

		json_array_foreach(arr, i, o) {
			if (strcmp(ip_jval(o, "id"), TA) == 0) {
				seen_a = 1;
				line = ip_strf("%s %s", ip_jval(o, "members"), ip_jval(o, "managers"));
			}
			if (strcmp(ip_jval(o, "id"), TB) == 0)
				seen_b = 1;
		}
		is_str(line, "2 Mia Teamlead", "the team list: 2 members, managed by Mia");
		ok(seen_a && seen_b, "... both teams listed for the admin");
	}
	a = api("GET", "/admin/teams", M1_TOKEN, NULL);
	is_status(a, 200, "the manager may see teams");
	is_str(ip_jstr(a, "teams.0.id"), TA, "... only the team they manage");
	is_int(json_array_size(ip_jget(a, "teams")), 1, "... (one team)");
	a = api("GET", ip_strf("/admin/teams/%s", TA), M1_TOKEN, NULL);
	is_status(a, 200, "... and its page");
	a = api("GET", ip_strf("/admin/teams/%s", TB), M1_TOKEN, NULL);
	is_error(a, 404, "", "another team's page: 404");
	a = api("POST", ip_strf("/admin/teams/%s/members", TA), M1_TOKEN,
	    ip_json("{ss}", "email", ADM.email));
	is_error(a, 403, "", "the manager may not add members: 403");
	a = api("POST", ip_strf("/admin/teams/%s/members/%s/delete", TA, M2), M1_TOKEN, NULL);
	is_error(a, 403, "", "... nor remove them");
	a = api("POST", ip_strf("/admin/teams/%s/delete", TA), M1_TOKEN, NULL);
	is_error(a, 403, "", "... nor delete the team");

	/* An invitation as manager into a team makes the new person its manager. */
	M3_TOKEN = make_person(&ADM, E3, "manager", TB, "Otto Invited", NULL);
	ok(M3_TOKEN != NULL, "a manager invited into a team");
	is_str(ip_q("SELECT m.role || ' ' || u.role FROM team_members m JOIN users u ON u.id = m.user_id"
	    " WHERE m.team_id = $1 AND u.email = $2", TB, E3, NULL), "manager manager",
	    "... manages that team");

	/* --- remove members --- */
	a0 = audit_max();
	a = api("POST", ip_strf("/admin/teams/%s/members/%s/delete", TA, M2), ADM.token, NULL);
	is_status(a, 200, "remove a member: 200");
	is_str(ip_jstr(a, "status"), "removed", "... status removed");
	is_str(ip_q("SELECT count(*) FROM team_members WHERE team_id = $1 AND user_id = $2", TA, M2,
	    NULL), "0", "... the membership is gone");
	is_str(ip_q("SELECT count(*) FROM users WHERE id = $1", M2, NULL), "1", "... the person is not");
	aud = audit_last("team.member_remove", TA);
	is_str(ip_strf("%s %s %s", ip_jtext(aud, "actor_email"), ip_jtext(aud, "target_label"),
	    ip_jtext(aud, "after")), ip_strf("%s %s null", ADM.email,
	    ip_q("SELECT email FROM users WHERE id = $1", M2, NULL)), "audit: team.member_remove");
	is_str(ip_jnorm(ip_jtext(aud, "before")),
	    ip_strf("{\"role\":\"member\",\"team_id\":%s,\"user_id\":%s}", TA, M2),
	    "audit: before = the membership");
	a = api("POST", ip_strf("/admin/teams/%s/members/%s/delete", TA, M2), ADM.token, NULL);
	is_error(a, 404, "", "removing them again (not a member): 404");
	a = api("POST", ip_strf("/admin/teams/%s/members/%s/delete", TA, ADM.id), ADM.token, NULL);
	is_error(a, 404, "", "removing someone who never was a member: 404");
	a = api("POST", ip_strf("/admin/teams/999999999/members/%s/delete", M2), ADM.token, NULL);
	is_error(a, 404, "", "removing from a team that does not exist: 404");
	is_int(audit_since(a0), 1, "only the real removal is in the audit log");
	a = api("GET", ip_strf("/admin/teams/%s", TA), ADM.token, NULL);
	is_str(members_of(a), M1, "the team page lists the one member left");

	/* --- delete --- */
	api("POST", ip_strf("/admin/teams/%s/members", TA), ADM.token,
	    ip_json("{sI}", "user_id", (json_int_t)atoll(M2)));
	a0 = audit_max();
	a = api("POST", ip_strf("/admin/teams/%s/delete", TA), ADM.token, NULL);
	is_status(a, 200, "delete a team: 200");
	is_str(ip_jstr(a, "status"), "deleted", "... status deleted");
	is_str(ip_q("SELECT count(*) FROM teams WHERE id = $1", TA, NULL), "0", "... the team is gone");
	is_str(ip_q("SELECT count(*) FROM team_members WHERE team_id = $1", TA, NULL), "0",
	    "... and its memberships");
	is_str(ip_q("SELECT count(*) FROM users WHERE id IN ($1, $2)", M1, M2, NULL), "2",
	    "... its people remain");
	aud = audit_last("team.delete", TA);
	is_str(ip_strf("%s|%s|%s|%s", ip_jtext(aud, "actor_email"), ip_jtext(aud, "target_label"),
	    ip_jtext(aud, "before.name"), ip_jtext(aud, "after")),
	    ip_strf("%s|%s|%s|null", ADM.email, REN, REN), "audit: team.delete with the team before");
	is_int(audit_since(a0), 1, "one audit row");
	a = api("GET", ip_strf("/admin/teams/%s", TA), ADM.token, NULL);
	is_error(a, 404, "", "the deleted team's page: 404");
	a = api("POST", ip_strf("/admin/teams/%s/delete", TA), ADM.token, NULL);
	is_error(a, 404, "", "deleting it again: 404");
	a = api("GET", "/admin/teams", M1_TOKEN, NULL);
	is_int(json_array_size(ip_jget(a, "teams")), 0, "its manager now manages no team");
	clear_lockouts();
	return ip_done();
}
