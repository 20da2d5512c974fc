/* admin.fcgi: people, teams, devices, settings and the audit log.
 *
 * Who may call what is each route's access rule (routes.c), enforced by the
 * dispatcher before any handler runs; whose rows they then see is one
 * rule, applied in SQL by every statement that reads people: a member
 * sees only themselves, a manager the people of the teams they manage, an
 * admin everyone.
 *
 * No function here answers a request: helpers return NULL or an error,
 * and handlers return what wt_json/wt_html/wt_redirect return or the
 * error, for app_dispatch to answer. */
#ifndef WT_ADMIN_H
#define WT_ADMIN_H

#include "app.h"
#include "mail.h"
#include "session.h"

struct wt_view;

/* Every statement admin.fcgi runs (stmts.c; the table there is indexed
 * by this enum and declares each one's parameter count).  "Scoped"
 * statements take the caller's id and role as $1 and $2 (scoped_exec
 * adds them), so the parameters listed here start at $3.  The columns a
 * handler reads are named in the enums after this one. */
enum admin_stmt {
	ST_ADMIN_COUNTS = WT_STMT_BASE(WT_SLOT_APP),	/* scoped */

	/* people */
	ST_ADMIN_USER_VISIBLE,		/* scoped; $3 id */
	ST_ADMIN_USERS_LIST,		/* scoped; $3 q, $4 team, $5 role, $6 limit, $7 offset */
	ST_ADMIN_USER_GET,		/* scoped; $3 id, $4 time zone */
	ST_ADMIN_USER_JSON,		/* $1 id: the audit snapshot */
	ST_ADMIN_USER_TEAMS,		/* scoped; $3 id */
	ST_ADMIN_USER_BY_EMAIL,		/* $1 email */
	ST_ADMIN_USER_UPDATE,		/* $1 id, $2 display_name, $3 role */
	ST_ADMIN_USER_DISABLE,		/* $1 id */
	ST_ADMIN_USER_ENABLE,		/* $1 id */
	ST_ADMIN_USER_SESSIONS_END,	/* $1 id */
	ST_ADMIN_USER_DELETE,		/* $1 id */
	ST_ADMIN_OTHER_ADMINS,		/* $1 id */
	ST_ADMIN_INVITE_INSERT,		/* $1 hash, $2 email, $3 role, $4 by, $5 team */
	ST_ADMIN_USER_MANAGES,		/* $1 id: {"manages": [team names]}, NULL: none */

	/* invitations */
	ST_ADMIN_INVITES_LIST,		/* scoped; $3 time zone */
	ST_ADMIN_INVITE_GET,		/* scoped; $3 id: locked */
	ST_ADMIN_INVITE_REVOKE,		/* $1 id, $2 by */
	ST_ADMIN_INVITE_RESEND,		/* $1 id, $2 hash, $3 time zone */
	ST_ADMIN_INVITE_SHOWN,		/* scoped; $3 id: the e-mail, for a notice */

	/* the installation */
	ST_ADMIN_SYSTEM,		/* $1 time zone */

	/* teams */
	ST_ADMIN_TEAMS_LIST,		/* scoped */
	ST_ADMIN_TEAM_GET,		/* scoped; $3 id */
	ST_ADMIN_TEAM_JSON,		/* $1 id: the audit snapshot */
	ST_ADMIN_TEAM_MEMBERS,		/* $1 team */
	ST_ADMIN_TEAM_INSERT,		/* $1 name */
	ST_ADMIN_TEAM_RENAME,		/* $1 id, $2 name */
	ST_ADMIN_TEAM_DELETE,		/* $1 id */
	ST_ADMIN_MEMBER_GET,		/* $1 team, $2 user */
	ST_ADMIN_MEMBER_UPSERT,		/* $1 team, $2 user, $3 role */
	ST_ADMIN_MEMBER_DELETE,		/* $1 team, $2 user */
	ST_ADMIN_PROMOTE_MANAGER,	/* $1 user */

	/* devices */
	ST_ADMIN_DEVICES_LIST,		/* scoped; $3 time zone, $4 user (0: all) */
	ST_ADMIN_CODES_LIST,		/* scoped; $3 time zone, $4 user (0: all) */
	ST_ADMIN_CODE_INSERT,		/* $1 hash, $2 user, $3 kind, $4 name, $5 by, $6 time zone */
	ST_ADMIN_CODE_GET,		/* scoped; $3 id */
	ST_ADMIN_CODE_REVOKE,		/* $1 id */
	ST_ADMIN_DEVICE_GET,		/* scoped; $3 id */
	ST_ADMIN_DEVICE_REVOKE,		/* $1 id */

	/* settings */
	ST_ADMIN_SETTINGS_GET,
	ST_ADMIN_SETTINGS_JSON,
	ST_ADMIN_SETTINGS_UPDATE,	/* $1..$14: the columns of SETTINGS_GET
					 * (title_exclude as a JSON array) */

	/* categories */
	ST_ADMIN_CATEGORIES_LIST,
	ST_ADMIN_CATEGORY_ONE,		/* $1 id: as the list shows it */
	ST_ADMIN_CATEGORY_JSON,		/* $1 id: the audit snapshot */
	ST_ADMIN_CATEGORY_LOCK,		/* $1 id: the rule, locked, and its snapshot */
	ST_ADMIN_CATEGORY_INSERT,	/* $1 name .. $7 colour (C_CLOCK_* order) */
	ST_ADMIN_CATEGORY_UPDATE,	/* $1 id, $2 name .. $8 colour */
	ST_ADMIN_CATEGORY_DELETE,	/* $1 id */
	/* the categories page (categories_page.c) */
	ST_ADMIN_CATEGORIES_TREE,	/* every rule with its last 7 days */
	ST_ADMIN_CATEGORY_KEEP_WEEK,	/* the preview's 7 days kept by the hour */
	ST_ADMIN_CATEGORY_TIMEOUT,	/* $1 statement_timeout for the transaction */
	ST_ADMIN_CATEGORY_REGEX_CHECK,	/* $1 app_re, $2 title_re, $3 url_re: compiled */
	ST_ADMIN_CATEGORY_PREVIEW,	/* $1..$3 patterns, $4 the rule's id (or after
					 * every id), $5 depth, $6 priority, $7 rows */
	ST_ADMIN_CATEGORY_BUILDER,	/* $1 from, $2 to (dates or NULL: the last 7
					 * days), $3 time zone, $4 rows per list */

	/* audit */
	ST_ADMIN_AUDIT_INSERT,		/* $1 actor id .. $9 ip */
	ST_ADMIN_AUDIT_LIST,		/* $1 time zone, $2..$7 filters, $8 limit, $9 offset */

	ST_ADMIN_END
};

/* The columns each statement's result has, in its SELECT's order. */
/* ST_ADMIN_COUNTS */
enum { C_COUNT_PEOPLE, C_COUNT_TEAMS, C_COUNT_DEVICES, C_COUNT_INVITES,
	C_COUNT_EVER_INVITED };
/* ST_ADMIN_USERS_LIST: one row with NULLs and the total on an empty page */
enum { C_ULIST_ID, C_ULIST_EMAIL, C_ULIST_NAME, C_ULIST_ROLE, C_ULIST_STATUS,
	C_ULIST_CREATED, C_ULIST_TEAMS, C_ULIST_TOTAL };
/* ST_ADMIN_USER_GET */
enum { C_UGET_ID, C_UGET_EMAIL, C_UGET_NAME, C_UGET_ROLE, C_UGET_STATUS,
	C_UGET_TIMEZONE, C_UGET_CREATED, C_UGET_LAST_SEEN, C_UGET_LAST_ADMIN };
/* ST_ADMIN_USER_JSON */
enum { C_UJSON_JSON, C_UJSON_EMAIL, C_UJSON_ROLE };
/* ST_ADMIN_USER_TEAMS */
enum { C_UTEAM_ID, C_UTEAM_NAME, C_UTEAM_ROLE };
/* ST_ADMIN_USER_BY_EMAIL */
enum { C_UEMAIL_ID, C_UEMAIL_EMAIL };
/* ST_ADMIN_INVITES_LIST */
enum { C_ILIST_ID, C_ILIST_EMAIL, C_ILIST_ROLE, C_ILIST_TEAM_ID, C_ILIST_TEAM,
	C_ILIST_SENDER, C_ILIST_SENT, C_ILIST_EXPIRES, C_ILIST_EXPIRED, C_ILIST_SENT_COUNT,
	C_ILIST_NCOLS };
/* ST_ADMIN_INVITE_GET */
enum { C_IGET_EMAIL, C_IGET_ROLE, C_IGET_LIVE, C_IGET_JSON };
/* ST_ADMIN_INVITE_RESEND */
enum { C_IRESEND_EXPIRES, C_IRESEND_JSON };
/* ST_ADMIN_SYSTEM */
enum { C_SYS_SCHEMA, C_SYS_MIGRATIONS, C_SYS_LAST_APPLIED, C_SYS_PG_VERSION };
/* ST_ADMIN_TEAMS_LIST */
enum { C_TLIST_ID, C_TLIST_NAME, C_TLIST_MEMBERS, C_TLIST_MANAGERS };
/* ST_ADMIN_TEAM_GET */
enum { C_TGET_ID, C_TGET_NAME, C_TGET_CREATED };
/* ST_ADMIN_TEAM_JSON */
enum { C_TJSON_JSON, C_TJSON_NAME };
/* ST_ADMIN_TEAM_MEMBERS */
enum { C_TMEM_ID, C_TMEM_NAME, C_TMEM_EMAIL, C_TMEM_ROLE, C_TMEM_STATUS };
/* ST_ADMIN_TEAM_INSERT */
enum { C_TINS_ID };
/* ST_ADMIN_MEMBER_GET */
enum { C_MGET_ROLE, C_MGET_EMAIL };
/* ST_ADMIN_DEVICES_LIST */
enum { C_DLIST_ID, C_DLIST_NAME, C_DLIST_KIND, C_DLIST_HOSTNAME, C_DLIST_OS,
	C_DLIST_AGENT_VERSION, C_DLIST_USER_ID, C_DLIST_USER_NAME, C_DLIST_LAST_SEEN,
	C_DLIST_STATUS, C_DLIST_NCOLS };
/* ST_ADMIN_CODES_LIST */
enum { C_CLIST_ID, C_CLIST_DEVICE_NAME, C_CLIST_KIND, C_CLIST_USER_ID,
	C_CLIST_USER_NAME, C_CLIST_EXPIRES, C_CLIST_NCOLS };
/* ST_ADMIN_CODE_INSERT */
enum { C_CINS_ID, C_CINS_EXPIRES, C_CINS_EXPIRES_LOCAL };
/* ST_ADMIN_CODE_GET and ST_ADMIN_DEVICE_GET: whose, its name, still usable */
enum { C_REVOKE_USER_ID, C_REVOKE_LABEL, C_REVOKE_LIVE, C_REVOKE_ACTS };
/* ST_ADMIN_SETTINGS_GET: settings.c's keys[], in that order */
/* ST_ADMIN_SETTINGS_JSON */
enum { C_SJSON_JSON };
/* ST_ADMIN_CATEGORIES_LIST (one row with NULLs and the count of
 * uncategorised windows when there is no rule) and ST_ADMIN_CATEGORY_ONE
 * (without the last column) */
enum { C_CAT_ID, C_CAT_NAME, C_CAT_DEPTH, C_CAT_APP_RE, C_CAT_TITLE_RE, C_CAT_URL_RE,
	C_CAT_PRIORITY, C_CAT_PRODUCTIVITY, C_CAT_COLOUR, C_CAT_WINDOWS, C_CAT_UNCATEGORISED };
/* ST_ADMIN_CATEGORY_JSON */
enum { C_CJSON_JSON };
/* ST_ADMIN_CATEGORY_LOCK: the rule's columns, then its audit snapshot */
enum { C_CLOCK_NAME, C_CLOCK_APP_RE, C_CLOCK_TITLE_RE, C_CLOCK_URL_RE, C_CLOCK_PRIORITY,
	C_CLOCK_PRODUCTIVITY, C_CLOCK_COLOUR, C_CLOCK_JSON };
/* ST_ADMIN_CATEGORY_INSERT */
enum { C_CATINS_ID };
/* ST_ADMIN_CATEGORIES_TREE: in tree order (one row with NULLs when there
 * is no rule); the last two columns are the same on every row */
enum { C_TREE_ID, C_TREE_NAME, C_TREE_KEY, C_TREE_DEPTH, C_TREE_APP_RE, C_TREE_TITLE_RE,
	C_TREE_URL_RE, C_TREE_PRIORITY, C_TREE_PRODUCTIVITY, C_TREE_COLOUR, C_TREE_WEEK_WINDOWS,
	C_TREE_WEEK_MS, C_TREE_UNCAT_WINDOWS, C_TREE_UNCAT_MS };
/* ST_ADMIN_CATEGORY_PREVIEW: the top windows matched, each with the
 * totals (one row with NULLs and the lost count when none matches) */
enum { C_PREV_APP, C_PREV_TITLE, C_PREV_URL, C_PREV_MS, C_PREV_CATEGORY, C_PREV_COLOUR,
	C_PREV_OTHER, C_PREV_TAKES, C_PREV_N, C_PREV_N_MS, C_PREV_OTHER_N, C_PREV_OTHER_MS,
	C_PREV_TAKES_N, C_PREV_TAKES_MS, C_PREV_LOSES_N };
/* ST_ADMIN_CATEGORY_BUILDER: the range and totals on every row, then one
 * list entry: kind w (a window: app, title, url), a (an application),
 * k (a word, in a), or NULL when nothing is uncategorised */
enum { C_BLD_FROM, C_BLD_TO, C_BLD_UNCAT_N, C_BLD_UNCAT_MS, C_BLD_ALL_MS, C_BLD_KIND,
	C_BLD_A, C_BLD_T, C_BLD_L, C_BLD_MS, C_BLD_N };
/* ST_ADMIN_AUDIT_LIST: one row with NULLs and the total on an empty page */
enum { C_ALIST_ID, C_ALIST_AT, C_ALIST_ACTOR, C_ALIST_ACTION, C_ALIST_TARGET_TYPE,
	C_ALIST_TARGET_ID, C_ALIST_TARGET_LABEL, C_ALIST_BEFORE, C_ALIST_AFTER,
	C_ALIST_IP, C_ALIST_TOTAL, C_ALIST_ACTOR_NAME, C_ALIST_TARGET_NAME, C_ALIST_CHANGES,
	C_ALIST_NCOLS };


extern const struct wt_stmt admin_stmts[ST_ADMIN_END - WT_STMT_BASE(WT_SLOT_APP)];
extern const struct wt_constraint admin_constraints[];
extern const struct wt_route admin_routes[];
/* The program (routes.c): main.c runs it, tests dispatch to it. */
extern const struct wt_app admin_app;

/* access.c: the scope rule for one person: *seen is 1 when r's user may
 * see user uid, else 0, and *acts 1 when they may also act on them (a
 * manager only on members: stmts.c, ACTS); NULL or the database's
 * error. */
struct wt_err	*can_see_user(struct wt_req *, long long uid, int *seen, int *acts);
/* The 403 of a manager acting on someone whose role is not below theirs. */
struct wt_err	*not_below(void);
int		 is_admin(const struct wt_req *);

/* audit.c: records an action in the caller's transaction.  before and
 * after are JSON text (or NULL).  NULL or the database's error. */
struct wt_err	*audit(struct wt_req *, const char *action, const char *target_type,
		    const char *target_id, const char *label, const char *before,
		    const char *after);
extern const struct wt_field audit_fields[];
struct wt_err	*audit_page(struct wt_req *);

/* util.c: helpers shared by the pages. */
/* The same 404 whether the row does not exist or is outside the
 * caller's scope. */
struct wt_err	*not_found(const char *what);
/* The id of r's user, as text for statement parameters. */
const char	*me(struct wt_req *);
/* Runs a statement whose first two parameters are the caller's id and
 * role (the scope rule) followed by the n given ones: *out is the
 * result, or the error is returned. */
struct wt_err	*scoped_exec(struct wt_req *, int stmt, int n, const char *const *params,
		    PGresult **out);
/* The answer after a change: JSON body, or a 303 to redirect for forms. */
struct wt_err	*done(struct wt_req *, int status, json_t *body, const char *redirect);
/* JSON value to text for the audit log (caller frees); takes body. */
char		*json_text(json_t *);

/* pages.  A *_fill function fills the view with a page around its forms
 * (the route table's form_page): a refused form post is shown on it. */
struct wt_err	*home_page(struct wt_req *);
struct wt_err	*system_page(struct wt_req *);

extern const struct wt_field people_list_fields[], person_page_fields[], person_fields[],
	person_edit_fields[], person_delete_fields[];
struct wt_err	*people_page(struct wt_req *);
struct wt_err	*person_page(struct wt_req *);
struct wt_err	*person_fill(struct wt_req *);
/* The teams the caller may choose from, as Teams.N.id/name. */
struct wt_err	*team_choices(struct wt_req *, struct wt_view *);
struct wt_err	*person_edit(struct wt_req *);
struct wt_err	*person_deactivate(struct wt_req *);
struct wt_err	*person_activate(struct wt_req *);
struct wt_err	*person_delete(struct wt_req *);

extern const struct wt_field teams_page_fields[], team_page_fields[], team_fields[],
	team_create_fields[], team_rename_fields[], member_add_fields[], member_fields[];
struct wt_err	*teams_page(struct wt_req *);
struct wt_err	*teams_fill(struct wt_req *);
struct wt_err	*team_page(struct wt_req *);
struct wt_err	*team_fill(struct wt_req *);
struct wt_err	*team_create(struct wt_req *);
struct wt_err	*team_rename(struct wt_req *);
struct wt_err	*team_delete(struct wt_req *);
struct wt_err	*member_add(struct wt_req *);
struct wt_err	*member_remove(struct wt_req *);

extern const struct wt_field devices_fields[], code_create_fields[], code_fields[],
	device_fields[];
struct wt_err	*devices_page(struct wt_req *);
struct wt_err	*devices_fill(struct wt_req *);
struct wt_err	*code_create(struct wt_req *);
struct wt_err	*code_revoke(struct wt_req *);
struct wt_err	*device_revoke(struct wt_req *);

extern const struct wt_field invitation_create_fields[], invitations_fields[],
	invitation_fields[];
struct wt_err	*invitations_page(struct wt_req *);
struct wt_err	*invitations_fill(struct wt_req *);
struct wt_err	*invitation_create(struct wt_req *);
struct wt_err	*invitation_resend(struct wt_req *);
struct wt_err	*invitation_revoke(struct wt_req *);

extern const struct wt_field category_create_fields[], category_edit_fields[],
	category_fields[];
struct wt_err	*categories_page(struct wt_req *);
struct wt_err	*category_create(struct wt_req *);
struct wt_err	*category_edit(struct wt_req *);
struct wt_err	*category_delete(struct wt_req *);
/* The categories page, the rule editor and the builder: categories.h. */

extern const struct wt_field settings_page_fields[], settings_fields[];
struct wt_err	*settings_page(struct wt_req *);
struct wt_err	*settings_post(struct wt_req *);

/* A notice flag in the query string ("?saved=1" after a redirect). */
#define NOTICE_FIELD(n) \
	{ .name = (n), .src = WT_SRC_QUERY, .type = WT_T_BOOL }

#endif
