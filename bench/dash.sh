#!/usr/bin/env bash
# Report pages on a year of one person's activity, measured in one run:
#   1. GET /healthz through nginx over HTTPS: the floor;
#   2. the day, week and month pages (HTML, signed in with an access
#      token): the first request with nothing cached (every finished day
#      computed from the spans), then p50/p95 with wrk, warm;
#   3. a year's CSV export: the first (which computes and keeps the days
#      nobody looked at yet), then the median of five with the days kept,
#      size, and the resident memory of the dash workers sampled every
#      20 ms while they stream.
#
#   ./stack up
#   bench/dash.sh [DURATION] [CONNECTIONS]          (default 15s 4)
#
# The data comes from bench/gen: one person (prefix dash), 365 days ending
# yesterday, about 1,500 spans a working day; generated once and reused
# (GEN=1 makes it again).  Against the running ./stack up instance (BASE,
# default https://localhost:8443; its PostgreSQL under var/pg).  Prints
# figures only; run by hand, never in CI.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BASE=${BASE:-https://localhost:${WORKTIME_HTTPS_PORT:-8443}}
DURATION=${1:-15s}
CONNS=${2:-4}
THREADS=2
export PGHOST=${PGHOST:-$ROOT/var/pg/run} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-worktime}
export PGDATABASE=${PGDATABASE:-worktime}

command -v wrk >/dev/null || { echo "bench: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
curl -sf --insecure "$BASE/healthz" >/dev/null || { echo "bench: $BASE is not answering (./stack up)" >&2; exit 1; }
[ -x "$ROOT/build/bench/gen" ] || { echo "bench: build/bench/gen is missing (./stack up builds it)" >&2; exit 1; }
sql() { psql -X -q -At -v ON_ERROR_STOP=1 -c "$1"; }
TMP=$(mktemp -d /tmp/dash-bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

email=dash1-1@gen.worktime.test
# Retention long enough to keep the year: before it is made, so that the
# nightly job (which ./stack up runs) never deletes what is generated.
sql "UPDATE settings SET retention_days = greatest(retention_days, 400)" >/dev/null
if [ "${GEN:-0}" = 1 ] || [ -z "$(sql "SELECT 1 FROM users WHERE email = '$email'")" ]; then
	echo "-- generating a year for one person (bench/gen --people 1 --days 365)"
	# The year's months need their partitions before the spans arrive.
	sql "SELECT activity_ensure_partitions((now() - interval '13 months')::date, 14)" >/dev/null
	"$ROOT/build/bench/gen" --people 1 --days 365 --prefix dash --seed 1 --quiet \
		"host=$PGHOST port=$PGPORT dbname=$PGDATABASE user=$PGUSER"
fi
uid=$(sql "SELECT id FROM users WHERE email = '$email'")
tz=$(sql "SELECT timezone FROM users WHERE id = $uid")
spans=$(sql "SELECT count(*) FROM activity a JOIN devices d ON d.id = a.device_id WHERE d.user_id = $uid")
range=$(sql "SELECT min(started_at AT TIME ZONE '$tz')::date || ' ' || max(started_at AT TIME ZONE '$tz')::date
	FROM activity a JOIN devices d ON d.id = a.device_id WHERE d.user_id = $uid")
read -r first last <<<"$range"
# The busiest recent day, and its week and month.
day=$(sql "SELECT (a.started_at AT TIME ZONE '$tz')::date FROM activity a JOIN devices d ON d.id = a.device_id
	WHERE d.user_id = $uid AND a.started_at > now() - interval '10 days'
	GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
daycount=$(sql "SELECT count(*) FROM activity a JOIN devices d ON d.id = a.device_id WHERE d.user_id = $uid
	AND (a.started_at AT TIME ZONE '$tz')::date = '$day'")
token=$(curl -sf --insecure -H 'Content-Type: application/json' \
	-d "{\"email\":\"$email\",\"password\":\"gen-bench-password\"}" "$BASE/api/v1/token" |
	sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
[ -n "$token" ] || { echo "bench: no access token for $email" >&2; exit 1; }
auth=(-H "Authorization: Bearer $token")

echo "== $(nproc) CPUs; PostgreSQL $(sql 'SHOW server_version'); wrk -t$THREADS -c$CONNS -d$DURATION"
echo "   one person ($tz), $spans spans from $first to $last; day $day has $daycount spans"

wrk_run() {  # wrk_run NAME URL
	wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "${auth[@]}" "$2" >"$TMP/$1" 2>&1
	awk -v n="$1" '
		/Requests\/sec/ { rps = $2 }
		/^ +50%/ { p50 = $2 } /^ +90%/ { p90 = $2 } /^ +99%/ { p99 = $2 }
		/Non-2xx/ { bad = $NF }
		END { printf "    %-8s %8.0f req/s   p50 %-8s p90 %-8s p99 %-8s%s\n", n, rps, p50, p90, p99,
		      bad ? "  NON-2xx: " bad : "" }' "$TMP/$1"
}
# p95 from wrk's own percentiles is not printed; a Lua-free way: 1,000
# sequential requests with curl, sorted.
p95() {  # p95 URL N
	for _ in $(seq 1 "$2"); do
		curl -s --insecure -o /dev/null -w '%{time_total}\n' "${auth[@]}" "$1"
	done | sort -n | awk '{ v[NR] = $1 } END {
		printf "p50 %.1f ms  p95 %.1f ms  max %.1f ms (%d sequential requests)", \
		v[int(NR * .50)] * 1000, v[int(NR * .95)] * 1000, v[NR] * 1000, NR }'
}

echo "-- first requests, nothing cached (every finished day computed from its spans)"
sql "DELETE FROM report_day_cache WHERE user_id = $uid" >/dev/null
for p in "day/$day" "week/$day" "month/$day"; do
	printf '    %-22s %s\n' "/$p" "$(curl -s --insecure -o /dev/null -w '%{http_code} %{time_total}s' "${auth[@]}" "$BASE/$p")"
done
printf '    %-22s %s\n' "/month/$day (again)" "$(curl -s --insecure -o /dev/null -w '%{http_code} %{time_total}s' "${auth[@]}" "$BASE/month/$day")"

echo "-- warm: wrk, $CONNS connections, beside /healthz"
wrk_run healthz "$BASE/healthz"
wrk_run day "$BASE/day/$day"
wrk_run week "$BASE/week/$day"
wrk_run month "$BASE/month/$day"
echo "-- warm: one request at a time"
for p in "day/$day" "week/$day" "month/$day" healthz; do
	printf '    %-22s %s\n' "/$p" "$(p95 "$BASE/$p" 300)"
done

# CPU time per request of each part, from /proc: what a page costs
# whatever else the machine is doing (latencies above include the queue
# for the CPUs when it is busy).
echo "-- CPU per request (100 sequential requests; dash workers, PostgreSQL backends, nginx workers)"
ticks() {  # ticks PID...: user + system clock ticks
	local t=0 p
	for p in "$@"; do
		[ -r "/proc/$p/stat" ] && t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat")))
	done
	echo "$t"
}
hz=$(getconf CLK_TCK)
dash_pids=$(ps --ppid "$(cat "$ROOT/var/run/dash.pid")" -o pid=)
nginx_pids=$(ps --ppid "$(cat "$ROOT/var/run/nginx.pid")" -o pid=)
for p in "day/$day" "week/$day" "month/$day" healthz; do
	curl -s --insecure -o /dev/null "${auth[@]}" "$BASE/$p"
	pg_pids=$(sql "SELECT pid FROM pg_stat_activity WHERE datname = current_database()
		AND backend_type = 'client backend' AND pid <> pg_backend_pid()")
	a=$(ticks $dash_pids); b=$(ticks $pg_pids); c=$(ticks $nginx_pids)
	for _ in $(seq 1 100); do curl -s --insecure -o /dev/null "${auth[@]}" "$BASE/$p"; done
	a=$(($(ticks $dash_pids) - a)); b=$(($(ticks $pg_pids) - b)); c=$(($(ticks $nginx_pids) - c))
	awk -v p="/$p" -v a="$a" -v b="$b" -v c="$c" -v hz="$hz" 'BEGIN {
		printf "    %-22s dash %4.1f ms  PostgreSQL %4.1f ms  nginx %4.1f ms\n", p,
		a * 1000 / hz / 100, b * 1000 / hz / 100, c * 1000 / hz / 100 }'
done

echo "-- a year's export (CSV, $first to $last), streamed"
sup=$(cat "$ROOT/var/run/dash.pid")
workers=$(ps --ppid "$sup" -o pid= | tr -s ' \n' ' ')
rss() { for w in $workers; do awk '/^VmRSS/ { print $2 }' "/proc/$w/status"; done | sort -n | tail -1; }
export_once() {
	curl -s --insecure -o "$TMP/year.csv" -w '%{http_code} %{time_total} %{size_download}\n' "${auth[@]}" \
		"$BASE/export.csv?from=$first&to=$last"
}
# The first export computes and keeps every finished day nobody looked at.
read -r code secs bytes < <(export_once)
echo "    first (days not kept yet): HTTP $code in ${secs}s"
before=$(rss)
( while :; do rss; sleep 0.02; done ) >"$TMP/rss" &
sampler=$!
pg_pids=$(sql "SELECT pid FROM pg_stat_activity WHERE datname = current_database()
	AND backend_type = 'client backend' AND pid <> pg_backend_pid()")
a=$(ticks $dash_pids); b=$(ticks $pg_pids); c=$(ticks $nginx_pids)
for _ in 1 2 3 4 5; do export_once; done >"$TMP/export"
a=$(($(ticks $dash_pids) - a)); b=$(($(ticks $pg_pids) - b)); c=$(($(ticks $nginx_pids) - c))
kill "$sampler" 2>/dev/null || true
wait "$sampler" 2>/dev/null || true
rows=$(($(wc -l <"$TMP/year.csv") - 1))
peak=$(sort -n "$TMP/rss" | tail -1)
sort -k2 -n "$TMP/export" | awk -v rows="$rows" 'NR == 3 { code = $1; bytes = $3 }
	{ t[NR] = $2 } END { printf "    kept: HTTP %s, %d rows, %d MiB; 5 runs: median %ss (min %ss, max %ss)\n",
	code, rows, bytes / 1048576, t[3], t[1], t[5] }'
echo "    largest dash worker: ${before} kB before, ${peak} kB at most during the exports"
awk -v a="$a" -v b="$b" -v c="$c" -v hz="$hz" 'BEGIN {
	printf "    CPU per export: dash %.0f ms, PostgreSQL %.0f ms, nginx %.0f ms\n",
	a * 1000 / hz / 5, b * 1000 / hz / 5, c * 1000 / hz / 5 }'
sql "SELECT format('    report_day_cache: %s rows for this person', count(*)) FROM report_day_cache WHERE user_id = $uid"

# 009's insert trigger on activity is gone once ingest forgets the
# cached days itself (015); its cost is measured only while it exists.
if [ -n "$(sql "SELECT 1 FROM pg_trigger WHERE tgname = 'report_cache_activity_inserted'")" ]; then
	echo "-- what keeping the cache right costs ingest: the year's spans again into a scratch device,"
	echo "   1,000-span INSERT statements (ingest's batch size), with the cache trigger and without"
	dev=$(sql "INSERT INTO devices (user_id, name) VALUES ($uid, 'dash-bench-scratch') RETURNING id")
	timed_load() {
		sql "DO \$\$
		DECLARE t0 timestamptz := clock_timestamp(); n integer := $spans; i integer := 0;
		BEGIN
			CREATE TEMP TABLE src AS SELECT row_number() OVER (ORDER BY a.started_at) AS k, a.*
			FROM activity a JOIN devices d ON d.id = a.device_id
			WHERE d.user_id = $uid AND a.device_id <> $dev;
			t0 := clock_timestamp();
			WHILE i < n LOOP
				INSERT INTO activity (started_at, device_id, duration_ms, window_id, afk)
				SELECT started_at, $dev, duration_ms, window_id, afk FROM src WHERE k > i AND k <= i + 1000;
				i := i + 1000;
			END LOOP;
			RAISE NOTICE '%', round(n / extract(epoch FROM clock_timestamp() - t0));
		END \$\$" 2>&1 | sed -n 's/.*NOTICE: *//p'
		sql "DELETE FROM activity WHERE device_id = $dev" >/dev/null
	}
	with=$(timed_load)
	sql "ALTER TABLE activity DISABLE TRIGGER report_cache_activity_inserted" >/dev/null
	without=$(timed_load)
	sql "ALTER TABLE activity ENABLE TRIGGER report_cache_activity_inserted" >/dev/null
	sql "DELETE FROM devices WHERE id = $dev" >/dev/null
	awk -v a="$with" -v b="$without" 'BEGIN { printf "    %.0f spans/s with the trigger, %.0f without: %.1f %% slower\n", a, b, (b - a) * 100 / b }'
fi
