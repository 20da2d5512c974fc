#!/usr/bin/env bash
# The access table, walked: every admin route (and every report route) as
# anonymous, a member, the manager of team A, the manager of team B and an
# admin, against people inside and outside each team.  Each answer's
# status is exact, and no answer carries anything of people the caller
# may not see.  A route that the program serves without a case here fails
# this test; so does a route without an access rule.
. "$(dirname "$0")/lib.sh"

tag=acc$$
pw='Granite-Meadow-Falcon-71'

# --- the people and their teams ------------------------------------------
declare -A ID EMAIL TOK
for p in mgrA mgrB memA memB outsider; do
	EMAIL[$p]="${p,,}.$tag@example.com"	# stored lower-cased
	role=member
	case $p in mgr*) role=manager ;; esac
	ID[$p]=$(printf '%s\n' "$pw" | wtctl create-user --email "${EMAIL[$p]}" --name "$p $tag" --role $role)
	token_for "${EMAIL[$p]}" "$pw"
	TOK[$p]=$TOKEN
done
admin_token
EMAIL[admin]=$ADMIN_EMAIL
ID[admin]=$ADMIN_ID
TOK[admin]=$ADMIN_TOKEN
TOK[anon]=""
ok $([ -n "${TOK[mgrA]}" ] && [ "${TOK[mgrA]}" != null ] && [ -n "${TOK[admin]}" ]; echo $?) \
	"fixtures: five people made with wtctl and everyone has an access token"

TEAM_A=$(sql "INSERT INTO teams (name) VALUES ('A $tag') RETURNING id")
TEAM_B=$(sql "INSERT INTO teams (name) VALUES ('B $tag') RETURNING id")
sql "INSERT INTO team_members (team_id, user_id, role) VALUES
   ($TEAM_A, ${ID[mgrA]}, 'manager'), ($TEAM_A, ${ID[memA]}, 'member'),
   ($TEAM_B, ${ID[mgrB]}, 'manager'), ($TEAM_B, ${ID[memB]}, 'member')" >/dev/null
for p in mgrA mgrB memA memB outsider admin; do
	sql "INSERT INTO devices (user_id, name) VALUES (${ID[$p]}, 'dev-$p-$tag')" >/dev/null
done

ACTORS=(anon memA outsider mgrA mgrB admin)
# Whom each actor may see (the scope rule): themselves, their managed
# teams' people, or everyone.
declare -A SEES
SEES[anon]=""
SEES[memA]="memA"
SEES[outsider]="outsider"
SEES[mgrA]="mgrA memA"
SEES[mgrB]="mgrB memB"
SEES[admin]="admin mgrA mgrB memA memB outsider"
sees() { [[ " ${SEES[$1]} " == *" $2 "* ]]; }
declare -A ROLE=([anon]=anon [memA]=member [outsider]=member [mgrA]=manager [mgrB]=manager [admin]=admin)

# call ACTOR METHOD PATH [JSON]
call() {
	local actor=$1 method=$2 path=$3 body=${4:-}
	local args=(-H 'Accept: application/json')
	[ -n "${TOK[$actor]}" ] && args+=(-H "Authorization: Bearer ${TOK[$actor]}")
	[ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data-raw "$body")
	req "$method" "$path" "${args[@]}"
}

# The body of an answer must not name anyone the actor may not see.
no_leak() {
	local actor=$1 what=$2 p leaked=""
	for p in mgrA mgrB memA memB outsider; do
		sees "$actor" "$p" && continue
		[[ $BODY == *"${EMAIL[$p]}"* ]] && leaked+=" $p"
		[[ $BODY == *"dev-$p-$tag"* ]] && leaked+=" dev-$p"
	done
	is "$leaked" "" "$what: nothing of people outside $actor's scope in the answer"
}

# expect STATUS NAME: the last call's status, and no leak either way.
expect() {
	local want=$1 actor=$2 what=$3
	is "$STATUS" "$want" "$actor: $what -> $want"
	no_leak "$actor" "$actor: $what"
}

# For role-only routes: anonymous 401, roles in $allowed get $ok_status.
by_role() {  # by_role "ROLES" OK_STATUS METHOD PATH [BODY-FUNCTION]
	local allowed=$1 ok_status=$2 method=$3 path=$4 bodyfn=${5:-} a body
	for a in "${ACTORS[@]}"; do
		body=""
		[ -n "$bodyfn" ] && body=$($bodyfn)
		call "$a" "$method" "$path" "$body"
		if [ "$a" = anon ]; then expect 401 "$a" "$method $path"
		elif [[ " $allowed " == *" ${ROLE[$a]} "* ]]; then expect "$ok_status" "$a" "$method $path"
		else expect 403 "$a" "$method $path"; fi
	done
}

# For person-row routes: roles in $allowed see in-scope targets ($ok_status)
# and get 404 for the others; other roles 403; anonymous 401.
by_person() {  # by_person "ROLES" OK_STATUS METHOD PATH-WITH-{id} [BODY-FUNCTION]
	local allowed=$1 ok_status=$2 method=$3 tmpl=$4 bodyfn=${5:-} a t path body want
	for a in "${ACTORS[@]}"; do
		for t in memA memB outsider mgrA; do
			path=${tmpl//\{id\}/${ID[$t]}}
			body=""
			[ -n "$bodyfn" ] && body=$($bodyfn "$t")
			call "$a" "$method" "$path" "$body"
			if [ "$a" = anon ]; then want=401
			elif [[ " $allowed " != *" ${ROLE[$a]} "* ]]; then want=403
			elif sees "$a" "$t"; then want=$ok_status
			else want=404; fi
			is "$STATUS" "$want" "$a: $method $tmpl for $t -> $want"
			no_leak "$a" "$a: $method $tmpl for $t"
		done
	done
}

declare -A CASE
tested=()

CASE["GET /healthz"]=case_healthz
case_healthz() {
	local a
	for a in "${ACTORS[@]}"; do
		call "$a" GET /admin/healthz
		expect 200 "$a" "GET /admin/healthz (no sign-in needed)"
	done
}

CASE["GET /admin"]=case_admin_home
case_admin_home() {
	by_role "manager admin" 200 GET /admin
	call mgrA GET /admin; is "$(jq_body .people)" 2 "mgrA counts 2 people (self and memA)"
	call mgrA GET /admin; is "$(jq_body .teams)" 1 "mgrA counts 1 team"
}

CASE["GET /admin/users"]=case_users_list
case_users_list() {
	by_role "manager admin" 200 GET "/admin/users?q=$tag"
	call mgrA GET "/admin/users?q=$tag"
	is "$(jq_body '[.users[].email] | sort | join(" ")')" "${EMAIL[memA]} ${EMAIL[mgrA]}" \
		"mgrA's list holds exactly mgrA and memA"
	call admin GET "/admin/users?q=$tag"
	is "$(jq_body .total)" 5 "admin's list holds all five"
}

invite_body() { echo "{\"email\":\"inv$RANDOM$RANDOM.$tag@example.com\"}"; }
CASE["POST /admin/users"]=case_invite
case_invite() { by_role "admin" 201 POST /admin/users invite_body; }

CASE["GET /admin/users/:id"]=case_user_get
case_user_get() { by_person "manager admin" 200 GET "/admin/users/{id}"; }

same_person() {  # the person's own name and role: a change that changes nothing
	local t=$1
	echo "{\"display_name\":\"$t $tag\",\"role\":\"$(sql "SELECT role FROM users WHERE id = ${ID[$t]}")\"}"
}
CASE["POST /admin/users/:id"]=case_user_edit
case_user_edit() {
	by_person "admin" 200 POST "/admin/users/{id}" same_person
	call mgrA POST "/admin/users/${ID[mgrA]}" '{"display_name":"mgrA","role":"admin"}'
	is "$STATUS" 403 "a manager cannot make themselves admin"
	is "$(sql "SELECT role FROM users WHERE id = ${ID[mgrA]}")" manager "... and stays a manager"
}

CASE["POST /admin/users/:id/deactivate"]=case_deactivate
case_deactivate() {
	by_person "admin" 200 POST "/admin/users/{id}/deactivate"
	# Everyone back, with fresh tokens (deactivation revoked theirs).
	local p
	for p in memA memB outsider mgrA; do
		call admin POST "/admin/users/${ID[$p]}/activate"
		token_for "${EMAIL[$p]}" "$pw"
		TOK[$p]=$TOKEN
	done
}

CASE["POST /admin/users/:id/activate"]=case_activate
# Everyone is active here: admins get past the access check and are told
# there is nothing to activate.
case_activate() { by_person "admin" 409 POST "/admin/users/{id}/activate"; }

# Admins get past the access check and stop at the missing confirmation.
CASE["POST /admin/users/:id/delete"]=case_delete
case_delete() {
	by_person "admin" 400 POST "/admin/users/{id}/delete" 
	is "$(sql "SELECT count(*) FROM users WHERE email LIKE '%.$tag@example.com' AND email NOT LIKE 'inv%'")" 5 \
		"nobody was deleted without confirmation"
}

CASE["GET /admin/teams"]=case_teams_list
case_teams_list() {
	by_role "manager admin" 200 GET /admin/teams
	call mgrA GET /admin/teams
	is "$(jq_body '[.teams[].name] | join(",")')" "A $tag" "mgrA sees only team A"
	call mgrB GET /admin/teams
	is "$(jq_body '[.teams[].name] | join(",")')" "B $tag" "mgrB sees only team B"
}

team_name() { echo "{\"name\":\"T$RANDOM$RANDOM $tag\"}"; }
CASE["POST /admin/teams"]=case_team_create
case_team_create() { by_role "admin" 201 POST /admin/teams team_name; }

# by_team ROLES OK METHOD PATH-WITH-{team} [BODY]
by_team() {
	local allowed=$1 ok_status=$2 method=$3 tmpl=$4 body=${5:-} a t tid want
	for a in "${ACTORS[@]}"; do
		for t in A B; do
			if [ $t = A ]; then tid=$TEAM_A; else tid=$TEAM_B; fi
			call "$a" "$method" "${tmpl//\{team\}/$tid}" "$body"
			if [ "$a" = anon ]; then want=401
			elif [[ " $allowed " != *" ${ROLE[$a]} "* ]]; then want=403
			elif [ "$a" = admin ] || [ "$a" = "mgr$t" ]; then want=$ok_status
			else want=404; fi
			is "$STATUS" "$want" "$a: $method $tmpl for team $t -> $want"
			no_leak "$a" "$a: $method $tmpl for team $t"
		done
	done
}

CASE["GET /admin/teams/:id"]=case_team_get
case_team_get() { by_team "manager admin" 200 GET "/admin/teams/{team}"; }

CASE["POST /admin/teams/:id"]=case_team_rename
case_team_rename() {
	local a
	for a in "${ACTORS[@]}"; do
		call "$a" POST "/admin/teams/$TEAM_A" "{\"name\":\"A $tag\"}"
		case ${ROLE[$a]} in anon) want=401 ;; admin) want=200 ;; *) want=403 ;; esac
		expect $want "$a" "POST /admin/teams/:id (rename A)"
	done
}

CASE["POST /admin/teams/:id/delete"]=case_team_delete
case_team_delete() {
	local a tid
	for a in "${ACTORS[@]}"; do
		tid=$(sql "INSERT INTO teams (name) VALUES ('gone $a $tag') RETURNING id")
		call "$a" POST "/admin/teams/$tid/delete"
		case ${ROLE[$a]} in anon) want=401 ;; admin) want=200 ;; *) want=403 ;; esac
		expect $want "$a" "POST /admin/teams/:id/delete"
	done
}

CASE["POST /admin/teams/:id/members"]=case_member_add
case_member_add() {
	by_role "admin" 200 POST "/admin/teams/$TEAM_A/members" \
		member_body
	is "$(sql "SELECT role FROM team_members WHERE team_id = $TEAM_A AND user_id = ${ID[memA]}")" member \
		"memA is still a plain member of A"
}
member_body() { echo "{\"user_id\":${ID[memA]},\"role\":\"member\"}"; }

CASE["POST /admin/teams/:id/members/:user/delete"]=case_member_remove
case_member_remove() {
	local a
	for a in "${ACTORS[@]}"; do
		sql "INSERT INTO team_members (team_id, user_id) VALUES ($TEAM_B, ${ID[outsider]})
		   ON CONFLICT DO NOTHING" >/dev/null
		call "$a" POST "/admin/teams/$TEAM_B/members/${ID[outsider]}/delete"
		case ${ROLE[$a]} in anon) want=401 ;; admin) want=200 ;; *) want=403 ;; esac
		is "$STATUS" "$want" "$a: remove a member of B -> $want"
	done
	sql "DELETE FROM team_members WHERE team_id = $TEAM_B AND user_id = ${ID[outsider]}" >/dev/null
}

CASE["GET /admin/devices"]=case_devices
case_devices() {
	by_role "member manager admin" 200 GET /admin/devices
	local a names want
	for a in memA outsider mgrA mgrB admin; do
		call "$a" GET /admin/devices
		names=$(jq_body "[.devices[].name | select(endswith(\"-$tag\"))] | sort | join(\" \")")
		want=$(for p in ${SEES[$a]}; do echo "dev-$p-$tag"; done | sort | tr '\n' ' ' | sed 's/ $//')
		is "$names" "$want" "$a sees exactly the devices of: ${SEES[$a]}"
	done
}

code_for() { echo "{\"user_id\":${ID[$1]},\"device_name\":\"code-$1\"}"; }
CASE["POST /admin/devices/codes"]=case_code_create
case_code_create() { by_person "member manager admin" 201 POST /admin/devices/codes code_for; }

# A fresh code (or device) of the target for every call: revoking spends it.
fresh_code() {
	sql "INSERT INTO enrollment_codes (code_hash, user_id, device_name, expires_at)
	   VALUES (encode(sha256(gen_random_uuid()::text::bytea), 'hex'), ${ID[$1]}, 'c', now() + interval '1 day')
	   RETURNING id"
}
fresh_device() { sql "INSERT INTO devices (user_id, name) VALUES (${ID[$1]}, 'd') RETURNING id"; }
revoke_walk() {  # revoke_walk KIND PATH-PREFIX
	local kind=$1 prefix=$2 a t id want
	for a in "${ACTORS[@]}"; do
		for t in memA memB outsider mgrA; do
			if [ "$kind" = code ]; then id=$(fresh_code "$t"); else id=$(fresh_device "$t"); fi
			call "$a" POST "$prefix/$id/revoke"
			if [ "$a" = anon ]; then want=401; elif sees "$a" "$t"; then want=200; else want=404; fi
			is "$STATUS" "$want" "$a: revoke a $kind of $t -> $want"
			no_leak "$a" "$a: revoke a $kind of $t"
		done
	done
}
CASE["POST /admin/devices/codes/:id/revoke"]=case_code_revoke
case_code_revoke() { revoke_walk code /admin/devices/codes; }
CASE["POST /admin/devices/:id/revoke"]=case_device_revoke
case_device_revoke() { revoke_walk device /admin/devices; }

CASE["GET /admin/settings"]=case_settings_get
case_settings_get() { by_role "admin" 200 GET /admin/settings; }
empty_body() { echo '{}'; }
CASE["POST /admin/settings"]=case_settings_post
case_settings_post() { by_role "admin" 200 POST /admin/settings empty_body; }

CASE["GET /admin/audit"]=case_audit
case_audit() { by_role "admin" 200 GET /admin/audit; }

# Report routes (dash): the front page is public.
case_front() {
	local a
	for a in "${ACTORS[@]}"; do
		call "$a" GET /
		expect 200 "$a" "GET / (front page)"
	done
}

# --- walk the program's own table ----------------------------------------
table=$("$WT_STATE/app/libexec/worktime/admin.fcgi" --access-table); rc=$?
is "$rc" 0 "admin.fcgi --access-table: every route has a rule, every rule a route"
unlike "$table" $'\t(MISSING|NO-ROUTE)\t' "no route without a rule"
while IFS=$'\t' read -r method pattern roles sees_text; do
	key="$method $pattern"
	fn=${CASE[$key]:-}
	if [ -z "$fn" ]; then
		ok 1 "route $key has a case in this test"
		continue
	fi
	ok 0 "route $key has a case in this test"
	grep -qF "| \`$method\` | \`$pattern\` |" "$WT_ROOT/README.md"
	ok $? "route $key is in README's access table"
	$fn
	tested+=("$key")
done <<<"$table"
case_front

# The test's table must not describe routes that no longer exist either.
for key in "${!CASE[@]}"; do
	grep -qF "$key" <<<"$(printf '%s\n' "${tested[@]}")"
	ok $? "case '$key' matches a route the program serves"
done

done_testing
