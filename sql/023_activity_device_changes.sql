-- The team page's change count no longer makes a person's devices wait.
--
-- sql/018 counted changes per person: every statement that stored
-- activity upserted the person's row of report_user_changes, so two
-- devices of one person (a laptop uploading while a heartbeat closed the
-- desktop's span) queued behind each other's commit, the very wait 015
-- took out of the day cache.  The count is kept per device instead.  A
-- device's batches are already one at a time (ingest's device lock), so
-- the row a statement bumps is one nobody else is waiting for, and the
-- narrow table with room on each page keeps those updates HOT.
--
-- A kept team row is exact while the person's devices' counts and open
-- spans are what they were (report_open_fp, now over both): a device
-- added or removed changes the text too.  The count is bumped in the
-- statement trigger 009 and 015 already fire for the day cache, so an
-- insert runs one trigger, as before 018.

CREATE TABLE activity_device_changes (
    device_id integer PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,
    n         bigint NOT NULL
) WITH (fillfactor = 50);

DROP TRIGGER report_user_activity_inserted ON activity;
DROP TRIGGER report_user_activity_deleted ON activity;
DROP TRIGGER report_user_activity_updated ON activity;
DROP FUNCTION report_user_changed();

-- 015's rule for the day cache, after counting the change per device
-- (in device order, so two statements touching the same devices lock
-- their rows in the same order).  A device being deleted is gone from
-- devices by the time its activity is (its count went with it).
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
    RETURN NULL;
END $$;
CREATE TRIGGER report_cache_activity_updated AFTER UPDATE ON activity
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION report_cache_activity_changed();

-- Each device of the person with its change count and open span, as
-- text: equal while nothing the person's figures come from changed.
CREATE OR REPLACE FUNCTION report_open_fp(p_user bigint) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT coalesce(string_agg(d.id || ':' || coalesce(c.n, 0)
                               || ':' || coalesce(p.span_started_at::text, '')
                               || ':' || coalesce(p.span_duration_ms, 0)
                               || ':' || coalesce(p.span_afk::text, ''), ',' ORDER BY d.id), '')
    FROM devices d
    LEFT JOIN activity_device_changes c ON c.device_id = d.id
    LEFT JOIN device_presence p ON p.device_id = d.id
    WHERE d.user_id = p_user
$$;

ALTER TABLE report_team_rows DROP COLUMN changes;
DROP TABLE report_user_changes;

CREATE OR REPLACE FUNCTION report_team_row_compute(p_user bigint, p_tz text, p_day date)
RETURNS report_team_rows LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    r report_team_rows;
    monday date := p_day - (extract(isodow FROM p_day)::integer - 1);
BEGIN
    -- What the figures are computed from, read first: a change after
    -- this makes the row out of date, never wrongly exact.
    r.user_id := p_user;
    r.tz := p_tz;
    r.day := p_day;
    SELECT last_value INTO r.gen FROM report_cache_gen;
    r.open_fp := report_open_fp(p_user);
    r.computed_at := now();
    SELECT coalesce(sum(d.tracked_ms) FILTER (WHERE d.day = p_day), 0),
           coalesce(sum(d.active_ms) FILTER (WHERE d.day = p_day), 0),
           coalesce(sum(d.productive_ms) FILTER (WHERE d.day = p_day), 0),
           coalesce(sum(d.worked_ms) FILTER (WHERE d.day = p_day), 0),
           min(d.first_at) FILTER (WHERE d.day = p_day),
           max(d.last_at) FILTER (WHERE d.day = p_day),
           coalesce(bool_or(d.last_at = d.hi) FILTER (WHERE d.day = p_day), false),
           coalesce(sum(d.tracked_ms), 0), coalesce(sum(d.active_ms), 0),
           coalesce(sum(d.productive_ms), 0), coalesce(sum(d.worked_ms), 0),
           count(*) FILTER (WHERE d.active_ms > 0)
      INTO r.t_tracked, r.t_active, r.t_productive, r.t_worked, r.t_first, r.t_last,
           r.t_last_is_end, r.w_tracked, r.w_active, r.w_productive, r.w_worked, r.w_days
      FROM report_days(p_user, monday, p_day, p_tz) d;
    IF NOT pg_is_in_recovery() THEN
        INSERT INTO report_team_rows VALUES (r.*)
        ON CONFLICT (user_id, tz) DO UPDATE SET day = EXCLUDED.day, gen = EXCLUDED.gen,
            open_fp = EXCLUDED.open_fp,
            computed_at = EXCLUDED.computed_at, t_tracked = EXCLUDED.t_tracked,
            t_active = EXCLUDED.t_active, t_productive = EXCLUDED.t_productive,
            t_worked = EXCLUDED.t_worked, t_first = EXCLUDED.t_first, t_last = EXCLUDED.t_last,
            t_last_is_end = EXCLUDED.t_last_is_end, w_tracked = EXCLUDED.w_tracked,
            w_active = EXCLUDED.w_active, w_productive = EXCLUDED.w_productive,
            w_worked = EXCLUDED.w_worked, w_days = EXCLUDED.w_days;
    END IF;
    RETURN r;
END $$;

-- The rows of team p_team's active members for today in p_tz: exact
-- ones as kept; missing ones (and, when at most p_sync are out of date,
-- those too) computed now; the other out-of-date ones as kept, with
-- exact = false (team_today_refresh brings them up to date).
CREATE OR REPLACE FUNCTION team_today(p_team bigint, p_tz text, p_sync integer)
RETURNS TABLE (user_id bigint, exact boolean, r report_team_rows)
LANGUAGE plpgsql SET jit = off AS $$
#variable_conflict use_column
DECLARE
    today date := (now() AT TIME ZONE p_tz)::date;
    g bigint;
BEGIN
    SELECT last_value INTO g FROM report_cache_gen;
    RETURN QUERY
    WITH m AS (
        SELECT u.id AS uid, k AS kept,
               k.user_id IS NOT NULL AND k.day = today AND k.gen = g
               AND k.open_fp = report_open_fp(u.id) AS ok
        FROM team_members tm JOIN users u ON u.id = tm.user_id AND u.status = 'active'
        LEFT JOIN report_team_rows k ON k.user_id = u.id AND k.tz = p_tz
        WHERE tm.team_id = p_team
    ), n AS (
        SELECT count(*) FILTER (WHERE NOT m.ok) AS stale FROM m
    )
    SELECT m.uid, true, CASE WHEN m.ok THEN m.kept
                             ELSE report_team_row_compute(m.uid, p_tz, today) END
    FROM m, n
    WHERE m.ok OR (m.kept).user_id IS NULL OR (m.kept).day <> today OR n.stale <= p_sync
    UNION ALL
    SELECT m.uid, false, m.kept
    FROM m, n
    WHERE NOT m.ok AND (m.kept).user_id IS NOT NULL AND (m.kept).day = today AND n.stale > p_sync;
END $$;

-- Brings the out-of-date rows of a team up to date (after the team page
-- has answered); one refresh of a team at a time.  Returns the rows
-- computed, or -1 when another refresh of the team is running.
CREATE OR REPLACE FUNCTION team_today_refresh(p_team bigint, p_tz text) RETURNS integer
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    today date := (now() AT TIME ZONE p_tz)::date;
    g bigint;
    n integer := 0;
    u bigint;
BEGIN
    IF pg_is_in_recovery() THEN
        RETURN 0;
    END IF;
    IF NOT pg_try_advisory_xact_lock(7242018, (p_team % 2147483647)::integer) THEN
        RETURN -1;
    END IF;
    SELECT last_value INTO g FROM report_cache_gen;
    FOR u IN
        SELECT tm.user_id FROM team_members tm
        JOIN users x ON x.id = tm.user_id AND x.status = 'active'
        LEFT JOIN report_team_rows k ON k.user_id = tm.user_id AND k.tz = p_tz
        WHERE tm.team_id = p_team
          AND (k.user_id IS NULL OR k.day <> today OR k.gen <> g
               OR k.open_fp <> report_open_fp(tm.user_id))
        ORDER BY tm.user_id
    LOOP
        PERFORM report_team_row_compute(u, p_tz, today);
        n := n + 1;
    END LOOP;
    RETURN n;
END $$;
