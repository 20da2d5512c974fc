/* Admin: the organisation's settings, in process (was
 * tests/api/23_admin_settings.t).  Admins only; every field checked (400
 * naming it, nothing changed); a partial change changes only what is
 * sent; the registration mode takes effect on /register at once.  It
 * changes what every program reads, so it runs alone. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "admin_flows.h"
#include "check.h"

static struct admin ADM;
static const char *ORIG;

/* The settings row as the API shows it: sorted compact JSON. */
static const char *
db_settings(void)
{
	return ip_jnorm(ip_q("SELECT (to_jsonb(s) - 'id' - 'updated_at')::text FROM settings s", NULL));
}

/* ORIG with some members replaced (a JSON object of them). */
static const char *
with(const char *base, const char *changes)
{
	json_t *b = json_loads(base, 0, NULL), *c = json_loads(changes, 0, NULL);
	char *s;
	const char *out;

	json_object_update(b, c);
	s = json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS);
	out = ip_strf("%s", s);
	free(s);
	json_decref(b);
	json_decref(c);
	return out;
}

static void
bad(const char *json, const char *field, const char *name)
{
	struct ip_resp *a = api("POST", "/admin/settings", ADM.token, json);
	const char *f = ip_jstr(a, "field");

	is_str(ip_strf("%d %s %s", a->status, f ? f : "", db_settings()),
	    ip_strf("400 %s %s", field, ORIG), name);
}

int
main(void)
{
	const char *MEM_TOKEN, *MGR_TOKEN, *aud, *WANT, *S1, *S2, *ITOK, *FROM, *TO, *csrf, *tag;
	struct ip_jar *jar;
	struct ip_resp *a;
	long long a0;
	json_t *key_check;
	const char *key, *keys = "";
	json_t *v;

	if (ip_init("admin_settings") != 0)
		return 0;
	ip_lock_global();
	tag = ip_tag();
	make_admin(&ADM);
	ok(ADM.token != NULL, "this run's admin has an access token");
	MEM_TOKEN = make_person(&ADM, ip_strf("sm-%s@example.test", tag), "member", NULL, "Sam Member", NULL);
	ok(MEM_TOKEN != NULL, "a member");
	MGR_TOKEN = make_person(&ADM, ip_strf("sg-%s@example.test", tag), "manager", NULL, "Sue Manager", NULL);
	ok(MGR_TOKEN != NULL, "a manager");

	/* --- reading --- */
	ORIG = db_settings();
	a = api("GET", "/admin/settings", ADM.token, NULL);
	is_status(a, 200, "GET /admin/settings as admin: 200");
	key_check = json_loads(ip_jbody(a), 0, NULL);
	json_object_foreach(key_check, key, v)
		keys = ip_strf("%s%s%s", keys, *keys ? "," : "", key);
	json_decref(key_check);
	is_str(keys, "day_gap_min,idle_timeout_s,registration_mode,retention_days,screenshot_blur,"
	    "screenshot_from_hour,screenshot_interval_min,screenshot_mode,screenshot_to_hour,"
	    "screenshot_visibility", "... every setting");
	is_str(ip_jbody(a), ORIG, "... with the values in the database");
	ok(json_is_integer(ip_jget(a, "retention_days")) && json_is_boolean(ip_jget(a, "screenshot_blur")) &&
	    json_is_string(ip_jget(a, "screenshot_mode")), "... numbers as numbers, the box as a boolean");
	a = api("GET", "/admin/settings", MGR_TOKEN, NULL);
	is_error(a, 403, "", "a manager may not read them: 403");
	a = api("GET", "/admin/settings", MEM_TOKEN, NULL);
	is_error(a, 403, "", "a member may not read them: 403");
	a = api("GET", "/admin/settings", "", NULL);
	is_error(a, 401, "", "without a token: 401");
	a0 = audit_max();
	a = api("POST", "/admin/settings", MGR_TOKEN, "{\"retention_days\":99}");
	is_error(a, 403, "", "a manager may not change them: 403");
	is_str(db_settings(), ORIG, "... nothing changed");

	/* --- refused values --- */
	bad("{\"retention_days\":0}", "retention_days", "retention_days 0: 400");
	bad("{\"retention_days\":3651}", "retention_days", "retention_days 3651: 400");
	bad("{\"retention_days\":-5}", "retention_days", "retention_days -5: 400");
	bad("{\"retention_days\":\"30\"}", "retention_days", "retention_days as a string: 400");
	bad("{\"retention_days\":30.5}", "retention_days", "retention_days 30.5: 400");
	bad("{\"retention_days\":true}", "retention_days", "retention_days true: 400");
	bad("{\"screenshot_mode\":\"sometimes\"}", "screenshot_mode", "screenshot_mode sometimes: 400");
	bad("{\"screenshot_mode\":\"OFF\"}", "screenshot_mode", "screenshot_mode OFF (case matters): 400");
	bad("{\"screenshot_mode\":1}", "screenshot_mode", "screenshot_mode 1: 400");
	bad("{\"screenshot_interval_min\":4}", "screenshot_interval_min", "screenshot_interval_min 4: 400");
	bad("{\"screenshot_interval_min\":1441}", "screenshot_interval_min",
	    "screenshot_interval_min 1441: 400");
	bad("{\"screenshot_from_hour\":24}", "screenshot_from_hour", "screenshot_from_hour 24: 400");
	bad("{\"screenshot_from_hour\":-1}", "screenshot_from_hour", "screenshot_from_hour -1: 400");
	bad("{\"screenshot_to_hour\":0}", "screenshot_to_hour", "screenshot_to_hour 0: 400");
	bad("{\"screenshot_to_hour\":25}", "screenshot_to_hour", "screenshot_to_hour 25: 400");
	bad("{\"screenshot_from_hour\":12,\"screenshot_to_hour\":12}", "screenshot_to_hour",
	    "screenshot_from_hour = screenshot_to_hour: 400 naming screenshot_to_hour");
	bad("{\"screenshot_from_hour\":18,\"screenshot_to_hour\":8}", "screenshot_to_hour",
	    "screenshot_from_hour > screenshot_to_hour: 400 naming screenshot_to_hour");
	FROM = ip_jtext(ORIG, "screenshot_from_hour");
	TO = ip_jtext(ORIG, "screenshot_to_hour");
	bad(ip_strf("{\"screenshot_from_hour\":%s}", TO), "screenshot_to_hour",
	    ip_strf("only from_hour, up to the stored to_hour (%s): 400 naming screenshot_to_hour", TO));
	bad(ip_strf("{\"screenshot_to_hour\":%s}", FROM), "screenshot_to_hour",
	    ip_strf("only to_hour, down to the stored from_hour (%s): 400 naming screenshot_to_hour", FROM));
	bad("{\"screenshot_blur\":\"yes\"}", "screenshot_blur", "screenshot_blur as a string: 400");
	bad("{\"screenshot_visibility\":\"everyone\"}", "screenshot_visibility",
	    "screenshot_visibility everyone: 400");
	bad("{\"idle_timeout_s\":29}", "idle_timeout_s", "idle_timeout_s 29: 400");
	bad("{\"idle_timeout_s\":3601}", "idle_timeout_s", "idle_timeout_s 3601: 400");
	bad("{\"day_gap_min\":0}", "day_gap_min", "day_gap_min 0: 400");
	bad("{\"day_gap_min\":241}", "day_gap_min", "day_gap_min 241: 400");
	bad("{\"registration_mode\":\"maybe\"}", "registration_mode", "registration_mode maybe: 400");
	bad("{\"retention_days\":90,\"day_gap_min\":0}", "day_gap_min",
	    "a good value with a bad one: 400, the good one not saved either");
	a = api("POST", "/admin/settings", ADM.token, "[1,2]");
	is_str(ip_strf("%d %s", a->status, db_settings()), ip_strf("400 %s", ORIG),
	    "a JSON array: 400, nothing changed");
	is_int(audit_since(a0), 0, "refusals write no audit row");

	/* --- changes --- */
	a0 = audit_max();
	a = api("POST", "/admin/settings", ADM.token, "{\"retention_days\":90,\"screenshot_mode\":\"interval\"}");
	is_status(a, 200, "a partial change: 200");
	WANT = with(ORIG, "{\"retention_days\":90,\"screenshot_mode\":\"interval\"}");
	is_str(ip_jbody(a), WANT, "... answers all settings, the two changed");
	is_str(db_settings(), WANT, "... only the fields sent changed in the database");
	aud = audit_last("settings.update", NULL);
	is_str(ip_strf("%s|%s|%s|%s", ip_jtext(aud, "actor_email"), ip_jtext(aud, "target_type"),
	    ip_jtext(aud, "target_id"), ip_jtext(aud, "target_label")),
	    ip_strf("%s|settings|null|organisation", ADM.email), "audit: settings.update by the admin");
	is_str(ip_jnorm(ip_jtext(aud, "before")), ORIG, "audit: before = all settings before");
	is_str(ip_jnorm(ip_jtext(aud, "after")), WANT, "audit: after = all settings after");
	is_int(audit_since(a0), 1, "one audit row");

	S1 = WANT;
	a = api("POST", "/admin/settings", ADM.token, "{\"screenshot_blur\":false,\"screenshot_from_hour\":0,"
	    "\"screenshot_to_hour\":24,\"screenshot_visibility\":\"admins\"}");
	is_status(a, 200, "the widest hours, blur off, admins only: 200");
	WANT = with(S1, "{\"screenshot_blur\":false,\"screenshot_from_hour\":0,\"screenshot_to_hour\":24,"
	    "\"screenshot_visibility\":\"admins\"}");
	is_str(db_settings(), WANT, "... saved, nothing else changed");
	S2 = WANT;
	a = api("POST", "/admin/settings", ADM.token, "{\"retention_days\":1,\"screenshot_interval_min\":1440,"
	    "\"idle_timeout_s\":30,\"day_gap_min\":240,\"screenshot_from_hour\":23}");
	is_status(a, 200, "the limits themselves are allowed: 200");
	is_str(db_settings(), with(S2, "{\"retention_days\":1,\"screenshot_interval_min\":1440,"
	    "\"idle_timeout_s\":30,\"day_gap_min\":240,\"screenshot_from_hour\":23}"), "... saved");
	a = api("POST", "/admin/settings", ADM.token, "{\"retention_days\":3650,\"screenshot_blur\":true}");
	is_str(ip_strf("%s %s", ip_jstr(a, "retention_days"), ip_jstr(a, "screenshot_blur")), "3650 true",
	    "retention 3650 and blur on again");

	/* --- the registration mode --- */
	a = api("POST", "/admin/settings", ADM.token, "{\"registration_mode\":\"closed\"}");
	is_str(ip_strf("%d %s", a->status, ip_jstr(a, "registration_mode")), "200 closed",
	    "registration closed");
	a = IP(AUTH, .path = "/register");
	is_status(a, 403, "closed: GET /register is 403");
	like(a->body, "Registration is closed", "... saying so");
	jar = ip_browser("closed");
	csrf = csrf_of(jar, "/login");
	a = IP(AUTH, .method = "POST", .path = "/register", .jar = jar, .csrf = csrf,
	    .json = ip_json("{ss ss ss}", "email", ip_strf("walkin-%s@example.test", tag),
	    "display_name", "Walk In", "password", PERSON_PW));
	is_status(a, 403, "closed: POST /register is 403");
	is_str(ip_q("SELECT count(*) FROM users WHERE email = $1", ip_strf("walkin-%s@example.test", tag),
	    NULL), "0", "... and makes no account");
	ITOK = invite(&ADM, ip_strf("inv23-%s@example.test", tag), "member", NULL);
	a = IP(AUTH, .path = ip_strf("/register?invite=%s", ITOK ? ITOK : ""));
	is_status(a, 200, "closed: an invitation link still opens the form");
	a = api("POST", "/admin/settings", ADM.token, "{\"registration_mode\":\"open\"}");
	is_status(a, 200, "registration open");
	a = IP(AUTH, .path = "/register");
	is_status(a, 200, "open: GET /register is 200");
	like(a->body, "name=\"csrf\"", "... the form");
	api("POST", "/admin/settings", ADM.token, "{\"registration_mode\":\"invite\"}");
	a = IP(AUTH, .path = "/register");
	is_status(a, 403, "invite only: GET /register is 403");
	like(a->body, "by invitation", "... saying so");

	/* --- back to how it was --- */
	a = api("POST", "/admin/settings", ADM.token, ORIG);
	is_status(a, 200, "all settings sent back at once: 200");
	is_str(db_settings(), ORIG, "the settings are as at the start");
	clear_lockouts();
	return ip_done();
}
