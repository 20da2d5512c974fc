/* The organisation's settings.  Every field is optional in a change: what
 * is not sent keeps its value (a form's unticked box sends nothing, so the
 * form marks itself with form=1 and then an absent box means "off"). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "view.h"

static const char *const reg_modes[] = { "open", "invite", "closed", NULL };
static const char *const shot_modes[] = { "off", "interval", "twice_daily", NULL };
static const char *const visibility[] = { "managers", "admins", NULL };

/* The columns of ST_ADMIN_SETTINGS_GET and the parameters of
 * ST_ADMIN_SETTINGS_UPDATE, in order. */
enum { K_REGISTRATION_MODE, K_RETENTION_DAYS, K_SCREENSHOT_MODE, K_INTERVAL_MIN,
	K_FROM_HOUR, K_TO_HOUR, K_BLUR, K_VISIBILITY, K_IDLE_TIMEOUT_S, K_DAY_GAP_MIN,
	NKEYS };
static const char *const keys[NKEYS] = { "registration_mode", "retention_days",
    "screenshot_mode", "screenshot_interval_min", "screenshot_from_hour",
    "screenshot_to_hour", "screenshot_blur", "screenshot_visibility",
    "idle_timeout_s", "day_gap_min" };

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
		else if (c == K_REGISTRATION_MODE || c == K_SCREENSHOT_MODE || c == K_VISIBILITY)
			json_object_set_new(j, keys[c], json_string(v));
		else
			json_object_set_new(j, keys[c], json_integer(atoll(v)));
	}
	return j;
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
		view_setf(v, PQgetvalue(res, 0, c), "Form.Value.%s", keys[c]);
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

struct wt_err *
settings_post(struct wt_req *r)
{
	char *vals[NKEYS] = { NULL }, *before = NULL, *after = NULL;
	const char *params[NKEYS];
	struct wt_err *e;
	PGresult *res;

	if (db_begin() != 0)
		return db_err();
	if ((e = settings_text(&before)) != NULL)
		return e;
	if ((res = db_exec(ST_ADMIN_SETTINGS_GET, 0, NULL)) == NULL) {
		e = db_err();
		goto out;
	}
	for (int c = 0; c < NKEYS; c++) {
		const char *sent = wt_str(r, keys[c]);

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
	free(before);
	free(after);
	return e;
}
