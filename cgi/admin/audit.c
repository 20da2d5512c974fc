/* The audit log: every change made through admin.fcgi is recorded in the
 * same transaction as the change itself, with the row before and after.
 * Admins read it here; nothing on the site changes or deletes it (and a
 * trigger in the database refuses it too). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "view.h"

#define PAGE_SIZE 50

/* 1 when before and after say the same (as JSON: key order and spacing
 * aside). */
static int
unchanged(const char *before, const char *after)
{
	json_t *b, *a;
	int same;

	if (before == NULL || after == NULL)
		return 0;
	b = json_loads(before, 0, NULL);
	a = json_loads(after, 0, NULL);
	same = b != NULL && a != NULL && json_equal(b, a);
	json_decref(b);
	json_decref(a);
	return same;
}

struct wt_err *
audit(struct wt_req *r, const char *action, const char *target_type,
    const char *target_id, const char *label, const char *before, const char *after)
{
	const char *params[9] = { me(r), r->user->email, action, target_type,
	    target_id ? target_id : "", label ? label : "", before, after,
	    r->remote_addr ? r->remote_addr : "" };
	PGresult *res;

	/* A save that changed nothing is not a change: nothing to record. */
	if (unchanged(before, after))
		return NULL;
	res = db_exec(ST_ADMIN_AUDIT_INSERT, 9, params);

	if (res == NULL)
		return db_err();
	PQclear(res);
	return NULL;
}

const struct wt_field audit_fields[] = {
	{ .name = "actor", .src = WT_SRC_QUERY, .type = WT_T_STRING, .max = 254,
	  .label = "Actor" },
	{ .name = "action", .src = WT_SRC_QUERY, .type = WT_T_STRING, .max = 64,
	  .label = "Action" },
	{ .name = "target_type", .src = WT_SRC_QUERY, .type = WT_T_ENUM,
	  .choices = (const char *const[]){ "user", "team", "device", "enrollment_code",
	  "invite", "settings", "category", NULL }, .label = "Target" },
	{ .name = "target_id", .src = WT_SRC_QUERY, .type = WT_T_INT, .min = 1,
	  .max = 1LL << 53, .label = "Target id" },
	{ .name = "from", .src = WT_SRC_QUERY, .type = WT_T_DATE, .label = "From" },
	{ .name = "to", .src = WT_SRC_QUERY, .type = WT_T_DATE, .label = "To" },
	{ .name = "page", .src = WT_SRC_QUERY, .type = WT_T_INT, .min = 1, .max = 100000,
	  .label = "Page" },
	{ .name = NULL }
};

static const char *
opt(struct wt_req *r, const char *name)
{
	const char *s = wt_str(r, name);

	return s ? s : "";
}

/* A changed value as a person reads it: text as it is, nothing as a
 * dash, anything else as JSON. */
static char *
shown(json_t *j)
{
	if (j == NULL || json_is_null(j))
		return xstrdup("—");
	if (json_is_string(j))
		return xstrdup(json_string_value(j));
	if (json_is_true(j))
		return xstrdup("yes");
	if (json_is_false(j))
		return xstrdup("no");
	return json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
}

/* The changed fields of one entry (the statement's JSON list of
 * {field, before, after}, people and teams already named): into the view
 * as Audit.N.changes.M, and into the JSON entry as "changes". */
static void
changes_view(struct wt_view *v, int row, const char *text, json_t *entry)
{
	json_t *list = json_loads(text, 0, NULL), *c;
	size_t i;

	if (!json_is_array(list)) {
		json_decref(list);
		list = json_array();
	}
	json_array_foreach(list, i, c) {
		char *b = shown(json_object_get(c, "before")), *a = shown(json_object_get(c, "after"));
		const char *f = json_string_value(json_object_get(c, "field"));

		view_setf(v, f ? f : "", "Audit.%d.changes.%zu.field", row, i);
		view_setf(v, b, "Audit.%d.changes.%zu.before", row, i);
		view_setf(v, a, "Audit.%d.changes.%zu.after", row, i);
		if (!json_is_null(json_object_get(c, "before")))
			view_setf(v, "1", "Audit.%d.changes.%zu.had", row, i);
		if (!json_is_null(json_object_get(c, "after")))
			view_setf(v, "1", "Audit.%d.changes.%zu.has", row, i);
		free(b);
		free(a);
	}
	json_object_set_new(entry, "changes", list);
}

/* In the order of the statement's parameters $2..$7. */
static const char *const filters[] = { "actor", "action", "target_type", "target_id",
    "from", "to" };

struct wt_err *
audit_page(struct wt_req *r)
{
	static const char *const cols[C_ALIST_NCOLS] = {
		[C_ALIST_ID] = "id", [C_ALIST_AT] = "at", [C_ALIST_ACTOR] = "actor",
		[C_ALIST_ACTION] = "action", [C_ALIST_TARGET_TYPE] = "target_type",
		[C_ALIST_TARGET_ID] = "target_id", [C_ALIST_TARGET_LABEL] = "target_label",
		[C_ALIST_BEFORE] = "before", [C_ALIST_AFTER] = "after", [C_ALIST_IP] = "ip",
		[C_ALIST_ACTOR_NAME] = "actor_name", [C_ALIST_TARGET_NAME] = "target_name" };
	long long page = wt_int(r, "page", 1), total = 0;
	char limit[16], offset[24];
	const char *params[9];
	struct wt_view *v;
	PGresult *res;
	json_t *list;

	/* Numbers within the field's limits: they fit. */
	snprintf(limit, sizeof(limit), "%d", PAGE_SIZE);
	snprintf(offset, sizeof(offset), "%lld", (page - 1) * PAGE_SIZE);
	params[0] = r->user->timezone;
	for (int i = 0; i < 6; i++)
		params[i + 1] = opt(r, filters[i]);
	params[7] = limit;
	params[8] = offset;
	if ((res = db_exec(ST_ADMIN_AUDIT_LIST, 9, params)) == NULL)
		return db_err();
	v = req_view(r);
	list = json_array();
	for (int i = 0, row = 0; i < PQntuples(res); i++) {
		json_t *entry;

		total = atoll(PQgetvalue(res, i, C_ALIST_TOTAL));
		if (PQgetisnull(res, i, C_ALIST_ID))
			continue;	/* an empty page: only the total */
		entry = json_object();
		for (int c = 0; c < C_ALIST_NCOLS; c++) {
			const char *val = PQgetvalue(res, i, c);

			if (c == C_ALIST_TOTAL)
				continue;
			if (c == C_ALIST_CHANGES) {
				changes_view(v, row, val, entry);
				continue;
			}
			view_setf(v, val, "Audit.%d.%s", row, cols[c]);
			if ((c == C_ALIST_BEFORE || c == C_ALIST_AFTER) && *val != '\0')
				json_object_set_new(entry, cols[c], json_loads(val, 0, NULL));
			else
				json_object_set_new(entry, cols[c], json_string(val));
		}
		json_array_append_new(list, entry);
		row++;
	}
	PQclear(res);
	if (req_wants_json(r))
		return wt_json(r, 200, json_pack("{sI sI so}", "total", (json_int_t)total,
		    "page", (json_int_t)page, "entries", list));
	json_decref(list);
	for (int i = 0; i < 6; i++)
		view_setf(v, params[i + 1], "Form.Value.%s", filters[i]);
	view_set_int(v, "Page.Number", page);
	view_set_int(v, "Page.Total", total);
	view_set_int(v, "Page.Last", (total + PAGE_SIZE - 1) / PAGE_SIZE);
	view_set(v, "Page.Nav", "audit");
	view_set(v, "Page.Zone", r->user->timezone);
	return wt_html(r, 200, "admin_audit.cs");
}
