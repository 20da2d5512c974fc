#!/usr/bin/env bash
# Task events through nginx: what only the real path can show.  Two
# clients of one person sending events at the same moment (interleaved
# client times, so many arrive late) end with every event applied once,
# one at a time, in client-time order; the widget's calls from a listed
# origin pass the CORS preflight and others do not; the refresh flow is
# routed to auth and its new token works on ingest.
. "$(dirname "$0")/lib.sh"

tag=tk$$
email="$tag@example.com"
pw="Thistle-Harbor-Copper-39"
make_user "$email" "Tasks $tag é" "$pw" || { diag "no user"; exit 1; }
origin=https://rater.test

# --- the refresh flow through nginx -------------------------------------------
rreq POST /api/v1/token -H 'Content-Type: application/json' -H "Origin: $origin" \
	--data-raw "$(jq -cn --arg e "$email" --arg p "$pw" '{email: $e, password: $p, refresh: true}')"
is "$STATUS" 200 "POST /api/v1/token with refresh: 200"
is "$(header access-control-allow-origin)" "$origin" "... readable by the widget's origin"
refresh=$(jq_body .refresh_token)
rreq POST /api/v1/token/refresh -H 'Content-Type: application/json' -H "Origin: $origin" \
	--data-raw "$(jq -cn --arg r "$refresh" '{refresh_token: $r}')"
is "$STATUS" 200 "POST /api/v1/token/refresh reaches auth: 200"
tok=$(jq_body .access_token)
is "$(header access-control-allow-origin)" "$origin" "... readable by the widget's origin"
api GET /api/v1/task-sessions/current "$tok"
is "$STATUS" 200 "the refreshed access token works on ingest"
is "$(jq_body .session)" null "... no open session yet"
rreq POST /api/v1/token/revoke -H 'Content-Type: application/json' \
	--data-raw "$(jq -cn --arg r "$(jq_body .refresh_token)" '{refresh_token: $r}')"
is "$STATUS" 200 "POST /api/v1/token/revoke reaches auth: 200"

# --- CORS preflights as a browser sends them ------------------------------------
for p in /api/v1/task-events /api/v1/task-sessions/current /api/v1/token /api/v1/token/refresh; do
	req OPTIONS "$p" -H "Origin: $origin" -H 'Access-Control-Request-Method: POST' \
		-H 'Access-Control-Request-Headers: authorization, content-type'
	is "$STATUS $(header access-control-allow-origin)" "204 $origin" "preflight $p from $origin: 204"
	req OPTIONS "$p" -H "Origin: https://evil.test" -H 'Access-Control-Request-Method: POST'
	is "$STATUS $(header access-control-allow-origin)" "403 " "preflight $p from another origin: 403"
done

# --- the widget, installable from the site ------------------------------------------
req GET /static/worktime-widget.user.js
is "$STATUS" 200 "the widget is served by nginx"
like "$(header content-type)" '^(application|text)/javascript' "... as JavaScript (a userscript manager installs it)"
like "$BODY" '// ==UserScript==' "... with its userscript header"
like "$BODY" '// @match ' "... and a @match to edit"

# --- two clients at once ---------------------------------------------------------
base=$(( $(date +%s) - 20 * 60 ))
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%S.000Z; }
# client NAME PARITY: 40 NEXTs at base + 2k + PARITY seconds, as fast as it
# can; prints each answer's status.
client() {
	local k t
	for k in $(seq 0 39); do
		t=$((base + 2 * k + $2))
		curl -sS --cacert "$WT_CACERT" -o /dev/null -w '%{http_code}\n' \
			-H "Authorization: Bearer $tok" -H 'Content-Type: application/json' \
			--data-raw "{\"id\":\"$tag-$1-$k\",\"type\":\"NEXT\",\"at\":\"$(iso "$t")\"}" \
			"$WT_BASE/api/v1/task-events"
	done
}
client a 0 >"$TMPD/a" &
client b 1 >"$TMPD/b" &
wait
# and one event sent by both at once
for i in 1 2; do
	curl -sS --cacert "$WT_CACERT" -o "$TMPD/dup$i" -H "Authorization: Bearer $tok" \
		-H 'Content-Type: application/json' \
		--data-raw "{\"id\":\"$tag-dup-1\",\"type\":\"PAUSE\",\"at\":\"$(iso $((base + 100)))\"}" \
		"$WT_BASE/api/v1/task-events" &
done
wait
is "$(sort "$TMPD/a" "$TMPD/b" | uniq -c | sed 's/^ *//')" "80 200" "80 events from two clients at once: all 200"
uid=$(uid_of "$email")
is "$(sql "SELECT count(*) FROM task_events WHERE user_id = $uid")" 81 "... stored once each (and the duplicate once)"
is "$(jq -c .event "$TMPD/dup1")" "$(jq -c .event "$TMPD/dup2")" "the same event from both clients: answered the same"
is "$(sql "SELECT count(*) || ' ' || min(number) || '-' || max(number) || ' ' ||
	count(*) FILTER (WHERE raw_ms = 1000) FROM task_tasks t JOIN task_sessions s ON s.id = t.session_id
	WHERE s.user_id = $uid")" "79 1-79 79" \
	"... one session: tasks 1 to 79 finished, each exactly 1 s, as in client-time order"
is "$(sql "SELECT count(*) || ' ' || max(task_no) || ' ' || bool_and(ended_at IS NULL)
	FROM task_sessions WHERE user_id = $uid")" "1 80 true" "... task 80 running"
api GET /api/v1/task-sessions/current "$tok"
is "$(jq_body '.session.task') $(jq_body '.session.state') $(jq_body '.session.tasks_done')" \
	"80 paused 79" "current: task 80, paused (the PAUSE at +100 s is past every NEXT)"
done_testing
