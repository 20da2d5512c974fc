/* Backoff after failed sign-ins.  The account key is the e-mail as typed
 * (lower-cased) whether or not it has an account, so an unknown address
 * slows down exactly like a known one.  From the threshold on, each
 * failure doubles the wait, from auth.lock_base_seconds up to
 * auth.lock_max_seconds.  Addresses get a higher threshold than accounts:
 * a whole office may share one. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "auth.h"
#include "conf.h"
#include "log.h"

static long
setting(const char *key, long def)
{
	long long v;
	char *err = NULL;

	if (config_int(key, 1, 86400, &v, &err) != 0) {
		log_error("config", "%s", err);
		free(err);
		return def;
	}
	return (long)v;
}

long
lockout_wait(const char *account, const char *ip)
{
	const char *params[2] = { account, ip };
	PGresult *res = db_exec("auth_lock_check", 2, params);
	long wait;

	if (res == NULL)
		return -1;
	wait = atol(PQgetvalue(res, 0, 0));
	PQclear(res);
	return wait;
}

static long
fail_one(const char *kind, const char *key, long threshold)
{
	const char *params[3] = { kind, key, NULL };
	PGresult *res = db_exec("auth_lock_fail", 2, params);
	long failures, wait, base = setting("auth.lock_base_seconds", 30),
	    max = setting("auth.lock_max_seconds", 900);
	char secs[24];

	if (res == NULL)
		return 0;
	failures = atol(PQgetvalue(res, 0, 0));
	PQclear(res);
	if (failures < threshold)
		return 0;
	wait = base;
	for (long i = threshold; i < failures && wait < max; i++)
		wait *= 2;
	if (wait > max)
		wait = max;
	snprintf(secs, sizeof(secs), "%ld", wait);
	params[2] = secs;
	if ((res = db_exec("auth_lock_set", 3, params)) != NULL)
		PQclear(res);
	return wait;
}

long
lockout_fail(const char *account, const char *ip)
{
	long a = fail_one("account", account, setting("auth.account_threshold", 5));
	long b = fail_one("ip", ip, setting("auth.ip_threshold", 20));

	return a > b ? a : b;
}

void
lockout_clear(const char *account)
{
	PGresult *res = db_exec("auth_lock_clear", 1, &account);

	if (res != NULL)
		PQclear(res);
}

void
wait_text(long s, char *out, size_t len)
{
	if (s < 60)
		snprintf(out, len, "%ld second%s", s, s == 1 ? "" : "s");
	else {
		long m = (s + 59) / 60;

		snprintf(out, len, "%ld minute%s", m, m == 1 ? "" : "s");
	}
}
