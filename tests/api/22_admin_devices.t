#!/usr/bin/env bash
# Admin: devices.  Enrollment codes (format, lifetime, only a hash kept,
# listed while usable, revocable once), device revocation, the status of
# each device, and whose codes and devices a member and a manager reach.
. "$(dirname "$0")/lib.sh"

CODE_RE='^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$'

admin_token
[ -n "$ADMIN_TOKEN" ]
ok $? "the first admin gets an access token"
TD=$(make_team "Devices $$")
EM=dm-$$@example.test
EO=do-$$@example.test
EG=dg-$$@example.test
MEM_TOKEN=$(make_person "$EM" member "$TD" "Dana Member")
ok $? "a member of the team"
OTH_TOKEN=$(make_person "$EO" member "" "Olaf Outsider")
ok $? "a member of no team"
MGR_TOKEN=$(make_person "$EG" member "" "Greta Manager")
ok $? "a person who will manage the team"
MEM=$(uid_of "$EM")
OTH=$(uid_of "$EO")
MGR=$(uid_of "$EG")
add_member "$TD" "$MGR" manager
is "$(sql "SELECT role FROM users WHERE id = $MGR")" manager "... now a manager"

live_codes() {  # the ids of the codes GET /admin/devices lists for a token
	api GET /admin/devices "$1"
	jq_body '[.codes[].id] | sort | join(",")'
}
listed() {  # listed ID IDS: is the id among the comma-separated ids
	case ",$2," in *",$1,"*) echo yes ;; *) echo no ;; esac
}

# --- a code for yourself ------------------------------------------------------------------
A0=$(audit_max)
api POST /admin/devices/codes "$ADMIN_TOKEN" '{"device_name":"Admin laptop"}'
is "$STATUS" 201 "an enrollment code for yourself: 201"
CODE=$(jq_body .code)
C1=$(jq_body .id)
like "$CODE" "$CODE_RE" "the code: XXXX-XXXX-XXXX-XXXX of 0-9 and A-Z without I, L, O, U"
is "$(jq_body '"\(.user_id) \(.device_name) \(.kind)"')" "$ADMIN_ID Admin laptop agent" \
	"... for the caller, the device name, kind agent"
EXP=$(jq_body .expires_at)
like "$EXP" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' "expires_at: an ISO 8601 UTC time"
LEFT=$(( $(date -u -d "$EXP" +%s 2>/dev/null || echo 0) - $(date -u +%s) ))
[ "$LEFT" -ge $((86400 - 120)) ] && [ "$LEFT" -le $((86400 + 5)) ]
ok $? "... about 24 hours ahead (${LEFT} s)"
PLAIN=${CODE//-/}
is "$(sql "SELECT count(*) FROM enrollment_codes WHERE id = ${C1:-0}
            AND code_hash = encode(sha256('$PLAIN'), 'hex') AND user_id = $ADMIN_ID
            AND created_by = $ADMIN_ID AND kind = 'agent' AND device_name = 'Admin laptop'
            AND used_at IS NULL AND revoked_at IS NULL
            AND expires_at BETWEEN now() + interval '23 hours 58 minutes' AND now() + interval '24 hours'")" 1 \
	"stored: the SHA-256 of the code without dashes, for the caller, 24 h"
is "$(sql "SELECT count(*) FROM enrollment_codes c
            WHERE strpos(row_to_json(c)::text, '$PLAIN') > 0 OR strpos(row_to_json(c)::text, '$CODE') > 0")" 0 \
	"the code itself is stored nowhere in the table"
AUD=$(audit_last device.code_create "$C1")
is "$(jq_of "$AUD" '[.actor_email, .target_type, .target_label, (.before|tostring)] | join("|")')" \
	"$ADMIN_EMAIL|enrollment_code|Admin laptop|null" "audit: device.code_create"
is "$(jq -cS .after <<<"$AUD")" "{\"device_name\":\"Admin laptop\",\"kind\":\"agent\",\"user_id\":$ADMIN_ID}" \
	"audit: after = whose, name, kind"
unlike "$AUD" "$PLAIN|$CODE" "... without the code"
is "$(audit_since "$A0")" 1 "one audit row"
unlike "$(cat "$WT_LOG"/*.log 2>/dev/null)" "$PLAIN|$CODE" "the code is in no log"

api GET /admin/devices "$ADMIN_TOKEN"
is "$STATUS" 200 "GET /admin/devices: 200"
is "$(jq_body ".codes[] | select(.id == $C1) | \"\(.device_name) \(.kind) \(.user_id) \(.user_name)\"")" \
	"Admin laptop agent $ADMIN_ID $(sql "SELECT display_name FROM users WHERE id = $ADMIN_ID")" \
	"the code is listed: name, kind, whose"
like "$(jq_body ".codes[] | select(.id == $C1) | .expires")" '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}$' \
	"... with when it expires"

api POST /admin/devices/codes "$ADMIN_TOKEN" '{"device_name":"Admin phone","kind":"phone"}'
is "$STATUS $(jq_body .kind)" "201 phone" "a code for a phone: kind phone"
A0=$(audit_max)
api POST /admin/devices/codes "$ADMIN_TOKEN" '{"device_name":"Tablet","kind":"tablet"}'
is_error 400 kind "kind tablet: 400 naming kind"
api POST /admin/devices/codes "$ADMIN_TOKEN" '{"kind":"agent"}'
is_error 400 device_name "no device name: 400 naming device_name"
api POST /admin/devices/codes "$ADMIN_TOKEN" "{\"device_name\":\"$(printf 'd%.0s' $(seq 1 101))\"}"
is_error 400 device_name "a device name of 101 characters: 400 naming device_name"
api POST /admin/devices/codes "$ADMIN_TOKEN" '{"device_name":"Ghost","user_id":999999999}'
is_error 404 user_id "a code for a person who does not exist: 404 naming user_id"
is "$(audit_since "$A0")" 0 "refusals write no audit row"

# --- revoking codes -----------------------------------------------------------------------
A0=$(audit_max)
api POST "/admin/devices/codes/$C1/revoke" "$ADMIN_TOKEN"
is "$STATUS" 200 "revoke an unused code: 200"
is "$(jq_body .status)" revoked "... status revoked"
is "$(sql "SELECT revoked_at IS NOT NULL FROM enrollment_codes WHERE id = $C1")" t "... revoked_at is set"
is "$(listed "$C1" "$(live_codes "$ADMIN_TOKEN")")" no "... and it is no longer listed"
AUD=$(audit_last device.code_revoke "$C1")
is "$(jq_of "$AUD" '[.actor_email, .target_type, .target_label] | join("|")')" \
	"$ADMIN_EMAIL|enrollment_code|Admin laptop" "audit: device.code_revoke"
is "$(jq -c '[.before, .after]' <<<"$AUD")" '[{"revoked":false},{"revoked":true}]' "audit: revoked false -> true"
api POST "/admin/devices/codes/$C1/revoke" "$ADMIN_TOKEN"
is_error 409 "" "revoking it again: 409"
is "$(audit_since "$A0")" 1 "one audit row"

api POST /admin/devices/codes "$ADMIN_TOKEN" '{"device_name":"Used one"}'
C2=$(jq_body .id)
sql "UPDATE enrollment_codes SET used_at = now() WHERE id = ${C2:-0}" >/dev/null
is "$(listed "$C2" "$(live_codes "$ADMIN_TOKEN")")" no "a used code is not listed"
api POST "/admin/devices/codes/$C2/revoke" "$ADMIN_TOKEN"
is_error 409 "" "a used code cannot be revoked: 409"
is "$(sql "SELECT revoked_at IS NULL FROM enrollment_codes WHERE id = $C2")" t "... revoked_at stays empty"

api POST /admin/devices/codes "$ADMIN_TOKEN" '{"device_name":"Old one"}'
C3=$(jq_body .id)
is "$(listed "$C3" "$(live_codes "$ADMIN_TOKEN")")" yes "a fresh code is listed"
sql "UPDATE enrollment_codes SET expires_at = now() - interval '1 minute' WHERE id = ${C3:-0}" >/dev/null
is "$(listed "$C3" "$(live_codes "$ADMIN_TOKEN")")" no "an expired code is not listed"
api POST /admin/devices/codes/999999999/revoke "$ADMIN_TOKEN"
is_error 404 "" "revoking a code that does not exist: 404"

# --- codes for other people -------------------------------------------------------------------
api POST /admin/devices/codes "$ADMIN_TOKEN" "{\"user_id\":$MEM,\"device_name\":\"Dana laptop\"}"
is "$STATUS $(jq_body .user_id)" "201 $MEM" "the admin makes a code for someone else: 201"
CM=$(jq_body .id)
is "$(sql "SELECT user_id || ' ' || created_by FROM enrollment_codes WHERE id = ${CM:-0}")" "$MEM $ADMIN_ID" \
	"... theirs, made by the admin"

api POST /admin/devices/codes "$MEM_TOKEN" '{"device_name":"My laptop"}'
is "$STATUS $(jq_body .user_id)" "201 $MEM" "a member makes a code for themselves: 201"
CMS=$(jq_body .id)
like "$(jq_body .code)" "$CODE_RE" "... in the same format"
api POST /admin/devices/codes "$MEM_TOKEN" "{\"user_id\":$MEM,\"device_name\":\"My desktop\"}"
is "$STATUS" 201 "... naming themselves as user_id: 201"
A0=$(audit_max)
api POST /admin/devices/codes "$MEM_TOKEN" "{\"user_id\":$OTH,\"device_name\":\"Not mine\"}"
is_error 404 user_id "a member making a code for someone else: 404 naming user_id"
api POST /admin/devices/codes "$MEM_TOKEN" "{\"user_id\":$ADMIN_ID,\"device_name\":\"Not mine\"}"
is_error 404 user_id "... for the admin: 404 too"
is "$(sql "SELECT count(*) FROM enrollment_codes WHERE device_name = 'Not mine'")" 0 "... no code was made"
is "$(audit_since "$A0")" 0 "... and no audit row"

api GET /admin/devices "$MEM_TOKEN"
is "$STATUS" 200 "a member may list devices"
is "$(jq_body '[.codes[].user_id] | unique | join(",")')" "$MEM" "... and sees only their own codes"
is "$(jq_body '.codes | length')" 3 "... all three of them"

api POST /admin/devices/codes "$ADMIN_TOKEN" "{\"user_id\":$OTH,\"device_name\":\"Olaf laptop\"}"
CO=$(jq_body .id)
api POST "/admin/devices/codes/$CO/revoke" "$MEM_TOKEN"
is_error 404 "" "a member revoking someone else's code: 404"
is "$(sql "SELECT revoked_at IS NULL FROM enrollment_codes WHERE id = ${CO:-0}")" t "... it stays usable"
api POST "/admin/devices/codes/$CMS/revoke" "$MEM_TOKEN"
is "$STATUS" 200 "a member revoking their own code: 200"

api POST /admin/devices/codes "$MGR_TOKEN" "{\"user_id\":$MEM,\"device_name\":\"For Dana\"}"
is "$STATUS $(jq_body .user_id)" "201 $MEM" "a manager makes a code for their team's member: 201"
api POST /admin/devices/codes "$MGR_TOKEN" "{\"user_id\":$OTH,\"device_name\":\"For Olaf\"}"
is_error 404 user_id "... but not for someone outside their teams: 404 naming user_id"
api POST "/admin/devices/codes/$CO/revoke" "$MGR_TOKEN"
is_error 404 "" "... nor revoke that person's code: 404"

# --- revoking devices ------------------------------------------------------------------------
DV=$(sql "INSERT INTO devices (user_id, name, token_hash)
           VALUES ($OTH, 'laptop', encode(sha256('sometoken-$$'), 'hex')) RETURNING id")
ok $? "a device of the outsider (SQL)"
api POST "/admin/devices/$DV/revoke" "$MEM_TOKEN"
is_error 404 "" "a member revoking someone else's device: 404"
api POST "/admin/devices/$DV/revoke" "$MGR_TOKEN"
is_error 404 "" "a manager revoking a device outside their teams: 404"
is "$(sql "SELECT (revoked_at IS NULL) || ' ' || (token_hash IS NOT NULL) FROM devices WHERE id = $DV")" \
	"true true" "... the device still works"
A0=$(audit_max)
api POST "/admin/devices/$DV/revoke" "$ADMIN_TOKEN"
is "$STATUS" 200 "the admin revokes it: 200"
is "$(jq_body .status)" revoked "... status revoked"
is "$(sql "SELECT (revoked_at IS NOT NULL) || ' ' || (token_hash IS NULL) || ' ' || (hmac_secret IS NULL)
            FROM devices WHERE id = $DV")" "true true true" "revoked_at set, token_hash and secret gone"
AUD=$(audit_last device.revoke "$DV")
is "$(jq_of "$AUD" '[.actor_email, .target_type, .target_label] | join("|")')" "$ADMIN_EMAIL|device|laptop" \
	"audit: device.revoke"
is "$(jq -c '[.before, .after]' <<<"$AUD")" '[{"revoked":false},{"revoked":true}]' "audit: revoked false -> true"
api POST "/admin/devices/$DV/revoke" "$ADMIN_TOKEN"
is_error 409 "" "revoking it again: 409"
is "$(audit_since "$A0")" 1 "one audit row"
api POST /admin/devices/999999999/revoke "$ADMIN_TOKEN"
is_error 404 "" "revoking a device that does not exist: 404"

DM=$(make_device "$MEM" "dana desk")
api POST "/admin/devices/$DM/revoke" "$MEM_TOKEN"
is "$STATUS" 200 "a member revokes their own device: 200"
DM2=$(make_device "$MEM" "dana tower")
api POST "/admin/devices/$DM2/revoke" "$MGR_TOKEN"
is "$STATUS" 200 "a manager revokes their team member's device: 200"

# --- status ----------------------------------------------------------------------------------------
make_device "$OTH" st-never >/dev/null
make_device "$OTH" st-online "now()" >/dev/null
make_device "$OTH" st-idle "now() - interval '10 minutes'" >/dev/null
make_device "$OTH" st-offline "now() - interval '2 hours'" >/dev/null
make_device "$OTH" st-revoked "now()" "now()" >/dev/null
api GET "/admin/devices?user=$OTH" "$ADMIN_TOKEN"
is "$(jq_body '[.devices[] | select(.name | startswith("st-")) | "\(.name)=\(.status)"] | sort | join(" ")')" \
	"st-idle=idle st-never=never st-offline=offline st-online=online st-revoked=revoked" \
	"status: never, online, idle (10 min), offline (2 h), revoked"
is "$(jq_body '[.devices[].user_id] | unique | join(",")')" "$OTH" "?user=ID: only that person's devices"
is "$(jq_body '[.codes[].user_id] | unique | join(",")')" "$OTH" "... and codes"
is "$(jq_body '.devices[] | select(.name == "st-never") | .last_seen')" "" "never seen: no last_seen"
like "$(jq_body '.devices[] | select(.name == "st-online") | .last_seen')" \
	'^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}$' "online: last_seen"
api GET /admin/devices?user=abc "$ADMIN_TOKEN"
is_error 400 user "?user=abc: 400 naming user"

api GET /admin/devices "$MGR_TOKEN"
is "$(jq_body '[.devices[].user_id] | unique | join(",")')" "$MEM" \
	"the manager sees their team's devices, not the outsider's"
api GET /admin/devices "$OTH_TOKEN"
is "$(jq_body '[.devices[].user_id] | unique | join(",")')" "$OTH" "the outsider sees only their own devices"
done_testing
