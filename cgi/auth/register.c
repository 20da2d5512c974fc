/* New accounts: open registration with e-mail verification, or an
 * invitation link (single-use token) that proves the address.  An
 * address that already has an account gets the same answer as a new one
 * (and a message telling its owner), so registering reveals nothing. */
#include "config.h"

#include <stdio.h>
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
	  .flags = WT_REQUIRED, .min = 1, .max = 100, .label = "Name" },
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

struct invite {
	char	id[32];
	char	email[256];
	char	role[16];
};

/* 1 and the invite when the token is live, 0 when not, -1 on error. */
static int
find_invite(const char *token, struct invite *inv)
{
	char hash[65];
	const char *p = hash;
	PGresult *res;
	int found;

	sha256_hex(token, strlen(token), hash);
	if ((res = db_exec("auth_invite_peek", 1, &p)) == NULL)
		return -1;
	found = PQntuples(res) == 1;
	if (found) {
		snprintf(inv->id, sizeof(inv->id), "%s", PQgetvalue(res, 0, 0));
		snprintf(inv->email, sizeof(inv->email), "%s", PQgetvalue(res, 0, 1));
		snprintf(inv->role, sizeof(inv->role), "%s", PQgetvalue(res, 0, 2));
	}
	PQclear(res);
	return found;
}

static void
message_page(struct wt_req *r, int status, const char *title, const char *text)
{
	struct wt_view *v = req_view(r);

	view_set(v, "Message.Title", title);
	view_set(v, "Message.Text", text);
	wt_html(r, status, "message.cs");
}

/* 1 with the invite when the token is live; else 0 after answering,
 * on the form (in_form) or as a page of its own. */
static int
live_invite(struct wt_req *r, const char *token, struct invite *inv, int in_form)
{
	static const char text[] = "This invitation link is invalid, used or expired. "
	    "Ask for a new one.";
	int found = find_invite(token, inv);

	if (found < 0)
		db_unavailable(r);
	else if (!found && in_form)
		form_fail(r, 400, "invite", "%s", text);
	else if (!found)
		message_page(r, 400, "Invitation not valid", text);
	return found > 0;
}

void
register_page(struct wt_req *r)
{
	const char *mode = registration_mode(), *invite = wt_str(r, "invite");
	struct wt_view *v = req_view(r);
	struct invite inv;

	if (mode == NULL) {
		db_unavailable(r);
		return;
	}
	if (invite != NULL) {
		if (!live_invite(r, invite, &inv, 0))
			return;
		view_set(v, "Form.Value.email", inv.email);
		view_set(v, "Form.Value.invite", invite);
		view_set(v, "Invite.Email", inv.email);
	} else if (strcmp(mode, "closed") == 0) {
		message_page(r, 403, "Registration is closed",
		    "Accounts are created by the administrators. Ask yours for one.");
		return;
	} else if (strcmp(mode, "invite") == 0) {
		message_page(r, 403, "Registration is by invitation",
		    "Ask your administrator for an invitation link.");
		return;
	}
	csrf_token(r);
	wt_html(r, 200, "register.cs");
}

static void
queue_link(const char *to, const char *name, const char *subject, const char *intro,
    const char *path, const char *token, const char *outro)
{
	struct wt_buf body;

	buf_init(&body);
	buf_printf(&body, "Hello %s,\n\n%s\n\n%s%s%s\n\n%s\n\n-- \n%s\n", name, intro,
	    config_get("site.url"), path, token ? token : "", outro,
	    config_get("site.name"));
	mail_queue(to, subject, body.data);
	buf_free(&body);
}

static void
answer_check_mail(struct wt_req *r)
{
	if (req_wants_json(r)) {
		wt_json(r, 202, json_pack("{ss ss}", "status", "verification sent",
		    "message", "Check your e-mail: follow the link we sent to confirm "
		    "your address."));
		return;
	}
	message_page(r, 200, "Check your e-mail",
	    "We sent you a link to confirm your address. It works for 30 minutes.");
}

static int
add_history(const char *uid, const char *mcf)
{
	const char *params[2] = { uid, mcf };
	PGresult *res = db_exec("auth_history_add", 2, params);

	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

void
register_post(struct wt_req *r)
{
	const char *mode = registration_mode(), *invite = wt_str(r, "invite");
	const char *name = wt_str(r, "display_name"), *pw = wt_str(r, "password");
	const char *confirm = wt_str(r, "password_confirm"), *email, *why;
	const char *params[5];
	char mcf[WT_MCF_LEN], uid[32], token[65];
	struct invite inv;
	PGresult *res;

	if (mode == NULL) {
		db_unavailable(r);
		return;
	}
	if (invite != NULL) {
		if (!live_invite(r, invite, &inv, 1))
			return;
		email = inv.email;
	} else if (strcmp(mode, "open") != 0) {
		form_fail(r, 403, NULL, strcmp(mode, "closed") == 0 ?
		    "Registration is closed. Ask your administrator for an account." :
		    "Registration is by invitation. Ask your administrator for a link.");
		return;
	} else if ((email = wt_str(r, "email")) == NULL) {
		form_fail(r, 400, "email", "E-mail is required");
		return;
	}
	if (confirm != NULL && strcmp(confirm, pw) != 0) {
		form_fail(r, 400, "password_confirm", "The two passwords differ");
		return;
	}
	if ((why = new_password_problem(0, pw, email, name)) != NULL) {
		form_fail(r, 400, "password", "Password %s", why);
		return;
	}
	if (password_hash(pw, mcf) != 0) {
		wt_error(r, 500, NULL, "the password could not be stored");
		return;
	}
	if (db_begin() != 0) {
		db_unavailable(r);
		return;
	}
	params[0] = email;
	params[1] = name;
	params[2] = mcf;
	params[3] = invite != NULL ? inv.role : "member";
	params[4] = invite != NULL ? "active" : "unverified";
	if ((res = db_exec("auth_user_insert", 5, params)) == NULL) {
		int taken = strcmp(db_sqlstate(), SQLSTATE_UNIQUE_VIOLATION) == 0;

		db_rollback();
		if (!taken) {
			db_unavailable(r);
			return;
		}
		if (invite != NULL) {
			form_fail(r, 409, "email", "An account with this address exists "
			    "already: sign in or reset your password.");
			return;
		}
		queue_link(email, "there", "Someone tried to register with your address",
		    "Someone (perhaps you) tried to create an account with this address. "
		    "You have an account already; sign in here:", "/login", NULL,
		    "Forgot the password? Reset it from the sign-in page. If it was not "
		    "you, you can ignore this message.");
		log_info("register", "registration attempt for an existing address");
		answer_check_mail(r);
		return;
	}
	snprintf(uid, sizeof(uid), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	if (add_history(uid, mcf) != 0) {
		db_unavailable(r);
		return;
	}
	OPENSSL_cleanse(mcf, sizeof(mcf));
	if (invite != NULL) {
		params[0] = inv.id;
		params[1] = uid;
		if ((res = db_exec("auth_invite_use", 2, params)) == NULL) {
			db_unavailable(r);
			return;
		}
		if (PQntuples(res) != 1) {
			PQclear(res);
			db_rollback();
			form_fail(r, 400, "invite", "This invitation was used a moment ago.");
			return;
		}
		PQclear(res);
		if ((res = db_exec("auth_invite_team", 2, params)) == NULL) {
			db_unavailable(r);
			return;
		}
		PQclear(res);
		if (db_commit() != 0 || session_start(r, atoll(uid)) != 0) {
			db_unavailable(r);
			return;
		}
		log_info("register", "user %s joined by invitation", uid);
		if (req_wants_json(r))
			wt_json(r, 201, json_pack("{ss ss}", "status", "registered",
			    "email", email));
		else
			wt_redirect(r, 303, "/");
		return;
	}
	if (issue_mail_token(atoll(uid), "verify", token) != 0 || db_commit() != 0) {
		db_unavailable(r);
		return;
	}
	queue_link(email, name, "Confirm your e-mail address",
	    "Please confirm your e-mail address by opening this link within 30 minutes:",
	    "/verify?token=", token,
	    "If you did not create an account, ignore this message.");
	OPENSSL_cleanse(token, sizeof(token));
	log_info("register", "user %s registered; verification sent", uid);
	answer_check_mail(r);
}

void
verify_page(struct wt_req *r)
{
	const char *token = wt_str(r, "token"), *params[2];
	char hash[65];
	PGresult *res;
	int ok;

	sha256_hex(token, strlen(token), hash);
	params[0] = hash;
	params[1] = "verify";
	if ((res = db_exec("auth_token_use", 2, params)) == NULL) {
		db_unavailable(r);
		return;
	}
	ok = PQntuples(res) == 1;
	if (ok) {
		const char *uid = PQgetvalue(res, 0, 0);
		PGresult *u = db_exec("auth_user_verify", 1, &uid);

		if (u == NULL) {
			PQclear(res);
			db_unavailable(r);
			return;
		}
		PQclear(u);
		log_info("verify", "user %s confirmed the address", uid);
	}
	PQclear(res);
	if (!ok) {
		if (req_wants_json(r))
			wt_error(r, 400, "token", "This link is invalid, used or expired.");
		else
			message_page(r, 400, "Link not valid", "This link is invalid, used "
			    "or expired. Sign in to have a new one sent, or register again.");
		return;
	}
	if (req_wants_json(r))
		wt_json(r, 200, json_pack("{ss}", "status", "verified"));
	else {
		view_set(req_view(r), "Message.Link", "/login");
		view_set(req_view(r), "Message.LinkText", "Sign in");
		message_page(r, 200, "Address confirmed",
		    "Thank you: your e-mail address is confirmed. You can sign in now.");
	}
}
