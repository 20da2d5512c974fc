-- The nightly job (wtctl nightly, cgi/wtctl_nightly.c): what it needs in
-- SQL.  Retention itself is plain deletes in the job's statement table;
-- here are the two parts that need a loop or a name that may not exist.

-- Keeps (report_day_cache) the finished days of one person that are not
-- kept yet, in every zone their days are read in: their own, and that of
-- each manager of a team they are in (the team page and the working
-- hours read members' days in the viewer's zone).  A day is taken once it
-- ended two hours ago (sql/015's rule), from p_days days before today
-- (NULL: last week's Monday) but not before the retention period; the
-- figures are report_days', which keeps what it computes.  Returns how
-- many days were kept that were not.
CREATE FUNCTION report_days_settle(p_user bigint, p_days integer DEFAULT NULL)
RETURNS integer LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    z text;
    g bigint;
    first_day date;
    last_day date;
    lo date;
    hi date;
    missing integer;
    left_over integer;
    kept integer := 0;
BEGIN
    IF p_days IS NOT NULL AND p_days NOT BETWEEN 1 AND 400 THEN
        RAISE EXCEPTION 'report_days_settle: 1 to 400 days, not %', p_days
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOR z IN
        SELECT u.timezone FROM users u WHERE u.id = p_user
        UNION
        SELECT m.timezone FROM team_members tm
        JOIN team_members mm ON mm.team_id = tm.team_id AND mm.role = 'manager'
        JOIN users m ON m.id = mm.user_id AND m.status = 'active'
        WHERE tm.user_id = p_user
        ORDER BY 1
    LOOP
        -- Day d has ended two hours ago when the local date two hours
        -- ago is past it.
        last_day := ((now() - interval '2 hours') AT TIME ZONE z)::date - 1;
        first_day := greatest(
            CASE WHEN p_days IS NULL
                 THEN (date_trunc('week', now() AT TIME ZONE z) - interval '7 days')::date
                 ELSE (now() AT TIME ZONE z)::date - p_days END,
            ((now() - make_interval(days => (SELECT retention_days FROM settings)))
             AT TIME ZONE z)::date + 1);
        CONTINUE WHEN first_day > last_day;
        SELECT last_value INTO g FROM report_cache_gen;
        SELECT min(x.d)::date, max(x.d)::date, count(*) INTO lo, hi, missing
        FROM generate_series(first_day::timestamp, last_day::timestamp, interval '1 day') x(d)
        WHERE NOT EXISTS (SELECT 1 FROM report_day_cache c
                          WHERE c.user_id = p_user AND c.tz = z AND c.day = x.d::date
                            AND c.gen = g);
        CONTINUE WHEN missing = 0;
        PERFORM 1 FROM report_days(p_user, lo, hi, z);
        SELECT count(*) INTO left_over
        FROM generate_series(lo::timestamp, hi::timestamp, interval '1 day') x(d)
        WHERE NOT EXISTS (SELECT 1 FROM report_day_cache c
                          WHERE c.user_id = p_user AND c.tz = z AND c.day = x.d::date
                            AND c.gen = g);
        kept := kept + missing - left_over;
    END LOOP;
    RETURN kept;
END $$;

-- window_days_settle() (the category roll-up's own finished days, sql/024)
-- when this database has it: its result as text, or NULL when it has not.
-- Called by name at run time, so this migration and the job do not depend
-- on that one.
CREATE FUNCTION nightly_window_days() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    r text;
BEGIN
    IF to_regprocedure('window_days_settle()') IS NULL THEN
        RETURN NULL;
    END IF;
    EXECUTE 'SELECT window_days_settle()::text' INTO r;
    RETURN coalesce(r, '');
END $$;
