#include "config.h"

/* ClearSilver's own config header defines PACKAGE_* again. */
#undef PACKAGE
#undef PACKAGE_BUGREPORT
#undef PACKAGE_NAME
#undef PACKAGE_STRING
#undef PACKAGE_TARNAME
#undef PACKAGE_URL
#undef PACKAGE_VERSION
#undef VERSION

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#include <ClearSilver.h>
#pragma GCC diagnostic pop

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "view.h"

struct wt_view {
	HDF	*hdf;
};

/* nerr_init registers ClearSilver's error types; it must run once. */
static void
neo_once(void)
{
	static int done;
	NEOERR *err;

	if (done)
		return;
	if ((err = nerr_init()) != STATUS_OK)
		nerr_ignore(&err);
	done = 1;
}

/* Failures here are allocation failures inside ClearSilver: nothing a
 * request could cause, so the worker stops and is replaced. */
static void
check(NEOERR *err, const char *what)
{
	STRING s;

	if (err == STATUS_OK)
		return;
	string_init(&s);
	nerr_error_string(err, &s);
	fprintf(stderr, "view: %s failed: %s\n", what, s.buf ? s.buf : "");
	string_clear(&s);
	nerr_ignore(&err);
	abort();
}

struct wt_view *
view_new(void)
{
	struct wt_view *v;

	neo_once();
	if ((v = calloc(1, sizeof(*v))) == NULL)
		abort();
	check(hdf_init(&v->hdf), "hdf_init");
	check(hdf_set_value(v->hdf, "Config.VarEscapeMode", "html"), "hdf_set_value");
	return v;
}

void
view_free(struct wt_view *v)
{
	if (v == NULL)
		return;
	hdf_destroy(&v->hdf);
	free(v);
}

void
view_set(struct wt_view *v, const char *name, const char *value)
{
	check(hdf_set_value(v->hdf, name, value ? value : ""), "hdf_set_value");
}

void
view_set_int(struct wt_view *v, const char *name, long long n)
{
	char num[32];

	snprintf(num, sizeof(num), "%lld", n);
	view_set(v, name, num);
}

void
view_setf(struct wt_view *v, const char *value, const char *namefmt, ...)
{
	struct wt_buf name;
	va_list ap;

	buf_init(&name);
	va_start(ap, namefmt);
	buf_vprintf(&name, namefmt, ap);
	va_end(ap);
	view_set(v, name.data, value);
	buf_free(&name);
}

const char *
view_get(struct wt_view *v, const char *name)
{
	return hdf_get_value(v->hdf, name, NULL);
}

static NEOERR *
collect(void *ctx, char *s)
{
	buf_puts(ctx, s);
	return STATUS_OK;
}

int
view_render(struct wt_view *v, const char *dir, const char *name,
    struct wt_buf *out, char **err)
{
	CSPARSE *cs = NULL;
	NEOERR *e;
	STRING msg;

	*err = NULL;
	e = hdf_set_value(v->hdf, "hdf.loadpaths.0", dir);
	if (e == STATUS_OK)
		e = cs_init(&cs, v->hdf);
	if (e == STATUS_OK)
		e = cgi_register_strfuncs(cs);
	if (e == STATUS_OK)
		e = cs_parse_file(cs, name);
	if (e == STATUS_OK)
		e = cs_render(cs, out, collect);
	cs_destroy(&cs);
	if (e == STATUS_OK)
		return 0;
	string_init(&msg);
	nerr_error_traceback(e, &msg);
	*err = strdup(msg.buf ? msg.buf : "template error");
	string_clear(&msg);
	nerr_ignore(&e);
	return -1;
}
