#!/usr/bin/env bash
# Admin: people.  The list (search, paging, filters), invitations, one
# person, edits, deactivation and activation, deletion with everything
# that goes with it, the last-admin rule and what a manager may not do.
. "$(dirname "$0")/lib.sh"

admin_token
[ -n "$ADMIN_TOKEN" ]
ok $? "the first admin gets an access token"
ADMIN_NAME=$(sql "SELECT display_name FROM users WHERE id = $ADMIN_ID")

# --- sign-in and roles --------------------------------------------------------
api GET /admin/users ""
is_error 401 "" "no token: 401"
like "$(header www-authenticate)" '^Bearer' "... with WWW-Authenticate: Bearer"
api GET /admin/users "not.a.token"
is "$STATUS" 401 "a forged token: 401"

# --- the list: total, paging ----------------------------------------------------
D=p20-$$.test
sql "INSERT INTO users (email, display_name, status)
      SELECT 'pager' || n || '@$D', 'Pager ' || lpad(n::text, 3, '0'), 'active'
      FROM generate_series(1, 60) n" >/dev/null
api GET /admin/users "$ADMIN_TOKEN"
is "$STATUS" 200 "GET /admin/users as admin: 200"
is "$(jq_body .total)" "$(sql 'SELECT count(*) FROM users')" "total: every person"
is "$(jq_body '.page, .page_size, (.users | length)' | tr '\n' ' ')" "1 50 50 " \
	"page 1 of 50 people"
api GET "/admin/users?q=$D" "$ADMIN_TOKEN"
is "$(jq_body '.total, (.users | length), .users[0].display_name, .users[49].display_name' |
	tr '\n' '|')" "60|50|Pager 001|Pager 050|" "search: 60 found, the first 50, by name"
api GET "/admin/users?q=$D&page=2" "$ADMIN_TOKEN"
is "$(jq_body '.page, .total, (.users | length), .users[0].display_name, .users[-1].display_name' |
	tr '\n' '|')" "2|60|10|Pager 051|Pager 060|" "page=2: the other 10"
is "$(jq_body '[.users[] | keys] | .[0] | join(",")')" \
	"created,display_name,email,id,role,status,teams" "each person: id, email, name, role, status, created, teams"
api GET "/admin/users?q=$D&page=3" "$ADMIN_TOKEN"
is "$(jq_body '(.users | length), .total' | tr '\n' ' ')" "0 60 " \
	"past the last page: no people, and still the total"
api GET "/admin/users?page=0" "$ADMIN_TOKEN"
is_error 400 page "page=0: 400 naming page"

# --- search -----------------------------------------------------------------------
S=s20-$$
sql "INSERT INTO users (email, display_name, status) VALUES
      ('zq-$S@p20x.test', 'Zebra Quillfeather', 'active'),
      ('pct-$S@lit.test', 'Hundred 100% Sure', 'active'),
      ('pctx-$S@lit.test', 'Hundred 1000 Sure', 'active'),
      ('snake-$S@lit.test', 'Snake_case Person', 'active'),
      ('snakex-$S@lit.test', 'Snakexcase Person', 'active'),
      ('bs-$S@lit.test', 'Back\\slash Person', 'active'),
      ('bsx-$S@lit.test', 'Backslash Person', 'active')" >/dev/null
search() {  # search TEXT: the e-mails found, sorted, space-separated
	api GET "/admin/users?q=$(jq -rn --arg s "$1" '$s | @uri')" "$ADMIN_TOKEN"
	jq_body '[.users[].email] | sort | join(" ")'
}
is "$(search QUILLF)" "zq-$S@p20x.test" "search by part of the name, in capitals"
is "$(search "zebra quill")" "zq-$S@p20x.test" "search by first and last name"
is "$(search "ZQ-$S@P20X")" "zq-$S@p20x.test" "search by part of the e-mail, in capitals"
is "$(search "0% s")" "pct-$S@lit.test" "'%' in the search is a literal percent sign"
is "$(search "%")" "pct-$S@lit.test" "'%' alone finds only the name with a percent sign"
is "$(search "e_c")" "snake-$S@lit.test" "'_' in the search is a literal underscore"
is "$(search 'k\s')" "bs-$S@lit.test" "a backslash in the search is literal too"
is "$(search "no-such-person-$S")" "" "no match: nobody"
api GET "/admin/users?q=$(printf 'x%.0s' $(seq 1 101))" "$ADMIN_TOKEN"
is_error 400 q "a search of 101 characters: 400 naming q"

# --- filters: team and role -----------------------------------------------------
T1=$(make_team "People filter $$")
ok $? "a team for the filter"
for n in 3 14 27; do add_member "$T1" "$(uid_of "pager$n@$D")"; done
api GET "/admin/users?team=$T1" "$ADMIN_TOKEN"
is "$(jq_body '[.users[].email] | join(" ")')" "pager3@$D pager14@$D pager27@$D" \
	"team=ID: the team's members only"
is "$(jq_body .total)" 3 "... total 3"
is "$(jq_body '.users[0].teams')" "People filter $$" "... each with the team's name"
api GET "/admin/users?team=$T1&q=pager1" "$ADMIN_TOKEN"
is "$(jq_body '[.users[].email] | join(" ")')" "pager14@$D" "team and search together"
api GET "/admin/users?role=admin" "$ADMIN_TOKEN"
is "$(jq_body .total)" "$(sql "SELECT count(*) FROM users WHERE role = 'admin'")" "role=admin: the admins"
is "$(jq_body '[.users[].role] | unique | join(",")')" admin "... and only admins"
sql "UPDATE users SET role = 'manager' WHERE email IN ('pager5@$D', 'pager6@$D')" >/dev/null
api GET "/admin/users?role=manager&q=$D" "$ADMIN_TOKEN"
is "$(jq_body '[.users[].email] | join(" ")')" "pager5@$D pager6@$D" "role=manager with a search"
api GET "/admin/users?role=manager" "$ADMIN_TOKEN"
is "$(jq_body .total)" "$(sql "SELECT count(*) FROM users WHERE role = 'manager'")" "role=manager: total"
api GET "/admin/users?role=owner" "$ADMIN_TOKEN"
is_error 400 role "role=owner: 400 naming role"
api GET "/admin/users?team=x" "$ADMIN_TOKEN"
is_error 400 team "team=x: 400 naming team"

# --- invitations ------------------------------------------------------------------
INV=inv-$$@example.test
A0=$(audit_max)
mail_mark
api POST /admin/users "$ADMIN_TOKEN" "{\"email\":\"$INV\",\"role\":\"member\",\"team_id\":$T1}"
is "$STATUS" 201 "invite: 201"
is "$(jq_body '[.status, .email, .role] | join(" ")')" "invited $INV member" "... saying who and as what"
MAIL=$(mail_wait "$INV")
ok $? "an invitation message goes to $INV"
is "$(mail_subject "$MAIL")" "You are invited to Worktime" "... its subject"
LINK=$(link_from_mail "$MAIL")
like "$LINK" "^$WT_BASE/register\\?invite=[0-9a-f]{64}\$" "... with a link to /register?invite=TOKEN"
ITOK=${LINK##*=}
is "$(sql "SELECT count(*) FROM invites WHERE token_hash = '$(sha256_hex "$ITOK")'
            AND email = '$INV' AND role = 'member' AND team_id = $T1 AND invited_by = $ADMIN_ID
            AND used_at IS NULL AND expires_at BETWEEN now() + interval '6 days 23 hours'
            AND now() + interval '7 days 1 minute'")" 1 \
	"an invites row with the token's SHA-256, role, team, inviter, 7 days"
is "$(sql "SELECT count(*) FROM invites WHERE token_hash = '$ITOK'")" 0 "the token itself is not stored"
AUD=$(audit_last user.invite)
is "$(jq_of "$AUD" '[.actor_email, .actor_id, .target_type, (.target_id|tostring), .target_label, (.before|tostring)] | join(" ")')" \
	"$ADMIN_EMAIL $ADMIN_ID user null $INV null" "audit: user.invite by the admin, about the address"
is "$(jq -cS .after <<<"$AUD")" "{\"email\":\"$INV\",\"role\":\"member\",\"team_id\":$T1}" \
	"audit: after = e-mail, role, team"
is "$(audit_since "$A0")" 1 "one audit row for one invitation"

rreq GET "$(local_path "$LINK")"
is "$STATUS" 200 "the link opens the registration form"
like "$BODY" "$INV" "... for the invited address"
register_invited "$ITOK" "Ivy Invitee" ivy
ok $? "registering through the link: 201"
IVY=$(uid_of "$INV")
is "$(sql "SELECT role || ' ' || status FROM users WHERE id = ${IVY:-0}")" "member active" \
	"the new person: a member, active"
is "$(sql "SELECT role FROM team_members WHERE team_id = $T1 AND user_id = ${IVY:-0}")" member \
	"... in the invitation's team"
is "$(sql "SELECT count(*) FROM invites WHERE email = '$INV' AND used_by = ${IVY:-0} AND used_at IS NOT NULL")" 1 \
	"the invitation is used, by them"
token_for "$INV" "$PERSON_PW"
IVY_TOKEN=$TOKEN
[ -n "$IVY_TOKEN" ]
ok $? "the new person signs in"

invites_of() { sql "SELECT count(*) FROM invites WHERE email = lower($(sqlq "$1"))"; }
A0=$(audit_max)
api POST /admin/users "$ADMIN_TOKEN" "{\"email\":\"$INV\"}"
is_error 409 email "inviting an address with an account: 409 naming email"
api POST /admin/users "$ADMIN_TOKEN" "{\"email\":\"$(tr a-z A-Z <<<"$INV")\"}"
is_error 409 email "... in capitals too"
api POST /admin/users "$ADMIN_TOKEN" "{\"email\":\"$ADMIN_EMAIL\",\"role\":\"admin\"}"
is_error 409 email "... the admin's own address too"
is "$(invites_of "$INV")" 1 "no second invitation was made"
api POST /admin/users "$ADMIN_TOKEN" '{"email":"not-an-address"}'
is_error 400 email "a bad address: 400 naming email"
api POST /admin/users "$ADMIN_TOKEN" '{"email":"bob@localhost"}'
is_error 400 email "an address without a dot in the domain: 400 naming email"
api POST /admin/users "$ADMIN_TOKEN" '{"role":"member"}'
is_error 400 email "no address: 400 naming email"
api POST /admin/users "$ADMIN_TOKEN" "{\"email\":\"ghost-$$@example.test\",\"team_id\":999999999}"
is_error 400 team_id "an unknown team: 400 naming team_id"
api POST /admin/users "$ADMIN_TOKEN" "{\"email\":\"ghost-$$@example.test\",\"team_id\":\"$T1\"}"
is_error 400 team_id "team_id as a string: 400 naming team_id"
api POST /admin/users "$ADMIN_TOKEN" "{\"email\":\"ghost-$$@example.test\",\"role\":\"owner\"}"
is_error 400 role "an unknown role: 400 naming role"
is "$(invites_of "ghost-$$@example.test")" 0 "refused invitations leave no invites row"
is "$(audit_since "$A0")" 0 "... and no audit row"
api POST /admin/users "$IVY_TOKEN" "{\"email\":\"ghost-$$@example.test\"}"
is_error 403 "" "a member may not invite: 403"
like "$(jq_body .message)" 'your role \(member\)' "... saying which role"

# --- one person ---------------------------------------------------------------------
api GET "/admin/users/$IVY" "$ADMIN_TOKEN"
is "$STATUS" 200 "GET /admin/users/ID: 200"
is "$(jq_body '[.id, .email, .display_name, .role, .status, .timezone] | map(tostring) | join("|")')" \
	"$IVY|$INV|Ivy Invitee|member|active|UTC" "... their id, address, name, role, status, time zone"
is "$(jq_body '.teams | map("\(.id) \(.name) \(.role)") | join(",")')" "$T1 People filter $$ member" \
	"... and their teams with the role in each"
like "$(jq_body .last_seen)" '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}$' "... and when their session was last seen"
api GET /admin/users/999999999 "$ADMIN_TOKEN"
is_error 404 "" "a person who does not exist: 404"
api GET /admin/users/abc "$ADMIN_TOKEN"
is_error 400 id "a person id that is not a number: 400 naming id"

# --- edit -------------------------------------------------------------------------------
A0=$(audit_max)
api POST "/admin/users/$IVY" "$ADMIN_TOKEN" '{"display_name":"Ivy Renamed","role":"manager"}'
is "$STATUS" 200 "edit name and role: 200"
is "$(jq_body '[.status, .display_name, .role] | join("|")')" "saved|Ivy Renamed|manager" "... the saved values"
is "$(sql "SELECT display_name || '|' || role FROM users WHERE id = $IVY")" "Ivy Renamed|manager" \
	"... in the database"
AUD=$(audit_last user.update "$IVY")
is "$(jq_of "$AUD" '[.actor_email, .target_type, .target_label] | join(" ")')" "$ADMIN_EMAIL user $INV" \
	"audit: user.update by the admin, about them"
is "$(jq_of "$AUD" '[.before.display_name, .after.display_name, .before.role, .after.role] | join("|")')" \
	"Ivy Invitee|Ivy Renamed|member|manager" "audit: before and after show the name and role"
is "$(jq_of "$AUD" '[.before.email, .after.status] | join(" ")')" "$INV active" "audit: the whole person before and after"
is "$(audit_since "$A0")" 1 "one edit, one audit row"

BEFORE=$(user_json "$IVY")
A0=$(audit_max)
api POST "/admin/users/$IVY" "$ADMIN_TOKEN" '{"display_name":"Ivy Boss","role":"boss"}'
is_error 400 role "role boss: 400 naming role"
api POST "/admin/users/$IVY" "$ADMIN_TOKEN" '{"role":"member"}'
is_error 400 display_name "no name: 400 naming display_name"
api POST "/admin/users/$IVY" "$ADMIN_TOKEN" "{\"display_name\":\"$(printf 'n%.0s' $(seq 1 101))\",\"role\":\"member\"}"
is_error 400 display_name "a name of 101 characters: 400 naming display_name"
api POST "/admin/users/$IVY" "$ADMIN_TOKEN" '{"display_name":"Ivy"}'
is_error 400 role "no role: 400 naming role"
is "$(user_json "$IVY")" "$BEFORE" "refused edits change nothing"
is "$(audit_since "$A0")" 0 "... and write no audit row"
api POST /admin/users/999999999 "$ADMIN_TOKEN" '{"display_name":"Nobody","role":"member"}'
is_error 404 "" "editing a person who does not exist: 404"

# --- a manager may not change roles, their own included ------------------------------------
api POST "/admin/users/$IVY" "$IVY_TOKEN" '{"display_name":"Ivy Renamed","role":"admin"}'
is_error 403 "" "a manager making themselves admin: 403"
is "$(sql "SELECT role FROM users WHERE id = $IVY")" manager "... their role is unchanged"
api POST "/admin/users/$IVY/deactivate" "$IVY_TOKEN"
is "$STATUS" 403 "a manager may not deactivate anyone: 403"
api GET /admin/users "$IVY_TOKEN"
is "$STATUS" 200 "a manager may list people"
is "$(jq_body '[.users[].id] | join(",")')" "$IVY" "... a manager of no team sees only themselves"
add_member "$T1" "$IVY" manager
api GET "/admin/users?q=$D" "$IVY_TOKEN"
is "$(jq_body '[.users[].email] | join(" ")')" "pager3@$D pager14@$D pager27@$D" \
	"... the manager of a team sees its people"
api GET "/admin/users/$(uid_of "pager3@$D")" "$IVY_TOKEN"
is "$STATUS" 200 "... and each of them"
api GET "/admin/users/$(uid_of "pager4@$D")" "$IVY_TOKEN"
is_error 404 "" "... but a person outside their teams is 404, as if missing"
api GET "/admin/users/$ADMIN_ID" "$IVY_TOKEN"
is_error 404 "" "... and so is the admin"

# --- deactivate and activate ------------------------------------------------------------------
DEE=dee-$$@example.test
DEE_TOKEN=$(make_person "$DEE" member "$T1" "Dee Active")
ok $? "a person to deactivate"
DEE_ID=$(uid_of "$DEE")
DEE_JAR=$(jar "$DEE")
is "$(sql "SELECT count(*) > 0 FROM web_sessions WHERE user_id = ${DEE_ID:-0}")" t \
	"they have a browser session (from registering)"
api GET /admin/devices "$DEE_TOKEN"
is "$STATUS" 200 "their access token works"
rreq GET /admin/devices -b "$DEE_JAR" -H 'Accept: application/json'
is "$STATUS" 200 "their session cookie works"
VER=$(sql "SELECT token_version FROM users WHERE id = $DEE_ID")
A0=$(audit_max)
api POST "/admin/users/$DEE_ID/deactivate" "$ADMIN_TOKEN"
is "$STATUS" 200 "deactivate: 200"
is "$(jq_body .status)" disabled "... status disabled"
is "$(sql "SELECT status FROM users WHERE id = $DEE_ID")" disabled "... in the database"
is "$(sql "SELECT count(*) FROM web_sessions WHERE user_id = $DEE_ID")" 0 "their sessions rows are gone"
is "$(sql "SELECT token_version > $VER FROM users WHERE id = $DEE_ID")" t "their token version moved on"
api GET /admin/devices "$DEE_TOKEN"
is "$STATUS" 401 "their old access token: 401"
rreq GET /admin/devices -b "$DEE_JAR" -H 'Accept: application/json'
is "$STATUS" 401 "their old session cookie: 401"
token_for "$DEE" "$PERSON_PW"
is "$STATUS" 403 "they cannot sign in: 403"
like "$(jq_body .message)" disabled "... the account is disabled"
AUD=$(audit_last user.deactivate "$DEE_ID")
is "$(jq_of "$AUD" '[.actor_email, .target_label, .before.status, .after.status] | join(" ")')" \
	"$ADMIN_EMAIL $DEE active disabled" "audit: user.deactivate, active -> disabled"
is "$(audit_since "$A0")" 1 "one audit row"

api POST "/admin/users/$DEE_ID/activate" "$ADMIN_TOKEN"
is "$STATUS" 200 "activate: 200"
is "$(jq_body .status)" active "... status active"
is "$(sql "SELECT status FROM users WHERE id = $DEE_ID")" active "... in the database"
token_for "$DEE" "$PERSON_PW"
is "$STATUS" 200 "they can sign in again"
api GET /admin/devices "$TOKEN"
is "$STATUS" 200 "... and their new token works"
api GET /admin/devices "$DEE_TOKEN"
is "$STATUS" 401 "the token from before the deactivation stays dead"
AUD=$(audit_last user.activate "$DEE_ID")
is "$(jq_of "$AUD" '[.actor_email, .before.status, .after.status] | join(" ")')" \
	"$ADMIN_EMAIL disabled active" "audit: user.activate, disabled -> active"
# An account that never confirmed its address is not "disabled": whatever
# activate does with it, its answer must tell the truth.
UNV=$(sql "INSERT INTO users (email, display_name, status) VALUES ('unv-$$@example.test', 'Una Unverified', 'unverified') RETURNING id")
api POST "/admin/users/$UNV/activate" "$ADMIN_TOKEN"
is "$STATUS" 409 "activating an account that is not disabled: 409"
is "$(sql "SELECT status FROM users WHERE id = $UNV")" unverified "... and it stays unverified"
sql "DELETE FROM users WHERE id = $UNV" >/dev/null
api POST /admin/users/999999999/deactivate "$ADMIN_TOKEN"
is_error 404 "" "deactivating a person who does not exist: 404"
api POST /admin/users/999999999/activate "$ADMIN_TOKEN"
is_error 404 "" "activating a person who does not exist: 404"

# --- delete -------------------------------------------------------------------------------------
DEL=del-$$@example.test
DEL_TOKEN=$(make_person "$DEL" member "$T1" "Del Goner")
ok $? "a person to delete"
DEL_ID=$(uid_of "$DEL")
make_device "${DEL_ID:-0}" "del laptop" >/dev/null
api POST /admin/devices/codes "$ADMIN_TOKEN" "{\"user_id\":${DEL_ID:-0},\"device_name\":\"del phone\",\"kind\":\"phone\"}"
is "$STATUS" 201 "the admin makes an enrollment code for them"
api POST /admin/devices/codes "$DEL_TOKEN" '{"device_name":"del desktop"}'
is "$STATUS" 201 "they make one for themselves"
counts() {  # memberships devices codes sessions invites-used-by-them
	sql "SELECT (SELECT count(*) FROM team_members WHERE user_id = $1) || ' ' ||
	             (SELECT count(*) FROM devices WHERE user_id = $1) || ' ' ||
	             (SELECT count(*) FROM enrollment_codes WHERE user_id = $1 OR created_by = $1) || ' ' ||
	             (SELECT count(*) FROM web_sessions WHERE user_id = $1) || ' ' ||
	             (SELECT count(*) FROM invites WHERE used_by = $1)"
}
is "$(counts "$DEL_ID")" "1 1 2 1 1" "they have a membership, a device, two codes, a session, a used invitation"
BEFORE=$(user_json "$DEL_ID")
A0=$(audit_max)
api POST "/admin/users/$DEL_ID/delete" "$ADMIN_TOKEN"
is_error 400 confirm "delete without confirm: 400 naming confirm"
like "$(jq_body .message)" "$DEL" "... asking for their address"
api POST "/admin/users/$DEL_ID/delete" "$ADMIN_TOKEN" "{\"confirm\":\"$(tr a-z A-Z <<<"$DEL")\"}"
is_error 400 confirm "confirm with another spelling: 400 naming confirm"
api POST "/admin/users/$DEL_ID/delete" "$ADMIN_TOKEN" "{\"confirm\":\"$INV\"}"
is_error 400 confirm "confirm with someone else's address: 400 naming confirm"
is "$(user_json "$DEL_ID")" "$BEFORE" "... the person is still there, unchanged"
is "$(counts "$DEL_ID")" "1 1 2 1 1" "... with everything of theirs"
is "$(audit_since "$A0")" 0 "... and no audit row"
api POST "/admin/users/$DEL_ID/delete" "$ADMIN_TOKEN" "{\"confirm\":\"$DEL\"}"
is "$STATUS" 200 "delete with their address as confirm: 200"
is "$(jq_body .status)" deleted "... status deleted"
is "$(sql "SELECT count(*) FROM users WHERE id = $DEL_ID")" 0 "the users row is gone"
is "$(sql "SELECT count(*) FROM team_members WHERE user_id = $DEL_ID")" 0 "their team memberships are gone"
is "$(sql "SELECT count(*) FROM devices WHERE user_id = $DEL_ID")" 0 "their devices are gone"
is "$(sql "SELECT count(*) FROM enrollment_codes WHERE user_id = $DEL_ID")" 0 "their enrollment codes are gone"
is "$(sql "SELECT count(*) FROM web_sessions WHERE user_id = $DEL_ID")" 0 "their sessions are gone"
is "$(sql "SELECT count(*) || ' ' || count(used_by) || ' ' || count(used_at) FROM invites WHERE email = '$DEL'")" \
	"1 0 1" "their invitation stays, used, with used_by set to NULL"
api GET /admin/devices "$DEL_TOKEN"
is "$STATUS" 401 "their access token: 401"
api GET "/admin/users/$DEL_ID" "$ADMIN_TOKEN"
is_error 404 "" "GET the deleted person: 404"
AUD=$(audit_last user.delete "$DEL_ID")
is "$(jq_of "$AUD" '[.actor_email, .target_type, .target_label, (.after|tostring)] | join(" ")')" \
	"$ADMIN_EMAIL user $DEL null" "audit: user.delete survives the person"
is "$(jq_of "$AUD" '[.before.id, .before.email, .before.display_name, .before.role] | map(tostring) | join("|")')" \
	"$DEL_ID|$DEL|Del Goner|member" "audit: before is the person as they were"
is "$(audit_since "$A0")" 1 "one audit row for the deletion"
api POST "/admin/users/$DEL_ID/delete" "$ADMIN_TOKEN" "{\"confirm\":\"$DEL\"}"
is_error 404 "" "deleting them again: 404"

# --- the last admin ----------------------------------------------------------------------------
# Other active admins (from other test files) are set aside for a moment,
# so that the first admin is the only one.
OTHERS=$(sql "UPDATE users SET status = 'disabled' WHERE role = 'admin' AND status = 'active'
               AND id <> $ADMIN_ID RETURNING id" | paste -sd, -)
BEFORE=$(user_json "$ADMIN_ID")
A0=$(audit_max)
api POST "/admin/users/$ADMIN_ID" "$ADMIN_TOKEN" "$(jq -cn --arg n "$ADMIN_NAME" '{display_name: $n, role: "member"}')"
is "$STATUS" 409 "the only active admin demoting themselves to member: 409"
like "$(jq_body .message)" "without an admin" "... it would leave no admin"
api POST "/admin/users/$ADMIN_ID" "$ADMIN_TOKEN" "$(jq -cn --arg n "$ADMIN_NAME" '{display_name: $n, role: "manager"}')"
is "$STATUS" 409 "... to manager: 409"
api POST "/admin/users/$ADMIN_ID/deactivate" "$ADMIN_TOKEN"
is "$STATUS" 409 "the only active admin deactivating themselves: 409"
api POST "/admin/users/$ADMIN_ID/delete" "$ADMIN_TOKEN" "{\"confirm\":\"$ADMIN_EMAIL\"}"
is "$STATUS" 409 "the only active admin deleting themselves: 409"
is "$(user_json "$ADMIN_ID")" "$BEFORE" "nothing changed"
is "$(audit_since "$A0")" 0 "... and no audit row"
api GET /admin/settings "$ADMIN_TOKEN"
is "$STATUS" 200 "the admin's token still works"
api POST "/admin/users/$ADMIN_ID" "$ADMIN_TOKEN" "$(jq -cn --arg n "$ADMIN_NAME (2)" '{display_name: $n, role: "admin"}')"
is "$STATUS" 200 "the only admin may still rename themselves"
api POST "/admin/users/$ADMIN_ID" "$ADMIN_TOKEN" "$(jq -cn --arg n "$ADMIN_NAME" '{display_name: $n, role: "admin"}')"

ADM2=adm2-$$@example.test
ADM2_TOKEN=$(make_person "$ADM2" admin "" "Second Admin")
ok $? "a second admin, by invitation"
ADM2_ID=$(uid_of "$ADM2")
is "$(sql "SELECT role || ' ' || status FROM users WHERE id = ${ADM2_ID:-0}")" "admin active" "... active admin"
api POST "/admin/users/$ADMIN_ID" "$ADMIN_TOKEN" "$(jq -cn --arg n "$ADMIN_NAME" '{display_name: $n, role: "manager"}')"
is "$STATUS" 200 "with a second admin, demoting yourself works"
is "$(sql "SELECT role FROM users WHERE id = $ADMIN_ID")" manager "... now a manager"
api GET /admin/settings "$ADMIN_TOKEN"
is "$STATUS" 403 "... whose token no longer opens the settings"
api POST "/admin/users/$ADMIN_ID" "$ADM2_TOKEN" "$(jq -cn --arg n "$ADMIN_NAME" '{display_name: $n, role: "admin"}')"
is "$STATUS" 200 "the second admin makes the first admin again"
is "$(sql "SELECT role FROM users WHERE id = $ADMIN_ID")" admin "... admin again"
api POST "/admin/users/$ADM2_ID/deactivate" "$ADMIN_TOKEN"
is "$STATUS" 200 "with two admins, deactivating one works"
api POST "/admin/users/$ADMIN_ID" "$ADMIN_TOKEN" "$(jq -cn --arg n "$ADMIN_NAME" '{display_name: $n, role: "member"}')"
is "$STATUS" 409 "a disabled admin does not count: demoting the last active one is 409 again"
api POST "/admin/users/$ADM2_ID/activate" "$ADMIN_TOKEN"
is "$STATUS" 200 "the second admin is activated again"
token_for "$ADM2" "$PERSON_PW"
ADM2_TOKEN=$TOKEN
api POST "/admin/users/$ADM2_ID/deactivate" "$ADM2_TOKEN"
is "$STATUS" 200 "with two admins, an admin may deactivate themselves"
api POST "/admin/users/$ADM2_ID/activate" "$ADMIN_TOKEN"
api POST "/admin/users/$ADM2_ID/delete" "$ADMIN_TOKEN" "{\"confirm\":\"$ADM2\"}"
is "$STATUS" 200 "with two admins, deleting one works"
is "$(sql "SELECT count(*) FROM users WHERE id = ${ADM2_ID:-0}")" 0 "... the second admin is gone"
is "$(sql "SELECT role || ' ' || status FROM users WHERE id = $ADMIN_ID")" "admin active" \
	"the first admin is an active admin at the end"
[ -n "$OTHERS" ] && sql "UPDATE users SET status = 'active' WHERE id IN ($OTHERS)" >/dev/null

# --- tidy up the list users ----------------------------------------------------------------------
sql "DELETE FROM users WHERE email LIKE '%@$D' OR email LIKE '%-$S@%'" >/dev/null
done_testing
