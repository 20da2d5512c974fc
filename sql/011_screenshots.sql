-- Screenshots (issue 11): the images agents upload, stored as files in a
-- content-addressed store (screenshots.dir: ab/cd/<sha256>.png|.jpg) and
-- described here.  The same image uploaded twice is one file and one
-- screenshot_files row, referenced by both screenshots.
--
-- Files leave the disk through screenshot_file_trash: whenever
-- screenshots rows go (the person deletes one, the person, the device or
-- their data is deleted, retention), the statement-level trigger below
-- queues every hash they referenced; the programs' sweep (shotstore.c)
-- then, under the hash's advisory lock, drops each hash no screenshot
-- references any more: its screenshot_files row and its file.  The
-- trigger takes no locks and scales with the rows deleted.

CREATE TABLE screenshot_files (
    sha256     text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    mime       text NOT NULL CHECK (mime IN ('image/png', 'image/jpeg')),
    bytes      integer NOT NULL CHECK (bytes > 0),
    width      integer NOT NULL CHECK (width > 0),
    height     integer NOT NULL CHECK (height > 0),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE screenshots (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    device_id    bigint NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The agent's own number for the capture: a retried upload names the
    -- same (device, seq) and is answered, not stored again.
    seq          bigint NOT NULL CHECK (seq >= 0),
    taken_at     timestamptz NOT NULL,
    blurred      boolean NOT NULL,
    image_sha256 text NOT NULL REFERENCES screenshot_files (sha256),
    thumb_sha256 text REFERENCES screenshot_files (sha256),
    -- The window in front when it was taken, if the device's activity
    -- had arrived by then; pages fall back to looking it up.
    window_id    integer REFERENCES windows (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (device_id, seq)
);
CREATE INDEX screenshots_user_taken_idx ON screenshots (user_id, taken_at);
CREATE INDEX screenshots_taken_idx ON screenshots (taken_at);
CREATE INDEX screenshots_image_idx ON screenshots (image_sha256);
CREATE INDEX screenshots_thumb_idx ON screenshots (thumb_sha256) WHERE thumb_sha256 IS NOT NULL;

CREATE TABLE screenshot_file_trash (
    sha256    text PRIMARY KEY,
    queued_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION screenshots_release() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO screenshot_file_trash (sha256)
    SELECT DISTINCT h FROM (SELECT image_sha256 AS h FROM gone
                            UNION ALL SELECT thumb_sha256 FROM gone) x
    WHERE h IS NOT NULL
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER screenshots_release AFTER DELETE ON screenshots
    REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION screenshots_release();

-- What a person deleted stays deleted: an agent sending the same
-- (device, seq) again (a retry after a lost answer, say) is told so
-- (410) instead of storing it anew.  Only a person's own deletion leaves
-- one (a deleted device or person can send nothing); they go with the
-- retention period, after which such an upload is refused anyway.
CREATE TABLE screenshot_tombstones (
    device_id  bigint NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    seq        bigint NOT NULL,
    taken_at   timestamptz NOT NULL,
    deleted_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (device_id, seq)
);

-- Retention applies to screenshots as to activity: deletes what is older
-- than the organisation's retention period (files follow by the sweep);
-- how many screenshots it deleted.
CREATE FUNCTION screenshots_expire() RETURNS bigint LANGUAGE sql AS $$
    WITH t AS (
        DELETE FROM screenshot_tombstones
        WHERE taken_at < now() - make_interval(days => (SELECT retention_days FROM settings))),
    d AS (
        DELETE FROM screenshots
        WHERE taken_at < now() - make_interval(days => (SELECT retention_days FROM settings))
        RETURNING 1)
    SELECT count(*) FROM d;
$$;

-- The notice (issue 11, point 5): when screenshots are turned on, or
-- their policy changes while on, everyone sees it on their next page
-- until they have read it.  screenshot_policy.changed_at is when the
-- screenshot part of the settings last changed (kept beside settings, so
-- the settings row stays what the admin edits); a person's seen_at
-- before it means the notice is due.
CREATE TABLE screenshot_policy (
    id         boolean PRIMARY KEY DEFAULT true CHECK (id),
    changed_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO screenshot_policy DEFAULT VALUES;

CREATE FUNCTION settings_screenshot_policy() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.screenshot_mode, NEW.screenshot_interval_min, NEW.screenshot_from_hour,
        NEW.screenshot_to_hour, NEW.screenshot_blur, NEW.screenshot_visibility)
       IS DISTINCT FROM
       (OLD.screenshot_mode, OLD.screenshot_interval_min, OLD.screenshot_from_hour,
        OLD.screenshot_to_hour, OLD.screenshot_blur, OLD.screenshot_visibility) THEN
        UPDATE screenshot_policy SET changed_at = clock_timestamp();
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER settings_screenshot_policy AFTER UPDATE ON settings
    FOR EACH ROW EXECUTE FUNCTION settings_screenshot_policy();

CREATE TABLE screenshot_notice_seen (
    user_id bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    seen_at timestamptz NOT NULL
);
