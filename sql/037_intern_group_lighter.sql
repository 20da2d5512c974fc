-- windows_intern_group (sql/036) with less work a call, the same answers:
--   - each device's fresh count in one pass over the new keys (036 looked
--     every new key's first device up with a scan of all the triples, for
--     every device: under the batch load 0.14-0.19 ms a call of 1.8-2.2);
--   - category_apps_add() only when an application is new to
--     category_apps (it is rarely: the applications people use are few;
--     0.08-0.1 ms a call for nothing otherwise);
--   - a device that no longer exists (deleted since an ingest worker
--     remembered it, cgi/ingest/devcache.c) has no budget row made: the
--     row's foreign key failed the whole group's call; store_group then
--     refuses that device's batch and stores the others without it.
-- tests/api/40_activity_schema.t checks its answers, as for 036.
CREATE OR REPLACE FUNCTION windows_intern_group(p_device integer[], p_per_hour integer,
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
    new_app boolean;
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
    -- (Only devices that exist: a group may hold a batch of a device
    -- deleted since its worker saw it, which store_group refuses after
    -- this call; its budget row would break the call for everyone.)
    WITH need AS (
        SELECT t.dev, count(DISTINCT t.k) AS n
        FROM unnest(p_device, keys, ids) AS t(dev, k, id)
        WHERE t.id IS NULL AND EXISTS (SELECT 1 FROM devices d WHERE d.id = t.dev)
        GROUP BY t.dev
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
           array_agg(d.url ORDER BY d.k), array_agg(d.k ORDER BY d.k),
           coalesce(bool_or(NOT EXISTS (SELECT 1 FROM category_apps k WHERE k.app = d.app)), false)
      INTO n_app, n_title, n_url, n_key, new_app
      FROM (SELECT DISTINCT ON (t.k) t.k, t.app, t.title, coalesce(t.url, '') AS url
            FROM unnest(p_device, keys, ids, p_app, p_title, p_url)
                 AS t(dev, k, id, app, title, url)
            WHERE t.id IS NULL AND t.dev <> ALL (over)
            ORDER BY t.k) d;
    IF n_key IS NOT NULL THEN
        PERFORM pg_advisory_xact_lock_shared(7242005);
        IF new_app THEN
            PERFORM category_apps_add(n_app);
        END IF;
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
            SELECT coalesce(c.n, 0)
            FROM unnest(devices) WITH ORDINALITY AS d(dev, i)
            LEFT JOIN (SELECT f.dev, count(*) AS n
                       FROM (SELECT DISTINCT ON (t.k) t.k, t.dev
                             FROM unnest(p_device, keys) WITH ORDINALITY AS t(dev, k, n)
                             JOIN unnest(new_keys) AS nk(k) ON nk.k = t.k
                             ORDER BY t.k, t.n) f
                       GROUP BY f.dev) c ON c.dev = d.dev
            ORDER BY d.i);
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
