/* Admin at scale, in process (was tests/api/25_admin_scale.t): 10,000
 * more people (one INSERT), then the people search and a deep page of
 * the plain list.  Correctness is asserted; the times are only reported
 * (diag), never asserted.  The people are removed again.  It counts every
 * person, so it runs alone. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "admin_flows.h"
#include "check.h"

static struct admin ADM;
static const char *D;

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* GET path as the admin three times; the last answer, the times in diag. */
static struct ip_resp *
timed(const char *path)
{
	struct ip_resp *a = NULL;
	const char *times = "";

	for (int i = 0; i < 3; i++) {
		double t0 = now_ms();

		a = api("GET", path, ADM.token, NULL);
		times = ip_strf("%s %.1f ms", times, now_ms() - t0);
	}
	diag("GET %s:%s", path, times);
	return a;
}

static const char *
ids_of(const struct ip_resp *a)
{
	json_t *arr = ip_jget(a, "users"), *o;
	size_t i;
	const char *out = "";

	json_array_foreach(arr, i, o)
		out = ip_strf("%s%s%s", out, i ? "," : "", ip_jval(o, "id"));
	return out;
}

int
main(void)
{
	const char *BASE, *ADDED, *WANT, *GONE;
	long long TOTAL, LAST;
	struct ip_resp *a;
	double t0;
	int bad = 0;
	json_t *o;
	size_t i;

	if (ip_init("admin_scale") != 0)
		return 0;
	ip_lock_global();
	make_admin(&ADM);
	ok(ADM.token != NULL, "this run's admin has an access token");
	D = ip_strf("scale-%s.test", ip_tag());

	BASE = ip_q("SELECT count(*) FROM users", NULL);
	t0 = now_ms();
	ADDED = ip_q("WITH n AS (INSERT INTO users (email, display_name, password_hash, status)"
	    " SELECT 'user' || n || '@' || $1, 'Scale User ' || n, NULL, 'active'"
	    " FROM generate_series(1, 10000) n RETURNING 1) SELECT count(*) FROM n", D, NULL);
	is_str(ADDED, "10000", "10,000 people inserted with one statement");
	diag("insert of 10,000 users: %.0f ms", now_ms() - t0);
	TOTAL = atoll(BASE) + 10000;
	is_str(ip_q("SELECT count(*) FROM users", NULL), ip_strf("%lld", TOTAL),
	    ip_strf("the database has %lld people", TOTAL));

	/* --- search --- */
	a = timed("/admin/users?q=user12&page=1");
	is_status(a, 200, "search q=user12: 200");
	WANT = ip_q("SELECT count(*) FROM users WHERE strpos(lower(display_name) || ' ' || email, 'user12') > 0",
	    NULL);
	is_str(ip_jstr(a, "total"), WANT,
	    ip_strf("... total: everyone whose name or address contains user12 (%s)", WANT));
	is_str(ip_q("SELECT count(*) FROM users WHERE email LIKE 'user12%@' || $1", D, NULL), "111",
	    "(of the new people: user12, user120-129, user1200-1299 = 111)");
	ok(atoll(WANT) >= 111, "... so the total is at least 111");
	is_str(ip_strf("%s %s %zu ", ip_jstr(a, "page"), ip_jstr(a, "page_size"),
	    json_array_size(ip_jget(a, "users"))), "1 50 50 ", "... page 1: 50 people");
	json_array_foreach(ip_jget(a, "users"), i, o) {
		const char *hay = ip_strf("%s %s", ip_jval(o, "email"), ip_jval(o, "display_name"));
		char *low = ip_strf("%s", hay);

		for (char *p = low; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		if (strstr(low, "user12") == NULL)
			bad++;
	}
	is_int(bad, 0, "... every one of them matches");
	is_str(ip_jstr(a, "users.0.email"), ip_q("SELECT email FROM users"
	    " WHERE strpos(lower(display_name) || ' ' || email, 'user12') > 0"
	    " ORDER BY lower(display_name), id LIMIT 1", NULL), "... in name order");

	/* --- a deep page of the whole list --- */
	a = timed("/admin/users?page=100");
	is_status(a, 200, "plain list page=100: 200");
	is_str(ip_jstr(a, "total"), ip_strf("%lld", TOTAL), ip_strf("... total: everyone (%lld)", TOTAL));
	is_str(ip_strf("%s %zu ", ip_jstr(a, "page"), json_array_size(ip_jget(a, "users"))), "100 50 ",
	    "... page 100 holds 50 people");
	is_str(ids_of(a), ip_q("SELECT string_agg(id::text, ',') FROM (SELECT id FROM users"
	    " ORDER BY lower(display_name), id LIMIT 50 OFFSET 4950) p", NULL),
	    "... the 4951st to 5000th in name order");

	LAST = (TOTAL + 49) / 50;
	a = timed(ip_strf("/admin/users?page=%lld", LAST));
	is_str(ip_strf("%s %zu", ip_jstr(a, "total"), json_array_size(ip_jget(a, "users"))),
	    ip_strf("%lld %lld", TOTAL, TOTAL - (LAST - 1) * 50),
	    ip_strf("the last page (%lld): the rest", LAST));

	a = timed(ip_strf("/admin/users?q=%s&role=member&page=2", D));
	is_str(ip_jstr(a, "total"), "10000", "search q=<domain>&role=member: all 10,000 new people");

	a = timed("/admin");
	is_str(ip_jstr(a, "people"), ip_strf("%lld", TOTAL), ip_strf("/admin counts %lld people", TOTAL));

	/* --- and gone again --- */
	t0 = now_ms();
	GONE = ip_q("WITH d AS (DELETE FROM users WHERE email LIKE '%@' || $1 RETURNING 1)"
	    " SELECT count(*) FROM d", D, NULL);
	is_str(GONE, "10000", "the 10,000 people deleted again");
	diag("delete of 10,000 users: %.0f ms", now_ms() - t0);
	is_str(ip_q("SELECT count(*) FROM users", NULL), BASE, ip_strf("the database is back to %s people", BASE));
	a = api("GET", "/admin/users?q=user12", ADM.token, NULL);
	is_str(ip_jstr(a, "total"), ip_q("SELECT count(*) FROM users"
	    " WHERE strpos(lower(display_name) || ' ' || email, 'user12') > 0", NULL),
	    "the search no longer finds them");
	return ip_done();
}
