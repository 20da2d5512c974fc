# Helpers shared by the admin tests (tests/api/2*_admin_*.t).  Source it
# after lib.sh:  . "$(dirname "$0")/admin_lib.sh"
#
# Everything here talks to admin.fcgi as a script would: an access token
# from POST /api/v1/token, "Authorization: Bearer" and JSON bodies.  People
# are made the way an admin makes them: an invitation by e-mail, then the
# invitee registers through the link.

: "${TMPD:?source lib.sh first}"

# The password every test person gets (>= 12 characters, passes cracklib).
PERSON_PW='Copper-Valley-Orchid-93'

# --- database ---------------------------------------------------------------

# _psql ARGS: psql as the database owner.  The same connection `./stack
# psql` makes (PGHOST etc. of the instance), without starting the script
# each time; `./stack psql` itself when the socket is not where expected.
_psql() {
	if [ -S "$WT_STATE/pg/run/.s.PGSQL.5432" ]; then
		PGHOST=$WT_STATE/pg/run PGPORT=5432 PGUSER=worktime PGDATABASE=worktime \
			psql -X "$@"
	else
		"$WT_ROOT/stack" psql "$@"
	fi
}
# asql SQL: runs SQL as the database owner; prints unaligned tuples.
asql() { _psql -qAt -v ON_ERROR_STOP=1 -c "$1"; }
# asql_err SQL: like asql, but stdout and stderr together (for failures).
asql_err() { _psql -qAt -v ON_ERROR_STOP=1 -c "$1" 2>&1; }
# q TEXT: TEXT as an SQL string literal.
q() { printf "'%s'" "${1//\'/\'\'}"; }
uid_of() { asql "SELECT id FROM users WHERE email = lower($(q "$1"))"; }
# One users row as compact JSON (without updated_at): "nothing changed" checks.
user_json() {
	asql "SELECT (to_jsonb(u) - 'updated_at')::text FROM users u WHERE id = $1"; }
settings_row() { asql "SELECT (to_jsonb(s) - 'updated_at')::text FROM settings s"; }
audit_max() { asql "SELECT coalesce(max(id), 0) FROM audit_log"; }
# audit_last ACTION [TARGET_ID]: the newest audit row of that action (and
# target) as JSON, or nothing.
audit_last() {
	local where="action = $(q "$1")"
	[ -n "${2:-}" ] && where="$where AND target_id = $2"
	asql "SELECT row_to_json(a)::text FROM audit_log a WHERE $where ORDER BY id DESC LIMIT 1"
}
# audit_since ID: how many audit rows were written after row ID.
audit_since() { asql "SELECT count(*) FROM audit_log WHERE id > $1"; }
sha256_of() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }

# --- requests ---------------------------------------------------------------

# rreq: req, but a 429 from nginx's rate limit (only /register, /login and
# /api/v1/token have one) is retried a moment later.
rreq() {
	local i
	for i in 1 2 3 4 5 6 7 8; do
		req "$@"
		if [ "$STATUS" = 429 ] && grep -q 'too many requests from your address' <<<"$BODY"; then
			sleep 1
			continue
		fi
		return 0
	done
}

# api METHOD PATH TOKEN [JSON-BODY]: a bearer request that reads JSON.  A
# POST without a body sends {}.
api() {
	local m=$1 p=$2 t=$3 body=${4:-}
	local args=(-H 'Accept: application/json')
	[ -n "$t" ] && args+=(-H "Authorization: Bearer $t")
	if [ -n "$body" ] || [ "$m" != GET ]; then
		args+=(-H 'Content-Type: application/json' --data-raw "${body:-{\}}")
	fi
	rreq "$m" "$p" "${args[@]}"
}

# get_token EMAIL PASSWORD: sets TOKEN to an access token (empty if
# refused; STATUS and BODY tell why).
get_token() {
	rreq POST /api/v1/token -H 'Content-Type: application/json' \
		--data-raw "$(jq -cn --arg e "$1" --arg p "$2" '{email: $e, password: $p}')"
	TOKEN=$(jq_body '.access_token // empty')
}
# token_of EMAIL PASSWORD: prints the token (in $(...): STATUS is lost).
token_of() { get_token "$@"; echo "$TOKEN"; }

ADMIN_EMAIL=$(sed -n 's/^email: //p' "$WT_STATE/initial-admin.txt")
ADMIN_PW=$(sed -n 's/^password: //p' "$WT_STATE/initial-admin.txt")
# admin_token: a fresh token for the first admin (sets ADMIN_TOKEN too).
admin_token() {
	get_token "$ADMIN_EMAIL" "$ADMIN_PW"
	ADMIN_TOKEN=$TOKEN
	[ -n "$ADMIN_TOKEN" ] || diag "no token for the first admin: $STATUS ${BODY:0:200}"
}
ADMIN_ID=$(uid_of "$ADMIN_EMAIL")

# --- mail -------------------------------------------------------------------

mail_list() { ls "$WT_STATE/mail" 2>/dev/null | grep '\.eml$' | sort; }
# mail_wait ADDRESS BEFORE-LIST-FILE: the path of a message to ADDRESS that
# was not in the list; mail is written right after the answer, so this
# waits up to 3 s.
mail_wait() {
	local addr=$1 before=$2 i f
	for i in $(seq 1 30); do
		for f in $(mail_list | comm -13 "$before" -); do
			if tr -d '\r' <"$WT_STATE/mail/$f" | grep -qixF "To: $addr"; then
				echo "$WT_STATE/mail/$f"
				return 0
			fi
		done
		sleep 0.1
	done
	return 1
}
# The invitation token in a message.
invite_token_in() { tr -d '\r' <"$1" | grep -o 'register?invite=[0-9a-f]*' | head -1 | cut -d= -f2; }

# --- people -----------------------------------------------------------------

# invite EMAIL ROLE [TEAM_ID]: the admin invites; prints the invitation
# token from the message (STATUS is that of POST /admin/users).
invite() {
	local email=$1 role=$2 team=${3:-} body f
	body=$(jq -cn --arg e "$email" --arg r "$role" --arg t "$team" \
		'{email: $e, role: $r} + (if $t == "" then {} else {team_id: ($t | tonumber)} end)')
	mail_list >"$TMPD/mail.inv"
	api POST /admin/users "$ADMIN_TOKEN" "$body"
	if [ "$STATUS" != 201 ]; then
		diag "invite $email: POST /admin/users answered $STATUS: ${BODY:0:300}"
		return 1
	fi
	if ! f=$(mail_wait "$email" "$TMPD/mail.inv"); then
		diag "invite $email: no invitation message"
		return 1
	fi
	invite_token_in "$f"
}

# register_invited TOKEN NAME [JAR]: registers through the invitation, as
# the invitee's browser does (the form's CSRF token from GET /register);
# the browser keeps the session it is given in JAR.
register_invited() {
	local tok=$1 name=$2 jar=${3:-$TMPD/jar-reg$RANDOM} csrf
	rm -f "$jar"
	rreq GET "/register?invite=$tok" -b "$jar" -c "$jar"
	if [ "$STATUS" != 200 ]; then
		diag "GET /register?invite=... answered $STATUS"
		return 1
	fi
	csrf=$(grep -o 'name="csrf" value="[^"]*"' <<<"$BODY" | head -1 | sed 's/.*value="//; s/"$//')
	rreq POST /register -b "$jar" -c "$jar" -H 'Content-Type: application/json' \
		-H "X-CSRF-Token: $csrf" --data-raw "$(jq -cn --arg i "$tok" --arg n "$name" \
		--arg p "$PERSON_PW" '{invite: $i, display_name: $n, password: $p, password_confirm: $p}')"
	if [ "$STATUS" != 201 ]; then
		diag "POST /register answered $STATUS: ${BODY:0:300}"
		return 1
	fi
}

# make_person EMAIL ROLE [TEAM_ID] [NAME]: invites, registers and signs in;
# prints the person's access token.  Use as T=$(make_person ...) || ...
# The browser session from the registration is in $(jar_of EMAIL).
jar_of() { echo "$TMPD/jar-$1"; }
make_person() {
	local email=$1 role=$2 team=${3:-} name=${4:-} tok
	[ -n "$name" ] || name="Person ${email%%@*}"
	tok=$(invite "$email" "$role" "$team") || return 1
	register_invited "$tok" "$name" "$(jar_of "$email")" || return 1
	tok=$(token_of "$email" "$PERSON_PW")
	if [ -z "$tok" ]; then
		diag "make_person $email: no access token: $STATUS ${BODY:0:200}"
		return 1
	fi
	echo "$tok"
}

# --- teams and devices ------------------------------------------------------

# make_team NAME: prints the new team's id.
make_team() {
	api POST /admin/teams "$ADMIN_TOKEN" "$(jq -cn --arg n "$1" '{name: $n}')"
	[ "$STATUS" = 201 ] || { diag "make_team $1: $STATUS ${BODY:0:200}"; return 1; }
	jq_body .id
}
# add_member TEAM_ID USER_ID [ROLE]
add_member() {
	api POST "/admin/teams/$1/members" "$ADMIN_TOKEN" \
		"$(jq -cn --argjson u "$2" --arg r "${3:-member}" '{user_id: $u, role: $r}')"
	[ "$STATUS" = 200 ] || { diag "add_member $*: $STATUS ${BODY:0:200}"; return 1; }
}
# make_device USER_ID NAME [SQL for last_seen_at] [SQL for revoked_at]:
# a device row as the enrollment exchange would leave it; prints its id.
make_device() {
	asql "INSERT INTO devices (user_id, name, token_hash, last_seen_at, revoked_at)
	      VALUES ($1, $(q "$2"), encode(sha256($(q "tok-$2-$RANDOM$RANDOM")::bytea), 'hex'),
	      ${3:-NULL}, ${4:-NULL}) RETURNING id"
}

# --- assertions -------------------------------------------------------------

# is_status WANT NAME: the last answer's status.
is_status() { is "$STATUS" "$1" "$2"; }
# is_error STATUS FIELD NAME: a JSON error answer naming the field
# ("" for none).
is_error() {
	local st=$1 field=$2 name=$3
	is "$STATUS $(jq_body '.field // ""')" "$st $field" "$name"
}
# is_json FILTER WANT NAME: a jq filter over the last answer's body.
is_json() { is "$(jq_body "$1")" "$2" "$3"; }
# jq_of JSON FILTER: a jq filter over some JSON text.
jq_of() { jq -r "$2" <<<"$1" 2>/dev/null; }
