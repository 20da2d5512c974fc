/* What every part of worktime-agent shares: a growable buffer, the log,
 * clocks, files written atomically, UTF-8 repair.  The agent ships alone
 * on desktops, so none of this comes from cgi/. */
#ifndef WA_UTIL_H
#define WA_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define WA_VERSION	PACKAGE_VERSION

struct buf {
	char	*p;
	size_t	 len, cap;
};

void	 buf_add(struct buf *, const void *, size_t);
void	 buf_adds(struct buf *, const char *);
void	 buf_addf(struct buf *, const char *, ...) __attribute__((format(printf, 2, 3)));
void	 buf_free(struct buf *);
/* The text so far, NUL-terminated (an empty buffer gives ""). */
const char *buf_str(struct buf *);

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);

enum { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };
extern int log_level;
void	 logmsg(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_debug(...)	logmsg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...)	logmsg(LOG_INFO, __VA_ARGS__)
#define log_warn(...)	logmsg(LOG_WARN, __VA_ARGS__)
#define log_error(...)	logmsg(LOG_ERROR, __VA_ARGS__)

/* Milliseconds: the wall clock (since 1970, UTC) and the monotonic one. */
int64_t	 wall_ms(void);
int64_t	 mono_ms(void);
/* "2026-11-23T09:15:00.250Z" into out (at least 32 bytes). */
void	 fmt_time(int64_t ms, char *out, size_t outsz);
/* The local time, for people: "2026-11-23 10:15:00 CET". */
void	 fmt_local(int64_t ms, char *out, size_t outsz);

/* Writes len bytes to path through path.tmp, fsync and rename, so a
 * reader sees the old file or the new one, never half of either. */
int	 write_atomic(const char *path, const void *data, size_t len, int mode);
/* The whole file, NUL-terminated; NULL if it cannot be read. */
char	*read_file(const char *path, size_t *len);
int	 mkdir_p(const char *path, int mode);
/* dir + "/" + name, on the heap. */
char	*path_join(const char *dir, const char *name);

/* Replaces every invalid UTF-8 sequence with U+FFFD and every control
 * character with a space; the result is on the heap.  Titles come from
 * any program on the desktop, and one bad byte must not make the server
 * refuse a whole batch. */
char	*utf8_clean(const char *s, size_t len);
/* The longest prefix of s (valid UTF-8) of at most max bytes that ends on
 * a character boundary. */
size_t	 utf8_prefix(const char *s, size_t len, size_t max);

/* A random double in [0, 1). */
double	 random_unit(void);

#endif
