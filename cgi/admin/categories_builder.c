/* The category builder: what no rule names yet, and rules made from it
 * in one click.  For a range of days (the last 7 by default, in the
 * admin's time zone) it lists the uncategorised windows by active time,
 * their applications, and the words of their titles ranked by the time
 * of the windows they appear in; each word or application becomes a
 * rule with one post, which re-categorises every stored window at once
 * (the triggers of categories), so the word leaves the list.
 *
 * Words are cut in SQL (ST_ADMIN_CATEGORY_BUILDER): runs of letters and
 * digits, Unicode-aware under the database's C.UTF-8 locale (é, 漢字), that
 * may hold . + # & ' - _ inside ("node.js", "c++", "k-pop"), lower-cased;
 * a window counts once per word.  Kept out: words without a letter
 * (numbers, dates), single characters, common English, German and French
 * little words, and emoji (not letters).  A title in a script written
 * without spaces is one word per run, as it reads in the list.
 *
 * The rule made from a word matches it as a whole word in titles
 * (word_regex: \mword\M, metacharacters escaped, so "c++" is \mc\+\+
 * and "node.js" \mnode\.js\M); from an application, that application
 * exactly (^app$).  Its name is the word or the application; the admin
 * moves it in the tree and sets productivity and colour on its page. */
#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "categories.h"
#include "view.h"

#define BUILDER_ROWS	"40"
/* The longest range of days looked at. */
#define MAX_DAYS	366

#define RANGE_FIELDS \
	{ .name = "from", .src = WT_SRC_QUERY, .type = WT_T_DATE, .label = "From" }, \
	{ .name = "to", .src = WT_SRC_QUERY, .type = WT_T_DATE, .label = "To" }

const struct wt_field category_builder_fields[] = {
	RANGE_FIELDS,
	{ .name = "made", .src = WT_SRC_QUERY, .type = WT_T_INT, .min = 1, .max = INT32_MAX },
	{ .name = NULL }
};

const struct wt_field category_quick_fields[] = {
	{ .name = "word", .src = WT_SRC_BODY, .type = WT_T_STRING, .min = 1, .max = 200,
	  .check = check_one_line, .label = "Word" },
	{ .name = "app", .src = WT_SRC_BODY, .type = WT_T_STRING, .min = 1, .max = 200,
	  .check = check_one_line, .label = "Application" },
	/* The builder's range, to go back to it. */
	{ .name = "from", .src = WT_SRC_BODY, .type = WT_T_DATE, .label = "From" },
	{ .name = "to", .src = WT_SRC_BODY, .type = WT_T_DATE, .label = "To" },
	{ .name = NULL }
};

/* s with every ASCII character that is not a letter, digit or _ escaped
 * by a backslash: in a PostgreSQL ARE a backslash before such a
 * character stands for the character itself.  Other bytes (UTF-8) are
 * kept as they are. */
static void
escape_re(struct wt_buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x80 && !isalnum(*p) && *p != '_')
			buf_puts(b, "\\");
		buf_append(b, p, 1);
	}
}

static int
word_char(unsigned char c)
{
	/* Bytes of UTF-8 letters count: the word ends in a letter. */
	return c >= 0x80 || isalnum(c) || c == '_';
}

char *
category_word_regex(const char *word)
{
	struct wt_buf b;
	size_t n = strlen(word);

	buf_init(&b);
	/* \m and \M need a word character at that end ("c++" ends in
	 * '+': then "not followed by a word character" instead). */
	buf_puts(&b, n > 0 && word_char((unsigned char)word[0]) ? "\\m" : "(?<![[:alnum:]_])");
	escape_re(&b, word);
	buf_puts(&b, n > 0 && word_char((unsigned char)word[n - 1]) ? "\\M" : "(?![[:alnum:]_])");
	return buf_take(&b);
}

char *
category_app_regex(const char *app)
{
	struct wt_buf b;

	buf_init(&b);
	buf_puts(&b, "^");
	escape_re(&b, app);
	buf_puts(&b, "$");
	return buf_take(&b);
}

/* list.i.key (or key, when list is NULL) = the duration in words. */
static void
set_ms(struct wt_view *v, const char *ms, const char *list, int i, const char *key)
{
	char text[48];

	cat_duration(atoll(ms), text, sizeof(text));
	if (list == NULL)
		view_set(v, key, text);
	else
		view_setf(v, text, "%s.%d.%s", list, i, key);
}

/* The builder's rows for the range (from, to: dates or NULL for the
 * default) into the view, or into *json when json is not NULL. */
static struct wt_err *
builder_load(struct wt_req *r, const char *from, const char *to, json_t **json)
{
	const char *params[4] = { from, to, r->user->timezone, BUILDER_ROWS };
	struct wt_view *v = json != NULL ? NULL : req_view(r);
	json_t *lists[3] = { NULL, NULL, NULL };
	int counts[3] = { 0, 0, 0 };
	PGresult *res;

	if ((res = db_exec(ST_ADMIN_CATEGORY_BUILDER, 4, params)) == NULL)
		return db_err();
	if (json != NULL)
		for (int k = 0; k < 3; k++)
			lists[k] = json_array();
	for (int i = 0; i < PQntuples(res); i++) {
		const char *kind = PQgetvalue(res, i, C_BLD_KIND), *a = PQgetvalue(res, i, C_BLD_A);
		const char *ms = PQgetvalue(res, i, C_BLD_MS), *n = PQgetvalue(res, i, C_BLD_N);
		int k = kind[0] == 'w' ? 0 : kind[0] == 'a' ? 1 : kind[0] == 'k' ? 2 : -1;
		static const char *const names[3] = { "Windows", "Apps", "Words" };
		char *re;

		if (k < 0)
			continue;	/* nothing uncategorised: only the totals */
		re = k == 2 ? category_word_regex(a) : k == 1 ? category_app_regex(a) : NULL;
		if (json != NULL) {
			json_t *o = json_pack("{ss sI sI}", k == 2 ? "word" : "app", a,
			    "active_ms", (json_int_t)atoll(ms), "windows", (json_int_t)atoll(n));

			if (k == 0) {
				json_object_set_new(o, "title", json_string(PQgetvalue(res, i, C_BLD_T)));
				json_object_set_new(o, "url", json_string(PQgetvalue(res, i, C_BLD_L)));
				json_object_del(o, "windows");
			} else
				json_object_set_new(o, "regex", json_string(re));
			json_array_append_new(lists[k], o);
		} else {
			view_setf(v, a, "%s.%d.%s", names[k], counts[k], k == 2 ? "word" : "app");
			view_setf(v, PQgetvalue(res, i, C_BLD_T), "%s.%d.title", names[k], counts[k]);
			view_setf(v, PQgetvalue(res, i, C_BLD_L), "%s.%d.url", names[k], counts[k]);
			view_setf(v, n, "%s.%d.windows", names[k], counts[k]);
			set_ms(v, ms, names[k], counts[k], "time");
			if (re != NULL)
				view_setf(v, re, "%s.%d.regex", names[k], counts[k]);
		}
		free(re);
		counts[k]++;
	}
	if (PQntuples(res) > 0) {
		const char *d1 = PQgetvalue(res, 0, C_BLD_FROM), *d2 = PQgetvalue(res, 0, C_BLD_TO);

		if (json != NULL) {
			*json = json_pack("{ss ss sI sI sI so so so}", "from", d1, "to", d2,
			    "uncategorised_windows", (json_int_t)atoll(PQgetvalue(res, 0, C_BLD_UNCAT_N)),
			    "uncategorised_ms", (json_int_t)atoll(PQgetvalue(res, 0, C_BLD_UNCAT_MS)),
			    "active_ms", (json_int_t)atoll(PQgetvalue(res, 0, C_BLD_ALL_MS)),
			    "windows", lists[0], "apps", lists[1], "words", lists[2]);
		} else {
			view_set(v, "Range.from", d1);
			view_set(v, "Range.to", d2);
			view_set(v, "Totals.uncat_windows", PQgetvalue(res, 0, C_BLD_UNCAT_N));
			set_ms(v, PQgetvalue(res, 0, C_BLD_UNCAT_MS), NULL, 0, "Totals.uncat_time");
			set_ms(v, PQgetvalue(res, 0, C_BLD_ALL_MS), NULL, 0, "Totals.all_time");
			if (!view_get(v, "Form.Value.from"))
				view_set(v, "Form.Value.from", d1);
			if (!view_get(v, "Form.Value.to"))
				view_set(v, "Form.Value.to", d2);
		}
	}
	PQclear(res);
	if (v != NULL)
		view_set(v, "Page.Nav", "categories");
	return NULL;
}

/* Days since 1970 of a valid YYYY-MM-DD (the field's type checked it). */
static long
day_number(const char *date)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (sscanf(date, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_hour = 12;
	return (long)(timegm(&tm) / 86400);
}

/* A range the builder will not look at: the message next to the field
 * (the default range is shown instead), or NULL. */
static const char *
range_problem(const char *from, const char *to, const char **field)
{
	*field = "to";
	if (from != NULL && to != NULL && strcmp(from, to) > 0)
		return "must not be before the first day";
	if (from != NULL && to != NULL && day_number(to) - day_number(from) >= MAX_DAYS)
		return "must be less than a year after the first day";
	if ((from == NULL) != (to == NULL)) {
		*field = from == NULL ? "from" : "to";
		return "give both days, or neither for the last 7 days";
	}
	return NULL;
}

/* The builder's page around a refused quick rule: its range. */
struct wt_err *
category_builder_fill(struct wt_req *r)
{
	const char *from = wt_str(r, "from"), *to = wt_str(r, "to"), *field;

	if (range_problem(from, to, &field) != NULL)
		from = to = NULL;
	return builder_load(r, from, to, NULL);
}

struct wt_err *
category_builder(struct wt_req *r)
{
	const char *from = wt_str(r, "from"), *to = wt_str(r, "to"), *field, *why;
	json_t *body = NULL;
	struct wt_view *v;
	struct wt_err *e;

	if ((why = range_problem(from, to, &field)) != NULL) {
		if (req_wants_json(r))
			return wt_fail(400, field, "%s %s", strcmp(field, "to") == 0 ? "To" : "From",
			    why);
		v = req_view(r);
		view_setf(v, from ? from : "", "Form.Value.%s", "from");
		view_setf(v, to ? to : "", "Form.Value.%s", "to");
		view_setf(v, why, "Form.Error.%s", field);
		from = to = NULL;
	}
	if ((e = builder_load(r, from, to, req_wants_json(r) ? &body : NULL)) != NULL)
		return e;
	if (body != NULL)
		return wt_json(r, 200, body);
	v = req_view(r);
	if (wt_has(r, "made")) {
		char id[24];
		const char *p = id;
		PGresult *res;

		snprintf(id, sizeof(id), "%lld", wt_int(r, "made", 0));
		if ((res = db_exec(ST_ADMIN_CATEGORY_ONE, 1, &p)) == NULL)
			return db_err();
		if (PQntuples(res) == 1) {
			view_set(v, "Made.id", id);
			view_set(v, "Made.name", PQgetvalue(res, 0, C_CAT_NAME));
			view_set(v, "Made.windows", PQgetvalue(res, 0, C_CAT_WINDOWS));
		}
		PQclear(res);
	}
	return wt_html(r, 200, "admin_categories_builder.cs");
}

/* One click: a rule from a word of the titles or from an application. */
struct wt_err *
category_quick(struct wt_req *r)
{
	const char *word = wt_str(r, "word"), *app = wt_str(r, "app");
	const char *from = wt_str(r, "from"), *to = wt_str(r, "to"), *why, *field;
	const char *params[7];
	struct wt_buf back;
	struct wt_err *e;
	char *re;

	if ((word == NULL) == (app == NULL))
		return wt_form_fail(400, "word", "send a word or an application, one of them");
	if ((why = category_name_check(word != NULL ? word : app)) != NULL)
		return wt_form_fail(400, word != NULL ? "word" : "app", "%s cannot be a "
		    "category's name: it %s", word != NULL ? "This word" : "This application", why);
	re = word != NULL ? category_word_regex(word) : category_app_regex(app);
	/* The columns of ST_ADMIN_CATEGORY_INSERT. */
	params[0] = word != NULL ? word : app;
	params[1] = app != NULL ? re : NULL;
	params[2] = word != NULL ? re : NULL;
	params[3] = NULL;
	params[4] = "0";
	params[5] = "neutral";
	params[6] = "#9e9e9e";
	buf_init(&back);
	buf_puts(&back, "/admin/categories/builder?");
	if (from != NULL && to != NULL && range_problem(from, to, &field) == NULL)
		buf_printf(&back, "from=%s&to=%s&", from, to);
	buf_puts(&back, "made=");
	e = category_create_rule(r, params, back.data);
	buf_free(&back);
	free(re);
	return e;
}
