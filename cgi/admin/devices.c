/* Devices: each person's agents and phones, the one-time enrollment codes
 * an agent exchanges for its own token (the exchange is ingest's), and
 * revocation, which voids a device's token at once. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "admin.h"
#include "crypto.h"
#include "log.h"
#include "view.h"

static const char *const kinds[] = { "agent", "phone", NULL };

const struct wt_field devices_fields[] = {
	{ .name = "user", .src = WT_SRC_QUERY, .type = WT_T_INT, .min = 1,
	  .max = 1LL << 53, .label = "Person" },
	{ .name = "revoked_device", .src = WT_SRC_QUERY, .type = WT_T_INT, .min = 1,
	  .max = 1LL << 53 },
	{ .name = "revoked_code", .src = WT_SRC_QUERY, .type = WT_T_INT, .min = 1,
	  .max = 1LL << 53 },
	{ .name = NULL }
};

const struct wt_field code_create_fields[] = {
	{ .name = "user_id", .src = WT_SRC_BODY, .type = WT_T_INT, .min = 1,
	  .max = 1LL << 53, .label = "Person" },
	{ .name = "device_name", .src = WT_SRC_BODY, .type = WT_T_STRING,
	  .flags = WT_REQUIRED, .min = 1, .max = 100, .label = "Device name" },
	{ .name = "kind", .src = WT_SRC_BODY, .type = WT_T_ENUM, .choices = kinds,
	  .label = "Kind" },
	{ .name = NULL }
};

#define PATH_ID(what) \
	{ .name = "id", .src = WT_SRC_PATH, .type = WT_T_INT, .flags = WT_REQUIRED, \
	  .min = 1, .max = 1LL << 53, .label = what }

const struct wt_field code_fields[] = { PATH_ID("Code"), { .name = NULL } };
const struct wt_field device_fields[] = { PATH_ID("Device"), { .name = NULL } };

/* The devices and waiting codes of everyone in the caller's scope (or of
 * one person, user): into the view, and into *out for JSON when out is
 * not NULL. */
static struct wt_err *
devices_load(struct wt_req *r, const char *user, json_t **out)
{
	static const char *const dcols[C_DLIST_NCOLS] = {
		[C_DLIST_ID] = "id", [C_DLIST_NAME] = "name", [C_DLIST_KIND] = "kind",
		[C_DLIST_HOSTNAME] = "hostname", [C_DLIST_OS] = "os",
		[C_DLIST_AGENT_VERSION] = "agent_version", [C_DLIST_USER_ID] = "user_id",
		[C_DLIST_USER_NAME] = "user_name", [C_DLIST_LAST_SEEN] = "last_seen",
		[C_DLIST_STATUS] = "status" };
	static const char *const ccols[C_CLIST_NCOLS] = {
		[C_CLIST_ID] = "id", [C_CLIST_DEVICE_NAME] = "device_name",
		[C_CLIST_KIND] = "kind", [C_CLIST_USER_ID] = "user_id",
		[C_CLIST_USER_NAME] = "user_name", [C_CLIST_EXPIRES] = "expires" };
	const char *params[2] = { r->user->timezone, user };
	struct wt_view *v;
	PGresult *res, *codes;
	struct wt_err *e;
	json_t *list, *clist;

	if (params[1] == NULL)
		params[1] = "0";
	if ((e = scoped_exec(r, ST_ADMIN_DEVICES_LIST, 2, params, &res)) != NULL)
		return e;
	if ((e = scoped_exec(r, ST_ADMIN_CODES_LIST, 2, params, &codes)) != NULL) {
		PQclear(res);
		return e;
	}
	v = req_view(r);
	list = json_array();
	for (int i = 0; i < PQntuples(res); i++) {
		json_array_append_new(list, json_pack("{sI ss ss ss ss ss sI ss ss ss}",
		    "id", (json_int_t)atoll(PQgetvalue(res, i, C_DLIST_ID)),
		    "name", PQgetvalue(res, i, C_DLIST_NAME),
		    "kind", PQgetvalue(res, i, C_DLIST_KIND),
		    "hostname", PQgetvalue(res, i, C_DLIST_HOSTNAME),
		    "os", PQgetvalue(res, i, C_DLIST_OS),
		    "agent_version", PQgetvalue(res, i, C_DLIST_AGENT_VERSION),
		    "user_id", (json_int_t)atoll(PQgetvalue(res, i, C_DLIST_USER_ID)),
		    "user_name", PQgetvalue(res, i, C_DLIST_USER_NAME),
		    "last_seen", PQgetvalue(res, i, C_DLIST_LAST_SEEN),
		    "status", PQgetvalue(res, i, C_DLIST_STATUS)));
		for (int c = 0; c < C_DLIST_NCOLS; c++)
			view_setf(v, PQgetvalue(res, i, c), "Devices.%d.%s", i, dcols[c]);
	}
	clist = json_array();
	for (int i = 0; i < PQntuples(codes); i++) {
		json_array_append_new(clist, json_pack("{sI ss ss sI ss ss}",
		    "id", (json_int_t)atoll(PQgetvalue(codes, i, C_CLIST_ID)),
		    "device_name", PQgetvalue(codes, i, C_CLIST_DEVICE_NAME),
		    "kind", PQgetvalue(codes, i, C_CLIST_KIND),
		    "user_id", (json_int_t)atoll(PQgetvalue(codes, i, C_CLIST_USER_ID)),
		    "user_name", PQgetvalue(codes, i, C_CLIST_USER_NAME),
		    "expires", PQgetvalue(codes, i, C_CLIST_EXPIRES)));
		for (int c = 0; c < C_CLIST_NCOLS; c++)
			view_setf(v, PQgetvalue(codes, i, c), "Codes.%d.%s", i, ccols[c]);
	}
	PQclear(res);
	PQclear(codes);
	if (out != NULL)
		*out = json_pack("{so so}", "devices", list, "codes", clist);
	else {
		json_decref(list);
		json_decref(clist);
	}
	view_set(v, "Page.Nav", "devices");
	return NULL;
}

struct wt_err *
devices_fill(struct wt_req *r)
{
	return devices_load(r, NULL, NULL);
}

/* "The device Office laptop is revoked ...": its name read back by id,
 * within the caller's scope. */
static struct wt_err *
revoked_notice(struct wt_req *r, const char *field, int stmt, const char *pre,
    const char *post)
{
	const char *id = wt_str(r, field);
	struct wt_buf text;
	struct wt_err *e;
	PGresult *res;

	if (id == NULL)
		return NULL;
	if ((e = scoped_exec(r, stmt, 1, &id, &res)) != NULL)
		return e;
	if (PQntuples(res) == 1) {
		buf_init(&text);
		buf_printf(&text, "%s%s%s", pre, PQgetvalue(res, 0, C_REVOKE_LABEL), post);
		view_set(req_view(r), "Notice", text.data);
		buf_free(&text);
	}
	PQclear(res);
	return NULL;
}

struct wt_err *
devices_page(struct wt_req *r)
{
	struct wt_err *e;
	json_t *body = NULL;

	if ((e = devices_load(r, wt_str(r, "user"), req_wants_json(r) ? &body : NULL)) != NULL)
		return e;
	if (body != NULL)
		return wt_json(r, 200, body);
	if ((e = revoked_notice(r, "revoked_device", ST_ADMIN_DEVICE_GET, "The device ",
	    " is revoked: its agent can no longer send anything.")) != NULL ||
	    (e = revoked_notice(r, "revoked_code", ST_ADMIN_CODE_GET, "The enrollment code for ",
	    " is revoked: it can no longer be used.")) != NULL)
		return e;
	return wt_html(r, 200, "admin_devices.cs");
}

/* 16 characters of Crockford's base32 (no I, L, O, U): 80 bits, easy to
 * read aloud and type; shown as XXXX-XXXX-XXXX-XXXX. */
static int
new_code(char shown[20], char plain[17])
{
	static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	unsigned char raw[16];

	if (random_bytes(raw, sizeof(raw)) != 0)
		return -1;
	for (int i = 0, j = 0; i < 16; i++) {
		plain[i] = alphabet[raw[i] & 31];
		shown[j++] = plain[i];
		if (i % 4 == 3 && i < 15)
			shown[j++] = '-';
	}
	plain[16] = '\0';
	shown[19] = '\0';
	OPENSSL_cleanse(raw, sizeof(raw));
	return 0;
}

struct wt_err *
code_create(struct wt_req *r)
{
	const char *uid = wt_str(r, "user_id"), *kind = wt_str(r, "kind"), *params[6];
	const char *name = wt_str(r, "device_name");
	char shown[20], plain[17], hash[65], *after;
	struct wt_view *v;
	struct wt_err *e;
	PGresult *res;
	int seen, acts;

	if (uid == NULL)
		uid = me(r);
	if (kind == NULL)
		kind = "agent";
	if ((e = can_see_user(r, atoll(uid), &seen, &acts)) != NULL)
		return e;
	if (!seen)
		return wt_form_fail(404, "user_id", "Person not found");
	if (!acts)
		return not_below();
	if (new_code(shown, plain) != 0)
		return wt_fail(500, NULL, "no randomness available; the error is logged");
	sha256_hex(plain, 16, hash);
	OPENSSL_cleanse(plain, sizeof(plain));
	if (db_begin() != 0) {
		OPENSSL_cleanse(shown, sizeof(shown));
		return db_err();
	}
	params[0] = hash;
	params[1] = uid;
	params[2] = kind;
	params[3] = name;
	params[4] = me(r);
	params[5] = r->user->timezone;
	if ((res = db_exec(ST_ADMIN_CODE_INSERT, 6, params)) == NULL) {
		OPENSSL_cleanse(shown, sizeof(shown));
		/* A user id that passed can_see_user but vanished since. */
		if (strcmp(db_sqlstate(), SQLSTATE_FOREIGN_KEY) == 0) {
			db_rollback();
			return wt_fail(404, "user_id", "person not found");
		}
		return db_err();
	}
	after = json_text(json_pack("{sI ss ss}", "user_id", (json_int_t)atoll(uid),
	    "device_name", name, "kind", kind));
	e = audit(r, "device.code_create", "enrollment_code", PQgetvalue(res, 0, C_CINS_ID),
	    name, NULL, after);
	free(after);
	if (e == NULL && db_commit() != 0)
		e = db_err();
	if (e != NULL) {
		PQclear(res);
		OPENSSL_cleanse(shown, sizeof(shown));
		return e;
	}
	log_info("admin", "user %lld made an enrollment code for user %s", r->user->id, uid);
	if (req_wants_json(r)) {
		e = wt_json(r, 201, json_pack("{sI ss ss sI ss ss}",
		    "id", (json_int_t)atoll(PQgetvalue(res, 0, C_CINS_ID)), "code", shown,
		    "expires_at", PQgetvalue(res, 0, C_CINS_EXPIRES),
		    "user_id", (json_int_t)atoll(uid), "device_name", name, "kind", kind));
		PQclear(res);
		OPENSSL_cleanse(shown, sizeof(shown));
		return e;
	}
	/* The code is shown once, on this page, and never stored in clear. */
	v = req_view(r);
	view_set(v, "Code.Shown", shown);
	view_set(v, "Code.Device", name);
	view_set(v, "Code.Expires", PQgetvalue(res, 0, C_CINS_EXPIRES_LOCAL));
	PQclear(res);
	OPENSSL_cleanse(shown, sizeof(shown));
	view_set(v, "Page.Nav", "devices");
	return wt_html(r, 201, "admin_code.cs");
}

/* Looks up a code or device in the caller's scope and revokes it. */
static struct wt_err *
revoke(struct wt_req *r, int get, int set, const char *action, const char *type,
    const char *what, const char *notice)
{
	const char *id = wt_str(r, "id");
	struct wt_err *e;
	PGresult *res;
	struct wt_buf loc;
	char *label;
	int live;

	if (db_begin() != 0)
		return db_err();
	if ((e = scoped_exec(r, get, 1, &id, &res)) != NULL)
		return e;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return not_found(what);
	}
	if (strcmp(PQgetvalue(res, 0, C_REVOKE_ACTS), "t") != 0) {
		PQclear(res);
		return not_below();
	}
	label = xstrdup(PQgetvalue(res, 0, C_REVOKE_LABEL));
	live = strcmp(PQgetvalue(res, 0, C_REVOKE_LIVE), "t") == 0;
	PQclear(res);
	if (!live)
		e = wt_form_fail(409, NULL, "This %s is used or revoked already", what);
	else if (db_exec_count(set, 1, &id) < 0)
		e = db_err();
	else if ((e = audit(r, action, type, id, label, "{\"revoked\": false}",
	    "{\"revoked\": true}")) == NULL && db_commit() != 0)
		e = db_err();
	free(label);
	if (e != NULL)
		return e;
	buf_init(&loc);
	buf_printf(&loc, "/admin/devices?%s=%s", notice, id);
	e = done(r, 200, json_pack("{ss}", "status", "revoked"), loc.data);
	buf_free(&loc);
	return e;
}

struct wt_err *
code_revoke(struct wt_req *r)
{
	return revoke(r, ST_ADMIN_CODE_GET, ST_ADMIN_CODE_REVOKE, "device.code_revoke",
	    "enrollment_code", "enrollment code", "revoked_code");
}

struct wt_err *
device_revoke(struct wt_req *r)
{
	return revoke(r, ST_ADMIN_DEVICE_GET, ST_ADMIN_DEVICE_REVOKE, "device.revoke", "device",
	    "device", "revoked_device");
}
