/* Who is asking: browser sessions (cookie), access tokens (Bearer JWT),
 * and the CSRF token of every state-changing browser request.
 *
 * The session cookie holds 256 random bits; the database keeps only their
 * SHA-256.  A session ends when unused for session.idle_minutes, or
 * session.max_hours after sign-in, or at logout, or when the password
 * changes.  Anonymous visitors who get a form get a "pre" cookie instead,
 * so login and registration forms are protected from CSRF too; signing
 * in replaces it with a brand-new session token (no fixation).
 *
 * CSRF tokens are HMAC-SHA256(key "csrf", cookie token): bound to the
 * session, unforgeable without the server secret, never stored, and new
 * with every new session. */
#ifndef WT_SESSION_H
#define WT_SESSION_H

#include "db.h"
#include "http.h"

#define WT_SESSION_COOKIE	"__Host-wt_session"
#define WT_PRE_COOKIE		"__Host-wt_pre"

/* Statements the session code runs; every program prepares them. */
extern const struct wt_stmt session_stmts[];

void		 user_free(struct wt_user *);
/* Loads r->user from the cookie or the Authorization header.  0 when
 * the request may go on (signed in or not); -1 after answering (503
 * when the database is away, 401 for a bad bearer token). */
int		 session_load(struct wt_req *);
/* Starts a session for user_id: a fresh token, the cookie set, any
 * earlier session of this browser and the pre cookie ended. */
int		 session_start(struct wt_req *, long long user_id);
/* Ends the current session (row deleted, cookie cleared). */
void		 session_end(struct wt_req *);
/* The CSRF token for forms on this page; gives an anonymous visitor a
 * pre cookie first.  Also put into the view as CSRF.Token. */
const char	*csrf_token(struct wt_req *);
/* 0 when the request carries the right token (form field "csrf", JSON
 * member "csrf" or header X-CSRF-Token); else answers 403, -1. */
int		 csrf_check(struct wt_req *);
/* Answers a request that needs a signed-in user: 401 or to /login. */
void		 require_sign_in(struct wt_req *);
void		 cookie_set(struct wt_req *, const char *name, const char *value,
		    long max_age);
/* A user row (id, email, display_name, role, timezone, pace) to a user. */
struct wt_user	*user_from_row(PGresult *, int row, int col);

#endif
