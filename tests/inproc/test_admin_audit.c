/* Admin: the audit log, in process (was tests/api/24_admin_audit.t).
 * Every kind of change leaves one row with the actor, the action, the
 * target and the row before and after; GET /admin/audit filters by actor,
 * action, target and dates; only admins read it; the table refuses UPDATE
 * and DELETE even from the database owner.  It counts every audit row,
 * so it runs alone. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "admin_flows.h"
#include "check.h"

static struct admin ADM;
static int n;

static struct ip_resp *
step(int want, const char *name, const char *method, const char *path, const char *json)
{
	struct ip_resp *a = api(method, path, ADM.token, json);

	if (a->status != want)
		diag("%s: %d %.200s", name, a->status, a->body);
	n++;
	return a;
}

/* The newest entry of an action as GET /admin/audit shows it: its
 * action, target and actor, and whether test holds. */
static void
check(const char *action, const char *ttype, const char *tid, int holds_fn(json_t *),
    const char *name)
{
	struct ip_resp *a = api("GET", ip_strf("/admin/audit?action=%s&target_type=%s%s%s", action,
	    ttype, tid ? "&target_id=" : "", tid ? tid : ""), ADM.token, NULL);
	json_t *e = ip_jget(a, "entries.0");
	const char *tidv = ip_jval(e, "target_id");

	is_str(ip_strf("%s %s %s %s %s", ip_jval(e, "action"), ip_jval(e, "target_type"),
	    tidv && strcmp(tidv, "null") != 0 ? tidv : "", ip_jval(e, "actor"),
	    e != NULL && holds_fn(e) ? "true" : "false"),
	    ip_strf("%s %s %s %s true", action, ttype, tid ? tid : "", ADM.email), name);
}

static const char *T, *MEM, *GONE, *C, *D, *tag, *RET, *NEWRET;

static int
empty(json_t *j)
{
	return j == NULL || json_is_null(j) || (json_is_string(j) && json_string_length(j) == 0);
}

static int
eq(json_t *e, const char *path, const char *want)
{
	const char *v = ip_jval(e, path);

	return v != NULL && strcmp(v, want) == 0;
}

static int h_create(json_t *e) { return empty(json_object_get(e, "before")) &&
    eq(e, "after.name", ip_strf("Audit %s", tag)); }
static int h_rename(json_t *e) { return eq(e, "before.name", ip_strf("Audit %s", tag)) &&
    eq(e, "after.name", ip_strf("Audit Renamed %s", tag)); }
static int h_madd(json_t *e) { return empty(json_object_get(e, "before")) &&
    eq(e, "after.user_id", MEM) && eq(e, "after.role", "member"); }
static int h_mrole(json_t *e) { return eq(e, "before.role", "member") && eq(e, "after.role", "manager"); }
static int h_mremove(json_t *e) { return eq(e, "before.user_id", MEM) &&
    empty(json_object_get(e, "after")); }
static int h_tdelete(json_t *e) { return eq(e, "before.name", ip_strf("Audit Renamed %s", tag)) &&
    empty(json_object_get(e, "after")); }
static int h_invite(json_t *e) { return eq(e, "target_label", ip_strf("new-%s@example.test", tag)) &&
    eq(e, "after.role", "manager") && empty(json_object_get(e, "before")); }
static int h_update(json_t *e) { return eq(e, "before.display_name", "Ada Audited") &&
    eq(e, "after.display_name", "Ada Renamed") && eq(e, "before.role", "manager") &&
    eq(e, "after.role", "member"); }
static int h_deact(json_t *e) { return eq(e, "before.status", "active") && eq(e, "after.status", "disabled"); }
static int h_act(json_t *e) { return eq(e, "before.status", "disabled") && eq(e, "after.status", "active"); }
static int h_udelete(json_t *e) { return eq(e, "before.email", ip_strf("gone-%s@example.test", tag)) &&
    empty(json_object_get(e, "after")); }
static int h_ccreate(json_t *e) { return eq(e, "after.user_id", MEM) &&
    eq(e, "after.device_name", "Ada laptop") && empty(json_object_get(e, "before")); }
static int h_revoked(json_t *e) { return eq(e, "before.revoked", "false") && eq(e, "after.revoked", "true"); }
static int h_drevoke(json_t *e) { return h_revoked(e) && eq(e, "target_label", "Ada desktop"); }
static int h_settings(json_t *e) { return eq(e, "before.retention_days", NEWRET) &&
    eq(e, "after.retention_days", RET); }

static const char *
actions_of(const struct ip_resp *a)
{
	json_t *arr = ip_jget(a, "entries");
	size_t i = json_array_size(arr);
	const char *out = "";

	/* Oldest first, as jq's reverse. */
	while (i-- > 0)
		out = ip_strf("%s%s%s", out, *out ? " " : "", ip_jval(json_array_get(arr, i), "action"));
	return out;
}

static const char *
unique_of(const struct ip_resp *a, const char *key)
{
	json_t *arr = ip_jget(a, "entries"), *o;
	size_t i;
	const char *out = NULL;
	int mixed = 0;

	json_array_foreach(arr, i, o) {
		const char *v = ip_jval(o, key);

		if (out == NULL)
			out = v;
		else if (strcmp(out, v) != 0)
			mixed = 1;
	}
	return mixed ? "(mixed)" : out ? out : "";
}

int
main(void)
{
	const char *EM, *EG, *MEM_TOKEN, *MGR_TOKEN, *MGR, *SETTINGS, *MC, *TODAY, *TOMORROW,
	    *YESTERDAY, *TOTAL, *SUM, *err;
	struct ip_resp *a;
	long long START, total;

	if (ip_init("admin_audit") != 0)
		return 0;
	ip_lock_global();
	tag = ip_tag();
	make_admin(&ADM);
	ok(ADM.token != NULL, "this run's admin has an access token");
	EM = ip_strf("au-%s@example.test", tag);
	EG = ip_strf("ag-%s@example.test", tag);
	MEM_TOKEN = make_person(&ADM, EM, "member", NULL, "Ada Audited", NULL);
	ok(MEM_TOKEN != NULL, "a member");
	MGR_TOKEN = make_person(&ADM, EG, "manager", NULL, "Gil Manager", NULL);
	ok(MGR_TOKEN != NULL, "a manager");
	MEM = uid_of(EM);
	MGR = uid_of(EG);
	GONE = ip_q("INSERT INTO users (email, display_name) VALUES ($1, 'Gone Soon') RETURNING id",
	    ip_strf("gone-%s@example.test", tag), NULL);
	SETTINGS = ip_q("SELECT json_build_object('retention_days', retention_days)::text FROM settings", NULL);
	RET = ip_jtext(SETTINGS, "retention_days");
	NEWRET = strcmp(RET, "77") == 0 ? "78" : "77";

	/* --- one of every action --- */
	START = audit_max();
	a = step(201, "team.create", "POST", "/admin/teams", ip_json("{ss}", "name", ip_strf("Audit %s", tag)));
	T = ip_jstr(a, "id");
	step(200, "team.rename", "POST", ip_strf("/admin/teams/%s", T),
	    ip_json("{ss}", "name", ip_strf("Audit Renamed %s", tag)));
	step(200, "team.member_add", "POST", ip_strf("/admin/teams/%s/members", T),
	    ip_json("{sI}", "user_id", (json_int_t)atoll(MEM)));
	step(200, "team.member_role", "POST", ip_strf("/admin/teams/%s/members", T),
	    ip_json("{sI ss}", "user_id", (json_int_t)atoll(MEM), "role", "manager"));
	step(200, "team.member_remove", "POST", ip_strf("/admin/teams/%s/members/%s/delete", T, MEM), NULL);
	step(201, "user.invite", "POST", "/admin/users",
	    ip_json("{ss ss}", "email", ip_strf("new-%s@example.test", tag), "role", "manager"));
	step(200, "user.update", "POST", ip_strf("/admin/users/%s", MEM),
	    "{\"display_name\":\"Ada Renamed\",\"role\":\"member\"}");
	step(200, "user.deactivate", "POST", ip_strf("/admin/users/%s/deactivate", MEM), NULL);
	step(200, "user.activate", "POST", ip_strf("/admin/users/%s/activate", MEM), NULL);
	a = step(201, "device.code_create", "POST", "/admin/devices/codes",
	    ip_json("{sI ss}", "user_id", (json_int_t)atoll(MEM), "device_name", "Ada laptop"));
	C = ip_jstr(a, "id");
	step(200, "device.code_revoke", "POST", ip_strf("/admin/devices/codes/%s/revoke", C), NULL);
	D = make_device(MEM, "Ada desktop", NULL, NULL);
	step(200, "device.revoke", "POST", ip_strf("/admin/devices/%s/revoke", D), NULL);
	step(200, "settings.update", "POST", "/admin/settings",
	    ip_strf("{\"retention_days\":%s}", NEWRET));
	step(200, "settings.update", "POST", "/admin/settings", SETTINGS);
	step(200, "team.delete", "POST", ip_strf("/admin/teams/%s/delete", T), NULL);
	step(200, "user.delete", "POST", ip_strf("/admin/users/%s/delete", GONE),
	    ip_json("{ss}", "confirm", ip_strf("gone-%s@example.test", tag)));
	a = api("POST", "/admin/devices/codes", MGR_TOKEN, "{\"device_name\":\"Gil laptop\"}");
	MC = ip_jstr(a, "id");
	n++;
	is_int(audit_since(START), n, ip_strf("%d changes, %d audit rows", n, n));
	is_str(ip_q("SELECT count(*) FROM audit_log WHERE id > $1 AND actor_id = $2 AND actor_email = $3",
	    ip_strf("%lld", START), ADM.id, ADM.email, NULL), ip_strf("%d", n - 1),
	    "the admin's, with their id and address");
	is_str(ip_q("SELECT count(*) FROM audit_log WHERE id > $1 AND actor_id = $2 AND actor_email = $3",
	    ip_strf("%lld", START), MGR, EG, NULL), "1", "the manager's one, with theirs");
	is_str(ip_q("SELECT count(*) FROM audit_log WHERE id > $1 AND ip = ''", ip_strf("%lld", START),
	    NULL), "0", "every row has the client's address");
	is_str(ip_q("SELECT count(*) FROM audit_log WHERE id > $1 AND ip <> $2", ip_strf("%lld", START),
	    ip_addr(), NULL), "0", "... the address the request came from");

	check("team.create", "team", T, h_create, "team.create: after = the team");
	check("team.rename", "team", T, h_rename, "team.rename: old and new name");
	check("team.member_add", "team", T, h_madd, "team.member_add: the membership");
	check("team.member_role", "team", T, h_mrole, "team.member_role: member -> manager");
	check("team.member_remove", "team", T, h_mremove, "team.member_remove: the membership before");
	check("team.delete", "team", T, h_tdelete, "team.delete: the team before");
	check("user.invite", "user", NULL, h_invite, "user.invite: the address and role");
	check("user.update", "user", MEM, h_update, "user.update: name and role before and after");
	check("user.deactivate", "user", MEM, h_deact, "user.deactivate: active -> disabled");
	check("user.activate", "user", MEM, h_act, "user.activate: disabled -> active");
	check("user.delete", "user", GONE, h_udelete, "user.delete: the person before");
	check("device.code_create", "enrollment_code", C, h_ccreate,
	    "device.code_create: whose and which device");
	check("device.code_revoke", "enrollment_code", C, h_revoked, "device.code_revoke");
	check("device.revoke", "device", D, h_drevoke, "device.revoke");
	check("settings.update", "settings", NULL, h_settings, "settings.update: every setting before and after");
	a = api("GET", "/admin/audit?action=settings.update", ADM.token, NULL);
	is_str(ip_strf("%s %s", ip_jstr(a, "entries.1.before.retention_days"),
	    ip_jstr(a, "entries.1.after.retention_days")), ip_strf("%s %s", RET, NEWRET),
	    "... the change before it too");

	/* --- the shape of an entry --- */
	a = api("GET", "/admin/audit", ADM.token, NULL);
	is_status(a, 200, "GET /admin/audit: 200");
	is_str(ip_jstr(a, "total"), ip_q("SELECT count(*) FROM audit_log", NULL), "total: every row");
	is_str(ip_strf("%s %zu ", ip_jstr(a, "page"), json_array_size(ip_jget(a, "entries"))),
	    ip_strf("1 %s ", ip_q("SELECT least(count(*), 50) FROM audit_log", NULL)),
	    "page 1, at most 50 entries");
	is_str(ip_jstr(a, "entries.0.id"), ip_strf("%lld", audit_max()), "newest first");
	{
		json_t *e = ip_jget(a, "entries.0"), *v;
		const char *k, *keys[16], *out = "";
		size_t nk = 0;

		json_object_foreach(e, k, v)
			if (nk < 16)
				keys[nk++] = k;
		for (size_t i = 0; i < nk; i++)
			for (size_t j = i + 1; j < nk; j++)
				if (strcmp(keys[j], keys[i]) < 0) {
					const char *t = keys[i];

					keys[i] = keys[j];
					keys[j] = t;
				}
		for (size_t i = 0; i < nk; i++)
			out = ip_strf("%s%s%s", out, i ? "," : "", keys[i]);
		is_str(out, "action,actor,actor_name,after,at,before,changes,id,ip,target_id,"
		    "target_label,target_name,target_type",
		    "an entry: id, at, actor (and their name), action, target (and its name), "
		    "before, after, the changed fields, ip");
	}
	like(ip_jstr(a, "entries.0.at"), "^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} [A-Z0-9+-]+$",
	    "... at as date and time, with the zone");

	/* --- filters --- */
	{
		char *up = ip_strf("%s", EG);

		for (char *p = up; *p; p++)
			if (*p >= 'a' && *p <= 'z')
				*p = (char)(*p - 'a' + 'A');
		a = api("GET", ip_strf("/admin/audit?actor=%s", ip_urlenc(up)), ADM.token, NULL);
	}
	is_str(ip_strf("%s %s", ip_jstr(a, "total"), unique_of(a, "actor")), ip_strf("1 %s", EG),
	    "actor= (in capitals): only that person's entries");
	is_str(ip_strf("%s %s", ip_jstr(a, "entries.0.action"), ip_jstr(a, "entries.0.target_id")),
	    ip_strf("device.code_create %s", MC), "... the manager's code");
	a = api("GET", ip_strf("/admin/audit?actor=ag-%s", tag), ADM.token, NULL);
	is_str(ip_jstr(a, "total"), "1", "actor= part of the address");
	a = api("GET", ip_strf("/admin/audit?actor=%s", ip_urlenc(ADM.email)), ADM.token, NULL);
	is_str(ip_jstr(a, "total"), ip_q("SELECT count(*) FROM audit_log WHERE actor_email = $1",
	    ADM.email, NULL), "actor= the admin: all of theirs");
	a = api("GET", "/admin/audit?action=team.rename", ADM.token, NULL);
	is_str(ip_strf("%s %s", ip_jstr(a, "total"), unique_of(a, "action")),
	    ip_strf("%s team.rename", ip_q("SELECT count(*) FROM audit_log WHERE action = 'team.rename'",
	    NULL)), "action=: only that action");
	a = api("GET", "/admin/audit?action=team", ADM.token, NULL);
	is_str(ip_jstr(a, "total"), "0", "action= is the whole name, not a part");
	a = api("GET", "/admin/audit?target_type=device", ADM.token, NULL);
	is_str(ip_strf("%s %s", ip_jstr(a, "total"), unique_of(a, "target_type")),
	    ip_strf("%s device", ip_q("SELECT count(*) FROM audit_log WHERE target_type = 'device'", NULL)),
	    "target_type=device");
	a = api("GET", ip_strf("/admin/audit?target_type=team&target_id=%s", T), ADM.token, NULL);
	is_str(actions_of(a), "team.create team.rename team.member_add team.member_role"
	    " team.member_remove team.delete", "target_type=team&target_id=ID: that team's whole story");
	a = api("GET", ip_strf("/admin/audit?target_type=user&target_id=%s", MEM), ADM.token, NULL);
	is_str(actions_of(a), "user.update user.deactivate user.activate",
	    "target_type=user&target_id=ID: that person's");
	a = api("GET", ip_strf("/admin/audit?target_id=%s&actor=%s", MEM, ip_urlenc(EG)), ADM.token, NULL);
	is_str(ip_jstr(a, "total"), "0", "filters combine");
	TODAY = ip_q("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD')", NULL);
	TOMORROW = ip_q("SELECT to_char(now() AT TIME ZONE 'UTC' + interval '1 day', 'YYYY-MM-DD')", NULL);
	YESTERDAY = ip_q("SELECT to_char(now() AT TIME ZONE 'UTC' - interval '1 day', 'YYYY-MM-DD')", NULL);
	a = api("GET", ip_strf("/admin/audit?from=%s&to=%s", TODAY, TODAY), ADM.token, NULL);
	is_str(ip_jstr(a, "total"), ip_q("SELECT count(*) FROM audit_log WHERE at >= $1::date"
	    " AND at < $2::date", TODAY, TOMORROW, NULL), "from=to=today: today's entries");
	total = atoll(ip_jstr(a, "total") ? ip_jstr(a, "total") : "0");
	ok(total >= n, "... at least the %d made here", n);
	a = api("GET", ip_strf("/admin/audit?from=%s", TOMORROW), ADM.token, NULL);
	is_str(ip_jstr(a, "total"), "0", "from=tomorrow: none");
	a = api("GET", ip_strf("/admin/audit?to=%s", YESTERDAY), ADM.token, NULL);
	is_str(ip_jstr(a, "total"), ip_q("SELECT count(*) FROM audit_log WHERE at < $1::date", TODAY, NULL),
	    "to=yesterday: only what is older than today");
	a = api("GET", ip_strf("/admin/audit?from=%s&to=%s&action=user.delete&target_id=%s", YESTERDAY,
	    TOMORROW, GONE), ADM.token, NULL);
	is_str(ip_jstr(a, "total"), "1", "dates with other filters");
	a = api("GET", "/admin/audit?from=2024-02-30", ADM.token, NULL);
	is_error(a, 400, "from", "from=2024-02-30: 400 naming from");
	a = api("GET", "/admin/audit?to=01/02/2024", ADM.token, NULL);
	is_error(a, 400, "to", "to=01/02/2024: 400 naming to");
	a = api("GET", "/admin/audit?target_type=people", ADM.token, NULL);
	is_error(a, 400, "target_type", "target_type=people: 400 naming target_type");
	a = api("GET", "/admin/audit?target_id=x", ADM.token, NULL);
	is_error(a, 400, "target_id", "target_id=x: 400 naming target_id");
	TOTAL = ip_q("SELECT count(*) FROM audit_log", NULL);
	a = api("GET", ip_strf("/admin/audit?page=%lld", (atoll(TOTAL) + 49) / 50 + 1), ADM.token, NULL);
	is_str(ip_strf("%zu %s", json_array_size(ip_jget(a, "entries")), ip_jstr(a, "total")),
	    ip_strf("0 %s", TOTAL), "past the last page: no entries, and still the total");

	/* --- who may read it --- */
	MEM_TOKEN = token_for(EM, PERSON_PW, NULL);	/* the old one died with the deactivation */
	a = api("GET", "/admin/audit", MGR_TOKEN, NULL);
	is_error(a, 403, "", "a manager: 403");
	a = api("GET", "/admin/audit", MEM_TOKEN, NULL);
	is_error(a, 403, "", "a member: 403");
	a = api("GET", "/admin/audit", "", NULL);
	is_error(a, 401, "", "nobody: 401");

	/* --- append-only --- */
	TOTAL = ip_q("SELECT count(*) FROM audit_log", NULL);
	SUM = ip_q("SELECT md5(string_agg(row_to_json(a)::text, ',' ORDER BY id)) FROM audit_log a", NULL);
	{
		static const char *const attempts[][2] = {
			{ "UPDATE audit_log SET action = 'x'", "UPDATE audit_log as the database owner fails" },
			{ NULL, "UPDATE of one row fails too" },
			{ "DELETE FROM audit_log", "DELETE FROM audit_log fails" },
			{ NULL, "DELETE of one row fails too" },
		};

		for (size_t i = 0; i < 4; i++) {
			const char *sql = attempts[i][0];

			if (i == 1)
				sql = ip_strf("UPDATE audit_log SET before = NULL WHERE id = %lld", audit_max());
			if (i == 3)
				sql = ip_strf("DELETE FROM audit_log WHERE id = %lld", START);
			err = ip_q_error(sql);
			ok(err != NULL, "%s", attempts[i][1]);
			like(err, "cannot be changed", "... audit_log rows cannot be changed");
		}
	}
	is_str(ip_strf("%s %s", ip_q("SELECT count(*) FROM audit_log", NULL),
	    ip_q("SELECT md5(string_agg(row_to_json(a)::text, ',' ORDER BY id)) FROM audit_log a", NULL)),
	    ip_strf("%s %s", TOTAL, SUM), "every row is still there, unchanged");
	clear_lockouts();
	return ip_done();
}
