#!/usr/bin/env bash
# Batches of many devices at once, through nginx: ingest's workers store
# them several to a transaction (cgi/ingest/group.h), and each is still
# stored exactly once, trimmed against its device's earlier batches, and
# answered as it would be alone; sent again, all at once, each is
# answered the same and nothing is stored twice.  Batches that queue while
# both transactions are busy are stored together in the next one.
. "$(dirname "$0")/lib.sh"

tag=grp$$
DEVICES=12
BATCHES=20
uid=$(sql "INSERT INTO users (email, display_name, role, status, timezone)
	VALUES ('$tag@example.com', 'Group 漢字 $tag', 'member', 'active', 'Asia/Kolkata') RETURNING id")
base=$(( $(date +%s) - 5 * 3600 ))

# Batch SEQ of a device: ten 10-second spans from base + 50*SEQ s, so each
# batch covers the second half of the one before: whichever of two
# overlapping batches is stored first keeps the shared 50 s, the other's
# five spans there are dropped, and a device's total is the union,
# 50 * (BATCHES + 1) s, in whatever order and grouping the batches land.
batch_json() {  # batch_json DEVICE SEQ
	local d=$1 seq=$2 k start spans=""
	for k in $(seq 0 9); do
		start=$(date -u -d "@$((base + seq * 50 + k * 10))" +%Y-%m-%dT%H:%M:%S.250Z)
		spans+="${spans:+,}{\"start\":\"$start\",\"duration_ms\":10000,\"app\":\"app$((k % 3))\",\"title\":\"device $d span $k — é 🙂 $tag\",\"afk\":$([ "$k" = 9 ] && echo true || echo false)}"
	done
	printf '{"batch":%d,"spans":[%s]}' "$seq" "$spans"
}

# mkdevice NAME: a device of the person, its token in $TMPD/tok.NAME;
# prints its id.
mkdevice() {
	local tok
	tok=$(rand_hex 32)
	echo "$tok" >"$TMPD/tok.$1"
	sql "INSERT INTO devices (user_id, name, token_hash)
		VALUES ($uid, 'device $1 $tag', '$(printf %s "$tok" | sha256sum | cut -c1-64)')
		RETURNING id"
}

# post_batch NAME FILE TRIES: FILE posted by device NAME, again until it is
# answered 200 (as agents do), TRIES times at most; the last status into
# $TMPD/code.NAME, the answer into $TMPD/body.NAME.
post_batch() {
	local i code
	for i in $(seq 1 "$3"); do
		code=$(curl -s -o "$TMPD/body.$1" -w '%{http_code}' --cacert "$WT_CACERT" --max-time 30 \
			-H "Authorization: Bearer $(cat "$TMPD/tok.$1")" -H 'Content-Type: application/json' \
			--data-binary "@$2" "$WT_BASE/api/v1/activity") || true
		[ "$code" = 200 ] && break
		[ "$i" = "$3" ] || sleep 0.3
	done
	echo "$code" >"$TMPD/code.$1"
}

declare -a ID
for d in $(seq 1 $DEVICES); do
	ID[d]=$(mkdevice "$d")
	for s in $(seq 0 $((BATCHES - 1))); do
		batch_json "$d" "$s" >"$TMPD/b.$d.$s"
	done
done

# post_all OUTDIR: every batch, 48 at a time (a curl each, as 48 agents),
# each again until it is answered 200 (a 429 or 503 is retried, as agents
# do).
post_all() {
	local out=$1 round d s
	mkdir -p "$out"
	for round in $(seq 1 40); do
		for d in $(seq 1 $DEVICES); do
			for s in $(seq 0 $((BATCHES - 1))); do
				[ "$(cat "$out/code.$d.$s" 2>/dev/null)" = 200 ] || echo "$d.$s"
			done
		done >"$TMPD/pending"
		[ -s "$TMPD/pending" ] || return 0
		xargs -P 48 -I{} sh -c 'curl -s -o "$1/body.$2" -w "%{http_code}" --cacert "$3" \
			-H "Authorization: Bearer $(cat "$4/tok.${2%.*}")" -H "Content-Type: application/json" \
			--data-binary "@$4/b.$2" "$5/api/v1/activity" >"$1/code.$2"' \
			- "$out" {} "$WT_CACERT" "$TMPD" "$WT_BASE" <"$TMPD/pending"
		sleep 0.5
	done
	return 1
}

post_all "$TMPD/first"
ok $? "$((DEVICES * BATCHES)) overlapping batches of $DEVICES devices, posted 48 at a time, all answered 200"

devs=$(IFS=,; echo "${ID[*]:1}")
want=$(( (BATCHES + 1) * 5 ))
is "$(sql "SELECT count(*) FILTER (WHERE n = $want AND ms = $(( want * 10000 )))
	FROM (SELECT device_id, count(*) n, sum(duration_ms) ms FROM activity
	      WHERE device_id IN ($devs) GROUP BY device_id) t")" "$DEVICES" \
	"each device has the union of its batches: $want spans, $(( want * 10 )) s, none twice"
is "$(sql "SELECT count(*) FROM activity a WHERE device_id IN ($devs) AND EXISTS
	(SELECT 1 FROM activity b WHERE b.device_id = a.device_id AND b.started_at > a.started_at
	 AND b.started_at < a.started_at + a.duration_ms * interval '1 ms')")" 0 \
	"no two stored spans of a device overlap"
is "$(sql "SELECT count(*) || '/' || count(DISTINCT (device_id, seq)) || '/' ||
	sum(accepted) || '/' || sum(dropped) || '/' || bool_and(accepted + dropped = spans)
	FROM activity_batches WHERE device_id IN ($devs)")" \
	"$((DEVICES * BATCHES))/$((DEVICES * BATCHES))/$((DEVICES * want))/$((DEVICES * (BATCHES * 10 - want)))/true" \
	"each batch recorded once, its counts adding up to what is stored"
# Each device names ten windows nobody had: interned in the groups'
# transactions (sql/036), each stored once, each batch's new ones counted
# once per device, and every span pointing at its own device's title.
is "$(sql "SELECT count(*) || '/' || count(DISTINCT (app, title, url)) FROM windows
	WHERE title LIKE '% $tag'")" "$((DEVICES * 10))/$((DEVICES * 10))" \
	"each device's ten new windows stored once"
is "$(sql "SELECT count(*) FILTER (WHERE s = 10) FROM (SELECT device_id, sum(new_windows) s
	FROM activity_batches WHERE device_id IN ($devs) GROUP BY device_id) t")" "$DEVICES" \
	"... each counted once, by the batch that stored it"
is "$(sql "SELECT count(*) FROM activity a JOIN windows w ON w.id = a.window_id
	JOIN devices d ON d.id = a.device_id
	WHERE a.device_id IN ($devs) AND w.title NOT LIKE 'device ' || substring(d.name FROM 'device ([0-9]+) ') || ' span %'")" 0 \
	"... and every span points at its own window"
answers=$(for f in "$TMPD"/first/body.*; do jq -c 'del(.request_id)' "$f"; done | sort | uniq -c | wc -l)
is "$(for d in $(seq 1 $DEVICES); do for s in $(seq 0 $((BATCHES - 1))); do
	jq -r --arg s "$s" 'select(.batch == ($s | tonumber) and .spans == 10 and .accepted + .dropped == 10) | "ok"' \
		"$TMPD/first/body.$d.$s"; done; done | grep -c ok)" "$((DEVICES * BATCHES))" \
	"each answer names its batch and accounts for its ten spans ($answers distinct answers)"

before=$(sql "SELECT count(*) || '/' || sum(duration_ms) FROM activity WHERE device_id IN ($devs)")
post_all "$TMPD/again"
ok $? "the same $((DEVICES * BATCHES)) batches sent again, all at once: all answered 200"
same=0
for d in $(seq 1 $DEVICES); do
	for s in $(seq 0 $((BATCHES - 1))); do
		[ "$(jq -c 'del(.request_id)' "$TMPD/first/body.$d.$s")" = \
		  "$(jq -c 'del(.request_id)' "$TMPD/again/body.$d.$s")" ] && same=$((same + 1))
	done
done
is "$same" "$((DEVICES * BATCHES))" "... each with the answer it got the first time"
is "$(sql "SELECT count(*) || '/' || sum(duration_ms) FROM activity WHERE device_id IN ($devs)")" \
	"$before" "... and nothing stored twice"

# --- batches queued while both transactions wait --------------------------
# Two devices' locks are held here (as a long transaction of theirs would
# hold them), so the two groups storing their batches wait; ten other
# devices' batches posted meanwhile queue, and when the locks go, one
# transaction stores them together.
declare -a QID
for d in $(seq 1 12); do
	QID[d]=$(mkdevice "q$d")
	batch_json "q$d" 1 >"$TMPD/q.$d"
done
qpost() { post_batch "q$1" "$TMPD/q.$1" 1; }  # qpost D: batch 1 of queued device D, once
wt_psql -c "SELECT pg_advisory_lock(7242010, ${QID[1]}), pg_advisory_lock(7242010, ${QID[2]}),
	pg_sleep(5)" >/dev/null &
sleep 0.5
qpost 1 & qpost 2 &
sleep 1
for d in $(seq 3 12); do qpost "$d" & done
wait
is "$(cat "$TMPD"/code.q* | sort | uniq -c | awk '{print $2 ":" $1}')" "200:12" \
	"twelve devices' batches, two of them held up by their locks: all answered 200"
qdevs=$(IFS=,; echo "${QID[*]:1}")
# Rows one transaction wrote share its xmin.
is "$(sql "SELECT max(n) FROM (SELECT count(*) n FROM activity_batches
	WHERE device_id IN ($qdevs) GROUP BY xmin::text) t")" 10 \
	"the ten that queued meanwhile were stored in one transaction"
is "$(sql "SELECT count(*) || '/' || sum(duration_ms) FROM activity WHERE device_id IN ($qdevs)")" \
	"120/1200000" "... every span of the twelve batches stored once"

# --- every worker killed while two groups wait ----------------------------
# The two leaders die with their transactions open (nothing of theirs
# commits), and so do the workers whose batches queued behind them.  The
# agents post again; the new workers find the dead leaders' batches still
# taken, queue them again and store them, and every batch is stored once.
declare -a KID
for d in $(seq 1 6); do
	KID[d]=$(mkdevice "k$d")
	batch_json "k$d" 7 >"$TMPD/k.$d"
done
kpost() { post_batch "k$1" "$TMPD/k.$1" 60; }  # kpost D: batch 7 of device D, until 200
wt_psql -c "SELECT pg_advisory_lock(7242010, ${KID[1]}), pg_advisory_lock(7242010, ${KID[2]}),
	pg_sleep(4)" >/dev/null &
sleep 0.5
kpost 1 & kpost 2 &
sleep 1
for d in 3 4 5 6; do kpost "$d" & done
sleep 0.5
pkill -9 -P "$(cat "$WT_RUN/ingest.pid")"
wait
is "$(cat "$TMPD"/code.k* | sort | uniq -c | awk '{print $2 ":" $1}')" "200:6" \
	"six devices' batches, every ingest worker killed while two groups waited: all answered 200 in the end"
kdevs=$(IFS=,; echo "${KID[*]:1}")
is "$(sql "SELECT count(*) || '/' || sum(duration_ms) FROM activity WHERE device_id IN ($kdevs)")" \
	"60/600000" "... every span stored once"
is "$(sql "SELECT count(*) FROM activity_batches WHERE device_id IN ($kdevs)")" 6 "... each batch recorded once"
grep -q "is gone; its batches are queued again" "$WT_LOG/ingest.log"
ok $? "the dead leaders' batches were queued again (ingest.log)"

done_testing
