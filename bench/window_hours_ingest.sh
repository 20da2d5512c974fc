#!/usr/bin/env bash
# What sql/024 (the categories pages' time kept by the hour) costs an
# INSERT into activity.  One 100-span INSERT under EXPLAIN (ANALYZE,
# TIMING OFF), RUNS times in one session, each rolled back to a
# savepoint, for
#   recent  spans of the last minutes (what ingest stores: the trigger
#           returns after min(started_at));
#   old     spans of two days ago (an agent catching up: the day cache's
#           days and the kept hours and day are forgotten); "hour kept"
#           is the first such insert since a page kept the hour and its
#           day (deleting their rows), "already forgotten" any later one
#           until a page keeps them again (nothing left to delete);
# each with the database as it is ("024": BRIN index on started_at, 024's
# trigger) and as before 024 (in the same transaction, rolled back: the
# BRIN index dropped and 023's trigger function put back), the variants
# alternating ROUNDS times.  Prints min / median "Execution Time" (ms),
# which includes the statement trigger.
#
#   ./stack up
#   bench/window_hours_ingest.sh [RUNS] [ROUNDS]      (default 60 2)
#
# Against the ./stack up instance's PostgreSQL (var/pg).  Makes a scratch
# person and device and deletes them after.  Prints figures only; run by
# hand, never in CI.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${1:-60}
ROUNDS=${2:-2}
export PGHOST=${PGHOST:-$ROOT/var/pg/run} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-worktime}
export PGDATABASE=${PGDATABASE:-worktime}
sql() { psql -X -q -At -v ON_ERROR_STOP=1 -c "$1"; }

[ -n "$(sql "SELECT to_regclass('window_hours')")" ] ||
	{ echo "bench: sql/024 is not applied here" >&2; exit 1; }
tag=whi-$(date +%s)
uid=$(sql "INSERT INTO users (email, display_name, role, status)
	VALUES ('$tag@bench.worktime.test', 'Bench $tag', 'member', 'active') RETURNING id")
dev=$(sql "INSERT INTO devices (user_id, name) VALUES ($uid, '$tag') RETURNING id")
win=$(sql "SELECT (windows_intern(ARRAY['bench-app'], ARRAY['$tag'], ARRAY['']))[1]")
trap 'sql "DELETE FROM users WHERE id = $uid" >/dev/null' EXIT

old_trigger=$(sed -n '/^CREATE OR REPLACE FUNCTION report_cache_activity_changed/,/^END \$\$;/p' \
	"$ROOT/sql/023_activity_device_changes.sql")
before="DROP INDEX activity_started_brin;
$old_trigger"

forgotten="SELECT window_hours_forget(ARRAY(SELECT DISTINCT
	date_trunc('hour', now() - interval '2 days' - i * interval '2 s', 'UTC')
	FROM generate_series(1, 100) i));"

# run NAME SETUP AGE: min / median of RUNS inserts of spans AGE old.
run() {
	local name=$1 setup=$2 age=$3
	{
		echo "BEGIN;"
		echo "$setup"
		for _ in $(seq 1 "$RUNS"); do
			echo "SAVEPOINT s;"
			echo "EXPLAIN (ANALYZE, TIMING OFF, COSTS OFF)
				INSERT INTO activity (started_at, device_id, duration_ms, window_id, afk)
				SELECT now() - $age - i * interval '2 s', $dev, 1500, $win, false
				FROM generate_series(1, 100) i;"
			echo "ROLLBACK TO SAVEPOINT s;"
		done
		echo "ROLLBACK;"
	} | psql -X -q -At -v ON_ERROR_STOP=1 | sed -n 's/^Execution Time: \([0-9.]*\) ms$/\1/p' |
		sort -n | awk -v n="$name" '{ v[NR] = $1 } END {
			printf "    %-34s min %.3f ms  median %.3f ms  (%d runs)\n", n, v[1], v[int((NR + 1) / 2)], NR }'
}

# The hours and the day two days ago kept, as after a page view.
sql "SELECT window_hours_fill(now() - interval '3 days', now() - interval '1 day')" >/dev/null
echo "== PostgreSQL $(sql 'SHOW server_version'); $(sql "SELECT count(*) FROM activity") spans stored; 100-span INSERTs, $RUNS runs each"
echo "   rows kept for the hour and the UTC day two days ago: $(sql "SELECT (SELECT count(*) FROM window_hours
	WHERE hour = date_trunc('hour', now() - interval '2 days', 'UTC')) || ' and ' || (SELECT count(*)
	FROM window_days WHERE day = ((now() - interval '2 days') AT TIME ZONE 'UTC')::date)")"
for r in $(seq 1 "$ROUNDS"); do
	echo "-- round $r"
	run "recent spans, before 024" "$before" "interval '5 min'"
	run "recent spans, 024" "" "interval '5 min'"
	run "2-day-old spans, before 024" "$before" "interval '2 days'"
	run "2-day-old spans, 024, hour kept" "" "interval '2 days'"
	run "2-day-old spans, 024, already forgotten" "$forgotten" "interval '2 days'"
done
