/* The organisation's policy, from GET /api/v1/agent/config: intervals, the
 * idle timeout and the title exclusion patterns.  Kept on disk (policy.json
 * in the state directory) so it applies from the first poll after a
 * restart, with the server reachable or not. */
#ifndef WA_POLICY_H
#define WA_POLICY_H

#include <regex.h>

#include "json.h"

#define POLICY_HIDDEN	"[hidden]"

struct policy {
	int		 idle_timeout_s;
	int		 upload_interval_s;
	int		 heartbeat_interval_s;
	int		 config_interval_s;
	regex_t		*re;
	size_t		 nre;
	/* A pattern this machine's regular expressions cannot read: every
	 * title is hidden until the policy changes (privacy fails closed). */
	char		*broken;
	char		*etag;
	struct jv	*doc;		/* the whole answer, for other parts */
};

void	 policy_defaults(struct policy *);
/* Replaces p with the policy in text; 0, or -1 (p unchanged) with why. */
int	 policy_set(struct policy *p, const char *text, size_t len, const char *etag,
	    char *why, size_t whysz);
void	 policy_free(struct policy *);
/* title, or "[hidden]" when a pattern matches it. */
const char *policy_title(const struct policy *, const char *title);

#endif
