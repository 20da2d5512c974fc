# Sourced by the benchmarks that post as agents: bench_devices TAG COUNT DIR
# makes a person (TAG@bench.worktime.test) with COUNT devices named
# TAG-1..COUNT, writes their tokens to DIR/tokens, one a line, and prints
# the person's id.  Needs the caller's sql() (psql -At against the
# instance).
bench_devices() {
	local tag=$1 count=$2 dir=$3 uid i tok
	uid=$(sql "INSERT INTO users (email, display_name, role, status)
		VALUES ('$tag@bench.worktime.test', 'Bench $tag', 'member', 'active') RETURNING id")
	for i in $(seq 1 "$count"); do
		tok=$(openssl rand -hex 32)
		echo "$tok" >>"$dir/tokens"
		echo "$uid	$tag-$i	$(printf %s "$tok" | sha256sum | cut -c1-64)"
	done >"$dir/devices.tsv"
	sql "\\copy devices (user_id, name, token_hash) FROM '$dir/devices.tsv'"
	echo "$uid"
}
