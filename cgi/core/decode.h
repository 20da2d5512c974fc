/* Decoding of what arrives on the wire: percent-encoding, query strings and
 * form bodies (application/x-www-form-urlencoded), Cookie headers.
 * Decoded values are valid UTF-8 without NUL bytes, or the whole input is
 * refused: a value with %00 in it would be cut short by C string handling
 * and one with broken UTF-8 would be refused later by PostgreSQL. */
#ifndef WT_DECODE_H
#define WT_DECODE_H

#include <stddef.h>

#include "kv.h"

enum wt_decode {
	WT_DEC_OK = 0,
	WT_DEC_BAD_ESCAPE,	/* % not followed by two hex digits */
	WT_DEC_NUL,		/* %00 or a literal NUL */
	WT_DEC_BAD_UTF8,
	WT_DEC_TOO_MANY		/* more pairs than WT_MAX_PAIRS */
};

#define WT_MAX_PAIRS	1000

const char	*decode_strerror(enum wt_decode);
int		 utf8_valid(const char *, size_t);
int		 utf8_valid_str(const char *);
/* Where to cut s[0..len) to at most max bytes without splitting a
 * character: the one helper for text that must be shortened (titles,
 * user agents).  s must be valid UTF-8. */
size_t		 utf8_cut(const char *s, size_t len, size_t max);
/* 0-15 for a hex digit (either case), else -1. */
int		 hex_digit(int);
/* Percent-encodes everything but RFC 3986's unreserved characters. */
char		*url_encode_component(const char *);
/* Decodes in[0..len) into a new NUL-terminated string. */
enum wt_decode	 url_decode(const char *in, size_t len, int plus_is_space,
		    char **out, size_t *outlen);
/* Appends the pairs of "a=1&b=2" to out.  Pairs with an empty key are
 * dropped; a key without '=' gets the empty value.  On error, out keeps
 * only what it had before and *bad_key (malloc'd, may be NULL) names the
 * offending key where one could be read. */
enum wt_decode	 urlencoded_parse(const char *s, size_t len,
		    struct wt_kvlist *out, char **bad_key);
/* Cookie header pairs; malformed pieces are skipped, as browsers do. */
void		 cookies_parse(const char *header, struct wt_kvlist *out);

#endif
