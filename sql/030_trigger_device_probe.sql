-- The insert trigger no longer reads every device.
--
-- 023's count of changes per device joined the statement's devices to
-- devices, to leave out one being deleted (its count went with it).  The
-- trigger's plan does not know how few rows a statement brings, so it
-- hashed them and read all of devices for every statement that stored
-- activity: 0.9 ms with 2,500 devices, for each batch transaction and each
-- heartbeat that closes a span, growing with the organisation.  A
-- subquery for each of the statement's devices is one index probe each
-- (OFFSET 0 keeps the planner from turning the person's lookup back into
-- the join).  Otherwise the function is 024's.
CREATE OR REPLACE FUNCTION report_cache_activity_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    c record;
BEGIN
    INSERT INTO activity_device_changes AS k (device_id, n)
    SELECT ch.device_id, 1 FROM (SELECT DISTINCT device_id FROM changed) ch
    WHERE (SELECT true FROM devices d WHERE d.id = ch.device_id)
    ORDER BY ch.device_id
    ON CONFLICT (device_id) DO UPDATE SET n = k.n + 1;
    -- activity_delete_range() shortens spans in place and forgets the
    -- person's cached days itself.
    IF TG_OP = 'UPDATE' THEN
        PERFORM window_hours_forget(ARRAY(
            SELECT date_trunc('hour', started_at, 'UTC') FROM changed
            UNION
            SELECT date_trunc('hour', started_at, 'UTC') FROM changed_old));
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT'
       AND (SELECT min(started_at) FROM changed) >= now() - interval '1 hour' THEN
        RETURN NULL;
    END IF;
    FOR c IN
        SELECT u.user_id, min(ch.lo) AS lo, max(ch.hi) AS hi
        FROM (SELECT device_id, min(started_at) AS lo,
                     max(started_at + duration_ms * interval '1 ms') AS hi
              FROM changed GROUP BY device_id) ch
        CROSS JOIN LATERAL (SELECT dv.user_id FROM devices dv WHERE dv.id = ch.device_id
                            OFFSET 0) u
        GROUP BY u.user_id ORDER BY u.user_id
    LOOP
        PERFORM report_cache_forget(c.user_id, c.lo, c.hi);
    END LOOP;
    PERFORM window_hours_forget(ARRAY(
        SELECT DISTINCT date_trunc('hour', started_at, 'UTC') FROM changed));
    RETURN NULL;
END $$;
