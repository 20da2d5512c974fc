/* A program: its name, routes and statements, and the one entry point
 * that runs it (supervisor, workers, request loop). */
#ifndef WT_APP_H
#define WT_APP_H

#include <sys/types.h>

#include "db.h"
#include "http.h"

struct wt_app {
	const char			*name;
	const struct wt_route		*routes;
	struct wt_stmt_table		 stmts;
	/* Messages for the program's constraint violations (may be NULL). */
	const struct wt_constraint	*constraints;
	/* Runs in the supervisor before the workers fork (NULL: nothing),
	 * with their number; what it maps is shared by all of them. */
	int				(*supervisor_init)(int nworkers);
	/* Runs in each worker after fork; non-zero stops the worker. */
	int				(*worker_init)(void);
	/* For routes open to WT_DEVICE: checks r->bearer and sets
	 * r->device, or returns the 401. */
	struct wt_err			*(*authenticate)(struct wt_req *);
	/* After the route's access rule let the caller in: a program's
	 * further checks (NULL: none). */
	struct wt_err			*(*authorize)(struct wt_req *);
	/* The configured worker count when it is not server.workers
	 * (NULL: server.workers). */
	const long long			*workers;
	/* Constant SQL run on each new database connection after the
	 * core's own settings (NULL: none). */
	const char			*session_sql;
};

/* Reads up to n bytes of request body; 0 at the end, -1 on error. */
typedef ssize_t (*wt_reader)(void *ctx, char *buf, size_t n);

/* Every program answers GET /healthz, to anyone. */
struct wt_err	*core_healthz(struct wt_req *);
#define WT_CORE_ROUTES \
	{ .method = "GET", .pattern = "/healthz", .handler = core_healthz, \
	  .access = { WT_ANYONE, "nothing personal (health check, no sign-in)" } }
#define WT_ROUTES_END	{ .pattern = NULL }

/* Registers the core's, the session's and the program's statements with
 * db; -1 if a table has a hole (a statement declared without SQL). */
int	app_db_setup(const struct wt_app *);
/* Runs one request through parse, route, sign-in, access, CSRF,
 * validation and handler; every error answer is written here.  The
 * answer is left in r->resp.  max_body is the largest body read. */
/* Work a handler leaves for after its answer has gone out, so that the
 * answer's timing tells nothing about it (whether "forgot password" found
 * an account, say).  fn(arg) runs once, after the answer is sent, under
 * the request's id in the log; it answers nobody, so it logs what goes
 * wrong.  gone(arg) frees arg afterwards, or instead when the request
 * fails.  One piece of work per request. */
void	app_defer(void (*fn)(void *), void *arg, void (*gone)(void *));
/* Runs and forgets the deferred work: the server after the answer is
 * delivered, the in-process driver after app_dispatch. */
void	app_run_deferred(void);
void	app_dispatch(const struct wt_app *, struct wt_req *, wt_reader, void *ctx,
	    size_t max_body);
/* Routes without an access rule, each reported on stderr (0: none). */
int	app_check_routes(const struct wt_app *);
/* Prints the access table (method, path, roles, whose data), tab
 * separated; 1 if a route has no rule. */
int	app_print_access(const struct wt_app *);
int	wt_main(int argc, char **argv, const struct wt_app *);
/* Writes this process's pid to path, one line (the supervisors: the
 * programs', wtctl's mail sender and nightly loop); 0, or -1 logged. */
int	pidfile_write(const char *path);

#endif
