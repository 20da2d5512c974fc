/* Access tokens, in process (was tests/api/13_auth_tokens.t): what
 * /api/v1/token issues, every way a forged, stale or broken token is
 * refused, revocation by a password change, no CSRF for bearer requests;
 * and how the token endpoint treats bodies that are too large, malformed
 * or of the wrong type.  (A body nginx refuses before the program sees it
 * stays in the shell suite.) */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "buf.h"
#include "conf.h"
#include "crypto.h"
#include "flows.h"
#include "check.h"

#define HS256_HEADER	"{\"alg\":\"HS256\",\"typ\":\"JWT\"}"

static const char *E, *PW = "Saffron-Glacier-Pillow-24", *TID, *BID;
static long long VER, SID;
static unsigned char KEY[32];

static const char *
b64(const void *p, size_t n)
{
	char *s = b64url_encode(p, n);
	const char *kept = ip_strf("%s", s);

	free(s);
	return kept;
}

static const char *
b64s(const char *s)
{
	return b64(s, strlen(s));
}

static const char *
unb64(const char *s, size_t len)
{
	unsigned char *out = NULL;
	char *part = ip_strf("%.*s", (int)len, s);
	long n = b64url_decode(part, &out);
	const char *kept = n >= 0 ? ip_strf("%.*s", (int)n, (const char *)out) : NULL;

	free(out);
	return kept;
}

/* A token signed with HS256 (with the server's key unless another). */
static const char *
jwt_make(const char *header, const char *payload, const unsigned char *key)
{
	const char *signing = ip_strf("%s.%s", b64s(header), b64s(payload));
	unsigned char mac[32];

	hmac_sha256(key ? key : KEY, 32, signing, strlen(signing), mac);
	return ip_strf("%s.%s", signing, b64(mac, sizeof(mac)));
}

/* A payload like the server's, times relative to now. */
static json_t *
claims_of(const char *sub, long long ver, long exp_off, long nbf_off, const char *iss)
{
	time_t now = time(NULL);

	return json_pack("{ss ss sI sI sI sI sI}", "iss", iss ? iss : wt_cfg.site_url, "sub", sub,
	    "iat", (json_int_t)now, "nbf", (json_int_t)(now + nbf_off),
	    "exp", (json_int_t)(now + exp_off), "ver", (json_int_t)ver, "sid", (json_int_t)SID);
}

static const char *
dump(json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	const char *kept = ip_strf("%s", s);

	free(s);
	json_decref(j);
	return kept;
}

static const char *
jwt_claims(const char *sub, long long ver, long exp_off, long nbf_off, const char *iss)
{
	return dump(claims_of(sub, ver, exp_off, nbf_off, iss));
}

static void
refused(const char *token, const char *what, const char *message)
{
	struct ip_resp *a = IP(AUTH, .path = "/account.json", .bearer = token);

	is_status(a, 401, ip_strf("%s: 401", what));
	like(ip_header(a, "WWW-Authenticate"), "^Bearer", ip_strf("%s: WWW-Authenticate: Bearer", what));
	if (message != NULL)
		is_str(ip_jstr(a, "message"), message, ip_strf("%s: '%s'", what, message));
}

static const char *GOOD, *H, *P, *S, *claims;

static void
issuing(void)
{
	struct ip_resp *a;
	const char *wrong, *dot1, *dot2;
	json_t *c;

	GOOD = token_for(E, PW, &a);
	is_status(a, 200, "POST /api/v1/token: 200");
	is_str(ip_jstr(a, "token_type"), "Bearer", "token_type Bearer");
	is_str(ip_jstr(a, "expires_in"), ip_strf("%lld", wt_cfg.token_ttl_seconds),
	    "expires_in is token.ttl_seconds");
	like(GOOD, "^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}$",
	    "a JWT of three base64url parts");
	if (GOOD == NULL)
		GOOD = "x.y.z";
	dot1 = strchr(GOOD, '.');
	dot2 = strchr(dot1 + 1, '.');
	H = ip_strf("%.*s", (int)(dot1 - GOOD), GOOD);
	P = ip_strf("%.*s", (int)(dot2 - dot1 - 1), dot1 + 1);
	S = ip_strf("%s", dot2 + 1);
	is_str(unb64(H, strlen(H)), HS256_HEADER, "header: HS256, JWT");
	claims = unb64(P, strlen(P));
	c = json_loads(claims ? claims : "", 0, NULL);
	is_str(json_string_value(json_object_get(c, "iss")), wt_cfg.site_url, "iss is the site");
	is_str(json_string_value(json_object_get(c, "sub")), TID, "sub is the user's id, as a string");
	ok(json_is_string(json_object_get(c, "sub")), "... (a JSON string)");
	is_int(json_integer_value(json_object_get(c, "exp")) -
	    json_integer_value(json_object_get(c, "iat")), wt_cfg.token_ttl_seconds,
	    "exp is token.ttl_seconds after iat");
	ok(json_integer_value(json_object_get(c, "nbf")) ==
	    json_integer_value(json_object_get(c, "iat")), "nbf is iat");
	VER = atoll(ip_q("SELECT token_version FROM users WHERE id = $1", TID, NULL));
	is_int(json_integer_value(json_object_get(c, "ver")), VER, "ver is the user's token version");
	SID = json_integer_value(json_object_get(c, "sid"));
	is_str(ip_q("SELECT kind || ' ' || user_id FROM web_sessions WHERE id = $1",
	    ip_strf("%lld", SID), NULL), ip_strf("token %s", TID),
	    "sid names a session of its own, the user's");
	json_decref(c);

	a = IP(AUTH, .path = "/account.json", .bearer = GOOD);
	is_status(a, 200, "GET /account.json with the token: 200");
	is_str(ip_jstr(a, "email"), E, "... the token's user");
	is_str(ip_jstr(a, "id"), TID, "... by id");
	a = IP(AUTH, .path = "/account.json", .authorization = ip_strf("bearer %s", GOOD));
	is_status(a, 200, "the scheme name is case-insensitive");

	token_for(E, "Wrong-Password-1", &a);
	is_status(a, 401, "a wrong password: 401");
	wrong = json_sans_id(a);
	token_for(ip_strf("nobody-%s@example.test", ip_tag()), "Wrong-Password-1", &a);
	is_status(a, 401, "an unknown address: 401");
	is_str(json_sans_id(a), wrong, "... the identical answer");
	a = IP(AUTH, .method = "POST", .path = "/api/v1/token",
	    .form = ip_strf("email=%s&password=%s", ip_urlenc(E), ip_urlenc(PW)));
	is_status(a, 200, "a form-encoded request works too (no CSRF token needed)");
	ok(a->status == 200 && ip_header(a, "Set-Cookie") == NULL, "... and sets no cookie");
	clear_lockouts();
}

static void
refusals(void)
{
	unsigned char other[32], mac[64];
	unsigned int maclen = 0;
	const char *h512, *p512s;
	char *s2;
	json_t *c;
	struct ip_resp *a;

	/* Our own signing is right: a token made here with the server's key
	 * works, so every refusal below is for the one thing changed. */
	a = IP(AUTH, .path = "/account.json",
	    .bearer = jwt_make(HS256_HEADER, jwt_claims(TID, VER, 900, 0, NULL), NULL));
	is_status(a, 200, "a token signed here like the server's: 200");

	c = json_loads(claims, 0, NULL);
	json_object_set_new(c, "sub", json_string(BID));
	refused(ip_strf("%s.%s.%s", H, b64s(dump(c)), S),
	    "payload changed to another user, signature kept", "token signature is invalid");
	c = json_loads(claims, 0, NULL);
	json_object_set_new(c, "exp", json_integer(json_integer_value(json_object_get(c, "exp")) + 86400));
	refused(ip_strf("%s.%s.%s", H, b64s(dump(c)), S), "exp extended, signature kept",
	    "token signature is invalid");
	random_bytes(other, sizeof(other));
	refused(jwt_make(HS256_HEADER, claims, other), "signed with another key",
	    "token signature is invalid");
	s2 = ip_strf("%.42s%c", S, S[42] == 'A' ? 'Q' : 'A');
	refused(ip_strf("%s.%s.%s", H, P, s2), "the signature's last character changed",
	    "token signature is invalid");
	refused(ip_strf("%s.%s.%.40s", H, P, S), "a truncated signature", "token signature is invalid");

	refused(ip_strf("%s.%s.", b64s("{\"alg\":\"none\",\"typ\":\"JWT\"}"), P),
	    "alg \"none\", empty signature", "token has an empty part");
	refused(ip_strf("%s.%s.%s", b64s("{\"alg\":\"none\",\"typ\":\"JWT\"}"), P, S),
	    "alg \"none\", the real signature kept", "token algorithm is not HS256");
	refused(ip_strf("%s.%s.%s", b64s("{\"alg\":\"None\",\"typ\":\"JWT\"}"), P, S),
	    "alg \"None\"", "token algorithm is not HS256");
	h512 = b64s("{\"alg\":\"HS512\",\"typ\":\"JWT\"}");
	p512s = ip_strf("%s.%s", h512, P);
	HMAC(EVP_sha512(), KEY, sizeof(KEY), (const unsigned char *)p512s, strlen(p512s), mac,
	    &maclen);
	refused(ip_strf("%s.%s", p512s, b64(mac, maclen)), "HS512, signed with the server's key",
	    "token algorithm is not HS256");
	refused(ip_strf("%s.%s.%s", b64s("{\"alg\":\"RS256\",\"typ\":\"JWT\"}"), P, S), "RS256",
	    "token algorithm is not HS256");
	refused(ip_strf("%s.%s.%s", b64s("{\"typ\":\"JWT\"}"), P, S), "no alg",
	    "token algorithm is not HS256");
	refused(jwt_make("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"crit\":[\"exp\"]}", claims, NULL),
	    "a crit header", "token has critical extensions");

	refused(jwt_make(HS256_HEADER, jwt_claims(TID, VER, -10, -1000, NULL), NULL),
	    "expired 10 s ago (properly signed)", "token has expired");
	refused(jwt_make(HS256_HEADER, jwt_claims(TID, VER, 1200, 600, NULL), NULL),
	    "nbf 10 minutes ahead (properly signed)", "token is not valid yet");
	refused(jwt_make(HS256_HEADER, jwt_claims(TID, VER, 900, 0, "https://evil.example"), NULL),
	    "another issuer (properly signed)", "token issuer is wrong");
	refused(jwt_make(HS256_HEADER, jwt_claims(TID, VER, 900, 0,
	    ip_strf("%s/", wt_cfg.site_url)), NULL), "the issuer with a trailing slash",
	    "token issuer is wrong");
	refused(jwt_make(HS256_HEADER, jwt_claims(TID, VER - 1, 900, 0, NULL), NULL),
	    "ver older than the user's (properly signed)", "token was revoked");
	refused(jwt_make(HS256_HEADER, jwt_claims(TID, VER + 1, 900, 0, NULL), NULL),
	    "ver newer than the user's", "token was revoked");
	c = json_loads(claims, 0, NULL);
	json_object_del(c, "ver");
	refused(jwt_make(HS256_HEADER, dump(c), NULL), "no ver claim", "token lacks exp, nbf, ver or sid");
	c = json_loads(claims, 0, NULL);
	json_object_del(c, "exp");
	refused(jwt_make(HS256_HEADER, dump(c), NULL), "no exp claim", "token lacks exp, nbf, ver or sid");
	c = json_loads(claims, 0, NULL);
	json_object_set_new(c, "exp", json_string(ip_strf("%lld",
	    (long long)json_integer_value(json_object_get(c, "exp")))));
	refused(jwt_make(HS256_HEADER, dump(c), NULL), "exp as a string", "token lacks exp, nbf, ver or sid");
	c = json_loads(claims, 0, NULL);
	json_object_del(c, "sid");
	refused(jwt_make(HS256_HEADER, dump(c), NULL), "no sid claim (a token of before sessions)",
	    "token lacks exp, nbf, ver or sid");
	ok(ip_token(atoll(BID)) != NULL, "the other user has a token, and so a session");
	c = claims_of(TID, VER, 900, 0, NULL);
	json_object_set_new(c, "sid", json_integer(atoll(ip_q("SELECT id FROM web_sessions"
	    " WHERE user_id = $1 ORDER BY id DESC LIMIT 1", BID, NULL))));
	refused(jwt_make(HS256_HEADER, dump(c), NULL), "another user's session as sid",
	    "token was revoked");
	c = json_loads(claims, 0, NULL);
	json_object_set_new(c, "sub", json_integer(atoll(TID)));
	refused(jwt_make(HS256_HEADER, dump(c), NULL), "sub as a number", "token subject is invalid");
	refused(jwt_make(HS256_HEADER, jwt_claims("0", VER, 900, 0, NULL), NULL), "sub 0",
	    "token subject is invalid");
	refused(jwt_make(HS256_HEADER, jwt_claims("99999999", 1, 900, 0, NULL), NULL),
	    "a user that does not exist", "token was revoked");

	/* (A token without dots may be another program's device token: the
	 * status and the header are what matters for it here.) */
	refused("garbage", "garbage", NULL);
	refused(ip_strf("%s.%s", H, P), "two parts", "malformed token");
	refused(ip_strf("%s.%s.%s.%s", H, P, S, S), "four parts", "malformed token");
	refused(ip_strf("..%s", S), "empty header and payload", "token has an empty part");
	refused(ip_strf("%s..%s", H, S), "empty payload", "token has an empty part");
	refused("%%%.%%%.%%%", "not base64url", "malformed token");
	refused(ip_strf("%s.%s.%s", b64s("not json"), P, S), "a header that is not JSON",
	    "malformed token");
	a = IP(AUTH, .path = "/account.json", .authorization = "Bearer ");
	is_status(a, 401, "an empty token: 401");

	/* A disabled user's token stops working at once. */
	ip_exec("UPDATE users SET status = 'disabled' WHERE id = $1", TID, NULL);
	refused(GOOD, "the user is disabled", "token was revoked");
	ip_exec("UPDATE users SET status = 'active' WHERE id = $1", TID, NULL);
	a = IP(AUTH, .path = "/account.json", .bearer = GOOD);
	is_status(a, 200, "enabled again: the token works again");
}

/* Issue 8, security 6: an access token belongs to a session, and ending
 * the session (sign-out, "sign out everywhere else") ends the token, not
 * only the cookie. */
static void
sign_out_ends_tokens(const char *pw)
{
	struct ip_jar *b = ip_browser("so-b"), *d = ip_browser("so-d");
	struct ip_resp *a;
	const char *own, *bound, *other, *csrf;

	own = token_for(E, pw, NULL);
	a = IP(AUTH, .path = "/account.json", .bearer = own);
	is_status(a, 200, "a script's token works");
	a = IP(AUTH, .method = "POST", .path = "/logout", .bearer = own,
	    .accept = "application/json");
	is_status(a, 200, "POST /logout with the token");
	refused(own, "the token after signing out with it", "token was revoked");

	login(b, E, pw);
	a = IP(AUTH, .method = "POST", .path = "/api/v1/token", .jar = b,
	    .json = ip_json("{ss ss}", "email", E, "password", pw));
	is_status(a, 200, "a token asked for from a signed-in browser");
	bound = ip_strf("%s", ip_jstr(a, "access_token") ? ip_jstr(a, "access_token") : "x.y.z");
	a = IP(AUTH, .path = "/account.json", .bearer = bound);
	is_status(a, 200, "... works");
	csrf = csrf_of(b, "/account");
	a = IP(AUTH, .method = "POST", .path = "/logout", .jar = b,
	    .form = ip_strf("csrf=%s", ip_urlenc(csrf)));
	is_status(a, 303, "the browser signs out");
	refused(bound, "the browser's token after its sign-out", "token was revoked");

	login(d, E, pw);
	other = token_for(E, pw, NULL);
	a = IP(AUTH, .path = "/account.json", .bearer = other);
	is_status(a, 200, "another script's token works");
	csrf = csrf_of(d, "/account/sessions");
	a = IP(AUTH, .method = "POST", .path = "/account/sessions/revoke-others", .jar = d,
	    .form = ip_strf("csrf=%s", ip_urlenc(csrf)));
	is_status(a, 303, "\"sign out everywhere else\" from a browser");
	refused(other, "the script's token after \"sign out everywhere else\"",
	    "token was revoked");
	a = IP(AUTH, .path = "/account.json", .jar = d);
	is_status(a, 200, "... the browser that asked stays signed in");
	clear_lockouts();
}

static void
bearer_and_revocation(void)
{
	struct ip_jar *c = ip_browser("c");
	const char *SECOND, *NEWPW = "Mulberry-Cascade-Tiger-81", *tok;
	struct ip_resp *a;
	json_t *payload;

	login(c, E, PW);
	a = IP(AUTH, .method = "POST", .path = "/account", .jar = c, .accept = "application/json",
	    .form = "display_name=Via+Cookie&timezone=UTC&target_pace_min=30");
	is_status(a, 403, "a cookie request without a CSRF token: 403");
	is_str(ip_jstr(a, "field"), "csrf", "... for the missing CSRF token");
	a = IP(AUTH, .method = "POST", .path = "/account.json", .bearer = GOOD,
	    .json = "{\"display_name\":\"Via Token\",\"timezone\":\"Europe/Berlin\",\"target_pace_min\":25}");
	is_status(a, 200, "a bearer POST /account without a CSRF token: 200");
	is_str(ip_jstr(a, "display_name"), "Via Token", "... answers the new profile");
	is_str(ip_q("SELECT display_name || '|' || timezone || '|' || target_pace_min FROM users"
	    " WHERE id = $1", TID, NULL), "Via Token|Europe/Berlin|25", "... saved");

	/* A password change revokes every token. */
	SECOND = token_for(E, PW, NULL);
	a = IP(AUTH, .method = "POST", .path = "/account/password.json", .bearer = GOOD,
	    .json = ip_json("{ss ss ss}", "current_password", PW, "password", NEWPW,
	    "password_confirm", NEWPW));
	is_status(a, 200, "the password changed with a bearer token");
	is_str(ip_q("SELECT token_version FROM users WHERE id = $1", TID, NULL),
	    ip_strf("%lld", VER + 1), "the token version went up");
	refused(GOOD, "the token used for the change, afterwards", "token was revoked");
	refused(SECOND, "another token from before the change", "token was revoked");
	a = IP(AUTH, .path = "/account.json", .jar = c);
	is_status(a, 401, "the cookie session ended too (the change was not made from it)");
	token_for(E, PW, &a);
	is_status(a, 401, "no token for the old password");
	tok = token_for(E, NEWPW, &a);
	is_status(a, 200, "a token for the new password");
	payload = json_loads(tok ? unb64(strchr(tok, '.') + 1,
	    strcspn(strchr(tok, '.') + 1, ".")) : "{}", 0, NULL);
	is_int(json_integer_value(json_object_get(payload, "ver")), VER + 1,
	    "... carrying the new version");
	json_decref(payload);
	a = IP(AUTH, .path = "/account.json", .bearer = tok);
	is_status(a, 200, "... that works");
	clear_lockouts();
	sign_out_ends_tokens(NEWPW);
}

/* A token request of exactly n bytes. */
static char *
pad_json(size_t n)
{
	static const char head[] = "{\"email\":\"pad@example.test\",\"password\":\"Wrong-Password-1\",\"pad\":\"";
	static const char tail[] = "\"}";
	char *s = xmalloc(n + 1);

	memcpy(s, head, sizeof(head) - 1);
	memset(s + sizeof(head) - 1, 'a', n - (sizeof(head) - 1) - (sizeof(tail) - 1));
	memcpy(s + n - (sizeof(tail) - 1), tail, sizeof(tail));
	return s;
}

static void
bodies(void)
{
	size_t max = (size_t)wt_cfg.http_max_body;
	struct ip_resp *a;
	char *big;

#define TOKEN_POST(...) IP(AUTH, .method = "POST", .path = "/api/v1/token", __VA_ARGS__)
	big = pad_json(max + max / 2);
	a = TOKEN_POST(.json = big);
	is_status(a, 413, "a body half as large again as http.max_body: 413");
	like(ip_header(a, "Content-Type"), "^application/json", "... as JSON");
	is_str(ip_jstr(a, "error"), "Content Too Large", "... Content Too Large");
	like(ip_jstr(a, "message"), ip_strf("at most %zu", max),
	    ip_strf("... from the program: at most %zu bytes", max));
	is_str(ip_jstr(a, "request_id"), ip_header(a, "X-Request-Id"), "... with the request id");
	free(big);
	big = pad_json(max + 1);
	a = TOKEN_POST(.json = big);
	is_status(a, 413, "http.max_body + 1 bytes: 413");
	free(big);
	big = pad_json(max);
	a = TOKEN_POST(.json = big);
	is_status(a, 401, "exactly http.max_body bytes: accepted (401 for the credentials)");
	free(big);

	a = TOKEN_POST(.json = "{\"email\": \"x@example.test\",");
	is_status(a, 400, "malformed JSON: 400");
	like(ip_jstr(a, "message"), "malformed JSON", "... says malformed JSON");
	a = TOKEN_POST(.body = "", .content_type = "application/json");
	is_status(a, 400, "an empty JSON body: 400");
	like(ip_jstr(a, "message"), "malformed JSON", "... malformed JSON");
	a = TOKEN_POST(.body = ip_strf("email=%s&password=x", E), .content_type = "text/plain");
	is_status(a, 415, "text/plain: 415");
	is_str(ip_jstr(a, "error"), "Unsupported Media Type", "... Unsupported Media Type");
	a = TOKEN_POST(.json = ip_json("[{ss ss}]", "email", E, "password", "x"));
	is_status(a, 400, "a JSON array: 400");
	is_str(ip_jstr(a, "message"), "the JSON body must be an object", "... must be an object");
	a = TOKEN_POST(.json = "{\"email\":\"x@example.test\",\"email\":\"y@example.test\",\"password\":\"p\"}");
	is_status(a, 400, "a duplicated member: 400");
	a = TOKEN_POST(.json = "{\"password\":\"Wrong-Password-1\"}");
	is_status(a, 400, "no e-mail: 400");
	is_str(ip_jstr(a, "field"), "email", "... field email");
	a = TOKEN_POST(.json = "{\"email\":5,\"password\":\"x\"}");
	is_status(a, 400, "e-mail as a number: 400");
	like(ip_jstr(a, "message"), "JSON string", "... must be a JSON string");
	a = TOKEN_POST(.json = "{\"email\":\"not-an-address\",\"password\":\"x\"}");
	is_status(a, 401, "an e-mail that is no address is only an unknown one: 401");
	{
		const char *odd = json_sans_id(a);
		struct ip_resp *b;

		token_for(ip_strf("nobody-%s@example.test", ip_tag()), "x", &b);
		is_str(odd, json_sans_id(b), "... the identical answer");
	}
	a = TOKEN_POST(.json = ip_json("{ss}", "email", E));
	is_status(a, 400, "no password: 400");
	is_str(ip_jstr(a, "field"), "password", "... field password");
	a = IP(AUTH, .path = "/api/v1/token");
	is_status(a, 405, "GET /api/v1/token: 405");
	is_str(ip_header(a, "Allow"), "POST", "... Allow: POST");
#undef TOKEN_POST
	clear_lockouts();
}

int
main(void)
{
	long long uid;

	if (ip_init("auth_tokens") != 0)
		return 0;
	if (secret_key("jwt", KEY) != 0) {
		ok(0, "the server secret is set");
		return ip_done();
	}
	E = ip_strf("token-%s@example.test", ip_tag());
	uid = make_user(E, "Token Tester", PW, "member");
	ok(uid > 0, "a confirmed user");
	TID = ip_strf("%lld", uid);
	BID = ip_strf("%lld", make_user(ip_strf("token-b-%s@example.test", ip_tag()),
	    "Other Tester", PW, "member"));
	issuing();
	refusals();
	bearer_and_revocation();
	bodies();
	clear_lockouts();
	return ip_done();
}
