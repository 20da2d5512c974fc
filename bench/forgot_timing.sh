#!/usr/bin/env bash
# Does "forgot password" answer a known address slower than an unknown one
# (issue 8, security 5)?  Before the fix, a known address cost two
# database writes and a commit before the answer: medians about 2.6 ms
# against 0.5 ms, no overlap over 30 samples.
#
# Sends POST /password/forgot.json through nginx, alternating a known
# address (one of ten accounts made for the run, so the mail limit per
# address does not change the work) and an unknown one, SAMPLES of each,
# and times each request on one kept-alive connection (curl's time_total
# of the transfer: no connection set-up or TLS handshake in it).
# Prints medians, quartiles, and how the two sets overlap.
#
# Needs ./stack up.   bench/forgot_timing.sh [SAMPLES]
set -euo pipefail
cd "$(dirname "$0")/.."
samples=${1:-40}
conf=var/worktime.conf
base=$(sed -n 's/^site.url = //p' "$conf")
hostport=${base#https://}
resolve=(--resolve "$hostport:127.0.0.1" --cacert var/tls/cert.pem)
psql() { ./stack psql -X -q -At "$@"; }
run=ft$(date +%s)$$
jar=$(mktemp); out=$(mktemp)
trap 'rm -f "$jar" "$out"; psql -c "DELETE FROM users WHERE email LIKE '"'"'$run-%'"'"'" >/dev/null' EXIT

psql -c "INSERT INTO users (email, display_name, status, email_verified_at)
	SELECT '$run-' || i || '@example.test', 'Forgot ' || i, 'active', now()
	FROM generate_series(0, 9) i" >/dev/null
csrf=$(curl -sS "${resolve[@]}" -c "$jar" -b "$jar" "$base/password/forgot" |
	sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
# One curl for every request, one after the other on one kept-alive
# connection: time_total of a transfer is then the request and its answer
# alone (no connection, no TLS handshake).
args=(-sS "${resolve[@]}" -b "$jar" --http1.1)
for i in $(seq 1 "$samples"); do
	for kind in known unknown; do
		if [ "$kind" = known ]; then addr="$run-$((i % 10))@example.test"
		else addr="nobody-$run-$i@example.test"; fi
		[ "$i$kind" = 1known ] || args+=(--next "${resolve[@]}" -b "$jar" --http1.1)
		args+=(-o /dev/null -H 'Content-Type: application/json'
			-w "$kind %{http_code} 0 %{time_total}\n"
			--data-raw "{\"email\":\"$addr\",\"csrf\":\"$csrf\"}"
			"$base/password/forgot.json")
	done
done
# Paced well under nginx's limit of the route (20 a second).
curl --rate 8/s "${args[@]}" >"$out"
bad=$(awk '$2 != 202' "$out" | wc -l)
awk '$2 == 202 { printf "%s %.3f\n", $1, ($4 - $3) * 1000 }' "$out" | sort -k2 -n | awk -v bad="$bad" '
	{ v[$1, ++n[$1]] = $2; all[++m] = $1 }
	function q(k, p) { return v[k, int(n[k] * p + 0.5) < 1 ? 1 : int(n[k] * p + 0.5)] }
	END {
		for (k in n)
			printf "%-8s n=%d  median %.3f ms  quartiles %.3f / %.3f ms  min %.3f  max %.3f\n",
			    k, n[k], q(k, 0.5), q(k, 0.25), q(k, 0.75), v[k, 1], v[k, n[k]]
		# Mann-Whitney U of known against unknown: 0.5 is no difference,
		# 0 or 1 complete separation.
		for (i = 1; i <= m; i++) if (all[i] == "known") u += unk; else unk++
		printf "P(a known answer is slower than an unknown one) = %.2f (0.50: indistinguishable)\n",
		    u / (n["known"] * n["unknown"])
		if (bad) printf "%d answers were not 202\n", bad
	}'
