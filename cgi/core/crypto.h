/* Randomness, hashing and comparisons for secrets.  Randomness comes from
 * getrandom(2); SHA-256 and friends from libcrypto. */
#ifndef WT_CRYPTO_H
#define WT_CRYPTO_H

#include <stddef.h>

int	random_bytes(void *, size_t);
/* out must hold 2 * n + 1 bytes. */
void	hex_encode(const unsigned char *, size_t n, char *out);
/* A new random token of nbytes bytes as lowercase hex (2 * nbytes + 1). */
int	random_token_hex(size_t nbytes, char *out);
/* SHA-256 of s as 64 lowercase hex characters + NUL. */
void	sha256_hex(const void *, size_t, char out[65]);
/* Constant-time equality of two strings of any length. */
int	ct_streq(const char *, const char *);

#endif
