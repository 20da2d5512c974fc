/* url_decode, urlencoded_parse, cookies_parse and utf8_valid. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "decode.h"
#include "kv.h"
#include "tap.h"

/* Decodes a NUL-terminated literal; returns the code, *out owned by caller. */
static enum wt_decode
dec(const char *in, int plus, char **out, size_t *outlen)
{
	*out = NULL;
	*outlen = 0;
	return url_decode(in, strlen(in), plus, out, outlen);
}

/* url_decode must refuse input and leave *out untouched (NULL). */
static void
dec_fails(const char *in, enum wt_decode want, const char *name)
{
	char *out = NULL;
	size_t len = 0;

	is_int(dec(in, 1, &out, &len), want, name);
	ok(out == NULL, "%s: no output on failure", name);
	free(out);
}

static void
dec_is(const char *in, int plus, const char *want, const char *name)
{
	char *out = NULL;
	size_t len = 0;
	enum wt_decode rc = dec(in, plus, &out, &len);

	is_int(rc, WT_DEC_OK, name);
	is_str(out, want, name);
	is_int(len, strlen(want), "  and its length");
	free(out);
}

static void
test_url_decode(void)
{
	char *out = NULL;
	size_t len = 99;

	is_int(url_decode("", 0, 1, &out, &len), WT_DEC_OK, "empty input decodes");
	is_str(out, "", "empty input gives an empty string");
	is_int(len, 0, "empty input has length 0");
	free(out);

	dec_is("abc", 1, "abc", "plain text unchanged");
	dec_is("a%20b+c", 1, "a b c", "%20 and + become spaces in forms");
	dec_is("a%20b+c", 0, "a b+c", "+ stays + when plus_is_space is off");
	dec_is("%2B%2b", 1, "++", "%2B (either case) is a literal +");
	dec_is("%41%4a%4A", 1, "AJJ", "hex digits in both cases");
	dec_is("%25", 1, "%", "%25 is a percent sign");
	dec_is("%C3%A9", 1, "\xC3\xA9", "two-byte UTF-8 (e acute)");
	dec_is("%E2%82%AC", 1, "\xE2\x82\xAC", "three-byte UTF-8 (euro sign)");
	dec_is("%F0%9F%98%80", 1, "\xF0\x9F\x98\x80", "four-byte UTF-8 (emoji)");
	dec_is("\xC3\xA9t\xC3\xA9", 1, "\xC3\xA9t\xC3\xA9", "raw UTF-8 passes through");
	dec_is("%F4%8F%BF%BF", 1, "\xF4\x8F\xBF\xBF", "U+10FFFF is the last valid one");

	/* The length argument is honoured, not the NUL terminator. */
	out = NULL;
	is_int(url_decode("abc%41", 3, 1, &out, &len), WT_DEC_OK, "decodes a prefix");
	is_str(out, "abc", "only len bytes are read");
	free(out);
	out = NULL;
	is_int(url_decode("ab%4", 4, 1, &out, &len), WT_DEC_BAD_ESCAPE,
	    "an escape cut by len is bad, not read beyond len");
	free(out);

	dec_fails("%zz", WT_DEC_BAD_ESCAPE, "%zz is a bad escape");
	dec_fails("%", WT_DEC_BAD_ESCAPE, "lone % at the end is a bad escape");
	dec_fails("abc%", WT_DEC_BAD_ESCAPE, "% at the end is a bad escape");
	dec_fails("%4", WT_DEC_BAD_ESCAPE, "%4 at the end is a bad escape");
	dec_fails("%4g", WT_DEC_BAD_ESCAPE, "%4g is a bad escape");
	dec_fails("%g4", WT_DEC_BAD_ESCAPE, "%g4 is a bad escape");
	dec_fails("% 41", WT_DEC_BAD_ESCAPE, "%<space> is a bad escape");
	dec_fails("%00", WT_DEC_NUL, "%00 is refused");
	dec_fails("a%00b", WT_DEC_NUL, "%00 in the middle is refused");
	dec_fails("%C3%28", WT_DEC_BAD_UTF8, "C3 28 is not UTF-8");
	dec_fails("%C0%AF", WT_DEC_BAD_UTF8, "overlong C0 AF is refused");
	dec_fails("%E0%80%AF", WT_DEC_BAD_UTF8, "overlong E0 80 AF is refused");
	dec_fails("%F0%80%80%AF", WT_DEC_BAD_UTF8, "overlong F0 80 80 AF is refused");
	dec_fails("%ED%A0%80", WT_DEC_BAD_UTF8, "surrogate ED A0 80 is refused");
	dec_fails("%ED%BF%BF", WT_DEC_BAD_UTF8, "surrogate ED BF BF is refused");
	dec_fails("%F4%90%80%80", WT_DEC_BAD_UTF8, "above U+10FFFF is refused");
	dec_fails("%F5%80%80%80", WT_DEC_BAD_UTF8, "lead byte F5 is refused");
	dec_fails("%FF", WT_DEC_BAD_UTF8, "FF is refused");
	dec_fails("%80", WT_DEC_BAD_UTF8, "a lone continuation byte is refused");
	dec_fails("%E2%82", WT_DEC_BAD_UTF8, "a truncated sequence is refused");
	dec_fails("\xC3", WT_DEC_BAD_UTF8, "a raw truncated sequence is refused");

	/* A literal NUL byte in the input. */
	out = NULL;
	is_int(url_decode("a\0b", 3, 1, &out, &len), WT_DEC_NUL, "a raw NUL is refused");
	ok(out == NULL, "no output for a raw NUL");
	free(out);
}

static void
test_utf8_valid(void)
{
	ok(utf8_valid("", 0), "empty is valid UTF-8");
	ok(utf8_valid("hello", 5), "ASCII is valid");
	ok(utf8_valid("\xC2\x80", 2), "U+0080 is valid");
	ok(utf8_valid("\xDF\xBF", 2), "U+07FF is valid");
	ok(utf8_valid("\xE0\xA0\x80", 3), "U+0800 is valid");
	ok(utf8_valid("\xED\x9F\xBF", 3), "U+D7FF is valid");
	ok(utf8_valid("\xEE\x80\x80", 3), "U+E000 is valid");
	ok(utf8_valid("\xEF\xBF\xBF", 3), "U+FFFF is valid");
	ok(utf8_valid("\xF0\x90\x80\x80", 4), "U+10000 is valid");
	ok(!utf8_valid("\xC1\xBF", 2), "overlong C1 BF invalid");
	ok(!utf8_valid("\xE0\x9F\xBF", 3), "overlong E0 9F BF invalid");
	ok(!utf8_valid("\xF0\x8F\xBF\xBF", 4), "overlong F0 8F invalid");
	ok(!utf8_valid("\xED\xA0\x80", 3), "surrogate invalid");
	ok(!utf8_valid("\xF4\x90\x80\x80", 4), "U+110000 invalid");
	ok(!utf8_valid("\xE2\x28\xA1", 3), "bad second byte invalid");
	ok(!utf8_valid("\xE2\x82\x28", 3), "bad third byte invalid");
	ok(!utf8_valid("\xC3\xA9", 1), "length cuts a sequence: invalid");
	ok(!utf8_valid("\xF0\x9F\x98", 3), "truncated four-byte invalid");
	ok(utf8_valid("a\0b", 3), "NUL is valid UTF-8 (decoders refuse it separately)");
}

/* Runs urlencoded_parse on a literal into a fresh list. */
static enum wt_decode
parse(const char *s, struct wt_kvlist *l, char **bad)
{
	kv_init(l);
	return urlencoded_parse(s, strlen(s), l, bad);
}

static void
test_parse_ok(void)
{
	static char sentinel[] = "sentinel";
	struct wt_kvlist l;
	char *bad = sentinel;	/* urlencoded_parse must reset it */

	is_int(parse("", &l, &bad), WT_DEC_OK, "empty query parses");
	is_int(l.n, 0, "empty query has no pairs");
	ok(bad == NULL, "bad_key is NULL on success");
	kv_free(&l);

	is_int(parse("=v", &l, &bad), WT_DEC_OK, "=v parses");
	is_int(l.n, 0, "=v (empty key) is dropped");
	kv_free(&l);

	is_int(parse("&&", &l, &bad), WT_DEC_OK, "&& parses");
	is_int(l.n, 0, "&& has no pairs");
	kv_free(&l);

	is_int(parse("a=1&=2", &l, &bad), WT_DEC_OK, "a=1&=2 parses");
	is_int(l.n, 1, "a=1&=2 keeps one pair");
	is_str(kv_get(&l, "a"), "1", "a is 1");
	ok(kv_find(&l, "") == NULL, "no pair with an empty key");
	kv_free(&l);

	is_int(parse("flag", &l, &bad), WT_DEC_OK, "key without = parses");
	is_int(l.n, 1, "one pair");
	is_str(kv_get(&l, "flag"), "", "key without = gets the empty value");
	is_int(l.items[0].vlen, 0, "  of length 0");
	kv_free(&l);

	is_int(parse("a=&b", &l, &bad), WT_DEC_OK, "a=&b parses");
	is_str(kv_get(&l, "a"), "", "a= is empty");
	is_str(kv_get(&l, "b"), "", "b is empty");
	kv_free(&l);

	is_int(parse("q=hello+world&r=a%2Bb", &l, &bad), WT_DEC_OK, "+ in a form");
	is_str(kv_get(&l, "q"), "hello world", "+ is a space");
	is_str(kv_get(&l, "r"), "a+b", "%2B is a plus");
	kv_free(&l);

	is_int(parse("my+key=1&k%C3%A9=2", &l, &bad), WT_DEC_OK, "keys are decoded");
	is_str(kv_get(&l, "my key"), "1", "key with + decoded");
	is_str(kv_get(&l, "k\xC3\xA9"), "2", "key with UTF-8 escape decoded");
	kv_free(&l);

	is_int(parse("x=a=b", &l, &bad), WT_DEC_OK, "value with = parses");
	is_str(kv_get(&l, "x"), "a=b", "only the first = splits");
	kv_free(&l);

	is_int(parse("a=1&a=2&b=3&a=4", &l, &bad), WT_DEC_OK, "repeated keys parse");
	is_int(kv_count(&l, "a"), 3, "repeated key kept three times");
	is_int(l.n, 4, "four pairs in all");
	ok(l.n == 4 && strcmp(l.items[0].val, "1") == 0 &&
	    strcmp(l.items[1].val, "2") == 0 && strcmp(l.items[2].key, "b") == 0 &&
	    strcmp(l.items[3].val, "4") == 0, "order is kept");
	is_str(kv_get(&l, "a"), "1", "kv_get returns the first");
	kv_free(&l);

	is_int(parse("a=1;b=2&c=3", &l, &bad), WT_DEC_OK, "; separates pairs");
	is_int(l.n, 3, "three pairs with ; and &");
	is_str(kv_get(&l, "b"), "2", "b after ; is 2");
	kv_free(&l);

	is_int(parse("a=1&", &l, &bad), WT_DEC_OK, "trailing & parses");
	is_int(l.n, 1, "trailing & adds nothing");
	kv_free(&l);

	/* Appends to what the list already has. */
	kv_init(&l);
	kv_add(&l, "pre", "x");
	is_int(urlencoded_parse("a=1", 3, &l, &bad), WT_DEC_OK, "appends to a list");
	is_int(l.n, 2, "old and new pairs");
	is_str(l.items[0].key, "pre", "old pair first");
	kv_free(&l);

	/* Only len bytes are read. */
	kv_init(&l);
	is_int(urlencoded_parse("a=123&b=4", 4, &l, &bad), WT_DEC_OK, "parses a prefix");
	is_str(kv_get(&l, "a"), "12", "value cut at len");
	ok(kv_find(&l, "b") == NULL, "nothing after len");
	kv_free(&l);
}

/* A failing parse leaves a list holding one pre-existing pair as it was. */
static void
parse_fails(const char *s, enum wt_decode want, const char *want_bad, const char *name)
{
	struct wt_kvlist l;
	char *bad = NULL;

	kv_init(&l);
	kv_add(&l, "pre", "kept");
	is_int(urlencoded_parse(s, strlen(s), &l, &bad), want, name);
	is_int(l.n, 1, "  the list is unchanged (nothing added)");
	ok(l.n >= 1 && strcmp(l.items[0].key, "pre") == 0 &&
	    strcmp(l.items[0].val, "kept") == 0, "  the earlier pair is kept");
	is_str(bad, want_bad, "  bad_key");
	free(bad);
	kv_free(&l);
}

static void
test_parse_errors(void)
{
	parse_fails("a=%zz", WT_DEC_BAD_ESCAPE, "a", "a=%zz");
	parse_fails("a=1&b=2&c=%", WT_DEC_BAD_ESCAPE, "c", "% at the end, after good pairs");
	parse_fails("a=1&b=%4", WT_DEC_BAD_ESCAPE, "b", "%4 at the end");
	parse_fails("a=1&%zz=1", WT_DEC_BAD_ESCAPE, NULL, "bad escape in a key");
	parse_fails("a=1&b=x%00", WT_DEC_NUL, "b", "%00 in a value");
	parse_fails("k%00=1", WT_DEC_NUL, NULL, "%00 in a key");
	parse_fails("a=%C3%28", WT_DEC_BAD_UTF8, "a", "invalid UTF-8 in a value");
	parse_fails("a=%C0%AF", WT_DEC_BAD_UTF8, "a", "overlong in a value");
	parse_fails("a=%ED%A0%80", WT_DEC_BAD_UTF8, "a", "surrogate in a value");
	parse_fails("a=1&flag&b=%FF", WT_DEC_BAD_UTF8, "b", "error after a bare key");

	/* A raw NUL inside the input. */
	{
		struct wt_kvlist l;
		char *bad = NULL;

		kv_init(&l);
		is_int(urlencoded_parse("a=1&b=x\0y", 9, &l, &bad), WT_DEC_NUL,
		    "raw NUL in a value is refused");
		is_int(l.n, 0, "  nothing added");
		free(bad);
		kv_free(&l);
	}
}

static void
test_long_and_many(void)
{
	enum { N = 100000 };
	struct wt_buf b;
	struct wt_kvlist l;
	char *bad = NULL;
	const struct wt_kv *kv;
	int all;

	/* A 100000-character value round-trips. */
	buf_init(&b);
	buf_puts(&b, "big=");
	for (int i = 0; i < N; i++)
		buf_append(&b, &"abcdefghij"[i % 10], 1);
	kv_init(&l);
	is_int(urlencoded_parse(b.data, b.len, &l, &bad), WT_DEC_OK, "100000-char value parses");
	kv = kv_find(&l, "big");
	ok(kv != NULL, "the long pair is there");
	is_int(kv ? kv->vlen : 0, N, "vlen is 100000");
	ok(kv != NULL && strlen(kv->val) == N && memcmp(kv->val, b.data + 4, N) == 0,
	    "the long value round-trips byte for byte");
	kv_free(&l);

	/* The same, percent-encoded: 300000 bytes in, 100000 out. */
	buf_reset(&b);
	buf_puts(&b, "enc=");
	for (int i = 0; i < N; i++)
		buf_puts(&b, "%41");
	kv_init(&l);
	is_int(urlencoded_parse(b.data, b.len, &l, &bad), WT_DEC_OK,
	    "100000 escapes parse");
	kv = kv_find(&l, "enc");
	is_int(kv ? kv->vlen : 0, N, "decoded length 100000");
	all = kv != NULL;
	for (size_t i = 0; all && i < N; i++)
		all = kv->val[i] == 'A';
	ok(all && kv->val[N] == '\0', "every escape decoded to A");
	kv_free(&l);

	/* Exactly WT_MAX_PAIRS pairs are fine. */
	buf_reset(&b);
	for (int i = 0; i < WT_MAX_PAIRS; i++)
		buf_printf(&b, "%sk%d=%d", i ? "&" : "", i, i);
	kv_init(&l);
	is_int(urlencoded_parse(b.data, b.len, &l, &bad), WT_DEC_OK,
	    "WT_MAX_PAIRS pairs are accepted");
	is_int(l.n, WT_MAX_PAIRS, "all of them kept");
	kv_free(&l);

	/* One more is too many; the list keeps only what it had. */
	buf_puts(&b, "&one=more");
	kv_init(&l);
	kv_add(&l, "pre", "kept");
	is_int(urlencoded_parse(b.data, b.len, &l, &bad), WT_DEC_TOO_MANY,
	    "WT_MAX_PAIRS + 1 pairs are too many");
	is_int(l.n, 1, "  the list is unchanged");
	ok(bad == NULL, "  no bad key for too many pairs");
	free(bad);
	kv_free(&l);

	/* Empty pieces are not pairs and do not count. */
	buf_reset(&b);
	for (int i = 0; i < 3 * WT_MAX_PAIRS; i++)
		buf_puts(&b, "&");
	buf_puts(&b, "a=1");
	kv_init(&l);
	is_int(urlencoded_parse(b.data, b.len, &l, &bad), WT_DEC_OK,
	    "empty pieces do not count as pairs");
	is_int(l.n, 1, "  one pair");
	kv_free(&l);
	buf_free(&b);

	is_str(decode_strerror(WT_DEC_TOO_MANY), "too many parameters",
	    "decode_strerror(TOO_MANY)");
	is_str(decode_strerror(WT_DEC_BAD_ESCAPE), "malformed percent-encoding",
	    "decode_strerror(BAD_ESCAPE)");
	is_str(decode_strerror(WT_DEC_OK), "ok", "decode_strerror(OK)");
}

static void
cookies(const char *h, struct wt_kvlist *l)
{
	kv_init(l);
	cookies_parse(h, l);
}

static void
test_cookies(void)
{
	struct wt_kvlist l;

	cookies("a=1; b=2", &l);
	is_int(l.n, 2, "a=1; b=2: two cookies");
	is_str(kv_get(&l, "a"), "1", "a=1");
	is_str(kv_get(&l, "b"), "2", "b=2");
	ok(l.n == 2 && strcmp(l.items[0].key, "a") == 0, "order kept");
	kv_free(&l);

	cookies("", &l);
	is_int(l.n, 0, "empty header: no cookies");
	kv_free(&l);

	cookies(NULL, &l);
	is_int(l.n, 0, "NULL header: no cookies");
	kv_free(&l);

	cookies("  a = 1 ;\tb=2 ;c=3;", &l);
	is_int(l.n, 3, "spaces and tabs around names and values");
	is_str(kv_get(&l, "a"), "1", "a trimmed");
	is_str(kv_get(&l, "b"), "2", "b trimmed");
	is_str(kv_get(&l, "c"), "3", "c before a trailing ;");
	is_int(l.n == 3 ? l.items[0].vlen : 0, 1, "vlen of a trimmed value");
	kv_free(&l);

	cookies("sid=\"abc123\"", &l);
	is_str(kv_get(&l, "sid"), "abc123", "quoted value unquoted");
	is_int(l.n == 1 ? l.items[0].vlen : 0, 6, "vlen of an unquoted value");
	kv_free(&l);

	cookies("e=\"\"; f=", &l);
	is_str(kv_get(&l, "e"), "", "empty quoted value");
	is_str(kv_get(&l, "f"), "", "empty value");
	kv_free(&l);

	cookies("junk; a=1; =x; ;; b=2", &l);
	is_int(l.n, 2, "pieces without = or without a name are skipped");
	is_str(kv_get(&l, "a"), "1", "a kept");
	is_str(kv_get(&l, "b"), "2", "b kept");
	kv_free(&l);

	cookies("a=x y; b=ok", &l);
	ok(kv_find(&l, "a") == NULL, "value with an inner space skipped");
	is_str(kv_get(&l, "b"), "ok", "the next cookie is kept");
	kv_free(&l);

	cookies("a=x\ty; b=x\x01y; c=x\x7fy; d=ok", &l);
	is_int(l.n, 1, "values with control characters skipped");
	is_str(kv_get(&l, "d"), "ok", "only d kept");
	kv_free(&l);

	cookies("a=1,2; b=x\\y; c=\"x; d=x\"y\"; e=ok", &l);
	ok(kv_find(&l, "a") == NULL, "value with a comma skipped");
	ok(kv_find(&l, "b") == NULL, "value with a backslash skipped");
	ok(kv_find(&l, "c") == NULL, "unbalanced quote skipped");
	ok(kv_find(&l, "d") == NULL, "inner quote skipped");
	is_str(kv_get(&l, "e"), "ok", "e kept");
	kv_free(&l);

	cookies("a=1; a=2", &l);
	is_int(kv_count(&l, "a"), 2, "repeated cookie names both kept");
	is_str(kv_get(&l, "a"), "1", "first one first");
	kv_free(&l);

	cookies("t=a=b", &l);
	is_str(kv_get(&l, "t"), "a=b", "= inside a cookie value kept");
	kv_free(&l);

	/* decode.h promises decoded values are valid UTF-8; a cookie value
	 * is not even allowed non-ASCII bytes by RFC 6265 (cookie-octet). */
	cookies("a=\xff\xfe; b=ok", &l);
	ok(kv_find(&l, "a") == NULL, "value with invalid UTF-8 skipped");
	is_str(kv_get(&l, "b"), "ok", "the next cookie is kept");
	kv_free(&l);
}

int
main(void)
{
	test_url_decode();
	test_utf8_valid();
	test_parse_ok();
	test_parse_errors();
	test_long_and_many();
	test_cookies();
	return done_testing();
}
