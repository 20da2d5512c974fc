#!/usr/bin/env bash
# Screenshots from the agent under Xvfb, against the real server: a window
# over the whole screen shows known words (tests/agent/xwin "text").
#
# Unreadable when blurred, measured two ways on the very files the server
# stored:
#  - OCR: tesseract reads the known words in the unblurred screenshot (so
#    the words are readable at that size) and none in the blurred one;
#  - fine-detail energy: the mean squared Laplacian of the grey image
#    (tests/agent/jpegstat.h), which answers to changes over one or two
#    pixels, the strokes of letters, and hardly to broad shapes.  The
#    blurred screenshot keeps less than 1 % of the unblurred one's.  OCR
#    alone could pass on a blur that merely defeats one OCR engine; the
#    energy shows the detail itself is gone from the data.
# Never unblurred on disk: with blur on, every file that appears in the
# spool directory (inotifywait: each temporary file as it is closed, each
# name it is renamed to), kept there by a server that fails the uploads,
# is copied at once and must have no readable word and under 1 % of the
# detail.  The spool's bound then drops the oldest, counted in status.
# No screenshot while away from the keyboard, while the screen saver is
# on (a locked screen), or when the policy is off; a policy change applies
# at the next poll, and status says screenshots are on before the first.
# End to end: the screenshots are on /screenshots, and an admin opens one.
. "$(dirname "$0")/lib.sh"

: "${WT_IMGSTAT:?run through ./stack test agent}"
words="PELICAN HARBOUR QUARTERLY FORECAST LANTERN MEADOW"
settings() { api POST /admin/settings "$ADMIN_TOKEN" "$1"; }
shots_dir() { echo "$AGENT_STATE/shots"; }
# The device's stored screenshots with blurred = $1, their files.
stored() {
	sql "SELECT f.sha256 || '.jpg' FROM screenshots s JOIN screenshot_files f ON f.sha256 = s.image_sha256
	     WHERE s.device_id = $DEVICE_ID AND s.blurred = $1 ORDER BY s.taken_at" |
		while read -r n; do echo "$WT_STATE/screenshots/${n:0:2}/${n:2:2}/$n"; done
}
count_stored() { sql "SELECT count(*) FROM screenshots WHERE device_id = $DEVICE_ID"; }
# ocr FILE: how many of the known words tesseract reads in it.
ocr() {
	local text w n=0
	text=$(tesseract "$1" - 2>/dev/null | tr 'a-z' 'A-Z')
	for w in $words; do grep -q "$w" <<<"$text" && n=$((n + 1)); done
	echo "$n"
}
hf() { "$WT_IMGSTAT" "$1" | awk '{ print $4 }'; }
# at_least N COMMAND...: COMMAND prints a number of at least N; run afresh
# by each try of wait_for (whose arguments are expanded once).
at_least() { [ "$("${@:2}")" -ge "$1" ]; }
# log_count PATTERN: the agent's log lines since $mark that match.
log_count() { tail -n +"$mark" "$AGENT_LOG" | grep -c -- "$1"; }
log_count_lines() { tail -n +"$mark" "$AGENT_LOG" | grep -- "$1"; }
stored_count() { stored "$1" | wc -l; }
spool_empty() { [ "$(spool_images)" -eq 0 ]; }
spool_images() { find "$(shots_dir)" -name '*.jpg' ! -name '*.thumb.jpg' 2>/dev/null | wc -l; }

admin_token
orig=$(sql "SELECT json_build_object('screenshot_mode', screenshot_mode,
	'screenshot_blur', screenshot_blur, 'screenshot_interval_min', screenshot_interval_min)
	FROM settings")
trap 'settings "$orig" >/dev/null; cleanup; rm -rf "$TMPD"' EXIT
settings '{"screenshot_mode": "off"}'
is "$STATUS" 200 "screenshots off in the policy"

enroll_agent shots 'idle_timeout_s = 600
screenshot_interval_s = 1
screenshot_spool_max = 3'
start_xvfb
printf 'text 1 3 %s\nwait %s\n' "$words" "$TMPD/go" | "$WT_XWIN" >"$TMPD/xwin.out" &
BG_PIDS+=($!)
wait_for grep -q '^[0-9]* text' "$TMPD/xwin.out"
ok $? "a window with known words covers the screen"
start_agent
ok $? "the agent runs"

# --- off: nothing ----------------------------------------------------------------
wait_for log_has 'screenshots off'
ok $? "policy off: the agent says screenshots are off"
like "$("$WT_AGENT" status 2>&1)" "screenshots: off" "... and so does status"
sleep 3
is "$(spool_images)$(count_stored)" 00 "... and takes none in 3 intervals"

# --- on, unblurred: the words are readable ------------------------------------------
settings '{"screenshot_mode": "interval", "screenshot_interval_min": 30, "screenshot_blur": false}'
wait_for log_has 'screenshots on: .* NOT blurred'
ok $? "policy on, unblurred: applied at the next poll"
like "$("$WT_AGENT" status 2>&1)" "screenshots: on: one screenshot every 1 s .*NOT blurred" \
	"... status says so"
wait_for at_least 1 stored_count false
ok $? "an unblurred screenshot reaches the server"
first_on=$(grep -n 'screenshots on' "$AGENT_LOG" | head -1 | cut -d: -f1)
first_shot=$(grep -n 'screenshot [0-9]* taken' "$AGENT_LOG" | head -1 | cut -d: -f1)
ok "$([ "$first_on" -lt "$first_shot" ]; echo $?)" "... and the status said so before the first was taken"
plain=$(stored false | head -1)
read -r pw ph _ plain_hf < <("$WT_IMGSTAT" "$plain")
is "${pw}x$ph" 1024x768 "... the screen's size (1024x768, under 1920 wide)"
n=$(ocr "$plain")
ok "$([ "$n" -ge 5 ]; echo $?)" "OCR reads the known words in the unblurred screenshot ($n of 6)"

# --- on, blurred, uploads failing: watch the spool -------------------------------------
fail_shots() {
	sql "CREATE OR REPLACE FUNCTION shots_test_$DEVICE_ID() RETURNS trigger LANGUAGE plpgsql AS \$\$
	     BEGIN IF NEW.device_id = $DEVICE_ID THEN RAISE 'failing on purpose'; END IF; RETURN NEW; END \$\$;
	     CREATE TRIGGER shots_test_$DEVICE_ID BEFORE INSERT ON screenshots
	     FOR EACH ROW EXECUTE FUNCTION shots_test_$DEVICE_ID()" >/dev/null
}
heal_shots() {
	sql "DROP TRIGGER IF EXISTS shots_test_$DEVICE_ID ON screenshots;
	     DROP FUNCTION IF EXISTS shots_test_$DEVICE_ID()" >/dev/null
}
# Off first, so that nothing unblurred is left to upload, then on again,
# blurred, with the server failing every upload.
settings '{"screenshot_mode": "off"}'
mark=$(wc -l <"$AGENT_LOG")
wait_for at_least 1 log_count 'screenshots off'
wait_for spool_empty
fail_shots
mkdir -p "$TMPD/seen"
# Every file as it is closed or renamed into place, copied at once.
copier() { while read -r f; do cp "$(shots_dir)/$f" "$TMPD/seen/$(date +%s%N)-$f" 2>/dev/null; done; }
inotifywait -m -q -e close_write -e moved_to --format '%f' "$(shots_dir)" 2>/dev/null > >(copier) &
BG_PIDS+=($!)
sleep 0.5	# inotifywait sets its watch
mark=$(wc -l <"$AGENT_LOG")
settings '{"screenshot_mode": "interval", "screenshot_blur": true}'
wait_for log_has 'screenshots on: .* blurred on this computer'
ok $? "blur on: applied at the next poll"
wait_for at_least 5 log_count 'screenshot [0-9]* taken: .* blurred'
ok $? "five blurred screenshots taken while the server fails them"
like "$(tail -n +"$mark" "$AGENT_LOG")" "upload of screenshot [0-9]+ failed" "... their uploads fail and wait"
is "$(spool_images)" 3 "the spool keeps 3 (screenshot_spool_max)"
like "$("$WT_AGENT" status 2>&1)" "screenshots waiting to be uploaded; [0-9]+ dropped for space" \
	"... status counts the ones dropped"
# Each screenshot taken in this phase was caught, as its temporary file or
# under its name.
uncaught() {
	local seq n=0
	for seq in $(log_count_lines 'screenshot [0-9]* taken' | sed 's/.*screenshot \([0-9]*\) taken.*/\1/'); do
		compgen -G "$TMPD/seen/*-$seq-b.jpg*" >/dev/null || n=$((n + 1))
	done
	echo "$n"
}
none_uncaught() { [ "$(uncaught)" -eq 0 ]; }
wait_for none_uncaught
ok $? "every screenshot that appeared in the spool was caught ($(uncaught) missed of $(log_count 'screenshot [0-9]* taken'))"
worst_hf=0 worst_ocr=0 bad=0 unblurred_names=0
for f in "$TMPD"/seen/*.jpg*; do
	s=$("$WT_IMGSTAT" "$f") || { bad=$((bad + 1)); continue; }
	h=$(awk '{ print $4 }' <<<"$s")
	worst_hf=$(awk -v a="$worst_hf" -v b="$h" 'BEGIN { print (b > a ? b : a) }')
	case $f in *-u.*) unblurred_names=$((unblurred_names + 1)) ;; esac
done
for f in $(find "$TMPD/seen" -name '*-b.jpg' | head -3); do
	n=$(ocr "$f"); [ "$n" -gt "$worst_ocr" ] && worst_ocr=$n
done
is "$bad" 0 "... each one a whole JPEG"
is "$unblurred_names" 0 "... none named unblurred"
ok "$(awk -v w="$worst_hf" -v p="$plain_hf" 'BEGIN { exit !(w < p / 100) }'; echo $?)" \
	"... the most detailed has under 1 % of the unblurred one's fine detail ($worst_hf vs $plain_hf)"
is "$worst_ocr" 0 "... and OCR reads none of the words in them"

heal_shots
wait_for at_least 3 stored_count true
ok $? "the server back: the spooled screenshots arrive"
blurred=$(stored true | tail -1)
is "$(ocr "$blurred")" 0 "OCR reads none of the words in a stored blurred screenshot"
bhf=$(hf "$blurred")
ok "$(awk -v b="$bhf" -v p="$plain_hf" 'BEGIN { exit !(b < p / 100) }'; echo $?)" \
	"... which keeps under 1 % of the fine detail ($bhf of $plain_hf)"
read -r _ _ pmean _ < <("$WT_IMGSTAT" "$plain")
read -r _ _ bmean _ < <("$WT_IMGSTAT" "$blurred")
ok "$(awk -v a="$pmean" -v b="$bmean" 'BEGIN { d = a - b; exit !(d < 10 && d > -10) }'; echo $?)" \
	"... and the same brightness ($bmean, $pmean): a blur, not a blank"

# --- the page ----------------------------------------------------------------------------
api GET "/screenshots?user=$AGENT_UID&date=$(date +%F)" "$ADMIN_TOKEN"
is "$STATUS" 200 "/screenshots of the person, for an admin"
listed=$(jq_body '[.screenshots[] | .id] | length')
ok "$([ "${listed:-0}" -ge 4 ]; echo $?)" "... lists the agent's screenshots ($listed)"
sid=$(sql "SELECT id FROM screenshots WHERE device_id = $DEVICE_ID AND blurred ORDER BY id DESC LIMIT 1")
STATUS=$(curl -sS --cacert "$WT_CACERT" -o "$TMPD/viewed" -w '%{http_code}' \
	-H "Authorization: Bearer $ADMIN_TOKEN" "$WT_BASE/screenshots/$sid/image")
is "$STATUS" 200 "... and an admin opens one"
is "$(sha256sum <"$TMPD/viewed" | cut -c1-64)" \
	"$(sql "SELECT image_sha256 FROM screenshots WHERE id = $sid")" "... the bytes the agent sent"
is "$(sql "SELECT thumb_sha256 IS NOT NULL FROM screenshots WHERE id = $sid")" t "... with its thumbnail"

# --- away, locked, off -----------------------------------------------------------------------
wait_for spool_empty
stop_agent
sed -i 's/^idle_timeout_s = 600$/idle_timeout_s = 1/' "$AGENT_CONF"
before=$(count_stored)
mark=$(wc -l <"$AGENT_LOG")
start_agent
wait_for at_least 2 log_count 'screenshot skipped: away from the keyboard'
ok $? "away from the keyboard: screenshots are skipped"
is "$(tail -n +"$mark" "$AGENT_LOG" | grep -c 'screenshot [0-9]* taken')$(spool_images)" 00 "... none taken"

stop_agent
sed -i 's/^idle_timeout_s = 1$/idle_timeout_s = 600/' "$AGENT_CONF"
printf 'saver on\nwait %s\n' "$TMPD/go" | "$WT_XWIN" >>"$TMPD/xwin.out" &
BG_PIDS+=($!)
wait_for grep -q 'saver on' "$TMPD/xwin.out"
mark=$(wc -l <"$AGENT_LOG")
start_agent
wait_for at_least 2 log_count 'screenshot skipped: the screen saver is on'
ok $? "screen saver on (locked): screenshots are skipped"
is "$(tail -n +"$mark" "$AGENT_LOG" | grep -c 'screenshot [0-9]* taken')$(spool_images)" 00 "... none taken"

printf 'saver off\n' | "$WT_XWIN" >>"$TMPD/xwin.out"
wait_for at_least 1 log_count 'screenshot [0-9]* taken'
ok $? "the screen saver off: screenshots again"
settings '{"screenshot_mode": "off"}'
wait_for at_least 1 log_count 'screenshots off'
ok $? "policy off again: applied at the next poll"
wait_for spool_empty
n1=$(count_stored)
sleep 3
is "$(count_stored)$(spool_images)" "${n1}0" "... and no screenshot is taken after it"
like "$("$WT_AGENT" status 2>&1)" "screenshots: off" "... status says off"
touch "$TMPD/go"
stop_agent
done_testing
