-- The new windows of a whole group of batches in one call, inside the
-- group's transaction (cgi/ingest/store.c), instead of one call and one
-- transaction per batch before the group.
--
-- A call that stores anything costs about 0.4 ms before its first window
-- (statements' start-up, the budget, the categories' lookups, its own
-- commit) and then about 0.09 ms a window; a 100-span batch of people
-- after their first week names about three new windows, so the fixed part
-- was most of it.  bench/BENCHMARKS.md "Ingest: new windows once a group"
-- has the figures.
--
-- p_device: the device of each triple (a batch's triples together).  The
-- rules are windows_intern_for's (sql/028): each device counts its new
-- windows against its hourly budget; a device past it has its triples
-- interned by windows_intern_for itself, under the placeholder.  New
-- windows are inserted in key order, so two groups storing the same new
-- windows at once wait for each other instead of deadlocking.
--   ids      the window of each triple, in order
--   devices  each device of p_device once, in order of first appearance;
--   fresh    windows stored for it (a window two devices name is the first's)
--   capped   some of its triples went under the placeholder
CREATE FUNCTION windows_intern_group(p_device integer[], p_per_hour integer,
    p_app text[], p_title text[], p_url text[],
    OUT ids integer[], OUT devices integer[], OUT fresh bigint[], OUT capped boolean[])
LANGUAGE plpgsql AS $$
DECLARE
    keys uuid[];
    over integer[];
    new_keys uuid[];
    new_ids integer[];
    n_app text[];
    n_title text[];
    n_url text[];
    n_key uuid[];
    r record;
    got record;
BEGIN
    SELECT coalesce(array_agg(x.k ORDER BY x.n), '{}'),
           coalesce(array_agg((SELECT w.id FROM windows w
                               WHERE window_key(w.app, w.title, w.url) = x.k) ORDER BY x.n), '{}')
      INTO keys, ids
      FROM (SELECT window_key(t.app, t.title, coalesce(t.url, '')) AS k, t.n
            FROM unnest(p_app, p_title, p_url) WITH ORDINALITY AS t(app, title, url, n)) x;
    SELECT array_agg(d.dev ORDER BY d.first) INTO devices
      FROM (SELECT t.dev, min(t.n) AS first FROM unnest(p_device) WITH ORDINALITY AS t(dev, n)
            GROUP BY t.dev) d;
    new_ids := '{}';
    fresh := array_fill(0::bigint, ARRAY[cardinality(devices)]);
    capped := array_fill(false, ARRAY[cardinality(devices)]);
    IF array_position(ids, NULL) IS NULL THEN
        RETURN;
    END IF;

    -- Each device's new windows against its budget, in device order.
    WITH need AS (
        SELECT t.dev, count(DISTINCT t.k) AS n
        FROM unnest(p_device, keys, ids) AS t(dev, k, id)
        WHERE t.id IS NULL GROUP BY t.dev
    ), up AS (
        INSERT INTO device_window_budget AS b (device_id, hour, used)
        SELECT need.dev, date_trunc('hour', now()), need.n FROM need ORDER BY need.dev
        ON CONFLICT (device_id) DO UPDATE
            SET used = CASE WHEN b.hour = EXCLUDED.hour THEN b.used + EXCLUDED.used
                            ELSE EXCLUDED.used END,
                hour = EXCLUDED.hour
        RETURNING b.device_id, b.used
    )
    SELECT coalesce(array_agg(up.device_id) FILTER (WHERE up.used > p_per_hour), '{}')
      INTO over FROM up;
    IF cardinality(over) > 0 THEN
        -- windows_intern_for counts theirs again, as it always has.
        UPDATE device_window_budget b SET used = b.used - need.n
        FROM (SELECT t.dev, count(DISTINCT t.k) AS n
              FROM unnest(p_device, keys, ids) AS t(dev, k, id)
              WHERE t.id IS NULL AND t.dev = ANY (over) GROUP BY t.dev) need
        WHERE b.device_id = need.dev;
    END IF;

    -- The new triples of devices within their budget, once each, in key
    -- order.
    SELECT array_agg(d.app ORDER BY d.k), array_agg(d.title ORDER BY d.k),
           array_agg(d.url ORDER BY d.k), array_agg(d.k ORDER BY d.k)
      INTO n_app, n_title, n_url, n_key
      FROM (SELECT DISTINCT ON (t.k) t.k, t.app, t.title, coalesce(t.url, '') AS url
            FROM unnest(p_device, keys, ids, p_app, p_title, p_url)
                 AS t(dev, k, id, app, title, url)
            WHERE t.id IS NULL AND t.dev <> ALL (over)
            ORDER BY t.k) d;
    IF n_key IS NOT NULL THEN
        PERFORM pg_advisory_xact_lock_shared(7242005);
        PERFORM category_apps_add(n_app);
        WITH ins AS (
            INSERT INTO windows (app, title, url, category_id)
            SELECT t.app, t.title, t.url, b.category_id
            FROM unnest(n_app, n_title, n_url) WITH ORDINALITY AS t(app, title, url, n)
            LEFT JOIN triples_best_categories(n_app, n_title, n_url) b ON b.n = t.n
            ORDER BY t.n
            ON CONFLICT DO NOTHING
            RETURNING window_key(app, title, url) AS k, id
        )
        SELECT coalesce(array_agg(ins.k), '{}'), coalesce(array_agg(ins.id), '{}')
          INTO new_keys, new_ids FROM ins;
        -- A window stored here is fresh for the first device naming it.
        fresh := ARRAY(
            SELECT (SELECT count(*) FROM unnest(new_keys) AS nk(k)
                    WHERE (SELECT t.dev FROM unnest(p_device, keys) WITH ORDINALITY AS t(dev, k, n)
                           WHERE t.k = nk.k ORDER BY t.n LIMIT 1) = d.dev)
            FROM unnest(devices) WITH ORDINALITY AS d(dev, n) ORDER BY d.n);
        -- The gaps: stored here, or by another transaction meanwhile.
        ids := ARRAY(
            SELECT coalesce(x.id,
                            CASE WHEN x.dev = ANY (over) THEN NULL ELSE
                            coalesce((SELECT n.id FROM unnest(new_keys, new_ids) AS n(k, id)
                                      WHERE n.k = x.k),
                                     (SELECT w.id FROM windows w
                                      WHERE window_key(w.app, w.title, w.url) = x.k)) END)
            FROM unnest(p_device, keys, ids) WITH ORDINALITY AS x(dev, k, id, n) ORDER BY x.n);
    END IF;

    -- Devices past their budget: their triples as windows_intern_for
    -- stores them alone (the placeholder past the budget).
    FOR r IN SELECT o.dev, o.n AS di,
                    (SELECT array_agg(t.n::integer ORDER BY t.n)
                     FROM unnest(p_device) WITH ORDINALITY AS t(dev, n) WHERE t.dev = o.dev) AS pos
             FROM unnest(devices) WITH ORDINALITY AS o(dev, n)
             WHERE o.dev = ANY (over) ORDER BY o.n
    LOOP
        SELECT * INTO got FROM windows_intern_for(r.dev, p_per_hour,
            ARRAY(SELECT p_app[k] FROM unnest(r.pos) WITH ORDINALITY AS u(k, o) ORDER BY u.o),
            ARRAY(SELECT p_title[k] FROM unnest(r.pos) WITH ORDINALITY AS u(k, o) ORDER BY u.o),
            ARRAY(SELECT p_url[k] FROM unnest(r.pos) WITH ORDINALITY AS u(k, o) ORDER BY u.o));
        ids := ARRAY(
            SELECT CASE WHEN x.dev = r.dev THEN got.ids[array_position(r.pos, x.n::integer)]
                        ELSE x.id END
            FROM unnest(p_device, ids) WITH ORDINALITY AS x(dev, id, n) ORDER BY x.n);
        -- Its count includes windows this call stored above for others.
        fresh[r.di] := got.fresh - (SELECT count(DISTINCT i) FROM unnest(got.ids) AS i
                                    WHERE i = ANY (new_ids));
        capped[r.di] := got.capped;
    END LOOP;
END $$;
