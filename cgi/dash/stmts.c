/* Every statement dash.fcgi runs. */
#include "config.h"

#include "dash.h"

const struct wt_stmt dash_stmts[DASH_NSTMTS] = {
	STMT(ST_DASH_SCHEMA) = { "dash_schema",
	  "SELECT coalesce(max(version), ''), count(*) FROM schema_migrations", 0, 1 },
};
