/* Categories: the rules that name the windows people work in (sql/005:
 * a hierarchical name such as "Work > Programming", a PostgreSQL regular
 * expression each over the app, the title and the URL, a priority, a
 * productivity and a colour).  A JSON API for admins; the editing page
 * comes with the reports.
 *
 * Saving re-categorises the old data: the triggers on categories run
 * windows_recategorise in the changing statement's transaction, so when
 * the answer goes out every stored window already has the category the
 * new rules give it.  Patterns are compiled by the database
 * (categories_regex_check): a bad one is a 400 naming its field with
 * PostgreSQL's message.  Every change is written to the audit log in the
 * same transaction, with the rule before and after.  The pages around
 * this API (the list, the editor, the builder) are categories_*.c. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "categories.h"

static const char *const productivities[] = { "productive", "neutral", "distracting", NULL };

/* The defaults of a new rule (the table's column defaults). */
#define DEFAULT_PRIORITY	"0"
#define DEFAULT_PRODUCTIVITY	"neutral"
#define DEFAULT_COLOUR		"#9e9e9e"

/* Levels separated by " > ", none empty, none with a '>' in it or a space
 * at either end (the table's CHECK on name, said in words). */
const char *
category_name_check(const char *s)
{
	static const char why[] = "must be levels separated by \" > \", as in "
	    "\"Work > Programming\", none of them empty or starting or ending with a space";
	const char *p = s;

	for (const char *c = s; *c != '\0'; c++)
		if ((unsigned char)*c < 0x20)
			return "must not contain control characters";
	for (;;) {
		const char *end = strstr(p, " > ");
		size_t len = end != NULL ? (size_t)(end - p) : strlen(p);

		if (len == 0 || p[0] == ' ' || p[len - 1] == ' ' || memchr(p, '>', len) != NULL)
			return why;
		if (end == NULL)
			return NULL;
		p = end + 3;
	}
}

/* #rrggbb */
const char *
category_colour_check(const char *s)
{
	static const char hex[] = "0123456789abcdefABCDEF";

	if (strlen(s) != 7 || s[0] != '#' || strspn(s + 1, hex) != 6)
		return "must be a colour as #rrggbb, such as #1b5e20";
	return NULL;
}

#define CATEGORY_ID \
	{ .name = "id", .src = WT_SRC_PATH, .type = WT_T_INT, .flags = WT_REQUIRED, \
	  .min = 1, .max = INT32_MAX, .label = "Category" }
#define PATTERN(n, l) \
	{ .name = (n), .src = WT_SRC_BODY, .type = WT_T_STRING, .min = 1, .max = 1000, \
	  .label = (l) }
/* Everything of a rule but its name; lengths and ranges as the table's
 * CHECKs say. */
#define RULE_FIELDS \
	PATTERN("app_re", "Application pattern"), \
	PATTERN("title_re", "Title pattern"), \
	PATTERN("url_re", "URL pattern"), \
	{ .name = "priority", .src = WT_SRC_BODY, .type = WT_T_INT, .min = -1000, \
	  .max = 1000, .label = "Priority" }, \
	{ .name = "productivity", .src = WT_SRC_BODY, .type = WT_T_ENUM, \
	  .choices = productivities, .label = "Productivity" }, \
	{ .name = "colour", .src = WT_SRC_BODY, .type = WT_T_STRING, .max = 7, \
	  .check = category_colour_check, .label = "Colour" }

const struct wt_field category_create_fields[] = {
	{ .name = "name", .src = WT_SRC_BODY, .type = WT_T_STRING, .flags = WT_REQUIRED,
	  .min = 1, .max = 200, .check = category_name_check, .label = "Name" },
	RULE_FIELDS,
	{ .name = NULL }
};

const struct wt_field category_edit_fields[] = {
	CATEGORY_ID,
	{ .name = "name", .src = WT_SRC_BODY, .type = WT_T_STRING, .min = 1, .max = 200,
	  .check = category_name_check, .label = "Name" },
	RULE_FIELDS,
	/* The body is the whole rule: what is not sent takes its default
	 * (no pattern, priority 0, neutral, grey).  Without it only what is
	 * sent changes, and a pattern can only be replaced, not removed. */
	{ .name = "replace", .src = WT_SRC_BODY, .type = WT_T_BOOL, .label = "Replace" },
	{ .name = NULL }
};

const struct wt_field category_fields[] = { CATEGORY_ID, { .name = NULL } };

/* The rule's columns, in the order of ST_ADMIN_CATEGORY_INSERT's
 * parameters $1..$7 and ST_ADMIN_CATEGORY_UPDATE's $2..$8 and of
 * ST_ADMIN_CATEGORY_LOCK's first columns (C_CLOCK_NAME..C_CLOCK_COLOUR). */
#define NRULE	C_CLOCK_JSON
static const char *const rule_keys[NRULE] = { "name", "app_re", "title_re", "url_re",
    "priority", "productivity", "colour" };
static const char *const rule_defaults[NRULE] = { NULL, NULL, NULL, NULL,
    DEFAULT_PRIORITY, DEFAULT_PRODUCTIVITY, DEFAULT_COLOUR };

static json_t *
text_or_null(PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? json_null() : json_string(PQgetvalue(res, row, col));
}

/* One row of ST_ADMIN_CATEGORIES_LIST or ST_ADMIN_CATEGORY_ONE. */
static json_t *
category_json(PGresult *res, int row)
{
	return json_pack("{sI ss sI so so so sI ss ss sI}",
	    "id", (json_int_t)atoll(PQgetvalue(res, row, C_CAT_ID)),
	    "name", PQgetvalue(res, row, C_CAT_NAME),
	    "depth", (json_int_t)atoll(PQgetvalue(res, row, C_CAT_DEPTH)),
	    "app_re", text_or_null(res, row, C_CAT_APP_RE),
	    "title_re", text_or_null(res, row, C_CAT_TITLE_RE),
	    "url_re", text_or_null(res, row, C_CAT_URL_RE),
	    "priority", (json_int_t)atoll(PQgetvalue(res, row, C_CAT_PRIORITY)),
	    "productivity", PQgetvalue(res, row, C_CAT_PRODUCTIVITY),
	    "colour", PQgetvalue(res, row, C_CAT_COLOUR),
	    "windows", (json_int_t)atoll(PQgetvalue(res, row, C_CAT_WINDOWS)));
}

/* The list: this JSON, or the page (categories_page.c). */
struct wt_err *
categories_page(struct wt_req *r)
{
	PGresult *res;
	json_t *list;
	long long uncategorised = 0;

	if (!req_wants_json(r))
		return categories_html(r);
	if ((res = db_exec(ST_ADMIN_CATEGORIES_LIST, 0, NULL)) == NULL)
		return db_err();
	list = json_array();
	for (int i = 0; i < PQntuples(res); i++) {
		uncategorised = atoll(PQgetvalue(res, i, C_CAT_UNCATEGORISED));
		if (PQgetisnull(res, i, C_CAT_ID))
			continue;	/* no rules at all: only the count */
		json_array_append_new(list, category_json(res, i));
	}
	PQclear(res);
	return wt_json(r, 200, json_pack("{so sI}", "categories", list,
	    "uncategorised", (json_int_t)uncategorised));
}

/* The rule as the list shows it, after a change (in the transaction). */
static struct wt_err *
category_one(const char *id, json_t **out)
{
	PGresult *res = db_exec(ST_ADMIN_CATEGORY_ONE, 1, &id);

	*out = NULL;
	if (res == NULL)
		return db_err();
	if (PQntuples(res) != 1) {
		PQclear(res);
		return not_found("category");
	}
	*out = category_json(res, 0);
	PQclear(res);
	return NULL;
}

struct wt_err *
category_answer(struct wt_req *r, const char *id)
{
	json_t *body;
	struct wt_err *e = category_one(id, &body);

	return e != NULL ? e : wt_json(r, 200, body);
}

/* The rule's row for the audit log (the caller frees it). */
static struct wt_err *
category_text(const char *id, char **out)
{
	PGresult *res = db_exec(ST_ADMIN_CATEGORY_JSON, 1, &id);

	*out = NULL;
	if (res == NULL)
		return db_err();
	if (PQntuples(res) != 1) {
		PQclear(res);
		return not_found("category");
	}
	*out = xstrdup(PQgetvalue(res, 0, C_CJSON_JSON));
	PQclear(res);
	return NULL;
}

/* After an insert or update failed: the name is taken (said with the
 * name), or the database's error: a bad pattern (400 naming the field,
 * PostgreSQL's message), a constraint in words, or a 5xx. */
static struct wt_err *
category_write_failed(const char *name)
{
	if (strcmp(db_sqlstate(), SQLSTATE_UNIQUE_VIOLATION) == 0) {
		db_rollback();
		return wt_form_fail(409, "name", "A category called '%s' exists already "
		    "(names are compared without regard to case)", name);
	}
	return db_err();
}

/* The answer after a create or an update: the rule as the list shows it,
 * read before the commit so it is the rule this request saved. */
static struct wt_err *
category_saved(struct wt_req *r, int status, const char *id, const char *action,
    const char *name, const char *before, const char *back_prefix)
{
	char *after;
	json_t *body;
	struct wt_err *e;
	struct wt_buf back;

	if ((e = category_text(id, &after)) != NULL)
		return e;
	e = audit(r, action, "category", id, name, before, after);
	free(after);
	if (e != NULL)
		return e;
	if ((e = category_one(id, &body)) != NULL)
		return e;
	if (db_commit() != 0) {
		json_decref(body);
		return db_err();
	}
	/* Where the browser came from, with the rule saved named. */
	buf_init(&back);
	buf_printf(&back, "%s%s", back_prefix, id);
	e = done(r, status, body, back.data);
	buf_free(&back);
	return e;
}

struct wt_err *
category_create(struct wt_req *r)
{
	const char *params[NRULE];

	for (int k = 0; k < NRULE; k++) {
		params[k] = wt_str(r, rule_keys[k]);
		if (params[k] == NULL)
			params[k] = rule_defaults[k];
	}
	return category_create_rule(r, params, "/admin/categories?saved=");
}

struct wt_err *
category_create_rule(struct wt_req *r, const char *const *params, const char *back)
{
	char *id;
	struct wt_err *e;
	PGresult *res;

	if (db_begin() != 0)
		return db_err();
	/* The triggers categorise the stored windows here. */
	if ((res = db_exec(ST_ADMIN_CATEGORY_INSERT, NRULE, params)) == NULL)
		return category_write_failed(params[0]);
	id = xstrdup(PQgetvalue(res, 0, C_CATINS_ID));
	PQclear(res);
	e = category_saved(r, 201, id, "category.create", params[0], NULL, back);
	free(id);
	return e;
}

struct wt_err *
category_edit(struct wt_req *r)
{
	const char *id = wt_str(r, "id"), *params[NRULE + 1];
	int replace = wt_bool(r, "replace", 0);
	char *before = NULL, *name = NULL;
	struct wt_err *e;
	PGresult *res;

	if (replace && wt_str(r, "name") == NULL)
		return wt_form_fail(400, "name", "Name is required when the rule is replaced");
	if (db_begin() != 0)
		return db_err();
	if ((res = db_exec(ST_ADMIN_CATEGORY_LOCK, 1, &id)) == NULL)
		return db_err();
	if (PQntuples(res) != 1) {
		PQclear(res);
		db_rollback();
		return not_found("category");
	}
	/* What was sent, else the default (replace) or what is stored;
	 * PQgetvalue's strings live until res is cleared, after the update. */
	params[0] = id;
	for (int k = 0; k < NRULE; k++) {
		const char *v = wt_str(r, rule_keys[k]);

		if (v == NULL)
			v = replace ? rule_defaults[k] : PQgetisnull(res, 0, k) ? NULL :
			    PQgetvalue(res, 0, k);
		params[k + 1] = v;
	}
	before = xstrdup(PQgetvalue(res, 0, C_CLOCK_JSON));
	name = xstrdup(params[1]);
	/* The triggers re-categorise the windows this change can move. */
	if (db_exec_count(ST_ADMIN_CATEGORY_UPDATE, NRULE + 1, params) < 0)
		e = category_write_failed(name);
	else
		e = category_saved(r, 200, id, "category.update", name, before,
		    "/admin/categories?saved=");
	PQclear(res);
	free(before);
	free(name);
	return e;
}

struct wt_err *
category_delete(struct wt_req *r)
{
	const char *id = wt_str(r, "id");
	char *before, *name;
	struct wt_err *e;
	PGresult *res;

	if (db_begin() != 0)
		return db_err();
	if ((res = db_exec(ST_ADMIN_CATEGORY_LOCK, 1, &id)) == NULL)
		return db_err();
	if (PQntuples(res) != 1) {
		PQclear(res);
		db_rollback();
		return not_found("category");
	}
	before = xstrdup(PQgetvalue(res, 0, C_CLOCK_JSON));
	name = xstrdup(PQgetvalue(res, 0, C_CLOCK_NAME));
	PQclear(res);
	/* Its windows get the next best rule (or none) in this statement. */
	if (db_exec_count(ST_ADMIN_CATEGORY_DELETE, 1, &id) < 0)
		e = db_err();
	else if ((e = audit(r, "category.delete", "category", id, name, before, NULL)) == NULL &&
	    db_commit() != 0)
		e = db_err();
	free(before);
	free(name);
	if (e != NULL)
		return e;
	return done(r, 200, json_pack("{ss}", "status", "deleted"), "/admin/categories?deleted=1");
}
