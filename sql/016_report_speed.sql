-- Reports fast on a year of data (issue 12's benchmark), and the
-- definitions sql/009_reports.sql was given after it landed.
--
-- 1. 009 was edited after it had run on some databases (JIT off, a window
--    frame that was quadratic): those databases still run the first
--    report_segments, report_day_compute and report_days.  Every one of
--    them is defined again here, as 009 has it now or faster, so every
--    database runs the same code.
--
-- 2. report_segments and report_day_compute in PL/pgSQL.  A SQL function
--    that cannot be inlined (SET jit = off prevents it) is planned afresh
--    on every call, and report_segments' plan covers every monthly
--    partition of activity twice: planning cost more than running it on
--    a day of 1,600 spans, and grew with the months kept.  PL/pgSQL keeps
--    the plan for the connection; force_generic_plan keeps it from
--    re-planning for each new set of arguments (the plan is the generic
--    one the SQL function had; partitions are pruned when it starts).
--
-- 3. The segments of finished days are kept with their figures in
--    report_day_cache, computed in the same pass as the figures:
--    report_segments' rows of the day as arrays, in order (seg_s, seg_e:
--    start and end in microseconds after the day's start, exact; seg_w
--    the window, NULL when away; seg_gap as gap_ms).  Numbers, not
--    timestamps, because a reader that wants many of them (an export)
--    gets them as text at a fraction of a timestamp's cost.
--    report_day_arrays() reads them a day a row, report_day_segments()
--    as report_segments' rows: the day page and the exports read a
--    finished day without computing it.  They are kept exactly as long as the figures: a change to the
--    day's activity deletes the row (report_cache_forget), and segments
--    do not depend on rules or settings (a report_cache_gen bump makes
--    report_days compute both again, which is harmless).  About 25 kB a
--    busy day before compression.

ALTER TABLE report_day_cache
    ADD COLUMN seg_s   bigint[],
    ADD COLUMN seg_e   bigint[],
    ADD COLUMN seg_w   integer[],
    ADD COLUMN seg_gap bigint[];
-- Rows kept before this migration have no segments: compute them again.
DELETE FROM report_day_cache;

CREATE OR REPLACE FUNCTION report_segments(p_user bigint, p_from date, p_to date, p_tz text)
RETURNS TABLE (day date, s timestamptz, e timestamptz, window_id integer,
               away boolean, gap_ms bigint)
-- No JIT: its row estimates make the planner expect a big query, and
-- compiling it costs 0.5 to 1 s on every call for a few ms of work.
LANGUAGE plpgsql STABLE SET jit = off SET plan_cache_mode = force_generic_plan AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
        WITH d AS MATERIALIZED (
            SELECT g::date AS day, g AT TIME ZONE p_tz AS lo,
                   (g + interval '1 day') AT TIME ZONE p_tz AS hi
            FROM generate_series(p_from::timestamp, p_to::timestamp, interval '1 day') g
        ), r AS MATERIALIZED (
            SELECT min(lo) AS lo, max(hi) AS hi FROM d
        ), dev AS MATERIALIZED (
            SELECT array_agg(id::integer) AS ids FROM devices WHERE user_id = p_user
        ), sp AS (
            SELECT a.started_at AS s, a.started_at + a.duration_ms * interval '1 ms' AS e,
                   a.window_id, a.afk
            FROM r, dev, activity a
            WHERE a.device_id = ANY (dev.ids) AND a.started_at >= r.lo AND a.started_at < r.hi
              AND a.duration_ms > 0
            UNION ALL
            SELECT x.s, x.e, x.window_id, x.afk
            FROM r, dev, unnest(dev.ids) v(id)
            CROSS JOIN LATERAL (
                SELECT a.started_at AS s, a.started_at + a.duration_ms * interval '1 ms' AS e,
                       a.window_id, a.afk
                FROM activity a
                WHERE a.device_id = v.id AND a.started_at < r.lo
                  AND a.started_at >= r.lo - interval '24 hours'
                ORDER BY a.started_at DESC LIMIT 1) x
            WHERE x.e > r.lo
            UNION ALL
            SELECT p.span_started_at, p.span_started_at + p.span_duration_ms * interval '1 ms',
                   p.span_window_id, p.span_afk
            FROM r, dev, device_presence p
            WHERE p.device_id = ANY (dev.ids) AND p.span_started_at < r.hi
              AND p.span_duration_ms > 0
              AND p.span_started_at + p.span_duration_ms * interval '1 ms' > r.lo
        ), x AS MATERIALIZED (
            -- The local day a span starts on (one time zone conversion a
            -- span: they cost microseconds each) and that day's edges.
            SELECT sp.*, d.day AS d0, d.hi AS d0_hi
            FROM sp LEFT JOIN d ON d.day = (sp.s AT TIME ZONE p_tz)::date
        ), pc AS (
            -- The common case, a span inside its day, as it is; spans
            -- crossing midnight (or starting before the range) cut at each
            -- day they touch.
            SELECT x.d0 AS day, x.s, x.e, x.window_id, x.afk
            FROM x WHERE x.d0 IS NOT NULL AND x.e <= x.d0_hi
            UNION ALL
            SELECT d.day, greatest(x.s, d.lo), least(x.e, d.hi), x.window_id, x.afk
            FROM x JOIN d ON d.lo < x.e AND d.hi > x.s
            WHERE x.d0 IS NULL OR x.e > x.d0_hi
        ), act AS (
            -- pe: the latest end among the earlier active pieces of the day.
            -- (A running max up to the current row, then lag: PostgreSQL
            -- computes a frame ending "1 PRECEDING" afresh for every row.)
            SELECT q.day, q.s, q.e, q.window_id,
                   lag(q.rm) OVER (PARTITION BY q.day ORDER BY q.s, q.e) AS pe
            FROM (SELECT pc.day, pc.s, pc.e, pc.window_id,
                         max(pc.e) OVER (PARTITION BY pc.day ORDER BY pc.s, pc.e
                                         ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS rm
                  FROM pc WHERE NOT pc.afk) q
        ), ev AS (
            SELECT q.day, q.t, sum(q.da) AS da, sum(q.df) AS df
            FROM (SELECT pc.day, pc.s AS t, (NOT pc.afk)::int AS da, pc.afk::int AS df FROM pc
                  UNION ALL
                  SELECT pc.day, pc.e, -(NOT pc.afk)::int, -(pc.afk::int) FROM pc) q
            GROUP BY q.day, q.t
        ), sw AS (
            SELECT ev.day, ev.t AS s, lead(ev.t) OVER w AS e,
                   sum(ev.da) OVER w AS ca, sum(ev.df) OVER w AS cf
            FROM ev
            WINDOW w AS (PARTITION BY ev.day ORDER BY ev.t)
        )
        SELECT u.* FROM (
            SELECT act.day, greatest(act.s, act.pe), act.e, act.window_id, false,
                   CASE WHEN act.pe IS NULL THEN NULL
                        WHEN act.s > act.pe
                        THEN (extract(epoch FROM act.s - act.pe) * 1000)::bigint
                        ELSE 0 END
            FROM act WHERE act.pe IS NULL OR act.e > act.pe
            UNION ALL
            SELECT sw.day, sw.s, sw.e, NULL, true, NULL
            FROM sw WHERE sw.ca = 0 AND sw.cf > 0 AND sw.e > sw.s
        ) u(day, s, e, window_id, away, gap_ms)
        ORDER BY 1, 2;
END $$;

CREATE OR REPLACE FUNCTION report_day_compute(p_user bigint, p_from date, p_to date, p_tz text)
RETURNS TABLE (day date, lo timestamptz, hi timestamptz, tracked_ms bigint,
               active_ms bigint, first_at timestamptz, last_at timestamptz,
               breaks integer, break_ms bigint, categories jsonb)
LANGUAGE plpgsql STABLE SET jit = off SET plan_cache_mode = force_generic_plan AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
        WITH d AS (
            SELECT g::date AS day, g AT TIME ZONE p_tz AS lo,
                   (g + interval '1 day') AT TIME ZONE p_tz AS hi
            FROM generate_series(p_from::timestamp, p_to::timestamp, interval '1 day') g
        ), seg AS MATERIALIZED (
            SELECT g.*, (extract(epoch FROM g.e - g.s) * 1000)::bigint AS ms
            FROM report_segments(p_user, p_from, p_to, p_tz) g
        ), gap AS (
            SELECT day_gap_min * 60000::bigint AS g FROM settings
        ), tot AS (
            SELECT seg.day, sum(seg.ms) AS tracked, sum(seg.ms) FILTER (WHERE NOT seg.away) AS active,
                   min(seg.s) FILTER (WHERE NOT seg.away) AS first_at,
                   max(seg.e) FILTER (WHERE NOT seg.away) AS last_at,
                   count(*) FILTER (WHERE seg.gap_ms >= gap.g) AS breaks,
                   sum(seg.gap_ms) FILTER (WHERE seg.gap_ms >= gap.g) AS break_ms
            FROM seg, gap GROUP BY seg.day
        ), cat AS (
            SELECT c.day, jsonb_object_agg(c.cid, c.ms) AS categories
            FROM (SELECT seg.day, coalesce(w.category_id, 0) AS cid, sum(seg.ms) AS ms
                  FROM seg JOIN windows w ON w.id = seg.window_id
                  WHERE NOT seg.away GROUP BY 1, 2) c
            GROUP BY c.day
        )
        SELECT d.day, d.lo, d.hi, coalesce(tot.tracked, 0)::bigint, coalesce(tot.active, 0)::bigint,
               tot.first_at, tot.last_at, coalesce(tot.breaks, 0)::integer,
               coalesce(tot.break_ms, 0)::bigint, coalesce(cat.categories, '{}')
        FROM d LEFT JOIN tot ON tot.day = d.day LEFT JOIN cat ON cat.day = d.day
        ORDER BY d.day;
END $$;

-- report_day_compute's figures and the segments they come from, as the
-- rows report_day_cache keeps (gen p_gen), one pass over the spans.
CREATE FUNCTION report_day_fill(p_user bigint, p_from date, p_to date, p_tz text,
                                p_gen bigint)
RETURNS SETOF report_day_cache
LANGUAGE plpgsql STABLE SET jit = off SET plan_cache_mode = force_generic_plan AS $$
BEGIN
    RETURN QUERY
    WITH d AS (
        SELECT g::date AS day, g AT TIME ZONE p_tz AS lo,
               (g + interval '1 day') AT TIME ZONE p_tz AS hi
        FROM generate_series(p_from::timestamp, p_to::timestamp, interval '1 day') g
    ), seg AS MATERIALIZED (
        SELECT g.*, (extract(epoch FROM g.e - g.s) * 1000)::bigint AS ms,
               (extract(epoch FROM g.s - d.lo) * 1000000)::bigint AS us_s,
               (extract(epoch FROM g.e - d.lo) * 1000000)::bigint AS us_e
        FROM report_segments(p_user, p_from, p_to, p_tz) g JOIN d ON d.day = g.day
    ), gap AS (
        SELECT day_gap_min * 60000::bigint AS g FROM settings
    ), tot AS (
        SELECT seg.day, sum(seg.ms) AS tracked, sum(seg.ms) FILTER (WHERE NOT seg.away) AS active,
               min(seg.s) FILTER (WHERE NOT seg.away) AS first_at,
               max(seg.e) FILTER (WHERE NOT seg.away) AS last_at,
               count(*) FILTER (WHERE seg.gap_ms >= gap.g) AS breaks,
               sum(seg.gap_ms) FILTER (WHERE seg.gap_ms >= gap.g) AS break_ms,
               array_agg(seg.us_s ORDER BY seg.s) AS seg_s,
               array_agg(seg.us_e ORDER BY seg.s) AS seg_e,
               array_agg(seg.window_id ORDER BY seg.s) AS seg_w,
               array_agg(seg.gap_ms ORDER BY seg.s) AS seg_gap
        FROM seg, gap GROUP BY seg.day
    ), cat AS (
        SELECT c.day, jsonb_object_agg(c.cid, c.ms) AS categories
        FROM (SELECT seg.day, coalesce(w.category_id, 0) AS cid, sum(seg.ms) AS ms
              FROM seg JOIN windows w ON w.id = seg.window_id
              WHERE NOT seg.away GROUP BY 1, 2) c
        GROUP BY c.day
    )
    SELECT p_user, p_tz, d.day, p_gen, d.lo, d.hi, coalesce(tot.tracked, 0)::bigint,
           coalesce(tot.active, 0)::bigint, tot.first_at, tot.last_at,
           coalesce(tot.breaks, 0)::integer, coalesce(tot.break_ms, 0)::bigint,
           coalesce(cat.categories, '{}'), coalesce(tot.seg_s, '{}'), coalesce(tot.seg_e, '{}'),
           coalesce(tot.seg_w, '{}'), coalesce(tot.seg_gap, '{}')
    FROM d LEFT JOIN tot ON tot.day = d.day LEFT JOIN cat ON cat.day = d.day
    ORDER BY d.day;
END $$;

-- As in 009, with the segments kept too (report_day_fill).
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
    SELECT f.day, f.lo, f.hi, f.tracked_ms, f.active_ms, f.tracked_ms - f.active_ms,
           coalesce(p.productive, 0)::bigint, coalesce(p.neutral, 0)::bigint,
           coalesce(p.distracting, 0)::bigint, coalesce(p.none, 0)::bigint,
           f.first_at, f.last_at,
           CASE WHEN f.first_at IS NULL THEN 0
                ELSE (extract(epoch FROM f.last_at - f.first_at) * 1000)::bigint - f.break_ms
           END,
           f.breaks, f.break_ms, f.categories
    FROM f
    LEFT JOIN LATERAL (
        SELECT sum(k.value::bigint) FILTER (WHERE c.productivity = 'productive') AS productive,
               sum(k.value::bigint) FILTER (WHERE c.productivity = 'neutral') AS neutral,
               sum(k.value::bigint) FILTER (WHERE c.productivity = 'distracting') AS distracting,
               sum(k.value::bigint) FILTER (WHERE c.id IS NULL) AS none
        FROM jsonb_each_text(f.categories) k
        LEFT JOIN categories c ON c.id = k.key::integer) p ON true
    WHERE f.day BETWEEN p_from AND p_to
    ORDER BY f.day;
END $$;

-- The segments of each day of [p_from, p_to] (at most 401 days) as
-- report_day_cache keeps them, one row a day in order: what the day page
-- and the exports read.  Days without kept segments are computed once,
-- with their figures, and kept as report_days keeps them (finished days
-- only, on the primary, as 015's trigger lets them in); kept segments
-- stay right when rules or settings change (report_cache_gen), so any
-- kept row will do.
CREATE FUNCTION report_day_arrays(p_user bigint, p_from date, p_to date, p_tz text)
RETURNS TABLE (day date, lo timestamptz, hi timestamptz, seg_s bigint[], seg_e bigint[],
               seg_w integer[], seg_gap bigint[])
LANGUAGE plpgsql SET jit = off SET plan_cache_mode = force_generic_plan AS $$
#variable_conflict use_column
DECLARE
    g bigint;
    lo_u date;
    hi_u date;
    keep boolean := NOT pg_is_in_recovery();
    computed report_day_cache[];
BEGIN
    IF p_to < p_from OR p_to - p_from > 400 THEN
        RAISE EXCEPTION 'report_day_arrays: a range of 1 to 401 days, not % to %', p_from, p_to
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF keep THEN
        PERFORM pg_advisory_xact_lock_shared(7242009, report_cache_lock_key(p_user));
    END IF;
    SELECT min(x.d), max(x.d) INTO lo_u, hi_u
    FROM generate_series(p_from::timestamp, p_to::timestamp, interval '1 day') x(d)
    WHERE NOT EXISTS (SELECT 1 FROM report_day_cache c
                      WHERE c.user_id = p_user AND c.tz = p_tz AND c.day = x.d::date
                        AND c.seg_s IS NOT NULL);
    IF lo_u IS NOT NULL THEN
        SELECT last_value INTO g FROM report_cache_gen;
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
    SELECT t.day, t.lo, t.hi, t.seg_s, t.seg_e, t.seg_w, t.seg_gap FROM unnest(computed) t
    UNION ALL
    SELECT c.day, c.lo, c.hi, c.seg_s, c.seg_e, c.seg_w, c.seg_gap
    FROM report_day_cache c
    WHERE c.user_id = p_user AND c.tz = p_tz AND c.day BETWEEN p_from AND p_to
      AND c.seg_s IS NOT NULL AND (lo_u IS NULL OR c.day NOT BETWEEN lo_u AND hi_u)
    ORDER BY 1;
END $$;

-- report_segments' rows, from report_day_arrays.
CREATE FUNCTION report_day_segments(p_user bigint, p_from date, p_to date, p_tz text)
RETURNS TABLE (day date, s timestamptz, e timestamptz, window_id integer,
               away boolean, gap_ms bigint)
LANGUAGE plpgsql SET jit = off SET plan_cache_mode = force_generic_plan AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT a.day, a.lo + u.s * interval '1 microsecond', a.lo + u.e * interval '1 microsecond',
           u.w, u.w IS NULL, u.gap
    FROM report_day_arrays(p_user, p_from, p_to, p_tz) a,
         unnest(a.seg_s, a.seg_e, a.seg_w, a.seg_gap) WITH ORDINALITY u(s, e, w, gap, n)
    ORDER BY a.day, u.n;
END $$;
