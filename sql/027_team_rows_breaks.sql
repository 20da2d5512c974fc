-- Today's breaks in the team page's kept rows (sql/018, sql/023), so the
-- team's working hours (/team/ID/hours) read a range that ends today
-- from them as the team page does, instead of computing every member's
-- today from their spans (13 to 23 ms a person: 3 to 4 s for 200).
ALTER TABLE report_team_rows
    ADD COLUMN t_breaks   integer NOT NULL DEFAULT 0,
    ADD COLUMN t_break_ms bigint NOT NULL DEFAULT 0;
-- Rows kept without them would read as exact with no breaks.
DELETE FROM report_team_rows;

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
           coalesce(sum(d.breaks) FILTER (WHERE d.day = p_day), 0),
           coalesce(sum(d.break_ms) FILTER (WHERE d.day = p_day), 0),
           coalesce(sum(d.tracked_ms), 0), coalesce(sum(d.active_ms), 0),
           coalesce(sum(d.productive_ms), 0), coalesce(sum(d.worked_ms), 0),
           count(*) FILTER (WHERE d.active_ms > 0)
      INTO r.t_tracked, r.t_active, r.t_productive, r.t_worked, r.t_first, r.t_last,
           r.t_last_is_end, r.t_breaks, r.t_break_ms, r.w_tracked, r.w_active, r.w_productive, r.w_worked, r.w_days
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
            w_worked = EXCLUDED.w_worked, w_days = EXCLUDED.w_days,
            t_breaks = EXCLUDED.t_breaks, t_break_ms = EXCLUDED.t_break_ms;
    END IF;
    RETURN r;
END $$;
