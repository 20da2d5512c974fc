-- Durable outgoing mail.  A message is queued in the same transaction as
-- the change that caused it (an invitation, a reset link), so a change
-- that rolls back sends nothing and one that commits cannot lose its
-- message.  The sender (wtctl mail-sender, started and supervised by the
-- stack) sends due messages, retries with backoff and gives up after
-- max_attempts; failures stay visible to the admin.

CREATE TABLE mail_outbox (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    to_addr         text NOT NULL CHECK (to_addr !~ '[\r\n]'),
    message         text NOT NULL,      -- the whole RFC 5322 message
    created_at      timestamptz NOT NULL DEFAULT now(),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz,
    failed_at       timestamptz,        -- gave up
    last_error      text
);
-- The sender's one question: what is due?
CREATE INDEX mail_outbox_due_idx ON mail_outbox (next_attempt_at)
    WHERE sent_at IS NULL AND failed_at IS NULL;

-- Wakes the sender at once instead of at its next poll.
CREATE FUNCTION mail_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('mail_outbox', '');
    RETURN NULL;
END $$;
CREATE TRIGGER mail_outbox_notify AFTER INSERT ON mail_outbox
    FOR EACH STATEMENT EXECUTE FUNCTION mail_outbox_notify();
