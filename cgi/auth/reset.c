/* Forgotten passwords: a single-use link by e-mail (30 minutes), then a
 * new password.  The answer to "forgot" is the same for every address,
 * known or not, and the message goes out after the answer. */
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
#include "session.h"
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

void
forgot_page(struct wt_req *r)
{
	csrf_token(r);
	wt_html(r, 200, "forgot.cs");
}

void
forgot_post(struct wt_req *r)
{
	const char *email = wt_str(r, "email");
	const char *text = "If an account exists for that address, we have sent it a "
	    "link to choose a new password. The link works for 30 minutes.";
	char token[65];
	PGresult *res;

	if ((res = db_exec("auth_user_by_email", 1, &email)) == NULL) {
		db_unavailable(r);
		return;
	}
	if (PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 2), "disabled") != 0) {
		long long uid = atoll(PQgetvalue(res, 0, 0));
		struct wt_buf body;

		if (issue_mail_token(uid, "reset", token) != 0) {
			PQclear(res);
			db_unavailable(r);
			return;
		}
		buf_init(&body);
		buf_printf(&body, "Hello %s,\n\nsomeone (perhaps you) asked to reset the "
		    "password of your account. Choose a new one by opening this link "
		    "within 30 minutes:\n\n%s/password/reset?token=%s\n\nIf you did not "
		    "ask, ignore this message: your password stays as it is.\n\n-- \n%s\n",
		    PQgetvalue(res, 0, 3), config_get("site.url"), token,
		    config_get("site.name"));
		mail_queue(email, "Reset your password", body.data);
		OPENSSL_cleanse(token, sizeof(token));
		buf_free(&body);
		log_info("reset", "reset link issued for user %lld", uid);
	}
	PQclear(res);
	if (req_wants_json(r)) {
		wt_json(r, 202, json_pack("{ss ss}", "status", "sent", "message", text));
		return;
	}
	view_set(req_view(r), "Message.Title", "Check your e-mail");
	view_set(req_view(r), "Message.Text", text);
	wt_html(r, 200, "message.cs");
}

/* The user a live reset token belongs to: 1 found, 0 not, -1 error. */
static int
peek(const char *token, long long *uid, char *email, size_t elen, char *name, size_t nlen)
{
	char hash[65];
	const char *params[2] = { hash, "reset" };
	PGresult *res;
	int found;

	sha256_hex(token, strlen(token), hash);
	if ((res = db_exec("auth_token_peek", 2, params)) == NULL)
		return -1;
	found = PQntuples(res) == 1;
	if (found) {
		*uid = atoll(PQgetvalue(res, 0, 0));
		snprintf(email, elen, "%s", PQgetvalue(res, 0, 1));
		snprintf(name, nlen, "%s", PQgetvalue(res, 0, 2));
	}
	PQclear(res);
	return found;
}

static void
bad_link(struct wt_req *r)
{
	if (req_wants_json(r)) {
		wt_error(r, 400, "token", "This link is invalid, used or expired. "
		    "Ask for a new one.");
		return;
	}
	view_set(req_view(r), "Message.Title", "Link not valid");
	view_set(req_view(r), "Message.Text", "This link is invalid, used or expired. "
	    "Ask for a new one.");
	view_set(req_view(r), "Message.Link", "/password/forgot");
	view_set(req_view(r), "Message.LinkText", "Ask for a new link");
	wt_html(r, 400, "message.cs");
}

void
reset_page(struct wt_req *r)
{
	char email[256], name[128];
	long long uid;
	int found = peek(wt_str(r, "token"), &uid, email, sizeof(email), name, sizeof(name));

	if (found < 0) {
		db_unavailable(r);
		return;
	}
	if (!found) {
		bad_link(r);
		return;
	}
	csrf_token(r);
	view_set(req_view(r), "Form.Value.token", wt_str(r, "token"));
	view_set(req_view(r), "Reset.Email", email);
	wt_html(r, 200, "reset.cs");
}

void
reset_post(struct wt_req *r)
{
	const char *token = wt_str(r, "token"), *pw = wt_str(r, "password");
	const char *confirm = wt_str(r, "password_confirm"), *why, *params[2];
	char email[256], name[128], hash[65];
	long long uid;
	int found;
	PGresult *res;

	if ((found = peek(token, &uid, email, sizeof(email), name, sizeof(name))) < 0) {
		db_unavailable(r);
		return;
	}
	if (!found) {
		bad_link(r);
		return;
	}
	if (confirm != NULL && strcmp(confirm, pw) != 0) {
		form_fail(r, 400, "password_confirm", "The two passwords differ");
		return;
	}
	if ((why = new_password_problem(uid, pw, email, name)) != NULL) {
		form_fail(r, 400, "password", "Password %s", why);
		return;
	}
	if (db_begin() != 0) {
		db_unavailable(r);
		return;
	}
	/* Using the token and setting the password happen together or not
	 * at all; of two racing requests only one finds the token unused. */
	sha256_hex(token, strlen(token), hash);
	params[0] = hash;
	params[1] = "reset";
	if ((res = db_exec("auth_token_use", 2, params)) == NULL) {
		db_unavailable(r);
		return;
	}
	found = PQntuples(res) == 1;
	PQclear(res);
	if (!found) {
		db_rollback();
		bad_link(r);
		return;
	}
	if (store_password(uid, pw, 0) != 0 || db_commit() != 0) {
		db_unavailable(r);
		return;
	}
	lockout_clear(email);
	log_info("reset", "user %lld reset the password; all sessions ended", uid);
	if (req_wants_json(r)) {
		wt_json(r, 200, json_pack("{ss}", "status", "password changed"));
		return;
	}
	view_set(req_view(r), "Message.Title", "Password changed");
	view_set(req_view(r), "Message.Text", "Your new password is set, and every "
	    "session that was signed in has been signed out. Sign in again.");
	view_set(req_view(r), "Message.Link", "/login");
	view_set(req_view(r), "Message.LinkText", "Sign in");
	wt_html(r, 200, "message.cs");
}
