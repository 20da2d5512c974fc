/* Invitations: sending one (admins), and the pending ones, which admins
 * and the managers of the invitation's team can see, send again and
 * revoke.  An invitation carries its sender's authority, so the database
 * revokes it when the sender is deleted, deactivated or demoted
 * (sql/008); one to the admin role works for 24 hours, others 7 days. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "admin.h"
#include "conf.h"
#include "crypto.h"
#include "log.h"
#include "mail.h"
#include "view.h"

static const char *const roles[] = { "member", "manager", "admin", NULL };

const struct wt_field invitation_create_fields[] = {
	{ .name = "email", .src = WT_SRC_BODY, .type = WT_T_EMAIL, .flags = WT_REQUIRED,
	  .label = "E-mail" },
	{ .name = "role", .src = WT_SRC_BODY, .type = WT_T_ENUM, .choices = roles,
	  .label = "Role" },
	{ .name = "team_id", .src = WT_SRC_BODY, .type = WT_T_INT, .min = 1,
	  .max = 1LL << 53, .label = "Team" },
	{ .name = NULL }
};

#define NOTICE_ID(n) \
	{ .name = (n), .src = WT_SRC_QUERY, .type = WT_T_INT, .min = 1, .max = 1LL << 53 }

const struct wt_field invitations_fields[] = {
	NOTICE_ID("sent"),
	NOTICE_ID("resent"),
	NOTICE_ID("revoked"),
	{ .name = NULL }
};

const struct wt_field invitation_fields[] = {
	{ .name = "id", .src = WT_SRC_PATH, .type = WT_T_INT, .flags = WT_REQUIRED,
	  .min = 1, .max = 1LL << 53, .label = "Invitation" },
	{ .name = NULL }
};

/* How long a link of this role works, in words for the message. */
static const char *
lifetime(const char *role)
{
	return strcmp(role, "admin") == 0 ? "24 hours" : "7 days";
}

/* The message: the link carries the token, which is stored only as its
 * SHA-256, so a resend makes a new one. */
static struct wt_err *
invitation_mail(const struct wt_req *r, const char *email, const char *role,
    const char *token)
{
	struct wt_buf body;
	struct wt_err *e;

	buf_init(&body);
	buf_printf(&body, "Hello,\n\n%s invites you to %s, where your team keeps track of "
	    "its working time.\nCreate your account within %s with this link:\n\n"
	    "%s/register?invite=%s\n\nIf you did not expect this, ignore this message.\n\n"
	    "-- \n%s\n", r->user->display_name, wt_cfg.site_name, lifetime(role),
	    wt_cfg.site_url, token, wt_cfg.site_name);
	e = mail_queue(email, "You are invited to Worktime", body.data);
	OPENSSL_cleanse(body.data, body.len);
	buf_free(&body);
	return e;
}

/* A new token: its hash for the database, the token itself for the
 * message (cleared by the caller). */
static struct wt_err *
new_token(char token[65], char hash[65])
{
	if (random_token_hex(32, token) != 0)
		return wt_fail(500, NULL, "no randomness available; the error is logged");
	sha256_hex(token, 64, hash);
	return NULL;
}

/* The page around the invitation form and list: also what a refused
 * invitation or revocation is shown on. */
struct wt_err *
invitations_fill(struct wt_req *r)
{
	static const char *const cols[C_ILIST_NCOLS] = {
		[C_ILIST_ID] = "id", [C_ILIST_EMAIL] = "email", [C_ILIST_ROLE] = "role",
		[C_ILIST_TEAM_ID] = "team_id", [C_ILIST_TEAM] = "team",
		[C_ILIST_SENDER] = "sender", [C_ILIST_SENT] = "sent",
		[C_ILIST_EXPIRES] = "expires", [C_ILIST_EXPIRED] = "expired",
		[C_ILIST_SENT_COUNT] = "sent_count" };
	const char *tz = r->user->timezone;
	struct wt_view *v = req_view(r);
	struct wt_err *e;
	PGresult *res;

	if ((e = scoped_exec(r, ST_ADMIN_INVITES_LIST, 1, &tz, &res)) != NULL)
		return e;
	for (int i = 0; i < PQntuples(res); i++)
		for (int c = 0; c < C_ILIST_NCOLS; c++)
			view_setf(v, PQgetvalue(res, i, c), "Invites.%d.%s", i, cols[c]);
	view_set_int(v, "InviteCount", PQntuples(res));
	PQclear(res);
	if (is_admin(r)) {
		view_set(v, "Can.Invite", "1");
		if ((e = team_choices(r, v)) != NULL)
			return e;
	}
	view_set(v, "Page.Nav", "people");
	return NULL;
}

/* "Invitation sent to dana@example.org.": the address read back by id,
 * within the caller's scope, so the notice cannot be made to say
 * anything else. */
static struct wt_err *
notice(struct wt_req *r, const char *field, const char *pre, const char *post)
{
	const char *id = wt_str(r, field);
	struct wt_buf text;
	struct wt_err *e;
	PGresult *res;

	if (id == NULL)
		return NULL;
	if ((e = scoped_exec(r, ST_ADMIN_INVITE_SHOWN, 1, &id, &res)) != NULL)
		return e;
	if (PQntuples(res) == 1) {
		buf_init(&text);
		buf_printf(&text, "%s%s%s", pre, PQgetvalue(res, 0, 0), post);
		view_set(req_view(r), "Notice", text.data);
		buf_free(&text);
	}
	PQclear(res);
	return NULL;
}

struct wt_err *
invitations_page(struct wt_req *r)
{
	const char *tz = r->user->timezone;
	struct wt_err *e;
	PGresult *res;
	json_t *list;

	if (req_wants_json(r)) {
		if ((e = scoped_exec(r, ST_ADMIN_INVITES_LIST, 1, &tz, &res)) != NULL)
			return e;
		list = json_array();
		for (int i = 0; i < PQntuples(res); i++) {
			const char *team = PQgetvalue(res, i, C_ILIST_TEAM_ID);

			json_array_append_new(list, json_pack("{sI ss ss so ss ss ss sb sI}",
			    "id", (json_int_t)atoll(PQgetvalue(res, i, C_ILIST_ID)),
			    "email", PQgetvalue(res, i, C_ILIST_EMAIL),
			    "role", PQgetvalue(res, i, C_ILIST_ROLE),
			    "team_id", *team ? json_integer(atoll(team)) : json_null(),
			    "sender", PQgetvalue(res, i, C_ILIST_SENDER),
			    "sent", PQgetvalue(res, i, C_ILIST_SENT),
			    "expires", PQgetvalue(res, i, C_ILIST_EXPIRES),
			    "expired", strcmp(PQgetvalue(res, i, C_ILIST_EXPIRED), "t") == 0,
			    "sent_count", (json_int_t)atoll(PQgetvalue(res, i, C_ILIST_SENT_COUNT))));
		}
		PQclear(res);
		return wt_json(r, 200, json_pack("{so}", "invitations", list));
	}
	if ((e = invitations_fill(r)) != NULL ||
	    (e = notice(r, "sent", "Invitation sent to ", ".")) != NULL ||
	    (e = notice(r, "resent", "Invitation sent again to ", ", with a new link.")) != NULL ||
	    (e = notice(r, "revoked", "The invitation to ", " is revoked: its link no "
	    "longer works.")) != NULL)
		return e;
	view_set(req_view(r), "Form.Autofocus", "email");
	return wt_html(r, 200, "admin_invitations.cs");
}

/* "/admin/invitations?what=ID" */
static char *
list_location(const char *what, const char *id)
{
	struct wt_buf loc;

	buf_init(&loc);
	buf_printf(&loc, "/admin/invitations?%s=%s", what, id);
	return buf_take(&loc);
}

struct wt_err *
invitation_create(struct wt_req *r)
{
	const char *email = wt_str(r, "email"), *role = wt_str(r, "role");
	const char *team = wt_str(r, "team_id"), *params[5];
	char token[65], hash[65], *after, *id, *loc;
	struct wt_err *e;
	PGresult *res;

	if (role == NULL)
		role = "member";
	if ((res = db_exec(ST_ADMIN_USER_BY_EMAIL, 1, &email)) == NULL)
		return db_err();
	if (PQntuples(res) > 0) {
		PQclear(res);
		return wt_form_fail(409, "email", "%s has an account already", email);
	}
	PQclear(res);
	if (team != NULL) {
		if ((res = db_exec(ST_ADMIN_TEAM_JSON, 1, &team)) == NULL)
			return db_err();
		if (PQntuples(res) != 1) {
			PQclear(res);
			return wt_form_fail(400, "team_id", "That team does not exist any more");
		}
		PQclear(res);
	}
	if ((e = new_token(token, hash)) != NULL)
		return e;
	if (db_begin() != 0) {
		OPENSSL_cleanse(token, sizeof(token));
		return db_err();
	}
	params[0] = hash;
	params[1] = email;
	params[2] = role;
	params[3] = me(r);
	params[4] = team ? team : "0";
	if ((res = db_exec(ST_ADMIN_INVITE_INSERT, 5, params)) == NULL) {
		OPENSSL_cleanse(token, sizeof(token));
		return db_err();
	}
	id = xstrdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	after = json_text(json_pack("{ss ss so}", "email", email, "role", role,
	    "team_id", team ? json_integer(atoll(team)) : json_null()));
	e = audit(r, "user.invite", "user", NULL, email, NULL, after);
	free(after);
	/* Queued in this transaction: the message exists if and only if the
	 * invitation does. */
	if (e == NULL)
		e = invitation_mail(r, email, role, token);
	OPENSSL_cleanse(token, sizeof(token));
	if (e == NULL && db_commit() != 0)
		e = db_err();
	if (e != NULL) {
		free(id);
		return e;
	}
	log_info("admin", "user %lld invited %s as %s", r->user->id, email, role);
	loc = list_location("sent", id);
	e = done(r, 201, json_pack("{ss ss ss sI}", "status", "invited", "email", email,
	    "role", role, "id", (json_int_t)atoll(id)), loc);
	free(loc);
	free(id);
	return e;
}

/* The invitation, locked, in the caller's scope and still live: NULL
 * with its e-mail and audit snapshot (the caller frees them), 404, or a
 * 409 when it was used or revoked meanwhile.  Opens the transaction. */
static struct wt_err *
invitation_lock(struct wt_req *r, const char *id, char **email, char **role, char **json)
{
	struct wt_err *e;
	PGresult *res;
	int live;

	*email = *role = *json = NULL;
	if (db_begin() != 0)
		return db_err();
	if ((e = scoped_exec(r, ST_ADMIN_INVITE_GET, 1, &id, &res)) != NULL)
		return e;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return not_found("invitation");
	}
	live = strcmp(PQgetvalue(res, 0, C_IGET_LIVE), "t") == 0;
	if (!live) {
		e = wt_form_fail(409, NULL, "The invitation to %s was used or revoked already",
		    PQgetvalue(res, 0, C_IGET_EMAIL));
		PQclear(res);
		return e;
	}
	*email = xstrdup(PQgetvalue(res, 0, C_IGET_EMAIL));
	*role = xstrdup(PQgetvalue(res, 0, C_IGET_ROLE));
	*json = xstrdup(PQgetvalue(res, 0, C_IGET_JSON));
	PQclear(res);
	return NULL;
}

struct wt_err *
invitation_revoke(struct wt_req *r)
{
	const char *id = wt_str(r, "id"), *params[2] = { id, me(r) };
	char *email, *role, *before, *loc;
	struct wt_err *e;

	if ((e = invitation_lock(r, id, &email, &role, &before)) != NULL)
		goto out;
	if (db_exec_count(ST_ADMIN_INVITE_REVOKE, 2, params) < 0) {
		e = db_err();
		goto out;
	}
	if ((e = audit(r, "invite.revoke", "invite", id, email, before,
	    "{\"revoked\": true}")) != NULL)
		goto out;
	if (db_commit() != 0) {
		e = db_err();
		goto out;
	}
	log_info("admin", "user %lld revoked invitation %s", r->user->id, id);
	loc = list_location("revoked", id);
	e = done(r, 200, json_pack("{ss ss}", "status", "revoked", "email", email), loc);
	free(loc);
out:
	free(email);
	free(role);
	free(before);
	return e;
}

struct wt_err *
invitation_resend(struct wt_req *r)
{
	const char *id = wt_str(r, "id"), *params[3];
	char *email, *role, *before, *after = NULL, *expires = NULL, *loc;
	char token[65], hash[65];
	struct wt_err *e;
	PGresult *res;

	if ((e = invitation_lock(r, id, &email, &role, &before)) != NULL)
		goto out;
	if ((e = new_token(token, hash)) != NULL)
		goto out;
	params[0] = id;
	params[1] = hash;
	params[2] = r->user->timezone;
	if ((res = db_exec(ST_ADMIN_INVITE_RESEND, 3, params)) == NULL) {
		e = db_err();
		goto clear;
	}
	expires = xstrdup(PQgetvalue(res, 0, C_IRESEND_EXPIRES));
	after = xstrdup(PQgetvalue(res, 0, C_IRESEND_JSON));
	PQclear(res);
	if ((e = audit(r, "invite.resend", "invite", id, email, before, after)) != NULL ||
	    (e = invitation_mail(r, email, role, token)) != NULL)
		goto clear;
	if (db_commit() != 0) {
		e = db_err();
		goto clear;
	}
	log_info("admin", "user %lld sent invitation %s again", r->user->id, id);
	loc = list_location("resent", id);
	e = done(r, 200, json_pack("{ss ss ss}", "status", "sent", "email", email,
	    "expires", expires), loc);
	free(loc);
clear:
	OPENSSL_cleanse(token, sizeof(token));
out:
	free(email);
	free(role);
	free(before);
	free(after);
	free(expires);
	return e;
}
