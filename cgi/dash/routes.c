/* dash.fcgi's routes.  The program is dash_app; main.c only runs it, and
 * the in-process tests (tests/inproc/) dispatch requests to it directly. */
#include "config.h"

#include "dash.h"

#define PERIOD_SEES	"their own; manager: ?user= of people of the teams they manage; " \
	"admin: anyone's (audited as for a day)"

#define EXPORT_SEES	"their own; manager: ?user= of people of the teams they manage; " \
	"admin: anyone's (audited)"
#define TASKS_SEES	"their own task sessions; manager: ?user= (or a session) of people of " \
	"the teams they manage; admin: anyone's (audited as for a day)"

#define TEAM_SEES	"admin: any team; manager: a team they manage (each member's figures " \
	"and status; the look is audited for each member)"

#define HOURS_SEES	"as /team/:id: each member's working hours per day of a range " \
	"(audited for each member)"

static const struct wt_route routes[] = {
	WT_CORE_ROUTES,
	{ .method = "GET", .pattern = "/", .handler = dash_home, .fields = dash_day_fields,
	  .access = { WT_ANYONE, "anonymous: what Worktime is, whether it is up; signed in: "
	  "their own day (manager, admin: ?user= of a person in their scope, audited)" } },
	{ .method = "GET", .pattern = "/day/:date", .handler = dash_day, .fields = dash_day_fields,
	  .access = { WT_ROLE_ANY, "their own day; manager: ?user= of people of the teams they "
	  "manage; admin: anyone's (a look at someone else's day is audited)" } },
	{ .method = "GET", .pattern = "/week", .handler = dash_week, .fields = dash_period_fields,
	  .access = { WT_ROLE_ANY, PERIOD_SEES } },
	{ .method = "GET", .pattern = "/week/:date", .handler = dash_week,
	  .fields = dash_period_fields, .access = { WT_ROLE_ANY, PERIOD_SEES } },
	{ .method = "GET", .pattern = "/month", .handler = dash_month,
	  .fields = dash_period_fields, .access = { WT_ROLE_ANY, PERIOD_SEES } },
	{ .method = "GET", .pattern = "/month/:date", .handler = dash_month,
	  .fields = dash_period_fields, .access = { WT_ROLE_ANY, PERIOD_SEES } },
	{ .method = "GET", .pattern = "/export.csv", .handler = dash_export_csv,
	  .fields = dash_export_fields, .access = { WT_ROLE_ANY, EXPORT_SEES } },
	{ .method = "GET", .pattern = "/export", .handler = dash_export_json,
	  .fields = dash_export_fields, .access = { WT_ROLE_ANY, EXPORT_SEES } },
	{ .method = "GET", .pattern = "/me/data", .handler = dash_mydata,
	  .fields = dash_mydata_fields, .flags = WT_ROUTE_FORM,
	  .access = { WT_ROLE_ANY, "their own: exports, who looked at their reports" } },
	{ .method = "POST", .pattern = "/me/data/delete", .handler = dash_delete,
	  .fields = dash_delete_fields, .form = "mydata.cs", .form_page = dash_mydata_view,
	  .access = { WT_ROLE_ANY, "their own activity only (takes no person), with confirmation" } },
	{ .method = "GET", .pattern = "/me/data/everything", .handler = dash_everything,
	  .access = { WT_ROLE_ANY, "their own: everything held about them" } },
	/* Task sessions (tasks_*.c).  "today" before ":id". */
	{ .method = "GET", .pattern = "/widget", .handler = tasks_widget,
	  .access = { WT_ROLE_ANY, "nothing personal (how to install the task widget)" } },
	{ .method = "GET", .pattern = "/sessions", .handler = tasks_list,
	  .fields = tasks_list_fields, .form = "task_sessions.cs",
	  .form_page = tasks_list_fill, .access = { WT_ROLE_ANY, TASKS_SEES } },
	{ .method = "GET", .pattern = "/sessions.csv", .handler = tasks_csv,
	  .fields = tasks_list_fields, .access = { WT_ROLE_ANY, TASKS_SEES } },
	{ .method = "GET", .pattern = "/sessions/today", .handler = tasks_today,
	  .fields = tasks_today_fields, .access = { WT_ROLE_ANY, TASKS_SEES } },
	{ .method = "GET", .pattern = "/sessions/:id", .handler = tasks_session,
	  .fields = tasks_session_fields, .access = { WT_ROLE_ANY, TASKS_SEES } },
	{ .method = "POST", .pattern = "/sessions/:id/delete", .handler = tasks_session_delete,
	  .fields = tasks_session_fields,
	  .access = { WT_ROLE_ANY, "their own task sessions only" } },
	{ .method = "POST", .pattern = "/sessions/:id/tasks/:n/delete",
	  .handler = tasks_task_delete, .fields = tasks_task_fields,
	  .access = { WT_ROLE_ANY, "their own task sessions only" } },
	/* The team page (team.c). */
	{ .method = "GET", .pattern = "/team", .handler = dash_team_list,
	  .access = { WT_ROLE_MANAGER | WT_ROLE_ADMIN, "admin: every team; manager: the teams "
	  "they manage (names and head counts)" } },
	{ .method = "GET", .pattern = "/team/:id", .handler = dash_team_page, .fields = dash_team_fields,
	  .access = { WT_ROLE_MANAGER | WT_ROLE_ADMIN, TEAM_SEES } },
	{ .method = "GET", .pattern = "/team/:id/hours", .handler = dash_hours,
	  .fields = dash_hours_fields, .form = "team_hours.cs", .form_page = dash_hours_fill,
	  .access = { WT_ROLE_MANAGER | WT_ROLE_ADMIN, HOURS_SEES } },
	{ .method = "GET", .pattern = "/team/:id/hours.csv", .handler = dash_hours_csv,
	  .fields = dash_hours_fields, .access = { WT_ROLE_MANAGER | WT_ROLE_ADMIN, HOURS_SEES } },
	/* Screenshots (screenshots.c): whose follows the organisation's
	 * setting, applied in SQL; the images go out through nginx. */
	{ .method = "GET", .pattern = "/screenshots", .handler = shots_page,
	  .fields = shots_page_fields,
	  .access = { WT_ROLE_ANY, "their own; manager: their teams' people when the setting is "
	  "managers; admin: everyone's" } },
	{ .method = "GET", .pattern = "/screenshots/:id/image", .handler = shot_image,
	  .fields = shot_id_fields,
	  .access = { WT_ROLE_ANY, "as /screenshots; a look at someone else's is audited" } },
	{ .method = "GET", .pattern = "/screenshots/:id/thumb", .handler = shot_thumb,
	  .fields = shot_id_fields,
	  .access = { WT_ROLE_ANY, "as /screenshots; a look at someone else's is audited" } },
	{ .method = "POST", .pattern = "/screenshots/:id/delete", .handler = shot_delete,
	  .fields = shot_id_fields,
	  .access = { WT_ROLE_ANY, "their own only" } },
	{ .method = "POST", .pattern = "/screenshots/notice", .handler = shots_notice_post,
	  .fields = shots_notice_fields,
	  .access = { WT_ROLE_ANY, "their own: the notice is read" } },
	WT_ROUTES_END
};

/* Report statements are many small reads; PostgreSQL's JIT, which their
 * row estimates would switch on, costs half a second a call for
 * milliseconds of work (bench/BENCHMARKS.md). */
const struct wt_app dash_app = {
	.name = "dash", .routes = routes, .stmts = WT_STMT_TABLE(dash_stmts),
	.session_sql = "SET jit = off"
};
