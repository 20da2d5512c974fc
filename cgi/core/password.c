#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <crack.h>
#include <libscrypt.h>
#include <openssl/crypto.h>

#include "buf.h"
#include "conf.h"
#include "log.h"
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

static size_t
chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

const char *
password_policy(const char *pw, const char *email, const char *name)
{
	static char why[256];
	const char *dict = config_get("auth.cracklib_dict"), *msg;
	char pwd_file[1024], *user;
	size_t n = chars(pw);

	if (n < WT_PASSWORD_MIN_CHARS)
		return "must be at least 12 characters long";
	if (n > WT_PASSWORD_MAX_CHARS)
		return "must be at most 256 characters long";
	if (*dict == '\0')
		dict = GetDefaultCracklibDict();
	/* FascistCheck does not return when its dictionary is missing
	 * (Debian #682735): look first, and refuse rather than skip. */
	snprintf(pwd_file, sizeof(pwd_file), "%s.pwd", dict);
	if (access(pwd_file, R_OK) != 0) {
		log_error("password", "cracklib dictionary %s is missing", pwd_file);
		return "cannot be checked right now; try again later";
	}
	user = xstrndup(email, strcspn(email, "@"));
	msg = FascistCheckUser(pw, dict, user, name);
	free(user);
	if (msg == NULL)
		return NULL;
	snprintf(why, sizeof(why), "is too weak: %s", msg);
	return why;
}
