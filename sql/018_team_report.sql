-- The team page's figures, kept between requests (issue 12, point 3).
--
-- The team page shows, for each member, today's figures and the week's
-- to today, from report_days() (sql/009) like every report.  Today is
-- never in report_day_cache (it is still changing), so a team of 200
-- computed every member's today on every request: seconds.  Here each
-- member's row of the team page (report_days over Monday to today,
-- summed) is kept per zone, with what it was computed from:
--   gen       report_cache_gen (rules and the break threshold)
--   changes   report_user_changes.n: bumped by every statement that
--             inserts or deletes activity of the person (triggers below)
--   open_fp   the person's open heartbeat spans (device_presence), which
--             grow without touching activity
-- A row whose three still match is exact: the same figures report_days
-- would give now.  team_today() serves exact rows, computes missing ones
-- (and out-of-date ones when there are few), and leaves the others for
-- team_today_refresh(), which dash runs after the answer has gone out.
-- So a big busy team shows figures at most one refresh old.

CREATE TABLE report_user_changes (
    user_id bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    n       bigint NOT NULL
);

CREATE FUNCTION report_user_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_user_changes AS c (user_id, n)
    SELECT DISTINCT dv.user_id, 1
    FROM (SELECT DISTINCT device_id FROM changed) ch JOIN devices dv ON dv.id = ch.device_id
    ORDER BY dv.user_id
    ON CONFLICT (user_id) DO UPDATE SET n = c.n + 1;
    RETURN NULL;
END $$;
CREATE TRIGGER report_user_activity_inserted AFTER INSERT ON activity
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION report_user_changed();
CREATE TRIGGER report_user_activity_deleted AFTER DELETE ON activity
    REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION report_user_changed();
-- activity_delete_range() also shortens spans in place.
CREATE TRIGGER report_user_activity_updated AFTER UPDATE ON activity
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION report_user_changed();

CREATE TABLE report_team_rows (
    user_id        bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tz             text NOT NULL,
    day            date NOT NULL,	-- today in tz when computed
    gen            bigint NOT NULL,
    changes        bigint NOT NULL,
    open_fp        text NOT NULL,
    computed_at    timestamptz NOT NULL DEFAULT now(),
    t_tracked      bigint NOT NULL,
    t_active       bigint NOT NULL,
    t_productive   bigint NOT NULL,
    t_worked       bigint NOT NULL,
    t_first        timestamptz,
    t_last         timestamptz,
    t_last_is_end  boolean NOT NULL,	-- last activity at midnight: 24:00
    w_tracked      bigint NOT NULL,
    w_active       bigint NOT NULL,
    w_productive   bigint NOT NULL,
    w_worked       bigint NOT NULL,
    w_days         integer NOT NULL,
    PRIMARY KEY (user_id, tz)
);

-- The open spans of a person's devices, as text: equal while none grew.
CREATE FUNCTION report_open_fp(p_user bigint) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT coalesce(string_agg(p.device_id || ':' || coalesce(p.span_started_at::text, '')
                               || ':' || coalesce(p.span_duration_ms, 0)
                               || ':' || coalesce(p.span_afk::text, ''), ',' ORDER BY p.device_id), '')
    FROM devices d JOIN device_presence p ON p.device_id = d.id
    WHERE d.user_id = p_user
$$;

-- Computes and keeps one person's row for p_day (today in p_tz).
CREATE FUNCTION report_team_row_compute(p_user bigint, p_tz text, p_day date)
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
    r.changes := coalesce((SELECT n FROM report_user_changes WHERE user_id = p_user), 0);
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
            changes = EXCLUDED.changes, open_fp = EXCLUDED.open_fp,
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
CREATE FUNCTION team_today(p_team bigint, p_tz text, p_sync integer)
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
               AND k.changes = coalesce(c.n, 0) AND k.open_fp = report_open_fp(u.id) AS ok
        FROM team_members tm JOIN users u ON u.id = tm.user_id AND u.status = 'active'
        LEFT JOIN report_team_rows k ON k.user_id = u.id AND k.tz = p_tz
        LEFT JOIN report_user_changes c ON c.user_id = u.id
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
CREATE FUNCTION team_today_refresh(p_team bigint, p_tz text) RETURNS integer
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
        LEFT JOIN report_user_changes c ON c.user_id = tm.user_id
        WHERE tm.team_id = p_team
          AND (k.user_id IS NULL OR k.day <> today OR k.gen <> g
               OR k.changes <> coalesce(c.n, 0) OR k.open_fp <> report_open_fp(tm.user_id))
        ORDER BY tm.user_id
    LOOP
        PERFORM report_team_row_compute(u, p_tz, today);
        n := n + 1;
    END LOOP;
    RETURN n;
END $$;
