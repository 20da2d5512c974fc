-- The day cache (009) no longer makes ingest wait.
--
-- Every insert into activity used to take the person's cache lock
-- exclusively until its commit, so two devices of one person uploading at
-- once queued behind each other's disk flush, and a report of that person
-- queued behind both: batch ingest lost 23-50 % (bench/BENCHMARKS.md).
-- Almost everything ingest stores is minutes old, and minutes-old activity
-- cannot touch a cached day if the cache keeps only days that ended a
-- while ago.  So:
--
--   * the cache takes a day only once it ended 2 hours ago (the trigger
--     on report_day_cache below drops younger ones: report_days computes
--     them afresh on every view, as it does today's);
--   * an insert whose spans all start within the last hour forgets
--     nothing and takes no lock; an older one (an agent catching up after
--     being offline, a restore) forgets as before.
--
-- Why that is safe: a span starting at s >= W.now - 1 h (W.now: the
-- inserting transaction's start) overlaps a cached day only if the day
-- ends after s, and a day is cached only if it ended before R.now - 2 h
-- (R.now: the caching report's start).  A report that missed the span
-- therefore started more than an hour after the insert's transaction
-- began and still could not see it: only a transaction storing activity
-- for more than an hour can leave a stale day behind.  Ingest's
-- transactions last milliseconds.  Deletes still take the lock (009).
CREATE OR REPLACE FUNCTION report_cache_activity_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    c record;
BEGIN
    IF TG_OP = 'INSERT'
       AND (SELECT min(started_at) FROM changed) >= now() - interval '1 hour' THEN
        RETURN NULL;
    END IF;
    FOR c IN
        SELECT dv.user_id, min(ch.lo) AS lo, max(ch.hi) AS hi
        FROM (SELECT device_id, min(started_at) AS lo,
                     max(started_at + duration_ms * interval '1 ms') AS hi
              FROM changed GROUP BY device_id) ch
        JOIN devices dv ON dv.id = ch.device_id
        GROUP BY dv.user_id ORDER BY dv.user_id
    LOOP
        PERFORM report_cache_forget(c.user_id, c.lo, c.hi);
    END LOOP;
    RETURN NULL;
END $$;

CREATE FUNCTION report_cache_too_recent() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RETURN NULL;
END $$;
CREATE TRIGGER report_day_cache_settled BEFORE INSERT ON report_day_cache
    FOR EACH ROW WHEN (NEW.hi > now() - interval '2 hours')
    EXECUTE FUNCTION report_cache_too_recent();
-- Days cached under the old rule that the rule above would not keep.
DELETE FROM report_day_cache WHERE hi > now() - interval '2 hours';
