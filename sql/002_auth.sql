-- Accounts, browser sessions, one-time e-mail tokens, invites, sign-in
-- failures and the organisation's settings.

ALTER TABLE users
    ADD COLUMN email_verified_at   timestamptz,
    ADD COLUMN password_changed_at timestamptz,
    -- Bumped when the password changes: access tokens (JWT) carry it,
    -- so every token issued before the change stops working at once.
    ADD COLUMN token_version       integer NOT NULL DEFAULT 1;

CREATE TABLE password_history (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id       bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    password_hash text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX password_history_user_idx ON password_history (user_id, created_at DESC);

-- A browser session; only the SHA-256 of the cookie's token is stored,
-- so a copy of this table does not let anyone sign in.
CREATE TABLE web_sessions (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash   text NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    ip           text NOT NULL DEFAULT '',
    user_agent   text NOT NULL DEFAULT ''
);
CREATE INDEX web_sessions_user_idx ON web_sessions (user_id);
CREATE INDEX web_sessions_expires_idx ON web_sessions (expires_at);

-- Single-use tokens sent by e-mail (verification, password reset).
CREATE TABLE auth_tokens (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash text NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    kind       text NOT NULL CHECK (kind IN ('verify', 'reset')),
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX auth_tokens_user_idx ON auth_tokens (user_id, kind);

CREATE TABLE invites (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash  text NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    email       text NOT NULL CHECK (email = lower(email)),
    role        text NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'manager', 'admin')),
    invited_by  bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    used_by     bigint REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX invites_email_idx ON invites (email);

-- Failed sign-ins, per account (the e-mail as typed, lower-cased, known or
-- not) and per client address.  Kept in the database so every worker of
-- every program sees the same count.
CREATE TABLE login_failures (
    kind         text NOT NULL CHECK (kind IN ('account', 'ip')),
    key          text NOT NULL,
    failures     integer NOT NULL DEFAULT 0,
    last_failure timestamptz NOT NULL DEFAULT now(),
    locked_until timestamptz,
    PRIMARY KEY (kind, key)
);

-- The organisation's settings: exactly one row.
CREATE TABLE settings (
    id                boolean PRIMARY KEY DEFAULT true CHECK (id),
    registration_mode text NOT NULL DEFAULT 'invite'
                      CHECK (registration_mode IN ('open', 'invite', 'closed')),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
INSERT INTO settings DEFAULT VALUES;

-- The first admin was created before e-mail verification existed.
UPDATE users SET email_verified_at = created_at WHERE status = 'active';
