/* Admin: devices, in process (was tests/api/22_admin_devices.t).
 * Enrollment codes (format, lifetime, only a hash kept, listed while
 * usable, revocable once), device revocation, the status of each device,
 * and whose codes and devices a member and a manager reach. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "admin_flows.h"
#include "check.h"

#define CODE_RE	"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$"

static struct admin ADM;

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* jq's [.path[].key] | (unique if asked) | join(sep), sorted. */
static const char *
collect(const struct ip_resp *a, const char *path, const char *key, int unique)
{
	json_t *arr = ip_jget(a, path), *o;
	size_t i, n = json_array_size(arr), m = 0;
	const char **v = xcalloc(n + 1, sizeof(*v)), *out = "";

	json_array_foreach(arr, i, o)
		v[i] = ip_jval(o, key) ? ip_jval(o, key) : "";
	qsort(v, n, sizeof(*v), cmp_str);
	for (i = 0; i < n; i++) {
		if (unique && i > 0 && strcmp(v[i], v[i - 1]) == 0)
			continue;
		out = ip_strf("%s%s%s", out, m++ ? "," : "", v[i]);
	}
	free(v);
	return out;
}

/* The object in array path whose key id equals id. */
static json_t *
find_by(const struct ip_resp *a, const char *path, const char *key, const char *val)
{
	json_t *arr = ip_jget(a, path), *o;
	size_t i;

	json_array_foreach(arr, i, o)
		if (ip_jval(o, key) && strcmp(ip_jval(o, key), val) == 0)
			return o;
	return NULL;
}

static const char *
live_codes(const char *token)
{
	return collect(api("GET", "/admin/devices", token, NULL), "codes", "id", 0);
}

static const char *
listed(const char *id, const char *ids)
{
	return strstr(ip_strf(",%s,", ids), ip_strf(",%s,", id)) ? "yes" : "no";
}

int
main(void)
{
	const char *TD, *EM, *EO, *EG, *MEM_TOKEN, *OTH_TOKEN, *MGR_TOKEN, *MEM, *OTH, *MGR, *CODE,
	    *C1, *C2, *C3, *CM, *CMS, *CO, *EXP, *PLAIN, *aud, *DV, *DM, *DM2, *tag;
	struct ip_resp *a;
	long long a0;
	json_t *o;
	char *p;

	if (ip_init("admin_devices") != 0)
		return 0;
	/* It counts audit rows: alone. */
	ip_lock_global();
	tag = ip_tag();
	make_admin(&ADM);
	ok(ADM.token != NULL, "this run's admin has an access token");
	TD = make_team(&ADM, ip_strf("Devices %s", tag));
	EM = ip_strf("dm-%s@example.test", tag);
	EO = ip_strf("do-%s@example.test", tag);
	EG = ip_strf("dg-%s@example.test", tag);
	MEM_TOKEN = make_person(&ADM, EM, "member", TD, "Dana Member", NULL);
	ok(MEM_TOKEN != NULL, "a member of the team");
	OTH_TOKEN = make_person(&ADM, EO, "member", NULL, "Olaf Outsider", NULL);
	ok(OTH_TOKEN != NULL, "a member of no team");
	MGR_TOKEN = make_person(&ADM, EG, "member", NULL, "Greta Manager", NULL);
	ok(MGR_TOKEN != NULL, "a person who will manage the team");
	MEM = uid_of(EM);
	OTH = uid_of(EO);
	MGR = uid_of(EG);
	add_member(&ADM, TD, MGR, "manager");
	is_str(ip_q("SELECT role FROM users WHERE id = $1", MGR, NULL), "manager", "... now a manager");

	/* --- a code for yourself --- */
	a0 = audit_max();
	a = api("POST", "/admin/devices/codes", ADM.token, "{\"device_name\":\"Admin laptop\"}");
	is_status(a, 201, "an enrollment code for yourself: 201");
	CODE = ip_jstr(a, "code");
	C1 = ip_jstr(a, "id");
	if (CODE == NULL)
		CODE = "";
	if (C1 == NULL)
		C1 = "0";
	like(CODE, CODE_RE, "the code: XXXX-XXXX-XXXX-XXXX of 0-9 and A-Z without I, L, O, U");
	is_str(ip_strf("%s %s %s", ip_jstr(a, "user_id"), ip_jstr(a, "device_name"),
	    ip_jstr(a, "kind")), ip_strf("%s Admin laptop agent", ADM.id),
	    "... for the caller, the device name, kind agent");
	EXP = ip_jstr(a, "expires_at");
	like(EXP, "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
	    "expires_at: an ISO 8601 UTC time");
	{
		const char *left = ip_q("SELECT round(extract(epoch FROM $1::timestamptz - now()))",
		    EXP ? EXP : "epoch", NULL);
		long l = left ? atol(left) : 0;

		ok(l >= 86400 - 120 && l <= 86400 + 5, "... about 24 hours ahead (%ld s)", l);
	}
	PLAIN = ip_strf("%s", CODE);
	for (p = (char *)PLAIN; *p; ) {
		if (*p == '-')
			memmove(p, p + 1, strlen(p));
		else
			p++;
	}
	is_str(ip_q("SELECT count(*) FROM enrollment_codes WHERE id = $1"
	    " AND code_hash = encode(sha256($2::bytea), 'hex') AND user_id = $3"
	    " AND created_by = $3 AND kind = 'agent' AND device_name = 'Admin laptop'"
	    " AND used_at IS NULL AND revoked_at IS NULL"
	    " AND expires_at BETWEEN now() + interval '23 hours 58 minutes' AND now() + interval '24 hours'",
	    C1, PLAIN, ADM.id, NULL), "1",
	    "stored: the SHA-256 of the code without dashes, for the caller, 24 h");
	is_str(ip_q("SELECT count(*) FROM enrollment_codes c WHERE strpos(row_to_json(c)::text, $1) > 0"
	    " OR strpos(row_to_json(c)::text, $2) > 0", PLAIN, CODE, NULL), "0",
	    "the code itself is stored nowhere in the table");
	aud = audit_last("device.code_create", C1);
	is_str(ip_strf("%s|%s|%s|%s", ip_jtext(aud, "actor_email"), ip_jtext(aud, "target_type"),
	    ip_jtext(aud, "target_label"), ip_jtext(aud, "before")),
	    ip_strf("%s|enrollment_code|Admin laptop|null", ADM.email), "audit: device.code_create");
	is_str(ip_jnorm(ip_jtext(aud, "after")), ip_strf("{\"device_name\":\"Admin laptop\","
	    "\"kind\":\"agent\",\"user_id\":%s}", ADM.id), "audit: after = whose, name, kind");
	unlike(aud, ip_strf("%s|%s", PLAIN, CODE), "... without the code");
	is_int(audit_since(a0), 1, "one audit row");
	unlike(ip_all_logs(), ip_strf("%s|%s", PLAIN, CODE), "the code is in no log");

	a = api("GET", "/admin/devices", ADM.token, NULL);
	is_status(a, 200, "GET /admin/devices: 200");
	o = find_by(a, "codes", "id", C1);
	is_str(o ? ip_strf("%s %s %s %s", ip_jval(o, "device_name"), ip_jval(o, "kind"),
	    ip_jval(o, "user_id"), ip_jval(o, "user_name")) : NULL,
	    ip_strf("Admin laptop agent %s %s", ADM.id, ADM.name), "the code is listed: name, kind, whose");
	like(o ? ip_jval(o, "expires") : NULL, "^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} [A-Z0-9+-]+$",
	    "... with when it expires");

	a = api("POST", "/admin/devices/codes", ADM.token,
	    "{\"device_name\":\"Admin phone\",\"kind\":\"phone\"}");
	is_str(ip_strf("%d %s", a->status, ip_jstr(a, "kind")), "201 phone", "a code for a phone: kind phone");
	a0 = audit_max();
	a = api("POST", "/admin/devices/codes", ADM.token, "{\"device_name\":\"Tablet\",\"kind\":\"tablet\"}");
	is_error(a, 400, "kind", "kind tablet: 400 naming kind");
	a = api("POST", "/admin/devices/codes", ADM.token, "{\"kind\":\"agent\"}");
	is_error(a, 400, "device_name", "no device name: 400 naming device_name");
	a = api("POST", "/admin/devices/codes", ADM.token,
	    ip_json("{ss}", "device_name", ip_repeat("d", 101)));
	is_error(a, 400, "device_name", "a device name of 101 characters: 400 naming device_name");
	a = api("POST", "/admin/devices/codes", ADM.token,
	    "{\"device_name\":\"Ghost\",\"user_id\":999999999}");
	is_error(a, 404, "user_id", "a code for a person who does not exist: 404 naming user_id");
	is_int(audit_since(a0), 0, "refusals write no audit row");
	a = api("POST", "/admin/devices/codes", ADM.token,
	    ip_json("{ss}", "device_name", ip_repeat("é", 100)));
	is_status(a, 201, "a device name of 100 × é: 201");
	is_str(ip_jstr(a, "device_name"), ip_repeat("é", 100), "... answered whole");
	api("POST", ip_strf("/admin/devices/codes/%s/revoke", ip_jstr(a, "id")), ADM.token, NULL);

	/* --- revoking codes --- */
	a0 = audit_max();
	a = api("POST", ip_strf("/admin/devices/codes/%s/revoke", C1), ADM.token, NULL);
	is_status(a, 200, "revoke an unused code: 200");
	is_str(ip_jstr(a, "status"), "revoked", "... status revoked");
	is_str(ip_q("SELECT revoked_at IS NOT NULL FROM enrollment_codes WHERE id = $1", C1, NULL), "t",
	    "... revoked_at is set");
	is_str(listed(C1, live_codes(ADM.token)), "no", "... and it is no longer listed");
	aud = audit_last("device.code_revoke", C1);
	is_str(ip_strf("%s|%s|%s", ip_jtext(aud, "actor_email"), ip_jtext(aud, "target_type"),
	    ip_jtext(aud, "target_label")), ip_strf("%s|enrollment_code|Admin laptop", ADM.email),
	    "audit: device.code_revoke");
	is_str(ip_strf("[%s,%s]", ip_jtext(aud, "before"), ip_jtext(aud, "after")),
	    "[{\"revoked\":false},{\"revoked\":true}]", "audit: revoked false -> true");
	a = api("POST", ip_strf("/admin/devices/codes/%s/revoke", C1), ADM.token, NULL);
	is_error(a, 409, "", "revoking it again: 409");
	is_int(audit_since(a0), 1, "one audit row");

	a = api("POST", "/admin/devices/codes", ADM.token, "{\"device_name\":\"Used one\"}");
	C2 = ip_jstr(a, "id");
	ip_exec("UPDATE enrollment_codes SET used_at = now() WHERE id = $1", C2, NULL);
	is_str(listed(C2, live_codes(ADM.token)), "no", "a used code is not listed");
	a = api("POST", ip_strf("/admin/devices/codes/%s/revoke", C2), ADM.token, NULL);
	is_error(a, 409, "", "a used code cannot be revoked: 409");
	is_str(ip_q("SELECT revoked_at IS NULL FROM enrollment_codes WHERE id = $1", C2, NULL), "t",
	    "... revoked_at stays empty");

	a = api("POST", "/admin/devices/codes", ADM.token, "{\"device_name\":\"Old one\"}");
	C3 = ip_jstr(a, "id");
	is_str(listed(C3, live_codes(ADM.token)), "yes", "a fresh code is listed");
	ip_exec("UPDATE enrollment_codes SET expires_at = now() - interval '1 minute' WHERE id = $1",
	    C3, NULL);
	is_str(listed(C3, live_codes(ADM.token)), "no", "an expired code is not listed");
	a = api("POST", "/admin/devices/codes/999999999/revoke", ADM.token, NULL);
	is_error(a, 404, "", "revoking a code that does not exist: 404");

	/* --- codes for other people --- */
	a = api("POST", "/admin/devices/codes", ADM.token,
	    ip_json("{sI ss}", "user_id", (json_int_t)atoll(MEM), "device_name", "Dana laptop"));
	is_str(ip_strf("%d %s", a->status, ip_jstr(a, "user_id")), ip_strf("201 %s", MEM),
	    "the admin makes a code for someone else: 201");
	CM = ip_jstr(a, "id");
	is_str(ip_q("SELECT user_id || ' ' || created_by FROM enrollment_codes WHERE id = $1", CM, NULL),
	    ip_strf("%s %s", MEM, ADM.id), "... theirs, made by the admin");

	a = api("POST", "/admin/devices/codes", MEM_TOKEN, "{\"device_name\":\"My laptop\"}");
	is_str(ip_strf("%d %s", a->status, ip_jstr(a, "user_id")), ip_strf("201 %s", MEM),
	    "a member makes a code for themselves: 201");
	CMS = ip_jstr(a, "id");
	like(ip_jstr(a, "code"), CODE_RE, "... in the same format");
	a = api("POST", "/admin/devices/codes", MEM_TOKEN,
	    ip_json("{sI ss}", "user_id", (json_int_t)atoll(MEM), "device_name", "My desktop"));
	is_status(a, 201, "... naming themselves as user_id: 201");
	a0 = audit_max();
	a = api("POST", "/admin/devices/codes", MEM_TOKEN,
	    ip_json("{sI ss}", "user_id", (json_int_t)atoll(OTH), "device_name", "Not mine"));
	is_error(a, 404, "user_id", "a member making a code for someone else: 404 naming user_id");
	a = api("POST", "/admin/devices/codes", MEM_TOKEN,
	    ip_json("{sI ss}", "user_id", (json_int_t)atoll(ADM.id), "device_name", "Not mine"));
	is_error(a, 404, "user_id", "... for the admin: 404 too");
	is_str(ip_q("SELECT count(*) FROM enrollment_codes WHERE device_name = 'Not mine'", NULL), "0",
	    "... no code was made");
	is_int(audit_since(a0), 0, "... and no audit row");

	a = api("GET", "/admin/devices", MEM_TOKEN, NULL);
	is_status(a, 200, "a member may list devices");
	is_str(collect(a, "codes", "user_id", 1), MEM, "... and sees only their own codes");
	is_int(json_array_size(ip_jget(a, "codes")), 3, "... all three of them");

	a = api("POST", "/admin/devices/codes", ADM.token,
	    ip_json("{sI ss}", "user_id", (json_int_t)atoll(OTH), "device_name", "Olaf laptop"));
	CO = ip_jstr(a, "id");
	a = api("POST", ip_strf("/admin/devices/codes/%s/revoke", CO), MEM_TOKEN, NULL);
	is_error(a, 404, "", "a member revoking someone else's code: 404");
	is_str(ip_q("SELECT revoked_at IS NULL FROM enrollment_codes WHERE id = $1", CO, NULL), "t",
	    "... it stays usable");
	a = api("POST", ip_strf("/admin/devices/codes/%s/revoke", CMS), MEM_TOKEN, NULL);
	is_status(a, 200, "a member revoking their own code: 200");

	a = api("POST", "/admin/devices/codes", MGR_TOKEN,
	    ip_json("{sI ss}", "user_id", (json_int_t)atoll(MEM), "device_name", "For Dana"));
	is_str(ip_strf("%d %s", a->status, ip_jstr(a, "user_id")), ip_strf("201 %s", MEM),
	    "a manager makes a code for their team's member: 201");
	a = api("POST", "/admin/devices/codes", MGR_TOKEN,
	    ip_json("{sI ss}", "user_id", (json_int_t)atoll(OTH), "device_name", "For Olaf"));
	is_error(a, 404, "user_id", "... but not for someone outside their teams: 404 naming user_id");
	a = api("POST", ip_strf("/admin/devices/codes/%s/revoke", CO), MGR_TOKEN, NULL);
	is_error(a, 404, "", "... nor revoke that person's code: 404");

	/* --- revoking devices --- */
	DV = ip_q("INSERT INTO devices (user_id, name, token_hash) VALUES ($1, 'laptop',"
	    " encode(sha256($2::bytea), 'hex')) RETURNING id", OTH, ip_strf("sometoken-%s", tag), NULL);
	ok(DV != NULL && *DV, "a device of the outsider (SQL)");
	a = api("POST", ip_strf("/admin/devices/%s/revoke", DV), MEM_TOKEN, NULL);
	is_error(a, 404, "", "a member revoking someone else's device: 404");
	a = api("POST", ip_strf("/admin/devices/%s/revoke", DV), MGR_TOKEN, NULL);
	is_error(a, 404, "", "a manager revoking a device outside their teams: 404");
	is_str(ip_q("SELECT (revoked_at IS NULL) || ' ' || (token_hash IS NOT NULL) FROM devices"
	    " WHERE id = $1", DV, NULL), "true true", "... the device still works");
	a0 = audit_max();
	a = api("POST", ip_strf("/admin/devices/%s/revoke", DV), ADM.token, NULL);
	is_status(a, 200, "the admin revokes it: 200");
	is_str(ip_jstr(a, "status"), "revoked", "... status revoked");
	is_str(ip_q("SELECT (revoked_at IS NOT NULL) || ' ' || (token_hash IS NULL) || ' ' ||"
	    " (hmac_secret IS NULL) FROM devices WHERE id = $1", DV, NULL), "true true true",
	    "revoked_at set, token_hash and secret gone");
	aud = audit_last("device.revoke", DV);
	is_str(ip_strf("%s|%s|%s", ip_jtext(aud, "actor_email"), ip_jtext(aud, "target_type"),
	    ip_jtext(aud, "target_label")), ip_strf("%s|device|laptop", ADM.email), "audit: device.revoke");
	is_str(ip_strf("[%s,%s]", ip_jtext(aud, "before"), ip_jtext(aud, "after")),
	    "[{\"revoked\":false},{\"revoked\":true}]", "audit: revoked false -> true");
	a = api("POST", ip_strf("/admin/devices/%s/revoke", DV), ADM.token, NULL);
	is_error(a, 409, "", "revoking it again: 409");
	is_int(audit_since(a0), 1, "one audit row");
	a = api("POST", "/admin/devices/999999999/revoke", ADM.token, NULL);
	is_error(a, 404, "", "revoking a device that does not exist: 404");

	DM = make_device(MEM, "dana desk", NULL, NULL);
	a = api("POST", ip_strf("/admin/devices/%s/revoke", DM), MEM_TOKEN, NULL);
	is_status(a, 200, "a member revokes their own device: 200");
	DM2 = make_device(MEM, "dana tower", NULL, NULL);
	a = api("POST", ip_strf("/admin/devices/%s/revoke", DM2), MGR_TOKEN, NULL);
	is_status(a, 200, "a manager revokes their team member's device: 200");

	/* --- status --- */
	make_device(OTH, "st-never", NULL, NULL);
	make_device(OTH, "st-online", "now()", NULL);
	make_device(OTH, "st-idle", "now() - interval '10 minutes'", NULL);
	make_device(OTH, "st-offline", "now() - interval '2 hours'", NULL);
	make_device(OTH, "st-revoked", "now()", "now()");
	a = api("GET", ip_strf("/admin/devices?user=%s", OTH), ADM.token, NULL);
	{
		json_t *arr = ip_jget(a, "devices");
		size_t i, n = 0;
		const char *v[16];
		const char *out = "";

		json_array_foreach(arr, i, o)
			if (strncmp(ip_jval(o, "name"), "st-", 3) == 0 && n < 16)
				v[n++] = ip_strf("%s=%s", ip_jval(o, "name"), ip_jval(o, "status"));
		qsort(v, n, sizeof(v[0]), cmp_str);
		for (i = 0; i < n; i++)
			out = ip_strf("%s%s%s", out, i ? " " : "", v[i]);
		is_str(out, "st-idle=idle st-never=never st-offline=offline st-online=online st-revoked=revoked",
		    "status: never, online, idle (10 min), offline (2 h), revoked");
	}
	is_str(collect(a, "devices", "user_id", 1), OTH, "?user=ID: only that person's devices");
	is_str(collect(a, "codes", "user_id", 1), OTH, "... and codes");
	o = find_by(a, "devices", "name", "st-never");
	ok(o != NULL && (ip_jval(o, "last_seen") == NULL || strcmp(ip_jval(o, "last_seen"), "") == 0 ||
	    strcmp(ip_jval(o, "last_seen"), "null") == 0), "never seen: no last_seen");
	o = find_by(a, "devices", "name", "st-online");
	like(o ? ip_jval(o, "last_seen") : NULL, "^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} [A-Z0-9+-]+$",
	    "online: last_seen");
	a = api("GET", "/admin/devices?user=abc", ADM.token, NULL);
	is_error(a, 400, "user", "?user=abc: 400 naming user");

	a = api("GET", "/admin/devices", MGR_TOKEN, NULL);
	is_str(collect(a, "devices", "user_id", 1), MEM,
	    "the manager sees their team's devices, not the outsider's");
	a = api("GET", "/admin/devices", OTH_TOKEN, NULL);
	is_str(collect(a, "devices", "user_id", 1), OTH, "the outsider sees only their own devices");
	clear_lockouts();
	return ip_done();
}
