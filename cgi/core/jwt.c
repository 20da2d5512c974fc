#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "buf.h"
#include "conf.h"
#include "crypto.h"
#include "jwt.h"

#define HEADER_JSON	"{\"alg\":\"HS256\",\"typ\":\"JWT\"}"

static int
sign(const char *input, size_t len, unsigned char mac[32])
{
	unsigned char key[32];

	if (secret_key("jwt", key) != 0)
		return -1;
	hmac_sha256(key, sizeof(key), input, len, mac);
	OPENSSL_cleanse(key, sizeof(key));
	return 0;
}

char *
jwt_issue(long long user_id, long long version, long long session_id, time_t now,
    long ttl)
{
	char sub[32], *h, *p, *s, *claims;
	unsigned char mac[32];
	struct wt_buf out;
	json_t *payload;

	snprintf(sub, sizeof(sub), "%lld", user_id);
	payload = json_pack("{ss ss sI sI sI sI sI}", "iss", wt_cfg.site_url,
	    "sub", sub, "iat", (json_int_t)now, "nbf", (json_int_t)now,
	    "exp", (json_int_t)(now + ttl), "ver", (json_int_t)version,
	    "sid", (json_int_t)session_id);
	if (payload == NULL)
		return NULL;
	claims = json_dumps(payload, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(payload);
	if (claims == NULL)
		return NULL;
	h = b64url_encode(HEADER_JSON, strlen(HEADER_JSON));
	p = b64url_encode(claims, strlen(claims));
	free(claims);
	buf_init(&out);
	buf_printf(&out, "%s.%s", h, p);
	free(h);
	free(p);
	if (sign(out.data, out.len, mac) != 0) {
		buf_free(&out);
		return NULL;
	}
	s = b64url_encode(mac, sizeof(mac));
	buf_printf(&out, ".%s", s);
	free(s);
	return buf_take(&out);
}

static json_t *
decode_json(const char *part, size_t len)
{
	char *copy = xstrndup(part, len);
	unsigned char *raw;
	long n = b64url_decode(copy, &raw);
	json_t *j;

	free(copy);
	if (n < 0)
		return NULL;
	j = json_loadb((const char *)raw, (size_t)n, JSON_REJECT_DUPLICATES, NULL);
	free(raw);
	return j;
}

static int
int_claim(json_t *payload, const char *name, long long *out)
{
	json_t *v = json_object_get(payload, name);

	if (!json_is_integer(v))
		return -1;
	*out = json_integer_value(v);
	return 0;
}

int
jwt_verify(const char *token, time_t now, long long *user_id, long long *version,
    long long *session_id, const char **why)
{
	const char *dot1, *dot2;
	json_t *header = NULL, *payload = NULL, *alg, *typ, *iss, *sub;
	unsigned char mac[32], *sig = NULL;
	long siglen;
	long long exp, nbf, uid;
	char *end;
	int rc = -1;

	*why = "malformed token";
	if ((dot1 = strchr(token, '.')) == NULL ||
	    (dot2 = strchr(dot1 + 1, '.')) == NULL || strchr(dot2 + 1, '.') != NULL)
		return -1;
	if (dot1 == token || dot2 == dot1 + 1 || dot2[1] == '\0') {
		*why = "token has an empty part";
		return -1;
	}
	if ((header = decode_json(token, (size_t)(dot1 - token))) == NULL)
		goto out;
	alg = json_object_get(header, "alg");
	typ = json_object_get(header, "typ");
	if (!json_is_string(alg) || strcmp(json_string_value(alg), "HS256") != 0) {
		*why = "token algorithm is not HS256";
		goto out;
	}
	if (typ != NULL && (!json_is_string(typ) || strcmp(json_string_value(typ), "JWT") != 0)) {
		*why = "token type is not JWT";
		goto out;
	}
	if (json_object_get(header, "crit") != NULL) {
		*why = "token has critical extensions";
		goto out;
	}
	siglen = b64url_decode(dot2 + 1, &sig);
	if (siglen != 32 || sign(token, (size_t)(dot2 - token), mac) != 0 ||
	    CRYPTO_memcmp(mac, sig, sizeof(mac)) != 0) {
		*why = "token signature is invalid";
		goto out;
	}
	if ((payload = decode_json(dot1 + 1, (size_t)(dot2 - dot1 - 1))) == NULL ||
	    !json_is_object(payload))
		goto out;
	iss = json_object_get(payload, "iss");
	if (!json_is_string(iss) || strcmp(json_string_value(iss), wt_cfg.site_url) != 0) {
		*why = "token issuer is wrong";
		goto out;
	}
	if (int_claim(payload, "exp", &exp) != 0 || int_claim(payload, "nbf", &nbf) != 0 ||
	    int_claim(payload, "ver", version) != 0 ||
	    int_claim(payload, "sid", session_id) != 0) {
		*why = "token lacks exp, nbf, ver or sid";
		goto out;
	}
	if (exp <= (long long)now) {
		*why = "token has expired";
		goto out;
	}
	if (nbf > (long long)now) {
		*why = "token is not valid yet";
		goto out;
	}
	sub = json_object_get(payload, "sub");
	if (!json_is_string(sub) || (uid = strtoll(json_string_value(sub), &end, 10)) <= 0 ||
	    *end != '\0') {
		*why = "token subject is invalid";
		goto out;
	}
	*user_id = uid;
	*why = NULL;
	rc = 0;
out:
	free(sig);
	json_decref(header);
	json_decref(payload);
	return rc;
}
