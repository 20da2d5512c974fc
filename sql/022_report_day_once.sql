-- A day that is not kept (today, above all: the page people open most)
-- computed once for its page, not twice.
--
-- The day page read report_days() (the figures) and report_day_arrays()
-- (the segments) one after the other, and each computed a day that is not
-- kept from its spans: 31 ms of PostgreSQL per view of a busy today
-- against 3 ms for a kept day.  report_day_rows() returns the whole kept
-- row (figures and segments) of each day, computing what is missing once
-- and keeping what may be kept; report_day_figures() turns a row's
-- numbers into report_days' columns, the one place that does
-- (report_days uses it too), so the page asks once for both.

-- report_days' columns from the numbers a day keeps (productivity is
-- applied when read, as in 009).
CREATE FUNCTION report_day_figures(p_day date, p_lo timestamptz, p_hi timestamptz,
                                   p_tracked bigint, p_active bigint, p_first timestamptz,
                                   p_last timestamptz, p_breaks integer, p_break_ms bigint,
                                   p_categories jsonb)
RETURNS TABLE (day date, lo timestamptz, hi timestamptz, tracked_ms bigint,
               active_ms bigint, away_ms bigint, productive_ms bigint, neutral_ms bigint,
               distracting_ms bigint, uncategorised_ms bigint, first_at timestamptz,
               last_at timestamptz, worked_ms bigint, breaks integer, break_ms bigint,
               categories jsonb)
LANGUAGE sql STABLE AS $$
    SELECT p_day, p_lo, p_hi, p_tracked, p_active, p_tracked - p_active,
           coalesce(p.productive, 0)::bigint, coalesce(p.neutral, 0)::bigint,
           coalesce(p.distracting, 0)::bigint, coalesce(p.none, 0)::bigint,
           p_first, p_last,
           CASE WHEN p_first IS NULL THEN 0
                ELSE (extract(epoch FROM p_last - p_first) * 1000)::bigint - p_break_ms
           END,
           p_breaks, p_break_ms, p_categories
    FROM (SELECT sum(k.value::bigint) FILTER (WHERE c.productivity = 'productive') AS productive,
                 sum(k.value::bigint) FILTER (WHERE c.productivity = 'neutral') AS neutral,
                 sum(k.value::bigint) FILTER (WHERE c.productivity = 'distracting') AS distracting,
                 sum(k.value::bigint) FILTER (WHERE c.id IS NULL) AS none
          FROM jsonb_each_text(p_categories) k
          LEFT JOIN categories c ON c.id = k.key::integer) p
$$;

-- As in 016, its figures from report_day_figures.
CREATE OR REPLACE FUNCTION report_days(p_user bigint, p_from date, p_to date, p_tz text)
RETURNS TABLE (day date, lo timestamptz, hi timestamptz, tracked_ms bigint,
               active_ms bigint, away_ms bigint, productive_ms bigint, neutral_ms bigint,
               distracting_ms bigint, uncategorised_ms bigint, first_at timestamptz,
               last_at timestamptz, worked_ms bigint, breaks integer, break_ms bigint,
               categories jsonb)
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    g bigint;
    lo_missing date;
    hi_missing date;
    keep boolean := NOT pg_is_in_recovery();
    computed report_day_cache[];
BEGIN
    IF p_to < p_from OR p_to - p_from > 400 THEN
        RAISE EXCEPTION 'report_days: a range of 1 to 401 days, not % to %', p_from, p_to
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF keep THEN
        PERFORM pg_advisory_xact_lock_shared(7242009, report_cache_lock_key(p_user));
    END IF;
    SELECT last_value INTO g FROM report_cache_gen;
    SELECT min(x.day), max(x.day) INTO lo_missing, hi_missing
    FROM generate_series(p_from::timestamp, p_to::timestamp, interval '1 day') x(day)
    WHERE NOT EXISTS (SELECT 1 FROM report_day_cache c
                      WHERE c.user_id = p_user AND c.tz = p_tz AND c.day = x.day::date
                        AND c.gen = g);

    -- (No temporary table: a replica cannot create one.)
    IF lo_missing IS NOT NULL THEN
        SELECT array_agg(c ORDER BY c.day) INTO computed
          FROM report_day_fill(p_user, lo_missing, hi_missing, p_tz, g) c;
        IF keep THEN
            INSERT INTO report_day_cache
            SELECT * FROM unnest(computed) t WHERE t.hi <= now()
            ON CONFLICT ON CONSTRAINT report_day_cache_pkey DO UPDATE SET
                gen = EXCLUDED.gen, lo = EXCLUDED.lo, hi = EXCLUDED.hi,
                tracked_ms = EXCLUDED.tracked_ms, active_ms = EXCLUDED.active_ms,
                first_at = EXCLUDED.first_at, last_at = EXCLUDED.last_at,
                breaks = EXCLUDED.breaks, break_ms = EXCLUDED.break_ms,
                categories = EXCLUDED.categories, seg_s = EXCLUDED.seg_s,
                seg_e = EXCLUDED.seg_e, seg_w = EXCLUDED.seg_w, seg_gap = EXCLUDED.seg_gap;
        END IF;
    END IF;

    RETURN QUERY
    WITH f AS (
        SELECT t.day, t.lo, t.hi, t.tracked_ms, t.active_ms, t.first_at, t.last_at, t.breaks,
               t.break_ms, t.categories
        FROM unnest(computed) t
        UNION ALL
        SELECT c.day, c.lo, c.hi, c.tracked_ms, c.active_ms, c.first_at, c.last_at, c.breaks,
               c.break_ms, c.categories
        FROM report_day_cache c
        WHERE c.user_id = p_user AND c.tz = p_tz AND c.day BETWEEN p_from AND p_to
          AND c.gen = g AND (lo_missing IS NULL OR c.day NOT BETWEEN lo_missing AND hi_missing)
    )
    SELECT x.* FROM f, report_day_figures(f.day, f.lo, f.hi, f.tracked_ms, f.active_ms,
                                            f.first_at, f.last_at, f.breaks, f.break_ms,
                                            f.categories) x
    WHERE f.day BETWEEN p_from AND p_to
    ORDER BY f.day;
END $$;

-- The kept rows of each day of [p_from, p_to] (at most 401 days), one a
-- day in order, figures of the current rules and segments: what is
-- missing is computed once (report_day_fill) and kept as report_days
-- keeps days.
CREATE FUNCTION report_day_rows(p_user bigint, p_from date, p_to date, p_tz text)
RETURNS SETOF report_day_cache
LANGUAGE plpgsql SET jit = off SET plan_cache_mode = force_generic_plan AS $$
DECLARE
    g bigint;
    lo_u date;
    hi_u date;
    keep boolean := NOT pg_is_in_recovery();
    computed report_day_cache[];
BEGIN
    IF p_to < p_from OR p_to - p_from > 400 THEN
        RAISE EXCEPTION 'report_day_rows: a range of 1 to 401 days, not % to %', p_from, p_to
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF keep THEN
        PERFORM pg_advisory_xact_lock_shared(7242009, report_cache_lock_key(p_user));
    END IF;
    SELECT last_value INTO g FROM report_cache_gen;
    SELECT min(x.d), max(x.d) INTO lo_u, hi_u
    FROM generate_series(p_from::timestamp, p_to::timestamp, interval '1 day') x(d)
    WHERE NOT EXISTS (SELECT 1 FROM report_day_cache c
                      WHERE c.user_id = p_user AND c.tz = p_tz AND c.day = x.d::date
                        AND c.gen = g AND c.seg_s IS NOT NULL);
    IF lo_u IS NOT NULL THEN
        SELECT array_agg(c ORDER BY c.day) INTO computed
          FROM report_day_fill(p_user, lo_u, hi_u, p_tz, g) c;
        IF keep THEN
            INSERT INTO report_day_cache
            SELECT * FROM unnest(computed) t WHERE t.hi <= now()
            ON CONFLICT ON CONSTRAINT report_day_cache_pkey DO UPDATE SET
                gen = EXCLUDED.gen, lo = EXCLUDED.lo, hi = EXCLUDED.hi,
                tracked_ms = EXCLUDED.tracked_ms, active_ms = EXCLUDED.active_ms,
                first_at = EXCLUDED.first_at, last_at = EXCLUDED.last_at,
                breaks = EXCLUDED.breaks, break_ms = EXCLUDED.break_ms,
                categories = EXCLUDED.categories, seg_s = EXCLUDED.seg_s,
                seg_e = EXCLUDED.seg_e, seg_w = EXCLUDED.seg_w, seg_gap = EXCLUDED.seg_gap;
        END IF;
    END IF;
    RETURN QUERY
    SELECT t.* FROM unnest(computed) t
    UNION ALL
    SELECT c.* FROM report_day_cache c
    WHERE c.user_id = p_user AND c.tz = p_tz AND c.day BETWEEN p_from AND p_to
      AND c.gen = g AND c.seg_s IS NOT NULL
      AND (lo_u IS NULL OR c.day NOT BETWEEN lo_u AND hi_u)
    ORDER BY 3;
END $$;
