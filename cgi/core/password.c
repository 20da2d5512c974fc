#include "config.h"

#include <string.h>

#include <libscrypt.h>
#include <openssl/crypto.h>

#include "password.h"

int
password_hash(const char *pw, char out[WT_MCF_LEN])
{
	return libscrypt_hash(out, pw, WT_SCRYPT_N, WT_SCRYPT_R, WT_SCRYPT_P) > 0 ? 0 : -1;
}

int
password_verify(const char *mcf, const char *pw)
{
	char copy[WT_MCF_LEN];
	int rc;

	/* libscrypt_check() writes into its mcf argument. */
	if (strlen(mcf) >= sizeof(copy))
		return -1;
	memcpy(copy, mcf, strlen(mcf) + 1);
	rc = libscrypt_check(copy, pw);
	OPENSSL_cleanse(copy, sizeof(copy));
	return rc > 0 ? 1 : rc == 0 ? 0 : -1;
}
