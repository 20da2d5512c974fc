/* Window ids a worker has already seen: (app, title, url) -> windows.id.
 * A window is interned once and never changes its id or disappears (see
 * sql/005_activity.sql), so remembering it is safe, and most spans name a
 * window seen before: those cost no database work at all.  If windows
 * are ever deleted, this cache must be dropped with them. */
#ifndef WT_WINCACHE_H
#define WT_WINCACHE_H

#include <stddef.h>

/* 0 and *id when known, -1 otherwise. */
int	wincache_get(const char *app, const char *title, size_t title_len,
	    const char *url, size_t url_len, int *id);
/* Only ids of windows whose transaction committed (store.c puts a
 * batch's after its group committed). */
void	wincache_put(const char *app, const char *title, size_t title_len,
	    const char *url, size_t url_len, int id);

#endif
