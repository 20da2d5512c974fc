# What the agent suite's files share, on top of tests/api/lib.sh (TAP, the
# database, the admin's token): an Xvfb of their own, enrolled agents with
# their own directories, the window helper and the spans the server
# stored.  ./stack test agent exports WT_AGENT (the installed
# worktime-agent) and WT_XWIN (tests/agent/xwin, built by make).
#
# Every agent runs with shortened intervals (FAST below: a poll every
# 200 ms, uploads every 2 s, retries from 1 s to 4 s) so the suite stays
# short; worktime-agent(1) documents these settings.
. "$(dirname "$0")/../api/lib.sh"

: "${WT_AGENT:?run through ./stack test agent}" "${WT_XWIN:?run through ./stack test agent}"
AGENT_DIR=$(cd "$(dirname "$0")" && pwd)
BG_PIDS=()
cleanup() {
	local p l
	for p in "${BG_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
	for p in "${BG_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
	# The agents' logs outlive the run, for whoever reads a failure.
	mkdir -p "$WT_STATE/agent-logs"
	for l in "$TMPD"/*/agent.log; do
		[ -f "$l" ] && cp "$l" "$WT_STATE/agent-logs/$(basename "$0" .t)-$(basename "$(dirname "$l")").log"
	done
	return 0
}
trap 'cleanup; rm -rf "$TMPD"' EXIT

FAST='poll_interval_ms = 200
upload_interval_s = 2
heartbeat_interval_s = 2
config_interval_s = 2
retry_initial_s = 1
retry_max_s = 4
checkpoint_s = 1
log_level = debug'

# start_xvfb: a new X server on a display number it picks itself
# (-displayfd: other worktrees run theirs); sets DISPLAY.
start_xvfb() {
	local i
	Xvfb -displayfd 3 -nolisten tcp -screen 0 1024x768x24 3>"$TMPD/display" \
		2>"$TMPD/xvfb.log" &
	XVFB_PID=$!
	BG_PIDS+=("$XVFB_PID")
	for i in $(seq 1 100); do
		[ -s "$TMPD/display" ] && break
		sleep 0.1
	done
	export DISPLAY=":$(head -1 "$TMPD/display")"
	[ "$DISPLAY" != ":" ]
}

# use_agent NAME: this agent's directories (XDG_CONFIG_HOME, XDG_STATE_HOME)
use_agent() {
	export XDG_CONFIG_HOME=$TMPD/$1/config XDG_STATE_HOME=$TMPD/$1/state
	AGENT_CONF=$XDG_CONFIG_HOME/worktime/agent.conf
	AGENT_STATE=$XDG_STATE_HOME/worktime
	AGENT_LOG=$TMPD/$1/agent.log
	mkdir -p "$TMPD/$1"
}

# The person the suite's devices belong to.
agent_person() {
	[ -n "${AGENT_UID:-}" ] && return 0
	AGENT_UID=$(sql "INSERT INTO users (email, display_name, role, status)
		VALUES ('agent$$-$RANDOM@example.com', 'Agent Tester é', 'member', 'active')
		RETURNING id")
	admin_token
}

# new_code NAME: a one-time enrollment code for a device of the person.
new_code() {
	agent_person
	api POST /admin/devices/codes "$ADMIN_TOKEN" \
		"$(jq -cn --argjson u "$AGENT_UID" --arg n "$1" '{user_id: $u, device_name: $n}')"
	jq_body '.code // empty'
}

# enroll_agent NAME [EXTRA-CONF]: use_agent NAME, enrolls it and adds the
# short intervals (and EXTRA-CONF lines); sets DEVICE_ID.
enroll_agent() {
	local code
	use_agent "$1"
	agent_person
	code=$(new_code "$1 $$") || return 1
	"$WT_AGENT" enroll "$WT_BASE" "$code" --ca-file "$WT_CACERT" >"$TMPD/$1/enroll.out" 2>&1 ||
		{ diag "enroll: $(cat "$TMPD/$1/enroll.out")"; return 1; }
	printf '%s\n%s\n' "$FAST" "${2:-}" >>"$AGENT_CONF"
	DEVICE_ID=$(sed -n 's/^device_id = //p' "$AGENT_CONF")
}

# start_agent: worktime-agent run in the background (AGENT_PID), waiting
# until it has the display.  AGENT_WRAP (an array) goes before it: env
# settings, valgrind.
AGENT_WRAP=()
start_agent() {
	local i
	: >>"$AGENT_LOG"
	if [ -f "$AGENT_STATE/status" ]; then sed -i '/^display /d' "$AGENT_STATE/status"; fi
	"${AGENT_WRAP[@]}" "$WT_AGENT" run 2>>"$AGENT_LOG" &
	AGENT_PID=$!
	BG_PIDS+=("$AGENT_PID")
	for i in $(seq 1 300); do
		grep -qs '^display connected' "$AGENT_STATE/status" && return 0
		sleep 0.1
	done
	diag "the agent did not connect to $DISPLAY: $(tail -5 "$AGENT_LOG")"
	return 1
}
stop_agent() { kill -TERM "$AGENT_PID" 2>/dev/null; wait "$AGENT_PID" 2>/dev/null; }

flush_agent() { "$WT_AGENT" flush --timeout "${1:-60}" >"$TMPD/flush.out" 2>&1; }

# play SCRIPT-FILE EVENTS-FILE: the window helper plays the script; what
# it did, with times, goes to EVENTS-FILE.
play() { "$WT_XWIN" <"$1" >>"$2"; }

# spans_of DEVICE: the device's stored spans, one a line:
# start_ms|duration_ms|app|title|afk
spans_of() {
	sql "SELECT (extract(epoch FROM a.started_at) * 1000)::bigint, a.duration_ms, w.app,
	            w.title, CASE WHEN a.afk THEN 't' ELSE 'f' END
	     FROM activity a JOIN windows w ON w.id = a.window_id
	     WHERE a.device_id = $1 ORDER BY a.started_at"
}

# check_spans EVENTS SPANS [TOL-MS] [APPS]: the spans match the script
# (spans.py says how); prints what differs.
check_spans() { python3 "$AGENT_DIR/spans.py" "$@"; }

# wait_for COMMAND...: up to 30 s for COMMAND to succeed.
wait_for() {
	local i
	for i in $(seq 1 300); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}
log_has() { grep -qs -- "$1" "$AGENT_LOG"; }
now_ms() { date +%s%3N; }

# rotation EVENTS SCRIPT COUNT STEP-MS [WORD]: a script of COUNT stretches
# of STEP-MS each, cycling through four windows (so one window comes back,
# apart, as a span of its own), then "mark end" and no window.
rotation() {
	local ev=$1 sc=$2 n=$3 step=$4 w=${5:-rot} i
	: >"$sc"
	for i in 1 2 3 4; do
		echo "# win $i App$i $w window $i é" >>"$ev"
		echo "new $i App$i $w window $i é" >>"$sc"
	done
	for i in $(seq 1 "$n"); do
		printf 'activate %d\nsleep %d\n' $(( (i - 1) % 4 + 1 )) "$step" >>"$sc"
	done
	printf 'mark end\nnone\nsleep 300\n' >>"$sc"
}

# fail_batches DEVICE HOW: a trigger on activity_batches for that device
# only, running HOW (plpgsql) before each insert: the real server then
# fails (RAISE: a 500) or is slow (pg_sleep) for this device alone.
fail_batches() {
	sql "CREATE OR REPLACE FUNCTION agent_test_$1() RETURNS trigger LANGUAGE plpgsql AS \$\$
	     BEGIN IF NEW.device_id = $1 THEN $2; END IF; RETURN NEW; END \$\$;
	     CREATE TRIGGER agent_test_$1 BEFORE INSERT ON activity_batches
	     FOR EACH ROW EXECUTE FUNCTION agent_test_$1()" >/dev/null
}
heal_batches() {
	sql "DROP TRIGGER IF EXISTS agent_test_$1 ON activity_batches;
	     DROP FUNCTION IF EXISTS agent_test_$1()" >/dev/null
}

# The waits the agent chose after failed uploads, in seconds, one a line.
retry_waits() { sed -n 's/.*upload of batch .* failed .* again in \([0-9.]*\) s$/\1/p' "$AGENT_LOG"; }
stack_test() { WT_INSTANCE=test "$WT_ROOT/stack" "$@"; }
