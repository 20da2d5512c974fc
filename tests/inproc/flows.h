/* What the sign-in tests do again and again, in process: forms and their
 * errors, signing in through auth.fcgi, access tokens, the mail a request
 * queued (read from the mail_outbox table it was queued in, so no waiting
 * for the sender), and the SQL the shell suites used to run with psql.
 * Linked with auth's library (auth_app). */
#ifndef WT_INPROC_FLOWS_H
#define WT_INPROC_FLOWS_H

#include "driver.h"

extern const struct wt_app auth_app;
#define AUTH	(&auth_app)

/* --- pages ----------------------------------------------------------------- */
/* The text of the form's general error / of a field's error ("" if none). */
const char	*form_error(const struct ip_resp *);
const char	*field_error(const struct ip_resp *, const char *field);
/* The page's <main> part: what differs between two answers, without the
 * request id in the footer. */
const char	*main_part(const struct ip_resp *);
/* A JSON body without its request_id, compact. */
const char	*json_sans_id(const struct ip_resp *);
/* The value a Set-Cookie of the answer gives name (NULL: none; "" to
 * delete), and the whole Set-Cookie line for it. */
const char	*set_cookie_val(const struct ip_resp *, const char *name);
const char	*set_cookie_line(const struct ip_resp *, const char *name);

/* --- sign-in ---------------------------------------------------------------- */
#define SESSION_COOKIE	"__Host-wt_session"
#define PRE_COOKIE	"__Host-wt_pre"
/* Loads a page (NULL: /login) in the browser; its CSRF token. */
const char	*csrf_of(struct ip_jar *, const char *path);
/* The sign-in form as a person uses it (303 on success). */
struct ip_resp	*login(struct ip_jar *, const char *email, const char *pw);
/* An access token from POST /api/v1/token (NULL if refused); the answer
 * in *out when out is not NULL. */
const char	*token_for(const char *email, const char *pw, struct ip_resp **out);

/* --- mail ------------------------------------------------------------------- */
/* The outbox's newest id: later looks see only newer messages. */
long long	 mail_mark(void);
/* The newest message to an address since the mark (NULL if none). */
const char	*mail_latest_to(const char *to, long long since);
/* The oldest one since the mark. */
const char	*mail_oldest_to(const char *to, long long since);
int		 mail_count_to(const char *to, long long since);
/* Moves an address's messages an hour back, as if that hour had passed:
 * the limit of messages per address and hour starts again. */
void		 mail_hour_passes(const char *to);
const char	*mail_link(const char *msg);
const char	*mail_subject(const char *msg);
/* A link to this site without the site's URL: "/verify?token=...". */
const char	*local_path(const char *url);
/* The token= of a link. */
const char	*link_token(const char *url);

/* --- the database ----------------------------------------------------------- */
const char	*sha256_of(const char *);
const char	*user_id_of(const char *email);
/* The whole users row as JSON: for "nothing changed" checks. */
const char	*user_row(const char *email);
const char	*pw_hash(const char *email);
int		 session_rows(const char *email);
int		 session_exists(const char *token);
void		 set_mode(const char *mode);
/* Forgets this run's sign-in failures (its addresses and its client
 * address; never another run's). */
void		 clear_lockouts(void);
/* Lets every lock of this run run out, as if its time had passed. */
void		 fast_forward_locks(void);
/* An invitation's raw token. */
const char	*make_invite(const char *email, const char *role, const char *interval);
/* A confirmed, active account; its id. */
long long	 make_user(const char *email, const char *name, const char *pw,
		    const char *role);
/* A random hex string of n bytes. */
const char	*rand_hex(size_t n);

#endif
