#!/usr/bin/env bash
# wtctl nightly (cgi/wtctl_nightly.c, sql/025_nightly.sql): retention with
# a period that is not the default (the cutoff falls mid-month, nine
# months back), the report days it keeps in a person's zone and in their
# manager's (Europe/Berlin and America/New_York, each zone's last DST day
# included), a second run while one holds the lock, a run again that finds
# nothing to do, a failing step that leaves the others running, and the
# loop ./stack runs.  In a scratch database, with a configuration naming it.
. "$(dirname "$0")/lib.sh"

db=wt_nightly_test_$$
psql_su() { wt_psql -U postgres -d postgres -c "$1"; }
q() { wt_psql -d "$db" -c "$1" 2>&1; }
psql_su "CREATE DATABASE $db OWNER worktime" >/dev/null
HOLDER=
LOOP=
FIRST=
trap '[ -z "$HOLDER" ] || kill "$HOLDER" 2>/dev/null; [ -z "$LOOP" ] || kill "$LOOP" 2>/dev/null
      [ -z "$FIRST" ] || kill "$FIRST" 2>/dev/null
      wait 2>/dev/null; psql_su "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
      rm -rf "$TMPD"' EXIT
env PGDATABASE=$db PGHOST="$WT_STATE/pg/run" PGUSER=worktime "$WT_ROOT/sql/migrate" "$WT_ROOT/sql" >/dev/null 2>&1
ok $? "the migrations apply to an empty database"

conf=$TMPD/nightly.conf
sed -e "s|^db.conninfo = .*|db.conninfo = host=$WT_STATE/pg/run port=5432 dbname=$db user=worktime connect_timeout=3|" \
    -e "s|^screenshots.dir = .*|screenshots.dir = $TMPD/shots|" "$WT_STATE/worktime.conf" >"$conf"
chmod 644 "$conf"
nightly() { "$WT_STATE/app/bin/wtctl" --config "$conf" nightly "$@"; }

# --- the data ----------------------------------------------------------------
# The cutoff: the 15th of the month nine months back (UTC), at this time.
RET=$(q "SELECT (now() AT TIME ZONE 'UTC')::date
              - (date_trunc('month', (now() AT TIME ZONE 'UTC')::date) - interval '9 months'
                 + interval '14 days')::date")
q "UPDATE settings SET retention_days = $RET" >/dev/null
CUT="(now() - interval '$RET days')"
month() { q "SELECT to_char(date_trunc('month', now() AT TIME ZONE 'UTC') + interval '$1 months', 'YYYY_MM')"; }
# Monthly partitions from eleven months back; the one two months ahead goes,
# for the run to make again.
q "SELECT count(*) FROM activity_ensure_partitions(((now() AT TIME ZONE 'UTC') - interval '11 months')::date, 12)" >/dev/null
q "DROP TABLE activity_$(month 2)" >/dev/null
diag "retention $RET days: the cutoff is $(q "SELECT $CUT")"

ZOE=$(q "INSERT INTO users (email, display_name, timezone) VALUES ('zoë@nightly.test', 'Zoë Ünal 漢字', 'Europe/Berlin') RETURNING id")
JOSE=$(q "INSERT INTO users (email, display_name, timezone, role) VALUES ('josé@nightly.test', 'José Ñandú 🙂', 'America/New_York', 'manager') RETURNING id")
GONE=$(q "INSERT INTO users (email, display_name, timezone, status) VALUES ('kelvin@nightly.test', 'K Kelvin ŉ', 'Asia/Tokyo', 'disabled') RETURNING id")
TEAM=$(q "INSERT INTO teams (name) VALUES ('Équipe 東京') RETURNING id")
q "INSERT INTO team_members (team_id, user_id, role) VALUES ($TEAM, $ZOE, 'member'), ($TEAM, $JOSE, 'manager')" >/dev/null
DEV=$(q "INSERT INTO devices (user_id, name) VALUES ($ZOE, 'Laptop ü') RETURNING id")
DEV2=$(q "INSERT INTO devices (user_id, name) VALUES ($GONE, 'Desktop') RETURNING id")
WIN=$(q "INSERT INTO windows (app, title) VALUES ('code', 'main.c — Worktime 漢字') RETURNING id")
span() {  # span DEVICE TIMESTAMPTZ-SQL: an hour of work from then
	q "INSERT INTO activity VALUES ($2, $1, 3600000, $WIN, false)" >/dev/null; }
# In a month wholly before the cutoff; in the cutoff's month before it and
# after it.
span "$DEV" "date_trunc('month', $CUT AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '20 days'"
span "$DEV" "date_trunc('month', $CUT AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' + interval '4 days 10 hours'"
span "$DEV" "date_trunc('month', $CUT AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' + interval '24 days 10 hours'"
span "$DEV2" "date_trunc('month', $CUT AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' + interval '5 days'"
# An open (heartbeat) span of a device quiet since before the cutoff, and
# one of today.
q "INSERT INTO device_presence (device_id, seen_at, span_started_at, span_duration_ms, span_window_id, span_afk)
   VALUES ($DEV2, $CUT - interval '2 days', $CUT - interval '2 days', 60000, $WIN, false),
          ($DEV, now(), now() - interval '1 minute', 60000, $WIN, false)" >/dev/null
# The last day each zone settles (it ended two hours ago), and each zone's
# last DST day before it (the day before at the latest, so that no two of
# these days are one): an hour at 10:00 local on each.
last_day() { q "SELECT ((now() - interval '2 hours') AT TIME ZONE '$1')::date - 1"; }
dst_day() {
	q "SELECT max(d)::date FROM generate_series(date '$2' - 300, date '$2' - 1, interval '1 day') d
	   WHERE ((d + interval '1 day') AT TIME ZONE '$1') - (d AT TIME ZONE '$1') <> interval '24 hours'"; }
LB=$(last_day Europe/Berlin)
LN=$(last_day America/New_York)
DB=$(dst_day Europe/Berlin "$LB")
DN=$(dst_day America/New_York "$LN")
diag "last days: Berlin $LB, New York $LN; DST days: Berlin $DB, New York $DN"
span "$DEV" "(date '$LB' + time '10:00') AT TIME ZONE 'Europe/Berlin'"
span "$DEV" "(date '$DB' + time '10:00') AT TIME ZONE 'Europe/Berlin'"
span "$DEV" "(date '$DN' + time '10:00') AT TIME ZONE 'America/New_York'"
# A day kept in the cache from the month that will be dropped (dropping
# fires no trigger that would forget it).
OLD_DAY=$(q "SELECT (((date_trunc('month', $CUT AT TIME ZONE 'UTC') - interval '20 days') AT TIME ZONE 'UTC')
              AT TIME ZONE 'Europe/Berlin')::date")
q "SELECT count(*) FROM report_days($ZOE, date '$OLD_DAY', date '$OLD_DAY', 'Europe/Berlin')" >/dev/null
is "$(q "SELECT count(*) FROM report_day_cache WHERE day = date '$OLD_DAY'")" 1 "(a day before the cutoff is kept)"
# Batch records, task sessions (with their events and tasks) and audit
# rows from before the cutoff and from yesterday.
q "INSERT INTO activity_batches (device_id, seq, received_at) VALUES
   ($DEV, 1, $CUT - interval '1 day'), ($DEV, 2, $CUT - interval '1 minute'), ($DEV, 3, now() - interval '1 day')" >/dev/null
task_session() {  # task_session CLIENT-PREFIX END-SQL
	local s e
	s=$(q "INSERT INTO task_sessions (user_id, started_at, ended_at, end_reason, target_pace_min, last_event_at)
	       VALUES ($ZOE, $2 - interval '1 hour', $2, 'exit', 5.5, $2) RETURNING id")
	e=$(q "INSERT INTO task_events (user_id, session_id, client_id, type, client_at, task_no)
	       VALUES ($ZOE, $s, '$1-next-1', 'NEXT', $2 - interval '1 hour', 1),
	              ($ZOE, $s, '$1-exit-1', 'EXIT', $2, 1) RETURNING id" | head -1)
	q "INSERT INTO task_tasks (session_id, number, start_event, started_at, ended_at, paused_ms)
	   VALUES ($s, 1, $e, $2 - interval '1 hour', $2, 0)" >/dev/null
}
task_session oldsess "($CUT - interval '1 day')"
task_session newsess "(now() - interval '1 day')"
q "INSERT INTO audit_log (at, actor_email, action, target_type, target_label) VALUES
   ($CUT - interval '1 day', 'josé@nightly.test', 'test.old', 'user', 'Zoë Ünal 漢字'),
   (now() - interval '1 day', 'josé@nightly.test', 'test.new', 'user', 'Zoë Ünal 漢字')" >/dev/null

# Sign-ins: an expired session and a live one; e-mail tokens, sign-in
# failures and sent or abandoned messages from before the cutoff and from
# yesterday.
hash() { printf "'%s'" "$(sha256_hex "$1")"; }
q "INSERT INTO web_sessions (token_hash, user_id, expires_at) VALUES
   ($(hash s1), $ZOE, now() - interval '1 minute'), ($(hash s2), $ZOE, now() + interval '1 day');
   INSERT INTO auth_tokens (token_hash, kind, user_id, created_at, expires_at) VALUES
   ($(hash t1), 'reset', $ZOE, $CUT - interval '2 days', $CUT - interval '1 day'),
   ($(hash t2), 'verify', $ZOE, now() - interval '1 day', now() - interval '23 hours');
   INSERT INTO login_failures (kind, key, failures, last_failure) VALUES
   ('account', 'zoë@nightly.test', 3, $CUT - interval '1 day'), ('ip', '192.0.2.7', 1, now() - interval '1 day');
   INSERT INTO mail_outbox (to_addr, message, created_at, sent_at, failed_at) VALUES
   ('zoë@nightly.test', 'Subject: Réinitialisation', $CUT - interval '3 days', $CUT - interval '3 days', NULL),
   ('josé@nightly.test', 'Subject: Invitación', $CUT - interval '3 days', NULL, $CUT - interval '2 days'),
   ('zoë@nightly.test', 'Subject: 漢字', now() - interval '1 day', now() - interval '1 day', NULL)" >/dev/null

# --- the first run -------------------------------------------------------------
N=$(q "SELECT (now() AT TIME ZONE 'UTC')::date - least(date '$DB', date '$DN') + 2")
out=$(nightly --days "$N" 2>&1); rc=$?
is "$rc" 0 "the first run succeeds"
diag "$out"
parts() { q "SELECT string_agg(c.relname, ' ' ORDER BY c.relname) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
             WHERE i.inhparent = 'activity'::regclass AND c.relname <> 'activity_default'"; }
P=$(parts)
for m in -11 -10; do
	unlike "$P" "activity_$(month $m)" "the partition of a month wholly before the cutoff ($(month $m)) is dropped"
done
for m in -9 -8 -1 0 1 2; do
	like "$P" "activity_$(month $m)" "the partition of $(month $m) is there"
done
like "$out" "partitions: created 1 \\(activity_$(month 2)\\)" "... the month ahead that was missing was made, and said so"
like "$out" "partitions: dropped 2 \\(activity_$(month -11) activity_$(month -10)\\)" "... the dropped ones are named"
is "$(q "SELECT count(*) FROM activity WHERE device_id = $DEV AND started_at < $CUT")" 0 \
	"the span before the cutoff in the cutoff's month is deleted"
is "$(q "SELECT count(*) FROM activity WHERE device_id = $DEV2")" 0 "... a disabled person's too"
is "$(q "SELECT count(*) FROM activity WHERE device_id = $DEV
          AND started_at >= date_trunc('month', $CUT AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
          AND started_at < (date_trunc('month', $CUT AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC'")" 1 \
	"... the one after it in the same month is kept"
like "$out" "spans: deleted 2 that started before" "... and the count is told"
is "$(q "SELECT device_id || ':' || (span_started_at IS NULL) FROM device_presence ORDER BY device_id")" \
	"$DEV:false
$DEV2:true" "the open span of a device quiet since before the cutoff is cleared, today's is not"
like "$out" "cleared 1 open span" "... and the count is told"
is "$(q "SELECT count(*) FROM report_day_cache WHERE day = date '$OLD_DAY'")" 0 "the kept day from before the cutoff is gone"
is "$(q "SELECT string_agg(seq::text, ' ' ORDER BY seq) FROM activity_batches")" 3 "batch records from before the cutoff are deleted"
like "$out" "batches: deleted 2 record" "... two of them"
is "$(q "SELECT count(*) FROM task_sessions")/$(q "SELECT count(*) FROM task_events")/$(q "SELECT count(*) FROM task_tasks")" \
	"1/2/1" "the task session that ended before the cutoff is deleted with its events and tasks"
is "$(q "SELECT count(*) FROM task_events WHERE client_id LIKE 'newsess%'")" 2 "... yesterday's is kept"
like "$out" "tasks: deleted 1 session\\(s\\) with 2 event\\(s\\) and 1 task\\(s\\)" "... and the counts are told"
is "$(q "SELECT string_agg(action, ' ') FROM audit_log")" "test.new" "audit rows from before the cutoff are deleted"
is "$(q "SELECT count(*) FROM web_sessions")/$(q "SELECT kind FROM auth_tokens")/$(q "SELECT key FROM login_failures")" \
	"1/verify/192.0.2.7" "an expired session, and tokens and sign-in failures from before the cutoff are deleted"
is "$(q "SELECT string_agg(message, ' ') FROM mail_outbox")" "Subject: 漢字" "... and messages sent or abandoned before it"
like "$out" "sign-in data: deleted 1 expired session\\(s\\); 1 e-mail token\\(s\\), 1 sign-in failure record\\(s\\) and 2 sent or abandoned" \
	"... and the counts are told"
like "$out" "screenshots: expired 0 screenshot" "screenshots are expired as wtctl expire-screenshots does"

# Days kept: Zoë's in her zone and in her manager's, the DST days too.
kept() {  # kept USER ZONE DAY: "hours of the day/tracked minutes", or nothing
	q "SELECT (extract(epoch FROM hi - lo) / 3600)::int || '/' || tracked_ms / 60000 FROM report_day_cache
	   WHERE user_id = $1 AND tz = '$2' AND day = date '$3'"; }
like "$(kept "$ZOE" Europe/Berlin "$LB")" "^2[345]/60$" "Zoë's last finished day is kept in her zone (Europe/Berlin)"
like "$(kept "$ZOE" America/New_York "$LN")" "^2[345]/[0-9]+$" "... and in her manager's zone (America/New_York)"
like "$(kept "$ZOE" Europe/Berlin "$DB")" "^(23|25)/60$" "her zone's DST day ($DB) is kept with its 23 or 25 hours"
like "$(kept "$ZOE" America/New_York "$DN")" "^(23|25)/60$" "her manager's zone's DST day ($DN) too, in that zone"
like "$(kept "$ZOE" America/New_York "$DB")" "^24/60$" "the Berlin DST day in New York time: a day of 24 hours with its hour"
like "$(kept "$JOSE" America/New_York "$LN")" "^2[345]/0$" "the manager's own days are kept (in his zone)"
is "$(q "SELECT count(*) FROM report_day_cache WHERE user_id = $JOSE AND tz <> 'America/New_York'")" 0 "... and only there"
is "$(q "SELECT count(*) FROM report_day_cache WHERE user_id = $GONE")" 0 "a disabled person's days are not"
is "$(q "SELECT count(*) FROM report_day_cache WHERE hi > now() - interval '2 hours'")" 0 "no day that ended less than two hours ago"
KEPT=$(q "SELECT count(*) FROM report_day_cache")
like "$out" "report days: kept $KEPT day\\(s\\) of 2 active person\\(s\\)" "the count of days kept is told ($KEPT)"
is "$(q "SELECT tracked_ms FROM report_days($ZOE, date '$LB', date '$LB', 'Europe/Berlin')")" 3600000 \
	"report_days reads the kept day the same"
is "$(q "SELECT tracked_ms FROM report_days($ZOE, date '$DB', date '$DB', 'Europe/Berlin')")" 3600000 \
	"... and the DST day"

if [ -z "$(q "SELECT to_regprocedure('window_days_settle()')")" ]; then
	like "$out" "window days: skipped" "without window_days_settle() that step says it skipped"
	q "CREATE TABLE window_days_calls (at timestamptz DEFAULT now());
	   CREATE FUNCTION window_days_settle() RETURNS bigint LANGUAGE sql AS
	   \$\$ INSERT INTO window_days_calls DEFAULT VALUES RETURNING 7::bigint \$\$" >/dev/null
	out=$(nightly 2>&1); rc=$?
	is "$rc/$(q "SELECT count(*) FROM window_days_calls")" "0/1" "with one, the run calls it once"
	like "$out" "window days: window_days_settle\\(\\) gave '7'" "... and tells what it gave"
else
	like "$out" "window days: window_days_settle\\(\\) gave" "window_days_settle() is called"
fi

# --- a second run while one runs, and once more after -------------------------
state() {
	q "SELECT md5(string_agg(x, '|')) FROM (
	     SELECT '$(parts)' AS x
	     UNION ALL SELECT (SELECT count(*) FROM activity)::text
	     UNION ALL SELECT (SELECT count(*) FROM activity_batches)::text
	     UNION ALL SELECT (SELECT count(*) FROM task_events)::text
	     UNION ALL SELECT (SELECT count(*) FROM audit_log)::text
	     UNION ALL SELECT (SELECT string_agg(user_id || tz || day || gen || tracked_ms, ',' ORDER BY user_id, tz, day)
	                       FROM report_day_cache)) s"; }
before=$(state)
wt_psql -d "$db" -c "SELECT pg_advisory_lock(7242025), pg_sleep(30)" >/dev/null 2>&1 &
HOLDER=$!
for _ in $(seq 100); do
	[ "$(q "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = 7242025")" = 1 ] && break
	sleep 0.1
done
out=$(nightly 2>&1); rc=$?
is "$rc" 0 "a run while another holds the lock exits 0"
like "$out" "another nightly run is under way" "... saying another run is under way"
unlike "$out" "partitions:|report days:" "... and does nothing"
kill "$HOLDER" 2>/dev/null; wait "$HOLDER" 2>/dev/null; HOLDER=
q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$db' AND query LIKE '%pg_sleep%' AND pid <> pg_backend_pid()" >/dev/null
for _ in $(seq 100); do
	[ "$(q "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 7242025")" = 0 ] && break
	sleep 0.1
done

out=$(nightly --days "$N" 2>&1); rc=$?
is "$rc" 0 "running again succeeds"
for what in "partitions: created 0" "partitions: dropped 0" "spans: deleted 0" "batches: deleted 0" \
    "tasks: deleted 0 session" "audit log: deleted 0" "sign-in data: deleted 0 expired session\\(s\\); 0 e-mail token\\(s\\), 0 sign-in failure record\\(s\\) and 0 sent" \
    "report days: kept 0 day"; do
	like "$out" "$what" "... $what"
done
is "$(state)" "$before" "... and changes nothing"

# --- one person's days held up: the time limit, and a real second run ---------
# A report of Zoë's (or a change to her activity) holds her cache lock;
# her days are missing again, and so are José's.
JOSE_DAYS=$(q "SELECT count(*) FROM report_day_cache WHERE user_id = $JOSE")
ZOE_DAYS=$(q "SELECT count(*) FROM report_day_cache WHERE user_id = $ZOE")
q "DELETE FROM report_day_cache WHERE user_id IN ($ZOE, $JOSE)" >/dev/null
KEY=$(q "SELECT report_cache_lock_key($ZOE)")
wt_psql -d "$db" -c "BEGIN" -c "SELECT pg_advisory_xact_lock(7242009, $KEY)" -c "SELECT pg_sleep(30)" \
	>/dev/null 2>&1 &
HOLDER=$!
waiting() { q "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = 7242009
               AND objid = $KEY AND granted = $1"; }
for _ in $(seq 100); do [ "$(waiting true)" = 1 ] && break; sleep 0.1; done
out=$(nightly --days "$N" --person-timeout 1s 2>&1); rc=$?
is "$rc" 1 "a person whose days take longer than --person-timeout makes the run fail"
like "$out" "person $ZOE took longer than the limit" "... naming the person"
like "$out" "report days: kept $JOSE_DAYS day\\(s\\) of 2 active person\\(s\\).*1 failed \\(1 over the time limit\\)" \
	"... the others' days are kept ($JOSE_DAYS of José's)"
is "$(q "SELECT count(*) FROM report_day_cache WHERE user_id = $ZOE")" 0 "... hers wait"

# Two runs at once: the first waits for Zoë's lock, the second finds it
# running.
nightly --days "$N" --person-timeout 60s >"$TMPD/first.out" 2>&1 &
FIRST=$!
for _ in $(seq 100); do [ "$(waiting false)" = 1 ] && break; sleep 0.1; done
is "$(waiting false)" 1 "(the first run waits for Zoë's days)"
out=$(nightly 2>&1); rc=$?
is "$rc" 0 "a second run while the first runs exits 0"
like "$out" "another nightly run is under way" "... saying another run is under way"
kill "$HOLDER" 2>/dev/null; wait "$HOLDER" 2>/dev/null; HOLDER=
q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$db' AND query LIKE '%pg_sleep%' AND pid <> pg_backend_pid()" >/dev/null
wait "$FIRST"; rc=$?
FIRST=
is "$rc" 0 "the first run goes on once the lock is free, and succeeds"
like "$(cat "$TMPD/first.out")" "report days: kept $ZOE_DAYS day" "... keeping Zoë's $ZOE_DAYS days"

# --- a failing step, and bad arguments ----------------------------------------
q "INSERT INTO activity_batches (device_id, seq, received_at) VALUES ($DEV, 9, $CUT - interval '1 hour');
   INSERT INTO audit_log (at, actor_email, action, target_type) VALUES ($CUT - interval '1 hour', 'x@nightly.test', 'test.old', 'user');
   CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN RAISE EXCEPTION 'refused'; END \$\$;
   CREATE TRIGGER refuse BEFORE DELETE ON activity_batches FOR EACH ROW EXECUTE FUNCTION refuse()" >/dev/null
out=$(nightly 2>&1); rc=$?
is "$rc" 1 "a step that fails makes the exit status 1"
like "$out" "batches: deleting the expired batch records failed" "... it says which"
like "$out" "audit log: deleted 1 row" "... the steps after it still run"
like "$out" "done in .*; 1 step\\(s\\) failed" "... and the summary counts it"
q "DROP TRIGGER refuse ON activity_batches" >/dev/null

for bad in "--days 0" "--days 401" "--days x" "--every 5x" "--every 0" "--person-timeout -1s" "--pidfile $TMPD/p"; do
	# shellcheck disable=SC2086
	out=$(nightly $bad 2>&1); rc=$?
	is "$rc" 2 "nightly $bad is refused"
done

# --- the loop ./stack runs ----------------------------------------------------
"$WT_STATE/app/bin/wtctl" --config "$conf" nightly --every 24h --pidfile "$TMPD/nightly.pid" \
	>"$TMPD/loop.out" 2>&1 &
LOOP=$!
for _ in $(seq 200); do grep -q "nightly: done in" "$TMPD/loop.out" && break; sleep 0.1; done
like "$(cat "$TMPD/loop.out")" "nightly: done in .*; 0 step" "--every: the loop runs at once"
is "$(cat "$TMPD/nightly.pid" 2>/dev/null)" "$LOOP" "... its pid file names it"
kill -TERM "$LOOP"
wait "$LOOP"; rc=$?
LOOP=
is "$rc" 0 "... SIGTERM stops it"
ok "$([ ! -e "$TMPD/nightly.pid" ]; echo $?)" "... and its pid file goes"

done_testing
