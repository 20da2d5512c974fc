/* Admin: the categories API, in process.  Admins only (members and
 * managers 403, anonymous 401, nothing changed); the list with how many
 * windows each rule names; creating, changing and deleting rules, each
 * written to the audit log; every field checked (a pattern that does not
 * compile is a 400 naming its field with PostgreSQL's message, a name
 * taken is a 409); and the point of it all: windows stored before a
 * change (here with windows_intern, as ingest stores them) carry the
 * category the new rules give them once the answer is out.  Rules apply
 * to every window, so it runs alone. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "admin_flows.h"
#include "check.h"

static struct admin ADM;
static const char *tag, *W1, *W2, *W3, *W4, *WIDS;

/* The window of an (app, title, url), stored as ingest stores it: its
 * category from the rules of the moment. */
static const char *
intern(const char *app, const char *title, const char *url)
{
	return ip_q("SELECT (windows_intern(ARRAY[$1], ARRAY[$2], ARRAY[$3]))[1]", app, title, url,
	    NULL);
}

/* The category names of this run's windows W1..W4, in order ("-": none). */
static const char *
cats(void)
{
	return ip_q("SELECT string_agg(coalesce(c.name, '-'), ' | ' ORDER BY o.n)"
	    " FROM unnest($1::int[]) WITH ORDINALITY AS o(id, n) JOIN windows w ON w.id = o.id"
	    " LEFT JOIN categories c ON c.id = w.category_id", WIDS, NULL);
}

/* Everything a refused request must leave alone: this run's rules and
 * the categories of its windows. */
static const char *
state(void)
{
	return ip_strf("%s / %s", ip_q("SELECT coalesce(json_agg(c ORDER BY c.id)::text, '[]')"
	    " FROM categories c WHERE strpos(c.name, $1) > 0", tag, NULL), cats());
}

static const char *
n(const char *s)
{
	return ip_strf("%s%s", s, tag);
}

/* A refused POST: the status and field, and nothing changed. */
static void
bad(const char *path, const char *json, int status, const char *field, const char *msg_re,
    const char *name)
{
	const char *before = state();
	struct ip_resp *a = api("POST", path, ADM.token, json);
	const char *f = ip_jstr(a, "field");

	is_str(ip_strf("%d %s %s", a->status, f ? f : "", state()),
	    ip_strf("%d %s %s", status, field, before), name);
	if (msg_re != NULL)
		like(ip_jstr(a, "message"), msg_re, ip_strf("... %s", msg_re));
}

/* The rule of that id in a list answer. */
static json_t *
listed(struct ip_resp *a, const char *id)
{
	json_t *o;
	size_t i;

	json_array_foreach(ip_jget(a, "categories"), i, o)
		if (json_integer_value(json_object_get(o, "id")) == atoll(id))
			return o;
	return NULL;
}

static double
ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

int
main(void)
{
	const char *MEM, *MGR, *A, *B, *C, *G, *aud, *row, *path, *keys = "", *key, *before;
	struct ip_resp *a;
	struct timespec t0;
	long long a0;
	json_t *o, *v;
	double ms;

	if (ip_init("admin_categories") != 0)
		return 0;
	ip_lock_global();
	tag = ip_tag();
	make_admin(&ADM);
	ok(ADM.token != NULL, "this run's admin has an access token");
	MEM = make_person(&ADM, ip_strf("cm-%s@example.test", tag), "member", NULL, "Cat Member", NULL);
	MGR = make_person(&ADM, ip_strf("cg-%s@example.test", tag), "manager", NULL, "Cat Manager", NULL);
	ok(MEM != NULL && MGR != NULL, "a member and a manager");

	/* Windows stored before any rule of this run exists. */
	W1 = intern(n("cat-"), n("Plan "), "");
	W2 = intern("firefox", n("Tagged page "), ip_strf("https://docs.%s.example/x", tag));
	W3 = intern("code", n("main.c - "), "");
	W4 = intern(n("cat-"), n("Other "), "");
	WIDS = ip_strf("{%s,%s,%s,%s}", W1, W2, W3, W4);
	is_str(cats(), "- | Browsing | Work > Programming | -",
	    "four windows, stored with the default rules' categories");

	/* --- reading --- */
	a = api("GET", "/admin/categories", ADM.token, NULL);
	is_status(a, 200, "GET /admin/categories as admin: 200");
	is_int((long long)json_array_size(ip_jget(a, "categories")),
	    atoll(ip_q("SELECT count(*) FROM categories", NULL)), "... every rule");
	o = json_array_get(ip_jget(a, "categories"), 0);
	json_object_foreach(o, key, v)
		keys = ip_strf("%s%s%s", keys, *keys ? "," : "", key);
	is_str(keys, "id,name,depth,app_re,title_re,url_re,priority,productivity,colour,windows",
	    "... each with its fields and how many windows it names");
	o = listed(a, ip_q("SELECT id FROM categories WHERE name = 'Work > Programming'", NULL));
	ok(o != NULL, "... the default 'Work > Programming' among them");
	is_str(ip_jval(o, "depth"), "2", "... depth 2");
	is_str(ip_jval(o, "priority"), "100", "... priority 100 as a number");
	ok(json_is_string(json_object_get(o, "app_re")) && json_is_string(json_object_get(o, "title_re")) &&
	    json_is_null(json_object_get(o, "url_re")), "... its patterns as strings, no URL pattern as null");
	is_str(ip_strf("%s %s", ip_jval(o, "productivity"), ip_jval(o, "colour")), "productive #1b5e20",
	    "... productivity and colour");
	{
		const char *got = "", *want;
		size_t i;

		json_array_foreach(ip_jget(a, "categories"), i, o)
			got = ip_strf("%s%s%s:%s", got, i ? "," : "", ip_jval(o, "name"), ip_jval(o, "windows"));
		want = ip_q("SELECT string_agg(c.name || ':' || (SELECT count(*) FROM windows w"
		    " WHERE w.category_id = c.id), ',' ORDER BY lower(c.name), c.id) FROM categories c", NULL);
		is_str(got, want, "... ordered by name, each with the count of windows it names");
	}
	is_str(ip_jstr(a, "uncategorised"), ip_q("SELECT count(*) FROM windows WHERE category_id IS NULL", NULL),
	    "... and how many windows no rule names");

	/* --- who may --- */
	a0 = audit_max();
	before = state();
	is_error(api("GET", "/admin/categories", MGR, NULL), 403, "", "a manager may not list them: 403");
	is_error(api("GET", "/admin/categories", MEM, NULL), 403, "", "a member may not list them: 403");
	is_error(api("GET", "/admin/categories", "", NULL), 401, "", "without a token: 401");
	is_error(api("POST", "/admin/categories", MGR, ip_json("{ss ss}", "name", n("Mgr "), "app_re", "x")),
	    403, "", "a manager may not create one: 403");
	is_error(api("POST", "/admin/categories", MEM, ip_json("{ss}", "name", n("Mem "))), 403, "",
	    "a member may not create one: 403");
	is_error(api("POST", "/admin/categories", "", ip_json("{ss}", "name", n("Anon "))), 401, "",
	    "nobody signed in may not create one: 401");
	G = ip_q("SELECT id FROM categories WHERE name = 'Browsing'", NULL);
	path = ip_strf("/admin/categories/%s", G);
	is_error(api("POST", path, MGR, "{\"colour\":\"#000000\"}"), 403, "",
	    "a manager may not change one: 403");
	is_error(api("POST", path, MEM, "{\"colour\":\"#000000\"}"), 403, "", "a member may not change one: 403");
	is_error(api("POST", path, "", "{\"colour\":\"#000000\"}"), 401, "", "nobody signed in: 401");
	path = ip_strf("/admin/categories/%s/delete", G);
	is_error(api("POST", path, MGR, NULL), 403, "", "a manager may not delete one: 403");
	is_error(api("POST", path, MEM, NULL), 403, "", "a member may not delete one: 403");
	is_error(api("POST", path, "", NULL), 401, "", "nobody signed in: 401");
	is_str(ip_strf("%s %s", state(), ip_q("SELECT colour FROM categories WHERE id = $1", G, NULL)),
	    ip_strf("%s #78909c", before), "... nothing changed");
	is_int(audit_since(a0), 0, "... and nothing audited");

	/* --- creating: the stored windows are categorised at once --- */
	a0 = audit_max();
	a = api("POST", "/admin/categories", ADM.token, ip_json("{ss ss ss ss sI}", "name", n("Cat"),
	    "app_re", ip_strf("^cat-%s$", tag), "productivity", "productive", "colour", "#123abc",
	    "priority", (json_int_t)0));
	is_status(a, 201, "an app rule: 201");
	A = ip_jstr(a, "id");
	is_str(ip_jnorm(ip_jbody(a)), ip_jnorm(ip_strf("{\"id\":%s,\"name\":\"%s\",\"depth\":1,\"app_re\":"
	    "\"^cat-%s$\",\"title_re\":null,\"url_re\":null,\"priority\":0,\"productivity\":\"productive\","
	    "\"colour\":\"#123abc\",\"windows\":2}", A, n("Cat"), tag)),
	    "... answers the rule as the list shows it, naming the 2 windows it took");
	is_str(cats(), ip_strf("%s | Browsing | Work > Programming | %s", n("Cat"), n("Cat")),
	    "... the two windows of that app stored before it now carry it");
	aud = audit_last("category.create", A);
	row = ip_q("SELECT json_build_object('id', id, 'name', name, 'app_re', app_re, 'title_re', title_re,"
	    " 'url_re', url_re, 'priority', priority, 'productivity', productivity, 'colour', colour)::text"
	    " FROM categories WHERE id = $1", A, NULL);
	is_str(ip_strf("%s|%s|%s|%s|%s", ip_jtext(aud, "actor_email"), ip_jtext(aud, "target_type"),
	    ip_jtext(aud, "target_id"), ip_jtext(aud, "target_label"), ip_jtext(aud, "before")),
	    ip_strf("%s|category|%s|%s|null", ADM.email, A, n("Cat")), "audit: category.create by the admin");
	is_str(ip_jnorm(ip_jtext(aud, "after")), ip_jnorm(row), "audit: after = the rule as stored");
	is_int(audit_since(a0), 1, "one audit row");
	a = api("GET", "/admin/categories", ADM.token, NULL);
	is_str(ip_jval(listed(a, A), "windows"), "2", "the list counts its 2 windows");

	a = api("POST", "/admin/categories", ADM.token, ip_json("{ss ss}", "name", n("Cat > Docs"),
	    "url_re", ip_strf("^https://docs\\.%s\\.example/", tag)));
	is_status(a, 201, "a deeper URL rule: 201");
	B = ip_jstr(a, "id");
	is_str(ip_strf("%s %s %s %s %s %s", ip_jstr(a, "depth"), ip_jstr(a, "priority"), ip_jstr(a, "productivity"),
	    ip_jstr(a, "colour"), ip_jstr(a, "app_re"), ip_jstr(a, "windows")), "2 0 neutral #9e9e9e null 1",
	    "... depth 2 and the defaults: priority 0, neutral, grey, no app pattern; 1 window");
	is_str(cats(), ip_strf("%s | %s | Work > Programming | %s", n("Cat"), n("Cat > Docs"), n("Cat")),
	    "... the browser window on that site leaves 'Browsing' for it (deepest rule wins)");

	a = api("POST", "/admin/categories", ADM.token, ip_json("{ss}", "name", n("Group ")));
	is_str(ip_strf("%d %s %s", a->status, ip_jstr(a, "windows"), cats()),
	    ip_strf("201 0 %s | %s | Work > Programming | %s", n("Cat"), n("Cat > Docs"), n("Cat")),
	    "a rule without patterns (a grouping level): 201, names nothing");
	api("POST", ip_strf("/admin/categories/%s/delete", ip_jstr(a, "id")), ADM.token, NULL);

	/* A window stored after a rule exists gets it when it is stored. */
	is_str(ip_q("SELECT c.name FROM windows w JOIN categories c ON c.id = w.category_id WHERE w.id = $1",
	    intern(n("cat-"), n("Later "), ""), NULL), n("Cat"), "a window stored later gets the rule too");

	/* --- changing --- */
	a0 = audit_max();
	path = ip_strf("/admin/categories/%s", A);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	a = api("POST", path, ADM.token, ip_json("{ss}", "app_re", ip_strf("^nothing-%s$", tag)));
	ms = ms_since(&t0);
	is_status(a, 200, "the app pattern changed: 200");
	diag("a rule change re-categorised the %s stored windows in %.1f ms (whole request)",
	    ip_q("SELECT count(*) FROM windows", NULL), ms);
	is_str(ip_strf("%s %s %s", ip_jstr(a, "app_re"), ip_jstr(a, "colour"), ip_jstr(a, "windows")),
	    ip_strf("^nothing-%s$ #123abc 0", tag), "... only the pattern changed; it names no window now");
	is_str(cats(), ip_strf("- | %s | Work > Programming | -", n("Cat > Docs")),
	    "... the windows it no longer matches have no category");
	aud = audit_last("category.update", A);
	is_str(ip_strf("%s %s", ip_jtext(ip_jtext(aud, "before"), "app_re"),
	    ip_jtext(ip_jtext(aud, "after"), "app_re")), ip_strf("^cat-%s$ ^nothing-%s$", tag, tag),
	    "audit: category.update, the pattern before and after");
	is_int(audit_since(a0), 1, "one audit row");

	a = api("POST", path, ADM.token, ip_json("{ss}", "title_re", ip_strf("^Plan %s$", tag)));
	is_str(ip_strf("%d %s %s", a->status, ip_jstr(a, "windows"), cats()),
	    ip_strf("200 1 %s | %s | Work > Programming | -", n("Cat"), n("Cat > Docs")),
	    "a title pattern added: the window with that title is the rule's again");

	a = api("POST", "/admin/categories", ADM.token, ip_json("{ss ss}", "name", n("Dog"), "title_re", tag));
	C = ip_jstr(a, "id");
	is_str(ip_strf("%d %s", a->status, cats()),
	    ip_strf("201 %s | %s | Work > Programming | %s", n("Cat"), n("Cat > Docs"), n("Dog")),
	    "a rule whose title pattern matches all four: only the window without a category takes it"
	    " (an older rule of the same depth and priority keeps its own)");
	a = api("POST", ip_strf("/admin/categories/%s", C), ADM.token, "{\"priority\":10}");
	is_str(ip_strf("%d %s", a->status, cats()),
	    ip_strf("200 %s | %s | Work > Programming | %s", n("Dog"), n("Cat > Docs"), n("Dog")),
	    "its priority raised to 10: it outranks the rule of the same depth");
	a = api("POST", ip_strf("/admin/categories/%s", C), ADM.token,
	    ip_json("{ss}", "name", n("Dog > Deep")));
	is_str(ip_strf("%d %s %s", a->status, ip_jstr(a, "depth"), cats()),
	    ip_strf("200 2 %s | %s | Work > Programming | %s", n("Dog > Deep"), n("Dog > Deep"), n("Dog > Deep")),
	    "renamed one level deeper: it outranks the URL rule (same depth, higher priority), "
	    "not the editor rule (priority 100)");
	before = cats();
	a = api("POST", ip_strf("/admin/categories/%s", C), ADM.token,
	    "{\"colour\":\"#ABCDEF\",\"productivity\":\"distracting\"}");
	is_str(ip_strf("%d %s %s %s %s", a->status, ip_jstr(a, "colour"), ip_jstr(a, "productivity"),
	    ip_jstr(a, "name"), cats()), ip_strf("200 #ABCDEF distracting %s %s", n("Dog > Deep"), before),
	    "colour and productivity changed: nothing else, and no window moves");

	/* replace: the body is the whole rule */
	a = api("POST", ip_strf("/admin/categories/%s", A), ADM.token,
	    ip_json("{ss sb}", "name", n("Cat"), "replace", 1));
	is_str(ip_strf("%d %s %s %s %s %s %s", a->status, ip_jstr(a, "app_re"), ip_jstr(a, "title_re"),
	    ip_jstr(a, "priority"), ip_jstr(a, "productivity"), ip_jstr(a, "colour"), ip_jstr(a, "windows")),
	    "200 null null 0 neutral #9e9e9e 0", "replace with only a name: the patterns removed, the defaults back");
	is_str(cats(), ip_strf("%s | %s | Work > Programming | %s", n("Dog > Deep"), n("Dog > Deep"),
	    n("Dog > Deep")), "... the windows the deeper rule names stay with it");
	a = api("POST", ip_strf("/admin/categories/%s", A), ADM.token, ip_json("{ss ss ss sI sb}",
	    "name", n("Cat"), "app_re", ip_strf("^cat-%s$", tag), "colour", "#123abc", "priority", (json_int_t)50,
	    "replace", 1));
	is_str(ip_strf("%d %s %s %s", a->status, ip_jstr(a, "app_re"), ip_jstr(a, "priority"), ip_jstr(a, "windows")),
	    ip_strf("200 ^cat-%s$ 50 0", tag),
	    "replace with a whole rule: 200; its windows stay with the deeper rule");

	/* --- deleting: the windows go to the next best rule, or none --- */
	a0 = audit_max();
	row = ip_q("SELECT json_build_object('id', id, 'name', name, 'app_re', app_re, 'title_re', title_re,"
	    " 'url_re', url_re, 'priority', priority, 'productivity', productivity, 'colour', colour)::text"
	    " FROM categories WHERE id = $1", C, NULL);
	a = api("POST", ip_strf("/admin/categories/%s/delete", C), ADM.token, NULL);
	is_str(ip_strf("%d %s", a->status, ip_jstr(a, "status")), "200 deleted", "deleting the deep title rule: 200");
	is_str(cats(), ip_strf("%s | %s | Work > Programming | %s", n("Cat"), n("Cat > Docs"), n("Cat")),
	    "... its windows carry the next best rule");
	is_str(ip_q("SELECT count(*) FROM categories WHERE id = $1", C, NULL), "0", "... and it is gone");
	aud = audit_last("category.delete", C);
	is_str(ip_strf("%s|%s|%s", ip_jtext(aud, "target_label"), ip_jnorm(ip_jtext(aud, "before")),
	    ip_jtext(aud, "after")), ip_strf("%s|%s|null", n("Dog > Deep"), ip_jnorm(row)),
	    "audit: category.delete with the rule before");
	is_int(audit_since(a0), 1, "one audit row");
	a = api("POST", ip_strf("/admin/categories/%s/delete", B), ADM.token, NULL);
	is_str(ip_strf("%d %s", a->status, cats()), ip_strf("200 %s | Browsing | Work > Programming | %s",
	    n("Cat"), n("Cat")), "deleting the URL rule: the browser window is 'Browsing' again");
	is_error(api("POST", ip_strf("/admin/categories/%s/delete", B), ADM.token, NULL), 404, "",
	    "deleting it again: 404");

	/* --- refused: nothing changes, nothing is audited --- */
	a0 = audit_max();
	bad("/admin/categories", "{}", 400, "name", "^Name is required$", "no name: 400");
	bad("/admin/categories", "{\"name\":\"\"}", 400, "name", NULL, "an empty name: 400");
	bad("/admin/categories", "{\"name\":5}", 400, "name", "JSON string", "a number as the name: 400");
	bad("/admin/categories", ip_json("{ss}", "name", n("A >B ")), 400, "name", "levels separated by",
	    "'A >B': 400 naming name");
	bad("/admin/categories", ip_json("{ss}", "name", ip_strf("%s > ", tag)), 400, "name", NULL,
	    "an empty last level: 400");
	bad("/admin/categories", ip_json("{ss}", "name", ip_strf("> %s", tag)), 400, "name", NULL,
	    "an empty first level: 400");
	bad("/admin/categories", ip_json("{ss}", "name", ip_strf(" %s", tag)), 400, "name", NULL,
	    "a leading space: 400");
	bad("/admin/categories", ip_json("{ss}", "name", ip_strf("%s  > B", tag)), 400, "name", NULL,
	    "two spaces before '>': 400");
	bad("/admin/categories", ip_json("{ss}", "name", ip_strf("%s>B", tag)), 400, "name", NULL,
	    "'>' without spaces: 400");
	bad("/admin/categories", ip_json("{ss}", "name", ip_strf("%s > > B", tag)), 400, "name", NULL,
	    "an empty middle level: 400");
	bad("/admin/categories", ip_json("{ss}", "name", ip_strf("%s\tB", tag)), 400, "name", "control",
	    "a tab in the name: 400");
	bad("/admin/categories", ip_json("{ss}", "name", ip_strf("%s%s", tag, ip_repeat("x", 201))), 400, "name",
	    "1 to 200", "201 characters: 400");
	bad("/admin/categories", ip_json("{ss ss}", "name", n("Re "), "app_re", "a(b"), 400, "app_re",
	    "^invalid regular expression: parentheses \\(\\) not balanced \\(a\\(b\\)$",
	    "an app pattern that does not compile: 400 naming app_re, PostgreSQL's message");
	bad("/admin/categories", ip_json("{ss ss}", "name", n("Re "), "title_re", "[z-a]"), 400, "title_re",
	    "^invalid regular expression: invalid character range", "a bad title pattern: 400 naming title_re");
	bad("/admin/categories", ip_json("{ss ss}", "name", n("Re "), "url_re", "x{2,1}"), 400, "url_re",
	    "^invalid regular expression", "a bad URL pattern: 400 naming url_re");
	bad("/admin/categories", ip_json("{ss ss ss}", "name", n("Re "), "app_re", "fine", "url_re", "(?z)"), 400,
	    "url_re", "^invalid regular expression", "a good pattern beside a bad one: 400, nothing stored");
	bad("/admin/categories", ip_json("{ss ss}", "name", n("Re "), "title_re", ip_repeat("a", 1001)), 400,
	    "title_re", "1 to 1000", "a pattern of 1001 characters: 400");
	bad("/admin/categories", ip_json("{ss ss}", "name", n("P "), "productivity", "lazy"), 400, "productivity",
	    "productive, neutral, distracting", "productivity 'lazy': 400");
	bad("/admin/categories", ip_json("{ss ss}", "name", n("P "), "productivity", "Productive"), 400,
	    "productivity", NULL, "productivity 'Productive' (case matters): 400");
	bad("/admin/categories", ip_json("{ss sI}", "name", n("P "), "priority", (json_int_t)1001), 400, "priority",
	    "from -1000 to 1000", "priority 1001: 400");
	bad("/admin/categories", ip_json("{ss sI}", "name", n("P "), "priority", (json_int_t)-1001), 400,
	    "priority", NULL, "priority -1001: 400");
	bad("/admin/categories", ip_json("{ss ss}", "name", n("P "), "priority", "5"), 400, "priority",
	    "JSON integer", "priority as a string: 400");
	bad("/admin/categories", ip_json("{ss sf}", "name", n("P "), "priority", 1.5), 400, "priority", NULL,
	    "priority 1.5: 400");
	bad("/admin/categories", ip_json("{ss ss}", "name", n("C "), "colour", "red"), 400, "colour", "#rrggbb",
	    "colour 'red': 400");
	bad("/admin/categories", ip_json("{ss ss}", "name", n("C "), "colour", "#12345"), 400, "colour", NULL,
	    "colour '#12345': 400");
	bad("/admin/categories", ip_json("{ss ss}", "name", n("C "), "colour", "#1234567"), 400, "colour", NULL,
	    "colour '#1234567': 400");
	bad("/admin/categories", ip_json("{ss ss}", "name", n("C "), "colour", "#gggggg"), 400, "colour", NULL,
	    "colour '#gggggg': 400");
	bad("/admin/categories", ip_json("{ss ss}", "name", n("C "), "colour", "123456"), 400, "colour", NULL,
	    "colour without '#': 400");
	bad("/admin/categories", ip_json("{ss}", "name", n("Cat")), 409, "name",
	    ip_strf("^A category called '%s' exists already", n("Cat")), "a name taken: 409 in words");
	bad("/admin/categories", ip_json("{ss}", "name", ip_strf("CAT%s", tag)), 409, "name", "exists already",
	    "... in another case too: 409");
	bad("/admin/categories", ip_json("{ss}", "name", "Work > Programming"), 409, "name", "exists already",
	    "a default rule's name: 409");
	bad("/admin/categories", "[1]", 400, "", "must be an object", "a JSON array: 400");

	path = ip_strf("/admin/categories/%s", A);
	bad(path, ip_json("{ss}", "name", "Browsing"), 409, "name", "^A category called 'Browsing' exists already",
	    "renaming to a name taken: 409");
	bad(path, ip_json("{ss}", "title_re", "(unclosed"), 400, "title_re",
	    "^invalid regular expression: parentheses \\(\\) not balanced", "changing to a bad pattern: 400, "
	    "the rule and its windows as they were");
	bad(path, ip_json("{ss}", "app_re", "*"), 400, "app_re", "^invalid regular expression",
	    "'*' alone: 400 naming app_re");
	bad(path, "{\"colour\":\"#12\"}", 400, "colour", NULL, "changing to a bad colour: 400");
	bad(path, "{\"productivity\":\"busy\"}", 400, "productivity", NULL, "changing to a bad productivity: 400");
	bad(path, "{\"priority\":2000}", 400, "priority", NULL, "changing to priority 2000: 400");
	bad(path, ip_json("{ss}", "name", n("x >y ")), 400, "name", NULL, "changing to a bad name: 400");
	bad(path, "{\"replace\":true,\"colour\":\"#000000\"}", 400, "name", "required when the rule is replaced",
	    "replace without a name: 400");
	bad(path, "{\"replace\":\"yes\"}", 400, "replace", NULL, "replace as a string: 400");
	bad("/admin/categories/2147483647", "{\"colour\":\"#000000\"}", 404, "", "^category not found$",
	    "changing a rule that does not exist: 404");
	bad("/admin/categories/2147483648", "{\"colour\":\"#000000\"}", 400, "id", NULL,
	    "an id beyond any rule's: 400 naming id");
	bad("/admin/categories/0", "{}", 400, "id", NULL, "id 0: 400");
	bad("/admin/categories/x1", "{}", 400, "id", NULL, "an id that is not a number: 400");
	bad("/admin/categories/2147483647/delete", NULL, 404, "", NULL, "deleting a rule that does not exist: 404");
	bad("/admin/categories/-1/delete", NULL, 400, "id", NULL, "deleting id -1: 400");
	is_int(audit_since(a0), 0, "refusals write no audit row");
	a = api("GET", ip_strf("/admin/categories/%s", A), ADM.token, NULL);
	is_str(ip_strf("%d %s", a->status, ip_jstr(a, "id")), ip_strf("200 %s", A),
	    "GET of one rule: the rule, as listed");

	/* --- a browser post without Accept: JSON is redirected back --- */
	{
		struct ip_jar *b = ip_browser("categories");
		const char *csrf;

		is_status(login(b, ADM.email, PERSON_PW), 303, "the admin signs in with a browser");
		csrf = ip_csrf(IP(ADMIN, .path = "/admin/settings", .jar = b));
		a = IP(ADMIN, .method = "POST", .path = ip_strf("/admin/categories/%s", A), .jar = b,
		    .form = ip_strf("csrf=%s&colour=%%23654321", ip_urlenc(csrf ? csrf : "")));
		is_str(ip_strf("%d %s %s", a->status, ip_header(a, "Location"),
		    ip_q("SELECT colour FROM categories WHERE id = $1", A, NULL)),
		    ip_strf("303 /admin/categories?saved=%s #654321", A),
		    "a form post changes the rule and answers 303 to the list, naming it");
		a = IP(ADMIN, .method = "POST", .path = ip_strf("/admin/categories/%s", A), .jar = b,
		    .form = "colour=%23000000");
		is_str(ip_strf("%d %s", a->status, ip_q("SELECT colour FROM categories WHERE id = $1", A, NULL)),
		    "403 #654321", "... and without the CSRF token it is refused");
	}

	/* --- the time a rule change takes here --- */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	a = api("POST", "/admin/categories", ADM.token, ip_json("{ss ss}", "name", n("Timed "), "title_re",
	    "(report|draft|invoice)"));
	ms = ms_since(&t0);
	is_status(a, 201, "a broad title rule: 201");
	diag("a new broad title rule: %.1f ms over %s windows", ms, ip_q("SELECT count(*) FROM windows", NULL));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	a = api("POST", ip_strf("/admin/categories/%s/delete", ip_jstr(a, "id")), ADM.token, NULL);
	ms = ms_since(&t0);
	is_status(a, 200, "... deleted again: 200");
	diag("deleting it: %.1f ms", ms);

	/* --- tidy up: this run's rules and windows --- */
	api("POST", ip_strf("/admin/categories/%s/delete", A), ADM.token, NULL);
	is_str(ip_q("SELECT count(*) FROM categories WHERE strpos(name, $1) > 0", tag, NULL), "0",
	    "this run's rules are gone");
	ip_exec("DELETE FROM windows WHERE strpos(title, $1) > 0", tag, NULL);
	clear_lockouts();
	return ip_done();
}
