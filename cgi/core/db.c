#include "config.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "db.h"
#include "log.h"

static const struct wt_stmt core_stmts[] = {
	STMT(ST_CORE_PING) = { "core_ping", "SELECT 1", 0, 1 },
};

static PGconn			*conn;
static char			*conninfo;
static char			 appname[64];
static struct wt_stmt_table	 tables[WT_NSLOTS];
static const struct wt_constraint *constraints;
static int			 in_txn;
static unsigned			 connections;	/* made so far: db_connection_number */
static const char		*session_sql;
/* The optional read replica: its connection, and when to try it again
 * after a failure. */
static PGconn			*rconn;
static char			*rconninfo;
static time_t			 replica_retry_at;
static int			 on_replica;
#define REPLICA_RETRY_S		10
/* The last failure, for db_err(). */
static char			 last_state[6];
static char			 last_constraint[64];
static const char		*last_stmt = "";
/* For an invalid regular expression (2201B) raised with a COLUMN: the
 * column, PostgreSQL's message and its detail (heap copies, or NULL). */
static char			*last_column, *last_message, *last_detail;

static const struct wt_stmt *
find_stmt(int id)
{
	unsigned slot = (unsigned)id >> WT_STMT_SLOT_BITS, i = WT_STMT_INDEX(id);

	if (id < 0 || slot >= WT_NSLOTS || i >= tables[slot].n ||
	    tables[slot].stmts[i].name == NULL)
		return NULL;
	return &tables[slot].stmts[i];
}

const char *
db_stmt_name(int id)
{
	const struct wt_stmt *s = find_stmt(id);

	return s != NULL ? s->name : "(unknown)";
}

int
db_register(enum wt_stmt_slot slot, struct wt_stmt_table t)
{
	tables[slot] = t;
	/* An enum entry without SQL leaves a hole in the table. */
	for (size_t i = 0; i < t.n; i++)
		if (t.stmts[i].name == NULL || t.stmts[i].sql == NULL) {
			log_error("bug", "statement %zu of slot %d has no SQL", i, (int)slot);
			return -1;
		}
	return 0;
}

void
db_set_constraints(const struct wt_constraint *c)
{
	constraints = c;
}

void
db_setup(const char *ci, const char *app)
{
	free(conninfo);
	conninfo = xstrdup(ci);
	snprintf(appname, sizeof(appname), "%s", app);
	(void)db_register(WT_SLOT_CORE, (struct wt_stmt_table)WT_STMT_TABLE(core_stmts));
}

void
db_set_session_sql(const char *sql)
{
	session_sql = sql;
}

void
db_set_replica(const char *ci)
{
	free(rconninfo);
	rconninfo = ci != NULL && *ci != '\0' ? xstrdup(ci) : NULL;
}

int
db_on_replica(void)
{
	return on_replica;
}

void
db_close(void)
{
	if (conn != NULL)
		PQfinish(conn);
	conn = NULL;
	if (rconn != NULL)
		PQfinish(rconn);
	rconn = NULL;
	in_txn = 0;
}

static int
prepare_one(PGconn *c, const struct wt_stmt *s)
{
	PGresult *res = PQprepare(c, s->name, s->sql, 0, NULL);
	int nparams;

	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		/* A statement that does not prepare is a bug in this program
		 * or a missing migration: say which. */
		log_write(WT_ERROR, "db_prepare", json_pack("{ss}", "stmt", s->name),
		    "%s", PQresultErrorMessage(res));
		PQclear(res);
		return -1;
	}
	PQclear(res);
	res = PQdescribePrepared(c, s->name);
	nparams = PQresultStatus(res) == PGRES_COMMAND_OK ? PQnparams(res) : -1;
	PQclear(res);
	if (nparams != s->nparams) {
		log_write(WT_ERROR, "db_prepare", json_pack("{ss}", "stmt", s->name),
		    "declared with %d parameters; the SQL has %d", s->nparams, nparams);
		return -1;
	}
	return 0;
}

static int
prepare_all(PGconn *c)
{
	for (int slot = 0; slot < WT_NSLOTS; slot++)
		for (size_t i = 0; i < tables[slot].n; i++)
			if (prepare_one(c, &tables[slot].stmts[i]) != 0)
				return -1;
	return 0;
}

static int
session_setup(PGconn *c)
{
	/* Constant text, no input: guards against runaway queries holding
	 * a worker forever. */
	PGresult *res = PQexec(c, "SET statement_timeout = '30s'; SET TIME ZONE 'UTC'");
	int ok = PQresultStatus(res) == PGRES_COMMAND_OK;

	PQclear(res);
	if (ok && session_sql != NULL) {
		res = PQexec(c, session_sql);
		ok = PQresultStatus(res) == PGRES_COMMAND_OK;
		if (!ok)
			log_error("db_connect", "session settings: %s", PQresultErrorMessage(res));
		PQclear(res);
	}
	if (!ok)
		return -1;
	return prepare_all(c);
}

static void
set_state(const char *state)
{
	snprintf(last_state, sizeof(last_state), "%s", state);
}

static int
connect_now(void)
{
	const char *keys[] = { "fallback_application_name", "dbname", NULL };
	const char *vals[] = { appname, conninfo, NULL };

	if (conn != NULL)
		PQreset(conn);
	else
		conn = PQconnectdbParams(keys, vals, 1);
	in_txn = 0;
	if (PQstatus(conn) != CONNECTION_OK) {
		log_warn("db_connect", "cannot connect: %s", PQerrorMessage(conn));
		set_state(SQLSTATE_CONNECTION);
		return -1;
	}
	if (session_setup(conn) != 0) {
		/* Next request starts again from a fresh connection. */
		PQfinish(conn);
		conn = NULL;
		set_state(SQLSTATE_CONNECTION);
		return -1;
	}
	connections++;
	log_info("db_connect", "connected");
	return 0;
}

unsigned
db_connection_number(void)
{
	return connections;
}

int
db_ensure(void)
{
	if (conn != NULL && PQstatus(conn) == CONNECTION_OK)
		return 0;
	last_stmt = "(connect)";
	return connect_now();
}

int
db_check_tables(void)
{
	if (db_ensure() != 0)
		return -1;
	return 0;
}

const char *
db_sqlstate(void)
{
	return last_state;
}

static int
result_ok(PGresult *res)
{
	ExecStatusType st = PQresultStatus(res);

	return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

static void
set_text(char **dst, const char *src)
{
	free(*dst);
	*dst = src != NULL && *src != '\0' ? xstrdup(src) : NULL;
}

/* A refusal a person caused and db_err answers with a 4xx: a constraint
 * violation, or a bad regular expression a trigger named the column of. */
static int
client_failure(void)
{
	return strncmp(last_state, "23", 2) == 0 ||
	    (strcmp(last_state, SQLSTATE_INVALID_REGEX) == 0 && last_column != NULL);
}

static void
note_failure(const char *name, PGresult *res)
{
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	const char *cons = PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME);

	set_state(state ? state : SQLSTATE_CONNECTION);
	snprintf(last_constraint, sizeof(last_constraint), "%s", cons ? cons : "");
	set_text(&last_column, PQresultErrorField(res, PG_DIAG_COLUMN_NAME));
	set_text(&last_message, PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY));
	set_text(&last_detail, PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL));
	/* Constraint violations become 4xx answers; not server errors. */
	log_write(client_failure() ? WT_INFO : WT_ERROR, "db_error",
	    json_pack("{ss ss ss}", "stmt", name, "sqlstate", last_state,
	    "constraint", last_constraint), "%s", PQresultErrorMessage(res));
}

static void
replica_failed(const char *what, const char *why)
{
	log_warn("db_replica", "%s on the replica failed (%s); reading from the primary, "
	    "and from the replica again in %d s", what, why, REPLICA_RETRY_S);
	if (rconn != NULL)
		PQfinish(rconn);
	rconn = NULL;
	replica_retry_at = time(NULL) + REPLICA_RETRY_S;
}

/* The replica's connection for a .replica statement, or NULL: none is
 * configured, a transaction is open (its reads must see its writes), or
 * the replica failed less than REPLICA_RETRY_S ago. */
static PGconn *
replica(const struct wt_stmt *s)
{
	const char *keys[] = { "fallback_application_name", "dbname", NULL };
	const char *vals[] = { appname, rconninfo, NULL };

	if (!s->replica || rconninfo == NULL || in_txn || time(NULL) < replica_retry_at)
		return NULL;
	if (rconn != NULL && PQstatus(rconn) == CONNECTION_OK)
		return rconn;
	if (rconn != NULL)
		PQfinish(rconn);
	rconn = PQconnectdbParams(keys, vals, 1);
	if (PQstatus(rconn) != CONNECTION_OK) {
		replica_failed("connecting", PQerrorMessage(rconn));
		return NULL;
	}
	if (session_setup(rconn) != 0) {
		replica_failed("preparing the statements", "see the log above");
		return NULL;
	}
	log_info("db_replica", "connected to the replica");
	return rconn;
}

/* A .replica statement on the replica: its result, or NULL (then the
 * primary answers). */
static PGresult *
replica_exec(const struct wt_stmt *s, int n, const char *const *params)
{
	PGconn *rc = replica(s);
	PGresult *res;

	on_replica = 0;
	if (rc == NULL)
		return NULL;
	res = PQexecPrepared(rc, s->name, n, params, NULL, NULL, 0);
	if (result_ok(res)) {
		on_replica = 1;
		return res;
	}
	replica_failed(s->name, PQresultErrorMessage(res));
	PQclear(res);
	return NULL;
}

PGresult *
db_exec(int id, int n, const char *const *params)
{
	const struct wt_stmt *s = find_stmt(id);
	PGresult *res;

	last_state[0] = '\0';
	last_constraint[0] = '\0';
	set_text(&last_column, NULL);
	if (s == NULL || n != s->nparams) {
		/* A caller passing the wrong count is a bug; the request
		 * fails with 500 instead of sending PostgreSQL garbage. */
		log_error("bug", "statement %d (%s) called with %d parameters, declared %d",
		    id, s ? s->name : "unknown", n, s ? s->nparams : -1);
		last_stmt = s ? s->name : "(unknown)";
		set_state(SQLSTATE_BUG);
		return NULL;
	}
	last_stmt = s->name;
	if ((res = replica_exec(s, n, params)) != NULL)
		return res;
	if (db_ensure() != 0)
		return NULL;
	last_stmt = s->name;
	res = PQexecPrepared(conn, s->name, n, params, NULL, NULL, 0);
	if (!result_ok(res) && PQstatus(conn) == CONNECTION_BAD) {
		int was_in_txn = in_txn;

		PQclear(res);
		log_warn("db_lost", "connection lost during %s; reconnecting", s->name);
		if (connect_now() != 0)
			return NULL;
		/* A write might have been applied before the loss; only a read
		 * outside a transaction is known to be safe to repeat. */
		if (!s->idempotent || was_in_txn) {
			set_state(SQLSTATE_CONNECTION);
			return NULL;
		}
		res = PQexecPrepared(conn, s->name, n, params, NULL, NULL, 0);
	}
	if (result_ok(res))
		return res;
	note_failure(s->name, res);
	PQclear(res);
	return NULL;
}

/* Sends s on c in single-row mode and hands the rows to fn; *rows counts
 * them.  0, or -1 with the failing result in *fail (the caller clears
 * it; NULL when the connection failed before any result). */
static int
each_on(PGconn *c, const struct wt_stmt *s, int n, const char *const *params,
    int (*fn)(PGresult *, void *), void *arg, long long *rows, PGresult **fail)
{
	PGresult *res;
	int rc = 0, stop = 0;

	*fail = NULL;
	if (!PQsendQueryPrepared(c, s->name, n, params, NULL, NULL, 0))
		return -1;
	PQsetSingleRowMode(c);
	while ((res = PQgetResult(c)) != NULL) {
		ExecStatusType st = PQresultStatus(res);

		if (st == PGRES_SINGLE_TUPLE) {
			if (!stop && fn(res, arg) != 0) {
				/* Nobody wants the rest: stop the server sending it. */
				PGcancel *cancel = PQgetCancel(c);
				char err[256];

				stop = 1;
				if (cancel != NULL) {
					(void)PQcancel(cancel, err, sizeof(err));
					PQfreeCancel(cancel);
				}
			}
			(*rows)++;
		} else if (st != PGRES_TUPLES_OK && !stop && rc == 0) {
			rc = -1;
			*fail = res;
			continue;
		}
		PQclear(res);
	}
	return stop ? 0 : rc;
}

int
db_each(int id, int n, const char *const *params, int (*fn)(PGresult *, void *), void *arg)
{
	const struct wt_stmt *s = find_stmt(id);
	PGconn *rc;
	PGresult *fail;
	long long rows = 0;

	last_state[0] = '\0';
	last_constraint[0] = '\0';
	set_text(&last_column, NULL);
	if (s == NULL || n != s->nparams) {
		log_error("bug", "statement %d (%s) called with %d parameters, declared %d",
		    id, s ? s->name : "unknown", n, s ? s->nparams : -1);
		last_stmt = s ? s->name : "(unknown)";
		set_state(SQLSTATE_BUG);
		return -1;
	}
	last_stmt = s->name;
	on_replica = 0;
	if ((rc = replica(s)) != NULL) {
		if (each_on(rc, s, n, params, fn, arg, &rows, &fail) == 0) {
			on_replica = 1;
			return 0;
		}
		replica_failed(s->name, fail ? PQresultErrorMessage(fail) : PQerrorMessage(rc));
		if (fail != NULL)
			PQclear(fail);
		/* Rows already handed out cannot be taken back. */
		if (rows > 0) {
			set_state(SQLSTATE_CONNECTION);
			return -1;
		}
	}
	if (db_ensure() != 0)
		return -1;
	if (each_on(conn, s, n, params, fn, arg, &rows, &fail) == 0)
		return 0;
	if (fail != NULL) {
		note_failure(s->name, fail);
		PQclear(fail);
	} else {
		log_warn("db_lost", "%s: %s", s->name, PQerrorMessage(conn));
		set_state(SQLSTATE_CONNECTION);
	}
	return -1;
}

long long
db_exec_count(int id, int n, const char *const *params)
{
	PGresult *res = db_exec(id, n, params);
	long long count;

	if (res == NULL)
		return -1;
	count = atoll(PQcmdTuples(res));
	PQclear(res);
	return count;
}

static const struct wt_constraint *
constraint_rule(const char *name)
{
	for (const struct wt_constraint *c = constraints; c && c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

struct wt_err *
db_err(void)
{
	const struct wt_constraint *c;
	struct wt_err *e;

	db_rollback();
	if (last_state[0] == '\0' || strncmp(last_state, "08", 2) == 0 ||
	    strncmp(last_state, "57P", 3) == 0)
		return err_header(wt_fail(503, NULL,
		    "the database is unavailable; try again shortly"), "Retry-After", "5");
	if (strcmp(last_state, "40001") == 0 || strcmp(last_state, "40P01") == 0) {
		e = err_header(wt_fail(503, NULL,
		    "the database was busy; try again shortly"), "Retry-After", "1");
		e->retry = 1;
		return e;
	}
	if (strncmp(last_state, "23", 2) == 0) {
		if ((c = constraint_rule(last_constraint)) != NULL)
			return wt_form_fail(c->status, c->field, "%s", c->message);
		if (strcmp(last_state, SQLSTATE_UNIQUE_VIOLATION) == 0)
			return wt_form_fail(409, NULL, "this already exists");
		if (strcmp(last_state, SQLSTATE_FOREIGN_KEY) == 0)
			return wt_form_fail(409, NULL, "this refers to something that does "
			    "not exist any more, or is still in use");
		return wt_form_fail(400, NULL, "a value is not allowed here");
	}
	/* A trigger that compiled a pattern the client sent (regex_check in
	 * sql/005) names the column; the message is PostgreSQL's own, with
	 * the detail (which pattern) when there is one.  Without a column
	 * the pattern was not the client's: a 500 like any other bug. */
	if (client_failure())
		return last_detail != NULL ?
		    wt_form_fail(400, last_column, "%s (%s)", last_message ? last_message :
		    "invalid regular expression", last_detail) :
		    wt_form_fail(400, last_column, "%s", last_message ? last_message :
		    "invalid regular expression");
	log_write(WT_ERROR, "db_failed", json_pack("{ss ss}", "stmt", last_stmt,
	    "sqlstate", last_state), "answered 500");
	return wt_fail(500, NULL, "the server failed to do this; the error is logged");
}

static int
simple(const char *sql)
{
	PGresult *res;
	int ok;

	if (db_ensure() != 0)
		return -1;
	res = PQexec(conn, sql);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	if (!ok) {
		last_stmt = sql;
		note_failure(sql, res);
	}
	PQclear(res);
	return ok ? 0 : -1;
}

/* Sends one query of a pipeline: BEGIN or COMMIT (no parameters) or a
 * prepared statement. */
static int
pipe_send(const struct wt_stmt *s, const char *sql, const struct db_call *c)
{
	if (s == NULL)
		return PQsendQueryParams(conn, sql, 0, NULL, NULL, NULL, NULL, 0);
	return PQsendQueryPrepared(conn, s->name, c->nparams, c->params, NULL, NULL, 0);
}

int
db_pipeline(int begin, const struct db_call *calls, int n, PGresult **res, int commit)
{
	const struct wt_stmt *s[24];
	int total = n + (begin != 0) + (commit != 0), k = 0, nulls = 0, failed = 0;
	PGresult *r;

	last_state[0] = '\0';
	last_constraint[0] = '\0';
	set_text(&last_column, NULL);
	if (n < 0 || n > (int)(sizeof(s) / sizeof(s[0]))) {
		log_error("bug", "a pipeline of %d statements", n);
		set_state(SQLSTATE_BUG);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		res[i] = NULL;
		s[i] = find_stmt(calls[i].stmt);
		if (s[i] == NULL || calls[i].nparams != s[i]->nparams) {
			log_error("bug", "pipeline call %d: statement %d (%s) with %d parameters, "
			    "declared %d", i, calls[i].stmt, s[i] ? s[i]->name : "unknown",
			    calls[i].nparams, s[i] ? s[i]->nparams : -1);
			last_stmt = s[i] ? s[i]->name : "(unknown)";
			set_state(SQLSTATE_BUG);
			return -1;
		}
	}
	last_stmt = n > 0 ? s[0]->name : "(pipeline)";
	if (db_ensure() != 0)
		return -1;
	if (PQenterPipelineMode(conn) != 1)
		goto lost;
	if (begin && pipe_send(NULL, "BEGIN", NULL) != 1)
		goto lost;
	for (int i = 0; i < n; i++)
		if (pipe_send(s[i], NULL, &calls[i]) != 1)
			goto lost;
	if ((commit && pipe_send(NULL, "COMMIT", NULL) != 1) || PQpipelineSync(conn) != 1)
		goto lost;
	if (begin)
		in_txn = 1;
	/* One result for each query (each followed by a NULL), then the
	 * sync; after a failure the rest come back PIPELINE_ABORTED. */
	for (;;) {
		int i;

		if ((r = PQgetResult(conn)) == NULL) {
			if (PQstatus(conn) == CONNECTION_BAD || ++nulls > 1)
				goto lost;
			continue;
		}
		nulls = 0;
		if (PQresultStatus(r) == PGRES_PIPELINE_SYNC) {
			PQclear(r);
			break;
		}
		i = k++ - (begin != 0);
		if (!result_ok(r)) {
			if (!failed && PQresultStatus(r) != PGRES_PIPELINE_ABORTED) {
				last_stmt = i < 0 ? "BEGIN" : i < n ? s[i]->name : "COMMIT";
				note_failure(last_stmt, r);
				failed = 1;
			}
			PQclear(r);
		} else if (i >= 0 && i < n)
			res[i] = r;
		else
			PQclear(r);
	}
	if (PQexitPipelineMode(conn) != 1 || k != total)
		goto lost;
	if (commit && !failed)
		in_txn = 0;
	if (!failed)
		return 0;
	for (int i = 0; i < n; i++) {
		PQclear(res[i]);
		res[i] = NULL;
	}
	return -1;
lost:
	log_error("db_error", "pipeline (%s): %s", last_stmt, PQerrorMessage(conn));
	for (int i = 0; i < n; i++) {
		PQclear(res[i]);
		res[i] = NULL;
	}
	/* The connection is in an unknown state: start again from a new one. */
	PQfinish(conn);
	conn = NULL;
	in_txn = 0;
	set_state(SQLSTATE_CONNECTION);
	return -1;
}

int
db_begin(void)
{
	if (simple("BEGIN") != 0)
		return -1;
	in_txn = 1;
	return 0;
}

int
db_in_transaction(void)
{
	return in_txn;
}

int
db_commit(void)
{
	int rc = simple("COMMIT");

	in_txn = 0;
	return rc;
}

void
db_rollback(void)
{
	if (conn != NULL && PQstatus(conn) == CONNECTION_OK &&
	    PQtransactionStatus(conn) != PQTRANS_IDLE) {
		PGresult *res = PQexec(conn, "ROLLBACK");

		PQclear(res);
	}
	in_txn = 0;
}

void
db_after_request(void)
{
	if (conn == NULL || PQstatus(conn) != CONNECTION_OK)
		return;
	if (PQtransactionStatus(conn) != PQTRANS_IDLE) {
		log_warn("db_txn", "request left a transaction open; rolled back");
		db_rollback();
	}
	in_txn = 0;
}

int
db_ping(void)
{
	PGresult *res = db_exec(ST_CORE_PING, 0, NULL);

	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

int
db_listen(const char *channel)
{
	struct wt_buf sql;
	int rc;

	buf_init(&sql);
	buf_printf(&sql, "LISTEN %s", channel);
	rc = simple(sql.data);
	buf_free(&sql);
	return rc;
}

int
db_wait_notify(int timeout_ms)
{
	struct pollfd pfd;
	PGnotify *n;
	int got = 0;

	if (conn == NULL || PQstatus(conn) != CONNECTION_OK)
		return -1;
	pfd.fd = PQsocket(conn);
	pfd.events = POLLIN;
	pfd.revents = 0;
	if (poll(&pfd, 1, timeout_ms) < 0)
		return 0;	/* a signal: the caller looks at its flags */
	if (!PQconsumeInput(conn))
		return -1;
	while ((n = PQnotifies(conn)) != NULL) {
		PQfreemem(n);
		got = 1;
	}
	return got;
}

int
db_copy_in(const char *copy_sql, const char *data, size_t len)
{
	PGresult *res;
	int ok;

	last_state[0] = '\0';
	last_stmt = copy_sql;
	if (db_ensure() != 0)
		return -1;
	res = PQexec(conn, copy_sql);
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		note_failure(copy_sql, res);
		PQclear(res);
		return -1;
	}
	PQclear(res);
	/* A blocking connection takes the whole buffer or fails. */
	if (PQputCopyData(conn, data, (int)len) != 1 || PQputCopyEnd(conn, NULL) != 1) {
		log_error("db_error", "COPY: %s", PQerrorMessage(conn));
		set_state(SQLSTATE_CONNECTION);
		while ((res = PQgetResult(conn)) != NULL)
			PQclear(res);
		return -1;
	}
	ok = 1;
	while ((res = PQgetResult(conn)) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			note_failure(copy_sql, res);
			ok = 0;
		}
		PQclear(res);
	}
	return ok ? 0 : -1;
}
