/* Every statement dash.fcgi runs.  The arithmetic of reports is in
 * sql/009_reports.sql (report_segments, report_days); these only call it
 * and format what it returns. */
#include "config.h"

#include "dash.h"

/* Milliseconds since 1970 of a timestamptz. */
#define EPOCH_MS(x)	"(extract(epoch FROM " x ") * 1000)::bigint"

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
};
