#include "config.h"

#include <stdarg.h>
#include <stdlib.h>

#include "buf.h"
#include "err.h"

static struct wt_err *
err_vnew(int status, const char *field, int form, const char *fmt, va_list ap)
{
	struct wt_err *e = xcalloc(1, sizeof(*e));
	struct wt_buf msg;

	buf_init(&msg);
	buf_vprintf(&msg, fmt, ap);
	e->status = status;
	e->field = field != NULL ? xstrdup(field) : NULL;
	e->msg = buf_take(&msg);
	e->form = form;
	kv_init(&e->headers);
	return e;
}

struct wt_err *
wt_fail(int status, const char *field, const char *fmt, ...)
{
	struct wt_err *e;
	va_list ap;

	va_start(ap, fmt);
	e = err_vnew(status, field, 0, fmt, ap);
	va_end(ap);
	return e;
}

struct wt_err *
wt_form_fail(int status, const char *field, const char *fmt, ...)
{
	struct wt_err *e;
	va_list ap;

	va_start(ap, fmt);
	e = err_vnew(status, field, 1, fmt, ap);
	va_end(ap);
	return e;
}

struct wt_err *
err_header(struct wt_err *e, const char *name, const char *value)
{
	kv_add(&e->headers, name, value);
	return e;
}

void
err_free(struct wt_err *e)
{
	if (e == NULL)
		return;
	free(e->field);
	free(e->msg);
	free(e->location);
	kv_free(&e->headers);
	free(e);
}
