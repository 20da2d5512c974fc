-- Sign-in security, second pass (issue 8).
--
-- 1. One normal form of an e-mail address, email_normalize(), used by
--    every statement that stores, finds or counts an address: NFKC
--    (so the Kelvin sign U+212A is a K, a fullwidth ｋ a k), lower-cased
--    by the database's own lower() (C.UTF-8: U+0130 becomes i), and NFKC
--    again (lowering can undo it).  Addresses are stored in that form,
--    so the unique index on users.email refuses every other spelling of
--    an address that has an account, and sign-in, registration, the
--    backoff and the mail limit all see one address where the attacker
--    typed many.  The function needs a UTF8 database (normalize()).
CREATE FUNCTION email_normalize(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN normalize(lower(normalize(btrim($1), NFKC)), NFKC);

-- Addresses stored before this migration were lower()-ed only; two of
-- them can only collide if one holds a compatibility character, which
-- the forms never accepted.  Should it happen, stop with the names.
DO $$
DECLARE
    dup text;
BEGIN
    SELECT string_agg(email, ', ') INTO dup FROM (
        SELECT email FROM users
        WHERE email_normalize(email) IN (SELECT email_normalize(email) FROM users
                                         GROUP BY 1 HAVING count(*) > 1)) d;
    IF dup IS NOT NULL THEN
        RAISE EXCEPTION 'these accounts have addresses that are one address once '
            'normalised; merge or rename them first: %', dup;
    END IF;
END $$;

ALTER TABLE users DROP CONSTRAINT users_email_check;
UPDATE users SET email = email_normalize(email) WHERE email <> email_normalize(email);
ALTER TABLE users ADD CONSTRAINT users_email_check
    CHECK (email = email_normalize(email) AND length(email) BETWEEN 3 AND 254);

ALTER TABLE invites DROP CONSTRAINT invites_email_check;
UPDATE invites SET email = email_normalize(email) WHERE email <> email_normalize(email);
ALTER TABLE invites ADD CONSTRAINT invites_email_check CHECK (email = email_normalize(email));

-- Failures are counted against the account's id when the address has an
-- account ('user', whatever spelling found it), against the normalised
-- address when it has none ('account'), per client address ('ip'), and
-- password changes per account ('change': each costs several hashes).
ALTER TABLE login_failures DROP CONSTRAINT login_failures_kind_check;
ALTER TABLE login_failures ADD CONSTRAINT login_failures_kind_check
    CHECK (kind IN ('account', 'ip', 'user', 'change'));
-- What was counted per address as typed is forgotten (an hour of
-- backoff at most): from now on it is counted in the new keys.
DELETE FROM login_failures WHERE kind = 'account';

-- 2. Mail per recipient is limited where it is queued (cgi/core/mail.c):
--    this index answers "how many to this address in the last hour".
CREATE INDEX mail_outbox_recipient_idx ON mail_outbox (email_normalize(to_addr), created_at);

-- 6. A link sent by e-mail is bound to the password generation it was
--    issued under (users.token_version, bumped by every password change,
--    reset and deactivation): a change of password ends every link
--    issued before it.
ALTER TABLE auth_tokens ADD COLUMN token_version integer NOT NULL DEFAULT 0;
UPDATE auth_tokens t SET token_version = u.token_version FROM users u WHERE u.id = t.user_id;

--    Access tokens (JWT) belong to a session: the browser session they
--    were issued in, or a session of their own ('token') when issued to
--    a script.  The token carries the session's id; ending the session
--    (sign-out, "sign out everywhere else", a password change) ends it.
ALTER TABLE web_sessions ADD COLUMN kind text NOT NULL DEFAULT 'browser'
    CHECK (kind IN ('browser', 'token'));

-- 8. A team manager's membership needs the role to go with it: demoting
--    a person to member turns their manager memberships into plain
--    ones (so promoting them again gives no forgotten scope back), and a
--    manager membership of a member is refused when the change commits.
UPDATE team_members m SET role = 'member' FROM users u
    WHERE u.id = m.user_id AND m.role = 'manager' AND u.role = 'member';

CREATE FUNCTION users_demote_memberships() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE team_members SET role = 'member' WHERE user_id = NEW.id AND role = 'manager';
    RETURN NULL;
END $$;
CREATE TRIGGER users_demote_memberships AFTER UPDATE OF role ON users
    FOR EACH ROW WHEN (NEW.role = 'member' AND OLD.role <> 'member')
    EXECUTE FUNCTION users_demote_memberships();

CREATE FUNCTION team_members_role_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.role = 'manager' AND EXISTS (SELECT 1 FROM users
            WHERE id = NEW.user_id AND role = 'member') THEN
        RAISE EXCEPTION 'a member cannot manage a team; make them a manager first'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'team_members_manager_role';
    END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER team_members_manager_role AFTER INSERT OR UPDATE ON team_members
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    EXECUTE FUNCTION team_members_role_check();

-- 10. Names go into e-mail (greetings, invitations): no control
--     characters (C0, DEL, C1) nor line and paragraph separators.
UPDATE users SET display_name = btrim(regexp_replace(display_name,
    '[\x01-\x1f\x7f-\x9f\u2028\u2029]+', ' ', 'g'))
    WHERE display_name ~ '[\x01-\x1f\x7f-\x9f\u2028\u2029]';
UPDATE users SET display_name = '?' WHERE display_name = '';
ALTER TABLE users ADD CONSTRAINT users_display_name_plain
    CHECK (display_name !~ '[\x01-\x1f\x7f-\x9f\u2028\u2029]');
UPDATE teams SET name = btrim(regexp_replace(name,
    '[\x01-\x1f\x7f-\x9f\u2028\u2029]+', ' ', 'g'))
    WHERE name ~ '[\x01-\x1f\x7f-\x9f\u2028\u2029]';
ALTER TABLE teams ADD CONSTRAINT teams_name_plain
    CHECK (name !~ '[\x01-\x1f\x7f-\x9f\u2028\u2029]');
