#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "buf.h"
#include "decode.h"
#include "jsonarena.h"

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

static struct wt_err *
text_member(json_t *o, size_t i, const char *key, int required, const char **out,
    size_t *len)
{
	json_t *j = json_object_get(o, key);

	if (j == NULL || json_is_null(j)) {
		if (required)
			return span_fail(i, key, "is required");
		*out = "";
		*len = 0;
		return NULL;
	}
	if (!json_is_string(j))
		return span_fail(i, key, "must be a string");
	*out = json_string_value(j);
	*len = json_string_length(j);
	return NULL;
}

static struct wt_err *
parse_span(json_t *o, size_t i, const struct batch_rules *rules, struct span *s)
{
	struct wt_err *e;
	json_t *j;
	size_t len;

	if (!json_is_object(o))
		return wt_fail(400, "spans", "span %zu is not a JSON object", i);
	j = json_object_get(o, "start");
	if (j == NULL)
		return span_fail(i, "start", "is required");
	if (!json_is_string(j) || rfc3339_parse(json_string_value(j), &s->start_us) != 0)
		return span_fail(i, "start", "must be an RFC 3339 time such as "
		    "2026-11-23T09:15:00.250+01:00");
	if (s->start_us > rules->now_us + WT_FUTURE_SLACK_US)
		return span_fail(i, "start", "is more than 5 minutes in the future; "
		    "check the device's clock");
	if (s->start_us < rules->oldest_us)
		return span_fail(i, "start", "is older than the retention period");
	j = json_object_get(o, "duration_ms");
	if (j == NULL)
		return span_fail(i, "duration_ms", "is required");
	if (!json_is_integer(j) || json_integer_value(j) < 0 ||
	    json_integer_value(j) > WT_SPAN_MAX_MS)
		return span_fail(i, "duration_ms", "must be an integer from 0 to 86400000 "
		    "(24 hours)");
	s->duration_ms = json_integer_value(j);
	/* A span is time that has passed: one that ends later than the
	 * start may begin would count hours not yet worked. */
	if (s->start_us + s->duration_ms * 1000 > rules->now_us + WT_FUTURE_SLACK_US)
		return span_fail(i, "duration_ms", "makes the span end more than 5 minutes in "
		    "the future; check the device's clock");
	if ((e = text_member(o, i, "app", 1, &s->app, &len)) != NULL)
		return e;
	if (len == 0)
		return span_fail(i, "app", "must not be empty");
	if (len > WT_APP_MAX)
		return span_fail(i, "app", "must be at most 256 bytes");
	if ((e = text_member(o, i, "title", 0, &s->title, &s->title_len)) != NULL ||
	    (e = text_member(o, i, "url", 0, &s->url, &s->url_len)) != NULL)
		return e;
	s->title_len = utf8_cut(s->title, s->title_len, WT_TITLE_MAX);
	s->url_len = utf8_cut(s->url, s->url_len, WT_TITLE_MAX);
	j = json_object_get(o, "afk");
	if (j != NULL && !json_is_null(j) && !json_is_boolean(j))
		return span_fail(i, "afk", "must be true or false");
	s->afk = json_is_true(j);
	return NULL;
}

/* Which span (and member) a parse error at byte pos sits in: jansson
 * refuses invalid UTF-8 before the handler sees anything, but the agent
 * deserves to know which span carried it. */
static void
locate(const char *body, size_t pos, long *span, char *key, size_t keysz)
{
	int depth = 0, in_str = 0, esc = 0;
	size_t kstart = 0;

	*span = -1;
	key[0] = '\0';
	for (size_t i = 0; i < pos && body[i] != '\0'; i++) {
		char c = body[i];

		if (in_str) {
			if (esc)
				esc = 0;
			else if (c == '\\')
				esc = 1;
			else if (c == '"') {
				in_str = 0;
				/* A member name inside a span: remember it. */
				if (depth == 3 && i - kstart < keysz &&
				    body[i + 1 + strspn(body + i + 1, " \t\r\n")] == ':') {
					memcpy(key, body + kstart, i - kstart);
					key[i - kstart] = '\0';
				}
			}
			continue;
		}
		if (c == '"') {
			in_str = 1;
			kstart = i + 1;
		} else if (c == '{' || c == '[') {
			if (++depth == 3 && c == '{') {
				(*span)++;
				key[0] = '\0';
			}
		} else if (c == '}' || c == ']')
			depth--;
	}
}

static struct wt_err *
malformed(const char *body, size_t len, const json_error_t *err)
{
	char key[32];
	long span;

	locate(body, err->position >= 0 && (size_t)err->position <= len ?
	    (size_t)err->position : len, &span, key, sizeof(key));
	if (span >= 0 && key[0] != '\0' && utf8_valid_str(key))
		return span_fail((size_t)span, key, strstr(err->text, "decode") != NULL ?
		    "is not valid UTF-8" : "is not valid JSON");
	return wt_fail(400, NULL, "malformed JSON at line %d, column %d: %s",
	    err->line, err->column, err->text);
}

static struct wt_err *
parse_doc(json_t *doc, const struct batch_rules *rules, struct batch *b)
{
	json_t *j, *spans;
	struct wt_err *e;

	if (!json_is_object(doc))
		return wt_fail(400, NULL, "the JSON body must be an object");
	j = json_object_get(doc, "batch");
	if (j == NULL)
		return wt_fail(400, "batch", "batch is required: the device's sequence number "
		    "of this upload");
	if (!json_is_integer(j) || json_integer_value(j) < 0)
		return wt_fail(400, "batch", "batch must be a non-negative integer");
	b->seq = json_integer_value(j);
	spans = json_object_get(doc, "spans");
	if (spans == NULL)
		return wt_fail(400, "spans", "spans is required");
	if (!json_is_array(spans))
		return wt_fail(400, "spans", "spans must be a JSON array");
	if (json_array_size(spans) > WT_BATCH_MAX_SPANS)
		return wt_fail(400, "spans", "a batch holds at most %d spans; this one has %zu",
		    WT_BATCH_MAX_SPANS, json_array_size(spans));
	b->n = json_array_size(spans);
	b->spans = xcalloc(b->n ? b->n : 1, sizeof(*b->spans));
	for (size_t i = 0; i < b->n; i++)
		if ((e = parse_span(json_array_get(spans, i), i, rules, &b->spans[i])) != NULL)
			return e;
	return NULL;
}

/* Copies the spans' strings out of the document into one block b owns,
 * so the document can go. */
static void
own_strings(struct batch *b)
{
	size_t total = 0;
	char *p;

	for (size_t i = 0; i < b->n; i++)
		total += strlen(b->spans[i].app) + b->spans[i].title_len + b->spans[i].url_len + 3;
	p = b->strings = xmalloc(total ? total : 1);
	for (size_t i = 0; i < b->n; i++) {
		struct span *s = &b->spans[i];
		size_t alen = strlen(s->app);

		memcpy(p, s->app, alen + 1);
		s->app = p;
		p += alen + 1;
		memcpy(p, s->title, s->title_len);
		p[s->title_len] = '\0';
		s->title = p;
		p += s->title_len + 1;
		memcpy(p, s->url, s->url_len);
		p[s->url_len] = '\0';
		s->url = p;
		p += s->url_len + 1;
	}
}

struct wt_err *
batch_parse(const char *body, size_t len, const struct batch_rules *rules, struct batch *b)
{
	json_error_t jerr;
	json_t *doc;
	struct wt_err *e;

	memset(b, 0, sizeof(*b));
	if (len == 0)
		return wt_fail(400, NULL, "malformed JSON: the body is empty");
	/* Nothing inside logs or keeps a json_t: see jsonarena.h. */
	json_arena_begin();
	if ((doc = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr)) == NULL)
		e = malformed(body, len, &jerr);
	else if ((e = parse_doc(doc, rules, b)) == NULL)
		own_strings(b);
	json_decref(doc);
	json_arena_end();
	return e;
}

void
batch_free(struct batch *b)
{
	free(b->spans);
	free(b->strings);
	memset(b, 0, sizeof(*b));
}

char *
batch_spans_json(const struct batch *b)
{
	json_t *arr = json_array();
	char *out;

	for (size_t i = 0; i < b->n; i++) {
		const struct span *s = &b->spans[i];

		json_array_append_new(arr, json_pack("[I I s s# s# b]",
		    (json_int_t)s->start_us, (json_int_t)s->duration_ms, s->app,
		    s->title, (int)s->title_len, s->url, (int)s->url_len, s->afk));
	}
	out = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	return out;
}
