#!/usr/bin/env bash
# Registration: open mode with e-mail confirmation, the same answer for an
# address that has an account, the password rules, invitations, closed
# mode, and forms that keep what was typed except passwords.
. "$(dirname "$0")/lib.sh"

clear_lockouts
E=reg-$$@example.test
PW='Quiet-Meadow-Falcon-17'
count_users() { sql "SELECT count(*) FROM users WHERE email = lower($(sqlq "$1"))"; }

# --- open mode --------------------------------------------------------------
set_mode open
breq r GET /register
is "$STATUS" 200 "open mode: the registration form"
like "$BODY" 'name="email"' "... asks for the e-mail"
CSRF=$(csrf_from "$BODY")
like "$CSRF" '^[A-Za-z0-9_-]{43}$' "... with a CSRF token"
mail_mark
breq r POST /register --data-urlencode "csrf=$CSRF" --data-urlencode "email=$E" \
	--data-urlencode "display_name=Reg Tester" --data-urlencode "password=$PW" \
	--data-urlencode "password_confirm=$PW"
is "$STATUS" 200 "POST /register: 200"
like "$BODY" '<h1>Check your e-mail</h1>' "... says to check the e-mail"
new_page=$(main_part "$BODY")
is "$(sql "SELECT status FROM users WHERE email = '$E'")" unverified "the user is unverified"
is "$(sql "SELECT role FROM users WHERE email = '$E'")" member "... a member"
is "$(cookie_of r __Host-wt_session)" "" "... and not signed in"

m=$(mail_wait "$E")
ok $? "a message went to the address"
is "$(mail_subject "$m")" "Confirm your e-mail address" "... to confirm it"
link=$(link_from_mail "$m")
like "$link" "^$WT_BASE/verify\\?token=[0-9a-f]{64}\$" "... with a link to /verify"

login r "$E" "$PW"
is "$STATUS" 403 "unconfirmed: cannot sign in (403)"
like "$(form_error "$BODY")" 'Confirm your e-mail address first' "... and is told why"

rreq GET "$(local_path "$link")"
is "$STATUS" 200 "the link confirms the address"
like "$BODY" 'Address confirmed' "... and says so"
is "$(sql "SELECT status, email_verified_at IS NOT NULL FROM users WHERE email = '$E'")" "active|t" \
	"the user is active and confirmed"
rreq GET "$(local_path "$link")"
is "$STATUS" 400 "the link works once: the second use is 400"
like "$BODY" 'Link not valid' "... 'Link not valid'"
rreq GET "$(local_path "$link")" -H 'Accept: application/json'
is "$(jq_body .field)" token "... (JSON: field token)"
rreq GET "/verify?token=$(rand_hex 32)"
is "$STATUS" 400 "a made-up token: 400"
rreq GET "/verify?token=xyz"
is "$STATUS" 400 "a malformed token: 400"

login r "$E" "$PW"
is "$STATUS" 303 "confirmed: signs in"

# An address with an account: the same answer, a different message.
hash_before=$(pw_hash "$E")
breq r2 GET /register
CSRF=$(csrf_from "$BODY")
mail_mark
breq r2 POST /register --data-urlencode "csrf=$CSRF" --data-urlencode "email=$E" \
	--data-urlencode "display_name=Somebody Else" --data-urlencode "password=Other-Secret-Pass-88" \
	--data-urlencode "password_confirm=Other-Secret-Pass-88"
is "$STATUS" 200 "registering a taken address: 200 as well"
is "$(main_part "$BODY")" "$new_page" "... the identical page"
m=$(mail_wait "$E")
ok $? "a message went to the owner"
is "$(mail_subject "$m")" "Someone tried to register with your address" "... a different one"
like "$(link_from_mail "$m")" "^$WT_BASE/login\$" "... pointing to the sign-in page"
unlike "$(tr -d '\r' <"$m")" 'verify\?token=' "... with no confirmation link"
is "$(count_users "$E")" 1 "still one user with that address"
is "$(pw_hash "$E")" "$hash_before" "... the password is unchanged"
is "$(sql "SELECT display_name FROM users WHERE email = '$E'")" "Reg Tester" "... the name is unchanged"
# In capitals it is the same address.
breq r2 POST /register --data-urlencode "csrf=$CSRF" --data-urlencode "email=$(tr a-z A-Z <<<"$E")" \
	--data-urlencode "display_name=Somebody Else" --data-urlencode "password=Other-Secret-Pass-88"
is "$STATUS" 200 "the taken address in capitals: 200"
is "$(count_users "$E")" 1 "... still one user"

# JSON: 202, the same for a new and a taken address.
E2=reg2-$$@example.test
breq r2 POST /register -H 'Accept: application/json' --data-urlencode "csrf=$CSRF" \
	--data-urlencode "email=$E2" --data-urlencode "display_name=Reg Two" \
	--data-urlencode "password=$PW"
is "$STATUS" 202 "JSON registration: 202"
is "$(jq_body .status)" "verification sent" "... verification sent"
j_new=$(json_sans_id "$BODY")
breq r2 POST /register -H 'Accept: application/json' --data-urlencode "csrf=$CSRF" \
	--data-urlencode "email=$E" --data-urlencode "display_name=Reg Two" \
	--data-urlencode "password=$PW"
is "$STATUS" 202 "JSON, taken address: 202"
is "$(json_sans_id "$BODY")" "$j_new" "... the identical body"
# A confirmation link is no password-reset link.
vlink=$(link_from_mail "$(mail_wait "$E2")")
VT=${vlink##*token=}
rreq GET "/password/reset?token=$VT"
is "$STATUS" 400 "a confirmation token used as a reset link: 400"
rreq GET "$(local_path "$vlink")"
is "$STATUS" 200 "... and it still confirms the address"

# --- password rules ---------------------------------------------------------
E3=weak-$$@example.test
weak() {  # weak PASSWORD WHAT
	breq r2 POST /register -H 'Accept: application/json' --data-urlencode "csrf=$CSRF" \
		--data-urlencode "email=$E3" --data-urlencode "display_name=Weak Tester" \
		--data-urlencode "password=$1" --data-urlencode "password_confirm=$1"
	is "$STATUS" 400 "$2: 400"
	is "$(jq_body .field)" password "$2: field password"
}
weak abc 'a short password ("abc")'
like "$(jq_body .message)" 'at least 12 characters' "... says at least 12 characters"
weak password1234 '"password1234"'
weak international 'a dictionary word of 13 letters'
like "$(jq_body .message)" 'dictionary word' "... says it is a dictionary word"
# "kestrelmangoqz" passes every other rule (with another address).
E4=kestrelmangoqz@example.test
breq r2 POST /register -H 'Accept: application/json' --data-urlencode "csrf=$CSRF" \
	--data-urlencode "email=$E4" --data-urlencode "display_name=Weak Tester" \
	--data-urlencode "password=kestrelmangoqz"
is "$STATUS" 400 "the e-mail's local part as password: 400"
is "$(jq_body .field)" password "... field password"
like "$(jq_body .message)" 'username' "... says it is based on the address"
breq r2 POST /register -H 'Accept: application/json' --data-urlencode "csrf=$CSRF" \
	--data-urlencode "email=$E3" --data-urlencode "display_name=Weak Tester" \
	--data-urlencode "password=$PW" --data-urlencode "password_confirm=${PW}x"
is "$STATUS" 400 "the repeated password differs: 400"
is "$(jq_body .field)" password_confirm "... field password_confirm"
is "$(count_users "$E3")$(count_users "$E4")" 00 "no account was made by any refused attempt"

# The HTML form keeps what was typed, never a password.
breq r2 POST /register --data-urlencode "csrf=$CSRF" --data-urlencode "email=$E3" \
	--data-urlencode "display_name=Typed Name $$" --data-urlencode "password=Echo-Check-Secret-7731" \
	--data-urlencode "password_confirm=Echo-Check-Secret-7732"
is "$STATUS" 400 "HTML, passwords differ: 400"
is "$(field_error "$BODY" password_confirm)" "The two passwords differ" "... the error is under the field"
like "$BODY" "value=\"$E3\"" "... the e-mail is kept"
like "$BODY" "value=\"Typed Name $$\"" "... the name is kept"
unlike "$BODY" 'Echo-Check-Secret' "... no password is sent back"
breq r2 POST /register --data-urlencode "csrf=$CSRF" --data-urlencode "email=$E3" \
	--data-urlencode "display_name=Typed Name $$" --data-urlencode "password=international"
is "$STATUS" 400 "HTML, weak password: 400"
like "$(field_error "$BODY" password)" 'dictionary word' "... the error is under the password field"
unlike "$BODY" 'international' "... and the password is not sent back"
breq r2 POST /register --data-urlencode "csrf=$CSRF" --data-urlencode "email=not-an-address" \
	--data-urlencode "display_name=Typed Name $$" --data-urlencode "password=Echo-Check-Secret-7733"
is "$STATUS" 400 "HTML, bad e-mail: 400"
like "$(field_error "$BODY" email)" 'e-mail address' "... the error is under the e-mail field"
like "$BODY" 'value="not-an-address"' "... what was typed is kept"
unlike "$BODY" 'Echo-Check-Secret' "... the password is not"

# --- invitations ------------------------------------------------------------
set_mode invite
forget_browser i
breq i GET /register
is "$STATUS" 403 "invite mode, no invitation: 403"
like "$BODY" 'Registration is by invitation' "... says so"
csrf_of i /login
breq i POST /register --data-urlencode "csrf=$CSRF" --data-urlencode "email=reg3-$$@example.test" \
	--data-urlencode "display_name=No Invite" --data-urlencode "password=$PW"
is "$STATUS" 403 "invite mode, POST without an invitation: 403"
is "$(count_users "reg3-$$@example.test")" 0 "... no account"

IE=invited-$$@example.test
inv=$(make_invite "$IE" manager)
breq i GET "/register?invite=$inv"
is "$STATUS" 200 "a valid invitation: the form"
like "$BODY" "You were invited as <strong>$IE</strong>" "... shows the invited address"
like "$BODY" "name=\"invite\" value=\"$inv\"" "... carries the invitation"
CSRF=$(csrf_from "$BODY")
breq i POST /register --data-urlencode "csrf=$CSRF" --data-urlencode "invite=$inv" \
	--data-urlencode "email=smuggled-$$@example.test" --data-urlencode "display_name=Invited One" \
	--data-urlencode "password=$PW" --data-urlencode "password_confirm=$PW"
is "$STATUS" 303 "registering with the invitation: 303"
is "$(header location)" / "... to the start page"
like "$(cookie_of i __Host-wt_session)" '^[0-9a-f]{64}$' "... signed in"
is "$(sql "SELECT status, role, email_verified_at IS NOT NULL FROM users WHERE email = '$IE'")" \
	"active|manager|t" "the user is active, confirmed, with the invitation's role"
is "$(count_users "smuggled-$$@example.test")" 0 "the address in the form does not replace the invited one"
is "$(sql "SELECT used_at IS NOT NULL AND used_by = (SELECT id FROM users WHERE email = '$IE')
	FROM invites WHERE token_hash = '$(sha256_hex "$inv")'")" t "the invitation is marked used by the user"
breq i GET /account.json
is "$(jq_body .email)" "$IE" "the new session is the invited user's"

forget_browser i2
breq i2 GET "/register?invite=$inv"
is "$STATUS" 400 "a used invitation: 400"
like "$BODY" 'Invitation not valid' "... says it is not valid"
csrf_of i2 /login
breq i2 POST /register --data-urlencode "csrf=$CSRF" --data-urlencode "invite=$inv" \
	--data-urlencode "display_name=Second Use" --data-urlencode "password=Another-Long-Pass-19"
is "$STATUS" 400 "POST with a used invitation: 400"
like "$BODY" 'invalid, used or expired' "... the form says why"
is "$(sql "SELECT display_name FROM users WHERE email = '$IE'")" "Invited One" "... the account is untouched"

XE=expired-$$@example.test
xinv=$(make_invite "$XE" member '-1 minute')
breq i2 GET "/register?invite=$xinv"
is "$STATUS" 400 "an expired invitation: 400"
breq i2 POST /register -H 'Accept: application/json' --data-urlencode "csrf=$CSRF" \
	--data-urlencode "invite=$xinv" --data-urlencode "display_name=Too Late" \
	--data-urlencode "password=$PW"
is "$STATUS" 400 "POST with an expired invitation: 400"
is "$(jq_body .field)" invite "... field invite"
is "$(count_users "$XE")" 0 "... no account"
breq i2 GET "/register?invite=$(rand_hex 32)"
is "$STATUS" 400 "an unknown invitation: 400"
breq i2 GET "/register?invite=not-a-token"
is "$STATUS" 400 "a malformed invitation: 400"

# An invitation for an address that has an account.
tinv=$(make_invite "$E")
breq i2 GET "/register?invite=$tinv"
CSRF=$(csrf_from "$BODY")
breq i2 POST /register -H 'Accept: application/json' --data-urlencode "csrf=$CSRF" \
	--data-urlencode "invite=$tinv" --data-urlencode "display_name=Again" --data-urlencode "password=$PW"
is "$STATUS" 409 "an invitation for a taken address: 409"
is "$(sql "SELECT used_at IS NULL FROM invites WHERE token_hash = '$(sha256_hex "$tinv")'")" t \
	"... and the invitation stays unused"

# --- closed -----------------------------------------------------------------
set_mode closed
breq c GET /register
is "$STATUS" 403 "closed mode: 403"
like "$BODY" 'Registration is closed' "... says so"
csrf_of c /login
breq c POST /register -H 'Accept: application/json' --data-urlencode "csrf=$CSRF" \
	--data-urlencode "email=closed-$$@example.test" --data-urlencode "display_name=Closed" \
	--data-urlencode "password=$PW"
is "$STATUS" 403 "closed mode, POST: 403"
like "$(jq_body .message)" 'Registration is closed' "... says so"
is "$(count_users "closed-$$@example.test")" 0 "... no account"

set_mode invite
clear_lockouts
done_testing
