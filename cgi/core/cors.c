/* Cross-origin calls from the widget.
 *
 * The widget runs inside another site's page (the one a person rates
 * tasks on), so its calls to this server are cross-origin: the browser
 * sends a preflight OPTIONS first and lets the page read an answer only
 * when it names the page's origin.  Only routes flagged WT_ROUTE_CORS
 * take part, and only for the origins listed in cors.origins; every
 * other route and origin gets no CORS header at all, so the browser
 * keeps other sites' pages out as before.  Credentials are never
 * allowed: the widget sends its token in Authorization, not a cookie. */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "conf.h"
#include "cors.h"

int
cors_origin_allowed(const char *origin)
{
	size_t n;
	const char *p;

	if (origin == NULL || *origin == '\0' || wt_cfg.cors_origins == NULL)
		return 0;
	n = strlen(origin);
	for (p = wt_cfg.cors_origins; *p != '\0';) {
		size_t w = strcspn(p, " \t,");

		/* Origins are case-insensitive in scheme and host. */
		if (w == n && strncasecmp(p, origin, n) == 0)
			return 1;
		p += w;
		p += strspn(p, " \t,");
	}
	return 0;
}

/* The first route at r's path flagged for CORS, any method. */
static const struct wt_route *
cors_route(const struct wt_route *routes, const char *path, struct wt_buf *methods)
{
	const struct wt_route *found = NULL;

	for (const struct wt_route *rt = routes; rt->pattern != NULL; rt++) {
		if (!(rt->flags & WT_ROUTE_CORS) || !route_path_match(rt, path))
			continue;
		if (methods->len > 0)
			buf_puts(methods, ", ");
		buf_puts(methods, rt->method);
		found = rt;
	}
	return found;
}

struct wt_err *
cors_preflight(const struct wt_route *routes, struct wt_req *r, int *answered)
{
	const char *origin = req_header(r, "HTTP_ORIGIN");
	struct wt_buf methods;
	struct wt_err *e = NULL;

	*answered = 0;
	if (strcmp(r->method, "OPTIONS") != 0)
		return NULL;
	buf_init(&methods);
	if (cors_route(routes, r->path, &methods) == NULL) {
		buf_free(&methods);
		return NULL;	/* the router answers 404 or 405 */
	}
	if (!cors_origin_allowed(origin)) {
		e = wt_fail(403, NULL, "pages from %s may not call this server; the admin "
		    "lists the origins the widget may run on in cors.origins",
		    origin != NULL && *origin != '\0' ? origin : "an unnamed origin");
	} else {
		resp_header(r, "Access-Control-Allow-Origin", origin);
		resp_header(r, "Access-Control-Allow-Methods", methods.data);
		resp_header(r, "Access-Control-Allow-Headers", "Authorization, Content-Type");
		resp_header(r, "Access-Control-Max-Age", "600");
		/* A page on the internet calling a server on the local
		 * network: Chromium's Private Network Access asks first. */
		{
			const char *pna = req_header(r, "HTTP_ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK");

			if (pna != NULL && strcmp(pna, "true") == 0)
				resp_header(r, "Access-Control-Allow-Private-Network", "true");
		}
		resp_header(r, "Vary", "Origin");
		(void)wt_empty(r, 204);
		*answered = 1;
	}
	buf_free(&methods);
	return e;
}

void
cors_headers(struct wt_req *r)
{
	const char *origin = req_header(r, "HTTP_ORIGIN");

	if (r->route == NULL || !(r->route->flags & WT_ROUTE_CORS))
		return;
	resp_header(r, "Vary", "Origin");
	if (!cors_origin_allowed(origin))
		return;
	resp_header(r, "Access-Control-Allow-Origin", origin);
	resp_header(r, "Access-Control-Expose-Headers", "Retry-After, X-Request-Id");
}
