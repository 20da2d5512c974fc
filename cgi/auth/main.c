/* auth.fcgi: sign-in, sessions, access tokens and password flows.
 * The route table: who may call what is in the flags (SIGNED_IN) and
 * what they may send is in each route's fields, declared next to its
 * handler. */
#include "config.h"

#include "auth.h"

static const struct wt_route routes[] = {
	WT_CORE_ROUTES,
	{ .method = "GET", .pattern = "/login", .handler = login_page,
	  .fields = login_page_fields },
	{ .method = "POST", .pattern = "/login", .handler = login_post,
	  .fields = login_fields, .form = "login.cs" },
	{ .method = "POST", .pattern = "/logout", .handler = logout_post },
	{ .method = "POST", .pattern = "/api/v1/token", .handler = token_post,
	  .fields = token_fields, .flags = WT_ROUTE_NO_CSRF },

	{ .method = "GET", .pattern = "/register", .handler = register_page,
	  .fields = register_page_fields },
	{ .method = "POST", .pattern = "/register", .handler = register_post,
	  .fields = register_fields, .form = "register.cs" },
	{ .method = "GET", .pattern = "/verify", .handler = verify_page,
	  .fields = verify_fields },

	{ .method = "GET", .pattern = "/password/forgot", .handler = forgot_page },
	{ .method = "POST", .pattern = "/password/forgot", .handler = forgot_post,
	  .fields = forgot_fields, .form = "forgot.cs" },
	{ .method = "GET", .pattern = "/password/reset", .handler = reset_page,
	  .fields = reset_page_fields },
	{ .method = "POST", .pattern = "/password/reset", .handler = reset_post,
	  .fields = reset_fields, .form = "reset.cs" },

	{ .method = "GET", .pattern = "/account", .handler = account_page,
	  .flags = WT_ROUTE_SIGNED_IN },
	{ .method = "POST", .pattern = "/account", .handler = account_post,
	  .fields = profile_fields, .flags = WT_ROUTE_SIGNED_IN, .form = "account.cs" },
	{ .method = "POST", .pattern = "/account/password", .handler = password_change_post,
	  .fields = password_change_fields, .flags = WT_ROUTE_SIGNED_IN,
	  .form = "account.cs" },
	{ .method = "GET", .pattern = "/account/sessions", .handler = sessions_page,
	  .flags = WT_ROUTE_SIGNED_IN },
	{ .method = "POST", .pattern = "/account/sessions/revoke-others",
	  .handler = sessions_revoke_others, .flags = WT_ROUTE_SIGNED_IN },
	WT_ROUTES_END
};

static const struct wt_app app = {
	.name = "auth", .routes = routes, .stmts = auth_stmts,
	.worker_init = auth_worker_init
};

int
main(int argc, char **argv)
{
	return wt_main(argc, argv, &app);
}
