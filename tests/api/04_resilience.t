#!/usr/bin/env bash
# The database going away gives 503, coming back gives 200 with no program
# restarted; a killed worker is replaced and no request fails meanwhile.
. "$(dirname "$0")/lib.sh"

programs=(dash auth ingest admin)

declare -A sup
for p in "${programs[@]}"; do sup[$p]=$(cat "$WT_RUN/$p.pid"); done

"$WT_ROOT/stack" pg stop >/dev/null
for p in "${programs[@]}"; do
	# Twice: both workers of each program must notice.
	for i in 1 2; do
		req GET "$(health_path "$p")"
		is "$STATUS" 503 "$p: database stopped -> /healthz is 503 ($i)"
	done
	is "$(jq_body .db)" unavailable "$p: 503 body says the database is unavailable"
	is "$(header retry-after)" 5 "$p: 503 says when to retry"
done
req GET / -H 'Accept: text/html'
is "$STATUS" 200 "front page still renders without the database"
like "$BODY" '</main>' "... the whole page"

"$WT_ROOT/stack" pg start >/dev/null
fails=0
for p in "${programs[@]}"; do
	for i in 1 2 3 4 5 6; do
		req GET "$(health_path "$p")"
		[ "$STATUS" = 200 ] || fails=$((fails + 1))
	done
done
is "$fails" 0 "database back -> every /healthz answer is 200 at once"
for p in "${programs[@]}"; do
	is "$(cat "$WT_RUN/$p.pid")" "${sup[$p]}" "$p: same supervisor, no restart"
done

# Kill one dash worker hard, then keep asking.
workers=$(pgrep -P "${sup[dash]}" | sort)
nworkers=$(wc -w <<<"$workers")
is "$nworkers" "$WT_WORKERS" "dash runs $WT_WORKERS workers"
victim=$(head -1 <<<"$workers")
kill -9 "$victim"
fails=0
for i in $(seq 1 200); do
	code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$WT_CACERT" "$WT_BASE/healthz")
	[ "$code" = 200 ] || fails=$((fails + 1))
done
is "$fails" 0 "200 requests after killing a worker: none failed"
sleep 0.5
after=$(pgrep -P "${sup[dash]}" | sort)
is "$(wc -w <<<"$after")" "$WT_WORKERS" "the supervisor is back to $WT_WORKERS workers"
unlike "$after" "^$victim\$" "the killed worker was replaced by a new process"
grep -q "worker $victim exited (signal 9); respawning" "$WT_LOG/dash.log"
ok $? "the supervisor logged the death and the respawn"

# Kill all workers at once, under load from a parallel client.
( for i in $(seq 1 100); do
	curl -s -o /dev/null -w '%{http_code}\n' --cacert "$WT_CACERT" "$WT_BASE/healthz"
  done >"$TMPD/codes" ) &
loader=$!
sleep 0.2
pkill -9 -P "${sup[dash]}"
wait $loader
bad=$(grep -vc '^200$' "$TMPD/codes" || true)
total=$(wc -l <"$TMPD/codes")
is "$total" 100 "the parallel client made all its requests"
diag "requests failed while every worker was killed at once: $bad (only those in flight may)"
ok $(( bad > WT_WORKERS )) "at most one request per killed worker failed ($bad)"
sleep 1.2
req GET /healthz
is "$STATUS" 200 "dash answers again after all its workers were killed"

done_testing
