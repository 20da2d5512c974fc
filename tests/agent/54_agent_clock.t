#!/usr/bin/env bash
# The wall clock jumps (as after a suspend, or a clock set by hand): the
# span in front ends at the last poll before the jump, never stretched
# over it, and the next starts after it.  libfaketime moves the agent's
# wall clock (and only the agent's) 240 s ahead while its monotonic clock
# runs on; 240 s keeps the spans within the server's 5 minutes of slack
# for clocks ahead.  Then the X server goes away and comes back: the
# agent waits, connects again and records on.
. "$(dirname "$0")/lib.sh"

enroll_agent clock 'idle_timeout_s = 3600'
start_xvfb
echo "+0" >"$TMPD/faketime"
AGENT_WRAP=(env LD_PRELOAD=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1
	FAKETIME_TIMESTAMP_FILE="$TMPD/faketime" FAKETIME_NO_CACHE=1 FAKETIME_DONT_FAKE_MONOTONIC=1)
start_agent
ok $? "the agent runs, its clock under libfaketime"
AGENT_WRAP=()

ev=$TMPD/ev
cat >"$TMPD/sc" <<EOT
new 1 Before the jump
new 2 After the jump
activate 1
sleep 2500
mark jump
wait $TMPD/jumped
sleep 2000
activate 2
sleep 1500
mark end
none
EOT
play "$TMPD/sc" "$ev" &
player=$!
wait_for grep -q 'mark jump' "$ev"
echo "+240" >"$TMPD/faketime"
t_jump=$(now_ms)
touch "$TMPD/jumped"
wait "$player"
t1=$(sed -n 's/^\([0-9]*\) activate 1$/\1/p' "$ev")
t2=$(sed -n 's/^\([0-9]*\) activate 2$/\1/p' "$ev")
wait_for log_has 'the wall clock moved +2[34][0-9][0-9][0-9][0-9] ms'
ok $? "the agent saw the wall clock jump 240 s"
flush_agent
ok $? "flush: $(cat "$TMPD/flush.out")"
spans_of "$DEVICE_ID" >"$TMPD/spans"
near() { local d=$(( $1 - $2 )); [ "${d#-}" -le "${3:-1000}" ]; }
read -r s1 d1 <<<"$(awk -F'|' '$3 == "Before" { print $1, $2; exit }' "$TMPD/spans")"
near "${s1:-0}" "$t1" && near "$(( ${s1:-0} + ${d1:-0} ))" "$t_jump"
ok $? "the span in front ends at the last poll before the jump (${d1:-none} ms, not 240 s more)"
is "$(sql "SELECT count(*) FROM activity WHERE device_id = $DEVICE_ID AND duration_ms > 60000")" 0 \
	"no span stretches over the jump"
read -r s2 d2 <<<"$(awk -F'|' '$3 == "Before" { n++; if (n == 2) { print $1, $2; exit } }' "$TMPD/spans")"
near "${s2:-0}" "$(( t_jump + 240000 ))" && near "$(( ${s2:-0} + ${d2:-0} ))" "$(( t2 + 240000 ))"
ok $? "the same window goes on in a new span from the time after the jump"
read -r s3 _ <<<"$(awk -F'|' '$3 == "After" { print $1, $2; exit }' "$TMPD/spans")"
near "${s3:-0}" "$(( t2 + 240000 ))"
ok $? "... and the next window follows it"
[ -n "${s2:-}" ] && [ -n "${s3:-}" ] || diag "jump at $t_jump; spans:" "$(cat "$TMPD/spans")"

# --- the X server goes away and comes back ------------------------------------------
kill -TERM "$XVFB_PID"
wait "$XVFB_PID" 2>/dev/null
wait_for log_has 'lost the connection to the display'
ok $? "the X server stopped: the agent says it lost the display"
sleep 1.5
kill -0 "$AGENT_PID"
ok $? "... and keeps running"
like "$("$WT_AGENT" status 2>&1)" "display: +waiting" "status: waiting for the display"
Xvfb "$DISPLAY" -nolisten tcp -screen 0 1024x768x24 2>>"$TMPD/xvfb.log" &
XVFB_PID=$!
BG_PIDS+=("$XVFB_PID")
reconnected() { [ "$(grep -c 'connected to the x11 display' "$AGENT_LOG")" -ge 2 ]; }
wait_for reconnected
ok $? "a new X server on $DISPLAY: the agent connects again"
cat >"$TMPD/sc2" <<EOT
new 1 Again back
activate 1
sleep 1500
mark end
none
EOT
play "$TMPD/sc2" "$TMPD/ev2"
flush_agent
like "$(spans_of "$DEVICE_ID")" "\|Again\|back\|f" "... and records the windows of the new one"
stop_agent
done_testing
