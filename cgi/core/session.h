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
 * with every new session.  The token is computed once per request: by
 * session_load for a signed-in browser, by csrf_prepare for a route that
 * renders a form to an anonymous visitor. */
#ifndef WT_SESSION_H
#define WT_SESSION_H

#include "db.h"
#include "http.h"

#define WT_SESSION_COOKIE	"__Host-wt_session"
#define WT_PRE_COOKIE		"__Host-wt_pre"

enum session_stmt {
	ST_SESSION_LOOKUP = WT_STMT_BASE(WT_SLOT_SESSION),
	ST_SESSION_TOUCH,
	ST_SESSION_CREATE,
	ST_SESSION_DELETE,
	ST_SESSION_DELETE_TOKEN,
	ST_SESSION_EXPIRE,
	ST_SESSION_TOKEN_USER,
	ST_SESSION_TOKEN_CREATE,
	ST_SESSION_USER_VERSION,
	ST_SESSION_END
};

/* Registers the session statements (every program runs them). */
int		 session_register(void);
/* Loads r->user from the cookie or a JWT bearer token; a bearer token
 * that is not a JWT is left in r->bearer for the program's authenticate
 * hook.  NULL when the request may go on (signed in or not). */
struct wt_err	*session_load(struct wt_req *);
/* Starts a session for user_id: a fresh token, the cookie set, any
 * earlier session of this browser and the pre cookie ended, the CSRF
 * token made anew.  NULL or the database's error. */
struct wt_err	*session_start(struct wt_req *, long long user_id);
/* Ends the current session (row deleted, cookie cleared); for a caller
 * with an access token, the token's session, and so the token. */
struct wt_err	*session_end(struct wt_req *);
/* An access token (JWT) for user_id, valid for ttl seconds, in *token
 * (malloc'd).  It belongs to a session: the caller's browser session when
 * the request is signed in with that user's cookie, else a session of
 * its own (kind 'token').  Ending the session ends the token.  NULL or
 * the error. */
struct wt_err	*access_token_issue(struct wt_req *, long long user_id, long ttl,
		    char **token);
/* Makes the CSRF token of a page with a form, giving an anonymous
 * visitor a pre cookie first. */
struct wt_err	*csrf_prepare(struct wt_req *);
/* NULL when the request carries the right token (form field "csrf", JSON
 * member "csrf" or header X-CSRF-Token); else a 403. */
struct wt_err	*csrf_check(const struct wt_req *);

#endif
