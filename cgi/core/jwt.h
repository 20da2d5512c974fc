/* Access tokens for scripts and the widget: JWT (RFC 7519) signed with
 * HMAC-SHA256 under a key derived from the server secret.  Only
 * {"alg":"HS256"} is accepted: "none" and every other algorithm are
 * refused before any signature is looked at.  Claims: iss (site.url),
 * sub (user id), iat, nbf, exp, ver (the user's token_version, so a
 * password change revokes every token issued before it), sid (the
 * session it belongs to: ending the session ends the token). */
#ifndef WT_JWT_H
#define WT_JWT_H

#include <time.h>

/* A malloc'd token, or NULL if the secret is not configured. */
char	*jwt_issue(long long user_id, long long version, long long session_id,
	    time_t now, long ttl);
/* 0 and the claims when valid at now; -1 and why otherwise. */
int	 jwt_verify(const char *token, time_t now, long long *user_id,
	    long long *version, long long *session_id, const char **why);

#endif
