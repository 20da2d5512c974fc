#!/usr/bin/env bash
# Security headers as they leave nginx, on every kind of answer: a page,
# JSON, a program's error, static files, and nginx's own error pages.
# (What the programs put on their answers, and the pages themselves, are
# checked in process by tests/inproc/test_dash.c.)
. "$(dirname "$0")/lib.sh"

check_headers() {
	local what=$1
	like "$(header strict-transport-security)" 'max-age=[0-9]{7,}' "$what: HSTS"
	local csp
	csp=$(header content-security-policy)
	like "$csp" "frame-ancestors 'none'" "$what: CSP forbids framing"
	like "$csp" "script-src 'self'" "$what: CSP allows only our own scripts"
	unlike "$csp" "unsafe-inline|unsafe-eval" "$what: CSP has no inline script"
	is "$(header x-content-type-options)" nosniff "$what: nosniff"
	like "$(header referrer-policy)" '^(same-origin|no-referrer|strict-origin)' "$what: Referrer-Policy"
}

req GET /
is "$STATUS" 200 "front page through nginx: 200"
is "$(grep -ci '^content-security-policy:' <<<"$HDRS")" 1 "... one CSP header, not a second from nginx"
check_headers "page"

req GET /healthz
check_headers "JSON"

req GET /missing
check_headers "404"

req GET /static/css/worktime.css
is "$STATUS" 200 "stylesheet is served by nginx"
like "$(header content-type)" '^text/css' "stylesheet has a CSS type"
like "$(header cache-control)" 'max-age=[0-9]+' "stylesheet may be cached"
like "$(header etag)" '.' "stylesheet has an ETag"
check_headers "static"

req GET /static/nothing.css
is "$STATUS" 404 "a missing static file is 404"

# A body far over client_max_body_size: nginx answers before any program
# sees it (a body just over http.max_body is the program's 413, checked
# in process by tests/inproc/test_auth_tokens.c).
head -c 3000000 /dev/zero | tr '\0' a >"$TMPD/huge"
req POST /api/v1/token -H 'Content-Type: application/json' --data-binary "@$TMPD/huge"
is "$STATUS" 413 "a 3 MB body: 413"
like "$(header content-type)" '^application/json' "... as JSON"
is "$(jq_body .message)" "the request body is larger than the server accepts" "... from nginx"
check_headers "nginx's 413"

# What nginx refuses before any location sees it: two Content-Lengths
# (request smuggling's first step), a header name with a control byte.
for how in "two Content-Lengths" "a control byte in a header name"; do
	if [ "$how" = "two Content-Lengths" ]; then
		args=(-X POST -H 'Content-Type: application/json' -H 'Content-Length: 2'
			-H 'Content-Length: 3' --data-raw '{}' "$WT_BASE/api/v1/activity")
	else
		args=(-H $'X-Bad\x01: y' "$WT_BASE/")
	fi
	STATUS=$(curl -sS --http1.1 --cacert "$WT_CACERT" -D "$TMPD/h" -o "$TMPD/b" \
		-w '%{http_code}' "${args[@]}") || true
	BODY=$(cat "$TMPD/b")
	HDRS=$(tr -d '\r' <"$TMPD/h" | awk -F': ' '{ $1 = tolower($1); print }' OFS=': ')
	is "$STATUS" 400 "$how: nginx's 400"
	is "$(jq_body .status)" 400 "... as JSON"
	check_headers "nginx's 400 ($how)"
done

# An address longer than nginx reads (large_client_header_buffers): 414,
# as JSON like every other refusal, not nginx's HTML page.
long=$(head -c 20000 /dev/zero | tr '\0' a)
STATUS=$(curl -sS --http1.1 --cacert "$WT_CACERT" -D "$TMPD/h" -o "$TMPD/b" \
	-w '%{http_code}' "$WT_BASE/api/v1/agent/config?x=$long") || true
BODY=$(cat "$TMPD/b")
HDRS=$(tr -d '\r' <"$TMPD/h" | awk -F': ' '{ $1 = tolower($1); print }' OFS=': ')
is "$STATUS" 414 "a 20 kB address: nginx's 414"
like "$(header content-type)" '^application/json' "... as JSON"
is "$(jq_body .message)" "the address is longer than the server accepts" "... saying what is wrong"
check_headers "nginx's 414"

done_testing
