/* The data a template sees (a ClearSilver HDF tree) and rendering.
 * This wrapper is the only place that includes ClearSilver.h: its
 * cs_config.h redefines PACKAGE_* and would clash with autoconf's.
 * Every view is created with Config.VarEscapeMode = html, so every
 * <?cs var: ?> is HTML-escaped unless a template says otherwise. */
#ifndef WT_VIEW_H
#define WT_VIEW_H

#include <jansson.h>

#include "buf.h"

struct wt_view;

struct wt_view	*view_new(void);
void		 view_free(struct wt_view *);
void		 view_set(struct wt_view *, const char *name, const char *value);
void		 view_set_int(struct wt_view *, const char *name, long long);
/* The name is a printf format: view_setf(v, val, "Rows.%d.name", i). */
void		 view_setf(struct wt_view *, const char *value, const char *namefmt, ...)
		    __attribute__((format(printf, 3, 4)));
const char	*view_get(struct wt_view *, const char *name);
/* Sets name.key... from a JSON value (viewjson.c): objects by member,
 * arrays by index, true/false as 1/0, null left unset. */
void		 view_set_json(struct wt_view *, const char *name, json_t *);
/* Renders dir/name into out.  -1 and a malloc'd message in *err on
 * failure (missing template, syntax error). */
int		 view_render(struct wt_view *, const char *dir, const char *name,
		    struct wt_buf *out, char **err);

#endif
