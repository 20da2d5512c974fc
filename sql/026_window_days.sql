-- The categories pages' time per window, kept by the UTC day too
-- (sql/024 keeps it by the hour).
--
-- A week of 200 people is about 530,000 (hour, window) rows but 180,000
-- (day, window) rows (bench/BENCHMARKS.md): summing the hours cost the
-- pages most of their time.  So a UTC day all of whose hours are kept is
-- also kept whole, in window_days (the sum of its hours' rows, built in
-- the same transaction); window_active_ms() reads the whole days of a
-- range from there and only the hours at its edges from window_hours.
-- A day is forgotten with any of its hours (window_hours_forget, under
-- the same month lock), so "the day is kept" always means "its 24 hours
-- are kept, and these rows are their sum".  UTC days are 24 hours: the
-- arithmetic below never adds '1 day' (which follows the session's zone).

CREATE TABLE window_days (
    day       date NOT NULL,          -- a UTC day
    ms        bigint NOT NULL,
    window_id integer NOT NULL,
    PRIMARY KEY (day, window_id)
);
CREATE TABLE window_days_kept (
    day date PRIMARY KEY
);

-- 024's, plus the days of the hours forgotten.
CREATE OR REPLACE FUNCTION window_hours_forget(p_hours timestamptz[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(cardinality(p_hours), 0) = 0 THEN
        RETURN;
    END IF;
    PERFORM pg_advisory_xact_lock_shared(7242024, m.m)
    FROM (SELECT DISTINCT window_hours_month(h) AS m FROM unnest(p_hours) h ORDER BY 1) m;
    WITH f AS (DELETE FROM window_hours_kept WHERE hour = ANY (p_hours) RETURNING hour)
    DELETE FROM window_hours w USING f WHERE w.hour = f.hour;
    WITH f AS (DELETE FROM window_days_kept
               WHERE day = ANY (ARRAY(SELECT DISTINCT (h AT TIME ZONE 'UTC')::date
                                      FROM unnest(p_hours) h))
               RETURNING day)
    DELETE FROM window_days w USING f WHERE w.day = f.day;
END $$;

-- 024's, plus keeping the whole UTC days of the range whose hours are
-- all kept.
CREATE OR REPLACE FUNCTION window_hours_fill(p_lo timestamptz, p_hi timestamptz DEFAULT NULL)
RETURNS integer LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    cut timestamptz := date_trunc('hour', now() - interval '2 hours', 'UTC');
    lo timestamptz := date_trunc('hour', p_lo, 'UTC');
    hi timestamptz := cut;
    dl date;
    dh date;
    missing timestamptz[];
    r record;
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
        INSERT INTO window_hours (hour, window_id, ms)
        SELECT date_trunc('hour', a.started_at, 'UTC'), a.window_id, sum(a.duration_ms)
        FROM activity a
        WHERE a.started_at >= r.l AND a.started_at < r.u AND NOT a.afk
        GROUP BY 1, 2;
    END LOOP;
    -- Every hour of [lo, hi) is kept now, so every day of [dl, dh) can be.
    WITH d AS (
        INSERT INTO window_days_kept (day)
        SELECT g::date FROM generate_series(dl::timestamp, (dh - 1)::timestamp, interval '1 day') g
        ORDER BY 1
        ON CONFLICT DO NOTHING RETURNING day)
    INSERT INTO window_days (day, window_id, ms)
    SELECT d.day, k.window_id, sum(k.ms)
    FROM d JOIN window_hours k ON k.hour >= d.day::timestamp AT TIME ZONE 'UTC'
                              AND k.hour < d.day::timestamp AT TIME ZONE 'UTC' + interval '24 hours'
    GROUP BY d.day, k.window_id;
    RETURN coalesce(cardinality(missing), 0);
END $$;

-- 024's answer, with the whole kept days of the range read from
-- window_days and only the rest of the kept hours from window_hours.
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
    FROM (SELECT d.window_id, d.ms FROM window_days d WHERE d.day >= dl AND d.day < dh
          UNION ALL
          SELECT k.window_id, k.ms
          FROM hrs v CROSS JOIN LATERAL (
              SELECT k.window_id, k.ms FROM window_hours k
              WHERE k.hour >= v.l AND k.hour < v.u
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

CREATE OR REPLACE FUNCTION window_hours_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE window_hours, window_hours_kept, window_days, window_days_kept;
    RETURN NULL;
END $$;

-- 024's (005's retention by partition), plus the dropped months' days.
CREATE OR REPLACE FUNCTION activity_drop_partitions(p_before timestamptz) RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
    p record;
    lo_l timestamp;
BEGIN
    PERFORM pg_advisory_xact_lock(7242006);
    FOR p IN
        SELECT c.relname
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'activity'::regclass AND c.relname ~ '^activity_\d{4}_\d{2}$'
          AND (to_date(substr(c.relname, 10), 'YYYY_MM')::timestamp
               + interval '1 month') AT TIME ZONE 'UTC' <= p_before
        ORDER BY 1
    LOOP
        EXECUTE format('DROP TABLE %I', p.relname);
        lo_l := to_date(substr(p.relname, 10), 'YYYY_MM')::timestamp;
        DELETE FROM window_hours_kept
        WHERE hour >= lo_l AT TIME ZONE 'UTC' AND hour < (lo_l + interval '1 month') AT TIME ZONE 'UTC';
        DELETE FROM window_hours
        WHERE hour >= lo_l AT TIME ZONE 'UTC' AND hour < (lo_l + interval '1 month') AT TIME ZONE 'UTC';
        DELETE FROM window_days_kept WHERE day >= lo_l::date AND day < (lo_l + interval '1 month')::date;
        DELETE FROM window_days WHERE day >= lo_l::date AND day < (lo_l + interval '1 month')::date;
        RETURN NEXT p.relname;
    END LOOP;
END $$;
