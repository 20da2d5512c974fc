-- windows_intern_for (sql/028) in fewer statements: the same answers.
--
-- Ingest calls it once a batch (for the windows its worker has not seen),
-- and almost every call stores a new window or three.  Each statement of
-- a PL/pgSQL function pays executor start-up, which costs more than the
-- few rows these statements touch.  Three statements go:
--   * the keys and the known windows' ids come from one statement, not two;
--   * category_apps_add()'s INSERT runs here, not through a nested call;
--   * the new windows' ids come back from their INSERT (RETURNING), so
--     only a triple another transaction stored meanwhile is looked up
--     again, and "fresh" is the rows the INSERT returned, not a count over
--     every id.
-- bench/BENCHMARKS.md "Ingest: fewer statements" has the figures.
CREATE OR REPLACE FUNCTION windows_intern_for(p_device integer, p_per_hour integer,
    p_app text[], p_title text[], p_url text[])
RETURNS TABLE (ids integer[], fresh bigint, capped boolean) LANGUAGE plpgsql AS $$
DECLARE
    placeholder constant text := '(more new windows than the hourly limit)';
    keys uuid[];
    m_app text[];
    m_title text[];
    m_url text[];
    used_now integer;
    allowed integer;
    new_keys uuid[];
    new_ids integer[];
BEGIN
    capped := false;
    fresh := 0;
    SELECT coalesce(array_agg(x.k ORDER BY x.n), '{}'),
           coalesce(array_agg((SELECT w.id FROM windows w
                               WHERE window_key(w.app, w.title, w.url) = x.k) ORDER BY x.n), '{}')
      INTO keys, ids
      FROM (SELECT window_key(t.app, t.title, coalesce(t.url, '')) AS k, t.n
            FROM unnest(p_app, p_title, p_url) WITH ORDINALITY AS t(app, title, url, n)) x;
    IF array_position(ids, NULL) IS NULL THEN
        RETURN NEXT;
        RETURN;
    END IF;

    -- The new triples, once each, in order of first appearance.
    SELECT array_agg(d.app ORDER BY d.first), array_agg(d.title ORDER BY d.first),
           array_agg(d.url ORDER BY d.first)
      INTO m_app, m_title, m_url
    FROM (SELECT t.app, t.title, coalesce(t.url, '') AS url, min(t.n) AS first
          FROM unnest(p_app, p_title, p_url, ids) WITH ORDINALITY AS t(app, title, url, id, n)
          WHERE t.id IS NULL
          GROUP BY 1, 2, 3) d;
    IF p_device IS NOT NULL THEN
        INSERT INTO device_window_budget AS b (device_id, hour, used)
        VALUES (p_device, date_trunc('hour', now()), cardinality(m_app))
        ON CONFLICT (device_id) DO UPDATE
            SET used = CASE WHEN b.hour = EXCLUDED.hour THEN b.used + EXCLUDED.used
                            ELSE EXCLUDED.used END,
                hour = EXCLUDED.hour
        RETURNING b.used INTO used_now;
        IF used_now > p_per_hour THEN
            -- Past the budget a triple is its application's placeholder.
            allowed := greatest(0, p_per_hour - (used_now - cardinality(m_app)));
            keys := ARRAY(SELECT CASE WHEN k.r > allowed THEN window_key(t.app, placeholder, '')
                                      ELSE window_key(t.app, t.title, coalesce(t.url, '')) END
                          FROM unnest(p_app, p_title, p_url) WITH ORDINALITY AS t(app, title, url, n)
                          LEFT JOIN unnest(m_app, m_title, m_url) WITH ORDINALITY AS k(app, title, url, r)
                            ON k.app = t.app AND k.title = t.title AND k.url = coalesce(t.url, '')
                          ORDER BY t.n);
            SELECT array_agg(x.app ORDER BY x.r), array_agg(x.title ORDER BY x.r),
                   array_agg(x.url ORDER BY x.r)
              INTO m_app, m_title, m_url
            FROM (SELECT k.app, k.title, k.url, k.r
                  FROM unnest(m_app, m_title, m_url) WITH ORDINALITY AS k(app, title, url, r)
                  WHERE k.r <= allowed
                  UNION ALL
                  SELECT k.app, placeholder, '', min(k.r)
                  FROM unnest(m_app, m_title, m_url) WITH ORDINALITY AS k(app, title, url, r)
                  WHERE k.r > allowed GROUP BY k.app) x;
            capped := true;
        END IF;
    END IF;

    PERFORM pg_advisory_xact_lock_shared(7242005);
    -- category_apps_add(m_app) (sql/032), inline.
    INSERT INTO category_apps (app, category_ids)
    SELECT a.app, ARRAY(SELECT c.id FROM categories c
                        WHERE c.app_re IS NOT NULL AND a.app ~* c.app_re ORDER BY c.id)
    FROM (SELECT DISTINCT unnest(m_app) AS app) a
    WHERE a.app IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM category_apps k WHERE k.app = a.app)
    ON CONFLICT DO NOTHING;
    WITH ins AS (
        INSERT INTO windows (app, title, url, category_id)
        SELECT t.app, t.title, t.url, b.category_id
        FROM unnest(m_app, m_title, m_url) WITH ORDINALITY AS t(app, title, url, n)
        LEFT JOIN triples_best_categories(m_app, m_title, m_url) b ON b.n = t.n
        ORDER BY t.n
        ON CONFLICT DO NOTHING
        RETURNING window_key(app, title, url) AS k, id
    )
    SELECT coalesce(array_agg(ins.k), '{}'), coalesce(array_agg(ins.id), '{}'), count(*)
      INTO new_keys, new_ids, fresh
      FROM ins;

    -- The gaps: windows just stored here, then any a concurrent
    -- transaction stored first (ON CONFLICT left those out).
    ids := ARRAY(
        SELECT coalesce(CASE WHEN capped THEN NULL ELSE x.id END,
                        (SELECT n.id FROM unnest(new_keys, new_ids) AS n(k, id) WHERE n.k = x.k),
                        (SELECT w.id FROM windows w WHERE window_key(w.app, w.title, w.url) = x.k))
        FROM unnest(keys, ids) WITH ORDINALITY AS x(k, id, n) ORDER BY x.n);
    RETURN NEXT;
END $$;
