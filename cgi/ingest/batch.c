/* A batch is parsed as it streams past, with yajl's callbacks: no tree of
 * the document is built (jansson's tree cost 190 us of a 100-span batch,
 * a third of the program's time per batch; bench/BENCHMARKS.md "Ingest:
 * new windows").  Each span's members are kept as they come and checked
 * when its object closes, in a fixed order, so the answer does not depend
 * on the order of members; the strings are copied once, into the block
 * the batch owns.
 *
 * Which error is answered when a body has several is the order a reader
 * would check them in: JSON that cannot be read at all (syntax, invalid
 * UTF-8, a NUL, a member given twice) before anything else, then the body
 * not being an object, then batch, then spans, then the first bad span. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "batch.h"
#include "buf.h"
#include "decode.h"

static int
digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil). */
static long long
days_from_civil(long long y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
month_days(int y, int m)
{
	static const int md[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return md[m - 1] + (m == 2 && leap);
}

int
rfc3339_parse(const char *s, long long *us)
{
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0;
	long long frac = 0;
	const char *p;

	if (strlen(s) < 20 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) ||
	    s[7] != '-' || digits(s + 8, 2, &d) ||
	    (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &mi) ||
	    s[16] != ':' || digits(s + 17, 2, &sec))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo) || h > 23 || mi > 59 ||
	    sec > 60)
		return -1;
	p = s + 19;
	if (*p == '.') {
		int nd = 0;

		for (p++; isdigit((unsigned char)*p); p++, nd++)
			if (nd < 6)
				frac = frac * 10 + (*p - '0');
		if (nd == 0)
			return -1;
		for (; nd < 6; nd++)
			frac *= 10;
	}
	if (*p == 'Z' || *p == 'z')
		p++;
	else if (*p == '+' || *p == '-') {
		sign = *p == '+' ? 1 : -1;
		if (digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om) ||
		    oh > 23 || om > 59)
			return -1;
		p += 6;
	} else
		return -1;
	if (*p != '\0')
		return -1;
	/* A leap second is the last microsecond of its minute. */
	if (sec == 60) {
		sec = 59;
		frac = 999999;
	}
	*us = ((days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec) -
	    sign * (oh * 3600 + om * 60)) * 1000000LL + frac;
	return 0;
}

static struct wt_err *
span_fail(size_t i, const char *field, const char *why)
{
	char name[64];

	/* "spans[12].title": the index and the field, as the client wrote them. */
	if (bsnprintf(name, sizeof(name), "spans[%zu].%s", i, field) != 0)
		name[0] = '\0';
	return wt_fail(400, name, "span %zu: %s %s", i, field, why);
}

/* A span's members, and the kinds of value each may hold. */
enum member { M_START, M_DURATION, M_APP, M_TITLE, M_URL, M_AFK, NMEMBERS, M_OTHER };
static const char *const member_name[NMEMBERS] = {
	"start", "duration_ms", "app", "title", "url", "afk"
};
enum kind { K_ABSENT, K_NULL, K_STRING, K_INTEGER, K_NUMBER, K_BOOL, K_OTHER };

struct value {
	enum kind	 kind;
	long long	 i;		/* K_INTEGER, K_BOOL; start: its time */
	int		 ok;		/* start: a valid RFC 3339 time */
	const char	*s;		/* K_STRING, in the strings block */
	size_t		 len;
};

/* Where the parser is: the top-level object's members, the spans array,
 * a span's members; and a value being skipped (an unknown member's, or
 * one of the wrong type) with everything nested in it. */
enum top { T_OTHER, T_BATCH, T_SPANS };

struct parse {
	const struct batch_rules *rules;
	struct batch	*b;
	size_t		 cap;		/* spans allocated in b */
	size_t		 nspans;	/* spans seen, past the limit too */
	char		*block;		/* b->strings */
	size_t		 used;
	int		 depth;		/* maps and arrays open */
	int		 skip_from;	/* depth where the skipped value began, or -1 */
	int		 in_spans;
	enum top	 top;		/* the top-level member the next value is for */
	unsigned	 top_seen;	/* 1 << T_BATCH, 1 << T_SPANS */
	enum member	 member;	/* the span member the next value is for */
	unsigned	 seen;		/* 1 << member */
	struct value	 v[NMEMBERS];
	struct value	 seq;		/* the batch member */
	/* The first error of each kind, answered in this order. */
	struct wt_err	*unreadable, *not_object, *batch, *spans, *span;
};

static void
keep(struct wt_err **slot, struct wt_err *e)
{
	if (*slot == NULL)
		*slot = e;
	else
		err_free(e);
}

/* A value of a container type that nobody reads: skip it, and what it
 * holds. */
static void
skip(struct parse *p)
{
	p->skip_from = p->depth;
}

/* Is the parser inside a span's object, its next value a member? */
static int
in_span(const struct parse *p)
{
	return p->in_spans && p->depth == 3;
}

/* Text anywhere in the document must be valid UTF-8 without NULs, as
 * PostgreSQL will take it. */
static int
text_ok(struct parse *p, const unsigned char *s, size_t len)
{
	const char *why = NULL;

	if (memchr(s, '\0', len) != NULL)
		why = "must not contain NUL characters";
	else if (!utf8_valid((const char *)s, len))
		why = "is not valid UTF-8";
	if (why == NULL)
		return 1;
	if (in_span(p) && p->member != M_OTHER)
		keep(&p->unreadable, span_fail(p->nspans, member_name[p->member], why));
	else
		keep(&p->unreadable, wt_fail(400, NULL, "malformed JSON: text %s", why));
	return 0;
}

static char *
copy_text(struct parse *p, const unsigned char *s, size_t len)
{
	char *out = p->block + p->used;

	memcpy(out, s, len);
	out[len] = '\0';
	p->used += len + 1;
	return out;
}

/* Every value passes here first.  A container the parser reads (the body,
 * spans, a span) is entered; any other value is kept in its slot (batch,
 * a span's member: returned), refused where it stands, or ignored; and a
 * container among those is skipped with all it holds. */
static struct value *
value_slot(struct parse *p, enum kind kind, int container)
{
	struct value *slot = NULL;

	if (p->skip_from >= 0) {
		if (container)
			p->depth++;
		return NULL;
	}
	if ((p->depth == 0 && container == 'm') ||
	    (p->depth == 1 && p->top == T_SPANS && container == 'a') ||
	    (p->depth == 2 && p->in_spans && container == 'm')) {
		if (p->depth == 1)
			p->in_spans = 1;
		else if (p->depth == 2) {
			memset(p->v, 0, sizeof(p->v));
			p->seen = 0;
			p->member = M_OTHER;
		}
		p->depth++;
		return NULL;
	}
	if (p->depth == 0)
		keep(&p->not_object, wt_fail(400, NULL, "the JSON body must be an object"));
	else if (p->depth == 1 && p->top == T_SPANS)
		keep(&p->spans, wt_fail(400, "spans", "spans must be a JSON array"));
	else if (p->depth == 1 && p->top == T_BATCH)
		slot = &p->seq;
	else if (p->depth == 2 && p->in_spans) {
		keep(&p->span, wt_fail(400, "spans", "span %zu is not a JSON object", p->nspans));
		p->nspans++;
	} else if (in_span(p) && p->member != M_OTHER)
		slot = &p->v[p->member];
	if (slot != NULL)
		slot->kind = kind;
	if (container) {
		skip(p);
		p->depth++;
	}
	return slot;
}

static int
on_null(void *ctx)
{
	(void)value_slot(ctx, K_NULL, 0);
	return 1;
}

static int
on_boolean(void *ctx, int v)
{
	struct value *slot = value_slot(ctx, K_BOOL, 0);

	if (slot != NULL)
		slot->i = v;
	return 1;
}

/* Numbers arrive as written: an integer is digits only (1.0 and 1e3 are
 * not), within a long long. */
static int
on_number(void *ctx, const char *s, size_t len)
{
	struct parse *p = ctx;
	char buf[32], *end;
	long long v = 0;
	int integer = len < sizeof(buf);
	struct value *slot;

	for (size_t k = 0; k < len && integer; k++)
		integer = s[k] != '.' && s[k] != 'e' && s[k] != 'E';
	if (integer) {
		memcpy(buf, s, len);
		buf[len] = '\0';
		errno = 0;
		v = strtoll(buf, &end, 10);
		integer = errno == 0 && *end == '\0';
	}
	if ((slot = value_slot(p, integer ? K_INTEGER : K_NUMBER, 0)) != NULL)
		slot->i = v;
	return 1;
}

static int
on_string(void *ctx, const unsigned char *s, size_t len)
{
	struct parse *p = ctx;
	struct value *slot;

	if (!text_ok(p, s, len))
		return 0;
	/* Only a span's members keep their text (batch's kind says enough). */
	if ((slot = value_slot(p, K_STRING, 0)) == NULL || !in_span(p))
		return 1;
	if (p->member == M_START) {
		char t[40];

		/* The longest valid time is 32 bytes (six-digit fraction, offset). */
		if (len < sizeof(t)) {
			memcpy(t, s, len);
			t[len] = '\0';
			slot->ok = rfc3339_parse(t, &slot->i) == 0;
		}
		return 1;
	}
	/* Titles and addresses longer than the limit are cut on a character
	 * boundary: agents cannot know it. */
	if (p->member == M_TITLE || p->member == M_URL)
		len = utf8_cut((const char *)s, len, WT_TITLE_MAX);
	slot->s = copy_text(p, s, len);
	slot->len = len;
	return 1;
}

static int
on_start_map(void *ctx)
{
	(void)value_slot(ctx, K_OTHER, 'm');
	return 1;
}

static int
on_start_array(void *ctx)
{
	(void)value_slot(ctx, K_OTHER, 'a');
	return 1;
}

static int
on_key(void *ctx, const unsigned char *key, size_t len)
{
	struct parse *p = ctx;

	/* A new member: a bad name is not the last member's fault. */
	if (in_span(p))
		p->member = M_OTHER;
	if (!text_ok(p, key, len))
		return 0;
	if (p->skip_from >= 0)
		return 1;
	if (p->depth == 1) {
		p->top = T_OTHER;
		if (len == 5 && memcmp(key, "batch", 5) == 0)
			p->top = T_BATCH;
		else if (len == 5 && memcmp(key, "spans", 5) == 0)
			p->top = T_SPANS;
		if (p->top != T_OTHER && (p->top_seen & 1u << p->top)) {
			keep(&p->unreadable, wt_fail(400, p->top == T_BATCH ? "batch" : "spans",
			    "malformed JSON: %s is given twice", p->top == T_BATCH ? "batch" : "spans"));
			return 0;
		}
		p->top_seen |= 1u << p->top;
	} else if (in_span(p)) {
		p->member = M_OTHER;
		for (int m = 0; m < NMEMBERS; m++)
			if (strlen(member_name[m]) == len && memcmp(key, member_name[m], len) == 0)
				p->member = m;
		if (p->member != M_OTHER && (p->seen & 1u << p->member)) {
			keep(&p->unreadable, span_fail(p->nspans, member_name[p->member],
			    "is given twice"));
			return 0;
		}
		if (p->member != M_OTHER)
			p->seen |= 1u << p->member;
	}
	return 1;
}

/* A span's members, checked in the order a reader would: its time, its
 * length, then its window. */
static struct wt_err *
check_span(const struct parse *p, size_t i, struct span *s)
{
	const struct value *v = p->v;
	const struct batch_rules *rules = p->rules;

	if (v[M_START].kind == K_ABSENT)
		return span_fail(i, "start", "is required");
	if (v[M_START].kind != K_STRING || !v[M_START].ok)
		return span_fail(i, "start", "must be an RFC 3339 time such as "
		    "2026-11-23T09:15:00.250+01:00");
	s->start_us = v[M_START].i;
	if (s->start_us > rules->now_us + WT_FUTURE_SLACK_US)
		return span_fail(i, "start", "is more than 5 minutes in the future; "
		    "check the device's clock");
	if (s->start_us < rules->oldest_us)
		return span_fail(i, "start", "is older than the retention period");
	if (v[M_DURATION].kind == K_ABSENT)
		return span_fail(i, "duration_ms", "is required");
	if (v[M_DURATION].kind != K_INTEGER || v[M_DURATION].i < 0 ||
	    v[M_DURATION].i > WT_SPAN_MAX_MS)
		return span_fail(i, "duration_ms", "must be an integer from 0 to 86400000 "
		    "(24 hours)");
	s->duration_ms = v[M_DURATION].i;
	/* A span is time that has passed: one that ends later than the
	 * start may begin would count hours not yet worked. */
	if (s->start_us + s->duration_ms * 1000 > rules->now_us + WT_FUTURE_SLACK_US)
		return span_fail(i, "duration_ms", "makes the span end more than 5 minutes in "
		    "the future; check the device's clock");
	if (v[M_APP].kind == K_ABSENT || v[M_APP].kind == K_NULL)
		return span_fail(i, "app", "is required");
	if (v[M_APP].kind != K_STRING)
		return span_fail(i, "app", "must be a string");
	if (v[M_APP].len == 0)
		return span_fail(i, "app", "must not be empty");
	if (v[M_APP].len > WT_APP_MAX)
		return span_fail(i, "app", "must be at most 256 bytes");
	for (int m = M_TITLE; m <= M_URL; m++)
		if (v[m].kind != K_ABSENT && v[m].kind != K_NULL && v[m].kind != K_STRING)
			return span_fail(i, member_name[m], "must be a string");
	if (v[M_AFK].kind != K_ABSENT && v[M_AFK].kind != K_NULL && v[M_AFK].kind != K_BOOL)
		return span_fail(i, "afk", "must be true or false");
	s->app = v[M_APP].s;
	s->title = v[M_TITLE].kind == K_STRING ? v[M_TITLE].s : "";
	s->title_len = v[M_TITLE].kind == K_STRING ? v[M_TITLE].len : 0;
	s->url = v[M_URL].kind == K_STRING ? v[M_URL].s : "";
	s->url_len = v[M_URL].kind == K_STRING ? v[M_URL].len : 0;
	s->afk = v[M_AFK].kind == K_BOOL && v[M_AFK].i;
	return NULL;
}

static int
on_end(void *ctx)
{
	struct parse *p = ctx;

	p->depth--;
	if (p->skip_from >= 0) {
		if (p->depth == p->skip_from)
			p->skip_from = -1;
		return 1;
	}
	if (p->depth == 2 && p->in_spans) {
		/* A span closed. */
		struct span s;
		struct wt_err *e;

		if (p->span == NULL && (e = check_span(p, p->nspans, &s)) != NULL)
			keep(&p->span, e);
		else if (p->span == NULL && p->nspans < WT_BATCH_MAX_SPANS) {
			if (p->b->n == p->cap) {
				p->cap = p->cap ? 2 * p->cap : 128;
				p->b->spans = xrealloc(p->b->spans, p->cap * sizeof(*p->b->spans));
			}
			p->b->spans[p->b->n++] = s;
		}
		p->nspans++;
	} else if (p->depth == 1 && p->in_spans)
		p->in_spans = 0;
	return 1;
}

static const yajl_callbacks callbacks = {
	.yajl_null = on_null,
	.yajl_boolean = on_boolean,
	.yajl_number = on_number,
	.yajl_string = on_string,
	.yajl_start_map = on_start_map,
	.yajl_map_key = on_key,
	.yajl_end_map = on_end,
	.yajl_start_array = on_start_array,
	.yajl_end_array = on_end,
};

/* The code unit of a \uXXXX escape at p (end - p >= 6), or -1. */
static long
escape_unit(const char *p, const char *end)
{
	long v = 0;

	if (end - p < 6 || p[0] != '\\' || p[1] != 'u')
		return -1;
	for (int k = 2; k < 6; k++) {
		int d = hex_digit((unsigned char)p[k]);

		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* yajl turns a \u escape of half a surrogate pair into '?' or into the
 * wrong character; JSON that cannot be read as written is refused
 * instead.  Returns the offset of the first such escape, or len. */
static size_t
bad_surrogate(const char *s, size_t len)
{
	const char *p = s, *end = s + len;

	while ((p = memchr(p, '\\', (size_t)(end - p))) != NULL) {
		long hi = escape_unit(p, end), lo;

		if (hi < 0) {
			p += 2;		/* \\, \" and the like: the next character is taken */
			if (p >= end)
				break;
			continue;
		}
		if (hi >= 0xDC00 && hi <= 0xDFFF)
			return (size_t)(p - s);
		if (hi >= 0xD800 && hi <= 0xDBFF) {
			lo = escape_unit(p + 6, end);
			if (lo < 0xDC00 || lo > 0xDFFF)
				return (size_t)(p - s);
			p += 6;
		}
		p += 6;
	}
	return len;
}

static struct wt_err *
syntax_error(const char *body, size_t len, size_t at, const char *why)
{
	int line = 1;
	size_t col = 1;

	for (size_t i = 0; i < at && i < len; i++, col++)
		if (body[i] == '\n') {
			line++;
			col = 0;
		}
	return wt_fail(400, NULL, "malformed JSON at line %d, column %zu: %s", line, col, why);
}

struct wt_err *
batch_parse(const char *body, size_t len, const struct batch_rules *rules, struct batch *b)
{
	struct parse p = { .rules = rules, .b = b, .skip_from = -1 };
	struct wt_err *order[5];
	yajl_handle h;
	yajl_status st;
	struct wt_err *e;
	size_t at;

	memset(b, 0, sizeof(*b));
	if (len == 0)
		return wt_fail(400, NULL, "malformed JSON: the body is empty");
	if ((at = bad_surrogate(body, len)) < len)
		return syntax_error(body, len, at, "a \\u escape is half a surrogate pair");
	/* Decoded strings are never longer than their JSON text, quotes
	 * included, so one block of the body's length holds them all. */
	p.block = b->strings = xmalloc(len + 1);
	if ((h = yajl_alloc(&callbacks, NULL, &p)) == NULL)
		return wt_fail(500, NULL, "out of memory");
	/* text_ok() checks UTF-8 strictly (no overlong forms, no surrogates). */
	yajl_config(h, yajl_dont_validate_strings, 1);
	st = yajl_parse(h, (const unsigned char *)body, len);
	/* Where it went wrong: the bytes yajl_parse() took, or the end of
	 * the body when only yajl_complete_parse() found the text cut short
	 * (its count is of its own call). */
	at = st == yajl_status_error ? yajl_get_bytes_consumed(h) : len;
	if (st == yajl_status_ok)
		st = yajl_complete_parse(h);
	if (st == yajl_status_error) {
		unsigned char *msg = yajl_get_error(h, 0, NULL, 0);
		size_t n = msg != NULL ? strlen((char *)msg) : 0;

		/* "parse error: premature EOF\n" and the like */
		while (n > 0 && isspace(msg[n - 1]))
			msg[--n] = '\0';
		keep(&p.unreadable, syntax_error(body, len, at,
		    n > 0 ? (const char *)msg : "unreadable"));
		yajl_free_error(h, msg);
	}
	yajl_free(h);
	if (p.unreadable == NULL && p.not_object == NULL) {
		if (!(p.top_seen & 1u << T_BATCH))
			p.batch = wt_fail(400, "batch", "batch is required: the device's "
			    "sequence number of this upload");
		else if (p.seq.kind != K_INTEGER || p.seq.i < 0)
			p.batch = wt_fail(400, "batch", "batch must be a non-negative integer");
		b->seq = p.seq.i;
		if (!(p.top_seen & 1u << T_SPANS))
			keep(&p.spans, wt_fail(400, "spans", "spans is required"));
		else if (p.nspans > WT_BATCH_MAX_SPANS)
			keep(&p.spans, wt_fail(400, "spans", "a batch holds at most %d spans; "
			    "this one has %zu", WT_BATCH_MAX_SPANS, p.nspans));
	}
	/* The first in the order of the header comment; the others go. */
	order[0] = p.unreadable;
	order[1] = p.not_object;
	order[2] = p.batch;
	order[3] = p.spans;
	order[4] = p.span;
	e = NULL;
	for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++)
		if (e == NULL)
			e = order[k];
		else if (order[k] != NULL)
			err_free(order[k]);
	return e;
}

void
batch_free(struct batch *b)
{
	free(b->spans);
	free(b->strings);
	memset(b, 0, sizeof(*b));
}
