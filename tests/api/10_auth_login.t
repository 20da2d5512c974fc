#!/usr/bin/env bash
# Signing in and out: the same answer for a wrong password and an unknown
# address, backoff after failures, disabled and unconfirmed accounts,
# session fixation, cookie attributes, logout, session expiry and the
# next= redirect.
. "$(dirname "$0")/lib.sh"

clear_lockouts
E=login-$$@example.test
PW='Violet-Harbour-Lantern-42'
NOBODY=nobody-$$@example.test
make_user "$E" "Login Tester" "$PW"
ok $? "a confirmed user to sign in with"

# JSON sign-in through the form route: the pre-session cookie and its token.
csrf_of j
JTOK=$CSRF
jlogin() {  # jlogin EMAIL PASSWORD [curl args]
	local e=$1 p=$2
	shift 2
	breq j POST /login -H 'Accept: application/json' --data-urlencode "csrf=$JTOK" \
		--data-urlencode "email=$e" --data-urlencode "password=$p" "$@"
}

# --- no enumeration ---------------------------------------------------------
jlogin "$E" 'Wrong-Password-123'
is "$STATUS" 401 "wrong password: 401"
is "$(jq_body .message)" "The e-mail address or the password is not right." "wrong password: the message"
is "$(jq_body .error)" "Unauthorized" "wrong password: JSON error"
known=$(json_sans_id "$BODY")
jlogin "$NOBODY" 'Wrong-Password-123'
is "$STATUS" 401 "unknown e-mail: 401 too"
is "$(json_sans_id "$BODY")" "$known" "unknown e-mail: the identical JSON answer"
unlike "$(cookie_of j __Host-wt_session)" . "no session after failures"

breq h GET /login
tok=$(csrf_from "$BODY")
breq h POST /login --data-urlencode "csrf=$tok" --data-urlencode "email=$E" \
	--data-urlencode "password=Secret-Typed-Wrong-77"
is "$STATUS" 401 "HTML: wrong password: 401"
like "$(header content-type)" '^text/html' "HTML: the form again"
html_known=$(form_error "$BODY")
is "$html_known" "The e-mail address or the password is not right." "HTML: the form's error"
like "$BODY" "value=\"$E\"" "HTML: the typed e-mail is kept"
unlike "$BODY" 'Secret-Typed-Wrong-77' "HTML: the password is not echoed"
like "$(csrf_from "$BODY")" '^[A-Za-z0-9_-]{43}$' "HTML: the form has a CSRF token again"
breq h POST /login --data-urlencode "csrf=$tok" --data-urlencode "email=$NOBODY" \
	--data-urlencode "password=Secret-Typed-Wrong-77"
is "$STATUS" 401 "HTML: unknown e-mail: 401"
is "$(form_error "$BODY")" "$html_known" "HTML: unknown e-mail: the same error text"
breq h POST /login --data-urlencode "csrf=$tok" --data-urlencode 'email=<script>alert(1)</script>' \
	--data-urlencode "password=Secret-Typed-Wrong-77"
unlike "$BODY" '<script>alert' "HTML: markup typed as the e-mail is not sent back as markup"
like "$BODY" 'value="&lt;script&gt;alert\(1\)&lt;/script&gt;"' "... but escaped"
clear_lockouts

# --- backoff per account ----------------------------------------------------
codes=""
for i in 1 2 3 4 5; do jlogin "$E" "Wrong-Password-$i"; codes="$codes $STATUS"; done
is "$codes" " 401 401 401 401 401" "five wrong passwords: five 401s"
jlogin "$E" 'Wrong-Password-6'
is "$STATUS" 429 "then 429"
is "$(jq_body .message)" "Too many failed sign-in attempts. Try again in 30 seconds." "429 says: 30 seconds"
is "$(header retry-after)" 30 "Retry-After: 30"
locked_body=$(json_sans_id "$BODY")
jlogin "$E" "$PW"
is "$STATUS" 429 "the right password while locked: still 429"
unlike "$(cookie_of j __Host-wt_session)" . "... and no session"
is "$(sql "SELECT failures FROM login_failures WHERE kind = 'account' AND key = '$E'")" 5 \
	"attempts while locked are not counted as failures"

breq h POST /login --data-urlencode "csrf=$tok" --data-urlencode "email=$E" \
	--data-urlencode "password=$PW"
is "$STATUS" 429 "HTML while locked: 429"
is "$(form_error "$BODY")" "Too many failed sign-in attempts. Try again in 30 seconds." "HTML: the form says when"
is "$(header retry-after)" 30 "HTML: Retry-After too"

fast_forward_locks
jlogin "$E" 'Wrong-Password-7'
is "$STATUS" 401 "lock over: the 6th failure is a 401"
jlogin "$E" 'Wrong-Password-8'
is "$STATUS" 429 "... and locks again"
is "$(header retry-after)" 60 "the 6th failure: 60 s"
is "$(jq_body .message)" "Too many failed sign-in attempts. Try again in 1 minute." "... said as 1 minute"

fast_forward_locks
jlogin "$E" 'Wrong-Password-9'
is "$STATUS" 401 "the 7th failure is a 401"
jlogin "$E" 'Wrong-Password-10'
is "$(header retry-after)" 120 "the 7th failure: 120 s"
is "$(jq_body .message)" "Too many failed sign-in attempts. Try again in 2 minutes." "... said as 2 minutes"

for n in 8 9 10 11; do fast_forward_locks; jlogin "$E" "Wrong-Password-x$n"; done
jlogin "$E" 'Wrong-Password-12'
is "$(header retry-after)" 900 "doubling stops at 900 s (the 10th and 11th failure)"
is "$(jq_body .message)" "Too many failed sign-in attempts. Try again in 15 minutes." "... said as 15 minutes"
wait_left=$(sql "SELECT ceil(extract(epoch FROM locked_until - now())) FROM login_failures
	WHERE kind = 'account' AND key = '$E'")
ok $(( wait_left > 900 || wait_left < 895 )) "the database lock is 900 s too ($wait_left)"
clear_lockouts

# The same backoff for an address nobody has.
for i in 1 2 3 4 5; do jlogin "$NOBODY" "Wrong-Password-$i"; done
jlogin "$NOBODY" 'Wrong-Password-6'
is "$STATUS" 429 "unknown e-mail: locked after five failures as well"
is "$(header retry-after)" 30 "unknown e-mail: Retry-After 30"
is "$(json_sans_id "$BODY")" "$locked_body" "unknown e-mail: the identical 429 answer"
# The address is the key whatever its case.
jlogin "$(tr a-z A-Z <<<"$NOBODY")" 'Wrong-Password-7'
is "$STATUS" 429 "the same address in capitals is locked too"
clear_lockouts

# A success clears the account's counter.
for i in 1 2 3; do jlogin "$E" "Wrong-Password-$i"; done
is "$(sql "SELECT failures FROM login_failures WHERE kind = 'account' AND key = '$E'")" 3 \
	"three failures are counted"
jlogin "$E" "$PW"
is "$STATUS" 200 "JSON sign-in: 200"
is "$(jq_body .user.email)" "$E" "JSON sign-in answers the user"
is "$(jq_body .user.id)" "$USER_ID" "... with the user's id"
is "$(sql "SELECT count(*) FROM login_failures WHERE kind = 'account' AND key = '$E'")" 0 \
	"the success cleared the account's counter"
forget_browser j
csrf_of j
JTOK=$CSRF
clear_lockouts

# Per address: 20 failures from one client, on different accounts.
for i in $(seq 1 20); do jlogin "spray$i-$$@example.test" 'Wrong-Password-1'; done
is "$STATUS" 401 "the 20th failure from one address is still a 401"
jlogin "$E" "$PW"
is "$STATUS" 429 "then the address is locked, even for the right password of another account"
is "$(header retry-after)" 30 "... for 30 s"
clear_lockouts

# --- disabled and unconfirmed accounts --------------------------------------
login d "$E" "$PW"
is "$STATUS" 303 "a session before the account is disabled"
sql "UPDATE users SET status = 'disabled' WHERE id = $USER_ID" >/dev/null
jlogin "$E" "$PW"
is "$STATUS" 403 "disabled account, right password: 403"
like "$(jq_body .message)" "disabled" "... and says it is disabled"
jlogin "$E" 'Wrong-Password-1'
is "$STATUS" 401 "disabled account, wrong password: 401 (nothing revealed)"
breq d GET /account.json
is "$STATUS" 401 "the disabled user's open session no longer works"
sql "UPDATE users SET status = 'unverified' WHERE id = $USER_ID" >/dev/null
jlogin "$E" "$PW"
is "$STATUS" 403 "unconfirmed account, right password: 403"
like "$(jq_body .message)" "Confirm your e-mail address first" "... and says to confirm the address"
unlike "$(cookie_of j __Host-wt_session)" . "... and no session"
sql "UPDATE users SET status = 'active' WHERE id = $USER_ID" >/dev/null
clear_lockouts

# --- session fixation and cookies -------------------------------------------
breq f GET /login
pre=$(cookie_of f __Host-wt_pre)
like "$pre" '^[0-9a-f]{64}$' "the sign-in page gives a pre-session cookie"
preline=$(set_cookie_line __Host-wt_pre)
like "$preline" '; HttpOnly' "pre-session cookie: HttpOnly"
like "$preline" '; Secure' "pre-session cookie: Secure"
like "$preline" '; SameSite=Lax' "pre-session cookie: SameSite=Lax"
like "$preline" '; Path=/(;|$)' "pre-session cookie: Path=/"
unlike "$preline" '[Dd]omain=' "pre-session cookie: no Domain"
tok=$(csrf_from "$BODY")
breq f POST /login --data-urlencode "csrf=$tok" --data-urlencode "email=$E" \
	--data-urlencode "password=$PW"
is "$STATUS" 303 "form sign-in: 303"
is "$(header location)" / "... to the start page"
line=$(set_cookie_line __Host-wt_session)
sess=$(set_cookie_val __Host-wt_session)
like "$sess" '^[0-9a-f]{64}$' "a session cookie is set"
isnt_pre=1; [ "$sess" != "$pre" ] && isnt_pre=0
ok $isnt_pre "the session token is not the pre-session token"
like "$line" '; HttpOnly' "session cookie: HttpOnly"
like "$line" '; Secure' "session cookie: Secure"
like "$line" '; SameSite=Lax' "session cookie: SameSite=Lax"
like "$line" '; Path=/(;|$)' "session cookie: Path=/"
unlike "$line" '[Dd]omain=' "session cookie: no Domain"
like "$line" 'Max-Age=604800' "session cookie lasts the absolute 168 h"
is "$(set_cookie_val __Host-wt_pre)" "" "the pre-session cookie is deleted at sign-in"
is "$(cookie_of f __Host-wt_pre)" "" "... and gone from the browser"
is "$(session_exists "$sess")" 1 "the server stores the session (as a hash)"
is "$(session_exists "$pre")" 0 "the pre-session token is no session"

# A session token planted by somebody else is never adopted.
planted=$(rand_hex 32)
rreq GET /account -H "Cookie: __Host-wt_session=$planted"
is "$STATUS" 303 "a planted session cookie does not sign anybody in"
is "$(set_cookie_line __Host-wt_session | cut -d';' -f1)" "__Host-wt_session=" "... and the server tells the browser to drop it"
rreq GET /login -H "Cookie: __Host-wt_session=$planted"
p2=$(set_cookie_val __Host-wt_pre)
tok=$(csrf_from "$BODY")
rreq POST /login -H "Cookie: __Host-wt_pre=$p2; __Host-wt_session=$planted" \
	--data-urlencode "csrf=$tok" --data-urlencode "email=$E" --data-urlencode "password=$PW"
is "$STATUS" 303 "signing in with a planted session cookie: 303"
after=$(set_cookie_val __Host-wt_session)
like "$after" '^[0-9a-f]{64}$' "... sets a session cookie"
ok $([ "$after" != "$planted" ]; echo $?) "... a new one, not the planted token"
is "$(session_exists "$planted")" 0 "the planted token is not a session on the server"
rreq GET /account.json -H "Cookie: __Host-wt_session=$planted"
is "$STATUS" 401 "the planted token still does not work after the victim signed in"
rreq GET /account.json -H "Cookie: __Host-wt_session=$after"
is "$STATUS" 200 "the new session works"
# A malformed session cookie is ignored too.
rreq GET /account.json -H "Cookie: __Host-wt_session=$(tr a-f A-F <<<"$after")"
is "$STATUS" 401 "the token in capitals is not accepted"

# --- logout -----------------------------------------------------------------
breq f GET /account
is "$STATUS" 200 "signed in: /account is 200"
tok=$(csrf_from "$BODY")
breq f POST /logout --data-urlencode "csrf=$tok"
is "$STATUS" 303 "logout: 303"
is "$(header location)" "/login?signed_out=1" "... to the sign-in page"
is "$(set_cookie_val __Host-wt_session)" "" "... deleting the session cookie"
is "$(session_exists "$sess")" 0 "the session row is gone from the database"
rreq GET /account -H "Cookie: __Host-wt_session=$sess"
is "$STATUS" 303 "the old cookie replayed: /account redirects"
is "$(header location)" "/login?next=%2Faccount" "... to the sign-in page"
rreq GET /account.json -H "Cookie: __Host-wt_session=$sess"
is "$STATUS" 401 "the old cookie replayed, JSON: 401"
rreq GET /account -H "Cookie: __Host-wt_session=$sess" -H 'Accept: application/json'
is "$STATUS" 401 "... also when JSON is asked for with Accept"
like "$(header www-authenticate)" '^Bearer' "... with WWW-Authenticate: Bearer"
breq f GET '/login?signed_out=1'
like "$BODY" 'You are signed out' "the sign-in page says so"

# JSON logout.
jlogin "$E" "$PW"
s2=$(cookie_of j __Host-wt_session)
breq j GET /account
tok=$(csrf_from "$BODY")
breq j POST /logout -H 'Accept: application/json' -H "X-CSRF-Token: $tok"
is "$STATUS" 200 "JSON logout: 200"
is "$(jq_c .)" '{"status":"signed out"}' "... says signed out"
is "$(session_exists "$s2")" 0 "... and the session row is gone"

# --- session expiry ---------------------------------------------------------
login x "$E" "$PW"
sx=$(cookie_of x __Host-wt_session)
sql "UPDATE web_sessions SET last_seen_at = now() - interval '7 hours'
     WHERE token_hash = '$(sha256_hex "$sx")'" >/dev/null
breq x GET /account.json
is "$STATUS" 200 "7 hours idle: still signed in"
is "$(sql "SELECT last_seen_at > now() - interval '1 minute' FROM web_sessions
     WHERE token_hash = '$(sha256_hex "$sx")'")" t "... and the use counts as activity"
sql "UPDATE web_sessions SET last_seen_at = now() - interval '9 hours'
     WHERE token_hash = '$(sha256_hex "$sx")'" >/dev/null
breq x GET /account
is "$STATUS" 303 "9 hours idle (over 480 min): signed out"
is "$(header location)" "/login?next=%2Faccount" "... sent to sign in"
login x "$E" "$PW"
sx=$(cookie_of x __Host-wt_session)
sql "UPDATE web_sessions SET expires_at = now() - interval '1 second'
     WHERE token_hash = '$(sha256_hex "$sx")'" >/dev/null
breq x GET /account.json
is "$STATUS" 401 "past the absolute lifetime: signed out"

# --- next= ------------------------------------------------------------------
rreq GET '/login?next=//evil.example' -H 'Accept: application/json'
is "$STATUS" 400 "next=//evil.example: 400"
is "$(jq_body .field)" next "... names the field"
rreq GET '/login?next=https://evil.example'
is "$STATUS" 400 "next=https://evil.example: 400"
rreq GET '/login?next=%2F%5Cevil.example'
is "$STATUS" 400 "next=/\\evil.example: 400"
forget_browser n
csrf_of n
breq n POST /login --data-urlencode "csrf=$CSRF" --data-urlencode "email=$E" \
	--data-urlencode "password=$PW" --data-urlencode "next=//evil.example"
is "$STATUS" 400 "POST with next=//evil.example: 400"
is "$(header location)" "" "... no redirect"
is "$(cookie_of n __Host-wt_session)" "" "... and not signed in"
breq n POST /login --data-urlencode "csrf=$CSRF" --data-urlencode "email=$E" \
	--data-urlencode "password=$PW" --data-urlencode "next=https://evil.example/x"
is "$STATUS" 400 "POST with next=https://evil.example/x: 400"
breq n GET '/login?next=/account'
like "$BODY" 'name="next" value="/account"' "the form carries next=/account"
breq n POST /login --data-urlencode "csrf=$CSRF" --data-urlencode "email=$E" \
	--data-urlencode "password=$PW" --data-urlencode "next=/account"
is "$STATUS" 303 "POST with next=/account: 303"
is "$(header location)" /account "... to /account"
breq n GET '/login?next=/account'
is "$STATUS" 303 "already signed in: /login?next=/account redirects"
is "$(header location)" /account "... to /account"

clear_lockouts
done_testing
