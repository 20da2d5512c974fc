#!/usr/bin/env bash
# bench/agent.sh [MINUTES] [SWITCH-SECONDS]: worktime-agent's footprint
# (issue 10).  Runs the agent as people run it (default settings: a poll a
# second, the policy's intervals) under its own Xvfb for MINUTES (10)
# while the window in front changes every SWITCH-SECONDS (3), against the
# dev instance (./stack up), then prints:
#
#   memory   RSS, PSS and USS (Private_Clean + Private_Dirty) from
#            /proc/PID/smaps_rollup at the end; goal: USS under 3 MiB
#   CPU      user + system time over the run (/proc/PID/stat), as a share
#            of one core and per poll; goal: under 0.05 % of one core
#   traffic  HTTP bytes sent and received (requests, answers and their
#            headers, as counted by the agent from libcurl) per hour, and
#            TLS connections opened
#
# SHOTS=SECONDS turns the organisation's screenshots on (blurred) for the
# run, one every SECONDS (agent.conf's screenshot_interval_s), to see what
# they leave resident; the setting is put back at the end.
#
# Figures, not assertions: nothing here fails on a number.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MIN=${1:-10}
SWITCH=${2:-3}
VAR=$(readlink -f "$ROOT/var")
[ -f "$VAR/worktime.conf" ] || { echo "bench/agent.sh: run ./stack up first" >&2; exit 1; }
BASE=$(sed -n 's/^site.url = //p' "$VAR/worktime.conf")
CA=$VAR/tls/cert.pem
# WT_AGENT_BIN / WT_XWIN_BIN: other builds of them (else build/'s).
AGENT=${WT_AGENT_BIN:-$ROOT/build/agent/worktime-agent}
XWIN=${WT_XWIN_BIN:-$ROOT/build/tests/agent/xwin}
if [ -z "${WT_AGENT_BIN:-}" ]; then (cd "$ROOT/build" && make -s agent/worktime-agent tests/agent/xwin); fi
TMP=$(mktemp -d)
PIDS=()
restore=""
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null
	[ -z "$restore" ] || curl -s --cacert "$CA" -H "Authorization: Bearer $token" \
		-H "Content-Type: application/json" --data-raw "$restore" "$BASE/admin/settings" >/dev/null
	rm -rf "$TMP"' EXIT
export XDG_CONFIG_HOME=$TMP/config XDG_STATE_HOME=$TMP/state

email=$(sed -n 's/^email: //p' "$VAR/initial-admin.txt")
pw=$(sed -n 's/^password: //p' "$VAR/initial-admin.txt")
token=$(curl -s --cacert "$CA" -H 'Content-Type: application/json' \
	--data-raw "$(jq -cn --arg e "$email" --arg p "$pw" '{email: $e, password: $p}')" \
	"$BASE/api/v1/token" | jq -r .access_token)
code=$(curl -s --cacert "$CA" -H "Authorization: Bearer $token" -H 'Accept: application/json' \
	-H 'Content-Type: application/json' --data-raw '{"device_name": "bench agent"}' \
	"$BASE/admin/devices/codes" | jq -r .code)
"$AGENT" enroll "$BASE" "$code" --ca-file "$CA" >/dev/null
if [ -n "${SHOTS:-}" ]; then
	restore=$(curl -s --cacert "$CA" -H "Authorization: Bearer $token" -H 'Accept: application/json' \
		"$BASE/admin/settings" | jq -c '{screenshot_mode, screenshot_blur}')
	curl -s --cacert "$CA" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
		--data-raw '{"screenshot_mode": "interval", "screenshot_blur": true}' \
		"$BASE/admin/settings" >/dev/null
	echo "screenshot_interval_s = $SHOTS" >>"$XDG_CONFIG_HOME/worktime/agent.conf"
fi

Xvfb -displayfd 3 -nolisten tcp 3>"$TMP/display" 2>/dev/null &
PIDS+=($!)
for _ in $(seq 1 100); do [ -s "$TMP/display" ] && break; sleep 0.1; done
export DISPLAY=:$(head -1 "$TMP/display")

# Four windows; the one in front changes every SWITCH seconds, and its
# title with it, for MIN minutes.
{
	for i in 1 2 3 4; do echo "new $i App$i Window $i"; done
	n=$(( MIN * 60 / SWITCH ))
	for k in $(seq 1 "$n"); do
		w=$(( k % 4 + 1 ))
		echo "title $w Window $w, step $k — é 漢字"
		echo "activate $w"
		echo "sleep $(( SWITCH * 1000 ))"
	done
} >"$TMP/script"

"$AGENT" run 2>"$TMP/agent.log" &
apid=$!
PIDS+=("$apid")
sleep 2
hz=$(getconf CLK_TCK)
cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
c0=$(cpu "$apid")
t0=$(date +%s%N)
"$XWIN" <"$TMP/script" >/dev/null
c1=$(cpu "$apid")
t1=$(date +%s%N)
mem() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$apid/smaps_rollup"; }
rss=$(mem Rss); pss=$(mem Pss)
uss=$(( $(mem Private_Clean) + $(mem Private_Dirty) ))
st=$XDG_STATE_HOME/worktime/status
sent=$(sed -n 's/^bytes_sent //p' "$st"); recv=$(sed -n 's/^bytes_received //p' "$st")
conns=$(sed -n 's/^connections //p' "$st")
secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
polls=$(awk -v s="$secs" 'BEGIN { printf "%d", s }')
spans=$(grep -c 'uploaded batch' "$TMP/agent.log" || true)
shots=$(grep -c 'screenshot [0-9]* taken' "$TMP/agent.log" || true)

echo "worktime-agent footprint: $MIN min under Xvfb, the window in front changing every $SWITCH s"
echo "  (agent $("$AGENT" --version | cut -d' ' -f2), poll every 1 s, uploads every 60 s, heartbeats every 30 s)"
[ -z "${SHOTS:-}" ] || echo "  screenshots on, blurred, one every $SHOTS s: $shots taken"
printf '  memory at the end:  USS %.2f MiB   (RSS %.2f MiB, PSS %.2f MiB)\n' \
	"$(awk -v v="$uss" 'BEGIN { print v / 1024 }')" "$(awk -v v="$rss" 'BEGIN { print v / 1024 }')" \
	"$(awk -v v="$pss" 'BEGIN { print v / 1024 }')"
awk -v c="$(( c1 - c0 ))" -v hz="$hz" -v s="$secs" -v p="$polls" 'BEGIN {
	t = c / hz
	printf "  CPU:                %.2f s in %.0f s = %.3f %% of one core; %.0f us per poll (%d polls, uploads included)\n", t, s, 100 * t / s, 1e6 * t / p, p }'
awk -v b="$sent" -v r="$recv" -v s="$secs" -v n="$conns" -v u="$spans" 'BEGIN {
	printf "  traffic:            %.0f KiB sent and %.0f KiB received per hour (HTTP, headers included); %d TLS connections, %d uploads\n", b / 1024 * 3600 / s, r / 1024 * 3600 / s, n, u }'
