/* The categories page in a browser, in process (issue 12, point 4): the
 * rules as a tree with group rows for levels that are not rules, each
 * with its colour, productivity, patterns and what it named in the last
 * 7 days; the editor's forms with the message next to the field and
 * what was typed kept (a bad pattern shows PostgreSQL's own words); a
 * saved rule re-categorising the windows stored before it; deleting
 * with a confirmation; admins only; the JSON twins.  Rules apply to
 * every window, so it runs alone. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "admin_flows.h"
#include "check.h"

static struct admin ADM;
static struct ip_jar *B;
static const char *CSRF, *tag;

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

/* A window stored as ingest stores it, with spans of `minutes` in total
 * on device dev during the last days (and one older, outside the week). */
static const char *
window_with_time(const char *dev, const char *app, const char *title, int minutes)
{
	const char *w = ip_q("SELECT (windows_intern(ARRAY[$1], ARRAY[$2], ARRAY['']))[1]",
	    app, title, NULL);

	ip_exec("INSERT INTO activity (started_at, device_id, duration_ms, window_id, afk)"
	    " SELECT now() - interval '1 day' - (SELECT count(*) FROM activity"
	    "  WHERE device_id = $1::int) * interval '2 hours', $1::int, $3::int * 60000, $2::int, false"
	    " UNION ALL SELECT now() - interval '20 days' - (SELECT count(*) FROM activity"
	    "  WHERE device_id = $1::int) * interval '2 hours', $1::int, 3600000, $2::int, false",
	    dev, w, ip_strf("%d", minutes), NULL);
	return w;
}

/* The list's row of rule id ("" if none). */
static const char *
row_of(const struct ip_resp *a, const char *id)
{
	const char *p = a->body ? strstr(a->body, ip_strf("<tr id=\"rule-%s\"", id)) : NULL, *e;

	if (p == NULL || (e = strstr(p, "</tr>")) == NULL)
		return "";
	return ip_strf("%.*s", (int)(e - p), p);
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
	    " WHERE strpos(c.name, $1) > 0", tag, NULL);
}

/* The form again: status, the message next to the field, focus there,
 * on the page named by mark, not an error page. */
static void
refused(const struct ip_resp *a, int status, const char *field, const char *msg,
    const char *mark, const char *what)
{
	is_status(a, status, ip_strf("%s: %d", what, status));
	like(field_error(a, field), msg, ip_strf("%s: the message is next to the field", what));
	like(a->body, ip_strf("id=\"f-%s\"[^>]*autofocus", field), ip_strf("%s: focus on it", what));
	like(a->body, mark, ip_strf("%s: on the editor's page", what));
	unlike(a->body, "error-page", ip_strf("%s: not an error page", what));
}

int
main(void)
{
	const char *mem, *dev, *w1, *w2, *w3, *id, *id2, *loc, *before, *grp;
	struct ip_jar *MB;
	struct ip_resp *a;

	if (ip_init("categories_page") != 0)
		return 0;
	ip_lock_global();
	tag = ip_tag();
	make_admin(&ADM);
	B = ip_browser("categories");
	is_status(login(B, ADM.email, PERSON_PW), 303, "the admin signs in with a browser");
	mem = make_person(&ADM, ip_strf("cp-%s@example.test", tag), "member", NULL, "Cat Page", &MB);
	ok(mem != NULL, "a member, signed in with a browser too");
	dev = make_device(uid_of(ip_strf("cp-%s@example.test", tag)), ip_strf("cp-%s", tag),
	    "now()", NULL);

	/* Windows with time in the last week, before any rule of this run. */
	w1 = window_with_time(dev, ip_strf("cpapp-%s", tag), ip_strf("Ledger %s", tag), 90);
	w2 = window_with_time(dev, ip_strf("cpapp-%s", tag), ip_strf("Café 漢字 😀 %s", tag), 25);
	w3 = window_with_time(dev, ip_strf("other-%s", tag), ip_strf("Quiet %s", tag), 5);
	is_str(ip_strf("%s|%s|%s", category_of(w1), category_of(w2), category_of(w3)), "-|-|-",
	    "three windows no rule names");

	/* --- the list --- */
	a = get("/admin/categories");
	is_status(a, 200, "GET /admin/categories in a browser: the page");
	like(ip_header(a, "Content-Type"), "^text/html", "... HTML");
	like(a->body, "<h1>Categories</h1>", "... headed Categories");
	like(a->body, "href=\"/admin/categories\" aria-current=\"page\">Categories<",
	    "... the menu has Categories, marked as the page");
	like(a->body, "Work &gt; Programming|>Programming<", "... the default rules are listed");
	like(a->body, "<th scope=\"row\" class=\"cat-name depth-2\" data-label=\"Category\">"
	    "<svg class=\"swatch\"[^>]*><rect[^>]*fill=\"#[0-9a-f]{6}\"/></svg>\\s*"
	    "<a href=\"/admin/categories/[0-9]+\">Programming</a>",
	    "... a rule two levels deep is indented, with its colour swatch, linked to its editor");
	CSRF = ip_csrf(a);
	ok(CSRF != NULL, "... with forms (delete, with a confirmation)");
	like(a->body, "<details class=\"confirm\">\\s*<summary[^>]*>Delete<span class=\"visually-hidden\"> "
	    "Browsing</span></summary>", "... delete asks first");
	like(a->body, "in [0-9]+ windows? no rule names", "... and says how much no rule names");
	a = IP(ADMIN, .path = "/admin/categories", .jar = MB);
	is_status(a, 403, "a member's browser: 403");
	unlike(IP(ADMIN, .path = "/admin/users", .jar = MB)->body, "/admin/categories\"",
	    "... and no Categories in a member's menu");
	a = IP(ADMIN, .path = "/admin/categories");
	ok(a->status == 303 || a->status == 302, "nobody signed in: sent to sign in");

	/* --- a new rule: mistakes shown next to the field --- */
	a = get("/admin/categories/new");
	is_status(a, 200, "GET /admin/categories/new: the editor");
	like(a->body, "<h1>New rule</h1>", "... for a new rule");
	like(a->body, "<option value=\"neutral\" selected>", "... neutral by default");
	like(a->body, "name=\"colour\" type=\"color\"[^>]*value=\"#9e9e9e\"", "... grey by default");
	before = rules_of_run();
	a = post("/admin/categories", ip_strf("name=%s&title_re=%s&productivity=productive&colour=%%23ff8800",
	    ip_urlenc(ip_strf("Ledgers %s", tag)), ip_urlenc("(Ledger")));
	refused(a, 400, "title_re", "parentheses \\(\\) not balanced", "<h1>New rule</h1>",
	    "a title pattern that does not compile");
	like(a->body, ip_strf("name=\"name\"[^>]*value=\"Ledgers %s\"", tag), "... the name typed is kept");
	like(a->body, "name=\"title_re\"[^>]*value=\"\\(Ledger\"", "... the pattern typed is kept");
	like(a->body, "<option value=\"productive\" selected>", "... the productivity chosen is kept");
	like(a->body, "value=\"#ff8800\"", "... the colour chosen is kept");
	a = post("/admin/categories", ip_strf("name=%s&title_re=x", ip_urlenc("Work > ")));
	refused(a, 400, "name", "levels separated by", "<h1>New rule</h1>", "a name with an empty level");
	a = post("/admin/categories", ip_strf("name=%s&app_re=x", ip_urlenc("work > programming")));
	refused(a, 409, "name", "exists already", "<h1>New rule</h1>", "a name taken (in another case)");
	is_str(rules_of_run(), before, "... nothing was saved");

	/* --- saving re-categorises the windows stored before --- */
	a = post("/admin/categories", ip_strf("name=%s&title_re=%s&productivity=productive&colour=%%23ff8800",
	    ip_urlenc(ip_strf("Books %s > Ledgers", tag)), ip_urlenc(ip_strf("^Ledger %s$", tag))));
	is_status(a, 303, "a good rule: saved");
	loc = ip_header(a, "Location");
	like(loc, "^/admin/categories\\?saved=[0-9]+$", "... back to the list, naming the rule");
	id = loc ? strchr(loc, '=') + 1 : "0";
	is_str(category_of(w1), ip_strf("Books %s > Ledgers", tag),
	    "... the window stored before it now has the new category");
	a = get(loc);
	like(a->body, ip_strf("Saved <strong>Books %s &gt; Ledgers</strong>: every stored window has "
	    "been re-categorised; it names 1 window active in the last 7 days", tag),
	    "the list says what was saved and what it names now");
	grp = ip_strf("<tr class=\"cat-group\"><th scope=\"row\" class=\"cat-name depth-1\""
	    " data-label=\"Category\">Books %s <span class=\"hint\">\\(group\\)</span></th>", tag);
	like(a->body, grp, "... its parent level, not a rule itself, is a group row");
	like(a->body, ip_strf("%s\\s*<td[^>]*></td><td[^>]*><span[^<]*</span></td>\\s*<td class=\"num\" "
	    "data-label=\"Last 7 days\">1 h 30 min</td>", grp), "... with the time of the rules under it");
	like(a->body, ip_strf("<tr id=\"rule-%s\" class=\"current\">", id), "... the rule saved is marked");
	like(a->body, ip_strf("<tr id=\"rule-%s\" class=\"current\">\\s*<th scope=\"row\" "
	    "class=\"cat-name depth-2\"[^>]*><svg[^>]*><rect[^>]*fill=\"#ff8800\"/></svg>\\s*"
	    "<a href=\"/admin/categories/%s\">Ledgers</a>", id, id), "... under it, in its colour");
	like(row_of(a, id), "class=\"prod-productive\">productive<", "... productive");
	like(row_of(a, id), ip_strf("title <code>\\^Ledger %s\\$</code>", tag), "... its title pattern");
	like(row_of(a, id), "data-label=\"Last 7 days\"><div>1 h 30 min<br>"
	    "<span class=\"hint\">1 window</span>",
	    "... 1 h 30 min in 1 window in the last 7 days (the span 20 days ago is not counted)");

	/* --- editing --- */
	a = get(ip_strf("/admin/categories/%s", id));
	is_status(a, 200, "the rule's page");
	like(a->body, ip_strf("<h1><svg[^>]*><rect[^>]*/></svg> Books %s &gt; Ledgers</h1>", tag),
	    "... headed by its name");
	like(a->body, ip_strf("name=\"title_re\"[^>]*value=\"\\^Ledger %s\\$\"", tag), "... its pattern in the form");
	like(a->body, "name=\"replace\" value=\"1\"", "... the form sends the whole rule");
	before = rules_of_run();
	a = post(ip_strf("/admin/categories/%s", id), ip_strf("replace=1&name=%s&title_re=%s&app_re=%s",
	    ip_urlenc(ip_strf("Books %s > Ledgers", tag)), ip_urlenc("^Ledger"), ip_urlenc("[z-a]")));
	refused(a, 400, "app_re", "invalid character range", ip_strf("<h1><svg[^>]*><rect[^>]*/></svg> Books %s &gt; Ledgers</h1>", tag),
	    "an application pattern that does not compile");
	like(a->body, "name=\"app_re\"[^>]*value=\"\\[z-a\\]\"", "... the pattern typed is kept");
	like(a->body, "name=\"title_re\"[^>]*value=\"\\^Ledger\"", "... and the other one typed, not the stored one");
	is_str(rules_of_run(), before, "... nothing was saved");
	a = post(ip_strf("/admin/categories/%s", id), ip_strf("replace=1&name=%s&app_re=%s"
	    "&productivity=distracting&colour=%%23000000&priority=5", ip_urlenc(ip_strf("Books %s > Ledgers", tag)),
	    ip_urlenc(ip_strf("^cpapp-%s$", tag))));
	is_status(a, 303, "the rule changed: title pattern removed, an application pattern instead");
	is_str(ip_q("SELECT concat_ws('|', app_re, coalesce(title_re, '-'), productivity, colour, priority)"
	    " FROM categories WHERE id = $1", id, NULL),
	    ip_strf("^cpapp-%s$|-|distracting|#000000|5", tag), "... stored as sent, the emptied field removed");
	is_str(ip_strf("%s|%s|%s", category_of(w1), category_of(w2), category_of(w3)),
	    ip_strf("Books %s > Ledgers|Books %s > Ledgers|-", tag, tag),
	    "... and the windows re-categorised: both of that app, not the other");

	/* Unicode and markup in a name, shown escaped. */
	a = post("/admin/categories", ip_strf("name=%s&title_re=%s", ip_urlenc(ip_strf("Ärger <script & %s > 漢字 😀", tag)),
	    ip_urlenc(ip_strf("^Quiet %s$", tag))));
	is_status(a, 303, "a name with accents, markup, 漢字 and an emoji: saved");
	id2 = strchr(ip_header(a, "Location"), '=') + 1;
	a = get("/admin/categories");
	like(a->body, ip_strf(">Ärger &lt;script &amp; %s <span class=\"hint\">\\(group\\)", tag),
	    "... its group level shown escaped");
	like(a->body, ip_strf("<a href=\"/admin/categories/%s\">漢字 😀</a>", id2), "... its leaf as typed");
	unlike(a->body, "<script", "... no markup from a name");

	/* --- JSON twins --- */
	a = IP(ADMIN, .path = "/admin/categories", .jar = B, .accept = "application/json");
	ok(json_is_array(ip_jget(a, "categories")), "GET /admin/categories as JSON: the API's list");
	a = IP(ADMIN, .path = ip_strf("/admin/categories/%s", id), .jar = B, .accept = "application/json");
	is_str(ip_strf("%s %s", ip_jstr(a, "name"), ip_jstr(a, "windows")),
	    ip_strf("Books %s > Ledgers 2", tag), "GET /admin/categories/:id as JSON: the rule");
	is_status(get("/admin/categories/999999999"), 404, "a rule that does not exist: 404");

	/* --- deleting --- */
	a = post(ip_strf("/admin/categories/%s/delete", id), "");
	is_status(a, 303, "delete, confirmed");
	is_str(ip_header(a, "Location"), "/admin/categories?deleted=1", "... back to the list");
	like(get("/admin/categories?deleted=1")->body, "The rule is deleted", "... which says so");
	is_str(ip_strf("%s|%s", category_of(w1), category_of(w2)), "-|-",
	    "... its windows have no category again");
	post(ip_strf("/admin/categories/%s/delete", id2), "");
	is_str(rules_of_run(), "[]", "this run's rules are gone");
	return ip_done();
}
