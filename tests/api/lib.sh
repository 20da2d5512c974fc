# Everything the API tests share: TAP, an HTTPS client, the database, the
# mail the instance sends, accounts, access tokens, JWTs.  Sourced by each
# tests/api/*.t; ./stack test exports WT_BASE (https://localhost:PORT),
# WT_CACERT (the instance's certificate: TLS is verified), WT_RUN, WT_LOG,
# WT_STATE, WT_ROOT, WT_HTTP_PORT, WT_WORKERS and WT_INSTANCE.
#
# Each helper exists once, here; a .t file defines only what is its own.
set -u

: "${WT_BASE:?run through ./stack test}"
_tap_n=0
_tap_failed=0
TMPD=$(mktemp -d)
trap 'rm -rf "$TMPD"' EXIT

# --- TAP --------------------------------------------------------------------

plan() { echo "1..$1"; }

ok() {  # ok CONDITION-EXIT-STATUS NAME  (use: ok $? "name" or check ...)
	local status=$1; shift
	_tap_n=$((_tap_n + 1))
	if [ "$status" -eq 0 ]; then
		echo "ok $_tap_n - $*"
	else
		echo "not ok $_tap_n - $*"
		_tap_failed=$((_tap_failed + 1))
	fi
}

diag() { printf '# %s\n' "$@" >&2; }

is() {  # is GOT WANT NAME
	local got=$1 want=$2; shift 2
	if [ "$got" = "$want" ]; then ok 0 "$*"; else
		ok 1 "$*"; diag "got:  '$got'" "want: '$want'"; fi
}

like() {  # like GOT EXTENDED-REGEX NAME
	local got=$1 re=$2; shift 2
	if grep -qE -- "$re" <<<"$got"; then ok 0 "$*"; else
		ok 1 "$*"; diag "got:  '${got:0:400}'" "want: /$re/"; fi
}

unlike() {
	local got=$1 re=$2; shift 2
	if grep -qE -- "$re" <<<"$got"; then
		ok 1 "$*"; diag "got:  '${got:0:400}'" "must not match: /$re/"; else ok 0 "$*"; fi
}

# is_error STATUS FIELD NAME: a JSON error answer naming the field ("" for
# none).
is_error() {
	local st=$1 field=$2 name=$3
	is "$STATUS $(jq_body '.field // ""')" "$st $field" "$name"
}

done_testing() {
	echo "1..$_tap_n"
	[ "$_tap_failed" -eq 0 ]
}

# --- HTTPS ------------------------------------------------------------------

# req METHOD PATH [curl args...]: sets STATUS, BODY and HDRS (lower-cased
# header lines), with the certificate verified.
req() {
	local method=$1 path=$2; shift 2
	local out
	out=$(curl -sS --cacert "$WT_CACERT" -X "$method" -D "$TMPD/h" -o "$TMPD/b" \
		-w '%{http_code}' "$@" "$WT_BASE$path") || true
	STATUS=$out
	BODY=$(cat "$TMPD/b" 2>/dev/null || true)
	# Header names lower-cased (HTTP/2 does that anyway), values as sent.
	HDRS=$(tr -d '\r' <"$TMPD/h" 2>/dev/null |
		awk -F': ' '{ $1 = tolower($1); print }' OFS=': ' || true)
}

# rreq: req, but a request that nginx's rate limit turned away (its own
# 429, never seen by the program) is sent again a moment later, so the
# suite does not depend on how fast the machine is.  16_auth_ratelimit.t
# tests the limit itself with plain curl.
rreq() {
	local i
	for i in $(seq 1 50); do
		req "$@"
		if [ "$STATUS" = 429 ] && grep -q 'too many requests from your address' <<<"$BODY"; then
			sleep 0.2
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

header() {  # header NAME: value of a response header from the last req
	local n
	n=$(tr 'A-Z' 'a-z' <<<"$1")
	sed -n "s/^$n: //p" <<<"$HDRS" | head -1
}
# The value a Set-Cookie of the last response gives NAME ("" to delete).
set_cookie_val() {
	sed -n "s/^set-cookie: $1=\([^;]*\).*/\1/p" <<<"$HDRS" | tail -1; }
# The whole Set-Cookie line for NAME in the last response.
set_cookie_line() { sed -n "s/^set-cookie: \($1=.*\)/\1/p" <<<"$HDRS" | tail -1; }

jq_body() { jq -r "$1" <<<"$BODY" 2>/dev/null; }
jq_c() { jq -c "$1" <<<"$BODY" 2>/dev/null; }  # jq_body, compact
jq_of() { jq -r "$2" <<<"$1" 2>/dev/null; }     # jq_of JSON FILTER
# A JSON body without its request_id.
json_sans_id() { jq -c 'del(.request_id)' <<<"$1" 2>/dev/null; }
# The path and query of a link to this site.
local_path() { echo "${1#"$WT_BASE"}"; }
# The health check of a program: /healthz for dash, /NAME/healthz else.
health_path() { if [ "$1" = dash ]; then echo /healthz; else echo "/$1/healthz"; fi; }

# --- browsers ---------------------------------------------------------------

# A "browser" is a curl cookie jar in $TMPD named by a short word (or an
# e-mail address); breq sends a request with that jar's cookies and keeps
# what comes back.
jar() { echo "$TMPD/jar-$1"; }
# breq BROWSER METHOD PATH [curl args]: a request with that browser's cookies.
breq() {
	local j
	j=$(jar "$1")
	shift
	local m=$1 p=$2
	shift 2
	rreq "$m" "$p" -b "$j" -c "$j" -A "worktime-test/$(basename "$j")" "$@"
}
forget_browser() { rm -f "$(jar "$1")"; }
# The value of a cookie in a browser's jar (empty if none).
cookie_of() {
	[ -f "$(jar "$1")" ] || return 0
	awk -F'\t' -v n="$2" 'NF >= 7 && $6 == n { v = $7 } END { print v }' "$(jar "$1")"
}

# The CSRF token in a page's form.
csrf_from() {
	grep -o 'name="csrf" value="[^"]*"' <<<"$1" | head -1 | sed 's/.*value="//; s/"$//'; }
# csrf_of BROWSER [PAGE]: loads a page (default /login) and sets CSRF.
csrf_of() {
	breq "$1" GET "${2:-/login}"
	CSRF=$(csrf_from "$BODY")
}
# The text of the form's general error, or of a field's error.
form_error() { sed -n 's:.*<p class="form-error" role="alert">\(.*\)</p>.*:\1:p' <<<"$1" | head -1; }
field_error() {
	sed -n "s:.*<p class=\"field-error\" id=\"e-$2\">\(.*\)</p>.*:\1:p" <<<"$1" | head -1; }
# The page's <main> part: what differs between two answers, minus the
# request id in the footer.
main_part() { sed -n '/<main/,/<\/main>/p' <<<"$1"; }

# login BROWSER EMAIL PASSWORD [curl args]: the sign-in form, as a person
# would use it.  303 on success.
login() {
	local b=$1 email=$2 pw=$3
	shift 3
	csrf_of "$b" /login
	breq "$b" POST /login --data-urlencode "csrf=$CSRF" \
		--data-urlencode "email=$email" --data-urlencode "password=$pw" "$@"
}

# --- database ---------------------------------------------------------------

# wt_psql [psql args]: psql as the database owner on the instance's socket,
# unaligned tuples only, stopping at the first error.  The connection
# `./stack psql` makes, but calling psql itself: Debian's psql wrapper and
# ./stack cost more than most queries, and these files run many.
_psql_bin=$(ls /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -V | tail -1)
wt_psql() {
	if [ -n "$_psql_bin" ] && [ -S "$WT_STATE/pg/run/.s.PGSQL.5432" ]; then
		PGHOST="$WT_STATE/pg/run" PGPORT=5432 PGUSER=worktime PGDATABASE=worktime \
			"$_psql_bin" -X -qAt -v ON_ERROR_STOP=1 "$@"
	else
		"$WT_ROOT/stack" psql -qAt -v ON_ERROR_STOP=1 "$@"
	fi
}
sql() { wt_psql -c "$1"; }            # sql SQL: prints the rows
sql_err() { wt_psql -c "$1" 2>&1; }   # sql_err SQL: the rows or the error
sqlq() { printf "'%s'" "${1//\'/\'\'}"; }  # sqlq TEXT: TEXT as an SQL literal

uid_of() { sql "SELECT id FROM users WHERE email = lower($(sqlq "$1"))"; }
# user_row EMAIL: the whole users row as JSON, for "nothing changed" checks.
user_row() { sql "SELECT row_to_json(u) FROM users u WHERE email = lower($(sqlq "$1"))"; }
# user_json ID: a users row as compact JSON without updated_at.
user_json() { sql "SELECT (to_jsonb(u) - 'updated_at')::text FROM users u WHERE id = $1"; }
pw_hash() { sql "SELECT password_hash FROM users WHERE email = lower($(sqlq "$1"))"; }
set_mode() { sql "UPDATE settings SET registration_mode = '$1'" >/dev/null; }
clear_lockouts() { sql "DELETE FROM login_failures" >/dev/null; }
# Lets every running lock run out, as if its time had passed.
fast_forward_locks() {
	sql "UPDATE login_failures SET locked_until = now() - interval '1 second'
	     WHERE locked_until IS NOT NULL" >/dev/null; }
session_rows() {  # live web_sessions rows of a user (by e-mail)
	sql "SELECT count(*) FROM web_sessions s JOIN users u ON u.id = s.user_id
	     WHERE u.email = lower($(sqlq "$1"))"; }
session_exists() {  # 0/1: is there a web_sessions row for this cookie token
	sql "SELECT count(*) FROM web_sessions WHERE token_hash = '$(sha256_hex "$1")'"; }
audit_max() { sql "SELECT coalesce(max(id), 0) FROM audit_log"; }
# audit_last ACTION [TARGET_ID]: the newest audit row of that action (and
# target) as JSON, or nothing.
audit_last() {
	local where="action = $(sqlq "$1")"
	[ -n "${2:-}" ] && where="$where AND target_id = $2"
	sql "SELECT row_to_json(a)::text FROM audit_log a WHERE $where ORDER BY id DESC LIMIT 1"
}
# audit_since ID: how many audit rows were written after row ID.
audit_since() { sql "SELECT count(*) FROM audit_log WHERE id > $1"; }

sha256_hex() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
rand_hex() { openssl rand -hex "${1:-32}"; }

# wtctl ARGS: the instance's wtctl with its configuration.
wtctl() { "$WT_STATE/app/bin/wtctl" --config "$WT_STATE/worktime.conf" "$@"; }

# --- mail -------------------------------------------------------------------

# The file transport writes each message as one .eml file in
# $WT_STATE/mail (atomically: written aside, then renamed).  Mail goes out
# after the answer, and later still once a separate sender drains an
# outbox, so a test never expects a message to be there when the answer
# comes: it waits for the file.
#
# mail_mark remembers which messages exist; mails_to, mail_wait and
# no_mail_to then look only at newer ones.  make_user and invite keep a
# mark of their own.
WT_MAIL_TIMEOUT=${WT_MAIL_TIMEOUT:-5}   # seconds a message may take to arrive
WT_MAIL_QUIET=${WT_MAIL_QUIET:-2}       # seconds to watch for one that must not
: >"$TMPD/mail.mark"
mail_mark() { ls "$WT_STATE/mail" 2>/dev/null | sort >"${MAIL_MARK:-$TMPD/mail.mark}"; }
mails_to() {  # mails_to ADDRESS: the messages since the mark to it, newest first
	local new
	new=$(cd "$WT_STATE/mail" 2>/dev/null && ls -t -- *.eml 2>/dev/null |
		grep -vxFf "${MAIL_MARK:-$TMPD/mail.mark}") || return 0
	[ -n "$new" ] || return 0
	# Only the header (up to the first empty line) is searched for "To:".
	(cd "$WT_STATE/mail" && awk -v want="to: $(tr 'A-Z' 'a-z' <<<"$1")" '
		FNR == 1 { head = 1 }
		{ sub(/\r$/, "") }
		head && $0 == "" { head = 0 }
		head && tolower($0) == want { print FILENAME; head = 0 }' $new) |
		sed "s|^|$WT_STATE/mail/|"
}
# mail_wait ADDRESS [N]: waits (up to WT_MAIL_TIMEOUT s) until N messages
# (default 1) have come to ADDRESS since the mark; prints the newest.
mail_wait() {
	local want=${2:-1} end list
	end=$(( $(date +%s%N) + WT_MAIL_TIMEOUT * 1000000000 ))
	while :; do
		list=$(mails_to "$1")
		if [ -n "$list" ] && [ "$(wc -l <<<"$list")" -ge "$want" ]; then
			head -1 <<<"$list"
			return 0
		fi
		[ "$(date +%s%N)" -lt "$end" ] || break
		sleep 0.05
	done
	diag "no message to $1 (wanted $want) within $WT_MAIL_TIMEOUT s"
	return 1
}
# no_mail_to ADDRESS...: true if no message came to any of them since the
# mark, watching for WT_MAIL_QUIET s for one on its way (false at once when
# one comes).  Where the test has something that happens after such a
# message would have been sent, it checks that too.
no_mail_to() {
	local end a f
	end=$(( $(date +%s%N) + WT_MAIL_QUIET * 1000000000 ))
	while :; do
		for a in "$@"; do
			f=$(mails_to "$a")
			if [ -n "$f" ]; then diag "a message to $a: $f"; return 1; fi
		done
		[ "$(date +%s%N)" -lt "$end" ] || return 0
		sleep 0.1
	done
}
link_from_mail() { tr -d '\r' <"$1" | grep -o 'https://[^[:space:]]*' | head -1; }
mail_subject() { tr -d '\r' <"$1" | sed -n 's/^Subject: //p' | head -1; }
# The invitation token in a message.
invite_token_in() { tr -d '\r' <"$1" | grep -o 'register?invite=[0-9a-f]*' | head -1 | cut -d= -f2; }

# --- accounts and access tokens ---------------------------------------------

# The password every person made by make_person gets (>= 12 characters,
# passes cracklib).
PERSON_PW='Copper-Valley-Orchid-93'
ADMIN_EMAIL=$(sed -n 's/^email: //p' "$WT_STATE/initial-admin.txt")
ADMIN_PW=$(sed -n 's/^password: //p' "$WT_STATE/initial-admin.txt")

# token_for EMAIL PASSWORD: sets TOKEN to an access token from
# /api/v1/token (empty if refused; STATUS and BODY tell why).
token_for() {
	rreq POST /api/v1/token -H 'Content-Type: application/json' \
		--data-raw "$(jq -cn --arg e "$1" --arg p "$2" '{email: $e, password: $p}')"
	TOKEN=$(jq_body '.access_token // empty')
}
# admin_token: a fresh token for the first admin in ADMIN_TOKEN, and the
# admin's id in ADMIN_ID.
admin_token() {
	token_for "$ADMIN_EMAIL" "$ADMIN_PW"
	ADMIN_TOKEN=$TOKEN
	[ -n "$ADMIN_TOKEN" ] || diag "no token for the first admin: $STATUS ${BODY:0:200}"
	ADMIN_ID=$(uid_of "$ADMIN_EMAIL")
}

# make_invite EMAIL [ROLE] [INTERVAL]: an invitation made in SQL; prints
# its raw token.
make_invite() {
	local tok
	tok=$(rand_hex 32)
	sql "INSERT INTO invites (token_hash, email, role, expires_at)
	     VALUES ('$(sha256_hex "$tok")', lower($(sqlq "$1")), '${2:-member}',
	     now() + interval '${3:-1 day}')" >/dev/null
	echo "$tok"
}

# make_user EMAIL NAME PASSWORD [ROLE]: registers in open mode and follows
# the link in the verification message, as a person does (passwords are
# scrypt hashes: there is no short cut through SQL).  Sets USER_ID.
make_user() {
	local email=$1 name=$2 pw=$3 role=${4:-member} mode f link b=mk$RANDOM
	local MAIL_MARK=$TMPD/mail.mark.make_user
	mode=$(sql "SELECT registration_mode FROM settings")
	set_mode open
	mail_mark
	csrf_of "$b" /register
	breq "$b" POST /register --data-urlencode "csrf=$CSRF" --data-urlencode "email=$email" \
		--data-urlencode "display_name=$name" --data-urlencode "password=$pw" \
		--data-urlencode "password_confirm=$pw"
	set_mode "$mode"
	forget_browser "$b"
	if [ "$STATUS" != 200 ]; then
		diag "make_user $email: POST /register answered $STATUS: ${BODY:0:300}"
		return 1
	fi
	if ! f=$(mail_wait "$email"); then
		diag "make_user $email: no verification message"
		return 1
	fi
	link=$(link_from_mail "$f")
	rreq GET "$(local_path "$link")"
	if [ "$STATUS" != 200 ]; then
		diag "make_user $email: the verification link answered $STATUS"
		return 1
	fi
	[ "$role" = member ] || sql "UPDATE users SET role = '$role' WHERE email = lower($(sqlq "$email"))" >/dev/null
	USER_ID=$(uid_of "$email")
	[ -n "$USER_ID" ]
}

# invite EMAIL ROLE [TEAM_ID]: the admin (ADMIN_TOKEN) invites; prints the
# invitation token from the message (STATUS is that of POST /admin/users).
invite() {
	local email=$1 role=$2 team=${3:-} body f
	local MAIL_MARK=$TMPD/mail.mark.invite
	body=$(jq -cn --arg e "$email" --arg r "$role" --arg t "$team" \
		'{email: $e, role: $r} + (if $t == "" then {} else {team_id: ($t | tonumber)} end)')
	mail_mark
	api POST /admin/users "$ADMIN_TOKEN" "$body"
	if [ "$STATUS" != 201 ]; then
		diag "invite $email: POST /admin/users answered $STATUS: ${BODY:0:300}"
		return 1
	fi
	if ! f=$(mail_wait "$email"); then
		diag "invite $email: no invitation message"
		return 1
	fi
	invite_token_in "$f"
}

# register_invited TOKEN NAME [BROWSER]: registers through the invitation
# with PERSON_PW, as the invitee's browser does (the form's CSRF token from
# GET /register); the browser's jar keeps the session it is given.
register_invited() {
	local tok=$1 name=$2 j csrf
	j=$(jar "${3:-reg$RANDOM}")
	rm -f "$j"
	rreq GET "/register?invite=$tok" -b "$j" -c "$j"
	if [ "$STATUS" != 200 ]; then
		diag "GET /register?invite=... answered $STATUS"
		return 1
	fi
	csrf=$(csrf_from "$BODY")
	rreq POST /register -b "$j" -c "$j" -H 'Content-Type: application/json' \
		-H "X-CSRF-Token: $csrf" --data-raw "$(jq -cn --arg i "$tok" --arg n "$name" \
		--arg p "$PERSON_PW" '{invite: $i, display_name: $n, password: $p, password_confirm: $p}')"
	if [ "$STATUS" != 201 ]; then
		diag "POST /register answered $STATUS: ${BODY:0:300}"
		return 1
	fi
}

# make_person EMAIL ROLE [TEAM_ID] [NAME]: invites, registers and signs in;
# prints the person's access token.  Use as T=$(make_person ...) || ...
# The browser session from the registration is in $(jar EMAIL).
make_person() {
	local email=$1 role=$2 team=${3:-} name=${4:-} tok
	[ -n "$name" ] || name="Person ${email%%@*}"
	tok=$(invite "$email" "$role" "$team") || return 1
	register_invited "$tok" "$name" "$email" || return 1
	token_for "$email" "$PERSON_PW"
	if [ -z "$TOKEN" ]; then
		diag "make_person $email: no access token: $STATUS ${BODY:0:200}"
		return 1
	fi
	echo "$TOKEN"
}

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
	sql "INSERT INTO devices (user_id, name, token_hash, last_seen_at, revoked_at)
	     VALUES ($1, $(sqlq "$2"), encode(sha256($(sqlq "tok-$2-$RANDOM$RANDOM")::bytea), 'hex'),
	     ${3:-NULL}, ${4:-NULL}) RETURNING id"
}

# --- JWTs -------------------------------------------------------------------

b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
b64url_decode() {
	local s
	s=$(tr -- '-_' '+/' <<<"$1")
	while [ $(( ${#s} % 4 )) -ne 0 ]; do s="$s="; done
	base64 -d <<<"$s" 2>/dev/null
}
jwt_payload() { b64url_decode "$(cut -d. -f2 <<<"$1")"; }
# The server's JWT key: HMAC-SHA256(secret bytes, "jwt"), as hex.
jwt_key() {
	printf jwt | openssl dgst -sha256 -mac HMAC \
		-macopt "hexkey:$(sed -n 's/^secret *= *//p' "$WT_STATE/worktime.conf")" -binary |
		od -An -v -tx1 | tr -d ' \n'
}
# jwt_make HEADER-JSON PAYLOAD-JSON [KEY-HEX]: a token signed with HS256
# (with the server's key unless another is given).
jwt_make() {
	local h p s key=${3:-}
	[ -n "$key" ] || key=$(jwt_key)
	h=$(printf '%s' "$1" | b64url)
	p=$(printf '%s' "$2" | b64url)
	s=$(printf '%s' "$h.$p" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key" -binary | b64url)
	echo "$h.$p.$s"
}
# jwt_claims SUB VER [EXP-OFFSET] [NBF-OFFSET] [ISS]: a payload like the
# server's, times relative to now.
jwt_claims() {
	local now
	now=$(date +%s)
	jq -cn --arg iss "${5:-$WT_BASE}" --arg sub "$1" --argjson ver "$2" \
		--argjson iat "$now" --argjson nbf $((now + ${4:-0})) --argjson exp $((now + ${3:-900})) \
		'{iss: $iss, sub: $sub, iat: $iat, nbf: $nbf, exp: $exp, ver: $ver}'
}
HS256_HEADER='{"alg":"HS256","typ":"JWT"}'
