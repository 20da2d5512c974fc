#!/usr/bin/env bash
# The signed-in person's own account: the page, the profile and its
# checks, the list of sessions and "sign out everywhere else", changing
# the password, and that nobody can reach another person's account.
. "$(dirname "$0")/lib.sh"

clear_lockouts
EA=acct-a-$$@example.test
EB=acct-b-$$@example.test
PWA='Lavender-Compass-Beacon-46'
PWB='Harbor-Juniper-Quartz-73'
make_user "$EA" "Alice Account" "$PWA"
ok $? "user A"
AID=$USER_ID
make_user "$EB" "Bob Account" "$PWB"
ok $? "user B"
BID=$USER_ID
profile() { sql "SELECT display_name || '|' || timezone || '|' || target_pace_min FROM users WHERE id = $1"; }

# --- the page ---------------------------------------------------------------
breq n GET /account
is "$STATUS" 303 "signed out: /account redirects"
is "$(header location)" "/login?next=%2Faccount" "... to sign in, coming back after"
breq n GET /account.json
is "$STATUS" 401 "signed out: /account.json is 401"
like "$(header www-authenticate)" '^Bearer' "... with WWW-Authenticate: Bearer"

login a1 "$EA" "$PWA"
is "$STATUS" 303 "A signs in"
breq a1 GET /account
is "$STATUS" 200 "GET /account: 200"
like "$BODY" '<h1>Your account</h1>' "... the account page"
like "$BODY" "$EA" "... shows A's address"
like "$BODY" 'value="Alice Account"' "... and A's name in the form"
ACSRF=$(csrf_from "$BODY")
breq a1 GET /account.json
is "$STATUS" 200 "GET /account.json: 200"
is "$(jq_c '[.id, .email, .display_name, .role, .timezone, .target_pace_min]')" \
	"[$AID,\"$EA\",\"Alice Account\",\"member\",\"UTC\",30]" "... A's profile"
is "$(jq_body 'has("password_hash")')" false "... without the password hash"

# --- the profile ------------------------------------------------------------
post_profile() {  # post_profile NAME TZ PACE [curl args]
	local n=$1 t=$2 p=$3
	shift 3
	breq a1 POST /account --data-urlencode "csrf=$ACSRF" --data-urlencode "display_name=$n" \
		--data-urlencode "timezone=$t" --data-urlencode "target_pace_min=$p" "$@"
}
post_profile "Alice Renamed" Europe/Paris 45
is "$STATUS" 303 "a valid profile: 303"
is "$(header location)" "/account?saved=1" "... back to the page"
is "$(profile "$AID")" "Alice Renamed|Europe/Paris|45" "... saved"
breq a1 GET '/account?saved=1'
like "$BODY" 'Your profile is saved' "the page says it is saved"
like "$BODY" 'value="Europe/Paris"' "... and shows the new zone"

before=$(user_row "$EA")
post_profile "Mars Person" Mars/Olympus 50 -H 'Accept: application/json'
is "$STATUS" 400 "an unknown time zone: 400"
is "$(jq_body .field)" timezone "... field timezone"
like "$(jq_body .message)" "Mars/Olympus" "... naming the zone"
is "$(user_row "$EA")" "$before" "... nothing changed"
post_profile "Mars Person" Mars/Olympus 50
is "$STATUS" 400 "HTML, unknown zone: 400"
like "$(field_error "$BODY" timezone)" "not known" "... the error is under the field"
like "$BODY" 'value="Mars/Olympus"' "... what was typed is kept"
like "$BODY" 'value="Mars Person"' "... the name too"
post_profile "Mars Person" 'Europe/Paris;x' 50 -H 'Accept: application/json'
is "$STATUS" 400 "a zone with odd characters: 400"
is "$(jq_body .field)" timezone "... field timezone"
post_profile "Mars Person" europe/paris 50 -H 'Accept: application/json'
is "$STATUS" 400 "a zone in the wrong case: 400"
for pace in 0 2000 -5 abc 1.5; do
	post_profile "Pace Person" UTC "$pace" -H 'Accept: application/json'
	is "$STATUS $(jq_body .field)" "400 target_pace_min" "pace $pace: 400, field target_pace_min"
done
post_profile "" UTC 30 -H 'Accept: application/json'
is "$STATUS $(jq_body .field)" "400 display_name" "an empty name: 400, field display_name"
post_profile "$(printf 'x%.0s' $(seq 1 101))" UTC 30 -H 'Accept: application/json'
is "$STATUS $(jq_body .field)" "400 display_name" "a name of 101 characters: 400"
is "$(user_row "$EA")" "$before" "none of those changed anything"
post_profile "Alice Edge" Etc/GMT+5 1440 -H 'Accept: application/json'
is "$STATUS" 200 "JSON profile update at the limits (pace 1440, Etc/GMT+5): 200"
is "$(jq_c '[.display_name, .timezone, .target_pace_min]')" '["Alice Edge","Etc/GMT+5",1440]' \
	"... answers the new profile"
is "$(profile "$AID")" "Alice Edge|Etc/GMT+5|1440" "... saved"

# --- sessions ---------------------------------------------------------------
login a2 "$EA" "$PWA"
is "$STATUS" 303 "A signs in from a second browser"
breq a1 GET /account/sessions.json
is "$STATUS" 200 "the session list: 200"
is "$(jq_body '.sessions | length')" 2 "... two sessions"
is "$(jq_body '[.sessions[] | select(.current)] | length')" 1 "... one of them this one"
is "$(jq_body '[.sessions[] | select(.current) | .user_agent] | .[0]')" "worktime-test/jar-a1" \
	"... the current one is this browser"
breq a1 GET /account/sessions
like "$BODY" 'this browser' "the HTML list marks this browser"
like "$BODY" 'worktime-test/jar-a2' "... and lists the other"
like "$BODY" 'action="/account/sessions/revoke-others"' "... with a button to sign it out"
a2sess=$(cookie_of a2 __Host-wt_session)
breq a1 POST /account/sessions/revoke-others --data-urlencode "csrf=$ACSRF"
is "$STATUS" 303 "sign out everywhere else: 303"
is "$(header location)" "/account/sessions?ended=1" "... back to the list"
breq a2 GET /account
is "$STATUS" 303 "the other browser is signed out"
is "$(session_exists "$a2sess")" 0 "... its session is gone from the database"
breq a1 GET /account.json
is "$STATUS" 200 "this browser is still signed in"
is "$(session_rows "$EA")" 1 "one session left"
breq a1 POST /account/sessions/revoke-others -H 'Accept: application/json' -H "X-CSRF-Token: $ACSRF"
is "$(jq_c .)" '{"ended":0}' "JSON: nothing else to end"

# --- the password -----------------------------------------------------------
login a2 "$EA" "$PWA"
login a3 "$EA" "$PWA"
is "$(session_rows "$EA")" 3 "three sessions"
hash_before=$(pw_hash "$EA")
chpw() {  # chpw CURRENT NEW [CONFIRM] [curl args]
	local c=$1 n=$2 r=${3:-$2}
	shift 3 2>/dev/null || shift $#
	breq a1 POST /account/password --data-urlencode "csrf=$ACSRF" --data-urlencode "current_password=$c" \
		--data-urlencode "password=$n" --data-urlencode "password_confirm=$r" "$@"
}
NEWPW='Tangerine-Obelisk-Meadow-58'
chpw 'Not-My-Password-11' "$NEWPW" "$NEWPW" -H 'Accept: application/json'
is "$STATUS" 400 "a wrong current password: 400"
is "$(jq_body .field)" current_password "... field current_password"
chpw 'Not-My-Password-12' "$NEWPW"
is "$STATUS" 400 "HTML, wrong current password: 400"
is "$(field_error "$BODY" current_password)" "Current password is not right" "... said under the field"
unlike "$BODY" 'Not-My-Password-12|Tangerine-Obelisk' "... no password sent back"
chpw "$PWA" "$NEWPW" "${NEWPW}x" -H 'Accept: application/json'
is "$STATUS $(jq_body .field)" "400 password_confirm" "the repeated password differs: 400"
chpw "$PWA" short short -H 'Accept: application/json'
is "$STATUS $(jq_body .field)" "400 password" "a short new password: 400"
is "$(pw_hash "$EA")" "$hash_before" "none of those changed the password"
is "$(session_rows "$EA")" 3 "... or ended a session"
clear_lockouts

chpw "$PWA" "$NEWPW"
is "$STATUS" 303 "a good change: 303"
is "$(header location)" "/account?password=changed" "... back to the account"
breq a1 GET '/account?password=changed'
is "$STATUS" 200 "this browser stays signed in"
like "$BODY" 'Every other session has been signed out' "... and is told the others were"
breq a2 GET /account.json
is "$STATUS" 401 "the second browser is signed out"
breq a3 GET /account.json
is "$STATUS" 401 "the third too"
is "$(session_rows "$EA")" 1 "one session left"
login a4 "$EA" "$PWA"
is "$STATUS" 401 "the old password no longer works"
login a4 "$EA" "$NEWPW"
is "$STATUS" 303 "the new one does"
clear_lockouts

# Wrong current passwords count towards the lockout too.
for i in 1 2 3 4 5; do chpw "Not-My-Password-$i" 'Another-Strong-Pass-99' 'Another-Strong-Pass-99' -H 'Accept: application/json'; done
chpw "$NEWPW" 'Another-Strong-Pass-99' 'Another-Strong-Pass-99' -H 'Accept: application/json'
is "$STATUS" 429 "five wrong current passwords: then 429, even with the right one"
is "$(jq_body .field)" current_password "... field current_password"
is "$(jq_body .message)" "Too many wrong passwords. Try again in 30 seconds." "... says when"
is "$(header retry-after)" 30 "... with Retry-After: 30, as the sign-in form's 429 has"
clear_lockouts

# --- another person's account -----------------------------------------------
login b1 "$EB" "$PWB"
is "$STATUS" 303 "B signs in"
b_before=$(user_row "$EB")
breq a1 GET /account
ACSRF=$(csrf_from "$BODY")
post_profile "Alice Again" UTC 30 --data-urlencode "id=$BID" --data-urlencode "user_id=$BID" \
	--data-urlencode "email=$EB"
is "$STATUS" 303 "A's profile form with id, user_id and email of B: 303"
is "$(profile "$AID")" "Alice Again|UTC|30" "... changed A"
is "$(sql "SELECT email FROM users WHERE id = $AID")" "$EA" "... A keeps A's address"
is "$(user_row "$EB")" "$b_before" "... B's row is unchanged"
breq a1 POST "/account?id=$BID&user_id=$BID" --data-urlencode "csrf=$ACSRF" \
	--data-urlencode "display_name=Alice Query" --data-urlencode "timezone=UTC" \
	--data-urlencode "target_pace_min=31"
is "$(profile "$AID")" "Alice Query|UTC|31" "B's id in the query string: A changed"
is "$(user_row "$EB")" "$b_before" "... B unchanged"
breq a1 POST /account.json -H "X-CSRF-Token: $ACSRF" -H 'Content-Type: application/json' \
	--data-raw "$(jq -cn --argjson b "$BID" --arg e "$EB" \
	'{id: $b, user_id: $b, email: $e, display_name: "Alice JSON", timezone: "UTC", target_pace_min: 32}')"
is "$STATUS" 200 "a JSON body with B's id and address: 200"
is "$(jq_c '[.id, .email]')" "[$AID,\"$EA\"]" "... answers A"
is "$(profile "$AID")" "Alice JSON|UTC|32" "... changed A"
is "$(user_row "$EB")" "$b_before" "... B unchanged"

token_for "$EA" "$NEWPW"
ATOK=$TOKEN
rreq POST /account.json -H "Authorization: Bearer $ATOK" -H 'Content-Type: application/json' \
	--data-raw "$(jq -cn --argjson b "$BID" --arg e "$EB" \
	'{id: $b, user_id: $b, sub: ($b | tostring), email: $e, display_name: "Alice Token", timezone: "UTC", target_pace_min: 33}')"
is "$(jq_c '[.id, .email]')" "[$AID,\"$EA\"]" "A's token with B's id in the body: answers A"
is "$(profile "$AID")" "Alice Token|UTC|33" "... changed A"
is "$(user_row "$EB")" "$b_before" "... B unchanged"

for q in "id=$BID" "user_id=$BID" "email=$EB" "sub=$BID"; do
	breq a1 GET "/account.json?$q"
	is "$(jq_body .email)" "$EA" "GET /account.json?$q shows A"
done
rreq GET "/account.json?id=$BID" -H "Authorization: Bearer $ATOK"
is "$(jq_body .id)" "$AID" "... with A's token too"
breq a1 GET "/account?id=$BID&email=$EB"
like "$BODY" "$EA" "the HTML page with B's id shows A"
unlike "$BODY" "$EB|Bob Account" "... and nothing of B"
breq a1 GET "/account/sessions.json?user_id=$BID"
is "$(jq_body '[.sessions[] | select(.user_agent == "worktime-test/jar-b1")] | length')" 0 \
	"A's session list never shows B's session"

b_hash=$(pw_hash "$EB")
chpw "$NEWPW" 'Pistachio-Lantern-Harbor-64' 'Pistachio-Lantern-Harbor-64' \
	--data-urlencode "email=$EB" --data-urlencode "user_id=$BID" --data-urlencode "id=$BID"
is "$STATUS" 303 "A changes the password with B's id and address in the form: 303"
is "$(pw_hash "$EB")" "$b_hash" "... B's password is unchanged"
login b2 "$EB" "$PWB"
is "$STATUS" 303 "... B still signs in with B's password"
breq a1 POST /account/sessions/revoke-others --data-urlencode "csrf=$ACSRF" \
	--data-urlencode "user_id=$BID" --data-urlencode "id=$BID"
breq b1 GET /account.json
is "$STATUS $(jq_body .email)" "200 $EB" "A's 'sign out everywhere else' with B's id leaves B signed in"
is "$(user_row "$EB")" "$b_before" "B's row is unchanged at the end"

clear_lockouts
done_testing
