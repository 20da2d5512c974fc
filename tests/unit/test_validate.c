/* validate_value for every type, valid_email, valid_date, and
 * validate_fields end to end on hand-built requests. */
#include "config.h"

#include <sys/wait.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "buf.h"
#include "http.h"
#include "tap.h"

/* --- validate_value ---------------------------------------------------- */

static int
vv(const struct wt_field *f, const char *s, size_t len, char **why)
{
	struct wt_buf b;
	int rc;

	buf_init(&b);
	rc = validate_value(f, s, len, &b);
	*why = buf_take(&b);
	return rc;
}

static void
accepts_n(const struct wt_field *f, const char *s, size_t len, const char *name)
{
	char *why;
	int rc = vv(f, s, len, &why);

	if (!ok(rc == 0 && *why == '\0', "accepts %s", name))
		diag("    rc %d, why '%s'", rc, why);
	free(why);
}

static void
rejects_n(const struct wt_field *f, const char *s, size_t len, const char *name)
{
	char *why;
	int rc = vv(f, s, len, &why);

	ok(rc == -1 && *why != '\0', "rejects %s (with a reason)", name);
	free(why);
}

static void
accepts(const struct wt_field *f, const char *s, const char *name)
{
	accepts_n(f, s, strlen(s), name);
}

static void
rejects(const struct wt_field *f, const char *s, const char *name)
{
	rejects_n(f, s, strlen(s), name);
}

static void
why_is(const struct wt_field *f, const char *s, const char *want, const char *name)
{
	char *why;

	is_int(vv(f, s, strlen(s), &why), -1, name);
	is_str(why, want, "  with the reason");
	free(why);
}

static void
test_string(void)
{
	const struct wt_field f = { .name = "s", .type = WT_T_STRING, .min = 2, .max = 3 };
	const struct wt_field any = { .name = "s", .type = WT_T_STRING };
	const struct wt_field upto = { .name = "s", .type = WT_T_STRING, .max = 3 };
	const struct wt_field pw = { .name = "p", .type = WT_T_PASSWORD, .min = 1, .max = 10 };
	struct wt_buf b;

	accepts(&f, "ab", "2 ASCII chars in [2,3]");
	accepts(&f, "abc", "3 ASCII chars in [2,3]");
	rejects(&f, "a", "1 char below min 2");
	rejects(&f, "abcd", "4 chars above max 3");
	accepts(&f, "\xC3\xA9\xC3\xA9\xC3\xA9", "3 two-byte chars (6 bytes) in [2,3]");
	accepts(&f, "\xF0\x9F\x98\x80\xF0\x9F\x98\x80", "2 four-byte chars (8 bytes)");
	rejects(&f, "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", "4 two-byte chars above max 3");
	rejects(&f, "\xC3\xA9", "1 two-byte char (2 bytes) below min 2");
	why_is(&f, "abcd", "must be 2 to 3 characters long", "length message with min");
	why_is(&upto, "abcd", "must be at most 3 characters long", "length message without min");
	accepts(&f, "a\tb", "tab in a STRING");
	accepts(&f, "a\nb", "newline in a STRING");
	accepts(&f, "a\rb", "CR in a STRING");
	rejects(&f, "a\x01", "SOH in a STRING");
	rejects(&f, "a\x1b", "ESC in a STRING");
	rejects(&f, "a\x7f", "DEL in a STRING");
	why_is(&f, "a\x1f", "must not contain control characters", "control char message");
	rejects(&f, "a\xff", "invalid UTF-8");
	why_is(&f, "\xC0\xAF", "must be valid UTF-8", "overlong UTF-8 message");
	rejects_n(&f, "a\0b", 3, "an embedded NUL");

	/* No max: the default of 4096 characters. */
	buf_init(&b);
	for (int i = 0; i < 4096; i++)
		buf_puts(&b, "\xC3\xA9");
	accepts_n(&any, b.data, b.len, "4096 chars (8192 bytes) with the default max");
	buf_puts(&b, "x");
	rejects_n(&any, b.data, b.len, "4097 chars with the default max");
	buf_free(&b);
	accepts(&any, "", "empty string with min 0");

	accepts(&pw, "s3cret pw!", "a password with a space");
	accepts(&pw, "p\xC3\xA4ss", "a password with UTF-8");
	rejects(&pw, "a\tb", "tab in a PASSWORD");
	rejects(&pw, "a\nb", "newline in a PASSWORD");
	rejects(&pw, "a\rb", "CR in a PASSWORD");
	rejects(&pw, "a\x7f", "DEL in a PASSWORD");
	rejects(&pw, "", "empty password below min 1");
	rejects(&pw, "12345678901", "11 chars above max 10");
}

static void
test_int(void)
{
	const struct wt_field f = { .name = "n", .type = WT_T_INT };
	const struct wt_field r = { .name = "n", .type = WT_T_INT, .min = 1, .max = 100 };
	const struct wt_field neg = { .name = "n", .type = WT_T_INT, .min = -10, .max = -1 };

	accepts(&f, "12", "12");
	accepts(&f, "0", "0");
	accepts(&f, "-5", "-5");
	accepts(&f, "9223372036854775807", "LLONG_MAX");
	accepts(&f, "-9223372036854775808", "LLONG_MIN");
	rejects(&f, "", "empty");
	rejects(&f, " 12", "leading space");
	rejects(&f, "12 ", "trailing space");
	rejects(&f, "+12", "a plus sign");
	rejects(&f, "1e3", "exponent");
	rejects(&f, "12a", "trailing letters");
	rejects(&f, "0x10", "hex");
	rejects(&f, "1.5", "a fraction");
	rejects(&f, "-", "a lone minus");
	rejects(&f, "--1", "two minus signs");
	rejects(&f, "9223372036854775808", "LLONG_MAX + 1");
	rejects(&f, "99999999999999999999", "20 digits (overflow)");
	rejects(&f, "-99999999999999999999", "negative overflow");
	why_is(&f, "x", "must be an integer", "message without a range");

	accepts(&r, "1", "range min");
	accepts(&r, "100", "range max");
	rejects(&r, "0", "below range");
	rejects(&r, "101", "above range");
	rejects(&r, "-1", "negative below range");
	why_is(&r, "500", "must be an integer from 1 to 100", "range message");
	accepts(&neg, "-10", "negative range min");
	accepts(&neg, "-1", "negative range max");
	rejects(&neg, "0", "above a negative range");
}

static void
test_decimal(void)
{
	const struct wt_field f = { .name = "pace", .type = WT_T_DECIMAL, .min = 10,
	    .max = 144000 };

	accepts(&f, "5.5", "one decimal place");
	accepts(&f, "5.25", "two decimal places");
	accepts(&f, "30", "a whole number");
	accepts(&f, "0.1", "the minimum");
	accepts(&f, "1440.00", "the maximum, with places");
	rejects(&f, "0.09", "below the minimum");
	rejects(&f, "1440.01", "above the maximum");
	rejects(&f, "5.555", "three places (never rounded)");
	rejects(&f, "5,5", "a decimal comma");
	rejects(&f, "5.", "a point without places");
	rejects(&f, ".5", "places without a whole part");
	rejects(&f, "1e1", "an exponent");
	rejects(&f, "-5", "negative");
	rejects(&f, "99999999999999999999", "20 digits (no overflow)");
	why_is(&f, "0", "must be a number from 0.10 to 1440.00 with at most 2 decimal places",
	    "range message");
}

static void
test_bool(void)
{
	const struct wt_field f = { .name = "b", .type = WT_T_BOOL };
	const char *const good[] = { "true", "false", "on", "off", "1", "0", "yes", "no" };
	const char *const bad[] = { "", "TRUE", "True", "2", "y", "n", "t", " true",
	    "true ", "nope", "-1", "01" };

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		accepts(&f, good[i], good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		rejects(&f, bad[i], bad[i]);
	why_is(&f, "maybe", "must be true or false", "bool message");
}

static void
test_email(void)
{
	const struct wt_field f = { .name = "e", .type = WT_T_EMAIL };
	const char *const good[] = {
		"a.b+c@example.co.uk", "user@example.com", "x@y.z", "a_b-c@sub-1.example.org",
		"o'brien@example.ie", "1@2.3", "A@EXAMPLE.COM",
	};
	const char *const bad[] = {
		"", "a", "@b.com", "a@", "a@b", "a@@b.com", "a@b@c.com", ".a@b.com",
		"a.@b.com", "a..b@c.com", "a@-b.com", "a@b-.com", "a@.b.com", "a@b.com.",
		"a@b..com", "a b@c.com", "a@b c.com", "a@b_c.com", "a(b)@c.com", "a@b.com\n",
		"<a>@b.com", "a@\xC3\xA9.com", "\"a\"@b.com",
	};
	struct wt_buf b;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ok(valid_email(good[i]), "valid_email(%s)", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(!valid_email(bad[i]), "!valid_email('%s')", bad[i]);

	buf_init(&b);
	/* 64-char local part is the limit. */
	for (int i = 0; i < 64; i++)
		buf_puts(&b, "a");
	buf_puts(&b, "@example.com");
	ok(valid_email(b.data), "64-char local part is valid");
	buf_reset(&b);
	for (int i = 0; i < 65; i++)
		buf_puts(&b, "a");
	buf_puts(&b, "@example.com");
	ok(!valid_email(b.data), "65-char local part is invalid");

	/* 63-char label is the limit. */
	buf_reset(&b);
	buf_puts(&b, "a@");
	for (int i = 0; i < 63; i++)
		buf_puts(&b, "b");
	buf_puts(&b, ".com");
	ok(valid_email(b.data), "63-char domain label is valid");
	buf_reset(&b);
	buf_puts(&b, "a@");
	for (int i = 0; i < 64; i++)
		buf_puts(&b, "b");
	buf_puts(&b, ".com");
	ok(!valid_email(b.data), "64-char domain label is invalid");

	/* 254 characters in all is the limit: 64 + 1 + 189 (63.63.61). */
	buf_reset(&b);
	for (int i = 0; i < 64; i++)
		buf_puts(&b, "l");
	buf_puts(&b, "@");
	for (int i = 0; i < 63; i++)
		buf_puts(&b, "x");
	buf_puts(&b, ".");
	for (int i = 0; i < 63; i++)
		buf_puts(&b, "y");
	buf_puts(&b, ".");
	for (int i = 0; i < 61; i++)
		buf_puts(&b, "z");
	is_int(b.len, 254, "(the long address is 254 chars)");
	ok(valid_email(b.data), "254-char address is valid");
	buf_puts(&b, "z");
	ok(!valid_email(b.data), "255-char address is invalid");
	for (int i = 0; i < 300; i++)
		buf_puts(&b, "z");
	ok(!valid_email(b.data), "555-char address is invalid");
	rejects(&f, b.data, "a 555-char address as a field");
	buf_free(&b);

	accepts(&f, "a.b+c@example.co.uk", "a good address as a field");
	why_is(&f, "a@b", "must be an e-mail address like name@example.com",
	    "e-mail message");
}

static void
test_date(void)
{
	const struct wt_field f = { .name = "d", .type = WT_T_DATE };
	const char *const good[] = {
		"2024-02-29", "2000-02-29", "1970-01-01", "2023-12-31", "2024-04-30",
		"9000-12-31", "2023-02-28",
	};
	const char *const bad[] = {
		"2023-02-29", "2100-02-29", "2024-02-30", "2024-13-01", "2024-00-10",
		"2024-01-00", "2024-04-31", "2024-01-32", "2024-1-01", "2024-01-1",
		"1969-12-31", "0000-01-01", "", "2024/01/01", "2024-01-01T00:00",
		" 2024-01-01", "2024-01-01 ", "+024-01-01", "2024-0a-01", "20240101",
		"-024-01-01", "9001-01-01", "9999-12-31",
	};

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ok(valid_date(good[i]), "valid_date(%s)", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(!valid_date(bad[i]), "!valid_date('%s')", bad[i]);
	accepts(&f, "2024-02-29", "a leap day as a field");
	why_is(&f, "2023-02-29", "must be a date as YYYY-MM-DD, from 1970 to 9000",
	    "date message");
}

static const char *const kinds[] = { "day", "week", "month", NULL };

static const char *
not_admin(const char *s)
{
	return strcmp(s, "admin") == 0 ? "is reserved" : NULL;
}

static void
test_enum_json_check(void)
{
	const struct wt_field f = { .name = "k", .type = WT_T_ENUM, .choices = kinds };
	const struct wt_field none = { .name = "k", .type = WT_T_ENUM };
	const struct wt_field j = { .name = "j", .type = WT_T_JSON };
	const struct wt_field c = { .name = "u", .type = WT_T_STRING, .check = not_admin };

	accepts(&f, "day", "enum day");
	accepts(&f, "month", "enum month");
	rejects(&f, "Day", "enum is case-sensitive");
	rejects(&f, "", "empty enum");
	rejects(&f, "days", "enum prefix match is not enough");
	rejects(&f, "da", "enum shorter");
	why_is(&f, "year", "must be one of: day, week, month", "enum message");
	rejects(&none, "day", "enum without choices");
	why_is(&j, "{}", "must be sent in a JSON body", "JSON type from a string");
	accepts(&c, "alice", "check() passes");
	why_is(&c, "admin", "is reserved", "check() reason is used");
	rejects(&c, "a\x01", "type rule runs before check()");
}

/* --- validate_fields ---------------------------------------------------- */

static const struct wt_field person_fields[] = {
	{ .name = "id", .src = WT_SRC_PATH, .type = WT_T_INT, .flags = WT_REQUIRED,
	  .min = 1, .max = 1000000 },
	{ .name = "q", .src = WT_SRC_QUERY, .type = WT_T_STRING, .max = 50 },
	{ .name = "page", .src = WT_SRC_QUERY, .type = WT_T_INT, .min = 1, .max = 100 },
	{ .name = "name", .src = WT_SRC_BODY, .type = WT_T_STRING, .flags = WT_REQUIRED,
	  .min = 1, .max = 40 },
	{ .name = "age", .src = WT_SRC_BODY, .type = WT_T_INT, .min = 0, .max = 150 },
	{ .name = "active", .src = WT_SRC_BODY, .type = WT_T_BOOL },
	{ .name = "email", .src = WT_SRC_BODY, .type = WT_T_EMAIL },
	{ .name = "kind", .src = WT_SRC_BODY, .type = WT_T_ENUM, .choices = kinds },
	{ .name = "day", .src = WT_SRC_BODY, .type = WT_T_DATE },
	{ .name = "user", .src = WT_SRC_BODY, .type = WT_T_STRING, .check = not_admin },
	{ .name = "extra", .src = WT_SRC_BODY, .type = WT_T_JSON },
	{ .name = NULL }
};

static struct wt_err *
h_noop(struct wt_req *r)
{
	(void)r;
	return NULL;
}

static const struct wt_route person_route = {
	.method = "POST", .pattern = "/api/people/:id", .handler = h_noop,
	.fields = person_fields
};
static const struct wt_route bare_route = {
	.method = "POST", .pattern = "/api/bare", .handler = h_noop
};
static const struct wt_route raw_route = {
	.method = "POST", .pattern = "/api/raw", .handler = h_noop,
	.flags = WT_ROUTE_RAW_BODY
};

struct env {
	char	 ct[128], qs[512], uri[128], rid[64];
	char	*envp[8];
};

/* Builds a request: ct/qs may be NULL (not set), body may be NULL. */
static void
setup(struct wt_req *r, struct env *e, const struct wt_route *rt, const char *ct,
    const char *qs, const char *body, const char *id)
{
	int n = 0;

	snprintf(e->uri, sizeof(e->uri), "DOCUMENT_URI=%s",
	    rt == &person_route ? "/api/people/5" : rt->pattern);
	e->envp[n++] = (char *)"REQUEST_METHOD=POST";
	e->envp[n++] = e->uri;
	if (ct != NULL) {
		snprintf(e->ct, sizeof(e->ct), "CONTENT_TYPE=%s", ct);
		e->envp[n++] = e->ct;
	}
	if (qs != NULL) {
		snprintf(e->qs, sizeof(e->qs), "QUERY_STRING=%s", qs);
		e->envp[n++] = e->qs;
	}
	snprintf(e->rid, sizeof(e->rid), "REQUEST_ID=%s", "rid-123");
	e->envp[n++] = e->rid;
	e->envp[n] = NULL;

	req_init(r, e->envp);
	r->route = rt;
	if (id != NULL)
		kv_add(&r->path_args, "id", id);
	if (body != NULL) {
		r->body_len = strlen(body);
		r->body = xmalloc(r->body_len + 1);
		memcpy(r->body, body, r->body_len + 1);
	}
}

/* The steps as app_dispatch runs them; an error is answered as it
 * would be there. */
static int
run(struct wt_req *r)
{
	struct wt_err *e;

	if ((e = req_parse_query(r)) == NULL && (e = req_parse_body(r)) == NULL)
		e = validate_fields(r);
	if (e == NULL)
		return 0;
	resp_error(r, e);
	err_free(e);
	return -1;
}

/* Checks a JSON error answer: status, field (NULL: none), message. */
static void
error_is(struct wt_req *r, int status, const char *field, const char *msg,
    const char *name)
{
	json_error_t jerr;
	json_t *j, *f;

	is_int(r->resp.status, status, name);
	ok(r->resp.done, "  the request is answered");
	j = r->resp.body.data ? json_loads(r->resp.body.data, 0, &jerr) : NULL;
	if (!ok(j != NULL && json_is_object(j), "  the body is a JSON object"))
		diag("    body: %s", r->resp.body.data ? r->resp.body.data : "(none)");
	is_int(json_integer_value(json_object_get(j, "status")), status,
	    "  body status");
	is_str(json_string_value(json_object_get(j, "error")), http_reason(status),
	    "  body error reason");
	f = json_object_get(j, "field");
	if (field == NULL)
		ok(f == NULL, "  no field");
	else
		is_str(json_string_value(f), field, "  field");
	if (msg[0] == '^')
		ok(json_string_value(json_object_get(j, "message")) != NULL &&
		    strncmp(json_string_value(json_object_get(j, "message")), msg + 1,
		    strlen(msg + 1)) == 0, "  message starts with '%s'", msg + 1);
	else
		is_str(json_string_value(json_object_get(j, "message")), msg, "  message");
	is_str(json_string_value(json_object_get(j, "request_id")), "rid-123",
	    "  request_id");
	json_decref(j);
}

/* One request whose validation must fail with a JSON error. */
static void
fails(const struct wt_route *rt, const char *ct, const char *qs, const char *body,
    const char *id, int status, const char *field, const char *msg, const char *name)
{
	struct wt_req r;
	struct env e;

	setup(&r, &e, rt, ct, qs, body, id);
	is_int(run(&r), -1, name);
	error_is(&r, status, field, msg, name);
	req_free(&r);
}

#define FORM	"application/x-www-form-urlencoded"
#define JSON	"application/json"

static void
test_fields_ok(void)
{
	struct wt_req r;
	struct env e;

	setup(&r, &e, &person_route, FORM, "q=hello+there&page=2",
	    "name=Bob+Smith&age=42&active=on&email=a%40example.com&kind=week"
	    "&day=2024-02-29&user=bob", "5");
	is_int(run(&r), 0, "a good form request validates");
	ok(!r.resp.done, "  and is not answered");
	is_int(r.resp.status, 200, "  status untouched");
	is_int(wt_int(&r, "id", -1), 5, "  wt_int(id) from the path");
	is_str(wt_str(&r, "q"), "hello there", "  wt_str(q) from the query");
	is_int(wt_int(&r, "page", -1), 2, "  wt_int(page)");
	is_str(wt_str(&r, "name"), "Bob Smith", "  wt_str(name) from the form");
	is_int(wt_int(&r, "age", -1), 42, "  wt_int(age)");
	is_int(wt_bool(&r, "active", 0), 1, "  wt_bool(active) on -> 1");
	is_str(wt_str(&r, "email"), "a@example.com", "  wt_str(email)");
	is_str(wt_str(&r, "kind"), "week", "  wt_str(kind)");
	is_str(wt_str(&r, "day"), "2024-02-29", "  wt_str(day)");
	is_str(wt_str(&r, "age"), "42", "  wt_str on an INT gives its text");
	ok(wt_has(&r, "name"), "  wt_has(name)");
	ok(wt_json_field(&r, "extra") == NULL, "  no JSON field from a form");
	req_free(&r);

	setup(&r, &e, &person_route, JSON "; charset=utf-8", NULL,
	    "{\"name\":\"Ann \\u00e9\",\"age\":7,\"active\":false,\"kind\":null,"
	    "\"extra\":{\"x\":[1,2]},\"unknown\":1}", "12");
	is_int(run(&r), 0, "a good JSON request validates");
	is_str(wt_str(&r, "name"), "Ann \xC3\xA9", "  wt_str(name) from JSON");
	is_int(wt_int(&r, "age", -1), 7, "  wt_int(age) from a JSON integer");
	/* The text of a JSON number must outlive validation (it once
	 * pointed into a buffer on validate_fields' stack). */
	is_str(wt_str(&r, "age"), "7", "  wt_str(age) of a JSON integer after validation");
	is_str(wt_str(&r, "active"), "false", "  wt_str(active) of a JSON boolean");
	is_int(wt_bool(&r, "active", 1), 0, "  wt_bool(active) false");
	ok(wt_str(&r, "kind") == NULL, "  null is absent");
	ok(!wt_has(&r, "kind"), "  wt_has(kind) is 0");
	is_int(wt_int(&r, "page", 10), 10, "  wt_int default for an absent field");
	is_int(wt_bool(&r, "active", 1), 0, "  wt_bool present ignores the default");
	ok(wt_str(&r, "q") == NULL, "  absent query field is NULL");
	ok(json_is_object(wt_json_field(&r, "extra")), "  wt_json_field(extra) is the object");
	is_int(json_array_size(json_object_get(wt_json_field(&r, "extra"), "x")), 2,
	    "  with its contents");
	req_free(&r);

	/* An empty form value counts as absent. */
	setup(&r, &e, &person_route, FORM, "q=", "name=x&age=&active=", "1");
	is_int(run(&r), 0, "empty optional values validate");
	ok(!wt_has(&r, "q"), "  q= is absent");
	is_int(wt_int(&r, "age", 99), 99, "  age= is absent: default");
	is_int(wt_bool(&r, "active", 1), 1, "  active= is absent: default");
	req_free(&r);

	setup(&r, &e, &bare_route, JSON, "a=1&a=2", "[1, 2]", NULL);
	is_int(run(&r), 0, "a route without fields accepts anything well-formed");
	ok(r.values == NULL, "  no values");
	req_free(&r);

	setup(&r, &e, &raw_route, "image/png", NULL, "\x89PNG\r\n", NULL);
	is_int(req_parse_body(&r), 0, "a raw-body route does not parse the body");
	ok(r.json == NULL && r.form.n == 0, "  nothing parsed");
	ok(!r.resp.done, "  no answer");
	req_free(&r);

	setup(&r, &e, &person_route, NULL, NULL, NULL, "1");
	is_int(req_parse_body(&r), 0, "no body and no content type is fine");
	req_free(&r);
}

static void
test_fields_fail(void)
{
	fails(&person_route, FORM, "page=1&page=2", "name=x", "1", 400, "page",
	    "page is given more than once", "repeated scalar query field");
	fails(&person_route, FORM, "q=a&q=a", "name=x", "1", 400, "q",
	    "q is given more than once", "repeated query field, same value");
	fails(&person_route, FORM, NULL, "name=x&name=y", "1", 400, "name",
	    "name is given more than once", "repeated form field");
	fails(&person_route, FORM, NULL, "age=3", "1", 400, "name",
	    "name is required", "required form field missing");
	fails(&person_route, FORM, NULL, "name=&age=3", "1", 400, "name",
	    "name is required", "required form field empty");
	fails(&person_route, FORM, NULL, "name=x", NULL, 400, "id",
	    "id is required", "required path field missing");
	fails(&person_route, FORM, NULL, "name=x", "0", 400, "id",
	    "id must be an integer from 1 to 1000000", "path field out of range");
	fails(&person_route, FORM, NULL, "name=x&age=200", "1", 400, "age",
	    "age must be an integer from 0 to 150", "form INT out of range");
	fails(&person_route, FORM, NULL, "name=x&age=1e3", "1", 400, "age",
	    "age must be an integer from 0 to 150", "form INT not an integer");
	fails(&person_route, FORM, NULL, "name=x&active=maybe", "1", 400, "active",
	    "active must be true or false", "form BOOL");
	fails(&person_route, FORM, NULL, "name=x&email=a%40b", "1", 400, "email",
	    "email must be an e-mail address like name@example.com", "form EMAIL");
	fails(&person_route, FORM, NULL, "name=x&kind=year", "1", 400, "kind",
	    "kind must be one of: day, week, month", "form ENUM");
	fails(&person_route, FORM, NULL, "name=x&day=2023-02-29", "1", 400, "day",
	    "day must be a date as YYYY-MM-DD, from 1970 to 9000", "form DATE");
	fails(&person_route, FORM, NULL, "name=x&user=admin", "1", 400, "user",
	    "user is reserved", "check() failure");
	fails(&person_route, FORM, NULL, "name=x&extra=1", "1", 400, "extra",
	    "extra must be sent in a JSON body", "JSON field in a form");
	fails(&person_route, FORM, NULL, "name=a%01b", "1", 400, "name",
	    "name must not contain control characters", "control char in a form");
	fails(&person_route, FORM, NULL,
	    "name=12345678901234567890123456789012345678901", "1", 400, "name",
	    "name must be 1 to 40 characters long", "too long (41 chars)");
	fails(&person_route, FORM, "q=%zz", "name=x", "1", 400, "q",
	    "query string: malformed percent-encoding", "bad escape in the query");
	fails(&person_route, FORM, NULL, "name=%FF", "1", 400, "name",
	    "form body: not valid UTF-8", "invalid UTF-8 in the form");
	fails(&person_route, FORM, NULL, "name=a%00", "1", 400, "name",
	    "form body: NUL byte not allowed", "%00 in the form");

	fails(&person_route, JSON, NULL, "{\"name\":\"x\",\"age\":\"12\"}", "1", 400, "age",
	    "age must be a JSON integer", "JSON string for an INT field");
	fails(&person_route, JSON, NULL, "{\"name\":\"x\",\"age\":12.0}", "1", 400, "age",
	    "age must be a JSON integer", "JSON real for an INT field");
	fails(&person_route, JSON, NULL, "{\"name\":\"x\",\"age\":151}", "1", 400, "age",
	    "age must be an integer from 0 to 150", "JSON integer out of range");
	fails(&person_route, JSON, NULL, "{\"name\":5}", "1", 400, "name",
	    "name must be a JSON string", "JSON number for a STRING field");
	fails(&person_route, JSON, NULL, "{\"name\":[\"x\"]}", "1", 400, "name",
	    "name must be a JSON string", "JSON array for a STRING field");
	fails(&person_route, JSON, NULL, "{\"name\":\"x\",\"active\":\"true\"}", "1", 400,
	    "active", "active must be true or false", "JSON string for a BOOL field");
	fails(&person_route, JSON, NULL, "{\"name\":\"x\",\"active\":1}", "1", 400,
	    "active", "active must be true or false", "JSON number for a BOOL field");
	fails(&person_route, JSON, NULL, "{\"age\":3}", "1", 400, "name",
	    "name is required", "required JSON member missing");
	fails(&person_route, JSON, NULL, "{\"name\":null}", "1", 400, "name",
	    "name is required", "required JSON member null");
	fails(&person_route, JSON, NULL, "{\"name\":\"\"}", "1", 400, "name",
	    "name is required", "JSON empty string counts as not given, like an empty form field");
	fails(&person_route, JSON, NULL, "{\"name\":\"a\\u0007\"}", "1", 400, "name",
	    "name must not contain control characters", "JSON control char");
	fails(&person_route, JSON, NULL, "[1,2]", "1", 400, NULL,
	    "the JSON body must be an object", "JSON array body");
	fails(&person_route, JSON, NULL, "\"name\"", "1", 400, NULL,
	    "the JSON body must be an object", "JSON string body");
	fails(&person_route, JSON, NULL, "{\"name\":", "1", 400, NULL,
	    "^malformed JSON", "truncated JSON");
	fails(&person_route, JSON, NULL, "{name: 1}", "1", 400, NULL,
	    "^malformed JSON", "unquoted key");
	fails(&person_route, JSON, NULL, "", "1", 400, NULL,
	    "malformed JSON: the body is empty", "empty JSON body");
	fails(&person_route, JSON, NULL, "{\"name\":\"a\",\"name\":\"b\"}", "1", 400, NULL,
	    "^malformed JSON", "duplicate JSON keys");
	fails(&person_route, JSON, NULL, "{\"name\":\"a\\u0000b\"}", "1", 400, NULL,
	    "^malformed JSON", "\\u0000 in a JSON string");
	fails(&person_route, JSON, NULL, "{\"name\":\"\xff\"}", "1", 400, NULL,
	    "^malformed JSON", "invalid UTF-8 in a JSON body");

	fails(&person_route, "text/plain", NULL, "name=x", "1", 415, NULL,
	    "^unsupported Content-Type 'text/plain'", "text/plain body");
	fails(&person_route, NULL, NULL, "name=x", "1", 415, NULL,
	    "^unsupported Content-Type '(none)'", "body without a content type");
	fails(&person_route, "application/jsonp", NULL, "{}", "1", 415, NULL,
	    "^unsupported Content-Type", "application/jsonp is not JSON");
	fails(&person_route, "multipart/form-data; boundary=x", NULL, "--x--", "1", 415,
	    NULL, "^unsupported Content-Type", "multipart");
}

/* Reading an undeclared field, or a field as the wrong type, aborts. */
static int
aborts(void (*fn)(struct wt_req *))
{
	pid_t pid;
	int st;

	fflush(stdout);
	if ((pid = fork()) < 0)
		return 0;
	if (pid == 0) {
		struct wt_req r;
		struct env e;
		int fd = open("/dev/null", O_WRONLY);

		if (fd >= 0)
			dup2(fd, 2);
		setup(&r, &e, &person_route, FORM, NULL, "name=x", "1");
		if (run(&r) == 0)
			fn(&r);
		_exit(0);
	}
	if (waitpid(pid, &st, 0) != pid)
		return 0;
	return WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT;
}

static void
read_undeclared(struct wt_req *r)
{
	(void)wt_str(r, "nope");
}

static void
read_string_as_int(struct wt_req *r)
{
	(void)wt_int(r, "name", 0);
}

static void
read_int_as_bool(struct wt_req *r)
{
	(void)wt_bool(r, "age", 0);
}

static void
read_declared(struct wt_req *r)
{
	(void)wt_str(r, "name");
	(void)wt_int(r, "age", 0);
}

static void
test_accessor_bugs(void)
{
	ok(aborts(read_undeclared), "wt_str on an undeclared field aborts");
	ok(aborts(read_string_as_int), "wt_int on a STRING field aborts");
	ok(aborts(read_int_as_bool), "wt_bool on an INT field aborts");
	ok(!aborts(read_declared), "reading declared fields does not abort");
}

int
main(void)
{
	test_string();
	test_int();
	test_decimal();
	test_bool();
	test_email();
	test_date();
	test_enum_json_check();
	test_fields_ok();
	test_fields_fail();
	test_accessor_bugs();
	return done_testing();
}
