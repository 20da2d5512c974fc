#!/usr/bin/env bash
# Admin: the organisation's settings.  Admins only; every field checked
# (400 naming it, nothing changed); a partial change changes only what is
# sent; the registration mode takes effect on /register at once.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/admin_lib.sh"

admin_token
[ -n "$ADMIN_TOKEN" ]
ok $? "the first admin gets an access token"
MEM_TOKEN=$(make_person "sm-$$@example.test" member "" "Sam Member")
ok $? "a member"
MGR_TOKEN=$(make_person "sg-$$@example.test" manager "" "Sue Manager")
ok $? "a manager"

db_settings() {  # the settings row as the API shows it: sorted compact JSON
	asql "SELECT (to_jsonb(s) - 'id' - 'updated_at')::text FROM settings s" | jq -cS .; }
# The agent settings of sql/005 (issue 9) are in the row but not yet in the
# admin API; compare the API's answer with the row without them.
api_part() { jq -cS 'del(.title_exclude, .upload_interval_s, .heartbeat_interval_s, .pulsetime_s)' <<<"$1"; }

# --- reading -----------------------------------------------------------------------
ORIG=$(db_settings)
api GET /admin/settings "$ADMIN_TOKEN"
is "$STATUS" 200 "GET /admin/settings as admin: 200"
is "$(jq_body 'keys | join(",")')" \
	"day_gap_min,idle_timeout_s,registration_mode,retention_days,screenshot_blur,screenshot_from_hour,screenshot_interval_min,screenshot_mode,screenshot_to_hour,screenshot_visibility" \
	"... every setting"
is "$(jq -cS . <<<"$BODY")" "$(api_part "$ORIG")" "... with the values in the database"
is "$(jq_body '[(.retention_days|type), (.screenshot_blur|type), (.screenshot_mode|type)] | join(",")')" \
	"number,boolean,string" "... numbers as numbers, the box as a boolean"
api GET /admin/settings "$MGR_TOKEN"
is_error 403 "" "a manager may not read them: 403"
api GET /admin/settings "$MEM_TOKEN"
is_error 403 "" "a member may not read them: 403"
api GET /admin/settings ""
is_error 401 "" "without a token: 401"
A0=$(audit_max)
api POST /admin/settings "$MGR_TOKEN" '{"retention_days":99}'
is_error 403 "" "a manager may not change them: 403"
is "$(db_settings)" "$ORIG" "... nothing changed"

# --- refused values ---------------------------------------------------------------------
bad() {  # bad JSON FIELD NAME: refused with 400 naming FIELD, nothing changed
	api POST /admin/settings "$ADMIN_TOKEN" "$1"
	is "$STATUS $(jq_body '.field // ""') $(db_settings)" "400 $2 $ORIG" "$3"
}
bad '{"retention_days":0}' retention_days "retention_days 0: 400"
bad '{"retention_days":3651}' retention_days "retention_days 3651: 400"
bad '{"retention_days":-5}' retention_days "retention_days -5: 400"
bad '{"retention_days":"30"}' retention_days "retention_days as a string: 400"
bad '{"retention_days":30.5}' retention_days "retention_days 30.5: 400"
bad '{"retention_days":true}' retention_days "retention_days true: 400"
bad '{"screenshot_mode":"sometimes"}' screenshot_mode "screenshot_mode sometimes: 400"
bad '{"screenshot_mode":"OFF"}' screenshot_mode "screenshot_mode OFF (case matters): 400"
bad '{"screenshot_mode":1}' screenshot_mode "screenshot_mode 1: 400"
bad '{"screenshot_interval_min":4}' screenshot_interval_min "screenshot_interval_min 4: 400"
bad '{"screenshot_interval_min":1441}' screenshot_interval_min "screenshot_interval_min 1441: 400"
bad '{"screenshot_from_hour":24}' screenshot_from_hour "screenshot_from_hour 24: 400"
bad '{"screenshot_from_hour":-1}' screenshot_from_hour "screenshot_from_hour -1: 400"
bad '{"screenshot_to_hour":0}' screenshot_to_hour "screenshot_to_hour 0: 400"
bad '{"screenshot_to_hour":25}' screenshot_to_hour "screenshot_to_hour 25: 400"
bad '{"screenshot_from_hour":12,"screenshot_to_hour":12}' screenshot_to_hour \
	"screenshot_from_hour = screenshot_to_hour: 400 naming screenshot_to_hour"
bad '{"screenshot_from_hour":18,"screenshot_to_hour":8}' screenshot_to_hour \
	"screenshot_from_hour > screenshot_to_hour: 400 naming screenshot_to_hour"
FROM=$(jq -r .screenshot_from_hour <<<"$ORIG")
TO=$(jq -r .screenshot_to_hour <<<"$ORIG")
bad "{\"screenshot_from_hour\":$TO}" screenshot_to_hour \
	"only from_hour, up to the stored to_hour ($TO): 400 naming screenshot_to_hour"
bad "{\"screenshot_to_hour\":$FROM}" screenshot_to_hour \
	"only to_hour, down to the stored from_hour ($FROM): 400 naming screenshot_to_hour"
bad '{"screenshot_blur":"yes"}' screenshot_blur "screenshot_blur as a string: 400"
bad '{"screenshot_visibility":"everyone"}' screenshot_visibility "screenshot_visibility everyone: 400"
bad '{"idle_timeout_s":29}' idle_timeout_s "idle_timeout_s 29: 400"
bad '{"idle_timeout_s":3601}' idle_timeout_s "idle_timeout_s 3601: 400"
bad '{"day_gap_min":0}' day_gap_min "day_gap_min 0: 400"
bad '{"day_gap_min":241}' day_gap_min "day_gap_min 241: 400"
bad '{"registration_mode":"maybe"}' registration_mode "registration_mode maybe: 400"
bad '{"retention_days":90,"day_gap_min":0}' day_gap_min "a good value with a bad one: 400, the good one not saved either"
api POST /admin/settings "$ADMIN_TOKEN" '[1,2]'
is "$STATUS $(db_settings)" "400 $ORIG" "a JSON array: 400, nothing changed"
is "$(audit_since "$A0")" 0 "refusals write no audit row"

# --- changes ---------------------------------------------------------------------------------
A0=$(audit_max)
api POST /admin/settings "$ADMIN_TOKEN" '{"retention_days":90,"screenshot_mode":"interval"}'
is "$STATUS" 200 "a partial change: 200"
WANT=$(jq -cS '.retention_days = 90 | .screenshot_mode = "interval"' <<<"$ORIG")
is "$(jq -cS . <<<"$BODY")" "$(api_part "$WANT")" "... answers all settings, the two changed"
is "$(db_settings)" "$WANT" "... only the fields sent changed in the database"
AUD=$(audit_last settings.update)
is "$(jq_of "$AUD" '[.actor_email, .target_type, (.target_id|tostring), .target_label] | join("|")')" \
	"$ADMIN_EMAIL|settings|null|organisation" "audit: settings.update by the admin"
is "$(jq -cS .before <<<"$AUD")" "$ORIG" "audit: before = all settings before"
is "$(jq -cS .after <<<"$AUD")" "$WANT" "audit: after = all settings after"
is "$(audit_since "$A0")" 1 "one audit row"

S1=$WANT
api POST /admin/settings "$ADMIN_TOKEN" '{"screenshot_blur":false,"screenshot_from_hour":0,"screenshot_to_hour":24,"screenshot_visibility":"admins"}'
is "$STATUS" 200 "the widest hours, blur off, admins only: 200"
WANT=$(jq -cS '.screenshot_blur = false | .screenshot_from_hour = 0 | .screenshot_to_hour = 24 | .screenshot_visibility = "admins"' <<<"$S1")
is "$(db_settings)" "$WANT" "... saved, nothing else changed"
S2=$WANT
api POST /admin/settings "$ADMIN_TOKEN" '{"retention_days":1,"screenshot_interval_min":1440,"idle_timeout_s":30,"day_gap_min":240,"screenshot_from_hour":23}'
is "$STATUS" 200 "the limits themselves are allowed: 200"
is "$(db_settings)" "$(jq -cS '.retention_days = 1 | .screenshot_interval_min = 1440 | .idle_timeout_s = 30 | .day_gap_min = 240 | .screenshot_from_hour = 23' <<<"$S2")" \
	"... saved"
api POST /admin/settings "$ADMIN_TOKEN" '{"retention_days":3650,"screenshot_blur":true}'
is "$(jq_body '"\(.retention_days) \(.screenshot_blur)"')" "3650 true" "retention 3650 and blur on again"

# --- the registration mode --------------------------------------------------------------------
set_reg() { api POST /admin/settings "$ADMIN_TOKEN" "{\"registration_mode\":\"$1\"}"; }
set_reg closed
is "$STATUS $(jq_body .registration_mode)" "200 closed" "registration closed"
rreq GET /register
is "$STATUS" 403 "closed: GET /register is 403"
like "$BODY" "Registration is closed" "... saying so"
JAR=$TMPD/jar-closed
rreq GET /login -b "$JAR" -c "$JAR"
CSRF=$(grep -o 'name="csrf" value="[^"]*"' <<<"$BODY" | head -1 | sed 's/.*value="//; s/"$//')
rreq POST /register -b "$JAR" -c "$JAR" -H 'Content-Type: application/json' -H "X-CSRF-Token: $CSRF" \
	--data-raw "{\"email\":\"walkin-$$@example.test\",\"display_name\":\"Walk In\",\"password\":\"$PERSON_PW\"}"
is "$STATUS" 403 "closed: POST /register is 403"
is "$(asql "SELECT count(*) FROM users WHERE email = 'walkin-$$@example.test'")" 0 "... and makes no account"
ITOK=$(invite "inv23-$$@example.test" member)
rreq GET "/register?invite=$ITOK"
is "$STATUS" 200 "closed: an invitation link still opens the form"
set_reg open
is "$STATUS" 200 "registration open"
rreq GET /register
is "$STATUS" 200 "open: GET /register is 200"
like "$BODY" 'name="csrf"' "... the form"
set_reg invite
rreq GET /register
is "$STATUS" 403 "invite only: GET /register is 403"
like "$BODY" "by invitation" "... saying so"

# --- back to how it was -------------------------------------------------------------------------
api POST /admin/settings "$ADMIN_TOKEN" "$ORIG"
is "$STATUS" 200 "all settings sent back at once: 200"
is "$(db_settings)" "$ORIG" "the settings are as at the start"
done_testing
