#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "cors.h"
#include "decode.h"
#include "log.h"
#include "mail.h"
#include "session.h"
#include "shotstore.h"
#include "view.h"

struct wt_err *
core_healthz(struct wt_req *r)
{
	if (db_ping() == 0)
		return wt_json(r, 200, json_pack("{ss ss}", "status", "ok", "db", "ok"));
	resp_set_header(r, "Retry-After", "5");
	return wt_json(r, 503, json_pack("{ss ss}", "status", "error", "db", "unavailable"));
}

int
app_db_setup(const struct wt_app *app)
{
	if (session_register() != 0 || mail_register() != 0 || shots_register() != 0 ||
	    db_register(WT_SLOT_APP, app->stmts) != 0)
		return -1;
	db_set_constraints(app->constraints);
	db_set_session_sql(app->session_sql);
	return 0;
}

/* Reads exactly CONTENT_LENGTH bytes, refusing more than max. */
static struct wt_err *
read_body(struct wt_req *r, wt_reader rd, void *ctx, size_t max)
{
	const char *cl = req_param(r, "CONTENT_LENGTH");
	unsigned long long want;
	char *end;
	size_t got = 0;

	if (cl == NULL || *cl == '\0')
		return NULL;
	errno = 0;
	want = strtoull(cl, &end, 10);
	if (errno != 0 || *end != '\0' || *cl < '0' || *cl > '9')
		return wt_fail(400, NULL, "Content-Length is not a number");
	if (want > max)
		return wt_fail(413, NULL, "the body is %llu bytes; at most %zu are accepted",
		    want, max);
	r->body = xmalloc((size_t)want + 1);
	while (got < want) {
		ssize_t n = rd(ctx, r->body + got, (size_t)want - got);

		if (n <= 0)
			return wt_fail(400, NULL, "the body ended after %zu of %llu bytes",
			    got, want);
		got += (size_t)n;
	}
	r->body[got] = '\0';
	r->body_len = got;
	return NULL;
}

static unsigned
role_bit(const char *role)
{
	if (strcmp(role, "admin") == 0)
		return WT_ROLE_ADMIN;
	if (strcmp(role, "manager") == 0)
		return WT_ROLE_MANAGER;
	return WT_ROLE_MEMBER;
}

/* 401 for scripts, to the sign-in page (and back) for browsers. */
static struct wt_err *
sign_in_needed(struct wt_req *r)
{
	struct wt_err *e;
	struct wt_buf loc;
	char *enc;

	if (req_wants_json(r))
		return err_header(wt_fail(401, NULL, "sign in first: send a session cookie "
		    "or Authorization: Bearer <token from /api/v1/token>"),
		    "WWW-Authenticate", "Bearer");
	e = wt_fail(303, NULL, "sign in first");
	enc = url_encode_component(r->path);
	buf_init(&loc);
	buf_printf(&loc, "/login?next=%s", enc);
	free(enc);
	e->location = buf_take(&loc);
	return e;
}

/* The route's rule against who is asking. */
static struct wt_err *
check_access(const struct wt_app *app, struct wt_req *r)
{
	unsigned who = r->route->access.who;
	struct wt_err *(*authenticate)(struct wt_req *) = r->route->authenticate != NULL ?
	    r->route->authenticate : app->authenticate;
	struct wt_err *e;

	if (who == 0) {
		log_error("bug", "route %s %s has no access rule; refused",
		    r->route->method, r->route->pattern);
		return wt_fail(500, NULL, "this page has no access rule");
	}
	if (who & WT_DEVICE) {
		if (authenticate == NULL) {
			log_error("bug", "route %s %s is for devices but %s has no "
			    "authenticate hook", r->route->method, r->route->pattern, app->name);
			return wt_fail(500, NULL, "this page has no access rule");
		}
		if ((e = authenticate(r)) != NULL)
			return e;
	} else if (!(who & WT_ANYONE)) {
		if (r->user == NULL)
			return sign_in_needed(r);
		if (!(who & role_bit(r->user->role)))
			return wt_fail(403, NULL, "your role (%s) may not use this page",
			    r->user->role);
	}
	return app->authorize != NULL ? app->authorize(r) : NULL;
}

/* Everything before the handler, in order; the first error stops it. */
static struct wt_err *
prepare(const struct wt_app *app, struct wt_req *r, wt_reader rd, void *ctx,
    size_t max_body)
{
	struct wt_err *e;
	struct wt_buf allow;
	int rc;

	if (!utf8_valid(r->path, strlen(r->path)))
		return wt_fail(400, NULL, "the path is not valid UTF-8");
	buf_init(&allow);
	rc = route_match(app->routes, r->method, r->path, &r->path_args, &r->route, &allow);
	if (rc == 404)
		e = wt_fail(404, NULL, "there is no page at %s", r->path);
	else if (rc == 405)
		e = err_header(wt_fail(405, NULL, "%s is not allowed here; use %s",
		    r->method, allow.data), "Allow", allow.data);
	else
		e = NULL;
	buf_free(&allow);
	if (e != NULL)
		return e;
	/* Before anything can fail, so the widget can read its errors. */
	cors_headers(r);
	if (r->route->max_body != NULL && *r->route->max_body > 0)
		max_body = (size_t)*r->route->max_body;
	if ((e = req_parse_query(r)) != NULL || (e = read_body(r, rd, ctx, max_body)) != NULL ||
	    (e = req_parse_body(r)) != NULL || (e = session_load(r)) != NULL ||
	    (e = check_access(app, r)) != NULL)
		return e;
	if ((r->route->flags & WT_ROUTE_FORM) || r->route->form != NULL)
		if ((e = csrf_prepare(r)) != NULL)
			return e;
	/* Browsers send cookies with cross-site requests; bearer tokens
	 * are never sent by a browser on its own. */
	if (strcmp(r->method, "GET") != 0 && r->auth_via != WT_AUTH_BEARER &&
	    r->device == NULL && !(r->route->flags & WT_ROUTE_NO_CSRF) &&
	    (e = csrf_check(r)) != NULL)
		return e;
	return validate_fields(r);
}

/* Undoes what a handler did to the answer, for a second run. */
static void
reset_answer(struct wt_req *r, size_t nheaders)
{
	kv_truncate(&r->resp.headers, nheaders);
	buf_reset(&r->resp.body);
	r->resp.status = 200;
	r->resp.done = 0;
	view_free(r->view);
	r->view = NULL;
}

static struct wt_err *
run_handler(struct wt_req *r)
{
	size_t nheaders = r->resp.headers.n;
	struct wt_err *e = r->route->handler(r);

	if (e != NULL && e->retry) {
		/* A serialization failure or deadlock: the transaction was
		 * rolled back whole, so running it again is safe. */
		log_warn("db_retry", "%s %s: retrying once after %s", r->method,
		    r->route->pattern, db_sqlstate());
		err_free(e);
		reset_answer(r, nheaders);
		e = r->route->handler(r);
	}
	if (e == NULL && !r->resp.done) {
		log_error("bug", "handler for %s %s gave no answer", r->method,
		    r->route->pattern);
		e = wt_fail(500, NULL, "the server gave no answer");
	}
	/* A failed handler's headers (a new session's cookie, say) go with
	 * the work it rolled back; the pipeline's own stay. */
	if (e != NULL)
		kv_truncate(&r->resp.headers, nheaders);
	return e;
}

static struct {
	void	(*fn)(void *);
	void	 *arg;
	void	(*gone)(void *);
} deferred;

static void
drop_deferred(void)
{
	if (deferred.gone != NULL)
		deferred.gone(deferred.arg);
	memset(&deferred, 0, sizeof(deferred));
}

void
app_defer(void (*fn)(void *), void *arg, void (*gone)(void *))
{
	if (deferred.fn != NULL)
		log_error("bug", "a request deferred two pieces of work; the first is dropped");
	drop_deferred();
	deferred.fn = fn;
	deferred.arg = arg;
	deferred.gone = gone;
}

void
app_run_deferred(void)
{
	if (deferred.fn != NULL) {
		deferred.fn(deferred.arg);
		/* Whatever it left open is not kept. */
		db_rollback();
	}
	drop_deferred();
}

void
app_dispatch(const struct wt_app *app, struct wt_req *r, wt_reader rd, void *ctx,
    size_t max_body)
{
	int preflight = 0;
	struct wt_err *e;

	drop_deferred();
	e = cors_preflight(app->routes, r, &preflight);
	if (preflight)
		return;
	if (e == NULL)
		e = prepare(app, r, rd, ctx, max_body);
	if (e == NULL)
		e = run_handler(r);
	if (e != NULL) {
		/* Nothing of a failed request is kept, mail it queued and
		 * work it deferred included. */
		drop_deferred();
		db_rollback();
		resp_error(r, e);
		err_free(e);
	}
}

int
app_check_routes(const struct wt_app *app)
{
	int missing = 0;

	for (const struct wt_route *rt = app->routes; rt->pattern != NULL; rt++)
		if (rt->access.who == 0 || rt->access.sees == NULL) {
			fprintf(stderr, "%s: route %s %s has no access rule\n", app->name,
			    rt->method, rt->pattern);
			missing++;
		}
	return missing;
}

void
access_words(unsigned who, struct wt_buf *out, const char *sep)
{
	static const struct { unsigned bit; const char *word; } words[] = {
		{ WT_ANYONE, "anyone" }, { WT_DEVICE, "device" },
		{ WT_ROLE_MEMBER, "member" }, { WT_ROLE_MANAGER, "manager" },
		{ WT_ROLE_ADMIN, "admin" },
	};
	int n = 0;

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (!(who & words[i].bit))
			continue;
		/* "anyone" says it all. */
		if (words[i].bit != WT_ANYONE && (who & WT_ANYONE))
			continue;
		buf_printf(out, "%s%s", n++ ? sep : "", words[i].word);
	}
}

int
app_print_access(const struct wt_app *app)
{
	int missing = 0;

	for (const struct wt_route *rt = app->routes; rt->pattern != NULL; rt++) {
		struct wt_buf roles;

		if (rt->access.who == 0 || rt->access.sees == NULL) {
			printf("%s\t%s\tMISSING\t\n", rt->method, rt->pattern);
			missing++;
			continue;
		}
		buf_init(&roles);
		access_words(rt->access.who, &roles, " ");
		printf("%s\t%s\t%s\t%s\n", rt->method, rt->pattern, roles.data,
		    rt->access.sees);
		buf_free(&roles);
	}
	return missing ? 1 : 0;
}
