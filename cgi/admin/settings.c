/* The organisation's settings.  Every field is optional in a change: what
 * is not sent keeps its value (a form's unticked box sends nothing, so the
 * form marks itself with form=1 and then an absent box means "off"). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "view.h"

static const char *const reg_modes[] = { "open", "invite", "closed", NULL };
static const char *const shot_modes[] = { "off", "interval", "twice_daily", NULL };
static const char *const visibility[] = { "managers", "admins", NULL };

/* The columns of admin_settings_get and admin_settings_update, in order. */
static const char *const keys[] = { "registration_mode", "retention_days",
    "screenshot_mode", "screenshot_interval_min", "screenshot_from_hour",
    "screenshot_to_hour", "screenshot_blur", "screenshot_visibility",
    "idle_timeout_s", "day_gap_min" };
#define NKEYS 10

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

static json_t *
settings_json(PGresult *res)
{
	json_t *j = json_object();

	for (int c = 0; c < NKEYS; c++) {
		const char *v = PQgetvalue(res, 0, c);

		if (c == 6)
			json_object_set_new(j, keys[c], json_boolean(strcmp(v, "t") == 0));
		else if (c == 0 || c == 2 || c == 7)
			json_object_set_new(j, keys[c], json_string(v));
		else
			json_object_set_new(j, keys[c], json_integer(atoll(v)));
	}
	return j;
}

static void
fill_view(struct wt_req *r, PGresult *res)
{
	struct wt_view *v = req_view(r);

	for (int c = 0; c < NKEYS; c++)
		if (view_get(v, "Form.Error._") == NULL || c == 6)
			view_setf(v, PQgetvalue(res, 0, c), "Form.Value.%s", keys[c]);
	view_set(v, "Page.Nav", "settings");
	csrf_token(r);
}

void
settings_page(struct wt_req *r)
{
	PGresult *res = db_exec("admin_settings_get", 0, NULL);

	if (res == NULL) {
		db_unavailable(r);
		return;
	}
	if (req_wants_json(r)) {
		wt_json(r, 200, settings_json(res));
		PQclear(res);
		return;
	}
	fill_view(r, res);
	PQclear(res);
	if (kv_get(&r->query, "saved") != NULL)
		view_set(req_view(r), "Notice", "Settings saved.");
	wt_html(r, 200, "admin_settings.cs");
}

void
settings_post(struct wt_req *r)
{
	char *vals[NKEYS], *before, *after;
	const char *params[NKEYS];
	PGresult *res;
	int rc;

	if (db_begin() != 0) {
		db_unavailable(r);
		return;
	}
	if ((res = db_exec("admin_settings_json", 0, NULL)) == NULL) {
		db_unavailable(r);
		return;
	}
	before = xstrdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	if ((res = db_exec("admin_settings_get", 0, NULL)) == NULL) {
		free(before);
		db_unavailable(r);
		return;
	}
	for (int c = 0; c < NKEYS; c++) {
		const char *sent = wt_str(r, keys[c]);

		if (c == 6 && sent == NULL && wt_bool(r, "form", 0))
			sent = "false";
		vals[c] = xstrdup(sent ? sent : PQgetvalue(res, 0, c));
		params[c] = vals[c];
	}
	/* Booleans arrive as on/yes/1/true; PostgreSQL wants one spelling. */
	if (wt_has(r, "screenshot_blur"))
		snprintf(vals[6], strlen(vals[6]) + 1, "%s", wt_bool(r, "screenshot_blur", 0) ? "t" : "f");
	PQclear(res);
	if (atoi(vals[4]) >= atoi(vals[5])) {
		db_rollback();
		for (int c = 0; c < NKEYS; c++)
			free(vals[c]);
		free(before);
		form_fail(r, 400, "screenshot_to_hour", "Screenshots until (hour) must be "
		    "later than the hour they start");
		return;
	}
	res = db_exec("admin_settings_update", NKEYS, params);
	for (int c = 0; c < NKEYS; c++)
		free(vals[c]);
	if (res == NULL) {
		free(before);
		db_unavailable(r);
		return;
	}
	PQclear(res);
	if ((res = db_exec("admin_settings_json", 0, NULL)) == NULL) {
		free(before);
		db_unavailable(r);
		return;
	}
	after = xstrdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	rc = audit(r, "settings.update", "settings", NULL, "organisation", before, after);
	free(before);
	free(after);
	if (rc != 0 || db_commit() != 0) {
		db_unavailable(r);
		return;
	}
	if (!req_wants_json(r)) {
		wt_redirect(r, 303, "/admin/settings?saved=1");
		return;
	}
	if ((res = db_exec("admin_settings_get", 0, NULL)) == NULL) {
		db_unavailable(r);
		return;
	}
	wt_json(r, 200, settings_json(res));
	PQclear(res);
}
