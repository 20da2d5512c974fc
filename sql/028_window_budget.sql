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

-- windows_intern (sql/005) for one device's triples within its budget.
-- ids: as windows_intern, in order; fresh: windows made by this call;
-- capped: some triples went under the placeholder title (the caller must
-- not remember them as their own windows).
CREATE FUNCTION windows_intern_for(p_device integer, p_per_hour integer,
    p_app text[], p_title text[], p_url text[])
RETURNS TABLE (ids integer[], fresh bigint, capped boolean) LANGUAGE plpgsql AS $$
DECLARE
    m_app text[];
    m_title text[];
    m_url text[];
    n_new integer;
    used_now integer;
    allowed integer;
    titles text[] := p_title;
    urls text[] := p_url;
BEGIN
    capped := false;
    -- The triples not stored yet, once each, in order of first appearance.
    SELECT array_agg(d.app ORDER BY d.first), array_agg(d.title ORDER BY d.first),
           array_agg(d.url ORDER BY d.first)
      INTO m_app, m_title, m_url
    FROM (SELECT t.app, t.title, coalesce(t.url, '') AS url, min(t.n) AS first
          FROM unnest(p_app, p_title, p_url) WITH ORDINALITY AS t(app, title, url, n)
          GROUP BY 1, 2, 3) d
    WHERE NOT EXISTS (SELECT 1 FROM windows w
                      WHERE window_key(w.app, w.title, w.url) = window_key(d.app, d.title, d.url));
    n_new := coalesce(cardinality(m_app), 0);
    IF n_new > 0 THEN
        INSERT INTO device_window_budget AS b (device_id, hour, used)
        VALUES (p_device, date_trunc('hour', now()), n_new)
        ON CONFLICT (device_id) DO UPDATE
            SET used = CASE WHEN b.hour = EXCLUDED.hour THEN b.used + EXCLUDED.used
                            ELSE EXCLUDED.used END,
                hour = EXCLUDED.hour
        RETURNING b.used INTO used_now;
        IF used_now > p_per_hour THEN
            allowed := greatest(0, p_per_hour - (used_now - n_new));
            SELECT array_agg(CASE WHEN k.r > allowed
                                  THEN '(more new windows than the hourly limit)'
                                  ELSE t.title END ORDER BY t.n),
                   array_agg(CASE WHEN k.r > allowed THEN '' ELSE t.url END ORDER BY t.n)
              INTO titles, urls
            FROM unnest(p_app, p_title, p_url) WITH ORDINALITY AS t(app, title, url, n)
            LEFT JOIN unnest(m_app, m_title, m_url) WITH ORDINALITY AS k(app, title, url, r)
              ON k.app = t.app AND k.title = t.title AND k.url = coalesce(t.url, '');
            capped := true;
        END IF;
    END IF;
    ids := windows_intern(p_app, titles, urls);
    fresh := (SELECT count(*) FROM windows w WHERE w.id = ANY (ids) AND w.created_at = now());
    RETURN NEXT;
END $$;
