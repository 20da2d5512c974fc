#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

struct parser {
	const char	*start, *p, *end;
	int		 depth;
	char		*err;
	size_t		 errsz;
};

static struct jv *parse_value(struct parser *);

static struct jv *
fail(struct parser *ps, const char *why)
{
	if (ps->err && ps->err[0] == '\0')
		snprintf(ps->err, ps->errsz, "%s at byte %ld", why, (long)(ps->p - ps->start));
	return NULL;
}

static void
skip_ws(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' ||
	    *ps->p == '\r'))
		ps->p++;
}

static int
hex4(const char *s, unsigned *out)
{
	unsigned v = 0;

	for (int i = 0; i < 4; i++) {
		char c = s[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static void
put_utf8(struct buf *b, unsigned cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80)
		u[0] = (char)cp, n = 1;
	else if (cp < 0x800)
		u[0] = (char)(0xc0 | cp >> 6), u[1] = (char)(0x80 | (cp & 0x3f)), n = 2;
	else if (cp < 0x10000)
		u[0] = (char)(0xe0 | cp >> 12), u[1] = (char)(0x80 | ((cp >> 6) & 0x3f)),
		u[2] = (char)(0x80 | (cp & 0x3f)), n = 3;
	else
		u[0] = (char)(0xf0 | cp >> 18), u[1] = (char)(0x80 | ((cp >> 12) & 0x3f)),
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f)), u[3] = (char)(0x80 | (cp & 0x3f)), n = 4;
	buf_add(b, u, n);
}

static char *
parse_string(struct parser *ps)
{
	struct buf b = { 0 };

	ps->p++;	/* the opening quote */
	buf_add(&b, "", 0);
	while (ps->p < ps->end && *ps->p != '"') {
		unsigned char c = (unsigned char)*ps->p;

		if (c < 0x20)
			goto bad;
		if (c != '\\') {
			buf_add(&b, ps->p++, 1);
			continue;
		}
		if (++ps->p >= ps->end)
			goto bad;
		switch (*ps->p) {
		case '"': buf_add(&b, "\"", 1); break;
		case '\\': buf_add(&b, "\\", 1); break;
		case '/': buf_add(&b, "/", 1); break;
		case 'b': buf_add(&b, "\b", 1); break;
		case 'f': buf_add(&b, "\f", 1); break;
		case 'n': buf_add(&b, "\n", 1); break;
		case 'r': buf_add(&b, "\r", 1); break;
		case 't': buf_add(&b, "\t", 1); break;
		case 'u': {
			unsigned cp, lo;

			if (ps->end - ps->p < 5 || hex4(ps->p + 1, &cp) != 0)
				goto bad;
			ps->p += 4;
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (ps->end - ps->p < 7 || ps->p[1] != '\\' || ps->p[2] != 'u' ||
				    hex4(ps->p + 3, &lo) != 0 || lo < 0xdc00 || lo > 0xdfff)
					goto bad;
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				ps->p += 6;
			} else if (cp >= 0xdc00 && cp <= 0xdfff)
				goto bad;
			if (cp == 0)
				goto bad;
			put_utf8(&b, cp);
			break;
		}
		default:
			goto bad;
		}
		ps->p++;
	}
	if (ps->p >= ps->end)
		goto bad;
	ps->p++;
	return b.p;
bad:
	buf_free(&b);
	fail(ps, "bad string");
	return NULL;
}

static struct jv *
parse_number(struct parser *ps)
{
	const char *start = ps->p;
	char tmp[64], *endp;
	struct jv *v;
	int frac = 0;

	if (ps->p < ps->end && *ps->p == '-')
		ps->p++;
	while (ps->p < ps->end && strchr("0123456789.eE+-", *ps->p)) {
		if (strchr(".eE", *ps->p))
			frac = 1;
		ps->p++;
	}
	if (ps->p - start == 0 || ps->p - start >= (long)sizeof(tmp))
		return fail(ps, "bad number");
	memcpy(tmp, start, (size_t)(ps->p - start));
	tmp[ps->p - start] = '\0';
	v = xcalloc(1, sizeof(*v));
	v->type = J_NUM;
	v->num = strtod(tmp, &endp);
	if (*endp != '\0') {
		free(v);
		return fail(ps, "bad number");
	}
	if (!frac) {
		v->i = strtoll(tmp, NULL, 10);
		v->is_int = 1;
	} else if (v->num == floor(v->num) && fabs(v->num) < 9e15) {
		v->i = (int64_t)v->num;
		v->is_int = 1;
	}
	return v;
}

static struct jv *
parse_container(struct parser *ps, int obj)
{
	struct jv *v = xcalloc(1, sizeof(*v)), **tail = &v->child;

	v->type = obj ? J_OBJ : J_ARR;
	if (++ps->depth > 64) {
		json_free(v);
		return fail(ps, "nested too deeply");
	}
	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == (obj ? '}' : ']')) {
		ps->p++;
		ps->depth--;
		return v;
	}
	for (;;) {
		char *key = NULL;
		struct jv *e;

		skip_ws(ps);
		if (obj) {
			if (ps->p >= ps->end || *ps->p != '"' || (key = parse_string(ps)) == NULL)
				goto bad;
			skip_ws(ps);
			if (ps->p >= ps->end || *ps->p != ':') {
				free(key);
				goto bad;
			}
			ps->p++;
		}
		if ((e = parse_value(ps)) == NULL) {
			free(key);
			goto bad;
		}
		e->key = key;
		*tail = e;
		tail = &e->next;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == (obj ? '}' : ']')) {
			ps->p++;
			ps->depth--;
			return v;
		}
		goto bad;
	}
bad:
	json_free(v);
	return fail(ps, obj ? "bad object" : "bad array");
}

static struct jv *
parse_value(struct parser *ps)
{
	struct jv *v;

	skip_ws(ps);
	if (ps->p >= ps->end)
		return fail(ps, "unexpected end");
	switch (*ps->p) {
	case '{':
		return parse_container(ps, 1);
	case '[':
		return parse_container(ps, 0);
	case '"': {
		char *s = parse_string(ps);

		if (s == NULL)
			return NULL;
		v = xcalloc(1, sizeof(*v));
		v->type = J_STR;
		v->s = s;
		return v;
	}
	}
	if (ps->end - ps->p >= 4 && memcmp(ps->p, "true", 4) == 0) {
		v = xcalloc(1, sizeof(*v));
		v->type = J_BOOL;
		v->b = 1;
		ps->p += 4;
		return v;
	}
	if (ps->end - ps->p >= 5 && memcmp(ps->p, "false", 5) == 0) {
		v = xcalloc(1, sizeof(*v));
		v->type = J_BOOL;
		ps->p += 5;
		return v;
	}
	if (ps->end - ps->p >= 4 && memcmp(ps->p, "null", 4) == 0) {
		v = xcalloc(1, sizeof(*v));
		ps->p += 4;
		return v;
	}
	return parse_number(ps);
}

struct jv *
json_parse(const char *text, size_t len, char *err, size_t errsz)
{
	struct parser ps = { text, text, text + len, 0, err, errsz };
	struct jv *v;

	if (err && errsz)
		err[0] = '\0';
	if ((v = parse_value(&ps)) == NULL)
		return NULL;
	skip_ws(&ps);
	if (ps.p != ps.end) {
		json_free(v);
		return fail(&ps, "trailing text");
	}
	return v;
}

void
json_free(struct jv *v)
{
	while (v != NULL) {
		struct jv *next = v->next;

		json_free(v->child);
		free(v->s);
		free(v->key);
		free(v);
		v = next;
	}
}

struct jv *
json_get(const struct jv *obj, const char *key)
{
	if (obj == NULL || obj->type != J_OBJ)
		return NULL;
	for (struct jv *e = obj->child; e; e = e->next)
		if (strcmp(e->key, key) == 0)
			return e;
	return NULL;
}

int64_t
json_int(const struct jv *obj, const char *key, int64_t def)
{
	const struct jv *v = json_get(obj, key);

	return v && v->type == J_NUM && v->is_int ? v->i : def;
}

const char *
json_str(const struct jv *obj, const char *key, const char *def)
{
	const struct jv *v = json_get(obj, key);

	return v && v->type == J_STR ? v->s : def;
}

void
json_add_str(struct buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t run = 0;

	buf_add(b, "\"", 1);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[6];

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		buf_add(b, s + run, i - run);
		run = i + 1;
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			buf_add(b, esc, 2);
		} else {
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			buf_add(b, esc, 6);
		}
	}
	buf_add(b, s + run, len - run);
	buf_add(b, "\"", 1);
}
