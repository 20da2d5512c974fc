/* Reading CSV answers back in the in-process tests (RFC 4180: quoted
 * cells with "" for a quote; records end with CRLF or LF). */
#ifndef WT_INPROC_CSVREAD_H
#define WT_INPROC_CSVREAD_H

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "driver.h"

/* Reads one record from *p into out[0..n) (strings live until
 * ip_finish) and moves *p past it.  Returns the number of cells, 0 at
 * the end. */
static inline int
csv_record(const char **p, char **out, int n)
{
	const char *s = *p;
	int k = 0;

	if (*s == '\0')
		return 0;
	while (k < n) {
		struct wt_buf b;

		buf_init(&b);
		buf_puts(&b, "");
		if (*s == '"') {
			for (s++; *s; s++) {
				if (*s == '"' && s[1] == '"')
					buf_append(&b, s++, 1);
				else if (*s == '"') {
					s++;
					break;
				} else
					buf_append(&b, s, 1);
			}
		} else
			while (*s && *s != ',' && *s != '\r' && *s != '\n')
				buf_append(&b, s++, 1);
		out[k++] = ip_strf("%s", b.data);
		buf_free(&b);
		if (*s == ',') {
			s++;
			continue;
		}
		break;
	}
	if (*s == '\r')
		s++;
	if (*s == '\n')
		s++;
	*p = s;
	return k;
}

/* A seconds cell to the millisecond ("3600.000") as milliseconds. */
static inline long long
csv_ms(const char *secs)
{
	const char *dot = strchr(secs, '.');

	return atoll(secs) * 1000 + (dot ? atoll(dot + 1) : 0);
}

#endif
