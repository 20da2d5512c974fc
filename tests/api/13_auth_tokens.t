#!/usr/bin/env bash
# Access tokens (JWT, HS256) from /api/v1/token: what is issued, every way
# a forged, stale or broken token is refused, revocation by a password
# change, no CSRF for bearer requests; and how the token endpoint treats
# bodies that are too large, malformed or of the wrong type.
. "$(dirname "$0")/lib.sh"

clear_lockouts
E=token-$$@example.test
PW='Saffron-Glacier-Pillow-24'
make_user "$E" "Token Tester" "$PW"
ok $? "a confirmed user"
TID=$USER_ID
EB=token-b-$$@example.test
make_user "$EB" "Other Tester" "$PW"
BID=$USER_ID

# --- issuing ----------------------------------------------------------------
token_for "$E" "$PW"
is "$STATUS" 200 "POST /api/v1/token: 200"
is "$(jq_body .token_type)" Bearer "token_type Bearer"
is "$(jq_body .expires_in)" 900 "expires_in 900"
GOOD=$TOKEN
like "$GOOD" '^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$' "a JWT of three base64url parts"
is "$(b64url_decode "${GOOD%%.*}")" "$HS256_HEADER" "header: HS256, JWT"
claims=$(jwt_payload "$GOOD")
is "$(jq -r .iss <<<"$claims")" "$WT_BASE" "iss is the site"
is "$(jq -r .sub <<<"$claims")" "$TID" "sub is the user's id, as a string"
is "$(jq -r '.sub | type' <<<"$claims")" string "... (a JSON string)"
is "$(jq -r '.exp - .iat' <<<"$claims")" 900 "exp is 900 s after iat"
is "$(jq -r '.nbf == .iat' <<<"$claims")" true "nbf is iat"
VER=$(sql "SELECT token_version FROM users WHERE id = $TID")
is "$(jq -r .ver <<<"$claims")" "$VER" "ver is the user's token version"

rreq GET /account.json -H "Authorization: Bearer $GOOD"
is "$STATUS" 200 "GET /account.json with the token: 200"
is "$(jq_body .email)" "$E" "... the token's user"
is "$(jq_body .id)" "$TID" "... by id"
rreq GET /account.json -H "Authorization: bearer $GOOD"
is "$STATUS" 200 "the scheme name is case-insensitive"

rreq POST /api/v1/token -H 'Content-Type: application/json' \
	--data-raw "$(jq -cn --arg e "$E" '{email: $e, password: "Wrong-Password-1"}')"
is "$STATUS" 401 "a wrong password: 401"
wrong=$(json_sans_id "$BODY")
rreq POST /api/v1/token -H 'Content-Type: application/json' \
	--data-raw "$(jq -cn --arg e "nobody-$$@example.test" '{email: $e, password: "Wrong-Password-1"}')"
is "$STATUS" 401 "an unknown address: 401"
is "$(json_sans_id "$BODY")" "$wrong" "... the identical answer"
rreq POST /api/v1/token --data-urlencode "email=$E" --data-urlencode "password=$PW"
is "$STATUS" 200 "a form-encoded request works too (no CSRF token needed)"
clear_lockouts

# --- refused tokens ---------------------------------------------------------
refused() {  # refused TOKEN WHAT [MESSAGE]
	rreq GET /account.json -H "Authorization: Bearer $1"
	is "$STATUS" 401 "$2: 401"
	like "$(header www-authenticate)" '^Bearer' "$2: WWW-Authenticate: Bearer"
	if [ $# -ge 3 ]; then is "$(jq_body .message)" "$3" "$2: '$3'"; fi
}
H=$(cut -d. -f1 <<<"$GOOD")
P=$(cut -d. -f2 <<<"$GOOD")
S=$(cut -d. -f3 <<<"$GOOD")
KEY=$(jwt_key)

# Our own signing is right: a token made here with the server's key works,
# so every refusal below is for the one thing changed.
rreq GET /account.json -H "Authorization: Bearer $(jwt_make "$HS256_HEADER" "$(jwt_claims "$TID" "$VER")")"
is "$STATUS" 200 "a token signed here like the server's: 200"

tp=$(jq -c --arg b "$BID" '.sub = $b' <<<"$claims" | b64url)
refused "$H.$tp.$S" "payload changed to another user, signature kept" "token signature is invalid"
tp=$(jq -c '.exp += 86400' <<<"$claims" | b64url)
refused "$H.$tp.$S" "exp extended, signature kept" "token signature is invalid"
refused "$(jwt_make "$HS256_HEADER" "$claims" "$(rand_hex 32)")" "signed with another key" \
	"token signature is invalid"
s2=${S:0:42}$([ "${S:42:1}" = A ] && echo Q || echo A)
refused "$H.$P.$s2" "the signature's last character changed" "token signature is invalid"
refused "$H.$P.${S:0:40}" "a truncated signature" "token signature is invalid"

NONE=$(printf '%s' '{"alg":"none","typ":"JWT"}' | b64url)
refused "$NONE.$P." 'alg "none", empty signature' "token has an empty part"
refused "$NONE.$P.$S" 'alg "none", the real signature kept' "token algorithm is not HS256"
refused "$(printf '%s' '{"alg":"None","typ":"JWT"}' | b64url).$P.$S" 'alg "None"' \
	"token algorithm is not HS256"
h512=$(printf '%s' '{"alg":"HS512","typ":"JWT"}' | b64url)
s512=$(printf '%s' "$h512.$P" | openssl dgst -sha512 -mac HMAC -macopt "hexkey:$KEY" -binary | b64url)
refused "$h512.$P.$s512" "HS512, signed with the server's key" "token algorithm is not HS256"
refused "$(printf '%s' '{"alg":"RS256","typ":"JWT"}' | b64url).$P.$S" "RS256" \
	"token algorithm is not HS256"
refused "$(printf '%s' '{"typ":"JWT"}' | b64url).$P.$S" "no alg" "token algorithm is not HS256"
refused "$(jwt_make '{"alg":"HS256","typ":"JWT","crit":["exp"]}' "$claims")" "a crit header" \
	"token has critical extensions"

refused "$(jwt_make "$HS256_HEADER" "$(jwt_claims "$TID" "$VER" -10 -1000)")" \
	"expired 10 s ago (properly signed)" "token has expired"
refused "$(jwt_make "$HS256_HEADER" "$(jwt_claims "$TID" "$VER" 1200 600)")" \
	"nbf 10 minutes ahead (properly signed)" "token is not valid yet"
refused "$(jwt_make "$HS256_HEADER" "$(jwt_claims "$TID" "$VER" 900 0 https://evil.example)")" \
	"another issuer (properly signed)" "token issuer is wrong"
refused "$(jwt_make "$HS256_HEADER" "$(jwt_claims "$TID" "$VER" 900 0 "$WT_BASE/")")" \
	"the issuer with a trailing slash" "token issuer is wrong"
refused "$(jwt_make "$HS256_HEADER" "$(jwt_claims "$TID" $((VER - 1)))")" \
	"ver older than the user's (properly signed)" "token was revoked"
refused "$(jwt_make "$HS256_HEADER" "$(jwt_claims "$TID" $((VER + 1)))")" \
	"ver newer than the user's" "token was revoked"
refused "$(jwt_make "$HS256_HEADER" "$(jq -c 'del(.ver)' <<<"$claims")")" "no ver claim" \
	"token lacks exp, nbf or ver"
refused "$(jwt_make "$HS256_HEADER" "$(jq -c 'del(.exp)' <<<"$claims")")" "no exp claim" \
	"token lacks exp, nbf or ver"
refused "$(jwt_make "$HS256_HEADER" "$(jq -c '.exp |= tostring' <<<"$claims")")" "exp as a string" \
	"token lacks exp, nbf or ver"
refused "$(jwt_make "$HS256_HEADER" "$(jq -c '.sub |= tonumber' <<<"$claims")")" "sub as a number" \
	"token subject is invalid"
refused "$(jwt_make "$HS256_HEADER" "$(jwt_claims 0 "$VER")")" "sub 0" "token subject is invalid"
refused "$(jwt_make "$HS256_HEADER" "$(jwt_claims 99999999 1)")" "a user that does not exist" \
	"token was revoked"

# (A token without dots may be another program's device token: the
# status and the header are what matters for it here.)
refused garbage "garbage"
refused "$H.$P" "two parts" "malformed token"
refused "$H.$P.$S.$S" "four parts" "malformed token"
refused "..$S" "empty header and payload" "token has an empty part"
refused "$H..$S" "empty payload" "token has an empty part"
refused "%%%.%%%.%%%" "not base64url" "malformed token"
refused "$(printf 'not json' | b64url).$P.$S" "a header that is not JSON" "malformed token"
rreq GET /account.json -H "Authorization: Bearer "
is "$STATUS" 401 "an empty token: 401"

# A disabled user's token stops working at once.
sql "UPDATE users SET status = 'disabled' WHERE id = $TID" >/dev/null
refused "$GOOD" "the user is disabled" "token was revoked"
sql "UPDATE users SET status = 'active' WHERE id = $TID" >/dev/null
rreq GET /account.json -H "Authorization: Bearer $GOOD"
is "$STATUS" 200 "enabled again: the token works again"

# --- no CSRF for bearer requests --------------------------------------------
login c "$E" "$PW"
breq c POST /account -H 'Accept: application/json' --data-urlencode "display_name=Via Cookie" \
	--data-urlencode "timezone=UTC" --data-urlencode "target_pace_min=30"
is "$STATUS" 403 "a cookie request without a CSRF token: 403"
is "$(jq_body .field)" csrf "... for the missing CSRF token"
rreq POST /account.json -H "Authorization: Bearer $GOOD" -H 'Content-Type: application/json' \
	--data-raw '{"display_name":"Via Token","timezone":"Europe/Berlin","target_pace_min":25}'
is "$STATUS" 200 "a bearer POST /account without a CSRF token: 200"
is "$(jq_body .display_name)" "Via Token" "... answers the new profile"
is "$(sql "SELECT display_name || '|' || timezone || '|' || target_pace_min FROM users WHERE id = $TID")" \
	"Via Token|Europe/Berlin|25" "... saved"

# --- a password change revokes every token ----------------------------------
token_for "$E" "$PW"
SECOND=$TOKEN
NEWPW='Mulberry-Cascade-Tiger-81'
rreq POST /account/password.json -H "Authorization: Bearer $GOOD" -H 'Content-Type: application/json' \
	--data-raw "$(jq -cn --arg c "$PW" --arg n "$NEWPW" '{current_password: $c, password: $n, password_confirm: $n}')"
is "$STATUS" 200 "the password changed with a bearer token"
is "$(sql "SELECT token_version FROM users WHERE id = $TID")" $((VER + 1)) "the token version went up"
refused "$GOOD" "the token used for the change, afterwards" "token was revoked"
refused "$SECOND" "another token from before the change" "token was revoked"
breq c GET /account.json
is "$STATUS" 401 "the cookie session ended too (the change was not made from it)"
token_for "$E" "$PW"
is "$STATUS" 401 "no token for the old password"
token_for "$E" "$NEWPW"
is "$STATUS" 200 "a token for the new password"
is "$(jwt_payload "$TOKEN" | jq -r .ver)" $((VER + 1)) "... carrying the new version"
rreq GET /account.json -H "Authorization: Bearer $TOKEN"
is "$STATUS" 200 "... that works"
clear_lockouts

# --- bodies: too large, malformed, wrong type -------------------------------
pad_json() {  # pad_json BYTES: a token request of exactly that size
	local n=$1 head='{"email":"pad@example.test","password":"Wrong-Password-1","pad":"' tail='"}'
	{ printf '%s' "$head"; head -c $((n - ${#head} - ${#tail})) /dev/zero | tr '\0' a; printf '%s' "$tail"; }
}
pad_json 1500000 >"$TMPD/big.json"
rreq POST /api/v1/token -H 'Content-Type: application/json' --data-binary "@$TMPD/big.json"
is "$STATUS" 413 "a 1.5 MB body: 413"
like "$(header content-type)" '^application/json' "... as JSON"
is "$(jq_body .error)" "Content Too Large" "... Content Too Large"
like "$(jq_body .message)" 'at most 1048576' "... from the program: at most 1048576 bytes"
is "$(jq_body .request_id)" "$(header x-request-id)" "... with the request id"

pad_json 3000000 >"$TMPD/huge.json"
rreq POST /api/v1/token -H 'Content-Type: application/json' --data-binary "@$TMPD/huge.json"
is "$STATUS" 413 "a 3 MB body: 413"
like "$(header content-type)" '^application/json' "... as JSON"
is "$(jq_body .message)" "the request body is larger than the server accepts" "... from nginx"

pad_json 1048577 >"$TMPD/edge.json"
rreq POST /api/v1/token -H 'Content-Type: application/json' --data-binary "@$TMPD/edge.json"
is "$STATUS" 413 "1048577 bytes: 413"
pad_json 1048576 >"$TMPD/edge.json"
rreq POST /api/v1/token -H 'Content-Type: application/json' --data-binary "@$TMPD/edge.json"
is "$STATUS" 401 "exactly 1048576 bytes: accepted (401 for the credentials)"

rreq POST /api/v1/token -H 'Content-Type: application/json' --data-raw '{"email": "x@example.test",'
is "$STATUS" 400 "malformed JSON: 400"
like "$(jq_body .message)" 'malformed JSON' "... says malformed JSON"
rreq POST /api/v1/token -H 'Content-Type: application/json' --data-raw ''
is "$STATUS" 400 "an empty JSON body: 400"
like "$(jq_body .message)" 'malformed JSON' "... malformed JSON"
rreq POST /api/v1/token -H 'Content-Type: text/plain' --data-raw "email=$E&password=$NEWPW"
is "$STATUS" 415 "text/plain: 415"
is "$(jq_body .error)" "Unsupported Media Type" "... Unsupported Media Type"
rreq POST /api/v1/token -H 'Content-Type: application/json' \
	--data-raw "$(jq -cn --arg e "$E" --arg p "$NEWPW" '[{email: $e, password: $p}]')"
is "$STATUS" 400 "a JSON array: 400"
is "$(jq_body .message)" "the JSON body must be an object" "... must be an object"
rreq POST /api/v1/token -H 'Content-Type: application/json' --data-raw '{"email":"x@example.test","email":"y@example.test","password":"p"}'
is "$STATUS" 400 "a duplicated member: 400"
rreq POST /api/v1/token -H 'Content-Type: application/json' --data-raw '{"password":"Wrong-Password-1"}'
is "$STATUS" 400 "no e-mail: 400"
is "$(jq_body .field)" email "... field email"
rreq POST /api/v1/token -H 'Content-Type: application/json' --data-raw '{"email":5,"password":"x"}'
is "$STATUS" 400 "e-mail as a number: 400"
like "$(jq_body .message)" 'JSON string' "... must be a JSON string"

clear_lockouts
done_testing
