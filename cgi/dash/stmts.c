/* Every statement dash.fcgi runs.  The arithmetic of reports is in
 * sql/009_reports.sql (report_segments, report_days); these only call it
 * and format what it returns. */
#include "config.h"

#include "dash.h"

/* Milliseconds since 1970 of a timestamptz. */
#define EPOCH_MS(x)	"(extract(epoch FROM " x ") * 1000)::bigint"

/* May the caller ($1 id, $2 role) see the screenshots of person u?
 * Their own always; an admin's always; a manager's when the setting
 * says managers and u is in a team they manage. */
#define SHOT_SCOPE(u) \
	"(" u " = $1::bigint OR $2 = 'admin' OR ($2 = 'manager' AND" \
	" (SELECT screenshot_visibility FROM settings) = 'managers' AND EXISTS (" \
	"SELECT 1 FROM team_members mm JOIN team_members tm ON tm.team_id = mm.team_id" \
	" WHERE mm.user_id = $1::bigint AND mm.role = 'manager' AND tm.user_id = " u ")))"
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
	  "SELECT day::text, " EPOCH_MS("lo") ", " EPOCH_MS("hi") ", tracked_ms, active_ms,"
	  " away_ms, productive_ms, neutral_ms, distracting_ms, uncategorised_ms,"
	  " coalesce(to_char(first_at AT TIME ZONE $4, 'HH24:MI'), ''),"
	  " CASE WHEN last_at = hi THEN '24:00'"
	  "  ELSE coalesce(to_char(last_at AT TIME ZONE $4, 'HH24:MI'), '') END,"
	  " worked_ms, breaks, break_ms, categories::text"
	  " FROM report_days($1, $2::date, $3::date, $4)", 4, 1 },
	/* $1 person, $2 from, $3 to, $4 zone: the timeline, each segment's
	 * milliseconds computed exactly as report_day_compute adds them. */
	STMT(ST_DASH_SEGMENTS) = { "dash_segments",
	  "SELECT g.day::text, " EPOCH_MS("g.s") ", " EPOCH_MS("g.e - g.s") ", g.away,"
	  " coalesce(g.gap_ms, -1), coalesce(w.app, ''), coalesce(w.title, ''),"
	  " coalesce(w.url, ''), coalesce(c.id, 0), coalesce(c.name, ''),"
	  " coalesce(c.colour, '#bdbdbd'), coalesce(c.productivity, '')"
	  " FROM report_segments($1, $2::date, $3::date, $4) g"
	  " LEFT JOIN windows w ON w.id = g.window_id"
	  " LEFT JOIN categories c ON c.id = w.category_id ORDER BY g.day, g.s", 4, 1 },
	/* $1 day, $2 zone: the local hour each real hour of the day starts
	 * at (23, 24 or 25 of them). */
	STMT(ST_DASH_HOURS) = { "dash_hours",
	  "SELECT to_char(t AT TIME ZONE $2, 'HH24') FROM generate_series("
	  " $1::date::timestamp AT TIME ZONE $2,"
	  " ($1::date + 1)::timestamp AT TIME ZONE $2 - interval '1 hour', interval '1 hour') t"
	  " ORDER BY t", 2, 1 },
	STMT(ST_DASH_CATEGORIES) = { "dash_categories",
	  "SELECT id, name, colour, productivity FROM categories ORDER BY name", 0, 1 },


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
};
