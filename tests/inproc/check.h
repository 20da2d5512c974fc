/* TAP checks on in-process answers, on top of tests/unit/tap.h.  Include
 * this (not driver.h alone) in a test program: tap.h keeps its counters
 * in the including file.
 *
 *	is_status(a, 201, "name")    the status; on failure the body and the
 *	                             program's log are shown
 *	like(got, "ERE", "name")     a POSIX extended regex matches (the shell
 *	unlike(got, "ERE", "name")   suites' like/unlike)
 *	is_error(a, 400, "field", "name")   a JSON error naming the field
 *	return ip_done();            ip_finish() and done_testing()
 */
#ifndef WT_INPROC_CHECK_H
#define WT_INPROC_CHECK_H

#include <regex.h>

#include "driver.h"
#include "tap.h"

static inline int
tap_is_status(const struct ip_resp *a, int want, const char *name, const char *file,
    int line)
{
	if (tap_ok(a->status == want, file, line, "%s", name))
		return 1;
	diag("         got: %d", a->status);
	diag("    expected: %d", want);
	diag("        body: %.600s", a->body ? a->body : "");
	if (a->log != NULL && *a->log != '\0')
		diag("         log: %.1500s", a->log);
	return 0;
}

#define is_status(a, want, name) tap_is_status((a), (want), (name), __FILE__, __LINE__)

static inline int
tap_like(const char *got, const char *re, int want_match, const char *name,
    const char *file, int line)
{
	regex_t rx;
	int match = 0, rc;

	if ((rc = regcomp(&rx, re, REG_EXTENDED | REG_NOSUB)) != 0) {
		diag("bad regex /%s/ (%d)", re, rc);
	} else {
		match = got != NULL && regexec(&rx, got, 0, NULL, 0) == 0;
		regfree(&rx);
	}
	if (tap_ok(rc == 0 && match == want_match, file, line, "%s", name))
		return 1;
	diag("     got: '%.400s'", got ? got : "(NULL)");
	diag("    %s /%s/", want_match ? "want:" : "must not match:", re);
	return 0;
}

#define like(got, re, name)	tap_like((got), (re), 1, (name), __FILE__, __LINE__)
#define unlike(got, re, name)	tap_like((got), (re), 0, (name), __FILE__, __LINE__)

/* A JSON error answer with that status naming that field ("" for
 * none), as the shell suites' is_error. */
static inline int
tap_is_error(const struct ip_resp *a, int status, const char *field, const char *name,
    const char *file, int line)
{
	const char *f = ip_jstr(a, "field");
	char got[128], want[128];

	snprintf(got, sizeof(got), "%d %s", a->status, f ? f : "");
	snprintf(want, sizeof(want), "%d %s", status, field);
	if (tap_ok(strcmp(got, want) == 0, file, line, "%s", name))
		return 1;
	diag("         got: '%s'", got);
	diag("    expected: '%s'", want);
	diag("        body: %.600s", a->body ? a->body : "");
	return 0;
}

#define is_error(a, status, field, name) \
	tap_is_error((a), (status), (field), (name), __FILE__, __LINE__)

static inline int
ip_done(void)
{
	ip_finish();
	return done_testing();
}

#endif
