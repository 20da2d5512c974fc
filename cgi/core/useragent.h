/* A browser's User-Agent in words ("Firefox on Linux"), for the pages
 * that list where a person is signed in. */
#ifndef WT_USERAGENT_H
#define WT_USERAGENT_H

#include <stddef.h>

/* Writes the browser and system named by ua into out (at most n bytes
 * with the NUL; the names are short and fixed, so they always fit):
 * "Firefox on Linux", "Safari on iOS", "curl", "Unknown browser". */
void	ua_describe(const char *ua, char *out, size_t n);

#endif
