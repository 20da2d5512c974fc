#!/usr/bin/env bash
# Forgotten passwords: the same answer for every address, a single-use
# link that expires, a new password that ends every session and access
# token, and no reuse of the last five passwords.
. "$(dirname "$0")/lib.sh"

clear_lockouts
E=reset-$$@example.test
NOBODY=noreset-$$@example.test
PW1='Copper-Willow-Signal-31'
PW2='Amber-Thistle-Rocket-52'
PW3='Granite-Puffin-Orchard-63'
make_user "$E" "Reset Tester" "$PW1"
ok $? "a confirmed user"
RID=$USER_ID

forgot() {  # forgot EMAIL [curl args]: the form, from browser f
	local e=$1
	shift
	breq f POST /password/forgot --data-urlencode "csrf=$FCSRF" --data-urlencode "email=$e" "$@"
}

# --- the same answer for every address --------------------------------------
breq f GET /password/forgot
is "$STATUS" 200 "the forgot form"
FCSRF=$(csrf_from "$BODY")
like "$FCSRF" '^[A-Za-z0-9_-]{43}$' "... with a CSRF token"
mail_mark
MAIL_MARK=$TMPD/mail.mark.start mail_mark
forgot "$E"
is "$STATUS" 200 "known address: 200"
like "$BODY" '<h1>Check your e-mail</h1>' "... says to check the e-mail"
known_page=$(main_part "$BODY")
forgot "$NOBODY"
is "$STATUS" 200 "unknown address: 200"
is "$(main_part "$BODY")" "$known_page" "... the identical page"
forgot "$E" -H 'Accept: application/json'
is "$STATUS" 202 "JSON, known address: 202"
is "$(jq_body .status)" sent "... status sent"
known_json=$(json_sans_id "$BODY")
forgot "$NOBODY" -H 'Accept: application/json'
is "$STATUS" 202 "JSON, unknown address: 202"
is "$(json_sans_id "$BODY")" "$known_json" "... the identical body"
# Both messages to the known address have come, and one unknown-address
# request was made between them.
mail_wait "$E" 2 >/dev/null
no_mail_to "$NOBODY"
ok $? "no message to the unknown address"
is "$(mails_to "$E" | wc -l)" 2 "a message to the known address for each request"
newest=$(mails_to "$E" | head -1)
oldest=$(mails_to "$E" | tail -1)
is "$(mail_subject "$newest")" "Reset your password" "the message's subject"
link=$(link_from_mail "$newest")
like "$link" "^$WT_BASE/password/reset\\?token=[0-9a-f]{64}\$" "... a link to /password/reset"
RTOK=${link##*token=}
rreq GET "$(local_path "$(link_from_mail "$oldest")")"
is "$STATUS" 400 "a newer link voids the older one"

# --- using the link ---------------------------------------------------------
login s1 "$E" "$PW1"
login s2 "$E" "$PW1"
is "$(session_rows "$E")" 2 "two sessions before the reset"
token_for "$E" "$PW1"
OLDJWT=$TOKEN
rreq GET /account.json -H "Authorization: Bearer $OLDJWT"
is "$STATUS" 200 "an access token before the reset works"

breq f GET "$(local_path "$link")"
is "$STATUS" 200 "the link shows the form"
like "$BODY" "For <strong>$E</strong>" "... for the right account"
like "$BODY" "name=\"token\" value=\"$RTOK\"" "... carrying the token"
FCSRF=$(csrf_from "$BODY")
reset() {  # reset TOKEN PASSWORD [CONFIRM] [curl args]
	local t=$1 p=$2 c=${3:-$2}
	shift 3 2>/dev/null || shift $#
	breq f POST /password/reset --data-urlencode "csrf=$FCSRF" --data-urlencode "token=$t" \
		--data-urlencode "password=$p" --data-urlencode "password_confirm=$c" "$@"
}
hash1=$(pw_hash "$E")
reset "$RTOK" "$PW2" "${PW2}-typo"
is "$STATUS" 400 "the repeated password differs: 400"
is "$(field_error "$BODY" password_confirm)" "The two passwords differ" "... said under the field"
unlike "$BODY" "$PW2" "... no password sent back"
reset "$RTOK" "$PW1" "$PW1" -H 'Accept: application/json'
is "$STATUS" 400 "the current password as the new one: 400"
is "$(jq_body .field)" password "... field password"
is "$(jq_body .message)" "Password must differ from your last 5 passwords" "... must differ from the last 5"
is "$(pw_hash "$E")" "$hash1" "refused attempts change nothing"
is "$(sql "SELECT used_at IS NULL FROM auth_tokens WHERE token_hash = '$(sha256_hex "$RTOK")'")" t \
	"... and do not use up the link"
ver1=$(sql "SELECT token_version FROM users WHERE id = $RID")

reset "$RTOK" "$PW2"
is "$STATUS" 200 "a good new password: 200"
like "$BODY" 'Password changed' "... 'Password changed'"
ok $([ "$(pw_hash "$E")" != "$hash1" ]; echo $?) "the password hash changed"
is "$(sql "SELECT used_at IS NOT NULL FROM auth_tokens WHERE token_hash = '$(sha256_hex "$RTOK")'")" t \
	"the link is used up"
is "$(sql "SELECT token_version FROM users WHERE id = $RID")" $((ver1 + 1)) "the token version went up"

reset "$RTOK" "$PW3"
is "$STATUS" 400 "the link a second time: 400"
like "$BODY" 'Link not valid' "... 'Link not valid'"
breq f GET "$(local_path "$link")"
is "$STATUS" 400 "... and the page is 400 too"

is "$(session_rows "$E")" 0 "every session of the user is gone"
breq s1 GET /account
is "$STATUS" 303 "an old session cookie: signed out"
breq s2 GET /account.json
is "$STATUS" 401 "the other old session: signed out"
rreq GET /account.json -H "Authorization: Bearer $OLDJWT"
is "$STATUS" 401 "an access token from before the reset: 401"
is "$(jq_body .message)" "token was revoked" "... revoked"
like "$(header www-authenticate)" '^Bearer' "... with WWW-Authenticate: Bearer"

login s3 "$E" "$PW1"
is "$STATUS" 401 "the old password no longer signs in"
login s3 "$E" "$PW2"
is "$STATUS" 303 "the new one does"
clear_lockouts

# --- expired and tampered links ---------------------------------------------
mail_mark
forgot "$E"
link=$(link_from_mail "$(mail_wait "$E")")
XTOK=${link##*token=}
sql "UPDATE auth_tokens SET expires_at = now() - interval '1 minute'
     WHERE token_hash = '$(sha256_hex "$XTOK")'" >/dev/null
hash2=$(pw_hash "$E")
breq f GET "$(local_path "$link")"
is "$STATUS" 400 "an expired link: the page is 400"
reset "$XTOK" "$PW3"
is "$STATUS" 400 "an expired link: POST is 400"
is "$(pw_hash "$E")" "$hash2" "... the password is unchanged"

mail_mark
forgot "$E"
link=$(link_from_mail "$(mail_wait "$E")")
TTOK=${link##*token=}
first=${TTOK:0:1}
if [ "$first" = 0 ]; then sub=1; else sub=0; fi
BAD=$sub${TTOK:1}
rreq GET "/password/reset?token=$BAD"
is "$STATUS" 400 "a link with one digit changed: 400"
reset "$BAD" "$PW3" "$PW3" -H 'Accept: application/json'
is "$STATUS" 400 "POST with it: 400"
is "$(jq_body .field)" token "... field token"
reset "${TTOK:0:63}" "$PW3" "$PW3" -H 'Accept: application/json'
is "$STATUS" 400 "a token one digit short: 400"
reset "$(tr a-f A-F <<<"$TTOK")" "$PW3" "$PW3" -H 'Accept: application/json'
is "$STATUS" 400 "the token in capitals: 400"
is "$(pw_hash "$E")" "$hash2" "... the password is unchanged"
breq f GET "$(local_path "$link")"
is "$STATUS" 200 "the untouched link still works"

# --- the last five passwords ------------------------------------------------
reset "$TTOK" "$PW1" "$PW1" -H 'Accept: application/json'
is "$STATUS" 400 "a reset to the previous password: 400"
is "$(jq_body .message)" "Password must differ from your last 5 passwords" "... must differ from the last 5"
reset "$TTOK" "$PW3" "$PW3" -H 'Accept: application/json'
is "$STATUS" 200 "a reset to a third password: 200"
is "$(jq_body .status)" "password changed" "... password changed"

# Three more changes: then the first password has dropped out of the last
# five, the second has not.
login a "$E" "$PW3"
is "$STATUS" 303 "signed in with the third password"
breq a GET /account
ACSRF=$(csrf_from "$BODY")
change() {  # change CURRENT NEW
	breq a POST /account/password -H 'Accept: application/json' --data-urlencode "csrf=$ACSRF" \
		--data-urlencode "current_password=$1" --data-urlencode "password=$2" \
		--data-urlencode "password_confirm=$2"
}
prev=$PW3
codes=""
for n in 4 5 6; do
	change "$prev" "Fresh-Password-Number-$n"
	codes="$codes $STATUS"
	prev="Fresh-Password-Number-$n"
done
is "$codes" " 200 200 200" "three more changes"
change "$prev" "$PW3"
is "$STATUS" 400 "the third password (among the last five): 400"
is "$(jq_body .message)" "New password must differ from your last 5 passwords" "... must differ from the last 5"
change "$prev" "$PW2"
is "$STATUS" 400 "the second password (the oldest of the last five): 400"
change "$prev" "$PW1"
is "$STATUS" 200 "the first password (sixth from last) may be used again"
is "$(sql "SELECT count(*) FROM password_history WHERE user_id = $RID")" 5 "only five old hashes are kept"

# --- disabled accounts ------------------------------------------------------
mail_mark
forgot "$E"
link=$(link_from_mail "$(mail_wait "$E")")
sql "UPDATE users SET status = 'disabled' WHERE id = $RID" >/dev/null
breq f GET "$(local_path "$link")"
is "$STATUS" 400 "a disabled account's link: 400"
mail_mark
forgot "$E"
is "$STATUS" 200 "forgot for a disabled account: the same 200"
is "$(main_part "$BODY")" "$known_page" "... the identical page"
no_mail_to "$E"
ok $? "... but no message"
sql "UPDATE users SET status = 'active' WHERE id = $RID" >/dev/null
# Once the next request's message has come, the one before it cannot be on
# its way any more.
forgot "$E"
mail_wait "$E" >/dev/null
is "$(mails_to "$E" | wc -l)" 1 "active again: the next request's message comes, the only one since the disabled account's request"

# After all the messages that came since, none can still be on its way to
# the unknown address: a look suffices.
MAIL_MARK=$TMPD/mail.mark.start WT_MAIL_QUIET=0 no_mail_to "$NOBODY"
ok $? "no message to the unknown address during the whole file"

clear_lockouts
done_testing
