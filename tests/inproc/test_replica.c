/* Report reads on a real streaming replica of the test cluster
 * (tests/inproc/replica.sh: pg_basebackup -R, started here): the day
 * page is read from it; while its replay is paused the page shows the
 * figures as of the replica (what a person sees while it lags), and the
 * new ones once it catches up; with the replica stopped the pages answer
 * from the primary. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "dash.h"
#include "check.h"

#define MIN	60000LL

static const struct wt_app *dash = &dash_app;
static char script[1024], dir[1024];
static int started;

static int
replica(const char *cmd)
{
	char line[2300];

	if (snprintf(line, sizeof(line), "'%s' %s '%s' >&2", script, cmd, dir) >= (int)sizeof(line))
		return -1;
	return system(line) == 0 ? 0 : -1;
}

static void
stop_replica(void)
{
	if (started)
		(void)replica("stop");
	started = 0;
}

/* A statement on the replica itself, as its superuser; the first value. */
static char *
on_replica(const char *sql)
{
	char ci[1200];
	PGconn *c;
	PGresult *r;
	char *out = NULL;

	snprintf(ci, sizeof(ci), "host=%s/run port=5433 dbname=worktime user=postgres "
	    "connect_timeout=3", dir);
	c = PQconnectdb(ci);
	if (PQstatus(c) == CONNECTION_OK) {
		r = PQexec(c, sql);
		if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0)
			out = ip_strf("%s", PQgetvalue(r, 0, 0));
		PQclear(r);
	}
	PQfinish(c);
	return out;
}

/* Waits (up to a minute) until the replica has replayed all the primary
 * has written so far. */
static int
caught_up(void)
{
	const char *lsn = ip_q("SELECT pg_current_wal_lsn()::text", NULL);

	for (int i = 0; i < 600; i++) {
		char *ok = on_replica(ip_strf("SELECT pg_last_wal_replay_lsn() >= '%s'::pg_lsn", lsn));

		if (ok != NULL && strcmp(ok, "t") == 0)
			return 1;
		usleep(100 * 1000);
	}
	return 0;
}

static struct ip_resp *
day(const char *token)
{
	return IP(dash, .path = "/day/2024-03-31", .bearer = token, .accept = "application/json");
}

int
main(void)
{
	const char *src = getenv("WT_SRCDIR"), *state = getenv("WT_STATE"), *tag, *id, *dev, *w;
	const char *token;
	struct ip_resp *a;

	if (src == NULL || state == NULL || getenv("PGHOST") == NULL) {
		printf("1..0 # SKIP needs WT_SRCDIR, WT_STATE and PGHOST (./stack test inproc)\n");
		return 0;
	}
	if (state[0] != '/') {
		char cwd[512];

		if (getcwd(cwd, sizeof(cwd)) == NULL)
			return 1;
		snprintf(dir, sizeof(dir), "%s/%s/replica-%d", cwd, state, (int)getpid());
	} else
		snprintf(dir, sizeof(dir), "%s/replica-%d", state, (int)getpid());
	snprintf(script, sizeof(script), "%s/tests/inproc/replica.sh", src);
	/* The programs read this key when the driver loads the configuration. */
	setenv("WORKTIME_DB_REPLICA_CONNINFO", ip_strf("host=%s/run port=5433 dbname=worktime "
	    "user=worktime connect_timeout=3", dir), 1);
	if (ip_init("replica") != 0)
		return 0;
	atexit(stop_replica);
	tag = ip_tag();

	ok(replica("start") == 0, "a streaming replica is made with pg_basebackup -R and started");
	started = 1;
	is_str(on_replica("SELECT pg_is_in_recovery()"), "t", "... it is a standby");

	ip_exec("SELECT activity_ensure_partitions('2024-03-01', 1)", NULL);
	id = ip_strf("%lld", ip_user(ip_strf("replica.%s@example.com", tag), "Replica Person",
	    "member", NULL));
	ip_exec("UPDATE users SET timezone = 'Europe/Berlin' WHERE id = $1", id, NULL);
	token = ip_token(atoll(id));
	dev = ip_q("INSERT INTO devices (user_id, name) VALUES ($1, 'r') RETURNING id", id, NULL);
	w = ip_q("SELECT (windows_intern(ARRAY['code'], ARRAY[$1], ARRAY['']))[1]",
	    ip_strf("replica %s", tag), NULL);
	ip_exec("INSERT INTO activity VALUES ('2024-03-31 09:00+02', $1, 3600000, $2, false)",
	    dev, w, NULL);
	ok(caught_up(), "the replica replays the fixtures");

	a = day(token);
	is_status(a, 200, "the day page");
	is_str(ip_jstr(a, "read_from"), "replica", "... is read from the replica");
	is_int(atoll(ip_jstr(a, "totals.active")), 60 * MIN, "... with the day's hour");
	is_status(IP(dash, .path = "/export.json?from=2024-03-31&to=2024-03-31", .bearer = token),
	    200, "an export streams from the replica");
	unlike(ip_all_logs(), "\"event\":\"db_replica\".*failed", "no read fell back so far");

	/* The replica lags: what a person sees is the replica's state. */
	is_str(on_replica("SELECT pg_wal_replay_pause()::text"), "", "replay is paused");
	ip_exec("INSERT INTO activity VALUES ('2024-03-31 11:00+02', $1, 1800000, $2, false)",
	    dev, w, NULL);
	a = day(token);
	is_str(ip_jstr(a, "read_from"), "replica", "while it lags the page still reads the replica");
	is_int(atoll(ip_jstr(a, "totals.active")), 60 * MIN, "... showing what it has replayed");
	ok(ip_jstr(a, "lag_s") != NULL, "... and how far behind it is (lag_s)");
	is_str(on_replica("SELECT pg_wal_replay_resume()::text"), "", "replay resumes");
	ok(caught_up(), "... and catches up");
	a = day(token);
	is_int(atoll(ip_jstr(a, "totals.active")), 90 * MIN, "the new span shows");

	stop_replica();
	a = day(token);
	is_status(a, 200, "with the replica stopped the page still answers");
	is_str(ip_jstr(a, "read_from"), "primary", "... from the primary");
	is_int(atoll(ip_jstr(a, "totals.active")), 90 * MIN, "... with the same figures");
	like(a->log, "\"event\":\"db_replica\"", "... after logging that the replica failed");
	a = day(token);
	is_status(a, 200, "the next request too");
	unlike(a->log, "db_replica", "... without trying the replica again at once");
	is_status(IP(dash, .path = "/export.csv?from=2024-03-31&to=2024-03-31", .bearer = token),
	    200, "exports answer from the primary");
	return ip_done();
}
