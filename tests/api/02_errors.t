#!/usr/bin/env bash
# 404, 405 and malformed input get proper answers, in the format asked for.
. "$(dirname "$0")/lib.sh"

req GET /no/such/page -H 'Accept: application/json'
is "$STATUS" 404 "unknown path: 404"
is "$(jq_body .error)" "Not Found" "404: JSON error names the status"
like "$(jq_body .message)" "/no/such/page" "404: message names the path"
is "$(jq_body .request_id)" "$(header x-request-id)" "404: body carries the request id"

req GET /no/such/page -H 'Accept: text/html'
is "$STATUS" 404 "unknown path as HTML: 404"
like "$(header content-type)" '^text/html' "404 for a browser is HTML"
like "$BODY" '<h1>404 Not Found</h1>' "404 page has a heading"
like "$BODY" '<footer' "404 page uses the shared layout"

req GET '/no/<script>alert(1)</script>' -H 'Accept: text/html'
unlike "$BODY" '<script>alert' "a path with markup is escaped on the 404 page"
like "$BODY" '&lt;script&gt;' "... and shown as text"

req GET /api/v1/nothing-here
like "$(header content-type)" '^application/json' "/api/ paths answer errors as JSON without asking"

req DELETE / -H 'Accept: application/json'
is "$STATUS" 405 "DELETE /: 405"
is "$(header allow)" "GET, HEAD" "405 says what is allowed"
is "$(jq_body .error)" "Method Not Allowed" "405: JSON error"

req POST /healthz -H 'Accept: application/json' --data-raw '{}'
is "$STATUS" 405 "POST /healthz: 405"

req GET '/?a=%zz' -H 'Accept: application/json'
is "$STATUS" 400 "malformed percent-encoding in the query: 400"
like "$(jq_body .message)" 'percent-encoding' "... and says why"

req GET '/?a=%00' -H 'Accept: application/json'
is "$STATUS" 400 "%00 in the query: 400"

req GET '/?a=%C3%28' -H 'Accept: application/json'
is "$STATUS" 400 "invalid UTF-8 in the query: 400"
like "$(jq_body .message)" 'UTF-8' "... and says why"

req GET /index.json
is "$STATUS" 404 "a .json twin of a page that does not exist is 404"
req GET /.json
is "$STATUS" 200 "/.json is the JSON twin of the front page"
like "$(header content-type)" '^application/json' "... answered as JSON"

# After all of the above every program still answers.
for p in dash auth ingest admin; do
	path=$(health_path "$p")
	req GET "$path"
	is "$STATUS" 200 "$p still healthy after bad requests"
done

done_testing
