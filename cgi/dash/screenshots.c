/* /screenshots: a person's screenshots, a day at a time in the viewer's
 * time zone, each with the window and category in front when it was
 * taken; the images themselves; deleting one's own; the notice.
 *
 * Who sees whose: the person their own; an admin everyone's; a manager
 * the people of the teams they manage, when the organisation's setting
 * (screenshot_visibility) is "managers".  It is applied in SQL
 * (SHOT_SCOPE in stmts.c) in every statement that reads a screenshot, so
 * one out of scope is a 404 exactly like one that does not exist.
 *
 * The files are never read here: once the statement has found the file
 * the caller may see, and written the audit row when it is someone
 * else's, the answer is an X-Accel-Redirect to nginx's internal location
 * for the store, which no URL from outside reaches. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dash.h"
#include "log.h"
#include "report.h"
#include "shotstore.h"
#include "view.h"

const struct wt_field shots_page_fields[] = {
	{ .name = "user", .src = WT_SRC_QUERY, .type = WT_T_INT, .min = 1, .max = 1LL << 53,
	  .label = "Person" },
	{ .name = "date", .src = WT_SRC_QUERY, .type = WT_T_DATE, .label = "Day" },
	{ .name = "deleted", .src = WT_SRC_QUERY, .type = WT_T_BOOL },
	{ .name = NULL }
};

const struct wt_field shot_id_fields[] = {
	{ .name = "id", .src = WT_SRC_PATH, .type = WT_T_INT, .flags = WT_REQUIRED, .min = 1,
	  .max = 1LL << 53, .label = "Screenshot" },
	{ .name = NULL }
};

const struct wt_field shots_notice_fields[] = {
	{ .name = "next", .src = WT_SRC_BODY, .type = WT_T_STRING, .max = 2000,
	  .check = check_local_path },
	{ .name = NULL }
};

static void
caller(const struct wt_req *r, char id[32])
{
	snprintf(id, 32, "%lld", r->user->id);
}

static json_t *
str_or_null(PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? json_null() :
	    json_string(PQgetvalue(res, row, col));
}

static struct wt_err *
policy(struct wt_req *r, json_t **out, char **today)
{
	const char *tz = r->user->timezone;
	PGresult *res = db_exec(ST_DASH_SHOT_POLICY, 1, &tz);

	if (res == NULL)
		return db_err();
	*out = json_pack("{ss sI sI sI sb ss}", "mode", PQgetvalue(res, 0, C_SPOL_MODE),
	    "interval_min", (json_int_t)atoll(PQgetvalue(res, 0, C_SPOL_INTERVAL)),
	    "from_hour", (json_int_t)atoll(PQgetvalue(res, 0, C_SPOL_FROM)),
	    "to_hour", (json_int_t)atoll(PQgetvalue(res, 0, C_SPOL_TO)),
	    "blur", strcmp(PQgetvalue(res, 0, C_SPOL_BLUR), "t") == 0,
	    "visibility", PQgetvalue(res, 0, C_SPOL_VISIBILITY));
	*today = xstrdup(PQgetvalue(res, 0, C_SPOL_TODAY));
	PQclear(res);
	return NULL;
}

static struct wt_err *
people(struct wt_req *r, const char *me, json_t **out)
{
	const char *params[2] = { me, r->user->role };
	PGresult *res = db_exec(ST_DASH_SHOT_PEOPLE, 2, params);

	if (res == NULL)
		return db_err();
	*out = json_array();
	for (int i = 0; i < PQntuples(res); i++)
		json_array_append_new(*out, json_pack("{sI ss ss}",
		    "id", (json_int_t)atoll(PQgetvalue(res, i, C_SPERSON_ID)),
		    "name", PQgetvalue(res, i, C_SPERSON_NAME),
		    "email", PQgetvalue(res, i, C_SPERSON_EMAIL)));
	PQclear(res);
	return NULL;
}

static struct wt_err *
day_list(const char *const params[5], int own, json_t **out)
{
	PGresult *res = db_exec(ST_DASH_SHOT_DAY, 5, params);

	if (res == NULL)
		return db_err();
	*out = json_array();
	for (int i = 0; i < PQntuples(res); i++) {
		const char *id = PQgetvalue(res, i, C_SDAY_ID);

		json_array_append_new(*out, json_pack("{sI ss ss sb sI sI so so so so so ss"
		    " ss++ ss++ sb}",
		    "id", (json_int_t)atoll(id),
		    "time", PQgetvalue(res, i, C_SDAY_TIME),
		    "taken_at", PQgetvalue(res, i, C_SDAY_TAKEN),
		    "blurred", strcmp(PQgetvalue(res, i, C_SDAY_BLURRED), "t") == 0,
		    "width", (json_int_t)atoll(PQgetvalue(res, i, C_SDAY_W)),
		    "height", (json_int_t)atoll(PQgetvalue(res, i, C_SDAY_H)),
		    "app", str_or_null(res, i, C_SDAY_APP),
		    "title", str_or_null(res, i, C_SDAY_TITLE),
		    "category", str_or_null(res, i, C_SDAY_CATEGORY),
		    "colour", str_or_null(res, i, C_SDAY_COLOUR),
		    "productivity", str_or_null(res, i, C_SDAY_PRODUCTIVITY),
		    "device", PQgetvalue(res, i, C_SDAY_DEVICE),
		    "image", "/screenshots/", id, "/image",
		    "thumb", "/screenshots/", id, "/thumb",
		    "deletable", own));
	}
	PQclear(res);
	return NULL;
}

/* Who looked at my screenshots (only ever the caller's own). */
static struct wt_err *
views(struct wt_req *r, const char *me, json_t **out)
{
	const char *params[2] = { me, r->user->timezone };
	PGresult *res = db_exec(ST_DASH_SHOT_VIEWS, 2, params);

	if (res == NULL)
		return db_err();
	*out = json_array();
	for (int i = 0; i < PQntuples(res); i++)
		json_array_append_new(*out, json_pack("{ss ss ss sI ss}",
		    "name", PQgetvalue(res, i, C_SVIEW_NAME),
		    "email", PQgetvalue(res, i, C_SVIEW_EMAIL),
		    "day", PQgetvalue(res, i, C_SVIEW_DAY),
		    "screenshots", (json_int_t)atoll(PQgetvalue(res, i, C_SVIEW_COUNT)),
		    "last", PQgetvalue(res, i, C_SVIEW_LAST)));
	PQclear(res);
	return NULL;
}

/* The person whose screenshots are asked for, if the caller may see
 * them (404 otherwise, as for nobody). */
static struct wt_err *
owner(struct wt_req *r, const char *me, const char *uid, json_t **out)
{
	const char *params[3] = { me, r->user->role, uid };
	PGresult *res = db_exec(ST_DASH_SHOT_OWNER, 3, params);

	if (res == NULL)
		return db_err();
	if (PQntuples(res) != 1) {
		PQclear(res);
		return wt_fail(404, "user", "there is no one whose screenshots you may see with "
		    "id %s", uid);
	}
	*out = json_pack("{sI ss ss}", "id", (json_int_t)atoll(PQgetvalue(res, 0, C_SPERSON_ID)),
	    "name", PQgetvalue(res, 0, C_SPERSON_NAME),
	    "email", PQgetvalue(res, 0, C_SPERSON_EMAIL));
	PQclear(res);
	return NULL;
}

static struct wt_err *
nav(const char *uid, const char *date, const char *tz, json_t *page)
{
	const char *params[3] = { uid, date, tz };
	PGresult *res = db_exec(ST_DASH_SHOT_NAV, 3, params);

	if (res == NULL)
		return db_err();
	json_object_set_new(page, "prev", str_or_null(res, 0, C_SNAV_PREV));
	json_object_set_new(page, "next", str_or_null(res, 0, C_SNAV_NEXT));
	PQclear(res);
	return NULL;
}

struct wt_err *
shots_page(struct wt_req *r)
{
	char me[32], *today = NULL;
	const char *uid, *date;
	json_t *page = NULL, *pol = NULL, *who = NULL, *list = NULL, *ppl = NULL, *seen = NULL;
	struct wt_err *e;
	struct wt_view *v;
	int own;

	caller(r, me);
	uid = wt_has(r, "user") ? wt_str(r, "user") : me;
	own = strcmp(uid, me) == 0;
	if ((e = policy(r, &pol, &today)) != NULL)
		goto fail;
	date = wt_has(r, "date") ? wt_str(r, "date") : today;
	if ((e = owner(r, me, uid, &who)) != NULL || (e = people(r, me, &ppl)) != NULL)
		goto fail;
	/* Someone else's list shows the windows they had in front, as their
	 * day page does: the look is audited as a look at that page is,
	 * whether or not an image is opened after it. */
	if (!own) {
		struct rp_person p = { .id = atoll(uid) };

		if ((e = rp_look(r, &p, "screenshots", date)) != NULL)
			goto fail;
	}
	{
		const char *params[5] = { me, r->user->role, uid, date, r->user->timezone };

		if ((e = day_list(params, own, &list)) != NULL)
			goto fail;
	}
	if (own && (e = views(r, me, &seen)) != NULL)
		goto fail;
	page = json_pack("{so ss ss ss sb so so so}", "person", who, "date", date,
	    "today", today, "timezone", r->user->timezone, "own", own, "policy", pol,
	    "people", ppl, "screenshots", list);
	who = pol = ppl = list = NULL;
	if (seen != NULL) {
		json_object_set_new(page, "viewed_by", seen);
		seen = NULL;
	}
	if ((e = nav(uid, date, r->user->timezone, page)) != NULL)
		goto fail;
	free(today);
	if (req_wants_json(r))
		return wt_json(r, 200, page);
	v = req_view(r);
	view_set(v, "Page.Title", own ? "Your screenshots" : "Screenshots");
	view_set(v, "Page.Nav", "screenshots");
	if (wt_bool(r, "deleted", 0))
		view_set(v, "Notice", "The screenshot was deleted.");
	view_set_json(v, "Shot", page);
	json_decref(page);
	return wt_html(r, 200, "screenshots.cs");
fail:
	json_decref(page);
	json_decref(pol);
	json_decref(who);
	json_decref(list);
	json_decref(ppl);
	json_decref(seen);
	free(today);
	return e;
}

/* The file, through nginx, once the statement has allowed it. */
static struct wt_err *
serve(struct wt_req *r, const char *size)
{
	char me[32];
	const char *params[6] = { me, r->user->role, wt_str(r, "id"), size, r->user->email,
	    r->remote_addr ? r->remote_addr : "" };
	PGresult *res;
	char *uri;

	caller(r, me);
	if ((res = db_exec(ST_DASH_SHOT_FILE, 6, params)) == NULL)
		return db_err();
	if (PQntuples(res) != 1) {
		PQclear(res);
		return wt_fail(404, NULL, "there is no screenshot %s that you may see",
		    wt_str(r, "id"));
	}
	uri = shots_accel_uri(PQgetvalue(res, 0, C_SFILE_SHA),
	    shots_ext(PQgetvalue(res, 0, C_SFILE_MIME)));
	resp_set_header(r, "X-Accel-Redirect", uri);
	resp_set_header(r, "Content-Type", PQgetvalue(res, 0, C_SFILE_MIME));
	free(uri);
	PQclear(res);
	return wt_empty(r, 200);
}

struct wt_err *
shot_image(struct wt_req *r)
{
	return serve(r, "image");
}

struct wt_err *
shot_thumb(struct wt_req *r)
{
	return serve(r, "thumb");
}

struct wt_err *
shot_delete(struct wt_req *r)
{
	char me[32], *loc;
	const char *params[3] = { me, wt_str(r, "id"), r->user->timezone };
	PGresult *res;
	struct wt_buf b;
	struct wt_err *e;

	caller(r, me);
	if ((res = db_exec(ST_DASH_SHOT_DELETE, 3, params)) == NULL)
		return db_err();
	if (PQntuples(res) != 1) {
		PQclear(res);
		return wt_fail(404, NULL, "you have no screenshot %s", wt_str(r, "id"));
	}
	buf_init(&b);
	buf_printf(&b, "/screenshots?date=%s&deleted=1", PQgetvalue(res, 0, 0));
	loc = buf_take(&b);
	PQclear(res);
	/* The row is gone (committed: no transaction was open); its file
	 * follows unless another screenshot is the same image. */
	if (shots_sweep(SHOTS_SWEEP_REQUEST) < 0)
		log_warn("screenshot_sweep", "the sweep failed; the next one removes the file");
	if (req_wants_json(r))
		e = wt_json(r, 200, json_pack("{ss sI}", "status", "deleted",
		    "id", (json_int_t)atoll(wt_str(r, "id"))));
	else
		e = wt_redirect(r, 303, loc);
	free(loc);
	return e;
}

struct wt_err *
shots_notice_post(struct wt_req *r)
{
	char me[32];
	const char *p = me, *next = wt_str(r, "next");
	PGresult *res;

	caller(r, me);
	if ((res = db_exec(ST_SHOTS_NOTICE_SEEN, 1, &p)) == NULL)
		return db_err();
	PQclear(res);
	if (req_wants_json(r))
		return wt_json(r, 200, json_pack("{ss}", "status", "read"));
	return wt_redirect(r, 303, next != NULL ? next : "/screenshots");
}
