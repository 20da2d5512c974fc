#!/usr/bin/env bash
# COPY rate into activity: the physical limit for storing spans on this
# machine, which HTTP ingest (bench/ingest) is later compared against; and
# bytes per stored span including indexes.
#
#   bench/copy_rate.sh [PEOPLE] [DAYS] [RUNS]     (default 40 30 3)
#
# Against the PostgreSQL of a running `./stack up` (var/pg, or PGHOST), it
# makes a scratch database (wt_copy_bench; KEEP=1 keeps it), applies
# sql/*.sql, fills it with bench/gen (PEOPLE x DAYS, about 1,000,000 spans
# with the defaults, in start order across people as live ingest would
# store them), then:
#   1. bytes per span as gen stored them: every activity partition with its
#      indexes (pg_total_relation_size, after VACUUM) / rows;
#   2. dumps the spans and times COPY ... FROM of all of them into the
#      emptied table, RUNS times each, binary and text, from psql's \copy
#      (client side, through the socket, like any client);
#   3. the same with two COPY streams at once (half the devices each);
#   4. once with a foreign key activity.device_id -> devices, to show what
#      the schema saves by not having one;
#   5. bytes per span after a bulk load in device order.
# Prints figures only; changes nothing outside its scratch database.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PEOPLE=${1:-40}
DAYS=${2:-30}
RUNS=${3:-3}
DB=${DB:-wt_copy_bench}
export PGHOST=${PGHOST:-$ROOT/var/pg/run} PGPORT=${PGPORT:-5432}
GEN=${GEN:-$ROOT/build/bench/gen}
SU=${PGSUPERUSER:-postgres}
USR=${PGUSER:-worktime}

[ -x "$GEN" ] || { echo "copy_rate: $GEN not built (./stack up builds it)" >&2; exit 1; }
psql -X -q -U "$USR" -d postgres -c 'SELECT 1' >/dev/null 2>&1 ||
	{ echo "copy_rate: no PostgreSQL at $PGHOST (./stack up first)" >&2; exit 1; }

su_sql() { psql -X -q -v ON_ERROR_STOP=1 -U "$SU" -d postgres -c "$1" >/dev/null; }
sql()    { psql -X -q -At -v ON_ERROR_STOP=1 -U "$USR" -d "$DB" -c "$1"; }
TMP=$(mktemp -d /tmp/copy_rate.XXXXXX)
chmod 755 "$TMP"
cleanup() {
	rm -rf "$TMP"
	[ "${KEEP:-0}" = 1 ] || su_sql "DROP DATABASE IF EXISTS $DB" || true
}
trap cleanup EXIT

su_sql "DROP DATABASE IF EXISTS $DB"
su_sql "CREATE DATABASE $DB OWNER $USR"
PGUSER=$USR PGDATABASE=$DB "$ROOT/sql/migrate" "$ROOT/sql" >/dev/null

echo "== PostgreSQL $(sql 'SHOW server_version'), shared_buffers $(sql 'SHOW shared_buffers')," \
	"$(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo) RAM"
echo "== bench/gen --people $PEOPLE --days $DAYS --seed 1 (COPY binary, one per day, start order)"
"$GEN" --quiet --people "$PEOPLE" --days "$DAYS" --seed 1 "dbname=$DB user=$USR"

SIZE_SQL="SELECT count(*) FROM activity"
bytes_per_span() {  # label
	sql "VACUUM ANALYZE activity" >/dev/null
	sql "SELECT format('%s: %s spans, heap %s, indexes %s, total %s = %s bytes/span (heap %s + index %s)',
	        '$1', n, pg_size_pretty(h), pg_size_pretty(i), pg_size_pretty(h + i),
	        round((h + i)::numeric / n, 1), round(h::numeric / n, 1), round(i::numeric / n, 1))
	     FROM (SELECT (SELECT count(*) FROM activity) AS n,
	                  sum(pg_table_size(inhrelid)) AS h, sum(pg_indexes_size(inhrelid)) AS i
	           FROM pg_inherits WHERE inhparent = 'activity'::regclass) s"
}
echo "== bytes per stored span (every activity partition: heap, FSM/VM, TOAST, indexes)"
bytes_per_span "as gen stored them"
sql "SELECT format('windows (shared by all spans): %s rows, %s with indexes = %s bytes/window, %s bytes/span amortised',
        n, pg_size_pretty(t), round(t::numeric / n), round(t::numeric / (SELECT count(*) FROM activity), 1))
     FROM (SELECT count(*) AS n, pg_total_relation_size('windows') AS t FROM windows) s"

N=$(sql "$SIZE_SQL")
COLS="started_at, device_id, duration_ms, window_id, afk"
sql "\\copy (SELECT $COLS FROM activity ORDER BY started_at, device_id) TO '$TMP/spans.bin' (FORMAT binary)"
sql "\\copy (SELECT $COLS FROM activity ORDER BY started_at, device_id) TO '$TMP/spans.txt'"
for k in 0 1; do
	sql "\\copy (SELECT $COLS FROM activity WHERE device_id % 2 = $k ORDER BY started_at, device_id) TO '$TMP/half$k.bin' (FORMAT binary)"
done
sql "\\copy (SELECT $COLS FROM activity ORDER BY device_id, started_at) TO '$TMP/bydevice.bin' (FORMAT binary)"
echo "== $N spans; files: binary $(du -h "$TMP/spans.bin" | cut -f1), text $(du -h "$TMP/spans.txt" | cut -f1)"

fresh() { sql "TRUNCATE activity" >/dev/null; psql -X -q -U "$SU" -d "$DB" -c CHECKPOINT >/dev/null; }
copy_once() {  # file format -> seconds
	local t0 t1
	t0=$EPOCHREALTIME
	sql "\\copy activity ($COLS) FROM '$1' (FORMAT $2)" >/dev/null
	t1=$EPOCHREALTIME
	echo "$t0 $t1" | awk '{printf "%.3f", $2 - $1}'
}
rate() { echo "$1 $2" | awk '{printf "%.0f", $1 / $2}'; }
report() {  # label seconds...
	local label=$1; shift
	printf '%s\n' "$@" | sort -n | awk -v n="$N" -v l="$label" '
		{ t[NR] = $1 } END {
			m = t[int((NR + 1) / 2)]
			printf "%-34s best %6.2f s = %8.0f spans/s, median %6.2f s = %8.0f spans/s (%d runs)\n",
			       l, t[1], n / t[1], m, n / m, NR }'
}

echo "== COPY into an emptied activity (all partitions truncated, checkpoint before each run)"
for fmt in binary text; do
	f=$TMP/spans.bin; [ "$fmt" = text ] && f=$TMP/spans.txt
	times=()
	for _ in $(seq "$RUNS"); do
		fresh
		times+=("$(copy_once "$f" "$fmt")")
	done
	report "COPY $fmt, 1 stream" "${times[@]}"
done

times=()
for _ in $(seq "$RUNS"); do
	fresh
	t0=$EPOCHREALTIME
	sql "\\copy activity ($COLS) FROM '$TMP/half0.bin' (FORMAT binary)" >/dev/null &
	p0=$!
	sql "\\copy activity ($COLS) FROM '$TMP/half1.bin' (FORMAT binary)" >/dev/null &
	p1=$!
	wait "$p0" "$p1"
	times+=("$(echo "$t0 $EPOCHREALTIME" | awk '{printf "%.3f", $2 - $1}')")
done
report "COPY binary, 2 streams" "${times[@]}"
[ "$(sql "$SIZE_SQL")" = "$N" ] || { echo "copy_rate: row count differs after COPY" >&2; exit 1; }

fresh
sql "ALTER TABLE activity ADD CONSTRAINT activity_device_fk FOREIGN KEY (device_id) REFERENCES devices (id)"
report "COPY binary, 1 stream, with an FK" "$(copy_once "$TMP/spans.bin" binary)"
sql "ALTER TABLE activity DROP CONSTRAINT activity_device_fk"

fresh
copy_once "$TMP/spans.bin" binary >/dev/null
bytes_per_span "COPY in start order (as ingest)"
fresh
copy_once "$TMP/bydevice.bin" binary >/dev/null
bytes_per_span "COPY in device order (bulk)"

# Categorising, on the windows gen stored (one call per batch in ingest).
echo "== categorising $(sql 'SELECT count(*) FROM windows') windows with $(sql 'SELECT count(*) FROM categories') rules"
sql "SELECT windows_recategorise()" >/dev/null   # warm
psql -X -q -At -U "$USR" -d "$DB" -v ON_ERROR_STOP=1 2>&1 <<'SQL' | sed 's/^.*NOTICE:  //'
CREATE TEMP TABLE src AS
    SELECT array_agg(app ORDER BY id) a, array_agg(title ORDER BY id) t, array_agg(url ORDER BY id) u
    FROM (SELECT * FROM windows ORDER BY id LIMIT 100) x;
DO $$
DECLARE
    s record; t0 timestamptz; i int; r int[]; n bigint;
    ms numeric;
BEGIN
    t0 := clock_timestamp();
    n := windows_recategorise();
    RAISE NOTICE 'full re-categorisation pass: % ms (% changed)',
        round(extract(epoch FROM clock_timestamp() - t0) * 1000), n;
    t0 := clock_timestamp();
    UPDATE categories SET title_re = title_re || '|Sprint board' WHERE name = 'Work > Planning';
    RAISE NOTICE 'one rule''s title pattern changed (incremental pass): % ms',
        round(extract(epoch FROM clock_timestamp() - t0) * 1000);
    t0 := clock_timestamp();
    INSERT INTO categories (name, title_re) VALUES ('Work > Programming > Rust', '\.rs\M|Cargo\.toml');
    RAISE NOTICE 'a new rule: % ms', round(extract(epoch FROM clock_timestamp() - t0) * 1000);
    SELECT * INTO s FROM src;
    r := windows_intern(s.a, s.t, s.u);
    t0 := clock_timestamp();
    FOR i IN 1..200 LOOP
        r := windows_intern(s.a, s.t, s.u);
    END LOOP;
    RAISE NOTICE 'windows_intern, 100 known windows: % ms a call',
        round(extract(epoch FROM clock_timestamp() - t0) * 1000 / 200, 2);
    t0 := clock_timestamp();
    FOR i IN 1..200 LOOP
        r := windows_intern(s.a[1:95] || ARRAY['code', 'firefox', 'Slack', 'gnome-terminal-server', 'unknown'],
                            s.t[1:95] || ARRAY['n' || i || '.c - x - Visual Studio Code', 'page ' || i || ' — Mozilla Firefox',
                                               '#c' || i || ' - Acme - Slack', 'make ' || i, 'thing ' || i],
                            s.u[1:95] || ARRAY['', 'https://example.com/' || i, '', '', '']);
    END LOOP;
    RAISE NOTICE 'windows_intern, 95 known + 5 new windows: % ms a call',
        round(extract(epoch FROM clock_timestamp() - t0) * 1000 / 200, 2);
END $$;
SQL
