#!/usr/bin/env bash
# Issue 8's security points that only nginx and the stack can show:
#  2. every rate-limited route is limited under every spelling (.json
#     twins included), and so is /account/password (3);
#  9. single-use tokens never reach a log, and the logs are the service
#     user's alone;
# 11. plain HTTP redirects to the configured site, whatever Host says,
#     and an anonymous visitor is not told the schema version.
. "$(dirname "$0")/lib.sh"

# --- 2, 3: every spelling is limited ---------------------------------------
limited=(/login /login.json /password/forgot /password/forgot.json /password/reset
	/password/reset.json /register /register.json /api/v1/token /api/v1/token.json
	/api/v1/enroll /api/v1/enroll.json /account/password /account/password.json)
dir=$TMPD/flood
mkdir -p "$dir"
# 25 POSTs to each spelling, interleaved, multiplexed by one curl over
# HTTP/2; /healthz rides along as the control.  Without a CSRF token, a
# session or the fields they need, the programs answer 4xx at once (and
# count no sign-in failure): only nginx says 429.
args=(-sS -Z --parallel-max 60)
n=0
for round in $(seq 1 25); do
	for p in "${limited[@]}" /healthz; do
		n=$((n + 1))
		[ "$n" -gt 1 ] && args+=(--next)
		if [ "$p" = /healthz ]; then
			args+=(--cacert "$WT_CACERT" -o "$dir/b$n" -w "$p %{http_code} $n\n" "$WT_BASE$p")
		else
			args+=(--cacert "$WT_CACERT" -X POST -o "$dir/b$n" -w "$p %{http_code} $n\n"
				--data "flood=1" "$WT_BASE$p")
		fi
	done
done
curl "${args[@]}" >"$dir/codes" 2>"$dir/errors" || true
is "$(wc -l <"$dir/codes")" "$n" "$n requests were answered"
for p in "${limited[@]}"; do
	got=0
	for k in $(awk -v p="$p" '$1 == p && $2 == 429 { print $3 }' "$dir/codes"); do
		grep -q 'too many requests from your address' "$dir/b$k" && got=$((got + 1))
	done
	ok $(( got == 0 )) "$p is rate-limited by nginx ($got of 25 refused with its 429)"
done
is "$(awk '$1 == "/healthz" && $2 != 200' "$dir/codes" | wc -l)" 0 "/healthz is not limited meanwhile"
bad=0
for f in "$dir"/b*; do
	if grep -q '"status":429' "$f" && ! grep -q 'too many requests from your address' "$f"; then
		bad=$((bad + 1))
	fi
done
is "$bad" 0 "every 429 is nginx's own JSON answer"
is "$(grep -c 'limiting requests' "$WT_LOG/nginx-error.log" || true)" 0 \
	"refusals are not written to the error log (its lines carry the query string)"

# --- 9: no single-use token in any log --------------------------------------
t1=$(openssl rand -hex 32); t2=$(openssl rand -hex 32)
t3=$(openssl rand -hex 32); t4=$(openssl rand -hex 32)
sleep 3	# the flood's limit recovers
rreq GET "/verify?token=$t1"
is "$STATUS" 400 "a verification link with an unknown token: 400"
rreq GET "/password/reset?token=$t2"
is "$STATUS" 400 "a reset link with an unknown token: 400"
rreq GET "/register?invite=$t3"
like "$STATUS" '^40[03]$' "an invitation link with an unknown token: refused"
rreq GET "/verify/$t4/more"
is "$STATUS" 404 "a token in a path: 404"
req GET "/healthz?probe=$t1"
sleep 0.5
logs=$(cat "$WT_LOG"/*.log)
for t in "$t1" "$t2" "$t3" "$t4"; do
	unlike "$logs" "${t:0:24}" "token ${t:0:8}... is in no log"
done
acc=$(cat "$WT_LOG/nginx-access.log")
like "$acc" '"GET /verify HTTP/[0-9.]+" 400 ' "the access log has the path without the query"
like "$acc" '"GET /verify/\[token\] HTTP/[0-9.]+" 404 ' "... and a token-like path segment cut off"
unlike "$acc" '\?' "no query string at all in the access log"

svc=$(stat -c %U "$WT_RUN")
is "$(stat -c '%a %U' "$WT_LOG")" "700 $svc" "the log directory is the service user's alone"
for f in nginx-access.log nginx-error.log auth.log dash.log ingest.log admin.log \
	 mail-sender.log postgres.log; do
	is "$(stat -c '%a %U' "$WT_LOG/$f")" "600 $svc" "$f: mode 0600, owned by $svc"
done

# --- 11: redirects and what anonymous visitors see --------------------------
loc=$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' -H 'Host: evil.example' \
	"http://localhost:$WT_HTTP_PORT/day?x=1")
is "$loc" "301 $WT_BASE/day?x=1" "plain HTTP with Host: evil.example goes to the configured site"
loc=$(curl -sS -o /dev/null -w '%{redirect_url}' -H 'Host: localhost:1' \
	"http://localhost:$WT_HTTP_PORT/")
is "$loc" "$WT_BASE/" "... and with a Host naming another port too"
req GET /
is "$STATUS" 200 "the front page, anonymously"
unlike "$BODY" 'Schema version|Migrations applied' "... does not show the schema version"

# Let the limits recover so whatever runs next is not affected.
sleep 3
done_testing
