# Helpers shared by the sign-in tests (tests/api/1*_auth_*.t).  Source it
# after lib.sh:  . "$(dirname "$0")/auth_lib.sh"
#
# A "browser" is a curl cookie jar in $TMPD named by a short word; breq
# sends a request with that jar's cookies and stores what comes back.

: "${TMPD:?source lib.sh first}"
: >"$TMPD/mail.before"

# --- database ---------------------------------------------------------------

# As "$WT_ROOT/stack" psql -qAt -c SQL (the database owner, over the
# instance's socket), but calling psql itself: Debian's psql wrapper and
# ./stack cost more than most queries, and these files run many.
_psql_bin=$(ls /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -V | tail -1)
sql() {
	if [ -n "$_psql_bin" ] && [ -S "$WT_STATE/pg/run/.s.PGSQL.5432" ]; then
		PGHOST="$WT_STATE/pg/run" PGPORT=5432 PGUSER=worktime PGDATABASE=worktime \
			"$_psql_bin" -X -qAt -c "$1"
	else
		"$WT_ROOT/stack" psql -qAt -c "$1"
	fi
}
# A string as an SQL literal.
sqlq() { printf "'%s'" "${1//\'/\'\'}"; }
user_id() { sql "SELECT id FROM users WHERE email = lower($(sqlq "$1"))"; }
user_row() {  # the whole users row as JSON: for "nothing changed" checks
	sql "SELECT row_to_json(u) FROM users u WHERE email = lower($(sqlq "$1"))"; }
pw_hash() { sql "SELECT password_hash FROM users WHERE email = lower($(sqlq "$1"))"; }
set_mode() { sql "UPDATE settings SET registration_mode = '$1'" >/dev/null; }
clear_lockouts() { sql "DELETE FROM login_failures" >/dev/null; }
# Lets every running lock run out, as if its time had passed.
fast_forward_locks() {
	sql "UPDATE login_failures SET locked_until = now() - interval '1 second'
	     WHERE locked_until IS NOT NULL" >/dev/null; }
sha256_hex() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
session_rows() {  # live web_sessions rows of a user (by e-mail)
	sql "SELECT count(*) FROM web_sessions s JOIN users u ON u.id = s.user_id
	     WHERE u.email = lower($(sqlq "$1"))"; }
session_exists() {  # 0/1: is there a web_sessions row for this cookie token
	sql "SELECT count(*) FROM web_sessions WHERE token_hash = '$(sha256_hex "$1")'"; }
rand_hex() { openssl rand -hex "${1:-32}"; }
# Makes an invite and prints its raw token: invite EMAIL [ROLE] [INTERVAL]
make_invite() {
	local tok
	tok=$(rand_hex 32)
	sql "INSERT INTO invites (token_hash, email, role, expires_at)
	     VALUES ('$(sha256_hex "$tok")', lower($(sqlq "$1")), '${2:-member}',
	     now() + interval '${3:-1 day}')" >/dev/null
	echo "$tok"
}

# --- requests ---------------------------------------------------------------

# areq: req, but a request that nginx's rate limit turned away (its own
# 429, never seen by the program) is sent again a moment later, so the
# suite does not depend on how fast the machine is.  16_auth_ratelimit.t
# tests the limit itself with plain curl.
areq() {
	local i
	for i in $(seq 1 40); do
		req "$@"
		if [ "$STATUS" = 429 ] && grep -q 'too many requests from your address' <<<"$BODY"; then
			sleep 0.2
			continue
		fi
		return 0
	done
}

jar() { echo "$TMPD/jar-$1"; }
# breq BROWSER METHOD PATH [curl args]: a request with that browser's cookies.
breq() {
	local j
	j=$(jar "$1")
	shift
	local m=$1 p=$2
	shift 2
	areq "$m" "$p" -b "$j" -c "$j" -A "worktime-test/$(basename "$j")" "$@"
}
forget_browser() { rm -f "$(jar "$1")"; }

# The value of a cookie in a browser's jar (empty if none).
cookie_of() {
	[ -f "$(jar "$1")" ] || return 0
	awk -F'\t' -v n="$2" 'NF >= 7 && $6 == n { v = $7 } END { print v }' "$(jar "$1")"
}
# The value a Set-Cookie of the last response gives NAME ("" to delete).
set_cookie_val() {
	sed -n "s/^set-cookie: $1=\([^;]*\).*/\1/p" <<<"$HDRS" | tail -1; }
# The whole Set-Cookie line for NAME in the last response.
set_cookie_line() { sed -n "s/^set-cookie: \($1=.*\)/\1/p" <<<"$HDRS" | tail -1; }

# The CSRF token in a page's form.
csrf_from() {
	grep -o 'name="csrf" value="[^"]*"' <<<"$1" | head -1 | sed 's/.*value="//; s/"$//'; }
# The text of the form's general error, or of a field's error.
form_error() { sed -n 's:.*<p class="form-error" role="alert">\(.*\)</p>.*:\1:p' <<<"$1" | head -1; }
field_error() {
	sed -n "s:.*<p class=\"field-error\" id=\"e-$2\">\(.*\)</p>.*:\1:p" <<<"$1" | head -1; }
# The page's <main> part: what differs between two answers, minus the
# request id in the footer.
main_part() { sed -n '/<main/,/<\/main>/p' <<<"$1"; }
# jq_c FILTER: like jq_body, compact.
jq_c() { jq -c "$1" <<<"$BODY" 2>/dev/null; }
# A JSON body without its request_id.
json_sans_id() { jq -c 'del(.request_id)' <<<"$1" 2>/dev/null; }

# csrf_of BROWSER [PAGE]: loads a page (default /login) and sets CSRF.
csrf_of() {
	breq "$1" GET "${2:-/login}"
	CSRF=$(csrf_from "$BODY")
}

# login BROWSER EMAIL PASSWORD [curl args]: the sign-in form, as a person
# would use it.  303 on success.
login() {
	local b=$1 email=$2 pw=$3
	shift 3
	csrf_of "$b" /login
	breq "$b" POST /login --data-urlencode "csrf=$CSRF" \
		--data-urlencode "email=$email" --data-urlencode "password=$pw" "$@"
}

# token_for EMAIL PASSWORD: an access token from /api/v1/token (empty if refused).
token_for() {
	areq POST /api/v1/token -H 'Content-Type: application/json' \
		--data-raw "$(jq -cn --arg e "$1" --arg p "$2" '{email: $e, password: $p}')"
	TOKEN=$(jq_body '.access_token // empty')
}

# --- mail -------------------------------------------------------------------

# Remembers which messages exist now: latest_mail_to then looks only at
# newer ones.
mail_mark() { ls "$WT_STATE/mail" 2>/dev/null | sort >"$TMPD/mail.before"; }
mails_to() {  # the messages (since the mark) addressed to ADDRESS, newest first
	local f
	for f in $(ls -t "$WT_STATE/mail"/*.eml 2>/dev/null); do
		grep -qxF "$(basename "$f")" "$TMPD/mail.before" && continue
		tr -d '\r' <"$f" | grep -qixF "To: $1" && echo "$f"
	done
	return 0
}
# The newest message to ADDRESS; mail goes out right after the answer, so
# this waits up to 3 s for it.
latest_mail_to() {
	local i f
	for i in $(seq 1 30); do
		f=$(mails_to "$1" | head -1)
		if [ -n "$f" ]; then echo "$f"; return 0; fi
		sleep 0.1
	done
	return 1
}
# How many messages (since the mark) went to ADDRESS, after giving a
# message that is on its way the time to arrive.
mail_count_to() { sleep "${2:-0.7}"; mails_to "$1" | wc -l; }
link_from_mail() { tr -d '\r' <"$1" | grep -o 'https://[^[:space:]]*' | head -1; }
mail_subject() { tr -d '\r' <"$1" | sed -n 's/^Subject: //p' | head -1; }
# The path and query of a link to this site.
local_path() { echo "${1#"$WT_BASE"}"; }

# --- accounts ---------------------------------------------------------------

# make_user EMAIL NAME PASSWORD [ROLE]: registers in open mode and follows
# the link in the verification message, as a person does (passwords are
# scrypt hashes: there is no short cut through SQL).  Sets USER_ID.
make_user() {
	local email=$1 name=$2 pw=$3 role=${4:-member} mode f link b=mk$RANDOM
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
	if ! f=$(latest_mail_to "$email"); then
		diag "make_user $email: no verification message"
		return 1
	fi
	link=$(link_from_mail "$f")
	areq GET "$(local_path "$link")"
	if [ "$STATUS" != 200 ]; then
		diag "make_user $email: the verification link answered $STATUS"
		return 1
	fi
	[ "$role" = member ] || sql "UPDATE users SET role = '$role' WHERE email = lower($(sqlq "$email"))" >/dev/null
	USER_ID=$(user_id "$email")
	[ -n "$USER_ID" ]
}

# --- access tokens (JWT) ----------------------------------------------------

b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
b64url_decode() {
	local s
	s=$(tr -- '-_' '+/' <<<"$1")
	while [ $(( ${#s} % 4 )) -ne 0 ]; do s="$s="; done
	base64 -d <<<"$s" 2>/dev/null
}
jwt_payload() { b64url_decode "$(cut -d. -f2 <<<"$1")"; }
# The server's JWT key: HMAC-SHA256(secret bytes, "jwt"), as hex; worked
# out once, here.
_jwt_key=$(printf jwt | openssl dgst -sha256 -mac HMAC \
	-macopt "hexkey:$(sed -n 's/^secret *= *//p' "$WT_STATE/worktime.conf")" -binary |
	od -An -v -tx1 | tr -d ' \n')
jwt_key() { echo "$_jwt_key"; }
# jwt_make HEADER-JSON PAYLOAD-JSON [KEY-HEX]: a token signed with HS256
# (with the server's key unless another is given).
jwt_make() {
	local h p s key=${3:-$_jwt_key}
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
