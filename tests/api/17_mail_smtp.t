#!/usr/bin/env bash
# The SMTP transport: libcurl hands a message to a real SMTP server on
# loopback, and it arrives whole (envelope, headers, body).
. "$(dirname "$0")/lib.sh"

port=$(( 20000 + RANDOM % 20000 ))
out=$TMPD/sink.txt
python3 "$WT_ROOT/tests/tools/smtp-sink.py" "$port" "$out" >"$TMPD/sink.log" 2>&1 &
sink=$!
trap 'kill $sink 2>/dev/null; rm -rf "$TMPD"' EXIT
for i in $(seq 1 50); do grep -q listening "$TMPD/sink.log" && break; sleep 0.1; done
grep -q listening "$TMPD/sink.log"
ok $? "an SMTP server listens on 127.0.0.1:$port"

# Every wtctl below sends through the sink: any key can come from the
# environment.
export WORKTIME_MAIL_TRANSPORT=smtp WORKTIME_MAIL_SMTP_URL="smtp://127.0.0.1:$port"
msg=$(wtctl send-test-mail someone@example.com 2>&1); rc=$?
is "$rc" 0 "wtctl send-test-mail succeeds through SMTP"
like "$msg" 'through the smtp transport' "... and says which transport"
for i in $(seq 1 30); do [ -s "$out" ] && break; sleep 0.1; done
mail=$(cat "$out" 2>/dev/null)
like "$mail" '^X-Envelope-From: worktime@localhost' "envelope sender is mail.from's address"
like "$mail" 'X-Envelope-To: someone@example.com' "envelope recipient is the address given"
like "$mail" 'Subject: Worktime test message' "the Subject header arrived"
like "$mail" 'Content-Type: text/plain; charset=utf-8' "the message is UTF-8 text"
like "$mail" 'Message-ID: <[0-9a-f]{32}@localhost>' "the message has a Message-ID"
like "$mail" 'e-mail from this server works' "the body arrived"

kill $sink; wait $sink 2>/dev/null
msg=$(wtctl send-test-mail someone@example.com 2>&1); rc=$?
is "$rc" 1 "with the server gone, sending fails with exit 1"
like "$msg" 'SMTP to smtp://127.0.0.1:[0-9]+ failed' "... and the log says why"

msg=$(wtctl send-test-mail 'bad address' 2>&1); rc=$?
is "$rc" 2 "a malformed address is refused before any connection"

done_testing
