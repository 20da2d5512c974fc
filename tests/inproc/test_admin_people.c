/* Admin: people, in process (was tests/api/20_admin_people.t).  The list
 * (search, paging, filters), invitations, one person, edits, deactivation
 * and activation, deletion with everything that goes with it, the
 * last-admin rule and what a manager may not do.  It counts every person
 * and sets other admins aside for a moment, so it runs alone
 * (ip_lock_global). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "admin_flows.h"
#include "check.h"

static struct admin ADM;
static const char *D, *S, *T1, *INV, *IVY, *IVY_TOKEN;

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* jq's [.path[].key] | join(sep), sorted if asked. */
static const char *
join_of(const struct ip_resp *a, const char *path, const char *key, const char *sep, int sorted)
{
	json_t *arr = ip_jget(a, path), *o;
	size_t i, n = json_array_size(arr);
	const char **v = xcalloc(n + 1, sizeof(*v));
	struct wt_buf b;
	const char *out;
	char *t;

	json_array_foreach(arr, i, o) {
		const char *s = ip_jval(o, key);

		v[i] = s ? s : "";
	}
	if (sorted)
		qsort(v, n, sizeof(*v), cmp_str);
	buf_init(&b);
	buf_puts(&b, "");
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s%s", i ? sep : "", v[i]);
	free(v);
	t = buf_take(&b);
	out = ip_strf("%s", t);
	free(t);
	return out;
}

static const char *
search(const char *text)
{
	struct ip_resp *a = api("GET", ip_strf("/admin/users?q=%s", ip_urlenc(text)), ADM.token, NULL);

	return join_of(a, "users", "email", " ", 1);
}

static const char *
count_sql(const char *sql)
{
	return ip_q(sql, NULL);
}

static void
sign_in_and_list(void)
{
	struct ip_resp *a;
	json_t *first, *val;
	const char *key, *keys[16];
	size_t nkeys = 0;
	struct wt_buf b;
	char *t;

	a = api("GET", "/admin/users", "", NULL);
	is_error(a, 401, "", "no token: 401");
	like(ip_header(a, "WWW-Authenticate"), "^Bearer", "... with WWW-Authenticate: Bearer");
	a = api("GET", "/admin/users", "not.a.token", NULL);
	is_status(a, 401, "a forged token: 401");

	ip_exec("INSERT INTO users (email, display_name, status)"
	    " SELECT 'pager' || n || '@' || $1, 'Pager ' || lpad(n::text, 3, '0'), 'active'"
	    " FROM generate_series(1, 60) n", D, NULL);
	a = api("GET", "/admin/users", ADM.token, NULL);
	is_status(a, 200, "GET /admin/users as admin: 200");
	is_str(ip_jstr(a, "total"), count_sql("SELECT count(*) FROM users"), "total: every person");
	is_str(ip_strf("%s %s %zu ", ip_jstr(a, "page"), ip_jstr(a, "page_size"),
	    json_array_size(ip_jget(a, "users"))), "1 50 50 ", "page 1 of 50 people");
	a = api("GET", ip_strf("/admin/users?q=%s", D), ADM.token, NULL);
	is_str(ip_strf("%s|%zu|%s|%s|", ip_jstr(a, "total"), json_array_size(ip_jget(a, "users")),
	    ip_jstr(a, "users.0.display_name"), ip_jstr(a, "users.49.display_name")),
	    "60|50|Pager 001|Pager 050|", "search: 60 found, the first 50, by name");
	a = api("GET", ip_strf("/admin/users?q=%s&page=2", D), ADM.token, NULL);
	is_str(ip_strf("%s|%s|%zu|%s|%s|", ip_jstr(a, "page"), ip_jstr(a, "total"),
	    json_array_size(ip_jget(a, "users")), ip_jstr(a, "users.0.display_name"),
	    ip_jstr(a, "users.-1.display_name")), "2|60|10|Pager 051|Pager 060|",
	    "page=2: the other 10");
	first = ip_jget(a, "users.0");
	json_object_foreach(first, key, val)
		if (nkeys < 16)
			keys[nkeys++] = key;
	qsort(keys, nkeys, sizeof(keys[0]), cmp_str);
	buf_init(&b);
	buf_puts(&b, "");
	for (size_t i = 0; i < nkeys; i++)
		buf_printf(&b, "%s%s", i ? "," : "", keys[i]);
	t = buf_take(&b);
	is_str(t, "created,display_name,email,id,role,status,teams",
	    "each person: id, email, name, role, status, created, teams");
	free(t);
	a = api("GET", ip_strf("/admin/users?q=%s&page=3", D), ADM.token, NULL);
	is_str(ip_strf("%zu %s ", json_array_size(ip_jget(a, "users")), ip_jstr(a, "total")), "0 60 ",
	    "past the last page: no people, and still the total");
	a = api("GET", "/admin/users?page=0", ADM.token, NULL);
	is_error(a, 400, "page", "page=0: 400 naming page");
}

static void
searching(void)
{
	struct ip_resp *a;

	ip_exec("INSERT INTO users (email, display_name, status) VALUES"
	    " ('zq-' || $1 || '@p20x.test', 'Zebra Quillfeather', 'active'),"
	    " ('pct-' || $1 || '@lit.test', 'Hundred 100% Sure', 'active'),"
	    " ('pctx-' || $1 || '@lit.test', 'Hundred 1000 Sure', 'active'),"
	    " ('snake-' || $1 || '@lit.test', 'Snake_case Person', 'active'),"
	    " ('snakex-' || $1 || '@lit.test', 'Snakexcase Person', 'active'),"
	    " ('bs-' || $1 || '@lit.test', 'Back\\slash Person', 'active'),"
	    " ('bsx-' || $1 || '@lit.test', 'Backslash Person', 'active')", S, NULL);
	is_str(search("QUILLF"), ip_strf("zq-%s@p20x.test", S), "search by part of the name, in capitals");
	is_str(search("zebra quill"), ip_strf("zq-%s@p20x.test", S), "search by first and last name");
	{
		char *up = ip_strf("ZQ-%s@P20X", S);

		for (char *p = up; *p; p++)
			if (*p >= 'a' && *p <= 'z')
				*p = (char)(*p - 'a' + 'A');
		is_str(search(up), ip_strf("zq-%s@p20x.test", S), "search by part of the e-mail, in capitals");
	}
	is_str(search("0% s"), ip_strf("pct-%s@lit.test", S), "'%' in the search is a literal percent sign");
	is_str(search("%"), ip_strf("pct-%s@lit.test", S), "'%' alone finds only the name with a percent sign");
	is_str(search("e_c"), ip_strf("snake-%s@lit.test", S), "'_' in the search is a literal underscore");
	is_str(search("k\\s"), ip_strf("bs-%s@lit.test", S), "a backslash in the search is literal too");
	is_str(search(ip_strf("no-such-person-%s", S)), "", "no match: nobody");
	a = api("GET", ip_strf("/admin/users?q=%s", ip_repeat("x", 101)), ADM.token, NULL);
	is_error(a, 400, "q", "a search of 101 characters: 400 naming q");
	a = api("GET", ip_strf("/admin/users?q=%s", ip_repeat("é", 100)), ADM.token, NULL);
	is_status(a, 200, "a search of 100 two-byte characters: 200");
}

static void
filters(void)
{
	struct ip_resp *a;
	const int ns[] = { 3, 14, 27 };

	T1 = make_team(&ADM, ip_strf("People filter %s", ip_tag()));
	ok(T1 != NULL, "a team for the filter");
	if (T1 == NULL)
		T1 = "0";
	for (size_t i = 0; i < 3; i++)
		add_member(&ADM, T1, uid_of(ip_strf("pager%d@%s", ns[i], D)), "member");
	a = api("GET", ip_strf("/admin/users?team=%s", T1), ADM.token, NULL);
	is_str(join_of(a, "users", "email", " ", 0),
	    ip_strf("pager3@%s pager14@%s pager27@%s", D, D, D), "team=ID: the team's members only");
	is_str(ip_jstr(a, "total"), "3", "... total 3");
	is_str(ip_jstr(a, "users.0.teams"), ip_strf("People filter %s", ip_tag()),
	    "... each with the team's name");
	a = api("GET", ip_strf("/admin/users?team=%s&q=pager1", T1), ADM.token, NULL);
	is_str(join_of(a, "users", "email", " ", 0), ip_strf("pager14@%s", D), "team and search together");
	a = api("GET", "/admin/users?role=admin", ADM.token, NULL);
	is_str(ip_jstr(a, "total"), count_sql("SELECT count(*) FROM users WHERE role = 'admin'"),
	    "role=admin: the admins");
	{
		const char *roles = join_of(a, "users", "role", ",", 1);

		ok(roles != NULL && *roles && strstr(roles, "member") == NULL &&
		    strstr(roles, "manager") == NULL, "... and only admins");
	}
	ip_exec("UPDATE users SET role = 'manager' WHERE email IN ('pager5@' || $1, 'pager6@' || $1)",
	    D, NULL);
	a = api("GET", ip_strf("/admin/users?role=manager&q=%s", D), ADM.token, NULL);
	is_str(join_of(a, "users", "email", " ", 0), ip_strf("pager5@%s pager6@%s", D, D),
	    "role=manager with a search");
	a = api("GET", "/admin/users?role=manager", ADM.token, NULL);
	is_str(ip_jstr(a, "total"), count_sql("SELECT count(*) FROM users WHERE role = 'manager'"),
	    "role=manager: total");
	a = api("GET", "/admin/users?role=owner", ADM.token, NULL);
	is_error(a, 400, "role", "role=owner: 400 naming role");
	a = api("GET", "/admin/users?team=x", ADM.token, NULL);
	is_error(a, 400, "team", "team=x: 400 naming team");
}

static const char *
invites_of(const char *email)
{
	return ip_q("SELECT count(*) FROM invites WHERE email = lower($1)", email, NULL);
}

static void
invitations(void)
{
	struct ip_jar *ivy = ip_browser("ivy");
	const char *m, *link, *itok, *aud, *ghost = ip_strf("ghost-%s@example.test", ip_tag());
	struct ip_resp *a;
	long long a0, mark;

	INV = ip_strf("inv-%s@example.test", ip_tag());
	a0 = audit_max();
	mark = mail_mark();
	a = api("POST", "/admin/users", ADM.token, ip_json("{ss ss sI}", "email", INV, "role",
	    "member", "team_id", (json_int_t)atoll(T1)));
	is_status(a, 201, "invite: 201");
	is_str(ip_strf("%s %s %s", ip_jstr(a, "status"), ip_jstr(a, "email"), ip_jstr(a, "role")),
	    ip_strf("invited %s member", INV), "... saying who and as what");
	m = mail_latest_to(INV, mark);
	ok(m != NULL, "an invitation message goes to %s", INV);
	is_str(mail_subject(m), "You are invited to Worktime", "... its subject");
	link = mail_link(m);
	like(link, ip_strf("^%s/register\\?invite=[0-9a-f]{64}$", wt_cfg.site_url),
	    "... with a link to /register?invite=TOKEN");
	itok = link ? strrchr(link, '=') + 1 : "";
	is_str(ip_q("SELECT count(*) FROM invites WHERE token_hash = $1 AND email = $2"
	    " AND role = 'member' AND team_id = $3 AND invited_by = $4 AND used_at IS NULL"
	    " AND expires_at BETWEEN now() + interval '6 days 23 hours'"
	    " AND now() + interval '7 days 1 minute'", sha256_of(itok), INV, T1, ADM.id, NULL), "1",
	    "an invites row with the token's SHA-256, role, team, inviter, 7 days");
	is_str(ip_q("SELECT count(*) FROM invites WHERE token_hash = $1", itok, NULL), "0",
	    "the token itself is not stored");
	aud = audit_last("user.invite", NULL);
	is_str(ip_strf("%s %s %s %s %s %s", ip_jtext(aud, "actor_email"), ip_jtext(aud, "actor_id"),
	    ip_jtext(aud, "target_type"), ip_jtext(aud, "target_id"), ip_jtext(aud, "target_label"),
	    ip_jtext(aud, "before")), ip_strf("%s %s user null %s null", ADM.email, ADM.id, INV),
	    "audit: user.invite by the admin, about the address");
	is_str(ip_jnorm(ip_jtext(aud, "after")), ip_strf("{\"email\":\"%s\",\"role\":\"member\","
	    "\"team_id\":%s}", INV, T1), "audit: after = e-mail, role, team");
	is_int(audit_since(a0), 1, "one audit row for one invitation");

	a = IP(AUTH, .path = local_path(link));
	is_status(a, 200, "the link opens the registration form");
	like(a->body, INV, "... for the invited address");
	ok(register_invited(itok, "Ivy Invitee", ivy) == 0, "registering through the link: 201");
	IVY = uid_of(INV);
	if (IVY == NULL || *IVY == '\0')
		IVY = "0";
	is_str(ip_q("SELECT role || ' ' || status FROM users WHERE id = $1", IVY, NULL),
	    "member active", "the new person: a member, active");
	is_str(ip_q("SELECT role FROM team_members WHERE team_id = $1 AND user_id = $2", T1, IVY,
	    NULL), "member", "... in the invitation's team");
	is_str(ip_q("SELECT count(*) FROM invites WHERE email = $1 AND used_by = $2"
	    " AND used_at IS NOT NULL", INV, IVY, NULL), "1", "the invitation is used, by them");
	IVY_TOKEN = token_for(INV, PERSON_PW, NULL);
	ok(IVY_TOKEN != NULL, "the new person signs in");

	a0 = audit_max();
	a = api("POST", "/admin/users", ADM.token, ip_json("{ss}", "email", INV));
	is_error(a, 409, "email", "inviting an address with an account: 409 naming email");
	{
		char *up = ip_strf("%s", INV);

		for (char *p = up; *p; p++)
			if (*p >= 'a' && *p <= 'z')
				*p = (char)(*p - 'a' + 'A');
		a = api("POST", "/admin/users", ADM.token, ip_json("{ss}", "email", up));
		is_error(a, 409, "email", "... in capitals too");
	}
	a = api("POST", "/admin/users", ADM.token, ip_json("{ss ss}", "email", ADM.email, "role", "admin"));
	is_error(a, 409, "email", "... the admin's own address too");
	is_str(invites_of(INV), "1", "no second invitation was made");
	a = api("POST", "/admin/users", ADM.token, "{\"email\":\"not-an-address\"}");
	is_error(a, 400, "email", "a bad address: 400 naming email");
	a = api("POST", "/admin/users", ADM.token, "{\"email\":\"bob@localhost\"}");
	is_error(a, 400, "email", "an address without a dot in the domain: 400 naming email");
	a = api("POST", "/admin/users", ADM.token, "{\"role\":\"member\"}");
	is_error(a, 400, "email", "no address: 400 naming email");
	a = api("POST", "/admin/users", ADM.token, ip_json("{ss si}", "email", ghost, "team_id", 999999999));
	is_error(a, 400, "team_id", "an unknown team: 400 naming team_id");
	a = api("POST", "/admin/users", ADM.token, ip_json("{ss ss}", "email", ghost, "team_id", T1));
	is_error(a, 400, "team_id", "team_id as a string: 400 naming team_id");
	a = api("POST", "/admin/users", ADM.token, ip_json("{ss ss}", "email", ghost, "role", "owner"));
	is_error(a, 400, "role", "an unknown role: 400 naming role");
	is_str(invites_of(ghost), "0", "refused invitations leave no invites row");
	is_int(audit_since(a0), 0, "... and no audit row");
	a = api("POST", "/admin/users", IVY_TOKEN, ip_json("{ss}", "email", ghost));
	is_error(a, 403, "", "a member may not invite: 403");
	like(ip_jstr(a, "message"), "your role \\(member\\)", "... saying which role");
}

static void
one_person_and_edit(void)
{
	struct ip_resp *a;
	const char *aud, *before;
	long long a0;

	a = api("GET", ip_strf("/admin/users/%s", IVY), ADM.token, NULL);
	is_status(a, 200, "GET /admin/users/ID: 200");
	is_str(ip_strf("%s|%s|%s|%s|%s|%s", ip_jstr(a, "id"), ip_jstr(a, "email"),
	    ip_jstr(a, "display_name"), ip_jstr(a, "role"), ip_jstr(a, "status"),
	    ip_jstr(a, "timezone")), ip_strf("%s|%s|Ivy Invitee|member|active|UTC", IVY, INV),
	    "... their id, address, name, role, status, time zone");
	is_str(ip_strf("%s %s %s", ip_jstr(a, "teams.0.id"), ip_jstr(a, "teams.0.name"),
	    ip_jstr(a, "teams.0.role")), ip_strf("%s People filter %s member", T1, ip_tag()),
	    "... and their teams with the role in each");
	is_int(json_array_size(ip_jget(a, "teams")), 1, "... (one team)");
	like(ip_jstr(a, "last_seen"), "^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} [A-Z0-9+-]+$",
	    "... and when their session was last seen");
	a = api("GET", "/admin/users/999999999", ADM.token, NULL);
	is_error(a, 404, "", "a person who does not exist: 404");
	a = api("GET", "/admin/users/abc", ADM.token, NULL);
	is_error(a, 400, "id", "a person id that is not a number: 400 naming id");

	a0 = audit_max();
	a = api("POST", ip_strf("/admin/users/%s", IVY), ADM.token,
	    "{\"display_name\":\"Ivy Renamed\",\"role\":\"manager\"}");
	is_status(a, 200, "edit name and role: 200");
	is_str(ip_strf("%s|%s|%s", ip_jstr(a, "status"), ip_jstr(a, "display_name"),
	    ip_jstr(a, "role")), "saved|Ivy Renamed|manager", "... the saved values");
	is_str(ip_q("SELECT display_name || '|' || role FROM users WHERE id = $1", IVY, NULL),
	    "Ivy Renamed|manager", "... in the database");
	aud = audit_last("user.update", IVY);
	is_str(ip_strf("%s %s %s", ip_jtext(aud, "actor_email"), ip_jtext(aud, "target_type"),
	    ip_jtext(aud, "target_label")), ip_strf("%s user %s", ADM.email, INV),
	    "audit: user.update by the admin, about them");
	is_str(ip_strf("%s|%s|%s|%s", ip_jtext(aud, "before.display_name"),
	    ip_jtext(aud, "after.display_name"), ip_jtext(aud, "before.role"),
	    ip_jtext(aud, "after.role")), "Ivy Invitee|Ivy Renamed|member|manager",
	    "audit: before and after show the name and role");
	is_str(ip_strf("%s %s", ip_jtext(aud, "before.email"), ip_jtext(aud, "after.status")),
	    ip_strf("%s active", INV), "audit: the whole person before and after");
	is_int(audit_since(a0), 1, "one edit, one audit row");

	before = user_json(IVY);
	a0 = audit_max();
	a = api("POST", ip_strf("/admin/users/%s", IVY), ADM.token,
	    "{\"display_name\":\"Ivy Boss\",\"role\":\"boss\"}");
	is_error(a, 400, "role", "role boss: 400 naming role");
	a = api("POST", ip_strf("/admin/users/%s", IVY), ADM.token, "{\"role\":\"member\"}");
	is_error(a, 400, "display_name", "no name: 400 naming display_name");
	a = api("POST", ip_strf("/admin/users/%s", IVY), ADM.token,
	    ip_json("{ss ss}", "display_name", ip_repeat("n", 101), "role", "member"));
	is_error(a, 400, "display_name", "a name of 101 characters: 400 naming display_name");
	a = api("POST", ip_strf("/admin/users/%s", IVY), ADM.token, "{\"display_name\":\"Ivy\"}");
	is_error(a, 400, "role", "no role: 400 naming role");
	is_str(user_json(IVY), before, "refused edits change nothing");
	is_int(audit_since(a0), 0, "... and write no audit row");
	a = api("POST", "/admin/users/999999999", ADM.token,
	    "{\"display_name\":\"Nobody\",\"role\":\"member\"}");
	is_error(a, 404, "", "editing a person who does not exist: 404");

	/* A manager may not change roles, their own included. */
	a = api("POST", ip_strf("/admin/users/%s", IVY), IVY_TOKEN,
	    "{\"display_name\":\"Ivy Renamed\",\"role\":\"admin\"}");
	is_error(a, 403, "", "a manager making themselves admin: 403");
	is_str(ip_q("SELECT role FROM users WHERE id = $1", IVY, NULL), "manager",
	    "... their role is unchanged");
	a = api("POST", ip_strf("/admin/users/%s/deactivate", IVY), IVY_TOKEN, NULL);
	is_status(a, 403, "a manager may not deactivate anyone: 403");
	a = api("GET", "/admin/users", IVY_TOKEN, NULL);
	is_status(a, 200, "a manager may list people");
	is_str(join_of(a, "users", "id", ",", 0), IVY, "... a manager of no team sees only themselves");
	add_member(&ADM, T1, IVY, "manager");
	a = api("GET", ip_strf("/admin/users?q=%s", D), IVY_TOKEN, NULL);
	is_str(join_of(a, "users", "email", " ", 0), ip_strf("pager3@%s pager14@%s pager27@%s", D, D, D),
	    "... the manager of a team sees its people");
	a = api("GET", ip_strf("/admin/users/%s", uid_of(ip_strf("pager3@%s", D))), IVY_TOKEN, NULL);
	is_status(a, 200, "... and each of them");
	a = api("GET", ip_strf("/admin/users/%s", uid_of(ip_strf("pager4@%s", D))), IVY_TOKEN, NULL);
	is_error(a, 404, "", "... but a person outside their teams is 404, as if missing");
	a = api("GET", ip_strf("/admin/users/%s", ADM.id), IVY_TOKEN, NULL);
	is_error(a, 404, "", "... and so is the admin");
}

static void
deactivate_activate(void)
{
	const char *DEE = ip_strf("dee-%s@example.test", ip_tag()), *DEE_TOKEN, *DEE_ID, *VER,
	    *aud, *tok, *UNV;
	struct ip_jar *dee_jar = NULL;
	struct ip_resp *a;
	long long a0;

	DEE_TOKEN = make_person(&ADM, DEE, "member", T1, "Dee Active", &dee_jar);
	ok(DEE_TOKEN != NULL, "a person to deactivate");
	DEE_ID = uid_of(DEE);
	is_str(ip_q("SELECT count(*) > 0 FROM web_sessions WHERE user_id = $1", DEE_ID, NULL), "t",
	    "they have a browser session (from registering)");
	a = api("GET", "/admin/devices", DEE_TOKEN, NULL);
	is_status(a, 200, "their access token works");
	a = IP(ADMIN, .path = "/admin/devices", .jar = dee_jar, .accept = "application/json");
	is_status(a, 200, "their session cookie works");
	VER = ip_q("SELECT token_version FROM users WHERE id = $1", DEE_ID, NULL);
	a0 = audit_max();
	a = api("POST", ip_strf("/admin/users/%s/deactivate", DEE_ID), ADM.token, NULL);
	is_status(a, 200, "deactivate: 200");
	is_str(ip_jstr(a, "status"), "disabled", "... status disabled");
	is_str(ip_q("SELECT status FROM users WHERE id = $1", DEE_ID, NULL), "disabled", "... in the database");
	is_str(ip_q("SELECT count(*) FROM web_sessions WHERE user_id = $1", DEE_ID, NULL), "0",
	    "their sessions rows are gone");
	is_str(ip_q("SELECT token_version > $2 FROM users WHERE id = $1", DEE_ID, VER, NULL), "t",
	    "their token version moved on");
	a = api("GET", "/admin/devices", DEE_TOKEN, NULL);
	is_status(a, 401, "their old access token: 401");
	a = IP(ADMIN, .path = "/admin/devices", .jar = dee_jar, .accept = "application/json");
	is_status(a, 401, "their old session cookie: 401");
	token_for(DEE, PERSON_PW, &a);
	is_status(a, 403, "they cannot sign in: 403");
	like(ip_jstr(a, "message"), "disabled", "... the account is disabled");
	aud = audit_last("user.deactivate", DEE_ID);
	is_str(ip_strf("%s %s %s %s", ip_jtext(aud, "actor_email"), ip_jtext(aud, "target_label"),
	    ip_jtext(aud, "before.status"), ip_jtext(aud, "after.status")),
	    ip_strf("%s %s active disabled", ADM.email, DEE), "audit: user.deactivate, active -> disabled");
	is_int(audit_since(a0), 1, "one audit row");

	a = api("POST", ip_strf("/admin/users/%s/activate", DEE_ID), ADM.token, NULL);
	is_status(a, 200, "activate: 200");
	is_str(ip_jstr(a, "status"), "active", "... status active");
	is_str(ip_q("SELECT status FROM users WHERE id = $1", DEE_ID, NULL), "active", "... in the database");
	tok = token_for(DEE, PERSON_PW, &a);
	is_status(a, 200, "they can sign in again");
	a = api("GET", "/admin/devices", tok, NULL);
	is_status(a, 200, "... and their new token works");
	a = api("GET", "/admin/devices", DEE_TOKEN, NULL);
	is_status(a, 401, "the token from before the deactivation stays dead");
	aud = audit_last("user.activate", DEE_ID);
	is_str(ip_strf("%s %s %s", ip_jtext(aud, "actor_email"), ip_jtext(aud, "before.status"),
	    ip_jtext(aud, "after.status")), ip_strf("%s disabled active", ADM.email),
	    "audit: user.activate, disabled -> active");
	/* An account that never confirmed its address is not "disabled". */
	UNV = ip_q("INSERT INTO users (email, display_name, status) VALUES ($1, 'Una Unverified',"
	    " 'unverified') RETURNING id", ip_strf("unv-%s@example.test", ip_tag()), NULL);
	a = api("POST", ip_strf("/admin/users/%s/activate", UNV), ADM.token, NULL);
	is_status(a, 409, "activating an account that is not disabled: 409");
	is_str(ip_q("SELECT status FROM users WHERE id = $1", UNV, NULL), "unverified",
	    "... and it stays unverified");
	ip_exec("DELETE FROM users WHERE id = $1", UNV, NULL);
	a = api("POST", "/admin/users/999999999/deactivate", ADM.token, NULL);
	is_error(a, 404, "", "deactivating a person who does not exist: 404");
	a = api("POST", "/admin/users/999999999/activate", ADM.token, NULL);
	is_error(a, 404, "", "activating a person who does not exist: 404");
}

static const char *
counts(const char *id)
{
	return ip_q("SELECT (SELECT count(*) FROM team_members WHERE user_id = $1) || ' ' ||"
	    " (SELECT count(*) FROM devices WHERE user_id = $1) || ' ' ||"
	    " (SELECT count(*) FROM enrollment_codes WHERE user_id = $1 OR created_by = $1) || ' ' ||"
	    " (SELECT count(*) FROM web_sessions WHERE user_id = $1) || ' ' ||"
	    " (SELECT count(*) FROM invites WHERE used_by = $1)", id, NULL);
}

static void
deletion(void)
{
	const char *DEL = ip_strf("del-%s@example.test", ip_tag()), *DEL_TOKEN, *DEL_ID, *before,
	    *aud;
	struct ip_resp *a;
	long long a0;
	char *up;

	DEL_TOKEN = make_person(&ADM, DEL, "member", T1, "Del Goner", NULL);
	ok(DEL_TOKEN != NULL, "a person to delete");
	DEL_ID = uid_of(DEL);
	make_device(DEL_ID, "del laptop", NULL, NULL);
	a = api("POST", "/admin/devices/codes", ADM.token, ip_json("{sI ss ss}", "user_id",
	    (json_int_t)atoll(DEL_ID), "device_name", "del phone", "kind", "phone"));
	is_status(a, 201, "the admin makes an enrollment code for them");
	a = api("POST", "/admin/devices/codes", DEL_TOKEN, "{\"device_name\":\"del desktop\"}");
	is_status(a, 201, "they make one for themselves");
	is_str(counts(DEL_ID), "1 1 2 2 1", "they have a membership, a device, two codes, two "
	    "sessions (the browser's, the access token's), a used invitation");
	before = user_json(DEL_ID);
	a0 = audit_max();
	a = api("POST", ip_strf("/admin/users/%s/delete", DEL_ID), ADM.token, NULL);
	is_error(a, 400, "confirm", "delete without confirm: 400 naming confirm");
	like(ip_jstr(a, "message"), DEL, "... asking for their address");
	up = ip_strf("%s", DEL);
	for (char *p = up; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	a = api("POST", ip_strf("/admin/users/%s/delete", DEL_ID), ADM.token,
	    ip_json("{ss}", "confirm", up));
	is_error(a, 400, "confirm", "confirm with another spelling: 400 naming confirm");
	a = api("POST", ip_strf("/admin/users/%s/delete", DEL_ID), ADM.token,
	    ip_json("{ss}", "confirm", INV));
	is_error(a, 400, "confirm", "confirm with someone else's address: 400 naming confirm");
	is_str(user_json(DEL_ID), before, "... the person is still there, unchanged");
	is_str(counts(DEL_ID), "1 1 2 2 1", "... with everything of theirs");
	is_int(audit_since(a0), 0, "... and no audit row");
	a = api("POST", ip_strf("/admin/users/%s/delete", DEL_ID), ADM.token,
	    ip_json("{ss}", "confirm", DEL));
	is_status(a, 200, "delete with their address as confirm: 200");
	is_str(ip_jstr(a, "status"), "deleted", "... status deleted");
	is_str(ip_q("SELECT count(*) FROM users WHERE id = $1", DEL_ID, NULL), "0", "the users row is gone");
	is_str(ip_q("SELECT count(*) FROM team_members WHERE user_id = $1", DEL_ID, NULL), "0",
	    "their team memberships are gone");
	is_str(ip_q("SELECT count(*) FROM devices WHERE user_id = $1", DEL_ID, NULL), "0",
	    "their devices are gone");
	is_str(ip_q("SELECT count(*) FROM enrollment_codes WHERE user_id = $1", DEL_ID, NULL), "0",
	    "their enrollment codes are gone");
	is_str(ip_q("SELECT count(*) FROM web_sessions WHERE user_id = $1", DEL_ID, NULL), "0",
	    "their sessions are gone");
	is_str(ip_q("SELECT count(*) || ' ' || count(used_by) || ' ' || count(used_at) FROM invites"
	    " WHERE email = $1", DEL, NULL), "1 0 1",
	    "their invitation stays, used, with used_by set to NULL");
	a = api("GET", "/admin/devices", DEL_TOKEN, NULL);
	is_status(a, 401, "their access token: 401");
	a = api("GET", ip_strf("/admin/users/%s", DEL_ID), ADM.token, NULL);
	is_error(a, 404, "", "GET the deleted person: 404");
	aud = audit_last("user.delete", DEL_ID);
	is_str(ip_strf("%s %s %s %s", ip_jtext(aud, "actor_email"), ip_jtext(aud, "target_type"),
	    ip_jtext(aud, "target_label"), ip_jtext(aud, "after")),
	    ip_strf("%s user %s null", ADM.email, DEL), "audit: user.delete survives the person");
	is_str(ip_strf("%s|%s|%s|%s", ip_jtext(aud, "before.id"), ip_jtext(aud, "before.email"),
	    ip_jtext(aud, "before.display_name"), ip_jtext(aud, "before.role")),
	    ip_strf("%s|%s|Del Goner|member", DEL_ID, DEL), "audit: before is the person as they were");
	is_int(audit_since(a0), 1, "one audit row for the deletion");
	a = api("POST", ip_strf("/admin/users/%s/delete", DEL_ID), ADM.token,
	    ip_json("{ss}", "confirm", DEL));
	is_error(a, 404, "", "deleting them again: 404");
}

static void
last_admin(void)
{
	const char *OTHERS, *before, *ADM2 = ip_strf("adm2-%s@example.test", ip_tag()), *ADM2_TOKEN,
	    *ADM2_ID;
	struct ip_resp *a;
	long long a0;

	/* Other active admins are set aside for a moment, so that this run's
	 * admin is the only one. */
	OTHERS = ip_q("WITH o AS (UPDATE users SET status = 'disabled' WHERE role = 'admin'"
	    " AND status = 'active' AND id <> $1 RETURNING id)"
	    " SELECT coalesce(string_agg(id::text, ','), '') FROM o", ADM.id, NULL);
	{
		struct ip_jar *b = ip_browser("last-admin");

		is_status(login(b, ADM.email, PERSON_PW), 303, "the only admin signs in with a browser");
		a = IP(ADMIN, .path = ip_strf("/admin/users/%s", ADM.id), .jar = b);
		like(a->body, "the only active admin", "their page says why they cannot be deactivated");
		unlike(a->body, "/deactivate\"|/delete\"", "... and offers neither Deactivate nor Delete");
	}
	before = user_json(ADM.id);
	a0 = audit_max();
	a = api("POST", ip_strf("/admin/users/%s", ADM.id), ADM.token,
	    ip_json("{ss ss}", "display_name", ADM.name, "role", "member"));
	is_status(a, 409, "the only active admin demoting themselves to member: 409");
	like(ip_jstr(a, "message"), "without an admin", "... it would leave no admin");
	a = api("POST", ip_strf("/admin/users/%s", ADM.id), ADM.token,
	    ip_json("{ss ss}", "display_name", ADM.name, "role", "manager"));
	is_status(a, 409, "... to manager: 409");
	a = api("POST", ip_strf("/admin/users/%s/deactivate", ADM.id), ADM.token, NULL);
	is_status(a, 409, "the only active admin deactivating themselves: 409");
	a = api("POST", ip_strf("/admin/users/%s/delete", ADM.id), ADM.token,
	    ip_json("{ss}", "confirm", ADM.email));
	is_status(a, 409, "the only active admin deleting themselves: 409");
	is_str(user_json(ADM.id), before, "nothing changed");
	is_int(audit_since(a0), 0, "... and no audit row");
	a = api("GET", "/admin/settings", ADM.token, NULL);
	is_status(a, 200, "the admin's token still works");
	a = api("POST", ip_strf("/admin/users/%s", ADM.id), ADM.token,
	    ip_json("{ss ss}", "display_name", ip_strf("%s (2)", ADM.name), "role", "admin"));
	is_status(a, 200, "the only admin may still rename themselves");
	api("POST", ip_strf("/admin/users/%s", ADM.id), ADM.token,
	    ip_json("{ss ss}", "display_name", ADM.name, "role", "admin"));

	ADM2_TOKEN = make_person(&ADM, ADM2, "admin", NULL, "Second Admin", NULL);
	ok(ADM2_TOKEN != NULL, "a second admin, by invitation");
	ADM2_ID = uid_of(ADM2);
	is_str(ip_q("SELECT role || ' ' || status FROM users WHERE id = $1", ADM2_ID, NULL),
	    "admin active", "... active admin");
	{
		struct ip_jar *b = ip_browser("two-admins");

		login(b, ADM.email, PERSON_PW);
		a = IP(ADMIN, .path = ip_strf("/admin/users/%s", ADM2_ID), .jar = b);
		like(a->body, "/deactivate\"", "with two admins, the page offers Deactivate");
		like(a->body, "<summary class=\"button danger-outline\">Deactivate", "... behind a confirmation");
		like(a->body, "/delete\"", "... and Delete");
	}
	a = api("POST", ip_strf("/admin/users/%s", ADM.id), ADM.token,
	    ip_json("{ss ss}", "display_name", ADM.name, "role", "manager"));
	is_status(a, 200, "with a second admin, demoting yourself works");
	is_str(ip_q("SELECT role FROM users WHERE id = $1", ADM.id, NULL), "manager", "... now a manager");
	a = api("GET", "/admin/settings", ADM.token, NULL);
	is_status(a, 403, "... whose token no longer opens the settings");
	a = api("POST", ip_strf("/admin/users/%s", ADM.id), ADM2_TOKEN,
	    ip_json("{ss ss}", "display_name", ADM.name, "role", "admin"));
	is_status(a, 200, "the second admin makes the first admin again");
	is_str(ip_q("SELECT role FROM users WHERE id = $1", ADM.id, NULL), "admin", "... admin again");
	a = api("POST", ip_strf("/admin/users/%s/deactivate", ADM2_ID), ADM.token, NULL);
	is_status(a, 200, "with two admins, deactivating one works");
	a = api("POST", ip_strf("/admin/users/%s", ADM.id), ADM.token,
	    ip_json("{ss ss}", "display_name", ADM.name, "role", "member"));
	is_status(a, 409, "a disabled admin does not count: demoting the last active one is 409 again");
	a = api("POST", ip_strf("/admin/users/%s/activate", ADM2_ID), ADM.token, NULL);
	is_status(a, 200, "the second admin is activated again");
	ADM2_TOKEN = token_for(ADM2, PERSON_PW, NULL);
	a = api("POST", ip_strf("/admin/users/%s/deactivate", ADM2_ID), ADM2_TOKEN, NULL);
	is_status(a, 200, "with two admins, an admin may deactivate themselves");
	api("POST", ip_strf("/admin/users/%s/activate", ADM2_ID), ADM.token, NULL);
	a = api("POST", ip_strf("/admin/users/%s/delete", ADM2_ID), ADM.token,
	    ip_json("{ss}", "confirm", ADM2));
	is_status(a, 200, "with two admins, deleting one works");
	is_str(ip_q("SELECT count(*) FROM users WHERE id = $1", ADM2_ID, NULL), "0",
	    "... the second admin is gone");
	is_str(ip_q("SELECT role || ' ' || status FROM users WHERE id = $1", ADM.id, NULL),
	    "admin active", "the first admin is an active admin at the end");
	if (OTHERS != NULL && *OTHERS != '\0')
		ip_exec("UPDATE users SET status = 'active' WHERE id = ANY (string_to_array($1, ',')::bigint[])",
		    OTHERS, NULL);
}

int
main(void)
{
	if (ip_init("admin_people") != 0)
		return 0;
	ip_lock_global();
	D = ip_strf("p20-%s.test", ip_tag());
	S = ip_strf("s20-%s", ip_tag());
	make_admin(&ADM);
	ok(ADM.token != NULL, "this run's admin has an access token");
	sign_in_and_list();
	searching();
	filters();
	invitations();
	one_person_and_edit();
	deactivate_activate();
	deletion();
	last_admin();
	ip_exec("DELETE FROM users WHERE email LIKE '%@' || $1 OR email LIKE '%-' || $2 || '@%'", D, S, NULL);
	clear_lockouts();
	return ip_done();
}
