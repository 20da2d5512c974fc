-- activity_store (sql/006, sql/034) made to keep its promise that stored
-- spans of a device never overlap and that nothing is lost to trimming,
-- in three cases a fuzzing of the API found (store.c, the batch path,
-- has the same rules and the same fixes):
--   1. a trimmed span's length was rounded to the nearest millisecond,
--      so one cut at a start half a millisecond away ended past it; it is
--      now rounded down, and a span with less than a millisecond left of
--      its length is dropped;
--   2. a start moved past the stored span covering it landed on the start
--      of the next stored span when the two touched, and the insert's ON
--      CONFLICT discarded the whole span (what nothing covered included);
--      it now moves past every stored span in such a chain
--      (activity_past_stored);
--   3. a zero-length stored span (a late heartbeat's instant) cut any
--      later span containing it short; it takes no time, so a span now
--      runs across it, and only a span with a length ends one.  A start
--      on a zero-length span's instant moves on by one microsecond, as in
--      store.c, rather than being dropped.
-- tests/api/40_activity_schema.t has a case for each.

-- t, moved past every stored span with a length that covers it (spans
-- that touch end to start are passed one after the other).
CREATE FUNCTION activity_past_stored(p_device bigint, p_t timestamptz)
RETURNS timestamptz LANGUAGE plpgsql STABLE AS $$
DECLARE
    fin timestamptz;
BEGIN
    LOOP
        SELECT a.started_at + a.duration_ms * interval '1 ms' INTO fin
          FROM activity a
         WHERE a.device_id = p_device AND a.started_at <= p_t
           AND a.started_at > p_t - interval '24 hours' AND a.duration_ms > 0
         ORDER BY a.started_at DESC LIMIT 1;
        IF fin IS NULL OR fin <= p_t THEN
            RETURN p_t;
        END IF;
        p_t := fin;
    END LOOP;
END $$;

CREATE OR REPLACE FUNCTION activity_store(p_device bigint, p_spans json,
    OUT stored integer, OUT trimmed integer)
LANGUAGE plpgsql AS $$
DECLARE
    v_st timestamptz;
    v_fin timestamptz;
    v_st2 timestamptz;
    v_fin2 timestamptz;
    v_dur integer;
    v_ms bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(7242010, p_device::integer);
    stored := 0;
    trimmed := 0;
    IF json_array_length(p_spans) = 1 THEN
        v_st := 'epoch'::timestamptz + (p_spans->0->>0)::bigint * interval '1 microsecond';
        v_dur := (p_spans->0->>1)::integer;
        v_fin := v_st + v_dur * interval '1 ms';
        v_st2 := activity_past_stored(p_device, v_st);
        v_fin2 := least(v_fin,
            (SELECT a.started_at FROM activity a
             WHERE a.device_id = p_device AND a.started_at > v_st2 AND a.started_at < v_fin
               AND a.duration_ms > 0
             ORDER BY a.started_at LIMIT 1));
        IF EXISTS (SELECT 1 FROM activity a
                   WHERE a.device_id = p_device AND a.started_at = v_st2) THEN
            IF v_fin2 - v_st2 <= interval '1 microsecond' THEN
                RETURN;
            END IF;
            v_st2 := v_st2 + interval '1 microsecond';
        END IF;
        v_ms := greatest(floor(extract(epoch FROM v_fin2 - v_st2) * 1000), 0);
        IF v_ms > 0 OR (v_dur = 0 AND v_st2 = v_st) THEN
            INSERT INTO activity (started_at, device_id, duration_ms, window_id, afk)
            VALUES (v_st2, p_device, v_ms, (p_spans->0->>2)::integer,
                    (p_spans->0->>3)::boolean)
            ON CONFLICT DO NOTHING;
            IF FOUND THEN
                stored := 1;
                trimmed := (v_st2 <> v_st OR v_st2 + v_ms * interval '1 ms' <> v_fin)::integer;
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
        SELECT f.*, activity_past_stored(p_device, greatest(f.st,
            max(f.fin) OVER (ORDER BY f.st, f.o
                             ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING))) AS st2
        FROM f
    ), d AS (
        SELECT c.*, least(c.fin,
            (SELECT a.started_at FROM activity a
             WHERE a.device_id = p_device AND a.started_at > c.st2 AND a.started_at < c.fin
               AND a.duration_ms > 0
             ORDER BY a.started_at LIMIT 1)) AS fin2
        FROM c
    ), o AS (
        SELECT d.*, EXISTS (SELECT 1 FROM activity a
                            WHERE a.device_id = p_device AND a.started_at = d.st2) AS taken
        FROM d
    ), m AS (
        SELECT o.*, o.st2 + CASE WHEN o.taken THEN interval '1 microsecond'
                                 ELSE interval '0' END AS st3
        FROM o
        WHERE NOT (o.taken AND o.fin2 - o.st2 <= interval '1 microsecond')
    ), k AS (
        SELECT m.*, greatest(floor(extract(epoch FROM m.fin2 - m.st3) * 1000), 0)::integer AS ms
        FROM m
    ), ins AS (
        INSERT INTO activity (started_at, device_id, duration_ms, window_id, afk)
        SELECT k.st3, p_device, k.ms, k.wid, k.afk
        FROM k
        WHERE k.ms > 0 OR (k.dur = 0 AND k.st3 = k.st)
        ON CONFLICT DO NOTHING
        RETURNING started_at
    )
    SELECT count(DISTINCT ins.started_at),
           count(DISTINCT ins.started_at)
               FILTER (WHERE k.st3 <> k.st OR k.st3 + k.ms * interval '1 ms' <> k.fin)
      INTO stored, trimmed
      FROM ins JOIN k ON k.st3 = ins.started_at;
END $$;
