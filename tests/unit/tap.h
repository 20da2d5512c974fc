/* A tiny header-only TAP producer for the unit tests.
 *
 *	plan(n);                      or nothing, and done_testing() at the end
 *	ok(cond, "fmt", ...);         one test point
 *	is_int(got, want, "name");    integers (any integer type)
 *	is_str(got, want, "name");    strings, NULL-safe
 *	has_str(haystack, needle, "name");   substring, NULL-safe
 *	diag("fmt", ...);             a "# " comment line
 *	todo_start("why"); ... todo_end();   known bugs: failures are "# TODO"
 *	return done_testing();        prints the plan if none was given and
 *	                              returns the exit status (1 on failure)
 */
#ifndef WT_TAP_H
#define WT_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int		 tap_run, tap_failed, tap_planned = -1;
static const char	*tap_todo;

static inline void
plan(int n)
{
	tap_planned = n;
	printf("1..%d\n", n);
	fflush(stdout);
}

static inline void diag(const char *, ...) __attribute__((format(printf, 1, 2)));
static inline void
diag(const char *fmt, ...)
{
	char msg[4096];
	const char *p = msg;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* Every line of a multi-line message is a comment. */
	do {
		size_t n = strcspn(p, "\n");

		printf("# %.*s\n", (int)n, p);
		p += n + (p[n] == '\n');
	} while (*p != '\0');
	fflush(stdout);
}

static inline void
todo_start(const char *why)
{
	tap_todo = why;
}

static inline void
todo_end(void)
{
	tap_todo = NULL;
}

static inline int tap_ok(int, const char *, int, const char *, ...)
    __attribute__((format(printf, 4, 5)));
static inline int
tap_ok(int cond, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	char desc[512];

	tap_run++;
	va_start(ap, fmt);
	vsnprintf(desc, sizeof(desc), fmt, ap);
	va_end(ap);
	printf("%sok %d - ", cond ? "" : "not ", tap_run);
	/* One line per test point, and '#' would start a directive. */
	for (const unsigned char *p = (const unsigned char *)desc; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			printf("\\x%02x", *p);
		else if (*p == '#')
			printf("\\#");
		else
			putchar(*p);
	if (tap_todo != NULL)
		printf(" # TODO %s", tap_todo);
	printf("\n");
	if (!cond) {
		if (tap_todo == NULL)
			tap_failed++;
		diag("  Failed %stest at %s line %d.",
		    tap_todo != NULL ? "(TODO) " : "", file, line);
	}
	fflush(stdout);
	return cond;
}

#define ok(cond, ...)	tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

static inline int
tap_is_int(long long got, long long want, const char *name, const char *file,
    int line)
{
	if (tap_ok(got == want, file, line, "%s", name))
		return 1;
	diag("         got: %lld", got);
	diag("    expected: %lld", want);
	return 0;
}

#define is_int(got, want, name) \
	tap_is_int((long long)(got), (long long)(want), (name), __FILE__, __LINE__)

static inline int
tap_is_str(const char *got, const char *want, const char *name, const char *file,
    int line)
{
	int same = got == NULL || want == NULL ? got == want : strcmp(got, want) == 0;

	if (tap_ok(same, file, line, "%s", name))
		return 1;
	if (got != NULL)
		diag("         got: '%s'", got);
	else
		diag("         got: NULL");
	if (want != NULL)
		diag("    expected: '%s'", want);
	else
		diag("    expected: NULL");
	return 0;
}

#define is_str(got, want, name) tap_is_str((got), (want), (name), __FILE__, __LINE__)

static inline int
tap_has_str(const char *hay, const char *needle, const char *name,
    const char *file, int line)
{
	int found = hay != NULL && needle != NULL && strstr(hay, needle) != NULL;

	if (tap_ok(found, file, line, "%s", name))
		return 1;
	diag("    looked for: '%s'", needle ? needle : "(NULL)");
	diag("            in: '%s'", hay ? hay : "(NULL)");
	return 0;
}

#define has_str(hay, needle, name) \
	tap_has_str((hay), (needle), (name), __FILE__, __LINE__)

static inline int
done_testing(void)
{
	if (tap_planned < 0)
		printf("1..%d\n", tap_run);
	else if (tap_planned != tap_run) {
		diag("planned %d tests but ran %d", tap_planned, tap_run);
		tap_failed++;
	}
	if (tap_failed > 0)
		diag("failed %d of %d tests", tap_failed, tap_run);
	fflush(stdout);
	return tap_failed > 0 ? 1 : 0;
}

#endif
