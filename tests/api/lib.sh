# TAP helpers and an HTTPS client for the API tests.  Sourced by each
# tests/api/*.t; ./stack test exports WT_BASE (https://localhost:PORT),
# WT_CACERT (the instance's certificate: TLS is verified), WT_RUN, WT_LOG,
# WT_STATE, WT_ROOT and WT_INSTANCE.
set -u

: "${WT_BASE:?run through ./stack test}"
_tap_n=0
_tap_failed=0
TMPD=$(mktemp -d)
trap 'rm -rf "$TMPD"' EXIT

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

done_testing() {
	echo "1..$_tap_n"
	[ "$_tap_failed" -eq 0 ]
}

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

header() {  # header NAME: value of a response header from the last req
	local n
	n=$(tr 'A-Z' 'a-z' <<<"$1")
	sed -n "s/^$n: //p" <<<"$HDRS" | head -1
}

jq_body() { jq -r "$1" <<<"$BODY" 2>/dev/null; }
