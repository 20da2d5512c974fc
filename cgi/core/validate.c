#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "http.h"
#include "log.h"

#define DEFAULT_MAX_CHARS	4096

static size_t
utf8_chars(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

const char *
check_one_line(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	/* Valid UTF-8 already (the decoder refuses anything else). */
	for (; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return "must be one line without control characters";
		/* C1 controls, U+0080..U+009F: C2 80..C2 9F. */
		if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			return "must be one line without control characters";
		/* U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR. */
		if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9))
			return "must be one line without control characters";
	}
	return NULL;
}

const char *
check_local_path(const char *s)
{
	/* "/x" only: not "//host", not "/\\host" (browsers read a
	 * backslash as a slash), and no control character anywhere:
	 * browsers drop tabs and newlines from a URL, so "/<TAB>/host" is
	 * "//host" to them. */
	if (s[0] != '/' || s[1] == '/' || strchr(s, '\\') != NULL)
		return "must be a path on this site";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return "must be a path on this site";
	return NULL;
}

int
valid_email(const char *s)
{
	const char *at = strchr(s, '@'), *p;
	size_t local, len = strlen(s);
	int dots = 0, label = 0;

	if (at == NULL || strchr(at + 1, '@') != NULL || len > 254)
		return 0;
	local = (size_t)(at - s);
	if (local == 0 || local > 64 || s[0] == '.' || at[-1] == '.')
		return 0;
	for (p = s; p < at; p++) {
		if (isalnum((unsigned char)*p))
			continue;
		if (strchr(".!#$%&'*+/=?^_`{|}~-", *p) == NULL || *p == '\0')
			return 0;
		if (*p == '.' && p[1] == '.')
			return 0;
	}
	/* Domain: dot-separated labels of letters, digits and inner hyphens,
	 * at least two of them: "bob@gmail" is far more often a typo than a
	 * real single-label address. */
	for (p = at + 1; ; p++) {
		if (*p == '.' || *p == '\0') {
			if (label == 0 || p[-1] == '-')
				return 0;
			if (*p == '\0')
				break;
			dots++;
			label = 0;
			continue;
		}
		if (!isalnum((unsigned char)*p) && !(*p == '-' && label > 0))
			return 0;
		if (++label > 63)
			return 0;
	}
	return dots > 0;
}

int
valid_date(const char *s)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d, leap;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return 0;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (y < 1970 || y > WT_DATE_MAX_YEAR || m < 1 || m > 12 || d < 1)
		return 0;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= mdays[m - 1] + (m == 2 && leap);
}

static int
parse_int(const char *s, long long *out)
{
	char *end;
	long long v;

	/* strtoll alone would accept " 12", "+12" and "0x"-free junk. */
	if (*s == '\0' || !(isdigit((unsigned char)*s) || (*s == '-' &&
	    isdigit((unsigned char)s[1]))))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	*out = v;
	return 0;
}

/* "12", "5.5", "0.25", "-1.5" to hundredths; -1 for anything else,
 * including a third decimal place (refused, never rounded). */
static int
parse_decimal(const char *s, long long *out)
{
	long long whole = 0, frac = 0;
	int neg = 0, digits = 0, places = 0;

	if (*s == '-') {
		neg = 1;
		s++;
	}
	for (; *s >= '0' && *s <= '9'; s++, digits++) {
		if (whole > 1000000000000LL)
			return -1;
		whole = whole * 10 + (*s - '0');
	}
	if (digits == 0)
		return -1;
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++, places++) {
			if (places == 2)
				return -1;
			frac = frac * 10 + (*s - '0');
		}
		if (places == 0)
			return -1;
		if (places == 1)
			frac *= 10;
	}
	if (*s != '\0')
		return -1;
	*out = (whole * 100 + frac) * (neg ? -1 : 1);
	return 0;
}

static int
parse_bool(const char *s, long long *out)
{
	static const char *const yes[] = { "1", "true", "on", "yes", NULL };
	static const char *const no[] = { "0", "false", "off", "no", NULL };

	for (int i = 0; yes[i] != NULL; i++)
		if (strcmp(s, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
	for (int i = 0; no[i] != NULL; i++)
		if (strcmp(s, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	return -1;
}

int
validate_value(const struct wt_field *f, const char *s, size_t len, struct wt_buf *why)
{
	long long v;
	size_t chars, max;

	if (memchr(s, '\0', len) != NULL) {
		buf_puts(why, "must not contain NUL bytes");
		return -1;
	}
	if (!utf8_valid(s, len)) {
		buf_puts(why, "must be valid UTF-8");
		return -1;
	}
	switch (f->type) {
	case WT_T_STRING:
	case WT_T_PASSWORD:
		for (size_t i = 0; i < len; i++) {
			unsigned char c = (unsigned char)s[i];

			if ((c < 0x20 && !(f->type == WT_T_STRING &&
			    (c == '\t' || c == '\n' || c == '\r'))) || c == 0x7f) {
				buf_puts(why, "must not contain control characters");
				return -1;
			}
		}
		chars = utf8_chars(s, len);
		max = f->max > 0 ? (size_t)f->max : DEFAULT_MAX_CHARS;
		if (chars < (size_t)f->min || chars > max) {
			if (f->min > 0)
				buf_printf(why, "must be %lld to %zu characters long",
				    f->min, max);
			else
				buf_printf(why, "must be at most %zu characters long", max);
			return -1;
		}
		break;
	case WT_T_INT:
		if (parse_int(s, &v) != 0 ||
		    ((f->min != 0 || f->max != 0) && (v < f->min || v > f->max))) {
			if (f->min != 0 || f->max != 0)
				buf_printf(why, "must be an integer from %lld to %lld",
				    f->min, f->max);
			else
				buf_puts(why, "must be an integer");
			return -1;
		}
		break;
	case WT_T_BOOL:
		if (parse_bool(s, &v) != 0) {
			buf_puts(why, "must be true or false");
			return -1;
		}
		break;
	case WT_T_DECIMAL:
		if (parse_decimal(s, &v) != 0 || v < f->min || v > f->max) {
			buf_printf(why, "must be a number from %lld.%02lld to %lld.%02lld with at "
			    "most 2 decimal places", f->min / 100, f->min % 100, f->max / 100,
			    f->max % 100);
			return -1;
		}
		break;
	case WT_T_EMAIL:
		if (!valid_email(s)) {
			buf_puts(why, "must be an e-mail address like name@example.com");
			return -1;
		}
		break;
	case WT_T_DATE:
		if (!valid_date(s)) {
			buf_printf(why, "must be a date as YYYY-MM-DD, from 1970 to %d",
			    WT_DATE_MAX_YEAR);
			return -1;
		}
		break;
	case WT_T_ENUM: {
		int found = 0;

		for (int i = 0; f->choices != NULL && f->choices[i] != NULL; i++)
			if (strcmp(s, f->choices[i]) == 0)
				found = 1;
		if (!found) {
			buf_puts(why, "must be one of:");
			for (int i = 0; f->choices != NULL && f->choices[i] != NULL; i++)
				buf_printf(why, "%s %s", i ? "," : "", f->choices[i]);
			return -1;
		}
		break;
	}
	case WT_T_JSON:
		buf_puts(why, "must be sent in a JSON body");
		return -1;
	}
	if (f->check != NULL) {
		const char *bad = f->check(s);

		if (bad != NULL) {
			buf_puts(why, bad);
			return -1;
		}
	}
	return 0;
}

/* Turns a JSON member into the string form the rules check, or explains
 * why its JSON type is wrong. */
static int
json_scalar(const struct wt_field *f, json_t *j, char *num, size_t numsz,
    const char **s, size_t *len, struct wt_buf *why)
{
	switch (f->type) {
	case WT_T_INT:
		if (!json_is_integer(j)) {
			buf_puts(why, "must be a JSON integer");
			return -1;
		}
		snprintf(num, numsz, "%lld", (long long)json_integer_value(j));
		*s = num;
		*len = strlen(num);
		return 0;
	case WT_T_DECIMAL:
		if (json_is_integer(j)) {
			snprintf(num, numsz, "%lld", (long long)json_integer_value(j));
		} else if (json_is_real(j)) {
			double d = json_real_value(j) * 100, diff;
			long long h;

			/* 5.5 arrives as a binary fraction: take it when it is a
			 * whole number of hundredths within rounding. */
			if (!(d < 1e15 && d > -1e15)) {
				buf_puts(why, "must be a number from -10^13 to 10^13");
				return -1;
			}
			h = (long long)(d + (d >= 0 ? 0.5 : -0.5));
			diff = d - (double)h;
			if (diff > 1e-6 || diff < -1e-6) {
				buf_puts(why, "must have at most 2 decimal places");
				return -1;
			}
			snprintf(num, numsz, "%s%lld.%02lld", h < 0 ? "-" : "", llabs(h) / 100,
			    llabs(h) % 100);
		} else {
			buf_puts(why, "must be a JSON number");
			return -1;
		}
		*s = num;
		*len = strlen(num);
		return 0;
	case WT_T_BOOL:
		if (!json_is_boolean(j)) {
			buf_puts(why, "must be true or false");
			return -1;
		}
		*s = json_is_true(j) ? "true" : "false";
		*len = strlen(*s);
		return 0;
	default:
		if (!json_is_string(j)) {
			buf_puts(why, "must be a JSON string");
			return -1;
		}
		*s = json_string_value(j);
		*len = json_string_length(j);
		return 0;
	}
}

static struct wt_err *
fail(const struct wt_field *f, struct wt_buf *why)
{
	struct wt_err *e = wt_form_fail(400, f->name, "%s %s",
	    f->label ? f->label : f->name, why->data ? why->data : "is invalid");

	buf_free(why);
	return e;
}

struct wt_err *
validate_fields(struct wt_req *r)
{
	const struct wt_field *fields = r->route->fields;
	size_t n = 0;

	if (fields == NULL)
		return NULL;
	while (fields[n].name != NULL)
		n++;
	r->values = xcalloc(n, sizeof(*r->values));
	r->nvalues = n;

	for (size_t i = 0; i < n; i++) {
		const struct wt_field *f = &fields[i];
		struct wt_value *v = &r->values[i];
		const struct wt_kvlist *src = NULL;
		const char *s = NULL;
		size_t len = 0;
		char num[32];
		struct wt_buf why;

		buf_init(&why);
		if (f->src == WT_SRC_PATH)
			src = &r->path_args;
		else if (f->src == WT_SRC_QUERY)
			src = &r->query;
		else if (r->json != NULL) {
			json_t *j;

			if (!json_is_object(r->json))
				return wt_fail(400, NULL, "the JSON body must be an object");
			j = json_object_get(r->json, f->name);
			/* "" and null mean "not given", as an empty form field does. */
			if (j != NULL && !json_is_null(j) &&
			    !(json_is_string(j) && json_string_length(j) == 0)) {
				if (f->type == WT_T_JSON) {
					v->present = 1;
					v->json = j;
					continue;
				}
				if (json_scalar(f, j, num, sizeof(num), &s, &len, &why) != 0)
					return fail(f, &why);
			}
		} else
			src = &r->form;

		if (src != NULL) {
			const struct wt_kv *kv;

			if (kv_count(src, f->name) > 1) {
				buf_puts(&why, "is given more than once");
				return fail(f, &why);
			}
			if ((kv = kv_find(src, f->name)) != NULL && kv->vlen > 0) {
				s = kv->val;
				len = kv->vlen;
			}
		}
		if (s == NULL) {
			if (f->flags & WT_REQUIRED) {
				buf_puts(&why, "is required");
				return fail(f, &why);
			}
			continue;
		}
		if (validate_value(f, s, len, &why) != 0)
			return fail(f, &why);
		v->present = 1;
		/* A number or boolean from JSON was printed into num, which
		 * lives only in this loop: keep a copy with the request. */
		v->str = s == num ? (v->owned = xstrdup(num)) : s;
		if (f->type == WT_T_INT)
			parse_int(s, &v->num);
		else if (f->type == WT_T_DECIMAL)
			parse_decimal(s, &v->num);
		else if (f->type == WT_T_BOOL)
			parse_bool(s, &v->num);
		buf_free(&why);
	}
	return NULL;
}

static const struct wt_value *
lookup(const struct wt_req *r, const char *name, enum wt_type want)
{
	const struct wt_field *fields = r->route ? r->route->fields : NULL;

	for (size_t i = 0; fields != NULL && fields[i].name != NULL; i++)
		if (strcmp(fields[i].name, name) == 0) {
			if ((want == WT_T_INT || want == WT_T_BOOL || want == WT_T_JSON ||
			    want == WT_T_DECIMAL) &&
			    fields[i].type != want)
				break;
			return r->values ? &r->values[i] : NULL;
		}
	log_error("bug", "handler read undeclared field '%s' (or with the wrong type)",
	    name);
	abort();
}

const char *
wt_str(const struct wt_req *r, const char *name)
{
	const struct wt_value *v = lookup(r, name, WT_T_STRING);

	return v && v->present ? v->str : NULL;
}

long long
wt_int(const struct wt_req *r, const char *name, long long def)
{
	const struct wt_value *v = lookup(r, name, WT_T_INT);

	return v && v->present ? v->num : def;
}

int
wt_bool(const struct wt_req *r, const char *name, int def)
{
	const struct wt_value *v = lookup(r, name, WT_T_BOOL);

	return v && v->present ? (int)v->num : def;
}

long long
wt_decimal(const struct wt_req *r, const char *name, long long def)
{
	const struct wt_value *v = lookup(r, name, WT_T_DECIMAL);

	return v && v->present ? v->num : def;
}

int
wt_has(const struct wt_req *r, const char *name)
{
	const struct wt_value *v = lookup(r, name, WT_T_STRING);

	return v && v->present;
}

json_t *
wt_json_field(const struct wt_req *r, const char *name)
{
	const struct wt_value *v = lookup(r, name, WT_T_JSON);

	return v && v->present ? v->json : NULL;
}
