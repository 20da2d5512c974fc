/* What several auth flows share. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "auth.h"
#include "conf.h"
#include "crypto.h"
#include "log.h"
#include "password.h"

static char dummy_hash[WT_MCF_LEN];

int
auth_worker_init(void)
{
	char pw[65];

	/* A real hash of a random password, with today's parameters, so an
	 * unknown e-mail costs the same scrypt work as a known one. */
	if (random_token_hex(32, pw) != 0 || password_hash(pw, dummy_hash) != 0) {
		log_error("auth", "cannot make the dummy password hash");
		return -1;
	}
	return 0;
}

int
password_matches(const char *mcf, const char *pw)
{
	if (mcf == NULL || *mcf == '\0') {
		(void)password_verify(dummy_hash, pw);
		return 0;
	}
	return password_verify(mcf, pw) == 1;
}

const char *
check_local_path(const char *s)
{
	/* "/x" only: not "//host", not "/\host" (browsers read it as
	 * "//host"), no scheme, nothing that leaves this site. */
	if (s[0] != '/' || s[1] == '/' || s[1] == '\\' || strpbrk(s, "\r\n\t\\") != NULL)
		return "must be a path on this site";
	return NULL;
}

const char *
check_token_shape(const char *s)
{
	if (strlen(s) != 64)
		return "is not a valid link token";
	for (; *s; s++)
		if (!isxdigit((unsigned char)*s) || isupper((unsigned char)*s))
			return "is not a valid link token";
	return NULL;
}

char *
lowercase(const char *s)
{
	char *out = xstrdup(s);

	for (char *p = out; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return out;
}

const char *
registration_mode(void)
{
	static char mode[16];
	PGresult *res = db_exec("auth_settings", 0, NULL);

	if (res == NULL || PQntuples(res) != 1) {
		if (res != NULL)
			PQclear(res);
		return NULL;
	}
	snprintf(mode, sizeof(mode), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return mode;
}

const char *
new_password_problem(long long uid, const char *pw, const char *email, const char *name)
{
	const char *why = password_policy(pw, email, name);
	char id[32];
	const char *p = id;
	PGresult *res;

	if (why != NULL || uid <= 0)
		return why;
	snprintf(id, sizeof(id), "%lld", uid);
	if ((res = db_exec("auth_history_recent", 1, &p)) == NULL)
		return "cannot be checked right now; try again later";
	for (int i = 0; i < PQntuples(res); i++)
		if (password_verify(PQgetvalue(res, i, 0), pw) == 1) {
			PQclear(res);
			return "must differ from your last 5 passwords";
		}
	PQclear(res);
	return NULL;
}

int
store_password(long long uid, const char *pw, long long keep_session)
{
	char mcf[WT_MCF_LEN], id[32], keep[32];
	const char *params[2] = { id, mcf };
	PGresult *res;

	if (password_hash(pw, mcf) != 0)
		return -1;
	snprintf(id, sizeof(id), "%lld", uid);
	snprintf(keep, sizeof(keep), "%lld", keep_session);
	if ((res = db_exec("auth_set_password", 2, params)) == NULL)
		return -1;
	PQclear(res);
	if ((res = db_exec("auth_history_add", 2, params)) == NULL)
		return -1;
	PQclear(res);
	if ((res = db_exec("auth_history_prune", 1, params)) == NULL)
		return -1;
	PQclear(res);
	params[1] = keep;
	res = keep_session > 0 ? db_exec("auth_sessions_end_others", 2, params) :
	    db_exec("auth_sessions_end_all", 1, params);
	if (res == NULL)
		return -1;
	PQclear(res);
	OPENSSL_cleanse(mcf, sizeof(mcf));
	return 0;
}

int
issue_mail_token(long long uid, const char *kind, char out[65])
{
	char hash[65], id[32];
	const char *params[3] = { hash, kind, id };
	PGresult *res;

	if (random_token_hex(32, out) != 0)
		return -1;
	sha256_hex(out, 64, hash);
	snprintf(id, sizeof(id), "%lld", uid);
	/* One live link of a kind at a time: a new one voids the old. */
	params[0] = id;
	params[1] = kind;
	if ((res = db_exec("auth_tokens_revoke", 2, params)) == NULL)
		return -1;
	PQclear(res);
	params[0] = hash;
	params[1] = kind;
	params[2] = id;
	if ((res = db_exec("auth_token_insert", 3, params)) == NULL)
		return -1;
	PQclear(res);
	return 0;
}

int
authenticate(struct wt_req *r, const char *email, const char *pw, long long *uid)
{
	char *key = lowercase(email), when[32];
	const char *ip = r->remote_addr ? r->remote_addr : "";
	long wait = lockout_wait(key, ip);
	PGresult *res;
	int found, good;

	if (wait < 0) {
		free(key);
		db_unavailable(r);
		return -1;
	}
	if (wait > 0) {
		char secs[24];

		wait_text(wait, when, sizeof(when));
		snprintf(secs, sizeof(secs), "%ld", wait);
		resp_set_header(r, "Retry-After", secs);
		free(key);
		form_fail(r, 429, NULL, "Too many failed sign-in attempts. "
		    "Try again in %s.", when);
		return -1;
	}
	if ((res = db_exec("auth_user_by_email", 1, &email)) == NULL) {
		free(key);
		db_unavailable(r);
		return -1;
	}
	found = PQntuples(res) == 1;
	good = password_matches(found && !PQgetisnull(res, 0, 1) ?
	    PQgetvalue(res, 0, 1) : NULL, pw);
	if (!good) {
		PQclear(res);
		lockout_fail(key, ip);
		free(key);
		form_fail(r, 401, NULL, "The e-mail address or the password is not right.");
		return -1;
	}
	if (strcmp(PQgetvalue(res, 0, 2), "disabled") == 0) {
		PQclear(res);
		free(key);
		form_fail(r, 403, NULL, "This account is disabled. Ask your administrator.");
		return -1;
	}
	if (strcmp(PQgetvalue(res, 0, 2), "unverified") == 0) {
		PQclear(res);
		free(key);
		form_fail(r, 403, NULL, "Confirm your e-mail address first: follow the "
		    "link in the message we sent you, or use \"Forgot your password\" "
		    "to have a new link sent.");
		return -1;
	}
	*uid = atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	lockout_clear(key);
	free(key);
	return 0;
}
