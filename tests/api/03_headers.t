#!/usr/bin/env bash
# Security headers on every kind of answer: pages, JSON, errors, static
# files, nginx's own errors.
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
is "$STATUS" 200 "front page: 200"
like "$(header content-type)" '^text/html; charset=utf-8' "front page is HTML"
like "$BODY" '<!DOCTYPE html>' "front page is a document"
like "$BODY" '<nav class="site-nav"' "front page has the navigation"
like "$BODY" 'href="/static/css/worktime.css"' "front page links the stylesheet"
unlike "$BODY" '<script>|style=' "front page has no inline script or style"
is "$(header cache-control)" no-store "pages are not cached"
check_headers "page"

req GET /.json
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

done_testing
