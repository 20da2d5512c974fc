/* Admin: the organisation's settings, in process (was
 * tests/api/23_admin_settings.t).  Admins only; every field checked (400
 * naming it, nothing changed); a partial change changes only what is
 * sent; the registration mode takes effect on /register at once; the
 * agents' settings (title exclusions compiled by the database, the
 * intervals and pulsetime) through JSON and through the form.  It
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

/* A refusal whose message must say something too. */
static void
bad_msg(const char *json, const char *field, const char *msg_re, const char *name)
{
	struct ip_resp *a = api("POST", "/admin/settings", ADM.token, json);
	const char *f = ip_jstr(a, "field");

	is_str(ip_strf("%d %s %s", a->status, f ? f : "", db_settings()),
	    ip_strf("400 %s %s", field, ORIG), name);
	like(ip_jstr(a, "message"), msg_re, ip_strf("... %s", msg_re));
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
	is_str(keys, "day_gap_min,heartbeat_interval_s,idle_timeout_s,pulsetime_s,registration_mode,"
	    "retention_days,screenshot_blur,screenshot_from_hour,screenshot_interval_min,screenshot_mode,"
	    "screenshot_to_hour,screenshot_visibility,title_exclude,upload_interval_s", "... every setting");
	is_str(ip_jbody(a), ORIG, "... with the values in the database");
	ok(json_is_integer(ip_jget(a, "retention_days")) && json_is_boolean(ip_jget(a, "screenshot_blur")) &&
	    json_is_string(ip_jget(a, "screenshot_mode")), "... numbers as numbers, the box as a boolean");
	ok(json_is_array(ip_jget(a, "title_exclude")) && json_is_integer(ip_jget(a, "upload_interval_s")) &&
	    json_is_integer(ip_jget(a, "heartbeat_interval_s")) && json_is_integer(ip_jget(a, "pulsetime_s")),
	    "... the title exclusions as an array, the agents' intervals as numbers");
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
	/* the agents' settings: ranges as the table's CHECKs */
	bad("{\"upload_interval_s\":9}", "upload_interval_s", "upload_interval_s 9: 400");
	bad("{\"upload_interval_s\":3601}", "upload_interval_s", "upload_interval_s 3601: 400");
	bad("{\"upload_interval_s\":\"60\"}", "upload_interval_s", "upload_interval_s as a string: 400");
	bad("{\"heartbeat_interval_s\":4}", "heartbeat_interval_s", "heartbeat_interval_s 4: 400");
	bad("{\"heartbeat_interval_s\":601}", "heartbeat_interval_s", "heartbeat_interval_s 601: 400");
	bad("{\"pulsetime_s\":0}", "pulsetime_s", "pulsetime_s 0: 400");
	bad("{\"pulsetime_s\":3601}", "pulsetime_s", "pulsetime_s 3601: 400");
	bad("{\"pulsetime_s\":1.5}", "pulsetime_s", "pulsetime_s 1.5: 400");
	/* pulsetime_covers_heartbeat, from the constraint table */
	bad_msg("{\"heartbeat_interval_s\":60,\"pulsetime_s\":59}", "pulsetime_s",
	    "^Pulsetime \\(seconds\\) must be at least the heartbeat interval",
	    "pulsetime below the heartbeat interval: 400 naming pulsetime_s, in words");
	bad_msg(ip_strf("{\"pulsetime_s\":%lld}", atoll(ip_jtext(ORIG, "heartbeat_interval_s")) - 1),
	    "pulsetime_s", "heartbeat interval",
	    "only pulsetime, below the stored heartbeat interval: 400 naming pulsetime_s");
	bad_msg(ip_strf("{\"heartbeat_interval_s\":%lld}", atoll(ip_jtext(ORIG, "pulsetime_s")) + 1),
	    "pulsetime_s", "heartbeat interval",
	    "only the heartbeat interval, above the stored pulsetime: 400 naming pulsetime_s");
	/* title exclusions: an array of patterns, each compiled by the database */
	bad_msg("{\"title_exclude\":[\"bank\",\"a(b\"]}", "title_exclude",
	    "^invalid regular expression: parentheses \\(\\) not balanced \\(pattern 2: a\\(b\\)$",
	    "a pattern that does not compile: 400 naming title_exclude");
	bad_msg("{\"title_exclude\":[\"[z-a]\"]}", "title_exclude",
	    "^invalid regular expression: invalid character range \\(pattern 1: \\[z-a\\]\\)$",
	    "an invalid range: PostgreSQL's message, and which pattern");
	bad_msg("{\"title_exclude\":[\"x{2,1}\"]}", "title_exclude", "^invalid regular expression",
	    "a bad repetition: 400 naming title_exclude");
	bad_msg("{\"title_exclude\":\"bank\"}", "title_exclude", "JSON array",
	    "title_exclude as a string: 400");
	bad_msg("{\"title_exclude\":{\"a\":1}}", "title_exclude", "JSON array",
	    "title_exclude as an object: 400");
	bad_msg("{\"title_exclude\":[\"ok\",7]}", "title_exclude", "pattern 2 must be a JSON string",
	    "a number among the patterns: 400");
	bad_msg("{\"title_exclude\":[\"ok\",\"\"]}", "title_exclude", "pattern 2 must be 1 to 500",
	    "an empty pattern: 400");
	bad_msg(ip_strf("{\"title_exclude\":[\"%s\"]}", ip_repeat("a", 501)), "title_exclude",
	    "pattern 1 must be 1 to 500", "a pattern of 501 characters: 400");
	bad_msg("{\"title_exclude\":[\"two\\nlines\"]}", "title_exclude", "pattern 1 must be one line",
	    "a pattern with a line break: 400");
	bad_msg("{\"title_exclude\":[\"bell\\u0007\"]}", "title_exclude", "control characters",
	    "a pattern with a control character: 400");
	{
		json_t *many = json_array();
		char *text;

		for (int i = 0; i < 101; i++)
			json_array_append_new(many, json_string(ip_strf("p%d", i)));
		text = json_dumps(many, JSON_COMPACT);
		bad_msg(ip_strf("{\"title_exclude\":%s}", text), "title_exclude", "at most 100 patterns",
		    "101 patterns: 400");
		free(text);
		json_decref(many);
		bad_msg(ip_json("{ss}", "title_exclude_text", ip_strf("%s\n\nlast", ip_repeat("p\n", 100))),
		    "title_exclude", "at most 100 patterns", "101 lines in the text form: 400");
	}
	bad_msg("{\"title_exclude\":[\"a\"],\"title_exclude_text\":\"b\"}", "title_exclude", "not both",
	    "the array and the text at once: 400");
	bad_msg("{\"title_exclude_text\":\"fine\\n(bad\"}", "title_exclude",
	    "parentheses \\(\\) not balanced \\(pattern 2: \\(bad\\)",
	    "the text form, second line bad: 400 naming title_exclude and pattern 2");
	bad_msg("{\"title_exclude\":[\"(good)\"],\"retention_days\":0}", "retention_days", "from 1 to 3650",
	    "a good pattern with a bad number: 400, the pattern not saved either");
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

	/* --- the agents' settings --- */
	a0 = audit_max();
	S1 = db_settings();
	a = api("POST", "/admin/settings", ADM.token, "{\"title_exclude\":[\"(?i)bank\",\" - Private$\","
	    "\"^Inbox \\\\(\\\\d+\\\\)\"],\"upload_interval_s\":120,\"heartbeat_interval_s\":20,\"pulsetime_s\":20}");
	is_status(a, 200, "title exclusions, intervals and pulsetime equal to the heartbeat: 200");
	WANT = with(S1, "{\"title_exclude\":[\"(?i)bank\",\" - Private$\",\"^Inbox \\\\(\\\\d+\\\\)\"],"
	    "\"upload_interval_s\":120,\"heartbeat_interval_s\":20,\"pulsetime_s\":20}");
	is_str(ip_jbody(a), WANT, "... answers all settings, the patterns as an array in their order");
	is_str(db_settings(), WANT, "... saved, nothing else changed");
	is_str(ip_q("SELECT array_length(title_exclude, 1) || ' ' || title_exclude[2] FROM settings", NULL),
	    "3  - Private$", "... a text[] in the database, the leading space kept");
	aud = audit_last("settings.update", NULL);
	is_str(ip_strf("%s %s", ip_jnorm(ip_jtext(aud, "before")), ip_jnorm(ip_jtext(aud, "after"))),
	    ip_strf("%s %s", S1, WANT), "audit: before and after carry the agents' settings");
	is_int(audit_since(a0), 1, "one audit row");
	a = api("GET", "/admin/settings", ADM.token, NULL);
	is_str(ip_jstr(a, "title_exclude"), "[\"(?i)bank\",\" - Private$\",\"^Inbox \\\\(\\\\d+\\\\)\"]",
	    "GET shows them again");
	a = api("POST", "/admin/settings", ADM.token, "{\"retention_days\":30}");
	is_str(ip_jstr(a, "title_exclude"), "[\"(?i)bank\",\" - Private$\",\"^Inbox \\\\(\\\\d+\\\\)\"]",
	    "a change that does not send them keeps them");
	a = api("POST", "/admin/settings", ADM.token, "{\"upload_interval_s\":10,\"heartbeat_interval_s\":600,"
	    "\"pulsetime_s\":3600}");
	is_str(ip_strf("%d %s %s %s", a->status, ip_jstr(a, "upload_interval_s"), ip_jstr(a, "heartbeat_interval_s"),
	    ip_jstr(a, "pulsetime_s")), "200 10 600 3600", "the limits themselves: 10, 600 and 3600");
	a = api("POST", "/admin/settings", ADM.token, "{\"upload_interval_s\":3600,\"heartbeat_interval_s\":5,"
	    "\"pulsetime_s\":5}");
	is_str(ip_strf("%d %s %s %s", a->status, ip_jstr(a, "upload_interval_s"), ip_jstr(a, "heartbeat_interval_s"),
	    ip_jstr(a, "pulsetime_s")), "200 3600 5 5", "... and 3600, 5 and 5");
	a = api("POST", "/admin/settings", ADM.token, ip_strf("{\"title_exclude\":%s}",
	    ip_strf("[%s\"last\"]", ip_repeat("\"p\",", 99))));
	is_str(ip_strf("%d %s", a->status, ip_q("SELECT cardinality(title_exclude) FROM settings", NULL)),
	    "200 100", "100 patterns are allowed");
	a = api("POST", "/admin/settings", ADM.token, ip_strf("{\"title_exclude\":[\"%s\"]}", ip_repeat("b", 500)));
	is_str(ip_strf("%d %s", a->status, ip_q("SELECT length(title_exclude[1]) FROM settings", NULL)),
	    "200 500", "a pattern of 500 characters is allowed");
	a = api("POST", "/admin/settings", ADM.token, "{\"title_exclude\":[\"\u00e9t\u00e9\",\"\u65e5\u8a18\"]}");
	is_str(ip_strf("%d %s", a->status, ip_q("SELECT title_exclude::text FROM settings", NULL)),
	    "200 {\u00e9t\u00e9,\u65e5\u8a18}", "patterns in any script");
	a = api("POST", "/admin/settings", ADM.token, "{\"title_exclude\":[]}");
	is_str(ip_strf("%d %s %s", a->status, ip_jstr(a, "title_exclude"),
	    ip_q("SELECT title_exclude::text FROM settings", NULL)), "200 [] {}", "an empty array clears them");

	/* --- the form --- */
	{
		struct ip_jar *b = ip_browser("settings-form");
		const char *fcsrf, *page, *F;

		a = login(b, ADM.email, PERSON_PW);
		is_status(a, 303, "the admin signs in with a browser");
		api("POST", "/admin/settings", ADM.token, "{\"title_exclude\":[\"one\",\"tw<o>\"]}");
		a = IP(ADMIN, .path = "/admin/settings", .jar = b);
		is_status(a, 200, "the settings page");
		page = main_part(a);
		like(page, "<textarea id=\"f-title_exclude_text\" name=\"title_exclude_text\"[^>]*>one\n"
		    "tw&lt;o&gt;</textarea>", "... the patterns in a textarea, one a line, escaped");
		like(page, "name=\"upload_interval_s\"[^>]*value=\"[0-9]+\"", "... the upload interval");
		like(page, "name=\"heartbeat_interval_s\"", "... the heartbeat interval");
		like(page, "name=\"pulsetime_s\"", "... pulsetime");
		fcsrf = ip_csrf(a);
		F = ip_strf("csrf=%s&form=1&registration_mode=%s&retention_days=%s&screenshot_mode=%s"
		    "&screenshot_interval_min=%s&screenshot_from_hour=%s&screenshot_to_hour=%s"
		    "&screenshot_visibility=%s&idle_timeout_s=%s&day_gap_min=%s&screenshot_blur=1",
		    ip_urlenc(fcsrf ? fcsrf : ""), ip_q("SELECT registration_mode FROM settings", NULL),
		    ip_q("SELECT retention_days FROM settings", NULL), ip_q("SELECT screenshot_mode FROM settings", NULL),
		    ip_q("SELECT screenshot_interval_min FROM settings", NULL),
		    ip_q("SELECT screenshot_from_hour FROM settings", NULL),
		    ip_q("SELECT screenshot_to_hour FROM settings", NULL),
		    ip_q("SELECT screenshot_visibility FROM settings", NULL),
		    ip_q("SELECT idle_timeout_s FROM settings", NULL), ip_q("SELECT day_gap_min FROM settings", NULL));
		a = IP(ADMIN, .method = "POST", .path = "/admin/settings", .jar = b,
		    .form = ip_strf("%s&title_exclude_text=%s&upload_interval_s=90&heartbeat_interval_s=30"
		    "&pulsetime_s=45", F, ip_urlenc("  Private browsing\r\n\r\n^Bank\r\n   \r\nlast")));
		is_str(ip_strf("%d %s", a->status, ip_header(a, "Location")), "303 /admin/settings?saved=1",
		    "the form saves: 303 back to the page");
		is_str(ip_q("SELECT array_to_json(title_exclude)::text || ' ' || upload_interval_s || ' ' ||"
		    " heartbeat_interval_s || ' ' || pulsetime_s FROM settings", NULL),
		    "[\"  Private browsing\",\"^Bank\",\"last\"] 90 30 45",
		    "... one pattern a line, CRs and blank lines dropped, the lines otherwise as typed");
		S1 = db_settings();
		a = IP(ADMIN, .method = "POST", .path = "/admin/settings", .jar = b,
		    .form = ip_strf("%s&title_exclude_text=%s&upload_interval_s=90&heartbeat_interval_s=30"
		    "&pulsetime_s=45", F, ip_urlenc("fine\r\nun(closed")));
		is_status(a, 400, "a bad pattern in the form: 400");
		is_str(field_error(a, "title_exclude"),
		    "invalid regular expression: parentheses () not balanced (pattern 2: un(closed)",
		    "... the form again, PostgreSQL's message next to the textarea");
		like(main_part(a), "<textarea[^>]*aria-invalid=\"true\"[^>]*>fine\n?\r?\nun\\(closed</textarea>",
		    "... what was typed kept");
		is_str(db_settings(), S1, "... nothing saved");
		a = IP(ADMIN, .method = "POST", .path = "/admin/settings", .jar = b,
		    .form = ip_strf("%s&title_exclude_text=ok&upload_interval_s=90&heartbeat_interval_s=30"
		    "&pulsetime_s=29", F));
		is_status(a, 400, "pulsetime below the heartbeat interval in the form: 400");
		is_str(field_error(a, "pulsetime_s"), "Pulsetime (seconds) must be at least the heartbeat interval, "
		    "or the heartbeats of one window never merge into one span", "... said next to pulsetime");
		is_str(db_settings(), S1, "... nothing saved");
		a = IP(ADMIN, .method = "POST", .path = "/admin/settings", .jar = b,
		    .form = ip_strf("%s&upload_interval_s=9&heartbeat_interval_s=30&pulsetime_s=45", F));
		is_status(a, 400, "an upload interval of 9 in the form: 400");
		like(field_error(a, "upload_interval_s"), "from 10 to 3600", "... said next to the field");
		a = IP(ADMIN, .method = "POST", .path = "/admin/settings", .jar = b,
		    .form = ip_strf("%s&title_exclude_text=&upload_interval_s=90&heartbeat_interval_s=30"
		    "&pulsetime_s=45", F));
		is_str(ip_strf("%d %s", a->status, ip_q("SELECT title_exclude::text FROM settings", NULL)), "303 {}",
		    "an empty textarea clears the patterns");
	}
	a = api("POST", "/admin/settings", ADM.token, "{\"retention_days\":3650,\"screenshot_blur\":true}");
	is_str(ip_strf("%s %s", ip_jstr(a, "retention_days"), ip_jstr(a, "screenshot_blur")), "3650 true",
	    "retention 3650 and blur on again");

	/* --- the registration mode --- */
	a = api("POST", "/admin/settings", ADM.token, "{\"registration_mode\":\"closed\"}");
	is_str(ip_strf("%d %s", a->status, ip_jstr(a, "registration_mode")), "200 closed",
	    "registration closed");
	a = IP(AUTH, .path = "/register");
	is_status(a, 200, "closed: GET /register explains how to get in");
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
	is_status(a, 200, "invite only: GET /register explains how to get in");
	like(a->body, "by invitation", "... saying so");

	/* --- back to how it was --- */
	a = api("POST", "/admin/settings", ADM.token, ORIG);
	is_status(a, 200, "all settings sent back at once: 200");
	is_str(db_settings(), ORIG, "the settings are as at the start");
	clear_lockouts();
	return ip_done();
}
