/* admin.fcgi: people, teams, devices, settings and the audit log.
 *
 * Who may call what is one table, access.c, enforced before any handler
 * runs; whose rows they then see is one rule, applied in SQL by every
 * statement that reads people: a member sees only themselves, a manager
 * the people of the teams they manage, an admin everyone. */
#ifndef WT_ADMIN_H
#define WT_ADMIN_H

#include "app.h"
#include "session.h"

#define R_MEMBER	0x1u
#define R_MANAGER	0x2u
#define R_ADMIN		0x4u
#define R_ANY		(R_MEMBER | R_MANAGER | R_ADMIN)

struct access_rule {
	const char	*method;
	const char	*pattern;
	unsigned	 roles;
	const char	*sees;		/* whose data, for the README and tests */
};

extern const struct access_rule access_rules[];
extern const struct wt_route admin_routes[];
extern const struct wt_stmt admin_stmts[];

int	admin_authorize(struct wt_req *);
/* Prints the route table with each route's rule, tab-separated; a route
 * without a rule prints "MISSING".  Non-zero if any is missing. */
int	access_table_print(void);
/* The scope rule for one person: 1 when r's user may see user uid, 0
 * when not, -1 on a database error. */
int	can_see_user(struct wt_req *, long long uid);
int	is_admin(const struct wt_req *);

/* audit.c: records an action in the caller's transaction.  before and
 * after are JSON text (or NULL). */
int	audit(struct wt_req *, const char *action, const char *target_type,
	    const char *target_id, const char *label, const char *before,
	    const char *after);
extern const struct wt_field audit_fields[];
void	audit_page(struct wt_req *);

/* Helpers shared by the pages. */
void	not_found(struct wt_req *, const char *what);
/* The id of r's user, as text for statement parameters. */
const char *me(struct wt_req *);
/* Runs a statement whose first two parameters are the caller's id and
 * role (the scope rule) followed by the given ones. */
PGresult *scoped_exec(struct wt_req *, const char *stmt, int n, const char *const *params);
/* Sends an answer after a change: JSON body, or a redirect for forms. */
void	done(struct wt_req *, int status, json_t *body, const char *redirect);

/* pages */
void	home_page(struct wt_req *);
extern const struct wt_field people_list_fields[], person_fields[], person_create_fields[],
	person_edit_fields[], person_delete_fields[];
void	people_page(struct wt_req *);
void	person_page(struct wt_req *);
void	person_create(struct wt_req *);
void	person_edit(struct wt_req *);
void	person_deactivate(struct wt_req *);
void	person_activate(struct wt_req *);
void	person_delete(struct wt_req *);

extern const struct wt_field team_fields[], team_create_fields[], team_rename_fields[],
	member_add_fields[], member_fields[];
void	teams_page(struct wt_req *);
void	team_page(struct wt_req *);
void	team_create(struct wt_req *);
void	team_rename(struct wt_req *);
void	team_delete(struct wt_req *);
void	member_add(struct wt_req *);
void	member_remove(struct wt_req *);

extern const struct wt_field devices_fields[], code_create_fields[], code_fields[],
	device_fields[];
void	devices_page(struct wt_req *);
void	code_create(struct wt_req *);
void	code_revoke(struct wt_req *);
void	device_revoke(struct wt_req *);

extern const struct wt_field settings_fields[];
void	settings_page(struct wt_req *);
void	settings_post(struct wt_req *);

#endif
