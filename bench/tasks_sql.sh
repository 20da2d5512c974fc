#!/usr/bin/env bash
# task_event() alone, without nginx, FastCGI or the token check: pgbench
# runs it as the API does, one event a transaction, each client a person
# of its own sending NEXT mostly, a PAUSE and its resume every ten and an
# EXIT every fifty (as bench/tasks_events.lua), beside two yardsticks in
# the same run: SELECT 1 (the round trip) and a one-row INSERT (a commit
# that waits for the disk, as every event's does).
#
#   bench/tasks_sql.sh [SECONDS] [CLIENTS]     (default 10 8)
#
# Against the running ./stack up instance's PostgreSQL (var/pg).  Makes
# its own people (bench-tasksql-*) and a scratch table, dropped after.
# Prints figures only; run by hand, never in CI.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECS=${1:-10}
CLIENTS=${2:-8}
export PGHOST=${PGHOST:-$ROOT/var/pg/run} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-worktime}
export PGDATABASE=${PGDATABASE:-worktime}

command -v pgbench >/dev/null || { echo "bench: pgbench is not installed (postgresql-contrib)" >&2; exit 1; }
sql() { psql -X -q -At -v ON_ERROR_STOP=1 -c "$1"; }
TMP=$(mktemp -d /tmp/tasks-sql-bench.XXXXXX)
trap 'rm -rf "$TMP"; sql "DROP TABLE IF EXISTS bench_tasksql_insert" || true' EXIT

# One person per client, numbered from the first one's id.
tag=bench-tasksql-$(date +%s)
sql "INSERT INTO users (email, display_name)
     SELECT '$tag-' || i || '@bench.worktime.test', 'Bench SQL ' || i
     FROM generate_series(1, $CLIENTS) i"
first=$(sql "SELECT min(id) FROM users WHERE email LIKE '$tag-%'")
[ "$(sql "SELECT max(id) - min(id) + 1 FROM users WHERE email LIKE '$tag-%'")" = "$CLIENTS" ] ||
	{ echo "bench: the people's ids are not consecutive" >&2; exit 1; }

cat >"$TMP/event.sql" <<EOF
\set uid $first + :client_id
\set k random(1, 50)
\set r random(1, 1000000000000)
SELECT status FROM task_event(:uid, 'tsql-' || :r,
    CASE WHEN :k = 50 THEN 'EXIT' WHEN :k % 10 IN (5, 6) THEN 'PAUSE' ELSE 'NEXT' END,
    clock_timestamp(), interval '60 minutes', NULL);
EOF
echo 'SELECT 1;' >"$TMP/select.sql"
sql "CREATE TABLE bench_tasksql_insert (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v text)"
echo "INSERT INTO bench_tasksql_insert (v) VALUES ('x');" >"$TMP/insert.sql"

run() {  # run NAME FILE
	local tps
	tps=$(pgbench -n -c "$CLIENTS" -j 2 -T "$SECS" -f "$2" 2>&1 |
		sed -n 's/^tps = \([0-9.]*\).*/\1/p')
	printf '    %-34s %8.0f tx/s\n' "$1" "$tps"
}

echo "== $(nproc) CPUs; PostgreSQL $(sql 'SHOW server_version'); pgbench -c $CLIENTS -T $SECS"
run "SELECT 1" "$TMP/select.sql"
run "INSERT of one row" "$TMP/insert.sql"
run "task_event()" "$TMP/event.sql"
echo "    $(sql "SELECT count(*) FROM task_events e JOIN users u ON u.id = e.user_id
              WHERE u.email LIKE '$tag-%'") events stored"
