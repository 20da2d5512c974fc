#!/usr/bin/env bash
# sql/005_activity.sql, the storage of issue 9, in a scratch database of
# its own: monthly partitions and the default partition, the span row, the
# windows table and its interning, categories (bad patterns refused with
# PostgreSQL's message, deepest rule wins, rule changes re-categorise old
# windows, incrementally and the same as a full pass), the agent settings,
# heartbeats merged by pulsetime, presence, and bench/gen.
. "$(dirname "$0")/lib.sh"

db=wt_activity_test_$$
psql_su() { "$WT_ROOT/stack" psql -U postgres -d postgres -qAt -c "$1"; }
q() { "$WT_ROOT/stack" psql -d "$db" -qAt -v ON_ERROR_STOP=1 -c "$1" 2>&1; }
qv() { "$WT_ROOT/stack" psql -d "$db" -qAt -v ON_ERROR_STOP=1 -v VERBOSITY=verbose -c "$1" 2>&1; }
psql_su "CREATE DATABASE $db OWNER worktime" >/dev/null
trap 'psql_su "DROP DATABASE IF EXISTS $db" >/dev/null; rm -rf "$TMPD"' EXIT
env PGDATABASE=$db PGHOST="$WT_STATE/pg/run" PGUSER=worktime "$WT_ROOT/sql/migrate" "$WT_ROOT/sql" >/dev/null 2>&1
ok $? "the migrations apply to an empty database"

# --- partitions ----------------------------------------------------------------------
is "$(q "SELECT partstrat::text || ':' || pg_get_partkeydef('activity'::regclass) FROM pg_partitioned_table
         WHERE partrelid = 'activity'::regclass")" "r:RANGE (started_at)" "activity is partitioned by range of started_at"
M0=$(q "SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY_MM')")
M3=$(q "SELECT to_char((now() AT TIME ZONE 'UTC') + interval '3 months', 'YYYY_MM')")
is "$(q "SELECT count(*) FROM pg_inherits WHERE inhparent = 'activity'::regclass
         AND inhrelid::regclass::text IN ('activity_$M0', 'activity_$M3', 'activity_default')")" 3 \
	"partitions for this month, three months ahead, and the default exist"
is "$(q "SELECT pg_get_expr(relpartbound, oid) FROM pg_class WHERE relname = 'activity_2026_03'
         UNION ALL SELECT 'none' LIMIT 1")" none "(no partition for March 2026 yet)"
is "$(q "SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum)
         FROM pg_attribute WHERE attrelid = 'activity'::regclass AND attnum > 0")" \
	"started_at timestamp with time zone, device_id integer, duration_ms integer, window_id integer, afk boolean" \
	"a span is started_at, device_id, duration_ms, window_id, afk (21 bytes, no user_id)"
is "$(q "SELECT string_agg(pg_get_indexdef(indexrelid), ' | ' ORDER BY indexrelid::regclass::text)
         FROM pg_index WHERE indrelid = 'activity'::regclass")" \
	"CREATE UNIQUE INDEX activity_pkey ON ONLY public.activity USING btree (device_id, started_at) | CREATE INDEX activity_started_brin ON ONLY public.activity USING brin (started_at) WITH (pages_per_range='32', autosummarize='on')" \
	"two indexes: the primary key (device_id, started_at), and a BRIN on started_at (sql/024: kilobytes)"

q "INSERT INTO users (email, display_name) VALUES ('a@t.test', 'A'), ('b@t.test', 'B');
   INSERT INTO devices (user_id, name) VALUES (1, 'one'), (2, 'two')" >/dev/null
q "INSERT INTO activity VALUES ('2026-03-10 09:00Z', 1, 60000, 1, false), ('2026-03-31 23:59:59.999Z', 1, 1, 1, true)" >/dev/null
ok $? "a span of a month without a partition is stored all the same"
is "$(q "SELECT DISTINCT tableoid::regclass FROM activity WHERE started_at < '2026-04-01'")" activity_default \
	"... in the default partition"
is "$(q "SELECT string_agg(x, ',') FROM activity_ensure_partitions('2026-03-15', 1) x")" activity_2026_03 \
	"activity_ensure_partitions creates the month"
is "$(q "SELECT count(*) FROM activity_default")" 0 "... and moves its rows out of the default partition"
is "$(q "SELECT string_agg(DISTINCT tableoid::regclass::text, ',') || ' ' || count(*) FROM activity
         WHERE started_at < '2026-04-01'")" "activity_2026_03 2" "... into the new one, both of them"
is "$(q "SELECT pg_get_expr(relpartbound, oid) FROM pg_class WHERE relname = 'activity_2026_03'")" \
	"FOR VALUES FROM ('2026-03-01 00:00:00+00') TO ('2026-04-01 00:00:00+00')" "... a calendar month in UTC"
is "$(q "SELECT count(*) FROM activity_ensure_partitions('2026-03-15', 1)")" 0 "calling it again creates nothing"
q "INSERT INTO activity VALUES ('2031-07-04 12:00Z', 2, 5, 1, false)" >/dev/null
is "$(q "SELECT string_agg(x, ',') FROM activity_ensure_partitions() x")" activity_2031_07 \
	"the default call also makes a month for rows found in the default partition"
OUT=$(q "INSERT INTO activity VALUES ('2026-03-10 09:00Z', 1, 5, 2, false)")
like "$OUT" 'duplicate key value violates unique constraint' "a second span of one device at the same instant is refused"
like "$(q "INSERT INTO activity VALUES ('2026-03-11Z', 1, 86400001, 1, false)")" 'activity_duration_ms_check' \
	"a span longer than 24 h is refused"
like "$(q "INSERT INTO activity VALUES ('2026-03-11Z', 1, -1, 1, false)")" 'activity_duration_ms_check' \
	"a negative duration is refused"
is "$(q "SELECT string_agg(x, ',') FROM activity_drop_partitions('2026-04-01Z') x")" activity_2026_03 \
	"activity_drop_partitions drops whole months that ended before the date"
is "$(q "SELECT count(*) FROM activity WHERE started_at < '2026-04-01'")" 0 "... with their spans"
PLAN=$(q "SET enable_seqscan = off; EXPLAIN (COSTS OFF) SELECT * FROM activity
           WHERE device_id = 1 AND started_at >= '2031-07-01Z' AND started_at < '2031-07-02Z'")
is "$(grep -o 'activity_[0-9_]*\(_pkey\)\?' <<<"$PLAN" | sort -u | tr '\n' ' ')" "activity_2031_07 activity_2031_07_pkey " \
	"a read for one device and a day touches one partition, through its primary key"

# --- windows --------------------------------------------------------------------------
IDS=$(q "SELECT windows_intern(ARRAY['code', 'firefox', 'code', 'firefox', 'mystery-app'],
          ARRAY['main.c - wt - Visual Studio Code', 'Straße 漢字 🎉 - YouTube — Mozilla Firefox',
                'main.c - wt - Visual Studio Code', 'Straße 漢字 🎉 - YouTube — Mozilla Firefox', 'x'],
          ARRAY[NULL, 'https://www.youtube.com/watch?v=1', '', 'https://www.youtube.com/watch?v=2', NULL])")
is "$IDS" "{1,2,1,3,4}" "windows_intern: one id per distinct (app, title, url), in order; NULL url = ''"
is "$(q "SELECT windows_intern(ARRAY['firefox', 'code'], ARRAY['Straße 漢字 🎉 - YouTube — Mozilla Firefox', 'main.c - wt - Visual Studio Code'],
          ARRAY['https://www.youtube.com/watch?v=1', ''])")" "{2,1}" "... known windows keep their id"
is "$(q "SELECT string_agg(w.id || '=' || coalesce(c.name, '-'), ',' ORDER BY w.id) FROM windows w LEFT JOIN categories c ON c.id = w.category_id")" \
	"1=Work > Programming,2=Media > Video,3=Media > Video,4=-" "... categorised when first stored; no rule, no category"
is "$(q "SELECT window_category('gnome-terminal-server', 'make - nvim')::text || ',' ||
               coalesce(window_category('nobody', 'nothing')::text, 'null')")" \
	"$(q "SELECT id FROM categories WHERE name = 'Work > Programming'"),null" \
	"window_category: the deepest, then highest-priority rule (vim title beats the terminal app)"
T1024=$(printf 'é%.0s' $(seq 512))
like "$(q "SELECT windows_intern(ARRAY['a'], ARRAY['$T1024'], NULL)")" '^\{[0-9]+\}$' "a 1,024-byte title is stored"
like "$(q "SELECT windows_intern(ARRAY['a'], ARRAY['${T1024}x'], NULL)")" 'windows_title_check' "a 1,025-byte title is refused"
# Two transactions storing the same new window: the second waits for the
# first, then takes its id (sql/034 reads ids from the INSERT; a triple
# another transaction stored is looked up again).
"$WT_ROOT/stack" psql -d "$db" -qAt -v ON_ERROR_STOP=1 >"$TMPD/race" 2>&1 <<'EOF' &
BEGIN;
SELECT fresh FROM windows_intern_for(NULL, NULL, ARRAY['race'], ARRAY['Ünïcode race 漢字'], ARRAY['']);
SELECT pg_sleep(1);
COMMIT;
EOF
racer=$!
sleep 0.4
RACE=$(q "SELECT ids[1] || ' ' || ids[2] || ' ' || ids[3] || ' fresh ' || fresh
          FROM windows_intern_for(NULL, NULL, ARRAY['race', 'race', 'race'],
               ARRAY['Ünïcode race 漢字', 'second 🎉', 'Ünïcode race 漢字'], ARRAY['', '', ''])")
wait $racer
FIRST=$(q "SELECT id FROM windows WHERE app = 'race' AND title = 'Ünïcode race 漢字'")
SECOND=$(q "SELECT id FROM windows WHERE app = 'race' AND title = 'second 🎉'")
is "$(cat "$TMPD/race")" 1 "a transaction stores a new window (and holds it a second)"
is "$RACE" "$FIRST $SECOND $FIRST fresh 1" \
	"another storing it meanwhile gets the first one's id, stores only its other window"
is "$(q "SELECT count(*) FROM windows WHERE app = 'race'")" 2 "... and each window is stored once"
# A group's windows in one call (sql/036): device 1 names a known window,
# a new one of its own and one it shares with device 2, which names its
# own new one too; then, with a budget of three, device 2 goes past it.
grp_id() { q "SELECT id FROM windows WHERE app = 'grp' AND title = '$1'"; }
budgets() { q "SELECT string_agg(device_id || ':' || used, ',' ORDER BY device_id) FROM device_window_budget"; }
GRP=$(q "SELECT ids::text || ' ' || devices::text || ' ' || fresh::text || ' ' || capped::text
         FROM windows_intern_group(ARRAY[1, 1, 1, 2, 2],
              5, ARRAY['code', 'grp', 'grp', 'grp', 'grp'],
              ARRAY['main.c - wt - Visual Studio Code', 'only one Ω', 'shared 漢字', 'shared 漢字', 'only two 🎉'],
              NULL)")
WS=$(grp_id 'shared 漢字')
is "$GRP" "{1,$(grp_id 'only one Ω'),$WS,$WS,$(grp_id 'only two 🎉')} {1,2} {2,1} {f,f}" \
	"windows_intern_group: ids in order, a shared new window stored once and new for its first device"
is "$(budgets)" "1:2,2:2" "... each device's new windows counted against its budget"
GRP=$(q "SELECT ids::text || ' ' || fresh::text || ' ' || capped::text
         FROM windows_intern_group(ARRAY[1, 2, 2], 3, ARRAY['grp', 'grp', 'grp'],
              ARRAY['one more', 'two more', 'and another'], ARRAY['', '', ''])")
is "$GRP" "{$(grp_id 'one more'),$(grp_id 'two more'),$(grp_id '(more new windows than the hourly limit)')} {1,2} {f,t}" \
	"... a device past its budget has what is left of it, then the placeholder; the other all its own"
is "$(budgets)" "1:3,2:4" "... counted once each, as windows_intern_for counts"
is "$(q "SELECT count(*) FROM windows WHERE app = 'grp' AND title = 'and another'")" 0 \
	"... and the title past it is not stored"
is "$(q "SELECT count(*) FROM pg_indexes WHERE tablename = 'windows' AND indexdef LIKE '%UNIQUE%window_key(app, title, url)%'")" 1 \
	"uniqueness is a unique index on the 16-byte key of the triple"

# --- categories ------------------------------------------------------------------------
OUT=$(qv "INSERT INTO categories (name, title_re) VALUES ('Bad', 'a(b')")
like "$OUT" 'ERROR:  2201B: invalid regular expression: parentheses \(\) not balanced' \
	"a bad pattern is refused with SQLSTATE 2201B and PostgreSQL's message"
like "$OUT" 'COLUMN NAME:  title_re' "... naming the column"
like "$(qv "UPDATE categories SET url_re = '[z-a]' WHERE name = 'Media > Video'")" 'COLUMN NAME:  url_re' \
	"... on update too"
is "$(q "SELECT count(*) FROM categories WHERE name = 'Bad' OR url_re = '[z-a]'")" 0 "... and nothing is stored"
like "$(q "INSERT INTO categories (name) VALUES ('Work >  Spaces')")" 'categories_name_check' "a path with an empty level is refused"
like "$(q "INSERT INTO categories (name, colour) VALUES ('Work > X', 'red')")" 'categories_colour_check' "a colour must be #rrggbb"
like "$(q "INSERT INTO categories (name, productivity) VALUES ('Work > X', 'meh')")" 'categories_productivity_check' \
	"productivity is productive, neutral or distracting"
like "$(q "INSERT INTO categories (name) VALUES ('work > programming')")" 'categories_name_key' "names are unique, case aside"
is "$(q "SELECT depth FROM categories WHERE name = 'Work > Programming > Code hosting'")" 3 "depth derives from the path"

q "INSERT INTO categories (name, title_re, productivity) VALUES ('Work > Programming > C', '\.c - ', 'productive')" >/dev/null
is "$(q "SELECT c.name FROM windows w JOIN categories c ON c.id = w.category_id WHERE w.id = 1")" "Work > Programming > C" \
	"a new, deeper rule takes the windows it matches at once"
q "UPDATE categories SET title_re = 'nothing-matches-this' WHERE name = 'Work > Programming > C'" >/dev/null
is "$(q "SELECT c.name FROM windows w JOIN categories c ON c.id = w.category_id WHERE w.id = 1")" "Work > Programming" \
	"changing it so it no longer matches gives them back"
q "UPDATE categories SET title_re = '\.c - ' WHERE name = 'Work > Programming > C'" >/dev/null
q "DELETE FROM categories WHERE name = 'Work > Programming > C'" >/dev/null
is "$(q "SELECT c.name FROM windows w JOIN categories c ON c.id = w.category_id WHERE w.id = 1")" "Work > Programming" \
	"deleting a rule re-categorises its windows"
q "UPDATE categories SET priority = 1000 WHERE name = 'Media > News'; UPDATE categories SET url_re = 'youtube' WHERE name = 'Media > News'" >/dev/null
is "$(q "SELECT c.name FROM windows w JOIN categories c ON c.id = w.category_id WHERE w.id = 2")" "Media > News" \
	"at equal depth the higher priority wins"
is "$(q "SELECT windows_recategorise()")" 0 "after all that, a full pass changes nothing"

# --- settings ------------------------------------------------------------------------------
is "$(q "SELECT title_exclude::text || ' ' || upload_interval_s || ' ' || heartbeat_interval_s || ' ' || pulsetime_s FROM settings")" \
	"{} 60 30 45" "agent settings: no exclusions, upload 60 s, heartbeat 30 s, pulsetime 45 s"
OUT=$(qv "UPDATE settings SET title_exclude = ARRAY['(?i)bank', '*oops']")
like "$OUT" '2201B: invalid regular expression: quantifier operand invalid' "a bad exclusion pattern: 2201B"
like "$OUT" 'COLUMN NAME:  title_exclude' "... naming the column"
like "$OUT" 'DETAIL:  pattern 2: \*oops' "... and which pattern"
q "UPDATE settings SET title_exclude = ARRAY['(?i)bank', 'Private Browsing']" >/dev/null
ok $? "good exclusion patterns are stored"
like "$(q "UPDATE settings SET pulsetime_s = 20")" 'pulsetime_covers_heartbeat' "pulsetime shorter than the heartbeat interval is refused"

# --- heartbeats and presence -------------------------------------------------------------------
hb() { q "SELECT device_heartbeat(1, '$1'::timestamptz, $2, $3, ${4:-0}, 45000)"; }
is "$(hb '2031-07-05 09:00:00Z' false 1)" new "first heartbeat with a window opens a span"
is "$(hb '2031-07-05 09:00:30Z' false 1)" merged "same window within pulsetime: merged"
is "$(hb '2031-07-05 09:01:10Z' false 1 2000)" merged "... again, with a duration"
is "$(q "SELECT span_started_at || ' ' || span_duration_ms FROM device_presence WHERE device_id = 1")" \
	"2031-07-05 09:00:00+00 72000" "... the open span grew to cover it"
is "$(q "SELECT count(*) FROM activity WHERE device_id = 1 AND started_at >= '2031-07-05'")" 0 \
	"... and nothing is written to activity while it is open"
is "$(hb '2031-07-05 09:03:00Z' false 1)" new "same window after a gap longer than pulsetime: a new span"
is "$(hb '2031-07-05 09:03:20Z' false 2)" new "another window: a new span"
is "$(q "SELECT string_agg(started_at || '/' || duration_ms || '/' || window_id, ' ' ORDER BY started_at)
         FROM activity WHERE device_id = 1 AND started_at >= '2031-07-05'")" \
	"2031-07-05 09:00:00+00/72000/1 2031-07-05 09:03:00+00/0/1" "... each closed span is stored once"
is "$(hb '2031-07-05 09:02:00Z' false 2)" out_of_order "a heartbeat older than the open span is not merged"
is "$(q "SELECT count(*) FROM activity_live WHERE device_id = 1 AND started_at >= '2031-07-05' AND open")" 1 \
	"activity_live shows the open span"
is "$(q "SELECT device_heartbeat(1, now(), true)")" presence "a heartbeat without a window is presence only"
is "$(q "SELECT state FROM device_status WHERE device_id = 1")" idle "... idle when the agent says so"
q "SELECT device_heartbeat(1, now(), false)" >/dev/null
is "$(q "SELECT state FROM device_status WHERE device_id = 1")" online "... online when active"
q "UPDATE device_presence SET seen_at = now() - interval '1 hour'; UPDATE devices SET last_seen_at = now() - interval '1 hour'" >/dev/null
is "$(q "SELECT state FROM device_status WHERE device_id = 1")" offline "... offline when silent"

# --- one span through activity_store (sql/034's path) and the same span in a set ----------------
# Stored: 10:00-10:10 and 10:20-10:30.  Each case is stored alone (the
# one-span path), and on the next day with a span of another month beside
# it (the set's statement): the answers and rows must be the same.
store() {  # store DAY TIME DURATION_MS [N: with another span, at 12:00 + N minutes in September]
	local other=""
	[ -n "${4:-}" ] && other=", json_build_array((extract(epoch FROM '2031-09-15 12:00Z'::timestamptz
	    + $4 * interval '1 minute') * 1000000)::bigint, 1000, 1, false)"
	q "SELECT stored || '/' || trimmed FROM activity_store(2, json_build_array(json_build_array(
	   (extract(epoch FROM '$1 $2Z'::timestamptz) * 1000000)::bigint, $3, 1, false)$other))"
}
# store_all MODE DAY "TIME DURATION_MS"...: each stored in turn (in the
# set, beside a span of another month: n counts those), their answers in
# got (the set's without that other span).
store_all() {
	local mode=$1 day=$2 c r
	shift 2
	got=""
	for c in "$@"; do
		set -- $c
		[ $mode = set ] && n=$((n + 1))
		r=$(store $day $1 $2 $n)
		[ $mode = set ] && r=$((${r%/*} - 1))/${r#*/}
		got="$got $r"
	done
}
# The spans stored on DAY, their start in FORMAT (to_char's) and length.
day_spans() {
	q "SELECT string_agg(to_char(started_at AT TIME ZONE 'UTC', '$2') || '+' || duration_ms, ' ' ORDER BY started_at)
	   FROM activity WHERE device_id = 2 AND started_at >= '$1' AND started_at < '$1'::date + 1"
}
for mode in one set; do
	day=2031-08-01 n=""
	[ $mode = set ] && day=2031-08-02 n=-1
	store_all $mode $day "10:00 600000" "10:20 600000"
	store_all $mode $day "10:05 60000" "10:09 120000" "10:19 120000" "10:15 0" "10:25 0" \
	    "10:30 60000" "10:12 60000" "10:12 60000"
	is "$got" " 0/0 1/1 1/1 1/0 0/0 1/0 1/0 0/0" \
		"activity_store ($mode): covered, trimmed at the start, at the end, a moment, a covered moment, adjoining, free, again"
	is "$(day_spans $day HH24:MI:SS)" \
		"10:00:00+600000 10:10:00+60000 10:12:00+60000 10:15:00+0 10:19:00+60000 10:20:00+600000 10:30:00+60000" \
		"... what is stored ($mode)"
done

# Spans that touch end to start are passed one after the other; a
# zero-length span (a late beat's instant) ends no span; a length is
# rounded down, so a cut span never ends past the start it was cut at,
# and less than a millisecond left is nothing; a start on a zero-length
# span's instant moves on by a microsecond (sql/038, as store.c).
for mode in one set; do
	day=2031-08-03 n=""
	[ $mode = set ] && day=2031-08-04 n=20
	store_all $mode $day "10:00 600000" "10:10 600000" "10:40 0" "11:00:00.0005 1000" "12:00 0"
	store_all $mode $day "10:05 1200000" "10:30 1200000" "11:00 1" "12:00 1000"
	is "$got" " 1/1 1/0 0/0 1/1" \
		"activity_store ($mode): past a chain of touching spans, across a zero-length one, half a millisecond left, on a zero-length one's instant"
	is "$(day_spans $day HH24:MI:SS.US)" \
		"10:00:00.000000+600000 10:10:00.000000+600000 10:20:00.000000+300000 10:30:00.000000+1200000 10:40:00.000000+0 11:00:00.000500+1000 12:00:00.000000+0 12:00:00.000001+999" \
		"... what is stored ($mode): no two spans with a length overlap"
done

# --- batches, deletion -----------------------------------------------------------------------
q "INSERT INTO activity_batches (device_id, seq, spans, accepted) VALUES (1, 7, 3, 3)" >/dev/null
is "$(q "INSERT INTO activity_batches (device_id, seq) VALUES (1, 7) ON CONFLICT DO NOTHING RETURNING 1")" "" \
	"a batch sequence number is recorded once per device"
is "$(q "SELECT spans || ' ' || accepted FROM activity_batches WHERE device_id = 1 AND seq = 7")" "3 3" "... with its counts"
q "DELETE FROM devices WHERE id = 1" >/dev/null
is "$(q "SELECT count(*) FROM activity WHERE device_id = 1")" 0 "deleting a device deletes its spans"
is "$(q "SELECT count(*) FROM activity_batches WHERE device_id = 1")" 0 "... and its batches"

# --- the generator -----------------------------------------------------------------------------
GEN=$WT_ROOT/build/bench/gen
if [ -x "$GEN" ]; then
	CONN="host=$WT_STATE/pg/run user=worktime dbname=$db"
	OUT=$("$GEN" --quiet --people 3 --days 4 --end 2031-07-11 --seed 7 --team "Gen team $$" "$CONN" 2>&1)
	like "$OUT" '^COPY: .* [0-9]+ spans/s; overall .* [0-9]+ spans/s loaded$' "bench/gen loads spans and reports spans/s"
	SUM1=$(q "SELECT count(*) || ' ' || sum(duration_ms) || ' ' || md5(string_agg(a.started_at || w.title, ',' ORDER BY a.device_id, a.started_at))
	          FROM activity a JOIN windows w ON w.id = a.window_id JOIN devices d ON d.id = a.device_id JOIN users u ON u.id = d.user_id
	          WHERE u.email LIKE 'gen7-%'")
	"$GEN" --quiet --people 3 --days 4 --end 2031-07-11 --seed 7 "$CONN" >/dev/null 2>&1
	is "$(q "SELECT count(*) || ' ' || sum(duration_ms) || ' ' || md5(string_agg(a.started_at || w.title, ',' ORDER BY a.device_id, a.started_at))
	          FROM activity a JOIN windows w ON w.id = a.window_id JOIN devices d ON d.id = a.device_id JOIN users u ON u.id = d.user_id
	          WHERE u.email LIKE 'gen7-%'")" "$SUM1" "... the same seed gives the same spans (a rerun replaces them)"
	is "$(q "SELECT string_agg(DISTINCT u.timezone, ',' ORDER BY u.timezone) FROM users u WHERE u.email LIKE 'gen7-%'")" \
		"America/New_York,Europe/Berlin,Europe/London" "... people in Berlin, New York, London"
	is "$(q "SELECT string_agg(tm.role, ',' ORDER BY u.id) FROM team_members tm JOIN teams t ON t.id = tm.team_id
	          JOIN users u ON u.id = tm.user_id WHERE t.name = 'Gen team $$'")" "manager,member,member" \
		"... --team puts them in a team, the first as its manager"
	PER_DAY=$(q "SELECT min(n) || ' ' || max(n) FROM (SELECT count(*) n FROM activity a JOIN devices d ON d.id = a.device_id
	             JOIN users u ON u.id = d.user_id WHERE u.email LIKE 'gen7-%' AND extract(isodow FROM a.started_at AT TIME ZONE u.timezone) < 6
	             GROUP BY a.device_id, (a.started_at AT TIME ZONE u.timezone)::date HAVING count(*) > 200) s")
	read -r LO HI <<<"$PER_DAY"
	ok $(( LO >= 1000 && HI <= 2100 ? 0 : 1 )) "... 1,000 to 2,100 spans on a working day ($PER_DAY)"
	is "$(q "SELECT count(*) FROM (SELECT a.device_id FROM activity a JOIN devices d ON d.id = a.device_id JOIN users u ON u.id = d.user_id
	          WHERE u.email LIKE 'gen7-%' GROUP BY 1 HAVING min(extract(hour FROM a.started_at AT TIME ZONE u.timezone)) BETWEEN 6 AND 10
	          AND max(extract(hour FROM a.started_at AT TIME ZONE u.timezone)) BETWEEN 13 AND 20) s")" 3 \
		"... working hours in each person's own time zone"
	is "$(q "SELECT bool_and(n > 0)::text FROM (SELECT count(*) FILTER (WHERE a.afk) n FROM activity a JOIN devices d ON d.id = a.device_id
	          JOIN users u ON u.id = d.user_id WHERE u.email LIKE 'gen7-%' GROUP BY a.device_id) s")" true "... with AFK spans"
	is "$(q "SELECT count(*) > 0 FROM windows WHERE title ~ '[éü]' ")$(q "SELECT count(*) > 0 FROM windows WHERE title ~ '[漢字日本]'")" "tt" \
		"... and titles with é/ü and 漢字"
	is "$(q "SELECT count(*) FROM activity a1 JOIN activity a2 ON a2.device_id = a1.device_id AND a2.started_at > a1.started_at
	          AND a2.started_at < a1.started_at + a1.duration_ms * interval '1 ms' AND a2.duration_ms > 0")" 0 \
		"... and no two spans of a device overlap (a zero-length one, an instant, may lie inside one)"
	is "$(q "SELECT count(*) FROM windows w LEFT JOIN windows_best_categories() b ON b.window_id = w.id
	          WHERE w.category_id IS DISTINCT FROM b.category_id")" 0 "its windows are categorised as a full pass would"
	q "UPDATE categories SET title_re = coalesce(title_re || '|', '') || 'Jira|Slack' WHERE name = 'Media > Social';
	   INSERT INTO categories (name, title_re) VALUES ('Work > Programming > Docs', 'README|CHANGELOG');
	   DELETE FROM categories WHERE name = 'Browsing';
	   UPDATE categories SET name = 'Shopping' WHERE name = 'Media > Shopping'" >/dev/null
	is "$(q "SELECT count(*) FROM windows w LEFT JOIN windows_best_categories() b ON b.window_id = w.id
	          WHERE w.category_id IS DISTINCT FROM b.category_id")" 0 "after four rule changes, still the same as a full pass"
	is "$(q "SELECT windows_recategorise()")" 0 "... which therefore changes nothing"
else
	ok 1 "bench/gen is built ($GEN)"
fi

done_testing
