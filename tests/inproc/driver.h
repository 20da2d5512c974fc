/* The in-process request driver: requests run through a program's
 * app_dispatch against the test instance's database, with no nginx, no
 * TLS and no process per check, as kcgi's regress/ does.
 *
 * A request is described by a struct ip_req (method, path with query,
 * headers, body); the driver builds the FastCGI environment nginx would
 * send (nginx/fastcgi.conf), feeds the body through a memory reader,
 * calls app_dispatch, serialises the answer with resp_serialize and
 * parses it back into status, headers and body, so a test sees exactly
 * the bytes nginx would have received.  What the program logged during
 * the request is kept beside the answer.
 *
 *	if (ip_init("ingest") != 0)
 *		return 0;		// "1..0 # SKIP": no test instance
 *	struct ip_resp *a = IP(&ingest_app, .method = "POST",
 *	    .path = "/api/v1/enroll", .json = ip_json("{ss}", "code", c));
 *	is_status(a, 201, "the code is exchanged");
 *	is_str(ip_jstr(a, "kind"), "agent", "... for an agent");
 *	return ip_finish();
 *
 * Everything the driver hands out (responses, strings) lives until
 * ip_finish(), which frees it all, so tests need not free anything and
 * still run clean under LeakSanitizer. */
#ifndef WT_INPROC_DRIVER_H
#define WT_INPROC_DRIVER_H

#include <stddef.h>

#include <jansson.h>

#include "app.h"
#include "kv.h"

/* Cookies a client keeps between requests (Set-Cookie -> Cookie), and
 * the User-Agent it sends (ip_browser: "worktime-test/<name>"). */
struct ip_jar {
	struct wt_kvlist	 cookies;
	const char		*ua;
	struct ip_jar		*next;		/* ip_browser's list */
};

#define IP_MAX_HEADERS	8

struct ip_req {
	const char	*method;	/* default GET */
	const char	*path;		/* as sent: "/a%20b?x=1" */
	const char	*json;		/* a JSON body (Content-Type: application/json) */
	const char	*form;		/* a form body (application/x-www-form-urlencoded) */
	const char	*body;		/* any other body, with content_type */
	size_t		 body_len;	/* of body; 0: strlen(body) */
	const char	*content_type;	/* overrides what json/form imply */
	const char	*content_length; /* overrides the body's length */
	const char	*accept;
	const char	*bearer;	/* Authorization: Bearer <bearer> */
	const char	*authorization;	/* any other Authorization value */
	const char	*csrf;		/* X-CSRF-Token */
	struct ip_jar	*jar;		/* cookies sent; Set-Cookie kept */
	const char	*cookie;	/* a Cookie header of its own (after the jar's) */
	const char	*remote_addr;	/* default ip_addr() */
	const char	*headers[IP_MAX_HEADERS];	/* more "Name: value" */
	size_t		 chunk;		/* the reader hands out at most this much a call */
	/* Work the handler deferred until after its answer (app_defer) is
	 * not run yet: ip_run_deferred() runs it, so a test can look at
	 * the world as it is when the answer leaves. */
	int		 hold_deferred;
};

struct ip_resp {
	int			 status;
	char			*raw;		/* as resp_serialize wrote it */
	size_t			 raw_len;
	struct wt_kvlist	 headers;	/* names as sent */
	char			*body;		/* NUL-terminated */
	size_t			 body_len;
	json_t			*json;		/* the body, when it parses as JSON */
	char			*log;		/* the program's log lines */
	char			*request_id;
	struct ip_resp		*next;		/* the driver's list, for ip_finish */
};

/* Loads $WT_STATE/worktime.conf (templates from $WT_SRCDIR/templates when
 * set) and opens the fixture connection; 0 when ready.  Without WT_STATE,
 * or when the database cannot be reached, prints "1..0 # SKIP why" and
 * returns 1: the caller then returns 0. */
int		 ip_init(const char *name);
/* Frees everything, closes the connections; the TAP exit status. */
int		 ip_finish(void);
/* A tag unique to this run ("ip" + pid + random), for e-mail addresses
 * and names, so runs and binaries never collide. */
const char	*ip_tag(void);

/* This run's client address (10.x.y.z, random): the per-address sign-in
 * backoff of one test binary never meets another's. */
const char	*ip_addr(void);
/* Every binary holds a lock shared (from ip_init to ip_finish); one that
 * changes or counts organisation-wide state (settings, registration
 * mode, every person, the audit log) calls this to hold it alone, so it
 * never runs beside another test binary. */
void		 ip_lock_global(void);

/* Runs one request through app (switching the database set-up to it
 * first when the last request went to another program). */
struct ip_resp	*ip_do(const struct wt_app *, const struct ip_req *);
#define IP(app, ...)	ip_do((app), &(struct ip_req){ __VA_ARGS__ })

/* Runs the work the last request deferred (with .hold_deferred). */
void		 ip_run_deferred(void);

/* First value of a response header (any case), NULL if absent. */
const char	*ip_header(const struct ip_resp *, const char *name);
size_t		 ip_header_count(const struct ip_resp *, const char *name);
/* A value of the JSON body by path ("device.id", "devices.0.name"), as
 * jq -r prints it: strings as they are, numbers and true/false/null as
 * text, objects and arrays compact; NULL when absent. */
const char	*ip_jstr(const struct ip_resp *, const char *path);
json_t		*ip_jget(const struct ip_resp *, const char *path);
/* ip_jstr as a whole number, -1 when absent: for figures. */
long long	 ip_jint(const struct ip_resp *, const char *path);
/* The same over any JSON value, or over a JSON text (from SQL, say). */
json_t		*ip_jfind(json_t *, const char *path);
const char	*ip_jval(json_t *, const char *path);
const char	*ip_jtext(const char *json_text, const char *path);
/* A JSON text / an answer's body, compact with sorted keys (jq -cS),
 * for comparing whole objects. */
const char	*ip_jnorm(const char *json_text);
const char	*ip_jbody(const struct ip_resp *);
/* Everything the programs logged in this run so far. */
const char	*ip_all_logs(void);
/* The CSRF token of the (first) form on an HTML page, NULL if none. */
const char	*ip_csrf(const struct ip_resp *);

/* A JSON text made by json_pack (NULL, with a diagnostic, on a bad
 * format). */
char		*ip_json(const char *fmt, ...);
char		*ip_strf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Percent-encoded for a query or form value. */
char		*ip_urlenc(const char *);
/* A string of n copies of s. */
char		*ip_repeat(const char *s, size_t n);

/* Fixture SQL on the driver's own connection (not the program's), with
 * $1.. parameters given as strings, ending with NULL.  ip_q: the first
 * column of the first row ("" without rows), NULL on error (diagnosed).
 * ip_exec: 0, or -1 on error (diagnosed). */
const char	*ip_q(const char *sql, ...) __attribute__((sentinel));
int		 ip_exec(const char *sql, ...) __attribute__((sentinel));
/* Runs SQL that should fail: PostgreSQL's message, or NULL if it ran. */
const char	*ip_q_error(const char *sql);

/* A new active account; password may be NULL (none set).  Returns its
 * id (0 on error). */
long long	 ip_user(const char *email, const char *name, const char *role,
		    const char *password);
/* A stored span of whole minutes (device and window ids as text, start
 * a timestamptz literal); 0, or -1 on error (diagnosed). */
int		 ip_span(const char *device, const char *start, int minutes,
		    const char *window, int afk);
/* An access token (JWT) for a user, as /api/v1/token would give. */
const char	*ip_token(long long user_id);

/* Terminates the program's database connection (as a restart of
 * PostgreSQL or a network cut would); the number of backends ended. */
int		 ip_kill_app_conn(void);

/* A new browser: an empty jar with User-Agent worktime-test/<name>,
 * freed by ip_finish. */
struct ip_jar	*ip_browser(const char *name);
/* Forgets a browser's cookies. */
void		 ip_forget(struct ip_jar *);
void		 ip_jar_init(struct ip_jar *);
void		 ip_jar_free(struct ip_jar *);
const char	*ip_jar_get(const struct ip_jar *, const char *name);

#endif
