#!/usr/bin/env bash
# README documents every configuration key the programs know.
. "$(dirname "$0")/lib.sh"

keys=$(grep -oE '^\s*\{ "[a-z_]+\.[a-z_.]+"|^\s*\{ "secret"' "$WT_ROOT/cgi/core/conf.c" | grep -oE '"[^"]+"' | tr -d '"')
ok $([ -n "$keys" ]; echo $?) "conf.c declares configuration keys"
for k in $keys; do
	grep -qF "| \`$k\` |" "$WT_ROOT/README.md"
	ok $? "README documents $k"
done
grep -q '^\./stack test' "$WT_ROOT/README.md" || grep -q './stack test' "$WT_ROOT/README.md"
ok $? "README shows ./stack test"
done_testing
