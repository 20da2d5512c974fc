#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "decode.h"
#include "log.h"
#include "session.h"

void
core_healthz(struct wt_req *r)
{
	if (db_ping() == 0) {
		wt_json(r, 200, json_pack("{ss ss}", "status", "ok", "db", "ok"));
		return;
	}
	resp_set_header(r, "Retry-After", "5");
	wt_json(r, 503, json_pack("{ss ss}", "status", "error", "db", "unavailable"));
}

/* Reads exactly CONTENT_LENGTH bytes, refusing more than max. */
static int
read_body(struct wt_req *r, wt_reader rd, void *ctx, size_t max)
{
	const char *cl = req_param(r, "CONTENT_LENGTH");
	unsigned long long want;
	char *end;
	size_t got = 0;

	if (cl == NULL || *cl == '\0')
		return 0;
	errno = 0;
	want = strtoull(cl, &end, 10);
	if (errno != 0 || *end != '\0' || *cl < '0' || *cl > '9') {
		wt_error(r, 400, NULL, "Content-Length is not a number");
		return -1;
	}
	if (want > max) {
		wt_error(r, 413, NULL, "the body is %llu bytes; at most %zu are accepted",
		    want, max);
		return -1;
	}
	r->body = xmalloc((size_t)want + 1);
	while (got < want) {
		ssize_t n = rd(ctx, r->body + got, (size_t)want - got);

		if (n <= 0) {
			wt_error(r, 400, NULL, "the body ended after %zu of %llu bytes",
			    got, want);
			return -1;
		}
		got += (size_t)n;
	}
	r->body[got] = '\0';
	r->body_len = got;
	return 0;
}

void
app_dispatch(const struct wt_app *app, struct wt_req *r, wt_reader rd, void *ctx,
    size_t max_body)
{
	struct wt_buf allow;
	int rc;

	if (!utf8_valid(r->path, strlen(r->path))) {
		wt_error(r, 400, NULL, "the path is not valid UTF-8");
		return;
	}
	buf_init(&allow);
	rc = route_match(app->routes, r->method, r->path, &r->path_args, &r->route, &allow);
	if (rc == 404) {
		wt_error(r, 404, NULL, "there is no page at %s", r->path);
		buf_free(&allow);
		return;
	}
	if (rc == 405) {
		resp_set_header(r, "Allow", allow.data);
		wt_error(r, 405, NULL, "%s is not allowed here; use %s", r->method, allow.data);
		buf_free(&allow);
		return;
	}
	buf_free(&allow);
	if (req_parse_query(r) != 0 || read_body(r, rd, ctx, max_body) != 0 ||
	    req_parse_body(r) != 0 || session_load(r) != 0)
		return;
	if ((r->route->flags & WT_ROUTE_SIGNED_IN) && r->user == NULL) {
		require_sign_in(r);
		return;
	}
	if (app->authorize != NULL && app->authorize(r) != 0)
		return;
	/* Browsers send cookies with cross-site requests; bearer tokens
	 * are never sent by a browser on its own. */
	if (strcmp(r->method, "GET") != 0 && r->auth_via != WT_AUTH_BEARER &&
	    !(r->route->flags & WT_ROUTE_NO_CSRF) && csrf_check(r) != 0)
		return;
	if (validate_fields(r) != 0)
		return;
	r->route->handler(r);
	if (!r->resp.done) {
		log_error("bug", "handler for %s %s gave no answer", r->method,
		    r->route->pattern);
		wt_error(r, 500, NULL, "the server gave no answer");
	}
}
