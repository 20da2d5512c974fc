#include "config.h"

#include <sys/random.h>

#include <errno.h>
#include <string.h>

#include <stdlib.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "buf.h"
#include "conf.h"
#include "crypto.h"
#include "decode.h"

int
random_bytes(void *p, size_t n)
{
	unsigned char *b = p;

	while (n > 0) {
		ssize_t got = getrandom(b, n, 0);

		if (got < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		b += got;
		n -= (size_t)got;
	}
	return 0;
}

void
hex_encode(const unsigned char *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}

int
random_token_hex(size_t nbytes, char *out)
{
	unsigned char raw[64];

	if (nbytes > sizeof(raw) || random_bytes(raw, nbytes) != 0)
		return -1;
	hex_encode(raw, nbytes, out);
	OPENSSL_cleanse(raw, sizeof(raw));
	return 0;
}

void
sha256_hex(const void *p, size_t n, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	EVP_Digest(p, n, md, &len, EVP_sha256(), NULL);
	hex_encode(md, len, out);
}

int
ct_streq(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char da[32], db[32];

	/* Compare digests so the time does not depend on where the strings
	 * differ, nor on the length of the secret one. */
	unsigned int n = 0;
	EVP_Digest(a, la, da, &n, EVP_sha256(), NULL);
	EVP_Digest(b, lb, db, &n, EVP_sha256(), NULL);
	return CRYPTO_memcmp(da, db, sizeof(da)) == 0 && la == lb;
}

void
hmac_sha256(const void *key, size_t keylen, const void *msg, size_t len,
    unsigned char out[32])
{
	unsigned int n = 32;

	HMAC(EVP_sha256(), key, (int)keylen, msg, len, out, &n);
}

int
secret_key(const char *purpose, unsigned char out[32])
{
	const char *hex = wt_cfg.secret;
	size_t n = strlen(hex);
	unsigned char raw[256];

	if (n < 64 || n % 2 != 0 || n / 2 > sizeof(raw))
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		int h = hex_digit(hex[2 * i]), l = hex_digit(hex[2 * i + 1]);

		if (h < 0 || l < 0)
			return -1;
		raw[i] = (unsigned char)(h << 4 | l);
	}
	hmac_sha256(raw, n / 2, purpose, strlen(purpose), out);
	OPENSSL_cleanse(raw, sizeof(raw));
	return 0;
}

char *
b64url_encode(const void *p, size_t n)
{
	char *out = xmalloc(4 * ((n + 2) / 3) + 1);
	int len = EVP_EncodeBlock((unsigned char *)out, p, (int)n);

	while (len > 0 && out[len - 1] == '=')
		len--;
	out[len] = '\0';
	for (int i = 0; i < len; i++) {
		if (out[i] == '+')
			out[i] = '-';
		else if (out[i] == '/')
			out[i] = '_';
	}
	return out;
}

long
b64url_decode(const char *s, unsigned char **out)
{
	size_t n = strlen(s), padded, pad;
	char *std;
	unsigned char *raw;
	int len;
	char *check;

	*out = NULL;
	if (n % 4 == 1 || n > (1u << 20))
		return -1;
	pad = (4 - n % 4) % 4;
	padded = n + pad;
	std = xmalloc(padded + 1);
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '-')
			c = '+';
		else if (c == '_')
			c = '/';
		else if (c == '+' || c == '/' || c == '=') {
			free(std);
			return -1;
		}
		std[i] = c;
	}
	memset(std + n, '=', pad);
	std[padded] = '\0';
	raw = xmalloc(padded / 4 * 3 + 1);
	len = EVP_DecodeBlock(raw, (unsigned char *)std, (int)padded);
	free(std);
	if (len < 0 || (size_t)len < pad) {
		free(raw);
		return -1;
	}
	len -= (int)pad;
	/* Only the canonical encoding is accepted: re-encoding must give
	 * the input back (no stray low bits in the last character). */
	check = b64url_encode(raw, (size_t)len);
	if (strcmp(check, s) != 0) {
		free(check);
		free(raw);
		return -1;
	}
	free(check);
	*out = raw;
	return len;
}
