-- Activity storage (issue 9): the windows people worked in, interned once
-- each; the spans of time agents report, partitioned by month; the batches
-- they came in (for idempotent ingest); the categories that name windows;
-- device presence with the span a heartbeat stream is growing; the agent
-- settings ingest needs.
--
-- Sizes below are PostgreSQL 15 on x86-64: 8-byte alignment, a 23-byte
-- heap tuple header padded to 24, a 4-byte line pointer per tuple, an
-- 8-byte index tuple header.

-- --------------------------------------------------------------------------
-- Regular expressions are checked by compiling them.
--
-- A CHECK constraint could only say "check failed"; these triggers let
-- PostgreSQL's own regex compiler refuse a bad pattern, and re-raise its
-- error unchanged (SQLSTATE 2201B invalid_regular_expression, message
-- such as "invalid regular expression: parentheses () not balanced") with
-- the column named in the error's COLUMN field, so a handler can answer a
-- 400 naming the field with the database's own words.
-- --------------------------------------------------------------------------
CREATE FUNCTION regex_check(pattern text, tbl text, col text, what text DEFAULT NULL)
RETURNS void LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF pattern IS NULL THEN
        RETURN;
    END IF;
    -- The flags do not change what compiles; rules are matched with ~*.
    PERFORM '' ~* pattern;
EXCEPTION WHEN invalid_regular_expression THEN
    RAISE EXCEPTION USING ERRCODE = 'invalid_regular_expression',
        MESSAGE = SQLERRM, TABLE = tbl, COLUMN = col,
        DETAIL = coalesce(what || ': ', '') || pattern;
END $$;

-- --------------------------------------------------------------------------
-- categories: named rules that give a window a category.
--
-- name is a path, levels separated by " > " ("Work > Programming"); depth
-- (derived) is its number of levels.  Reports roll up by name prefix; a
-- parent level need not exist as a row.
--
-- One regular expression per field, not one over a combined string: a
-- rule matches a window when ANY of its non-NULL patterns matches its own
-- field (app_re the application, title_re the window title, url_re the
-- URL; an empty URL never matches).  This is ActivityWatch's rule (a regex
-- tried on the app and on the title), keeps anchors meaningful
-- (^firefox$ is about the app, not about a title that says "firefox"),
-- and lets one rule say "the Slack app, or slack.com in a browser".  A
-- row with no pattern is a pure grouping level and matches nothing.
-- Patterns are PostgreSQL regular expressions (ARE), matched
-- case-insensitively (~*); a pattern starting with (?c) is case-sensitive.
--
-- Deepest matching rule wins: among the rules that match a window, the
-- greatest depth, then the greatest priority, then the smallest id.
-- So "Media > Video" (url youtube.com, depth 2) beats "Browsing" (app
-- firefox, depth 1) for a YouTube tab, and a site rule beats the browser.
--
-- productivity: productive | neutral | distracting; colour: #rrggbb.
-- --------------------------------------------------------------------------
CREATE TABLE categories (
    id           integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         text NOT NULL CHECK (length(name) <= 200 AND
                 -- levels: no empty level, no space at either end of one
                 name ~ '^[^ >](?:[^>]*[^ >])?(?: > [^ >](?:[^>]*[^ >])?)*$'),
    depth        smallint NOT NULL
                 GENERATED ALWAYS AS (array_length(string_to_array(name, ' > '), 1)) STORED,
    app_re       text CHECK (length(app_re) BETWEEN 1 AND 1000),
    title_re     text CHECK (length(title_re) BETWEEN 1 AND 1000),
    url_re       text CHECK (length(url_re) BETWEEN 1 AND 1000),
    priority     integer NOT NULL DEFAULT 0 CHECK (priority BETWEEN -1000 AND 1000),
    productivity text NOT NULL DEFAULT 'neutral'
                 CHECK (productivity IN ('productive', 'neutral', 'distracting')),
    colour       text NOT NULL DEFAULT '#9e9e9e' CHECK (colour ~ '^#[0-9a-fA-F]{6}$'),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX categories_name_key ON categories (lower(name));

CREATE FUNCTION categories_regex_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM regex_check(NEW.app_re, 'categories', 'app_re');
    PERFORM regex_check(NEW.title_re, 'categories', 'title_re');
    PERFORM regex_check(NEW.url_re, 'categories', 'url_re');
    RETURN NEW;
END $$;
CREATE TRIGGER categories_regex_check BEFORE INSERT OR UPDATE ON categories
    FOR EACH ROW EXECUTE FUNCTION categories_regex_check();

-- Does rule c match a window?  NULL when no pattern is set: callers treat
-- that as "no".  (The set-based queries below spell out the same test.)
CREATE FUNCTION category_match(c categories, app text, title text, url text)
RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT app ~* c.app_re OR title ~* c.title_re OR (url <> '' AND url ~* c.url_re)
$$;

-- --------------------------------------------------------------------------
-- windows: each distinct (app, title, url) once.
--
-- Lengths are limits in bytes of UTF-8, as ingest cuts them: app 256,
-- title and url 1,024.  url is '' when the agent sent none, so the triple
-- is never NULL and uniqueness needs no NULL rules.
--
-- The uniqueness lookup is a unique index on window_key(app, title, url):
-- the MD5 of the length-prefixed triple as a 16-byte uuid.  An index on
-- the triple itself would hold up to 2.3 kB per entry (valid, under the
-- 2.7 kB btree limit, but roughly doubling the table's size for typical
-- 100-byte titles, and comparing with collation rules); the key is fixed
-- width, 24 bytes per index entry, compared as 16 raw bytes.  Length
-- prefixes make the encoding injective ("a|b" vs "a" "|b").  MD5
-- collisions can be made only between two strings both chosen by the
-- attacker, who could as well have sent the first one: no one can make
-- another person's window collide with theirs (that needs a second
-- preimage).  The key is an expression index, not a stored column: 16
-- bytes per row saved.  ON CONFLICT uses it to intern concurrently.
--
-- id is integer (4 bytes in every activity row, see below): 2.1 billion
-- distinct windows.  At 200 new windows per person per working day that
-- is 10,000 people for four years; beyond that (or sooner, by sharding)
-- it becomes bigint with the activity column.
--
-- fillfactor 90: re-categorising updates category_id only, which is not
-- indexed, so the update can stay on the page (HOT) and need no index
-- entries.
-- --------------------------------------------------------------------------
-- (The explicit ::text casts matter: integer || text is a STABLE
-- operator, which would stop the planner from inlining this IMMUTABLE
-- function; inlined it costs about 2 us, called ten times that.)
CREATE FUNCTION window_key(app text, title text, url text) RETURNS uuid
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT md5(octet_length(app)::text || ':' || app || octet_length(title)::text || ':'
               || title || url)::uuid
$$;

CREATE TABLE windows (
    id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Deferred, so a deleted rule's windows still name it until the
    -- re-categorisation (same statement, trigger below) gives them
    -- another; it must be done by commit.
    category_id integer REFERENCES categories (id) DEFERRABLE INITIALLY DEFERRED,
    app         text NOT NULL CHECK (octet_length(app) <= 256),
    title       text NOT NULL CHECK (octet_length(title) <= 1024),
    url         text NOT NULL DEFAULT '' CHECK (octet_length(url) <= 1024),
    created_at  timestamptz NOT NULL DEFAULT now()
) WITH (fillfactor = 90);
CREATE UNIQUE INDEX windows_key ON windows (window_key(app, title, url));
-- No index on category_id, on purpose (see fillfactor above); the rare
-- queries by category (a rule change, deleting a rule) scan the table.

-- --------------------------------------------------------------------------
-- Categorising.  "Deepest matching rule wins" everywhere: among the rules
-- matching a window, the greatest (depth, priority, -id).
--
-- Cost.  Compiling a pattern costs 20 us to 1.3 ms (the default rules:
-- 38 patterns, 5.7 ms together); PostgreSQL keeps only the last 32
-- compiled patterns of a session, and builds a pattern's DFA afresh for
-- every string, so a match costs about (pattern size x string length),
-- 1 to 10 us here.  Hence:
--   * an app pattern is tried once per distinct app ever seen, and the
--     answer kept in category_apps (below), not once per window; new
--     windows then need only the title and URL patterns (26 by default),
--     which stay compiled in a long-lived session between batches;
--   * rules are the outer loop of every set-based query, so each pattern
--     is compiled at most once per statement, never once per window;
--   * a rule change re-examines only what it can change (see
--     windows_recategorise), with the same result as a full pass.
-- Figures in bench/BENCHMARKS.md.
-- --------------------------------------------------------------------------

-- The rules whose app pattern matches each app seen: maintained by
-- windows_intern (new apps) and windows_recategorise (rule changes).
CREATE TABLE category_apps (
    app          text PRIMARY KEY,
    category_ids integer[] NOT NULL
);

-- Adds the apps among p_apps that category_apps does not know yet.
CREATE FUNCTION category_apps_add(p_apps text[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO category_apps (app, category_ids)
    SELECT a.app, ARRAY(SELECT c.id FROM categories c
                        WHERE c.app_re IS NOT NULL AND a.app ~* c.app_re ORDER BY c.id)
    FROM (SELECT DISTINCT unnest(p_apps) AS app) a
    WHERE a.app IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM category_apps k WHERE k.app = a.app)
    ON CONFLICT DO NOTHING
$$;

-- The category of one window: the deepest matching rule, or NULL.
CREATE FUNCTION window_category(p_app text, p_title text, p_url text DEFAULT '')
RETURNS integer LANGUAGE sql STABLE AS $$
    SELECT c.id FROM categories c
    WHERE category_match(c, p_app, p_title, coalesce(p_url, ''))
    ORDER BY c.depth DESC, c.priority DESC, c.id
    LIMIT 1
$$;

-- The best category of the stored windows whose ids are in p_only (every
-- window when NULL), considering only the rules in p_rules (every rule
-- when NULL).  Windows no rule matches are left out.  Their apps must be
-- in category_apps (windows_intern and windows_recategorise see to it).
CREATE FUNCTION windows_best_categories(p_only integer[] DEFAULT NULL, p_rules integer[] DEFAULT NULL)
RETURNS TABLE (window_id integer, category_id integer)
LANGUAGE sql STABLE AS $$
    WITH win AS (
        SELECT w.id, w.app, w.title, w.url FROM windows w WHERE p_only IS NULL
        UNION ALL
        SELECT w.id, w.app, w.title, w.url
        FROM (SELECT DISTINCT unnest(p_only) AS id) o JOIN windows w ON w.id = o.id
        WHERE p_only IS NOT NULL
    ), cand AS MATERIALIZED (
        SELECT w.id, w.title, w.url, coalesce(k.category_ids, '{}') AS app_rules
        FROM win w LEFT JOIN category_apps k ON k.app = w.app
    ), rules AS MATERIALIZED (
        SELECT c.id, c.depth, c.priority, c.title_re, c.url_re
        FROM categories c
        WHERE (c.app_re IS NOT NULL OR c.title_re IS NOT NULL OR c.url_re IS NOT NULL)
          AND (p_rules IS NULL OR c.id = ANY (p_rules))
    )
    -- OFFSET 0 keeps each lateral subquery a loop inside its rule (the
    -- planner could otherwise flatten it into a join with rules inner).
    SELECT DISTINCT ON (m.id) m.id, r.id
    FROM rules r
    CROSS JOIN LATERAL (
        SELECT x.id FROM cand x
        WHERE r.id = ANY (x.app_rules) OR x.title ~* r.title_re
           OR (x.url <> '' AND x.url ~* r.url_re)
        OFFSET 0) m
    ORDER BY m.id, r.depth DESC, r.priority DESC, r.id
$$;

-- The same for triples not stored yet: (ordinal in the arrays, category).
-- Their apps must be in category_apps.
CREATE FUNCTION triples_best_categories(p_app text[], p_title text[], p_url text[])
RETURNS TABLE (n bigint, category_id integer)
LANGUAGE sql STABLE AS $$
    WITH cand AS MATERIALIZED (
        SELECT t.n, t.title, coalesce(t.url, '') AS url,
               coalesce(k.category_ids, '{}') AS app_rules
        FROM unnest(p_app, p_title, p_url) WITH ORDINALITY AS t(app, title, url, n)
        LEFT JOIN category_apps k ON k.app = t.app
    ), rules AS MATERIALIZED (
        SELECT c.id, c.depth, c.priority, c.title_re, c.url_re
        FROM categories c
        WHERE c.app_re IS NOT NULL OR c.title_re IS NOT NULL OR c.url_re IS NOT NULL
    )
    SELECT DISTINCT ON (m.n) m.n, r.id
    FROM rules r
    CROSS JOIN LATERAL (
        SELECT x.n FROM cand x
        WHERE r.id = ANY (x.app_rules) OR x.title ~* r.title_re
           OR (x.url <> '' AND x.url ~* r.url_re)
        OFFSET 0) m
    ORDER BY m.n, r.depth DESC, r.priority DESC, r.id
$$;

-- Rule changes and new windows are serialised by one advisory lock so a
-- window stored while rules change is never left with the old rules'
-- category: windows_intern takes it shared before storing new windows,
-- the re-categorisation takes it exclusively.  If the interning
-- transaction came first, the re-categorisation waits for it and then
-- sees its windows; if the rule change came first, interning waits and
-- then reads the new rules.  (Both run in READ COMMITTED.)

-- Re-categorises windows after a change of rules; returns how many
-- windows changed category.  p_changed NULL: a full pass over every
-- window.  Otherwise p_changed names the rules that were added, deleted or
-- changed (name, patterns or priority), and the pass is incremental, with
-- the same result as a full one:
--   1. windows whose category is one of those rules are re-evaluated
--      against every rule (their rule may no longer match, or be gone);
--   2. every other window's category was the best among the unchanged
--      rules and stays so; only a changed rule that now matches it and
--      outranks its category can take it.  One scan per changed rule.
--      (The windows of step 1 already have the best of all rules, so no
--      changed rule outranks theirs: this step leaves them alone.)
-- Run by the triggers on categories, in the changing statement's
-- transaction, so rules always apply to old data too.
CREATE FUNCTION windows_recategorise(p_changed integer[] DEFAULT NULL)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
    k bigint;
    affected integer[];
BEGIN
    PERFORM pg_advisory_xact_lock(7242005);
    -- category_apps: every app of a stored window, answers for the rules now.
    PERFORM category_apps_add(ARRAY(SELECT DISTINCT app FROM windows));
    UPDATE category_apps k SET category_ids = ARRAY(
        SELECT x FROM unnest(k.category_ids) x
        WHERE p_changed IS NOT NULL AND x <> ALL (p_changed)
        UNION
        SELECT c.id FROM categories c
        WHERE (p_changed IS NULL OR c.id = ANY (p_changed))
          AND c.app_re IS NOT NULL AND k.app ~* c.app_re
        ORDER BY 1);

    IF p_changed IS NULL THEN
        UPDATE windows w SET category_id = b.category_id
        FROM (SELECT w0.id, b0.category_id
              FROM windows w0 LEFT JOIN windows_best_categories() b0 ON b0.window_id = w0.id) b
        WHERE w.id = b.id AND w.category_id IS DISTINCT FROM b.category_id;
        GET DIAGNOSTICS n = ROW_COUNT;
        RETURN n;
    END IF;

    affected := ARRAY(SELECT id FROM windows WHERE category_id = ANY (p_changed));
    UPDATE windows w SET category_id = b.category_id
    FROM (SELECT a.id, b0.category_id
          FROM unnest(affected) a(id)
          LEFT JOIN windows_best_categories(affected) b0 ON b0.window_id = a.id) b
    WHERE w.id = b.id AND w.category_id IS DISTINCT FROM b.category_id;
    GET DIAGNOSTICS n = ROW_COUNT;

    UPDATE windows w SET category_id = h.category_id
    FROM windows_best_categories(NULL, p_changed) h
    JOIN categories r ON r.id = h.category_id
    WHERE w.id = h.window_id
      AND (w.category_id IS NULL OR
           (SELECT ROW(k.depth, k.priority, -k.id) FROM categories k WHERE k.id = w.category_id)
             < ROW(r.depth, r.priority, -r.id));
    GET DIAGNOSTICS k = ROW_COUNT;
    RETURN n + k;
END $$;

CREATE FUNCTION categories_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM windows_recategorise(ARRAY(SELECT id FROM new_rows));
    RETURN NULL;
END $$;
CREATE FUNCTION categories_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM windows_recategorise(ARRAY(SELECT id FROM old_rows));
    RETURN NULL;
END $$;
-- A new colour or productivity changes no window's category.
CREATE FUNCTION categories_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed integer[];
BEGIN
    changed := ARRAY(
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE (n.name, n.app_re, n.title_re, n.url_re, n.priority)
              IS DISTINCT FROM (o.name, o.app_re, o.title_re, o.url_re, o.priority));
    IF cardinality(changed) > 0 THEN
        PERFORM windows_recategorise(changed);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER categories_inserted AFTER INSERT ON categories
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION categories_inserted();
CREATE TRIGGER categories_deleted AFTER DELETE ON categories
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION categories_deleted();
CREATE TRIGGER categories_updated AFTER UPDATE ON categories
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION categories_updated();

-- The window ids of a batch's (app, title, url) triples, in order,
-- storing the new ones with their category; one call per batch.
-- NULL urls mean ''.  Known windows cost one index probe each and take no
-- lock; new ones are categorised together (rules in the outer loop).
CREATE FUNCTION windows_intern(p_app text[], p_title text[], p_url text[])
RETURNS integer[] LANGUAGE plpgsql AS $$
DECLARE
    keys uuid[];
    ids integer[];
    m_app text[];
    m_title text[];
    m_url text[];
BEGIN
    keys := ARRAY(SELECT window_key(t.app, t.title, coalesce(t.url, ''))
                  FROM unnest(p_app, p_title, p_url) WITH ORDINALITY AS t(app, title, url, n)
                  ORDER BY t.n);
    ids := ARRAY(SELECT (SELECT w.id FROM windows w WHERE window_key(w.app, w.title, w.url) = k.k)
                 FROM unnest(keys) WITH ORDINALITY AS k(k, n) ORDER BY k.n);
    IF array_position(ids, NULL) IS NULL THEN
        RETURN ids;
    END IF;

    PERFORM pg_advisory_xact_lock_shared(7242005);
    -- The new triples, once each, in order of first appearance.
    SELECT array_agg(d.app ORDER BY d.first), array_agg(d.title ORDER BY d.first),
           array_agg(d.url ORDER BY d.first)
      INTO m_app, m_title, m_url
    FROM (SELECT t.app, t.title, coalesce(t.url, '') AS url, min(t.n) AS first
          FROM unnest(p_app, p_title, p_url, ids) WITH ORDINALITY AS t(app, title, url, id, n)
          WHERE t.id IS NULL
          GROUP BY 1, 2, 3) d;
    PERFORM category_apps_add(m_app);
    INSERT INTO windows (app, title, url, category_id)
    SELECT t.app, t.title, t.url, b.category_id
    FROM unnest(m_app, m_title, m_url) WITH ORDINALITY AS t(app, title, url, n)
    LEFT JOIN triples_best_categories(m_app, m_title, m_url) b ON b.n = t.n
    ORDER BY t.n
    ON CONFLICT DO NOTHING;

    -- The gaps: windows just stored, here or by a concurrent batch.
    RETURN ARRAY(
        SELECT coalesce(x.id, (SELECT w.id FROM windows w
                               WHERE window_key(w.app, w.title, w.url) = x.k))
        FROM unnest(keys, ids) WITH ORDINALITY AS x(k, id, n) ORDER BY x.n);
END $$;

-- --------------------------------------------------------------------------
-- activity: one row per stored span.  Budget: at most 100 bytes per span
-- including indexes (ActivityWatch: about 180).
--
-- Stored, in this order (alignment: widest first, no padding holes):
--   started_at  timestamptz  8   the partition key; UTC instant, us precision
--   device_id   integer      4   devices.id (bigint there; 2.1 billion devices
--                                is plenty, and a larger id fails loudly)
--   duration_ms integer      4   0 .. 86,400,000 fits with room
--   window_id   integer      4   windows.id
--   afk         boolean      1   the person was away during the span
-- = 21 bytes of data + 24 of header = 45, padded to 48, + 4 line pointer:
-- 52 bytes per row in the heap (156 rows per 8 kB page).  A 48-byte
-- tuple is the floor for more than 16 bytes of data, so afk rides free in
-- the padding; an 8-byte window_id or device_id would cost a full 8 more.
--
-- Derived, not stored:
--   end time     = started_at + duration_ms * interval '1 ms'
--   user_id      = devices.user_id (a device never changes owner)
--   category     = windows.category_id (re-categorised in place, so rules
--                  apply to old spans without touching this table)
--   local day    = started_at AT TIME ZONE users.timezone, at read time
--   app/title/url = windows
--
-- One index, the primary key (device_id, started_at): 8 header + 4 + 4
-- padding + 8 = 24 bytes + 4 line pointer = 28 bytes per entry.  It
-- serves
--   * overlap trimming per device: stored spans of a device never overlap
--     (ingest trims new ones against them), so the only stored span that
--     can overlap a new span [s, e) is the last one starting before s
--     (WHERE device_id = $d AND started_at < s ORDER BY started_at DESC
--     LIMIT 1) plus those starting in [s, e): two short range scans;
--   * per-person reads: device_id IN (the person's devices, from devices)
--     AND started_at in [from - 24 h, to) -- a span is at most 24 h long,
--     so that lower bound also finds a span that began before `from` and
--     runs into it; one range scan per device, pruned to the months asked;
--   * uniqueness: one device cannot store two spans starting at the same
--     instant, a last guard against double storage.
-- A unique index on a partitioned table must contain the partition key;
-- this one does.  No index on window_id: reports join windows by id from
-- the activity side.
--
-- No foreign keys: an RI check per inserted row costs a lookup and a
-- trigger call per span (measured: COPY falls from about 500,000 to
-- 150,000 spans/s with one on device_id; bench/copy_rate.sh); ingest
-- inserts only for a device it has just
-- authenticated and only window ids windows_intern returned.  Deleting a
-- device (or its person) deletes its spans by the trigger on devices
-- below; windows are never deleted while spans point at them.
--
-- fillfactor 100: rows are written once and never updated.  Heartbeats
-- do not grow rows here; the span a heartbeat stream is growing lives in
-- device_presence and is written here once, when it closes (see
-- device_heartbeat).  Overlap trimming shortens the new span, never a
-- stored one.  Retention drops whole partitions, so there are no dead
-- rows to leave room for either.  The index keeps the default leaf
-- fillfactor (90), so pages split by late, out-of-order spans have room.
-- --------------------------------------------------------------------------
CREATE TABLE activity (
    started_at  timestamptz NOT NULL,
    device_id   integer NOT NULL,
    duration_ms integer NOT NULL CHECK (duration_ms BETWEEN 0 AND 86400000),
    window_id   integer NOT NULL,
    afk         boolean NOT NULL DEFAULT false,
    PRIMARY KEY (device_id, started_at)
) PARTITION BY RANGE (started_at);

-- The safety net: a span with no monthly partition for it lands here
-- rather than failing the insert.  activity_ensure_partitions() moves such
-- rows into the partition it then creates for their month, so this is
-- normally empty (it is scanned whenever a partition is attached, which
-- stays cheap as long as it is).
CREATE TABLE activity_default PARTITION OF activity DEFAULT WITH (fillfactor = 100);

-- Partitions are named activity_YYYY_MM and hold one calendar month in
-- UTC, [first day 00:00 UTC, next first day 00:00 UTC).
--
-- Creates the partition for the month containing p_day unless it exists;
-- returns its name, or NULL when it existed.  The new table is filled
-- with that month's rows from the default partition before it is
-- attached, in this transaction, so no row is ever outside a partition.
-- ATTACH takes only SHARE UPDATE EXCLUSIVE on activity (reads and writes
-- of the other months go on; CREATE TABLE ... PARTITION OF would take
-- ACCESS EXCLUSIVE and wait for every running report), plus a brief
-- exclusive lock on the default partition, which it scans.
CREATE FUNCTION activity_create_partition(p_day date) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    lo_l timestamp := date_trunc('month', p_day::timestamp);
    lo   timestamptz := lo_l AT TIME ZONE 'UTC';
    hi   timestamptz := (lo_l + interval '1 month') AT TIME ZONE 'UTC';
    name text := 'activity_' || to_char(lo_l, 'YYYY_MM');
BEGIN
    IF to_regclass(name) IS NOT NULL THEN
        RETURN NULL;
    END IF;
    EXECUTE format('CREATE TABLE %I (LIKE activity INCLUDING DEFAULTS INCLUDING CONSTRAINTS)'
                   ' WITH (fillfactor = 100)', name);
    EXECUTE format('WITH moved AS (DELETE FROM activity_default'
                   ' WHERE started_at >= $1 AND started_at < $2 RETURNING *)'
                   ' INSERT INTO %I SELECT * FROM moved', name) USING lo, hi;
    -- With this constraint in place ATTACH need not scan the new table.
    EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (started_at >= %L AND started_at < %L)',
                   name, name || '_range', lo, hi);
    EXECUTE format('ALTER TABLE activity ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                   name, lo, hi);
    EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', name, name || '_range');
    RETURN name;
END $$;

-- Creates the monthly partitions from p_from's month for p_months months
-- ahead, and one for every month that has rows in the default partition
-- (moving them).  Idempotent and safe to call concurrently; returns the
-- names it created.  Ingest calls it at start and a daily job (or wtctl)
-- calls it; the default partition covers any lapse.
CREATE FUNCTION activity_ensure_partitions(
    p_from date DEFAULT (now() AT TIME ZONE 'UTC')::date,
    p_months integer DEFAULT 3)
RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    d date;
    made text;
BEGIN
    PERFORM pg_advisory_xact_lock(7242006);
    FOR d IN
        SELECT (date_trunc('month', p_from::timestamp) + i * interval '1 month')::date
        FROM generate_series(0, greatest(p_months, 1) - 1) i
        UNION
        SELECT DISTINCT date_trunc('month', started_at AT TIME ZONE 'UTC')::date
        FROM activity_default
        ORDER BY 1
    LOOP
        made := activity_create_partition(d);
        IF made IS NOT NULL THEN
            RETURN NEXT made;
        END IF;
    END LOOP;
END $$;

-- Retention at partition granularity: drops the monthly partitions that
-- end on or before p_before (whole months only; reports filter by the
-- retention date, so a partly expired month is kept until it has fully
-- expired).  Returns the names dropped.
CREATE FUNCTION activity_drop_partitions(p_before timestamptz) RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
    p record;
BEGIN
    PERFORM pg_advisory_xact_lock(7242006);
    FOR p IN
        SELECT c.relname
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'activity'::regclass AND c.relname ~ '^activity_\d{4}_\d{2}$'
          AND (to_date(substr(c.relname, 10), 'YYYY_MM')::timestamp
               + interval '1 month') AT TIME ZONE 'UTC' <= p_before
        ORDER BY 1
    LOOP
        EXECUTE format('DROP TABLE %I', p.relname);
        RETURN NEXT p.relname;
    END LOOP;
END $$;

-- Deleting a device deletes its spans (what ON DELETE CASCADE would do
-- without a foreign key's per-row cost on insert).  Also runs when a
-- person is deleted: their devices go by cascade.
CREATE FUNCTION devices_delete_activity() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM activity WHERE device_id = OLD.id;
    RETURN OLD;
END $$;
CREATE TRIGGER devices_delete_activity AFTER DELETE ON devices
    FOR EACH ROW EXECUTE FUNCTION devices_delete_activity();

-- --------------------------------------------------------------------------
-- activity_batches: idempotent ingest.  Each POST carries a device-local
-- batch sequence number; (device_id, seq) is recorded with what the batch
-- produced, in the same transaction as its spans.  Ingest inserts the row
-- first (ON CONFLICT DO NOTHING RETURNING): if it gets no row, the batch
-- was (or is being) stored by another request -- the unique index makes a
-- concurrent duplicate wait for the first one's commit -- and the answer
-- is the stored counts, with nothing stored again.  Otherwise it stores
-- the spans and updates the counts before commit.  Batches may arrive in
-- any order: seq is an identity, not a watermark.
--   spans    spans in the batch
--   accepted spans stored (including trimmed ones)
--   trimmed  stored shorter than sent, because they overlapped stored spans
--   dropped  not stored: entirely covered by stored spans (a resend under
--            another seq) or nothing left after trimming
-- accepted + dropped = spans.  Rows older than the retention period can be
-- deleted: their spans are gone too.
-- --------------------------------------------------------------------------
CREATE TABLE activity_batches (
    device_id   bigint NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    seq         bigint NOT NULL CHECK (seq >= 0),
    received_at timestamptz NOT NULL DEFAULT now(),
    spans       integer NOT NULL DEFAULT 0 CHECK (spans >= 0),
    accepted    integer NOT NULL DEFAULT 0 CHECK (accepted >= 0),
    trimmed     integer NOT NULL DEFAULT 0 CHECK (trimmed >= 0),
    dropped     integer NOT NULL DEFAULT 0 CHECK (dropped >= 0),
    new_windows integer NOT NULL DEFAULT 0 CHECK (new_windows >= 0),
    PRIMARY KEY (device_id, seq),
    CHECK (trimmed <= accepted)
);
CREATE INDEX activity_batches_received_idx ON activity_batches (received_at);

-- --------------------------------------------------------------------------
-- Presence.  devices.last_seen_at (003) stays the coarse "last contact"
-- that ingest refreshes at most every 30 s on any request; this table is
-- the exact heartbeat state, one row per device, updated on every
-- heartbeat.  It is narrow and has one index (the key), and fillfactor 50
-- leaves room on each page so those updates stay HOT (no index writes, old
-- versions pruned in place).
--
--   seen_at      time of the last heartbeat (server clock)
--   idle         the idle (AFK) state the last heartbeat carried
--   idle_since   when the device became idle (NULL while active)
--   span_*       the open span: the window the heartbeat stream is growing,
--                ActivityWatch's "last event".  It is written to activity
--                once, when a heartbeat with other data (or past pulsetime)
--                closes it, so activity rows are never updated.  Reads that
--                must include the live span use activity_live.
--
-- online / idle / offline derive from seen_at, idle and the intervals in
-- settings: see device_status.
-- --------------------------------------------------------------------------
CREATE TABLE device_presence (
    device_id        integer PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,
    seen_at          timestamptz NOT NULL DEFAULT now(),
    idle             boolean NOT NULL DEFAULT false,
    idle_since       timestamptz,
    span_started_at  timestamptz,
    span_duration_ms integer CHECK (span_duration_ms BETWEEN 0 AND 86400000),
    span_window_id   integer,
    span_afk         boolean,
    CHECK ((span_started_at IS NULL) = (span_window_id IS NULL)
       AND (span_started_at IS NULL) = (span_duration_ms IS NULL)
       AND (span_started_at IS NULL) = (span_afk IS NULL))
) WITH (fillfactor = 50);

-- One heartbeat, one call, one round trip.  Presence always; when p_window
-- is given, ActivityWatch's pulsetime merge against the open span:
--   same window and afk state, and p_at within [span start, span end +
--   pulsetime]  -> the span grows to cover p_at + p_duration_ms ('merged');
--   otherwise    -> the open span is written to activity and this heartbeat
--                   opens a new one ('new');
--   p_at before the open span's start (out of order) -> nothing is merged
--                   or replaced ('out_of_order'); the caller may store it as
--                   a one-span batch, which trims it against stored spans.
-- The afk flag of the span is p_idle.  The common case ('merged', and a
-- window-less presence beat) is a single UPDATE of one HOT row.
-- A closed span is trimmed to end where the new one starts and is not
-- stored if a stored span already starts at the same instant.
CREATE FUNCTION device_heartbeat(
    p_device bigint, p_at timestamptz, p_idle boolean,
    p_window integer DEFAULT NULL, p_duration_ms integer DEFAULT 0,
    p_pulsetime_ms integer DEFAULT NULL)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    p device_presence%ROWTYPE;
    pulse integer := coalesce(p_pulsetime_ms, (SELECT pulsetime_s * 1000 FROM settings));
    dur integer;
BEGIN
    -- The hot path: the same window, within pulsetime.
    IF p_window IS NOT NULL THEN
        UPDATE device_presence SET
            seen_at = now(),
            idle_since = CASE WHEN NOT p_idle THEN NULL ELSE coalesce(idle_since, p_at) END,
            idle = p_idle,
            span_duration_ms = least(86400000, greatest(span_duration_ms,
                (extract(epoch FROM p_at - span_started_at) * 1000)::bigint + p_duration_ms))
        WHERE device_id = p_device
          AND span_window_id = p_window AND span_afk = p_idle
          AND p_at >= span_started_at
          AND p_at <= span_started_at + (span_duration_ms::bigint + pulse) * interval '1 ms';
        IF FOUND THEN
            RETURN 'merged';
        END IF;
    ELSE
        UPDATE device_presence SET
            seen_at = now(),
            idle_since = CASE WHEN NOT p_idle THEN NULL ELSE coalesce(idle_since, p_at) END,
            idle = p_idle
        WHERE device_id = p_device;
        IF FOUND THEN
            RETURN 'presence';
        END IF;
    END IF;

    -- Everything else: lock the row (creating it the first time).
    SELECT * INTO p FROM device_presence WHERE device_id = p_device FOR UPDATE;
    IF NOT FOUND THEN
        INSERT INTO device_presence (device_id) VALUES (p_device) ON CONFLICT DO NOTHING;
        SELECT * INTO p FROM device_presence WHERE device_id = p_device FOR UPDATE;
    END IF;
    IF p_window IS NULL THEN
        UPDATE device_presence SET seen_at = now(), idle = p_idle,
            idle_since = CASE WHEN NOT p_idle THEN NULL ELSE coalesce(idle_since, p_at) END
        WHERE device_id = p_device;
        RETURN 'presence';
    END IF;
    IF p.span_started_at IS NOT NULL AND p_at < p.span_started_at THEN
        UPDATE device_presence SET seen_at = now() WHERE device_id = p_device;
        RETURN 'out_of_order';
    END IF;
    IF p.span_started_at IS NOT NULL THEN
        dur := least(p.span_duration_ms::bigint,
                     (extract(epoch FROM p_at - p.span_started_at) * 1000)::bigint);
        -- Trimmed against what batches stored meanwhile (sql/006).
        PERFORM activity_store(p_device, json_build_array(json_build_array(
            (extract(epoch FROM p.span_started_at) * 1000000)::bigint, greatest(dur, 0),
            p.span_window_id, p.span_afk)));
    END IF;
    UPDATE device_presence SET
        seen_at = now(),
        idle_since = CASE WHEN NOT p_idle THEN NULL ELSE coalesce(idle_since, p_at) END,
        idle = p_idle,
        span_started_at = p_at, span_duration_ms = least(86400000, greatest(p_duration_ms, 0)),
        span_window_id = p_window, span_afk = p_idle
    WHERE device_id = p_device;
    RETURN 'new';
END $$;

-- Stored spans plus each device's open (heartbeat) span: what reads that
-- must show the present use.  Filters on started_at and device_id reach
-- the partitions and the index through the UNION ALL.
CREATE VIEW activity_live AS
    SELECT started_at, device_id, duration_ms, window_id, afk, false AS open FROM activity
    UNION ALL
    SELECT span_started_at, device_id, span_duration_ms, span_window_id, span_afk, true
    FROM device_presence WHERE span_started_at IS NOT NULL;

-- --------------------------------------------------------------------------
-- Settings ingest and the agent need.
--   title_exclude        regular expressions (PostgreSQL ARE, matched
--                        case-insensitively); a window title matching one
--                        is not recorded (the agent applies them; ingest may
--                        re-apply them).  Validated by compiling each one.
--   upload_interval_s    how often the agent uploads its spool
--   heartbeat_interval_s how often an agent sends a heartbeat
--   pulsetime_s          the merge window of heartbeats (ActivityWatch's
--                        pulsetime); at least one heartbeat interval, or
--                        consecutive heartbeats of one window never merge
-- --------------------------------------------------------------------------
ALTER TABLE settings
    ADD COLUMN title_exclude        text[] NOT NULL DEFAULT '{}'
        CHECK (cardinality(title_exclude) <= 100 AND array_position(title_exclude, NULL) IS NULL),
    ADD COLUMN upload_interval_s    integer NOT NULL DEFAULT 60
        CHECK (upload_interval_s BETWEEN 10 AND 3600),
    ADD COLUMN heartbeat_interval_s integer NOT NULL DEFAULT 30
        CHECK (heartbeat_interval_s BETWEEN 5 AND 600),
    ADD COLUMN pulsetime_s          integer NOT NULL DEFAULT 45
        CHECK (pulsetime_s BETWEEN 1 AND 3600),
    ADD CONSTRAINT pulsetime_covers_heartbeat CHECK (pulsetime_s >= heartbeat_interval_s);

CREATE FUNCTION settings_regex_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    i integer;
BEGIN
    FOR i IN 1 .. coalesce(cardinality(NEW.title_exclude), 0) LOOP
        IF length(NEW.title_exclude[i]) NOT BETWEEN 1 AND 500 THEN
            RAISE EXCEPTION USING ERRCODE = 'check_violation', TABLE = 'settings',
                COLUMN = 'title_exclude',
                MESSAGE = format('title_exclude pattern %s must be 1 to 500 characters', i);
        END IF;
        PERFORM regex_check(NEW.title_exclude[i], 'settings', 'title_exclude',
                            format('pattern %s', i));
    END LOOP;
    RETURN NEW;
END $$;
CREATE TRIGGER settings_regex_check BEFORE INSERT OR UPDATE OF title_exclude ON settings
    FOR EACH ROW EXECUTE FUNCTION settings_regex_check();

-- online: a heartbeat or request within the window and not idle; idle: the
-- same but the agent said idle; offline: nothing within the window (twice
-- the longer of the two intervals, plus 30 s of slack); never: no contact.
CREATE VIEW device_status AS
    SELECT d.id AS device_id, d.user_id,
           greatest(p.seen_at, d.last_seen_at) AS seen_at,
           coalesce(p.idle, false) AS idle, p.idle_since,
           CASE
             WHEN p.seen_at IS NULL AND d.last_seen_at IS NULL THEN 'never'
             WHEN greatest(p.seen_at, d.last_seen_at) < now() - make_interval(
                  secs => 2 * greatest(s.heartbeat_interval_s, s.upload_interval_s) + 30) THEN 'offline'
             WHEN coalesce(p.idle, false) THEN 'idle'
             ELSE 'online'
           END AS state
    FROM devices d
    CROSS JOIN settings s
    LEFT JOIN device_presence p ON p.device_id = d.id
    WHERE d.revoked_at IS NULL;

-- --------------------------------------------------------------------------
-- Default categories.  Apps are X11 WM_CLASS names (and their Windows /
-- macOS process names where they differ); sites are matched on the URL
-- when the agent has one, and on the browser's title suffix when not.
-- Priorities break ties between rules of the same depth: an editor's app
-- rule (100) beats a title rule that happens to mention a site.
-- --------------------------------------------------------------------------
INSERT INTO categories (name, productivity, colour, priority, app_re, title_re, url_re) VALUES
('Work', 'productive', '#2e7d32', 0, NULL, NULL, NULL),
('Work > Programming', 'productive', '#1b5e20', 100,
 '^(code|code-oss|codium|vscodium|cursor|zed|jetbrains-.*|idea|pycharm|clion|goland|webstorm|phpstorm|rubymine|rider|datagrip|android-studio|emacs|gvim|nvim-qt|neovide|sublime_text|kate|kdevelop|gedit|gnome-text-editor|geany|qtcreator|eclipse|netbeans|xcode|devenv|notepad\+\+)$',
 ' - (n?vim|vi|emacs|nano|helix)$', NULL),
('Work > Programming > Code hosting', 'productive', '#388e3c', 0, NULL,
 '(GitHub|GitLab|Bitbucket|Gitea|Codeberg|Pull Request|Merge Request)',
 '^https?://([^/]+\.)?(github\.com|gitlab\.com|gitlab\.[^/]+|bitbucket\.org|codeberg\.org|gitea\.[^/]+|sr\.ht)(/|$)'),
('Work > Programming > Documentation', 'productive', '#43a047', 0, NULL,
 '(Stack Overflow|MDN Web Docs|cppreference|Read the Docs|docs\.rs|PostgreSQL: Documentation)',
 '^https?://([^/]+\.)?(stackoverflow\.com|stackexchange\.com|superuser\.com|serverfault\.com|developer\.mozilla\.org|docs\.rs|crates\.io|readthedocs\.io|cppreference\.com|man7\.org|pkg\.go\.dev|docs\.python\.org|postgresql\.org|kernel\.org|devdocs\.io)(/|$)'),
('Work > Terminal', 'productive', '#00695c', 100,
 '^(gnome-terminal.*|org\.gnome\.console|kgx|konsole|xterm|uxterm|rxvt|urxvt|alacritty|kitty|wezterm.*|terminator|tilix|st|st-256color|foot|xfce4-terminal|lxterminal|mate-terminal|terminal|iterm2|windowsterminal|warp)$',
 NULL, NULL),
('Work > Documents', 'productive', '#0277bd', 50,
 '^(libreoffice.*|soffice.*|winword|excel|powerpnt|onlyoffice.*|desktopeditors|abiword|gnumeric|evince|okular|zathura|acroread|acrobat|foxitreader|xournalpp|obsidian|logseq|joplin|zotero)$',
 '(Google Docs|Google Sheets|Google Slides|Confluence|Notion|Overleaf)',
 '^https?://([^/]+\.)?(docs\.google\.com|sheets\.google\.com|slides\.google\.com|drive\.google\.com|office\.com|sharepoint\.com|onedrive\.live\.com|notion\.so|atlassian\.net/wiki|overleaf\.com|dropbox\.com/paper)(/|$)'),
('Work > Planning', 'productive', '#0288d1', 0, NULL,
 '(Jira|Linear|Trello|Asana|ClickUp|YouTrack|monday\.com)',
 '^https?://([^/]+\.)?(atlassian\.net|linear\.app|trello\.com|asana\.com|clickup\.com|monday\.com|youtrack\.[^/]+|basecamp\.com)(/|$)'),
('Work > Design', 'productive', '#6a1b9a', 50,
 '^(gimp.*|inkscape|krita|blender|figma-linux|figma|darktable|scribus|freecad|kicad|librecad|pencil|drawio|photoshop|illustrator)$',
 '(Figma|Miro|Canva|draw\.io)',
 '^https?://([^/]+\.)?(figma\.com|miro\.com|canva\.com|app\.diagrams\.net|excalidraw\.com)(/|$)'),
('Communication', 'neutral', '#f9a825', 0, NULL, NULL, NULL),
('Communication > Chat', 'neutral', '#fbc02d', 50,
 '^(slack|discord|element|signal|telegram-desktop|telegramdesktop|whatsapp.*|mattermost.*|zulip|rocket\.chat|hexchat|pidgin|skype.*|teams|teams-for-linux|ms-teams)$',
 '( - Slack|\| Slack|Slack \||Microsoft Teams|Discord|WhatsApp|Telegram|Mattermost|Element \|)',
 '^https?://([^/]+\.)?(slack\.com|app\.slack\.com|teams\.microsoft\.com|teams\.live\.com|discord\.com|web\.whatsapp\.com|web\.telegram\.org|chat\.google\.com|app\.element\.io|mattermost\.[^/]+)(/|$)'),
('Communication > Mail', 'neutral', '#f57f17', 50,
 '^(thunderbird.*|evolution|geary|kmail|mailspring|outlook|olk|mutt|neomutt|betterbird)$',
 '(Gmail|Outlook|Inbox \(|Proton Mail|Fastmail)',
 '^https?://([^/]+\.)?(mail\.google\.com|outlook\.office\.com|outlook\.office365\.com|outlook\.live\.com|mail\.proton\.me|app\.fastmail\.com|mail\.yahoo\.com)(/|$)'),
('Communication > Meetings', 'neutral', '#ff8f00', 60,
 '^(zoom|zoom\.real|webex|jitsi.*)$',
 '(Zoom Meeting|Google Meet|Meet - |Jitsi Meet|Webex)',
 '^https?://([^/]+\.)?(meet\.google\.com|zoom\.us|meet\.jit\.si|whereby\.com|webex\.com)(/|$)'),
('Media', 'distracting', '#c62828', 0, NULL, NULL, NULL),
('Media > Video', 'distracting', '#d32f2f', 0,
 '^(vlc|mpv|totem|celluloid|smplayer|kodi|netflix)$',
 '( - YouTube|Netflix|Twitch|Vimeo|Prime Video|Disney\+)',
 '^https?://([^/]+\.)?(youtube\.com|youtu\.be|netflix\.com|twitch\.tv|vimeo\.com|primevideo\.com|disneyplus\.com|dailymotion\.com)(/|$)'),
('Media > Social', 'distracting', '#e53935', 0, NULL,
 '(Facebook|Instagram|Twitter|/ X( |$)| on X: |Reddit|reddit\.com|TikTok|Mastodon|Bluesky|Pinterest|Tumblr)',
 '^https?://([^/]+\.)?(facebook\.com|instagram\.com|twitter\.com|x\.com|reddit\.com|tiktok\.com|mastodon\.social|bsky\.app|pinterest\.com|tumblr\.com|9gag\.com|threads\.net)(/|$)'),
('Media > News', 'distracting', '#ef5350', 0, NULL,
 '(Hacker News|BBC News|CNN|The Guardian|New York Times|SPIEGEL|Le Monde|Reuters)',
 '^https?://([^/]+\.)?(news\.ycombinator\.com|bbc\.com|bbc\.co\.uk|cnn\.com|theguardian\.com|nytimes\.com|spiegel\.de|lemonde\.fr|reuters\.com|zeit\.de|elpais\.com)(/|$)'),
('Media > Shopping', 'distracting', '#ad1457', 0, NULL,
 '(Amazon\.|eBay|AliExpress|Etsy|Zalando)',
 '^https?://([^/]+\.)?(amazon\.[a-z.]+|ebay\.[a-z.]+|aliexpress\.com|etsy\.com|zalando\.[a-z.]+)(/|$)'),
('Media > Games', 'distracting', '#880e4f', 0,
 '^(steam|steamwebhelper|lutris|heroic|minecraft.*|supertuxkart|0ad|retroarch|.*\.x86_64)$',
 '(Steam|itch\.io|Chess\.com|lichess)',
 '^https?://([^/]+\.)?(store\.steampowered\.com|itch\.io|chess\.com|lichess\.org|poki\.com)(/|$)'),
('Media > Music', 'neutral', '#8e24aa', 0,
 '^(spotify|rhythmbox|clementine|strawberry|audacious|amarok|lollypop|elisa|deadbeef|tidal.*)$',
 '(Spotify|SoundCloud|YouTube Music|Deezer|Bandcamp)',
 '^https?://([^/]+\.)?(open\.spotify\.com|soundcloud\.com|music\.youtube\.com|deezer\.com|bandcamp\.com)(/|$)'),
('Browsing', 'neutral', '#78909c', 0,
 '^(firefox.*|navigator|librewolf|chromium.*|google-chrome.*|chrome|brave-browser|brave|vivaldi.*|opera|microsoft-edge.*|msedge|epiphany|org\.gnome\.epiphany|safari|falkon|qutebrowser)$',
 NULL, NULL),
('System', 'neutral', '#90a4ae', 0,
 '^(nautilus|org\.gnome\.nautilus|dolphin|thunar|nemo|pcmanfm.*|caja|explorer|finder|gnome-control-center|systemsettings|xfce4-settings-manager|gnome-system-monitor|ksysguard|pavucontrol|blueman-manager|nm-connection-editor|keepassxc|1password|bitwarden|gnome-shell|plasmashell|xfce4-panel|lockscreen|xscreensaver|i3lock|gnome-screenshot|flameshot|spectacle)$',
 NULL, NULL);

-- Spans need their partitions: last month (late uploads) to three ahead.
SELECT activity_ensure_partitions(((now() AT TIME ZONE 'UTC') - interval '1 month')::date, 5);
