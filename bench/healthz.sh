#!/usr/bin/env bash
# Requests/s of GET /healthz through nginx and TLS, against the running
# ./stack up instance (or BASE=https://localhost:9443 for the test one).
# Each answer runs one query in PostgreSQL, so this is the floor of what a
# program can serve: TLS + nginx + FastCGI + libpq round trip.
#
#   bench/healthz.sh [DURATION] [CONNECTIONS]
set -euo pipefail
base=${BASE:-https://localhost:8443}
duration=${1:-10s}
conns=${2:-32}
command -v wrk >/dev/null || { echo "bench: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
curl -sf --insecure "$base/healthz" >/dev/null || { echo "bench: $base/healthz is not answering" >&2; exit 1; }
for path in /healthz /static/css/worktime.css /; do
	echo "== wrk -t2 -c$conns -d$duration $base$path"
	wrk -t2 -c"$conns" -d"$duration" --latency "$base$path" |
		grep -E 'Requests/sec|Latency|50%|99%|Non-2xx|Socket errors'
done
