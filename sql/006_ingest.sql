-- Batch ingest in one call: ingest_batch(device, seq, spans) stores a
-- batch an agent posted exactly once and returns what it produced.
--
-- spans is a JSON array of arrays, as ingest.fcgi writes it after
-- checking every span: [start_us, duration_ms, app, title, url, afk],
-- start_us in microseconds since 1970 UTC.
--
-- Exactly once: the (device, seq) pair is recorded in activity_batches
-- with its counts in the same transaction as the spans.  A batch sent
-- again (a retry after a lost answer, a second uploader) finds its row and
-- gets the same counts back, storing nothing.  A device's batches are
-- applied one at a time (an advisory lock on the device), so two
-- uploaders of one device wait for each other and see each other's spans;
-- other devices are not held up.
--
-- Overlaps are trimmed, never stored twice.  Stored spans of a device
-- never overlap, so for a new span [s, e):
--   * its start moves past the end of the stored span that covers s (at
--     most one can: the last one starting at or before s), and past the
--     end of every earlier span of the same batch (in start order);
--   * its end moves back to the start of the next stored span after the
--     new start.
-- What is left is stored; a span with nothing left is dropped.  A span
-- sent twice under two sequence numbers is thus stored once, and a span
-- straddling a stored one keeps its first part.  A zero-length span is
-- kept only where it was sent (it marks a moment) and dropped if that
-- moment is covered.
-- Stores spans of one device, trimmed as above: the one place spans
-- enter activity (batches, and heartbeat spans when they close).
-- p_spans: [[start_us, duration_ms, window_id, afk], ...].  Returns how
-- many were stored and how many of those were trimmed.
CREATE FUNCTION activity_store(p_device bigint, p_spans json,
    OUT stored integer, OUT trimmed integer)
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(7242010, p_device::integer);
    WITH s AS (
        SELECT o, 'epoch'::timestamptz + (e->>0)::bigint * interval '1 microsecond' AS st,
               (e->>1)::integer AS dur, (e->>2)::integer AS wid, (e->>3)::boolean AS afk
        FROM json_array_elements(p_spans) WITH ORDINALITY AS t(e, o)
    ), f AS (
        SELECT s.*, s.st + s.dur * interval '1 ms' AS fin FROM s
    ), c AS (
        SELECT f.*, greatest(f.st,
            (SELECT a.started_at + a.duration_ms * interval '1 ms' FROM activity a
             WHERE a.device_id = p_device AND a.started_at <= f.st
               AND a.started_at > f.st - interval '24 hours'
             ORDER BY a.started_at DESC LIMIT 1),
            max(f.fin) OVER (ORDER BY f.st, f.o
                             ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)) AS st2
        FROM f
    ), d AS (
        SELECT c.*, least(c.fin,
            (SELECT a.started_at FROM activity a
             WHERE a.device_id = p_device AND a.started_at > c.st2 AND a.started_at < c.fin
             ORDER BY a.started_at LIMIT 1)) AS fin2
        FROM c
    ), ins AS (
        INSERT INTO activity (started_at, device_id, duration_ms, window_id, afk)
        SELECT d.st2, p_device, round(extract(epoch FROM d.fin2 - d.st2) * 1000)::integer,
               d.wid, d.afk
        FROM d
        WHERE d.fin2 > d.st2 OR (d.dur = 0 AND d.st2 = d.st)
        ON CONFLICT DO NOTHING
        RETURNING started_at
    )
    SELECT count(DISTINCT ins.started_at),
           count(DISTINCT ins.started_at) FILTER (WHERE d.st2 <> d.st OR d.fin2 <> d.fin)
      INTO stored, trimmed
      FROM ins JOIN d ON d.st2 = ins.started_at;
END $$;

CREATE FUNCTION ingest_batch(p_device bigint, p_seq bigint, p_spans json)
RETURNS activity_batches LANGUAGE plpgsql AS $$
DECLARE
    b       activity_batches;
    apps    text[];
    titles  text[];
    urls    text[];
    ids     integer[];
    n       integer := json_array_length(p_spans);
    stored  integer := 0;
    cut     integer := 0;
BEGIN
    PERFORM pg_advisory_xact_lock(7242010, p_device::integer);
    SELECT * INTO b FROM activity_batches WHERE device_id = p_device AND seq = p_seq;
    IF FOUND THEN
        RETURN b;
    END IF;

    IF n > 0 THEN
        SELECT array_agg(e->>2 ORDER BY o), array_agg(e->>3 ORDER BY o),
               array_agg(e->>4 ORDER BY o)
          INTO apps, titles, urls
          FROM json_array_elements(p_spans) WITH ORDINALITY AS t(e, o);
        ids := windows_intern(apps, titles, urls);

        SELECT * INTO stored, cut FROM activity_store(p_device,
            (SELECT json_agg(json_build_array(e->0, e->1, ids[o], e->5) ORDER BY o)
             FROM json_array_elements(p_spans) WITH ORDINALITY AS t(e, o)));
    END IF;

    INSERT INTO activity_batches (device_id, seq, spans, accepted, trimmed, dropped, new_windows)
    VALUES (p_device, p_seq, n, stored, cut, n - stored,
            -- windows made in this transaction carry its now()
            (SELECT count(*) FROM windows WHERE id = ANY (ids) AND created_at = now()))
    RETURNING * INTO b;
    RETURN b;
END $$;
