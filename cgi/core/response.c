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
#include "view.h"
#include "decode.h"
#include "session.h"

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

void
wt_json(struct wt_req *r, int status, json_t *body)
{
	char *s = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER);

	json_decref(body);
	buf_reset(&r->resp.body);
	if (s == NULL) {
		log_error("json", "could not serialise a response");
		buf_puts(&r->resp.body, "{\"error\":\"Internal Server Error\"}\n");
		answer(r, 500, "application/json");
		return;
	}
	buf_puts(&r->resp.body, s);
	buf_puts(&r->resp.body, "\n");
	free(s);
	answer(r, status, "application/json");
}

struct wt_view *
req_view(struct wt_req *r)
{
	if (r->view == NULL) {
		r->view = view_new();
		view_set(r->view, "Site.Name", config_get("site.name"));
		view_set(r->view, "Site.Url", config_get("site.url"));
		view_set(r->view, "Page.Path", r->path);
		view_set(r->view, "Request.Id", r->request_id ? r->request_id : "");
		if (r->user != NULL) {
			view_set(r->view, "User.Name", r->user->display_name);
			view_set(r->view, "User.Email", r->user->email);
			view_set(r->view, "User.Role", r->user->role);
		}
	}
	if (r->user != NULL && r->csrf == NULL && r->auth_via == WT_AUTH_COOKIE)
		csrf_token(r);	/* the sign-out button in the header */
	return r->view;
}

void
wt_html(struct wt_req *r, int status, const char *tpl)
{
	char *err = NULL;

	buf_reset(&r->resp.body);
	if (view_render(req_view(r), config_get("templates.dir"), tpl,
	    &r->resp.body, &err) != 0) {
		json_t *extra = json_pack("{ss}", "template", tpl);

		log_write(WT_ERROR, "render", extra, "%s", err);
		free(err);
		buf_reset(&r->resp.body);
		buf_puts(&r->resp.body, "Internal Server Error: a page could not be "
		    "rendered. The error has been logged.\n");
		answer(r, 500, "text/plain; charset=utf-8");
		return;
	}
	answer(r, status, "text/html; charset=utf-8");
}

void
wt_redirect(struct wt_req *r, int status, const char *location)
{
	buf_reset(&r->resp.body);
	resp_set_header(r, "Location", location);
	answer(r, status, "text/plain; charset=utf-8");
	buf_printf(&r->resp.body, "See %s\n", location);
}

static void error_answer(struct wt_req *, int, const char *, struct wt_buf *);

void
wt_error(struct wt_req *r, int status, const char *field, const char *fmt, ...)
{
	struct wt_buf msg;
	va_list ap;

	buf_init(&msg);
	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	error_answer(r, status, field, &msg);
}

void
form_fail(struct wt_req *r, int status, const char *field, const char *fmt, ...)
{
	struct wt_buf msg;
	struct wt_view *v;
	va_list ap;

	buf_init(&msg);
	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	if (req_wants_json(r) || r->route == NULL || r->route->form == NULL) {
		error_answer(r, status, field, &msg);
		return;
	}
	v = req_view(r);
	/* What the user typed goes back into the form, except secrets. */
	for (const struct wt_field *f = r->route->fields; f && f->name; f++) {
		const char *val;

		if (f->type == WT_T_PASSWORD || f->src != WT_SRC_BODY)
			continue;
		if ((val = kv_get(&r->form, f->name)) != NULL && utf8_valid_str(val))
			view_setf(v, val, "Form.Value.%s", f->name);
	}
	for (const struct wt_field *f = r->route->fields; f && f->name; f++) {
		const char *val;

		if (f->src == WT_SRC_QUERY && (val = kv_get(&r->query, f->name)) != NULL &&
		    utf8_valid_str(val))
			view_setf(v, val, "Form.Value.%s", f->name);
	}
	view_setf(v, msg.data ? msg.data : "", "Form.Error.%s", field ? field : "_");
	csrf_token(r);
	wt_html(r, status, r->route->form);
	buf_free(&msg);
}

static void
error_answer(struct wt_req *r, int status, const char *field, struct wt_buf *msg)
{
	if (req_wants_json(r)) {
		json_t *body = json_pack("{si ss ss}", "status", status,
		    "error", http_reason(status), "message", msg->data ? msg->data : "");

		/* A client may send a field name that is not valid UTF-8:
		 * json_pack would fail on it, so check first. */
		if (body == NULL)
			body = json_pack("{si ss}", "status", status,
			    "error", http_reason(status));
		if (field != NULL)
			json_object_set_new(body, "field", json_string(field));
		if (r->request_id != NULL)
			json_object_set_new(body, "request_id", json_string(r->request_id));
		wt_json(r, status, body);
	} else {
		struct wt_view *v = req_view(r);

		view_set_int(v, "Error.Status", status);
		view_set(v, "Error.Title", http_reason(status));
		view_set(v, "Error.Message", msg->data ? msg->data : "");
		if (field != NULL)
			view_set(v, "Error.Field", field);
		wt_html(r, status, "error.cs");
		if (r->resp.status == 500 && status != 500) {
			/* The error page itself failed: say the original error. */
			buf_reset(&r->resp.body);
			buf_printf(&r->resp.body, "%d %s: %s\n", status,
			    http_reason(status), msg->data ? msg->data : "");
			r->resp.status = status;
		}
	}
	buf_free(msg);
}

void
db_unavailable(struct wt_req *r)
{
	db_rollback();
	resp_set_header(r, "Retry-After", "5");
	wt_error(r, 503, NULL, "the database is unavailable; try again shortly");
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
	buf_printf(out, "Content-Length: %zu\r\n\r\n", r->resp.body.len);
	if (!r->head && r->resp.body.len > 0)
		buf_append(out, r->resp.body.data, r->resp.body.len);
}
