/* JSON-lines logging to stderr: one object per line, with the program
 * name, pid and the id of the request being served (nginx's $request_id),
 * so a line can be traced from nginx's access log to the program. */
#ifndef WT_LOG_H
#define WT_LOG_H

#include <jansson.h>

enum wt_level { WT_DEBUG, WT_INFO, WT_WARN, WT_ERROR };

void	log_setup(const char *prog, enum wt_level min);
int	log_level_parse(const char *, enum wt_level *);
/* Request id attached to every following line; NULL clears it. */
void	log_set_request(const char *id);
/* extra (may be NULL) is merged into the line and released. */
void	log_write(enum wt_level, const char *event, json_t *extra,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#define log_debug(ev, ...)	log_write(WT_DEBUG, (ev), NULL, __VA_ARGS__)
#define log_info(ev, ...)	log_write(WT_INFO, (ev), NULL, __VA_ARGS__)
#define log_warn(ev, ...)	log_write(WT_WARN, (ev), NULL, __VA_ARGS__)
#define log_error(ev, ...)	log_write(WT_ERROR, (ev), NULL, __VA_ARGS__)

#endif
