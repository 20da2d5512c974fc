/* dash.fcgi in process: the front page and its JSON twin, /healthz, the
 * security headers of every kind of answer, and the error answers every
 * program gives (404, 405 with Allow, malformed and invalid UTF-8 query
 * strings and paths, 413, 415, malformed JSON, short bodies).  What only
 * nginx can show (TLS, static files, its own error pages, redirects of
 * plain HTTP) stays in tests/api. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "dash.h"
#include "check.h"

static const struct wt_app *dash = &dash_app;

/* The headers resp_serialize puts on every answer (03_headers.t). */
static void
check_headers(const struct ip_resp *a, const char *what)
{
	const char *csp = ip_header(a, "Content-Security-Policy");

	like(ip_header(a, "Strict-Transport-Security"), "max-age=[0-9]{7,}",
	    ip_strf("%s: HSTS", what));
	like(csp, "frame-ancestors 'none'", ip_strf("%s: CSP forbids framing", what));
	like(csp, "script-src 'self'", ip_strf("%s: CSP allows only our own scripts", what));
	unlike(csp, "unsafe-inline|unsafe-eval", ip_strf("%s: CSP has no inline script", what));
	is_str(ip_header(a, "X-Content-Type-Options"), "nosniff", ip_strf("%s: nosniff", what));
	like(ip_header(a, "Referrer-Policy"), "^(same-origin|no-referrer|strict-origin)",
	    ip_strf("%s: Referrer-Policy", what));
	is_str(ip_header(a, "X-Frame-Options"), "DENY", ip_strf("%s: X-Frame-Options", what));
	is_str(ip_header(a, "Cache-Control"), "no-store", ip_strf("%s: not cached", what));
	is_str(ip_header(a, "X-Request-Id"), a->request_id,
	    ip_strf("%s: carries the request id", what));
	is_int(ip_header_count(a, "Content-Length"), 1, ip_strf("%s: one Content-Length", what));
}

static void
front_page(void)
{
	struct ip_resp *a;

	a = IP(dash, .path = "/");
	is_status(a, 200, "front page: 200");
	like(ip_header(a, "Content-Type"), "^text/html; charset=utf-8", "front page is HTML");
	like(a->body, "<!DOCTYPE html>", "front page is a document");
	like(a->body, "<a href=\"/login\">Sign in</a>", "front page offers the sign-in");
	like(a->body, "href=\"/static/css/worktime.css\"", "front page links the stylesheet");
	unlike(a->body, "<script>|style=", "front page has no inline script or style");
	unlike(a->body, "[Ss]chema|[Mm]igration", "front page says nothing of the installation "
	    "(that is /admin/system, for admins)");
	unlike(a->body, a->request_id, "the page does not show the request id (X-Request-Id has it)");
	like(a->body, "href=\"/login\">Sign in<", "an anonymous visitor is offered to sign in");
	is_str(ip_header(a, "Set-Cookie"), NULL, "the front page sets no cookie");
	is_int(a->body_len, atoll(ip_header(a, "Content-Length")),
	    "Content-Length is the body's length");
	check_headers(a, "page");

	/* Issue 8, security 11: which schema runs is an admin's business. */
	unlike(a->body, "Schema version|Migrations applied",
	    "an anonymous visitor is not shown the schema version");
	a = IP(dash, .path = "/", .bearer = ip_token(ip_user(ip_strf("dm-%s@example.test",
	    ip_tag()), "Dash Member", "member", NULL)));
	unlike(a->body, "Schema version", "... nor is a member");

	a = IP(dash, .path = "/.json");
	is_status(a, 200, "/.json is the JSON twin of the front page");
	like(ip_header(a, "Content-Type"), "^application/json", "... answered as JSON");
	is_str(ip_jstr(a, "db"), "ok", "... saying the database is ok");
	is_str(ip_jstr(a, "site"), wt_cfg.site_name, "... and the site's name");
	check_headers(a, "JSON");

	a = IP(dash, .path = "/", .accept = "application/json");
	is_str(ip_jstr(a, "db"), "ok", "Accept: application/json gets the JSON twin");
	a = IP(dash, .path = "/", .accept = "text/html, application/json");
	like(ip_header(a, "Content-Type"), "^text/html", "... HTML when HTML is preferred");

	a = IP(dash, .path = "/?utm_source=x&ref=%C3%A9");
	is_status(a, 200, "a query string nobody declared is ignored");

	a = IP(dash, .method = "HEAD", .path = "/");
	is_status(a, 200, "HEAD /: 200");
	is_int(a->body_len, 0, "... without a body");
	ok(atoll(ip_header(a, "Content-Length")) > 0, "... with the GET's Content-Length");

	/* The connection is lost (PostgreSQL restarted): the page's read is
	 * retried on a new connection and nobody notices. */
	is_int(ip_kill_app_conn(), 1, "the program's database connection is cut");
	a = IP(dash, .path = "/.json");
	is_status(a, 200, "the next request still answers 200");
	is_str(ip_jstr(a, "db"), "ok", "... with the database ok");
	like(a->log, "\"event\":\"db_lost\"", "... after logging the lost connection");
}

static void
healthz(void)
{
	struct ip_resp *a = IP(dash, .path = "/healthz");

	is_status(a, 200, "GET /healthz is 200");
	is_str(ip_jstr(a, "."), "{\"status\":\"ok\",\"db\":\"ok\"}",
	    "body says status ok, db ok");
	like(ip_header(a, "Content-Type"), "^application/json", "answers JSON");
	check_headers(a, "healthz");

	a = IP(dash, .method = "HEAD", .path = "/healthz");
	is_status(a, 200, "HEAD /healthz: 200");
	is_int(a->body_len, 0, "... and no body");
}

static void
not_found(void)
{
	struct ip_resp *a;

	a = IP(dash, .path = "/no/such/page", .accept = "application/json");
	is_status(a, 404, "unknown path: 404");
	is_str(ip_jstr(a, "error"), "Not Found", "404: JSON error names the status");
	is_str(ip_jstr(a, "status"), "404", "404: JSON error carries the status");
	like(ip_jstr(a, "message"), "/no/such/page", "404: message names the path");
	is_str(ip_jstr(a, "request_id"), ip_header(a, "X-Request-Id"),
	    "404: body carries the request id");
	check_headers(a, "404");

	a = IP(dash, .path = "/no/such/page", .accept = "text/html");
	is_status(a, 404, "unknown path as HTML: 404");
	like(ip_header(a, "Content-Type"), "^text/html", "404 for a browser is HTML");
	like(a->body, "<h1>404 Not Found</h1>", "404 page has a heading");
	like(a->body, "<footer", "404 page uses the shared layout");

	a = IP(dash, .path = "/no/%3Cscript%3Ealert(1)%3C/script%3E", .accept = "text/html");
	unlike(a->body, "<script>alert", "a path with markup is escaped on the 404 page");
	like(a->body, "&lt;script&gt;", "... and shown as text");

	a = IP(dash, .path = "/api/v1/nothing-here");
	like(ip_header(a, "Content-Type"), "^application/json",
	    "/api/ paths answer errors as JSON without asking");
	a = IP(dash, .path = "/index.json");
	is_status(a, 404, "a .json twin of a page that does not exist is 404");
	is_str(ip_jstr(a, "error"), "Not Found", "... answered as JSON");
	a = IP(dash, .path = "/healthz/");
	is_status(a, 404, "a trailing slash is another path: 404");
}

static void
not_allowed(void)
{
	static const char *const methods[] = { "POST", "PUT", "DELETE", "PATCH", NULL };
	struct ip_resp *a;

	for (const char *const *m = methods; *m != NULL; m++) {
		a = IP(dash, .method = *m, .path = "/", .accept = "application/json",
		    .json = "{}");
		is_status(a, 405, ip_strf("%s /: 405", *m));
		is_str(ip_header(a, "Allow"), "GET, HEAD", ip_strf("%s /: Allow says GET, HEAD", *m));
	}
	a = IP(dash, .method = "DELETE", .path = "/", .accept = "application/json");
	is_str(ip_jstr(a, "error"), "Method Not Allowed", "405: JSON error");
	like(ip_jstr(a, "message"), "DELETE is not allowed here; use GET, HEAD",
	    "405: the message says what to use");
	a = IP(dash, .method = "POST", .path = "/healthz", .accept = "application/json",
	    .json = "{}");
	is_status(a, 405, "POST /healthz: 405");
	is_str(ip_header(a, "Allow"), "GET, HEAD", "... Allow: GET, HEAD");
	a = IP(dash, .method = "DELETE", .path = "/", .accept = "text/html");
	is_status(a, 405, "405 for a browser");
	like(a->body, "<h1>405 Method Not Allowed</h1>", "... is an HTML page");
	is_str(ip_header(a, "Allow"), "GET, HEAD", "... with Allow");
}

static void
bad_input(void)
{
	struct ip_resp *a;
	char *big;
	size_t max = (size_t)wt_cfg.http_max_body;

	a = IP(dash, .path = "/?a=%zz", .accept = "application/json");
	is_status(a, 400, "malformed percent-encoding in the query: 400");
	like(ip_jstr(a, "message"), "percent-encoding", "... and says why");
	a = IP(dash, .path = "/?a=%00", .accept = "application/json");
	is_status(a, 400, "%00 in the query: 400");
	like(ip_jstr(a, "message"), "NUL|zero", "... and says why");
	a = IP(dash, .path = "/?a=%C3%28", .accept = "application/json");
	is_status(a, 400, "invalid UTF-8 in the query: 400");
	like(ip_jstr(a, "message"), "UTF-8", "... and says why");
	is_str(ip_jstr(a, "field"), "a", "... naming the parameter");
	a = IP(dash, .path = "/?%FF=1", .accept = "application/json");
	is_status(a, 400, "invalid UTF-8 in a query parameter's name: 400");
	is_str(ip_jstr(a, "field"), NULL, "... which is not echoed back");
	a = IP(dash, .path = "/?a=%ED%A0%80", .accept = "application/json");
	is_status(a, 400, "an encoded surrogate (not UTF-8) in the query: 400");
	a = IP(dash, .path = "/?a=%C0%AF", .accept = "application/json");
	is_status(a, 400, "an overlong encoding in the query: 400");

	a = IP(dash, .path = "/%FF", .accept = "application/json");
	is_status(a, 400, "invalid UTF-8 in the path: 400");
	like(ip_jstr(a, "message"), "path is not valid UTF-8", "... and says why");
	a = IP(dash, .path = "/caf%C3%A9", .accept = "application/json");
	is_status(a, 404, "valid UTF-8 in the path is just a path: 404");
	like(ip_jstr(a, "message"), "/café", "... named in the message");
	a = IP(dash, .path = "/%C3", .accept = "text/html");
	is_status(a, 400, "a cut character in the path, for a browser: 400");
	like(a->body, "<h1>400 Bad Request</h1>", "... as an error page");

	a = IP(dash, .path = "/", .body = "hello", .content_type = "text/plain",
	    .accept = "application/json");
	is_status(a, 415, "a body of an unsupported type: 415");
	like(ip_jstr(a, "message"), "text/plain", "... naming the type");
	a = IP(dash, .path = "/", .body = "hello", .accept = "application/json");
	is_status(a, 415, "a body without a Content-Type: 415");

	a = IP(dash, .path = "/", .json = "{\"a\":", .accept = "application/json");
	is_status(a, 400, "malformed JSON: 400");
	like(ip_jstr(a, "message"), "^malformed JSON at line 1", "... saying where");
	a = IP(dash, .path = "/", .json = "{\"a\":1,\"a\":2}");
	is_status(a, 400, "a JSON object with a repeated key: 400");
	a = IP(dash, .path = "/", .body = "", .content_type = "application/json",
	    .accept = "application/json");
	is_status(a, 400, "an empty JSON body: 400");
	a = IP(dash, .path = "/", .json = "{\"a\":\"\xff\"}");
	is_status(a, 400, "JSON with invalid UTF-8: 400");
	a = IP(dash, .path = "/", .form = "a=%zz");
	is_status(a, 400, "a malformed form body: 400");
	a = IP(dash, .path = "/", .form = "x=1&y=2", .chunk = 1);
	is_status(a, 200, "a form body read a byte at a time: 200");
	a = IP(dash, .path = "/", .json = "{\"x\":[1,2,3]}", .chunk = 3);
	is_status(a, 200, "a JSON body read three bytes at a time: 200");

	big = xmalloc(max + 2);
	memset(big, 'a', max + 1);
	big[max + 1] = '\0';
	a = IP(dash, .path = "/", .body = big, .content_type = "text/plain",
	    .accept = "application/json");
	is_status(a, 413, "a body one byte over http.max_body: 413");
	like(ip_jstr(a, "message"), ip_strf("at most %zu", max), "... saying the limit");
	big[max] = '\0';
	a = IP(dash, .path = "/", .form = big);
	is_status(a, 200, "a body of exactly http.max_body is read");
	free(big);
	a = IP(dash, .path = "/", .content_length = "99999999999999999999999",
	    .accept = "application/json");
	is_status(a, 400, "a Content-Length that overflows: 400");
	a = IP(dash, .path = "/", .content_length = "-1", .accept = "application/json");
	is_status(a, 400, "a negative Content-Length: 400");
	a = IP(dash, .path = "/", .content_length = "12abc", .accept = "application/json");
	is_status(a, 400, "a Content-Length that is not a number: 400");
	a = IP(dash, .path = "/", .form = "a=1", .content_length = "10",
	    .accept = "application/json");
	is_status(a, 400, "a body shorter than its Content-Length: 400");
	like(ip_jstr(a, "message"), "ended after 3 of 10 bytes", "... saying how short");

	a = IP(dash, .path = "/", .cookie = "__Host-wt_session=nonsense");
	is_status(a, 200, "a malformed session cookie is ignored");
	like(ip_header(a, "Set-Cookie"), "^__Host-wt_session=; .*Max-Age=0",
	    "... and cleared in the browser");
	a = IP(dash, .path = "/", .cookie = ip_strf("__Host-wt_session=%s", ip_repeat("ab", 32)));
	is_status(a, 200, "an unknown session cookie: the page as for anyone");
	like(ip_header(a, "Set-Cookie"), "Max-Age=0", "... and the cookie cleared");
	a = IP(dash, .path = "/.json", .bearer = "not-a-jwt");
	is_status(a, 200, "a bearer token on a page open to anyone is not looked at");
	a = IP(dash, .path = "/.json", .bearer = "a.b.c");
	is_status(a, 401, "a malformed JWT is refused even on an open page");
	like(ip_header(a, "WWW-Authenticate"), "invalid_token", "... saying the token is invalid");

	/* After all of the above the program still answers. */
	a = IP(dash, .path = "/healthz");
	is_status(a, 200, "still healthy after bad requests");
}

int
main(void)
{
	if (ip_init("dash") != 0)
		return 0;
	front_page();
	healthz();
	not_found();
	not_allowed();
	bad_input();
	return ip_done();
}
