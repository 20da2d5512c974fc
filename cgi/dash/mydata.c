/* My data (/me/data): export a range, download everything held about me,
 * delete my activity for a range or all of it (with a confirmation), and
 * who looked at my reports.
 *
 * Everything (/me/data/everything.json) is one JSON document: the
 * account, teams, devices (never their secrets), sessions, the audit
 * rows by or about the person, every stored span, and their task
 * sessions, tasks and task events, streamed as the exports are. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bulk.h"
#include "dash.h"
#include "log.h"
#include "report.h"
#include "stream.h"
#include "view.h"

const struct wt_field dash_mydata_fields[] = {
	{ .name = "deleted", .src = WT_SRC_QUERY, .type = WT_T_INT, .min = 0,
	  .max = 1LL << 53 },
	{ .name = NULL }
};

const struct wt_field dash_delete_fields[] = {
	{ .name = "from", .src = WT_SRC_BODY, .type = WT_T_DATE, .label = "From" },
	{ .name = "to", .src = WT_SRC_BODY, .type = WT_T_DATE, .label = "To" },
	{ .name = "all", .src = WT_SRC_BODY, .type = WT_T_BOOL, .label = "Everything" },
	{ .name = "confirm", .src = WT_SRC_BODY, .type = WT_T_STRING, .min = 0, .max = 20,
	  .label = "Confirmation" },
	{ .name = NULL }
};

/* The looks at the person's reports, newest first, for the page. */
struct wt_err *
dash_mydata_view(struct wt_req *r)
{
	struct wt_view *v = req_view(r);
	char id[24];
	const char *params[2] = { id, r->user->timezone };
	PGresult *res;

	snprintf(id, sizeof(id), "%lld", r->user->id);
	if ((res = db_exec(ST_DASH_LOOKS, 2, params)) == NULL)
		return db_err();
	for (int i = 0; i < PQntuples(res); i++) {
		view_setf(v, PQgetvalue(res, i, C_L_AT), "Looks.%d.at", i);
		view_setf(v, PQgetvalue(res, i, C_L_WHO), "Looks.%d.who", i);
		view_setf(v, PQgetvalue(res, i, C_L_ROLE), "Looks.%d.role", i);
		view_setf(v, PQgetvalue(res, i, C_L_PAGE), "Looks.%d.page", i);
		view_setf(v, PQgetvalue(res, i, C_L_WHAT), "Looks.%d.what", i);
	}
	PQclear(res);
	view_set(v, "Page.Title", "My data");
	view_set(v, "Page.Nav", "mydata");
	return NULL;
}

struct wt_err *
dash_mydata(struct wt_req *r)
{
	struct rp_person p;
	struct wt_err *e;
	char id[24], start[11];
	const char *params[2] = { id, r->user->timezone };
	struct wt_view *v;
	PGresult *res;
	json_t *looks;

	if ((e = rp_person_load(r, NULL, &p)) != NULL)
		return e;
	v = req_view(r);
	rp_date_add(p.today, -29, start);
	view_set(v, "Export.From", start);
	view_set(v, "Export.To", p.today);
	if (wt_has(r, "deleted"))
		view_set_int(v, "Deleted", wt_int(r, "deleted", 0));
	rp_person_free(&p);
	if ((e = dash_mydata_view(r)) != NULL)
		return e;
	if (!req_wants_json(r))
		return wt_html(r, 200, "mydata.cs");
	snprintf(id, sizeof(id), "%lld", r->user->id);
	if ((res = db_exec(ST_DASH_LOOKS, 2, params)) == NULL)
		return db_err();
	looks = json_array();
	for (int i = 0; i < PQntuples(res); i++)
		json_array_append_new(looks, json_pack("{ss ss ss ss ss}", "at",
		    PQgetvalue(res, i, C_L_AT), "who", PQgetvalue(res, i, C_L_WHO),
		    "role", PQgetvalue(res, i, C_L_ROLE), "page", PQgetvalue(res, i, C_L_PAGE),
		    "what", PQgetvalue(res, i, C_L_WHAT)));
	PQclear(res);
	return wt_json(r, 200, json_pack("{so}", "looks", looks));
}

struct wt_err *
dash_delete(struct wt_req *r)
{
	const char *from = wt_str(r, "from"), *to = wt_str(r, "to");
	const char *confirm = wt_str(r, "confirm");
	int all = wt_bool(r, "all", 0);
	char id[24], loc[64];
	const char *params[5];
	PGresult *res;
	long long n;

	if (!all && from == NULL)
		return wt_form_fail(400, "from", "give the first day to delete, or tick everything");
	if (!all && to == NULL)
		return wt_form_fail(400, "to", "give the last day to delete, or tick everything");
	if (!all && strcmp(from, to) > 0)
		return wt_form_fail(400, "to", "the range ends before it starts");
	if (confirm == NULL || strcmp(confirm, "delete") != 0)
		return wt_form_fail(400, "confirm", "type delete to confirm: this cannot be undone");
	snprintf(id, sizeof(id), "%lld", r->user->id);
	params[0] = id;
	params[1] = all ? "" : from;
	params[2] = all ? "" : to;
	params[3] = r->user->timezone;
	params[4] = r->remote_addr ? r->remote_addr : "";
	if (db_begin() != 0 || (res = db_exec(ST_DASH_DELETE, 5, params)) == NULL)
		return db_err();
	n = atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	if (db_commit() != 0)
		return db_err();
	if (req_wants_json(r))
		return wt_json(r, 200, json_pack("{sI ss* ss*}", "deleted", (json_int_t)n,
		    "from", all ? NULL : from, "to", all ? NULL : to));
	snprintf(loc, sizeof(loc), "/me/data?deleted=%lld", n);
	return wt_redirect(r, 303, loc);
}

struct everything {
	struct dash_bulk bulk;
	long long	 id;
	long long	 rows;
	struct wt_stream *out;
};

static int
span_row(PGresult *res, void *arg)
{
	struct everything *x = arg;
	json_t *o = json_pack("{ss ss sI sb ss ss ss ss?}",
	    "device", PQgetvalue(res, 0, C_A_DEVICE), "start", PQgetvalue(res, 0, C_A_START),
	    "duration_ms", (json_int_t)atoll(PQgetvalue(res, 0, C_A_MS)),
	    "afk", strcmp(PQgetvalue(res, 0, C_A_AFK), "t") == 0,
	    "app", PQgetvalue(res, 0, C_A_APP), "title", PQgetvalue(res, 0, C_A_TITLE),
	    "url", PQgetvalue(res, 0, C_A_URL),
	    "category", PQgetisnull(res, 0, C_A_CATEGORY) ? NULL : PQgetvalue(res, 0, C_A_CATEGORY));
	char *txt = o != NULL ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;

	json_decref(o);
	if (txt == NULL)
		return -1;
	stream_puts(x->out, x->rows++ ? ",\n" : "\n");
	stream_puts(x->out, txt);
	free(txt);
	return x->out->failed ? -1 : 0;
}

/* A row that is one JSON object already (built by its statement). */
static int
json_row(PGresult *res, void *arg)
{
	struct everything *x = arg;

	stream_puts(x->out, x->rows++ ? ",\n" : "\n");
	stream_puts(x->out, PQgetvalue(res, 0, 0));
	return x->out->failed ? -1 : 0;
}

/* ,"name":[a row each] -- 0, or -1 when it stopped (logged; the
 * document is then left unfinished, so it cannot pass for complete). */
static int
stream_array(struct everything *x, const char *name, int stmt,
    int (*row)(PGresult *, void *))
{
	char id[24];
	const char *params[1] = { id };

	snprintf(id, sizeof(id), "%lld", x->id);
	stream_puts(x->out, ",\"");
	stream_puts(x->out, name);
	stream_puts(x->out, "\":[");
	x->rows = 0;
	if (db_each(stmt, 1, params, row, x) != 0) {
		log_error("everything", "%s: stopped after %lld rows (%s)", name, x->rows,
		    db_sqlstate());
		return -1;
	}
	stream_puts(x->out, "\n]");
	return 0;
}

static void
write_everything(struct wt_req *r, struct wt_stream *s)
{
	struct everything *x = r->resp.stream_arg;
	char id[24];
	const char *params[1] = { id };
	PGresult *res;

	x->out = s;
	snprintf(id, sizeof(id), "%lld", x->id);
	if ((res = db_exec(ST_DASH_EVERYTHING, 1, params)) == NULL || PQntuples(res) != 1) {
		log_error("everything", "the profile could not be read (%s)", db_sqlstate());
		if (res != NULL)
			PQclear(res);
		return;
	}
	/* {"profile": {...}, "activity": [spans...], "task_sessions": [...],
	 *  "tasks": [...], "task_events": [...]} */
	stream_puts(s, "{\"profile\":");
	stream_puts(s, PQgetvalue(res, 0, 0));
	PQclear(res);
	if (stream_array(x, "activity", ST_DASH_ALL_SPANS, span_row) != 0 ||
	    stream_array(x, "task_sessions", ST_DASH_ALL_TASK_SESSIONS, json_row) != 0 ||
	    stream_array(x, "tasks", ST_DASH_ALL_TASKS, json_row) != 0 ||
	    stream_array(x, "task_events", ST_DASH_ALL_TASK_EVENTS, json_row) != 0)
		return;
	stream_puts(s, "}\n");
}

static void
everything_free(void *arg)
{
	struct everything *x = arg;

	dash_bulk_release(&x->bulk);
	free(x);
}

struct wt_err *
dash_everything(struct wt_req *r)
{
	struct everything *x = xcalloc(1, sizeof(*x));
	struct wt_err *e;

	if ((e = dash_bulk_take(r, &x->bulk)) != NULL) {
		free(x);
		return e;
	}
	x->id = r->user->id;
	resp_set_header(r, "Content-Disposition",
	    "attachment; filename=\"worktime-everything.json\"");
	return wt_stream(r, 200, "application/json", write_everything, x, everything_free);
}
