#!/usr/bin/env bash
# Sign-in latency while a signed-in member abuses /account/password
# (issue 8, security 3).  Before the fix, a request with the right current
# password and a password from the history cost about seven scrypt hashes
# (~60 ms each) and nothing limited it: a few connections kept every auth
# worker hashing and everyone's sign-in waited.
#
# Measures POST /api/v1/token (one scrypt verification, the same check as
# the sign-in form) with curl, one request at a time from 127.0.0.2 (so
# nginx's per-address limit of the abuser, on 127.0.0.1, is not the
# sign-ins'): first quiet, then while wrk sends the abusive change from a
# member's session on CONNECTIONS connections.  Prints the median and p95
# of each, and what the abuse got (nginx's 429, the program's 429).
#
# Needs ./stack up; run as the user who ran it (root: everything works).
#   bench/password_abuse.sh [SAMPLES] [CONNECTIONS]
# To see what the program's own budget does without nginx's limit:
#   WORKTIME_PWCHANGE_RATE=100000r/s WORKTIME_PWCHANGE_BURST=100000 ./stack up
#   bench/password_abuse.sh; ./stack up        # (restores the limit)
set -euo pipefail
cd "$(dirname "$0")/.."
samples=${1:-40}
conns=${2:-8}
conf=var/worktime.conf
base=$(sed -n 's/^site.url = //p' "$conf")
hostport=${base#https://}
port=${hostport##*:}
resolve=(--resolve "$hostport:127.0.0.1" --cacert var/tls/cert.pem)
psql() { ./stack psql -X -q -At "$@"; }

email=$(sed -n 's/^email: //p' var/initial-admin.txt)
pw=$(sed -n 's/^password: //p' var/initial-admin.txt)
signin_body=$(jq -cn --arg e "$email" --arg p "$pw" '{email: $e, password: $p}')

# The abuser: a member with a password, signed in with a cookie.
abuser="abuse-$(date +%s)-$$@example.test"
apw="Lantern-Quarry-Bison-$RANDOM"
printf '%s\n' "$apw" | var/app/bin/wtctl --config "$conf" create-user --email "$abuser" \
	--name "Abusive Member" --role member >/dev/null
jar=$(mktemp); lua=$(mktemp --suffix=.lua); out=$(mktemp)
trap 'rm -f "$jar" "$lua" "$out"' EXIT
curl -sS "${resolve[@]}" -c "$jar" -b "$jar" -o /dev/null "$base/login"
csrf=$(curl -sS "${resolve[@]}" -c "$jar" -b "$jar" "$base/login" |
	sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
curl -sS "${resolve[@]}" -c "$jar" -b "$jar" -o /dev/null \
	--data-urlencode "csrf=$csrf" --data-urlencode "email=$abuser" \
	--data-urlencode "password=$apw" "$base/login"
session=$(awk '$6 == "__Host-wt_session" { print $7 }' "$jar")
[ -n "$session" ] || { echo "the abuser could not sign in" >&2; exit 1; }
acsrf=$(curl -sS "${resolve[@]}" -b "$jar" "$base/account" |
	sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
# The right current password, and as the new one the current password
# again: in the history, so refused only after every hash was computed.
cat >"$lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "application/json"
wrk.headers["Cookie"] = "__Host-wt_session=$session"
wrk.headers["X-CSRF-Token"] = "$acsrf"
wrk.body = "current_password=$apw&password=$apw&password_confirm=$apw"
LUA

signins() {  # signins N: N sign-ins one after the other, ms each
	local i
	for i in $(seq 1 "$1"); do
		curl -sS --interface 127.0.0.2 "${resolve[@]}" -o /dev/null \
			-w '%{http_code} %{time_total}\n' -H 'Content-Type: application/json' \
			--data-raw "$signin_body" "$base/api/v1/token"
		sleep 0.1
	done
}
stats() {  # stats LABEL: the median and p95 of the ms on stdin
	local in bad
	in=$(cat)
	bad=$(awk '$1 != 200' <<<"$in" | wc -l)
	awk '$1 == 200 { printf "%.1f\n", $2 * 1000 }' <<<"$in" | sort -n |
	awk -v label="$1" -v bad="$bad" '{ ms[++n] = $1 }
	END {
		printf "%-24s n=%d  median %6.1f ms  p95 %6.1f ms  max %6.1f ms%s\n", label, n,
		    ms[int((n + 1) / 2)], ms[int(n * 0.95 + 0.999)], ms[n],
		    bad ? sprintf("  (%d not 200)", bad) : ""
	}'
}

echo "instance $base; $samples sign-ins each; abuse on $conns connections (wrk)"
grep -o 'zone=pwchange:[^;]*' var/nginx/nginx.conf | sed 's/^/nginx: /' || true
psql -c "DELETE FROM login_failures WHERE key IN ('127.0.0.1', '127.0.0.2', '::1')" >/dev/null
signins "$samples" | stats "sign-in, quiet"
psql -c "DELETE FROM login_failures WHERE key IN ('127.0.0.1', '127.0.0.2', '::1')" >/dev/null
dur=$(( samples * 3 / 10 + 10 ))
wrk -t2 -c"$conns" -d"${dur}s" -s "$lua" "$base/account/password" >"$out" 2>&1 &
wrk_pid=$!
sleep 2
signins "$samples" | stats "sign-in, while abused"
wait "$wrk_pid" || true
reqs=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$out")
non2xx=$(sed -n 's/^ *Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' "$out")
echo "  abuse: ${reqs:-?} requests in ${dur} s, ${non2xx:-0} of them refused (nginx's 429," \
	"the program's 429, or 400)"
# The control: the same flood of a route that costs nothing (/healthz
# answers from nginx's and the program's cheapest path): what is left of
# the slowdown is the flood's, not the hashing's.
wrk -t2 -c"$conns" -d"${dur}s" "$base/healthz" >"$out" 2>&1 &
wrk_pid=$!
sleep 2
signins "$samples" | stats "sign-in, /healthz flood"
wait "$wrk_pid" || true
echo "  control: $(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$out") requests of /healthz in ${dur} s"
uid=$(psql -c "SELECT id FROM users WHERE email = lower('$abuser')")
echo "the program counted $(psql -c "SELECT coalesce(max(failures), 0) FROM login_failures
	WHERE kind = 'change' AND key = '$uid'") hashing attempts of the abuser's (each one" \
	"up to seven scrypt hashes); the rest never reached a hash"
psql -c "DELETE FROM users WHERE id = $uid" >/dev/null
