-- Invitations that can be listed, resent and revoked, and that never
-- outlive the authority of the person who sent them (issue 8); and one
-- way of writing a moment for people to read.

ALTER TABLE invites
    ADD COLUMN revoked_at     timestamptz,
    -- Why an invitation stopped working without being used: an admin or
    -- manager revoked it, its sender was deleted, deactivated or
    -- demoted, or the address registered through another invitation.
    ADD COLUMN revoked_reason text CHECK (revoked_reason IN ('revoked', 'sender_deleted',
        'sender_deactivated', 'sender_demoted', 'registered')),
    ADD COLUMN revoked_by     bigint REFERENCES users (id) ON DELETE SET NULL,
    -- A resend makes a new link (only the token's hash is kept, so the
    -- old one cannot be sent again) and starts the time limit again.
    ADD COLUMN sent_at        timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN sent_count     integer NOT NULL DEFAULT 1 CHECK (sent_count >= 1);

UPDATE invites SET sent_at = created_at;

-- Invitations whose sender is already gone (deleted before this
-- migration): the hole this closes, so they are revoked now.
UPDATE invites SET revoked_at = now(), revoked_reason = 'sender_deleted'
 WHERE invited_by IS NULL AND used_at IS NULL;

-- An invitation to the admin role works for 24 hours at most.
UPDATE invites SET expires_at = least(expires_at, sent_at + interval '24 hours')
 WHERE role = 'admin';

ALTER TABLE invites
    ADD CONSTRAINT invites_admin_24h
        CHECK (role <> 'admin' OR expires_at <= sent_at + interval '24 hours'),
    ADD CONSTRAINT invites_used_or_revoked
        CHECK (used_at IS NULL OR revoked_at IS NULL),
    ADD CONSTRAINT invites_revoked_reason
        CHECK ((revoked_at IS NULL) = (revoked_reason IS NULL));

CREATE INDEX invites_pending_idx ON invites (created_at DESC)
    WHERE used_at IS NULL AND revoked_at IS NULL;
CREATE INDEX invites_sender_idx ON invites (invited_by)
    WHERE used_at IS NULL AND revoked_at IS NULL;

-- The sender's authority is what an invitation carries, so it ends with
-- that authority: when the sender is deleted, deactivated or loses a
-- role, their pending invitations are revoked in the same transaction.
-- A trigger, so no way of deleting or demoting someone (the admin pages,
-- wtctl, SQL by hand) can forget it.
CREATE FUNCTION role_rank(role text) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT
    RETURN CASE role WHEN 'admin' THEN 3 WHEN 'manager' THEN 2 ELSE 1 END;

CREATE FUNCTION invites_follow_sender() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    why text;
BEGIN
    IF TG_OP = 'DELETE' THEN
        why := 'sender_deleted';
    ELSIF OLD.status <> 'disabled' AND NEW.status = 'disabled' THEN
        why := 'sender_deactivated';
    ELSIF role_rank(NEW.role) < role_rank(OLD.role) THEN
        why := 'sender_demoted';
    ELSE
        RETURN NEW;
    END IF;
    UPDATE invites SET revoked_at = now(), revoked_reason = why
     WHERE invited_by = OLD.id AND used_at IS NULL AND revoked_at IS NULL;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;

-- BEFORE DELETE: invited_by is still set (ON DELETE SET NULL runs after).
CREATE TRIGGER invites_follow_sender_delete BEFORE DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION invites_follow_sender();
CREATE TRIGGER invites_follow_sender_update AFTER UPDATE OF role, status ON users
    FOR EACH ROW EXECUTE FUNCTION invites_follow_sender();

-- A moment as people read it everywhere: "2025-03-30 09:15 CEST", in the
-- reader's time zone and naming it (the abbreviation in force at that
-- moment, so a date across a DST change says which).  The SET clause
-- keeps the time zone change inside the function.
CREATE FUNCTION wt_local_time(ts timestamptz, tz text) RETURNS text
    LANGUAGE plpgsql STABLE SET TimeZone = 'UTC' AS $$
BEGIN
    IF ts IS NULL THEN
        RETURN NULL;
    END IF;
    PERFORM set_config('TimeZone', tz, true);
    RETURN to_char(ts, 'YYYY-MM-DD HH24:MI TZ');
END $$;
