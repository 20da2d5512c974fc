/* dash.fcgi: every page and JSON report a person reads. */
#ifndef WT_DASH_H
#define WT_DASH_H

#include "app.h"

/* The program (routes.c): main.c runs it, tests dispatch to it. */
extern const struct wt_app dash_app;

enum dash_stmt {
	ST_DASH_SCHEMA = WT_STMT_BASE(WT_SLOT_APP),
	ST_DASH_PERSON,
	ST_DASH_LOOK,
	ST_DASH_DAYS,
	ST_DASH_HOURS,
	ST_DASH_CATEGORIES,
	ST_DASH_LAG,
	ST_DASH_DAY_ARRAYS,
	ST_DASH_DAY_ONE,
	ST_DASH_WINDOWS,
	ST_DASH_LOOKS,
	ST_DASH_DELETE,
	ST_DASH_EVERYTHING,
	ST_DASH_ALL_SPANS,
	ST_DASH_ALL_TASK_SESSIONS,
	ST_DASH_ALL_TASKS,
	ST_DASH_ALL_TASK_EVENTS,
	/* task sessions (tasks_*.c) */
	ST_DASH_TASK_TOUCH,
	ST_DASH_TASK_LIST,
	ST_DASH_TASK_SESSION,
	ST_DASH_TASK_TASKS,
	ST_DASH_TASK_HOURS,
	ST_DASH_TASK_CSV,
	ST_DASH_TASK_LOCK,
	ST_DASH_TASK_DELETE_SESSION,
	ST_DASH_TASK_DELETE_TASK,
	/* screenshots.c */
	ST_DASH_SHOT_PEOPLE,
	ST_DASH_SHOT_OWNER,
	ST_DASH_SHOT_NAV,
	ST_DASH_SHOT_DAY,
	ST_DASH_SHOT_FILE,
	ST_DASH_SHOT_DELETE,
	ST_DASH_SHOT_VIEWS,
	ST_DASH_SHOT_POLICY,
	/* team.c */
	ST_DASH_TEAMS,
	ST_DASH_TEAM,
	ST_DASH_TEAM_MEMBERS,
	ST_DASH_TEAM_LOOK,
	ST_DASH_TEAM_REFRESH,
	/* bulk.c */
	ST_DASH_BULK_LOCK,
	ST_DASH_BULK_UNLOCK,
	/* hours.c */
	ST_DASH_HOURS_MEMBERS,
	ST_DASH_HOURS_DAYS,
	ST_DASH_HOURS_TODAY,
	ST_DASH_END
};
#define DASH_NSTMTS	(ST_DASH_END - WT_STMT_BASE(WT_SLOT_APP))

/* Columns of ST_DASH_SCHEMA. */
enum { C_SCHEMA_VERSION, C_SCHEMA_COUNT };
/* Columns of ST_DASH_PERSON. */
enum { C_P_ID, C_P_NAME, C_P_EMAIL, C_P_TZ, C_P_MAY_SEE, C_P_TODAY, C_P_GAP_MIN,
	C_P_RETENTION, C_P_OLDEST, C_P_DEVICES, C_P_LAST_SEEN };
/* Columns of ST_DASH_DAYS. */
enum { C_D_DAY, C_D_LO, C_D_HI, C_D_TRACKED, C_D_ACTIVE, C_D_AWAY, C_D_PRODUCTIVE,
	C_D_NEUTRAL, C_D_DISTRACTING, C_D_NONE, C_D_FIRST, C_D_LAST, C_D_WORKED,
	C_D_BREAKS, C_D_BREAK_MS, C_D_CATEGORIES };
/* Columns of ST_DASH_DAY_ARRAYS (segarr.h). */
enum { C_Y_DAY, C_Y_LO_US, C_Y_OFF_LO, C_Y_S, C_Y_E, C_Y_W, C_Y_GAP, C_Y_OFF_S, C_Y_OFF_E,
	C_Y_END };
/* ST_DASH_DAY_ONE: C_Y_* then C_D_* from C_Y_END. */
/* Columns of ST_DASH_WINDOWS. */
enum { C_W_ID, C_W_APP, C_W_TITLE, C_W_URL, C_W_CAT_ID, C_W_CATEGORY, C_W_COLOUR,
	C_W_PRODUCTIVITY };
/* Columns of ST_DASH_LOOKS. */
enum { C_L_AT, C_L_WHO, C_L_ROLE, C_L_PAGE, C_L_WHAT };
/* Columns of ST_DASH_ALL_SPANS. */
enum { C_A_DEVICE, C_A_START, C_A_MS, C_A_AFK, C_A_APP, C_A_TITLE, C_A_URL, C_A_CATEGORY };
/* Columns of ST_DASH_CATEGORIES. */
enum { C_C_ID, C_C_NAME, C_C_COLOUR, C_C_PRODUCTIVITY };

/* Columns of ST_DASH_SHOT_PEOPLE and ST_DASH_SHOT_OWNER. */
enum { C_SPERSON_ID, C_SPERSON_NAME, C_SPERSON_EMAIL };
/* Columns of ST_DASH_SHOT_NAV: the day of screenshots before and after. */
enum { C_SNAV_PREV, C_SNAV_NEXT };
/* Columns of ST_DASH_SHOT_DAY. */
enum { C_SDAY_ID, C_SDAY_TIME, C_SDAY_TAKEN, C_SDAY_BLURRED, C_SDAY_W, C_SDAY_H,
	C_SDAY_APP, C_SDAY_TITLE, C_SDAY_CATEGORY, C_SDAY_COLOUR, C_SDAY_PRODUCTIVITY,
	C_SDAY_DEVICE, C_SDAY_NCOLS };
/* Columns of ST_DASH_SHOT_FILE. */
enum { C_SFILE_SHA, C_SFILE_MIME };
/* Columns of ST_DASH_SHOT_VIEWS: who looked at my screenshots. */
enum { C_SVIEW_NAME, C_SVIEW_EMAIL, C_SVIEW_DAY, C_SVIEW_COUNT, C_SVIEW_LAST, C_SVIEW_NCOLS };
/* Columns of ST_DASH_SHOT_POLICY. */
enum { C_SPOL_MODE, C_SPOL_INTERVAL, C_SPOL_FROM, C_SPOL_TO, C_SPOL_BLUR, C_SPOL_VISIBILITY,
	C_SPOL_TODAY };

/* Columns of ST_DASH_TEAMS. */
enum { C_TS_ID, C_TS_NAME, C_TS_MEMBERS };
/* Columns of ST_DASH_TEAM. */
enum { C_T_ID, C_T_NAME, C_T_MAY_SEE, C_T_TODAY };
/* Columns of ST_DASH_TEAM_MEMBERS: the person, their live status, and
 * the figures of today (T) and of the week to today (W). */
enum { C_TM_ID, C_TM_NAME, C_TM_EMAIL, C_TM_TZ, C_TM_ROLE, C_TM_STATE, C_TM_SEEN,
	C_TM_LOCAL_NOW, C_TM_T_TRACKED, C_TM_T_ACTIVE, C_TM_T_PRODUCTIVE, C_TM_T_WORKED,
	C_TM_T_FIRST, C_TM_T_LAST, C_TM_W_TRACKED, C_TM_W_ACTIVE, C_TM_W_PRODUCTIVE,
	C_TM_W_WORKED, C_TM_W_DAYS, C_TM_EXACT, C_TM_AS_OF, C_TM_NCOLS };
/* Columns of ST_DASH_HOURS_MEMBERS. */
enum { C_HM_ID, C_HM_NAME, C_HM_EMAIL };
/* Columns of ST_DASH_HOURS_DAYS (a person's day), and of
 * ST_DASH_HOURS_TODAY after its first (the person). */
enum { C_H_DAY, C_H_FIRST, C_H_LAST, C_H_BREAKS, C_H_BREAK_MS, C_H_WORKED, C_H_EXACT };

extern const struct wt_stmt dash_stmts[DASH_NSTMTS];

struct wt_err	*dash_home(struct wt_req *);
struct wt_err	*dash_day(struct wt_req *);
struct wt_err	*dash_week(struct wt_req *);
struct wt_err	*dash_month(struct wt_req *);
struct wt_err	*dash_export_csv(struct wt_req *);
struct wt_err	*dash_export_json(struct wt_req *);
struct wt_err	*dash_mydata(struct wt_req *);
struct wt_err	*dash_mydata_view(struct wt_req *);
struct wt_err	*dash_delete(struct wt_req *);
struct wt_err	*dash_everything(struct wt_req *);

/* Task sessions (tasks_list.c, tasks_session.c, tasks_today.c). */
struct wt_err	*tasks_list(struct wt_req *);
struct wt_err	*tasks_widget(struct wt_req *);
struct wt_err	*tasks_list_fill(struct wt_req *);
struct wt_err	*tasks_csv(struct wt_req *);
struct wt_err	*tasks_today(struct wt_req *);
struct wt_err	*tasks_session(struct wt_req *);
struct wt_err	*tasks_session_delete(struct wt_req *);
struct wt_err	*tasks_task_delete(struct wt_req *);
extern const struct wt_field tasks_list_fields[], tasks_today_fields[],
		    tasks_session_fields[], tasks_task_fields[];

extern const struct wt_field dash_day_fields[];
extern const struct wt_field dash_period_fields[];
extern const struct wt_field dash_export_fields[];
extern const struct wt_field dash_mydata_fields[];
extern const struct wt_field dash_delete_fields[];

/* team.c */
extern const struct wt_field dash_team_fields[];
struct wt_err	*dash_team_list(struct wt_req *);
struct wt_err	*dash_team_page(struct wt_req *);
/* hours.c */
extern const struct wt_field dash_hours_fields[];
struct wt_err	*dash_hours(struct wt_req *);
struct wt_err	*dash_hours_fill(struct wt_req *);
struct wt_err	*dash_hours_csv(struct wt_req *);

/* screenshots.c */
extern const struct wt_field shots_page_fields[];
extern const struct wt_field shot_id_fields[];
extern const struct wt_field shots_notice_fields[];
struct wt_err	*shots_page(struct wt_req *);
struct wt_err	*shot_image(struct wt_req *);
struct wt_err	*shot_thumb(struct wt_req *);
struct wt_err	*shot_delete(struct wt_req *);
struct wt_err	*shots_notice_post(struct wt_req *);

#endif
