/* The request, the response, the route table and declared input fields.
 *
 * A program declares its routes as a table: method, path pattern, handler,
 * and the fields the handler may read with their rules.  The dispatcher
 * (app.c) parses, matches and validates; a handler only ever reads values
 * that passed their rule, through wt_str()/wt_int()/wt_bool(). */
#ifndef WT_HTTP_H
#define WT_HTTP_H

#include <stddef.h>

#include <jansson.h>

#include "buf.h"
#include "err.h"
#include "kv.h"

struct wt_req;
struct wt_view;

enum wt_src {
	WT_SRC_QUERY,	/* query string */
	WT_SRC_BODY,	/* form body or JSON object body, by Content-Type */
	WT_SRC_PATH	/* :name segment of the route pattern */
};

enum wt_type {
	WT_T_STRING,	/* min/max: length in characters */
	WT_T_PASSWORD,	/* a string that is never logged or echoed back */
	WT_T_INT,	/* min/max: value */
	WT_T_BOOL,
	WT_T_EMAIL,
	WT_T_DATE,	/* YYYY-MM-DD, a real calendar date */
	WT_T_ENUM,	/* one of choices */
	WT_T_DECIMAL,	/* a decimal with at most 2 places ("5.5"); min/max and
			 * wt_decimal() in hundredths */
	WT_T_JSON	/* any JSON value, checked by the handler (JSON bodies only) */
};

#define WT_REQUIRED	0x01u

struct wt_field {
	const char		*name;
	enum wt_src		 src;
	enum wt_type		 type;
	unsigned		 flags;
	long long		 min, max;
	const char *const	*choices;	/* WT_T_ENUM, NULL-terminated */
	/* Extra rule after the type check: return NULL or why it failed. */
	const char		*(*check)(const char *);
	const char		*label;	/* for messages; default: name */
};

struct wt_value {
	int		 present;
	const char	*str;	/* every type but JSON; points into the request */
	long long	 num;	/* INT; BOOL as 0/1 */
	json_t		*json;	/* JSON, borrowed */
	char		*owned;	/* str's storage when it was made from JSON */
};

/* A handler answers with wt_json / wt_html / wt_redirect and returns
 * what they return (NULL), or returns an error for app_dispatch to
 * answer.  It never writes an error answer itself. */
typedef struct wt_err *(*wt_handler)(struct wt_req *);

#define WT_ROUTE_RAW_BODY	0x01u	/* body is not parsed (images) */
#define WT_ROUTE_FORM		0x02u	/* renders a form: the CSRF token is
					 * made (and an anonymous visitor
					 * given a pre cookie) before the
					 * handler runs */
#define WT_ROUTE_NO_CSRF	0x04u	/* state-changing without a browser
					 * session: credentials in the body,
					 * device tokens */
#define WT_ROUTE_CORS		0x08u	/* called by the widget from the
					 * origins in cors.origins (cors.c) */

/* Who may call a route.  Every route has a rule (a route without one is
 * refused with 500, and the route-table unit test fails), so a route
 * cannot be added without deciding who may use it. */
#define WT_ROLE_MEMBER		0x01u
#define WT_ROLE_MANAGER		0x02u
#define WT_ROLE_ADMIN		0x04u
#define WT_ROLE_ANY		(WT_ROLE_MEMBER | WT_ROLE_MANAGER | WT_ROLE_ADMIN)
#define WT_ANYONE		0x08u	/* no sign-in needed */
#define WT_DEVICE		0x10u	/* a device token, checked by the
					 * program's authenticate hook */

struct wt_access {
	unsigned	 who;
	const char	*sees;		/* whose data, in words (README) */
};

struct wt_route {
	const char		*method;
	const char		*pattern;	/* "/sessions/:id" */
	wt_handler		 handler;
	const struct wt_field	*fields;	/* ends with a NULL name */
	unsigned		 flags;
	struct wt_access	 access;
	/* The template that shows this route's form: validation errors of
	 * a browser request re-render it with the message next to the
	 * field and the typed values kept (never passwords). */
	const char		*form;
	/* Fills the view with the rest of that form's page (the list the
	 * form sits under, the team it belongs to) before it is shown
	 * again, so a mistake is shown on the page the person was on.  It
	 * reads only the route's own fields, and path fields may be absent
	 * when they were the mistake; an error from it shows the error page
	 * instead.  NULL: the template needs nothing more. */
	struct wt_err		*(*form_page)(struct wt_req *);
	/* The largest body this route reads, when it is not http.max_body
	 * (images): a configuration value, read per request. */
	const long long		*max_body;
	/* For a WT_DEVICE route, instead of the program's authenticate
	 * hook: one that only checks the token's shape, for a handler that
	 * checks the token against the database in its own statement (the
	 * heartbeat's one round trip).  Such a handler must refuse with 401
	 * when that statement finds no device. */
	struct wt_err		*(*authenticate)(struct wt_req *);
};

struct wt_stream;
/* Writes a streamed body after the headers have gone (stream.h). */
typedef void (*wt_stream_fn)(struct wt_req *, struct wt_stream *);

struct wt_resp {
	int			 status;
	struct wt_kvlist	 headers;
	struct wt_buf		 body;
	int			 done;	/* a handler produced an answer */
	/* A body written while it is made (stream.h): no Content-Length. */
	wt_stream_fn		 stream;
	void			*stream_arg;
	void			(*stream_free)(void *);
};

enum wt_auth_via { WT_AUTH_NONE, WT_AUTH_COOKIE, WT_AUTH_BEARER };

/* A device, when the request carries its token (ingest). */
struct wt_device {
	long long	 id;
	long long	 user_id;
	char		*kind;		/* desktop | phone */
	char		*name;
	long long	 retention_days;	/* the organisation's, for checks */
	char		 token_hash[65];	/* SHA-256 of its token, hex */
};

/* The signed-in person, loaded from the session cookie or bearer token. */
struct wt_user {
	long long	 id;
	char		*email;
	char		*display_name;
	char		*role;		/* member | manager | admin */
	char		*timezone;
	double		 target_pace_min;	/* minutes per task */
	long long	 session_id;	/* 0 when signed in by bearer token */
};

struct wt_req {
	char			**envp;
	const char		*method;
	char			*path;		/* without a ".json" suffix */
	const char		*query_string;
	const char		*content_type;
	const char		*remote_addr;
	const char		*request_id;
	int			 head;		/* HEAD: answer as GET, no body */
	int			 want_json;
	struct wt_kvlist	 query;
	struct wt_kvlist	 form;
	struct wt_kvlist	 cookies;
	struct wt_kvlist	 path_args;
	json_t			*json;
	char			*body;
	size_t			 body_len;
	const struct wt_route	*route;
	struct wt_value		*values;	/* parallel to route->fields */
	size_t			 nvalues;
	struct wt_view		*view;		/* created on first use */
	struct wt_resp		 resp;
	struct wt_user		*user;		/* NULL: anonymous */
	enum wt_auth_via	 auth_via;
	char			*session_token;	/* raw cookie token, if valid */
	char			*pre_token;	/* anonymous visitor's token */
	char			*csrf;		/* token for this page's forms */
	char			*bearer;	/* a bearer token that is not a JWT
						 * (a device's), for the program */
	struct wt_device	*device;	/* set by the authenticate hook */
};

/* request.c */
void		 req_init(struct wt_req *, char **envp);
void		 req_free(struct wt_req *);
const char	*req_param(const struct wt_req *, const char *name);
const char	*req_header(const struct wt_req *, const char *http_name);
int		 req_wants_json(const struct wt_req *);
/* Parse a body the caller has read, and the query string. */
struct wt_err	*req_parse_body(struct wt_req *);
struct wt_err	*req_parse_query(struct wt_req *);

/* route.c: 0 and *out on a match, else 404 or 405 (with the allowed
 * methods in allow, comma-separated). */
int		 route_match(const struct wt_route *, const char *method,
		    const char *path, struct wt_kvlist *args,
		    const struct wt_route **out, struct wt_buf *allow);
/* 1 when path matches the route's pattern (any method). */
int		 route_path_match(const struct wt_route *, const char *path);
/* The roles of an access rule in words ("manager, admin"; "anyone"). */
void		 access_words(unsigned who, struct wt_buf *out, const char *sep);

/* validate.c: NULL, or a 400 naming the field. */
struct wt_err	*validate_fields(struct wt_req *);
/* 0 if s[0..len) satisfies the field's rule, else -1 with the reason
 * the client will read in why. */
int		 validate_value(const struct wt_field *, const char *s,
		    size_t len, struct wt_buf *why);
int		 valid_email(const char *);
/* A date's year is 1970 .. WT_DATE_MAX_YEAR: the pages and exports add
 * up to ten years to the dates they are given (the next week, month, the
 * last day of an export) and must still get a YYYY-MM-DD; nobody tracks
 * work in the year 9000. */
#define WT_DATE_MAX_YEAR	9000
int		 valid_date(const char *);
/* Field check (.check) for a name that can end up in e-mail or a header
 * (a person's, a team's): no control characters (C0, DEL, C1) and no
 * line or paragraph separator, so no line of text can be smuggled into a
 * message.  Applied field by field: multi-line fields (the agents'
 * title_exclude_text, one pattern a line) keep their newlines. */
const char	*check_one_line(const char *);
/* Field check for where to send the browser next (?next= after sign-in,
 * after the screenshot notice): a path of this site, never a URL a
 * browser would take to another host. */
const char	*check_local_path(const char *);

/* Accessors for handlers; asking for an undeclared field is a bug and
 * aborts, so a handler cannot read unvalidated input by mistake. */
const char	*wt_str(const struct wt_req *, const char *name);
long long	 wt_int(const struct wt_req *, const char *name, long long def);
int		 wt_bool(const struct wt_req *, const char *name, int def);
/* A WT_T_DECIMAL in hundredths (5.5 -> 550); wt_str gives its text. */
long long	 wt_decimal(const struct wt_req *, const char *name, long long def);
int		 wt_has(const struct wt_req *, const char *name);
json_t		*wt_json_field(const struct wt_req *, const char *name);

/* response.c: each answers and returns NULL, or returns the error that
 * stopped it (a template that failed to render) for the dispatcher. */
const char	*http_reason(int status);
void		 resp_header(struct wt_req *, const char *name, const char *value);
void		 resp_set_header(struct wt_req *, const char *name, const char *value);
/* Answers with JSON; takes the reference to body. */
struct wt_err	*wt_json(struct wt_req *, int status, json_t *body);
/* Renders templates/<name> with the request's view. */
struct wt_err	*wt_html(struct wt_req *, int status, const char *tpl);
struct wt_err	*wt_redirect(struct wt_req *, int status, const char *location);
/* An answer without a body (204, 304). */
struct wt_err	*wt_empty(struct wt_req *, int status);
/* The dispatcher's one way to turn an error into an answer: JSON, an
 * error page, or the route's form again with the message next to the
 * field and what was typed kept. */
void		 resp_error(struct wt_req *, const struct wt_err *);
/* Serialises status line, headers (security headers added) and body. */
void		 resp_serialize(struct wt_req *, struct wt_buf *out);
/* The request's view, made on first use with the site, the page, the
 * signed-in person and the CSRF token (when one was made). */
struct wt_view	*req_view(struct wt_req *);
/* A Set-Cookie header (__Host-: Secure, Path=/, HttpOnly, SameSite=Lax).
 * NULL, or an error when the cookie would not fit. */
void		 cookie_set(struct wt_req *, const char *name, const char *value,
		    long max_age);

#endif
