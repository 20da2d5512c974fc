#!/usr/bin/env bash
# Screenshots through nginx: what only the real path can show.  An upload
# reaches ingest through the device location (its own body cap); the
# image URL, once dash has checked who asks, is answered by nginx from
# the store (X-Accel-Redirect to an internal location) with the very bytes
# uploaded, the security headers and no caching; the store's location
# itself is unreachable from outside; nginx's workers can read what the
# programs wrote, and nobody else can.
. "$(dirname "$0")/lib.sh"

tag=shot$$
fixture=$WT_ROOT/tests/fixtures/shot-640x360.jpg
thumbf=$WT_ROOT/tests/fixtures/thumb-320x180.jpg
uid=$(sql "INSERT INTO users (email, display_name, role, status)
	VALUES ('$tag@example.com', 'Shots $tag', 'member', 'active') RETURNING id")
tok=$(rand_hex 32)
sql "INSERT INTO devices (user_id, name, token_hash)
     VALUES ($uid, 'shots $tag', '$(printf %s "$tok" | sha256sum | cut -c1-64)')" >/dev/null
orig=$(sql "SELECT screenshot_mode || ' ' || screenshot_blur FROM settings")
sql "UPDATE settings SET screenshot_mode = 'interval', screenshot_blur = true" >/dev/null
taken=$(date -u -d '-5 min' +%Y-%m-%dT%H:%M:%SZ)

# shot PATH-AND-QUERY FILE [CONTENT-TYPE]: posts an image as the agent does.
shot() {
	rreq POST "$1" -H "Authorization: Bearer $tok" -H "Content-Type: ${3:-image/jpeg}" \
		--data-binary "@$2"
}

shot "/api/v1/screenshots?seq=1&taken_at=$taken&blurred=true" "$fixture"
is "$STATUS" 201 "an upload through nginx is stored: 201"
id=$(jq_body .id)
sha=$(jq_body .image.sha256)
is "$sha" "$(sha256sum "$fixture" | cut -c1-64)" "... named by its SHA-256"
shot "/api/v1/screenshots/1/thumbnail" "$thumbf"
is "$STATUS" 201 "its thumbnail: 201"
tsha=$(jq_body .thumbnail.sha256)

file=$WT_STATE/screenshots/${sha:0:2}/${sha:2:2}/$sha.jpg
is "$(stat -c %a "$file" 2>&1)" 640 "the file is readable by the service user and its group only"
if [ "$(id -u)" -eq 0 ]; then
	is "$(stat -c %U "$file")" worktime "... and belongs to the service user"
fi

admin_token
get_image() {  # get_image PATH [TOKEN]: the body into $TMPD/img, headers in HDRS
	local t=${2-$ADMIN_TOKEN} args=()
	[ -n "$t" ] && args=(-H "Authorization: Bearer $t")
	STATUS=$(curl -sS --cacert "$WT_CACERT" -D "$TMPD/ih" -o "$TMPD/img" -w '%{http_code}' \
		"${args[@]}" "$WT_BASE$1") || true
	HDRS=$(tr -d '\r' <"$TMPD/ih" | awk -F': ' '{ $1 = tolower($1); print }' OFS=': ')
}
mark=$(audit_max)
get_image "/screenshots/$id/image"
is "$STATUS" 200 "an admin opens the screenshot"
is "$(sha256sum "$TMPD/img" | cut -c1-64)" "$sha" "... and gets the very bytes uploaded, from nginx"
is "$(header content-type)" image/jpeg "... as image/jpeg"
is "$(header x-accel-redirect)" "" "... the internal redirect does not leak"
is "$(header x-content-type-options)" nosniff "... nosniff"
like "$(header content-security-policy)" "frame-ancestors 'none'" "... the CSP"
like "$(header strict-transport-security)" "max-age=" "... HSTS"
like "$(header cache-control)" "no-store" "... not cached"
is "$(audit_since "$mark")" 1 "... the look is audited"
get_image "/screenshots/$id/thumb"
is "$(sha256sum "$TMPD/img" | cut -c1-64)" "$tsha" "the thumbnail URL gives the thumbnail"

get_image "/_screenshots/${sha:0:2}/${sha:2:2}/$sha.jpg"
is "$STATUS" 404 "the store's location from outside: 404"
unlike "$(cat "$TMPD/img")" "JFIF" "... no image bytes"
get_image "/_screenshots/${sha:0:2}/${sha:2:2}/$sha.jpg" ""
is "$STATUS" 404 "... anonymous too"
get_image "/screenshots/$id/image" ""
is "$STATUS" 303 "an anonymous browser is sent to sign in"
is "$(header content-type)" "text/plain; charset=utf-8" "... and gets no image"
get_image "/screenshots/999999999/image"
is "$STATUS" 404 "a screenshot that does not exist: 404"

# Body caps: nginx stops what is far too large, the program what is over
# screenshots.max_bytes (8 MiB).
head -c $((10 * 1024 * 1024)) /dev/zero >"$TMPD/big"
shot "/api/v1/screenshots?seq=2&taken_at=$taken&blurred=true" "$TMPD/big"
is "$STATUS" 413 "a 10 MiB upload: 413 from nginx"
like "$BODY" '"status":413' "... as JSON"
head -c $((8 * 1024 * 1024 + 512 * 1024)) /dev/zero >"$TMPD/big"
shot "/api/v1/screenshots?seq=2&taken_at=$taken&blurred=true" "$TMPD/big"
is "$STATUS" 413 "an 8.5 MiB upload: 413 from the program"
like "$(jq_body .message)" "at most 8388608" "... naming the cap"
printf 'GIF89a not really' >"$TMPD/fake"
shot "/api/v1/screenshots?seq=2&taken_at=$taken&blurred=true" "$TMPD/fake"
is "$STATUS" 400 "a GIF sent as image/jpeg: 400"
is "$(sql "SELECT count(*) FROM screenshots WHERE user_id = $uid")" 1 "nothing but the one screenshot stored"

# The person goes; the retention job's sweep takes their files.
sql "DELETE FROM users WHERE id = $uid" >/dev/null
out=$(wtctl expire-screenshots 2>&1)
like "$out" "removed [1-9][0-9]* file" "wtctl expire-screenshots sweeps the deleted person's files ($out)"
[ ! -e "$file" ]
ok $? "... the image is gone from the store"

sql "UPDATE settings SET screenshot_mode = '${orig% *}', screenshot_blur = '${orig#* }'" >/dev/null
done_testing
