#!/usr/bin/env bash
# The team page with a team of 200 people and 30 days each, measured in
# one run beside /healthz:
#   1. GET /healthz through nginx over HTTPS: the floor;
#   2. /team/ID (HTML, signed in as the team's manager with an access
#      token): the first request with nothing kept (every member's week
#      computed), with the finished days cached, with the members' rows
#      kept (sql/018); the whole team out of date and what the refresh
#      after the answer costs; then p50 and p95 with wrk (a Lua `done`
#      prints the 95th percentile) beside /healthz, warm;
#   3. /team/ID/hours for the month and its CSV (/team/ID/hours.csv), and
#      the resident memory of the dash workers during the CSV;
#   4. what the count of activity changes (sql/023, in the statement trigger)
#      costs 1,000-span INSERTs.
#
#   ./stack up
#   bench/team.sh [DURATION] [CONNECTIONS]          (default 15s 4)
#
# The data comes from bench/gen: 200 people (prefix team), 30 days ending
# today (so today is a whole generated day: the worst case, every
# member's today computed from about 1,500 spans), about 1,500 spans a
# working day, all in the team "Bench team 200" whose manager is the
# first of them.  Generated once and reused (GEN=1 makes it again).
# Against the running ./stack up instance (BASE, default
# https://localhost:8443; its PostgreSQL under var/pg).  Prints figures
# only; run by hand, never in CI.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BASE=${BASE:-https://localhost:${WORKTIME_HTTPS_PORT:-8443}}
DURATION=${1:-15s}
CONNS=${2:-4}
THREADS=2
PEOPLE=${PEOPLE:-200}
DAYS=${DAYS:-30}
TEAM="Bench team $PEOPLE"
export PGHOST=${PGHOST:-$ROOT/var/pg/run} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-worktime}
export PGDATABASE=${PGDATABASE:-worktime}

command -v wrk >/dev/null || { echo "bench: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
curl -sf --insecure "$BASE/healthz" >/dev/null || { echo "bench: $BASE is not answering (./stack up)" >&2; exit 1; }
[ -x "$ROOT/build/bench/gen" ] || { echo "bench: build/bench/gen is missing (./stack up builds it)" >&2; exit 1; }
sql() { psql -X -q -At -v ON_ERROR_STOP=1 -c "$1"; }
TMP=$(mktemp -d /tmp/team-bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

email=team7-1@gen.worktime.test
team=$(sql "SELECT id FROM teams WHERE name = '$TEAM'")
if [ "${GEN:-0}" = 1 ] || [ -z "$team" ] ||
   [ "$(sql "SELECT count(*) FROM team_members WHERE team_id = $team")" != "$PEOPLE" ]; then
	echo "-- generating $PEOPLE people, $DAYS days each (bench/gen --people $PEOPLE --days $DAYS --team ...)"
	sql "SELECT activity_ensure_partitions((now() - interval '$((DAYS + 31)) days')::date, 3)" >/dev/null
	t0=$SECONDS
	"$ROOT/build/bench/gen" --people "$PEOPLE" --days "$DAYS" --end "$(date -u +%F)" --prefix team \
		--seed 7 --team "$TEAM" --quiet "host=$PGHOST port=$PGPORT dbname=$PGDATABASE user=$PGUSER"
	echo "   took $((SECONDS - t0)) s"
	team=$(sql "SELECT id FROM teams WHERE name = '$TEAM'")
fi
tz=$(sql "SELECT timezone FROM users WHERE email = '$email'")
spans=$(sql "SELECT count(*) FROM activity a JOIN devices d ON d.id = a.device_id
	JOIN team_members m ON m.user_id = d.user_id WHERE m.team_id = $team")
today=$(sql "SELECT count(*) FROM activity a JOIN devices d ON d.id = a.device_id
	JOIN team_members m ON m.user_id = d.user_id WHERE m.team_id = $team
	AND a.started_at >= (now() AT TIME ZONE '$tz')::date::timestamp AT TIME ZONE '$tz'")
zones=$(sql "SELECT count(DISTINCT u.timezone) FROM users u JOIN team_members m ON m.user_id = u.id
	WHERE m.team_id = $team")
token=$(curl -sf --insecure -H 'Content-Type: application/json' \
	-d "{\"email\":\"$email\",\"password\":\"gen-bench-password\"}" "$BASE/api/v1/token" |
	sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
[ -n "$token" ] || { echo "bench: no access token for $email" >&2; exit 1; }
auth=(-H "Authorization: Bearer $token")

echo "== $(nproc) CPUs; PostgreSQL $(sql 'SHOW server_version'); wrk -t$THREADS -c$CONNS -d$DURATION"
echo "   team $team: $PEOPLE people in $zones zones, $spans spans; $today of them today (manager's zone $tz)"

cat >"$TMP/p95.lua" <<'EOF'
done = function(summary, latency, requests)
	io.write(string.format("P95 %.2f\n", latency:percentile(95) / 1000))
end
EOF
wrk_run() {  # wrk_run NAME URL
	wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s "$TMP/p95.lua" "${auth[@]}" "$2" \
		>"$TMP/$1" 2>&1
	awk -v n="$1" '
		/Requests\/sec/ { rps = $2 }
		/^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 } /^P95/ { p95 = $2 "ms" }
		/Non-2xx/ { bad = $NF }
		END { printf "    %-8s %8.0f req/s   p50 %-8s p95 %-9s p99 %-8s%s\n", n, rps, p50, p95, p99,
		      bad ? "  NON-2xx: " bad : "" }' "$TMP/$1"
}
once() {  # once URL
	curl -s --insecure -o /dev/null -w '%{http_code} %{time_total}s %{size_download} bytes' "${auth[@]}" "$1"
}

members="SELECT user_id FROM team_members WHERE team_id = $team"
echo "-- first requests: nothing kept (no member's row, no finished day cached)"
sql "DELETE FROM report_day_cache WHERE user_id IN ($members)" >/dev/null
sql "DELETE FROM report_team_rows WHERE user_id IN ($members)" >/dev/null
printf '    %-28s %s\n' "/team/$team" "$(once "$BASE/team/$team")"
sql "DELETE FROM report_team_rows WHERE user_id IN ($members)" >/dev/null
printf '    %-28s %s\n' "/team/$team (days cached)" "$(once "$BASE/team/$team")"
printf '    %-28s %s\n' "/team/$team (rows kept)" "$(once "$BASE/team/$team")"
# Every member's devices count a change (as a statement storing their
# activity does), so every kept row is out of date.
stale_all() {
	sql "INSERT INTO activity_device_changes AS k (device_id, n)
	     SELECT id, 1 FROM devices WHERE user_id IN ($members)
	     ON CONFLICT (device_id) DO UPDATE SET n = k.n + 1" >/dev/null
}
echo "-- the whole team out of date (as when all are at work): served as kept, refreshed after"
stale_all
printf '    %-28s %s\n' "/team/$team" "$(once "$BASE/team/$team")"
stale_all
printf '    %-28s %s\n' "team_today_refresh (psql)" \
	"$(psql -X -q -At -c '\timing on' -c "SELECT team_today_refresh($team, '$tz')" | tr '\n' ' ')"

echo "-- warm: wrk, $CONNS connections, beside /healthz"
wrk_run healthz "$BASE/healthz"
wrk_run team "$BASE/team/$team"
wrk_run json "$BASE/team/$team.json"

month=$(sql "SELECT to_char((now() AT TIME ZONE '$tz')::date - $((DAYS - 1)), 'YYYY-MM-DD')")
now=$(sql "SELECT to_char((now() AT TIME ZONE '$tz')::date, 'YYYY-MM-DD')")
echo "-- working hours, $month to $now ($PEOPLE people x $DAYS days)"
hours="$BASE/team/$team/hours?from=$month&to=$now"
pending() { curl -s --insecure "${auth[@]}" -H 'Accept: application/json' "$hours" |
	sed -n 's/.*"pending": *\([0-9]*\).*/\1/p'; }
sql "DELETE FROM report_day_cache WHERE user_id IN ($members) AND tz = '$tz'" >/dev/null
printf '    %-28s %s\n' "page, no day kept" "$(once "$hours")"
echo "    ... $(pending) people left to compute after the answer (reports.compute_ms)"
t0=$SECONDS
while [ "$(pending)" != 0 ] && [ $((SECONDS - t0)) -lt 600 ]; do sleep 5; done
echo "    ... all computed within $((SECONDS - t0)) s of the second request"
printf '    %-28s %s\n' "page, days kept" "$(once "$hours")"
printf '    %-28s %s\n' "page, days kept, again" "$(once "$hours")"
sql "DELETE FROM report_day_cache WHERE user_id IN ($members) AND tz = '$tz'" >/dev/null
printf '    %-28s %s\n' "CSV, no day kept" "$(once "$BASE/team/$team/hours.csv?from=$month&to=$now")"
sup=$(cat "$ROOT/var/run/dash.pid")
workers=$(ps --ppid "$sup" -o pid= | tr -s ' \n' ' ')
rss() { for w in $workers; do awk '/^VmRSS/ { print $2 }' "/proc/$w/status"; done | sort -n | tail -1; }
before=$(rss)
( while :; do rss; sleep 0.02; done ) >"$TMP/rss" &
sampler=$!
printf '    %-28s %s\n' "CSV" "$(once "$BASE/team/$team/hours.csv?from=$month&to=$now")"
kill "$sampler" 2>/dev/null || true
wait "$sampler" 2>/dev/null || true
echo "    largest dash worker: ${before} kB before, $(sort -n "$TMP/rss" | tail -1) kB at most during the CSV"

echo "-- what counting changes costs inserts: 60,000 spans of the last hour into a scratch device,"
echo "   1,000-span INSERT statements, with the statement trigger (report_cache_activity_inserted:"
echo "   the device's change count, sql/023) and without"
uid=$(sql "SELECT id FROM users WHERE email = '$email'")
dev=$(sql "INSERT INTO devices (user_id, name) VALUES ($uid, 'team-bench-scratch') RETURNING id")
timed_load() {
	sql "DO \$\$
	DECLARE t0 timestamptz; n integer := 60000; i integer := 0;
	BEGIN
		CREATE TEMP TABLE src AS SELECT row_number() OVER (ORDER BY a.started_at) AS k, a.*
		FROM activity a JOIN devices d ON d.id = a.device_id
		WHERE d.user_id = $uid AND a.device_id <> $dev ORDER BY a.started_at LIMIT 60000;
		t0 := clock_timestamp();
		WHILE i < n LOOP
			INSERT INTO activity (started_at, device_id, duration_ms, window_id, afk)
			SELECT now() - interval '55 minutes' + k * interval '50 ms', $dev, 50, window_id, afk
			FROM src WHERE k > i AND k <= i + 1000;
			i := i + 1000;
		END LOOP;
		RAISE NOTICE '%', round(n / extract(epoch FROM clock_timestamp() - t0));
	END \$\$" 2>&1 | sed -n 's/.*NOTICE: *//p'
	sql "DELETE FROM activity WHERE device_id = $dev" >/dev/null
}
for _ in 1 2 3; do
	with=$(timed_load)
	sql "ALTER TABLE activity DISABLE TRIGGER report_cache_activity_inserted" >/dev/null
	without=$(timed_load)
	sql "ALTER TABLE activity ENABLE TRIGGER report_cache_activity_inserted" >/dev/null
	echo "    $with spans/s with the trigger, $without without"
done
sql "DELETE FROM devices WHERE id = $dev" >/dev/null
