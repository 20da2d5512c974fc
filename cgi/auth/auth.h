/* auth.fcgi: registration, sign-in, sessions, access tokens, password
 * flows and the person's own account.  One file per flow; the route
 * table and the program (auth_app) are in routes.c, the statements in
 * stmts.c; main.c only runs it. */
#ifndef WT_AUTH_H
#define WT_AUTH_H

#include "app.h"
#include "user.h"

/* The program (routes.c): main.c runs it, tests dispatch to it. */
extern const struct wt_app auth_app;

/* Every statement auth.fcgi runs (SQL in stmts.c). */
enum auth_stmt {
	/* accounts */
	ST_AUTH_USER_BY_EMAIL = WT_STMT_BASE(WT_SLOT_APP),
	ST_AUTH_USER_BY_ID,
	ST_AUTH_USER_INSERT,
	ST_AUTH_USER_VERIFY,
	ST_AUTH_PROFILE_UPDATE,
	ST_AUTH_TZ_VALID,
	ST_AUTH_TZ_LIST,
	ST_AUTH_SETTINGS,
	/* passwords */
	ST_AUTH_SET_PASSWORD,
	ST_AUTH_HISTORY_RECENT,
	ST_AUTH_HISTORY_ADD,
	ST_AUTH_HISTORY_PRUNE,
	/* sessions of a user */
	ST_AUTH_SESSIONS_END_ALL,
	ST_AUTH_SESSIONS_END_OTHERS,
	ST_AUTH_SESSIONS_LIST,
	ST_AUTH_SESSION_END,
	/* single-use e-mail tokens */
	ST_AUTH_TOKEN_INSERT,
	ST_AUTH_TOKEN_PEEK,
	ST_AUTH_TOKEN_USE,
	ST_AUTH_TOKENS_REVOKE,
	/* invitations */
	ST_AUTH_INVITE_PEEK,
	ST_AUTH_INVITE_TEAM,
	ST_AUTH_INVITE_USE,
	/* failed sign-ins */
	ST_AUTH_LOCK_CHECK,
	ST_AUTH_LOCK_FAIL,
	ST_AUTH_LOCK_SET,
	ST_AUTH_LOCK_CLEAR,
	/* the widget's sign-in and refresh tokens */
	ST_AUTH_WIDGET_SESSION,
	ST_AUTH_REFRESH_INSERT,
	ST_AUTH_REFRESH_USE,
	ST_AUTH_REFRESH_REVOKE,
	ST_AUTH_END
};

/* The columns of the statements whose results are read. */
/* ST_AUTH_USER_BY_EMAIL */
enum { C_UBE_EMAIL, C_UBE_ID, C_UBE_HASH, C_UBE_STATUS, C_UBE_NAME };
/* ST_AUTH_USER_BY_ID: USER_COLUMNS (user_from_row), then these. */
enum { C_UBI_USER = 0, C_UBI_HASH = USER_NCOLUMNS, C_UBI_TOKEN_VERSION };
/* ST_AUTH_USER_INSERT: no row when the address has an account already. */
enum { C_INSERT_ID };
/* ST_AUTH_SETTINGS */
enum { C_SETTINGS_MODE };
/* ST_AUTH_HISTORY_RECENT */
enum { C_HISTORY_HASH };
/* ST_AUTH_SESSIONS_LIST */
enum { C_SL_ID, C_SL_CREATED, C_SL_LAST_SEEN, C_SL_IP, C_SL_USER_AGENT };
/* ST_AUTH_TOKEN_PEEK */
enum { C_PEEK_USER_ID, C_PEEK_EMAIL, C_PEEK_NAME };
/* ST_AUTH_TOKEN_USE */
enum { C_USE_USER_ID };
/* ST_AUTH_INVITE_PEEK */
enum { C_INVITE_ID, C_INVITE_EMAIL, C_INVITE_ROLE };
/* ST_AUTH_LOCK_CHECK */
enum { C_LOCK_WAIT };
/* ST_AUTH_LOCK_FAIL */
enum { C_LOCK_FAILURES };
/* ST_AUTH_REFRESH_USE */
enum { C_RU_RESULT, C_RU_USER, C_RU_SESSION, C_RU_VERSION };
/* ST_AUTH_WIDGET_SESSION */
enum { C_WS_ID, C_WS_VERSION };

extern const struct wt_stmt auth_stmts[ST_AUTH_END - WT_STMT_BASE(WT_SLOT_APP)];
extern const struct wt_constraint auth_constraints[];

/* refresh.c: the widget's sign-in (a session of its own, an access
 * token and a refresh token) as the answer to POST /api/v1/token. */
extern const struct wt_field refresh_fields[];
struct wt_err	*widget_sign_in(struct wt_req *, long long uid);
struct wt_err	*token_refresh_post(struct wt_req *);
struct wt_err	*token_revoke_post(struct wt_req *);

/* login.c */
extern const struct wt_field login_page_fields[], login_fields[], token_fields[];
struct wt_err	*login_page(struct wt_req *);
/* The sign-in page around its form: whether to offer registration. */
struct wt_err	*login_fill(struct wt_req *);
struct wt_err	*login_post(struct wt_req *);
struct wt_err	*logout_post(struct wt_req *);
struct wt_err	*token_post(struct wt_req *);

/* register.c */
extern const struct wt_field register_page_fields[], register_fields[], verify_fields[];
struct wt_err	*register_page(struct wt_req *);
/* The registration form again: the invitation's address. */
struct wt_err	*register_fill(struct wt_req *);
struct wt_err	*register_post(struct wt_req *);
struct wt_err	*verify_page(struct wt_req *);

/* reset.c */
extern const struct wt_field forgot_fields[], reset_page_fields[], reset_fields[];
struct wt_err	*forgot_page(struct wt_req *);
struct wt_err	*forgot_post(struct wt_req *);
struct wt_err	*reset_page(struct wt_req *);
struct wt_err	*reset_post(struct wt_req *);

/* account.c */
extern const struct wt_field account_page_fields[], profile_fields[],
	    password_change_fields[], sessions_page_fields[], session_fields[];
struct wt_err	*account_page(struct wt_req *);
/* The account page around its two forms: the time zones to pick from. */
struct wt_err	*account_fill(struct wt_req *);
struct wt_err	*account_post(struct wt_req *);
struct wt_err	*password_change_post(struct wt_req *);
struct wt_err	*sessions_page(struct wt_req *);
struct wt_err	*sessions_revoke_others(struct wt_req *);
struct wt_err	*session_revoke(struct wt_req *);
struct wt_err	*sessions_fill(struct wt_req *);

/* lockout.c: backoff after repeated failures, per account and address.
 * An account is (kind, key): ("user", its id) when the address has an
 * account, ("account", the normalised address) when not; password
 * changes are also counted as ("change", the id). */
#define LOCK_USER	"user"
#define LOCK_ADDRESS	"account"
#define LOCK_CHANGE	"change"
/* *wait: seconds to wait before another attempt (for the account or for
 * the client address ip), 0 if none. */
struct wt_err	*lockout_wait(const char *kind, const char *key, const char *ip,
		    long *wait);
/* Records a failure of the account and (unless ip is NULL) of the client
 * address; returns the wait it starts (0 if none).  A failure that cannot
 * be recorded is logged and otherwise ignored: the person still gets the
 * answer for the wrong password. */
long		 lockout_fail(const char *kind, const char *key, const char *ip);
void		 lockout_clear(const char *kind, const char *key);
/* "2 minutes", "30 seconds" (heap string). */
char		*wait_text(long seconds);
/* The 429 of a running lock: message "<what> Try again in <when>.",
 * next to field in the form, with Retry-After. */
struct wt_err	*lockout_error(long wait, const char *field, const char *what);

/* util.c */
int		 auth_worker_init(void);
const char	*check_token_shape(const char *);
/* NULL when the new password can be used by this user (policy and the
 * last five passwords); else a 400 next to field "password", the reason
 * after prefix ("Password", "New password"), or the database's error. */
struct wt_err	*new_password_check(long long uid, const char *pw,
		    const char *email, const char *name, const char *prefix);
/* Sets the password inside the caller's transaction: hash, history,
 * token_version bumped (every access token dies), and every session
 * but keep_session (0: all) ended. */
struct wt_err	*store_password(long long uid, const char *pw, long long keep_session);
/* Makes a single-use token of kind for uid (in the caller's
 * transaction); the raw token in out. */
struct wt_err	*issue_mail_token(long long uid, const char *kind, char out[65]);
/* Verifies pw against the stored hash or, for an unknown user, against
 * a dummy hash, so both take the same time. */
int		 password_matches(const char *mcf_or_null, const char *pw);
enum reg_mode { REG_OPEN, REG_INVITE, REG_CLOSED };
struct wt_err	*registration_mode(enum reg_mode *);
/* The sign-in check shared by /login and /api/v1/token: NULL with *uid,
 * or the 401, 403 or 429 to answer. */
struct wt_err	*authenticate(struct wt_req *, const char *email, const char *pw,
		    long long *uid);
/* A page of its own (message.cs) at status, with an optional link. */
struct wt_err	*message_page(struct wt_req *, int status, const char *title,
		    const char *text, const char *link, const char *link_text);
/* A refusal that a browser reads as a page of its own (title, text,
 * link) and a script as the error status/field/text. */
struct wt_err	*refusal(struct wt_req *, int status, const char *field,
		    const char *title, const char *text, const char *link,
		    const char *link_text);
/* The decimal text of n, for statement parameters. */
void		 lltoa(long long n, char out[24]);

#endif
