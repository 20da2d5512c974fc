-- Task sessions (issue 13): people who do tasks one after another time
-- them from the browser widget with four events, NEXT, PAUSE, UNDO and
-- EXIT.  Also the widget's refresh tokens and the profile's target pace
-- as a decimal.
--
-- The events are the truth; tasks and the session's state are derived
-- from them.  A session's events are applied in client-time order (ties:
-- the order they arrived).  An event that comes in order is applied as
-- one step on the state kept on the session row (the running task) and in
-- task_tasks (the finished ones); a late event, one that belongs before
-- events already applied, is stored and the session replayed from its
-- first event with the same step, so the result is the same whichever
-- order the events arrived in.  Everything a person's events do happens
-- under a lock on the person's users row (FOR NO KEY UPDATE: sign-in and
-- foreign keys are not held up), so two clients' events are applied one
-- at a time.
--
-- The rules (task_invalid says why an event cannot apply, and then
-- nothing changes):
--   NEXT   no session: starts one with task 1; else ends the running
--          task and starts the next (a paused task is resumed).
--   PAUSE  pauses the running task, or resumes it; paused time is kept
--          out of active time.
--   UNDO   takes back the last NEXT: the running task is dropped and the
--          one before continues as if the NEXT had not happened (its
--          start and pauses intact, the dropped task's pauses added to
--          it, a pause in progress kept).  Not at task 1.
--   EXIT   ends the running task and the session.
-- A session nobody touched for the idle time ends on its own at its last
-- event: the running task ends there (a task the last event only started
-- has no time and is not kept).  An event made before that idle time was
-- up but delivered later (an offline queue) reopens it: the session is
-- replayed with it and, if still idle, ended again at its new last event.

-- The profile's pace target in minutes per task, a decimal now.  30 was a
-- placeholder default nothing read; the product's default is 5.5.
ALTER TABLE users DROP CONSTRAINT users_target_pace_min_check;
ALTER TABLE users ALTER COLUMN target_pace_min DROP DEFAULT;
ALTER TABLE users ALTER COLUMN target_pace_min TYPE numeric USING target_pace_min::numeric;
UPDATE users SET target_pace_min = 5.5 WHERE target_pace_min = 30;
ALTER TABLE users ALTER COLUMN target_pace_min SET DEFAULT 5.5;
ALTER TABLE users ADD CONSTRAINT users_target_pace_min_check
    CHECK (target_pace_min BETWEEN 0.1 AND 1440 AND scale(target_pace_min) <= 2);

CREATE TABLE task_sessions (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id          bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    started_at       timestamptz NOT NULL,
    ended_at         timestamptz,
    end_reason       text CHECK (end_reason IN ('exit', 'idle')),
    target_pace_min  numeric NOT NULL
                     CHECK (target_pace_min BETWEEN 0.1 AND 1440 AND scale(target_pace_min) <= 2),
    -- The running task (the last one once ended); 0 before the first
    -- event is applied.
    task_no          integer NOT NULL DEFAULT 0 CHECK (task_no >= 0),
    task_started_at  timestamptz,
    task_start_event bigint,
    task_paused_ms   bigint NOT NULL DEFAULT 0,
    paused_since     timestamptz,
    last_event_at    timestamptz NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    CHECK ((ended_at IS NULL) = (end_reason IS NULL))
);
-- At most one open session per person, checked at commit: a replay
-- reopens an ended session for a moment while another is open.
ALTER TABLE task_sessions ADD CONSTRAINT task_sessions_one_open
    EXCLUDE USING btree (user_id WITH =) WHERE (ended_at IS NULL)
    DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX task_sessions_user_idx ON task_sessions (user_id, started_at DESC);

-- Events as the widget sent them.  client_id is made by the client, so a
-- retry is recognised; task_no is the running task after the event when
-- it was first applied (a duplicate is answered with it); task_deleted,
-- on a NEXT, says the person deleted the task it started.
CREATE TABLE task_events (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    session_id   bigint NOT NULL REFERENCES task_sessions (id) ON DELETE CASCADE,
    client_id    text NOT NULL CHECK (client_id ~ '^[A-Za-z0-9_-]{8,64}$'),
    type         text NOT NULL CHECK (type IN ('NEXT', 'PAUSE', 'UNDO', 'EXIT')),
    client_at    timestamptz NOT NULL,
    server_at    timestamptz NOT NULL DEFAULT now(),
    task_no      integer NOT NULL DEFAULT 0,
    task_deleted boolean NOT NULL DEFAULT false,
    UNIQUE (user_id, client_id)
);
CREATE INDEX task_events_session_idx ON task_events (session_id, client_at, id);

-- Finished tasks.  The running task is on its session's row.
CREATE TABLE task_tasks (
    session_id  bigint NOT NULL REFERENCES task_sessions (id) ON DELETE CASCADE,
    number      integer NOT NULL CHECK (number >= 1),
    start_event bigint NOT NULL,
    started_at  timestamptz NOT NULL,
    ended_at    timestamptz NOT NULL CHECK (ended_at >= started_at),
    paused_ms   bigint NOT NULL CHECK (paused_ms >= 0),
    raw_ms      bigint GENERATED ALWAYS AS
                (round(extract(epoch FROM ended_at - started_at) * 1000)::bigint) STORED,
    active_ms   bigint GENERATED ALWAYS AS
                (greatest(round(extract(epoch FROM ended_at - started_at) * 1000)::bigint
                          - paused_ms, 0)) STORED,
    deleted     boolean NOT NULL DEFAULT false,
    PRIMARY KEY (session_id, number)
);

-- Milliseconds from a to b.
CREATE FUNCTION task_ms(a timestamptz, b timestamptz) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$ SELECT round(extract(epoch FROM b - a) * 1000)::bigint $$;

-- Why an event of type typ cannot apply to session s (NULL: it can).
CREATE FUNCTION task_invalid(s task_sessions, typ text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN s.task_no = 0 AND typ <> 'NEXT' THEN
            typ || ' needs an open session; NEXT starts one'
        WHEN s.ended_at IS NOT NULL THEN
            'the session has ended (' || s.end_reason || '); NEXT starts a new one'
        WHEN typ = 'UNDO' AND s.task_no = 1 THEN
            'there is nothing to undo: this is the first task of the session'
    END
$$;

-- Applies one event (already stored as ev) to its session; the caller has
-- checked task_invalid.  Returns the running task's number after it.
CREATE FUNCTION task_step(ev task_events) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    s    task_sessions;
    prev task_tasks;
    t    timestamptz := ev.client_at;
    paused bigint;
BEGIN
    SELECT * INTO STRICT s FROM task_sessions WHERE id = ev.session_id;
    IF s.task_no = 0 THEN
        UPDATE task_sessions SET task_no = 1, started_at = t, task_started_at = t,
            task_start_event = ev.id, task_paused_ms = 0, paused_since = NULL,
            last_event_at = t
        WHERE id = s.id;
        RETURN 1;
    END IF;
    paused := s.task_paused_ms + coalesce(task_ms(s.paused_since, t), 0);
    IF ev.type IN ('NEXT', 'EXIT') THEN
        INSERT INTO task_tasks (session_id, number, start_event, started_at, ended_at,
                                paused_ms, deleted)
        VALUES (s.id, s.task_no, s.task_start_event, s.task_started_at, t, paused,
                coalesce((SELECT task_deleted FROM task_events WHERE id = s.task_start_event),
                         false));
        IF ev.type = 'NEXT' THEN
            UPDATE task_sessions SET task_no = task_no + 1, task_started_at = t,
                task_start_event = ev.id, task_paused_ms = 0, paused_since = NULL,
                last_event_at = t
            WHERE id = s.id;
            RETURN s.task_no + 1;
        END IF;
        UPDATE task_sessions SET ended_at = t, end_reason = 'exit', task_paused_ms = paused,
            paused_since = NULL, last_event_at = t
        WHERE id = s.id;
        RETURN s.task_no;
    ELSIF ev.type = 'PAUSE' THEN
        UPDATE task_sessions
        SET task_paused_ms = paused,
            paused_since = CASE WHEN s.paused_since IS NULL THEN t END,
            last_event_at = t
        WHERE id = s.id;
        RETURN s.task_no;
    END IF;
    -- UNDO: the task before continues; a pause in progress stays.
    DELETE FROM task_tasks WHERE session_id = s.id AND number = s.task_no - 1
    RETURNING * INTO STRICT prev;
    UPDATE task_sessions SET task_no = prev.number, task_started_at = prev.started_at,
        task_start_event = prev.start_event,
        task_paused_ms = prev.paused_ms + s.task_paused_ms, last_event_at = t
    WHERE id = s.id;
    RETURN prev.number;
END
$$;

-- Ends an open session at its last event (the idle rule).
CREATE FUNCTION task_close_idle(p_session bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    s task_sessions;
BEGIN
    SELECT * INTO STRICT s FROM task_sessions WHERE id = p_session;
    IF s.ended_at IS NOT NULL THEN
        RETURN;
    END IF;
    IF s.task_no > 0 AND s.task_started_at < s.last_event_at THEN
        INSERT INTO task_tasks (session_id, number, start_event, started_at, ended_at,
                                paused_ms, deleted)
        VALUES (s.id, s.task_no, s.task_start_event, s.task_started_at, s.last_event_at,
                s.task_paused_ms + coalesce(task_ms(s.paused_since, s.last_event_at), 0),
                coalesce((SELECT task_deleted FROM task_events WHERE id = s.task_start_event),
                         false));
    ELSIF s.task_no > 0 THEN
        -- The last event started a task nobody worked on.
        UPDATE task_sessions SET task_no = task_no - 1 WHERE id = s.id;
    END IF;
    UPDATE task_sessions SET ended_at = last_event_at, end_reason = 'idle',
        task_paused_ms = 0, paused_since = NULL
    WHERE id = s.id;
END
$$;

-- Rebuilds a session from its events in client-time order.  NULL when
-- every event applied; else why the first one that cannot did not (the
-- caller rolls back).
CREATE FUNCTION task_replay(p_session bigint, p_new bigint, OUT why text, OUT new_task integer)
LANGUAGE plpgsql AS $$
DECLARE
    ev task_events;
    s  task_sessions;
    n  integer;
BEGIN
    DELETE FROM task_tasks WHERE session_id = p_session;
    UPDATE task_sessions SET task_no = 0, ended_at = NULL, end_reason = NULL,
        task_started_at = NULL, task_start_event = NULL, task_paused_ms = 0,
        paused_since = NULL
    WHERE id = p_session;
    FOR ev IN SELECT * FROM task_events WHERE session_id = p_session ORDER BY client_at, id LOOP
        SELECT * INTO STRICT s FROM task_sessions WHERE id = p_session;
        why := task_invalid(s, ev.type);
        IF why IS NOT NULL THEN
            why := why || ' (at ' || to_char(ev.client_at AT TIME ZONE 'UTC',
                                           'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || ')';
            RETURN;
        END IF;
        n := task_step(ev);
        IF ev.id = p_new THEN
            new_task := n;
        END IF;
    END LOOP;
    -- A session reopened before a later one started ends again.
    IF EXISTS (SELECT 1 FROM task_sessions a, task_sessions b
               WHERE a.id = p_session AND a.ended_at IS NULL AND b.user_id = a.user_id
                 AND b.started_at > a.started_at) THEN
        PERFORM task_close_idle(p_session);
    END IF;
END
$$;

-- A time as the API writes it: RFC 3339, UTC, milliseconds.
CREATE FUNCTION task_time(t timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

-- A session's state as the widget and the API read it.
CREATE FUNCTION task_state_json(p_session bigint) RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'id', s.id,
        'state', CASE WHEN s.ended_at IS NOT NULL THEN 'ended'
                      WHEN s.paused_since IS NOT NULL THEN 'paused' ELSE 'running' END,
        'started_at', task_time(s.started_at),
        'ended_at', task_time(s.ended_at),
        'end_reason', s.end_reason,
        'target_pace_min', s.target_pace_min,
        'task', s.task_no,
        'task_started_at', task_time(s.task_started_at),
        'task_paused_ms', s.task_paused_ms,
        'paused_since', task_time(s.paused_since),
        'last_event_at', task_time(s.last_event_at),
        'tasks_done', coalesce(d.n, 0),
        'done_active_ms', coalesce(d.active, 0),
        'server_time', task_time(now()))
    FROM task_sessions s
    LEFT JOIN LATERAL (
        SELECT count(*) AS n, sum(active_ms) AS active FROM task_tasks t
        WHERE t.session_id = s.id AND NOT t.deleted) d ON true
    WHERE s.id = p_session
$$;

-- Ends the person's open session if it has been idle since before
-- now() - idle.  The caller holds the person's lock.
CREATE FUNCTION task_close_stale(p_user bigint, p_idle interval) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    sid bigint;
BEGIN
    SELECT id INTO sid FROM task_sessions
    WHERE user_id = p_user AND ended_at IS NULL AND last_event_at < now() - p_idle;
    IF sid IS NOT NULL THEN
        PERFORM task_close_idle(sid);
    END IF;
END
$$;

-- One event from the widget: the whole of POST /api/v1/task-events in
-- one call.  status 200 (applied, or a duplicate answered as the first
-- time) or 409 (nothing changed; message says why).  p_pace is the
-- target of a session this event starts (NULL: the profile's).
CREATE FUNCTION task_event(p_user bigint, p_client_id text, p_type text, p_at timestamptz,
    p_idle interval, p_pace numeric,
    OUT status integer, OUT message text, OUT session_id bigint, OUT task_no integer,
    OUT state json)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    ev  task_events;
    p   task_sessions;
    nx  task_sessions;
    tgt bigint;
    stale bigint;
    why text;
    n   integer;
BEGIN
    PERFORM 1 FROM users WHERE id = p_user FOR NO KEY UPDATE;
    SELECT * INTO ev FROM task_events e WHERE e.user_id = p_user AND e.client_id = p_client_id;
    IF FOUND THEN
        IF ev.type <> p_type OR ev.client_at <> p_at THEN
            status := 409;
            message := 'the id ' || p_client_id || ' was already used for another event';
            RETURN;
        END IF;
        status := 200;
        session_id := ev.session_id;
        task_no := ev.task_no;
        state := task_state_json(ev.session_id);
        RETURN;
    END IF;

    -- Which session the event belongs to, by its client time.
    SELECT * INTO p FROM task_sessions s WHERE s.user_id = p_user AND s.started_at <= p_at
    ORDER BY s.started_at DESC LIMIT 1;
    SELECT * INTO nx FROM task_sessions s WHERE s.user_id = p_user AND s.started_at > p_at
    ORDER BY s.started_at LIMIT 1;
    IF p.id IS NOT NULL AND p.ended_at IS NULL AND p_at - p.last_event_at > p_idle THEN
        -- Open, but the person was away longer than the idle time: it
        -- ends at its last event if this event starts a new one.
        stale := p.id;
    ELSIF p.id IS NOT NULL AND (p.ended_at IS NULL OR p_at <= p.ended_at
          OR (p.end_reason = 'idle' AND p_at - p.last_event_at <= p_idle AND nx.id IS NULL)) THEN
        tgt := p.id;
    END IF;
    IF tgt IS NULL AND nx.id IS NOT NULL AND nx.started_at - p_at <= p_idle THEN
        tgt := nx.id;
    END IF;

    IF tgt IS NULL THEN
        IF p_type <> 'NEXT' THEN
            status := 409;
            message := 'there is no open session: ' || p_type || ' needs one; NEXT starts one';
            RETURN;
        END IF;
        IF nx.id IS NOT NULL THEN
            status := 409;
            message := 'this NEXT is older than a session started later; it cannot start '
                       'a session of its own';
            RETURN;
        END IF;
        IF stale IS NOT NULL THEN
            PERFORM task_close_idle(stale);
        END IF;
        INSERT INTO task_sessions (user_id, started_at, target_pace_min, last_event_at)
        VALUES (p_user, p_at,
                coalesce(p_pace, (SELECT target_pace_min FROM users WHERE id = p_user)), p_at)
        RETURNING * INTO p;
        INSERT INTO task_events (user_id, session_id, client_id, type, client_at)
        VALUES (p_user, p.id, p_client_id, p_type, p_at) RETURNING * INTO ev;
        n := task_step(ev);
    ELSE
        SELECT * INTO p FROM task_sessions s WHERE s.id = tgt;
        IF p.ended_at IS NULL AND p_at >= p.last_event_at THEN
            -- In order: one step.
            why := task_invalid(p, p_type);
            IF why IS NOT NULL THEN
                status := 409;
                message := why;
                RETURN;
            END IF;
            INSERT INTO task_events (user_id, session_id, client_id, type, client_at)
            VALUES (p_user, p.id, p_client_id, p_type, p_at) RETURNING * INTO ev;
            n := task_step(ev);
        ELSE
            -- Late, or into an ended session: replay with it in place.
            BEGIN
                INSERT INTO task_events (user_id, session_id, client_id, type, client_at)
                VALUES (p_user, p.id, p_client_id, p_type, p_at) RETURNING * INTO ev;
                SELECT r.why, r.new_task INTO why, n FROM task_replay(p.id, ev.id) r;
                IF why IS NOT NULL THEN
                    RAISE EXCEPTION USING ERRCODE = 'WT409', MESSAGE = why;
                END IF;
            EXCEPTION WHEN SQLSTATE 'WT409' THEN
                status := 409;
                message := 'this ' || p_type || ' cannot go where its time puts it: '
                           || SQLERRM;
                RETURN;
            END;
        END IF;
    END IF;
    UPDATE task_events e SET task_no = n WHERE e.id = ev.id;
    -- A session replayed from old events may be idle already.
    PERFORM task_close_stale(p_user, p_idle);
    status := 200;
    session_id := ev.session_id;
    task_no := n;
    state := task_state_json(ev.session_id);
END
$$;

-- GET /api/v1/task-sessions/current: the open session's state (NULL when
-- there is none), after ending it if it has been idle.
CREATE FUNCTION task_current(p_user bigint, p_idle interval) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
    sid bigint;
BEGIN
    PERFORM 1 FROM users WHERE id = p_user FOR NO KEY UPDATE;
    PERFORM task_close_stale(p_user, p_idle);
    SELECT id INTO sid FROM task_sessions WHERE user_id = p_user AND ended_at IS NULL;
    RETURN CASE WHEN sid IS NULL THEN NULL ELSE task_state_json(sid) END;
END
$$;

-- The widget's refresh tokens.  The widget's sign-in is a session
-- (web_sessions, kind 'token'): it ends as a browser's does (unused for
-- session.idle_minutes, session.max_hours after sign-in, sign-out, "sign
-- out everywhere else", a password change), and every access token and
-- refresh token of it ends with it.  A refresh token (only its SHA-256 is
-- kept) buys one new access token and one new refresh token; used again
-- after its grace period, it was copied, and the whole session ends.
CREATE TABLE refresh_tokens (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash text NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    session_id bigint NOT NULL REFERENCES web_sessions (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    used_at    timestamptz
);
CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (session_id);

-- Spends a refresh token (by its SHA-256): 'ok' with the person, the
-- session (touched: it is in use) and the token version to issue the next
-- one with; 'just_used' when it was spent within p_grace (two tabs of the
-- widget refreshing at once: the other one has the new token already);
-- 'reused' when it was spent before that (a copy in someone else's hands:
-- the session ends, and with it every token of this sign-in); 'invalid'
-- when unknown or its session is over (or the person disabled, or the
-- password changed).
CREATE FUNCTION refresh_token_use(p_hash text, p_grace interval, p_idle interval,
    OUT result text, OUT user_id bigint, OUT session_id bigint, OUT token_version integer)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    t refresh_tokens;
BEGIN
    UPDATE refresh_tokens r SET used_at = now()
    FROM web_sessions s, users u
    WHERE r.token_hash = p_hash AND r.used_at IS NULL AND s.id = r.session_id
      AND s.expires_at > now() AND s.last_seen_at > now() - p_idle
      AND u.id = s.user_id AND u.status = 'active'
    RETURNING 'ok', u.id, s.id, u.token_version
    INTO result, user_id, session_id, token_version;
    IF FOUND THEN
        UPDATE web_sessions s SET last_seen_at = now() WHERE s.id = session_id;
        RETURN;
    END IF;
    SELECT * INTO t FROM refresh_tokens r WHERE r.token_hash = p_hash;
    IF NOT FOUND THEN
        result := 'invalid';
    ELSIF t.used_at IS NOT NULL AND t.used_at > now() - p_grace THEN
        result := 'just_used';
    ELSIF t.used_at IS NOT NULL THEN
        DELETE FROM web_sessions s WHERE s.id = t.session_id;
        result := 'reused';
    ELSE
        result := 'invalid';
    END IF;
END
$$;
