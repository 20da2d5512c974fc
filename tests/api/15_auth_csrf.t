#!/usr/bin/env bash
# CSRF: every state-changing route refuses a missing token, a wrong one,
# one made for another browser, and the pre-sign-in token once signed in;
# and changes nothing when it refuses.  The token works as the form field,
# the X-CSRF-Token header and the JSON member "csrf".
. "$(dirname "$0")/lib.sh"

clear_lockouts
EC=csrf-$$@example.test
PWC='Marigold-Beacon-Thunder-39'
make_user "$EC" "Csrf Tester" "$PWC"
ok $? "a confirmed user"
NEWU=csrf-new-$$@example.test
WRONG=$(openssl rand -base64 32 | tr '+/' '-_' | tr -d '=')

# Two anonymous browsers with their pre-session tokens.
csrf_of xa
TA=$CSRF
csrf_of xb
TB=$CSRF
ok $([ -n "$TA" ] && [ "$TA" != "$TB" ]; echo $?) "two browsers get two different tokens"

# One user signed in from two browsers; ca's token from before signing in.
csrf_of ca
PRE_CA=$CSRF
login ca "$EC" "$PWC"
is "$STATUS" 303 "signed in from browser ca"
login cb "$EC" "$PWC"
is "$STATUS" 303 "... and from browser cb"
breq ca GET /account
TCA=$(csrf_from "$BODY")
breq cb GET /account
TCB=$(csrf_from "$BODY")
ok $([ -n "$TCA" ] && [ "$TCA" != "$TCB" ] && [ "$TCA" != "$PRE_CA" ]; echo $?) \
	"each session has its own token, not the pre-session one"

# refuse BROWSER VARIANT PATH WHAT [curl args]: expects 403 for the CSRF token.
refuse() {
	local b=$1 v=$2 path=$3 what=$4 t
	shift 4
	case $v in
	missing) t=() ;;
	empty) t=(--data-urlencode "csrf=") ;;
	wrong) t=(--data-urlencode "csrf=$WRONG") ;;
	*) t=(--data-urlencode "csrf=$v") ;;
	esac
	breq "$b" POST "$path" -H 'Accept: application/json' "${t[@]}" "$@"
	is "$STATUS $(jq_body .field)" "403 csrf" "$what: 403 for the CSRF token"
}

# --- anonymous routes -------------------------------------------------------
set_mode open
mail_mark
MAIL_MARK=$TMPD/mail.mark.refused mail_mark
sessions_before=$(session_rows "$EC")
for v in missing empty wrong "$TB"; do
	name=$v; [ "$v" = "$TB" ] && name="browser xb's token"
	refuse xa "$v" /login "POST /login, $name" --data-urlencode "email=$EC" --data-urlencode "password=$PWC"
	refuse xa "$v" /register "POST /register, $name" --data-urlencode "email=$NEWU" \
		--data-urlencode "display_name=New Person" --data-urlencode "password=$PWC"
	refuse xa "$v" /password/forgot "POST /password/forgot, $name" --data-urlencode "email=$EC"
done
is "$(cookie_of xa __Host-wt_session)" "" "login refused: browser xa is not signed in"
is "$(session_rows "$EC")" "$sessions_before" "... no session was made"
is "$(sql "SELECT count(*) FROM users WHERE email = '$NEWU'")" 0 "register refused: no account"
is "$(sql "SELECT count(*) FROM auth_tokens t JOIN users u ON u.id = t.user_id
	WHERE u.email = '$EC' AND t.kind = 'reset'")" 0 "forgot refused: no reset link made"
no_mail_to "$EC" "$NEWU"
ok $? "... and no message sent"

# A JSON body with a wrong "csrf" member.
breq xa POST /login -H 'Content-Type: application/json' \
	--data-raw "$(jq -cn --arg c "$TB" --arg e "$EC" --arg p "$PWC" '{csrf: $c, email: $e, password: $p}')"
is "$STATUS" 403 "JSON body with another browser's token: 403"
# A token in the query string does not count.
breq xa POST "/login?csrf=$TA" -H 'Accept: application/json' --data-urlencode "email=$EC" \
	--data-urlencode "password=$PWC"
is "$STATUS" 403 "the token in the query string: 403"

# --- signed-in routes -------------------------------------------------------
row_before=$(user_row "$EC")
for v in missing wrong "$TCB" "$PRE_CA" "$TA"; do
	case $v in
	"$TCB") name="the token of the user's other session" ;;
	"$PRE_CA") name="this browser's token from before signing in" ;;
	"$TA") name="an anonymous browser's token" ;;
	*) name=$v ;;
	esac
	refuse ca "$v" /account "POST /account, $name" --data-urlencode "display_name=Changed Name" \
		--data-urlencode "timezone=Europe/Paris" --data-urlencode "target_pace_min=99"
	refuse ca "$v" /account/password "POST /account/password, $name" \
		--data-urlencode "current_password=$PWC" --data-urlencode "password=Changed-Pass-Word-55"
	refuse ca "$v" /account/sessions/revoke-others "POST /account/sessions/revoke-others, $name"
	refuse ca "$v" /logout "POST /logout, $name"
done
is "$(user_row "$EC")" "$row_before" "refused: the profile and password are unchanged"
is "$(session_rows "$EC")" 2 "refused: both sessions are still there"
breq ca GET /account.json
is "$STATUS" 200 "refused logout: browser ca is still signed in"
breq cb GET /account.json
is "$STATUS" 200 "refused revoke-others: browser cb is still signed in"
rreq GET /logout -H "Cookie: __Host-wt_session=$(cookie_of ca __Host-wt_session)"
is "$STATUS" 405 "GET /logout: 405"
breq ca GET /account.json
is "$STATUS" 200 "... and does not sign out"

# --- the right token works, in every form ----------------------------------
breq ca POST /account -H 'Accept: application/json' -H "X-CSRF-Token: $TCA" \
	--data-urlencode "display_name=Header Name" --data-urlencode "timezone=UTC" \
	--data-urlencode "target_pace_min=30"
is "$STATUS" 200 "POST /account with X-CSRF-Token: 200"
breq ca POST /account.json -H 'Content-Type: application/json' \
	--data-raw "$(jq -cn --arg c "$TCA" '{csrf: $c, display_name: "Json Name", timezone: "UTC", target_pace_min: 30}')"
is "$STATUS" 200 "POST /account.json with the JSON member csrf: 200"
breq ca POST /account --data-urlencode "csrf=$TCA" --data-urlencode "display_name=Form Name" \
	--data-urlencode "timezone=UTC" --data-urlencode "target_pace_min=30"
is "$STATUS" 303 "POST /account with the form field: 303"
is "$(sql "SELECT display_name FROM users WHERE email = '$EC'")" "Form Name" "... saved"
breq ca POST /account/sessions/revoke-others -H 'Accept: application/json' -H "X-CSRF-Token: $TCA"
is "$STATUS $(jq_body .ended)" "200 1" "revoke-others with X-CSRF-Token: ends the other session"
login cb "$EC" "$PWC"
NEWPW='Changed-Pass-Word-55'
breq ca POST /account/password -H 'Accept: application/json' -H "X-CSRF-Token: $TCA" \
	--data-urlencode "current_password=$PWC" --data-urlencode "password=$NEWPW"
is "$STATUS" 200 "POST /account/password with X-CSRF-Token: 200"
breq cb GET /account.json
is "$STATUS" 401 "... the other session ended"
sca=$(cookie_of ca __Host-wt_session)
breq ca POST /logout -H 'Accept: application/json' -H "X-CSRF-Token: $TCA"
is "$STATUS" 200 "POST /logout with X-CSRF-Token: 200"
is "$(session_exists "$sca")" 0 "... the session is gone"

# Signing in with the header; then the pre-sign-in token is dead.
forget_browser xc
csrf_of xc
TXC=$CSRF
breq xc POST /login -H "X-CSRF-Token: $TXC" --data-urlencode "email=$EC" --data-urlencode "password=$NEWPW"
is "$STATUS" 303 "POST /login with X-CSRF-Token: 303"
refuse xc "$TXC" /account "after signing in, the token from the sign-in page" \
	--data-urlencode "display_name=Pre Token" --data-urlencode "timezone=UTC" --data-urlencode "target_pace_min=30"
refuse xc "$TXC" /logout "after signing in, the sign-in page's token for /logout"
breq xc GET /account.json
is "$STATUS" 200 "... still signed in"
is "$(sql "SELECT display_name FROM users WHERE email = '$EC'")" "Form Name" "... nothing changed"

# A bearer token that is not a valid JWT proves nothing, so it must not
# stand in for the CSRF token either.
xcs=$(cookie_of xc __Host-wt_session)
breq xc POST /logout -H 'Authorization: Bearer notajwt'
ok $([ "$STATUS" = 401 ] || [ "$STATUS" = 403 ]; echo $?) \
	"POST /logout with 'Authorization: Bearer notajwt' and no CSRF token: refused (got $STATUS)"
rreq GET /account.json -H "Cookie: __Host-wt_session=$xcs"
is "$STATUS" 200 "... the session is still signed in"
forget_browser xd
csrf_of xd
breq xd POST /login -H 'Authorization: Bearer notajwt' --data-urlencode "email=$EC" \
	--data-urlencode "password=$NEWPW"
ok $([ "$STATUS" = 401 ] || [ "$STATUS" = 403 ]; echo $?) \
	"POST /login with 'Authorization: Bearer notajwt' and no CSRF token: refused (got $STATUS)"
is "$(cookie_of xd __Host-wt_session)" "" "... not signed in"

mail_mark
breq xa POST /register -H "X-CSRF-Token: $TA" --data-urlencode "email=$NEWU" \
	--data-urlencode "display_name=New Person" --data-urlencode "password=$PWC"
is "$STATUS" 200 "POST /register with X-CSRF-Token: 200"
is "$(sql "SELECT count(*) FROM users WHERE email = '$NEWU'")" 1 "... the account exists"
breq xa POST /password/forgot -H "X-CSRF-Token: $TA" --data-urlencode "email=$EC"
is "$STATUS" 200 "POST /password/forgot with X-CSRF-Token: 200"
m=$(mail_wait "$EC")
ok $? "... the message is sent"
# Once the accepted requests' messages have come, none of the refused ones
# can be on its way.
MAIL_MARK=$TMPD/mail.mark.refused mail_wait "$NEWU" >/dev/null
is "$(MAIL_MARK=$TMPD/mail.mark.refused mails_to "$EC" | wc -l) $(MAIL_MARK=$TMPD/mail.mark.refused mails_to "$NEWU" | wc -l)" \
	"1 1" "since the refused requests: one message each to $EC and $NEWU, from the accepted ones"
RT=$(link_from_mail "$m")
RT=${RT##*token=}

# --- the reset form ---------------------------------------------------------
hash_before=$(pw_hash "$EC")
for v in missing wrong "$TB"; do
	name=$v; [ "$v" = "$TB" ] && name="browser xb's token"
	refuse xa "$v" /password/reset "POST /password/reset, $name" --data-urlencode "token=$RT" \
		--data-urlencode "password=Reset-Pass-Word-77"
done
is "$(pw_hash "$EC")" "$hash_before" "reset refused: the password is unchanged"
is "$(sql "SELECT used_at IS NULL FROM auth_tokens WHERE token_hash = '$(sha256_hex "$RT")'")" t \
	"... the link is not used up"
breq xa POST /password/reset -H 'Accept: application/json' -H "X-CSRF-Token: $TA" \
	--data-urlencode "token=$RT" --data-urlencode "password=Reset-Pass-Word-77"
is "$STATUS" 200 "POST /password/reset with X-CSRF-Token: 200"

set_mode invite
clear_lockouts
done_testing
