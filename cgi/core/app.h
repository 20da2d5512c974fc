/* A program: its name, routes and statements, and the one entry point
 * that runs it (supervisor, workers, request loop). */
#ifndef WT_APP_H
#define WT_APP_H

#include <sys/types.h>

#include "db.h"
#include "http.h"

struct wt_app {
	const char		*name;
	const struct wt_route	*routes;
	const struct wt_stmt	*stmts;
	/* Runs in each worker after fork; non-zero stops the worker. */
	int			(*worker_init)(void);
	/* Decides, for every request after sign-in, whether its user may
	 * call the route; 0 to go on, -1 after answering (403, 404). */
	int			(*authorize)(struct wt_req *);
};

/* Reads up to n bytes of request body; 0 at the end, -1 on error. */
typedef ssize_t (*wt_reader)(void *ctx, char *buf, size_t n);

/* Every program answers these (GET /healthz). */
void	core_healthz(struct wt_req *);
#define WT_CORE_ROUTES \
	{ .method = "GET", .pattern = "/healthz", .handler = core_healthz }
#define WT_ROUTES_END	{ .pattern = NULL }

/* Runs one request through parse, route, validate, handler; the answer
 * is left in r->resp.  max_body is the largest body read. */
void	app_dispatch(const struct wt_app *, struct wt_req *, wt_reader, void *ctx,
	    size_t max_body);
int	wt_main(int argc, char **argv, const struct wt_app *);

#endif
