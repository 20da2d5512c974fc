/* The worker's one PostgreSQL connection.
 *
 * Opened after fork, lazily; every statement a program runs is declared in
 * a table (core's and the program's) and prepared once per connection.
 * A lost connection is reset and the statements prepared again on the
 * next use, and an idempotent statement outside a transaction is retried
 * once, so a database restart costs the requests in flight at that moment
 * and nothing after it. */
#ifndef WT_DB_H
#define WT_DB_H

#include <libpq-fe.h>

struct wt_stmt {
	const char	*name;
	const char	*sql;
	int		 idempotent;	/* safe to run twice (reads) */
};

/* stmts ends with a NULL name; the pointer must stay valid. */
void		 db_setup(const char *conninfo, const char *appname,
		    const struct wt_stmt *stmts);
void		 db_close(void);
/* 0 when connected (connecting first if needed). */
int		 db_ensure(void);
/* A result whose status is COMMAND_OK or TUPLES_OK, or NULL after
 * logging; the SQLSTATE of the failure is then in db_sqlstate(). */
PGresult	*db_exec(const char *name, int nparams, const char *const *params);
const char	*db_sqlstate(void);
/* Convenience: rows affected / first value, -1 or NULL on error. */
long long	 db_exec_count(const char *name, int nparams, const char *const *params);
int		 db_begin(void);
int		 db_commit(void);
void		 db_rollback(void);
/* Called after every request: a transaction left open is rolled back. */
void		 db_after_request(void);
/* 0 when a trivial query succeeds. */
int		 db_ping(void);

#define SQLSTATE_UNIQUE_VIOLATION	"23505"
#define SQLSTATE_FOREIGN_KEY		"23503"
#define SQLSTATE_CHECK			"23514"
#define SQLSTATE_CONNECTION		"08006"

#endif
