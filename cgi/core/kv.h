/* An ordered list of decoded key/value pairs: query strings, form bodies,
 * cookies, response headers.  Order and repeats are kept, because a
 * repeated scalar field is an error the validator must be able to see. */
#ifndef WT_KV_H
#define WT_KV_H

#include <stddef.h>

struct wt_kv {
	char	*key;
	char	*val;
	size_t	 vlen;
};

struct wt_kvlist {
	struct wt_kv	*items;
	size_t		 n;
	size_t		 cap;
};

void		 kv_init(struct wt_kvlist *);
void		 kv_free(struct wt_kvlist *);
/* Takes ownership of key and val (both malloc'd). */
void		 kv_add_owned(struct wt_kvlist *, char *key, char *val, size_t vlen);
void		 kv_add(struct wt_kvlist *, const char *key, const char *val);
/* Drops the pairs after the first n. */
void		 kv_truncate(struct wt_kvlist *, size_t n);
/* First value for key, or NULL. */
const char	*kv_get(const struct wt_kvlist *, const char *key);
const struct wt_kv *kv_find(const struct wt_kvlist *, const char *key);
size_t		 kv_count(const struct wt_kvlist *, const char *key);

#endif
