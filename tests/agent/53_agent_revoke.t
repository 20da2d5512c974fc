#!/usr/bin/env bash
# A revoked device: uploads (and heartbeats) stop with a message that says
# to enroll again, status says so, spans are still recorded, and after a
# new enrollment they all arrive.
. "$(dirname "$0")/lib.sh"

enroll_agent revoked 'idle_timeout_s = 3600'
start_xvfb
start_agent
ok $? "the agent runs"
flush_agent
api POST "/admin/devices/$DEVICE_ID/revoke" "$ADMIN_TOKEN"
ok "$([[ $STATUS == [23]* ]]; echo $?)" "the admin revokes the device ($STATUS)"
ev=$TMPD/ev
rotation "$ev" "$TMPD/sc" 6 1200 revoked
play "$TMPD/sc" "$ev" &
player=$!
wait_for log_has "refused this device's token"
ok $? "the agent stops uploading, with a message"
like "$(grep "refused this device's token" "$AGENT_LOG" | head -1)" \
	"Uploads have stopped.*Enroll again: worktime-agent enroll $WT_BASE" "... that says to enroll again"
wait "$player"
n=$(grep -c 'upload of batch\|uploaded batch' "$AGENT_LOG")
sleep 5
is "$(grep -c 'upload of batch\|uploaded batch' "$AGENT_LOG")" "$n" "no upload is tried while revoked (5 s, uploads every 2 s)"
out=$("$WT_AGENT" status 2>&1); rc=$?
is "$rc" 1 "status: exit 1"
like "$out" "refuses this device's token .*enroll again" "... says the token is refused and to enroll again"
like "$out" "spool: +[1-9][0-9]* spans? waiting" "... and that spans wait in the spool"
out=$("$WT_AGENT" flush --timeout 10 2>&1); rc=$?
is "$rc" 1 "flush fails"
like "$out" "enroll" "... saying to enroll again"
is "$(sql "SELECT count(*) FROM activity a JOIN windows w ON w.id = a.window_id
	WHERE a.device_id = $DEVICE_ID AND w.title LIKE 'revoked window%'")" 0 "nothing of the script reached the server"

# --- enrolled again: everything recorded meanwhile arrives ---------------------------------
code=$(new_code "revoked again $$")
"$WT_AGENT" enroll "$WT_BASE" "$code" --ca-file "$WT_CACERT" >/dev/null
ok $? "enrolled again, with the agent running"
new_id=$(sed -n 's/^device_id = //p' "$AGENT_CONF")
wait_for log_has 'a new device token'
ok $? "the agent takes the new token and resumes"
flush_agent
ok $? "flush: $(cat "$TMPD/flush.out")"
spans_of "$new_id" >"$TMPD/spans"
out=$(check_spans "$ev" "$TMPD/spans"); rc=$?
ok "$rc" "the spans recorded while revoked arrive, each once, on the new device"
[ "$rc" = 0 ] || diag "$out"
stop_agent
done_testing
