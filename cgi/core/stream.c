#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "stream.h"

#define STREAM_CHUNK	65536

struct wt_err *
wt_stream(struct wt_req *r, int status, const char *ctype, wt_stream_fn fn, void *arg,
    void (*free_arg)(void *))
{
	buf_reset(&r->resp.body);
	r->resp.status = status;
	r->resp.done = 1;
	r->resp.stream = fn;
	r->resp.stream_arg = arg;
	r->resp.stream_free = free_arg;
	resp_set_header(r, "Content-Type", ctype);
	return NULL;
}

static void
flush(struct wt_stream *s)
{
	if (s->pending.len == 0)
		return;
	if (!s->failed && s->sink(s->ctx, s->pending.data, s->pending.len) != 0)
		s->failed = 1;
	if (!s->failed)
		s->sent += s->pending.len;
	buf_reset(&s->pending);
}

void
stream_write(struct wt_stream *s, const char *data, size_t len)
{
	if (s->failed)
		return;
	buf_append(&s->pending, data, len);
	if (s->pending.len >= STREAM_CHUNK)
		flush(s);
}

void
stream_puts(struct wt_stream *s, const char *str)
{
	stream_write(s, str, strlen(str));
}

void
stream_printf(struct wt_stream *s, const char *fmt, ...)
{
	va_list ap;

	if (s->failed)
		return;
	va_start(ap, fmt);
	buf_vprintf(&s->pending, fmt, ap);
	va_end(ap);
	if (s->pending.len >= STREAM_CHUNK)
		flush(s);
}

size_t
resp_stream(struct wt_req *r, wt_sink sink, void *ctx)
{
	struct wt_stream s;

	if (r->resp.stream == NULL)
		return 0;
	memset(&s, 0, sizeof(s));
	s.sink = sink;
	s.ctx = ctx;
	buf_init(&s.pending);
	if (!r->head)
		r->resp.stream(r, &s);
	flush(&s);
	if (s.failed)
		log_warn("stream", "the client went away after %zu bytes", s.sent);
	buf_free(&s.pending);
	if (r->resp.stream_free != NULL)
		r->resp.stream_free(r->resp.stream_arg);
	r->resp.stream = NULL;
	r->resp.stream_arg = NULL;
	return s.sent;
}
