/* ingest.fcgi in process: the enrollment exchange and the agent policy,
 * every declared field rule, the device token in all its wrong forms,
 * the error answers of the program (404, 405, 413, 415, malformed JSON,
 * invalid UTF-8), and database failures provoked through real requests:
 * a unique violation, a failing statement, a serialization failure, a
 * connection lost.  Codes are inserted with SQL, as an admin's page would
 * make them; each run uses its own tag, so runs never collide. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "crypto.h"
#include "ingest.h"
#include "admin_flows.h"
#include "check.h"

static const struct wt_app *ingest = &ingest_app;
static const char *tag;
static long long uid;
static const char *uid_s;

/* A one-time code for the person, as the admin pages make them:
 * XXXX-XXXX-XXXX-XXXX in Crockford's base32, only its hash stored. */
static const char *
new_code(long long owner, const char *kind, const char *name, const char *expires)
{
	static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	unsigned char rnd[16];
	char plain[17], hash[65];

	if (random_bytes(rnd, sizeof(rnd)) != 0)
		return NULL;
	for (int i = 0; i < 16; i++)
		plain[i] = alphabet[rnd[i] & 31];
	plain[16] = '\0';
	sha256_hex(plain, 16, hash);
	if (ip_exec("INSERT INTO enrollment_codes (code_hash, user_id, kind, device_name,"
	    " expires_at) VALUES ($1, $2, $3, $4, now() + $5::interval)",
	    hash, ip_strf("%lld", owner), kind, name, expires ? expires : "1 hour", NULL) != 0)
		return NULL;
	return ip_strf("%.4s-%.4s-%.4s-%.4s", plain, plain + 4, plain + 8, plain + 12);
}

static struct ip_resp *
enroll(const char *json)
{
	return IP(ingest, .method = "POST", .path = "/api/v1/enroll", .json = json);
}

static struct ip_resp *
policy(const char *token)
{
	return IP(ingest, .path = "/api/v1/agent/config", .bearer = token);
}

static char *
lower_nodash(const char *code)
{
	char *s = ip_strf("%s", code), *w = s;

	for (const char *p = code; *p; p++)
		if (*p != '-')
			*w++ = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	*w = '\0';
	return s;
}

static void
life_cycle(void)
{
	const char *code, *token, *did, *settings;
	struct ip_resp *a;

	code = new_code(uid, "agent", ip_strf("laptop %s", tag), NULL);
	ok(code != NULL, "a code for the member's laptop");
	a = enroll(ip_json("{ss ss ss ss}", "code", lower_nodash(code),
	    "hostname", ip_strf("box-%s", tag), "os", "Debian 12", "agent_version", "0.1.0"));
	is_status(a, 201, "the agent exchanges the code (typed in lower case, no dashes)");
	like(ip_header(a, "Content-Type"), "^application/json", "... and reads JSON");
	token = ip_jstr(a, "token");
	did = ip_jstr(a, "device_id");
	like(token, "^[0-9a-f]{64}$", "it gets a 256-bit device token");
	is_str(ip_jstr(a, "hmac_secret"), "", "an agent gets no phone secret");
	is_str(ip_jstr(a, "kind"), "agent", "... the kind");
	is_str(ip_jstr(a, "name"), ip_strf("laptop %s", tag), "... and the name the admin gave");
	is_str(ip_q("SELECT token_hash = encode(sha256($1::bytea), 'hex') FROM devices"
	    " WHERE id = $2", token, did, NULL), "t", "only the token's SHA-256 is stored");
	is_str(ip_q("SELECT user_id || ' ' || hostname || ' ' || os || ' ' || agent_version"
	    " FROM devices WHERE id = $1", did, NULL),
	    ip_strf("%s box-%s Debian 12 0.1.0", uid_s, tag),
	    "the device belongs to the member and records host, system and version");
	is_str(ip_q("SELECT used_at IS NOT NULL FROM enrollment_codes WHERE device_id = $1",
	    did, NULL), "t", "the code is spent and points at the device");
	like(a->log, "\"event\":\"enroll\"", "the enrollment is logged");
	unlike(a->log, token, "... without the token");

	a = enroll(ip_json("{ss}", "code", code));
	is_status(a, 400, "the same code a second time: 400");
	is_str(ip_jstr(a, "field"), "code", "... naming the code");
	like(ip_jstr(a, "message"), "not valid", "... saying it is not valid");
	is_str(ip_q("SELECT count(*) FROM devices WHERE user_id = $1", uid_s, NULL), "1",
	    "... and no second device");

	a = policy(token);
	is_status(a, 200, "the agent reads its policy with the token");
	settings = ip_q("SELECT idle_timeout_s || ' ' || screenshot_mode FROM settings", NULL);
	is_str(ip_jstr(a, "device.id"), did, "the policy names the device");
	is_str(ip_strf("%s %s", ip_jstr(a, "idle_timeout_s"), ip_jstr(a, "screenshots.mode")),
	    settings, "... and has the idle timeout and the screenshot mode of the settings");
	is_str(ip_jstr(a, "device.name"), ip_strf("laptop %s", tag), "... and the device's name");
	is_str(ip_jstr(a, "poll_interval_s"), "300", "... and how often to ask again");
	is_str(ip_strf("%s %s %s %s", ip_jstr(a, "screenshots.interval_min"),
	    ip_jstr(a, "screenshots.from_hour"), ip_jstr(a, "screenshots.to_hour"),
	    ip_jstr(a, "screenshots.blur")),
	    ip_q("SELECT screenshot_interval_min || ' ' || screenshot_from_hour || ' ' ||"
	    " screenshot_to_hour || ' ' || screenshot_blur FROM settings", NULL),
	    "... and the screenshot schedule as the settings say");

	ip_exec("UPDATE devices SET last_seen_at = now() - interval '1 hour' WHERE id = $1",
	    did, NULL);
	a = policy(token);
	is_status(a, 200, "a device not seen for an hour asks again");
	is_str(ip_q("SELECT last_seen_at > now() - interval '1 minute' FROM devices"
	    " WHERE id = $1", did, NULL), "t", "... and is marked as seen now");

	/* The device token in all its wrong forms. */
	a = policy(NULL);
	is_status(a, 401, "without a token: 401");
	like(ip_header(a, "WWW-Authenticate"), "^Bearer", "... asking for a bearer token");
	like(ip_jstr(a, "message"), "Authorization: Bearer", "... saying how to send it");
	a = policy(ip_repeat("0", 64));
	is_status(a, 401, "an unknown token: 401");
	like(ip_header(a, "WWW-Authenticate"), "invalid_token", "... called invalid");
	a = policy(ip_repeat("a", 63));
	is_status(a, 401, "a token of the wrong length: 401");
	a = policy(ip_strf("%s ", token));
	is_status(a, 401, "the token with a space after it: 401");
	a = IP(ingest, .path = "/api/v1/agent/config", .authorization = ip_strf("Basic %s", token));
	is_status(a, 401, "the token sent as Basic: 401");
	a = IP(ingest, .path = "/api/v1/agent/config",
	    .authorization = ip_strf("bearer %s", token));
	is_status(a, 200, "the scheme is case-insensitive (bearer)");
	a = policy(ip_token(uid));
	is_status(a, 401, "a person's access token is not a device token: 401");
	a = IP(ingest, .path = "/api/v1/agent/config", .bearer = token,
	    .headers = { "X-CSRF-Token: x" });
	is_status(a, 200, "a stray CSRF header does not matter to a device");

	ip_exec("UPDATE devices SET revoked_at = now() WHERE id = $1", did, NULL);
	a = policy(token);
	is_status(a, 401, "a revoked device's token stops working at once");
	like(ip_jstr(a, "message"), "revoked", "... saying it may be revoked");
}

static void
codes(void)
{
	const char *code, *ptoken;
	struct ip_resp *a;
	long long other;

	code = new_code(uid, "agent", ip_strf("spare %s", tag), NULL);
	ip_exec("UPDATE enrollment_codes SET revoked_at = now() WHERE device_name = $1",
	    ip_strf("spare %s", tag), NULL);
	a = enroll(ip_json("{ss}", "code", code));
	is_status(a, 400, "a revoked code cannot be exchanged");

	code = new_code(uid, "agent", ip_strf("late %s", tag), "-1 second");
	a = enroll(ip_json("{ss}", "code", code));
	is_status(a, 400, "an expired code cannot be exchanged");

	other = ip_user(ip_strf("gone.%s@example.com", tag), "Gone", "member", NULL);
	code = new_code(other, "agent", ip_strf("gone %s", tag), NULL);
	ip_exec("UPDATE users SET status = 'disabled' WHERE id = $1",
	    ip_strf("%lld", other), NULL);
	a = enroll(ip_json("{ss}", "code", code));
	is_status(a, 400, "the code of a deactivated person cannot be exchanged");

	code = new_code(uid, "agent", ip_strf("typed %s", tag), NULL);
	a = enroll(ip_json("{ss}", "code", ip_strf("  %s ", code)));
	is_status(a, 201, "spaces around the code do not matter");

	code = new_code(uid, "agent", ip_strf("form %s", tag), NULL);
	a = IP(ingest, .method = "POST", .path = "/api/v1/enroll",
	    .form = ip_strf("code=%s&hostname=%s", ip_urlenc(code), ip_urlenc("form host")));
	is_status(a, 201, "a form body works as well as JSON");
	like(ip_header(a, "Content-Type"), "^application/json", "... and is answered in JSON");

	code = new_code(uid, "phone", ip_strf("phone %s", tag), NULL);
	a = enroll(ip_json("{ss}", "code", code));
	is_status(a, 201, "a phone enrolls");
	is_str(ip_jstr(a, "kind"), "phone", "... as a phone");
	like(ip_jstr(a, "hmac_secret"), "^[0-9a-f]{64}$", "... and gets its HMAC secret");
	is_str(ip_q("SELECT hmac_secret FROM devices WHERE id = $1",
	    ip_jstr(a, "device_id"), NULL), ip_jstr(a, "hmac_secret"),
	    "... which the server keeps to check its signatures");
	ptoken = ip_jstr(a, "token");
	a = policy(ptoken);
	is_status(a, 200, "the phone's token works");

	/* Deactivating the owner stops their devices too. */
	ip_exec("UPDATE users SET status = 'disabled' WHERE id = $1", uid_s, NULL);
	a = policy(ptoken);
	is_status(a, 401, "a deactivated person's devices are refused");
	ip_exec("UPDATE users SET status = 'active' WHERE id = $1", uid_s, NULL);
	a = policy(ptoken);
	is_status(a, 200, "... and work again when the person is reactivated");
}

/* The core issue's regression: a device name of 100 × "é" (200 bytes)
 * used to be cut mid-character in a 104-byte buffer, and the exchange
 * answered 503 every time. */
static void
long_names(void)
{
	static const struct { const char *ch, *what; } names[] = {
		{ "é", "100 × é (two bytes each)" },
		{ "€", "100 × € (three bytes each)" },
		{ "😀", "100 × 😀 (four bytes each)" },
		{ "a", "100 × a" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *name = ip_repeat(names[i].ch, 100), *code;
		struct ip_resp *a;

		code = new_code(uid, "agent", name, NULL);
		ok(code != NULL, "a code for a device named %s", names[i].what);
		a = enroll(ip_json("{ss}", "code", code));
		is_status(a, 201, ip_strf("%s: enrolls with 201", names[i].what));
		is_str(ip_jstr(a, "name"), name, ip_strf("%s: the name comes back intact",
		    names[i].what));
		is_str(ip_q("SELECT name FROM devices WHERE id = $1", ip_jstr(a, "device_id"),
		    NULL), name, ip_strf("%s: and is stored intact", names[i].what));
		a = policy(ip_jstr(a, "token"));
		is_str(ip_jstr(a, "device.name"), name,
		    ip_strf("%s: the policy names the device intact", names[i].what));
	}
}

/* Every rule of enroll_fields, each answered 400 naming its field. */
static void
field_rules(void)
{
	static const struct { const char *field; size_t max; } lengths[] = {
		{ "hostname", 255 }, { "os", 100 }, { "agent_version", 50 },
	};
	const char *code = new_code(uid, "agent", ip_strf("rules %s", tag), NULL);
	struct ip_resp *a;

	a = enroll("{\"hostname\":\"x\"}");
	is_status(a, 400, "no code: 400");
	is_str(ip_jstr(a, "field"), "code", "... naming it");
	like(ip_jstr(a, "message"), "^code is required", "... saying it is required");
	a = enroll("{\"code\":\"\"}");
	is_str(ip_jstr(a, "field"), "code", "an empty code is no code: 400 naming it");
	a = enroll("{\"code\":null}");
	is_str(ip_jstr(a, "field"), "code", "a null code is no code: 400 naming it");
	a = enroll("{\"code\":\"hello\"}");
	is_status(a, 400, "a malformed code: 400");
	like(ip_jstr(a, "message"), "16-character code", "... saying what a code looks like");
	a = enroll(ip_json("{ss}", "code", ip_strf("%s0", code)));
	is_status(a, 400, "a code with a 17th symbol: 400");
	is_str(ip_jstr(a, "field"), "code", "... naming it");
	a = enroll(ip_json("{ss}", "code", ip_repeat("A", 33)));
	is_status(a, 400, "a code over 32 characters: 400");
	like(ip_jstr(a, "message"), "at most 32 characters", "... saying the limit");
	a = enroll("{\"code\":1234567890123456}");
	is_status(a, 400, "a code sent as a number: 400");
	like(ip_jstr(a, "message"), "must be a JSON string", "... asking for a string");
	a = enroll("{\"code\":\"ABCD-EFGH-JKMN-PQRU\"}");
	is_status(a, 400, "a code with a letter base32 leaves out (U): 400");
	a = enroll("{\"code\":\"ABCD\\u0001EFGHJKMNPQRS\"}");
	is_status(a, 400, "a code with a control character: 400");
	like(ip_jstr(a, "message"), "control characters", "... saying so");
	a = enroll("[\"code\"]");
	is_status(a, 400, "a JSON body that is not an object: 400");
	like(ip_jstr(a, "message"), "must be an object", "... saying so");
	a = enroll(ip_json("{ss ss}", "code", code, "hostname", "a\tb"));
	is_status(a, 201, "a tab in a host name is text, not a control character to refuse");
	code = new_code(uid, "agent", ip_strf("rules2 %s", tag), NULL);
	a = IP(ingest, .method = "POST", .path = "/api/v1/enroll",
	    .form = ip_strf("code=%s&code=%s", code, code));
	is_status(a, 400, "the code given twice in a form: 400");
	like(ip_jstr(a, "message"), "more than once", "... saying so");

	for (size_t i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
		const char *f = lengths[i].field;

		a = enroll(ip_json("{ss ss}", "code", code, f, ip_repeat("é", lengths[i].max + 1)));
		is_status(a, 400, ip_strf("%s of %zu characters: 400", f, lengths[i].max + 1));
		is_str(ip_jstr(a, "field"), f, ip_strf("... naming %s", f));
		like(ip_jstr(a, "message"), ip_strf("at most %zu characters", lengths[i].max),
		    ip_strf("... saying %s's limit", f));
		a = enroll(ip_json("{ss si}", "code", code, f, 7));
		is_status(a, 400, ip_strf("%s sent as a number: 400", f));
		is_str(ip_jstr(a, "field"), f, ip_strf("... naming %s", f));
	}
	is_str(ip_q("SELECT used_at IS NULL FROM enrollment_codes WHERE device_name = $1",
	    ip_strf("rules2 %s", tag), NULL), "t", "a refused request does not spend the code");
	a = enroll(ip_json("{ss ss ss ss}", "code", code,
	    "hostname", ip_repeat("é", 255), "os", ip_repeat("é", 100),
	    "agent_version", ip_repeat("é", 50)));
	is_status(a, 201, "every field at its longest is accepted");
	is_str(ip_q("SELECT length(hostname) || ' ' || length(os) || ' ' || length(agent_version)"
	    " FROM devices WHERE id = $1", ip_jstr(a, "device_id"), NULL), "255 100 50",
	    "... and stored whole");
}

static void
protocol_errors(void)
{
	struct ip_resp *a;
	char *big;
	size_t max = (size_t)wt_cfg.http_max_body;

	a = IP(ingest, .path = "/healthz");
	is_status(a, 200, "GET /healthz: 200");
	is_str(ip_jstr(a, "db"), "ok", "... the database is ok");

	a = IP(ingest, .path = "/api/v1/nothing-here");
	is_status(a, 404, "an unknown API path: 404");
	like(ip_header(a, "Content-Type"), "^application/json", "... answered as JSON without asking");
	is_str(ip_jstr(a, "request_id"), a->request_id, "... with the request id");

	a = IP(ingest, .path = "/api/v1/enroll");
	is_status(a, 405, "GET /api/v1/enroll: 405");
	is_str(ip_header(a, "Allow"), "POST", "... Allow: POST");
	a = IP(ingest, .method = "DELETE", .path = "/api/v1/agent/config");
	is_status(a, 405, "DELETE /api/v1/agent/config: 405");
	is_str(ip_header(a, "Allow"), "GET, HEAD", "... Allow: GET, HEAD");
	a = IP(ingest, .method = "PUT", .path = "/api/v1/enroll", .json = "{}");
	is_status(a, 405, "PUT /api/v1/enroll: 405");
	is_str(ip_jstr(a, "error"), "Method Not Allowed", "... in JSON");

	a = IP(ingest, .method = "POST", .path = "/api/v1/enroll", .body = "code=x",
	    .content_type = "text/plain");
	is_status(a, 415, "enroll with text/plain: 415");
	like(ip_jstr(a, "message"), "application/json", "... saying what to send");
	a = IP(ingest, .method = "POST", .path = "/api/v1/enroll", .body = "{}",
	    .content_type = "application/jsonx");
	is_status(a, 415, "a media type that only begins like JSON: 415");
	a = IP(ingest, .method = "POST", .path = "/api/v1/enroll", .body = "{\"code\":1}",
	    .content_type = "application/json; charset=utf-8");
	is_status(a, 400, "application/json with a charset is JSON (the code is then refused)");
	is_str(ip_jstr(a, "field"), "code", "... naming the code");

	a = enroll("{\"code\":");
	is_status(a, 400, "malformed JSON: 400");
	like(ip_jstr(a, "message"), "malformed JSON", "... saying so");
	a = enroll("{\"code\":\"\\u0000\"}");
	is_status(a, 400, "a NUL in a JSON string: 400");
	a = enroll("{\"code\":\"\xc3\x28\"}");
	is_status(a, 400, "invalid UTF-8 in a JSON string: 400");

	big = xmalloc(max + 2);
	memset(big, ' ', max + 1);
	big[0] = '{';
	big[max] = '}';
	big[max + 1] = '\0';
	a = enroll(big);
	is_status(a, 413, "a body over http.max_body: 413");
	like(ip_jstr(a, "message"), "bytes; at most", "... saying the limit");
	free(big);

	a = IP(ingest, .path = "/api/v1/agent/config/%FF");
	is_status(a, 400, "invalid UTF-8 in the path: 400");
	like(ip_jstr(a, "message"), "UTF-8", "... saying so");
	a = IP(ingest, .method = "POST", .path = "/api/v1/enroll?x=%FF", .json = "{}");
	is_status(a, 400, "invalid UTF-8 in the query: 400");
	like(ip_jstr(a, "message"), "UTF-8", "... saying so");
	a = IP(ingest, .path = "/api/v1/agent/config.json", .bearer = ip_repeat("0", 64));
	is_status(a, 401, "the .json twin of the policy needs the token as well");
}

/* Database failures through real requests.  Triggers and an index that
 * fire only on this run's host names provoke each SQLSTATE class; they
 * are dropped at the end. */
static void
database_errors(void)
{
	const char *code, *fn = ip_strf("inproc_fail_%s", tag);
	const char *idx = ip_strf("inproc_dup_%s", tag), *seq = ip_strf("inproc_seq_%s", tag);
	struct ip_resp *a;

	ok(ip_exec(ip_strf("CREATE UNIQUE INDEX %s ON devices (hostname)"
	    " WHERE hostname = 'dup-%s'", idx, tag), NULL) == 0 &&
	   ip_exec(ip_strf("CREATE SEQUENCE %s", seq), NULL) == 0 &&
	   ip_exec(ip_strf("CREATE FUNCTION %s() RETURNS trigger LANGUAGE plpgsql AS $f$"
	    " BEGIN"
	    "  IF NEW.hostname = 'boom-%s' THEN PERFORM 1 / 0; END IF;"
	    "  IF NEW.hostname = 'busy-%s' THEN"
	    "   RAISE EXCEPTION 'could not serialize' USING ERRCODE = '40001'; END IF;"
	    "  IF NEW.hostname = 'once-%s' AND nextval('%s') = 1 THEN"
	    "   RAISE EXCEPTION 'could not serialize' USING ERRCODE = '40001'; END IF;"
	    "  IF NEW.hostname = 'down-%s' THEN"
	    "   RAISE EXCEPTION 'shutting down' USING ERRCODE = '57P01'; END IF;"
	    "  RETURN NEW;"
	    " END $f$", fn, tag, tag, tag, seq, tag), NULL) == 0 &&
	   ip_exec(ip_strf("CREATE TRIGGER %s BEFORE INSERT ON devices FOR EACH ROW"
	    " WHEN (NEW.hostname LIKE '%%-%s') EXECUTE FUNCTION %s()", fn, tag, fn), NULL) == 0,
	    "a failing trigger and a unique index for this run's host names");

	/* Unique violation: 409, in words. */
	code = new_code(uid, "agent", ip_strf("dup1 %s", tag), NULL);
	a = enroll(ip_json("{ss ss}", "code", code, "hostname", ip_strf("dup-%s", tag)));
	is_status(a, 201, "the first device with a host name: 201");
	code = new_code(uid, "agent", ip_strf("dup2 %s", tag), NULL);
	a = enroll(ip_json("{ss ss}", "code", code, "hostname", ip_strf("dup-%s", tag)));
	is_status(a, 409, "a unique violation: 409");
	is_str(ip_jstr(a, "error"), "Conflict", "... Conflict");
	like(ip_jstr(a, "message"), "^[a-z][a-z ]+$", "... with a message in words");
	unlike(a->body, "23505|inproc_dup|duplicate key|devices", "... and nothing of the SQL");
	like(a->log, "\"sqlstate\":\"23505\"", "the log has the SQL state");
	like(a->log, "\"stmt\":\"ingest_device_insert\"", "... and names the statement");
	unlike(a->log, "\"level\":\"error\"", "... not as an error (the client's doing)");
	is_str(ip_q("SELECT used_at IS NULL FROM enrollment_codes WHERE device_name = $1",
	    ip_strf("dup2 %s", tag), NULL), "t", "the code is not spent: all was rolled back");
	a = enroll(ip_json("{ss ss}", "code", code, "hostname", ip_strf("dup2-x-%s", tag)));
	is_status(a, 201, "... so the same code then works");

	/* A statement failing with a state that is no constraint: 500. */
	code = new_code(uid, "agent", ip_strf("boom %s", tag), NULL);
	a = enroll(ip_json("{ss ss}", "code", code, "hostname", ip_strf("boom-%s", tag)));
	is_status(a, 500, "a statement failing with division by zero: 500");
	like(ip_jstr(a, "message"), "error is logged", "... saying the error is logged");
	unlike(a->body, "22012|division|ingest_device_insert|devices",
	    "... and the body has neither the SQL state nor the statement");
	is_str(ip_jstr(a, "request_id"), a->request_id, "... but has the request id to look for");
	like(a->log, "\"event\":\"db_failed\"[^\n]*\"stmt\":\"ingest_device_insert\"",
	    "the log line names the statement");
	like(a->log, "\"stmt\":\"ingest_device_insert\",\"sqlstate\":\"22012\"",
	    "... and the SQL state");
	like(a->log, ip_strf("\"req\":\"%s\"", a->request_id), "... under the request id");
	is_str(ip_q("SELECT used_at IS NULL FROM enrollment_codes WHERE device_name = $1",
	    ip_strf("boom %s", tag), NULL), "t", "... and the code is not spent");

	/* A serialization failure: run once more, then 503. */
	code = new_code(uid, "agent", ip_strf("once %s", tag), NULL);
	a = enroll(ip_json("{ss ss}", "code", code, "hostname", ip_strf("once-%s", tag)));
	is_status(a, 201, "a serialization failure the first time: the handler runs again, 201");
	like(a->log, "\"event\":\"db_retry\"", "... after logging the retry");
	is_str(ip_q("SELECT count(*) FROM devices WHERE hostname = $1",
	    ip_strf("once-%s", tag), NULL), "1", "... and one device, not two");
	code = new_code(uid, "agent", ip_strf("busy %s", tag), NULL);
	a = enroll(ip_json("{ss ss}", "code", code, "hostname", ip_strf("busy-%s", tag)));
	is_status(a, 503, "a serialization failure twice: 503");
	is_str(ip_header(a, "Retry-After"), "1", "... with Retry-After: 1");
	unlike(a->body, "40001", "... and no SQL state in the body");

	/* The database going away (57P, 08): 503 with Retry-After. */
	code = new_code(uid, "agent", ip_strf("down %s", tag), NULL);
	a = enroll(ip_json("{ss ss}", "code", code, "hostname", ip_strf("down-%s", tag)));
	is_status(a, 503, "the server shutting down (57P01): 503");
	is_str(ip_header(a, "Retry-After"), "5", "... with Retry-After: 5");
	like(ip_jstr(a, "message"), "database is unavailable", "... in words");
	is_int(ip_kill_app_conn(), 1, "the program's connection is cut");
	a = enroll(ip_json("{ss ss}", "code", code, "hostname", ip_strf("up-%s", tag)));
	is_status(a, 503, "a write on a lost connection is not retried: 503");
	is_str(ip_header(a, "Retry-After"), "5", "... with Retry-After: 5");
	a = enroll(ip_json("{ss ss}", "code", code, "hostname", ip_strf("up-%s", tag)));
	is_status(a, 201, "the next request has a new connection: 201 with the same code");
	is_int(ip_kill_app_conn(), 1, "the connection is cut again");
	a = IP(ingest, .path = "/healthz");
	is_status(a, 200, "an idempotent read on a lost connection is retried: 200");

	ok(ip_exec(ip_strf("DROP TRIGGER %s ON devices", fn), NULL) == 0 &&
	   ip_exec(ip_strf("DROP FUNCTION %s()", fn), NULL) == 0 &&
	   ip_exec(ip_strf("DROP SEQUENCE %s", seq), NULL) == 0 &&
	   ip_exec(ip_strf("DROP INDEX %s", idx), NULL) == 0, "the trigger and index are dropped");
}

/* The device life cycle as people drive it (was tests/api/26_enroll.t):
 * a member makes the code on the admin pages, the agent exchanges it,
 * the admin revokes the device, and deactivating the owner stops their
 * devices too. */
static void
through_admin(void)
{
	const char *pw = "Harbor-Lantern-Quietly-84", *member, *mid, *user_token, *code, *typed,
	    *dtoken, *did, *cid, *ptoken;
	struct admin adm;
	struct ip_resp *a;
	json_t *o;
	size_t i;

	make_admin(&adm);
	member = ip_strf("dev2.%s@example.com", tag);
	mid = ip_strf("%lld", make_user(member, ip_strf("Dev %s", tag), pw, "member"));
	user_token = token_for(member, pw, NULL);
#define NEW_CODE(name, kind) ip_jstr(api("POST", "/admin/devices/codes", user_token, \
	    ip_json("{ss ss}", "device_name", (name), "kind", (kind))), "code")

	code = NEW_CODE(ip_strf("laptop 26 %s", tag), "agent");
	like(code, "^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$",
	    "a member makes a code for their own laptop");
	typed = lower_nodash(code ? code : "");
	a = enroll(ip_json("{ss ss ss ss}", "code", typed, "hostname", ip_strf("box-%s", tag),
	    "os", "Debian 12", "agent_version", "0.1.0"));
	is_status(a, 201, "the agent exchanges the code (typed in lower case, no dashes)");
	dtoken = ip_jstr(a, "token");
	did = ip_jstr(a, "device_id");
	like(dtoken, "^[0-9a-f]{64}$", "it gets a 256-bit device token");
	is_str(ip_jstr(a, "hmac_secret"), "", "an agent gets no phone secret");
	is_str(ip_q("SELECT token_hash = encode(sha256($1::bytea), 'hex') FROM devices WHERE id = $2",
	    dtoken, did, NULL), "t", "only the token's SHA-256 is stored");
	is_str(ip_q("SELECT user_id || ' ' || hostname || ' ' || os || ' ' || agent_version FROM devices"
	    " WHERE id = $1", did, NULL), ip_strf("%s box-%s Debian 12 0.1.0", mid, tag),
	    "the device belongs to the member and records host, system and version");
	is_str(ip_q("SELECT used_at IS NOT NULL AND device_id = $1 FROM enrollment_codes"
	    " WHERE device_id = $1", did, NULL), "t", "the code is spent and points at the device");

	a = enroll(ip_json("{ss}", "code", code));
	is_status(a, 400, "the same code a second time: 400");
	is_str(ip_jstr(a, "field"), "code", "... naming the code");
	is_str(ip_q("SELECT count(*) FROM devices WHERE user_id = $1", mid, NULL), "1",
	    "... and no second device");

	a = policy(dtoken);
	is_status(a, 200, "the agent reads its policy with the token");
	is_str(ip_strf("[%s,%s,\"%s\"]", ip_jstr(a, "device.id"), ip_jstr(a, "idle_timeout_s"),
	    ip_jstr(a, "screenshots.mode")), ip_strf("[%s,%s]", did, ip_q("SELECT idle_timeout_s"
	    " || ',\"' || screenshot_mode || '\"' FROM settings", NULL)),
	    "the policy has the device, the idle timeout and the screenshot schedule");
	a = policy(NULL);
	is_status(a, 401, "without a token: 401");
	like(ip_header(a, "WWW-Authenticate"), "^Bearer", "... asking for a bearer token");
	a = policy(rand_hex(32));
	is_status(a, 401, "an unknown token: 401");
	a = policy(user_token);
	is_status(a, 401, "a person's access token is not a device token: 401");

	a = IP(ADMIN, .path = "/admin/devices.json", .bearer = user_token);
	o = NULL;
	json_array_foreach(ip_jget(a, "devices"), i, o)
		if (strcmp(ip_jval(o, "id"), did) == 0)
			break;
	is_str(o ? ip_strf("%s %s", ip_jval(o, "status"), ip_jval(o, "hostname")) : NULL,
	    ip_strf("online box-%s", tag), "the device is listed online with its host name");

	a = IP(ADMIN, .method = "POST", .path = ip_strf("/admin/devices/%s/revoke", did),
	    .bearer = adm.token, .accept = "application/json");
	is_status(a, 200, "the admin revokes the device");
	a = policy(dtoken);
	is_status(a, 401, "the revoked device's token stops working at once");
	a = IP(ADMIN, .path = "/admin/devices.json", .bearer = user_token);
	o = NULL;
	json_array_foreach(ip_jget(a, "devices"), i, o)
		if (strcmp(ip_jval(o, "id"), did) == 0)
			break;
	is_str(o ? ip_jval(o, "status") : NULL, "revoked", "the list says revoked");

	code = NEW_CODE(ip_strf("spare 26 %s", tag), "agent");
	cid = ip_q("SELECT id FROM enrollment_codes WHERE device_name = $1", ip_strf("spare 26 %s", tag), NULL);
	a = IP(ADMIN, .method = "POST", .path = ip_strf("/admin/devices/codes/%s/revoke", cid),
	    .bearer = user_token, .accept = "application/json");
	is_status(a, 200, "the member revokes an unused code of theirs");
	a = enroll(ip_json("{ss}", "code", code));
	is_status(a, 400, "a revoked code cannot be exchanged");

	code = NEW_CODE(ip_strf("late 26 %s", tag), "agent");
	ip_exec("UPDATE enrollment_codes SET expires_at = now() - interval '1 second' WHERE device_name = $1",
	    ip_strf("late 26 %s", tag), NULL);
	a = enroll(ip_json("{ss}", "code", code));
	is_status(a, 400, "an expired code cannot be exchanged");

	a = enroll("{\"code\":\"hello\"}");
	is_status(a, 400, "a malformed code: 400");
	like(ip_jstr(a, "message"), "16-character code", "... saying what a code looks like");
	a = enroll("{\"hostname\":\"x\"}");
	is_str(ip_jstr(a, "field"), "code", "no code: 400 naming it");

	code = NEW_CODE(ip_strf("phone 26 %s", tag), "phone");
	a = enroll(ip_json("{ss}", "code", code));
	is_status(a, 201, "a phone enrolls");
	like(ip_jstr(a, "hmac_secret"), "^[0-9a-f]{64}$", "... and gets its HMAC secret");
	ptoken = ip_jstr(a, "token");

	/* Deactivating the owner stops their devices too. */
	a = IP(ADMIN, .method = "POST", .path = ip_strf("/admin/users/%s/deactivate", mid),
	    .bearer = adm.token, .accept = "application/json");
	is_status(a, 200, "the admin deactivates the member");
	a = policy(ptoken);
	is_status(a, 401, "a deactivated person's devices are refused");
#undef NEW_CODE
}

int
main(void)
{
	if (ip_init("ingest") != 0)
		return 0;
	tag = ip_tag();
	uid = ip_user(ip_strf("dev.%s@example.com", tag), ip_strf("Dev %s", tag), "member", NULL);
	uid_s = ip_strf("%lld", uid);
	ok(uid > 0, "a member to own the devices");
	life_cycle();
	codes();
	long_names();
	field_rules();
	protocol_errors();
	database_errors();
	through_admin();
	return ip_done();
}
