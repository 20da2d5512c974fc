/* dash.fcgi: every page and JSON report a person reads. */
#ifndef WT_DASH_H
#define WT_DASH_H

#include "app.h"

/* The program (routes.c): main.c runs it, tests dispatch to it. */
extern const struct wt_app dash_app;

enum dash_stmt {
	ST_DASH_SCHEMA = WT_STMT_BASE(WT_SLOT_APP),
	ST_DASH_END
};
#define DASH_NSTMTS	(ST_DASH_END - WT_STMT_BASE(WT_SLOT_APP))

/* Columns of ST_DASH_SCHEMA. */
enum { C_SCHEMA_VERSION, C_SCHEMA_COUNT };

extern const struct wt_stmt dash_stmts[DASH_NSTMTS];

struct wt_err	*dash_home(struct wt_req *);

#endif
