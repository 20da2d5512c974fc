#!/bin/sh
# A streaming replica of the test instance's cluster, for test_replica:
#
#   replica.sh start DIR   pg_basebackup -R from the cluster at $PGHOST
#                          (port $PGPORT), started on port 5433 with its
#                          socket in DIR/run
#   replica.sh stop DIR    stopped (immediately) and removed
#
# Run as root, PostgreSQL's programs run as the owner of $PGHOST (the
# service user), since PostgreSQL refuses root.
set -eu

cmd=${1:?usage: replica.sh start|stop DIR}
dir=${2:?usage: replica.sh start|stop DIR}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
: "${PGHOST:?PGHOST names the primary's socket directory}"
owner=$(stat -c %U "$PGHOST")

as_owner() {
	if [ "$(id -u)" = 0 ] && [ "$owner" != root ]; then
		setpriv --reuid="$owner" --regid="$owner" --init-groups -- "$@"
	else
		"$@"
	fi
}

stop() {
	if [ -f "$dir/data/postmaster.pid" ]; then
		as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w -t 60 stop >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
}

case $cmd in
start)
	stop
	mkdir -m 700 "$dir"
	if [ "$(id -u)" = 0 ]; then chown "$owner" "$dir"; fi
	as_owner mkdir -m 700 "$dir/run"
	as_owner "$PG_BIN/pg_basebackup" -h "$PGHOST" -p "${PGPORT:-5432}" -U postgres \
		-D "$dir/data" -R -X stream -c fast
	as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
		-o "-c port=5433 -c listen_addresses='' -c unix_socket_directories='$dir/run' -c hot_standby=on" \
		start >/dev/null
	;;
stop)
	stop
	;;
*)
	echo "usage: replica.sh start|stop DIR" >&2
	exit 2
	;;
esac
