#!/usr/bin/env bash
# Rewrites tests/golden/*/expected from fresh builds; review `git diff`.
set -eu
cd "$(dirname "$0")/.."
for dir in tests/golden/*/; do
	rm -rf "$dir/expected"
	build/gloss build -C "$dir/content" -t themes/default -o "$dir/expected" --no-history
	# gloss's own bookkeeping, which changes with its sources
	rm -f "$dir/expected/.gloss-manifest"
done
