#!/usr/bin/env bash
# Screenshots, measured on this machine:
#   1. the agent: CPU time and peak memory to capture, blur and encode one
#      1920x1080 screenshot (tests/agent/shotone: the agent's own capture,
#      shrink, blur and JPEG code, under Xvfb at 1920x1080 showing a window
#      full of text), blurred and unblurred, median of RUNS;
#   2. the server, in one run: GET /healthz requests/s (the FastCGI floor),
#      then uploads/s of a ~200 KB JPEG through nginx to
#      POST /api/v1/screenshots (wrk + bench/screenshots.lua), every upload
#      a new seq, from DEVICES devices in turn (nginx allows a device 20
#      requests/s): the image checked, hashed, its row written;
#      the file is the same, so after the first it is found in the store
#      and not written again (content-addressed).
#
#   bench/screenshots.sh [DURATION] [CONNECTIONS] [RUNS] [DEVICES]
#                                              (default 15s 8 7 64)
#
# Against the running ./stack up instance (BASE, default
# https://localhost:${WORKTIME_HTTPS_PORT:-8443}; its PostgreSQL under
# var/pg).  It makes a person and devices (bench-shots-*) and turns
# screenshots on for the run (the setting is put back).  Prints figures
# only; run by hand, never in CI.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BASE=${BASE:-https://localhost:${WORKTIME_HTTPS_PORT:-8443}}
DURATION=${1:-15s}
CONNS=${2:-8}
RUNS=${3:-7}
DEVICES=${4:-64}
THREADS=2
export PGHOST=${PGHOST:-$ROOT/var/pg/run} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-worktime}
export PGDATABASE=${PGDATABASE:-worktime}

for c in wrk Xvfb; do
	command -v $c >/dev/null || { echo "bench: $c is not installed" >&2; exit 1; }
done
curl -sf --insecure "$BASE/healthz" >/dev/null || { echo "bench: $BASE is not answering (./stack up)" >&2; exit 1; }
(cd "$ROOT/build" && make -s tests/agent/shotone tests/agent/xwin) || exit 1
sql() { psql -X -q -At -v ON_ERROR_STOP=1 -c "$1"; }
TMP=$(mktemp -d /tmp/shots-bench.XXXXXX)
PIDS=()
orig=""
cleanup() {
	local p
	[ -n "$orig" ] && sql "UPDATE settings SET screenshot_mode = '$orig'" >/dev/null
	touch "$TMP/go"
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	rm -rf "$TMP"
}
trap cleanup EXIT
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# --- the agent ----------------------------------------------------------------------
Xvfb -displayfd 3 -nolisten tcp -screen 0 1920x1080x24 3>"$TMP/display" 2>/dev/null &
PIDS+=($!)
for _ in $(seq 1 100); do [ -s "$TMP/display" ] && break; sleep 0.1; done
export DISPLAY=":$(head -1 "$TMP/display")"
# About 1,900 characters (xwin reads lines of up to 2,047), over half the screen.
text=$(for i in $(seq 1 38); do printf 'Quarterly report %d: costs, plans. ' "$i"; done)
printf 'text 1 2 %s\nwait %s\n' "$text" "$TMP/go" | "$ROOT/build/tests/agent/xwin" >"$TMP/xwin" &
PIDS+=($!)
for _ in $(seq 1 100); do grep -q text "$TMP/xwin" 2>/dev/null && break; sleep 0.1; done

echo "== $(nproc) CPUs; agent: one 1920x1080 screenshot (Xvfb, a window of text), median of $RUNS"
for mode in blurred plain; do
	arg=(); [ $mode = plain ] && arg=(--plain)
	for _ in $(seq 1 "$RUNS"); do "$ROOT/build/tests/agent/shotone" "${arg[@]}" "$TMP/$mode.jpg"; done \
		>"$TMP/$mode.runs"
	cpu=$(sed -n 's/.*cpu \([0-9.]*\) ms.*/\1/p' "$TMP/$mode.runs" | median)
	peak=$(sed -n 's/.*peak +\([0-9]*\) kB.*/\1/p' "$TMP/$mode.runs" | median)
	printf '    %-8s %s; CPU %s ms; peak memory +%s kB\n' "$mode" \
		"$(head -1 "$TMP/$mode.runs" | sed 's/, cpu.*//')" "$cpu" "$peak"
done

# --- the server -----------------------------------------------------------------------
. "$ROOT/bench/devices.sh"
uid=$(bench_devices "bench-shots-$(date +%s)" "$DEVICES" "$TMP")
orig=$(sql "SELECT screenshot_mode FROM settings")
sql "UPDATE settings SET screenshot_mode = 'interval'" >/dev/null
# The image: the unblurred screenshot of the text above, about 200 KB.
img=$TMP/plain.jpg
rate() { sed -n 's/^Requests\/sec: *//p' "$1"; }
wrk_run() {  # wrk_run OUT [wrk args...]
	local out=$1; shift
	wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$@" >"$out" 2>&1
	grep -E 'Requests/sec|50%|99%|Non-2xx|Socket errors' "$out" | sed 's/^/    /'
}
echo "== server: PostgreSQL $(sql 'SHOW server_version'); wrk -t$THREADS -c$CONNS -d$DURATION;" \
	"image $(stat -c %s "$img") bytes; $DEVICES devices"
echo "-- GET /healthz"
wrk_run "$TMP/healthz" "$BASE/healthz"
echo "-- POST /api/v1/screenshots"
IMG=$img TOKENS=$TMP/tokens TAKEN=$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ) \
	wrk_run "$TMP/shots" -s "$ROOT/bench/screenshots.lua" "$BASE/api/v1/screenshots"
secs=$(sed -n 's/.*requests in \([0-9.]*\)s.*/\1/p' "$TMP/shots")
stored=$(sql "SELECT count(*) FROM screenshots WHERE user_id = $uid")
echo "    $stored screenshots stored in ${secs}s ($(awk -v n="$stored" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')/s)"
echo "== summary"
awk -v h="$(rate "$TMP/healthz")" -v e="$(rate "$TMP/shots")" -v kb="$(stat -c %s "$img")" 'BEGIN {
	printf "    healthz %.0f req/s; uploads %.0f/s (%.1f MB/s) = %.2f of healthz\n", h, e, e * kb / 1e6, e / h }'
