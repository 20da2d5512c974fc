#!/usr/bin/env bash
# worktime-agent end to end, under Xvfb with no window manager: enrollment
# (and what it refuses), status, the spans the server stores for a script
# of windows (to within a second, non-ASCII titles, the WM_NAME fallback,
# one window shown twice apart is two spans), titles hidden by the
# policy, a policy change applied without a restart, away-from-keyboard
# back-dated to the last input, heartbeats, stopping cleanly.
. "$(dirname "$0")/lib.sh"

# --- enrollment ---------------------------------------------------------------
agent_person
use_agent refused
out=$("$WT_AGENT" enroll "$WT_BASE" 0000-0000-0000-0000 --ca-file "$WT_CACERT" 2>&1); rc=$?
is "$rc" 1 "a wrong code: enroll fails"
like "$out" "code is not valid" "... saying what the server said"
ok "$([ ! -e "$AGENT_CONF" ]; echo $?)" "... and writes no agent.conf"
out=$("$WT_AGENT" enroll "http://localhost:$WT_HTTP_PORT" "$(new_code plain)" 2>&1); rc=$?
is "$rc" 2 "an http:// URL is refused"
like "$out" "must start with https://" "... with the reason"
out=$("$WT_AGENT" enroll "$WT_BASE" "$(new_code unverified)" 2>&1); rc=$?
is "$rc" 1 "a certificate the system does not trust (and no --ca-file): enroll fails"
like "$out" "(certificate|SSL)" "... on TLS verification, which no setting turns off"

enroll_agent core 'idle_timeout_s = 600'
ok $? "enroll with a fresh code and --ca-file"
is "$(stat -c %a "$AGENT_CONF")" 600 "agent.conf is mode 0600"
like "$(cat "$AGENT_CONF")" "^token = [0-9a-f]{64}$" "... and holds the device token"
is "$(sql "SELECT hostname || '|' || agent_version FROM devices WHERE id = $DEVICE_ID")" \
	"$(hostname)|$("$WT_AGENT" --version | cut -d' ' -f2)" "the device row has the host name and agent version"
out=$("$WT_AGENT" status 2>&1); rc=$?
is "$rc" 0 "status before the agent runs: exit 0"
like "$out" "agent: +not running" "... says it is not running"
like "$out" "server: +reachable, device token accepted" "... and that the server takes the token"

# --- a script of windows ------------------------------------------------------
api POST /admin/settings "$ADMIN_TOKEN" '{"title_exclude": ["secret", "^Bank"]}'
is "$STATUS" 200 "the policy hides titles matching 'secret' and '^Bank'"
start_xvfb
ok $? "Xvfb on $DISPLAY"
start_agent
ok $? "the agent runs and has the display"
wait_for log_has '2 title patterns'
ok $? "... and has fetched the policy"

ev=$TMPD/events
kelvin=$'\u212a'
cat >"$ev" <<EOT
# win 1 Firefox Page é 漢字 🎉 ${kelvin}elvin
# win 2 XTerm bash
# win 3 Emacs café
# win 4 Notes my secret plans
# win 9 Filler after the script
EOT
cat >"$TMPD/script" <<EOT
new 1 Firefox Page é 漢字 🎉 ${kelvin}elvin
new 2 XTerm bash
legacy 3 Emacs café
new 4 Notes my secret plans
new 9 Filler after the script
activate 1
sleep 2000
activate 2
sleep 2000
title 2 vim notes.txt
sleep 2000
activate 3
sleep 2000
activate 4
sleep 2000
activate 1
sleep 2000
mark end
activate 9
sleep 600
wait $TMPD/go
EOT
play "$TMPD/script" "$ev" &
player=$!
wait_for grep -q 'mark end' "$ev"
sleep 1
flush_agent
ok $? "flush: $(cat "$TMPD/flush.out")"
spans_of "$DEVICE_ID" >"$TMPD/spans"
out=$(check_spans "$ev" "$TMPD/spans" 1000 --hide secret --hide '^Bank'); rc=$?
ok "$rc" "the stored spans match the script to within a second (6 spans, window 1 twice)"
[ "$rc" = 0 ] || diag "$out"
is "$(sql "SELECT count(*) FROM windows WHERE title ILIKE '%secret plans%'")" 0 \
	"a hidden title never reaches the server"
is "$(sql "SELECT count(*) FROM activity WHERE device_id = $DEVICE_ID AND duration_ms > 3000")" 0 \
	"no span is longer than what it covers"
is "$(sql "SELECT idle::text || ' ' || (seen_at > now() - interval '10 seconds')::text
	FROM device_presence WHERE device_id = $DEVICE_ID")" "false true" \
	"heartbeats keep the device's presence (present, not idle)"

# --- a policy change applies without a restart ------------------------------------
etag=$(sed -n 's/^etag //p' "$AGENT_STATE/status")
api POST /admin/settings "$ADMIN_TOKEN" '{"title_exclude": ["secret", "^Bank", "payroll"]}'
etag_changed() { [ "$(sed -n 's/^etag //p' "$AGENT_STATE/status")" != "$etag" ]; }
wait_for etag_changed
ok $? "the agent fetched the changed policy (a new ETag) without a restart"
touch "$TMPD/go"
wait "$player"
# The helper that made window 9 is gone with it: a new one plays on.
cat >"$TMPD/script2" <<EOT
new 5 Calc payroll 2026.ods
activate 5
sleep 1500
mark end
none
EOT
echo "# win 5 Calc payroll 2026.ods" >"$TMPD/ev2"
play "$TMPD/script2" "$TMPD/ev2"
sleep 0.5
flush_agent
spans_of "$DEVICE_ID" >"$TMPD/spans2"
like "$(grep '|Calc|' "$TMPD/spans2")" '\|Calc\|\[hidden\]\|f$' "... and hides what the new pattern matches"

# --- away from the keyboard ------------------------------------------------------------
sed -i 's/^idle_timeout_s = 600$/idle_timeout_s = 3/' "$AGENT_CONF"
kill -HUP "$AGENT_PID"
wait_for log_has "read $AGENT_CONF again"
ok $? "SIGHUP: the agent reads agent.conf again (idle timeout 3 s)"
cat >"$TMPD/script3" <<EOT
new 6 Writer report.odt
activate 6
sleep 300
wait $TMPD/done
EOT
play "$TMPD/script3" /dev/null &
player=$!
sleep 0.5
t0=$(now_ms)
for i in $(seq 1 8); do xdotool mousemove $((100 + i * 10)) 100; sleep 0.25; done
t1=$(now_ms)
sleep 6
t2=$(now_ms)
xdotool mousemove 50 50
sleep 1.5
flush_agent
touch "$TMPD/done"
wait "$player"
spans_of "$DEVICE_ID" | grep '|Writer|' >"$TMPD/spans3"
# Input from t0 to t1, none for 6 s (over the 3 s timeout), input at t2.
read -r a_start a_dur <<<"$(awk -F'|' '$5 == "f" && NR < 4 { print $1, $2 }' "$TMPD/spans3" |
	awk -v t0="$t0" -v t1="$t1" '$1 + $2 > t0 && $1 < t1 { print; exit }')"
read -r k_start k_dur <<<"$(awk -F'|' '$5 == "t" { print $1, $2 }' "$TMPD/spans3" |
	awk -v t1="$t1" -v t2="$t2" '$1 < t2 && $1 + $2 > t1 { print; exit }')"
near() { local d=$(( $1 - $2 )); [ "${d#-}" -le "${3:-1000}" ]; }
near "${k_start:-0}" "$t1"
ok $? "away starts at the last input, back-dated (within 1 s of it: ${k_start:-none} vs $t1)"
near "$(( ${k_start:-0} + ${k_dur:-0} ))" "$t2"
ok $? "... and ends at the input that ended it (within 1 s)"
near "$(( ${a_start:-0} + ${a_dur:-0} ))" "$t1"
ok $? "the active span before it ends at the last input, not at the timeout"
near "$(( ${a_start:-0} + ${a_dur:-0} ))" "$t1" && near "${k_start:-0}" "$t1" ||
	diag "input $t0 to $t1, none until $t2; Writer's spans:" "$(cat "$TMPD/spans3")"

# --- status, and stopping ---------------------------------------------------------------
out=$("$WT_AGENT" status 2>&1)
like "$out" "agent: +running \(pid $AGENT_PID\)" "status: running, with its pid"
like "$out" "display: +connected" "... the display"
like "$out" "spool: +[0-9]+ spans? waiting to be uploaded" "... the spans waiting in the spool"
unlike "$out" "last upload: +none" "... and when it last uploaded"
stop_agent
is "$?" 0 "SIGTERM: the agent stops with exit 0"
like "$(tail -3 "$AGENT_LOG")" "stopping \(signal 15\)" "... and says so"
out=$("$WT_AGENT" status 2>&1)
like "$out" "agent: +not running" "status after it stopped: not running"

done_testing
