-- Ingest stores a batch's new windows in a transaction of their own that
-- does not wait for the disk (cgi/ingest/store.c says why nothing is lost
-- by it).  That took four statements (BEGIN, the setting, the call,
-- COMMIT); this is one: the setting is local to the statement's own
-- transaction and still holds when it commits, as 014's heartbeats rely
-- on.
CREATE FUNCTION windows_intern_no_wait(p_device integer, p_per_hour integer,
    p_app text[], p_title text[], p_url text[])
RETURNS TABLE (ids integer[], fresh bigint, capped boolean) LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('synchronous_commit', 'off', true);
    RETURN QUERY SELECT * FROM windows_intern_for(p_device, p_per_hour, p_app, p_title, p_url);
END $$;
