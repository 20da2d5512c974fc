#!/usr/bin/env bash
# Admin: the audit log.  Every kind of change leaves one row with the actor,
# the action, the target and the row before and after; GET /admin/audit
# filters by actor, action, target and dates; only admins read it; the
# table refuses UPDATE and DELETE even from the database owner.
. "$(dirname "$0")/lib.sh"

admin_token
[ -n "$ADMIN_TOKEN" ]
ok $? "the first admin gets an access token"
EM=au-$$@example.test
EG=ag-$$@example.test
MEM_TOKEN=$(make_person "$EM" member "" "Ada Audited")
ok $? "a member"
MGR_TOKEN=$(make_person "$EG" manager "" "Gil Manager")
ok $? "a manager"
MEM=$(uid_of "$EM")
MGR=$(uid_of "$EG")
GONE=$(sql "INSERT INTO users (email, display_name) VALUES ('gone-$$@example.test', 'Gone Soon') RETURNING id")
SETTINGS=$(sql "SELECT json_build_object('retention_days', retention_days)::text FROM settings")
RET=$(jq -r .retention_days <<<"$SETTINGS")
NEWRET=$(( RET == 77 ? 78 : 77 ))

# --- one of every action ------------------------------------------------------------
START=$(audit_max)
n=0
step() {  # step WANT-STATUS NAME METHOD PATH [JSON]: one change through the API
	local want=$1 name=$2
	shift 2
	api "$1" "$2" "$ADMIN_TOKEN" "${3:-}"
	[ "$STATUS" = "$want" ] || diag "$name: $STATUS ${BODY:0:200}"
	n=$((n + 1))
}
step 201 team.create POST /admin/teams "{\"name\":\"Audit $$\"}"
T=$(jq_body .id)
step 200 team.rename POST "/admin/teams/$T" "{\"name\":\"Audit Renamed $$\"}"
step 200 team.member_add POST "/admin/teams/$T/members" "{\"user_id\":$MEM}"
step 200 team.member_role POST "/admin/teams/$T/members" "{\"user_id\":$MEM,\"role\":\"manager\"}"
step 200 team.member_remove POST "/admin/teams/$T/members/$MEM/delete"
step 201 user.invite POST /admin/users "{\"email\":\"new-$$@example.test\",\"role\":\"manager\"}"
step 200 user.update POST "/admin/users/$MEM" '{"display_name":"Ada Renamed","role":"member"}'
step 200 user.deactivate POST "/admin/users/$MEM/deactivate"
step 200 user.activate POST "/admin/users/$MEM/activate"
step 201 device.code_create POST /admin/devices/codes "{\"user_id\":$MEM,\"device_name\":\"Ada laptop\"}"
C=$(jq_body .id)
step 200 device.code_revoke POST "/admin/devices/codes/$C/revoke"
D=$(make_device "$MEM" "Ada desktop")
step 200 device.revoke POST "/admin/devices/$D/revoke"
step 200 settings.update POST /admin/settings "{\"retention_days\":$NEWRET}"
step 200 settings.update POST /admin/settings "$SETTINGS"
step 200 team.delete POST "/admin/teams/$T/delete"
step 200 user.delete POST "/admin/users/$GONE/delete" "{\"confirm\":\"gone-$$@example.test\"}"
api POST /admin/devices/codes "$MGR_TOKEN" '{"device_name":"Gil laptop"}'
MC=$(jq_body .id)
n=$((n + 1))
is "$(audit_since "$START")" "$n" "$n changes, $n audit rows"
is "$(sql "SELECT count(*) FROM audit_log WHERE id > $START AND actor_id = $ADMIN_ID AND actor_email = '$ADMIN_EMAIL'")" \
	$((n - 1)) "the admin's, with their id and address"
is "$(sql "SELECT count(*) FROM audit_log WHERE id > $START AND actor_id = $MGR AND actor_email = '$EG'")" 1 \
	"the manager's one, with theirs"
is "$(sql "SELECT count(*) FROM audit_log WHERE id > $START AND ip = ''")" 0 "every row has the client's address"

# check ACTION TARGET-TYPE TARGET-ID JQ-TEST NAME: the newest row of that
# action as GET /admin/audit shows it
check() {
	local action=$1 ttype=$2 tid=$3 test=$4 name=$5
	api GET "/admin/audit?action=$action&target_type=$ttype${tid:+&target_id=$tid}" "$ADMIN_TOKEN"
	is "$(jq_body ".entries[0] | [.action, .target_type, .target_id, .actor] | join(\" \")") $(jq_body ".entries[0] | $test")" \
		"$action $ttype $tid $ADMIN_EMAIL true" "$name"
}
check team.create team "$T" '.before == "" and .after.name == "Audit '"$$"'"' "team.create: after = the team"
check team.rename team "$T" '.before.name == "Audit '"$$"'" and .after.name == "Audit Renamed '"$$"'"' "team.rename: old and new name"
check team.member_add team "$T" ".before == \"\" and .after.user_id == $MEM and .after.role == \"member\"" "team.member_add: the membership"
check team.member_role team "$T" '.before.role == "member" and .after.role == "manager"' "team.member_role: member -> manager"
check team.member_remove team "$T" ".before.user_id == $MEM and .after == \"\"" "team.member_remove: the membership before"
check team.delete team "$T" '.before.name == "Audit Renamed '"$$"'" and .after == ""' "team.delete: the team before"
check user.invite user "" ".target_label == \"new-$$@example.test\" and .after.role == \"manager\" and .before == \"\"" \
	"user.invite: the address and role"
check user.update user "$MEM" '.before.display_name == "Ada Audited" and .after.display_name == "Ada Renamed" and .before.role == "manager" and .after.role == "member"' \
	"user.update: name and role before and after"
check user.deactivate user "$MEM" '.before.status == "active" and .after.status == "disabled"' "user.deactivate: active -> disabled"
check user.activate user "$MEM" '.before.status == "disabled" and .after.status == "active"' "user.activate: disabled -> active"
check user.delete user "$GONE" ".before.email == \"gone-$$@example.test\" and .after == \"\"" "user.delete: the person before"
check device.code_create enrollment_code "$C" ".after.user_id == $MEM and .after.device_name == \"Ada laptop\" and .before == \"\"" \
	"device.code_create: whose and which device"
check device.code_revoke enrollment_code "$C" '.before.revoked == false and .after.revoked == true' "device.code_revoke"
check device.revoke device "$D" '.before.revoked == false and .after.revoked == true and .target_label == "Ada desktop"' "device.revoke"
check settings.update settings "" ".before.retention_days == $NEWRET and .after.retention_days == $RET" \
	"settings.update: every setting before and after"
api GET "/admin/audit?action=settings.update" "$ADMIN_TOKEN"
is "$(jq_body '.entries[1] | "\(.before.retention_days) \(.after.retention_days)"')" "$RET $NEWRET" \
	"... the change before it too"

# --- the shape of an entry ----------------------------------------------------------
api GET /admin/audit "$ADMIN_TOKEN"
is "$STATUS" 200 "GET /admin/audit: 200"
is "$(jq_body .total)" "$(sql 'SELECT count(*) FROM audit_log')" "total: every row"
is "$(jq_body '.page, (.entries | length)' | tr '\n' ' ')" "1 $(sql 'SELECT least(count(*), 50) FROM audit_log') " \
	"page 1, at most 50 entries"
is "$(jq_body '.entries[0].id')" "$(audit_max)" "newest first"
is "$(jq_body '.entries[0] | keys | join(",")')" "action,actor,after,at,before,id,ip,target_id,target_label,target_type" \
	"an entry: id, at, actor, action, target, before, after, ip"
like "$(jq_body '.entries[0].at')" '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$' "... at as date and time"

# --- filters -----------------------------------------------------------------------------
api GET "/admin/audit?actor=$(tr a-z A-Z <<<"$EG")" "$ADMIN_TOKEN"
is "$(jq_body '"\(.total) \([.entries[].actor] | unique | join(","))"')" "1 $EG" \
	"actor= (in capitals): only that person's entries"
is "$(jq_body '.entries[0] | "\(.action) \(.target_id)"')" "device.code_create $MC" "... the manager's code"
api GET "/admin/audit?actor=ag-$$" "$ADMIN_TOKEN"
is "$(jq_body .total)" 1 "actor= part of the address"
api GET "/admin/audit?actor=$ADMIN_EMAIL" "$ADMIN_TOKEN"
is "$(jq_body .total)" "$(sql "SELECT count(*) FROM audit_log WHERE actor_email = '$ADMIN_EMAIL'")" \
	"actor= the admin: all of theirs"
api GET "/admin/audit?action=team.rename" "$ADMIN_TOKEN"
is "$(jq_body '"\(.total) \([.entries[].action] | unique | join(","))"')" \
	"$(sql "SELECT count(*) FROM audit_log WHERE action = 'team.rename'") team.rename" "action=: only that action"
api GET "/admin/audit?action=team" "$ADMIN_TOKEN"
is "$(jq_body .total)" 0 "action= is the whole name, not a part"
api GET "/admin/audit?target_type=device" "$ADMIN_TOKEN"
is "$(jq_body '"\(.total) \([.entries[].target_type] | unique | join(","))"')" \
	"$(sql "SELECT count(*) FROM audit_log WHERE target_type = 'device'") device" "target_type=device"
api GET "/admin/audit?target_type=team&target_id=$T" "$ADMIN_TOKEN"
is "$(jq_body '[.entries[].action] | reverse | join(" ")')" \
	"team.create team.rename team.member_add team.member_role team.member_remove team.delete" \
	"target_type=team&target_id=ID: that team's whole story"
api GET "/admin/audit?target_type=user&target_id=$MEM" "$ADMIN_TOKEN"
is "$(jq_body '[.entries[].action] | reverse | join(" ")')" "user.update user.deactivate user.activate" \
	"target_type=user&target_id=ID: that person's"
api GET "/admin/audit?target_id=$MEM&actor=$EG" "$ADMIN_TOKEN"
is "$(jq_body .total)" 0 "filters combine"
TODAY=$(date -u +%F)
TOMORROW=$(date -u -d tomorrow +%F)
YESTERDAY=$(date -u -d yesterday +%F)
api GET "/admin/audit?from=$TODAY&to=$TODAY" "$ADMIN_TOKEN"
is "$(jq_body .total)" "$(sql "SELECT count(*) FROM audit_log WHERE at >= '$TODAY'::date AND at < '$TOMORROW'::date")" \
	"from=to=today: today's entries"
[ "$(jq_body .total)" -ge "$n" ]
ok $? "... at least the $n made here"
api GET "/admin/audit?from=$TOMORROW" "$ADMIN_TOKEN"
is "$(jq_body .total)" 0 "from=tomorrow: none"
api GET "/admin/audit?to=$YESTERDAY" "$ADMIN_TOKEN"
is "$(jq_body .total)" 0 "to=yesterday: none"
api GET "/admin/audit?from=$YESTERDAY&to=$TOMORROW&action=user.delete&target_id=$GONE" "$ADMIN_TOKEN"
is "$(jq_body .total)" 1 "dates with other filters"
api GET "/admin/audit?from=2024-02-30" "$ADMIN_TOKEN"
is_error 400 from "from=2024-02-30: 400 naming from"
api GET "/admin/audit?to=01/02/2024" "$ADMIN_TOKEN"
is_error 400 to "to=01/02/2024: 400 naming to"
api GET "/admin/audit?target_type=people" "$ADMIN_TOKEN"
is_error 400 target_type "target_type=people: 400 naming target_type"
api GET "/admin/audit?target_id=x" "$ADMIN_TOKEN"
is_error 400 target_id "target_id=x: 400 naming target_id"
TOTAL=$(sql 'SELECT count(*) FROM audit_log')
LASTPAGE=$(( (TOTAL + 49) / 50 + 1 ))
api GET "/admin/audit?page=$LASTPAGE" "$ADMIN_TOKEN"
is "$(jq_body '"\(.entries | length) \(.total)"')" "0 $TOTAL" "past the last page: no entries, and still the total"

# --- who may read it ----------------------------------------------------------------------
token_for "$EM" "$PERSON_PW"	# the old one died with the deactivation
MEM_TOKEN=$TOKEN
api GET /admin/audit "$MGR_TOKEN"
is_error 403 "" "a manager: 403"
api GET /admin/audit "$MEM_TOKEN"
is_error 403 "" "a member: 403"
api GET /admin/audit ""
is_error 401 "" "nobody: 401"

# --- append-only ------------------------------------------------------------------------------
TOTAL=$(sql 'SELECT count(*) FROM audit_log')
SUM=$(sql "SELECT md5(string_agg(row_to_json(a)::text, ',' ORDER BY id)) FROM audit_log a")
OUT=$(sql_err "UPDATE audit_log SET action = 'x'")
[ $? -ne 0 ]
ok $? "UPDATE audit_log as the database owner fails"
like "$OUT" "cannot be changed" "... audit_log rows cannot be changed"
OUT=$(sql_err "UPDATE audit_log SET before = NULL WHERE id = $(audit_max)")
like "$OUT" "cannot be changed" "UPDATE of one row fails too"
OUT=$(sql_err "DELETE FROM audit_log")
[ $? -ne 0 ]
ok $? "DELETE FROM audit_log fails"
like "$OUT" "cannot be changed" "... with the same message"
OUT=$(sql_err "DELETE FROM audit_log WHERE id = $START")
like "$OUT" "cannot be changed" "DELETE of one row fails too"
is "$(sql 'SELECT count(*) FROM audit_log') $(sql "SELECT md5(string_agg(row_to_json(a)::text, ',' ORDER BY id)) FROM audit_log a")" \
	"$TOTAL $SUM" "every row is still there, unchanged"
done_testing
