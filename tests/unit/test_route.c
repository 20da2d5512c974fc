/* route_match: literal paths, :name captures, 404 and 405 with Allow. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "tap.h"

static struct wt_err *
h_list(struct wt_req *r)
{
	(void)r;
	return NULL;
}

static struct wt_err *
h_other(struct wt_req *r)
{
	(void)r;
	return NULL;
}

static const struct wt_route routes[] = {
	{ .method = "GET", .pattern = "/", .handler = h_list },
	{ .method = "GET", .pattern = "/sessions", .handler = h_list },
	{ .method = "POST", .pattern = "/sessions", .handler = h_other },
	{ .method = "GET", .pattern = "/sessions/:id", .handler = h_list },
	{ .method = "DELETE", .pattern = "/sessions/:id", .handler = h_other },
	{ .method = "PUT", .pattern = "/sessions/current", .handler = h_other },
	{ .method = "GET", .pattern = "/teams/:team/members/:user", .handler = h_list },
	{ .method = "POST", .pattern = "/upload", .handler = h_other, .flags = WT_ROUTE_RAW_BODY },
	{ .pattern = NULL }
};

struct match {
	int			 rc;
	const struct wt_route	*rt;
	struct wt_kvlist	 args;
	struct wt_buf		 allow;
};

static void
match(const char *method, const char *path, struct match *m)
{
	kv_init(&m->args);
	buf_init(&m->allow);
	m->rt = routes;		/* must be overwritten */
	m->rc = route_match(routes, method, path, &m->args, &m->rt, &m->allow);
}

static void
match_free(struct match *m)
{
	kv_free(&m->args);
	buf_free(&m->allow);
}

int
main(void)
{
	struct match m;

	match("GET", "/sessions", &m);
	is_int(m.rc, 0, "GET /sessions matches");
	ok(m.rt == &routes[1], "the GET /sessions route");
	is_int(m.args.n, 0, "a literal route captures nothing");
	match_free(&m);

	match("POST", "/sessions", &m);
	is_int(m.rc, 0, "POST /sessions matches");
	ok(m.rt == &routes[2], "the POST route, not the GET one");
	match_free(&m);

	match("GET", "/", &m);
	is_int(m.rc, 0, "GET / matches");
	ok(m.rt == &routes[0], "the root route");
	match_free(&m);

	match("GET", "/sessions/42", &m);
	is_int(m.rc, 0, "GET /sessions/42 matches");
	ok(m.rt == &routes[3], "the :id route");
	is_int(m.args.n, 1, "one capture");
	is_str(kv_get(&m.args, "id"), "42", ":id captured as 42");
	is_int(m.args.n == 1 ? m.args.items[0].vlen : 0, 2, "capture vlen");
	match_free(&m);

	match("DELETE", "/sessions/abc-def", &m);
	is_int(m.rc, 0, "DELETE /sessions/abc-def matches");
	ok(m.rt == &routes[4], "the DELETE route");
	is_str(kv_get(&m.args, "id"), "abc-def", ":id captures any segment");
	is_int(m.args.n, 1, "only the matching route's captures are kept");
	match_free(&m);

	/* A literal route listed after a :id route with another method. */
	match("PUT", "/sessions/current", &m);
	is_int(m.rc, 0, "PUT /sessions/current matches the later literal route");
	ok(m.rt == &routes[5], "the PUT route");
	is_int(m.args.n, 0, "captures of routes with other methods are dropped");
	match_free(&m);

	match("GET", "/teams/7/members/alice", &m);
	is_int(m.rc, 0, "two parameters match");
	ok(m.rt == &routes[6], "the members route");
	is_int(m.args.n, 2, "two captures");
	is_str(kv_get(&m.args, "team"), "7", ":team is 7");
	is_str(kv_get(&m.args, "user"), "alice", ":user is alice");
	ok(m.args.n == 2 && strcmp(m.args.items[0].key, "team") == 0,
	    "captures in pattern order");
	match_free(&m);

	/* No match at all. */
	match("GET", "/nowhere", &m);
	is_int(m.rc, 404, "unknown path is 404");
	ok(m.rt == NULL, "*out is NULL on 404");
	is_int(m.args.n, 0, "no captures on 404");
	is_int(m.allow.len, 0, "allow stays empty on 404");
	match_free(&m);

	match("GET", "/sessions/", &m);
	is_int(m.rc, 404, "/sessions/ does not match /sessions/:id (empty segment)");
	ok(m.rt == NULL, "  no route");
	is_int(m.args.n, 0, "  no capture of an empty segment");
	match_free(&m);

	match("GET", "/sessions/42/", &m);
	is_int(m.rc, 404, "trailing slash after :id is 404");
	match_free(&m);

	match("GET", "/sessions/1/2", &m);
	is_int(m.rc, 404, ":id does not span two segments");
	is_int(m.args.n, 0, "  no captures left behind");
	match_free(&m);

	match("GET", "/teams/7/members/", &m);
	is_int(m.rc, 404, "second parameter empty: 404");
	is_int(m.args.n, 0, "  the first capture is rolled back");
	match_free(&m);

	match("GET", "/teams//members/bob", &m);
	is_int(m.rc, 404, "first parameter empty: 404");
	match_free(&m);

	match("GET", "/session", &m);
	is_int(m.rc, 404, "a prefix of a route is 404");
	match_free(&m);

	match("GET", "/sessionsX", &m);
	is_int(m.rc, 404, "a longer literal is 404");
	match_free(&m);

	match("GET", "", &m);
	is_int(m.rc, 404, "empty path is 404");
	match_free(&m);

	match("get", "/sessions", &m);
	is_int(m.rc, 405, "methods are case-sensitive");
	match_free(&m);

	/* Path known, method not. */
	match("PUT", "/sessions", &m);
	is_int(m.rc, 405, "PUT /sessions is 405");
	ok(m.rt == NULL, "*out is NULL on 405");
	is_str(m.allow.data, "GET, HEAD, POST", "Allow lists GET, HEAD and POST");
	match_free(&m);

	match("POST", "/sessions/9", &m);
	is_int(m.rc, 405, "POST /sessions/9 is 405");
	is_str(m.allow.data, "GET, HEAD, DELETE", "Allow lists GET, HEAD, DELETE");
	is_int(m.args.n, 0, "no captures on 405");
	match_free(&m);

	match("POST", "/sessions/current", &m);
	is_int(m.rc, 405, "POST /sessions/current is 405");
	is_str(m.allow.data, "GET, HEAD, DELETE, PUT",
	    "Allow collects methods of :id and literal routes");
	match_free(&m);

	match("GET", "/upload", &m);
	is_int(m.rc, 405, "GET /upload is 405");
	is_str(m.allow.data, "POST", "no HEAD without GET");
	match_free(&m);

	match("DELETE", "/", &m);
	is_int(m.rc, 405, "DELETE / is 405");
	is_str(m.allow.data, "GET, HEAD", "GET adds HEAD");
	match_free(&m);

	return done_testing();
}
