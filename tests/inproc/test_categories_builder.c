/* The rule preview and the category builder, in process (issue 12,
 * point 4): a preview says what a rule would match in the last 7 days
 * without saving it (a bad pattern next to its field, a pathological one
 * stopped by the statement timeout); the builder ranks the uncategorised
 * windows, their applications and the words of their titles by time
 * (Unicode words, numbers and little words left out), and one click
 * makes a rule from a word whose regular expression characters are
 * escaped ("c++", "node.js"), which re-categorises the stored windows at
 * once.  Rules apply to every window, so it runs alone. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "admin_flows.h"
#include "check.h"

static struct admin ADM;
static struct ip_jar *B;
static const char *CSRF, *tag, *dev;

static struct ip_resp *
get(const char *path)
{
	return IP(ADMIN, .path = path, .jar = B);
}

static struct ip_resp *
post(const char *path, const char *form)
{
	return IP(ADMIN, .method = "POST", .path = path, .jar = B,
	    .form = ip_strf("csrf=%s%s%s", ip_urlenc(CSRF), *form ? "&" : "", form));
}

/* A window with `minutes` of active time a day ago (and an hour 20 days
 * ago, outside the week), and `minutes` again in the first week of
 * February 2001, a range the builder is asked about that only this
 * test's windows have. */
#define RANGE	"from=2001-02-01&to=2001-02-07"
static const char *
window_with_time(const char *app, const char *title, int minutes)
{
	const char *w = ip_q("SELECT (windows_intern(ARRAY[$1], ARRAY[$2], ARRAY['']))[1]",
	    app, title, NULL);

	ip_exec("INSERT INTO activity (started_at, device_id, duration_ms, window_id, afk)"
	    " SELECT now() - interval '1 day' - (SELECT count(*) FROM activity"
	    "  WHERE device_id = $1::int) * interval '2 hours', $1::int, $3::int * 60000, $2::int, false"
	    " UNION ALL SELECT now() - interval '20 days' - (SELECT count(*) FROM activity"
	    "  WHERE device_id = $1::int) * interval '2 hours', $1::int, 3600000, $2::int, false"
	    " UNION ALL SELECT '2001-02-03 08:00Z'::timestamptz + (SELECT count(*) FROM activity"
	    "  WHERE device_id = $1::int) * interval '2 hours', $1::int, $3::int * 60000, $2::int, false",
	    dev, w, ip_strf("%d", minutes), NULL);
	return w;
}

static const char *
category_of(const char *window)
{
	return ip_q("SELECT coalesce(c.name, '-') FROM windows w LEFT JOIN categories c"
	    " ON c.id = w.category_id WHERE w.id = $1", window, NULL);
}

static const char *
rules_of_run(void)
{
	return ip_q("SELECT coalesce(json_agg(c ORDER BY c.id)::text, '[]') FROM categories c"
	    " WHERE strpos(c.name, $1) > 0 OR strpos(coalesce(c.title_re, ''), $1) > 0"
	    " OR strpos(coalesce(c.app_re, ''), $1) > 0", tag, NULL);
}

/* The JSON entry of a word (or app) in the builder's answer. */
static json_t *
entry(struct ip_resp *a, const char *list, const char *key, const char *val)
{
	json_t *o;
	size_t i;

	json_array_foreach(ip_jget(a, list), i, o)
		if (strcmp(ip_jval(o, key) ? ip_jval(o, key) : "", val) == 0)
			return o;
	return NULL;
}

int
main(void)
{
	const char *mem, *w1, *w2, *w3, *w4, *w5, *slow, *before, *id, *loc, *range;
	const char *app, *grp;
	struct ip_resp *a;
	struct timespec t0, t1;
	json_t *o;
	double s;

	if (ip_init("categories_builder") != 0)
		return 0;
	ip_lock_global();
	tag = ip_tag();
	make_admin(&ADM);
	B = ip_browser("builder");
	is_status(login(B, ADM.email, PERSON_PW), 303, "the admin signs in with a browser");
	mem = make_person(&ADM, ip_strf("cb-%s@example.test", tag), "member", NULL, "Cat Builder", NULL);
	dev = make_device(uid_of(ip_strf("cb-%s@example.test", tag)), ip_strf("cb-%s", tag),
	    "now()", NULL);
	ok(mem != NULL && dev != NULL, "a member with a device");
	app = ip_strf("bld-%s", tag);
	/* Titles with a word of this run (the tag, lower-case) to find them. */
	w1 = window_with_time(app, ip_strf("C++ templates %s", tag), 50);
	w2 = window_with_time(app, ip_strf("node.js streams %s 2024", tag), 40);
	w3 = window_with_time(app, ip_strf("Café ÉTÉ 漢字 😀 %s", tag), 30);
	w4 = window_with_time(app, ip_strf("Learning C++11 and the STL %s", tag), 20);
	w5 = window_with_time(ip_strf("code-%s", tag), ip_strf("nodexjs %s", tag), 10);
	is_str(ip_strf("%s|%s|%s|%s|%s", category_of(w1), category_of(w2), category_of(w3),
	    category_of(w4), category_of(w5)), "-|-|-|-|-", "five windows no rule names");
	CSRF = ip_csrf(get("/admin/categories"));

	/* --- the preview: nothing saved --- */
	before = rules_of_run();
	a = post("/admin/categories/preview", ip_strf("name=%s&title_re=%s&productivity=productive"
	    "&colour=%%23336699", ip_urlenc(ip_strf("Dev %s > C++", tag)), ip_urlenc(ip_strf("c\\+\\+.*%s", tag))));
	is_status(a, 200, "a preview, posted by the form: 200");
	like(a->body, "<h2 id=\"preview-h\">What this rule would match</h2>", "... shows what it would match");
	like(a->body, "<strong>2</strong> windows match, <strong>1 h 10 min</strong> of active time",
	    "... 2 windows, 1 h 10 min in the last 7 days (not the span of 20 days ago)");
	like(a->body, ip_strf("<span class=\"app\">%s</span> C\\+\\+ templates %s</div></td>\\s*"
	    "<td class=\"num\" data-label=\"Active\">50 min</td>", app, tag), "... the top window first, with its time");
	like(a->body, "<h1>New rule</h1>", "... on the editor of a new rule");
	like(a->body, ip_strf("name=\"title_re\"[^>]*value=\"c\\\\\\+\\\\\\+\\.\\*%s\"", tag), "... the pattern kept as typed");
	like(a->body, "<option value=\"productive\" selected>", "... the productivity kept");
	is_str(rules_of_run(), before, "... nothing saved");
	is_str(category_of(w1), "-", "... no window moved");

	a = IP(ADMIN, .method = "POST", .path = "/admin/categories/preview", .jar = B,
	    .accept = "application/json", .form = ip_strf("csrf=%s&title_re=%s", ip_urlenc(CSRF),
	    ip_urlenc(ip_strf("%s", tag))));
	is_str(ip_strf("%s %s %s %s %s", ip_jstr(a, "windows"), ip_jstr(a, "active_ms"),
	    ip_jstr(a, "other_windows"), ip_jstr(a, "takes_windows"), ip_jstr(a, "top.0.title")),
	    ip_strf("5 9000000 0 5 C++ templates %s", tag), "the preview's JSON twin: counts, time in ms, the top window");

	/* A window in another category: counted, and kept by the deeper rule. */
	a = api("POST", "/admin/categories", ADM.token, ip_json("{ss ss}", "name",
	    ip_strf("Deep %s > Tree > Cafe", tag), "title_re", ip_strf("^Café.*%s", tag)));
	is_status(a, 201, "a rule three levels deep takes the Café window");
	a = IP(ADMIN, .method = "POST", .path = "/admin/categories/preview", .jar = B,
	    .accept = "application/json", .form = ip_strf("csrf=%s&name=Shallow&title_re=%s", ip_urlenc(CSRF),
	    ip_urlenc(ip_strf("%s", tag))));
	is_str(ip_strf("%s %s %s", ip_jstr(a, "windows"), ip_jstr(a, "other_windows"), ip_jstr(a, "takes_windows")),
	    "5 1 4", "a shallow rule's preview: 1 of 5 in another category, which keeps it");
	a = post("/admin/categories/preview", ip_strf("name=Shallow&title_re=%s", ip_urlenc(tag)));
	like(a->body, ip_strf("Deep %s &gt; Tree &gt; Cafe <span class=\"hint\">\\(keeps it\\)</span>", tag),
	    "... the page names the category that keeps its window");
	ip_exec("DELETE FROM categories WHERE name = $1", ip_strf("Deep %s > Tree > Cafe", tag), NULL);

	/* Mistakes: next to the field, what was typed kept, nothing saved. */
	before = rules_of_run();
	a = post("/admin/categories/preview", ip_strf("name=%s&url_re=%s", ip_urlenc(ip_strf("X %s", tag)),
	    ip_urlenc("a{2,1}")));
	is_status(a, 400, "a preview of a pattern that does not compile: 400");
	like(field_error(a, "url_re"), "invalid regular expression", "... PostgreSQL's words next to the URL field");
	like(a->body, "name=\"url_re\"[^>]*value=\"a\\{2,1\\}\"", "... the pattern kept");
	like(a->body, "<h1>New rule</h1>", "... on the editor");
	a = post("/admin/categories/preview", "name=Nothing");
	is_status(a, 400, "a preview without a pattern: 400");
	like(form_error(a), "Type a pattern", "... says what is missing");

	/* A pathological pattern is stopped by the statement timeout. */
	slow = window_with_time(ip_strf("slow-%s", tag), ip_repeat("a", 301), 1);
	ok(slow != NULL, "a window whose title is 301 a's");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	a = post("/admin/categories/preview", ip_strf("title_re=%s", ip_urlenc("^(.*)(.*)(.*)\\1\\2\\3\\1\\2\\3z?$")));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	is_status(a, 400, "a pattern with back-references that would take minutes: 400");
	like(form_error(a), "took longer than 10 seconds and was stopped", "... says it was stopped, and why");
	ok(s < 20.0, "... after about the timeout (%.1f s), the worker free again", s);
	is_status(get("/admin/categories"), 200, "... and the next request is answered");
	ip_exec("DELETE FROM activity WHERE device_id = $1::int AND window_id = $2::int", dev, slow, NULL);

	/* An existing rule's preview counts what it would let go of. */
	a = api("POST", "/admin/categories", ADM.token, ip_json("{ss ss}", "name", ip_strf("Node %s", tag),
	    "title_re", ip_strf("^node\\.js.*%s", tag)));
	id = ip_jstr(a, "id");
	a = IP(ADMIN, .method = "POST", .path = "/admin/categories/preview", .jar = B,
	    .accept = "application/json", .form = ip_strf("csrf=%s&id=%s&title_re=%s", ip_urlenc(CSRF), id,
	    ip_urlenc(ip_strf("^learning.*%s", tag))));
	is_str(ip_strf("%s %s", ip_jstr(a, "windows"), ip_jstr(a, "loses_windows")), "1 1",
	    "editing a rule: the preview says 1 window would leave it");
	a = post("/admin/categories/preview", ip_strf("id=%s&replace=1&name=%s&title_re=%s", id,
	    ip_urlenc(ip_strf("Node %s", tag)), ip_urlenc(ip_strf("^learning.*%s", tag))));
	like(a->body, ip_strf("<h1><svg[^>]*><rect[^>]*/></svg> Node %s</h1>", tag), "... shown on the rule's page");
	like(a->body, "<strong>1</strong> window it names now would leave it", "... in words");
	ip_exec("DELETE FROM categories WHERE id = $1", id, NULL);

	/* --- the builder --- */
	a = get("/admin/categories/builder");
	is_status(a, 200, "GET /admin/categories/builder: the page");
	like(a->body, "<h1>Category builder</h1>", "... headed Category builder");
	a = IP(ADMIN, .path = "/admin/categories/builder?" RANGE, .jar = B, .accept = "application/json");
	is_status(a, 200, "its JSON twin, for the first week of February 2001");
	is_str(ip_strf("%s %s %s", ip_jstr(a, "from"), ip_jstr(a, "to"), ip_jstr(a, "uncategorised_ms")),
	    "2001-02-01 2001-02-07 9000000", "... the range, and the time no rule names in it");
	o = entry(a, "apps", "app", app);
	is_str(o ? ip_strf("%s %s", ip_jval(o, "active_ms"), ip_jval(o, "windows")) : "-", "8400000 4",
	    "... this run's application: 2 h 20 min in 4 windows");
	o = entry(a, "words", "word", tag);
	is_str(o ? ip_strf("%s %s", ip_jval(o, "active_ms"), ip_jval(o, "windows")) : "-", "9000000 5",
	    "... the word every title has: all the time, 5 windows (a window counts once)");
	o = entry(a, "words", "word", "c++");
	is_str(o ? ip_strf("%s %s", ip_jval(o, "active_ms"), ip_jval(o, "regex")) : "-",
	    "3000000 \\mc\\+\\+(?![[:alnum:]_])", "... 'c++' (not 'c++11'), its regex escaped");
	o = entry(a, "words", "word", "node.js");
	is_str(o ? ip_jval(o, "regex") : "-", "\\mnode\\.js\\M", "... 'node.js' with its dot escaped");
	ok(entry(a, "words", "word", "café") && entry(a, "words", "word", "été") &&
	    entry(a, "words", "word", "漢字"), "... Unicode words, lower-cased: café, été, 漢字");
	ok(!entry(a, "words", "word", "2024") && !entry(a, "words", "word", "the") &&
	    !entry(a, "words", "word", "and") && !entry(a, "words", "word", "😀"),
	    "... no numbers, little words or emoji");
	ok(entry(a, "windows", "title", ip_strf("C++ templates %s", tag)) != NULL, "... the windows listed");

	a = get("/admin/categories/builder?" RANGE);
	like(a->body, "<th scope=\"row\" data-label=\"Word\">c\\+\\+</th>", "the page lists the word c++");
	like(a->body, "<input id=\"f-from\" name=\"from\" type=\"date\" value=\"2001-02-01\"",
	    "... the range in the form");
	like(a->body, "href=\"/admin/categories/new\\?name=c%2B%2B&amp;title_re=%5Cmc%5C%2B%5C%2B",
	    "... with a link to the editor, prefilled");
	a = get("/admin/categories/new?name=c%2B%2B&title_re=%5Cmc%5C%2B%5C%2B%28%3F%21%5B%5B%3Aalnum%3A%5D_%5D%29");
	like(a->body, ip_strf("<h2 id=\"preview-h\">What this rule would match</h2>.*"
	    "<span class=\"app\">%s</span> C\\+\\+ templates %s</div>", app, tag),
	    "... which opens with the preview of that rule");
	unlike(a->body, ip_strf("C\\+\\+11 and the STL %s", tag), "... not matching C++11");
	range = "from=2000-01-02&to=2000-01-01";
	a = get(ip_strf("/admin/categories/builder?%s", range));
	is_status(a, 200, "a range that ends before it starts: the page, with the default range");
	like(field_error(a, "to"), "must not be before the first day", "... and the message next to To");

	/* --- one click: a rule from a word --- */
	before = rules_of_run();
	a = post("/admin/categories/quick", "word=c%2B%2B&from=2026-01-01&to=2026-01-07");
	is_status(a, 303, "Make a rule from 'c++': made");
	loc = ip_header(a, "Location");
	like(loc, "^/admin/categories/builder\\?from=2026-01-01&to=2026-01-07&made=[0-9]+$",
	    "... back to the builder, its range kept, naming the rule");
	id = loc ? strrchr(loc, '=') + 1 : "0";
	is_str(ip_q("SELECT concat_ws('|', name, title_re, coalesce(app_re, '-')) FROM categories WHERE id = $1",
	    id, NULL), "c++|\\mc\\+\\+(?![[:alnum:]_])|-", "... named c++, the word escaped in the title pattern");
	is_str(ip_strf("%s|%s|%s", category_of(w1), category_of(w4), category_of(w2)), "c++|-|-",
	    "... the stored window with the word has it at once; 'C++11' and others not");
	a = get(loc);
	like(a->body, "Made the rule <a href=\"/admin/categories/[0-9]+\"><strong>c\\+\\+</strong></a>: "
	    "it names [0-9]+ stored windows? now", "the builder says what was made");
	a = IP(ADMIN, .path = "/admin/categories/builder?" RANGE, .jar = B, .accept = "application/json");
	ok(entry(a, "words", "word", "c++") == NULL && entry(a, "words", "word", "node.js") != NULL,
	    "... and c++ has left the words of the uncategorised windows");
	a = post("/admin/categories/quick", "word=C%2B%2B");
	is_status(a, 409, "the same word again: 409");
	like(a->body, "A category called &#39;C\\+\\+&#39; exists already", "... said on the builder's page");
	like(a->body, "<h1>Category builder</h1>", "... which is shown again");

	a = post("/admin/categories/quick", "word=node.js");
	is_status(a, 303, "Make a rule from 'node.js'");
	is_str(ip_strf("%s|%s", category_of(w2), category_of(w5)), "node.js|-",
	    "... its window has it; 'nodexjs' not (the dot is escaped)");
	a = post("/admin/categories/quick", ip_strf("app=%s", ip_urlenc(app)));
	is_status(a, 303, "Make a rule from the application");
	is_str(ip_strf("%s|%s|%s", category_of(w3), category_of(w4), category_of(w1)),
	    ip_strf("%s|%s|c++", app, app), "... its windows without a word rule have it");
	a = post("/admin/categories/quick", "word=x&app=y");
	is_status(a, 400, "a word and an application at once: 400");
	a = post("/admin/categories/quick", ip_strf("word=%s", ip_urlenc("x>y")));
	is_status(a, 400, "a word that cannot be a name: 400");

	/* Group row on the list for the level above a word rule moved. */
	grp = ip_q("SELECT id FROM categories WHERE name = 'c++'", NULL);
	a = api("POST", ip_strf("/admin/categories/%s", grp), ADM.token,
	    ip_json("{ss}", "name", ip_strf("Lang %s > c++", tag)));
	is_status(a, 200, "the word's rule moved under a level");
	ip_exec("DELETE FROM categories WHERE name IN ('node.js', $1, $2)", app,
	    ip_strf("Lang %s > c++", tag), NULL);
	is_str(rules_of_run(), before, "this run's rules are gone");
	ip_exec("DELETE FROM activity WHERE device_id = $1::int", dev, NULL);
	return ip_done();
}
