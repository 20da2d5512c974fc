-- heartbeat_by_token (sql/033) measured the retention period in calendar
-- days of the session's time zone, which moves by an hour across a DST
-- change; batches measure it in 24-hour days (cgi/ingest/activity.c), and
-- so does this now.  The last-seen update names its row as its table's.
CREATE OR REPLACE FUNCTION heartbeat_by_token(
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
        UPDATE devices d SET last_seen_at = now() WHERE d.id = heartbeat_by_token.device_id;
    END IF;
    IF p_at < p_now - keep_days * interval '24 hours' THEN
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
