#!/usr/bin/env bash
# Every program answers /healthz through nginx, over verified TLS.
. "$(dirname "$0")/lib.sh"

for p in dash auth ingest admin; do
	path=$(health_path "$p")
	req GET "$path"
	is "$STATUS" 200 "$p: GET $path is 200"
	is "$(jq_body -c .)" '{"status":"ok","db":"ok"}' "$p: body says status ok, db ok"
	like "$(header content-type)" '^application/json' "$p: answers JSON"
	like "$(header x-request-id)" '^[0-9a-f]{32}$' "$p: carries nginx's request id"
done

# HEAD is answered like GET, without a body.
out=$(curl -sS --cacert "$WT_CACERT" -I "$WT_BASE/healthz" -o /dev/null -w '%{http_code} %{size_download}')
is "$out" "200 0" "HEAD /healthz: 200 and no body"

# Plain HTTP only redirects to HTTPS.
loc=$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' "http://localhost:$WT_HTTP_PORT/day?x=1")
is "$loc" "301 https://localhost:${WT_BASE##*:}/day?x=1" "http:// redirects to https:// keeping path and query"

done_testing
