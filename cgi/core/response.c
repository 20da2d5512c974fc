#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf.h"
#include "db.h"
#include "http.h"
#include "log.h"
#include "shotstore.h"
#include "view.h"
#include "decode.h"

/* Sent with every answer of every program.  The CSP allows no inline
 * script or style at all: pages load /static/ files only. */
static const struct {
	const char *name, *value;
} security_headers[] = {
	{ "Strict-Transport-Security", "max-age=31536000; includeSubDomains" },
	{ "Content-Security-Policy", "default-src 'self'; script-src 'self'; "
	  "style-src 'self'; img-src 'self' data:; object-src 'none'; "
	  "base-uri 'none'; form-action 'self'; frame-ancestors 'none'" },
	{ "X-Content-Type-Options", "nosniff" },
	{ "X-Frame-Options", "DENY" },
	{ "Referrer-Policy", "same-origin" },
	{ "Cross-Origin-Opener-Policy", "same-origin" },
	/* Reports are private: nothing dynamic is stored by any cache. */
	{ "Cache-Control", "no-store" },
};

const char *
http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 204: return "No Content";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 410: return "Gone";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	}
	return "Unknown";
}

void
resp_header(struct wt_req *r, const char *name, const char *value)
{
	kv_add(&r->resp.headers, name, value);
}

void
resp_set_header(struct wt_req *r, const char *name, const char *value)
{
	for (size_t i = 0; i < r->resp.headers.n; i++)
		if (strcasecmp(r->resp.headers.items[i].key, name) == 0) {
			free(r->resp.headers.items[i].val);
			r->resp.headers.items[i].val = xstrdup(value);
			r->resp.headers.items[i].vlen = strlen(value);
			return;
		}
	resp_header(r, name, value);
}

static int
has_header(const struct wt_req *r, const char *name)
{
	for (size_t i = 0; i < r->resp.headers.n; i++)
		if (strcasecmp(r->resp.headers.items[i].key, name) == 0)
			return 1;
	return 0;
}

static void
answer(struct wt_req *r, int status, const char *ctype)
{
	r->resp.status = status;
	r->resp.done = 1;
	resp_set_header(r, "Content-Type", ctype);
}

struct wt_err *
wt_json(struct wt_req *r, int status, json_t *body)
{
	/* Reals with 15 significant digits: 0.61 is written 0.61, not as
	 * the 17 digits of the nearest double. */
	char *s = body != NULL ? json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER |
	    JSON_REAL_PRECISION(15)) : NULL;

	json_decref(body);
	buf_reset(&r->resp.body);
	if (s == NULL) {
		/* json_pack fails on a string that is not UTF-8: a bug. */
		log_error("bug", "could not serialise a response");
		return wt_fail(500, NULL, "the server could not write its answer");
	}
	buf_puts(&r->resp.body, s);
	buf_puts(&r->resp.body, "\n");
	free(s);
	answer(r, status, "application/json");
	return NULL;
}

struct wt_view *
req_view(struct wt_req *r)
{
	if (r->view != NULL)
		return r->view;
	r->view = view_new();
	view_set(r->view, "Site.Name", wt_cfg.site_name);
	view_set(r->view, "Site.Url", wt_cfg.site_url);
	view_set(r->view, "Page.Path", r->path);
	view_set(r->view, "Request.Id", r->request_id ? r->request_id : "");
	if (r->user != NULL) {
		view_set(r->view, "User.Name", r->user->display_name);
		view_set(r->view, "User.Email", r->user->email);
		view_set(r->view, "User.Role", r->user->role);
	}
	if (r->csrf != NULL)
		view_set(r->view, "CSRF.Token", r->csrf);
	return r->view;
}

struct wt_err *
wt_html(struct wt_req *r, int status, const char *tpl)
{
	char *err = NULL;

	buf_reset(&r->resp.body);
	shots_notice_view(r);
	if (view_render(req_view(r), wt_cfg.templates_dir, tpl, &r->resp.body, &err) != 0) {
		log_write(WT_ERROR, "render", json_pack("{ss}", "template", tpl), "%s", err);
		free(err);
		buf_reset(&r->resp.body);
		return wt_fail(500, NULL, "a page could not be rendered; the error is logged");
	}
	answer(r, status, "text/html; charset=utf-8");
	return NULL;
}

struct wt_err *
wt_redirect(struct wt_req *r, int status, const char *location)
{
	buf_reset(&r->resp.body);
	resp_set_header(r, "Location", location);
	answer(r, status, "text/plain; charset=utf-8");
	buf_printf(&r->resp.body, "See %s\n", location);
	return NULL;
}

struct wt_err *
wt_empty(struct wt_req *r, int status)
{
	buf_reset(&r->resp.body);
	r->resp.status = status;
	r->resp.done = 1;
	return NULL;
}

void
cookie_set(struct wt_req *r, const char *name, const char *value, long max_age)
{
	struct wt_buf hdr;

	/* __Host- cookies must be Secure, Path=/ and carry no Domain. */
	buf_init(&hdr);
	buf_printf(&hdr, "%s=%s; Path=/; Max-Age=%ld; HttpOnly; Secure; SameSite=Lax",
	    name, value, max_age);
	resp_header(r, "Set-Cookie", hdr.data);
	buf_free(&hdr);
}

/* The route's form again: what the user typed (never secrets), the
 * message next to the field. */
static int
form_again(struct wt_req *r, const struct wt_err *e)
{
	struct wt_view *v = req_view(r);
	struct wt_err *fill;

	/* The page first, then what was typed over its defaults. */
	if (r->route->form_page != NULL && (fill = r->route->form_page(r)) != NULL) {
		err_free(fill);
		db_rollback();
		return -1;
	}
	for (const struct wt_field *f = r->route->fields; f && f->name; f++) {
		const struct wt_kvlist *src = f->src == WT_SRC_BODY ? &r->form :
		    f->src == WT_SRC_QUERY ? &r->query : NULL;
		const char *val;

		if (f->type == WT_T_PASSWORD || src == NULL)
			continue;
		if ((val = kv_get(src, f->name)) != NULL && utf8_valid_str(val))
			view_setf(v, val, "Form.Value.%s", f->name);
	}
	view_setf(v, e->msg ? e->msg : "", "Form.Error.%s", e->field ? e->field : "_");
	if (wt_html(r, e->status, r->route->form) != NULL)
		return -1;
	r->resp.status = e->status;
	return 0;
}

static void
error_json(struct wt_req *r, const struct wt_err *e)
{
	json_t *body = json_pack("{si ss ss}", "status", e->status,
	    "error", http_reason(e->status), "message", e->msg ? e->msg : "");

	/* A client may send a field name that is not valid UTF-8: json_pack
	 * would fail on it, so the message goes without it. */
	if (body == NULL)
		body = json_pack("{si ss}", "status", e->status,
		    "error", http_reason(e->status));
	if (e->field != NULL && utf8_valid_str(e->field))
		json_object_set_new(body, "field", json_string(e->field));
	if (r->request_id != NULL && utf8_valid_str(r->request_id))
		json_object_set_new(body, "request_id", json_string(r->request_id));
	if (wt_json(r, e->status, body) != NULL) {
		buf_reset(&r->resp.body);
		buf_puts(&r->resp.body, "{\"error\":\"Internal Server Error\"}\n");
		answer(r, 500, "application/json");
	}
}

static void
error_page(struct wt_req *r, const struct wt_err *e)
{
	struct wt_view *v = req_view(r);
	struct wt_err *render;

	view_set_int(v, "Error.Status", e->status);
	view_set(v, "Error.Title", http_reason(e->status));
	view_set(v, "Error.Message", e->msg ? e->msg : "");
	if (e->field != NULL)
		view_set(v, "Error.Field", e->field);
	if ((render = wt_html(r, e->status, "error.cs")) != NULL) {
		/* The error page itself failed: say the original error. */
		err_free(render);
		buf_reset(&r->resp.body);
		buf_printf(&r->resp.body, "%d %s: %s\n", e->status,
		    http_reason(e->status), e->msg ? e->msg : "");
		answer(r, e->status, "text/plain; charset=utf-8");
	}
}

void
resp_error(struct wt_req *r, const struct wt_err *e)
{
	/* Whatever a handler had begun to answer is replaced. */
	buf_reset(&r->resp.body);
	for (size_t i = 0; i < e->headers.n; i++)
		resp_set_header(r, e->headers.items[i].key, e->headers.items[i].val);
	if (e->location != NULL) {
		(void)wt_redirect(r, e->status, e->location);
		return;
	}
	if (req_wants_json(r)) {
		error_json(r, e);
		return;
	}
	if (e->form && r->route != NULL && r->route->form != NULL &&
	    form_again(r, e) == 0)
		return;
	error_page(r, e);
}

void
resp_serialize(struct wt_req *r, struct wt_buf *out)
{
	buf_printf(out, "Status: %d %s\r\n", r->resp.status, http_reason(r->resp.status));
	for (size_t i = 0; i < sizeof(security_headers) / sizeof(security_headers[0]); i++)
		if (!has_header(r, security_headers[i].name))
			buf_printf(out, "%s: %s\r\n", security_headers[i].name,
			    security_headers[i].value);
	if (!has_header(r, "Content-Type"))
		buf_puts(out, "Content-Type: text/plain; charset=utf-8\r\n");
	if (r->request_id != NULL && strpbrk(r->request_id, "\r\n") == NULL)
		buf_printf(out, "X-Request-Id: %s\r\n", r->request_id);
	for (size_t i = 0; i < r->resp.headers.n; i++) {
		const char *v = r->resp.headers.items[i].val;

		/* A header value with CR or LF would split the response. */
		if (strpbrk(v, "\r\n") != NULL) {
			log_error("bug", "header %s has a line break; dropped",
			    r->resp.headers.items[i].key);
			continue;
		}
		buf_printf(out, "%s: %s\r\n", r->resp.headers.items[i].key, v);
	}
	/* A streamed body's length is not known yet: nginx chunks it. */
	if (r->resp.stream != NULL) {
		buf_puts(out, "\r\n");
		return;
	}
	buf_printf(out, "Content-Length: %zu\r\n\r\n", r->resp.body.len);
	if (!r->head && r->resp.body.len > 0)
		buf_append(out, r->resp.body.data, r->resp.body.len);
}
