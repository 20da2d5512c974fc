-- The organisation: teams and their members, devices and their enrollment
-- codes, settings, and the audit log of every admin and manager action.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- People search (name or e-mail, anywhere in the string) stays fast with
-- tens of thousands of accounts.
CREATE INDEX users_search_idx ON users
    USING gin ((lower(display_name) || ' ' || email) gin_trgm_ops);

CREATE TABLE teams (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX teams_name_key ON teams (lower(name));

CREATE TABLE team_members (
    team_id  bigint NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id  bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role     text NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'manager')),
    added_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user_idx ON team_members (user_id, role);

-- An invitation may put the new person straight into a team.
ALTER TABLE invites ADD COLUMN team_id bigint REFERENCES teams (id) ON DELETE SET NULL;

-- One row per agent installation or phone.  The agent's bearer token and a
-- phone's HMAC secret are created by the enrollment exchange; only the
-- token's SHA-256 is kept.
CREATE TABLE devices (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id       bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind          text NOT NULL DEFAULT 'agent' CHECK (kind IN ('agent', 'phone')),
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    hostname      text NOT NULL DEFAULT '',
    os            text NOT NULL DEFAULT '',
    agent_version text NOT NULL DEFAULT '',
    token_hash    text UNIQUE CHECK (token_hash IS NULL OR length(token_hash) = 64),
    hmac_secret   text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz,
    revoked_at    timestamptz
);
CREATE INDEX devices_user_idx ON devices (user_id);

-- A one-time code a person types into `worktime-agent enroll URL CODE`.
CREATE TABLE enrollment_codes (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code_hash   text NOT NULL UNIQUE CHECK (length(code_hash) = 64),
    user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind        text NOT NULL DEFAULT 'agent' CHECK (kind IN ('agent', 'phone')),
    device_name text NOT NULL CHECK (length(device_name) BETWEEN 1 AND 100),
    created_by  bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    revoked_at  timestamptz,
    device_id   bigint REFERENCES devices (id) ON DELETE SET NULL
);
CREATE INDEX enrollment_codes_user_idx ON enrollment_codes (user_id);

ALTER TABLE settings
    ADD COLUMN retention_days          integer NOT NULL DEFAULT 45
        CHECK (retention_days BETWEEN 1 AND 3650),
    ADD COLUMN screenshot_mode         text NOT NULL DEFAULT 'off'
        CHECK (screenshot_mode IN ('off', 'interval', 'twice_daily')),
    ADD COLUMN screenshot_interval_min integer NOT NULL DEFAULT 30
        CHECK (screenshot_interval_min BETWEEN 5 AND 1440),
    ADD COLUMN screenshot_from_hour    integer NOT NULL DEFAULT 9
        CHECK (screenshot_from_hour BETWEEN 0 AND 23),
    ADD COLUMN screenshot_to_hour      integer NOT NULL DEFAULT 17
        CHECK (screenshot_to_hour BETWEEN 1 AND 24),
    ADD COLUMN screenshot_blur         boolean NOT NULL DEFAULT true,
    ADD COLUMN screenshot_visibility   text NOT NULL DEFAULT 'managers'
        CHECK (screenshot_visibility IN ('managers', 'admins')),
    ADD COLUMN idle_timeout_s          integer NOT NULL DEFAULT 180
        CHECK (idle_timeout_s BETWEEN 30 AND 3600),
    ADD COLUMN day_gap_min             integer NOT NULL DEFAULT 15
        CHECK (day_gap_min BETWEEN 1 AND 240),
    ADD CONSTRAINT screenshot_hours_ordered
        CHECK (screenshot_from_hour < screenshot_to_hour);

-- Who did what to whom.  The actor and target are copied, not referenced,
-- so the record outlives the people in it; rows cannot be changed, and
-- only the retention job (which sets worktime.audit_purge) removes them.
CREATE TABLE audit_log (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at           timestamptz NOT NULL DEFAULT now(),
    actor_id     bigint,
    actor_email  text NOT NULL,
    action       text NOT NULL,
    target_type  text NOT NULL,
    target_id    bigint,
    target_label text NOT NULL DEFAULT '',
    before       jsonb,
    after        jsonb,
    ip           text NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, at DESC);
CREATE INDEX audit_log_target_idx ON audit_log (target_type, target_id, at DESC);

CREATE FUNCTION audit_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('worktime.audit_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_log rows cannot be changed or deleted';
END $$;
CREATE TRIGGER audit_log_guard BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_guard();
