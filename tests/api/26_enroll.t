#!/usr/bin/env bash
# The device life cycle: a one-time code, the exchange for a device token,
# the token in use, and revocation stopping it at once.
. "$(dirname "$0")/lib.sh"

tag=enr$$
pw='Harbor-Lantern-Quietly-84'
json() { req "$1" "$2" -H 'Content-Type: application/json' "${@:4}" --data-raw "$3"; }

member="dev.$tag@example.com"
uid=$(printf '%s\n' "$pw" | wtctl create-user --email "$member" --name "Dev $tag")
token_for "$member" "$pw"
as_user=(-H "Authorization: Bearer $TOKEN")
admin_token
as_admin=(-H "Authorization: Bearer $ADMIN_TOKEN")

new_code() {  # new_code NAME KIND -> the code, shown once
	json POST /admin/devices/codes "{\"device_name\":\"$1\",\"kind\":\"$2\"}" "${as_user[@]}"
	jq_body .code
}

code=$(new_code "laptop $tag" agent)
like "$code" '^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$' "a member makes a code for their own laptop"
typed=$(tr 'A-Z' 'a-z' <<<"${code//-/}")
json POST /api/v1/enroll "{\"code\":\"$typed\",\"hostname\":\"box-$tag\",\"os\":\"Debian 12\",\"agent_version\":\"0.1.0\"}"
is "$STATUS" 201 "the agent exchanges the code (typed in lower case, no dashes)"
dtoken=$(jq_body .token)
did=$(jq_body .device_id)
like "$dtoken" '^[0-9a-f]{64}$' "it gets a 256-bit device token"
is "$(jq_body .hmac_secret)" "" "an agent gets no phone secret"
is "$(sql "SELECT token_hash = encode(sha256('$dtoken'::bytea), 'hex') FROM devices WHERE id = $did")" t \
	"only the token's SHA-256 is stored"
is "$(sql "SELECT user_id || ' ' || hostname || ' ' || os || ' ' || agent_version FROM devices WHERE id = $did")" \
	"$uid box-$tag Debian 12 0.1.0" "the device belongs to the member and records host, system and version"
is "$(sql "SELECT used_at IS NOT NULL AND device_id = $did FROM enrollment_codes WHERE device_id = $did")" t \
	"the code is spent and points at the device"

json POST /api/v1/enroll "{\"code\":\"$code\"}"
is "$STATUS" 400 "the same code a second time: 400"
is "$(jq_body .field)" code "... naming the code"
is "$(sql "SELECT count(*) FROM devices WHERE user_id = $uid")" 1 "... and no second device"

req GET /api/v1/agent/config -H "Authorization: Bearer $dtoken"
is "$STATUS" 200 "the agent reads its policy with the token"
is "$(jq -c '[.device.id, .idle_timeout_s, .screenshots.mode]' <<<"$BODY")" "[$did,180,\"off\"]" \
	"the policy has the device, the idle timeout and the screenshot schedule"
req GET /api/v1/agent/config
is "$STATUS" 401 "without a token: 401"
like "$(header www-authenticate)" '^Bearer' "... asking for a bearer token"
req GET /api/v1/agent/config -H "Authorization: Bearer $(openssl rand -hex 32)"
is "$STATUS" 401 "an unknown token: 401"
req GET /api/v1/agent/config "${as_user[@]}"
is "$STATUS" 401 "a person's access token is not a device token: 401"

req GET /admin/devices.json "${as_user[@]}"
is "$(jq_body ".devices[] | select(.id == $did) | .status + \" \" + .hostname")" "online box-$tag" \
	"the device is listed online with its host name"

req POST "/admin/devices/$did/revoke" "${as_admin[@]}" -H 'Accept: application/json'
is "$STATUS" 200 "the admin revokes the device"
req GET /api/v1/agent/config -H "Authorization: Bearer $dtoken"
is "$STATUS" 401 "the revoked device's token stops working at once"
req GET /admin/devices.json "${as_user[@]}"
is "$(jq_body ".devices[] | select(.id == $did) | .status")" revoked "the list says revoked"

code=$(new_code "spare $tag" agent)
cid=$(sql "SELECT id FROM enrollment_codes WHERE device_name = 'spare $tag'")
req POST "/admin/devices/codes/$cid/revoke" "${as_user[@]}" -H 'Accept: application/json'
is "$STATUS" 200 "the member revokes an unused code of theirs"
json POST /api/v1/enroll "{\"code\":\"$code\"}"
is "$STATUS" 400 "a revoked code cannot be exchanged"

code=$(new_code "late $tag" agent)
sql "UPDATE enrollment_codes SET expires_at = now() - interval '1 second' WHERE device_name = 'late $tag'" >/dev/null
json POST /api/v1/enroll "{\"code\":\"$code\"}"
is "$STATUS" 400 "an expired code cannot be exchanged"

json POST /api/v1/enroll '{"code":"hello"}'
is "$STATUS" 400 "a malformed code: 400"
like "$(jq_body .message)" '16-character code' "... saying what a code looks like"
json POST /api/v1/enroll '{"hostname":"x"}'
is "$(jq_body .field)" code "no code: 400 naming it"

code=$(new_code "phone $tag" phone)
json POST /api/v1/enroll "{\"code\":\"$code\"}"
is "$STATUS" 201 "a phone enrolls"
like "$(jq_body .hmac_secret)" '^[0-9a-f]{64}$' "... and gets its HMAC secret"
ptoken=$(jq_body .token)

# Deactivating the owner stops their devices too.
req POST "/admin/users/$uid/deactivate" "${as_admin[@]}" -H 'Accept: application/json'
is "$STATUS" 200 "the admin deactivates the member"
req GET /api/v1/agent/config -H "Authorization: Bearer $ptoken"
is "$STATUS" 401 "a deactivated person's devices are refused"

done_testing
