/* view_render: a golden fixture compared byte for byte, HTML escaping,
 * the real home page, and failures (missing template, syntax error).
 *
 * To regenerate the golden file after an intended change:
 *	WT_GOLDEN_UPDATE=1 WT_SRCDIR=/path/to/src ./tests/unit/test_render
 * and review the diff before committing it. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "tap.h"
#include "view.h"

static char *
srcdir(void)
{
	const char *env = getenv("WT_SRCDIR");
	const char *me = __FILE__, *cut = strstr(me, "/tests/unit/");

	if (env != NULL && *env != '\0')
		return xstrdup(env);
	return cut != NULL ? xstrndup(me, (size_t)(cut - me)) : xstrdup(".");
}

static char *
path_join(const char *a, const char *b)
{
	struct wt_buf p;

	buf_init(&p);
	buf_printf(&p, "%s/%s", a, b);
	return buf_take(&p);
}

/* Reads a whole file; NULL (and a diagnostic) if it cannot. */
static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct wt_buf b;
	char chunk[4096];
	size_t n;

	if (f == NULL) {
		diag("cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	*len = b.len;
	return buf_take(&b);
}

/* Prints both texts line by line from the first difference, in a form
 * that reads like a unified diff. */
static void
diff_diag(const char *got, size_t glen, const char *want, size_t wlen)
{
	size_t i = 0, line = 1, ls = 0;

	while (i < glen && i < wlen && got[i] == want[i]) {
		if (got[i] == '\n') {
			line++;
			ls = i + 1;
		}
		i++;
	}
	diag("first difference at byte %zu (line %zu, column %zu)", i, line, i - ls + 1);
	for (int k = 0; k < 2; k++) {
		const char *s = k ? got : want;
		size_t len = k ? glen : wlen, p = ls;

		for (int shown = 0; p < len && shown < 6; shown++) {
			const char *nl = memchr(s + p, '\n', len - p);
			size_t e = nl ? (size_t)(nl - s) : len;

			diag("%c%.*s", k ? '+' : '-', (int)(e - p), s + p);
			p = e + 1;
		}
		if (p >= len && (len == 0 || s[len - 1] != '\n'))
			diag("%c\\ (no newline at end)", k ? '+' : '-');
	}
}

static void
test_golden(const char *gdir)
{
	struct wt_view *v = view_new();
	struct wt_buf out;
	char *err = NULL, *gold_path = path_join(gdir, "render.gold"), *want;
	size_t wlen = 0;
	static const struct {
		const char	*name;
		long long	 hours;
		int		 admin;
	} people[] = {
		{ "Ada", 7, 1 }, { "Grace", 1, 0 }, { "Linus", 0, 0 },
	};
	int rc;

	buf_init(&out);
	view_set(v, "Page.Title", "Team report");
	for (int i = 0; i < 3; i++) {
		view_setf(v, people[i].name, "People.%d.Name", i);
		view_setf(v, people[i].admin ? "1" : "0", "People.%d.Admin", i);
		{
			char name[64];

			snprintf(name, sizeof(name), "People.%d.Hours", i);
			view_set_int(v, name, people[i].hours);
		}
	}
	view_set_int(v, "Total", 8);
	view_set(v, "Unsafe", "<script>alert('x')</script>\"&");
	is_str(view_get(v, "People.1.Name"), "Grace", "view_setf sets a formatted name");
	is_str(view_get(v, "People.0.Hours"), "7", "view_set_int sets a number");
	ok(view_get(v, "Footer.Note") == NULL, "view_get of an unset name is NULL");

	rc = view_render(v, gdir, "render.cs", &out, &err);
	is_int(rc, 0, "render.cs renders");
	if (err != NULL)
		diag("%s", err);
	ok(err == NULL, "  no error message on success");
	free(err);

	if (getenv("WT_GOLDEN_UPDATE") != NULL && rc == 0) {
		FILE *f = fopen(gold_path, "wb");

		if (f != NULL) {
			fwrite(out.data, 1, out.len, f);
			fclose(f);
			diag("wrote %s", gold_path);
		}
	}
	want = slurp(gold_path, &wlen);
	ok(want != NULL, "render.gold is readable");
	if (!ok(want != NULL && out.data != NULL && out.len == wlen &&
	    memcmp(out.data, want, wlen) == 0, "output equals render.gold byte for byte"))
		diff_diag(out.data ? out.data : "", out.len, want ? want : "", wlen);
	free(want);

	/* The same view again, with the optional note: the else branch flips. */
	view_set(v, "Footer.Note", "Tom & Jerry");
	buf_reset(&out);
	is_int(view_render(v, gdir, "render.cs", &out, &err), 0, "renders again");
	has_str(out.data, "<p class=\"note\">Tom &amp; Jerry</p>", "if:?name takes the set branch");
	ok(out.data != NULL && strstr(out.data, "no note") == NULL, "  and not the else");
	has_str(out.data, "Count: 3, total 8.", "subcount() over the list");
	free(err);

	buf_free(&out);
	free(gold_path);
	view_free(v);
}

static void
test_escaping(const char *gdir)
{
	struct wt_view *v = view_new();
	struct wt_buf out;
	char *err = NULL;
	const char *s;

	buf_init(&out);
	view_set(v, "Page.Title", "\"><img src=x onerror=alert(1)>");
	view_set(v, "Unsafe", "<script>alert('x')</script>\"&");
	view_setf(v, "<b>bold</b>", "People.%d.Name", 0);
	view_set(v, "People.0.Hours", "1");
	view_set(v, "Footer.Note", "a 'quoted' \"note\"");
	is_int(view_render(v, gdir, "render.cs", &out, &err), 0, "renders hostile values");
	s = out.data ? out.data : "";
	has_str(s, "Unsafe: &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;</p>",
	    "a script payload is escaped (<, >, quotes, &)");
	ok(strstr(s, "<script") == NULL, "no raw <script anywhere");
	has_str(s, "<h1>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</h1>",
	    "an attribute break-out is escaped");
	ok(strstr(s, "<img") == NULL, "no raw <img");
	has_str(s, "&lt;b&gt;bold&lt;/b&gt;", "list values are escaped");
	has_str(s, "a &#39;quoted&#39; &quot;note&quot;", "single and double quotes escaped");
	free(err);
	buf_free(&out);
	view_free(v);

	/* NULL values are stored as empty strings. */
	v = view_new();
	view_set(v, "X", NULL);
	is_str(view_get(v, "X"), "", "view_set with NULL stores \"\"");
	view_free(v);
}

static void
test_home(const char *tdir)
{
	struct wt_view *v = view_new();
	struct wt_buf out;
	char *err = NULL;
	const char *s;

	buf_init(&out);
	view_set(v, "Site.Name", "Worktime <test>");
	view_set(v, "Page.Title", "Start");
	view_set(v, "Page.Nav", "home");
	view_set(v, "Request.Id", "req-42");
	view_set(v, "User.Name", "Dana <D>");
	view_set(v, "User.Role", "member");
	is_int(view_render(v, tdir, "home.cs", &out, &err), 0, "home.cs renders");
	if (err != NULL)
		diag("%s", err);
	s = out.data ? out.data : "";
	has_str(s, "<!DOCTYPE html>", "home: doctype");
	has_str(s, "<title>Start · Worktime &lt;test&gt;</title>", "home: title, site name escaped");
	has_str(s, "<nav class=\"site-nav nav-wide\"", "home: nav");
	has_str(s, "<details class=\"nav-narrow\">", "home: the phone menu");
	has_str(s, "<a href=\"/\" aria-current=\"page\">My day</a>", "home: current page marked in the nav");
	has_str(s, "Dana &lt;D&gt;", "home: the person's name, escaped");
	has_str(s, "<a class=\"skip-link\" href=\"#main\">", "home: a skip link");
	has_str(s, "<footer class=\"site-footer\">", "home: footer");
	ok(strstr(s, "req-42") == NULL, "home: no request id on the page (X-Request-Id has it)");
	ok(strstr(s, "Schema version") == NULL, "home: nothing of the installation (/admin/system)");
	has_str(s, "</html>", "home: complete document");
	free(err);
	err = NULL;

	/* Anonymous: no menu, a way to sign in. */
	view_free(v);
	v = view_new();
	view_set(v, "Site.Name", "Worktime");
	view_set(v, "Page.Title", "Start");
	buf_reset(&out);
	is_int(view_render(v, tdir, "home.cs", &out, &err), 0, "home.cs renders for a visitor");
	s = out.data ? out.data : "";
	ok(strstr(s, "site-nav") == NULL, "home: no menu for a visitor");
	has_str(s, "<a href=\"/login\">Sign in</a>", "home: a visitor is offered the sign-in");
	ok(strstr(s, "aria-current") == NULL, "home: nothing current without Page.Nav");
	free(err);

	buf_free(&out);
	view_free(v);
}

static void
test_failures(const char *gdir, const char *tdir)
{
	struct wt_view *v = view_new();
	struct wt_buf out;
	char *err = NULL;

	buf_init(&out);
	is_int(view_render(v, tdir, "no-such-template.cs", &out, &err), -1,
	    "a missing template fails");
	ok(err != NULL && *err != '\0', "  with a message");
	has_str(err, "no-such-template.cs", "  naming the template");
	free(err);
	err = NULL;

	is_int(view_render(v, "/nonexistent/dir", "home.cs", &out, &err), -1,
	    "a missing directory fails");
	ok(err != NULL, "  with a message");
	free(err);
	err = NULL;

	buf_reset(&out);
	is_int(view_render(v, gdir, "syntax_error.cs", &out, &err), -1,
	    "a template with a syntax error fails");
	ok(err != NULL && *err != '\0', "  with a message");
	if (err != NULL)
		diag("the message: %.200s", err);
	free(err);
	err = NULL;

	/* The view is still usable after failures. */
	view_set(v, "Page.Title", "after");
	buf_reset(&out);
	is_int(view_render(v, gdir, "render.cs", &out, &err), 0, "the view renders after failures");
	has_str(out.data, "<h1>after</h1>", "  with its values");
	free(err);

	buf_free(&out);
	view_free(v);
}

int
main(void)
{
	char *src = srcdir();
	char *gdir = path_join(src, "tests/unit/golden");
	char *tdir = path_join(src, "templates");

	test_golden(gdir);
	test_escaping(gdir);
	test_home(tdir);
	test_failures(gdir, tdir);
	free(tdir);
	free(gdir);
	free(src);
	return done_testing();
}
