#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "decode.h"
#include "http.h"
#include "log.h"
#include "user.h"
#include "view.h"

const char *
req_param(const struct wt_req *r, const char *name)
{
	size_t n = strlen(name);

	for (char **e = r->envp; e != NULL && *e != NULL; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

/* http_name is the CGI form: "HTTP_ACCEPT", "HTTP_AUTHORIZATION". */
const char *
req_header(const struct wt_req *r, const char *http_name)
{
	return req_param(r, http_name);
}

static char *
path_of(const struct wt_req *r)
{
	const char *p = req_param(r, "DOCUMENT_URI");

	if (p == NULL || *p == '\0') {
		/* Without nginx's decoded $uri, fall back to the raw URI. */
		const char *u = req_param(r, "REQUEST_URI");

		if (u == NULL || *u != '/')
			return xstrdup("/");
		return xstrndup(u, strcspn(u, "?#"));
	}
	return xstrdup(p);
}

void
req_init(struct wt_req *r, char **envp)
{
	const char *m, *cookie;
	size_t len;

	memset(r, 0, sizeof(*r));
	r->envp = envp;
	kv_init(&r->query);
	kv_init(&r->form);
	kv_init(&r->cookies);
	kv_init(&r->path_args);
	kv_init(&r->resp.headers);
	buf_init(&r->resp.body);
	r->resp.status = 200;

	m = req_param(r, "REQUEST_METHOD");
	r->method = m != NULL && *m != '\0' ? m : "GET";
	if (strcmp(r->method, "HEAD") == 0) {
		r->head = 1;
		r->method = "GET";
	}
	r->path = path_of(r);
	len = strlen(r->path);
	if (len > 5 && strcmp(r->path + len - 5, ".json") == 0) {
		r->path[len - 5] = '\0';
		r->want_json = 1;
	}
	r->query_string = req_param(r, "QUERY_STRING");
	if (r->query_string == NULL)
		r->query_string = "";
	r->content_type = req_param(r, "CONTENT_TYPE");
	r->remote_addr = req_param(r, "REMOTE_ADDR");
	r->request_id = req_param(r, "REQUEST_ID");
	if ((cookie = req_param(r, "HTTP_COOKIE")) != NULL)
		cookies_parse(cookie, &r->cookies);
}

void
req_free(struct wt_req *r)
{
	free(r->path);
	kv_free(&r->query);
	kv_free(&r->form);
	kv_free(&r->cookies);
	kv_free(&r->path_args);
	kv_free(&r->resp.headers);
	buf_free(&r->resp.body);
	/* A streamed answer that was never sent (HEAD, an error after). */
	if (r->resp.stream_free != NULL && r->resp.stream_arg != NULL)
		r->resp.stream_free(r->resp.stream_arg);
	json_decref(r->json);
	free(r->body);
	for (size_t i = 0; i < r->nvalues; i++)
		free(r->values[i].owned);
	free(r->values);
	view_free(r->view);
	user_free(r->user);
	device_free(r->device);
	free(r->session_token);
	free(r->pre_token);
	free(r->csrf);
	free(r->bearer);
	memset(r, 0, sizeof(*r));
}

int
req_wants_json(const struct wt_req *r)
{
	const char *accept, *j, *h;

	if (r->want_json || strncmp(r->path, "/api/", 5) == 0)
		return 1;
	/* A client that writes JSON reads JSON. */
	if (r->json != NULL)
		return 1;
	if ((accept = req_header(r, "HTTP_ACCEPT")) == NULL)
		return 0;
	j = strstr(accept, "application/json");
	h = strstr(accept, "text/html");
	return j != NULL && (h == NULL || j < h);
}

struct wt_err *
req_parse_query(struct wt_req *r)
{
	char *bad = NULL;
	enum wt_decode rc;
	struct wt_err *e;

	rc = urlencoded_parse(r->query_string, strlen(r->query_string),
	    &r->query, &bad);
	if (rc == WT_DEC_OK)
		return NULL;
	e = wt_fail(400, bad, "query string: %s", decode_strerror(rc));
	free(bad);
	return e;
}

/* "application/json; charset=utf-8" has media type application/json. */
static int
media_type_is(const char *ct, const char *type)
{
	size_t n = strlen(type);

	if (ct == NULL || strncasecmp(ct, type, n) != 0)
		return 0;
	return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ';
}

struct wt_err *
req_parse_body(struct wt_req *r)
{
	if (r->route != NULL && (r->route->flags & WT_ROUTE_RAW_BODY))
		return NULL;
	if (r->body_len == 0 && !media_type_is(r->content_type, "application/json"))
		return NULL;
	if (media_type_is(r->content_type, "application/x-www-form-urlencoded")) {
		char *bad = NULL;
		enum wt_decode rc;
		struct wt_err *e;

		rc = urlencoded_parse(r->body, r->body_len, &r->form, &bad);
		if (rc == WT_DEC_OK)
			return NULL;
		e = wt_fail(400, bad, "form body: %s", decode_strerror(rc));
		free(bad);
		return e;
	}
	if (media_type_is(r->content_type, "application/json")) {
		json_error_t err;

		if (r->body_len == 0)
			return wt_fail(400, NULL, "malformed JSON: the body is empty");
		r->json = json_loadb(r->body, r->body_len,
		    JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &err);
		if (r->json == NULL)
			return wt_fail(400, NULL, "malformed JSON at line %d, column %d: %s",
			    err.line, err.column, err.text);
		return NULL;
	}
	return wt_fail(415, NULL, "unsupported Content-Type '%s': send "
	    "application/json or application/x-www-form-urlencoded",
	    r->content_type && utf8_valid_str(r->content_type) ? r->content_type : "(none)");
}
