-- category_apps_add() (sql/005) in PL/pgSQL, the same statement.
--
-- As an SQL function that cannot be inlined (it inserts), its INSERT was
-- parsed and planned again on every call: 0.11 ms of planning each time
-- windows_intern_for() stored a new window, a fifth of what storing a
-- batch's first new window cost (pg_stat_statements with track_planning:
-- 8,751 calls, 8,751 plans).  A PL/pgSQL function keeps its statement's
-- plan for the session.  bench/BENCHMARKS.md "Ingest: new windows" has the
-- figures.
CREATE OR REPLACE FUNCTION category_apps_add(p_apps text[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO category_apps (app, category_ids)
    SELECT a.app, ARRAY(SELECT c.id FROM categories c
                        WHERE c.app_re IS NOT NULL AND a.app ~* c.app_re ORDER BY c.id)
    FROM (SELECT DISTINCT unnest(p_apps) AS app) a
    WHERE a.app IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM category_apps k WHERE k.app = a.app)
    ON CONFLICT DO NOTHING;
END $$;
