#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "db.h"
#include "log.h"
#include "session.h"

static const struct wt_stmt core_stmts[] = {
	{ "core_ping", "SELECT 1", 1 },
	{ NULL, NULL, 0 }
};

static PGconn			*conn;
static char			*conninfo;
static char			 appname[64];
static const struct wt_stmt	*app_stmts;
static int			 in_txn;
static char			 last_state[6];

void
db_setup(const char *ci, const char *app, const struct wt_stmt *stmts)
{
	free(conninfo);
	conninfo = xstrdup(ci);
	snprintf(appname, sizeof(appname), "%s", app);
	app_stmts = stmts;
}

void
db_close(void)
{
	if (conn != NULL)
		PQfinish(conn);
	conn = NULL;
	in_txn = 0;
}

static const struct wt_stmt *
find_stmt(const char *name)
{
	for (const struct wt_stmt *s = core_stmts; s->name != NULL; s++)
		if (strcmp(s->name, name) == 0)
			return s;
	for (const struct wt_stmt *s = session_stmts; s->name != NULL; s++)
		if (strcmp(s->name, name) == 0)
			return s;
	for (const struct wt_stmt *s = app_stmts; s && s->name != NULL; s++)
		if (strcmp(s->name, name) == 0)
			return s;
	return NULL;
}

static int
prepare_table(const struct wt_stmt *t)
{
	for (const struct wt_stmt *s = t; s != NULL && s->name != NULL; s++) {
		PGresult *res = PQprepare(conn, s->name, s->sql, 0, NULL);

		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			/* A statement that does not prepare is a bug in this
			 * program or a missing migration: say which. */
			json_t *extra = json_pack("{ss}", "stmt", s->name);

			log_write(WT_ERROR, "db_prepare", extra, "%s",
			    PQresultErrorMessage(res));
			PQclear(res);
			return -1;
		}
		PQclear(res);
	}
	return 0;
}

static int
session_setup(void)
{
	/* Constant text, no input: guards against runaway queries holding
	 * a worker forever. */
	PGresult *res = PQexec(conn, "SET statement_timeout = '30s'; SET TIME ZONE 'UTC'");
	int ok = PQresultStatus(res) == PGRES_COMMAND_OK;

	PQclear(res);
	if (!ok)
		return -1;
	if (prepare_table(core_stmts) != 0 || prepare_table(session_stmts) != 0 ||
	    prepare_table(app_stmts) != 0)
		return -1;
	return 0;
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
		strcpy(last_state, SQLSTATE_CONNECTION);
		return -1;
	}
	if (session_setup() != 0) {
		/* Next request starts again from a fresh connection. */
		PQfinish(conn);
		conn = NULL;
		strcpy(last_state, SQLSTATE_CONNECTION);
		return -1;
	}
	log_info("db_connect", "connected");
	return 0;
}

int
db_ensure(void)
{
	if (conn != NULL && PQstatus(conn) == CONNECTION_OK)
		return 0;
	return connect_now();
}

const char *
db_sqlstate(void)
{
	return last_state;
}

static PGresult *
exec_once(const char *name, int n, const char *const *params)
{
	return PQexecPrepared(conn, name, n, params, NULL, NULL, 0);
}

static int
result_ok(PGresult *res)
{
	ExecStatusType st = PQresultStatus(res);

	return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

PGresult *
db_exec(const char *name, int n, const char *const *params)
{
	const struct wt_stmt *s = find_stmt(name);
	PGresult *res;
	const char *state;

	last_state[0] = '\0';
	if (s == NULL) {
		log_error("bug", "unknown statement %s", name);
		abort();
	}
	if (db_ensure() != 0)
		return NULL;
	res = exec_once(name, n, params);
	if (!result_ok(res) && PQstatus(conn) == CONNECTION_BAD) {
		int was_in_txn = in_txn;

		PQclear(res);
		res = NULL;
		log_warn("db_lost", "connection lost during %s; reconnecting", name);
		if (connect_now() != 0)
			return NULL;
		/* A write might have been applied before the loss; only a read
		 * outside a transaction is known to be safe to repeat. */
		if (!s->idempotent || was_in_txn) {
			strcpy(last_state, SQLSTATE_CONNECTION);
			return NULL;
		}
		res = exec_once(name, n, params);
	}
	if (result_ok(res))
		return res;
	state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	snprintf(last_state, sizeof(last_state), "%s", state ? state : SQLSTATE_CONNECTION);
	{
		json_t *extra = json_pack("{ss ss}", "stmt", name, "sqlstate", last_state);

		/* Constraint violations are answered as 4xx by the caller;
		 * they are not server errors. */
		log_write(last_state[0] == '2' && last_state[1] == '3' ? WT_INFO : WT_ERROR,
		    "db_error", extra, "%s", PQresultErrorMessage(res));
	}
	PQclear(res);
	return NULL;
}

long long
db_exec_count(const char *name, int n, const char *const *params)
{
	PGresult *res = db_exec(name, n, params);
	long long count;

	if (res == NULL)
		return -1;
	count = atoll(PQcmdTuples(res));
	PQclear(res);
	return count;
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
	if (!ok)
		log_error("db_error", "%s: %s", sql, PQresultErrorMessage(res));
	PQclear(res);
	return ok ? 0 : -1;
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
db_commit(void)
{
	int rc = simple("COMMIT");

	in_txn = 0;
	return rc;
}

void
db_rollback(void)
{
	if (conn != NULL && PQstatus(conn) == CONNECTION_OK)
		(void)simple("ROLLBACK");
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
	PGresult *res = db_exec("core_ping", 0, NULL);

	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}
