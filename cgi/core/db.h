/* The worker's one PostgreSQL connection.
 *
 * Opened after fork, lazily.  Every statement a program runs is declared
 * in a table indexed by an enum the compiler knows (a misspelt statement
 * does not compile), with its parameter count, which is checked against
 * the server's when it is prepared and against the caller's at every
 * call.  Tables live in slots: core, session, mail, and the program's own.
 *
 * A lost connection is reset and the statements prepared again on the
 * next use, and an idempotent statement outside a transaction is retried
 * once, so a database restart costs the requests in flight at that moment
 * and nothing after it.
 *
 * A failure is told apart by its SQLSTATE in one place, db_err():
 * connection (08, 57P) -> 503 with Retry-After; constraint (23) -> 409 or
 * 400 in words; an invalid regular expression (2201B) raised with the
 * COLUMN field set (sql/005's regex_check) -> 400 naming that column, with
 * PostgreSQL's message and detail; serialization or deadlock (40001, 40P01) -> the handler is
 * run once more by the dispatcher, then 503; anything else -> 500, with
 * the state and statement logged under the request id, never sent. */
#ifndef WT_DB_H
#define WT_DB_H

#include <stddef.h>

#include <libpq-fe.h>

#include "err.h"

#define WT_STMT_SLOT_BITS	10
#define WT_STMT_INDEX(id)	((unsigned)(id) & ((1u << WT_STMT_SLOT_BITS) - 1))
enum wt_stmt_slot {
	WT_SLOT_CORE,
	WT_SLOT_SESSION,
	WT_SLOT_MAIL,
	WT_SLOT_SHOTS,
	WT_SLOT_APP,
	WT_NSLOTS
};
#define WT_STMT_BASE(slot)	((int)(slot) << WT_STMT_SLOT_BITS)
/* A table entry for statement id: [STMT(ST_X)] = { ... }. */
#define STMT(id)		[WT_STMT_INDEX(id)]

struct wt_stmt {
	const char	*name;		/* the prepared name, in logs */
	const char	*sql;
	int		 nparams;
	int		 idempotent;	/* safe to run twice (reads) */
	/* A report read that may run on the replica (db_set_replica); it
	 * falls back to the primary when the replica fails. */
	int		 replica;
};

struct wt_stmt_table {
	const struct wt_stmt	*stmts;
	size_t			 n;
};
#define WT_STMT_TABLE(a)	{ (a), sizeof(a) / sizeof((a)[0]) }

/* A constraint's name and what a person is told when it is violated
 * (ends with a NULL name).  Violations of constraints not listed get a
 * generic message by kind. */
struct wt_constraint {
	const char	*name;
	int		 status;	/* 409 or 400 */
	const char	*field;
	const char	*message;
};

enum wt_core_stmt {
	ST_CORE_PING = WT_STMT_BASE(WT_SLOT_CORE),
	ST_CORE_END
};

/* Registers a slot's table; -1 (logged) if an entry is missing. */
int		 db_register(enum wt_stmt_slot, struct wt_stmt_table);
void		 db_set_constraints(const struct wt_constraint *);
/* Constant SQL (never input) run on every new connection; NULL: none. */
void		 db_set_session_sql(const char *);
void		 db_setup(const char *conninfo, const char *appname);
/* The read replica's connection string (NULL or empty: none).  Statements
 * declared .replica run there, outside transactions, while it answers;
 * when it cannot be reached or a statement fails there, the statement
 * runs on the primary and the replica is tried again after 10 s. */
void		 db_set_replica(const char *conninfo);
/* Whether the last .replica statement was answered by the replica. */
int		 db_on_replica(void);
void		 db_close(void);
/* 0 when connected (connecting first if needed). */
int		 db_ensure(void);
/* A result whose status is COMMAND_OK or TUPLES_OK, or NULL after
 * logging; db_err() then says what went wrong. */
PGresult	*db_exec(int stmt, int nparams, const char *const *params);
/* Rows affected, or -1. */
long long	 db_exec_count(int stmt, int nparams, const char *const *params);
/* The last failure as an error value, the transaction rolled back. */
struct wt_err	*db_err(void);
const char	*db_sqlstate(void);
int		 db_begin(void);
int		 db_commit(void);
/* 1 between db_begin and its commit or rollback. */
int		 db_in_transaction(void);
void		 db_rollback(void);
/* Called after every request: a transaction left open is rolled back. */
void		 db_after_request(void);
/* COPY ... FROM STDIN of data[0..len) in one go (bulk loads: spans).
 * copy_sql is a constant of the program, never built from input.  0, or
 * -1 with the failure for db_err(). */
int		 db_copy_in(const char *copy_sql, const char *data, size_t len);
/* How many connections this process has made: a new number means the
 * server may have restarted, and what it committed without waiting for
 * the disk may be gone (ingest's window cache starts again then). */
unsigned	 db_connection_number(void);
/* One statement of a pipeline. */
struct db_call {
	int			 stmt;
	int			 nparams;
	const char *const	*params;
};
/* The calls in one round trip (libpq's pipeline mode), after a BEGIN when
 * begin is set and followed by COMMIT when commit is set: for the hot
 * paths, where waiting for each answer in turn costs more than the work.
 * 0 and each call's result in res[i] (the caller clears them), or -1 with
 * the first failure for db_err() and no results (a transaction it began
 * is left for db_err's rollback).  A lost connection is not retried. */
int		 db_pipeline(int begin, const struct db_call *calls, int n, PGresult **res,
		    int commit);
/* Runs a read and hands each row to fn as it arrives (libpq's single-row
 * mode), so memory stays flat for any number of rows: fn gets a result of
 * one row and returns 0 to go on, non-zero to stop (the query is then
 * cancelled).  0, or -1 with the failure for db_err(). */
int		 db_each(int stmt, int nparams, const char *const *params,
		    int (*fn)(PGresult *row, void *arg), void *arg);
/* LISTEN on a channel (a constant identifier, never input); 0 or -1. */
int		 db_listen(const char *channel);
/* Waits up to timeout_ms for a notification (1), a timeout (0) or a lost
 * connection (-1); notifications are consumed. */
int		 db_wait_notify(int timeout_ms);
/* 0 when a trivial query succeeds. */
int		 db_ping(void);
/* Every registered table is complete and every statement prepares with
 * the declared parameter count (tests and --check). */
int		 db_check_tables(void);
/* A statement's name (logs, tests). */
const char	*db_stmt_name(int stmt);

#define SQLSTATE_UNIQUE_VIOLATION	"23505"
#define SQLSTATE_FOREIGN_KEY		"23503"
#define SQLSTATE_CHECK			"23514"
#define SQLSTATE_INVALID_REGEX		"2201B"
#define SQLSTATE_CONNECTION		"08006"
#define SQLSTATE_BUG			"XXBUG"	/* ours: wrong parameter count */

#endif
