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

/* "7 h 05 min", "45 min", "30 s", "0 min". */
void		 cat_duration(long long ms, char *out, size_t n);

#endif
