#!/usr/bin/env bash
# Task events, measured beside the FastCGI floor in one run on this machine:
#   1. GET /healthz requests/s (TLS + nginx + FastCGI + one query);
#   2. task events/s through POST /api/v1/task-events (wrk +
#      bench/tasks_events.lua): the access token checked, the event applied
#      by task_event() under the person's lock, the session's state
#      answered; many people at once, each person's events in order;
#   3. how many of them were applied and how many sessions they made.
# Goal: task events at least half the healthz rate.
#
#   bench/tasks.sh [DURATION] [CONNECTIONS] [PEOPLE]    (default 20s 16 64)
#
# Against the running ./stack up instance (BASE, default
# https://localhost:${WORKTIME_HTTPS_PORT:-8443}; its PostgreSQL under
# var/pg).  It makes its own people (bench-tasks-*); their data stays.
# Prints figures only; run by hand, never in CI.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BASE=${BASE:-https://localhost:${WORKTIME_HTTPS_PORT:-8443}}
DURATION=${1:-20s}
CONNS=${2:-16}
PEOPLE=${3:-64}
THREADS=2
PW=Bench-Tasks-Heron-7741
export PGHOST=${PGHOST:-$ROOT/var/pg/run} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-worktime}
export PGDATABASE=${PGDATABASE:-worktime}

command -v wrk >/dev/null || { echo "bench: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
curl -sf --insecure "$BASE/healthz" >/dev/null || { echo "bench: $BASE is not answering (./stack up)" >&2; exit 1; }
sql() { psql -X -q -At -v ON_ERROR_STOP=1 -c "$1"; }
TMP=$(mktemp -d /tmp/tasks-bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

# People with passwords (as wtctl makes them) and an access token each,
# from /api/v1/token as the widget gets it (its rate limit waited out).
tag=bench-tasks-$(date +%s)
for i in $(seq 1 "$PEOPLE"); do
	printf '%s\n' "$PW" | "$ROOT/var/app/bin/wtctl" --config "$ROOT/var/worktime.conf" \
		create-user --email "$tag-$i@bench.worktime.test" --name "Bench $i" >/dev/null
	for try in $(seq 1 50); do
		tok=$(curl -s --insecure -H 'Content-Type: application/json' \
			-d "{\"email\":\"$tag-$i@bench.worktime.test\",\"password\":\"$PW\"}" \
			"$BASE/api/v1/token" | jq -r '.access_token // empty')
		[ -n "$tok" ] && break
		sleep 0.2
	done
	[ -n "$tok" ] || { echo "bench: no token for person $i" >&2; exit 1; }
	echo "$tok"
done >"$TMP/tokens"
people="SELECT id FROM users WHERE email LIKE '$tag-%'"

rate() { sed -n 's/^Requests\/sec: *//p' "$1"; }
wrk_run() {  # wrk_run OUT [wrk args...]
	local out=$1; shift
	wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$@" >"$out" 2>&1
	grep -E 'Requests/sec|50%|99%|Non-2xx|Socket errors' "$out" | sed 's/^/    /'
}

echo "== $(nproc) CPUs; PostgreSQL $(sql 'SHOW server_version'); wrk -t$THREADS -c$CONNS -d$DURATION; $PEOPLE people"
echo "-- GET /healthz"
wrk_run "$TMP/healthz" "$BASE/healthz"

echo "-- POST /api/v1/task-events"
TOKENS=$TMP/tokens THREADS=$THREADS RUN=$tag T0_MS=$(( ($(date +%s) - 300) * 1000 )) \
	wrk_run "$TMP/events" -s "$ROOT/bench/tasks_events.lua" "$BASE/api/v1/task-events"
secs=$(sed -n 's/.*requests in \([0-9.]*\)s.*/\1/p' "$TMP/events")
stored=$(sql "SELECT count(*) FROM task_events WHERE user_id IN ($people)")
echo "    $stored events stored in ${secs}s ($(awk -v n="$stored" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')/s);" \
	"$(sql "SELECT count(*) FROM task_sessions WHERE user_id IN ($people)") sessions," \
	"$(sql "SELECT count(*) FROM task_tasks t JOIN task_sessions s ON s.id = t.session_id WHERE s.user_id IN ($people)") tasks"

echo "== summary"
awk -v h="$(rate "$TMP/healthz")" -v e="$(rate "$TMP/events")" 'BEGIN {
	printf "    healthz %.0f req/s; task events %.0f/s = %.2f of healthz (goal: at least 0.50)\n", h, e, e / h }'
