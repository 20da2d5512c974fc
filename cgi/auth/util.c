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
#include "view.h"

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
	OPENSSL_cleanse(pw, sizeof(pw));
	return 0;
}

void
lltoa(long long n, char out[24])
{
	/* 20 digits and a sign at most: cannot be cut short. */
	snprintf(out, 24, "%lld", n);
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
check_token_shape(const char *s)
{
	if (strlen(s) != 64)
		return "is not a valid link token";
	for (; *s; s++)
		if (!isxdigit((unsigned char)*s) || isupper((unsigned char)*s))
			return "is not a valid link token";
	return NULL;
}

struct wt_err *
registration_mode(enum reg_mode *mode)
{
	PGresult *res = db_exec(ST_AUTH_SETTINGS, 0, NULL);
	const char *m;

	if (res == NULL)
		return db_err();
	if (PQntuples(res) != 1) {
		PQclear(res);
		log_error("auth", "the settings table has no row");
		return wt_fail(500, NULL, "the server's settings are missing; the error is logged");
	}
	m = PQgetvalue(res, 0, C_SETTINGS_MODE);
	/* The schema allows these three only; anything else closes. */
	*mode = strcmp(m, "open") == 0 ? REG_OPEN : strcmp(m, "invite") == 0 ? REG_INVITE :
	    REG_CLOSED;
	PQclear(res);
	return NULL;
}

struct wt_err *
new_password_check(long long uid, const char *pw, const char *email, const char *name,
    const char *prefix)
{
	const char *why = password_policy(pw, email, name);
	char id[24];
	const char *p = id;
	PGresult *res;
	int reused = 0;

	if (why != NULL)
		return wt_form_fail(400, "password", "%s %s", prefix, why);
	if (uid <= 0)
		return NULL;
	lltoa(uid, id);
	if ((res = db_exec(ST_AUTH_HISTORY_RECENT, 1, &p)) == NULL)
		return db_err();
	for (int i = 0; i < PQntuples(res) && !reused; i++)
		reused = password_verify(PQgetvalue(res, i, C_HISTORY_HASH), pw) == 1;
	PQclear(res);
	if (reused)
		return wt_form_fail(400, "password", "%s must differ from your last 5 passwords",
		    prefix);
	return NULL;
}

/* Runs a statement whose result is not needed. */
static struct wt_err *
run(int stmt, int n, const char *const *params)
{
	PGresult *res = db_exec(stmt, n, params);

	if (res == NULL)
		return db_err();
	PQclear(res);
	return NULL;
}

struct wt_err *
store_password(long long uid, const char *pw, long long keep_session)
{
	char mcf[WT_MCF_LEN], id[24], keep[24];
	const char *params[2] = { id, mcf };
	struct wt_err *e;

	if (password_hash(pw, mcf) != 0) {
		log_error("auth", "password_hash failed");
		return wt_fail(500, NULL, "the password could not be stored");
	}
	lltoa(uid, id);
	lltoa(keep_session, keep);
	if ((e = run(ST_AUTH_SET_PASSWORD, 2, params)) == NULL &&
	    (e = run(ST_AUTH_HISTORY_ADD, 2, params)) == NULL &&
	    (e = run(ST_AUTH_HISTORY_PRUNE, 1, params)) == NULL) {
		params[1] = keep;
		e = keep_session > 0 ? run(ST_AUTH_SESSIONS_END_OTHERS, 2, params) :
		    run(ST_AUTH_SESSIONS_END_ALL, 1, params);
	}
	OPENSSL_cleanse(mcf, sizeof(mcf));
	return e;
}

struct wt_err *
issue_mail_token(long long uid, const char *kind, char out[65])
{
	char hash[65], id[24];
	const char *revoke[2] = { id, kind }, *insert[3] = { hash, kind, id };
	struct wt_err *e;

	if (random_token_hex(32, out) != 0)
		return wt_fail(500, NULL, "no randomness available");
	sha256_hex(out, 64, hash);
	lltoa(uid, id);
	/* One live link of a kind at a time: a new one voids the old. */
	if ((e = run(ST_AUTH_TOKENS_REVOKE, 2, revoke)) != NULL ||
	    (e = run(ST_AUTH_TOKEN_INSERT, 3, insert)) != NULL) {
		OPENSSL_cleanse(out, 65);
		return e;
	}
	return NULL;
}

struct wt_err *
authenticate(struct wt_req *r, const char *email, const char *pw, long long *uid)
{
	const char *ip = r->remote_addr ? r->remote_addr : "";
	const char *kind = LOCK_ADDRESS, *key;
	char id[24];
	PGresult *res;
	struct wt_err *e;
	long wait;
	int found, good;

	/* The account first, found by the address's normal form: its
	 * failures are counted against its id, so every spelling that finds
	 * it meets the same counter and the same lock. */
	if ((res = db_exec(ST_AUTH_USER_BY_EMAIL, 1, &email)) == NULL)
		return db_err();
	found = !PQgetisnull(res, 0, C_UBE_ID);
	key = PQgetvalue(res, 0, C_UBE_EMAIL);
	if (found) {
		kind = LOCK_USER;
		key = strcpy(id, PQgetvalue(res, 0, C_UBE_ID));
	}
	if ((e = lockout_wait(kind, key, ip, &wait)) != NULL || wait > 0) {
		PQclear(res);
		return e != NULL ? e :
		    lockout_error(wait, NULL, "Too many failed sign-in attempts.");
	}
	good = password_matches(found && !PQgetisnull(res, 0, C_UBE_HASH) ?
	    PQgetvalue(res, 0, C_UBE_HASH) : NULL, pw);
	if (!good) {
		lockout_fail(kind, key, ip);
		PQclear(res);
		return wt_form_fail(401, NULL, "The e-mail address or the password is not right.");
	}
	if (strcmp(PQgetvalue(res, 0, C_UBE_STATUS), "disabled") == 0) {
		PQclear(res);
		return wt_form_fail(403, NULL, "This account is disabled. Ask your administrator.");
	}
	if (strcmp(PQgetvalue(res, 0, C_UBE_STATUS), "unverified") == 0) {
		PQclear(res);
		return wt_form_fail(403, NULL, "Confirm your e-mail address first: follow the "
		    "link in the message we sent you, or use \"Forgot your password\" "
		    "to have a new link sent.");
	}
	*uid = atoll(PQgetvalue(res, 0, C_UBE_ID));
	PQclear(res);
	lockout_clear(LOCK_USER, id);
	return NULL;
}

struct wt_err *
message_page(struct wt_req *r, int status, const char *title, const char *text,
    const char *link, const char *link_text)
{
	struct wt_view *v = req_view(r);

	view_set(v, "Message.Title", title);
	view_set(v, "Message.Text", text);
	if (link != NULL) {
		view_set(v, "Message.Link", link);
		view_set(v, "Message.LinkText", link_text);
	}
	return wt_html(r, status, "message.cs");
}

struct wt_err *
refusal(struct wt_req *r, int status, const char *field, const char *title,
    const char *text, const char *link, const char *link_text)
{
	/* The core's error page has no room for a title or a way on, so a
	 * browser gets the message page; nothing of the request may be
	 * kept, as the dispatcher would ensure for an error value. */
	db_rollback();
	if (req_wants_json(r))
		return wt_fail(status, field, "%s", text);
	return message_page(r, status, title, text, link, link_text);
}
