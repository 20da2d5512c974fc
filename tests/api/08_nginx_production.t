#!/usr/bin/env bash
# nginx/worktime.conf, the production starting point the README hands to
# admins, is valid nginx (nginx -t, with its snippets installed where it
# includes them and the test instance's certificate in place of the real
# one), and carries what the development configuration is tested for:
# nginx's own refusals as JSON with the security headers, and the
# per-device limit on the agent's routes.
. "$(dirname "$0")/lib.sh"

NGINX=$(command -v nginx || echo /usr/sbin/nginx)
d=$TMPD/prod
mkdir -p "$d/snippets" "$d/log"
cp "$WT_ROOT/nginx/fastcgi.conf" "$d/snippets/worktime-fastcgi.conf"
cp "$WT_ROOT/nginx/security-headers.conf" "$d/snippets/worktime-headers.conf"
sed -e "s|/etc/ssl/worktime/fullchain.pem|$WT_STATE/tls/cert.pem|" \
    -e "s|/etc/ssl/worktime/privkey.pem|$WT_STATE/tls/key.pem|" \
    -e "s|/var/log/nginx/|$d/log/|g" "$WT_ROOT/nginx/worktime.conf" >"$d/worktime.conf"
cat >"$d/nginx.conf" <<EOF
error_log $d/log/error.log;
pid $d/nginx.pid;
events {}
http { include worktime.conf; }
EOF
OUT=$("$NGINX" -t -p "$d" -c "$d/nginx.conf" 2>&1)
ok $? "nginx -t accepts nginx/worktime.conf"
like "$OUT" "test is successful" "... and says so"

conf=$(cat "$WT_ROOT/nginx/worktime.conf")
for code in 400 413 429 503; do
	like "$conf" "return $code '\{\"status\":$code," "nginx's own $code is JSON"
done
n=$(grep -c 'include snippets/worktime-headers.conf;' <<<"$(sed -n '/location @/,/}/p' <<<"$conf")")
is "$n" 5 "... each of the five with the security headers"
n=$(grep -c 'error_page 429 @device_too_many;' <<<"$conf")
is "$n" 2 "the agent's routes (activity and heartbeats, screenshots) answer the device limit's 429"

done_testing
