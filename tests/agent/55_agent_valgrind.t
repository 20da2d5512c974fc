#!/usr/bin/env bash
# valgrind (memcheck) over a short run of the daemon: windows change, the
# policy is fetched, spans are uploaded, heartbeats sent, a flush, then
# screenshots turned on (blurred: captured, shrunk, blurred, encoded,
# spooled and uploaded), a SIGTERM.  No invalid access, no use of uninitialised memory, no leak
# (definite or indirect), and the exit is clean.
. "$(dirname "$0")/lib.sh"

admin_token
orig=$(sql "SELECT json_build_object('screenshot_mode', screenshot_mode,
	'screenshot_blur', screenshot_blur) FROM settings")
trap 'api POST /admin/settings "$ADMIN_TOKEN" "$orig" >/dev/null; cleanup; rm -rf "$TMPD"' EXIT
enroll_agent valgrind 'idle_timeout_s = 3600
screenshot_interval_s = 2'
start_xvfb
AGENT_WRAP=(valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect
	--errors-for-leak-kinds=definite,indirect --error-exitcode=99 --track-fds=no
	--log-file="$TMPD/valgrind.log")
start_agent
ok $? "the agent runs under valgrind"
AGENT_WRAP=()
# The first TLS handshake takes valgrind seconds of CPU, during which the
# loop does not poll: the script starts once it is behind.
wait_for log_has 'policy "'
ok $? "... and has fetched the policy"
ev=$TMPD/ev
rotation "$ev" "$TMPD/sc" 6 1000 valgrind
play "$TMPD/sc" "$ev"
flush_agent 90
ok $? "flush: $(cat "$TMPD/flush.out")"
spans_of "$DEVICE_ID" >"$TMPD/spans"
out=$(check_spans "$ev" "$TMPD/spans" 3000); rc=$?
ok "$rc" "the spans arrive, each once, under valgrind too (to within 3 s: valgrind is slow)"
[ "$rc" = 0 ] || diag "$out"
api POST /admin/settings "$ADMIN_TOKEN" '{"screenshot_mode": "interval", "screenshot_blur": true}'
wait_for log_has 'uploaded the thumbnail of screenshot'
ok $? "screenshots on: one taken, blurred and uploaded under valgrind"
kill -TERM "$AGENT_PID"
wait "$AGENT_PID"
rc=$?
is "$rc" 0 "valgrind: no errors and no leaks (exit $rc)"
[ "$rc" = 0 ] || diag "$(head -60 "$TMPD/valgrind.log")"
done_testing
