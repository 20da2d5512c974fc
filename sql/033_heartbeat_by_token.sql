-- A heartbeat in one round trip: the device token checked, the device's
-- coarse last-seen kept, the retention period checked and the beat
-- merged (device_heartbeat, sql/014) in one call.
--
-- Before, ingest.fcgi asked for the device behind the token (and, every
-- 30 seconds, wrote its last-seen), then sent the heartbeat: two round
-- trips where the issue asks for one.  A throwaway binary that skipped
-- the lookup answered 8-29 % more heartbeats a second (bench/BENCHMARKS.md,
-- "Heartbeats").  Batches and the other device routes keep device_auth's
-- lookup: their own work dwarfs it.
--
-- p_now is the program's clock, so the retention check is the one batches
-- make (cgi/ingest/activity.c), not the database server's.  No row: the
-- token is unknown or revoked, or its owner is not active (401).  result
-- 'too_old': at is older than the retention period, nothing stored (400).
-- Otherwise device_heartbeat's result; a late beat naming a window
-- ('out_of_order') is stored as a span of its own, trimmed as a batch's.
CREATE FUNCTION heartbeat_by_token(
    p_token_hash text, p_now timestamptz, p_at timestamptz, p_idle boolean,
    p_window integer, p_duration_ms integer,
    OUT device_id bigint, OUT result text)
RETURNS SETOF record LANGUAGE plpgsql AS $$
DECLARE
    stale boolean;
    keep_days integer;
BEGIN
    SELECT d.id, d.last_seen_at IS NULL OR d.last_seen_at < now() - interval '30 seconds',
           (SELECT s.retention_days FROM settings s)
      INTO device_id, stale, keep_days
      FROM devices d JOIN users u ON u.id = d.user_id
     WHERE d.token_hash = p_token_hash AND d.revoked_at IS NULL AND u.status = 'active';
    IF NOT FOUND THEN
        RETURN;
    END IF;
    IF stale THEN
        UPDATE devices SET last_seen_at = now() WHERE id = device_id;
    END IF;
    IF p_at < p_now - keep_days * interval '1 day' THEN
        result := 'too_old';
        RETURN NEXT;
        RETURN;
    END IF;
    result := device_heartbeat(device_id, p_at, p_idle, p_window, p_duration_ms);
    IF result = 'out_of_order' AND p_window IS NOT NULL THEN
        PERFORM activity_store(device_id, json_build_array(json_build_array(
            (extract(epoch FROM p_at) * 1000000)::bigint, p_duration_ms, p_window, p_idle)));
    END IF;
    RETURN NEXT;
END $$;
