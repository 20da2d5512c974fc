#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "log.h"

static char		 prog_name[32] = "worktime";
static enum wt_level	 min_level = WT_INFO;
static char		 request_id[65];

static const char *const level_names[] = { "debug", "info", "warn", "error" };

void
log_setup(const char *prog, enum wt_level min)
{
	snprintf(prog_name, sizeof(prog_name), "%s", prog);
	min_level = min;
}

int
log_level_parse(const char *s, enum wt_level *out)
{
	for (size_t i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++)
		if (strcmp(s, level_names[i]) == 0) {
			*out = (enum wt_level)i;
			return 0;
		}
	return -1;
}

void
log_set_request(const char *id)
{
	snprintf(request_id, sizeof(request_id), "%s", id ? id : "");
}

void
log_write(enum wt_level lvl, const char *event, json_t *extra, const char *fmt, ...)
{
	struct timespec ts;
	struct tm tm;
	char stamp[80];
	struct wt_buf msg;
	va_list ap;
	json_t *line;
	char *out;

	if (lvl < min_level) {
		json_decref(extra);
		return;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(stamp, sizeof(stamp), "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000);

	buf_init(&msg);
	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);

	line = json_object();
	json_object_set_new(line, "ts", json_string(stamp));
	json_object_set_new(line, "level", json_string(level_names[lvl]));
	json_object_set_new(line, "prog", json_string(prog_name));
	json_object_set_new(line, "pid", json_integer(getpid()));
	if (request_id[0] != '\0')
		json_object_set_new(line, "req", json_string(request_id));
	json_object_set_new(line, "event", json_string(event));
	/* json_stringn copes with invalid UTF-8 by failing: fall back. */
	json_t *m = json_stringn(msg.data ? msg.data : "", msg.len);
	json_object_set_new(line, "msg", m ? m : json_string("(message not UTF-8)"));
	if (extra != NULL) {
		json_object_update(line, extra);
		json_decref(extra);
	}
	out = json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (out != NULL) {
		fprintf(stderr, "%s\n", out);
		fflush(stderr);
		free(out);
	}
	json_decref(line);
	buf_free(&msg);
}
