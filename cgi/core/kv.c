#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "kv.h"

void
kv_init(struct wt_kvlist *l)
{
	l->items = NULL;
	l->n = l->cap = 0;
}

void
kv_free(struct wt_kvlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->items[i].key);
		free(l->items[i].val);
	}
	free(l->items);
	kv_init(l);
}

void
kv_add_owned(struct wt_kvlist *l, char *key, char *val, size_t vlen)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->items = xrealloc(l->items, l->cap * sizeof(*l->items));
	}
	l->items[l->n].key = key;
	l->items[l->n].val = val;
	l->items[l->n].vlen = vlen;
	l->n++;
}

void
kv_add(struct wt_kvlist *l, const char *key, const char *val)
{
	kv_add_owned(l, xstrdup(key), xstrdup(val), strlen(val));
}

const struct wt_kv *
kv_find(const struct wt_kvlist *l, const char *key)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->items[i].key, key) == 0)
			return &l->items[i];
	return NULL;
}

const char *
kv_get(const struct wt_kvlist *l, const char *key)
{
	const struct wt_kv *kv = kv_find(l, key);

	return kv ? kv->val : NULL;
}

size_t
kv_count(const struct wt_kvlist *l, const char *key)
{
	size_t n = 0;

	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->items[i].key, key) == 0)
			n++;
	return n;
}

void
kv_truncate(struct wt_kvlist *l, size_t n)
{
	while (l->n > n) {
		l->n--;
		free(l->items[l->n].key);
		free(l->items[l->n].val);
	}
}
