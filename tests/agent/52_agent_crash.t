#!/usr/bin/env bash
# Crashes: the agent killed with SIGKILL in the middle of an upload and
# started again loses nothing and doubles nothing (the batch in flight is
# sent again under its number, which the server already has); a spool
# whose last record was torn by a crash is cut there and the rest is
# uploaded.
. "$(dirname "$0")/lib.sh"

# Uploads only when asked (flush), so the test knows when one is running.
enroll_agent crash 'idle_timeout_s = 3600
upload_interval_s = 3600'
start_xvfb
start_agent
ok $? "the agent runs"

# --- SIGKILL in the middle of an upload ------------------------------------------
ev=$TMPD/ev1
rotation "$ev" "$TMPD/sc1" 6 1200 killed
play "$TMPD/sc1" "$ev"
# The server takes 3 s to store this device's batches: long enough to
# kill the agent while its batch is in the database.
fail_batches "$DEVICE_ID" "PERFORM pg_sleep(3)"
"$WT_AGENT" flush --timeout 30 >/dev/null 2>&1 &
sleeping() { [ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'")" -ge 1 ]; }
wait_for sleeping
ok $? "an upload is in the server's hands"
seq=$(sed -n 's/^inflight \([0-9]*\) .*/\1/p' "$AGENT_STATE/spool.state")
kill -KILL "$AGENT_PID"
wait "$AGENT_PID" 2>/dev/null
ok "$([ -n "$seq" ]; echo $?)" "SIGKILL with batch $seq in flight"
stored() { [ "$(sql "SELECT count(*) FROM activity_batches WHERE device_id = $DEVICE_ID AND seq = $seq")" = 1 ]; }
wait_for stored
ok $? "the server stored the batch anyway (the agent never saw the answer)"
heal_batches "$DEVICE_ID"
before=$(sql "SELECT count(*) FROM activity WHERE device_id = $DEVICE_ID")
start_agent
ok $? "the agent starts again"
flush_agent
ok $? "flush: $(cat "$TMPD/flush.out")"
like "$(cat "$AGENT_LOG")" "uploaded batch $seq:" "the batch in flight was sent again under the same number"
is "$(sql "SELECT count(*) FROM activity_batches WHERE device_id = $DEVICE_ID AND seq = $seq")" 1 \
	"... which the server has once"
spans_of "$DEVICE_ID" >"$TMPD/spans1"
out=$(check_spans "$ev" "$TMPD/spans1"); rc=$?
ok "$rc" "no span lost, none doubled (6 stretches, count and sum of durations)"
[ "$rc" = 0 ] || diag "$out"
is "$(sql "SELECT count(*) FROM activity a WHERE device_id = $DEVICE_ID AND EXISTS (
	SELECT 1 FROM activity b WHERE b.device_id = a.device_id AND b.started_at > a.started_at
	AND b.started_at < a.started_at + a.duration_ms * interval '1 ms')")" 0 "no two stored spans overlap"

# --- a torn record at the end of the spool -----------------------------------------------
ev=$TMPD/ev2
rotation "$ev" "$TMPD/sc2" 5 1200 torn
play "$TMPD/sc2" "$ev"
sleep 0.3
kill -KILL "$AGENT_PID"
wait "$AGENT_PID" 2>/dev/null
# A crash in the middle of writing a record: its header promises 300
# bytes, 14 made it to the disk.
size=$(stat -c %s "$AGENT_STATE/spool")
printf '\x2c\x01\x00\x00\x39\x30\x00\x00{"start":"2026' >>"$AGENT_STATE/spool"
ok "$([ "$(stat -c %s "$AGENT_STATE/spool")" -gt "$size" ]; echo $?)" \
	"the spool ends in a torn record ($size bytes of records, 22 of a torn one)"
start_agent
wait_for log_has 'dropped 22 damaged bytes'
ok $? "the agent drops the torn record at start and says so"
flush_agent
ok $? "flush: $(cat "$TMPD/flush.out")"
spans_of "$DEVICE_ID" >"$TMPD/spans2"
out=$(check_spans "$ev" "$TMPD/spans2"); rc=$?
ok "$rc" "the records before it were uploaded, each once"
[ "$rc" = 0 ] || diag "$out"
stop_agent
done_testing
