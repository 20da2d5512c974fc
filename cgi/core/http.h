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

typedef void (*wt_handler)(struct wt_req *);

#define WT_ROUTE_RAW_BODY	0x01u	/* body is not parsed (images) */
#define WT_ROUTE_SIGNED_IN	0x02u	/* anonymous: 401 (JSON) or to /login */
#define WT_ROUTE_NO_CSRF	0x04u	/* state-changing without a browser
					 * session: credentials in the body,
					 * device tokens */

struct wt_route {
	const char		*method;
	const char		*pattern;	/* "/sessions/:id" */
	wt_handler		 handler;
	const struct wt_field	*fields;	/* ends with a NULL name */
	unsigned		 flags;
	/* The template that shows this route's form: validation errors of
	 * a browser request re-render it with the message next to the
	 * field and the typed values kept (never passwords). */
	const char		*form;
};

struct wt_resp {
	int			 status;
	struct wt_kvlist	 headers;
	struct wt_buf		 body;
	int			 done;	/* a handler produced an answer */
};

enum wt_auth_via { WT_AUTH_NONE, WT_AUTH_COOKIE, WT_AUTH_BEARER };

/* The signed-in person, loaded from the session cookie or bearer token. */
struct wt_user {
	long long	 id;
	char		*email;
	char		*display_name;
	char		*role;		/* member | manager | admin */
	char		*timezone;
	long long	 target_pace_min;
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
};

/* request.c */
void		 req_init(struct wt_req *, char **envp);
void		 req_free(struct wt_req *);
const char	*req_param(const struct wt_req *, const char *name);
const char	*req_header(const struct wt_req *, const char *http_name);
int		 req_wants_json(const struct wt_req *);
/* Parses a body the caller has read; on failure answers the request
 * (400 or 415) and returns -1. */
int		 req_parse_body(struct wt_req *);
int		 req_parse_query(struct wt_req *);

/* route.c: 0 and *out on a match, else 404 or 405 (with the allowed
 * methods in allow, comma-separated). */
int		 route_match(const struct wt_route *, const char *method,
		    const char *path, struct wt_kvlist *args,
		    const struct wt_route **out, struct wt_buf *allow);

/* validate.c: 0, or -1 after answering 400 naming the field. */
int		 validate_fields(struct wt_req *);
/* 0 if s[0..len) satisfies the field's rule, else -1 with the reason
 * the client will read in why. */
int		 validate_value(const struct wt_field *, const char *s,
		    size_t len, struct wt_buf *why);
int		 valid_email(const char *);
int		 valid_date(const char *);

/* Accessors for handlers; asking for an undeclared field is a bug and
 * aborts, so a handler cannot read unvalidated input by mistake. */
const char	*wt_str(const struct wt_req *, const char *name);
long long	 wt_int(const struct wt_req *, const char *name, long long def);
int		 wt_bool(const struct wt_req *, const char *name, int def);
int		 wt_has(const struct wt_req *, const char *name);
json_t		*wt_json_field(const struct wt_req *, const char *name);

/* response.c */
const char	*http_reason(int status);
void		 resp_header(struct wt_req *, const char *name, const char *value);
void		 resp_set_header(struct wt_req *, const char *name, const char *value);
/* Answers with JSON; takes the reference to body. */
void		 wt_json(struct wt_req *, int status, json_t *body);
/* Renders templates/<name> with the request's view. */
void		 wt_html(struct wt_req *, int status, const char *tpl);
void		 wt_redirect(struct wt_req *, int status, const char *location);
/* An error in the format the client asked for (JSON or HTML). */
void		 wt_error(struct wt_req *, int status, const char *field,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* A problem with submitted input: for a browser posting a route's form,
 * the form again with the message next to field (NULL: above the form);
 * otherwise a JSON/HTML error naming the field. */
void		 form_fail(struct wt_req *, int status, const char *field,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* 503 for a database that is away, after rolling back whatever the
 * request had begun. */
void		 db_unavailable(struct wt_req *);
/* Serialises status line, headers (security headers added) and body. */
void		 resp_serialize(struct wt_req *, struct wt_buf *out);
struct wt_view	*req_view(struct wt_req *);

#endif
