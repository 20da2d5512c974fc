-- The categories pages' time per window, kept by the hour (issue 12,
-- point 4; bench/BENCHMARKS.md, "The categories pages on 200 people").
--
-- Every categories page starts from the active time of each window over
-- a range: the rule list and the preview from now() - 7 days on, the
-- builder whole local days in the viewer's zone.  Summed from activity
-- (no index on started_at or window_id) that read a month's partition on
-- every view: 2 to 6 s on 200 people.  window_hours keeps, per UTC hour
-- and window, the active milliseconds of the spans that started in that
-- hour (a span counts whole, in the hour it starts, as the pages count
-- it); window_active_ms() answers a range from the kept hours inside it
-- plus activity for the rest: the part of an hour at either edge and the
-- hours not kept (the recent ones).  The answer is the plain sum's to the
-- millisecond (tests/inproc/test_window_hours.c).
--
-- Why hours: a range's edges are any instant (now() - 7 days) or a local
-- midnight (zones at :30 and :45 too), and what is not a whole kept unit
-- is read from activity: with hours, at most an hour of spans at each
-- edge.  Why per window, not per category: a rule change re-categorises
-- windows (windows.category_id), which the pages read at view time, so
-- it needs nothing forgotten here.
--
-- When an hour is kept, and when it is forgotten (sql/015's rule, for
-- hours):
--   * an hour is kept once it ended 2 hours ago; younger ones are always
--     read from activity;
--   * an insert whose spans all start within the last hour (what ingest
--     stores almost always) writes nothing here and takes no lock: such
--     a span starts in a kept hour only if its transaction began more
--     than an hour before the one that kept the hour (015's argument);
--   * older inserts (an agent catching up, a long heartbeat span closed),
--     deletes and updates forget the hours their spans start in (the
--     statement trigger below, beside the day cache's); a dropped
--     partition its month; TRUNCATE everything.
-- Keeping and forgetting in one UTC month are kept apart by the advisory
-- lock (7242024, month): forgetters take it shared (they do not wait for
-- each other), a filler exclusively and before it reads activity, so no
-- filler keeps what it computed from a snapshot older than a change
-- that has already forgotten the hour.
--
-- The edges and the recent hours are read across every device by time:
-- a BRIN index on activity(started_at) finds them.  Spans arrive in time
-- order, so its block ranges stay narrow; an insert at the table's end
-- only looks up the range's summary (cost at ingest: bench/BENCHMARKS.md).

CREATE TABLE window_hours (
    hour      timestamptz NOT NULL,   -- a UTC hour's start
    ms        bigint NOT NULL,        -- active ms of the window's spans starting in it
    window_id integer NOT NULL,
    PRIMARY KEY (hour, window_id)
);
-- The hours kept (an hour without activity has no window_hours row).
CREATE TABLE window_hours_kept (
    hour timestamptz PRIMARY KEY
);

CREATE INDEX activity_started_brin ON activity USING brin (started_at)
    WITH (pages_per_range = 32, autosummarize = on);

-- The lock key of the UTC month of t.
CREATE FUNCTION window_hours_month(t timestamptz) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
    SELECT (extract(year FROM t AT TIME ZONE 'UTC') * 12
            + extract(month FROM t AT TIME ZONE 'UTC'))::integer
$$;

-- Forgets the kept hours among p_hours (UTC hour starts).
CREATE FUNCTION window_hours_forget(p_hours timestamptz[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(cardinality(p_hours), 0) = 0 THEN
        RETURN;
    END IF;
    PERFORM pg_advisory_xact_lock_shared(7242024, m.m)
    FROM (SELECT DISTINCT window_hours_month(h) AS m FROM unnest(p_hours) h ORDER BY 1) m;
    WITH f AS (DELETE FROM window_hours_kept WHERE hour = ANY (p_hours) RETURNING hour)
    DELETE FROM window_hours w USING f WHERE w.hour = f.hour;
END $$;

-- Keeps the whole UTC hours inside [p_lo, p_hi) (NULL: no end) that
-- ended 2 hours ago and are not kept yet; returns how many it kept.
-- Nothing on a replica or in a read-only transaction.
CREATE FUNCTION window_hours_fill(p_lo timestamptz, p_hi timestamptz DEFAULT NULL)
RETURNS integer LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    cut timestamptz := date_trunc('hour', now() - interval '2 hours', 'UTC');
    lo timestamptz := date_trunc('hour', p_lo, 'UTC');
    hi timestamptz := cut;
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
    IF (SELECT count(*) FROM window_hours_kept k WHERE k.hour >= lo AND k.hour < hi)
       = extract(epoch FROM hi - lo) / 3600 THEN
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
    IF missing IS NULL THEN
        RETURN 0;
    END IF;
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
    RETURN cardinality(missing);
END $$;

-- The active (not AFK) milliseconds of each window over the spans that
-- start in [p_lo, p_hi) (NULL: no end), as
--   SELECT window_id, sum(duration_ms) FROM activity
--   WHERE started_at >= p_lo AND started_at < p_hi AND NOT afk GROUP BY 1
-- would give: the kept hours (keeping the missing ones first, where it
-- may) and activity for the rest, read in one snapshot.
CREATE FUNCTION window_active_ms(p_lo timestamptz, p_hi timestamptz DEFAULT NULL)
RETURNS TABLE (window_id integer, ms bigint)
LANGUAGE plpgsql SET jit = off ROWS 50000 AS $$
#variable_conflict use_column
DECLARE
    cut timestamptz := date_trunc('hour', now() - interval '2 hours', 'UTC');
    lo timestamptz := date_trunc('hour', p_lo, 'UTC');
    hi timestamptz := cut;
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
    )
    SELECT x.window_id, sum(x.ms)::bigint
    FROM (SELECT k.window_id, k.ms FROM window_hours k WHERE k.hour >= lo AND k.hour < hi
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

-- For the nightly job (wtctl nightly calls it through sql/025's
-- nightly_window_days()): keeps the settled hours of the last 8 days not
-- kept yet, what the rule list, the preview and the builder's default
-- week read, so no page has to; returns how many hours it kept.
CREATE FUNCTION window_days_settle() RETURNS integer LANGUAGE sql AS $$
    SELECT window_hours_fill(now() - interval '8 days', NULL)
$$;

-- 023's trigger function, unchanged, plus forgetting the hours a change
-- touches: updated spans' old and new hours; inserted (not recent) and
-- deleted spans' hours, after the day cache's days.
CREATE OR REPLACE FUNCTION report_cache_activity_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    c record;
BEGIN
    INSERT INTO activity_device_changes AS k (device_id, n)
    SELECT d.id, 1 FROM (SELECT DISTINCT device_id FROM changed) ch
    JOIN devices d ON d.id = ch.device_id ORDER BY d.id
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
        SELECT dv.user_id, min(ch.lo) AS lo, max(ch.hi) AS hi
        FROM (SELECT device_id, min(started_at) AS lo,
                     max(started_at + duration_ms * interval '1 ms') AS hi
              FROM changed GROUP BY device_id) ch
        JOIN devices dv ON dv.id = ch.device_id
        GROUP BY dv.user_id ORDER BY dv.user_id
    LOOP
        PERFORM report_cache_forget(c.user_id, c.lo, c.hi);
    END LOOP;
    PERFORM window_hours_forget(ARRAY(
        SELECT DISTINCT date_trunc('hour', started_at, 'UTC') FROM changed));
    RETURN NULL;
END $$;
-- The update trigger sees the old rows too now.
DROP TRIGGER report_cache_activity_updated ON activity;
CREATE TRIGGER report_cache_activity_updated AFTER UPDATE ON activity
    REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION report_cache_activity_changed();

CREATE FUNCTION window_hours_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE window_hours, window_hours_kept;
    RETURN NULL;
END $$;
CREATE TRIGGER window_hours_activity_truncated AFTER TRUNCATE ON activity
    FOR EACH STATEMENT EXECUTE FUNCTION window_hours_truncated();

-- 005's retention by partition, unchanged, plus forgetting the dropped
-- months' hours.  (DROP TABLE locks activity exclusively, so no filler
-- is reading the month meanwhile.)
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
        RETURN NEXT p.relname;
    END LOOP;
END $$;
