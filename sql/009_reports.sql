-- Reports (issue 12): the day arithmetic every report uses, a cache of
-- finished days, the looks of managers and admins at someone's report,
-- and deleting one's own activity.
--
-- THE DAY ARITHMETIC LIVES HERE, ONCE.  Pages (my day, week, month, the
-- team page, exports) call report_segments() for the timeline and
-- report_days() for the figures of each day; nothing else adds up time.
--
-- Definitions (the person's devices together, in a time zone the caller
-- names: the viewer's):
--   day          [local midnight, next local midnight): 23, 24 or 25 hours
--   piece        a span clipped to one day (a span crossing midnight gives
--                a piece on each day)
--   tracked      the union of all pieces: time some device reported
--   active       the union of the pieces not away from the keyboard (AFK);
--                where one device is active and another AFK at the same
--                moment, the person is active (they are at a keyboard)
--   away         tracked - active
--   category     active time is attributed to one window at each moment:
--                of overlapping active pieces the one that started first
--                keeps the time, a later one gets only what runs past it
--                (the rule ingest trims one device's spans by)
--   productive   active time in categories whose productivity is
--                'productive' (likewise neutral, distracting; no category:
--                uncategorised)
--   first, last  the start of the first and the end of the last active
--                piece of the day
--   break        a gap of at least settings.day_gap_min minutes between
--                active pieces (AFK or nothing tracked); shorter gaps are
--                part of the work
--   worked       last - first - the breaks
-- All durations are in milliseconds (bigint).

-- --------------------------------------------------------------------------
-- Who may read whose reports: the rule of README's "Who may see what".
-- --------------------------------------------------------------------------
CREATE FUNCTION report_may_see(p_viewer bigint, p_target bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT p_viewer = p_target
        OR EXISTS (SELECT 1 FROM users v WHERE v.id = p_viewer AND v.role = 'admin')
        OR EXISTS (SELECT 1 FROM users v
                   JOIN team_members mm ON mm.user_id = v.id AND mm.role = 'manager'
                   JOIN team_members tm ON tm.team_id = mm.team_id
                   WHERE v.id = p_viewer AND v.role = 'manager' AND tm.user_id = p_target)
$$;

-- --------------------------------------------------------------------------
-- report_segments: one person's time in each local day of [p_from, p_to]
-- in zone p_tz, as non-overlapping segments in order:
--   away = false: an active segment, with the window that has the time;
--                 gap_ms is the time since the previous active segment of
--                 the day ended (NULL for the first; 0 when contiguous)
--   away = true:  time tracked but not active (window_id NULL)
-- Stored spans and each device's open heartbeat span are read; a span is
-- at most 24 h long and one device's spans never overlap, so the only
-- span of a device starting before the range that can reach into it is
-- its last one (one index probe per device).
-- --------------------------------------------------------------------------
CREATE FUNCTION report_segments(p_user bigint, p_from date, p_to date, p_tz text)
RETURNS TABLE (day date, s timestamptz, e timestamptz, window_id integer,
               away boolean, gap_ms bigint)
LANGUAGE sql STABLE AS $$
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
        SELECT sp.*, (sp.s AT TIME ZONE p_tz)::date AS d0,
               ((sp.e - interval '1 microsecond') AT TIME ZONE p_tz)::date AS d1
        FROM sp
    ), pc AS (
        -- The common case, a span inside one day, by a hash join; spans
        -- crossing midnight (or starting before the range) by a loop.
        SELECT d.day, x.s, x.e, x.window_id, x.afk
        FROM x JOIN d ON d.day = x.d0 WHERE x.d1 = x.d0
        UNION ALL
        SELECT d.day, greatest(x.s, d.lo), least(x.e, d.hi), x.window_id, x.afk
        FROM x JOIN d ON d.day BETWEEN x.d0 AND x.d1 WHERE x.d1 <> x.d0
    ), act AS (
        SELECT pc.day, pc.s, pc.e, pc.window_id,
               max(pc.e) OVER (PARTITION BY pc.day ORDER BY pc.s, pc.e
                               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS pe
        FROM pc WHERE NOT pc.afk
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
    ORDER BY 1, 2
$$;

-- --------------------------------------------------------------------------
-- The figures of each day, computed (report_day_compute) or from the
-- cache (report_days, which is what callers use).  categories maps a
-- category id (0: none) to active milliseconds; productivity is applied
-- when read, so a rule's new productivity shows at once.
-- --------------------------------------------------------------------------
CREATE FUNCTION report_day_compute(p_user bigint, p_from date, p_to date, p_tz text)
RETURNS TABLE (day date, lo timestamptz, hi timestamptz, tracked_ms bigint,
               active_ms bigint, first_at timestamptz, last_at timestamptz,
               breaks integer, break_ms bigint, categories jsonb)
LANGUAGE sql STABLE AS $$
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
    ORDER BY d.day
$$;

-- Finished days, per person and time zone.  A row is valid while gen is
-- report_cache_gen's value (rule and setting changes move it on) and
-- until activity in [lo, hi) changes: the triggers on activity below
-- delete the rows a change touches.  Only days that have ended are kept;
-- today is always computed.  Filled by report_days on the primary only
-- (a replica computes and does not keep).
CREATE SEQUENCE report_cache_gen;
CREATE TABLE report_day_cache (
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tz         text NOT NULL,
    day        date NOT NULL,
    gen        bigint NOT NULL,
    lo         timestamptz NOT NULL,
    hi         timestamptz NOT NULL,
    tracked_ms bigint NOT NULL,
    active_ms  bigint NOT NULL,
    first_at   timestamptz,
    last_at    timestamptz,
    breaks     integer NOT NULL,
    break_ms   bigint NOT NULL,
    categories jsonb NOT NULL,
    PRIMARY KEY (user_id, tz, day)
);
CREATE INDEX report_day_cache_range_idx ON report_day_cache (user_id, lo);

-- The per-person lock that keeps a report from caching what it computed
-- from a snapshot older than a change the triggers already invalidated:
-- report_days takes it shared before it reads, a change takes it
-- exclusively before it deletes cache rows, so one waits for the other.
CREATE FUNCTION report_cache_lock_key(p_user bigint) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$ SELECT (p_user % 2147483647)::integer $$;

-- Forgets the cached days of a person that overlap [p_lo, p_hi).
CREATE FUNCTION report_cache_forget(p_user bigint, p_lo timestamptz, p_hi timestamptz)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(7242009, report_cache_lock_key(p_user));
    DELETE FROM report_day_cache
    WHERE user_id = p_user AND lo < p_hi AND lo >= p_lo - interval '26 hours' AND hi > p_lo;
END $$;

-- Statement triggers on activity (inserts by ingest's COPY, deletes):
-- one pass over the statement's rows, one delete per person touched.
CREATE FUNCTION report_cache_activity_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    c record;
BEGIN
    FOR c IN
        SELECT dv.user_id, min(ch.lo) AS lo, max(ch.hi) AS hi
        FROM (SELECT device_id, min(started_at) AS lo,
                     max(started_at + duration_ms * interval '1 ms') AS hi
              FROM changed GROUP BY device_id) ch
        JOIN devices dv ON dv.id = ch.device_id
        GROUP BY dv.user_id ORDER BY dv.user_id
    LOOP
        PERFORM report_cache_forget(c.user_id, c.lo, c.hi);
    END LOOP;
    RETURN NULL;
END $$;
CREATE TRIGGER report_cache_activity_inserted AFTER INSERT ON activity
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION report_cache_activity_changed();
CREATE TRIGGER report_cache_activity_deleted AFTER DELETE ON activity
    REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION report_cache_activity_changed();

-- Re-categorised windows and a new break threshold change every day.
CREATE FUNCTION report_cache_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM nextval('report_cache_gen');
    RETURN NULL;
END $$;
CREATE TRIGGER report_cache_windows AFTER UPDATE OF category_id ON windows
    FOR EACH STATEMENT EXECUTE FUNCTION report_cache_bump();
CREATE TRIGGER report_cache_settings AFTER UPDATE OF day_gap_min ON settings
    FOR EACH STATEMENT EXECUTE FUNCTION report_cache_bump();

-- The figures of each day of [p_from, p_to] for p_user in zone p_tz:
-- THE function reports call (my day, week, month, team).  Shares are
-- left to the caller: active / tracked, productive / active.
CREATE FUNCTION report_days(p_user bigint, p_from date, p_to date, p_tz text)
RETURNS TABLE (day date, lo timestamptz, hi timestamptz, tracked_ms bigint,
               active_ms bigint, away_ms bigint, productive_ms bigint, neutral_ms bigint,
               distracting_ms bigint, uncategorised_ms bigint, first_at timestamptz,
               last_at timestamptz, worked_ms bigint, breaks integer, break_ms bigint,
               categories jsonb)
LANGUAGE plpgsql AS $$
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
        SELECT array_agg(ROW(p_user, p_tz, c.day, g, c.lo, c.hi, c.tracked_ms, c.active_ms,
                             c.first_at, c.last_at, c.breaks, c.break_ms,
                             c.categories)::report_day_cache)
          INTO computed
          FROM report_day_compute(p_user, lo_missing, hi_missing, p_tz) c;
        IF keep THEN
            INSERT INTO report_day_cache
            SELECT * FROM unnest(computed) t WHERE t.hi <= now()
            ON CONFLICT ON CONSTRAINT report_day_cache_pkey DO UPDATE SET
                gen = EXCLUDED.gen, lo = EXCLUDED.lo, hi = EXCLUDED.hi,
                tracked_ms = EXCLUDED.tracked_ms, active_ms = EXCLUDED.active_ms,
                first_at = EXCLUDED.first_at, last_at = EXCLUDED.last_at,
                breaks = EXCLUDED.breaks, break_ms = EXCLUDED.break_ms,
                categories = EXCLUDED.categories;
        END IF;
    END IF;

    RETURN QUERY
    WITH f AS (
        SELECT t.* FROM unnest(computed) t
        UNION ALL
        SELECT c.* FROM report_day_cache c
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

-- --------------------------------------------------------------------------
-- Looks: a manager's or admin's view of someone else's report is written
-- to audit_log (action report.view, target the person, after = what was
-- seen); the person reads them back.  One look per viewer, person and
-- page in ten minutes is enough (live refresh reloads every minute).
-- --------------------------------------------------------------------------
CREATE FUNCTION report_look(p_viewer bigint, p_target bigint, p_page text, p_what text,
                            p_ip text)
RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    IF p_viewer = p_target THEN
        RETURN false;
    END IF;
    IF EXISTS (SELECT 1 FROM audit_log a
               WHERE a.target_type = 'user' AND a.target_id = p_target
                 AND a.at > now() - interval '10 minutes' AND a.actor_id = p_viewer
                 AND a.action = 'report.view'
                 AND a.after = jsonb_build_object('page', p_page, 'what', p_what)) THEN
        RETURN false;
    END IF;
    INSERT INTO audit_log (actor_id, actor_email, action, target_type, target_id,
                           target_label, after, ip)
    SELECT v.id, v.email, 'report.view', 'user', t.id, t.email,
           jsonb_build_object('page', p_page, 'what', p_what), coalesce(p_ip, '')
    FROM users v, users t WHERE v.id = p_viewer AND t.id = p_target;
    RETURN true;
END $$;

-- --------------------------------------------------------------------------
-- Deleting one's own activity in [p_lo, p_hi) (NULLs: everything).  A span
-- crossing an edge keeps its part outside: the one running in from before
-- is shortened, the one running out past the end is stored again from the
-- end.  Open heartbeat spans inside are dropped.  Returns the spans
-- removed or cut.
-- --------------------------------------------------------------------------
CREATE FUNCTION activity_delete_range(p_user bigint, p_lo timestamptz, p_hi timestamptz)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    n bigint := 0;
    k bigint;
    lo timestamptz := coalesce(p_lo, '-infinity');
    hi timestamptz := coalesce(p_hi, 'infinity');
    dev integer;
BEGIN
    FOR dev IN SELECT id FROM devices WHERE user_id = p_user ORDER BY id LOOP
        PERFORM pg_advisory_xact_lock(7242010, dev);
        -- The tail of a span that runs out past the end.
        IF p_hi IS NOT NULL THEN
            INSERT INTO activity (started_at, device_id, duration_ms, window_id, afk)
            SELECT hi, a.device_id,
                   a.duration_ms - (extract(epoch FROM hi - a.started_at) * 1000)::integer,
                   a.window_id, a.afk
            FROM activity a
            WHERE a.device_id = dev AND a.started_at >= greatest(lo, hi - interval '24 hours')
              AND a.started_at < hi
              AND a.started_at + a.duration_ms * interval '1 ms' > hi
            ON CONFLICT DO NOTHING;
        END IF;
        -- The head of a span that runs in from before the start.
        IF p_lo IS NOT NULL THEN
            UPDATE activity a
            SET duration_ms = (extract(epoch FROM lo - a.started_at) * 1000)::integer
            WHERE a.device_id = dev AND a.started_at < lo
              AND a.started_at >= lo - interval '24 hours'
              AND a.started_at + a.duration_ms * interval '1 ms' > lo;
            GET DIAGNOSTICS k = ROW_COUNT;
            n := n + k;
        END IF;
        DELETE FROM activity a
        WHERE a.device_id = dev AND a.started_at >= lo AND a.started_at < hi;
        GET DIAGNOSTICS k = ROW_COUNT;
        n := n + k;
        UPDATE device_presence p
        SET span_started_at = NULL, span_duration_ms = NULL, span_window_id = NULL,
            span_afk = NULL
        WHERE p.device_id = dev AND p.span_started_at < hi
          AND p.span_started_at + p.span_duration_ms * interval '1 ms' > lo;
    END LOOP;
    -- The update above fires no statement trigger of ours.
    PERFORM pg_advisory_xact_lock(7242009, report_cache_lock_key(p_user));
    DELETE FROM report_day_cache WHERE user_id = p_user;
    RETURN n;
END $$;
