-- Task events in O(1) (issue 13's benchmark): the rules of 010_tasks.sql
-- are unchanged; what changes is how much work an event does.
--
-- Profiled (pg_stat_statements with track = all, bench/tasks_sql.sh):
-- every event counted the session's finished tasks for its answer, read
-- the running task's start event back, stored the event and then updated
-- it with its task number, wrote the session row once per step and ran
-- the idle check, about fifteen statements an event.  Now an event that
-- comes in order into the open session (nearly all of them) is four or
-- five statements: the person's lock, the latest session, the event
-- (whose ON CONFLICT is the duplicate check), the finished task if any,
-- and one write of the session row.  Everything else (a duplicate, a
-- refused event, a new session, a late event and its replay) takes the
-- general path of 010, with the same step.
--
-- The session row now also keeps tasks_done and done_active_ms (its
-- finished tasks that are not deleted: their count and active time) and
-- task_deleted (the running task's start event was deleted by its
-- person, so the task is stored deleted when it ends).  task_apply keeps
-- them as it inserts and deletes task_tasks rows; a replay starts them
-- from zero; the trigger below keeps them when a task is deleted from
-- the reports.  test_task_speed checks them against a full recount.

ALTER TABLE task_sessions
    ADD COLUMN tasks_done     integer NOT NULL DEFAULT 0 CHECK (tasks_done >= 0),
    ADD COLUMN done_active_ms bigint  NOT NULL DEFAULT 0 CHECK (done_active_ms >= 0),
    ADD COLUMN task_deleted   boolean NOT NULL DEFAULT false;

UPDATE task_sessions s
SET tasks_done = d.n, done_active_ms = d.active,
    task_deleted = coalesce((SELECT e.task_deleted FROM task_events e
                             WHERE e.id = s.task_start_event), false)
FROM (SELECT x.id, count(t.number) AS n, coalesce(sum(t.active_ms), 0) AS active
      FROM task_sessions x LEFT JOIN task_tasks t ON t.session_id = x.id AND NOT t.deleted
      GROUP BY x.id) d
WHERE d.id = s.id;

-- Ends the running task of s at t: stores it (deleted if its start
-- event was) and counts it.  The caller changes the running task.
CREATE FUNCTION task_finish(s task_sessions, t timestamptz) RETURNS task_sessions
LANGUAGE plpgsql AS $$
DECLARE
    active bigint;
BEGIN
    INSERT INTO task_tasks (session_id, number, start_event, started_at, ended_at,
                            paused_ms, deleted)
    VALUES (s.id, s.task_no, s.task_start_event, s.task_started_at, t,
            s.task_paused_ms + coalesce(task_ms(s.paused_since, t), 0), s.task_deleted)
    RETURNING active_ms INTO active;
    IF NOT s.task_deleted THEN
        s.tasks_done := s.tasks_done + 1;
        s.done_active_ms := s.done_active_ms + active;
    END IF;
    RETURN s;
END
$$;

-- Applies one event (type typ, id ev, client time t, deleted: its
-- task_deleted) to s, which task_invalid has passed: writes the finished
-- or undone task in task_tasks and returns the session's new state,
-- which the caller writes (task_save).  The rules are 010's task_step.
CREATE FUNCTION task_apply(s task_sessions, typ text, ev bigint, t timestamptz,
    deleted boolean) RETURNS task_sessions
LANGUAGE plpgsql AS $$
DECLARE
    prev task_tasks;
BEGIN
    s.last_event_at := t;
    IF s.task_no = 0 THEN
        s.task_no := 1;
        s.started_at := t;
    ELSIF typ = 'PAUSE' THEN
        s.task_paused_ms := s.task_paused_ms + coalesce(task_ms(s.paused_since, t), 0);
        s.paused_since := CASE WHEN s.paused_since IS NULL THEN t END;
        RETURN s;
    ELSIF typ = 'UNDO' THEN
        -- The task before continues; a pause in progress stays.
        DELETE FROM task_tasks WHERE session_id = s.id AND number = s.task_no - 1
        RETURNING * INTO STRICT prev;
        IF NOT prev.deleted THEN
            s.tasks_done := s.tasks_done - 1;
            s.done_active_ms := s.done_active_ms - prev.active_ms;
        END IF;
        s.task_no := prev.number;
        s.task_started_at := prev.started_at;
        s.task_start_event := prev.start_event;
        s.task_paused_ms := prev.paused_ms + s.task_paused_ms;
        s.task_deleted := prev.deleted;
        RETURN s;
    ELSE
        s := task_finish(s, t);
        IF typ = 'EXIT' THEN
            s.ended_at := t;
            s.end_reason := 'exit';
            s.task_paused_ms := s.task_paused_ms + coalesce(task_ms(s.paused_since, t), 0);
            s.paused_since := NULL;
            RETURN s;
        END IF;
        s.task_no := s.task_no + 1;
    END IF;
    -- A NEXT: its task starts.
    s.task_started_at := t;
    s.task_start_event := ev;
    s.task_paused_ms := 0;
    s.paused_since := NULL;
    s.task_deleted := coalesce(deleted, false);
    RETURN s;
END
$$;

-- Writes s's state on its row.
-- (plpgsql: its plan is kept for the connection; a LANGUAGE sql function
-- that writes would be planned again on every call.)
CREATE FUNCTION task_save(s task_sessions) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE task_sessions x
    SET started_at = s.started_at, ended_at = s.ended_at, end_reason = s.end_reason,
        task_no = s.task_no, task_started_at = s.task_started_at,
        task_start_event = s.task_start_event, task_paused_ms = s.task_paused_ms,
        paused_since = s.paused_since, last_event_at = s.last_event_at,
        tasks_done = s.tasks_done, done_active_ms = s.done_active_ms,
        task_deleted = s.task_deleted
    WHERE x.id = s.id;
END
$$;

-- Ends an open session at its last event (the idle rule).
CREATE OR REPLACE FUNCTION task_close_idle(p_session bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    s task_sessions;
BEGIN
    SELECT * INTO STRICT s FROM task_sessions WHERE id = p_session;
    IF s.ended_at IS NOT NULL THEN
        RETURN;
    END IF;
    IF s.task_no > 0 AND s.task_started_at < s.last_event_at THEN
        s := task_finish(s, s.last_event_at);
    ELSIF s.task_no > 0 THEN
        -- The last event started a task nobody worked on.
        s.task_no := s.task_no - 1;
    END IF;
    s.ended_at := s.last_event_at;
    s.end_reason := 'idle';
    s.task_paused_ms := 0;
    s.paused_since := NULL;
    PERFORM task_save(s);
END
$$;

-- Rebuilds a session from its events in client-time order.  NULL when
-- every event applied; else why the first one that cannot did not (the
-- caller rolls back).
CREATE OR REPLACE FUNCTION task_replay(p_session bigint, p_new bigint, OUT why text,
    OUT new_task integer)
LANGUAGE plpgsql AS $$
DECLARE
    ev task_events;
    s  task_sessions;
BEGIN
    DELETE FROM task_tasks WHERE session_id = p_session;
    SELECT * INTO STRICT s FROM task_sessions WHERE id = p_session;
    s.task_no := 0;
    s.ended_at := NULL;
    s.end_reason := NULL;
    s.task_started_at := NULL;
    s.task_start_event := NULL;
    s.task_paused_ms := 0;
    s.paused_since := NULL;
    s.tasks_done := 0;
    s.done_active_ms := 0;
    s.task_deleted := false;
    FOR ev IN SELECT * FROM task_events WHERE session_id = p_session ORDER BY client_at, id LOOP
        why := task_invalid(s, ev.type);
        IF why IS NOT NULL THEN
            why := why || ' (at ' || task_time(ev.client_at) || ')';
            RETURN;
        END IF;
        s := task_apply(s, ev.type, ev.id, ev.client_at, ev.task_deleted);
        IF ev.id = p_new THEN
            new_task := s.task_no;
        END IF;
    END LOOP;
    PERFORM task_save(s);
    -- A session reopened before a later one started ends again.
    IF s.ended_at IS NULL AND EXISTS (SELECT 1 FROM task_sessions b
            WHERE b.user_id = s.user_id AND b.started_at > s.started_at) THEN
        PERFORM task_close_idle(p_session);
    END IF;
END
$$;

-- STABLE (as to_char is), so that it is inlined where it is used rather
-- than run as a function of its own: six of them in every answer.
CREATE OR REPLACE FUNCTION task_time(t timestamptz) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

-- The state from the row, which now carries the totals.
CREATE FUNCTION task_state_json(s task_sessions) RETURNS json
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
        'tasks_done', s.tasks_done,
        'done_active_ms', s.done_active_ms,
        'server_time', task_time(now()))
$$;

CREATE OR REPLACE FUNCTION task_state_json(p_session bigint) RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT task_state_json(s) FROM task_sessions s WHERE s.id = p_session
$$;

-- The 010 step, replaced by task_apply.
DROP FUNCTION task_step(task_events);

-- A task deleted (or brought back) in the reports leaves or rejoins its
-- session's totals (dash's delete sets its start event's task_deleted in
-- the same statement).  Recounted, not adjusted: deleting is rare, and a
-- recount is right whoever wrote the rows.
CREATE FUNCTION task_tasks_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE task_sessions s
    SET tasks_done = d.n, done_active_ms = d.active,
        -- An ended session's last task is still its "running" one.
        task_deleted = CASE WHEN s.task_start_event = NEW.start_event THEN NEW.deleted
                            ELSE s.task_deleted END
    FROM (SELECT count(*) AS n, coalesce(sum(t.active_ms), 0) AS active FROM task_tasks t
          WHERE t.session_id = NEW.session_id AND NOT t.deleted) d
    WHERE s.id = NEW.session_id;
    RETURN NULL;
END
$$;
CREATE TRIGGER task_tasks_deleted AFTER UPDATE OF deleted ON task_tasks
    FOR EACH ROW WHEN (OLD.deleted IS DISTINCT FROM NEW.deleted)
    EXECUTE FUNCTION task_tasks_deleted();

-- One event from the widget (the API of 010's task_event).
CREATE OR REPLACE FUNCTION task_event(p_user bigint, p_client_id text, p_type text,
    p_at timestamptz, p_idle interval, p_pace numeric,
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
    eid bigint;
    why text;
    n   integer;
BEGIN
    PERFORM 1 FROM users WHERE id = p_user FOR NO KEY UPDATE;

    -- The fast path: in order, into the person's open session, which it
    -- can apply to.  A duplicate stores nothing (ON CONFLICT) and goes on
    -- to be answered below as the first time.
    SELECT * INTO p FROM task_sessions s WHERE s.user_id = p_user
    ORDER BY s.started_at DESC LIMIT 1;
    IF p.ended_at IS NULL AND p_at >= p.last_event_at AND p_at - p.last_event_at <= p_idle
       AND task_invalid(p, p_type) IS NULL THEN
        n := CASE p_type WHEN 'NEXT' THEN p.task_no + 1 WHEN 'UNDO' THEN p.task_no - 1
                         ELSE p.task_no END;
        INSERT INTO task_events (user_id, session_id, client_id, type, client_at, task_no)
        VALUES (p_user, p.id, p_client_id, p_type, p_at, n)
        ON CONFLICT (user_id, client_id) DO NOTHING
        RETURNING id INTO eid;
        IF eid IS NOT NULL THEN
            p := task_apply(p, p_type, eid, p_at, false);
            PERFORM task_save(p);
            -- An event made long ago (an offline queue) may leave the
            -- session idle already.
            IF p.ended_at IS NULL AND p.last_event_at < now() - p_idle THEN
                PERFORM task_close_idle(p.id);
                SELECT * INTO p FROM task_sessions s WHERE s.id = p.id;
            END IF;
            status := 200;
            session_id := p.id;
            task_no := n;
            state := task_state_json(p);
            RETURN;
        END IF;
    END IF;

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
        INSERT INTO task_events (user_id, session_id, client_id, type, client_at, task_no)
        VALUES (p_user, p.id, p_client_id, p_type, p_at, 1) RETURNING * INTO ev;
        p := task_apply(p, p_type, ev.id, p_at, false);
        PERFORM task_save(p);
        n := 1;
    ELSE
        SELECT * INTO p FROM task_sessions s WHERE s.id = tgt;
        IF p.ended_at IS NULL AND p_at >= p.last_event_at THEN
            -- In order, but refused (the fast path took the rest).
            why := task_invalid(p, p_type);
            IF why IS NOT NULL THEN
                status := 409;
                message := why;
                RETURN;
            END IF;
            n := CASE p_type WHEN 'NEXT' THEN p.task_no + 1 WHEN 'UNDO' THEN p.task_no - 1
                             ELSE p.task_no END;
            INSERT INTO task_events (user_id, session_id, client_id, type, client_at, task_no)
            VALUES (p_user, p.id, p_client_id, p_type, p_at, n) RETURNING * INTO ev;
            p := task_apply(p, p_type, ev.id, p_at, false);
            PERFORM task_save(p);
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
            UPDATE task_events e SET task_no = n WHERE e.id = ev.id;
        END IF;
    END IF;
    -- A session replayed from old events may be idle already.
    PERFORM task_close_stale(p_user, p_idle);
    status := 200;
    session_id := ev.session_id;
    task_no := n;
    state := task_state_json(ev.session_id);
END
$$;
