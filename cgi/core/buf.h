/* Growable byte buffers and allocation that never returns NULL.
 * A FastCGI worker that runs out of memory cannot answer sensibly; it logs
 * and aborts, and the supervisor starts a fresh worker. */
#ifndef WT_BUF_H
#define WT_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct wt_buf {
	char	*data;	/* always NUL-terminated when non-NULL */
	size_t	 len;
	size_t	 cap;
};

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);

void	 buf_init(struct wt_buf *);
void	 buf_free(struct wt_buf *);
void	 buf_reset(struct wt_buf *);
void	 buf_append(struct wt_buf *, const void *, size_t);
void	 buf_puts(struct wt_buf *, const char *);
/* n in decimal: what buf_printf("%lld") writes, for the hot paths that
 * write thousands of numbers a request. */
void	 buf_put_ll(struct wt_buf *, long long n);
void	 buf_printf(struct wt_buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 buf_vprintf(struct wt_buf *, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));
/* snprintf that refuses to truncate, as cgit's fmt() does: 0, or -1
 * (and dst emptied) when the text would not fit in n bytes.  A copy of
 * user data into a fixed buffer goes through this or is an error. */
int	 bsnprintf(char *dst, size_t n, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Hands the contents to the caller (never NULL) and empties the buffer. */
char	*buf_take(struct wt_buf *);

#endif
