/* Requests to the server with libcurl: TLS verified always (against
 * ca_file when set, else the system's store), https only, bounded times
 * and answers.  A request runs either to its end (the commands) or inside
 * the daemon's loop through one curl multi handle, so polling never waits
 * for the network. */
#ifndef WA_NET_H
#define WA_NET_H

#include <stdint.h>

#include <curl/curl.h>

#include "conf.h"
#include "util.h"

struct req {
	CURL		*easy;
	struct curl_slist *hdrs;
	struct buf	 resp;
	char		 etag[128];
	long		 retry_after;	/* seconds, from Retry-After; 0 if none */
	long		 status;	/* HTTP status; 0 when no answer came */
	char		 error[CURL_ERROR_SIZE];	/* why, when status is 0 */
	int		 busy;
	const char	*what;		/* "upload", "heartbeat", ... for logs */
	void		(*done)(struct req *, void *ctx);
	void		*ctx;
};

struct net {
	CURLM		*multi;
};

/* Every request's HTTP bytes (request and answer, headers included) and
 * the connections opened, since the program started: for status and the
 * footprint benchmark. */
struct net_stats {
	uint64_t	 sent, received, connections;
};
extern struct net_stats net_stats;

int	 net_init(struct net *);
void	 net_free(struct net *);
/* Prepares r for METHOD path on the configured server; body (JSON) is
 * borrowed until the request ends; etag, when given, goes as
 * If-None-Match; token adds the device's Authorization. */
void	 req_prepare(struct req *r, const struct conf *c, const char *method, const char *path,
	    const struct buf *body, const char *etag, const char *token);
/* POST path with a raw body of content type ctype (an image). */
void	 req_prepare_raw(struct req *r, const struct conf *c, const char *path,
	    const struct buf *body, const char *ctype, const char *token);
/* Runs r to its end: 0 when an answer came (see status), -1 when not. */
int	 req_run(struct req *r);
int	 req_start(struct net *, struct req *);
/* Moves requests on and calls the done of each that ended. */
void	 net_pump(struct net *);
/* Waits up to ms for the network or the time; returns early on activity. */
void	 net_wait(struct net *, int ms);
void	 req_free(struct req *);
/* A one-line account of the answer for logs and status: "HTTP 503: the
 * message" or curl's error. */
void	 req_describe(const struct req *, char *out, size_t outsz);

#endif
