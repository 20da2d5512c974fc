/* Every statement ingest.fcgi runs. */
#include "config.h"

#include "ingest.h"

const struct wt_stmt ingest_stmts[INGEST_NSTMTS] = {
	STMT(ST_INGEST_DEVICE_BY_TOKEN) = { "ingest_device_by_token",
	  "SELECT d.id, d.user_id, d.kind, d.name,"
	  " d.last_seen_at IS NULL OR d.last_seen_at < now() - interval '30 seconds',"
	  " (SELECT retention_days FROM settings)"
	  " FROM devices d JOIN users u ON u.id = d.user_id"
	  " WHERE d.token_hash = $1 AND d.revoked_at IS NULL AND u.status = 'active'", 1, 1 },
	STMT(ST_INGEST_DEVICE_SEEN) = { "ingest_device_seen",
	  "UPDATE devices SET last_seen_at = now() WHERE id = $1", 1, 0 },
	/* Spending the code is the first thing the exchange does: of two
	 * agents racing with one code, one gets no row. */
	STMT(ST_INGEST_CODE_SPEND) = { "ingest_code_spend",
	  "UPDATE enrollment_codes c SET used_at = now() FROM users u"
	  " WHERE c.code_hash = $1 AND c.used_at IS NULL AND c.revoked_at IS NULL"
	  " AND c.expires_at > now() AND u.id = c.user_id AND u.status = 'active'"
	  " RETURNING c.id, c.user_id, c.kind, c.device_name", 1, 0 },
	STMT(ST_INGEST_DEVICE_INSERT) = { "ingest_device_insert",
	  "INSERT INTO devices (user_id, kind, name, hostname, os, agent_version,"
	  " token_hash, hmac_secret, last_seen_at)"
	  " VALUES ($1, $2, $3, $4, $5, $6, $7, NULLIF($8, ''), now()) RETURNING id", 8, 0 },
	STMT(ST_INGEST_CODE_DEVICE) = { "ingest_code_device",
	  "UPDATE enrollment_codes SET device_id = $2 WHERE id = $1", 2, 0 },
	STMT(ST_INGEST_AGENT_SETTINGS) = { "ingest_agent_settings",
	  "SELECT idle_timeout_s, screenshot_mode, screenshot_interval_min,"
	  " screenshot_from_hour, screenshot_to_hour, screenshot_blur,"
	  " array_to_json(title_exclude), upload_interval_s, heartbeat_interval_s, pulsetime_s"
	  " FROM settings", 0, 1 },
	/* store.c: each device's batches one at a time, the devices' locks
	 * taken in the order of the sorted array. */
	STMT(ST_INGEST_LOCK_DEVICES) = { "ingest_lock_devices",
	  "SELECT count(pg_advisory_xact_lock(7242010, d::integer)) FROM unnest($1::bigint[]) d",
	  1, 0 },
	/* The devices of the group whose token is still theirs and valid
	 * (devcache.c): $1 the ids, $2 the token hashes. */
	STMT(ST_INGEST_DEVICES_ACTIVE) = { "ingest_devices_active",
	  "SELECT d.id FROM unnest($1::bigint[], $2::text[]) k(id, h)"
	  " JOIN devices d ON d.id = k.id AND d.token_hash = k.h AND d.revoked_at IS NULL"
	  " JOIN users u ON u.id = d.user_id AND u.status = 'active'", 2, 0 },
	STMT(ST_INGEST_BATCHES_FIND) = { "ingest_batches_find",
	  "SELECT b.device_id, b.seq, b.spans, b.accepted, b.trimmed, b.dropped, b.new_windows"
	  " FROM unnest($1::bigint[], $2::bigint[]) k(d, s)"
	  " JOIN activity_batches b ON b.device_id = k.d AND b.seq = k.s", 2, 1 },
	/* $1 device, $2 its new windows an hour (sql/028), then the
	 * triples; committed without waiting for the disk (sql/031; store.c
	 * says why that is safe). */
	STMT(ST_INGEST_INTERN) = { "ingest_intern",
	  "SELECT ids, fresh, capped FROM windows_intern_no_wait($1::integer, $2::integer,"
	  " $3::text[], $4::text[], $5::text[])", 5, 0 },
	/* The same for a batch whose windows do not fit its group slot,
	 * only while the device ($1) still has the token hash $6 and it and
	 * its owner are active: no row otherwise.  (The call is the inner
	 * side of the lateral join, so it does not run without the row.) */
	STMT(ST_INGEST_INTERN_ACTIVE) = { "ingest_intern_active",
	  "SELECT r.ids, r.fresh, r.capped FROM (SELECT d.id FROM devices d"
	  "  JOIN users u ON u.id = d.user_id AND u.status = 'active'"
	  "  WHERE d.id = $1::bigint AND d.token_hash = $6 AND d.revoked_at IS NULL) ok"
	  " CROSS JOIN LATERAL windows_intern_no_wait(ok.id::integer, $2::integer,"
	  " $3::text[], $4::text[], $5::text[]) r", 6, 0 },
	/* store_group: every batch's missed windows, in the group's
	 * transaction: $1 each triple's device, $2 the hourly budget. */
	STMT(ST_INGEST_INTERN_GROUP) = { "ingest_intern_group",
	  "SELECT ids, devices, fresh, capped FROM windows_intern_group($1::integer[],"
	  " $2::integer, $3::text[], $4::text[], $5::text[])", 5, 0 },
	/* Each batch's device's stored spans that can overlap it ($1 the
	 * devices, $2 and $3 where each batch starts and ends): the last
	 * one with a length starting at or before the batch (a span is at
	 * most 24 h long; a zero-length one may lie inside it) and every one
	 * starting at or inside it; by device and start. */
	STMT(ST_INGEST_NEIGHBOURS) = { "ingest_neighbours",
	  "SELECT k.d, (extract(epoch FROM n.started_at) * 1000000)::bigint, n.duration_ms"
	  " FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) k(d, lo, hi)"
	  " CROSS JOIN LATERAL"
	  " ((SELECT started_at, duration_ms FROM activity WHERE device_id = k.d"
	  "   AND started_at <= 'epoch'::timestamptz + k.lo * interval '1 microsecond'"
	  "   AND started_at > 'epoch'::timestamptz + k.lo * interval '1 microsecond'"
	  "       - interval '24 hours' AND duration_ms > 0"
	  "   ORDER BY started_at DESC LIMIT 1)"
	  "  UNION"
	  "  (SELECT started_at, duration_ms FROM activity WHERE device_id = k.d"
	  "   AND started_at >= 'epoch'::timestamptz + k.lo * interval '1 microsecond'"
	  "   AND started_at < 'epoch'::timestamptz + k.hi * interval '1 microsecond')) n"
	  " ORDER BY 1, 2", 3, 0 },
	STMT(ST_INGEST_INSERT_SPANS) = { "ingest_insert_spans",
	  "INSERT INTO activity (started_at, device_id, duration_ms, window_id, afk)"
	  " SELECT 'epoch'::timestamptz + t.s * interval '1 microsecond', t.v, t.d, t.w, t.a"
	  " FROM unnest($1::integer[], $2::bigint[], $3::integer[], $4::integer[], $5::boolean[])"
	  " AS t(v, s, d, w, a)", 5, 0 },
	STMT(ST_INGEST_BATCH_RECORD) = { "ingest_batch_record",
	  "INSERT INTO activity_batches (device_id, seq, spans, accepted, trimmed, dropped,"
	  " new_windows) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::integer[],"
	  " $4::integer[], $5::integer[], $6::integer[], $7::integer[])", 7, 0 },
	STMT(ST_INGEST_ENSURE_PARTITIONS) = { "ingest_ensure_partitions",
	  "SELECT count(*) FROM activity_ensure_partitions()", 0, 0 },
	/* The token checked and the beat stored in one round trip; the
	 * window's id comes from the worker's cache (or device_auth and
	 * ST_INGEST_INTERN first, on a miss), '' when the beat names none.
	 * $2 is the program's clock, $3 the beat's time. */
	STMT(ST_INGEST_HEARTBEAT) = { "ingest_heartbeat",
	  "SELECT device_id, result FROM heartbeat_by_token($1,"
	  " 'epoch'::timestamptz + $2::bigint * interval '1 microsecond',"
	  " 'epoch'::timestamptz + $3::bigint * interval '1 microsecond',"
	  " $4::boolean, NULLIF($5, '')::integer, $6::integer)", 6, 0 },
	/* tasks.c.  An event is safe to send twice (its client-made id is
	 * recorded with it), so a lost connection may retry it. */
	STMT(ST_INGEST_TASK_EVENT) = { "ingest_task_event",
	  "SELECT status, message, session_id, task_no, state FROM task_event($1, $2, $3,"
	  " $4::timestamptz, make_interval(mins => $5::int), $6::numeric)", 6, 1 },
	STMT(ST_INGEST_TASK_CURRENT) = { "ingest_task_current",
	  "SELECT task_current($1, make_interval(mins => $2::int))", 2, 1 },
	/* screenshot.c */
	STMT(ST_INGEST_SHOT_FIND) = { "ingest_shot_find",
	  "SELECT s.id, s.seq, to_char(s.taken_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),"
	  " s.blurred, s.image_sha256, f.mime, f.bytes, f.width, f.height, s.window_id,"
	  " s.thumb_sha256, t.mime, t.bytes, t.width, t.height"
	  " FROM screenshots s JOIN screenshot_files f ON f.sha256 = s.image_sha256"
	  " LEFT JOIN screenshot_files t ON t.sha256 = s.thumb_sha256"
	  " WHERE s.device_id = $1 AND s.seq = $2", 2, 1 },
	/* With the window in front at that moment: the stored span covering
	 * it, else the span the device's heartbeats are still growing. */
	STMT(ST_INGEST_SHOT_INSERT) = { "ingest_shot_insert",
	  "INSERT INTO screenshots (device_id, user_id, seq, taken_at, blurred, image_sha256, window_id)"
	  " SELECT $1::bigint, $2, $3, x.t, $5, $6, coalesce("
	  "  (SELECT a.window_id FROM activity a WHERE a.device_id = $1::bigint"
	  "   AND a.started_at <= x.t AND a.started_at > x.t - interval '24 hours'"
	  "   AND a.started_at + a.duration_ms * interval '1 millisecond' > x.t"
	  "   ORDER BY a.started_at DESC LIMIT 1),"
	  "  (SELECT p.span_window_id FROM device_presence p WHERE p.device_id = $1::bigint"
	  "   AND p.span_started_at <= x.t"
	  "   AND x.t < p.span_started_at + (p.span_duration_ms + 60000) * interval '1 millisecond'))"
	  " FROM (SELECT 'epoch'::timestamptz + $4::bigint * interval '1 microsecond' AS t) x"
	  " ON CONFLICT (device_id, seq) DO NOTHING RETURNING id", 6, 0 },
	STMT(ST_INGEST_SHOT_THUMB) = { "ingest_shot_thumb",
	  "UPDATE screenshots SET thumb_sha256 = $3 WHERE device_id = $1 AND seq = $2"
	  " AND (thumb_sha256 IS NULL OR thumb_sha256 = $3) RETURNING id", 3, 0 },
	STMT(ST_INGEST_SHOT_TOMBSTONE) = { "ingest_shot_tombstone",
	  "SELECT 1 FROM screenshot_tombstones WHERE device_id = $1 AND seq = $2", 2, 1 },
};
