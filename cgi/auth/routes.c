/* auth.fcgi: sign-in, sessions, access tokens and password flows.
 * The program is auth_app; main.c only runs it, and the in-process tests
 * (tests/inproc/) dispatch requests to it directly.  The route table: who may call what is in each route's access rule,
 * what they may send is in its fields, declared next to its handler.
 * The sign-in and password-flow pages are for people who are not signed
 * in (WT_ANYONE); everything under /account is the signed-in person's own
 * and nobody else's (every statement there is keyed by r->user->id). */
#include "config.h"

#include "auth.h"

#define OWN_ACCOUNT	"the signed-in person's own account only"

static const struct wt_route routes[] = {
	WT_CORE_ROUTES,
	{ .method = "GET", .pattern = "/login", .handler = login_page,
	  .fields = login_page_fields, .flags = WT_ROUTE_FORM,
	  .access = { WT_ANYONE, "nothing personal (the sign-in form)" } },
	{ .method = "POST", .pattern = "/login", .handler = login_post,
	  .fields = login_fields, .form = "login.cs", .form_page = login_fill,
	  .access = { WT_ANYONE, "the caller's own account, once the password is right" } },
	/* Anyone: signing out without a session only clears the cookie. */
	{ .method = "POST", .pattern = "/logout", .handler = logout_post,
	  .access = { WT_ANYONE, "the caller's own session" } },
	{ .method = "POST", .pattern = "/api/v1/token", .handler = token_post,
	  .fields = token_fields, .flags = WT_ROUTE_NO_CSRF | WT_ROUTE_CORS,
	  .access = { WT_ANYONE, "an access token for the caller's own account, "
	  "once the password is right" } },
	/* The widget's refresh flow (refresh.c): the token is the credential. */
	{ .method = "POST", .pattern = "/api/v1/token/refresh", .handler = token_refresh_post,
	  .fields = refresh_fields, .flags = WT_ROUTE_NO_CSRF | WT_ROUTE_CORS,
	  .access = { WT_ANYONE, "new tokens for the account the refresh token was "
	  "issued to" } },
	{ .method = "POST", .pattern = "/api/v1/token/revoke", .handler = token_revoke_post,
	  .fields = refresh_fields, .flags = WT_ROUTE_NO_CSRF | WT_ROUTE_CORS,
	  .access = { WT_ANYONE, "ends the refresh token sent (and its family)" } },

	{ .method = "GET", .pattern = "/register", .handler = register_page,
	  .fields = register_page_fields, .flags = WT_ROUTE_FORM,
	  .access = { WT_ANYONE, "nothing personal (the registration form; an "
	  "invitation shows its own address)" } },
	{ .method = "POST", .pattern = "/register", .handler = register_post,
	  .fields = register_fields, .form = "register.cs", .form_page = register_fill,
	  .access = { WT_ANYONE, "nothing: the same answer whether the address has "
	  "an account or not" } },
	{ .method = "GET", .pattern = "/verify", .handler = verify_page,
	  .fields = verify_fields,
	  .access = { WT_ANYONE, "nothing (confirms the address the link was sent to)" } },

	{ .method = "GET", .pattern = "/password/forgot", .handler = forgot_page,
	  .flags = WT_ROUTE_FORM,
	  .access = { WT_ANYONE, "nothing personal (the form)" } },
	{ .method = "POST", .pattern = "/password/forgot", .handler = forgot_post,
	  .fields = forgot_fields, .form = "forgot.cs",
	  .access = { WT_ANYONE, "nothing: the same answer for every address" } },
	{ .method = "GET", .pattern = "/password/reset", .handler = reset_page,
	  .fields = reset_page_fields, .flags = WT_ROUTE_FORM,
	  .access = { WT_ANYONE, "the address of the account the link was sent to" } },
	{ .method = "POST", .pattern = "/password/reset", .handler = reset_post,
	  .fields = reset_fields, .form = "reset.cs",
	  .access = { WT_ANYONE, "the account the link was sent to" } },

	/* The forms of the account pages need no WT_ROUTE_FORM: a cookie
	 * session always has its CSRF token, and a bearer caller needs none
	 * (and would be given a pre cookie for nothing). */
	{ .method = "GET", .pattern = "/account", .handler = account_page,
	  .fields = account_page_fields,
	  .access = { WT_ROLE_ANY, OWN_ACCOUNT } },
	{ .method = "POST", .pattern = "/account", .handler = account_post,
	  .fields = profile_fields, .form = "account.cs", .form_page = account_fill,
	  .access = { WT_ROLE_ANY, OWN_ACCOUNT } },
	{ .method = "POST", .pattern = "/account/password", .handler = password_change_post,
	  .fields = password_change_fields, .form = "account.cs", .form_page = account_fill,
	  .access = { WT_ROLE_ANY, OWN_ACCOUNT } },
	{ .method = "GET", .pattern = "/account/sessions", .handler = sessions_page,
	  .fields = sessions_page_fields,
	  .access = { WT_ROLE_ANY, OWN_ACCOUNT " (its sessions)" } },
	{ .method = "POST", .pattern = "/account/sessions/:id/revoke",
	  .handler = session_revoke, .fields = session_fields, .form = "sessions.cs",
	  .form_page = sessions_fill,
	  .access = { WT_ROLE_ANY, OWN_ACCOUNT " (one of its sessions)" } },
	{ .method = "POST", .pattern = "/account/sessions/revoke-others",
	  .handler = sessions_revoke_others,
	  .access = { WT_ROLE_ANY, OWN_ACCOUNT " (its other sessions)" } },
	WT_ROUTES_END
};

const struct wt_app auth_app = {
	.name = "auth",
	.routes = routes,
	.stmts = WT_STMT_TABLE(auth_stmts),
	.constraints = auth_constraints,
	.worker_init = auth_worker_init
};
