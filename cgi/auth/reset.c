/* Forgotten passwords: a single-use link by e-mail (30 minutes), then a
 * new password.  The answer to "forgot" is the same for every address,
 * known or not, and goes out before the address is even looked up: the
 * lookup, the link and its message (queued in one transaction, delivered
 * by the mail sender) are work deferred until after the answer, so its
 * timing cannot tell whether the address has an account.  A link works
 * only while the password is the one it was issued under. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "auth.h"
#include "conf.h"
#include "crypto.h"
#include "log.h"
#include "mail.h"
#include "view.h"

const struct wt_field forgot_fields[] = {
	{ .name = "email", .src = WT_SRC_BODY, .type = WT_T_EMAIL,
	  .flags = WT_REQUIRED, .label = "E-mail" },
	{ .name = NULL }
};

const struct wt_field reset_page_fields[] = {
	{ .name = "token", .src = WT_SRC_QUERY, .type = WT_T_STRING,
	  .flags = WT_REQUIRED, .max = 64, .check = check_token_shape, .label = "Link" },
	{ .name = NULL }
};

const struct wt_field reset_fields[] = {
	{ .name = "token", .src = WT_SRC_BODY, .type = WT_T_STRING,
	  .flags = WT_REQUIRED, .max = 64, .check = check_token_shape, .label = "Link" },
	{ .name = "password", .src = WT_SRC_BODY, .type = WT_T_PASSWORD,
	  .flags = WT_REQUIRED, .min = 1, .max = 1024, .label = "New password" },
	{ .name = "password_confirm", .src = WT_SRC_BODY, .type = WT_T_PASSWORD,
	  .max = 1024, .label = "Repeated password" },
	{ .name = NULL }
};

struct wt_err *
forgot_page(struct wt_req *r)
{
	return wt_html(r, 200, "forgot.cs");
}

/* A reset link for the account uid, queued to the address in the same
 * transaction as the token. */
static struct wt_err *
send_reset_link(long long uid, const char *to, const char *name)
{
	char token[65];
	struct wt_buf body;
	struct wt_err *e;

	if (db_begin() != 0)
		return db_err();
	if ((e = issue_mail_token(uid, "reset", token)) != NULL)
		return e;
	buf_init(&body);
	buf_printf(&body, "Hello %s,\n\nsomeone (perhaps you) asked to reset the "
	    "password of your account. Choose a new one by opening this link "
	    "within 30 minutes:\n\n%s/password/reset?token=%s\n\nIf you did not "
	    "ask, ignore this message: your password stays as it is.\n\n-- \n%s\n",
	    name, wt_cfg.site_url, token, wt_cfg.site_name);
	e = mail_queue(to, "Reset your password", body.data);
	OPENSSL_cleanse(token, sizeof(token));
	OPENSSL_cleanse(body.data, body.len);
	buf_free(&body);
	if (e != NULL)
		return e;
	if (db_commit() != 0)
		return db_err();
	log_info("reset", "reset link issued for user %lld", uid);
	return NULL;
}

/* After the answer (app_defer): a link for the address's account, if it
 * has an active one. */
static void
forgot_work(void *email)
{
	const char *p = email;
	PGresult *res;
	struct wt_err *e = NULL;

	if ((res = db_exec(ST_AUTH_USER_BY_EMAIL, 1, &p)) == NULL)
		e = db_err();
	else {
		if (!PQgetisnull(res, 0, C_UBE_ID) &&
		    strcmp(PQgetvalue(res, 0, C_UBE_STATUS), "disabled") != 0)
			e = send_reset_link(atoll(PQgetvalue(res, 0, C_UBE_ID)),
			    PQgetvalue(res, 0, C_UBE_EMAIL), PQgetvalue(res, 0, C_UBE_NAME));
		PQclear(res);
	}
	if (e != NULL) {
		log_write(e->status >= 500 ? WT_ERROR : WT_WARN, "reset", NULL,
		    "no reset link was sent: %s", e->msg);
		err_free(e);
	}
}

struct wt_err *
forgot_post(struct wt_req *r)
{
	const char *text = "If an account exists for that address, we have sent it a "
	    "link to choose a new password. The link works for 30 minutes.";

	app_defer(forgot_work, xstrdup(wt_str(r, "email")), free);
	if (req_wants_json(r))
		return wt_json(r, 202, json_pack("{ss ss}", "status", "sent", "message", text));
	return message_page(r, 200, "Check your e-mail", text, NULL, NULL);
}

/* The account a live reset token belongs to. */
struct reset_target {
	long long	 uid;		/* 0: no live token */
	char		*email;
	char		*name;
};

static void
target_free(struct reset_target *t)
{
	free(t->email);
	free(t->name);
}

static struct wt_err *
peek(const char *token, struct reset_target *t)
{
	char hash[65];
	const char *params[2] = { hash, "reset" };
	PGresult *res;

	t->uid = 0;
	t->email = t->name = NULL;
	sha256_hex(token, strlen(token), hash);
	if ((res = db_exec(ST_AUTH_TOKEN_PEEK, 2, params)) == NULL)
		return db_err();
	if (PQntuples(res) == 1) {
		t->uid = atoll(PQgetvalue(res, 0, C_PEEK_USER_ID));
		t->email = xstrdup(PQgetvalue(res, 0, C_PEEK_EMAIL));
		t->name = xstrdup(PQgetvalue(res, 0, C_PEEK_NAME));
	}
	PQclear(res);
	return NULL;
}

static struct wt_err *
bad_link(struct wt_req *r)
{
	return refusal(r, 400, "token", "Link not valid", "This link is invalid, used or "
	    "expired. Ask for a new one.", "/password/forgot", "Ask for a new link");
}

struct wt_err *
reset_page(struct wt_req *r)
{
	struct reset_target t;
	struct wt_view *v;
	struct wt_err *e;

	if ((e = peek(wt_str(r, "token"), &t)) != NULL)
		return e;
	if (t.uid == 0)
		return bad_link(r);
	v = req_view(r);
	view_set(v, "Form.Value.token", wt_str(r, "token"));
	view_set(v, "Reset.Email", t.email);
	target_free(&t);
	return wt_html(r, 200, "reset.cs");
}

/* Uses the token and sets the password, together or not at all: of two
 * racing requests only one finds the token unused.  *used is 0 when it
 * was not (the transaction is then rolled back). */
static struct wt_err *
use_token_and_set(const char *token, long long uid, const char *pw, int *used)
{
	char hash[65];
	const char *params[2] = { hash, "reset" };
	PGresult *res = NULL;
	struct wt_err *e;

	*used = 0;
	sha256_hex(token, strlen(token), hash);
	if (db_begin() != 0 || (res = db_exec(ST_AUTH_TOKEN_USE, 2, params)) == NULL)
		return db_err();
	*used = PQntuples(res) == 1;
	PQclear(res);
	if (!*used) {
		db_rollback();
		return NULL;
	}
	if ((e = store_password(uid, pw, 0)) != NULL)
		return e;
	if (db_commit() != 0)
		return db_err();
	return NULL;
}

struct wt_err *
reset_post(struct wt_req *r)
{
	const char *token = wt_str(r, "token"), *pw = wt_str(r, "password");
	const char *confirm = wt_str(r, "password_confirm");
	struct reset_target t;
	struct wt_err *e;
	int used = 0;

	if ((e = peek(token, &t)) != NULL)
		return e;
	if (t.uid == 0)
		return bad_link(r);
	if (confirm != NULL && strcmp(confirm, pw) != 0)
		e = wt_form_fail(400, "password_confirm", "The two passwords differ");
	else if ((e = new_password_check(t.uid, pw, t.email, t.name, "Password")) == NULL &&
	    (e = use_token_and_set(token, t.uid, pw, &used)) == NULL && used) {
		char id[24];

		lltoa(t.uid, id);
		lockout_clear(LOCK_USER, id);
	}
	if (e != NULL || !used) {
		target_free(&t);
		return e != NULL ? e : bad_link(r);
	}
	log_info("reset", "user %lld reset the password; all sessions ended", t.uid);
	target_free(&t);
	if (req_wants_json(r))
		return wt_json(r, 200, json_pack("{ss}", "status", "password changed"));
	return message_page(r, 200, "Password changed", "Your new password is set, and "
	    "every session that was signed in has been signed out. Sign in again.",
	    "/login", "Sign in");
}
