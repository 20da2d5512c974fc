/* ingest.fcgi: everything machines send.  Devices authenticate with the
 * bearer token they got from the enrollment exchange; only its SHA-256
 * is stored, and a revoked device's token stops working at once. */
#ifndef WT_INGEST_H
#define WT_INGEST_H

#include "app.h"

/* The program (routes.c): main.c runs it, tests dispatch to it. */
extern const struct wt_app ingest_app;

enum ingest_stmt {
	ST_INGEST_DEVICE_BY_TOKEN = WT_STMT_BASE(WT_SLOT_APP),
	ST_INGEST_DEVICE_SEEN,
	ST_INGEST_CODE_SPEND,
	ST_INGEST_DEVICE_INSERT,
	ST_INGEST_CODE_DEVICE,
	ST_INGEST_AGENT_SETTINGS,
	ST_INGEST_ENSURE_PARTITIONS,
	ST_INGEST_HEARTBEAT,
	ST_INGEST_LOCK_DEVICES,
	ST_INGEST_DEVICES_ACTIVE,
	ST_INGEST_BATCHES_FIND,
	ST_INGEST_INTERN,
	ST_INGEST_INTERN_ACTIVE,
	ST_INGEST_INTERN_GROUP,
	ST_INGEST_NEIGHBOURS,
	ST_INGEST_INSERT_SPANS,
	ST_INGEST_BATCH_RECORD,
	ST_INGEST_TASK_EVENT,
	ST_INGEST_TASK_CURRENT,
	ST_INGEST_SHOT_FIND,
	ST_INGEST_SHOT_INSERT,
	ST_INGEST_SHOT_THUMB,
	ST_INGEST_SHOT_TOMBSTONE,
	ST_INGEST_END
};
#define INGEST_NSTMTS	(ST_INGEST_END - WT_STMT_BASE(WT_SLOT_APP))

/* Columns of ST_INGEST_DEVICE_BY_TOKEN. */
enum { C_DEV_ID, C_DEV_USER, C_DEV_KIND, C_DEV_NAME, C_DEV_STALE, C_DEV_RETENTION };
/* Columns of ST_INGEST_INTERN: the ids in order, how many are new,
 * whether some went under the placeholder of the hourly budget. */
enum { C_INTERN_IDS, C_INTERN_NEW, C_INTERN_CAPPED };
/* Columns of ST_INGEST_INTERN_GROUP (windows_intern_group, sql/036). */
enum { C_IG_IDS, C_IG_DEVICES, C_IG_FRESH, C_IG_CAPPED };
/* Columns of ST_INGEST_NEIGHBOURS. */
enum { C_NB_DEVICE, C_NB_START_US, C_NB_DURATION_MS };
/* Columns of ST_INGEST_BATCHES_FIND: a stored batch's key and counts. */
enum { C_FOUND_DEVICE, C_FOUND_SEQ, C_FOUND_SPANS, C_FOUND_ACCEPTED, C_FOUND_TRIMMED,
	C_FOUND_DROPPED, C_FOUND_NEW_WINDOWS };
/* Columns of ST_INGEST_TASK_EVENT (task_event() in sql/010). */
enum { C_TE_STATUS, C_TE_MESSAGE, C_TE_SESSION, C_TE_TASK, C_TE_STATE };
/* Columns of ST_INGEST_CODE_SPEND. */
enum { C_CODE_ID, C_CODE_USER, C_CODE_KIND, C_CODE_NAME };
/* Columns of ST_INGEST_AGENT_SETTINGS. */
enum { C_SET_IDLE, C_SET_SHOT_MODE, C_SET_SHOT_INTERVAL, C_SET_SHOT_FROM,
	C_SET_SHOT_TO, C_SET_SHOT_BLUR, C_SET_TITLE_EXCLUDE, C_SET_UPLOAD_S,
	C_SET_HEARTBEAT_S, C_SET_PULSETIME_S };
/* Columns of ST_INGEST_HEARTBEAT (heartbeat_by_token, sql/033). */
enum { C_HB_DEVICE, C_HB_RESULT };

/* Columns of ST_INGEST_SHOT_FIND: a screenshot as an upload is answered. */
enum { C_SHOT_ID, C_SHOT_SEQ, C_SHOT_TAKEN, C_SHOT_BLURRED, C_SHOT_SHA, C_SHOT_MIME,
	C_SHOT_BYTES, C_SHOT_W, C_SHOT_H, C_SHOT_WINDOW, C_SHOT_THUMB_SHA, C_SHOT_THUMB_MIME,
	C_SHOT_THUMB_BYTES, C_SHOT_THUMB_W, C_SHOT_THUMB_H };

extern const struct wt_stmt ingest_stmts[INGEST_NSTMTS];

/* The program's authenticate hook: the device behind r's bearer token
 * into r->device, or 401 (no token, unknown, revoked, owner disabled). */
struct wt_err	*device_auth(struct wt_req *);
/* The same for a token's hash; and last-seen written for a device. */
struct wt_err	*device_auth_hash(struct wt_req *, const char *hash);
void		 device_seen(long long id);
/* devcache.c: the activity route's hook, device_auth answered from the
 * worker's memory for devices it has seen; whatever stores the request's
 * data checks the device in the same transaction (store_group), then
 * says so (devcache_stored: the device's last-seen time) or forgets a
 * refused one's token hash. */
struct wt_err	*device_auth_cached(struct wt_req *);
void		 devcache_stored(const struct wt_device *);
void		 devcache_forget(const char *hash);
/* Its parts, for the heartbeat, which checks the token in the statement
 * that stores the beat: the 401 for a missing or misshapen token, and
 * the one for a token no active device has. */
struct wt_err	*device_token_shape(struct wt_req *);
struct wt_err	*device_token_refused(void);
/* The oldest moment (microseconds since 1970) the device may still send
 * data for at now: the retention period in 24-hour days, as
 * heartbeat_by_token (sql/035) counts it too. */
long long	 device_oldest_us(const struct wt_device *, long long now_us);

extern const struct wt_field enroll_fields[];
struct wt_err	*enroll_post(struct wt_req *);
struct wt_err	*agent_config(struct wt_req *);
struct wt_err	*activity_post(struct wt_req *);

/* What a batch produced (and what a batch sent again is answered). */
struct batch_counts {
	long long	seq, spans, accepted, trimmed, dropped, new_windows;
};
struct batch;
/* The window id of every span of b into ids (b->n of them): the worker's
 * cache first (wincache.h), one windows_intern() call for the rest; how
 * many windows were new into *new_windows. */
struct wt_err	*window_ids(long long device, const struct batch *b, int *ids,
		    long long *new_windows);
/* Stores a checked batch of d's once, with other workers' when it can
 * (store.c, group.h); c filled either way.  401 when d's token is no
 * longer valid. */
struct wt_err	*store_batch(const struct wt_device *d, const struct batch *,
		    struct batch_counts *c);
extern const struct wt_field heartbeat_fields[];
struct wt_err	*heartbeat_post(struct wt_req *);
/* tasks.c: the widget's events and the open session. */
extern const struct wt_field task_event_fields[];
struct wt_err	*task_event_post(struct wt_req *);
struct wt_err	*task_current_get(struct wt_req *);
/* screenshot.c: POST /api/v1/screenshots and its thumbnail. */
extern const struct wt_field screenshot_fields[];
extern const struct wt_field thumbnail_fields[];
struct wt_err	*screenshot_post(struct wt_req *);
struct wt_err	*thumbnail_post(struct wt_req *);
/* Runs in each worker: the activity partitions of the months ahead, and
 * the worker's slot in the group commit (group.h). */
int		 ingest_worker_init(void);
/* Runs in the supervisor: the group commit's shared memory. */
int		 ingest_supervisor_init(int nworkers);

#endif
