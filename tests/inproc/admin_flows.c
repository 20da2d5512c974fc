/* Admin helpers for the in-process tests (admin_flows.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin_flows.h"

struct ip_resp *
api(const char *method, const char *path, const char *token, const char *json)
{
	if (json == NULL && strcmp(method, "GET") != 0)
		json = "{}";
	return IP(ADMIN, .method = method, .path = path, .bearer = token && *token ? token : NULL,
	    .accept = "application/json", .json = json);
}

void
make_admin(struct admin *a)
{
	/* Unique to the run, but not matched by a search for its tag: the
	 * tests' lists of "their" people leave the admin out, as the shell
	 * suites' first admin was. */
	a->email = ip_strf("admin-%s@example.test", ip_tag() + 2);
	a->name = ip_strf("Admin %s", ip_tag() + 2);
	a->id = ip_strf("%lld", make_user(a->email, a->name, PERSON_PW, "admin"));
	a->token = ip_token(atoll(a->id));
}

const char *
uid_of(const char *email)
{
	return ip_q("SELECT id FROM users WHERE email = lower($1)", email, NULL);
}

const char *
user_json(const char *id)
{
	return ip_q("SELECT (to_jsonb(u) - 'updated_at')::text FROM users u WHERE id = $1", id, NULL);
}

long long
audit_max(void)
{
	const char *n = ip_q("SELECT coalesce(max(id), 0) FROM audit_log", NULL);

	return n != NULL ? atoll(n) : 0;
}

const char *
audit_last(const char *action, const char *target_id)
{
	if (target_id != NULL)
		return ip_q("SELECT row_to_json(a)::text FROM audit_log a WHERE action = $1"
		    " AND target_id = $2 ORDER BY id DESC LIMIT 1", action, target_id, NULL);
	return ip_q("SELECT row_to_json(a)::text FROM audit_log a WHERE action = $1"
	    " ORDER BY id DESC LIMIT 1", action, NULL);
}

int
audit_since(long long id)
{
	const char *n = ip_q("SELECT count(*) FROM audit_log WHERE id > $1",
	    ip_strf("%lld", id), NULL);

	return n != NULL ? atoi(n) : -1;
}

const char *
invite(const struct admin *adm, const char *email, const char *role, const char *team_id)
{
	long long mark = mail_mark();
	const char *body = team_id != NULL ?
	    ip_json("{ss ss sI}", "email", email, "role", role, "team_id",
	    (json_int_t)atoll(team_id)) : ip_json("{ss ss}", "email", email, "role", role);
	struct ip_resp *a = api("POST", "/admin/users", adm->token, body);
	const char *m, *p;

	if (a->status != 201) {
		printf("# invite %s: POST /admin/users answered %d: %.300s\n", email, a->status,
		    a->body);
		return NULL;
	}
	if ((m = mail_latest_to(email, mark)) == NULL) {
		printf("# invite %s: no invitation message\n", email);
		return NULL;
	}
	if ((p = strstr(m, "register?invite=")) == NULL)
		return NULL;
	p += 16;
	return ip_strf("%.*s", (int)strspn(p, "0123456789abcdef"), p);
}

int
register_invited(const char *tok, const char *name, struct ip_jar *jar)
{
	struct ip_resp *a = IP(AUTH, .path = ip_strf("/register?invite=%s", tok), .jar = jar);
	const char *csrf;

	if (a->status != 200) {
		printf("# GET /register?invite=... answered %d\n", a->status);
		return -1;
	}
	csrf = ip_csrf(a);
	a = IP(AUTH, .method = "POST", .path = "/register", .jar = jar, .csrf = csrf,
	    .json = ip_json("{ss ss ss ss}", "invite", tok, "display_name", name,
	    "password", PERSON_PW, "password_confirm", PERSON_PW));
	if (a->status != 201) {
		printf("# POST /register answered %d: %.300s\n", a->status, a->body);
		return -1;
	}
	return 0;
}

const char *
make_person(const struct admin *adm, const char *email, const char *role, const char *team_id,
    const char *name, struct ip_jar **jar_out)
{
	struct ip_jar *jar = ip_browser(email);
	const char *tok, *token;
	struct ip_resp *a;

	if (name == NULL)
		name = ip_strf("Person %.*s", (int)strcspn(email, "@"), email);
	if ((tok = invite(adm, email, role, team_id)) == NULL ||
	    register_invited(tok, name, jar) != 0)
		return NULL;
	if (jar_out != NULL)
		*jar_out = jar;
	if ((token = token_for(email, PERSON_PW, &a)) == NULL)
		printf("# make_person %s: no access token: %d %.200s\n", email, a->status, a->body);
	return token;
}

const char *
make_team(const struct admin *adm, const char *name)
{
	struct ip_resp *a = api("POST", "/admin/teams", adm->token, ip_json("{ss}", "name", name));

	if (a->status != 201) {
		printf("# make_team %s: %d %.200s\n", name, a->status, a->body);
		return NULL;
	}
	return ip_jstr(a, "id");
}

int
add_member(const struct admin *adm, const char *team, const char *user, const char *role)
{
	struct ip_resp *a = api("POST", ip_strf("/admin/teams/%s/members", team), adm->token,
	    ip_json("{sI ss}", "user_id", (json_int_t)atoll(user), "role", role ? role : "member"));

	if (a->status != 200) {
		printf("# add_member %s %s: %d %.200s\n", team, user, a->status, a->body);
		return -1;
	}
	return 0;
}

const char *
make_device(const char *uid, const char *name, const char *last_seen, const char *revoked)
{
	return ip_q(ip_strf("INSERT INTO devices (user_id, name, token_hash, last_seen_at, revoked_at)"
	    " VALUES ($1, $2, encode(sha256($3::bytea), 'hex'), %s, %s) RETURNING id",
	    last_seen ? last_seen : "NULL", revoked ? revoked : "NULL"),
	    uid, name, ip_strf("tok-%s-%s", name, rand_hex(8)), NULL);
}
