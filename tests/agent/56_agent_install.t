#!/usr/bin/env bash
# What `make install` puts in place for the agent (./stack installs into
# var/test/app exactly as a desktop's `make install` would): the program,
# its man page (which renders without a warning), the systemd user unit
# and the XDG autostart entry, both running the installed program.
. "$(dirname "$0")/lib.sh"

app=$WT_STATE/app
ok "$([ -x "$app/bin/worktime-agent" ]; echo $?)" "bin/worktime-agent is installed"
like "$("$app/bin/worktime-agent" --version)" "^worktime-agent [0-9]" "... and says its version"
like "$("$app/bin/worktime-agent" --help)" "worktime-agent enroll URL CODE" "... and its usage"
"$app/bin/worktime-agent" frobnicate >/dev/null 2>&1
is "$?" 2 "an unknown command: exit 2"
man1=$app/share/man/man1/worktime-agent.1
ok "$([ -f "$man1" ]; echo $?)" "share/man/man1/worktime-agent.1 is installed"
warn=$(groff -man -Tutf8 -ww -z "$man1" 2>&1)
is "$warn" "" "the man page renders without a warning"
page=$(groff -man -Tutf8 -P-cbou "$man1" 2>/dev/null)
for s in SYNOPSIS COMMANDS UPLOADS FILES SETTINGS SIGNALS "EXIT STATUS"; do
	like "$page" "^$s" "the man page has $s"
done
like "$page" "poll_interval_ms" "... and documents the settings the tests shorten"
unit=$app/lib/systemd/user/worktime-agent.service
ok "$([ -f "$unit" ]; echo $?)" "lib/systemd/user/worktime-agent.service is installed"
is "$(sed -n 's/^ExecStart=//p' "$unit")" "$app/bin/worktime-agent run" "... and runs the installed program"
like "$(cat "$unit")" "^WantedBy=graphical-session.target" "... with the graphical session"
like "$(cat "$unit")" "^RestartPreventExitStatus=2 3" "... and no restarts when not enrolled or already running"
desk=$app/etc/xdg/autostart/worktime-agent.desktop
ok "$([ -f "$desk" ]; echo $?)" "etc/xdg/autostart/worktime-agent.desktop is installed"
is "$(sed -n 's/^Exec=//p' "$desk")" "$app/bin/worktime-agent run" "... and runs the installed program"

# Not enrolled: run and flush say so and stop with exit 2 (the unit does
# not restart them), status with exit 2 too.
use_agent none
out=$("$app/bin/worktime-agent" run 2>&1); rc=$?
is "$rc" 2 "run, not enrolled: exit 2"
like "$out" "not enrolled: run worktime-agent enroll URL CODE" "... saying what to do"
"$app/bin/worktime-agent" status >/dev/null 2>&1
is "$?" 2 "status, not enrolled: exit 2"
# A second agent for the same user exits 3.
enroll_agent twice
start_xvfb
start_agent
out=$("$app/bin/worktime-agent" run 2>&1); rc=$?
is "$rc" 3 "a second agent for the same user: exit 3"
like "$out" "already running \(pid $AGENT_PID\)" "... naming the one running"
stop_agent
# A malformed agent.conf is refused at start, naming the key.
echo "poll_interval_ms = often" >>"$AGENT_CONF"
out=$("$app/bin/worktime-agent" status 2>&1); rc=$?
is "$rc" 2 "a malformed agent.conf: exit 2"
like "$out" "poll_interval_ms must be a whole number" "... naming the key"
echo "frequency = 3" >>"$AGENT_CONF"
sed -i '/poll_interval_ms = often/d' "$AGENT_CONF"
like "$("$app/bin/worktime-agent" status 2>&1)" 'unknown key "frequency"' "an unknown key is refused by name"
done_testing
