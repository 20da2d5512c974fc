-- A budget of new windows per device and hour.
--
-- Every distinct (app, title, url) is stored once in windows, for good:
-- an agent that sends a new title with every span (a bug, a page whose
-- title is a clock, or a device token in the wrong hands) would grow the
-- table by up to 2 kB a span, 20,000 spans a second within the device's
-- request rate.  A person at work makes a few hundred new windows an
-- hour.  So each device may make at most ingest.new_windows_per_hour new
-- windows an hour (counted when its batches and heartbeats arrive); past
-- that, a span's time is still stored, against its application, under
-- the title "(more new windows than the hourly limit)" and no address,
-- so hours stay honest and storage stays bounded.
CREATE TABLE device_window_budget (
    device_id integer PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,
    hour      timestamptz NOT NULL,
    used      integer NOT NULL CHECK (used >= 0)
) WITH (fillfactor = 50);

-- windows_intern (sql/005) for one device's triples within its budget,
-- and windows_intern itself (p_device NULL: no budget), so the rules of
-- storing a window live in one place.
--   ids     the window of each triple, in order
--   fresh   windows this call stored
--   capped  some triples went under the placeholder title (the caller
--           must not remember those ids as the triples' own windows)
-- Known windows cost one index probe each and take no lock; new ones are
-- counted against the device's hour, then categorised together.
CREATE FUNCTION windows_intern_for(p_device integer, p_per_hour integer,
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
BEGIN
    capped := false;
    fresh := 0;
    keys := ARRAY(SELECT window_key(t.app, t.title, coalesce(t.url, ''))
                  FROM unnest(p_app, p_title, p_url) WITH ORDINALITY AS t(app, title, url, n)
                  ORDER BY t.n);
    ids := ARRAY(SELECT (SELECT w.id FROM windows w WHERE window_key(w.app, w.title, w.url) = k.k)
                 FROM unnest(keys) WITH ORDINALITY AS k(k, n) ORDER BY k.n);
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
    PERFORM category_apps_add(m_app);
    INSERT INTO windows (app, title, url, category_id)
    SELECT t.app, t.title, t.url, b.category_id
    FROM unnest(m_app, m_title, m_url) WITH ORDINALITY AS t(app, title, url, n)
    LEFT JOIN triples_best_categories(m_app, m_title, m_url) b ON b.n = t.n
    ORDER BY t.n
    ON CONFLICT DO NOTHING;

    -- The gaps: windows just stored, here or by a concurrent batch.
    ids := ARRAY(
        SELECT coalesce(CASE WHEN capped THEN NULL ELSE x.id END,
                        (SELECT w.id FROM windows w WHERE window_key(w.app, w.title, w.url) = x.k))
        FROM unnest(keys, ids) WITH ORDINALITY AS x(k, id, n) ORDER BY x.n);
    fresh := (SELECT count(*) FROM windows w WHERE w.id = ANY (ids) AND w.created_at = now());
    RETURN NEXT;
END $$;

CREATE OR REPLACE FUNCTION windows_intern(p_app text[], p_title text[], p_url text[])
RETURNS integer[] LANGUAGE sql AS $$
    SELECT ids FROM windows_intern_for(NULL, NULL, p_app, p_title, p_url)
$$;
