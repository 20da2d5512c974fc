#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "decode.h"

const char *
decode_strerror(enum wt_decode e)
{
	switch (e) {
	case WT_DEC_OK:		return "ok";
	case WT_DEC_BAD_ESCAPE:	return "malformed percent-encoding";
	case WT_DEC_NUL:	return "NUL byte not allowed";
	case WT_DEC_BAD_UTF8:	return "not valid UTF-8";
	case WT_DEC_TOO_MANY:	return "too many parameters";
	}
	return "decoding error";
}

/* Accepts exactly the well-formed sequences of RFC 3629 (no overlongs,
 * no surrogates, nothing above U+10FFFF). */
int
utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];
		size_t need;
		unsigned lo = 0x80, hi = 0xBF;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			need = 1;
		else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			if (c == 0xE0)
				lo = 0xA0;
			else if (c == 0xED)
				hi = 0x9F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			if (c == 0xF0)
				lo = 0x90;
			else if (c == 0xF4)
				hi = 0x8F;
		} else
			return 0;
		if (n - i - 1 < need)
			return 0;
		if (s[i + 1] < lo || s[i + 1] > hi)
			return 0;
		for (size_t k = 2; k <= need; k++)
			if (s[i + k] < 0x80 || s[i + k] > 0xBF)
				return 0;
		i += need + 1;
	}
	return 1;
}

int
utf8_valid_str(const char *s)
{
	return utf8_valid(s, strlen(s));
}

char *
url_encode_component(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	struct wt_buf b;

	buf_init(&b);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p) != NULL)
			buf_append(&b, p, 1);
		else {
			char e[3] = { '%', hex[*p >> 4], hex[*p & 15] };

			buf_append(&b, e, 3);
		}
	}
	return buf_take(&b);
}

int
hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

enum wt_decode
url_decode(const char *in, size_t len, int plus_is_space, char **out, size_t *outlen)
{
	char *o = xmalloc(len + 1);
	size_t j = 0;

	for (size_t i = 0; i < len; i++) {
		char c = in[i];

		if (c == '%') {
			int h, l;

			if (len - i < 3 || (h = hex_digit(in[i + 1])) < 0 ||
			    (l = hex_digit(in[i + 2])) < 0) {
				free(o);
				return WT_DEC_BAD_ESCAPE;
			}
			c = (char)(h << 4 | l);
			i += 2;
		} else if (c == '+' && plus_is_space)
			c = ' ';
		if (c == '\0') {
			free(o);
			return WT_DEC_NUL;
		}
		o[j++] = c;
	}
	o[j] = '\0';
	if (!utf8_valid(o, j)) {
		free(o);
		return WT_DEC_BAD_UTF8;
	}
	*out = o;
	*outlen = j;
	return WT_DEC_OK;
}

enum wt_decode
urlencoded_parse(const char *s, size_t len, struct wt_kvlist *out, char **bad_key)
{
	size_t start_n = out->n, pairs = 0, i = 0;
	enum wt_decode rc = WT_DEC_OK;

	*bad_key = NULL;
	while (i < len) {
		size_t end = i, eq;
		char *k = NULL, *v = NULL;
		size_t klen, vlen;

		(void)klen;

		while (end < len && s[end] != '&' && s[end] != ';')
			end++;
		for (eq = i; eq < end && s[eq] != '='; eq++)
			;
		/* A raw key of at least one byte never decodes to an empty one:
		 * each escape yields one byte and NUL is refused. */
		if (eq > i) {
			if (++pairs > WT_MAX_PAIRS) {
				rc = WT_DEC_TOO_MANY;
				break;
			}
			if ((rc = url_decode(s + i, eq - i, 1, &k, &klen)) != WT_DEC_OK)
				break;
			if (eq < end)
				rc = url_decode(s + eq + 1, end - eq - 1, 1, &v, &vlen);
			else
				rc = url_decode("", 0, 1, &v, &vlen);
			if (rc != WT_DEC_OK) {
				*bad_key = k;
				break;
			}
			kv_add_owned(out, k, v, vlen);
		}
		i = end + 1;
	}
	if (rc != WT_DEC_OK) {
		/* Leave the list as it was: a half-parsed request is never used. */
		while (out->n > start_n) {
			out->n--;
			free(out->items[out->n].key);
			free(out->items[out->n].val);
		}
	}
	return rc;
}

void
cookies_parse(const char *h, struct wt_kvlist *out)
{
	const char *p = h;

	while (p != NULL && *p != '\0') {
		const char *end = strchr(p, ';'), *eq, *ks, *ke, *vs, *ve;

		if (end == NULL)
			end = p + strlen(p);
		ks = p;
		while (ks < end && (*ks == ' ' || *ks == '\t'))
			ks++;
		for (eq = ks; eq < end && *eq != '='; eq++)
			;
		if (eq < end && eq > ks) {
			ke = eq;
			while (ke > ks && (ke[-1] == ' ' || ke[-1] == '\t'))
				ke--;
			vs = eq + 1;
			ve = end;
			while (vs < ve && (*vs == ' ' || *vs == '\t'))
				vs++;
			while (ve > vs && (ve[-1] == ' ' || ve[-1] == '\t'))
				ve--;
			if (ve - vs >= 2 && *vs == '"' && ve[-1] == '"') {
				vs++;
				ve--;
			}
			/* RFC 6265 cookie-octets: printable ASCII only, so a
			 * cookie can never carry invalid UTF-8 further. */
			int ok = ke > ks;
			for (const char *c = ks; ok && c < ke; c++)
				if ((unsigned char)*c < 0x21 || (unsigned char)*c >= 0x7f ||
				    strchr("()<>@,;:\\\"/[]?={}", *c) != NULL)
					ok = 0;
			for (const char *c = vs; ok && c < ve; c++)
				if ((unsigned char)*c < 0x21 || (unsigned char)*c >= 0x7f ||
				    *c == '"' || *c == ',' || *c == '\\')
					ok = 0;
			if (ok)
				kv_add_owned(out, xstrndup(ks, (size_t)(ke - ks)),
				    xstrndup(vs, (size_t)(ve - vs)), (size_t)(ve - vs));
		}
		p = *end ? end + 1 : end;
	}
}

size_t
utf8_cut(const char *s, size_t len, size_t max)
{
	size_t n;

	if (len <= max)
		return len;
	/* Back off continuation bytes (10xxxxxx) to the start of the
	 * character that would be split. */
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}
