#!/usr/bin/env bash
# Sign-ins per second through nginx and TLS: POST /api/v1/token with the
# first admin's e-mail and password (one scrypt verification each), and the
# time of one sign-in measured by curl.
#
# nginx limits /api/v1/token to 20 requests/s per address; to measure the
# programs rather than the limit, bring the instance up with a high limit:
#   WORKTIME_AUTH_RATE=100000r/s WORKTIME_AUTH_BURST=100000 ./stack up
#   bench/login.sh [DURATION] [CONNECTIONS]
# and run ./stack up again afterwards to restore it.
set -euo pipefail
cd "$(dirname "$0")/.."
base=${BASE:-https://localhost:8443}
duration=${1:-10s}
conns=${2:-4}
email=$(sed -n 's/^email: //p' var/initial-admin.txt)
pw=$(sed -n 's/^password: //p' var/initial-admin.txt)
body=$(jq -cn --arg e "$email" --arg p "$pw" '{email: $e, password: $p}')

echo "== one sign-in, 20 times (curl, new TLS connection each)"
for i in $(seq 1 20); do
	curl -s -o /dev/null -w '%{time_total} %{time_appconnect}\n' --cacert var/tls/cert.pem \
		-H 'Content-Type: application/json' --data-raw "$body" "$base/api/v1/token"
done | awk '{ t += $1; tls += $2 } END { printf "mean %.1f ms, of which TLS handshake %.1f ms\n", 1000 * t / NR, 1000 * tls / NR }'

script=$(mktemp --suffix=.lua)
trap 'rm -f "$script"' EXIT
cat >"$script" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '$body'
LUA
echo "== wrk -t2 -c$conns -d$duration -s (POST /api/v1/token) $base/api/v1/token"
wrk -t2 -c"$conns" -d"$duration" --latency -s "$script" "$base/api/v1/token" |
	grep -E 'Requests/sec|Latency|50%|99%|Non-2xx|Socket errors'
