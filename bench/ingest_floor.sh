#!/usr/bin/env bash
# The HTTP floor of a batch: bench/ingest.sh's own 100-span bodies posted
# with Content-Type: text/plain, so ingest.fcgi authenticates the device
# (from its memory after the first time), reads the body and answers 415
# before any database work.  Prints requests/s and the CPU a request of
# wrk, nginx and ingest.fcgi (from /proc, over the middle of the run):
# what TLS, HTTP and FastCGI cost a batch before anything is stored.
#
#   bench/ingest_floor.sh [DURATION] [CONNECTIONS] [DEVICES]   (12s 16 64)
#
# Against the running ./stack up instance, as bench/ingest.sh; run by
# hand, never in CI.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BASE=${BASE:-https://localhost:${WORKTIME_HTTPS_PORT:-8443}}
DURATION=${1:-12s}
CONNS=${2:-16}
DEVICES=${3:-64}
export PGHOST=${PGHOST:-$ROOT/var/pg/run} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-worktime}
export PGDATABASE=${PGDATABASE:-worktime}

command -v wrk >/dev/null || { echo "bench: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
sql() { psql -X -q -At -v ON_ERROR_STOP=1 -c "$1"; }
TMP=$(mktemp -d /tmp/ingest-floor.XXXXXX)
chmod 755 "$TMP"
trap 'rm -rf "$TMP"' EXIT

. "$ROOT/bench/devices.sh"
bench_devices "bench-floor-$(date +%s)" "$DEVICES" "$TMP" >/dev/null

# CPU ticks (user + system) of every process, by command name.
ticks() {
	for p in /proc/[0-9]*; do
		read -r line <"$p/stat" 2>/dev/null || continue
		echo "$line"
	done | sed 's/^\([0-9]*\) (\([^)]*\)) /\1 \2 /' | awk '{ t[$2] += $14 + $15 } END { for (c in t) print c, t[c] }'
}
secs=${DURATION%s}
( sleep $((secs / 4)); ticks >"$TMP/t0"; sleep $((secs / 2)); ticks >"$TMP/t1" ) &
CONTENT_TYPE=text/plain NEW_EVERY=30 TOKENS=$TMP/tokens T0=$(( $(date +%s) - 3300 )) STEP_MS=100 \
	THREADS=2 wrk -t2 -c"$CONNS" -d"$DURATION" -s "$ROOT/bench/ingest_batch.lua" \
	"$BASE/api/v1/activity" >"$TMP/out" 2>&1
wait
rate=$(sed -n 's/^Requests\/sec: *//p' "$TMP/out")
grep -q "Non-2xx" "$TMP/out" || { echo "bench: expected 415 answers" >&2; cat "$TMP/out" >&2; exit 1; }
echo "== HTTP floor: $rate requests/s (each answered 415), wrk -t2 -c$CONNS -d$DURATION, $DEVICES devices"
join <(sort "$TMP/t0") <(sort "$TMP/t1") | awk -v r="$rate" -v s="$((secs / 2))" \
	-v hz="$(getconf CLK_TCK)" '
	$1 == "wrk" || $1 == "nginx" || $1 == "ingest.fcgi" {
		ms = ($3 - $2) / hz / s / r * 1000; tot += ms
		printf "    %-12s %.3f ms of CPU a request\n", $1, ms }
	END { printf "    %-12s %.3f ms\n", "together", tot }'
