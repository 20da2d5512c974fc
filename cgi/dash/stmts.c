/* Every statement dash.fcgi runs.  The arithmetic of reports is in
 * sql/009_reports.sql (report_segments, report_days); these only call it
 * and format what it returns. */
#include "config.h"

#include "dash.h"

/* Milliseconds since 1970 of a timestamptz. */
#define EPOCH_MS(x)	"(extract(epoch FROM " x ") * 1000)::bigint"

/* A task session's row (tasks.h, C_TL_*) in the zone z; needs
 * TASK_TOTALS joined as t. */
#define TASK_COLUMNS(z) \
	"s.id, to_char(s.started_at AT TIME ZONE " z ", 'YYYY-MM-DD'),"	\
	" to_char(s.started_at AT TIME ZONE " z ", 'HH24:MI'),"		\
	" coalesce(to_char(s.ended_at AT TIME ZONE " z ", 'HH24:MI'), ''),"	\
	" coalesce(s.end_reason, ''), s.target_pace_min, t.n, t.active, t.paused,"	\
	" " EPOCH_MS("coalesce(s.ended_at, now()) - s.started_at") ","	\
	" task_time(s.started_at), coalesce(task_time(s.ended_at), ''), s.ended_at IS NULL"
#define TASK_TOTALS \
	"CROSS JOIN LATERAL (SELECT count(*) AS n, coalesce(sum(active_ms), 0) AS active,"	\
	" coalesce(sum(paused_ms), 0) AS paused FROM task_tasks x"		\
	" WHERE x.session_id = s.id AND NOT x.deleted) t"
/* May the caller ($1 id, $2 role) see the screenshots of person u?
 * Their own always; an admin's always; a manager's when the setting
 * says managers and u is in a team they manage. */
#define SHOT_SCOPE(u) \
	"(" u " = $1::bigint OR $2 = 'admin' OR ($2 = 'manager' AND" \
	" (SELECT screenshot_visibility FROM settings) = 'managers' AND EXISTS (" \
	"SELECT 1 FROM team_members mm JOIN team_members tm ON tm.team_id = mm.team_id" \
	" WHERE mm.user_id = $1::bigint AND mm.role = 'manager' AND tm.user_id = " u ")))"
/* May user v see team t's page?  An admin any team's; a manager the
 * teams where they are the manager (report_may_see's rule, by team). */
#define TEAM_SEES(t, v) \
	"(" v ".role = 'admin' OR (" v ".role = 'manager' AND EXISTS (SELECT 1" \
	" FROM team_members mm WHERE mm.team_id = " t ".id AND mm.user_id = " v ".id" \
	" AND mm.role = 'manager')))"
/* The offset of zone $4 at instant x, in minutes. */
#define ZONE_OFF(x) \
	"(extract(epoch FROM ((" x ") AT TIME ZONE $4) - ((" x ") AT TIME ZONE 'UTC')) / 60)::int"
/* A day's figures as rp_days reads them (C_D_*), from report_days'
 * row f in zone $4. */
#define DAY_COLUMNS \
	"f.day::text, " EPOCH_MS("f.lo") ", " EPOCH_MS("f.hi") ", f.tracked_ms, f.active_ms,"	\
	" f.away_ms, f.productive_ms, f.neutral_ms, f.distracting_ms, f.uncategorised_ms,"	\
	" coalesce(to_char(f.first_at AT TIME ZONE $4, 'HH24:MI'), ''),"			\
	" CASE WHEN f.last_at = f.hi THEN '24:00'"						\
	"  ELSE coalesce(to_char(f.last_at AT TIME ZONE $4, 'HH24:MI'), '') END,"		\
	" f.worked_ms, f.breaks, f.break_ms, f.categories::text"
/* A day's segments as arrays (C_Y_*, segarr.h) from report_day_arrays'
 * row a: its start in microseconds, the zone's offset in minutes at its
 * start, and on a day the clocks change the offset at each segment's
 * start and end. */
#define ARRAY_COLUMNS \
	"a.day::text, (extract(epoch FROM a.lo) * 1000000)::bigint, " ZONE_OFF("a.lo") ","	\
	" a.seg_s::text, a.seg_e::text, a.seg_w::text, a.seg_gap::text,"			\
	" CASE WHEN " ZONE_OFF("a.lo") " <> " ZONE_OFF("a.hi") " THEN (SELECT array_agg("	\
	ZONE_OFF("a.lo + v * interval '1 microsecond'") " ORDER BY n)"				\
	"  FROM unnest(a.seg_s) WITH ORDINALITY u(v, n))::text END,"				\
	" CASE WHEN " ZONE_OFF("a.lo") " <> " ZONE_OFF("a.hi") " THEN (SELECT array_agg("	\
	ZONE_OFF("a.lo + v * interval '1 microsecond'") " ORDER BY n)"				\
	"  FROM unnest(a.seg_e) WITH ORDINALITY u(v, n))::text END"
/* The start of day $4 (a date) in zone $5, and of the day after. */
#define DAY_START	"(($4::date)::timestamp AT TIME ZONE $5)"
#define DAY_END		"(($4::date + 1)::timestamp AT TIME ZONE $5)"

const struct wt_stmt dash_stmts[DASH_NSTMTS] = {
	STMT(ST_DASH_SCHEMA) = { "dash_schema",
	  "SELECT coalesce(max(version), ''), count(*) FROM schema_migrations", 0, 1 },
	/* $1 viewer, $2 person, $3 the viewer's zone. */
	STMT(ST_DASH_PERSON) = { "dash_person",
	  "SELECT u.id, u.display_name, u.email, u.timezone, report_may_see($1, u.id),"
	  " (now() AT TIME ZONE $3)::date::text, s.day_gap_min, s.retention_days,"
	  " ((now() AT TIME ZONE $3)::date - s.retention_days)::text,"
	  " (SELECT count(*) FROM devices d WHERE d.user_id = u.id AND d.revoked_at IS NULL),"
	  " coalesce((SELECT to_char(max(d.last_seen_at) AT TIME ZONE $3, 'YYYY-MM-DD HH24:MI')"
	  "  FROM devices d WHERE d.user_id = u.id), '')"
	  " FROM users u, settings s WHERE u.id = $2::bigint", 3, 1 },
	/* $1 viewer, $2 person, $3 page, $4 what, $5 address. */
	STMT(ST_DASH_LOOK) = { "dash_look",
	  "SELECT report_look($1, $2, $3, $4, $5)", 5, 0 },
	/* $1 person, $2 from, $3 to, $4 zone.  It may keep finished days in
	 * the cache: repeating it is harmless. */
	STMT(ST_DASH_DAYS) = { "dash_days",
	  "SELECT " DAY_COLUMNS " FROM report_days($1, $2::date, $3::date, $4) f", 4, 1, 1 },
	/* $1 day, $2 zone: the local hour each real hour of the day starts
	 * at (23, 24 or 25 of them). */
	STMT(ST_DASH_HOURS) = { "dash_hours",
	  "SELECT to_char(t AT TIME ZONE $2, 'HH24') FROM generate_series("
	  " $1::date::timestamp AT TIME ZONE $2,"
	  " ($1::date + 1)::timestamp AT TIME ZONE $2 - interval '1 hour', interval '1 hour') t"
	  " ORDER BY t", 2, 1, 1 },
	STMT(ST_DASH_CATEGORIES) = { "dash_categories",
	  "SELECT id, name, colour, productivity FROM categories ORDER BY name", 0, 1, 1 },
	/* Seconds the answering server is behind its primary: 0 on the
	 * primary, and on a replica that has replayed all it received. */
	STMT(ST_DASH_LAG) = { "dash_lag",
	  "SELECT CASE WHEN pg_is_in_recovery()"
	  " AND pg_last_wal_receive_lsn() IS DISTINCT FROM pg_last_wal_replay_lsn()"
	  " THEN coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp())::int, 0)"
	  " ELSE 0 END", 0, 1, 1 },
	/* $1 person, $2 from, $3 to, $4 zone: a day a row, its segments as
	 * arrays (finished days kept, sql/016; segarr.h), its start in
	 * microseconds, the zone's offset in minutes at its start, and on a
	 * day the clocks change the offset at each segment's start and end. */
	STMT(ST_DASH_DAY_ARRAYS) = { "dash_day_arrays",
	  "SELECT " ARRAY_COLUMNS " FROM report_day_arrays($1, $2::date, $3::date, $4) a"
	  " ORDER BY a.day", 4, 1, 1 },
	/* $1 person, $2 from, $3 to, $4 zone: ST_DASH_DAY_ARRAYS' columns
	 * then ST_DASH_DAYS', the day computed once when it is not kept
	 * (sql/022): the day page. */
	STMT(ST_DASH_DAY_ONE) = { "dash_day_one",
	  "SELECT " ARRAY_COLUMNS ", " DAY_COLUMNS
	  " FROM report_day_rows($1, $2::date, $3::date, $4) a,"
	  " report_day_figures(a.day, a.lo, a.hi, a.tracked_ms, a.active_ms, a.first_at, a.last_at,"
	  "  a.breaks, a.break_ms, a.categories) f ORDER BY a.day", 4, 1, 1 },
	/* $1 window ids ({1,2,...}): each window and its category. */
	STMT(ST_DASH_WINDOWS) = { "dash_windows",
	  "SELECT w.id, w.app, w.title, w.url, c.id, c.name, c.colour, c.productivity"
	  " FROM windows w LEFT JOIN categories c ON c.id = w.category_id"
	  " WHERE w.id = ANY ($1::integer[])", 1, 1, 1 },
	/* $1 person, $2 the viewer's zone: who looked at their reports. */
	STMT(ST_DASH_LOOKS) = { "dash_looks",
	  "SELECT to_char(a.at AT TIME ZONE $2, 'YYYY-MM-DD HH24:MI'),"
	  " coalesce(u.display_name, a.actor_email), coalesce(u.role, ''),"
	  " coalesce(a.after->>'page', ''), coalesce(a.after->>'what', '')"
	  " FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id"
	  " WHERE a.target_type = 'user' AND a.target_id = $1::bigint"
	  " AND a.action = 'report.view' ORDER BY a.at DESC LIMIT 200", 2, 1 },
	/* $1 person, $2 first day ('' for everything), $3 last day, $4 zone,
	 * $5 address: deletes and audits in one statement. */
	STMT(ST_DASH_DELETE) = { "dash_delete",
	  "WITH d AS (SELECT activity_delete_range($1::bigint,"
	  "  nullif($2, '')::date::timestamp AT TIME ZONE $4,"
	  "  (nullif($3, '')::date + 1)::timestamp AT TIME ZONE $4) AS n)"
	  " INSERT INTO audit_log (actor_id, actor_email, action, target_type, target_id,"
	  "  target_label, after, ip)"
	  " SELECT u.id, u.email, 'activity.delete', 'user', u.id, u.email,"
	  "  jsonb_build_object('from', nullif($2, ''), 'to', nullif($3, ''), 'spans', d.n), $5"
	  " FROM users u, d WHERE u.id = $1::bigint RETURNING (after->>'spans')::bigint", 5, 0 },
	/* $1 person: everything but the spans, as one JSON object. */
	STMT(ST_DASH_EVERYTHING) = { "dash_everything",
	  "SELECT json_build_object("
	  " 'exported_at', now(),"
	  " 'account', (SELECT json_build_object('id', u.id, 'email', u.email,"
	  "  'display_name', u.display_name, 'role', u.role, 'status', u.status,"
	  "  'timezone', u.timezone, 'target_pace_min', u.target_pace_min,"
	  "  'created_at', u.created_at) FROM users u WHERE u.id = $1::bigint),"
	  " 'teams', coalesce((SELECT json_agg(json_build_object('team', t.name, 'role', m.role,"
	  "  'since', m.added_at) ORDER BY t.name) FROM team_members m"
	  "  JOIN teams t ON t.id = m.team_id WHERE m.user_id = $1::bigint), '[]'),"
	  " 'devices', coalesce((SELECT json_agg(json_build_object('name', d.name,"
	  "  'kind', d.kind, 'hostname', d.hostname, 'os', d.os,"
	  "  'agent_version', d.agent_version, 'created_at', d.created_at,"
	  "  'last_seen_at', d.last_seen_at, 'revoked_at', d.revoked_at) ORDER BY d.id)"
	  "  FROM devices d WHERE d.user_id = $1::bigint), '[]'),"
	  " 'sessions', coalesce((SELECT json_agg(json_build_object('created_at', s.created_at,"
	  "  'last_seen_at', s.last_seen_at, 'expires_at', s.expires_at, 'ip', s.ip,"
	  "  'user_agent', s.user_agent) ORDER BY s.created_at)"
	  "  FROM web_sessions s WHERE s.user_id = $1::bigint), '[]'),"
	  /* Others who acted on the person by name, as /me/data shows them. */
	  " 'audit', coalesce((SELECT json_agg(json_build_object('at', a.at,"
	  "  'actor', CASE WHEN a.actor_id = $1::bigint THEN a.actor_email"
	  "   ELSE coalesce(v.display_name, 'a deleted account') END,"
	  "  'action', a.action, 'target_type', a.target_type,"
	  "  'target', a.target_label, 'before', a.before, 'after', a.after) ORDER BY a.at)"
	  "  FROM audit_log a LEFT JOIN users v ON v.id = a.actor_id"
	  "  WHERE a.actor_id = $1::bigint"
	  "  OR (a.target_type = 'user' AND a.target_id = $1::bigint)), '[]'))::text", 1, 1 },
	/* $1 person: every stored span, device by device. */
	STMT(ST_DASH_ALL_SPANS) = { "dash_all_spans",
	  "SELECT d.name, to_char(a.started_at AT TIME ZONE 'UTC',"
	  " 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), a.duration_ms, a.afk, w.app, w.title, w.url,"
	  " c.name FROM devices d JOIN activity a ON a.device_id = d.id"
	  " JOIN windows w ON w.id = a.window_id LEFT JOIN categories c ON c.id = w.category_id"
	  " WHERE d.user_id = $1::bigint ORDER BY d.id, a.started_at", 1, 1, 1 },
	/* The person's task sessions, their tasks (deleted ones too, said
	 * so) and the widget's events, one JSON object a row, times as the
	 * API writes them. */
	STMT(ST_DASH_ALL_TASK_SESSIONS) = { "dash_all_task_sessions",
	  "SELECT json_build_object('id', s.id, 'started_at', task_time(s.started_at),"
	  " 'ended_at', task_time(s.ended_at), 'end_reason', s.end_reason,"
	  " 'target_pace_min', s.target_pace_min, 'task', s.task_no,"
	  " 'task_started_at', task_time(s.task_started_at), 'task_paused_ms', s.task_paused_ms,"
	  " 'paused_since', task_time(s.paused_since), 'last_event_at', task_time(s.last_event_at),"
	  " 'tasks_done', s.tasks_done, 'done_active_ms', s.done_active_ms,"
	  " 'created_at', task_time(s.created_at))"
	  " FROM task_sessions s WHERE s.user_id = $1::bigint ORDER BY s.started_at, s.id",
	  1, 1, 1 },
	STMT(ST_DASH_ALL_TASKS) = { "dash_all_tasks",
	  "SELECT json_build_object('session_id', t.session_id, 'number', t.number,"
	  " 'started_at', task_time(t.started_at), 'ended_at', task_time(t.ended_at),"
	  " 'raw_ms', t.raw_ms, 'paused_ms', t.paused_ms, 'active_ms', t.active_ms,"
	  " 'deleted', t.deleted)"
	  " FROM task_sessions s JOIN task_tasks t ON t.session_id = s.id"
	  " WHERE s.user_id = $1::bigint ORDER BY s.started_at, s.id, t.number", 1, 1, 1 },
	STMT(ST_DASH_ALL_TASK_EVENTS) = { "dash_all_task_events",
	  "SELECT json_build_object('id', e.client_id, 'session_id', e.session_id,"
	  " 'type', e.type, 'at', task_time(e.client_at), 'received_at', task_time(e.server_at),"
	  " 'task', e.task_no, 'task_deleted', e.task_deleted)"
	  " FROM task_events e WHERE e.user_id = $1::bigint"
	  " ORDER BY e.client_at, e.id", 1, 1, 1 },
	/* Task sessions.  $1 person, $2 idle minutes: ends an idle session
	 * as the API would (under the person's lock). */
	STMT(ST_DASH_TASK_TOUCH) = { "dash_task_touch",
	  "SELECT task_current($1, make_interval(mins => $2::int)) IS NULL", 2, 0 },
	/* $1 person, $2 from, $3 to (days in $4, the viewer's zone): the
	 * sessions started in those days, newest first (TASK_COLUMNS). */
	STMT(ST_DASH_TASK_LIST) = { "dash_task_list",
	  "SELECT " TASK_COLUMNS("$4") " FROM task_sessions s " TASK_TOTALS
	  " WHERE s.user_id = $1 AND s.started_at >= $2::date::timestamp AT TIME ZONE $4"
	  " AND s.started_at < ($3::date + 1)::timestamp AT TIME ZONE $4"
	  " ORDER BY s.started_at DESC", 4, 1 },
	/* $1 session, $2 zone: TASK_COLUMNS, the owner, the running task. */
	STMT(ST_DASH_TASK_SESSION) = { "dash_task_session",
	  "SELECT " TASK_COLUMNS("$2") ", s.user_id, s.task_no,"
	  " to_char(s.task_started_at AT TIME ZONE $2, 'HH24:MI:SS'),"
	  " " EPOCH_MS("now() - s.task_started_at") " - s.task_paused_ms"
	  "  - coalesce(" EPOCH_MS("now() - s.paused_since") ", 0),"
	  " s.paused_since IS NOT NULL,"
	  " (SELECT count(*) FROM task_tasks d WHERE d.session_id = s.id AND d.deleted)"
	  " FROM task_sessions s " TASK_TOTALS " WHERE s.id = $1::bigint", 2, 1 },
	/* $1 session, $2 zone: its tasks, deleted ones left out. */
	STMT(ST_DASH_TASK_TASKS) = { "dash_task_tasks",
	  "SELECT number, to_char(started_at AT TIME ZONE $2, 'HH24:MI:SS'),"
	  " to_char(ended_at AT TIME ZONE $2, 'HH24:MI:SS'), raw_ms, paused_ms, active_ms,"
	  " task_time(started_at), task_time(ended_at)"
	  " FROM task_tasks WHERE session_id = $1 AND NOT deleted ORDER BY number", 2, 1 },
	/* $1 person, $2 day, $3 zone: tasks finished in each real hour of the
	 * day (0 .. 22, 23 or 24), with their active time and their share of
	 * their session's target. */
	STMT(ST_DASH_TASK_HOURS) = { "dash_task_hours",
	  "SELECT floor(extract(epoch FROM t.ended_at - $2::date::timestamp AT TIME ZONE $3)"
	  " / 3600)::int, count(*), sum(t.active_ms), sum(s.target_pace_min)"
	  " FROM task_tasks t JOIN task_sessions s ON s.id = t.session_id"
	  " WHERE s.user_id = $1 AND NOT t.deleted"
	  " AND t.ended_at >= $2::date::timestamp AT TIME ZONE $3"
	  " AND t.ended_at < ($2::date + 1)::timestamp AT TIME ZONE $3"
	  " GROUP BY 1 ORDER BY 1", 3, 1 },
	/* $1 person, $2 from, $3 to, $4 zone: every task of the sessions
	 * started in those days, for the CSV export. */
	STMT(ST_DASH_TASK_CSV) = { "dash_task_csv",
	  "SELECT s.id, to_char(s.started_at AT TIME ZONE $4, 'YYYY-MM-DD HH24:MI:SS'),"
	  " s.target_pace_min, t.number, to_char(t.started_at AT TIME ZONE $4,"
	  " 'YYYY-MM-DD HH24:MI:SS'), to_char(t.ended_at AT TIME ZONE $4,"
	  " 'YYYY-MM-DD HH24:MI:SS'), round(t.raw_ms / 1000.0, 3), round(t.paused_ms / 1000.0, 3),"
	  " round(t.active_ms / 1000.0, 3)"
	  " FROM task_sessions s JOIN task_tasks t ON t.session_id = s.id AND NOT t.deleted"
	  " WHERE s.user_id = $1 AND s.started_at >= $2::date::timestamp AT TIME ZONE $4"
	  " AND s.started_at < ($3::date + 1)::timestamp AT TIME ZONE $4"
	  " ORDER BY s.started_at, t.number", 4, 1 },
	/* Deleting: a person's task data changes one thing at a time, as
	 * their events do (sql/010). */
	STMT(ST_DASH_TASK_LOCK) = { "dash_task_lock",
	  "SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE", 1, 0 },
	STMT(ST_DASH_TASK_DELETE_SESSION) = { "dash_task_delete_session",
	  "DELETE FROM task_sessions WHERE id = $1 AND user_id = $2", 2, 0 },
	/* $1 session, $2 number: the task, and the NEXT that started it (so a
	 * replay of the session keeps it deleted). */
	STMT(ST_DASH_TASK_DELETE_TASK) = { "dash_task_delete_task",
	  "WITH t AS (UPDATE task_tasks SET deleted = true WHERE session_id = $1"
	  " AND number = $2 AND NOT deleted RETURNING start_event)"
	  " UPDATE task_events e SET task_deleted = true FROM t WHERE e.id = t.start_event"
	  " RETURNING e.id", 2, 0 },


	/* screenshots.c.  The caller is $1 (id) and $2 (role) in each. */
	STMT(ST_DASH_SHOT_PEOPLE) = { "dash_shot_people",
	  "SELECT u.id, u.display_name, u.email FROM users u WHERE " SHOT_SCOPE("u.id")
	  " AND (u.id = $1::bigint OR EXISTS (SELECT 1 FROM screenshots s WHERE s.user_id = u.id))"
	  " ORDER BY u.id <> $1::bigint, lower(u.display_name), u.id LIMIT 500", 2, 1 },
	STMT(ST_DASH_SHOT_OWNER) = { "dash_shot_owner",
	  "SELECT u.id, u.display_name, u.email FROM users u"
	  " WHERE u.id = $3 AND " SHOT_SCOPE("u.id"), 3, 1 },
	/* Scope checked by ST_DASH_SHOT_OWNER first. */
	STMT(ST_DASH_SHOT_NAV) = { "dash_shot_nav",
	  "SELECT (SELECT to_char(max(s.taken_at AT TIME ZONE $3), 'YYYY-MM-DD') FROM screenshots s"
	  "  WHERE s.user_id = $1 AND s.taken_at < ($2::date)::timestamp AT TIME ZONE $3),"
	  " (SELECT to_char(min(s.taken_at AT TIME ZONE $3), 'YYYY-MM-DD') FROM screenshots s"
	  "  WHERE s.user_id = $1 AND s.taken_at >= ($2::date + 1)::timestamp AT TIME ZONE $3)",
	  3, 1 },
	/* One day of a person's screenshots in the caller's zone, with the
	 * window in front then (stored with it, or looked up in the
	 * device's activity if that arrived later) and its category. */
	STMT(ST_DASH_SHOT_DAY) = { "dash_shot_day",
	  "SELECT s.id, to_char(s.taken_at AT TIME ZONE $5, 'HH24:MI'),"
	  " to_char(s.taken_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), s.blurred,"
	  " f.width, f.height, w.app, w.title, c.name, c.colour, c.productivity, d.name"
	  " FROM screenshots s JOIN screenshot_files f ON f.sha256 = s.image_sha256"
	  " JOIN devices d ON d.id = s.device_id"
	  " LEFT JOIN LATERAL (SELECT coalesce(s.window_id, (SELECT a.window_id FROM activity a"
	  "  WHERE a.device_id = s.device_id AND a.started_at <= s.taken_at"
	  "  AND a.started_at > s.taken_at - interval '24 hours'"
	  "  AND a.started_at + a.duration_ms * interval '1 millisecond' > s.taken_at"
	  "  ORDER BY a.started_at DESC LIMIT 1)) AS id) x ON true"
	  " LEFT JOIN windows w ON w.id = x.id LEFT JOIN categories c ON c.id = w.category_id"
	  " WHERE s.user_id = $3 AND " SHOT_SCOPE("s.user_id")
	  " AND s.taken_at >= " DAY_START " AND s.taken_at < " DAY_END
	  " ORDER BY s.taken_at, s.id LIMIT 1000", 5, 1 },
	/* The file to serve ($4: image or thumb; a screenshot without a
	 * thumbnail shows its image), and the audit row when the caller
	 * looks at someone else's ($5 e-mail, $6 address): one statement,
	 * so no file is handed out without its record. */
	STMT(ST_DASH_SHOT_FILE) = { "dash_shot_file",
	  "WITH s AS (SELECT s.id, s.user_id, u.email, s.taken_at,"
	  "  CASE WHEN $4 = 'thumb' THEN coalesce(s.thumb_sha256, s.image_sha256)"
	  "  ELSE s.image_sha256 END AS sha"
	  "  FROM screenshots s JOIN users u ON u.id = s.user_id"
	  "  WHERE s.id = $3 AND " SHOT_SCOPE("s.user_id") "),"
	  " a AS (INSERT INTO audit_log (actor_id, actor_email, action, target_type, target_id,"
	  "  target_label, after, ip)"
	  "  SELECT $1::bigint, $5, 'screenshot.view', 'user', s.user_id, s.email,"
	  "  jsonb_build_object('screenshot', s.id, 'size', $4::text, 'taken_at', s.taken_at), $6"
	  "  FROM s WHERE s.user_id <> $1::bigint)"
	  " SELECT s.sha, f.mime FROM s JOIN screenshot_files f ON f.sha256 = s.sha", 6, 0 },
	/* Only the person deletes their own; the tombstone keeps a retried
	 * upload of it from storing it again. */
	STMT(ST_DASH_SHOT_DELETE) = { "dash_shot_delete",
	  "WITH d AS (DELETE FROM screenshots WHERE id = $2 AND user_id = $1"
	  "  RETURNING device_id, seq, taken_at),"
	  " t AS (INSERT INTO screenshot_tombstones (device_id, seq, taken_at)"
	  "  SELECT device_id, seq, taken_at FROM d ON CONFLICT DO NOTHING)"
	  " SELECT to_char(taken_at AT TIME ZONE $3, 'YYYY-MM-DD') FROM d", 3, 0 },
	/* Who looked at my screenshots, per person and day (my zone). */
	STMT(ST_DASH_SHOT_VIEWS) = { "dash_shot_views",
	  "SELECT coalesce(max(u.display_name), a.actor_email), a.actor_email,"
	  " to_char(a.at AT TIME ZONE $2, 'YYYY-MM-DD') AS day,"
	  " count(DISTINCT a.after->>'screenshot'), to_char(max(a.at) AT TIME ZONE $2, 'HH24:MI')"
	  " FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id"
	  " WHERE a.target_type = 'user' AND a.target_id = $1 AND a.action = 'screenshot.view'"
	  " AND a.at > now() - interval '90 days'"
	  " GROUP BY a.actor_id, a.actor_email, day ORDER BY day DESC, max(a.at) DESC LIMIT 100",
	  2, 1 },
	STMT(ST_DASH_SHOT_POLICY) = { "dash_shot_policy",
	  "SELECT screenshot_mode, screenshot_interval_min, screenshot_from_hour,"
	  " screenshot_to_hour, screenshot_blur, screenshot_visibility,"
	  " to_char(now() AT TIME ZONE $1, 'YYYY-MM-DD') FROM settings", 1, 1 },

	/* team.c.  $1 viewer: the teams whose page they may open. */
	STMT(ST_DASH_TEAMS) = { "dash_teams",
	  "SELECT t.id, t.name, (SELECT count(*) FROM team_members m JOIN users u"
	  "  ON u.id = m.user_id WHERE m.team_id = t.id AND u.status = 'active')"
	  " FROM teams t, users v WHERE v.id = $1::bigint AND " TEAM_SEES("t", "v")
	  " ORDER BY lower(t.name), t.id LIMIT 1000", 1, 1, 1 },
	/* $1 viewer, $2 team, $3 the viewer's zone. */
	STMT(ST_DASH_TEAM) = { "dash_team",
	  "SELECT t.id, t.name, " TEAM_SEES("t", "v") ", (now() AT TIME ZONE $3)::date::text"
	  " FROM teams t, users v WHERE t.id = $2::bigint AND v.id = $1::bigint", 3, 1, 1 },
	/* $1 team, $2 the viewer's zone, $3 how many out-of-date members
	 * are computed now (the rest after the answer): every member in one
	 * statement, each with the best state of their devices
	 * (device_status) and their row of report_days over the week to
	 * today, as team_today() keeps it (sql/018). */
	STMT(ST_DASH_TEAM_MEMBERS) = { "dash_team_members",
	  "SELECT u.id, u.display_name, u.email, u.timezone, m.role,"
	  " coalesce(st.state, 'never'),"
	  " coalesce(to_char(st.seen AT TIME ZONE $2, 'YYYY-MM-DD HH24:MI'), ''),"
	  " to_char(now() AT TIME ZONE u.timezone, 'HH24:MI'),"
	  " (t.r).t_tracked, (t.r).t_active, (t.r).t_productive, (t.r).t_worked,"
	  " coalesce(to_char((t.r).t_first AT TIME ZONE $2, 'HH24:MI'), ''),"
	  " CASE WHEN (t.r).t_last_is_end THEN '24:00'"
	  "  ELSE coalesce(to_char((t.r).t_last AT TIME ZONE $2, 'HH24:MI'), '') END,"
	  " (t.r).w_tracked, (t.r).w_active, (t.r).w_productive, (t.r).w_worked, (t.r).w_days,"
	  " t.exact, to_char((t.r).computed_at AT TIME ZONE $2, 'HH24:MI:SS')"
	  " FROM team_today($1::bigint, $2, $3::integer) t JOIN users u ON u.id = t.user_id"
	  " JOIN team_members m ON m.team_id = $1::bigint AND m.user_id = u.id"
	  " LEFT JOIN LATERAL (SELECT (ARRAY['online', 'idle', 'offline', 'never'])[min("
	  "  CASE s.state WHEN 'online' THEN 1 WHEN 'idle' THEN 2 WHEN 'offline' THEN 3"
	  "  ELSE 4 END)] AS state, max(s.seen_at) AS seen"
	  "  FROM device_status s WHERE s.user_id = u.id) st ON true"
	  " ORDER BY lower(u.display_name), u.id", 3, 0 },
	/* $1 team, $2 zone: after the answer, the out-of-date rows. */
	STMT(ST_DASH_TEAM_REFRESH) = { "dash_team_refresh",
	  "SELECT team_today_refresh($1::bigint, $2)", 2, 0 },
	/* $1 viewer, $2 team, $3 page, $4 what (the day, the range), $5
	 * address: the look at each member's figures, audited as
	 * report_look does (once in ten minutes per viewer, person, page
	 * and what), in one statement. */
	STMT(ST_DASH_TEAM_LOOK) = { "dash_team_look",
	  "INSERT INTO audit_log (actor_id, actor_email, action, target_type, target_id,"
	  " target_label, after, ip)"
	  " SELECT v.id, v.email, 'report.view', 'user', t.id, t.email,"
	  "  jsonb_build_object('page', $3::text, 'what', $4::text), $5"
	  " FROM users v, team_members m JOIN users t ON t.id = m.user_id"
	  " WHERE v.id = $1::bigint AND m.team_id = $2::bigint AND t.id <> v.id"
	  " AND t.status = 'active' AND NOT EXISTS (SELECT 1 FROM audit_log a"
	  "  WHERE a.target_type = 'user' AND a.target_id = t.id"
	  "  AND a.at > now() - interval '10 minutes' AND a.actor_id = v.id"
	  "  AND a.action = 'report.view'"
	  "  AND a.after = jsonb_build_object('page', $3::text, 'what', $4::text))", 5, 0 },
	/* bulk.c: $1 the person; a session-level lock, held while an export
	 * of theirs streams (the key space of 7242012 is this one's). */
	STMT(ST_DASH_BULK_LOCK) = { "dash_bulk_lock",
	  "SELECT pg_try_advisory_lock(7242012, ($1::bigint % 2147483647)::integer)", 1, 0 },
	STMT(ST_DASH_BULK_UNLOCK) = { "dash_bulk_unlock",
	  "SELECT pg_advisory_unlock(7242012, ($1::bigint % 2147483647)::integer)", 1, 0 },
	/* hours.c.  $1 team: its active members in the page's order. */
	STMT(ST_DASH_HOURS_MEMBERS) = { "dash_hours_members",
	  "SELECT u.id, u.display_name, u.email FROM team_members m JOIN users u ON u.id = m.user_id"
	  " WHERE m.team_id = $1::bigint AND u.status = 'active'"
	  " ORDER BY lower(u.display_name), u.id", 1, 1, 1 },
	/* $1 person, $2 from, $3 to (before today), $4 the viewer's zone:
	 * one statement a person, so the days it computes are kept even if
	 * a later person's run out of time. */
	STMT(ST_DASH_HOURS_DAYS) = { "dash_hours_days",
	  "SELECT r.day::text, coalesce(to_char(r.first_at AT TIME ZONE $4, 'HH24:MI'), ''),"
	  " CASE WHEN r.last_at = r.hi THEN '24:00'"
	  "  ELSE coalesce(to_char(r.last_at AT TIME ZONE $4, 'HH24:MI'), '') END,"
	  " r.breaks, r.break_ms, r.worked_ms"
	  " FROM report_days($1::bigint, $2::date, $3::date, $4) r ORDER BY r.day", 4, 1, 1 },
	/* $1 team, $2 the viewer's zone, $3 how many out-of-date rows are
	 * computed now: each member's today as the team page keeps it
	 * (team_today, sql/018 and 027). */
	STMT(ST_DASH_HOURS_TODAY) = { "dash_hours_today",
	  "SELECT t.user_id, (now() AT TIME ZONE $2)::date::text,"
	  " coalesce(to_char((t.r).t_first AT TIME ZONE $2, 'HH24:MI'), ''),"
	  " CASE WHEN (t.r).t_last_is_end THEN '24:00'"
	  "  ELSE coalesce(to_char((t.r).t_last AT TIME ZONE $2, 'HH24:MI'), '') END,"
	  " (t.r).t_breaks, (t.r).t_break_ms, (t.r).t_worked, t.exact"
	  " FROM team_today($1::bigint, $2, $3::integer) t", 3, 0 },
};
