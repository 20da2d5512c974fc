/* A batch of spans as an agent posts it to /api/v1/activity:
 *
 *   {"batch": <device-local sequence number>,
 *    "spans": [{"start": RFC 3339, "duration_ms": n, "app": s, "title": s,
 *               "url": s (optional), "afk": bool (optional, false)}, ...]}
 *
 * Parsing is all or nothing: the first span that breaks a rule refuses the
 * batch with a 400 naming the span's index and the field, and nothing of
 * it is stored.  Titles and URLs longer than WT_TITLE_MAX bytes are cut on
 * a character boundary (agents cannot know our limit); an app name longer
 * than WT_APP_MAX is refused (it is a name, not text). */
#ifndef WT_BATCH_H
#define WT_BATCH_H

#include <stddef.h>

#include "err.h"

#define WT_BATCH_MAX_SPANS	1000
#define WT_APP_MAX		256
#define WT_TITLE_MAX		1024
#define WT_SPAN_MAX_MS		(24LL * 3600 * 1000)
#define WT_FUTURE_SLACK_US	(5LL * 60 * 1000000)

struct span {
	long long	 start_us;	/* UTC, microseconds since 1970 */
	long long	 duration_ms;
	const char	*app;		/* in the batch's strings */
	const char	*title;
	size_t		 title_len;	/* after cutting */
	const char	*url;		/* "" when not sent */
	size_t		 url_len;
	int		 afk;
};

struct batch {
	long long	 seq;
	size_t		 n;
	struct span	*spans;
	char		*strings;	/* owns what the spans' strings point into */
};

struct batch_rules {
	long long	 now_us;
	long long	 oldest_us;	/* the retention period's start */
};

/* Parses and checks body; NULL and *b filled, or the 400 to answer. */
struct wt_err	*batch_parse(const char *body, size_t len, const struct batch_rules *,
		    struct batch *b);
void		 batch_free(struct batch *);
/* RFC 3339 date-time to microseconds since 1970 UTC; -1 if malformed. */
int		 rfc3339_parse(const char *s, long long *us);

#endif
