/* The access table, walked in process (was tests/api/30_access.t): every
 * admin route (and the report front page) as anonymous, a member, an
 * outsider, the manager of team A, the manager of team B and an admin,
 * against people inside and outside each team.  Each answer's status is
 * exact, and no answer carries anything of people the caller may not see.
 * A route that admin_app serves without a case here fails this test; so
 * does a route without an access rule, and one missing from README's
 * table.  It deactivates people and writes audit rows: it runs alone. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin_flows.h"
#include "check.h"

extern const struct wt_app dash_app;

#define PW	"Granite-Meadow-Falcon-71"

enum actor { ANON, MEMA, OUTSIDER, MGRA, MGRB, ADMIN_A, MEMB, NACTORS };
static const enum actor ACTORS[] = { ANON, MEMA, OUTSIDER, MGRA, MGRB, ADMIN_A };
#define NWALK	(sizeof(ACTORS) / sizeof(ACTORS[0]))
static const enum actor TARGETS[] = { MEMA, MEMB, OUTSIDER, MGRA };
static const char *const NAME[NACTORS] = { "anon", "memA", "outsider", "mgrA", "mgrB", "admin", "memB" };
static const char *const ROLE[NACTORS] = { "anon", "member", "member", "manager", "manager", "admin",
    "member" };
static const char *ID[NACTORS], *EMAIL[NACTORS], *TOKEN[NACTORS];
static const char *tag, *TEAM_A, *TEAM_B;
static struct admin ADM;

/* Whom each actor may see (the scope rule): themselves, their managed
 * teams' people, or everyone. */
static int
sees(enum actor a, enum actor t)
{
	switch (a) {
	case ANON:
		return 0;
	case ADMIN_A:
		return 1;
	case MGRA:
		return t == MGRA || t == MEMA;
	case MGRB:
		return t == MGRB || t == MEMB;
	default:
		return t == a;
	}
}

static int
allowed(const char *roles, enum actor a)
{
	return strstr(ip_strf(" %s ", roles), ip_strf(" %s ", ROLE[a])) != NULL;
}

static struct ip_resp *
call(enum actor a, const char *method, const char *path, const char *body)
{
	return IP(ADMIN, .method = method, .path = path, .accept = "application/json",
	    .bearer = TOKEN[a] && *TOKEN[a] ? TOKEN[a] : NULL,
	    .json = body && *body ? body : NULL);
}

/* The body of an answer must not name anyone the actor may not see. */
static void
no_leak(enum actor a, const struct ip_resp *r, const char *what)
{
	static const enum actor people[] = { MGRA, MGRB, MEMA, MEMB, OUTSIDER };
	const char *leaked = "";

	for (size_t i = 0; i < sizeof(people) / sizeof(people[0]); i++) {
		enum actor p = people[i];

		if (sees(a, p))
			continue;
		if (strstr(r->body, EMAIL[p]) != NULL)
			leaked = ip_strf("%s %s", leaked, NAME[p]);
		if (strstr(r->body, ip_strf("dev-%s-%s", NAME[p], tag)) != NULL)
			leaked = ip_strf("%s dev-%s", leaked, NAME[p]);
	}
	is_str(leaked, "", ip_strf("%s: nothing of people outside %s's scope in the answer", what, NAME[a]));
}

static void
expect(const struct ip_resp *r, int want, enum actor a, const char *what)
{
	is_int(r->status, want, ip_strf("%s: %s -> %d", NAME[a], what, want));
	no_leak(a, r, ip_strf("%s: %s", NAME[a], what));
}

typedef const char *(*body_fn)(enum actor target);

/* Role-only routes: anonymous 401, the roles allowed ok_status, others 403. */
static void
by_role(const char *roles, int ok_status, const char *method, const char *path, body_fn body)
{
	for (size_t i = 0; i < NWALK; i++) {
		enum actor a = ACTORS[i];
		struct ip_resp *r = call(a, method, path, body ? body(a) : NULL);

		if (a == ANON)
			expect(r, 401, a, ip_strf("%s %s", method, path));
		else if (allowed(roles, a))
			expect(r, ok_status, a, ip_strf("%s %s", method, path));
		else
			expect(r, 403, a, ip_strf("%s %s", method, path));
	}
}

static const char *
subst(const char *tmpl, const char *key, const char *val)
{
	const char *p = strstr(tmpl, key);

	if (p == NULL)
		return tmpl;
	return ip_strf("%.*s%s%s", (int)(p - tmpl), tmpl, val, p + strlen(key));
}

/* Person-row routes: allowed roles get ok_status for people in scope and
 * 404 for the others; other roles 403; anonymous 401. */
static void
by_person(const char *roles, int ok_status, const char *method, const char *tmpl, body_fn body)
{
	for (size_t i = 0; i < NWALK; i++)
		for (size_t j = 0; j < sizeof(TARGETS) / sizeof(TARGETS[0]); j++) {
			enum actor a = ACTORS[i], t = TARGETS[j];
			struct ip_resp *r = call(a, method, subst(tmpl, "{id}", ID[t]), body ? body(t) : NULL);
			int want;

			if (a == ANON)
				want = 401;
			else if (!allowed(roles, a))
				want = 403;
			else if (sees(a, t))
				want = ok_status;
			else
				want = 404;
			is_int(r->status, want, ip_strf("%s: %s %s for %s -> %d", NAME[a], method, tmpl,
			    NAME[t], want));
			no_leak(a, r, ip_strf("%s: %s %s for %s", NAME[a], method, tmpl, NAME[t]));
		}
}

/* Team routes: admins and the team's own manager get ok_status, other
 * allowed roles 404, the rest 403; anonymous 401. */
static void
by_team(const char *roles, int ok_status, const char *method, const char *tmpl, const char *body)
{
	for (size_t i = 0; i < NWALK; i++)
		for (int t = 0; t < 2; t++) {
			enum actor a = ACTORS[i];
			struct ip_resp *r = call(a, method, subst(tmpl, "{team}", t ? TEAM_B : TEAM_A), body);
			int want;

			if (a == ANON)
				want = 401;
			else if (!allowed(roles, a))
				want = 403;
			else if (a == ADMIN_A || a == (t ? MGRB : MGRA))
				want = ok_status;
			else
				want = 404;
			is_int(r->status, want, ip_strf("%s: %s %s for team %s -> %d", NAME[a], method, tmpl,
			    t ? "B" : "A", want));
			no_leak(a, r, ip_strf("%s: %s %s for team %s", NAME[a], method, tmpl, t ? "B" : "A"));
		}
}

/* --- the cases ------------------------------------------------------------- */

static void
case_healthz(void)
{
	for (size_t i = 0; i < NWALK; i++) {
		struct ip_resp *r = call(ACTORS[i], "GET", "/healthz", NULL);

		expect(r, 200, ACTORS[i], "GET /healthz (no sign-in needed)");
	}
}

static void
case_admin_home(void)
{
	by_role("manager admin", 200, "GET", "/admin", NULL);
	is_str(ip_jstr(call(MGRA, "GET", "/admin", NULL), "people"), "2",
	    "mgrA counts 2 people (self and memA)");
	is_str(ip_jstr(call(MGRA, "GET", "/admin", NULL), "teams"), "1", "mgrA counts 1 team");
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const char *
sorted_emails(const struct ip_resp *r)
{
	json_t *arr = ip_jget(r, "users"), *o;
	size_t i, n = json_array_size(arr);
	const char **v = xcalloc(n + 1, sizeof(*v)), *out = "";

	json_array_foreach(arr, i, o)
		v[i] = ip_jval(o, "email");
	qsort(v, n, sizeof(*v), cmp_str);
	for (i = 0; i < n; i++)
		out = ip_strf("%s%s%s", out, i ? " " : "", v[i]);
	free(v);
	return out;
}

static void
case_users_list(void)
{
	const char *path = ip_strf("/admin/users?q=%s", tag);

	by_role("manager admin", 200, "GET", path, NULL);
	is_str(sorted_emails(call(MGRA, "GET", path, NULL)), ip_strf("%s %s", EMAIL[MEMA], EMAIL[MGRA]),
	    "mgrA's list holds exactly mgrA and memA");
	is_str(ip_jstr(call(ADMIN_A, "GET", path, NULL), "total"), "5", "admin's list holds all five");
}

static const char *
invite_body(enum actor a)
{
	(void)a;
	return ip_json("{ss}", "email", ip_strf("inv%s.%s@example.com", rand_hex(4), tag));
}

static void
case_invite(void)
{
	by_role("admin", 201, "POST", "/admin/users", invite_body);
}

static void
case_invitations(void)
{
	by_role("manager admin", 200, "GET", "/admin/invitations", NULL);
}

/* Invitations: an admin acts on every one; a manager on invitations of
 * members into a team they manage (not another team's, not one to a
 * role as high as theirs); members 403; anonymous 401.  A fresh
 * invitation for every call: revoking spends it. */
static void
invitation_walk(const char *action)
{
	static const struct { const char *team, *role; int a_mgr, b_mgr; } kinds[] = {
		{ "A", "member", 1, 0 }, { "B", "member", 0, 1 }, { "A", "manager", 0, 0 },
		{ NULL, "member", 0, 0 },
	};

	for (size_t i = 0; i < NWALK; i++)
		for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
			enum actor a = ACTORS[i];
			const char *team = kinds[k].team == NULL ? "0" :
			    *kinds[k].team == 'A' ? TEAM_A : TEAM_B;
			const char *id = ip_q("INSERT INTO invites (token_hash, email, role, invited_by,"
			    " team_id, expires_at) VALUES (encode(sha256(gen_random_uuid()::text::bytea),"
			    " 'hex'), $1, $2, $3, NULLIF($4, '0')::bigint, now() + interval '1 day')"
			    " RETURNING id", ip_strf("walk%s.%s@example.com", rand_hex(4), tag),
			    kinds[k].role, ADM.id, team, NULL);
			struct ip_resp *r = call(a, "POST", ip_strf("/admin/invitations/%s/%s", id,
			    action), NULL);
			int want = a == ANON ? 401 : a == ADMIN_A ? 200 :
			    (a == MGRA && kinds[k].a_mgr) || (a == MGRB && kinds[k].b_mgr) ? 200 :
			    a == MGRA || a == MGRB ? 404 : 403;

			is_int(r->status, want, ip_strf("%s: %s an invitation of a %s into team %s -> %d",
			    NAME[a], action, kinds[k].role, kinds[k].team ? kinds[k].team : "none", want));
		}
}

static void
case_invitation_resend(void)
{
	invitation_walk("resend");
}

static void
case_invitation_revoke(void)
{
	invitation_walk("revoke");
}

static void
case_system(void)
{
	by_role("admin", 200, "GET", "/admin/system", NULL);
}

static void
case_user_get(void)
{
	by_person("manager admin", 200, "GET", "/admin/users/{id}", NULL);
}

/* The person's own name and role: a change that changes nothing. */
static const char *
same_person(enum actor t)
{
	return ip_json("{ss ss}", "display_name", ip_strf("%s %s", NAME[t], tag), "role",
	    ip_q("SELECT role FROM users WHERE id = $1", ID[t], NULL));
}

static void
case_user_edit(void)
{
	struct ip_resp *r;

	by_person("admin", 200, "POST", "/admin/users/{id}", same_person);
	r = call(MGRA, "POST", ip_strf("/admin/users/%s", ID[MGRA]), "{\"display_name\":\"mgrA\",\"role\":\"admin\"}");
	is_status(r, 403, "a manager cannot make themselves admin");
	is_str(ip_q("SELECT role FROM users WHERE id = $1", ID[MGRA], NULL), "manager",
	    "... and stays a manager");
}

static void
case_deactivate(void)
{
	static const enum actor back[] = { MEMA, MEMB, OUTSIDER, MGRA };

	by_person("admin", 200, "POST", "/admin/users/{id}/deactivate", NULL);
	/* Everyone back, with fresh tokens (deactivation revoked theirs). */
	for (size_t i = 0; i < 4; i++) {
		call(ADMIN_A, "POST", ip_strf("/admin/users/%s/activate", ID[back[i]]), NULL);
		TOKEN[back[i]] = token_for(EMAIL[back[i]], PW, NULL);
	}
}

/* Everyone is active here: admins get past the access check and are told
 * there is nothing to activate. */
static void
case_activate(void)
{
	by_person("admin", 409, "POST", "/admin/users/{id}/activate", NULL);
}

/* Admins get past the access check and stop at the missing confirmation. */
static void
case_delete(void)
{
	by_person("admin", 400, "POST", "/admin/users/{id}/delete", NULL);
	is_str(ip_q("SELECT count(*) FROM users WHERE email LIKE '%.' || $1 || '@example.com'"
	    " AND email NOT LIKE 'inv%'", tag, NULL), "5", "nobody was deleted without confirmation");
}

static void
case_teams_list(void)
{
	by_role("manager admin", 200, "GET", "/admin/teams", NULL);
	is_str(ip_jstr(call(MGRA, "GET", "/admin/teams", NULL), "teams.0.name"), ip_strf("A %s", tag),
	    "mgrA sees only team A");
	is_int(json_array_size(ip_jget(call(MGRA, "GET", "/admin/teams", NULL), "teams")), 1,
	    "... one team");
	is_str(ip_jstr(call(MGRB, "GET", "/admin/teams", NULL), "teams.0.name"), ip_strf("B %s", tag),
	    "mgrB sees only team B");
	is_int(json_array_size(ip_jget(call(MGRB, "GET", "/admin/teams", NULL), "teams")), 1,
	    "... one team");
}

static const char *
team_name(enum actor a)
{
	(void)a;
	return ip_json("{ss}", "name", ip_strf("T%s %s", rand_hex(4), tag));
}

static void
case_team_create(void)
{
	by_role("admin", 201, "POST", "/admin/teams", team_name);
}

static void
case_team_get(void)
{
	by_team("manager admin", 200, "GET", "/admin/teams/{team}", NULL);
}

static int
want_admin_only(enum actor a, int ok_status)
{
	return a == ANON ? 401 : a == ADMIN_A ? ok_status : 403;
}

static void
case_team_rename(void)
{
	for (size_t i = 0; i < NWALK; i++) {
		enum actor a = ACTORS[i];
		struct ip_resp *r = call(a, "POST", ip_strf("/admin/teams/%s", TEAM_A),
		    ip_json("{ss}", "name", ip_strf("A %s", tag)));

		expect(r, want_admin_only(a, 200), a, "POST /admin/teams/:id (rename A)");
	}
}

static void
case_team_delete(void)
{
	for (size_t i = 0; i < NWALK; i++) {
		enum actor a = ACTORS[i];
		const char *tid = ip_q("INSERT INTO teams (name) VALUES ($1) RETURNING id",
		    ip_strf("gone %s %s", NAME[a], tag), NULL);
		struct ip_resp *r = call(a, "POST", ip_strf("/admin/teams/%s/delete", tid), NULL);

		expect(r, want_admin_only(a, 200), a, "POST /admin/teams/:id/delete");
	}
}

static const char *
member_body(enum actor a)
{
	(void)a;
	return ip_json("{sI ss}", "user_id", (json_int_t)atoll(ID[MEMA]), "role", "member");
}

static void
case_member_add(void)
{
	by_role("admin", 200, "POST", ip_strf("/admin/teams/%s/members", TEAM_A), member_body);
	is_str(ip_q("SELECT role FROM team_members WHERE team_id = $1 AND user_id = $2", TEAM_A, ID[MEMA],
	    NULL), "member", "memA is still a plain member of A");
}

static void
case_member_remove(void)
{
	for (size_t i = 0; i < NWALK; i++) {
		enum actor a = ACTORS[i];
		struct ip_resp *r;

		ip_exec("INSERT INTO team_members (team_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
		    TEAM_B, ID[OUTSIDER], NULL);
		r = call(a, "POST", ip_strf("/admin/teams/%s/members/%s/delete", TEAM_B, ID[OUTSIDER]), NULL);
		is_int(r->status, want_admin_only(a, 200), ip_strf("%s: remove a member of B -> %d", NAME[a],
		    want_admin_only(a, 200)));
	}
	ip_exec("DELETE FROM team_members WHERE team_id = $1 AND user_id = $2", TEAM_B, ID[OUTSIDER], NULL);
}

static void
case_devices(void)
{
	static const enum actor who[] = { MEMA, OUTSIDER, MGRA, MGRB, ADMIN_A };
	static const enum actor everyone[] = { ADMIN_A, MGRA, MGRB, MEMA, MEMB, OUTSIDER };

	by_role("member manager admin", 200, "GET", "/admin/devices", NULL);
	for (size_t i = 0; i < sizeof(who) / sizeof(who[0]); i++) {
		enum actor a = who[i];
		struct ip_resp *r = call(a, "GET", "/admin/devices", NULL);
		json_t *arr = ip_jget(r, "devices"), *o;
		size_t k, n = 0, m = 0;
		const char *got[16], *want[16], *g = "", *w = "", *suffix = ip_strf("-%s", tag), *sees_txt = "";

		json_array_foreach(arr, k, o) {
			const char *nm = ip_jval(o, "name");
			size_t l = strlen(nm), sl = strlen(suffix);

			if (l > sl && strcmp(nm + l - sl, suffix) == 0 && n < 16)
				got[n++] = nm;
		}
		for (size_t p = 0; p < sizeof(everyone) / sizeof(everyone[0]); p++)
			if (sees(a, everyone[p])) {
				want[m++] = ip_strf("dev-%s-%s", NAME[everyone[p]], tag);
				sees_txt = ip_strf("%s %s", sees_txt, NAME[everyone[p]]);
			}
		qsort(got, n, sizeof(got[0]), cmp_str);
		qsort(want, m, sizeof(want[0]), cmp_str);
		for (k = 0; k < n; k++)
			g = ip_strf("%s%s%s", g, k ? " " : "", got[k]);
		for (k = 0; k < m; k++)
			w = ip_strf("%s%s%s", w, k ? " " : "", want[k]);
		is_str(g, w, ip_strf("%s sees exactly the devices of:%s", NAME[a], sees_txt));
	}
}

static const char *
code_for(enum actor t)
{
	return ip_json("{sI ss}", "user_id", (json_int_t)atoll(ID[t]), "device_name",
	    ip_strf("code-%s", NAME[t]));
}

static void
case_code_create(void)
{
	by_person("member manager admin", 201, "POST", "/admin/devices/codes", code_for);
}

/* A fresh code (or device) of the target for every call: revoking spends it. */
static void
revoke_walk(int codes, const char *prefix)
{
	for (size_t i = 0; i < NWALK; i++)
		for (size_t j = 0; j < sizeof(TARGETS) / sizeof(TARGETS[0]); j++) {
			enum actor a = ACTORS[i], t = TARGETS[j];
			const char *id = codes ?
			    ip_q("INSERT INTO enrollment_codes (code_hash, user_id, device_name, expires_at)"
			    " VALUES (encode(sha256(gen_random_uuid()::text::bytea), 'hex'), $1, 'c',"
			    " now() + interval '1 day') RETURNING id", ID[t], NULL) :
			    ip_q("INSERT INTO devices (user_id, name) VALUES ($1, 'd') RETURNING id", ID[t], NULL);
			struct ip_resp *r = call(a, "POST", ip_strf("%s/%s/revoke", prefix, id), NULL);
			int want = a == ANON ? 401 : sees(a, t) ? 200 : 404;

			is_int(r->status, want, ip_strf("%s: revoke a %s of %s -> %d", NAME[a],
			    codes ? "code" : "device", NAME[t], want));
			no_leak(a, r, ip_strf("%s: revoke a %s of %s", NAME[a], codes ? "code" : "device", NAME[t]));
		}
}

static void
case_code_revoke(void)
{
	revoke_walk(1, "/admin/devices/codes");
}

static void
case_device_revoke(void)
{
	revoke_walk(0, "/admin/devices");
}

static void
case_settings_get(void)
{
	by_role("admin", 200, "GET", "/admin/settings", NULL);
}

static const char *
empty_body(enum actor a)
{
	(void)a;
	return "{}";
}

static void
case_settings_post(void)
{
	by_role("admin", 200, "POST", "/admin/settings", empty_body);
}

static void
case_audit(void)
{
	by_role("admin", 200, "GET", "/admin/audit", NULL);
}

/* Category rules: admins only, for every role of caller. */
static void
case_categories_list(void)
{
	by_role("admin", 200, "GET", "/admin/categories", NULL);
}

static const char *
category_body(enum actor a)
{
	(void)a;
	return ip_json("{ss}", "name", ip_strf("Acc%s %s", rand_hex(4), tag));
}

static void
case_category_create(void)
{
	by_role("admin", 201, "POST", "/admin/categories", category_body);
}

static const char *
preview_body(enum actor a)
{
	(void)a;
	return ip_json("{ss}", "title_re", "^nothing at all$");
}

static void
case_category_preview(void)
{
	by_role("admin", 200, "POST", "/admin/categories/preview", preview_body);
}

static void
case_category_builder(void)
{
	by_role("admin", 200, "GET", "/admin/categories/builder", NULL);
}

static void
case_category_quick(void)
{
	for (size_t i = 0; i < NWALK; i++) {
		enum actor a = ACTORS[i];
		const char *word = ip_strf("accq%s%s", NAME[a], tag);
		struct ip_resp *r = call(a, "POST", "/admin/categories/quick",
		    ip_json("{ss}", "word", word));

		expect(r, want_admin_only(a, 201), a, "POST /admin/categories/quick");
		is_str(ip_q("SELECT count(*) FROM categories WHERE name = $1", word, NULL),
		    a == ADMIN_A ? "1" : "0", ip_strf("%s: a rule %s", NAME[a],
		    a == ADMIN_A ? "made" : "not made"));
	}
}

static void
case_category_new(void)
{
	by_role("admin", 200, "GET", "/admin/categories/new", NULL);
}

static void
case_category_page(void)
{
	const char *id = ip_q("INSERT INTO categories (name) VALUES ($1) RETURNING id",
	    ip_strf("Acc page %s", tag), NULL);

	by_role("admin", 200, "GET", ip_strf("/admin/categories/%s", id), NULL);
}

static void
case_category_edit(void)
{
	const char *id = ip_q("INSERT INTO categories (name) VALUES ($1) RETURNING id",
	    ip_strf("Acc edit %s", tag), NULL);

	for (size_t i = 0; i < NWALK; i++) {
		enum actor a = ACTORS[i];
		struct ip_resp *r = call(a, "POST", ip_strf("/admin/categories/%s", id),
		    ip_strf("{\"colour\":\"#0000%02x\"}", (unsigned)i));

		expect(r, want_admin_only(a, 200), a, "POST /admin/categories/:id");
	}
	is_str(ip_q("SELECT colour FROM categories WHERE id = $1", id, NULL),
	    ip_strf("#0000%02x", (unsigned)(NWALK - 1)), "only the admin changed the rule");
}

static void
case_category_delete(void)
{
	for (size_t i = 0; i < NWALK; i++) {
		enum actor a = ACTORS[i];
		const char *id = ip_q("INSERT INTO categories (name) VALUES ($1) RETURNING id",
		    ip_strf("Acc gone %s %s", NAME[a], tag), NULL);
		struct ip_resp *r = call(a, "POST", ip_strf("/admin/categories/%s/delete", id), NULL);

		expect(r, want_admin_only(a, 200), a, "POST /admin/categories/:id/delete");
		is_str(ip_q("SELECT count(*) FROM categories WHERE id = $1", id, NULL),
		    a == ADMIN_A ? "0" : "1", ip_strf("%s: the rule is %s", NAME[a],
		    a == ADMIN_A ? "deleted" : "still there"));
	}
}

/* Report routes (dash): the front page is public; signed in, it is the
 * caller's own day. */
static struct ip_resp *
dash_call(enum actor a, const char *path)
{
	return IP(&dash_app, .path = path, .accept = "application/json",
	    .bearer = TOKEN[a] && *TOKEN[a] ? TOKEN[a] : NULL);
}

static void
case_dash_healthz(void)
{
	for (size_t i = 0; i < NWALK; i++)
		expect(dash_call(ACTORS[i], "/healthz"), 200, ACTORS[i], "GET /healthz (dash)");
}

/* A person's report (?user=ID): anonymous 401; whom the caller sees 200;
 * anyone else 404, exactly as for a person who does not exist. */
static void
dash_by_person(const char *tmpl)
{
	for (size_t i = 0; i < NWALK; i++)
		for (size_t j = 0; j < sizeof(TARGETS) / sizeof(TARGETS[0]); j++) {
			enum actor a = ACTORS[i], t = TARGETS[j];
			const char *path = subst(tmpl, "{id}", ID[t]);
			struct ip_resp *r = dash_call(a, path);
			int want = a == ANON ? 401 : sees(a, t) ? 200 : 404;

			is_int(r->status, want, ip_strf("%s: GET %s for %s -> %d", NAME[a], tmpl,
			    NAME[t], want));
			no_leak(a, r, ip_strf("%s: GET %s for %s", NAME[a], tmpl, NAME[t]));
		}
}

static void
case_day(void)
{
	dash_by_person("/day/2024-05-06?user={id}");
	is_str(ip_q("SELECT count(*) FROM audit_log WHERE action = 'report.view'"
	    " AND actor_id = $1 AND target_id = $2", ID[MGRA], ID[MEMA], NULL), "1",
	    "mgrA's look at memA's day is audited");
	is_str(ip_q("SELECT count(*) FROM audit_log WHERE action = 'report.view'"
	    " AND actor_id = $1 AND target_id = $2", ID[MGRA], ID[MEMB], NULL), "0",
	    "a refused look is not");
}

static void
case_week(void)
{
	dash_by_person("/week?user={id}");
}

static void
case_week_date(void)
{
	dash_by_person("/week/2024-05-06?user={id}");
}

static void
case_month(void)
{
	dash_by_person("/month?user={id}");
}

static void
case_month_date(void)
{
	dash_by_person("/month/2024-05-06?user={id}");
}

/* Task sessions: the lists by ?user=, one session by its id (a session
 * of each target made here), deleting by the owner only. */
static void
case_widget(void)
{
	for (size_t i = 0; i < NWALK; i++)
		expect(dash_call(ACTORS[i], "/widget"), ACTORS[i] == ANON ? 401 : 200, ACTORS[i],
		    "GET /widget");
}

static void
case_sessions(void)
{
	dash_by_person("/sessions?user={id}");
}

static void
case_sessions_csv(void)
{
	dash_by_person("/sessions.csv?user={id}");
}

static void
case_sessions_today(void)
{
	dash_by_person("/sessions/today?user={id}");
}

/* An ended session of t with one finished task (and its NEXT). */
static const char *
task_session_of(enum actor t)
{
	const char *sid = ip_q("INSERT INTO task_sessions (user_id, started_at, ended_at, end_reason,"
	    " target_pace_min, task_no, last_event_at) VALUES ($1, now() - interval '1 hour',"
	    " now() - interval '50 minutes', 'exit', 5.5, 1, now() - interval '50 minutes')"
	    " RETURNING id", ID[t], NULL);
	const char *ev = ip_q("INSERT INTO task_events (user_id, session_id, client_id, type,"
	    " client_at, task_no) VALUES ($1, $2::bigint, 'access-' || $2::text, 'NEXT',"
	    " now() - interval '1 hour', 1) RETURNING id", ID[t], sid, NULL);

	ip_exec("INSERT INTO task_tasks (session_id, number, start_event, started_at, ended_at,"
	    " paused_ms) VALUES ($1, 1, $2, now() - interval '1 hour', now() - interval '50 minutes',"
	    " 0)", sid, ev, NULL);
	return sid;
}

static void
case_session_get(void)
{
	for (size_t j = 0; j < sizeof(TARGETS) / sizeof(TARGETS[0]); j++) {
		enum actor t = TARGETS[j];
		const char *path = ip_strf("/sessions/%s", task_session_of(t));

		for (size_t i = 0; i < NWALK; i++) {
			enum actor a = ACTORS[i];

			expect(dash_call(a, path), a == ANON ? 401 : sees(a, t) ? 200 : 404, a,
			    ip_strf("GET /sessions/:id of %s", NAME[t]));
		}
	}
}

/* Only the owner deletes; whoever may see it gets 403, anyone else 404. */
static void
session_change(const char *what, const char *suffix)
{
	for (size_t j = 0; j < sizeof(TARGETS) / sizeof(TARGETS[0]); j++) {
		enum actor t = TARGETS[j];

		for (size_t i = 0; i < NWALK; i++) {
			enum actor a = ACTORS[i];
			const char *sid = task_session_of(t);
			struct ip_resp *r = IP(&dash_app, .method = "POST",
			    .path = ip_strf("/sessions/%s%s", sid, suffix),
			    .accept = "application/json",
			    .bearer = TOKEN[a] && *TOKEN[a] ? TOKEN[a] : NULL);

			expect(r, a == ANON ? 401 : a == t ? 200 : sees(a, t) ? 403 : 404, a,
			    ip_strf("POST %s of %s", what, NAME[t]));
		}
	}
}

static void
case_session_delete(void)
{
	session_change("/sessions/:id/delete", "/delete");
}

static void
case_task_delete(void)
{
	session_change("/sessions/:id/tasks/:n/delete", "/tasks/1/delete");
}

static void
case_export_csv(void)
{
	dash_by_person("/export.csv?from=2024-05-06&to=2024-05-07&user={id}");
}

static void
case_export_json(void)
{
	dash_by_person("/export.json?from=2024-05-06&to=2024-05-07&user={id}");
}

/* One's own data only: every signed-in role 200, anonymous 401. */
static void
dash_own(const char *path, int ok_status, const char *method)
{
	for (size_t i = 0; i < NWALK; i++) {
		enum actor a = ACTORS[i];
		struct ip_resp *r = IP(&dash_app, .method = method, .path = path,
		    .accept = "application/json", .json = strcmp(method, "POST") == 0 ? "{}" : NULL,
		    .bearer = TOKEN[a] && *TOKEN[a] ? TOKEN[a] : NULL);

		expect(r, a == ANON ? 401 : ok_status, a, ip_strf("%s %s", method, path));
	}
}

static void
case_mydata(void)
{
	dash_own("/me/data", 200, "GET");
}

/* Past the access check, the missing range stops it: nothing deleted. */
static void
case_mydata_delete(void)
{
	dash_own("/me/data/delete", 400, "POST");
	is_str(ip_q("SELECT count(*) FROM audit_log WHERE action = 'activity.delete'"
	    " AND actor_email LIKE '%' || $1 || '%'", tag, NULL), "0", "nothing was deleted");
}

static void
case_everything(void)
{
	dash_own("/me/data/everything.json", 200, "GET");
}

/* The team page: managers and admins; a manager only a team they
 * manage (another team is answered as none), a member 403. */
static void
case_team_list(void)
{
	for (size_t i = 0; i < NWALK; i++) {
		enum actor a = ACTORS[i];
		int want = a == ANON ? 401 : allowed("manager admin", a) ? 200 : 403;

		expect(dash_call(a, "/team"), want, a, "GET /team");
	}
	is_int(json_array_size(ip_jget(dash_call(MGRA, "/team"), "teams")), 1,
	    "mgrA's teams: only team A");
}

static void
case_team_page(void)
{
	for (size_t i = 0; i < NWALK; i++)
		for (int t = 0; t < 2; t++) {
			enum actor a = ACTORS[i];
			int want = a == ANON ? 401 : !allowed("manager admin", a) ? 403 :
			    a == ADMIN_A || a == (t ? MGRB : MGRA) ? 200 : 404;

			struct ip_resp *r = dash_call(a, ip_strf("/team/%s", t ? TEAM_B : TEAM_A));

			expect(r, want, a, ip_strf("GET /team/:id for team %s", t ? "B" : "A"));
			/* The page names its own members only. */
			ok(strstr(r->body, ip_strf("%s %s", NAME[t ? MEMA : MEMB], tag)) == NULL &&
			    strstr(r->body, ip_strf("%s %s", NAME[OUTSIDER], tag)) == NULL,
			    "%s: team %s's page names nobody outside it", NAME[a], t ? "B" : "A");
			if (want == 200)
				ok(strstr(r->body, ip_strf("%s %s", NAME[t ? MEMB : MEMA], tag)) != NULL,
				    "%s: team %s's page lists its member", NAME[a], t ? "B" : "A");
		}
}

/* The working hours of a team: as the team page. */
static void
team_hours(const char *suffix)
{
	for (size_t i = 0; i < NWALK; i++)
		for (int t = 0; t < 2; t++) {
			enum actor a = ACTORS[i];
			int want = a == ANON ? 401 : !allowed("manager admin", a) ? 403 :
			    a == ADMIN_A || a == (t ? MGRB : MGRA) ? 200 : 404;
			struct ip_resp *r = dash_call(a, ip_strf("/team/%s/hours%s?from=2024-05-06"
			    "&to=2024-05-07", t ? TEAM_B : TEAM_A, suffix));

			expect(r, want, a, ip_strf("GET /team/:id/hours%s for team %s", suffix,
			    t ? "B" : "A"));
			ok(strstr(r->body, ip_strf("%s %s", NAME[t ? MEMA : MEMB], tag)) == NULL,
			    "%s: team %s's hours name nobody outside it", NAME[a], t ? "B" : "A");
			if (want == 200)
				ok(strstr(r->body, ip_strf("%s %s", NAME[t ? MEMB : MEMA], tag)) != NULL,
				    "%s: team %s's hours list its member", NAME[a], t ? "B" : "A");
		}
}

static void
case_team_hours(void)
{
	team_hours("");
}

static void
case_team_hours_csv(void)
{
	team_hours(".csv");
}

static void
case_front(void)
{
	for (size_t i = 0; i < NWALK; i++) {
		enum actor a = ACTORS[i];
		struct ip_resp *r = IP(&dash_app, .path = "/", .accept = "application/json",
		    .bearer = TOKEN[a] && *TOKEN[a] ? TOKEN[a] : NULL);

		expect(r, 200, a, "GET / (front page)");
	}
}

/* Screenshots: whose follows the organisation's setting.  Under
 * "managers" a manager sees their teams' people's (sees() above); under
 * "admins" only the person and admins do. */
static const char *SHOT[NACTORS];	/* a screenshot of each target */
static const char *shots_visibility_orig;

static int
shot_sees(enum actor a, enum actor t, int admins_only)
{
	if (a == ANON)
		return 0;
	if (!admins_only)
		return sees(a, t);
	return a == t || a == ADMIN_A;
}

/* A screenshot row of the person (no file: dash never opens one). */
static const char *
make_shot(enum actor t)
{
	const char *sha = ip_q("SELECT encode(sha256(gen_random_uuid()::text::bytea), 'hex')", NULL);

	ip_exec("INSERT INTO screenshot_files (sha256, mime, bytes, width, height)"
	    " VALUES ($1, 'image/jpeg', 1000, 640, 360)", sha, NULL);
	return ip_q("INSERT INTO screenshots (device_id, user_id, seq, taken_at, blurred,"
	    " image_sha256) SELECT d.id, d.user_id, (SELECT coalesce(max(seq), 0) + 1 FROM"
	    " screenshots WHERE device_id = d.id), now() - interval '1 hour', true, $2"
	    " FROM devices d WHERE d.user_id = $1 AND d.name LIKE 'dev-%' RETURNING id",
	    ID[t], sha, NULL);
}

static void
shots_visibility(const char *v)
{
	ip_exec("UPDATE settings SET screenshot_visibility = $1", v, NULL);
}

/* The page, its JSON twin (both spellings) and its HTML, under each setting. */
static void
case_shots_page(void)
{
	for (int adm = 0; adm < 2; adm++) {
		shots_visibility(adm ? "admins" : "managers");
		for (size_t i = 0; i < NWALK; i++)
			for (size_t j = 0; j < sizeof(TARGETS) / sizeof(TARGETS[0]); j++) {
				enum actor a = ACTORS[i], t = TARGETS[j];
				/* The shot's day in the viewer's zone: an hour ago
				 * is yesterday just after midnight. */
				const char *q = a == ANON ? ip_strf("?user=%s", ID[t]) :
				    ip_strf("?user=%s&date=%s", ID[t], ip_q("SELECT (s.taken_at AT TIME ZONE"
				    " u.timezone)::date FROM screenshots s, users u WHERE s.id = $1"
				    " AND u.id = $2", SHOT[t], ID[a], NULL));
				const char *bearer = TOKEN[a] && *TOKEN[a] ? TOKEN[a] : NULL;
				int want = a == ANON ? 401 : shot_sees(a, t, adm) ? 200 : 404;
				const char *what = ip_strf("GET /screenshots for %s (%s)", NAME[t],
				    adm ? "admins" : "managers");
				struct ip_resp *r;

				r = IP(&dash_app, .path = ip_strf("/screenshots%s", q), .bearer = bearer,
				    .accept = "application/json");
				expect(r, want, a, what);
				if (want == 200)
					is_int(json_array_size(ip_jget(r, "screenshots")), 1,
					    ip_strf("%s: %s: the one screenshot", NAME[a], what));
				r = IP(&dash_app, .path = ip_strf("/screenshots.json%s", q), .bearer = bearer);
				expect(r, want, a, ip_strf("%s, .json", what));
				r = IP(&dash_app, .path = ip_strf("/screenshots%s", q), .bearer = bearer);
				expect(r, want == 401 ? 303 : want, a, ip_strf("%s, the HTML page", what));
			}
	}
	shots_visibility("managers");
}

/* The image URL itself: the file only for those who may see it, and an
 * audit row for each look at someone else's. */
static void
shots_file(const char *size)
{
	for (int adm = 0; adm < 2; adm++) {
		shots_visibility(adm ? "admins" : "managers");
		for (size_t i = 0; i < NWALK; i++)
			for (size_t j = 0; j < sizeof(TARGETS) / sizeof(TARGETS[0]); j++) {
				enum actor a = ACTORS[i], t = TARGETS[j];
				int want = a == ANON ? 401 : shot_sees(a, t, adm) ? 200 : 404;
				const char *what = ip_strf("GET /screenshots/:id/%s of %s (%s)", size,
				    NAME[t], adm ? "admins" : "managers");
				long long mark = audit_max();
				struct ip_resp *r = dash_call(a, ip_strf("/screenshots/%s/%s", SHOT[t], size));

				expect(r, want, a, what);
				ok((ip_header(r, "X-Accel-Redirect") != NULL) == (want == 200),
				    "%s: %s: %s", NAME[a], what, want == 200 ? "served by nginx" :
				    "no file");
				is_int(audit_since(mark), want == 200 && a != t ? 1 : 0,
				    ip_strf("%s: %s: %s", NAME[a], what, want == 200 && a != t ?
				    "audited" : "nothing audited"));
			}
	}
	shots_visibility("managers");
}

static void
case_shots_image(void)
{
	shots_file("image");
}

static void
case_shots_thumb(void)
{
	shots_file("thumb");
}

/* Only the person deletes their own: a fresh screenshot each time. */
static void
case_shots_delete(void)
{
	for (size_t i = 0; i < NWALK; i++)
		for (size_t j = 0; j < sizeof(TARGETS) / sizeof(TARGETS[0]); j++) {
			enum actor a = ACTORS[i], t = TARGETS[j];
			const char *id = make_shot(t);
			int want = a == ANON ? 401 : a == t ? 200 : 404;
			struct ip_resp *r = IP(&dash_app, .method = "POST",
			    .path = ip_strf("/screenshots/%s/delete", id), .accept = "application/json",
			    .bearer = TOKEN[a] && *TOKEN[a] ? TOKEN[a] : NULL);

			expect(r, want, a, ip_strf("POST /screenshots/:id/delete of %s", NAME[t]));
			is_str(ip_q("SELECT count(*) FROM screenshots WHERE id = $1", id, NULL),
			    want == 200 ? "0" : "1", ip_strf("%s: %s's screenshot is %s", NAME[a], NAME[t],
			    want == 200 ? "deleted" : "still there"));
		}
}

static void
case_shots_notice(void)
{
	for (size_t i = 0; i < NWALK; i++) {
		enum actor a = ACTORS[i];
		struct ip_resp *r = IP(&dash_app, .method = "POST", .path = "/screenshots/notice",
		    .accept = "application/json", .json = "{}",
		    .bearer = TOKEN[a] && *TOKEN[a] ? TOKEN[a] : NULL);

		expect(r, a == ANON ? 401 : 200, a, "POST /screenshots/notice");
	}
}

static const struct {
	const char	*key;
	void		(*fn)(void);
} CASES[] = {
	{ "GET /healthz", case_healthz },
	{ "GET /admin", case_admin_home },
	{ "GET /admin/users", case_users_list },
	{ "POST /admin/users", case_invite },
	{ "GET /admin/invitations", case_invitations },
	{ "POST /admin/invitations/:id/resend", case_invitation_resend },
	{ "POST /admin/invitations/:id/revoke", case_invitation_revoke },
	{ "GET /admin/system", case_system },
	{ "GET /admin/users/:id", case_user_get },
	{ "POST /admin/users/:id", case_user_edit },
	{ "POST /admin/users/:id/deactivate", case_deactivate },
	{ "POST /admin/users/:id/activate", case_activate },
	{ "POST /admin/users/:id/delete", case_delete },
	{ "GET /admin/teams", case_teams_list },
	{ "POST /admin/teams", case_team_create },
	{ "GET /admin/teams/:id", case_team_get },
	{ "POST /admin/teams/:id", case_team_rename },
	{ "POST /admin/teams/:id/delete", case_team_delete },
	{ "POST /admin/teams/:id/members", case_member_add },
	{ "POST /admin/teams/:id/members/:user/delete", case_member_remove },
	{ "GET /admin/devices", case_devices },
	{ "POST /admin/devices/codes", case_code_create },
	{ "POST /admin/devices/codes/:id/revoke", case_code_revoke },
	{ "POST /admin/devices/:id/revoke", case_device_revoke },
	{ "GET /admin/settings", case_settings_get },
	{ "POST /admin/settings", case_settings_post },
	{ "GET /admin/categories", case_categories_list },
	{ "POST /admin/categories", case_category_create },
	{ "POST /admin/categories/preview", case_category_preview },
	{ "GET /admin/categories/builder", case_category_builder },
	{ "POST /admin/categories/quick", case_category_quick },
	{ "GET /admin/categories/new", case_category_new },
	{ "GET /admin/categories/:id", case_category_page },
	{ "POST /admin/categories/:id", case_category_edit },
	{ "POST /admin/categories/:id/delete", case_category_delete },
	{ "GET /admin/audit", case_audit },
};
#define NCASES	(sizeof(CASES) / sizeof(CASES[0]))

/* dash_app's routes. */
static const struct {
	const char	*key;
	void		(*fn)(void);
} DASH_CASES[] = {
	{ "GET /healthz", case_dash_healthz },
	{ "GET /", case_front },
	{ "GET /day/:date", case_day },
	{ "GET /week", case_week },
	{ "GET /week/:date", case_week_date },
	{ "GET /month", case_month },
	{ "GET /month/:date", case_month_date },
	{ "GET /widget", case_widget },
	{ "GET /export.csv", case_export_csv },
	{ "GET /export", case_export_json },
	{ "GET /me/data", case_mydata },
	{ "POST /me/data/delete", case_mydata_delete },
	{ "GET /me/data/everything", case_everything },
	{ "GET /sessions", case_sessions },
	{ "GET /sessions.csv", case_sessions_csv },
	{ "GET /sessions/today", case_sessions_today },
	{ "GET /sessions/:id", case_session_get },
	{ "POST /sessions/:id/delete", case_session_delete },
	{ "POST /sessions/:id/tasks/:n/delete", case_task_delete },
	{ "GET /team", case_team_list },
	{ "GET /team/:id", case_team_page },
	{ "GET /team/:id/hours", case_team_hours },
	{ "GET /team/:id/hours.csv", case_team_hours_csv },
	{ "GET /screenshots", case_shots_page },
	{ "GET /screenshots/:id/image", case_shots_image },
	{ "GET /screenshots/:id/thumb", case_shots_thumb },
	{ "POST /screenshots/:id/delete", case_shots_delete },
	{ "POST /screenshots/notice", case_shots_notice },
};
#define NDASH	(sizeof(DASH_CASES) / sizeof(DASH_CASES[0]))

/* The tree's README (for its access table). */
static char *
readme(void)
{
	const char *src = getenv("WT_SRCDIR");
	const char *me = __FILE__, *cut = strstr(me, "/tests/inproc/");
	char *path = src && *src ? ip_strf("%s/README.md", src) :
	    cut ? ip_strf("%.*s/README.md", (int)(cut - me), me) : ip_strf("README.md");
	FILE *f = fopen(path, "r");
	struct wt_buf b;
	char chunk[4096];
	size_t n;

	buf_init(&b);
	buf_puts(&b, "");
	if (f == NULL)
		return buf_take(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	return buf_take(&b);
}

int
main(void)
{
	int tested[NCASES] = { 0 }, dash_tested[NDASH] = { 0 };
	char *rd;
	int rules_ok = 1;

	if (ip_init("access") != 0)
		return 0;
	ip_lock_global();
	tag = ip_tag();

	/* --- the people and their teams --- */
	make_admin(&ADM);
	for (int a = MEMA; a < NACTORS; a++) {
		if (a == ADMIN_A)
			continue;
		EMAIL[a] = ip_strf("%s.%s@example.com", NAME[a], tag);
		for (char *p = (char *)EMAIL[a]; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		ID[a] = ip_strf("%lld", make_user(EMAIL[a], ip_strf("%s %s", NAME[a], tag),
		    PW, a == MGRA || a == MGRB ? "manager" : "member"));
		TOKEN[a] = token_for(EMAIL[a], PW, NULL);
	}
	EMAIL[ADMIN_A] = ADM.email;
	ID[ADMIN_A] = ADM.id;
	TOKEN[ADMIN_A] = token_for(ADM.email, PERSON_PW, NULL);
	TOKEN[ANON] = "";
	ok(TOKEN[MGRA] != NULL && TOKEN[ADMIN_A] != NULL && TOKEN[MEMA] != NULL &&
	    TOKEN[MEMB] != NULL && TOKEN[OUTSIDER] != NULL && TOKEN[MGRB] != NULL,
	    "fixtures: five people and an admin, and everyone has an access token");

	TEAM_A = ip_q("INSERT INTO teams (name) VALUES ($1) RETURNING id", ip_strf("A %s", tag), NULL);
	TEAM_B = ip_q("INSERT INTO teams (name) VALUES ($1) RETURNING id", ip_strf("B %s", tag), NULL);
	ip_exec("INSERT INTO team_members (team_id, user_id, role) VALUES"
	    " ($1, $3, 'manager'), ($1, $4, 'member'), ($2, $5, 'manager'), ($2, $6, 'member')",
	    TEAM_A, TEAM_B, ID[MGRA], ID[MEMA], ID[MGRB], ID[MEMB], NULL);
	for (int a = MEMA; a < NACTORS; a++)
		ip_exec("INSERT INTO devices (user_id, name) VALUES ($1, $2)", ID[a],
		    ip_strf("dev-%s-%s", NAME[a], tag), NULL);

	/* --- walk the program's own table --- */
	is_int(app_check_routes(ADMIN), 0, "admin_app: every route has a rule");
	for (const struct wt_route *rt = ADMIN->routes; rt->pattern != NULL; rt++)
		if (rt->access.who == 0 || rt->access.sees == NULL)
			rules_ok = 0;
	ok(rules_ok, "no route without a rule");
	rd = readme();
	for (const struct wt_route *rt = ADMIN->routes; rt->pattern != NULL; rt++) {
		const char *key = ip_strf("%s %s", rt->method, rt->pattern);
		size_t c;

		for (c = 0; c < NCASES; c++)
			if (strcmp(CASES[c].key, key) == 0)
				break;
		ok(c < NCASES, "route %s has a case in this test", key);
		if (c == NCASES)
			continue;
		ok(strstr(rd, ip_strf("| `%s` | `%s` |", rt->method, rt->pattern)) != NULL,
		    "route %s is in README's access table", key);
		CASES[c].fn();
		tested[c] = 1;
	}

	/* --- and dash's --- */
	for (size_t j = 0; j < sizeof(TARGETS) / sizeof(TARGETS[0]); j++)
		SHOT[TARGETS[j]] = make_shot(TARGETS[j]);
	shots_visibility_orig = ip_q("SELECT screenshot_visibility FROM settings", NULL);

	is_int(app_check_routes(&dash_app), 0, "dash_app: every route has a rule");
	for (const struct wt_route *rt = dash_app.routes; rt->pattern != NULL; rt++) {
		const char *key = ip_strf("%s %s", rt->method, rt->pattern);
		size_t c;

		for (c = 0; c < NDASH; c++)
			if (strcmp(DASH_CASES[c].key, key) == 0)
				break;
		ok(c < NDASH, "dash route %s has a case in this test", key);
		if (c == NDASH)
			continue;
		ok(strcmp(rt->pattern, "/healthz") == 0 ||
		    strstr(rd, ip_strf("| `%s` | `%s` |", rt->method, rt->pattern)) != NULL,
		    "dash route %s is in README's access table", key);
		DASH_CASES[c].fn();
		dash_tested[c] = 1;
	}
	free(rd);

	/* The test's table must not describe routes that no longer exist either. */
	for (size_t c = 0; c < NCASES; c++)
		ok(tested[c], "case '%s' matches a route the program serves", CASES[c].key);
	for (size_t c = 0; c < NDASH; c++)
		ok(dash_tested[c], "dash case '%s' matches a route the program serves",
		    DASH_CASES[c].key);
	shots_visibility(shots_visibility_orig);
	ip_exec("DELETE FROM categories WHERE name LIKE '%' || $1", tag, NULL);
	clear_lockouts();
	return ip_done();
}
