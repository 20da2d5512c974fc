-- People who sign in.  E-mail addresses are stored lower-cased so the
-- unique index is the whole rule; the password is an scrypt MCF string,
-- NULL while an invited account has not chosen one.
CREATE TABLE users (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email            text NOT NULL UNIQUE
                     CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
    display_name     text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
    password_hash    text,
    role             text NOT NULL DEFAULT 'member'
                     CHECK (role IN ('member', 'manager', 'admin')),
    status           text NOT NULL DEFAULT 'active'
                     CHECK (status IN ('unverified', 'active', 'disabled')),
    timezone         text NOT NULL DEFAULT 'UTC',
    target_pace_min  integer NOT NULL DEFAULT 30 CHECK (target_pace_min BETWEEN 1 AND 1440),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX users_role_idx ON users (role);
