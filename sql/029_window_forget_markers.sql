-- Forgetting a kept hour or day (sql/024, 026) deletes its marker only.
--
-- The statement trigger's slow path (an agent catching up, a delete)
-- deleted the rows of the hours and UTC days its spans start in, and the
-- day's delete scanned all of window_days (the planner expects a day to
-- be a large part of a table that holds a few days): 17 - 32 ms in the
-- inserting transaction on 200 people, growing with every day kept
-- (bench/BENCHMARKS.md).  Now the trigger deletes a row or two of
-- window_hours_kept and window_days_kept; the rows of an hour or a day
-- count only while its marker is there (the readers join the markers),
-- and the filler deletes what is left of an hour or a day before it keeps
-- it again, under the month's lock (so no forget runs meanwhile).

CREATE OR REPLACE FUNCTION window_hours_forget(p_hours timestamptz[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(cardinality(p_hours), 0) = 0 THEN
        RETURN;
    END IF;
    PERFORM pg_advisory_xact_lock_shared(7242024, m.m)
    FROM (SELECT DISTINCT window_hours_month(h) AS m FROM unnest(p_hours) h ORDER BY 1) m;
    DELETE FROM window_hours_kept WHERE hour = ANY (p_hours);
    DELETE FROM window_days_kept
    WHERE day = ANY (ARRAY(SELECT DISTINCT (h AT TIME ZONE 'UTC')::date FROM unnest(p_hours) h));
END $$;

-- 026's, deleting an hour's or a day's old rows before keeping it.
CREATE OR REPLACE FUNCTION window_hours_fill(p_lo timestamptz, p_hi timestamptz DEFAULT NULL)
RETURNS integer LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    cut timestamptz := date_trunc('hour', now() - interval '2 hours', 'UTC');
    lo timestamptz := date_trunc('hour', p_lo, 'UTC');
    hi timestamptz := cut;
    dl date;
    dh date;
    missing timestamptz[];
    days date[];
    r record;
    d date;
BEGIN
    IF lo < p_lo THEN
        lo := lo + interval '1 hour';
    END IF;
    IF p_hi IS NOT NULL AND p_hi < cut THEN
        hi := date_trunc('hour', p_hi, 'UTC');
    END IF;
    -- (More than the builder's longest range, 366 days, is read, not kept.)
    IF hi <= lo OR hi - lo > interval '400 days' OR pg_is_in_recovery()
       OR current_setting('transaction_read_only') = 'on' THEN
        RETURN 0;
    END IF;
    -- The whole UTC days inside: [dl, dh).
    dl := (lo AT TIME ZONE 'UTC')::date;
    IF dl::timestamp AT TIME ZONE 'UTC' < lo THEN
        dl := dl + 1;
    END IF;
    dh := greatest((hi AT TIME ZONE 'UTC')::date, dl);
    IF (SELECT count(*) FROM window_hours_kept k WHERE k.hour >= lo AND k.hour < hi)
       = extract(epoch FROM hi - lo) / 3600
       AND (SELECT count(*) FROM window_days_kept d WHERE d.day >= dl AND d.day < dh) = dh - dl THEN
        RETURN 0;
    END IF;
    PERFORM pg_advisory_xact_lock(7242024, m)
    FROM generate_series(window_hours_month(lo), window_hours_month(hi - interval '1 hour')) m
    ORDER BY m;
    WITH k AS (
        INSERT INTO window_hours_kept (hour)
        SELECT h FROM generate_series(lo, hi - interval '1 hour', interval '1 hour') h
        ORDER BY h
        ON CONFLICT DO NOTHING RETURNING hour)
    SELECT array_agg(k.hour ORDER BY k.hour) INTO missing FROM k;
    -- One read of activity per run of consecutive missing hours.
    FOR r IN
        SELECT min(s.h) AS l, max(s.h) + interval '1 hour' AS u
        FROM (SELECT x.h, x.h - (row_number() OVER (ORDER BY x.h)) * interval '1 hour' AS g
              FROM unnest(missing) x(h)) s
        GROUP BY s.g ORDER BY 1
    LOOP
        DELETE FROM window_hours WHERE hour >= r.l AND hour < r.u;
        INSERT INTO window_hours (hour, window_id, ms)
        SELECT date_trunc('hour', a.started_at, 'UTC'), a.window_id, sum(a.duration_ms)
        FROM activity a
        WHERE a.started_at >= r.l AND a.started_at < r.u AND NOT a.afk
        GROUP BY 1, 2;
    END LOOP;
    -- Every hour of [lo, hi) is kept now, so every day of [dl, dh) can be.
    WITH k AS (
        INSERT INTO window_days_kept (day)
        SELECT g::date FROM generate_series(dl::timestamp, (dh - 1)::timestamp, interval '1 day') g
        ORDER BY 1
        ON CONFLICT DO NOTHING RETURNING day)
    SELECT array_agg(k.day ORDER BY k.day) INTO days FROM k;
    FOREACH d IN ARRAY coalesce(days, '{}') LOOP
        DELETE FROM window_days WHERE day = d;
        INSERT INTO window_days (day, window_id, ms)
        SELECT d, k.window_id, sum(k.ms)
        FROM window_hours k
        WHERE k.hour >= d::timestamp AT TIME ZONE 'UTC'
          AND k.hour < d::timestamp AT TIME ZONE 'UTC' + interval '24 hours'
        GROUP BY k.window_id;
    END LOOP;
    RETURN coalesce(cardinality(missing), 0);
END $$;

-- 026's answer, reading the rows of kept hours and days only.
CREATE OR REPLACE FUNCTION window_active_ms(p_lo timestamptz, p_hi timestamptz DEFAULT NULL)
RETURNS TABLE (window_id integer, ms bigint)
LANGUAGE plpgsql SET jit = off ROWS 50000 AS $$
#variable_conflict use_column
DECLARE
    cut timestamptz := date_trunc('hour', now() - interval '2 hours', 'UTC');
    lo timestamptz := date_trunc('hour', p_lo, 'UTC');
    hi timestamptz := cut;
    dl date;
    dh date;
BEGIN
    IF lo < p_lo THEN
        lo := lo + interval '1 hour';
    END IF;
    IF p_hi IS NOT NULL AND p_hi < cut THEN
        hi := date_trunc('hour', p_hi, 'UTC');
    END IF;
    IF hi <= lo THEN
        -- No whole settled hour inside: all from activity.
        lo := p_lo;
        hi := p_lo;
    ELSE
        PERFORM window_hours_fill(lo, hi);
    END IF;
    dl := (lo AT TIME ZONE 'UTC')::date;
    IF dl::timestamp AT TIME ZONE 'UTC' < lo THEN
        dl := dl + 1;
    END IF;
    dh := greatest((hi AT TIME ZONE 'UTC')::date, dl);
    IF hi <= lo THEN
        dh := dl;
    END IF;
    RETURN QUERY
    WITH gap AS (
        SELECT h FROM generate_series(lo, hi - interval '1 hour', interval '1 hour') h
        WHERE NOT EXISTS (SELECT 1 FROM window_hours_kept k WHERE k.hour = h)
    ), live (l, u) AS (
        SELECT p_lo, lo
        UNION ALL
        SELECT hi, coalesce(p_hi, 'infinity')
        UNION ALL
        SELECT min(s.h), max(s.h) + interval '1 hour'
        FROM (SELECT gap.h, gap.h - (row_number() OVER (ORDER BY gap.h)) * interval '1 hour' AS g
              FROM gap) s
        GROUP BY s.g
    ), hrs (l, u) AS (
        -- The hours not in a kept whole day: the edges, and days not kept.
        SELECT lo, least(dl::timestamp AT TIME ZONE 'UTC', hi)
        UNION ALL
        SELECT greatest(dh::timestamp AT TIME ZONE 'UTC', lo), hi
        UNION ALL
        SELECT g AT TIME ZONE 'UTC', g AT TIME ZONE 'UTC' + interval '24 hours'
        FROM generate_series(dl::timestamp, (dh - 1)::timestamp, interval '1 day') g
        WHERE NOT EXISTS (SELECT 1 FROM window_days_kept d WHERE d.day = g::date)
    )
    SELECT x.window_id, sum(x.ms)::bigint
    FROM (SELECT d.window_id, d.ms
          FROM window_days_kept dk CROSS JOIN LATERAL (
              SELECT d.window_id, d.ms FROM window_days d WHERE d.day = dk.day OFFSET 0) d
          WHERE dk.day >= dl AND dk.day < dh
          UNION ALL
          SELECT k.window_id, k.ms
          FROM hrs v CROSS JOIN LATERAL (
              SELECT k.window_id, k.ms
              FROM window_hours_kept hk JOIN window_hours k ON k.hour = hk.hour
              WHERE hk.hour >= v.l AND hk.hour < v.u
              OFFSET 0) k
          WHERE v.l < v.u
          UNION ALL
          -- OFFSET 0: a scan of activity inside each range, by time.
          SELECT s.window_id, s.duration_ms
          FROM live v CROSS JOIN LATERAL (
              SELECT a.window_id, a.duration_ms FROM activity a
              WHERE a.started_at >= v.l AND a.started_at < v.u AND NOT a.afk
              OFFSET 0) s
          WHERE v.l < v.u) x
    GROUP BY x.window_id;
END $$;
