/* Backoff after failed sign-ins.  Failures are counted against the
 * account's id when the address has an account (kind "user"), whatever
 * spelling of the address found it, and against the address in its
 * normal form (email_normalize, sql/007) when it has none ("account"),
 * so an unknown address slows down exactly like a known one and no
 * look-alike spelling gets a counter of its own.  From the threshold on, each
 * failure doubles the wait, from auth.lock_base_seconds up to
 * auth.lock_max_seconds.  Addresses get a higher threshold than accounts:
 * a whole office may share one.
 *
 * Failures are recorded outside any transaction, so the rollback of the
 * refused request does not undo them. */
#include "config.h"

#include <stdlib.h>

#include "auth.h"
#include "conf.h"
#include "log.h"

struct wt_err *
lockout_wait(const char *kind, const char *key, const char *ip, long *wait)
{
	const char *params[3] = { kind, key, ip };
	PGresult *res = db_exec(ST_AUTH_LOCK_CHECK, 3, params);

	*wait = 0;
	if (res == NULL)
		return db_err();
	*wait = atol(PQgetvalue(res, 0, C_LOCK_WAIT));
	PQclear(res);
	return NULL;
}

static long
fail_one(const char *kind, const char *key, long long threshold)
{
	const char *params[3] = { kind, key, NULL };
	PGresult *res = db_exec(ST_AUTH_LOCK_FAIL, 2, params);
	long long failures, wait, base = wt_cfg.auth_lock_base_seconds,
	    max = wt_cfg.auth_lock_max_seconds;
	char secs[24];

	if (res == NULL)
		return 0;	/* logged by db_exec */
	failures = atoll(PQgetvalue(res, 0, C_LOCK_FAILURES));
	PQclear(res);
	if (failures < threshold)
		return 0;
	wait = base;
	for (long long i = threshold; i < failures && wait < max; i++)
		wait *= 2;
	if (wait > max)
		wait = max;
	lltoa(wait, secs);
	params[2] = secs;
	if ((res = db_exec(ST_AUTH_LOCK_SET, 3, params)) != NULL)
		PQclear(res);
	return (long)wait;
}

long
lockout_fail(const char *kind, const char *key, const char *ip)
{
	long a = fail_one(kind, key, wt_cfg.auth_account_threshold);
	long b = ip != NULL ? fail_one("ip", ip, wt_cfg.auth_ip_threshold) : 0;

	return a > b ? a : b;
}

void
lockout_clear(const char *kind, const char *key)
{
	const char *params[2] = { kind, key };
	PGresult *res = db_exec(ST_AUTH_LOCK_CLEAR, 2, params);

	if (res != NULL)
		PQclear(res);
}

char *
wait_text(long s)
{
	struct wt_buf b;

	buf_init(&b);
	if (s < 60)
		buf_printf(&b, "%ld second%s", s, s == 1 ? "" : "s");
	else {
		long m = (s + 59) / 60;

		buf_printf(&b, "%ld minute%s", m, m == 1 ? "" : "s");
	}
	return buf_take(&b);
}

struct wt_err *
lockout_error(long wait, const char *field, const char *what)
{
	char secs[24], *when = wait_text(wait);
	struct wt_err *e;

	lltoa(wait, secs);
	e = err_header(wt_form_fail(429, field, "%s Try again in %s.", what, when),
	    "Retry-After", secs);
	free(when);
	return e;
}
