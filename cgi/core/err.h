/* Errors as values.
 *
 * Every step of a request (parsing, sign-in, authorisation, CSRF,
 * validation) and every handler returns NULL when it went well, or an
 * error: a status, the field it is about and a message in words.  Only
 * app_dispatch turns an error into an answer (JSON, an HTML error page, or
 * the route's form again with the message next to the field), so no
 * helper ever answers on its own and no caller has to wonder whether one
 * did. */
#ifndef WT_ERR_H
#define WT_ERR_H

#include "kv.h"

struct wt_err {
	int			 status;
	char			*field;		/* NULL: not about one field */
	char			*msg;
	/* Browser form posts show the route's form again, message next to
	 * the field, instead of an error page. */
	int			 form;
	/* A serialization failure or deadlock: the dispatcher runs the
	 * handler once more before answering 503. */
	int			 retry;
	/* 303 to location (a sign-in redirect) instead of an error page. */
	char			*location;
	struct wt_kvlist	 headers;	/* Retry-After, WWW-Authenticate, Allow */
};

/* A new error; fmt is the message the client reads. */
struct wt_err	*wt_fail(int status, const char *field, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));
/* The same, shown next to field in the route's form for a browser. */
struct wt_err	*wt_form_fail(int status, const char *field, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));
/* Adds a header to the answer the error becomes; returns e. */
struct wt_err	*err_header(struct wt_err *e, const char *name, const char *value);
void		 err_free(struct wt_err *);

#endif
