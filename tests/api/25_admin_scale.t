#!/usr/bin/env bash
# Admin at scale: 10,000 more people (one INSERT), then the people search
# and a deep page of the plain list.  Correctness is asserted; the times
# are only reported (diag), never asserted.  The people are removed again.
. "$(dirname "$0")/lib.sh"

admin_token
[ -n "$ADMIN_TOKEN" ]
ok $? "the first admin gets an access token"

BASE=$(sql "SELECT count(*) FROM users")
t0=$(date +%s%N)
ADDED=$(sql "WITH n AS (
                INSERT INTO users (email, display_name, password_hash, status)
                SELECT 'user' || n || '@scale.test', 'Scale User ' || n, NULL, 'active'
                FROM generate_series(1, 10000) n RETURNING 1)
              SELECT count(*) FROM n")
t1=$(date +%s%N)
is "$ADDED" 10000 "10,000 people inserted with one statement"
diag "insert of 10,000 users: $(( (t1 - t0) / 1000000 )) ms"
TOTAL=$((BASE + 10000))
is "$(sql "SELECT count(*) FROM users")" "$TOTAL" "the database has $TOTAL people"

# timed PATH: GET PATH as the admin three times; sets BODY/STATUS from the
# last and TIMES to the three wall-clock times in ms.
timed() {
	local i t
	TIMES=""
	for i in 1 2 3; do
		t=$(curl -sS --cacert "$WT_CACERT" -o "$TMPD/tb" -w '%{http_code} %{time_total}' \
			-H 'Accept: application/json' -H "Authorization: Bearer $ADMIN_TOKEN" "$WT_BASE$1")
		STATUS=${t%% *}
		TIMES="$TIMES $(awk -v s="${t#* }" 'BEGIN { printf "%.1f", s * 1000 }') ms"
	done
	BODY=$(cat "$TMPD/tb")
}

# --- search ------------------------------------------------------------------------
timed "/admin/users?q=user12&page=1"
is "$STATUS" 200 "search q=user12: 200"
WANT=$(sql "SELECT count(*) FROM users WHERE strpos(lower(display_name) || ' ' || email, 'user12') > 0")
is "$(jq_body .total)" "$WANT" "... total: everyone whose name or address contains user12 ($WANT)"
is "$(sql "SELECT count(*) FROM users WHERE email LIKE 'user12%@scale.test'")" 111 \
	"(of the new people: user12, user120-129, user1200-1299 = 111)"
[ "$WANT" -ge 111 ]
ok $? "... so the total is at least 111"
is "$(jq_body '.page, .page_size, (.users | length)' | tr '\n' ' ')" "1 50 50 " "... page 1: 50 people"
is "$(jq_body '[.users[] | select((.email + " " + (.display_name | ascii_downcase)) | contains("user12") | not)] | length')" 0 \
	"... every one of them matches"
is "$(jq_body '.users[0].email')" \
	"$(sql "SELECT email FROM users WHERE strpos(lower(display_name) || ' ' || email, 'user12') > 0
	         ORDER BY lower(display_name), id LIMIT 1")" "... in name order"
diag "GET /admin/users?q=user12&page=1 with $TOTAL people:$TIMES"

# --- a deep page of the whole list -------------------------------------------------------
timed "/admin/users?page=100"
is "$STATUS" 200 "plain list page=100: 200"
is "$(jq_body .total)" "$TOTAL" "... total: everyone ($TOTAL)"
is "$(jq_body '.page, (.users | length)' | tr '\n' ' ')" "100 50 " "... page 100 holds 50 people"
is "$(jq_body '[.users[].id] | join(",")')" \
	"$(sql "SELECT string_agg(id::text, ',') FROM (SELECT id FROM users ORDER BY lower(display_name), id
	         LIMIT 50 OFFSET 4950) p")" "... the 4951st to 5000th in name order"
diag "GET /admin/users?page=100 with $TOTAL people:$TIMES"

LAST=$(( (TOTAL + 49) / 50 ))
timed "/admin/users?page=$LAST"
is "$(jq_body '"\(.total) \(.users | length)"')" "$TOTAL $(( TOTAL - (LAST - 1) * 50 ))" "the last page ($LAST): the rest"
diag "GET /admin/users?page=$LAST (the last) with $TOTAL people:$TIMES"

timed "/admin/users?q=scale.test&role=member&page=2"
is "$(jq_body .total)" 10000 "search q=scale.test&role=member: all 10,000 new people"
diag "GET /admin/users?q=scale.test&role=member&page=2:$TIMES"

timed "/admin"
is "$(jq_body .people)" "$TOTAL" "/admin counts $TOTAL people"
diag "GET /admin (counts):$TIMES"

# --- and gone again --------------------------------------------------------------------------
t0=$(date +%s%N)
GONE=$(sql "WITH d AS (DELETE FROM users WHERE email LIKE '%@scale.test' RETURNING 1) SELECT count(*) FROM d")
t1=$(date +%s%N)
is "$GONE" 10000 "the 10,000 people deleted again"
diag "delete of 10,000 users: $(( (t1 - t0) / 1000000 )) ms"
is "$(sql "SELECT count(*) FROM users")" "$BASE" "the database is back to $BASE people"
api GET "/admin/users?q=user12" "$ADMIN_TOKEN"
is "$(jq_body .total)" "$(sql "SELECT count(*) FROM users WHERE strpos(lower(display_name) || ' ' || email, 'user12') > 0")" \
	"the search no longer finds them"
done_testing
