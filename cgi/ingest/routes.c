/* ingest.fcgi's routes: everything machines post: the enrollment
 * exchange, the policy agents poll, activity, heartbeats, and the
 * widget's task events.  The program is ingest_app; main.c only runs it, and the
 * in-process tests (tests/inproc/) dispatch requests to it directly. */
#include "config.h"

#include "conf.h"
#include "ingest.h"

static const struct wt_route routes[] = {
	WT_CORE_ROUTES,
	{ .method = "POST", .pattern = "/api/v1/enroll", .handler = enroll_post,
	  .fields = enroll_fields, .flags = WT_ROUTE_NO_CSRF,
	  .access = { WT_ANYONE, "nothing: the one-time code names the person" } },
	{ .method = "GET", .pattern = "/api/v1/agent/config", .handler = agent_config,
	  .access = { WT_DEVICE, "the organisation's policy for this device" } },
	/* The body is the batch, checked span by span by batch_parse; the
	 * device from the worker's memory, checked where the batch is
	 * stored (devcache.c). */
	{ .method = "POST", .pattern = "/api/v1/activity", .handler = activity_post,
	  .flags = WT_ROUTE_RAW_BODY, .authenticate = device_auth_cached,
	  .access = { WT_DEVICE, "stores spans for this device's owner" } },
	/* The token is checked by the statement that stores the beat. */
	{ .method = "POST", .pattern = "/api/v1/heartbeat", .handler = heartbeat_post,
	  .fields = heartbeat_fields, .flags = WT_ROUTE_NO_CSRF,
	  .authenticate = device_token_shape,
	  .access = { WT_DEVICE, "presence and the open span of this device" } },
	/* The widget, with the person's access token (tasks.c). */
	{ .method = "POST", .pattern = "/api/v1/task-events", .handler = task_event_post,
	  .fields = task_event_fields, .flags = WT_ROUTE_CORS,
	  .access = { WT_ROLE_ANY, "the caller's own task sessions" } },
	{ .method = "GET", .pattern = "/api/v1/task-sessions/current",
	  .handler = task_current_get, .flags = WT_ROUTE_CORS,
	  .access = { WT_ROLE_ANY, "the caller's own open task session" } },
	/* The body is the image (checked by img_check before anything else
	 * reads it); seq, taken_at and blurred travel in the query. */
	{ .method = "POST", .pattern = "/api/v1/screenshots", .handler = screenshot_post,
	  .fields = screenshot_fields, .flags = WT_ROUTE_RAW_BODY,
	  .max_body = &wt_cfg.screenshots_max_bytes,
	  .access = { WT_DEVICE, "stores a screenshot of this device's owner" } },
	{ .method = "POST", .pattern = "/api/v1/screenshots/:seq/thumbnail",
	  .handler = thumbnail_post, .fields = thumbnail_fields, .flags = WT_ROUTE_RAW_BODY,
	  .access = { WT_DEVICE, "the thumbnail of a screenshot of this device" } },
	WT_ROUTES_END
};

const struct wt_app ingest_app = {
	.name = "ingest", .routes = routes, .stmts = WT_STMT_TABLE(ingest_stmts),
	.authenticate = device_auth, .worker_init = ingest_worker_init,
	/* The group commit's shared memory (group.h). */
	.supervisor_init = ingest_supervisor_init,
	.workers = &wt_cfg.ingest_workers,
	/* Ingest's statements are small and run thousands of times a second;
	 * a custom plan for each (PostgreSQL's choice for statements over the
	 * partitioned activity table) spent a third of the database's time
	 * planning.  The generic plans prune partitions when they run. */
	.session_sql = "SET plan_cache_mode = force_generic_plan"
};
