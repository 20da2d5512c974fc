/* auth.fcgi: registration, sign-in, sessions, access tokens, password
 * flows and the person's own account.  One file per flow; the route
 * table is in main.c, the statements in stmts.c. */
#ifndef WT_AUTH_H
#define WT_AUTH_H

#include "app.h"

extern const struct wt_stmt auth_stmts[];

/* login.c */
extern const struct wt_field login_page_fields[], login_fields[], token_fields[];
void	login_page(struct wt_req *);
void	login_post(struct wt_req *);
void	logout_post(struct wt_req *);
void	token_post(struct wt_req *);

/* register.c */
extern const struct wt_field register_page_fields[], register_fields[], verify_fields[];
void	register_page(struct wt_req *);
void	register_post(struct wt_req *);
void	verify_page(struct wt_req *);

/* reset.c */
extern const struct wt_field forgot_fields[], reset_page_fields[], reset_fields[];
void	forgot_page(struct wt_req *);
void	forgot_post(struct wt_req *);
void	reset_page(struct wt_req *);
void	reset_post(struct wt_req *);

/* account.c */
extern const struct wt_field profile_fields[], password_change_fields[];
void	account_page(struct wt_req *);
void	account_post(struct wt_req *);
void	password_change_post(struct wt_req *);
void	sessions_page(struct wt_req *);
void	sessions_revoke_others(struct wt_req *);

/* lockout.c: backoff after repeated failures, per account and address. */
/* Seconds to wait before another attempt, 0 if none, -1 on error. */
long	lockout_wait(const char *account, const char *ip);
/* Records a failure; returns the wait it starts (0 if none). */
long	lockout_fail(const char *account, const char *ip);
void	lockout_clear(const char *account);
/* "2 minutes", "30 seconds" */
void	wait_text(long seconds, char *out, size_t len);

/* util.c */
int		 auth_worker_init(void);
/* Field check: a local path to go back to after sign-in. */
const char	*check_local_path(const char *);
const char	*check_token_shape(const char *);
/* NULL or why the new password cannot be used by this user (policy and
 * the last five passwords). */
const char	*new_password_problem(long long uid, const char *pw,
		    const char *email, const char *name);
/* Sets the password inside the caller's transaction: hash, history,
 * token_version bumped (every access token dies), and every session
 * but keep_session (0: all) ended. */
int		 store_password(long long uid, const char *pw, long long keep_session);
/* Makes a single-use token of kind for uid; the raw token in out. */
int		 issue_mail_token(long long uid, const char *kind, char out[65]);
/* Verifies pw against the stored hash or, for an unknown user, against
 * a dummy hash, so both take the same time. */
int		 password_matches(const char *mcf_or_null, const char *pw);
const char	*registration_mode(void);
char		*lowercase(const char *);
/* The sign-in check shared by /login and /api/v1/token: 0 with *uid,
 * or -1 after answering (401, 403, 429). */
int		 authenticate(struct wt_req *, const char *email, const char *pw,
		    long long *uid);

#endif
