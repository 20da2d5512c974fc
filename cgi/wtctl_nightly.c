/* wtctl nightly: the daily maintenance job.
 *
 * Retention (settings.retention_days) of what is kept about people:
 * activity (monthly partitions that ended before the cutoff are dropped,
 * the older spans of the month the cutoff falls in deleted), the days the
 * report cache holds for that time, ingest's batch records, task
 * sessions with their events and tasks, the audit log (sql/003: only this
 * job removes its rows), what sign-in leaves (expired sessions, e-mail
 * tokens, failure counts, sent mail) and screenshots (shots_expire, as wtctl
 * expire-screenshots).  Then the report days that have ended are kept
 * (report_days_settle, sql/025), so the morning's pages are read from the
 * cache rather than computed, and the category roll-up's days when the
 * database has them (window_days_settle, if it exists).
 *
 * Safe to run twice at once: a run holds an advisory lock for its
 * session, and a second one says so and exits 0.  Every step runs even
 * when one before it failed, and the exit status says whether one did.
 * Deletes go in bounded pieces, each its own transaction, so a first run
 * over years of data holds no lock for long and a crash loses only the
 * piece in flight; running again finds nothing more to do. */
#include "config.h"

#include <sys/prctl.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "clock.h"
#include "db.h"
#include "log.h"
#include "shotstore.h"
#include "wtctl_nightly.h"

/* pg_try_advisory_lock's one-bigint space, beside sql/005's 7242005/6. */
#define NIGHTLY_LOCK	"7242025"
/* Rows one delete takes at most. */
#define PIECE		10000
#define PIECE_S		"10000"
#define SESSIONS	1000
#define SESSIONS_S	"1000"
#define PEOPLE		100
#define PEOPLE_S	"100"

enum nightly_stmt {
	ST_N_LOCK = WT_STMT_BASE(WT_SLOT_APP),
	ST_N_CUTOFF,
	ST_N_LIMITS,
	ST_N_ENSURE,
	ST_N_DROP,
	ST_N_DEVICES,
	ST_N_SPANS,
	ST_N_PRESENCE,
	ST_N_CACHE,
	ST_N_BATCHES,
	ST_N_TASKS,
	ST_N_AUDIT_ON,
	ST_N_AUDIT,
	ST_N_SESSIONS,
	ST_N_TOKENS,
	ST_N_FAILURES,
	ST_N_OUTBOX,
	ST_N_PEOPLE,
	ST_N_SETTLE,
	ST_N_WINDOW_DAYS,
	ST_N_END
};

static const struct wt_stmt stmts[ST_N_END - WT_STMT_BASE(WT_SLOT_APP)] = {
	STMT(ST_N_LOCK) = { "nightly_lock", "SELECT pg_try_advisory_lock(" NIGHTLY_LOCK ")", 0, 0 },
	/* One instant for the whole run: what is older goes. */
	STMT(ST_N_CUTOFF) = { "nightly_cutoff",
	  "SELECT now() - make_interval(days => retention_days), retention_days FROM settings",
	  0, 1 },
	/* For the rest of the transaction. */
	STMT(ST_N_LIMITS) = { "nightly_limits",
	  "SELECT set_config('statement_timeout', $1, true), set_config('lock_timeout', $2, true)",
	  2, 0 },
	STMT(ST_N_ENSURE) = { "nightly_ensure",
	  "SELECT count(*), coalesce(string_agg(p, ' ' ORDER BY p), '')"
	  " FROM activity_ensure_partitions() p", 0, 0 },
	STMT(ST_N_DROP) = { "nightly_drop",
	  "SELECT count(*), coalesce(string_agg(p, ' ' ORDER BY p), '')"
	  " FROM activity_drop_partitions($1::timestamptz) p", 1, 0 },
	STMT(ST_N_DEVICES) = { "nightly_devices", "SELECT id FROM devices ORDER BY id", 0, 1 },
	/* A device at a time: the primary key's range, and the cache
	 * triggers forget one person's days per statement. */
	STMT(ST_N_SPANS) = { "nightly_spans",
	  "DELETE FROM activity WHERE device_id = $1 AND started_at < $2::timestamptz", 2, 0 },
	/* The open span of a device that went quiet long ago (reports read
	 * it with the stored ones). */
	STMT(ST_N_PRESENCE) = { "nightly_presence",
	  "UPDATE device_presence SET span_started_at = NULL, span_duration_ms = NULL,"
	  " span_window_id = NULL, span_afk = NULL WHERE span_started_at < $1::timestamptz", 1, 0 },
	/* Days that began before the cutoff (spans in dropped partitions
	 * fire no trigger to forget them). */
	STMT(ST_N_CACHE) = { "nightly_cache",
	  "DELETE FROM report_day_cache WHERE lo < $1::timestamptz", 1, 0 },
	STMT(ST_N_BATCHES) = { "nightly_batches",
	  "DELETE FROM activity_batches b USING (SELECT device_id, seq FROM activity_batches"
	  " WHERE received_at < $1::timestamptz LIMIT " PIECE_S ") o"
	  " WHERE b.device_id = o.device_id AND b.seq = o.seq", 1, 0 },
	/* Sessions that ended (or went idle: an open one ends at its last
	 * event) before the cutoff; their events and tasks go by cascade and
	 * are counted from the statement's snapshot. */
	STMT(ST_N_TASKS) = { "nightly_tasks",
	  "WITH s AS (DELETE FROM task_sessions WHERE id IN (SELECT id FROM task_sessions"
	  " WHERE coalesce(ended_at, last_event_at) < $1::timestamptz ORDER BY id"
	  " LIMIT " SESSIONS_S ") RETURNING id)"
	  " SELECT count(*),"
	  " (SELECT count(*) FROM task_events e WHERE e.session_id IN (SELECT id FROM s)),"
	  " (SELECT count(*) FROM task_tasks t WHERE t.session_id IN (SELECT id FROM s))"
	  " FROM s", 1, 0 },
	STMT(ST_N_AUDIT_ON) = { "nightly_audit_on",
	  "SELECT set_config('worktime.audit_purge', 'on', true)", 0, 0 },
	STMT(ST_N_AUDIT) = { "nightly_audit",
	  "DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log"
	  " WHERE at < $1::timestamptz ORDER BY id LIMIT " PIECE_S ")", 1, 0 },
	/* Sign-ins over (expired: nothing can use them); e-mail tokens,
	 * sign-in failures (they count for an hour) and sent or abandoned
	 * messages (reset and invitation links in them) past the cutoff. */
	STMT(ST_N_SESSIONS) = { "nightly_sessions",
	  "DELETE FROM web_sessions WHERE id IN (SELECT id FROM web_sessions"
	  " WHERE expires_at < now() ORDER BY id LIMIT " PIECE_S ")", 0, 0 },
	STMT(ST_N_TOKENS) = { "nightly_tokens",
	  "DELETE FROM auth_tokens WHERE expires_at < $1::timestamptz", 1, 0 },
	STMT(ST_N_FAILURES) = { "nightly_failures",
	  "DELETE FROM login_failures WHERE last_failure < $1::timestamptz"
	  " AND (locked_until IS NULL OR locked_until < now())", 1, 0 },
	STMT(ST_N_OUTBOX) = { "nightly_outbox",
	  "DELETE FROM mail_outbox WHERE id IN (SELECT id FROM mail_outbox"
	  " WHERE coalesce(sent_at, failed_at) < $1::timestamptz ORDER BY id LIMIT " PIECE_S ")",
	  1, 0 },
	STMT(ST_N_PEOPLE) = { "nightly_people",
	  "SELECT id FROM users WHERE status = 'active' AND id > $1::bigint ORDER BY id"
	  " LIMIT " PEOPLE_S, 1, 1 },
	STMT(ST_N_SETTLE) = { "nightly_settle",
	  "SELECT report_days_settle($1::bigint, $2::integer)", 2, 0 },
	STMT(ST_N_WINDOW_DAYS) = { "nightly_window_days", "SELECT nightly_window_days()", 0, 0 },
};

int
nightly_register(void)
{
	return db_register(WT_SLOT_APP, (struct wt_stmt_table)WT_STMT_TABLE(stmts));
}

/* What a run knows and how it went. */
struct run {
	char		 cutoff[64];	/* "" when it could not be read */
	int		 retention_days;
	const char	*days;		/* NULL: since last week's Monday */
	char		 person_timeout[32];
	int		 failed;	/* steps */
};

static double
now_s(void)
{
	return clock_mono_ms() / 1000.0;
}

static void
step_failed(struct run *r, const char *step, const char *what)
{
	const char *state = db_sqlstate();

	fprintf(stderr, "nightly: %s: %s failed%s%s%s; see the log above\n", step, what,
	    *state ? " (SQLSTATE " : "", state, *state ? ")" : "");
	r->failed++;
}

/* Runs one statement in a transaction of its own, under these limits:
 * its result, or NULL (logged, rolled back). */
static PGresult *
exec_limited(int stmt, int n, const char *const *params, const char *stmt_timeout,
    const char *lock_timeout)
{
	const char *limits[2] = { stmt_timeout, lock_timeout };
	PGresult *res;

	if (db_begin() != 0)
		return NULL;
	if ((res = db_exec(ST_N_LIMITS, 2, limits)) == NULL) {
		db_rollback();
		return NULL;
	}
	PQclear(res);
	if ((res = db_exec(stmt, n, params)) == NULL) {
		db_rollback();
		return NULL;
	}
	if (db_commit() != 0) {
		PQclear(res);
		db_rollback();
		return NULL;
	}
	return res;
}

/* Creating and dropping a partition needs a lock on all of activity,
 * which waits for every running report and makes every later statement
 * on activity wait behind it: so it waits 5 s at most, and is tried
 * again a little later when it could not have it. */
static PGresult *
exec_partition(int stmt, int n, const char *const *params)
{
	PGresult *res = NULL;

	for (int i = 0; i < 3 && res == NULL; i++) {
		if (i > 0)
			sleep(2);
		res = exec_limited(stmt, n, params, "5min", "5s");
		if (res == NULL && strcmp(db_sqlstate(), "55P03") != 0)
			break;
	}
	return res;
}

static void
step_partitions(struct run *r)
{
	const char *p[1] = { r->cutoff };
	PGresult *res;

	if ((res = exec_partition(ST_N_ENSURE, 0, NULL)) == NULL)
		step_failed(r, "partitions", "creating the months ahead");
	else {
		printf("nightly: partitions: created %s%s%s%s\n", PQgetvalue(res, 0, 0),
		    *PQgetvalue(res, 0, 1) ? " (" : "", PQgetvalue(res, 0, 1),
		    *PQgetvalue(res, 0, 1) ? ")" : "");
		PQclear(res);
	}
	if (*r->cutoff == '\0')
		return;
	if ((res = exec_partition(ST_N_DROP, 1, p)) == NULL)
		step_failed(r, "partitions", "dropping the expired months");
	else {
		printf("nightly: partitions: dropped %s%s%s%s, the months that ended before %s\n",
		    PQgetvalue(res, 0, 0), *PQgetvalue(res, 0, 1) ? " (" : "",
		    PQgetvalue(res, 0, 1), *PQgetvalue(res, 0, 1) ? ")" : "", r->cutoff);
		PQclear(res);
	}
}

static void
step_spans(struct run *r)
{
	const char *cut[1] = { r->cutoff };
	PGresult *dev;
	long long n, total = 0;
	int devices, failed = 0;

	if ((dev = db_exec(ST_N_DEVICES, 0, NULL)) == NULL) {
		step_failed(r, "spans", "listing the devices");
		return;
	}
	devices = PQntuples(dev);
	for (int i = 0; i < devices; i++) {
		const char *p[2] = { PQgetvalue(dev, i, 0), r->cutoff };

		if ((n = db_exec_count(ST_N_SPANS, 2, p)) < 0)
			failed++;
		else
			total += n;
	}
	PQclear(dev);
	printf("nightly: spans: deleted %lld that started before %s (%d device(s))\n", total,
	    r->cutoff, devices);
	if (failed > 0)
		step_failed(r, "spans", failed == 1 ? "deleting one device's spans" :
		    "deleting some devices' spans");
	if ((n = db_exec_count(ST_N_PRESENCE, 1, cut)) < 0)
		step_failed(r, "spans", "clearing the open spans that started before the cutoff");
	else
		printf("nightly: spans: cleared %lld open span(s) of devices quiet since before the "
		    "cutoff\n", n);
}

static void
step_cache(struct run *r)
{
	const char *p[1] = { r->cutoff };
	long long n = db_exec_count(ST_N_CACHE, 1, p);

	if (n < 0)
		step_failed(r, "report cache", "deleting the expired days");
	else
		printf("nightly: report cache: deleted %lld kept day(s) that began before the "
		    "cutoff\n", n);
}

/* Deletes in pieces until a piece comes back short: the rows, or -1. */
static long long
delete_pieces(int stmt, int n, const char *const *params)
{
	long long got, total = 0;

	do {
		if ((got = db_exec_count(stmt, n, params)) < 0)
			return -1;
		total += got;
	} while (got == PIECE);
	return total;
}

static void
step_batches(struct run *r)
{
	const char *p[1] = { r->cutoff };
	long long n = delete_pieces(ST_N_BATCHES, 1, p);

	if (n < 0)
		step_failed(r, "batches", "deleting the expired batch records");
	else
		printf("nightly: batches: deleted %lld record(s) received before the cutoff\n", n);
}

static void
step_tasks(struct run *r)
{
	const char *p[1] = { r->cutoff };
	long long sessions = 0, events = 0, tasks = 0, n;
	PGresult *res;

	do {
		if ((res = db_exec(ST_N_TASKS, 1, p)) == NULL) {
			step_failed(r, "tasks", "deleting the expired task sessions");
			break;
		}
		n = atoll(PQgetvalue(res, 0, 0));
		sessions += n;
		events += atoll(PQgetvalue(res, 0, 1));
		tasks += atoll(PQgetvalue(res, 0, 2));
		PQclear(res);
	} while (n == SESSIONS);
	printf("nightly: tasks: deleted %lld session(s) with %lld event(s) and %lld task(s) "
	    "that ended before the cutoff\n", sessions, events, tasks);
}

static void
step_audit(struct run *r)
{
	const char *p[1] = { r->cutoff };
	long long n = 0, total = 0;
	PGresult *res;

	do {
		if (db_begin() != 0 || (res = db_exec(ST_N_AUDIT_ON, 0, NULL)) == NULL) {
			db_rollback();
			step_failed(r, "audit log", "deleting the expired rows");
			break;
		}
		PQclear(res);
		if ((n = db_exec_count(ST_N_AUDIT, 1, p)) < 0 || db_commit() != 0) {
			db_rollback();
			step_failed(r, "audit log", "deleting the expired rows");
			break;
		}
		total += n;
	} while (n == PIECE);
	printf("nightly: audit log: deleted %lld row(s) written before the cutoff\n", total);
}

static void
step_signin(struct run *r)
{
	const char *p[1] = { r->cutoff };
	long long sessions, tokens, failures, mail;

	sessions = delete_pieces(ST_N_SESSIONS, 0, NULL);
	tokens = db_exec_count(ST_N_TOKENS, 1, p);
	failures = db_exec_count(ST_N_FAILURES, 1, p);
	mail = delete_pieces(ST_N_OUTBOX, 1, p);
	if (sessions < 0 || tokens < 0 || failures < 0 || mail < 0)
		step_failed(r, "sign-in data", "deleting what is over");
	printf("nightly: sign-in data: deleted %lld expired session(s); %lld e-mail token(s), "
	    "%lld sign-in failure record(s) and %lld sent or abandoned message(s) from before "
	    "the cutoff\n", sessions, tokens, failures, mail);
}

static void
step_screenshots(struct run *r)
{
	long long deleted, files;

	if (shots_expire(&deleted, &files) != 0)
		step_failed(r, "screenshots", "expiring screenshots");
	else
		printf("nightly: screenshots: expired %lld screenshot(s) past the retention period; "
		    "removed %lld file(s) from the store\n", deleted, files);
}

/* One person's days, under the person's time limit: the days kept, or
 * -1 (rolled back; *timed_out says whether the limit ended it). */
static long long
settle_person(struct run *r, const char *id, int *timed_out)
{
	const char *p[2] = { id, r->days };
	PGresult *res;
	long long n;

	*timed_out = 0;
	if ((res = exec_limited(ST_N_SETTLE, 2, p, r->person_timeout, r->person_timeout)) == NULL) {
		*timed_out = strcmp(db_sqlstate(), "57014") == 0 ||
		    strcmp(db_sqlstate(), "55P03") == 0;
		return -1;
	}
	n = atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	return n;
}

static void
step_days(struct run *r)
{
	char last[32] = "0";
	long long kept = 0, n;
	int people = 0, failed = 0, timed_out = 0, rows = 0, t;
	PGresult *res;

	do {
		const char *p[1] = { last };

		if ((res = db_exec(ST_N_PEOPLE, 1, p)) == NULL) {
			failed++;
			break;
		}
		rows = PQntuples(res);
		for (int i = 0; i < rows; i++) {
			people++;
			if ((n = settle_person(r, PQgetvalue(res, i, 0), &t)) >= 0) {
				kept += n;
				continue;
			}
			failed++;
			timed_out += t;
			fprintf(stderr, "nightly: report days: person %s %s\n", PQgetvalue(res, i, 0),
			    t ? "took longer than the limit (--person-timeout); left for the pages"
			    " to compute" : "failed");
		}
		if (rows > 0)
			snprintf(last, sizeof(last), "%s", PQgetvalue(res, rows - 1, 0));
		PQclear(res);
	} while (rows == PEOPLE);
	printf("nightly: report days: kept %lld day(s) of %d active person(s), %s%s%s; %d failed "
	    "(%d over the time limit)\n", kept, people, r->days ? "the last " : "since last week's Monday",
	    r->days ? r->days : "", r->days ? " day(s)" : "", failed, timed_out);
	if (failed > 0)
		step_failed(r, "report days", "keeping some people's days");
}

static void
step_window_days(struct run *r)
{
	PGresult *res = exec_limited(ST_N_WINDOW_DAYS, 0, NULL, "30min", "1min");

	if (res == NULL) {
		step_failed(r, "window days", "window_days_settle()");
		return;
	}
	if (PQgetisnull(res, 0, 0))
		printf("nightly: window days: skipped (this database has no window_days_settle())\n");
	else
		printf("nightly: window days: window_days_settle() gave '%s'\n", PQgetvalue(res, 0, 0));
	PQclear(res);
}

static int
nightly_once(struct run *r)
{
	double t0 = now_s();
	PGresult *res;
	int locked;

	if ((res = db_exec(ST_N_LOCK, 0, NULL)) == NULL) {
		fprintf(stderr, "nightly: the database is unavailable; nothing was done\n");
		return 1;
	}
	locked = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (!locked) {
		printf("nightly: another nightly run is under way; this one does nothing\n");
		return 0;
	}
	if ((res = db_exec(ST_N_CUTOFF, 0, NULL)) == NULL)
		step_failed(r, "retention", "reading the retention period");
	else {
		snprintf(r->cutoff, sizeof(r->cutoff), "%s", PQgetvalue(res, 0, 0));
		r->retention_days = atoi(PQgetvalue(res, 0, 1));
		PQclear(res);
		printf("nightly: retention: %d day(s): data from before %s goes\n",
		    r->retention_days, r->cutoff);
	}
	step_partitions(r);
	if (*r->cutoff != '\0') {
		step_spans(r);
		step_cache(r);
		step_batches(r);
		step_tasks(r);
		step_audit(r);
		step_signin(r);
	}
	step_screenshots(r);
	step_days(r);
	step_window_days(r);
	printf("nightly: done in %.1f s; %d step(s) failed\n", now_s() - t0, r->failed);
	db_close();
	return r->failed > 0 ? 1 : 0;
}

static volatile sig_atomic_t	loop_stop;
static volatile sig_atomic_t	run_pid;

static void
loop_signal(int sig)
{
	loop_stop = 1;
	if (run_pid > 0)
		kill((pid_t)run_pid, sig);
}

/* ./stack's daily job: a run now, then one every so long, each in a child
 * of its own (a fresh connection; a crash costs that run only).  SIGTERM
 * stops the run in progress (its piece in flight rolls back) and the
 * loop. */
static int
nightly_loop(struct run *r, long every, const char *pidfile)
{
	struct sigaction sa;

	if (pidfile != NULL && pidfile_write(pidfile) != 0)
		return 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = loop_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	log_info("nightly", "started: a run now and then every %ld s", every);
	while (!loop_stop) {
		double next = now_s() + (double)every;
		pid_t pid;
		int status = 0;

		fflush(stdout);
		if ((pid = fork()) < 0) {
			log_error("nightly", "fork failed: %s", strerror(errno));
		} else if (pid == 0) {
			signal(SIGTERM, SIG_DFL);
			signal(SIGINT, SIG_DFL);
			prctl(PR_SET_PDEATHSIG, SIGTERM);
			status = nightly_once(r);
			fflush(stdout);
			_exit(status);
		} else {
			run_pid = pid;
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			run_pid = 0;
			if (!loop_stop)
				log_write(WIFEXITED(status) && WEXITSTATUS(status) == 0 ? WT_INFO :
				    WT_WARN, "nightly", NULL, "run ended (%s %d); the next in %ld s",
				    WIFSIGNALED(status) ? "signal" : "status",
				    WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status), every);
		}
		while (!loop_stop && now_s() < next)
			sleep((unsigned)(next - now_s()) + 1);
	}
	log_info("nightly", "stopped");
	if (pidfile != NULL)
		unlink(pidfile);
	return 0;
}

long
nightly_duration(const char *s)
{
	char *end;
	long n, unit = 1;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0)
		return -1;
	if (strcmp(end, "d") == 0)
		unit = 86400;
	else if (strcmp(end, "h") == 0)
		unit = 3600;
	else if (strcmp(end, "m") == 0)
		unit = 60;
	else if (strcmp(end, "s") != 0 && *end != '\0')
		return -1;
	if (n < 1 || n > 366L * 86400 / unit)
		return -1;
	return n * unit;
}

int
nightly_main(const struct nightly_args *a)
{
	struct run r;
	long every = 0, timeout = 60;
	char *end;

	memset(&r, 0, sizeof(r));
	if (a->days != NULL) {
		long days;

		errno = 0;
		days = strtol(a->days, &end, 10);
		if (*a->days < '0' || *a->days > '9' || *end != '\0' || errno != 0 ||
		    days < 1 || days > 400) {
			fprintf(stderr, "wtctl: --days must be a whole number of days from 1 to 400\n");
			return 2;
		}
		r.days = a->days;
	}
	if (a->person_timeout != NULL && (timeout = nightly_duration(a->person_timeout)) < 0) {
		fprintf(stderr, "wtctl: --person-timeout must be a duration such as 90s, 15m "
		    "or 1h\n");
		return 2;
	}
	if (a->every != NULL && (every = nightly_duration(a->every)) < 0) {
		fprintf(stderr, "wtctl: --every must be a duration such as 24h, 90m or 1d\n");
		return 2;
	}
	if (a->pidfile != NULL && every == 0) {
		fprintf(stderr, "wtctl: --pidfile goes with --every\n");
		return 2;
	}
	snprintf(r.person_timeout, sizeof(r.person_timeout), "%lds", timeout);
	/* A loop says when each run ended; a single run only what failed. */
	log_setup("nightly", every > 0 ? WT_INFO : WT_WARN);
	/* Lines, so that they interleave with the log on standard error. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	return every > 0 ? nightly_loop(&r, every, a->pidfile) : nightly_once(&r);
}
