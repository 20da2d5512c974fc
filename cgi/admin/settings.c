/* The organisation's settings.  Every field is optional in a change: what
 * is not sent keeps its value (a form's unticked box sends nothing, so the
 * form marks itself with form=1 and then an absent box means "off", and
 * an empty list of title exclusions means none).
 *
 * title_exclude is a list of regular expressions: a JSON array of strings
 * in a JSON body, or title_exclude_text, one pattern per line, from the
 * form's textarea (blank lines are skipped, a line is otherwise taken as
 * typed).  Each is compiled by the database (settings_regex_check in
 * sql/005): a bad one is a 400 naming title_exclude with PostgreSQL's
 * message and which pattern it was. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "buf.h"
#include "view.h"

static const char *const reg_modes[] = { "open", "invite", "closed", NULL };
static const char *const shot_modes[] = { "off", "interval", "twice_daily", NULL };
static const char *const visibility[] = { "managers", "admins", NULL };

/* The columns of ST_ADMIN_SETTINGS_GET and the parameters of
 * ST_ADMIN_SETTINGS_UPDATE, in order. */
enum { K_REGISTRATION_MODE, K_RETENTION_DAYS, K_SCREENSHOT_MODE, K_INTERVAL_MIN,
	K_FROM_HOUR, K_TO_HOUR, K_BLUR, K_VISIBILITY, K_IDLE_TIMEOUT_S, K_DAY_GAP_MIN,
	K_TITLE_EXCLUDE, K_UPLOAD_INTERVAL_S, K_HEARTBEAT_INTERVAL_S, K_PULSETIME_S,
	NKEYS };
static const char *const keys[NKEYS] = { "registration_mode", "retention_days",
    "screenshot_mode", "screenshot_interval_min", "screenshot_from_hour",
    "screenshot_to_hour", "screenshot_blur", "screenshot_visibility",
    "idle_timeout_s", "day_gap_min", "title_exclude", "upload_interval_s",
    "heartbeat_interval_s", "pulsetime_s" };

/* The limits of the title exclusions (the settings table's CHECK and
 * trigger say the same). */
#define EXCLUDE_MAX		100
#define EXCLUDE_PATTERN_MAX	500
#define EXCLUDE_LABEL		"Title exclusions"

/* One pattern, checked as a string field (valid UTF-8, no control
 * characters, 1 to 500 characters). */
static const struct wt_field exclude_pattern = {
	.name = "title_exclude", .type = WT_T_STRING, .min = 1, .max = EXCLUDE_PATTERN_MAX
};

const struct wt_field settings_fields[] = {
	{ .name = "registration_mode", .src = WT_SRC_BODY, .type = WT_T_ENUM,
	  .choices = reg_modes, .label = "Registration" },
	{ .name = "retention_days", .src = WT_SRC_BODY, .type = WT_T_INT, .min = 1,
	  .max = 3650, .label = "Keep data for (days)" },
	{ .name = "screenshot_mode", .src = WT_SRC_BODY, .type = WT_T_ENUM,
	  .choices = shot_modes, .label = "Screenshots" },
	{ .name = "screenshot_interval_min", .src = WT_SRC_BODY, .type = WT_T_INT,
	  .min = 5, .max = 1440, .label = "Screenshot interval (minutes)" },
	{ .name = "screenshot_from_hour", .src = WT_SRC_BODY, .type = WT_T_INT, .min = 0,
	  .max = 23, .label = "Screenshots from (hour)" },
	{ .name = "screenshot_to_hour", .src = WT_SRC_BODY, .type = WT_T_INT, .min = 1,
	  .max = 24, .label = "Screenshots until (hour)" },
	{ .name = "screenshot_blur", .src = WT_SRC_BODY, .type = WT_T_BOOL,
	  .label = "Blur screenshots" },
	{ .name = "screenshot_visibility", .src = WT_SRC_BODY, .type = WT_T_ENUM,
	  .choices = visibility, .label = "Who sees screenshots" },
	{ .name = "idle_timeout_s", .src = WT_SRC_BODY, .type = WT_T_INT, .min = 30,
	  .max = 3600, .label = "Away after (seconds)" },
	{ .name = "day_gap_min", .src = WT_SRC_BODY, .type = WT_T_INT, .min = 1,
	  .max = 240, .label = "Working-day gap (minutes)" },
	/* A JSON array of strings, checked by exclude_list(). */
	{ .name = "title_exclude", .src = WT_SRC_BODY, .type = WT_T_JSON,
	  .label = EXCLUDE_LABEL },
	/* The form's textarea: one pattern per line (at most 100 lines of
	 * 500 characters and their line breaks). */
	{ .name = "title_exclude_text", .src = WT_SRC_BODY, .type = WT_T_STRING,
	  .max = EXCLUDE_MAX * (EXCLUDE_PATTERN_MAX + 2), .label = EXCLUDE_LABEL },
	{ .name = "upload_interval_s", .src = WT_SRC_BODY, .type = WT_T_INT, .min = 10,
	  .max = 3600, .label = "Upload interval (seconds)" },
	{ .name = "heartbeat_interval_s", .src = WT_SRC_BODY, .type = WT_T_INT, .min = 5,
	  .max = 600, .label = "Heartbeat interval (seconds)" },
	{ .name = "pulsetime_s", .src = WT_SRC_BODY, .type = WT_T_INT, .min = 1,
	  .max = 3600, .label = "Pulsetime (seconds)" },
	{ .name = "form", .src = WT_SRC_BODY, .type = WT_T_BOOL },
	{ .name = NULL }
};

const struct wt_field settings_page_fields[] = { NOTICE_FIELD("saved"), { .name = NULL } };

static json_t *
settings_json(PGresult *res)
{
	json_t *j = json_object();

	for (int c = 0; c < NKEYS; c++) {
		const char *v = PQgetvalue(res, 0, c);

		if (c == K_BLUR)
			json_object_set_new(j, keys[c], json_boolean(strcmp(v, "t") == 0));
		else if (c == K_TITLE_EXCLUDE)
			json_object_set_new(j, keys[c], json_loads(v, 0, NULL));
		else if (c == K_REGISTRATION_MODE || c == K_SCREENSHOT_MODE || c == K_VISIBILITY)
			json_object_set_new(j, keys[c], json_string(v));
		else
			json_object_set_new(j, keys[c], json_integer(atoll(v)));
	}
	return j;
}

/* The form's textarea: the patterns (a JSON array's text), one a line. */
static void
exclude_lines(struct wt_view *v, const char *json)
{
	json_t *list = json_loads(json, 0, NULL), *p;
	struct wt_buf text;
	size_t i;

	buf_init(&text);
	buf_puts(&text, "");
	json_array_foreach(list, i, p)
		buf_printf(&text, "%s%s", i ? "\n" : "", json_string_value(p));
	view_set(v, "Form.Value.title_exclude_text", text.data);
	buf_free(&text);
	json_decref(list);
}

struct wt_err *
settings_page(struct wt_req *r)
{
	PGresult *res = db_exec(ST_ADMIN_SETTINGS_GET, 0, NULL);
	struct wt_view *v;

	if (res == NULL)
		return db_err();
	if (req_wants_json(r)) {
		json_t *body = settings_json(res);

		PQclear(res);
		return wt_json(r, 200, body);
	}
	v = req_view(r);
	for (int c = 0; c < NKEYS; c++)
		if (c != K_TITLE_EXCLUDE)
			view_setf(v, PQgetvalue(res, 0, c), "Form.Value.%s", keys[c]);
	exclude_lines(v, PQgetvalue(res, 0, K_TITLE_EXCLUDE));
	PQclear(res);
	view_set(v, "Page.Nav", "settings");
	if (wt_bool(r, "saved", 0))
		view_set(v, "Notice", "Settings saved.");
	return wt_html(r, 200, "admin_settings.cs");
}

/* The settings as JSON text, for the audit log (caller frees). */
static struct wt_err *
settings_text(char **out)
{
	PGresult *res = db_exec(ST_ADMIN_SETTINGS_JSON, 0, NULL);

	*out = NULL;
	if (res == NULL)
		return db_err();
	*out = xstrdup(PQgetvalue(res, 0, C_SJSON_JSON));
	PQclear(res);
	return NULL;
}

/* One pattern: NULL or a 400 naming title_exclude. */
static struct wt_err *
exclude_check(const char *s, size_t len, size_t n)
{
	struct wt_buf why;
	struct wt_err *e;

	buf_init(&why);
	if (validate_value(&exclude_pattern, s, len, &why) != 0) {
		e = wt_form_fail(400, "title_exclude", "%s: pattern %zu %s", EXCLUDE_LABEL, n,
		    why.data ? why.data : "is invalid");
		buf_free(&why);
		return e;
	}
	buf_free(&why);
	if (memchr(s, '\n', len) != NULL || memchr(s, '\r', len) != NULL)
		return wt_form_fail(400, "title_exclude", "%s: pattern %zu must be one line",
		    EXCLUDE_LABEL, n);
	return NULL;
}

/* The title exclusions sent, as a JSON array's text in *out (the caller
 * frees it), or NULL in *out when none were sent; NULL or a 400 naming
 * the field.  A JSON body sends an array; the form sends text, one
 * pattern a line. */
static struct wt_err *
exclude_list(struct wt_req *r, char **out)
{
	json_t *sent = wt_json_field(r, "title_exclude"), *list, *p;
	const char *text = wt_str(r, "title_exclude_text");
	struct wt_err *e;
	size_t i, n;

	*out = NULL;
	if (sent != NULL && text != NULL)
		return wt_form_fail(400, "title_exclude", "send title_exclude or "
		    "title_exclude_text, not both");
	if (sent != NULL) {
		if (!json_is_array(sent))
			return wt_form_fail(400, "title_exclude", "%s must be a JSON array of "
			    "strings", EXCLUDE_LABEL);
		if (json_array_size(sent) > EXCLUDE_MAX)
			return wt_form_fail(400, "title_exclude", "%s: at most %d patterns",
			    EXCLUDE_LABEL, EXCLUDE_MAX);
		json_array_foreach(sent, i, p) {
			if (!json_is_string(p))
				return wt_form_fail(400, "title_exclude", "%s: pattern %zu must "
				    "be a JSON string", EXCLUDE_LABEL, i + 1);
			if ((e = exclude_check(json_string_value(p), json_string_length(p),
			    i + 1)) != NULL)
				return e;
		}
		*out = json_dumps(sent, JSON_COMPACT);
		return NULL;
	}
	if (text == NULL && !wt_bool(r, "form", 0))
		return NULL;
	/* Lines as typed, without a CR; blank lines skipped. */
	list = json_array();
	for (const char *line = text ? text : ""; *line != '\0'; ) {
		size_t len = strcspn(line, "\n"), keep = len;
		const char *s;

		if (keep > 0 && line[keep - 1] == '\r')
			keep--;
		for (s = line; s < line + keep && (*s == ' ' || *s == '\t'); s++)
			;
		if (s < line + keep) {
			n = json_array_size(list) + 1;
			if (n > EXCLUDE_MAX) {
				json_decref(list);
				return wt_form_fail(400, "title_exclude", "%s: at most %d patterns",
				    EXCLUDE_LABEL, EXCLUDE_MAX);
			}
			if ((e = exclude_check(line, keep, n)) != NULL) {
				json_decref(list);
				return e;
			}
			json_array_append_new(list, json_stringn(line, keep));
		}
		line += len;
		if (*line == '\n')
			line++;
	}
	*out = json_text(list);
	return NULL;
}

struct wt_err *
settings_post(struct wt_req *r)
{
	char *vals[NKEYS] = { NULL }, *before = NULL, *after = NULL, *exclude;
	const char *params[NKEYS];
	struct wt_err *e;
	PGresult *res;

	if ((e = exclude_list(r, &exclude)) != NULL)
		return e;
	if (db_begin() != 0) {
		free(exclude);
		return db_err();
	}
	if ((e = settings_text(&before)) != NULL)
		goto out;
	if ((res = db_exec(ST_ADMIN_SETTINGS_GET, 0, NULL)) == NULL) {
		e = db_err();
		goto out;
	}
	for (int c = 0; c < NKEYS; c++) {
		const char *sent = c == K_TITLE_EXCLUDE ? exclude : wt_str(r, keys[c]);

		if (c == K_BLUR) {
			/* Booleans arrive as on/yes/1/true; PostgreSQL wants one
			 * spelling.  A form's unticked box sends nothing. */
			if (sent != NULL)
				sent = wt_bool(r, keys[c], 0) ? "t" : "f";
			else if (wt_bool(r, "form", 0))
				sent = "f";
		}
		vals[c] = xstrdup(sent ? sent : PQgetvalue(res, 0, c));
		params[c] = vals[c];
	}
	PQclear(res);
	if (atoi(vals[K_FROM_HOUR]) >= atoi(vals[K_TO_HOUR])) {
		e = wt_form_fail(400, "screenshot_to_hour", "Screenshots until (hour) must be "
		    "later than the hour they start");
		goto out;
	}
	if (db_exec_count(ST_ADMIN_SETTINGS_UPDATE, NKEYS, params) < 0) {
		e = db_err();
		goto out;
	}
	if ((e = settings_text(&after)) != NULL ||
	    (e = audit(r, "settings.update", "settings", NULL, "organisation", before,
	    after)) != NULL)
		goto out;
	if (db_commit() != 0) {
		e = db_err();
		goto out;
	}
	if (!req_wants_json(r)) {
		e = wt_redirect(r, 303, "/admin/settings?saved=1");
		goto out;
	}
	if ((res = db_exec(ST_ADMIN_SETTINGS_GET, 0, NULL)) == NULL) {
		e = db_err();
		goto out;
	}
	e = wt_json(r, 200, settings_json(res));
	PQclear(res);
out:
	for (int c = 0; c < NKEYS; c++)
		free(vals[c]);
	free(exclude);
	free(before);
	free(after);
	return e;
}
