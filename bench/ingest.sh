#!/usr/bin/env bash
# Activity ingest, measured side by side in one run on this machine:
#   1. GET /healthz requests/s: the FastCGI floor (TLS + nginx + FastCGI +
#      one query);
#   2. spans/s through POST /api/v1/activity, 100-span batches from many
#      devices over HTTPS (wrk + bench/ingest_batch.lua);
#   3. the same spans loaded straight into the same tables with COPY: the
#      physical limit of storing them here;
#   4. heartbeats/s through POST /api/v1/heartbeat (bench/ingest_heartbeat.lua);
#   5. bytes per stored span, including indexes.
#
#   WORKTIME_DEVICE_RATE=1000000r/s ./stack up      (lift the per-device limit)
#   bench/ingest.sh [DURATION] [CONNECTIONS] [DEVICES]    (default 20s 16 64)
#   NEW_EVERY=N: one span in N names a window never seen before (default
#   30, as bench/gen's people after their first week).  Each device may make
#   ingest.new_windows_per_hour (3,000) an hour; past it spans go under the
#   placeholder window, so for N below 30 or runs past 20 s lift it in
#   var/worktime.conf
#   CATCHUP=1: spans from forty days back (an agent catching up) instead of
#   the last hour
#
# Against the running ./stack up instance (BASE, default
# https://localhost:8443; its PostgreSQL under var/pg).  It makes its own
# person and devices; their data stays (bench people are named bench-*).
# Prints figures only; run by hand, never in CI.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BASE=${BASE:-https://localhost:${WORKTIME_HTTPS_PORT:-8443}}
DURATION=${1:-20s}
CONNS=${2:-16}
DEVICES=${3:-64}
THREADS=2
export PGHOST=${PGHOST:-$ROOT/var/pg/run} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-worktime}
export PGDATABASE=${PGDATABASE:-worktime}

command -v wrk >/dev/null || { echo "bench: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
curl -sf --insecure "$BASE/healthz" >/dev/null || { echo "bench: $BASE is not answering (./stack up)" >&2; exit 1; }
sql() { psql -X -q -At -v ON_ERROR_STOP=1 -c "$1"; }
TMP=$(mktemp -d /tmp/ingest-bench.XXXXXX)
chmod 755 "$TMP"
trap 'rm -rf "$TMP"' EXIT

. "$ROOT/bench/devices.sh"
uid=$(bench_devices "bench-$(date +%s)" "$DEVICES" "$TMP")
devs="SELECT id FROM devices WHERE user_id = $uid"

rate() { sed -n 's/^Requests\/sec: *//p' "$1"; }
wrk_run() {  # wrk_run OUT [wrk args...]
	local out=$1; shift
	wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$@" >"$out" 2>&1
	grep -E 'Requests/sec|50%|99%|Non-2xx|Socket errors' "$out" | sed 's/^/    /'
}

echo "== $(nproc) CPUs; PostgreSQL $(sql 'SHOW server_version'); wrk -t$THREADS -c$CONNS -d$DURATION; $DEVICES devices; one new window in ${NEW_EVERY:-30} spans; spans $([ "${CATCHUP:-0}" = 1 ] && echo "from 40 days back" || echo "of the last hour")"
echo "-- GET /healthz"
wrk_run "$TMP/healthz" "$BASE/healthz"

echo "-- POST /api/v1/activity, 100 spans a batch"
before=$(sql "SELECT count(*) FROM activity WHERE device_id IN ($devs)")
# Live agents send minutes-old spans: each device's batches start 55
# minutes ago and step 100 ms a span, so every span is from the last hour
# (the cache triggers' fast path, sql/015 and sql/023).  CATCHUP=1: spans
# of 10 s from forty days back, as an agent that was offline sends them
# (the slow path, which forgets the cached days they touch).
if [ "${CATCHUP:-0}" = 1 ]; then t0=$(( $(date +%s) - 40 * 86400 )) step=10000
else t0=$(( $(date +%s) - 55 * 60 )) step=100; fi
TOKENS=$TMP/tokens T0=$t0 STEP_MS=$step THREADS=$THREADS \
	wrk_run "$TMP/batch" -s "$ROOT/bench/ingest_batch.lua" "$BASE/api/v1/activity"
after=$(sql "SELECT count(*) FROM activity WHERE device_id IN ($devs)")
secs=$(sed -n 's/.*requests in \([0-9.]*\)s.*/\1/p' "$TMP/batch")
spans=$((after - before))
http_rate=$(awk -v n="$spans" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')
echo "    stored $spans spans in ${secs}s: $http_rate spans/s"

echo "-- the same spans with COPY into the same tables"
sql "\\copy (SELECT * FROM activity WHERE device_id IN ($devs)) TO '$TMP/spans.copy' WITH (FORMAT binary)"
sql "DELETE FROM activity WHERE device_id IN ($devs)"
t0=$(date +%s.%N)
sql "\\copy activity FROM '$TMP/spans.copy' WITH (FORMAT binary)"
t1=$(date +%s.%N)
copy_rate=$(awk -v n="$spans" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / (b - a) }')
echo "    $spans spans in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')s: $copy_rate spans/s"

# Vacuuming what the COPY's DELETE left would otherwise fall on the
# heartbeats measured next (autovacuum), while healthz was measured on a
# settled database; the byte count below needs it done too.
sql "VACUUM ANALYZE activity" >/dev/null

echo "-- POST /api/v1/heartbeat"
TOKENS=$TMP/tokens wrk_run "$TMP/hb" -s "$ROOT/bench/ingest_heartbeat.lua" "$BASE/api/v1/heartbeat"

echo "-- bytes per stored span (every activity partition, indexes included)"
sql "SELECT format('    %s spans, %s bytes/span', count(*),
	round((SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits
	       WHERE inhparent = 'activity'::regclass) / greatest(count(*), 1), 1))
	FROM activity"

echo "== summary"
awk -v h="$(rate "$TMP/healthz")" -v b="$http_rate" -v c="$copy_rate" -v hb="$(rate "$TMP/hb")" 'BEGIN {
	printf "    healthz %.0f req/s; batch ingest %.0f spans/s = %.2f of COPY (%.0f spans/s);\n", h, b, b / c, c
	printf "    heartbeats %.0f/s = %.2f of healthz\n", hb, hb / h }'
