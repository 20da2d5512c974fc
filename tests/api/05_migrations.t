#!/usr/bin/env bash
# sql/migrate: each migration once, in order, in a transaction; a failing
# one stops the run and leaves the database as it was.
. "$(dirname "$0")/lib.sh"

db=wt_migrate_test_$$
psql_su() { wt_psql -U postgres -d postgres -c "$1"; }
tsql() { wt_psql -d "$db" -c "$1"; }   # sql, in the scratch database
psql_su "CREATE DATABASE $db OWNER worktime" >/dev/null
trap 'psql_su "DROP DATABASE IF EXISTS $db" >/dev/null; rm -rf "$TMPD"' EXIT

dir=$TMPD/sql
mkdir -p "$dir"
chmod 755 "$TMPD" "$dir"
cat >"$dir/001_first.sql" <<'SQL'
CREATE TABLE t1 (id int PRIMARY KEY);
INSERT INTO t1 VALUES (1);
SQL
cat >"$dir/002_second.sql" <<'SQL'
CREATE TABLE t2 (id int);
SQL

migrate() {
	env PGDATABASE=$db PGHOST="$WT_STATE/pg/run" PGUSER=worktime \
		"$WT_ROOT/sql/migrate" "$dir" 2>&1; }

out=$(migrate); rc=$?
is "$rc" 0 "first run succeeds"
like "$out" 'applied 001_first.sql' "applies 001"
like "$out" 'applied 002_second.sql' "applies 002"
is "$(tsql "SELECT string_agg(version, ',' ORDER BY version) FROM schema_migrations")" "001,002" "both recorded in schema_migrations"

out=$(migrate); rc=$?
is "$rc" 0 "second run succeeds"
is "$out" "migrate: no pending migrations" "second run applies nothing and says so"

cat >"$dir/003_broken.sql" <<'SQL'
CREATE TABLE t3 (id int);
INSERT INTO t1 VALUES (2);
INSERT INTO t1 VALUES (1);  -- duplicate key: fails
SQL
cat >"$dir/004_after.sql" <<'SQL'
CREATE TABLE t4 (id int);
SQL
out=$(migrate); rc=$?
ok $(( rc == 0 )) "a failing migration makes the run fail (exit $rc)"
like "$out" 'duplicate key' "PostgreSQL's error is shown"
like "$out" '003_broken.sql failed' "the failing file is named"
is "$(tsql "SELECT to_regclass('t3') IS NULL")" t "the failed migration's table does not exist"
is "$(tsql "SELECT count(*) FROM t1")" 1 "its insert was rolled back"
is "$(tsql "SELECT count(*) FROM schema_migrations WHERE version = '003'")" 0 "it is not recorded"
is "$(tsql "SELECT to_regclass('t4') IS NULL")" t "later migrations did not run"

cat >"$dir/003_broken.sql" <<'SQL'
CREATE TABLE t3 (id int);
SQL
out=$(migrate); rc=$?
is "$rc" 0 "after fixing it the run succeeds"
is "$(tsql "SELECT string_agg(version, ',' ORDER BY version) FROM schema_migrations")" "001,002,003,004" "all four recorded, in order"

echo "-- edited" >>"$dir/001_first.sql"
out=$(migrate); rc=$?
like "$out" 'warning: 001_first.sql changed after it was applied' "editing an applied migration is reported"

cp "$dir/002_second.sql" "$dir/005_Bad-Name.sql"
out=$(migrate); rc=$?
ok $(( rc == 0 )) "a badly named migration file is refused"

# The real schema is fully applied in the test instance.
applied=$(sql "SELECT count(*) FROM schema_migrations")
files=$(ls "$WT_ROOT"/sql/[0-9][0-9][0-9]_*.sql | wc -l)
is "$applied" "$files" "the test database has every migration in sql/ applied"

done_testing
