/* The categories page: every rule in its place in the tree of names, with
 * its colour, productivity, patterns and what it named in the last 7
 * days; and the editor of one rule (new, or an existing one), whose
 * posts are the JSON API's handlers in categories.c shown again here
 * when they refuse.
 *
 * The tree: rules are listed in path order, each under its parent
 * levels.  A parent level need not be a rule ("Work > Docs" without a
 * "Work"), so such a level is shown as a group row of its own, with the
 * time of the rules under it, and the list reads like the reports'
 * roll-up.
 *
 * "The last 7 days" is the active (not away) time of the spans that
 * began in the last 168 hours, of every person: a rule is the whole
 * organisation's, so what it names is counted the same way. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "categories.h"
#include "view.h"

const struct wt_field categories_page_fields[] = {
	{ .name = "saved", .src = WT_SRC_QUERY, .type = WT_T_INT, .min = 1, .max = INT32_MAX },
	NOTICE_FIELD("deleted"),
	{ .name = NULL }
};

#define CATEGORY_PATH_ID \
	{ .name = "id", .src = WT_SRC_PATH, .type = WT_T_INT, .flags = WT_REQUIRED, \
	  .min = 1, .max = INT32_MAX, .label = "Category" }

const struct wt_field category_page_fields[] = {
	CATEGORY_PATH_ID,
	NOTICE_FIELD("saved"),
	{ .name = NULL }
};

/* A new rule's form may come prefilled (a link from elsewhere). */
#define PREFILL(n) { .name = (n), .src = WT_SRC_QUERY, .type = WT_T_STRING, .max = 1000 }
const struct wt_field category_new_fields[] = {
	PREFILL("name"), PREFILL("app_re"), PREFILL("title_re"), PREFILL("url_re"),
	{ .name = NULL }
};

void
cat_duration(long long ms, char *out, size_t n)
{
	long long s = (ms + 500) / 1000, min = (ms + 30000) / 60000;

	if (ms <= 0)
		snprintf(out, n, "0 min");
	else if (s < 60)
		snprintf(out, n, "%lld s", s);
	else if (min < 60)
		snprintf(out, n, "%lld min", min);
	else
		snprintf(out, n, "%lld h %02lld min", min / 60, min % 60);
}

/* Rules.i.key = the duration in words. */
static void
set_duration(struct wt_view *v, long long ms, int i, const char *key)
{
	char text[48];

	cat_duration(ms, text, sizeof(text));
	view_setf(v, text, "Rules.%d.%s", i, key);
}

/* The length of the first k levels of a path ("a > b > c", k = 2: 5). */
static size_t
prefix_len(const char *path, int k)
{
	const char *p = path;

	for (int i = 0; i < k; i++) {
		const char *sep = strstr(p, " > ");

		if (sep == NULL)
			return strlen(path);
		p = sep + (i + 1 < k ? 3 : 0);
	}
	return (size_t)(p - path);
}

/* How many leading levels two lower-cased paths share. */
static int
shared_levels(const char *a, const char *b)
{
	int n = 0;

	for (;;) {
		size_t la = strcspn(a, ">"), lb = strcspn(b, ">");

		/* Levels are compared up to " > ": trim the space before it. */
		size_t ta = a[la] ? la - 1 : la, tb = b[lb] ? lb - 1 : lb;

		if (ta != tb || memcmp(a, b, ta) != 0)
			return n;
		n++;
		if (!a[la] || !b[lb])
			return n;
		a += la + 2;
		b += lb + 2;
	}
}

/* One row of the list: a rule (res row i) or, when i < 0, the group row
 * of the first `depth` levels of row g's name. */
static void
tree_row(struct wt_view *v, int n, PGresult *res, int i, int g, int depth)
{
	const char *name = PQgetvalue(res, i >= 0 ? i : g, C_TREE_NAME);
	size_t len = prefix_len(name, depth);
	size_t start = depth > 1 ? prefix_len(name, depth - 1) + 3 : 0;
	char *path = xstrndup(name, len), *leaf = xstrndup(name + start, len - start);
	char num[24];

	view_setf(v, path, "Rules.%d.%s", n, "name");
	view_setf(v, leaf, "Rules.%d.%s", n, "leaf");
	snprintf(num, sizeof(num), "%d", depth);
	view_setf(v, num, "Rules.%d.%s", n, "depth");
	free(path);
	free(leaf);
	if (i < 0) {
		view_setf(v, "1", "Rules.%d.%s", n, "group");
		return;
	}
	view_setf(v, PQgetvalue(res, i, C_TREE_ID), "Rules.%d.%s", n, "id");
	view_setf(v, PQgetvalue(res, i, C_TREE_APP_RE), "Rules.%d.%s", n, "app_re");
	view_setf(v, PQgetvalue(res, i, C_TREE_TITLE_RE), "Rules.%d.%s", n, "title_re");
	view_setf(v, PQgetvalue(res, i, C_TREE_URL_RE), "Rules.%d.%s", n, "url_re");
	view_setf(v, PQgetvalue(res, i, C_TREE_PRIORITY), "Rules.%d.%s", n, "priority");
	view_setf(v, PQgetvalue(res, i, C_TREE_PRODUCTIVITY), "Rules.%d.%s", n, "productivity");
	view_setf(v, PQgetvalue(res, i, C_TREE_COLOUR), "Rules.%d.%s", n, "colour");
	view_setf(v, PQgetvalue(res, i, C_TREE_WEEK_WINDOWS), "Rules.%d.%s", n, "week_windows");
	set_duration(v, atoll(PQgetvalue(res, i, C_TREE_WEEK_MS)), n, "week_time");
}

/* The time of the rules under a group: those whose path starts with it. */
static long long
group_ms(PGresult *res, int from, const char *key, size_t len)
{
	long long ms = 0;

	for (int i = from; i < PQntuples(res); i++) {
		const char *k = PQgetvalue(res, i, C_TREE_KEY);

		if (strncmp(k, key, len) != 0 || strncmp(k + len, " > ", 3) != 0)
			break;
		ms += atoll(PQgetvalue(res, i, C_TREE_WEEK_MS));
	}
	return ms;
}

struct wt_err *
categories_html(struct wt_req *r)
{
	PGresult *res = db_exec(ST_ADMIN_CATEGORIES_TREE, 0, NULL);
	struct wt_view *v;
	long long saved = wt_int(r, "saved", 0), total = 0;
	const char *prev = "";
	int n = 0, rules = 0;
	char text[48];

	if (res == NULL)
		return db_err();
	v = req_view(r);
	for (int i = 0; i < PQntuples(res); i++) {
		const char *key = PQgetvalue(res, i, C_TREE_KEY);
		int depth = atoi(PQgetvalue(res, i, C_TREE_DEPTH));

		if (i == 0) {
			view_set(v, "Week.uncat_windows", PQgetvalue(res, 0, C_TREE_UNCAT_WINDOWS));
			total = atoll(PQgetvalue(res, 0, C_TREE_UNCAT_MS));
			cat_duration(total, text, sizeof(text));
			view_set(v, "Week.uncat_time", text);
		}
		if (PQgetisnull(res, i, C_TREE_ID))
			continue;	/* no rules: only the counts */
		/* The levels above this rule that the previous row did not
		 * show, as group rows. */
		for (int k = shared_levels(prev, key) + 1; k < depth; k++) {
			size_t len = prefix_len(key, k);

			tree_row(v, n, res, -1, i, k);
			set_duration(v, group_ms(res, i, key, len), n, "week_time");
			n++;
		}
		tree_row(v, n, res, i, i, depth);
		if (atoll(PQgetvalue(res, i, C_TREE_ID)) == saved) {
			view_setf(v, "1", "Rules.%d.%s", n, "current");
			view_set(v, "Notice.name", PQgetvalue(res, i, C_TREE_NAME));
			view_set(v, "Notice.windows", PQgetvalue(res, i, C_TREE_WEEK_WINDOWS));
		}
		total += atoll(PQgetvalue(res, i, C_TREE_WEEK_MS));
		prev = key;
		n++;
		rules++;
	}
	view_set_int(v, "Week.rules", rules);
	cat_duration(total, text, sizeof(text));
	view_set(v, "Week.total_time", text);
	if (wt_bool(r, "deleted", 0))
		view_set(v, "Notice", "The rule is deleted. Its windows now have the next best "
		    "rule's category, or none.");
	PQclear(res);
	view_set(v, "Page.Nav", "categories");
	return wt_html(r, 200, "admin_categories.cs");
}

/* The rule of the field "id" into the view: Rule.* and the form's values
 * (what was typed goes over them afterwards). */
static struct wt_err *
rule_load(struct wt_req *r, const char *id)
{
	static const char *const cols[] = { "id", "name", "depth", "app_re", "title_re",
	    "url_re", "priority", "productivity", "colour", "windows" };
	struct wt_view *v = req_view(r);
	PGresult *res;

	if (id == NULL)
		return not_found("category");
	if ((res = db_exec(ST_ADMIN_CATEGORY_ONE, 1, &id)) == NULL)
		return db_err();
	if (PQntuples(res) != 1) {
		PQclear(res);
		return not_found("category");
	}
	for (int c = C_CAT_ID; c <= C_CAT_WINDOWS; c++) {
		view_setf(v, PQgetvalue(res, 0, c), "Rule.%s", cols[c]);
		if (c != C_CAT_DEPTH && c != C_CAT_WINDOWS && c != C_CAT_ID)
			view_setf(v, PQgetvalue(res, 0, c), "Form.Value.%s", cols[c]);
	}
	PQclear(res);
	view_set(v, "Page.Nav", "categories");
	return NULL;
}

struct wt_err *
category_fill(struct wt_req *r)
{
	return rule_load(r, wt_str(r, "id"));
}

/* A new rule's defaults (the table's). */
struct wt_err *
category_new_fill(struct wt_req *r)
{
	struct wt_view *v = req_view(r);

	view_set(v, "Rule.New", "1");
	view_set(v, "Form.Value.priority", "0");
	view_set(v, "Form.Value.productivity", "neutral");
	view_set(v, "Form.Value.colour", "#9e9e9e");
	view_set(v, "Page.Nav", "categories");
	return NULL;
}

struct wt_err *
category_new_page(struct wt_req *r)
{
	static const char *const keys[] = { "name", "app_re", "title_re", "url_re" };
	struct wt_view *v;

	/* The twin: a new rule's defaults with what the link prefilled. */
	if (req_wants_json(r)) {
		json_t *o = json_pack("{sI ss ss}", "priority", (json_int_t)0,
		    "productivity", "neutral", "colour", "#9e9e9e");

		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			json_object_set_new(o, keys[k], wt_str(r, keys[k]) != NULL ?
			    json_string(wt_str(r, keys[k])) : json_null());
		return wt_json(r, 200, o);
	}
	(void)category_new_fill(r);
	v = req_view(r);
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		if (wt_str(r, keys[k]) != NULL)
			view_setf(v, wt_str(r, keys[k]), "Form.Value.%s", keys[k]);
	view_set(v, "Form.Autofocus", "name");
	/* A link with patterns (the builder's "Edit first") opens with the
	 * preview of that rule; a pattern that is refused says so at its
	 * field. */
	if (wt_str(r, "app_re") != NULL || wt_str(r, "title_re") != NULL ||
	    wt_str(r, "url_re") != NULL) {
		struct wt_err *e = category_preview_run(r, wt_str(r, "app_re"),
		    wt_str(r, "title_re"), wt_str(r, "url_re"), NULL, wt_str(r, "name"), NULL,
		    NULL);

		if (e != NULL) {
			if (e->status >= 500) {
				return e;
			}
			view_setf(v, e->msg ? e->msg : "", "Form.Error.%s", e->field ? e->field : "_");
			err_free(e);
		}
	}
	return wt_html(r, 200, "admin_category.cs");
}

struct wt_err *
category_page(struct wt_req *r)
{
	struct wt_err *e;

	if (req_wants_json(r))
		return category_answer(r, wt_str(r, "id"));
	if ((e = rule_load(r, wt_str(r, "id"))) != NULL)
		return e;
	if (wt_bool(r, "saved", 0))
		view_set(req_view(r), "Notice", "Saved.");
	return wt_html(r, 200, "admin_category.cs");
}
