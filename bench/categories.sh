#!/usr/bin/env bash
# The categories pages on an organisation's worth of activity, in one run:
# GET /healthz through nginx over HTTPS (the floor), then the pages that
# read every person's last 7 days: the list of rules (/admin/categories),
# the builder (/admin/categories/builder), a preview (POST
# /admin/categories/preview), and one click of the builder (a rule made
# from a word, re-categorising every stored window) with its deletion.
#
#   ./stack up
#   bench/categories.sh [N]        (N sequential requests a page, default 30)
#
# The data comes from bench/gen: 200 people (prefix cat), 30 days ending
# yesterday, about 1,500 spans a working day; generated once and reused
# (GEN=1 makes it again).  One of them is made an admin to sign in with.
# Against the running ./stack up instance (BASE, default
# https://localhost:8443; its PostgreSQL under var/pg).  Prints figures
# only; run by hand, never in CI.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BASE=${BASE:-https://localhost:${WORKTIME_HTTPS_PORT:-8443}}
N=${1:-30}
export PGHOST=${PGHOST:-$ROOT/var/pg/run} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-worktime}
export PGDATABASE=${PGDATABASE:-worktime}

curl -sf --insecure "$BASE/healthz" >/dev/null || { echo "bench: $BASE is not answering (./stack up)" >&2; exit 1; }
[ -x "$ROOT/build/bench/gen" ] || { echo "bench: build/bench/gen is missing (./stack up builds it)" >&2; exit 1; }
sql() { psql -X -q -At -v ON_ERROR_STOP=1 -c "$1"; }

email=cat3-1@gen.worktime.test
if [ "${GEN:-0}" = 1 ] || [ -z "$(sql "SELECT 1 FROM users WHERE email = '$email'")" ]; then
	echo "-- generating 30 days for 200 people (bench/gen --people 200 --days 30)"
	sql "SELECT activity_ensure_partitions((now() - interval '2 months')::date, 3)" >/dev/null
	"$ROOT/build/bench/gen" --people 200 --days 30 --prefix cat --seed 3 --quiet \
		"host=$PGHOST port=$PGPORT dbname=$PGDATABASE user=$PGUSER"
fi
sql "UPDATE users SET role = 'admin' WHERE email = '$email'" >/dev/null
week=$(sql "SELECT count(*) || ' spans, ' || count(DISTINCT window_id) || ' windows'
	FROM activity WHERE started_at >= now() - interval '7 days'")
all=$(sql "SELECT count(*) FROM windows")
token=$(curl -sf --insecure -H 'Content-Type: application/json' \
	-d "{\"email\":\"$email\",\"password\":\"gen-bench-password\"}" "$BASE/api/v1/token" |
	sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
[ -n "$token" ] || { echo "bench: no access token for $email" >&2; exit 1; }
auth=(-H "Authorization: Bearer $token")

echo "== $(nproc) CPUs; PostgreSQL $(sql 'SHOW server_version'); $N sequential requests each"
echo "   last 7 days: $week; $all windows stored; $(sql 'SELECT count(*) FROM categories') rules"

# times CURL-ARGS...: p50, p95 and max of N sequential requests.
times() {
	for _ in $(seq 1 "$N"); do
		curl -s --insecure -o /dev/null -w '%{http_code} %{time_total}\n' "${auth[@]}" "$@"
	done | awk '$1 >= 400 { bad++ } { print $2 }  END { if (bad) print "NON-2xx " bad > "/dev/stderr" }' |
		sort -n | awk '{ v[NR] = $1 } END {
		m = int((NR + 1) / 2); q = int(NR * .95); if (q < 1) q = 1
		printf "p50 %6.1f ms  p95 %6.1f ms  max %6.1f ms", v[m] * 1000, v[q] * 1000, v[NR] * 1000 }'
}
printf '    %-34s %s\n' "GET /healthz" "$(times "$BASE/healthz")"
printf '    %-34s %s\n' "GET /admin/categories" "$(times "$BASE/admin/categories")"
printf '    %-34s %s\n' "GET /admin/categories/builder" "$(times "$BASE/admin/categories/builder")"
printf '    %-34s %s\n' "POST preview (title: jira|slack)" "$(times -H 'Content-Type: application/json' \
	-d '{"title_re":"jira|slack"}' "$BASE/admin/categories/preview")"
printf '    %-34s %s\n' "GET /healthz (again)" "$(times "$BASE/healthz")"

echo "-- one click: a rule from the builder's top word, then deleting it (each re-categorises)"
word=$(curl -s --insecure "${auth[@]}" -H 'Accept: application/json' "$BASE/admin/categories/builder" |
	sed -n 's/.*"words":\[{"word":"\([^"]*\)".*/\1/p')
[ -n "$word" ] || word=bench
for i in 1 2 3; do
	out=$(curl -s --insecure "${auth[@]}" -H 'Content-Type: application/json' -w ' %{time_total}' \
		-d "{\"word\":\"$word\"}" "$BASE/admin/categories/quick")
	id=$(sed -n 's/^{"id":\([0-9]*\).*/\1/p' <<<"$out")
	made=${out##* }
	n=$(sed -n 's/.*"windows":\([0-9]*\).*/\1/p' <<<"$out")
	del=$(curl -s --insecure -o /dev/null "${auth[@]}" -H 'Accept: application/json' -w '%{time_total}' \
		-X POST "$BASE/admin/categories/$id/delete")
	printf '    make "%s" (%s windows): %.0f ms   delete: %.0f ms\n' "$word" "$n" \
		"$(awk -v s="$made" 'BEGIN { print s * 1000 }')" "$(awk -v s="$del" 'BEGIN { print s * 1000 }')"
done
