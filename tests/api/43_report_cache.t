#!/usr/bin/env bash
# sql/015: the report day cache keeps only days that ended two hours ago,
# so storing minutes-old activity takes no lock and forgets nothing, while
# older activity (an agent catching up) still forgets the days it touches.
# In a scratch database of its own; the viewer's zone is chosen so that
# "yesterday" ended between 50 minutes and 2 hours ago, whatever the hour.
. "$(dirname "$0")/lib.sh"

db=wt_report_cache_test_$$
psql_su() { wt_psql -U postgres -d postgres -c "$1"; }
q() { wt_psql -d "$db" -c "$1" 2>&1; }
psql_su "CREATE DATABASE $db OWNER worktime" >/dev/null
HOLDER=
trap '[ -z "$HOLDER" ] || kill "$HOLDER" 2>/dev/null; wait 2>/dev/null
      psql_su "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null; rm -rf "$TMPD"' EXIT
env PGDATABASE=$db PGHOST="$WT_STATE/pg/run" PGUSER=worktime "$WT_ROOT/sql/migrate" "$WT_ROOT/sql" >/dev/null 2>&1
ok $? "the migrations apply to an empty database"

# A whole-hour zone where it is now 01:mm (or 00:mm after :50, to stay
# clear of the two-hour edge while the test runs).
TZ_NAME=$(q "SELECT CASE WHEN o = 0 THEN 'Etc/GMT' WHEN o > 0 THEN 'Etc/GMT-' || o ELSE 'Etc/GMT+' || -o END
             FROM (SELECT CASE WHEN x > 14 THEN x - 24 WHEN x < -12 THEN x + 24 ELSE x END AS o
                   FROM (SELECT ((CASE WHEN extract(minute FROM now() AT TIME ZONE 'UTC') < 50 THEN 1 ELSE 0 END)
                                 - extract(hour FROM now() AT TIME ZONE 'UTC')::int) AS x) a) b")
TODAY=$(q "SELECT (now() AT TIME ZONE '$TZ_NAME')::date")
diag "viewer zone $TZ_NAME, local time $(q "SELECT to_char(now() AT TIME ZONE '$TZ_NAME', 'YYYY-MM-DD HH24:MI')")"

q "INSERT INTO users (email, display_name, timezone) VALUES ('zoë@t.test', 'Zoë 漢字', '$TZ_NAME');
   INSERT INTO devices (user_id, name) VALUES (1, 'laptop');
   INSERT INTO windows (app, title) VALUES ('code', 'main.c — Worktime')" >/dev/null
U=1
# An hour of work at 10:00 local on each of the last four days.
q "INSERT INTO activity (started_at, device_id, duration_ms, window_id, afk)
   SELECT (d::date + time '10:00') AT TIME ZONE '$TZ_NAME', 1, 3600000, 1, false
   FROM generate_series(date '$TODAY' - 3, date '$TODAY' - 1, interval '1 day') d" >/dev/null
days() { q "SELECT string_agg((day - date '$TODAY')::text || ':' || (tracked_ms / 60000), ' ' ORDER BY day)
            FROM report_days($U, date '$TODAY' - 3, date '$TODAY', '$TZ_NAME')"; }
cached() { q "SELECT coalesce(string_agg((day - date '$TODAY')::text, ' ' ORDER BY day), '')
              FROM report_day_cache WHERE user_id = $U"; }

is "$(days)" "-3:60 -2:60 -1:60 0:0" "report_days: an hour on each past day"
is "$(cached)" "-3 -2" "only days that ended two hours ago are kept (yesterday ended less than that ago)"
is "$(days)" "-3:60 -2:60 -1:60 0:0" "... and the figures are the same read from the cache"

# A report of this person holds the cache lock (shared) while it runs.
KEY=$(q "SELECT report_cache_lock_key($U)")
"$WT_ROOT/stack" psql -d "$db" -qAt -c "BEGIN" -c "SELECT pg_advisory_xact_lock_shared(7242009, $KEY)" \
	-c "SELECT pg_sleep(30)" >/dev/null 2>&1 &
HOLDER=$!
for _ in $(seq 100); do
	[ "$(q "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = $KEY")" = 1 ] && break
	sleep 0.1
done
is "$(q "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = $KEY")" 1 \
	"(a report holds the person's cache lock)"
OUT=$(q "SET lock_timeout = '2s';
         INSERT INTO activity VALUES (now() - interval '10 minutes', 1, 60000, 1, false)")
is "$OUT" "" "minutes-old spans are stored without waiting for the report"
OUT=$(q "SET lock_timeout = '1s';
         INSERT INTO activity VALUES (now() - interval '10 minutes', 1, 1000, 1, false),
                                     ((date '$TODAY' - 2 + time '12:00') AT TIME ZONE '$TZ_NAME', 1, 60000, 1, false)")
like "$OUT" "lock timeout" "a batch with a span of two days ago waits for the report (it must forget that day)"
kill "$HOLDER" 2>/dev/null; wait "$HOLDER" 2>/dev/null; HOLDER=
q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$db' AND query LIKE '%pg_sleep%' AND pid <> pg_backend_pid()" >/dev/null

q "INSERT INTO activity VALUES ((date '$TODAY' - 2 + time '12:00') AT TIME ZONE '$TZ_NAME', 1, 1800000, 1, false)" >/dev/null
is "$(cached)" "-3" "a span of two days ago forgets that day, and only that day"
is "$(days)" "-3:60 -2:90 -1:60 0:1" "... which is computed again with it"
is "$(cached)" "-3 -2" "... and kept again"
q "DELETE FROM activity WHERE started_at = (date '$TODAY' - 3 + time '10:00') AT TIME ZONE '$TZ_NAME'" >/dev/null
is "$(cached)" "-2" "deleting a span forgets its day"
is "$(days)" "-3:0 -2:90 -1:60 0:1" "... and the day is empty"

done_testing
