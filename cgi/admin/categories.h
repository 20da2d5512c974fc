/* The categories pages (admins only): the list of rules as a tree, the
 * rule editor with its preview, and the category builder.  The JSON API
 * of the rules is in categories.c; these files add the HTML around it. */
#ifndef WT_ADMIN_CATEGORIES_H
#define WT_ADMIN_CATEGORIES_H

#include "admin.h"

struct wt_view;

/* categories_page.c: the list (categories_page answers JSON itself). */
extern const struct wt_field categories_page_fields[], category_page_fields[],
	category_new_fields[];
struct wt_err	*categories_html(struct wt_req *);
/* GET /admin/categories/new and /admin/categories/:id: the editor. */
struct wt_err	*category_new_page(struct wt_req *);
struct wt_err	*category_page(struct wt_req *);
/* form_page of the editor's posts: the new rule's page, or the page of
 * the rule named by the field "id" (404 when it does not exist). */
struct wt_err	*category_new_fill(struct wt_req *);
struct wt_err	*category_fill(struct wt_req *);

/* categories.c: the rule as the JSON list shows it. */
struct wt_err	*category_answer(struct wt_req *, const char *id);
/* The checks of a rule's name and colour: NULL or why not. */
const char	*category_name_check(const char *);
const char	*category_colour_check(const char *);
/* Creates the rule params[0..6] (name, app_re, title_re, url_re,
 * priority, productivity, colour) as POST /admin/categories does; a
 * browser is sent to back followed by the new rule's id. */
struct wt_err	*category_create_rule(struct wt_req *, const char *const *params,
		    const char *back);

/* categories_preview.c */
extern const struct wt_field category_preview_fields[];
struct wt_err	*category_preview(struct wt_req *);
struct wt_err	*category_preview_fill(struct wt_req *);
/* What the patterns (NULL: none) would match in the last 7 days, for
 * the rule self (NULL: a new one) named name at priority: into the view
 * (Preview.*), or into *json when json is not NULL.  A 400 naming the
 * field for a pattern that does not compile or takes too long. */
struct wt_err	*category_preview_run(struct wt_req *, const char *app_re,
		    const char *title_re, const char *url_re, const char *self,
		    const char *name, const char *priority, json_t **json);

/* categories_builder.c */
extern const struct wt_field category_builder_fields[], category_quick_fields[];
struct wt_err	*category_builder(struct wt_req *);
struct wt_err	*category_builder_fill(struct wt_req *);
struct wt_err	*category_quick(struct wt_req *);
/* The pattern of a rule from a word of the titles (\mword\M, escaped)
 * or from an application (^app$); the caller frees it. */
char		*category_word_regex(const char *word);
char		*category_app_regex(const char *app);

/* "7 h 05 min", "45 min", "30 s", "0 min". */
void		 cat_duration(long long ms, char *out, size_t n);

#endif
