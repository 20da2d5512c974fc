/* Randomness, hashing and comparisons for secrets.  Randomness comes from
 * getrandom(2); SHA-256 and friends from libcrypto. */
#ifndef WT_CRYPTO_H
#define WT_CRYPTO_H

#include <stddef.h>
#include <sys/types.h>

int	random_bytes(void *, size_t);
/* out must hold 2 * n + 1 bytes. */
void	hex_encode(const unsigned char *, size_t n, char *out);
/* A new random token of nbytes bytes as lowercase hex (2 * nbytes + 1). */
int	random_token_hex(size_t nbytes, char *out);
/* SHA-256 of s as 64 lowercase hex characters + NUL. */
void	sha256_hex(const void *, size_t, char out[65]);
/* Constant-time equality of two strings of any length. */
int	ct_streq(const char *, const char *);

void	hmac_sha256(const void *key, size_t keylen, const void *msg, size_t len,
	    unsigned char out[32]);
/* A key for one purpose ("csrf", "jwt"...), derived from the configured
 * secret, so no two uses share a key.  -1 if the secret is missing or
 * shorter than 32 bytes (64 hex digits). */
int	secret_key(const char *purpose, unsigned char out[32]);
/* base64url without padding (RFC 4648 section 5), through libcrypto's
 * base64.  Encode returns a malloc'd string; decode returns the length,
 * or -1 for anything that is not canonical base64url. */
char	*b64url_encode(const void *, size_t);
long	 b64url_decode(const char *, unsigned char **out);

#endif
