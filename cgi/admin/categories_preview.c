/* The preview of a rule before it is saved: which windows active in the
 * last 7 days its patterns match, with their time, how many of them are
 * in other categories now, how many the rule would take (deepest rule
 * wins, then priority: a deeper rule keeps its windows), and how many
 * windows the rule names now it would let go of.  Nothing is saved.
 *
 * The patterns are the person's and run in PostgreSQL, as parameters:
 * first compiled by regex_check (a bad one is a 400 naming its field in
 * PostgreSQL's words, as saving it would be), then matched under a
 * statement_timeout local to a transaction that is rolled back, so a
 * pattern that would take long over every window of the week costs a
 * worker at most PREVIEW_TIMEOUT and is answered with a message, not a
 * hung worker.  (PostgreSQL's engine checks for the cancel while it
 * matches.)
 *
 * Works without script as a form post that shows the editor again with
 * the preview under it; static/js/categories.js does the same in place. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "categories.h"
#include "view.h"

/* A week of 200 people (1.2 million spans) took 2 to 5 s to sum on the
 * 2-core test machine before it was kept by the hour (sql/024,
 * bench/categories.sh); a pathological pattern would take minutes. */
#define PREVIEW_TIMEOUT		"10s"
#define PREVIEW_TIMEOUT_WORDS	"10 seconds"
#define PREVIEW_ROWS		"25"
/* An id after every rule's: a new rule loses ties on id. */
#define NEW_RULE_ID		"2147483647"

#define PATTERN(n, l) \
	{ .name = (n), .src = WT_SRC_BODY, .type = WT_T_STRING, .min = 1, .max = 1000, \
	  .label = (l) }
/* The editor's fields (categories.c's rules), all optional here: only
 * the patterns matter, the name and priority for who would win. */
const struct wt_field category_preview_fields[] = {
	{ .name = "id", .src = WT_SRC_BODY, .type = WT_T_INT, .min = 1, .max = INT32_MAX,
	  .label = "Category" },
	{ .name = "name", .src = WT_SRC_BODY, .type = WT_T_STRING, .min = 1, .max = 200,
	  .check = category_name_check, .label = "Name" },
	PATTERN("app_re", "Application pattern"),
	PATTERN("title_re", "Title pattern"),
	PATTERN("url_re", "URL pattern"),
	{ .name = "priority", .src = WT_SRC_BODY, .type = WT_T_INT, .min = -1000, .max = 1000,
	  .label = "Priority" },
	/* Sent by the form, kept as typed when it is shown again. */
	{ .name = "productivity", .src = WT_SRC_BODY, .type = WT_T_STRING, .max = 20 },
	{ .name = "colour", .src = WT_SRC_BODY, .type = WT_T_STRING, .max = 7,
	  .check = category_colour_check, .label = "Colour" },
	{ .name = "replace", .src = WT_SRC_BODY, .type = WT_T_BOOL },
	{ .name = NULL }
};

/* The number of levels of a name ("a > b": 2; none: 1). */
static int
name_depth(const char *name)
{
	int n = 1;

	for (const char *p = name; p != NULL && (p = strstr(p, " > ")) != NULL; p += 3)
		n++;
	return n;
}

static void
put_time(struct wt_view *v, json_t *j, const char *key, const char *ms)
{
	char text[48];

	if (j != NULL) {
		json_object_set_new(j, key, json_integer(atoll(ms)));
		return;
	}
	cat_duration(atoll(ms), text, sizeof(text));
	view_setf(v, text, "Preview.%s", key);
}

static void
put_count(struct wt_view *v, json_t *j, const char *key, const char *n)
{
	if (j != NULL)
		json_object_set_new(j, key, json_integer(atoll(n)));
	else
		view_setf(v, n, "Preview.%s", key);
}

/* After the preview statement failed: a pattern too costly for the time
 * allowed, or one the engine gave up on, in words; else db_err(). */
static struct wt_err *
preview_failed(void)
{
	if (strcmp(db_sqlstate(), "57014") == 0) {
		db_rollback();
		return wt_form_fail(400, NULL, "The preview took longer than "
		    PREVIEW_TIMEOUT_WORDS " and was stopped: a pattern is too costly to "
		    "match against the windows of a week.  Make it simpler (fewer nested "
		    "repetitions or back-references).");
	}
	if (strcmp(db_sqlstate(), SQLSTATE_INVALID_REGEX) == 0) {
		db_rollback();
		return wt_form_fail(400, NULL, "PostgreSQL could not match these patterns "
		    "(too complex); make them simpler.");
	}
	return db_err();
}

static void
rows_out(PGresult *res, struct wt_view *v, json_t *list)
{
	static const char f[] = "Preview.rows.%d.%s";

	for (int i = 0; i < PQntuples(res); i++) {
		const char *ms = PQgetvalue(res, i, C_PREV_MS);
		int other = PQgetvalue(res, i, C_PREV_OTHER)[0] == 't';
		int takes = PQgetvalue(res, i, C_PREV_TAKES)[0] == 't';
		char text[48];

		if (list != NULL) {
			json_array_append_new(list, json_pack("{ss ss ss sI ss* sb sb}",
			    "app", PQgetvalue(res, i, C_PREV_APP),
			    "title", PQgetvalue(res, i, C_PREV_TITLE),
			    "url", PQgetvalue(res, i, C_PREV_URL),
			    "active_ms", (json_int_t)atoll(ms),
			    "category", PQgetisnull(res, i, C_PREV_CATEGORY) ? NULL :
			    PQgetvalue(res, i, C_PREV_CATEGORY),
			    "other", other, "takes", takes));
			continue;
		}
		view_setf(v, PQgetvalue(res, i, C_PREV_APP), f, i, "app");
		view_setf(v, PQgetvalue(res, i, C_PREV_TITLE), f, i, "title");
		view_setf(v, PQgetvalue(res, i, C_PREV_URL), f, i, "url");
		cat_duration(atoll(ms), text, sizeof(text));
		view_setf(v, text, f, i, "time");
		view_setf(v, PQgetvalue(res, i, C_PREV_CATEGORY), f, i, "category");
		view_setf(v, PQgetvalue(res, i, C_PREV_COLOUR), f, i, "colour");
		view_setf(v, other ? "1" : "0", f, i, "other");
		view_setf(v, takes ? "1" : "0", f, i, "takes");
	}
}

struct wt_err *
category_preview_run(struct wt_req *r, const char *app_re, const char *title_re,
    const char *url_re, const char *self, const char *name, const char *priority,
    json_t **json)
{
	const char *timeout = PREVIEW_TIMEOUT, *check[3] = { app_re, title_re, url_re };
	const char *params[7];
	char depth[16];
	struct wt_view *v = json != NULL ? NULL : req_view(r);
	json_t *j = json != NULL ? json_object() : NULL, *list = NULL;
	PGresult *res;

	if (app_re == NULL && title_re == NULL && url_re == NULL) {
		json_decref(j);
		return wt_form_fail(400, NULL, "Type a pattern (application, title or URL) "
		    "to see what it would match.");
	}
	snprintf(depth, sizeof(depth), "%d", name_depth(name));
	params[0] = app_re;
	params[1] = title_re;
	params[2] = url_re;
	params[3] = self != NULL ? self : NEW_RULE_ID;
	params[4] = depth;
	params[5] = priority != NULL ? priority : "0";
	params[6] = PREVIEW_ROWS;
	/* What the rolled-back transaction would keep and throw away. */
	if ((res = db_exec(ST_ADMIN_CATEGORY_KEEP_WEEK, 0, NULL)) == NULL) {
		json_decref(j);
		return db_err();
	}
	PQclear(res);
	if (db_begin() != 0 || (res = db_exec(ST_ADMIN_CATEGORY_TIMEOUT, 1, &timeout)) == NULL) {
		json_decref(j);
		return db_err();
	}
	PQclear(res);
	/* A bad pattern: 400 naming its field, as saving would answer. */
	if ((res = db_exec(ST_ADMIN_CATEGORY_REGEX_CHECK, 3, check)) == NULL) {
		json_decref(j);
		return db_err();
	}
	PQclear(res);
	if ((res = db_exec(ST_ADMIN_CATEGORY_PREVIEW, 7, params)) == NULL) {
		json_decref(j);
		return preview_failed();
	}
	db_rollback();
	if (j != NULL)
		list = json_array();
	else
		view_set(v, "Preview.shown", "1");
	/* The totals ride on every row; no row, no match. */
	if (PQntuples(res) > 0) {
		put_count(v, j, "windows", PQgetvalue(res, 0, C_PREV_N));
		put_time(v, j, "active_ms", PQgetvalue(res, 0, C_PREV_N_MS));
		put_count(v, j, "other_windows", PQgetvalue(res, 0, C_PREV_OTHER_N));
		put_time(v, j, "other_ms", PQgetvalue(res, 0, C_PREV_OTHER_MS));
		put_count(v, j, "takes_windows", PQgetvalue(res, 0, C_PREV_TAKES_N));
		put_time(v, j, "takes_ms", PQgetvalue(res, 0, C_PREV_TAKES_MS));
		put_count(v, j, "loses_windows", PQgetvalue(res, 0, C_PREV_LOSES_N));
	} else {
		put_count(v, j, "windows", "0");
		put_time(v, j, "active_ms", "0");
		put_count(v, j, "other_windows", "0");
		put_time(v, j, "other_ms", "0");
		put_count(v, j, "takes_windows", "0");
		put_time(v, j, "takes_ms", "0");
		put_count(v, j, "loses_windows", "0");
	}
	rows_out(res, v, list);
	PQclear(res);
	if (j != NULL) {
		json_object_set_new(j, "top", list);
		*json = j;
	}
	return NULL;
}

/* The editor's page under a refused preview: the rule's, or a new one's. */
struct wt_err *
category_preview_fill(struct wt_req *r)
{
	return wt_str(r, "id") != NULL ? category_fill(r) : category_new_fill(r);
}

struct wt_err *
category_preview(struct wt_req *r)
{
	static const char *const typed[] = { "name", "app_re", "title_re", "url_re",
	    "priority", "productivity", "colour" };
	json_t *body = NULL;
	struct wt_view *v;
	struct wt_err *e;

	if ((e = category_preview_run(r, wt_str(r, "app_re"), wt_str(r, "title_re"),
	    wt_str(r, "url_re"), wt_str(r, "id"), wt_str(r, "name"), wt_str(r, "priority"),
	    req_wants_json(r) ? &body : NULL)) != NULL)
		return e;
	if (body != NULL)
		return wt_json(r, 200, body);
	if ((e = category_preview_fill(r)) != NULL)
		return e;
	/* What was typed, over the stored rule: the form as it was sent. */
	v = req_view(r);
	for (size_t k = 0; k < sizeof(typed) / sizeof(typed[0]); k++) {
		const char *s = wt_str(r, typed[k]);

		view_setf(v, s != NULL ? s : "", "Form.Value.%s", typed[k]);
	}
	return wt_html(r, 200, "admin_category.cs");
}
