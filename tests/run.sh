#!/usr/bin/env bash
# Runs every test of gloss and ends with one line: "N passed, N failed".
# Unit and end-to-end programs are built with AddressSanitizer and UBSan
# (build/san/); the pages are checked against golden files, the committed
# output/ against a fresh build, the benchmark's generated archive
# (bench/synth) against gloss check, and the build under valgrind; then every
# built site as a browser sees it (tests/browser/: HTML validity,
# accessibility, the reader's paths through search and notes, links); then
# the libFuzzer targets replay their inputs and fuzz (tests/fuzz/run.sh).
set -u
cd "$(dirname "$0")/.."

passed=0
failed=0
failures=()
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# gloss keeps what annotating found in a cache (acache.h): the tests'
# builds keep theirs here, not in the user's.
export XDG_CACHE_HOME="$tmp/cache"

ok()   { passed=$((passed + 1)); printf 'ok    %s\n' "$1"; }
fail() { failed=$((failed + 1)); failures+=("$1"); printf 'FAIL  %s\n' "$1"; }

# A cmocka program: add its own counts; a crash counts as one failure.
run_cmocka() {
	local bin=$1 name log run pass fails
	name=$(basename "$bin")${2:+ ($2)}
	log="$tmp/$(basename "$bin")${2:+-release}.log"
	"$bin" >"$log" 2>&1
	local rc=$?
	run=$(sed -n 's/^\[==========\] \([0-9]*\) test(s) run\./\1/p' "$log" | tail -n 1)
	pass=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\./\1/p' "$log" | tail -n 1)
	fails=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s).*/\1/p' "$log" | tail -n 1)
	pass=${pass:-0}
	fails=${fails:-0}
	if [ -z "$run" ] || { [ "$rc" -ne 0 ] && [ "$fails" -eq 0 ]; }; then
		fail "$name (exit $rc, no summary)"
		sed 's/^/      /' "$log" | tail -n 30
		return
	fi
	passed=$((passed + pass))
	failed=$((failed + fails))
	printf '%-5s %s: %s passed, %s failed\n' "$([ "$fails" -eq 0 ] && echo ok || echo FAIL)" \
		"$name" "$pass" "$fails"
	if [ "$fails" -ne 0 ]; then
		failures+=("$name")
		grep -E '^\[  (FAILED|ERROR) *\]|error|Error' "$log" | sed 's/^/      /' | head -n 40
	fi
}

echo "== unit and end-to-end tests (ASan + UBSan)"
for bin in build/san/tests/test_* build/san/tests/e2e_*; do
	[ -x "$bin" ] && run_cmocka "$bin"
done

# The release binary leaves what it holds at the end of a run to the
# exit (main.c): the suites that check what a build leaves in the file
# system, failed builds included, run through it as well.
echo "== end-to-end tests of the release binary"
for t in output incremental diagnostics; do
	GLOSS=build/gloss run_cmocka "build/san/tests/e2e_$t" "build/gloss"
done

echo "== golden archives"
for dir in tests/golden/*/; do
	name=$(basename "$dir")
	out="$tmp/golden-$name"
	# --no-history: the fixtures live in this repository, whose commits
	# would otherwise show on their pages (tests/e2e/history.c tests that).
	if ! build/san/gloss build -C "$dir/content" -t themes/default -o "$out" --no-history >"$tmp/golden.log" 2>&1; then
		fail "golden $name: build failed"
		sed 's/^/      /' "$tmp/golden.log" | head -n 20
	# The manifest's keys change with gloss's sources (inputs.h); the
	# pages are what the golden files hold.
	elif diff -ru -x .gloss-manifest "$dir/expected" "$out" >"$tmp/golden.diff"; then
		ok "golden $name"
	else
		fail "golden $name: output differs from $dir/expected (make golden-update after checking the diff)"
		head -n 40 "$tmp/golden.diff" | sed 's/^/      /'
	fi
done

echo "== the committed site"
# Built as anyone would build it, history included: output/ is made the
# same way (make), and a commit of output/ alone does not change the
# history of content/. The manifest's keys change with gloss's sources
# (inputs.h), the Makefile included: the site is every other file.
if build/gloss build -C content -o "$tmp/site" >"$tmp/site.log" 2>&1 &&
	diff -r -x .gloss-manifest output "$tmp/site" >"$tmp/site.diff"; then
	ok "output/ is byte-identical to a fresh build of content/ (manifest aside)"
else
	fail "output/ differs from a fresh build of content/ (run make and commit output/)"
	cat "$tmp/site.log" "$tmp/site.diff" | head -n 20 | sed 's/^/      /'
fi

if LC_ALL=C TZ=UTC build/gloss build -C content -o "$tmp/a" >/dev/null 2>&1 &&
	LC_ALL=C.UTF-8 TZ=Asia/Kolkata build/gloss build -C content -o "$tmp/b" >/dev/null 2>&1 &&
	diff -r "$tmp/a" "$tmp/b" >/dev/null; then
	ok "same bytes across locales and time zones"
else
	fail "output depends on locale or time zone"
fi

echo "== packaging"
if make -s install PREFIX="$tmp/prefix" >"$tmp/install.log" 2>&1 &&
	mkdir -p "$tmp/elsewhere" && cp -R content "$tmp/elsewhere/content" &&
	"$tmp/prefix/bin/gloss" build -C "$tmp/elsewhere/content" -o "$tmp/elsewhere/out" >>"$tmp/install.log" 2>&1 &&
	build/gloss build -C "$tmp/elsewhere/content" -t themes/default -o "$tmp/elsewhere/ref" >>"$tmp/install.log" 2>&1 &&
	diff -r "$tmp/elsewhere/ref" "$tmp/elsewhere/out" >>"$tmp/install.log"; then
	ok "make install PREFIX=: the installed gloss finds its theme and builds the site byte for byte"
else
	fail "make install PREFIX=, or a build with the installed gloss"
	head -n 20 "$tmp/install.log" | sed 's/^/      /'
fi
if [ -f "$tmp/prefix/share/man/man1/gloss.1" ] &&
	groff -mdoc -Tutf8 -ww -z "$tmp/prefix/share/man/man1/gloss.1" >"$tmp/man.log" 2>&1 && [ ! -s "$tmp/man.log" ] &&
	groff -mdoc -Tutf8 -P-cbou "$tmp/prefix/share/man/man1/gloss.1" 2>/dev/null | grep -q "EXIT STATUS"; then
	ok "man page gloss(1) is installed and renders without warnings"
else
	fail "man page gloss(1) missing or groff warns"
	head -n 20 "$tmp/man.log" | sed 's/^/      /'
fi

echo "== benchmark archive (bench/synth; make bench runs the benchmark itself)"
# synth runs with an empty PATH: it needs no other program, Hugo included.
if env PATH=/nonexistent build/bench/synth 200 "$tmp/synth-a" >"$tmp/synth.log" 2>&1 &&
	build/gloss check -C "$tmp/synth-a/gloss" --no-history >>"$tmp/synth.log" 2>"$tmp/synth-check.log" &&
	! grep -q 'warning:\|error:' "$tmp/synth-check.log"; then
	ok "bench/synth: 200 generated articles pass gloss check without errors or warnings"
else
	fail "bench/synth: the generated archive does not pass gloss check cleanly"
	cat "$tmp/synth.log" "$tmp/synth-check.log" | head -n 20 | sed 's/^/      /'
fi
if build/bench/synth 200 "$tmp/synth-b" >/dev/null 2>&1 &&
	diff -r "$tmp/synth-a" "$tmp/synth-b" >"$tmp/synth.diff" 2>&1; then
	ok "bench/synth is deterministic: two runs write identical trees"
else
	fail "bench/synth: two runs write different trees"
	head -n 20 "$tmp/synth.diff" | sed 's/^/      /'
fi

# A rebuild copies the search docs and the archive.json of unchanged
# entries from the previous build (sprev.h, dprev.h) and must still write
# what a fresh build writes:
# 1,000 articles, so that the index has many doc shards, several term
# shards and posting files of its own.
echo "== search index and archive.json of a rebuild"
rebuild_search() { # WHAT: rebuild -v, build fresh, compare
	local what=$1 copied
	build/gloss build -C "$tmp/rs/gloss" -o "$tmp/rs/out" --no-history -v 2>"$tmp/rs.log" >/dev/null &&
		rm -rf "$tmp/rs/fresh" &&
		build/gloss build -C "$tmp/rs/gloss" -o "$tmp/rs/fresh" --no-history --no-cache -q &&
		diff -r "$tmp/rs/out" "$tmp/rs/fresh" >"$tmp/rs.diff" 2>&1 || {
		fail "search index of a rebuild: after $what, the site differs from a fresh build"
		head -n 10 "$tmp/rs.diff" "$tmp/rs.log" | sed 's/^/      /'
		return 1
	}
	sed -n 's/^gloss: Markdown: \([0-9]*\) of \([0-9]*\) articles parsed$/\1 \2/p' "$tmp/rs.log" >"$tmp/rs.parsed"
	copied=$(sed -n 's/^gloss: search index: \([0-9]*\) of \([0-9]*\) entries copied.*/\1 \2/p' "$tmp/rs.log")
	echo "$copied"
	sed -n 's/^gloss: archive.json: \([0-9]*\) of \([0-9]*\) entries copied.*/\1 \2/p' "$tmp/rs.log" >"$tmp/rs.data"
}
if build/bench/synth 1000 "$tmp/rs" >/dev/null 2>&1 &&
	build/gloss build -C "$tmp/rs/gloss" -o "$tmp/rs/out" --no-history -q; then
	arts=$(find "$tmp/rs/gloss/articles" -name '*.md' | sort)
	mid=$(echo "$arts" | sed -n 500p)
	first=$(echo "$arts" | head -n 1)
	awk 'q && !done && NF && !/^>/ { sub(/^[A-Za-z]+/, "Edited"); done = 1 }
	     /^> / { q = 1 } { print }' "$mid" >"$tmp/rs.md" && cp "$tmp/rs.md" "$mid"
	if got=$(rebuild_search "a note's words") && set -- $got &&
		[ "$#" = 2 ] && [ "$1" -gt $(($2 - 10)) ] && [ "$1" -lt "$2" ] &&
		grep -q '^gloss: search index: .* copied from the previous build, found by its record in the cache$' "$tmp/rs.log"; then
		ok "search index of a rebuild: one note edited, $1 of $2 entries copied, found by the record the build before kept, the same bytes as a fresh build"
		if set -- $(cat "$tmp/rs.data") && [ "$#" = 2 ] && [ "$1" -gt $(($2 - 10)) ] && [ "$1" -lt "$2" ] &&
			grep -q '^gloss: archive.json: .*, found by its index in the cache$' "$tmp/rs.log"; then
			ok "archive.json of a rebuild: one note edited, $1 of $2 entries copied, found by the index the build before kept, the same bytes as a fresh build"
		else
			fail "archive.json of a rebuild: one note edited: copied '$(cat "$tmp/rs.data")'"
		fi
		# Only the articles whose notes the rendered pages show are
		# parsed: the edited one and those beside it on party pages.
		if set -- $(cat "$tmp/rs.parsed") && [ "$#" = 2 ] && [ "$1" -ge 1 ] && [ "$1" -lt "$2" ]; then
			ok "Markdown of a rebuild: one note edited, $1 of $2 articles parsed, the same bytes as a fresh build"
		else
			fail "Markdown of a rebuild: one note edited: parsed '$(cat "$tmp/rs.parsed")'"
		fi
	else
		fail "search index of a rebuild: one note edited: copied '$got'"
	fi
	printf 'A paragraph added at the end.\n' >>"${first%.md}.txt"
	if got=$(rebuild_search "a line added to the oldest article") && set -- $got &&
		[ "$1" -gt $(($2 - 10)) ]; then
		ok "search index of a rebuild: the docs of every later entry renumbered ($1 of $2 copied), the same bytes as a fresh build"
	else
		fail "search index of a rebuild: a line added: copied '$got'"
	fi
	cp "${first%.md}.txt" "$tmp/rs/gloss/articles/1999-01-added.txt"
	sed 's/^date: .*/date: 1999-01-01/' "$first" >"$tmp/rs/gloss/articles/1999-01-added.md"
	# A new title changes what every page shows (inputs.h): nothing is
	# copied, and the index is still the fresh one.
	if got=$(rebuild_search "an article added before all others") && set -- $got &&
		[ "$#" = 2 ]; then
		ok "search index of a rebuild: a new first article ($1 of $2 copied), the same bytes as a fresh build"
	else
		fail "search index of a rebuild: an article added: copied '$got'"
	fi
	# archive.json cut short: nothing copied, and still the fresh file
	head -c 5000 "$tmp/rs/fresh/archive.json" >"$tmp/rs/out/archive.json"
	cp "$mid" "$tmp/rs.md" && sed -i 's/^Edited/Altered/' "$mid"
	if rebuild_search "archive.json cut short" >/dev/null && [ "$(cut -d' ' -f1 "$tmp/rs.data")" = 0 ] &&
		! grep -q 'found by its index' "$tmp/rs.log"; then
		ok "archive.json of a rebuild: the previous one cut short, its index not used, nothing copied, the same bytes as a fresh build"
	else
		fail "archive.json of a rebuild: the previous one cut short: copied '$(cat "$tmp/rs.data")'"
	fi
	cp "$tmp/rs.md" "$mid"
	for broken in t/0.js d/3.js p/0.js; do
		[ -f "$tmp/rs/out/search/$broken" ] || { fail "search index of a rebuild: no search/$broken to break"; continue; }
		head -c 100 "$tmp/rs/fresh/search/$broken" >"$tmp/rs/out/search/$broken"
		cp "$mid" "$tmp/rs.md" && sed -i 's/^Edited/Changed/' "$mid"
		if got=$(rebuild_search "search/$broken cut short") && [ "$got" = "0 ${got#* }" ] &&
			! grep -q 'found by its record' "$tmp/rs.log"; then
			ok "search index of a rebuild: search/$broken cut short, its record not used, nothing copied, the same bytes as a fresh build"
		else
			fail "search index of a rebuild: search/$broken cut short: copied '$got'"
		fi
		cp "$tmp/rs.md" "$mid"
	done
else
	fail "search index of a rebuild: cannot build the generated archive"
fi
rm -rf "$tmp/rs"

if command -v valgrind >/dev/null; then
	# build/gloss allocates through jemalloc: valgrind must watch it.
	if valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite,indirect \
		--soname-synonyms=somalloc='*jemalloc*' \
		build/gloss build -C content -o "$tmp/vg" >"$tmp/vg.log" 2>&1; then
		ok "valgrind: build of content/ is clean"
	else
		fail "valgrind reports errors in a build of content/"
		head -n 40 "$tmp/vg.log" | sed 's/^/      /'
	fi
	# Again into the same folder: the rebuild reads the previous search
	# index and archive.json back (sprev.c, dprev.c) and copies them.
	if valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite,indirect \
		--soname-synonyms=somalloc='*jemalloc*' \
		build/gloss build -C content -o "$tmp/vg" -v >"$tmp/vg.log" 2>&1 &&
		grep -q '^gloss: search index: \([0-9]*\) of \1 entries copied.*, found by its record in the cache$' "$tmp/vg.log" &&
		grep -q '^gloss: archive.json: \([0-9]*\) of \1 entries copied.*, found by its index in the cache$' "$tmp/vg.log" &&
		grep -q '^gloss: annotations: \([0-9]*\) of \1 articles from the cache' "$tmp/vg.log" &&
		grep -q '^gloss: front matter: \([0-9]*\) of \1 files from the cache' "$tmp/vg.log"; then
		ok "valgrind: a rebuild of content/ that copies the search index and archive.json, finding them by their records in the cache, and annotates and reads front matter from the cache, is clean"
	else
		fail "valgrind reports errors in a rebuild of content/, or it copied or read from the cache not everything"
		grep -v '^gloss: \(wrote\|kept\) ' "$tmp/vg.log" | head -n 40 | sed 's/^/      /'
	fi
else
	fail "valgrind is not installed (make test installs it)"
fi

# A browser check (tests/browser/NAME.mjs): its "ok" and "FAIL" lines are
# its tests; a run that fails without saying which test counts as one
# failure.
run_browser() {
	local script=$1 log="$tmp/browser-$1.log" start=$SECONDS rc
	shift
	node "tests/browser/$script.mjs" "$@" >"$log" 2>&1
	rc=$?
	local oks fails
	oks=$(grep -c '^ok    ' "$log")
	fails=$(grep -c '^FAIL  ' "$log")
	cat "$log"
	passed=$((passed + oks))
	failed=$((failed + fails))
	while IFS= read -r line; do
		failures+=("${line#FAIL  }")
	done < <(grep '^FAIL  ' "$log")
	if [ "$rc" -ne 0 ] && [ "$fails" -eq 0 ]; then
		fail "browser $script (exit $rc, no result)"
	fi
	printf '      (%s: %ss)\n' "$script" $((SECONDS - start))
}

echo "== browser: Nu Html Checker, axe-core, reader paths and links in headless Chromium"
# The committed site, and each test archive built with every theme; the
# content/ archive is also built with every theme other than the one
# output/ was made with.
missing=""
command -v node >/dev/null || missing="$missing node"
command -v java >/dev/null || missing="$missing java"
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || missing="$missing chromium"
for m in vnu-jar axe-core playwright-core; do
	[ -d "node_modules/$m" ] || missing="$missing node_modules/$m"
done
if [ -n "$missing" ]; then
	fail "browser checks cannot run: missing$missing (make test-deps installs them)"
else
	sites=("output/=output")
	for theme_dir in themes/*/; do
		theme=$(basename "$theme_dir")
		builds=()
		[ "$theme" = default ] || builds+=("content/$theme=content")
		for golden in tests/golden/*/; do
			builds+=("$(basename "$golden")/$theme=$golden/content")
		done
		for b in "${builds[@]}"; do
			name=${b%%=*}
			dir="$tmp/browser/${name//\//-}"
			if build/gloss build -C "${b#*=}" -t "$theme_dir" -o "$dir" >"$tmp/browser-build.log" 2>&1; then
				sites+=("$name=$dir")
			else
				fail "browser: build of $name (${b#*=} with $theme_dir) failed"
				sed 's/^/      /' "$tmp/browser-build.log" | head -n 20
			fi
		done
	done
	printf 'sites checked:'
	printf ' %s' "${sites[@]%%=*}"
	printf '\n'
	run_browser vnu "${sites[@]}"
	run_browser axe "${sites[@]}"
	run_browser links "${sites[@]}"
	run_browser reader "${sites[@]}"
fi
echo "== fuzz (libFuzzer, ASan + UBSan; FUZZ_SECONDS=${FUZZ_SECONDS:-60} per target, 0 to skip the runs)"
. tests/fuzz/run.sh
fuzz_tests

echo
if [ "$failed" -ne 0 ]; then
	printf 'failed: %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
