-- Heartbeats that only extend the open span or report presence commit
-- without waiting for the disk (synchronous_commit off for that one
-- transaction); the rest wait as every other write does.
--
-- Why this loses nothing a person would miss: a merged heartbeat only
-- moves the end of the device's open span to its own time, and the next
-- heartbeat moves it again (the merge takes the greatest end), so a merge
-- lost in a database crash (at most wal_writer_delay x 3 = 0.6 s of
-- commits, and only the WAL not yet written; the operating system crashing
-- is the same) is made good by the next beat.  Presence is a "last seen",
-- rewritten every beat.  A heartbeat that closes a span and opens another
-- ('new'), a late one ('out_of_order'), and every batch still commit
-- synchronously: those are the writes the next beat cannot redo.
--
-- Measured (bench/ingest.sh, same machine, same run order): waiting for
-- the disk on every merge held heartbeats to about 1,850/s; without the
-- wait for merges, about 3,100/s.  ActivityWatch's server goes further and
-- keeps the last heartbeat in memory only, committing every few seconds.
CREATE OR REPLACE FUNCTION device_heartbeat(
    p_device bigint, p_at timestamptz, p_idle boolean,
    p_window integer DEFAULT NULL, p_duration_ms integer DEFAULT 0,
    p_pulsetime_ms integer DEFAULT NULL)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    p device_presence%ROWTYPE;
    pulse integer := coalesce(p_pulsetime_ms, (SELECT pulsetime_s * 1000 FROM settings));
    dur integer;
BEGIN
    -- The hot path: the same window, within pulsetime.
    IF p_window IS NOT NULL THEN
        UPDATE device_presence SET
            seen_at = now(),
            idle_since = CASE WHEN NOT p_idle THEN NULL ELSE coalesce(idle_since, p_at) END,
            idle = p_idle,
            span_duration_ms = least(86400000, greatest(span_duration_ms,
                (extract(epoch FROM p_at - span_started_at) * 1000)::bigint + p_duration_ms))
        WHERE device_id = p_device
          AND span_window_id = p_window AND span_afk = p_idle
          AND p_at >= span_started_at
          AND p_at <= span_started_at + (span_duration_ms::bigint + pulse) * interval '1 ms';
        IF FOUND THEN
            PERFORM set_config('synchronous_commit', 'off', true);
            RETURN 'merged';
        END IF;
    ELSE
        UPDATE device_presence SET
            seen_at = now(),
            idle_since = CASE WHEN NOT p_idle THEN NULL ELSE coalesce(idle_since, p_at) END,
            idle = p_idle
        WHERE device_id = p_device;
        IF FOUND THEN
            PERFORM set_config('synchronous_commit', 'off', true);
            RETURN 'presence';
        END IF;
    END IF;

    -- Everything else: lock the row (creating it the first time).
    SELECT * INTO p FROM device_presence WHERE device_id = p_device FOR UPDATE;
    IF NOT FOUND THEN
        INSERT INTO device_presence (device_id) VALUES (p_device) ON CONFLICT DO NOTHING;
        SELECT * INTO p FROM device_presence WHERE device_id = p_device FOR UPDATE;
    END IF;
    IF p_window IS NULL THEN
        UPDATE device_presence SET seen_at = now(), idle = p_idle,
            idle_since = CASE WHEN NOT p_idle THEN NULL ELSE coalesce(idle_since, p_at) END
        WHERE device_id = p_device;
        RETURN 'presence';
    END IF;
    IF p.span_started_at IS NOT NULL AND p_at < p.span_started_at THEN
        UPDATE device_presence SET seen_at = now() WHERE device_id = p_device;
        RETURN 'out_of_order';
    END IF;
    IF p.span_started_at IS NOT NULL THEN
        dur := least(p.span_duration_ms::bigint,
                     (extract(epoch FROM p_at - p.span_started_at) * 1000)::bigint);
        -- Trimmed against what batches stored meanwhile (sql/006).
        PERFORM activity_store(p_device, json_build_array(json_build_array(
            (extract(epoch FROM p.span_started_at) * 1000000)::bigint, greatest(dur, 0),
            p.span_window_id, p.span_afk)));
    END IF;
    UPDATE device_presence SET
        seen_at = now(),
        idle_since = CASE WHEN NOT p_idle THEN NULL ELSE coalesce(idle_since, p_at) END,
        idle = p_idle,
        span_started_at = p_at, span_duration_ms = least(86400000, greatest(p_duration_ms, 0)),
        span_window_id = p_window, span_afk = p_idle
    WHERE device_id = p_device;
    RETURN 'new';
END $$;
