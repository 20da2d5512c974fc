#include "config.h"

#include <ctype.h>
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

/* Words people pad with digits and symbols to pass a length rule; cracklib
 * alone lets "password1234" or "Welcome2024!" through. */
static const char *const common[] = {
	"password", "passw0rd", "welcome", "qwerty", "qwertyuiop", "asdfgh",
	"asdfghjkl", "zxcvbnm", "letmein", "iloveyou", "admin", "administrator",
	"monkey", "dragon", "football", "baseball", "sunshine", "princess",
	"master", "shadow", "superman", "trustno1", "changeme", "secret",
	"abc", "abcdef", "abcdefgh", "login", "worktime", "company", "summer",
	"winter", "spring", "autumn", "hello", "freedom", "whatever", "starwars",
	NULL
};

/* The password without leading and trailing digits and symbols, lower
 * case: the part that carries the strength. */
static char *
core_of(const char *pw)
{
	const char *s = pw, *e = pw + strlen(pw);
	char *core, *p;

	while (*s && !isalpha((unsigned char)*s) && !((unsigned char)*s & 0x80))
		s++;
	while (e > s && !isalpha((unsigned char)e[-1]) && !((unsigned char)e[-1] & 0x80))
		e--;
	core = xstrndup(s, (size_t)(e - s));
	for (p = core; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return core;
}

/* A string that is one shorter string over and over ("abcabcabcabc"). */
static int
repeats(const char *s)
{
	size_t n = strlen(s);

	for (size_t k = 1; k <= n / 2; k++) {
		size_t i;

		if (n % k != 0)
			continue;
		for (i = k; i < n && s[i] == s[i % k]; i++)
			;
		if (i == n)
			return 1;
	}
	return 0;
}

static const char *
weak_core(const char *pw, const char *dict)
{
	char *core = core_of(pw), *half;
	const char *why = NULL;
	size_t n = strlen(core);

	for (int i = 0; common[i] != NULL && why == NULL; i++)
		if (strcmp(core, common[i]) == 0)
			why = "it is one of the most common passwords";
	if (why == NULL && repeats(pw))
		why = "it repeats itself";
	if (why == NULL && n > 0 && repeats(core))
		why = "it is a word repeated";
	if (why == NULL && n < 8)
		why = "without the digits and symbols around it, it is too short";
	if (why == NULL && FascistCheck(core, dict) != NULL &&
	    strstr(FascistCheck(core, dict), "dictionary") != NULL)
		why = "it is a dictionary word with digits or symbols added";
	if (why == NULL && n % 2 == 0) {
		half = xstrndup(core, n / 2);
		if (strcmp(half, core + n / 2) == 0)
			why = "it is a word repeated";
		free(half);
	}
	free(core);
	return why;
}

const char *
password_policy(const char *pw, const char *email, const char *name)
{
	static char why[256];
	const char *dict = wt_cfg.auth_cracklib_dict, *msg;
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
	if (bsnprintf(pwd_file, sizeof(pwd_file), "%s.pwd", dict) != 0 ||
	    access(pwd_file, R_OK) != 0) {
		log_error("password", "cracklib dictionary %s is missing", pwd_file);
		return "cannot be checked right now; try again later";
	}
	user = xstrndup(email, strcspn(email, "@"));
	msg = FascistCheckUser(pw, dict, user, name);
	free(user);
	if (msg == NULL)
		msg = weak_core(pw, dict);
	if (msg == NULL)
		return NULL;
	snprintf(why, sizeof(why), "is too weak: %s", msg);
	return why;
}
