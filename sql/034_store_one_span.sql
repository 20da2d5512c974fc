-- activity_store (sql/006) for one span without the set machinery.
--
-- A heartbeat that changes the window closes the open span and stores it
-- through activity_store, one span at a time (device_heartbeat, sql/014;
-- a late beat, sql/033).  The general statement (JSON to rows, a window
-- function over the batch's earlier spans, two correlated subqueries, an
-- INSERT in a CTE, a count over its result) cost about 0.35 ms for that
-- one span; those beats were 6 % of the heartbeat benchmark's requests and
-- a third of PostgreSQL's time for them, and a person switching windows
-- makes many more.  The same rule for one span is two index probes and an
-- INSERT.  bench/BENCHMARKS.md "Heartbeats in one round trip" has the
-- figures.
CREATE OR REPLACE FUNCTION activity_store(p_device bigint, p_spans json,
    OUT stored integer, OUT trimmed integer)
LANGUAGE plpgsql AS $$
DECLARE
    v_st timestamptz;
    v_fin timestamptz;
    v_st2 timestamptz;
    v_fin2 timestamptz;
    v_dur integer;
BEGIN
    PERFORM pg_advisory_xact_lock(7242010, p_device::integer);
    IF json_array_length(p_spans) = 1 THEN
        v_st := 'epoch'::timestamptz + (p_spans->0->>0)::bigint * interval '1 microsecond';
        v_dur := (p_spans->0->>1)::integer;
        v_fin := v_st + v_dur * interval '1 ms';
        -- After the end of the stored span it starts in, and ending where
        -- the next stored span starts: the rule of sql/006.
        v_st2 := greatest(v_st,
            (SELECT a.started_at + a.duration_ms * interval '1 ms' FROM activity a
             WHERE a.device_id = p_device AND a.started_at <= v_st
               AND a.started_at > v_st - interval '24 hours'
             ORDER BY a.started_at DESC LIMIT 1));
        v_fin2 := least(v_fin,
            (SELECT a.started_at FROM activity a
             WHERE a.device_id = p_device AND a.started_at > v_st2 AND a.started_at < v_fin
             ORDER BY a.started_at LIMIT 1));
        stored := 0;
        trimmed := 0;
        IF v_fin2 > v_st2 OR (v_dur = 0 AND v_st2 = v_st) THEN
            INSERT INTO activity (started_at, device_id, duration_ms, window_id, afk)
            VALUES (v_st2, p_device, round(extract(epoch FROM v_fin2 - v_st2) * 1000)::integer,
                    (p_spans->0->>2)::integer, (p_spans->0->>3)::boolean)
            ON CONFLICT DO NOTHING;
            IF FOUND THEN
                stored := 1;
                trimmed := (v_st2 <> v_st OR v_fin2 <> v_fin)::integer;
            END IF;
        END IF;
        RETURN;
    END IF;
    WITH s AS (
        SELECT o, 'epoch'::timestamptz + (e->>0)::bigint * interval '1 microsecond' AS st,
               (e->>1)::integer AS dur, (e->>2)::integer AS wid, (e->>3)::boolean AS afk
        FROM json_array_elements(p_spans) WITH ORDINALITY AS t(e, o)
    ), f AS (
        SELECT s.*, s.st + s.dur * interval '1 ms' AS fin FROM s
    ), c AS (
        SELECT f.*, greatest(f.st,
            (SELECT a.started_at + a.duration_ms * interval '1 ms' FROM activity a
             WHERE a.device_id = p_device AND a.started_at <= f.st
               AND a.started_at > f.st - interval '24 hours'
             ORDER BY a.started_at DESC LIMIT 1),
            max(f.fin) OVER (ORDER BY f.st, f.o
                             ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)) AS st2
        FROM f
    ), d AS (
        SELECT c.*, least(c.fin,
            (SELECT a.started_at FROM activity a
             WHERE a.device_id = p_device AND a.started_at > c.st2 AND a.started_at < c.fin
             ORDER BY a.started_at LIMIT 1)) AS fin2
        FROM c
    ), ins AS (
        INSERT INTO activity (started_at, device_id, duration_ms, window_id, afk)
        SELECT d.st2, p_device, round(extract(epoch FROM d.fin2 - d.st2) * 1000)::integer,
               d.wid, d.afk
        FROM d
        WHERE d.fin2 > d.st2 OR (d.dur = 0 AND d.st2 = d.st)
        ON CONFLICT DO NOTHING
        RETURNING started_at
    )
    SELECT count(DISTINCT ins.started_at),
           count(DISTINCT ins.started_at) FILTER (WHERE d.st2 <> d.st OR d.fin2 <> d.fin)
      INTO stored, trimmed
      FROM ins JOIN d ON d.st2 = ins.started_at;
END $$;
