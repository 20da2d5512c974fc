#!/usr/bin/env bash
# sql/023: the team page's change count is kept per device, so storing
# one device's activity never waits for another device of the same
# person, while every kind of change (insert, delete, a span cut in
# place, a new device) still makes the person's kept team row out of
# date.  In a scratch database of its own.
. "$(dirname "$0")/lib.sh"

db=wt_activity_changes_test_$$
psql_su() { wt_psql -U postgres -d postgres -c "$1"; }
q() { wt_psql -d "$db" -c "$1" 2>&1; }
psql_su "CREATE DATABASE $db OWNER worktime" >/dev/null
HOLDER=
trap '[ -z "$HOLDER" ] || kill "$HOLDER" 2>/dev/null; wait 2>/dev/null
      psql_su "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null' EXIT
env PGDATABASE=$db PGHOST="$WT_STATE/pg/run" PGUSER=worktime "$WT_ROOT/sql/migrate" "$WT_ROOT/sql" >/dev/null 2>&1
ok $? "the migrations apply to an empty database"

# A whole-hour zone where it is now 12:mm, so the spans below (the last
# hour) are all today's there.
TZ_NAME=$(q "SELECT CASE WHEN o = 0 THEN 'Etc/GMT' WHEN o > 0 THEN 'Etc/GMT-' || o ELSE 'Etc/GMT+' || -o END
             FROM (SELECT CASE WHEN x > 14 THEN x - 24 WHEN x < -12 THEN x + 24 ELSE x END AS o
                   FROM (SELECT 12 - extract(hour FROM now() AT TIME ZONE 'UTC')::int AS x) a) b")
diag "zone $TZ_NAME, local time $(q "SELECT to_char(now() AT TIME ZONE '$TZ_NAME', 'HH24:MI')")"
q "INSERT INTO users (email, display_name, timezone) VALUES ('zoë@t.test', 'Zoë 漢字', '$TZ_NAME');
   INSERT INTO devices (user_id, name) VALUES (1, 'laptop'), (1, 'desktop 🖥');
   INSERT INTO windows (app, title) VALUES ('code', 'main.c — Worktime');
   INSERT INTO teams (name) VALUES ('Équipe');
   INSERT INTO team_members (team_id, user_id) VALUES (1, 1)" >/dev/null
stale() { q "SELECT count(*) FROM team_today(1, '$TZ_NAME', 0) WHERE NOT exact"; }
refresh() { q "SELECT team_today_refresh(1, '$TZ_NAME')" >/dev/null; }
minutes() { q "SELECT ((r).t_tracked / 60000)::text FROM team_today(1, '$TZ_NAME', 0)"; }
span() { # device, minutes ago, minutes long
	q "INSERT INTO activity VALUES (now() - interval '$2 minutes', $1, $3 * 60000, 1, false)"; }

span 1 50 10 >/dev/null
is "$(minutes)" 10 "the kept row: 10 minutes today"
is "$(stale)" 0 "... exact while nothing changed"

# Device 1 stores a span and has not committed yet.
"$WT_ROOT/stack" psql -d "$db" -qAt -c "BEGIN" \
	-c "INSERT INTO activity VALUES (now() - interval '30 minutes', 1, 60000, 1, false)" \
	-c "SELECT pg_sleep(30)" >/dev/null 2>&1 &
HOLDER=$!
for _ in $(seq 100); do
	[ "$(q "SELECT count(*) FROM pg_stat_activity WHERE datname = '$db' AND query LIKE '%pg_sleep(30)%' AND state = 'active' AND pid <> pg_backend_pid()")" = 1 ] && break
	sleep 0.1
done
is "$(q "SELECT count(*) FROM pg_stat_activity WHERE datname = '$db' AND query LIKE '%pg_sleep(30)%' AND state = 'active' AND pid <> pg_backend_pid()")" \
	1 "(the laptop's insert is open)"
OUT=$(q "SET lock_timeout = '2s';
         INSERT INTO activity VALUES (now() - interval '20 minutes', 2, 300000, 1, false)")
is "$OUT" "" "the desktop's insert does not wait for the laptop's commit"
OUT=$(q "SET lock_timeout = '1s';
         INSERT INTO activity VALUES (now() - interval '19 minutes', 1, 1000, 1, false)")
like "$OUT" "lock timeout" "(a second insert of the laptop does wait: one device's writes stay in order)"
kill "$HOLDER" 2>/dev/null; wait "$HOLDER" 2>/dev/null; HOLDER=
q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$db' AND query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()" >/dev/null

is "$(stale)" 1 "the desktop's span makes the row out of date"
refresh
is "$(stale)/$(minutes)" "0/15" "... and the refresh counts it: 15 minutes"

q "DELETE FROM activity WHERE device_id = 2" >/dev/null
is "$(stale)" 1 "a deleted span makes the row out of date"
refresh
is "$(minutes)" 10 "... 10 minutes again"

# Delete from 45 minutes ago on: the laptop's span (50 to 40 minutes ago)
# is cut in place to its first 5 minutes, and nothing is deleted.
q "SELECT activity_delete_range(1, now() - interval '45 minutes', NULL)" >/dev/null
is "$(stale)" 1 "a span cut in place makes the row out of date"
refresh
is "$(minutes)" 5 "... 5 minutes left"

q "INSERT INTO devices (user_id, name) VALUES (1, 'phone')" >/dev/null
is "$(stale)" 1 "a new device makes the row out of date"
refresh
q "DELETE FROM devices WHERE id = 1" >/dev/null
is "$(stale)" 1 "a removed device (and its activity) makes it out of date"
refresh
is "$(stale)/$(minutes)" "0/0" "... nothing left today"
is "$(q "SELECT count(*) FROM activity_device_changes WHERE device_id = 1")" 0 \
	"the removed device's count goes with it"

done_testing
