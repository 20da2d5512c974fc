#!/usr/bin/env bash
# ./stack itself, as far as it can be tried beside the running test
# instance: a WORKTIME_TEST_NAME that could reach out of var/ is refused,
# the instance's own processes are recognised by their pid files, and a
# pid file naming somebody else's process (what a reboot leaves) never gets
# that process signalled.
. "$(dirname "$0")/lib.sh"

stack() { WT_INSTANCE=test "$WT_ROOT/stack" "$@"; }

# --- WORKTIME_TEST_NAME -----------------------------------------------------
# Read-only commands and down: a name that got through would have them
# look at (or stop) whatever the name points to, never start or wipe it.
long=$(printf 'n%.0s' $(seq 1 65))
for name in ../evil a/b /tmp '' . .. x..y .hidden -rf 'x y' 'x;y' 'tést' app pg worktime.conf "$long"; do
	out=$(WORKTIME_TEST_NAME=$name stack status 2>&1); rc=$?
	is "$rc" 1 "WORKTIME_TEST_NAME='${name:0:20}': status refuses it"
	like "$out" "^stack: WORKTIME_TEST_NAME='.*' is not allowed: " "... saying why"
done
out=$(WORKTIME_TEST_NAME=../stackt-$$ stack down 2>&1); rc=$?
is "$rc" 1 "down refuses WORKTIME_TEST_NAME='../stackt-$$' too"
unlike "$out" 'stopped' "... before stopping anything"
out=$(WORKTIME_TEST_NAME=stackt-$$.a_B-9 stack status 2>&1); rc=$?
is "$rc" 0 "a name of letters, digits, '.', '_' and '-' is accepted"

# --- our own processes ------------------------------------------------------
out=$(stack status 2>&1)
for p in auth ingest dash admin nginx; do
	like "$out" "^$p +running \\(pid $(cat "$WT_RUN/$p.pid")\\)" "status: $p runs with the pid in its pid file"
done
like "$out" "^postgres +running \\(pid $(head -1 "$WT_STATE/pg/data/postmaster.pid")\\)" \
	"status: postgres runs with the pid in postmaster.pid"

# --- stale pid files --------------------------------------------------------
# A second instance with nothing running, whose pid files all name a live
# process of the service user (as after a reboot that gave their numbers
# away): the user ./stack signals as and runs pg_ctl as.
name=stackt-$$
fake=$(dirname "$WT_STATE")/$name
svc=$(stat -c %U "$WT_RUN")
as_svc=()
if [ "$(id -u)" -eq 0 ] && [ "$svc" != root ]; then
	as_svc=(setpriv --reuid="$svc" --regid="$svc" --init-groups)
fi
# Not a function: $! must be the sleep itself.  Away from prove's pipe, so
# that it never holds the TAP stream open.
"${as_svc[@]}" sleep 300 </dev/null >/dev/null 2>&1 &
victim=$!
trap 'kill "$victim" 2>/dev/null; rm -rf "$TMPD" "$fake"' EXIT
sh -c 'exit 0' &
dead=$!
wait "$dead"
mkdir -p "$fake/run" "$fake/pg/data"
for p in auth ingest dash admin nginx; do echo "$victim" >"$fake/run/$p.pid"; done
echo 15 >"$fake/pg/data/PG_VERSION"
printf '%s\n%s\n' "$victim" "$fake/pg/data" >"$fake/pg/data/postmaster.pid"
[ "$svc" = "$(id -un)" ] || chown -R "$svc:" "$fake/pg"
chmod 700 "$fake/pg" "$fake/pg/data"

out=$(WORKTIME_TEST_NAME=$name stack status 2>&1)
for p in postgres auth ingest dash admin nginx; do
	like "$out" "^$p +stopped \\(stale pid file: pid $victim is not $p\\)" \
		"status: $p's pid file names another process: stopped, and the file is stale"
done

out=$(WORKTIME_TEST_NAME=$name stack down 2>&1); rc=$?
is "$rc" 0 "down with stale pid files succeeds"
kill -0 "$victim" 2>/dev/null
ok $? "the process the pid files name is still alive after down"
like "$out" "ignored $fake/run/auth.pid: pid $victim is not auth" "down says it ignored a stale pid file"
like "$out" "ignored $fake/pg/data/postmaster.pid: pid $victim is not this cluster's postmaster" \
	"... and the stale postmaster.pid"
unlike "$out" '^stopped (nginx|auth|ingest|dash|admin|PostgreSQL)' "... and stopped nothing"
for p in auth ingest dash admin nginx; do
	[ ! -e "$fake/run/$p.pid" ]
	ok $? "down removed the stale $p.pid"
done

# A pid file with no number, or the number of a process that has ended.
echo garbage >"$fake/run/auth.pid"
echo "$dead" >"$fake/run/dash.pid"
: >"$fake/run/admin.pid"
out=$(WORKTIME_TEST_NAME=$name stack down 2>&1); rc=$?
is "$rc" 0 "down with a pid file of garbage, an empty one and one of an ended process succeeds"
ok $([ ! -e "$fake/run/auth.pid" ] && [ ! -e "$fake/run/dash.pid" ] && [ ! -e "$fake/run/admin.pid" ]; echo $?) \
	"... and removes them"
kill -0 "$victim" 2>/dev/null
ok $? "the other process is still alive at the end"

# The real instance is untouched by all of this.
req GET /healthz
is "$STATUS" 200 "the test instance still answers"

done_testing
