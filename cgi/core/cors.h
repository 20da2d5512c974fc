/* CORS for the routes the widget calls from other sites' pages
 * (WT_ROUTE_CORS), for the origins in cors.origins only. */
#ifndef WT_CORS_H
#define WT_CORS_H

#include "http.h"

/* 1 when origin is listed in cors.origins (exactly, any case). */
int		 cors_origin_allowed(const char *origin);
/* An OPTIONS request to a CORS route: answers the preflight (204 with
 * the allowed methods and headers, *answered set) or returns the 403 for
 * an origin not listed.  Anything else: NULL, nothing done. */
struct wt_err	*cors_preflight(const struct wt_route *routes, struct wt_req *,
		    int *answered);
/* After the route matched: lets a listed origin read the answer
 * (errors included). */
void		 cors_headers(struct wt_req *);

#endif
