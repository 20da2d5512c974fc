#!/usr/bin/env bash
# Admin: teams.  Create (names unique whatever their case), rename, delete
# (people stay), members by e-mail or id, making a team manager (which
# promotes a plain member), removing members, and what a manager sees.
. "$(dirname "$0")/lib.sh"

admin_token
[ -n "$ADMIN_TOKEN" ]
ok $? "the first admin gets an access token"
E1=tm1-$$@example.test
E2=tm2-$$@example.test
M1_TOKEN=$(make_person "$E1" member "" "Mia Teamlead")
ok $? "a person who will manage a team"
M2_TOKEN=$(make_person "$E2" member "" "Noah Member")
ok $? "a person who will be a member"
M1=$(uid_of "$E1")
M2=$(uid_of "$E2")

# --- create -----------------------------------------------------------------------
TN="Alpha $$"
A0=$(audit_max)
api POST /admin/teams "$ADMIN_TOKEN" "$(jq -cn --arg n "$TN" '{name: $n}')"
is "$STATUS" 201 "create a team: 201"
TA=$(jq_body .id)
is "$(jq_body .name)" "$TN" "... with its name"
is "$(sql "SELECT name FROM teams WHERE id = ${TA:-0}")" "$TN" "... in the database"
AUD=$(audit_last team.create "$TA")
is "$(jq_of "$AUD" '[.actor_email, .target_type, .target_label, (.before|tostring)] | join("|")')" \
	"$ADMIN_EMAIL|team|$TN|null" "audit: team.create by the admin"
is "$(jq -cS .after <<<"$AUD")" "{\"id\":$TA,\"name\":\"$TN\"}" "audit: after = the team"
is "$(audit_since "$A0")" 1 "one audit row"

A0=$(audit_max)
api POST /admin/teams "$ADMIN_TOKEN" "$(jq -cn --arg n "ALPHA $$" '{name: $n}')"
is_error 409 name "the same name in capitals: 409 naming name"
api POST /admin/teams "$ADMIN_TOKEN" "$(jq -cn --arg n "$TN" '{name: $n}')"
is_error 409 name "the very same name: 409"
is "$(sql "SELECT count(*) FROM teams WHERE lower(name) = lower($(sqlq "$TN"))")" 1 "still one team of that name"
api POST /admin/teams "$ADMIN_TOKEN" '{}'
is_error 400 name "no name: 400 naming name"
api POST /admin/teams "$ADMIN_TOKEN" '{"name":""}'
is_error 400 name "an empty name: 400 naming name"
api POST /admin/teams "$ADMIN_TOKEN" "{\"name\":\"$(printf 't%.0s' $(seq 1 101))\"}"
is_error 400 name "a name of 101 characters: 400 naming name"
api POST /admin/teams "$ADMIN_TOKEN" '{"name":42}'
is_error 400 name "a name that is a number: 400 naming name"
is "$(audit_since "$A0")" 0 "refusals write no audit row"
api POST /admin/teams "$M2_TOKEN" '{"name":"Mine"}'
is_error 403 "" "a member may not create a team: 403"
TB=$(make_team "Bravo $$")
ok $? "a second team"

# --- rename -------------------------------------------------------------------------
A0=$(audit_max)
api POST "/admin/teams/$TA" "$ADMIN_TOKEN" "$(jq -cn --arg n "Alpha Renamed $$" '{name: $n}')"
is "$STATUS" 200 "rename: 200"
is "$(jq_body '"\(.id) \(.name)"')" "$TA Alpha Renamed $$" "... with the new name"
is "$(sql "SELECT name FROM teams WHERE id = $TA")" "Alpha Renamed $$" "... in the database"
AUD=$(audit_last team.rename "$TA")
is "$(jq_of "$AUD" '[.actor_email, .before.name, .after.name] | join("|")')" \
	"$ADMIN_EMAIL|$TN|Alpha Renamed $$" "audit: team.rename, old name -> new name"
is "$(audit_since "$A0")" 1 "one audit row"
api POST "/admin/teams/$TA" "$ADMIN_TOKEN" "$(jq -cn --arg n "bravo $$" '{name: $n}')"
is_error 409 name "renaming to another team's name (other case): 409 naming name"
is "$(sql "SELECT name FROM teams WHERE id = $TA")" "Alpha Renamed $$" "... the name is unchanged"
api POST "/admin/teams/$TA" "$ADMIN_TOKEN" "$(jq -cn --arg n "ALPHA RENAMED $$" '{name: $n}')"
is "$STATUS" 200 "changing only the case of its own name: 200"
api POST "/admin/teams/$TA" "$ADMIN_TOKEN" '{}'
is_error 400 name "rename without a name: 400 naming name"
api POST /admin/teams/999999999 "$ADMIN_TOKEN" '{"name":"Nowhere"}'
is_error 404 "" "renaming a team that does not exist: 404"
api POST "/admin/teams/$TA" "$M1_TOKEN" '{"name":"Hijacked"}'
is_error 403 "" "a member may not rename: 403"

# --- members -------------------------------------------------------------------------
A0=$(audit_max)
api POST "/admin/teams/$TA/members" "$ADMIN_TOKEN" "{\"email\":\"$(tr a-z A-Z <<<"$E1")\"}"
is "$STATUS" 200 "add a member by e-mail (in capitals): 200"
is "$(jq_body '"\(.team_id) \(.user_id) \(.role)"')" "$TA $M1 member" "... as a member"
api POST "/admin/teams/$TA/members" "$ADMIN_TOKEN" "{\"user_id\":$M2}"
is "$STATUS" 200 "add a member by user_id: 200"
is "$(sql "SELECT string_agg(user_id || ':' || role, ' ' ORDER BY user_id) FROM team_members WHERE team_id = $TA")" \
	"$M1:member $M2:member" "both are members in the database"
AUD=$(audit_last team.member_add "$TA")
is "$(jq_of "$AUD" '[.actor_email, .target_type, .target_label, (.before|tostring)] | join("|")')" \
	"$ADMIN_EMAIL|team|$M2|null" "audit: team.member_add, about the team and the person"
is "$(jq -cS .after <<<"$AUD")" "{\"role\":\"member\",\"team_id\":$TA,\"user_id\":$M2}" "audit: after = the membership"
is "$(audit_since "$A0")" 2 "two additions, two audit rows"

A0=$(audit_max)
api POST "/admin/teams/$TA/members" "$ADMIN_TOKEN" "{\"email\":\"nobody-$$@example.test\"}"
is_error 400 email "an unknown e-mail: 400 naming email"
api POST "/admin/teams/$TA/members" "$ADMIN_TOKEN" '{"user_id":999999999}'
is_error 400 user_id "an unknown user_id: 400 naming user_id"
api POST "/admin/teams/$TA/members" "$ADMIN_TOKEN" '{"role":"member"}'
is_error 400 email "neither e-mail nor user_id: 400 naming email"
api POST "/admin/teams/$TA/members" "$ADMIN_TOKEN" "{\"user_id\":$M2,\"role\":\"boss\"}"
is_error 400 role "role boss: 400 naming role"
api POST "/admin/teams/$TA/members" "$ADMIN_TOKEN" "{\"user_id\":$M2,\"role\":\"admin\"}"
is_error 400 role "a team has no admins: 400 naming role"
api POST /admin/teams/999999999/members "$ADMIN_TOKEN" "{\"user_id\":$M2}"
is_error 404 "" "adding to a team that does not exist: 404"
is "$(audit_since "$A0")" 0 "refusals write no audit row"

api GET "/admin/teams/$TA" "$ADMIN_TOKEN"
is "$STATUS" 200 "the team page as JSON: 200"
is "$(jq_body '"\(.id) \(.name)"')" "$TA ALPHA RENAMED $$" "... its id and name"
like "$(jq_body .created)" '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' "... when it was made"
is "$(jq_body '.members | sort_by(.id) | map("\(.id) \(.email) \(.display_name) \(.role) \(.status)") | join(",")')" \
	"$M1 $E1 Mia Teamlead member active,$M2 $E2 Noah Member member active" "... its members with name, address, role, status"
api GET /admin/teams/999999999 "$ADMIN_TOKEN"
is_error 404 "" "a team that does not exist: 404"

# --- team manager --------------------------------------------------------------------
is "$(sql "SELECT role FROM users WHERE id = $M1")" member "before: a plain member"
api GET /admin/teams "$M1_TOKEN"
is "$STATUS" 403 "... who may not see the teams"
A0=$(audit_max)
api POST "/admin/teams/$TA/members" "$ADMIN_TOKEN" "{\"user_id\":$M1,\"role\":\"manager\"}"
is "$STATUS" 200 "make them the team's manager: 200"
is "$(jq_body .role)" manager "... role manager"
is "$(sql "SELECT role FROM team_members WHERE team_id = $TA AND user_id = $M1")" manager "the membership says manager"
is "$(sql "SELECT role FROM users WHERE id = $M1")" manager "a global member became a manager"
AUD=$(audit_last team.member_role "$TA")
is "$(jq_of "$AUD" '[.actor_email, .target_label, .before.role, .after.role] | join(" ")')" \
	"$ADMIN_EMAIL $M1 member manager" "audit: team.member_role, member -> manager"
is "$(audit_since "$A0")" 1 "one audit row"

api POST "/admin/teams/$TB/members" "$ADMIN_TOKEN" "{\"user_id\":$ADMIN_ID,\"role\":\"manager\"}"
is "$STATUS" 200 "the admin as a team's manager: 200"
is "$(sql "SELECT role FROM users WHERE id = $ADMIN_ID")" admin "... stays an admin"
api POST "/admin/teams/$TB/members/$ADMIN_ID/delete" "$ADMIN_TOKEN"

api GET /admin/teams "$ADMIN_TOKEN"
is "$(jq_body ".teams[] | select(.id == $TA) | \"\(.members) \(.managers)\"")" "2 Mia Teamlead" \
	"the team list: 2 members, managed by Mia"
is "$(jq_body "[.teams[].id] | (index($TA) != null) and (index($TB) != null)")" true "... both teams listed for the admin"
api GET /admin/teams "$M1_TOKEN"
is "$STATUS" 200 "the manager may see teams"
is "$(jq_body '[.teams[].id] | join(",")')" "$TA" "... only the team they manage"
api GET "/admin/teams/$TA" "$M1_TOKEN"
is "$STATUS" 200 "... and its page"
api GET "/admin/teams/$TB" "$M1_TOKEN"
is_error 404 "" "another team's page: 404"
api POST "/admin/teams/$TA/members" "$M1_TOKEN" "{\"email\":\"$ADMIN_EMAIL\"}"
is_error 403 "" "the manager may not add members: 403"
api POST "/admin/teams/$TA/members/$M2/delete" "$M1_TOKEN"
is_error 403 "" "... nor remove them"
api POST "/admin/teams/$TA/delete" "$M1_TOKEN"
is_error 403 "" "... nor delete the team"

# An invitation as manager into a team makes the new person its manager.
E3=tm3-$$@example.test
M3_TOKEN=$(make_person "$E3" manager "$TB" "Otto Invited")
ok $? "a manager invited into a team"
is "$(sql "SELECT m.role || ' ' || u.role FROM team_members m JOIN users u ON u.id = m.user_id
            WHERE m.team_id = $TB AND u.email = '$E3'")" "manager manager" "... manages that team"

# --- remove members ----------------------------------------------------------------------
A0=$(audit_max)
api POST "/admin/teams/$TA/members/$M2/delete" "$ADMIN_TOKEN"
is "$STATUS" 200 "remove a member: 200"
is "$(jq_body .status)" removed "... status removed"
is "$(sql "SELECT count(*) FROM team_members WHERE team_id = $TA AND user_id = $M2")" 0 "... the membership is gone"
is "$(sql "SELECT count(*) FROM users WHERE id = $M2")" 1 "... the person is not"
AUD=$(audit_last team.member_remove "$TA")
is "$(jq_of "$AUD" '[.actor_email, .target_label, (.after|tostring)] | join(" ")')" "$ADMIN_EMAIL $M2 null" \
	"audit: team.member_remove"
is "$(jq -cS .before <<<"$AUD")" "{\"role\":\"member\",\"team_id\":$TA,\"user_id\":$M2}" "audit: before = the membership"
api POST "/admin/teams/$TA/members/$M2/delete" "$ADMIN_TOKEN"
is_error 404 "" "removing them again (not a member): 404"
api POST "/admin/teams/$TA/members/$ADMIN_ID/delete" "$ADMIN_TOKEN"
is_error 404 "" "removing someone who never was a member: 404"
api POST "/admin/teams/999999999/members/$M2/delete" "$ADMIN_TOKEN"
is_error 404 "" "removing from a team that does not exist: 404"
is "$(audit_since "$A0")" 1 "only the real removal is in the audit log"
api GET "/admin/teams/$TA" "$ADMIN_TOKEN"
is "$(jq_body '[.members[].id] | join(",")')" "$M1" "the team page lists the one member left"

# --- delete ------------------------------------------------------------------------------
api POST "/admin/teams/$TA/members" "$ADMIN_TOKEN" "{\"user_id\":$M2}"
A0=$(audit_max)
api POST "/admin/teams/$TA/delete" "$ADMIN_TOKEN"
is "$STATUS" 200 "delete a team: 200"
is "$(jq_body .status)" deleted "... status deleted"
is "$(sql "SELECT count(*) FROM teams WHERE id = $TA")" 0 "... the team is gone"
is "$(sql "SELECT count(*) FROM team_members WHERE team_id = $TA")" 0 "... and its memberships"
is "$(sql "SELECT count(*) FROM users WHERE id IN ($M1, $M2)")" 2 "... its people remain"
AUD=$(audit_last team.delete "$TA")
is "$(jq_of "$AUD" '[.actor_email, .target_label, .before.name, (.after|tostring)] | join("|")')" \
	"$ADMIN_EMAIL|ALPHA RENAMED $$|ALPHA RENAMED $$|null" "audit: team.delete with the team before"
is "$(audit_since "$A0")" 1 "one audit row"
api GET "/admin/teams/$TA" "$ADMIN_TOKEN"
is_error 404 "" "the deleted team's page: 404"
api POST "/admin/teams/$TA/delete" "$ADMIN_TOKEN"
is_error 404 "" "deleting it again: 404"
api GET /admin/teams "$M1_TOKEN"
is "$(jq_body '.teams | length')" 0 "its manager now manages no team"
done_testing
