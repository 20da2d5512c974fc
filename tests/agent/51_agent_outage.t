#!/usr/bin/env bash
# The server away: nginx stopped while windows keep changing, then
# started again; the server answering 500 for a while.  Either way uploads
# back off (1 s doubling to the 4 s these tests set as the cap) and then
# succeed, and every span arrives exactly once: each stretch of the script
# is one stored span, nothing doubled, the sum of durations matches.
#
# The outage lasts 20 s, not the two minutes of the issue: with the retry
# cap at 4 s the agent has been through every state of a long outage
# (several failed attempts at the capped wait, the spool growing) well
# within 20 s; two minutes would only repeat them and lengthen the suite.
. "$(dirname "$0")/lib.sh"

enroll_agent outage 'idle_timeout_s = 3600'
start_xvfb
start_agent
ok $? "the agent runs"

# --- nginx stopped for 20 s -----------------------------------------------------
ev=$TMPD/ev1
rotation "$ev" "$TMPD/sc1" 18 1500 outage
play "$TMPD/sc1" "$ev" &
player=$!
sleep 3
stack_test nginx stop >/dev/null
ok $? "nginx stopped 3 s into the script"
stopped_at=$SECONDS
wait_for log_has 'failed (no answer'
ok $? "uploads fail while it is away"
out=$("$WT_AGENT" status 2>&1); rc=$?
is "$rc" 1 "status during the outage: exit 1"
like "$out" "server: +not reachable" "... the server is not reachable"
like "$out" "last error: .*no answer" "... and the last error says why"
sleep $(( 20 - (SECONDS - stopped_at) ))
stack_test nginx start >/dev/null
ok $? "nginx started again after 20 s"
wait "$player"
flush_agent
ok $? "flush after the outage: $(cat "$TMPD/flush.out")"
spans_of "$DEVICE_ID" >"$TMPD/spans1"
out=$(check_spans "$ev" "$TMPD/spans1"); rc=$?
ok "$rc" "every span arrived exactly once (18 stretches, count and sum of durations)"
[ "$rc" = 0 ] || diag "$out"
waits=$(retry_waits)
n=$(wc -l <<<"$waits")
ok "$([ "$n" -ge 4 ]; echo $?)" "the agent tried again several times ($n failed attempts)"
ok "$(awk '$1 > 4.0 { bad = 1 } END { exit bad }' <<<"$waits"; echo $?)" \
	"... never waiting longer than the cap (4 s): $(tr '\n' ' ' <<<"$waits")"
ok "$(tail -2 <<<"$waits" | awk '$1 < 2.0 { bad = 1 } END { exit bad }'; echo $?)" \
	"... and waiting longer as failures went on (the last waits at least half the cap)"
is "$(grep -c 'failed (no answer' "$AGENT_LOG")" "$n" "... every failure during the outage was a refused connection"

# --- the server answers 500 for a while -------------------------------------------
: >"$AGENT_LOG.before"
cp "$AGENT_LOG" "$AGENT_LOG.before"
fail_batches "$DEVICE_ID" "RAISE EXCEPTION 'agent test: storing batches fails'"
ev=$TMPD/ev2
rotation "$ev" "$TMPD/sc2" 8 1000 failing
play "$TMPD/sc2" "$ev"
fails_500() { [ "$(grep -c 'failed (HTTP 500' "$AGENT_LOG")" -ge 3 ]; }
wait_for fails_500
ok $? "uploads answered 500 are tried again ($(grep -c 'failed (HTTP 500' "$AGENT_LOG") times)"
like "$(cat "$AGENT_STATE/spool.state")" "inflight" "... the batch stays in the spool, in flight"
heal_batches "$DEVICE_ID"
flush_agent
ok $? "once the server stores batches again, they go: $(cat "$TMPD/flush.out")"
spans_of "$DEVICE_ID" >"$TMPD/spans2"
out=$(check_spans "$ev" "$TMPD/spans2"); rc=$?
ok "$rc" "every span arrived exactly once after the 500s"
[ "$rc" = 0 ] || diag "$out"
stop_agent
done_testing
