/* Devices: each person's agents and phones, the one-time enrollment codes
 * an agent exchanges for its own token (the exchange is ingest's), and
 * revocation, which voids a device's token at once. */
#include "config.h"

#include <stdio.h>
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

void
devices_page(struct wt_req *r)
{
	const char *params[2] = { r->user->timezone, wt_str(r, "user") };
	struct wt_view *v = req_view(r);
	PGresult *res, *codes;
	json_t *list, *clist;

	if (params[1] == NULL)
		params[1] = "0";
	if ((res = scoped_exec(r, "admin_devices_list", 2, params)) == NULL) {
		db_unavailable(r);
		return;
	}
	if ((codes = scoped_exec(r, "admin_codes_list", 2, params)) == NULL) {
		PQclear(res);
		db_unavailable(r);
		return;
	}
	list = json_array();
	for (int i = 0; i < PQntuples(res); i++) {
		static const char *const cols[] = { "id", "name", "kind", "hostname", "os",
		    "agent_version", "user_id", "user_name", "last_seen", "status" };

		json_array_append_new(list, json_pack("{sI ss ss ss ss ss sI ss ss ss}",
		    "id", (json_int_t)atoll(PQgetvalue(res, i, 0)), "name", PQgetvalue(res, i, 1),
		    "kind", PQgetvalue(res, i, 2), "hostname", PQgetvalue(res, i, 3),
		    "os", PQgetvalue(res, i, 4), "agent_version", PQgetvalue(res, i, 5),
		    "user_id", (json_int_t)atoll(PQgetvalue(res, i, 6)),
		    "user_name", PQgetvalue(res, i, 7), "last_seen", PQgetvalue(res, i, 8),
		    "status", PQgetvalue(res, i, 9)));
		for (int c = 0; c < 10; c++)
			view_setf(v, PQgetvalue(res, i, c), "Devices.%d.%s", i, cols[c]);
	}
	clist = json_array();
	for (int i = 0; i < PQntuples(codes); i++) {
		static const char *const cols[] = { "id", "device_name", "kind", "user_id",
		    "user_name", "expires" };

		json_array_append_new(clist, json_pack("{sI ss ss sI ss ss}",
		    "id", (json_int_t)atoll(PQgetvalue(codes, i, 0)),
		    "device_name", PQgetvalue(codes, i, 1), "kind", PQgetvalue(codes, i, 2),
		    "user_id", (json_int_t)atoll(PQgetvalue(codes, i, 3)),
		    "user_name", PQgetvalue(codes, i, 4), "expires", PQgetvalue(codes, i, 5)));
		for (int c = 0; c < 6; c++)
			view_setf(v, PQgetvalue(codes, i, c), "Codes.%d.%s", i, cols[c]);
	}
	PQclear(res);
	PQclear(codes);
	if (req_wants_json(r)) {
		wt_json(r, 200, json_pack("{so so}", "devices", list, "codes", clist));
		return;
	}
	json_decref(list);
	json_decref(clist);
	if (kv_get(&r->query, "revoked") != NULL)
		view_set(v, "Notice", "Revoked: it cannot be used any more.");
	view_set(v, "Page.Nav", "devices");
	csrf_token(r);
	wt_html(r, 200, "admin_devices.cs");
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

void
code_create(struct wt_req *r)
{
	const char *uid = wt_str(r, "user_id"), *kind = wt_str(r, "kind"), *params[5];
	const char *name = wt_str(r, "device_name");
	char shown[20], plain[17], hash[65], *after;
	struct wt_view *v;
	PGresult *res;
	json_t *snap;
	int seen, rc;

	if (uid == NULL)
		uid = me(r);
	if (kind == NULL)
		kind = "agent";
	if ((seen = can_see_user(r, atoll(uid))) < 0) {
		db_unavailable(r);
		return;
	}
	if (!seen) {
		wt_error(r, 404, "user_id", "person not found");
		return;
	}
	if (new_code(shown, plain) != 0 || db_begin() != 0) {
		db_unavailable(r);
		return;
	}
	sha256_hex(plain, 16, hash);
	params[0] = hash;
	params[1] = uid;
	params[2] = kind;
	params[3] = name;
	params[4] = me(r);
	if ((res = db_exec("admin_code_insert", 5, params)) == NULL) {
		/* A user id that passed can_see_user but vanished since. */
		if (strcmp(db_sqlstate(), SQLSTATE_FOREIGN_KEY) == 0) {
			db_rollback();
			wt_error(r, 404, "user_id", "person not found");
		} else
			db_unavailable(r);
		return;
	}
	snap = json_pack("{sI ss ss}", "user_id", (json_int_t)atoll(uid), "device_name", name,
	    "kind", kind);
	after = json_dumps(snap, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(snap);
	rc = audit(r, "device.code_create", "enrollment_code", PQgetvalue(res, 0, 0), name,
	    NULL, after);
	free(after);
	if (rc != 0 || db_commit() != 0) {
		PQclear(res);
		db_unavailable(r);
		return;
	}
	log_info("admin", "user %lld made an enrollment code for user %s", r->user->id, uid);
	if (req_wants_json(r)) {
		wt_json(r, 201, json_pack("{sI ss ss sI ss ss}",
		    "id", (json_int_t)atoll(PQgetvalue(res, 0, 0)), "code", shown,
		    "expires_at", PQgetvalue(res, 0, 1), "user_id", (json_int_t)atoll(uid),
		    "device_name", name, "kind", kind));
		PQclear(res);
		OPENSSL_cleanse(shown, sizeof(shown));
		return;
	}
	/* The code is shown once, on this page, and never stored in clear. */
	v = req_view(r);
	view_set(v, "Code.Shown", shown);
	view_set(v, "Code.Device", name);
	view_set(v, "Code.Expires", PQgetvalue(res, 0, 1));
	PQclear(res);
	OPENSSL_cleanse(shown, sizeof(shown));
	view_set(v, "Page.Nav", "devices");
	wt_html(r, 201, "admin_code.cs");
}

/* Looks up a code or device in the caller's scope and revokes it. */
static void
revoke(struct wt_req *r, const char *get, const char *set, const char *action,
    const char *type, const char *what)
{
	const char *id = wt_str(r, "id");
	PGresult *res;
	char *label;
	int live;

	if (db_begin() != 0) {
		db_unavailable(r);
		return;
	}
	if ((res = scoped_exec(r, get, 1, &id)) == NULL) {
		db_unavailable(r);
		return;
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		db_rollback();
		not_found(r, what);
		return;
	}
	label = xstrdup(PQgetvalue(res, 0, 1));
	live = strcmp(PQgetvalue(res, 0, 2), "t") == 0;
	PQclear(res);
	if (!live) {
		free(label);
		db_rollback();
		wt_error(r, 409, NULL, "this %s is used or revoked already", what);
		return;
	}
	if ((res = db_exec(set, 1, &id)) == NULL) {
		free(label);
		db_unavailable(r);
		return;
	}
	PQclear(res);
	if (audit(r, action, type, id, label, "{\"revoked\": false}", "{\"revoked\": true}") != 0 ||
	    db_commit() != 0) {
		free(label);
		db_unavailable(r);
		return;
	}
	free(label);
	done(r, 200, json_pack("{ss}", "status", "revoked"), "/admin/devices?revoked=1");
}

void
code_revoke(struct wt_req *r)
{
	revoke(r, "admin_code_get", "admin_code_revoke", "device.code_revoke",
	    "enrollment_code", "enrollment code");
}

void
device_revoke(struct wt_req *r)
{
	revoke(r, "admin_device_get", "admin_device_revoke", "device.revoke", "device",
	    "device");
}
