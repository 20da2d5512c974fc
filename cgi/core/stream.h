/* Answers whose body is written while it is made (exports of a year of
 * activity): the handler checks everything, sets the status and headers,
 * and leaves a writer in r->resp.stream; the worker sends the headers
 * (without Content-Length: nginx chunks the answer) and then runs the
 * writer, which writes through a 64 KiB buffer to the connection.  So
 * memory stays flat however long the body is.  A writer cannot change the
 * status any more: one that fails half-way logs why and stops, leaving a
 * body a client can see is cut (JSON that does not parse, a CSV without
 * its last line's newline). */
#ifndef WT_STREAM_H
#define WT_STREAM_H

#include <stddef.h>

#include "http.h"

/* Where the bytes go: 0, or -1 when the client is gone. */
typedef int (*wt_sink)(void *ctx, const char *data, size_t len);

struct wt_stream {
	wt_sink		 sink;
	void		*ctx;
	struct wt_buf	 pending;
	size_t		 sent;
	int		 failed;	/* the sink refused: writing is pointless */
};

/* Makes the answer a stream: status, Content-Type, and fn to write the
 * body with arg; returns NULL as wt_json does. */
struct wt_err	*wt_stream(struct wt_req *, int status, const char *ctype,
		    wt_stream_fn fn, void *arg, void (*free_arg)(void *));
void		 stream_write(struct wt_stream *, const char *, size_t);
void		 stream_puts(struct wt_stream *, const char *);
void		 stream_printf(struct wt_stream *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
/* Runs the answer's writer after the headers have gone (server.c, the
 * in-process driver); the bytes it sent. */
size_t		 resp_stream(struct wt_req *, wt_sink, void *ctx);

#endif
