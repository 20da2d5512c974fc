#include "config.h"

#include <sys/random.h>

#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "crypto.h"

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
