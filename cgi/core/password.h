/* Password hashing with scrypt (libscrypt, MCF strings "$s1$...").
 *
 * Parameters: N = 2^14, r = 8, p = 1.  r = 8 is scrypt's standard block
 * size; p = 1 because a login form serves one request per worker and gains
 * nothing from the parallelism parameter, which only multiplies the cost
 * (libscrypt's default p = 16 takes ~0.7 s here).  N = 2^14 uses 16 MiB
 * and about 50-70 ms per hash on this class of machine: slow for an
 * attacker with a stolen table, fast enough that a login stays well under
 * a tenth of a second.  Stored hashes carry their parameters, so raising
 * N later only needs a rehash on the next successful login. */
#ifndef WT_PASSWORD_H
#define WT_PASSWORD_H

#define WT_SCRYPT_N	16384u
#define WT_SCRYPT_R	8u
#define WT_SCRYPT_P	1u
#define WT_MCF_LEN	128

/* 0 on success; out holds the MCF string. */
int	password_hash(const char *pw, char out[WT_MCF_LEN]);
/* 1 match, 0 mismatch, -1 malformed hash. */
int	password_verify(const char *mcf, const char *pw);

#define WT_PASSWORD_MIN_CHARS	12
#define WT_PASSWORD_MAX_CHARS	256

/* NULL when the new password is acceptable, else why not, for the user:
 * at least 12 characters, and not refused by cracklib (dictionary words,
 * simple patterns, the user's own e-mail or name).  The reuse rule needs
 * the database and is checked by the caller. */
const char *password_policy(const char *pw, const char *email, const char *name);

#endif
