#!/usr/bin/env bash
# The nightly job (wtctl nightly) on PEOPLE people's DAYS days, in one
# team whose manager's zone is not everyone's:
#   1. the first run, nothing kept: every finished day of everyone in
#      their zone and the manager's, since DAYS days ago (--days);
#   2. the same again, everything kept: what a daily run costs when
#      nothing happened;
#   3. retention moved so that the older half of the days expires: the
#      spans deleted device by device, the kept days and batch records
#      with them.
#
#   ./stack up
#   bench/nightly.sh [PEOPLE] [DAYS]                 (default 50 14)
#
# In a scratch database (wt_nightly_bench; KEEP=1 keeps it) on the
# PostgreSQL of a running `./stack up` (var/pg, or PGHOST), filled with
# bench/gen (about 1,500 spans a working day each), with the installed
# wtctl (var/app) and a copy of var/worktime.conf naming that database.
# Prints figures only; changes nothing outside its scratch database.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PEOPLE=${1:-50}
DAYS=${2:-14}
DB=${DB:-wt_nightly_bench}
VAR=$(cd "$ROOT/var" && pwd -P)
export PGHOST=${PGHOST:-$VAR/pg/run} PGPORT=${PGPORT:-5432}
GEN=${GEN:-$ROOT/build/bench/gen}
WTCTL=$VAR/app/bin/wtctl
SU=${PGSUPERUSER:-postgres}
USR=${PGUSER:-worktime}

[ -x "$GEN" ] || { echo "nightly: $GEN not built (./stack up builds it)" >&2; exit 1; }
[ -x "$WTCTL" ] || { echo "nightly: $WTCTL not installed (./stack up)" >&2; exit 1; }
psql -X -q -U "$USR" -d postgres -c 'SELECT 1' >/dev/null 2>&1 ||
	{ echo "nightly: no PostgreSQL at $PGHOST (./stack up first)" >&2; exit 1; }

su_sql() { psql -X -q -v ON_ERROR_STOP=1 -U "$SU" -d postgres -c "$1" >/dev/null; }
sql()    { psql -X -q -At -v ON_ERROR_STOP=1 -U "$USR" -d "$DB" -c "$1"; }
TMP=$(mktemp -d /tmp/nightly-bench.XXXXXX)
cleanup() {
	rm -rf "$TMP"
	[ "${KEEP:-0}" = 1 ] || su_sql "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
}
trap cleanup EXIT

su_sql "DROP DATABASE IF EXISTS $DB"
su_sql "CREATE DATABASE $DB OWNER $USR"
PGUSER=$USR PGDATABASE=$DB "$ROOT/sql/migrate" "$ROOT/sql" >/dev/null
sed -e "s|^db.conninfo = .*|db.conninfo = host=$PGHOST port=$PGPORT dbname=$DB user=$USR connect_timeout=3|" \
    -e "s|^screenshots.dir = .*|screenshots.dir = $TMP/shots|" "$VAR/worktime.conf" >"$TMP/conf"

echo "== PostgreSQL $(sql 'SHOW server_version'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== bench/gen --people $PEOPLE --days $DAYS --team (ending today)"
sql "SELECT count(*) FROM activity_ensure_partitions((now() - interval '$((DAYS + 31)) days')::date, 3)" >/dev/null
"$GEN" --quiet --people "$PEOPLE" --days "$DAYS" --end "$(date -u +%F)" --prefix night --seed 5 \
	--team "Bench nightly" "host=$PGHOST port=$PGPORT dbname=$DB user=$USR"
# The manager in a zone of their own, so every member's days are kept twice.
sql "UPDATE users SET timezone = CASE WHEN timezone = 'America/New_York' THEN 'Asia/Tokyo'
                                      ELSE 'America/New_York' END
     WHERE id = (SELECT user_id FROM team_members WHERE role = 'manager' LIMIT 1)" >/dev/null
sql "SELECT format('   %s people, %s spans, %s zones (%s)', (SELECT count(*) FROM users),
        (SELECT count(*) FROM activity), count(DISTINCT timezone), string_agg(DISTINCT timezone, ' '))
     FROM users"

run() {  # run LABEL ARGS...: one timed run, its lines indented
	local label=$1 t0 t1 rc=0
	shift
	t0=$(date +%s.%N)
	"$WTCTL" --config "$TMP/conf" nightly "$@" >"$TMP/out" 2>&1 || rc=$?
	t1=$(date +%s.%N)
	awk -v l="$label" -v a="$t0" -v b="$t1" -v rc="$rc" \
		'BEGIN { printf "== %s: %.2f s (exit %s)\n", l, b - a, rc }'
	grep -E 'spans: deleted|report cache|batches|report days|window days' "$TMP/out" | sed 's/^/   /'
}
run "1. first run, nothing kept (--days $DAYS)" --days "$DAYS"
sql "SELECT format('   report_day_cache: %s rows, %s', count(*), pg_size_pretty(pg_total_relation_size('report_day_cache')))
     FROM report_day_cache"
run "2. again, everything kept" --days "$DAYS"
sql "UPDATE settings SET retention_days = $((DAYS / 2))" >/dev/null
run "3. retention $((DAYS / 2)) days: the older half expires" --days "$DAYS"
