#!/usr/bin/env bash
# Activity ingest through nginx: what only the real path can show.
# Two processes uploading interleaved (and repeated) batches for one
# device store every span exactly once; PostgreSQL restarted in the middle
# of a stream of uploads loses nothing (the client retries) and doubles
# nothing; one device over its rate gets 429 with Retry-After while another
# is not slowed; bodies over the cap are refused by nginx.
. "$(dirname "$0")/lib.sh"

tag=ing$$
uid=$(sql "INSERT INTO users (email, display_name, role, status)
	VALUES ('$tag@example.com', 'Ingest $tag', 'member', 'active') RETURNING id")
device() {  # device NAME: a device's token (the row made with its hash)
	local tok
	tok=$(rand_hex 32)
	sql "INSERT INTO devices (user_id, name, token_hash)
	     VALUES ($uid, '$1 $tag', '$(printf %s "$tok" | sha256sum | cut -c1-64)')" >/dev/null
	echo "$tok"
}
dev_id() { sql "SELECT id FROM devices WHERE name = '$1 $tag'"; }
totals() { sql "SELECT count(*) || '/' || coalesce(sum(duration_ms), 0) FROM activity
	WHERE device_id = $1"; }
base=$(( $(date +%s) - 4 * 3600 ))

# batch_json SEQ: ten contiguous 10-second spans, batch SEQ covering
# [base + 100*SEQ, base + 100*SEQ + 100) seconds.
batch_json() {
	local seq=$1 k start spans=""
	for k in $(seq 0 9); do
		start=$(date -u -d "@$((base + seq * 100 + k * 10))" +%Y-%m-%dT%H:%M:%SZ)
		spans+="${spans:+,}{\"start\":\"$start\",\"duration_ms\":10000,\"app\":\"app$((k % 4))\",\"title\":\"batch $seq span $k — é 漢字\"}"
	done
	printf '{"batch":%d,"spans":[%s]}' "$seq" "$spans"
}

# upload TOKEN SEQ: posts a batch until it is answered 200, as the agent
# does: again after a 5xx, a 429, a refused connection or no answer; a
# 4xx is final.
upload() {
	local tok=$1 seq=$2 code i f
	f=$TMPD/b.$seq.$BASHPID
	batch_json "$seq" >"$f"
	for i in $(seq 1 150); do
		code=$(curl -s -o "$f.out" -w '%{http_code}' --cacert "$WT_CACERT" --max-time 10 \
			-H "Authorization: Bearer $tok" -H 'Content-Type: application/json' \
			--data-binary "@$f" "$WT_BASE/api/v1/activity") || true
		[ "$code" = 200 ] && return 0
		if [[ $code == 4* ]] && [ "$code" != 408 ] && [ "$code" != 429 ]; then
			echo "batch $seq refused: $code $(cat "$f.out")" >&2
			return 1
		fi
		sleep 0.2
	done
	echo "batch $seq never got a 200 (last: $code)" >&2
	return 1
}

# --- two uploaders, one device --------------------------------------------
tok=$(device twin)
(for s in $(seq 0 2 38); do upload "$tok" "$s"; done; for s in 5 9 13; do upload "$tok" "$s"; done) &
p1=$!
(for s in $(seq 1 2 39); do upload "$tok" "$s"; done; for s in 4 8 12; do upload "$tok" "$s"; done) &
p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
is "$r1/$r2" "0/0" "two processes uploaded 40 interleaved batches (and six repeats) for one device"
is "$(totals "$(dev_id twin)")" "400/4000000" "every span stored exactly once: 400 spans, 4,000 s"
is "$(sql "SELECT count(*) FROM activity_batches WHERE device_id = $(dev_id twin)")" 40 \
	"each batch recorded once"
# The same spans again under new batch numbers: covered, so dropped.
upload "$tok" 1000 >/dev/null 2>&1 || true
batch_json 3 | sed 's/"batch":3/"batch":1001/' >"$TMPD/again"
req POST /api/v1/activity -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' \
	--data-binary "@$TMPD/again"
is "$(jq_body '[.accepted, .dropped] | join(",")')" "0,10" \
	"batch 3's spans resent as batch 1001: all ten dropped, none stored twice"

# --- PostgreSQL restarted in the middle of a stream -------------------------
tok=$(device restart)
(for s in $(seq 0 29); do upload "$tok" "$s" || exit 1; sleep 0.05; done) &
p=$!
sleep 0.6
"$WT_ROOT/stack" pg stop >/dev/null
sleep 1.5
"$WT_ROOT/stack" pg start >/dev/null
wait $p
is "$?" 0 "30 batches uploaded while PostgreSQL went away and came back (the client retried)"
is "$(totals "$(dev_id restart)")" "300/3000000" "nothing lost and nothing doubled: 300 spans, 3,000 s"

# --- one device over its rate ---------------------------------------------
fast=$(device fast)
calm=$(device calm)
for i in $(seq 1 400); do printf 'url = "%s"\noutput = "/dev/null"\n' "$WT_BASE/api/v1/heartbeat"; done >"$TMPD/urls"
codes=$(curl -s --cacert "$WT_CACERT" -H "Authorization: Bearer $fast" \
	-H 'Content-Type: application/json' -d '{}' -w '%{http_code}\n' -K "$TMPD/urls" |
	sort | uniq -c | awk '{ printf "%s:%s ", $2, $1 }')
like "$codes" '429:' "400 heartbeats at once from one device: some are refused with 429 ($codes)"
like "$codes" '200:' "... after the first ones were accepted"
req POST /api/v1/heartbeat -H "Authorization: Bearer $fast" -H 'Content-Type: application/json' -d '{}'
if [ "$STATUS" = 429 ]; then
	like "$(header retry-after)" '^[0-9]+$' "the 429 says when to come back (Retry-After)"
	is "$(jq_body .status)" 429 "... in a JSON body"
else
	ok 0 "the 429 says when to come back (skipped: the limit had already recovered)"
	ok 0 "... in a JSON body (skipped)"
fi
req POST /api/v1/heartbeat -H "Authorization: Bearer $calm" -H 'Content-Type: application/json' -d '{}'
is "$STATUS" 200 "another device at the same moment is not slowed"
twin=$(device twin-spelling)
for i in $(seq 1 400); do printf 'url = "%s"\noutput = "/dev/null"\n' "$WT_BASE/api/v1/heartbeat.json"; done >"$TMPD/urls"
codes=$(curl -s --cacert "$WT_CACERT" -H "Authorization: Bearer $twin" \
	-H 'Content-Type: application/json' -d '{}' -w '%{http_code}\n' -K "$TMPD/urls" | sort -u | paste -sd,)
like "$codes" '429' "the .json spelling meets the same limit ($codes)"

# The scheme's case does not matter to the program ("bearer", "BEARER"):
# each of its 64 spellings must not be a bucket of its own at nginx.
cased=$(device cased-spelling)
word=Bearer
for i in $(seq 0 399); do
	s=
	for k in 0 1 2 3 4 5; do
		c=${word:k:1}
		if [ $(((i >> k) & 1)) = 1 ]; then s+=${c^^}; else s+=${c,,}; fi
	done
	printf 'url = "%s"\noutput = "/dev/null"\nheader = "Authorization: %s %s"\n' \
		"$WT_BASE/api/v1/heartbeat" "$s" "$cased"
	# "next" forgets every option: each request has them all.
	printf 'header = "Content-Type: application/json"\ndata = "{}"\nwrite-out = "%%{http_code}\\n"\n'
	printf 'silent\ncacert = "%s"\n' "$WT_CACERT"
	[ "$i" = 399 ] || echo next
done >"$TMPD/urls"
codes=$(curl -K "$TMPD/urls" | sort | uniq -c |
	awk '{ printf "%s:%s ", $2, $1 }')
like "$codes" '429:' "400 heartbeats from one device, spelling Bearer 64 ways: some get 429 ($codes)"
like "$codes" '200:' "... and every spelling is accepted by the program"

# --- bodies over the cap ---------------------------------------------------
tok=$(device big)
head -c 1500000 /dev/zero | tr '\0' 'x' | sed 's/^/{"batch":1,"spans":[],"pad":"/; s/$/"}/' >"$TMPD/big"
req POST /api/v1/activity -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' \
	--data-binary "@$TMPD/big"
is "$STATUS" 413 "a 1.5 MB batch is refused before it reaches the program"
is "$(jq_body .status)" 413 "... with a JSON body"

done_testing
