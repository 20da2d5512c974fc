/* New accounts: open registration with e-mail verification, or an
 * invitation link (single-use token) that proves the address.  An
 * address that already has an account gets the same answer as a new one
 * (and a message telling its owner), so registering reveals nothing. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "auth.h"
#include "conf.h"
#include "crypto.h"
#include "log.h"
#include "mail.h"
#include "password.h"
#include "session.h"
#include "view.h"

const struct wt_field register_page_fields[] = {
	{ .name = "invite", .src = WT_SRC_QUERY, .type = WT_T_STRING, .max = 64,
	  .check = check_token_shape, .label = "Invitation" },
	{ .name = NULL }
};

const struct wt_field register_fields[] = {
	{ .name = "email", .src = WT_SRC_BODY, .type = WT_T_EMAIL, .label = "E-mail" },
	{ .name = "display_name", .src = WT_SRC_BODY, .type = WT_T_STRING,
	  .flags = WT_REQUIRED, .min = 1, .max = 100, .check = check_one_line,
	  .label = "Name" },
	{ .name = "password", .src = WT_SRC_BODY, .type = WT_T_PASSWORD,
	  .flags = WT_REQUIRED, .min = 1, .max = 1024, .label = "Password" },
	{ .name = "password_confirm", .src = WT_SRC_BODY, .type = WT_T_PASSWORD,
	  .max = 1024, .label = "Repeated password" },
	{ .name = "invite", .src = WT_SRC_BODY, .type = WT_T_STRING, .max = 64,
	  .check = check_token_shape, .label = "Invitation" },
	{ .name = NULL }
};

const struct wt_field verify_fields[] = {
	{ .name = "token", .src = WT_SRC_QUERY, .type = WT_T_STRING,
	  .flags = WT_REQUIRED, .max = 64, .check = check_token_shape, .label = "Link" },
	{ .name = NULL }
};

static const char invite_gone[] = "This invitation link is invalid, used or expired. "
    "Ask for a new one.";

struct invite {
	char	*id;
	char	*email;
	char	*role;
};

static void
invite_free(struct invite *inv)
{
	free(inv->id);
	free(inv->email);
	free(inv->role);
}

/* *found and the invite when the token is live. */
static struct wt_err *
find_invite(const char *token, struct invite *inv, int *found)
{
	char hash[65];
	const char *p = hash;
	PGresult *res = NULL;

	sha256_hex(token, strlen(token), hash);
	if ((res = db_exec(ST_AUTH_INVITE_PEEK, 1, &p)) == NULL)
		return db_err();
	*found = PQntuples(res) == 1;
	if (*found) {
		inv->id = xstrdup(PQgetvalue(res, 0, C_INVITE_ID));
		inv->email = xstrdup(PQgetvalue(res, 0, C_INVITE_EMAIL));
		inv->role = xstrdup(PQgetvalue(res, 0, C_INVITE_ROLE));
	}
	PQclear(res);
	return NULL;
}

/* The invitation's address (Invite.Email) and token, for the form; 400
 * when the link is not live. */
static struct wt_err *
invite_view(struct wt_req *r, const char *token)
{
	struct invite inv = { NULL, NULL, NULL };
	struct wt_view *v;
	struct wt_err *e;
	int found = 0;

	if ((e = find_invite(token, &inv, &found)) != NULL)
		return e;
	if (!found)
		return refusal(r, 400, "invite", "Invitation not valid", invite_gone,
		    "/login", "Sign in");
	v = req_view(r);
	view_set(v, "Form.Value.email", inv.email);
	view_set(v, "Form.Value.invite", token);
	view_set(v, "Invite.Email", inv.email);
	view_set(v, "Form.Autofocus", "display_name");
	invite_free(&inv);
	return NULL;
}

struct wt_err *
register_page(struct wt_req *r)
{
	const char *token = wt_str(r, "invite");
	enum reg_mode mode;
	struct wt_err *e;

	if ((e = registration_mode(&mode)) != NULL)
		return e;
	/* A person who followed a link to this page is told how to get in,
	 * not refused; a script is refused. */
	if (token == NULL && mode == REG_CLOSED)
		return req_wants_json(r) ? wt_fail(403, NULL, "Registration is closed") :
		    message_page(r, 200, "Registration is closed",
		    "Accounts on this site are created by its administrators. Ask yours "
		    "for an invitation: it comes by e-mail, with a link to create your "
		    "account.", "/login", "Sign in");
	if (token == NULL && mode == REG_INVITE)
		return req_wants_json(r) ? wt_fail(403, NULL, "Registration is by invitation") :
		    message_page(r, 200, "Registration is by invitation",
		    "To join, ask your administrator to invite you: the invitation comes by "
		    "e-mail, with a link to create your account.", "/login", "Sign in");
	if (token != NULL) {
		if ((e = invite_view(r, token)) != NULL || r->resp.done)
			return e;
	} else
		view_set(req_view(r), "Form.Autofocus", "email");
	return wt_html(r, 200, "register.cs");
}

/* The form again after a refused post: with an invitation, its address
 * (the form has no field for it), whatever went wrong. */
struct wt_err *
register_fill(struct wt_req *r)
{
	const char *token = wt_str(r, "invite");
	struct invite inv = { NULL, NULL, NULL };
	struct wt_err *e;
	int found = 0;

	if (token == NULL)
		return NULL;
	if ((e = find_invite(token, &inv, &found)) != NULL)
		return e;
	if (found)
		view_set(req_view(r), "Invite.Email", inv.email);
	invite_free(&inv);
	return NULL;
}

/* Queues a message with a link to this site, in the current
 * transaction. */
static struct wt_err *
queue_link(const char *to, const char *name, const char *subject, const char *intro,
    const char *path, const char *token, const char *outro)
{
	struct wt_buf body;
	struct wt_err *e;

	buf_init(&body);
	buf_printf(&body, "Hello %s,\n\n%s\n\n%s%s%s\n\n%s\n\n-- \n%s\n", name, intro,
	    wt_cfg.site_url, path, token ? token : "", outro, wt_cfg.site_name);
	e = mail_queue(to, subject, body.data);
	OPENSSL_cleanse(body.data, body.len);
	buf_free(&body);
	return e;
}

static struct wt_err *
answer_check_mail(struct wt_req *r)
{
	if (req_wants_json(r))
		return wt_json(r, 202, json_pack("{ss ss}", "status", "verification sent",
		    "message", "Check your e-mail: follow the link we sent to confirm "
		    "your address."));
	return message_page(r, 200, "Check your e-mail",
	    "We sent you a link to confirm your address. It works for 30 minutes.",
	    NULL, NULL);
}

/* Checks the passwords of the form, then begins a transaction and
 * inserts the user with its first password in the history.  *uid is 0
 * (and the transaction left open) when the address has an account. */
static struct wt_err *
insert_user(struct wt_req *r, const char *email, const char *role, const char *status,
    long long *uid)
{
	const char *name = wt_str(r, "display_name"), *pw = wt_str(r, "password");
	const char *confirm = wt_str(r, "password_confirm"), *params[5];
	char mcf[WT_MCF_LEN], id[24];
	struct wt_err *e = NULL;
	PGresult *res = NULL;

	*uid = 0;
	if (confirm != NULL && strcmp(confirm, pw) != 0)
		return wt_form_fail(400, "password_confirm", "The two passwords differ");
	if ((e = new_password_check(0, pw, email, name, "Password")) != NULL)
		return e;
	if (password_hash(pw, mcf) != 0) {
		log_error("register", "password_hash failed");
		return wt_fail(500, NULL, "the password could not be stored");
	}
	params[0] = email;
	params[1] = name;
	params[2] = mcf;
	params[3] = role;
	params[4] = status;
	if (db_begin() != 0 || (res = db_exec(ST_AUTH_USER_INSERT, 5, params)) == NULL) {
		e = db_err();
		goto out;
	}
	if (PQntuples(res) == 1)
		*uid = atoll(PQgetvalue(res, 0, C_INSERT_ID));
	PQclear(res);
	if (*uid > 0) {
		lltoa(*uid, id);
		params[0] = id;
		params[1] = mcf;
		if ((res = db_exec(ST_AUTH_HISTORY_ADD, 2, params)) == NULL)
			e = db_err();
		else
			PQclear(res);
	}
out:
	OPENSSL_cleanse(mcf, sizeof(mcf));
	return e;
}

/* Open registration: an unverified account and a link to confirm the
 * address; for an address with an account, a note to its owner. */
static struct wt_err *
register_open(struct wt_req *r, const char *email)
{
	char token[65];
	long long uid;
	struct wt_err *e;

	if ((e = insert_user(r, email, "member", "unverified", &uid)) != NULL)
		return e;
	if (uid == 0) {
		if ((e = queue_link(email, "there",
		    "Someone tried to register with your address",
		    "Someone (perhaps you) tried to create an account with this address. "
		    "You have an account already; sign in here:", "/login", NULL,
		    "Forgot the password? Reset it from the sign-in page. If it was not "
		    "you, you can ignore this message.")) != NULL)
			return e;
		if (db_commit() != 0)
			return db_err();
		log_info("register", "registration attempt for an existing address");
		return answer_check_mail(r);
	}
	if ((e = issue_mail_token(uid, "verify", token)) != NULL)
		return e;
	e = queue_link(email, wt_str(r, "display_name"), "Confirm your e-mail address",
	    "Please confirm your e-mail address by opening this link within 30 minutes:",
	    "/verify?token=", token,
	    "If you did not create an account, ignore this message.");
	OPENSSL_cleanse(token, sizeof(token));
	if (e != NULL)
		return e;
	if (db_commit() != 0)
		return db_err();
	log_info("register", "user %lld registered; verification sent", uid);
	return answer_check_mail(r);
}

/* An invitation: the account is active at once (the link proved the
 * address), in the invitation's team, and signed in. */
static struct wt_err *
register_invited(struct wt_req *r, const struct invite *inv)
{
	char id[24];
	const char *params[2] = { inv->id, id };
	long long uid;
	PGresult *res = NULL;
	int used;
	struct wt_err *e;

	if ((e = insert_user(r, inv->email, inv->role, "active", &uid)) != NULL)
		return e;
	if (uid == 0)
		return wt_form_fail(409, "email", "An account with this address exists "
		    "already: sign in or reset your password.");
	lltoa(uid, id);
	if ((res = db_exec(ST_AUTH_INVITE_USE, 2, params)) == NULL)
		return db_err();
	used = PQntuples(res) == 1;
	PQclear(res);
	if (!used)
		return wt_form_fail(400, "invite", "This invitation was used a moment ago.");
	if ((res = db_exec(ST_AUTH_INVITE_TEAM, 2, params)) == NULL)
		return db_err();
	PQclear(res);
	if (db_commit() != 0)
		return db_err();
	if ((e = session_start(r, uid)) != NULL)
		return e;
	log_info("register", "user %lld joined by invitation", uid);
	if (req_wants_json(r))
		return wt_json(r, 201, json_pack("{ss ss}", "status", "registered",
		    "email", inv->email));
	return wt_redirect(r, 303, "/");
}

struct wt_err *
register_post(struct wt_req *r)
{
	const char *token = wt_str(r, "invite"), *email = wt_str(r, "email");
	struct invite inv = { NULL, NULL, NULL };
	enum reg_mode mode;
	struct wt_err *e;
	int found = 0;

	if ((e = registration_mode(&mode)) != NULL)
		return e;
	if (token == NULL) {
		if (mode != REG_OPEN)
			return wt_form_fail(403, NULL, "%s", mode == REG_CLOSED ?
			    "Registration is closed. Ask your administrator for an account." :
			    "Registration is by invitation. Ask your administrator for a link.");
		if (email == NULL)
			return wt_form_fail(400, "email", "E-mail is required");
		return register_open(r, email);
	}
	/* The invited address counts, whatever the form says. */
	if ((e = find_invite(token, &inv, &found)) == NULL)
		e = found ? register_invited(r, &inv) :
		    wt_form_fail(400, "invite", "%s", invite_gone);
	invite_free(&inv);
	return e;
}

struct wt_err *
verify_page(struct wt_req *r)
{
	const char *token = wt_str(r, "token"), *params[2];
	char hash[65], *uid = NULL;
	PGresult *res = NULL;

	sha256_hex(token, strlen(token), hash);
	params[0] = hash;
	params[1] = "verify";
	if (db_begin() != 0 || (res = db_exec(ST_AUTH_TOKEN_USE, 2, params)) == NULL)
		return db_err();
	if (PQntuples(res) == 1)
		uid = xstrdup(PQgetvalue(res, 0, C_USE_USER_ID));
	PQclear(res);
	if (uid == NULL) {
		db_rollback();
		if (req_wants_json(r))
			return wt_fail(400, "token", "This link is invalid, used or expired.");
		return message_page(r, 400, "Link not valid", "This link is invalid, used "
		    "or expired. Sign in to have a new one sent, or register again.",
		    NULL, NULL);
	}
	params[0] = uid;
	if ((res = db_exec(ST_AUTH_USER_VERIFY, 1, params)) == NULL) {
		free(uid);
		return db_err();
	}
	PQclear(res);
	if (db_commit() != 0) {
		free(uid);
		return db_err();
	}
	log_info("verify", "user %s confirmed the address", uid);
	free(uid);
	if (req_wants_json(r))
		return wt_json(r, 200, json_pack("{ss}", "status", "verified"));
	return message_page(r, 200, "Address confirmed",
	    "Thank you: your e-mail address is confirmed. You can sign in now.",
	    "/login", "Sign in");
}
