#!/usr/bin/env bash
# nginx's rate limit on the sign-in routes: a flood of POSTs to /login gets
# 429s, answered by nginx as JSON with Retry-After; other pages are not
# limited.  Runs last of the auth files: it leaves the limit used up, and
# waits for it to recover before it ends.
. "$(dirname "$0")/lib.sh"

dir=$TMPD/flood
mkdir -p "$dir/code"
# 120 POSTs in parallel, multiplexed by one curl over HTTP/2 so that the
# flood is fast even on a slow machine.  Without a CSRF token the program
# answers 403 at once: only nginx's limit can say 429.
args=(-sS -Z --parallel-max 60)
for i in $(seq 1 120); do
	[ "$i" -gt 1 ] && args+=(--next)
	args+=(--cacert "$WT_CACERT" -X POST -D "$dir/h$i" -o "$dir/b$i" -w '%{http_code}\n'
		--data "email=flood@example.test&password=x" "$WT_BASE/login")
done
t0=$(date +%s.%N)
curl "${args[@]}" >/dev/null 2>"$dir/errors" || true
elapsed=$(printf "%.2f" "$(echo "$(date +%s.%N) - $t0" | bc)")
for i in $(seq 1 120); do
	sed -n '1s/^HTTP\/[0-9.]* \([0-9]*\).*/\1/p' "$dir/h$i" 2>/dev/null >"$dir/code/$i"
done
total=$(cat "$dir"/code/* | wc -w)
is "$total" 120 "120 requests were answered"
[ "$total" = 120 ] || diag "curl: $(head -c 300 "$dir/errors")"
n429=$(cat "$dir"/code/* | tr ' ' '\n' | grep -c '^429$' || true)
n403=$(cat "$dir"/code/* | tr ' ' '\n' | grep -c '^403$' || true)
other=$((total - n429 - n403))
diag "429: $n429, 403: $n403, other: $other"
ok $(( n429 == 0 )) "some were refused with 429 ($n429)"
ok $(( n403 == 0 )) "the first ones reached the program (403 without a CSRF token: $n403)"
is "$other" 0 "every answer is 429 or 403"
# burst 40, then 20 a second
allowed=$(echo "40 + 20 * ($elapsed + 1)" | bc | cut -d. -f1)
ok $(( n403 > allowed )) "no more got through than the burst and the rate allow ($n403 <= $allowed in ${elapsed:0:4} s)"

one=$(grep -l '^429$' "$dir"/code/* | head -1)
k=${one##*/}
h=$(tr -d '\r' <"$dir/h$k")
like "$h" '^[Rr]etry-[Aa]fter: 1$' "a 429 carries Retry-After: 1"
like "$h" '^[Cc]ontent-[Tt]ype: application/json' "... is JSON"
is "$(jq -c . <"$dir/b$k")" \
	'{"status":429,"error":"Too Many Requests","message":"too many requests from your address; slow down"}' \
	"... nginx's 429 body"
like "$h" '^[Cc]ontent-[Ss]ecurity-[Pp]olicy: ' "... with the security headers"
bad=0
for f in $(grep -l '^429$' "$dir"/code/*); do
	k=${f##*/}
	jq -e '.status == 429' <"$dir/b$k" >/dev/null 2>&1 || bad=$((bad + 1))
done
is "$bad" 0 "every 429 has the JSON body"

# Pages outside the limit are served meanwhile.
req GET /healthz
is "$STATUS" 200 "/healthz is not limited"
req GET /account.json
is "$STATUS" 401 "/account is not limited (401: not signed in)"

# Let the limit recover so whatever runs next is not affected.
sleep 3
req GET /login
is "$STATUS" 200 "three seconds later /login is served again"
is "$(sql "SELECT count(*) FROM login_failures WHERE key = 'flood@example.test'")" 0 \
	"the refused requests counted no sign-in failures"

done_testing
