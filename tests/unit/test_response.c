/* resp_serialize (status line, security headers, Content-Length, HEAD,
 * header injection), resp_error in JSON and HTML, wt_redirect, http_reason. */
#include "config.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "buf.h"
#include "conf.h"
#include "http.h"
#include "tap.h"

/* The source tree: $WT_SRCDIR, else derived from this file's path. */
static char *
srcdir(void)
{
	const char *env = getenv("WT_SRCDIR");
	const char *me = __FILE__, *cut = strstr(me, "/tests/unit/");

	if (env != NULL && *env != '\0')
		return xstrdup(env);
	return cut != NULL ? xstrndup(me, (size_t)(cut - me)) : xstrdup(".");
}

static char *
serialize(struct wt_req *r)
{
	struct wt_buf b;

	buf_init(&b);
	resp_serialize(r, &b);
	return buf_take(&b);
}

/* How many header lines named name (any case) the head of out has; the
 * value of the first in *val (malloc'd, NULL if none). */
static int
header(const char *out, const char *name, char **val)
{
	const char *p = out, *end = strstr(out, "\r\n\r\n");
	size_t n = strlen(name);
	int count = 0;

	if (val != NULL)
		*val = NULL;
	while (end != NULL && p < end) {
		const char *eol = strstr(p, "\r\n");

		if (strncasecmp(p, name, n) == 0 && p[n] == ':' && p[n + 1] == ' ') {
			if (count++ == 0 && val != NULL)
				*val = xstrndup(p + n + 2, (size_t)(eol - p - n - 2));
		}
		p = eol + 2;
	}
	return count;
}

/* The body after the blank line, or NULL. */
static const char *
body_of(const char *out)
{
	const char *p = strstr(out, "\r\n\r\n");

	return p ? p + 4 : NULL;
}

/* Sets a configuration key as the programs see it (wt_cfg). */
static void
set_cfg(const char *key, const char *val)
{
	char *err = NULL;

	config_set(key, val);
	if (config_apply(&err) != 0) {
		diag("config: %s", err);
		free(err);
	}
}

/* An error answered as app_dispatch answers it. */
static void answer_error(struct wt_req *, int, const char *, const char *, ...)
    __attribute__((format(printf, 4, 5)));

static void
answer_error(struct wt_req *r, int status, const char *field, const char *fmt, ...)
{
	struct wt_buf msg;
	struct wt_err *e;
	va_list ap;

	buf_init(&msg);
	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	e = wt_fail(status, field, "%s", msg.data ? msg.data : "");
	buf_free(&msg);
	resp_error(r, e);
	err_free(e);
}

static void
header_is(const char *out, const char *name, const char *want)
{
	char *v = NULL;
	int n = header(out, name, &v);

	is_int(n, 1, name);
	is_str(v, want, "  its value");
	free(v);
}

static json_t *
body_json(const struct wt_req *r)
{
	json_error_t e;

	return r->resp.body.data ? json_loads(r->resp.body.data, 0, &e) : NULL;
}

static void
test_serialize(void)
{
	char *envp[] = { "REQUEST_METHOD=GET", "DOCUMENT_URI=/api/x",
	    "REQUEST_ID=abc123", NULL };
	struct wt_req r;
	char *out, *v, *csp = NULL;
	const char *body;
	int crlf_only = 1;

	req_init(&r, envp);
	wt_json(&r, 200, json_pack("{ss}", "hello", "world"));
	is_str(r.resp.body.data, "{\"hello\":\"world\"}\n", "wt_json body");
	out = serialize(&r);
	ok(strncmp(out, "Status: 200 OK\r\n", 16) == 0, "starts with Status: 200 OK");
	header_is(out, "Strict-Transport-Security", "max-age=31536000; includeSubDomains");
	header_is(out, "X-Content-Type-Options", "nosniff");
	header_is(out, "X-Frame-Options", "DENY");
	header_is(out, "Referrer-Policy", "same-origin");
	header_is(out, "Cross-Origin-Opener-Policy", "same-origin");
	header_is(out, "Cache-Control", "no-store");
	header_is(out, "Content-Type", "application/json");
	header_is(out, "X-Request-Id", "abc123");
	is_int(header(out, "Content-Security-Policy", &csp), 1, "one CSP header");
	has_str(csp, "frame-ancestors 'none'", "CSP has frame-ancestors 'none'");
	has_str(csp, "default-src 'self'", "CSP has default-src 'self'");
	has_str(csp, "object-src 'none'", "CSP has object-src 'none'");
	has_str(csp, "script-src 'self'", "CSP has script-src 'self'");
	ok(csp != NULL && strstr(csp, "unsafe-inline") == NULL, "CSP has no unsafe-inline");
	ok(csp != NULL && strstr(csp, "unsafe-eval") == NULL, "CSP has no unsafe-eval");
	ok(csp != NULL && strchr(csp, '*') == NULL, "CSP has no wildcard");
	free(csp);

	body = body_of(out);
	is_str(body, r.resp.body.data, "the body follows the blank line");
	is_int(header(out, "Content-Length", &v), 1, "one Content-Length");
	is_int(v ? atol(v) : -1, strlen(r.resp.body.data), "Content-Length is the body length");
	is_int(v ? atol(v) : -1, body ? strlen(body) : 0, "  and what follows the head");
	free(v);
	for (const char *p = out; body != NULL && p < body; p++)
		if (*p == '\n' && (p == out || p[-1] != '\r'))
			crlf_only = 0;
	ok(crlf_only, "every header line ends with CRLF");
	free(out);
	req_free(&r);

	/* No Content-Type from the handler: a default. */
	req_init(&r, envp);
	buf_puts(&r.resp.body, "plain");
	out = serialize(&r);
	header_is(out, "Content-Type", "text/plain; charset=utf-8");
	is_str(body_of(out), "plain", "plain body");
	header_is(out, "Content-Length", "5");
	free(out);
	req_free(&r);

	/* An empty body. */
	req_init(&r, envp);
	r.resp.status = 204;
	out = serialize(&r);
	ok(strncmp(out, "Status: 204 No Content\r\n", 24) == 0, "Status: 204 No Content");
	header_is(out, "Content-Length", "0");
	is_str(body_of(out), "", "nothing after the head");
	free(out);
	req_free(&r);

	/* Unknown status codes still give a well-formed status line. */
	req_init(&r, envp);
	r.resp.status = 599;
	out = serialize(&r);
	ok(strncmp(out, "Status: 599 Unknown\r\n", 21) == 0, "Status: 599 Unknown");
	free(out);
	req_free(&r);
}

static void
test_head(void)
{
	char *envp[] = { "REQUEST_METHOD=HEAD", "DOCUMENT_URI=/api/x", NULL };
	struct wt_req r;
	char *out, *v;
	size_t len;

	req_init(&r, envp);
	ok(r.head, "HEAD sets head");
	is_str(r.method, "GET", "HEAD is routed as GET");
	wt_json(&r, 200, json_pack("{ss}", "a", "bcdef"));
	out = serialize(&r);
	len = strlen(out);
	ok(len >= 4 && strcmp(out + len - 4, "\r\n\r\n") == 0, "HEAD: the output ends after the head");
	is_str(body_of(out), "", "HEAD: no body");
	is_int(header(out, "Content-Length", &v), 1, "HEAD: Content-Length sent");
	is_int(v ? atol(v) : -1, r.resp.body.len, "HEAD: it is the GET body's length");
	ok(r.resp.body.len > 0, "  (which is not zero)");
	header_is(out, "Content-Type", "application/json");
	header_is(out, "X-Content-Type-Options", "nosniff");
	free(v);
	free(out);
	req_free(&r);
}

static void
test_injection(void)
{
	char *envp[] = { "REQUEST_METHOD=GET", "DOCUMENT_URI=/api/x", NULL };
	struct wt_req r;
	char *out;

	req_init(&r, envp);
	resp_header(&r, "X-Before", "fine");
	resp_header(&r, "X-Evil", "a\r\nSet-Cookie: pwned=1");
	resp_header(&r, "X-Lf", "a\nX-Injected: 1");
	resp_header(&r, "X-Cr", "a\rX-Injected: 2");
	resp_header(&r, "X-After", "also fine");
	buf_puts(&r.resp.body, "body");
	out = serialize(&r);
	is_int(header(out, "X-Evil", NULL), 0, "a header with CRLF is dropped");
	ok(strstr(out, "pwned") == NULL, "  and its payload does not appear");
	ok(strstr(out, "Set-Cookie") == NULL, "  no injected Set-Cookie");
	is_int(header(out, "X-Lf", NULL), 0, "a header with a bare LF is dropped");
	is_int(header(out, "X-Cr", NULL), 0, "a header with a bare CR is dropped");
	ok(strstr(out, "X-Injected") == NULL, "  nothing injected");
	header_is(out, "X-Before", "fine");
	header_is(out, "X-After", "also fine");
	is_str(body_of(out), "body", "the body is intact");
	free(out);
	req_free(&r);

	/* A handler's own value for a security header replaces the default. */
	req_init(&r, envp);
	resp_set_header(&r, "cache-control", "max-age=60");
	resp_set_header(&r, "Content-Type", "image/png");
	resp_set_header(&r, "Content-Type", "image/svg+xml");
	out = serialize(&r);
	is_int(header(out, "Cache-Control", NULL), 1, "one Cache-Control when the handler sets it");
	header_is(out, "cache-control", "max-age=60");
	header_is(out, "Content-Type", "image/svg+xml");
	free(out);
	req_free(&r);

	/* Redirect. */
	req_init(&r, envp);
	wt_redirect(&r, 303, "/login?next=%2F");
	out = serialize(&r);
	ok(strncmp(out, "Status: 303 See Other\r\n", 23) == 0, "redirect status line");
	header_is(out, "Location", "/login?next=%2F");
	is_str(body_of(out), "See /login?next=%2F\n", "redirect body");
	free(out);
	req_free(&r);

	req_init(&r, envp);
	wt_redirect(&r, 302, "/x\r\nSet-Cookie: a=b");
	out = serialize(&r);
	is_int(header(out, "Location", NULL), 0, "a redirect target with CRLF is dropped");
	is_int(header(out, "Set-Cookie", NULL), 0, "  no header injected");
	free(out);
	req_free(&r);
}

/* Checks the JSON error body of r. */
static void
json_error_is(struct wt_req *r, int status, const char *field, const char *msg,
    const char *rid, const char *name)
{
	json_t *j = body_json(r);

	is_int(r->resp.status, status, name);
	ok(j != NULL && json_is_object(j), "  the body is a JSON object");
	is_int(json_integer_value(json_object_get(j, "status")), status, "  status member");
	is_str(json_string_value(json_object_get(j, "error")), http_reason(status),
	    "  error member");
	is_str(json_string_value(json_object_get(j, "message")), msg, "  message member");
	is_str(json_string_value(json_object_get(j, "field")), field, "  field member");
	is_str(json_string_value(json_object_get(j, "request_id")), rid, "  request_id");
	json_decref(j);
}

static void
test_error_json(void)
{
	char *envp[] = { "REQUEST_METHOD=GET", "DOCUMENT_URI=/api/nothing",
	    "REQUEST_ID=0123abcd", NULL };
	char *envp_noid[] = { "REQUEST_METHOD=GET", "DOCUMENT_URI=/api/x", NULL };
	char *envp_accept[] = { "REQUEST_METHOD=GET", "DOCUMENT_URI=/x",
	    "HTTP_ACCEPT=application/json, text/html;q=0.5", NULL };
	char *envp_suffix[] = { "REQUEST_METHOD=GET", "DOCUMENT_URI=/report.json", NULL };
	struct wt_req r;
	char *out;

	req_init(&r, envp);
	ok(req_wants_json(&r), "/api/ paths want JSON");
	answer_error(&r, 404, NULL, "there is no page at %s", r.path);
	json_error_is(&r, 404, NULL, "there is no page at /api/nothing", "0123abcd",
	    "404 as JSON");
	out = serialize(&r);
	ok(strncmp(out, "Status: 404 Not Found\r\n", 23) == 0, "  status line");
	header_is(out, "Content-Type", "application/json");
	free(out);
	req_free(&r);

	req_init(&r, envp);
	resp_set_header(&r, "Allow", "GET, HEAD, POST");
	answer_error(&r, 405, NULL, "%s is not allowed here; use %s", "PUT", "GET, HEAD, POST");
	json_error_is(&r, 405, NULL, "PUT is not allowed here; use GET, HEAD, POST",
	    "0123abcd", "405 as JSON");
	out = serialize(&r);
	ok(strncmp(out, "Status: 405 Method Not Allowed\r\n", 32) == 0, "  status line");
	header_is(out, "Allow", "GET, HEAD, POST");
	free(out);
	req_free(&r);

	req_init(&r, envp_noid);
	answer_error(&r, 400, "email", "email must be an e-mail address");
	json_error_is(&r, 400, "email", "email must be an e-mail address", NULL,
	    "400 with a field, without a request id");
	req_free(&r);

	req_init(&r, envp_accept);
	ok(req_wants_json(&r), "Accept preferring application/json wants JSON");
	answer_error(&r, 409, NULL, "taken");
	json_error_is(&r, 409, NULL, "taken", NULL, "409 as JSON by Accept");
	req_free(&r);

	req_init(&r, envp_suffix);
	ok(req_wants_json(&r), "a .json suffix wants JSON");
	is_str(r.path, "/report", "  and is cut from the path");
	answer_error(&r, 500, NULL, "oops");
	json_error_is(&r, 500, NULL, "oops", NULL, "500 as JSON by suffix");
	req_free(&r);

	/* A message that is not UTF-8 still gives a valid JSON error. */
	req_init(&r, envp);
	answer_error(&r, 400, NULL, "bad %s", "\xff\xfe");
	{
		json_t *j = body_json(&r);

		is_int(r.resp.status, 400, "non-UTF-8 message: still 400");
		ok(j != NULL, "  the body is still JSON");
		is_int(json_integer_value(json_object_get(j, "status")), 400, "  with its status");
		json_decref(j);
	}
	req_free(&r);

	/* An error replaces whatever body was there. */
	req_init(&r, envp);
	buf_puts(&r.resp.body, "half a page");
	answer_error(&r, 503, NULL, "later");
	ok(strstr(r.resp.body.data, "half a page") == NULL, "an error replaces the old body");
	json_error_is(&r, 503, NULL, "later", "0123abcd", "503 as JSON");
	req_free(&r);
}

static void
test_error_html(const char *src)
{
	char *envp[] = { "REQUEST_METHOD=GET", "DOCUMENT_URI=/teams",
	    "HTTP_ACCEPT=text/html,application/xhtml+xml,application/json;q=0.9",
	    "REQUEST_ID=feedbeef", NULL };
	char *envp_none[] = { "REQUEST_METHOD=GET", "DOCUMENT_URI=/teams", NULL };
	struct wt_req r;
	struct wt_buf dir;
	char *out;
	const char *body;

	buf_init(&dir);
	buf_printf(&dir, "%s/templates", src);
	set_cfg("templates.dir", dir.data);

	req_init(&r, envp);
	ok(!req_wants_json(&r), "Accept preferring text/html wants HTML");
	answer_error(&r, 400, "<b>name</b>", "bad: %s", "<script>alert(1)</script>");
	is_int(r.resp.status, 400, "HTML error keeps its status");
	out = serialize(&r);
	header_is(out, "Content-Type", "text/html; charset=utf-8");
	body = body_of(out);
	has_str(body, "<!DOCTYPE html>", "an HTML page");
	has_str(body, "400 Bad Request", "with the status and reason");
	has_str(body, "bad: &lt;script&gt;alert(1)&lt;/script&gt;", "the message is escaped");
	ok(body != NULL && strstr(body, "<script>") == NULL, "no raw <script> in the page");
	has_str(body, "&lt;b&gt;name&lt;/b&gt;", "the field is escaped");
	ok(body != NULL && strstr(body, "<b>name") == NULL, "no raw field markup");
	ok(body != NULL && strstr(body, "feedbeef") == NULL, "the request id is not on the page");
	ok(strstr(out, "X-Request-Id: feedbeef\r\n") != NULL, "... it is in X-Request-Id");
	has_str(body, "<footer", "the layout footer is there");
	free(out);
	req_free(&r);

	req_init(&r, envp_none);
	ok(!req_wants_json(&r), "no Accept header wants HTML");
	answer_error(&r, 404, NULL, "no \"%s\" here & '%s'", "x\" onmouseover=\"alert(1)", "y");
	is_int(r.resp.status, 404, "404 as HTML");
	has_str(r.resp.body.data, "404 Not Found", "  status and reason");
	ok(r.resp.body.data != NULL &&
	    strstr(r.resp.body.data, "\" onmouseover=\"") == NULL,
	    "  double quotes in the message are escaped");
	has_str(r.resp.body.data, "&amp;", "  ampersand escaped");
	ok(r.resp.body.data != NULL && strstr(r.resp.body.data, "Field:") == NULL,
	    "  no field line without a field");
	req_free(&r);

	/* The error page cannot be rendered: the original status survives. */
	set_cfg("templates.dir", "/nonexistent/templates");
	req_init(&r, envp_none);
	fprintf(stderr, "(an error about a missing template is expected next)\n");
	answer_error(&r, 404, NULL, "gone");
	is_int(r.resp.status, 404, "a failing error page keeps the original status");
	is_str(r.resp.body.data, "404 Not Found: gone\n", "  and says the error in plain text");
	out = serialize(&r);
	header_is(out, "Content-Type", "text/plain; charset=utf-8");
	free(out);
	req_free(&r);

	buf_free(&dir);
}

static void
test_reasons(void)
{
	static const struct {
		int		 code;
		const char	*reason;
	} t[] = {
		{ 200, "OK" }, { 201, "Created" }, { 204, "No Content" },
		{ 302, "Found" }, { 303, "See Other" }, { 304, "Not Modified" },
		{ 400, "Bad Request" }, { 401, "Unauthorized" }, { 403, "Forbidden" },
		{ 404, "Not Found" }, { 405, "Method Not Allowed" }, { 409, "Conflict" },
		{ 413, "Content Too Large" }, { 415, "Unsupported Media Type" },
		{ 422, "Unprocessable Content" }, { 429, "Too Many Requests" },
		{ 500, "Internal Server Error" }, { 503, "Service Unavailable" },
		{ 0, "Unknown" }, { 299, "Unknown" }, { 999, "Unknown" }, { -1, "Unknown" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char name[64];

		snprintf(name, sizeof(name), "http_reason(%d)", t[i].code);
		is_str(http_reason(t[i].code), t[i].reason, name);
	}
}

/* buf_put_ll writes what printf's %lld writes, at the ends too. */
static void
test_put_ll(void)
{
	static const long long v[] = { 0, 7, -7, 10, 99, 100, 1700000000000000LL, -86400000,
	    LLONG_MAX, LLONG_MIN };
	struct wt_buf b, want;

	buf_init(&b);
	buf_init(&want);
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		buf_put_ll(&b, v[i]);
		buf_append(&b, ",", 1);
		buf_printf(&want, "%lld,", v[i]);
	}
	is_str(b.data, want.data, "buf_put_ll: zero, signs, powers of ten, both ends of long long");
	buf_free(&b);
	buf_free(&want);
}

int
main(void)
{
	char *src = srcdir();

	set_cfg("site.name", "Worktime");

	test_serialize();
	test_head();
	test_injection();
	test_error_json();
	test_error_html(src);
	test_reasons();
	test_put_ll();
	config_free();
	free(src);
	return done_testing();
}
