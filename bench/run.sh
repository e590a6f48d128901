#!/usr/bin/env bash
# The benchmark (make bench): for each size in BENCH_SIZES, generates a
# synthetic archive (bench/synth), builds it with gloss in several ways,
# with Hugo, and with the floor program (bench/floor), all in tmpfs, and
# prints one Markdown table and the targets; build/bench/results.md gets
# the same. Progress goes to stderr. bench/README.md explains it all.
#
# Settings (environment):
#   BENCH_SIZES         sizes in articles (default "1000 10000 100000")
#   BENCH_RUNS          runs per measurement, median taken (default 5 up
#                       to 1000 articles, else 3)
#   BENCH_HUGO          0 to leave Hugo out (default 1)
#   BENCH_HUGO_TIMEOUT  seconds before a Hugo build counts as not finished
#                       (default 900)
#   BENCH_TIMEOUT       the same for gloss and the floor (default 1800)
#   BENCH_MEM_MB        a build whose processes hold more than this much
#                       memory is stopped and counted as not finished
#                       (default 16000)
#   BENCH_DIR           working folder, deleted afterwards (default
#                       /dev/shm/gloss-bench; keep it in tmpfs: NOTES.md)
# The whole script is one block, read before it runs: editing this file
# during a run does not change the run.
{
set -u
export LC_ALL=C
cd "$(dirname "$0")/.."

SIZES=${BENCH_SIZES:-"1000 10000 100000"}
HUGO=${BENCH_HUGO:-1}
HUGO_TIMEOUT=${BENCH_HUGO_TIMEOUT:-900}
TIMEOUT=${BENCH_TIMEOUT:-1800}
MEM_MB=${BENCH_MEM_MB:-16000}
ROOT=${BENCH_DIR:-/dev/shm/gloss-bench}
GLOSS=build/gloss
SYNTH=build/bench/synth
FLOOR=build/bench/floor
THEME=themes/default
RESULTS=build/bench/results.md
# gloss's annotation cache (acache.h): full builds start without one,
# rebuilds find the one the build before them saved.
export XDG_CACHE_HOME="$ROOT/cache"

say() { printf '%s\n' "$*" >&2; }
die() { say "bench: $*"; exit 1; }

for b in "$GLOSS" "$SYNTH" "$FLOOR"; do
	[ -x "$b" ] || die "$b is missing; run make bench"
done
[ -x /usr/bin/time ] || die "GNU time is missing (make bench installs it)"
if [ "$HUGO" = 1 ] && ! command -v hugo >/dev/null; then
	die "hugo is missing (make bench installs it; BENCH_HUGO=0 leaves it out)"
fi
[ -e "$ROOT" ] && die "$ROOT exists; remove it or set BENCH_DIR"
mkdir -p "$ROOT" || die "cannot create $ROOT"
trap 'rm -rf "$ROOT"' EXIT

# ---- measuring ----

# Every process below PID, children first; read from /proc without
# starting any process, so as not to disturb what is measured.
descendants() {
	local c kids=()
	read -r -a kids <"/proc/$1/task/$1/children" 2>/dev/null
	for c in "${kids[@]}"; do
		descendants "$c"
		echo "$c"
	done
}

# Resident memory of process PID in kB, from /proc.
rss_of() {
	local k v rest
	while read -r k v rest; do
		if [ "$k" = VmRSS: ]; then
			echo "$v"
			return
		fi
	done <"/proc/$1/status" 2>/dev/null
	echo 0
}

# Stops the command PID when its processes together hold more than
# MEM_MB of memory; leaves a mark in $ROOT/oom.
watchdog() {
	local pid=$1 rss p
	while kill -0 "$pid" 2>/dev/null; do
		rss=0
		for p in $(descendants "$pid"); do
			rss=$((rss + $(rss_of "$p")))
		done
		if [ "$rss" -gt $((MEM_MB * 1024)) ]; then
			: >"$ROOT/oom"
			for p in $(descendants "$pid"); do
				kill "$p" 2>/dev/null
			done
			return
		fi
		sleep 0.5
	done
}

# timed LIMIT CMD...: runs CMD under GNU time and the watchdog, with a
# time limit. Sets T (wall seconds), RSS (peak MB of the command, as GNU
# time reports it), CPU (user + system seconds), UCPU and SCPU (each on
# its own) and DNF ("" when it finished, else why not).
timed() {
	local limit=$1 start end rc wpid
	shift
	rm -f "$ROOT/oom" "$ROOT/time"
	start=$EPOCHREALTIME
	/usr/bin/time -f '%e %M %U %S' -o "$ROOT/time" timeout "$limit" "$@" \
		>"$ROOT/cmd.out" 2>"$ROOT/cmd.err" &
	local pid=$!
	watchdog "$pid" &
	wpid=$!
	wait "$pid"
	rc=$?
	end=$EPOCHREALTIME
	kill "$wpid" 2>/dev/null
	wait "$wpid" 2>/dev/null
	T=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
	RSS=$(awk 'END { printf "%.0f", $2 / 1024 }' "$ROOT/time" 2>/dev/null)
	CPU=$(awk 'END { printf "%.2f", $3 + $4 }' "$ROOT/time" 2>/dev/null)
	UCPU=$(awk 'END { printf "%.2f", $3 }' "$ROOT/time" 2>/dev/null)
	SCPU=$(awk 'END { printf "%.2f", $4 }' "$ROOT/time" 2>/dev/null)
	DNF=""
	if [ -e "$ROOT/oom" ]; then
		DNF="stopped above $MEM_MB MB"
	elif [ "$rc" -eq 124 ]; then
		DNF="not finished in $limit s"
	elif [ "$rc" -eq 137 ]; then
		DNF="killed (SIGKILL: out of memory?)"
	elif [ "$rc" -ne 0 ]; then
		DNF="failed (exit $rc)"
		tail -n 5 "$ROOT/cmd.err" | sed 's/^/    /' >&2
	fi
	return 0
}

median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
maxof() { printf '%s\n' "$@" | sort -g | tail -n 1; }
html_count() { find "$1" -name '*.html' | wc -l; }

# Results, by "SIZE TOOL".
declare -A TIME PEAK CPUS UCPUS SCPUS PAGES WHY FIRST
TOOLS=("gloss" "gloss 1 thread" "gloss one-note rebuild" "gloss no-change rebuild" "hugo" "floor")

# measure SIZE TOOL RUNS LIMIT PREP CMD...: runs PREP (a function name,
# or :) then CMD, RUNS times; records the median time and the peak RSS.
measure() {
	local size=$1 tool=$2 runs=$3 limit=$4 prep=$5 r
	shift 5
	local times=() rsses=() cpus=() ucpus=() scpus=()
	for ((r = 1; r <= runs; r++)); do
		"$prep" "$r"
		timed "$limit" "$@"
		if [ -n "$DNF" ]; then
			WHY["$size $tool"]=$DNF
			say "  $tool: run $r: $DNF"
			return
		fi
		times+=("$T")
		rsses+=("$RSS")
		cpus+=("$CPU")
		ucpus+=("$UCPU")
		scpus+=("$SCPU")
		say "  $tool: run $r: $T s (CPU $CPU s), $RSS MB"
	done
	TIME["$size $tool"]=$(median "${times[@]}")
	FIRST["$size $tool"]=${times[0]}
	PEAK["$size $tool"]=$(maxof "${rsses[@]}")
	CPUS["$size $tool"]=$(median "${cpus[@]}")
	UCPUS["$size $tool"]=$(median "${ucpus[@]}")
	SCPUS["$size $tool"]=$(median "${scpus[@]}")
}

# ---- one size ----

run_size() {
	local n=$1 dir="$ROOT/$1" runs rruns
	runs=${BENCH_RUNS:-$([ "$n" -le 1000 ] && echo 5 || echo 3)}
	# Rebuilds take a tenth of a second or less, where the machine's
	# noise weighs most: at least 5 runs each. The first one-note
	# rebuild, the first after a full build, is one of them.
	rruns=$((runs > 5 ? runs : 5))
	local content="$dir/gloss" out="$dir/out"
	say "== $n articles (runs: $runs)"
	timed "$TIMEOUT" "$SYNTH" "$n" "$dir"
	[ -n "$DNF" ] && die "synth $n: $DNF"
	say "  synth: $T s; gloss content $(du -sm "$content" | cut -f1) MB, Hugo content $(du -sm "$dir/hugo" | cut -f1) MB"
	if ! "$GLOSS" check -C "$content" --no-history -q 2>"$dir/check.log" ||
		grep -q 'error:\|warning:' "$dir/check.log"; then
		head -n 5 "$dir/check.log" >&2
		die "gloss check finds problems in the generated archive"
	fi

	# Each tool in turn, and each output deleted as soon as it has been
	# counted: at 100,000 articles an output takes gigabytes of tmpfs,
	# that is of memory, beside the build's own.
	if [ "$HUGO" = 1 ]; then
		local hruns=$runs
		[ "$n" -ge 100000 ] && hruns=1
		fresh_hugo() { rm -rf "$dir/hugo-out"; }
		measure "$n" "hugo" "$hruns" "$HUGO_TIMEOUT" fresh_hugo \
			hugo --quiet -s "$dir/hugo" -d "$dir/hugo-out"
		[ -z "${WHY["$n hugo"]:-}" ] && PAGES["$n hugo"]=$(html_count "$dir/hugo-out")
		[ -d "$dir/hugo-out" ] && say "  hugo output: $(find "$dir/hugo-out" -type f | wc -l) files, $(du -sm "$dir/hugo-out" | cut -f1) MB"
	fi
	rm -rf "$dir/hugo" "$dir/hugo-out"

	# (a build keeps the site it replaces beside the output, as
	# OUTPUT.gloss-old, to start the next build from)
	fresh_out1() { rm -rf "$dir/out1" "$dir/out1.gloss-old" "$XDG_CACHE_HOME"; }
	measure "$n" "gloss 1 thread" "$runs" "$TIMEOUT" fresh_out1 \
		"$GLOSS" build -j 1 -C "$content" -t "$THEME" -o "$dir/out1" -q --no-history
	[ -d "$dir/out1" ] && PAGES["$n gloss 1 thread"]=$(html_count "$dir/out1")
	rm -rf "$dir/out1" "$dir/out1.gloss-old"

	# gloss, full build into a fresh folder; the last one is kept for
	# the rebuilds and the floor's list of files
	fresh_out() { rm -rf "$out" "$out.gloss-old" "$XDG_CACHE_HOME"; }
	measure "$n" "gloss" "$runs" "$TIMEOUT" fresh_out \
		"$GLOSS" build -C "$content" -t "$THEME" -o "$out" -q --no-history
	[ -d "$out" ] && PAGES["$n gloss"]=$(html_count "$out")

	if [ -d "$out" ] && [ -z "${WHY["$n gloss"]:-}" ]; then
		# one note of one article: the first word of its first note's
		# text, changed on odd runs and changed back on even ones
		local md id
		md=$(find "$content/articles" -name '*.md' | sort | sed -n "$(((n + 1) / 2))p")
		id=$(basename "$md" .md)
		cp "$md" "$dir/note.orig"
		awk 'q && !done && NF && !/^>/ { sub(/^[A-Za-z]+/, "Edited"); done = 1 }
		     /^> / { q = 1 } { print }' "$dir/note.orig" >"$dir/note.edit"
		cmp -s "$dir/note.orig" "$dir/note.edit" && die "cannot edit a note of $md"
		edit_note() {
			if [ $(($1 % 2)) -eq 1 ]; then cp "$dir/note.edit" "$md"; else cp "$dir/note.orig" "$md"; fi
		}
		measure "$n" "gloss one-note rebuild" "$rruns" "$TIMEOUT" edit_note \
			"$GLOSS" build -C "$content" -t "$THEME" -o "$out" -q --no-history
		PAGES["$n gloss one-note rebuild"]=$(html_count "$out")
		if [ -z "${WHY["$n gloss one-note rebuild"]:-}" ]; then
			# the edit must show; then back to the original, built
			cp "$dir/note.edit" "$md"
			"$GLOSS" build -C "$content" -t "$THEME" -o "$out" -q --no-history
			grep -q 'Edited' "$out/articles/$id.html" ||
				say "  warning: the edited note does not show in articles/$id.html"
			cp "$dir/note.orig" "$md"
			"$GLOSS" build -C "$content" -t "$THEME" -o "$out" -q --no-history
			measure "$n" "gloss no-change rebuild" "$rruns" "$TIMEOUT" : \
				"$GLOSS" build -C "$content" -t "$THEME" -o "$out" -q --no-history
			PAGES["$n gloss no-change rebuild"]=$(html_count "$out")
		fi

		say "  gloss output: $(find "$out" -type f | wc -l) files, $(du -sm "$out" | cut -f1) MB; largest:"
		find "$out" -type f -printf '%s %P\n' | sort -rn | head -n 6 |
			awk '{ printf "    %8.1f MB  %s\n", $1 / 1048576, $2 }' >&2

		# the floor writes the same files, with the same sizes
		(cd "$out" && find . -type f -printf '%P\t%s\n') >"$dir/manifest"
		rm -rf "$out" "$out.gloss-old"
		fresh_floor() { rm -rf "$dir/floor"; }
		measure "$n" "floor" "$runs" "$TIMEOUT" fresh_floor \
			"$FLOOR" "$content" "$dir/manifest" "$dir/floor"
		[ -d "$dir/floor" ] && PAGES["$n floor"]=$(html_count "$dir/floor")
	fi
	rm -rf "$dir"
}

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
say "bench: sizes $SIZES; $(nproc) cores; load $LOAD_START; $(hugo version 2>/dev/null | cut -d' ' -f2 || echo 'no hugo'); working in $ROOT"
for n in $SIZES; do
	case $n in
	'' | *[!0-9]*) die "BENCH_SIZES: '$n' is not a number" ;;
	esac
	run_size "$n"
done

# ---- the table and the targets ----

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "–"; else printf "%.2f", a / b }'; }

table() {
	echo "| articles | tool | pages | seconds (median) | CPU seconds | pages/s | peak RSS MB | t / t(hugo) | t / t(floor) |"
	echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|"
	local n tool key t p
	for n in $SIZES; do
		for tool in "${TOOLS[@]}"; do
			key="$n $tool"
			[ "$tool" = hugo ] && [ "$HUGO" != 1 ] && continue
			t=${TIME[$key]:-}
			p=${PAGES[$key]:-}
			if [ -n "${WHY[$key]:-}" ]; then
				echo "| $n | $tool | ${p:-–} | did not finish: ${WHY[$key]} | – | – | – | – | – |"
			elif [ -z "$t" ]; then
				echo "| $n | $tool | – | not measured | – | – | – | – | – |"
			else
				echo "| $n | $tool | ${p:-–} | $t | ${CPUS[$key]} | $(awk -v p="${p:-0}" -v t="$t" 'BEGIN { printf "%.0f", (t > 0 ? p / t : 0) }') | ${PEAK[$key]} | $(ratio "$t" "${TIME["$n hugo"]:-}") | $(ratio "$t" "${TIME["$n floor"]:-}") |"
			fi
		done
	done
}

# check DESCRIPTION CONDITION FIGURES: CONDITION is an awk expression,
# or "" when a figure is missing.
check() {
	local what=$1 cond=$2 figures=$3 verdict
	if [ -z "$cond" ]; then
		verdict="not measured"
	elif awk "BEGIN { exit !($cond) }"; then
		verdict="met"
	else
		verdict="NOT met"
	fi
	echo "- $what: **$verdict** ($figures)"
}

have() { [ -n "${TIME["$1"]:-}" ]; }

# The same ratio in CPU seconds (user + system), which other work on the
# machine disturbs less than wall-clock time.
cpu_ratio() { echo "${CPUS["$1"]} / ${CPUS["$2"]} = $(ratio "${CPUS["$1"]}" "${CPUS["$2"]}")"; }

targets() {
	local g h g1 g2 f n
	if have "10000 gloss" && have "10000 hugo"; then
		g=${TIME["10000 gloss"]} h=${TIME["10000 hugo"]}
		check "10k: gloss at least 10× faster than Hugo" "$h >= 10 * $g" "hugo $h s / gloss $g s = $(ratio "$h" "$g")×; CPU seconds: $(cpu_ratio "10000 hugo" "10000 gloss")"
	else
		check "10k: gloss at least 10× faster than Hugo" "" "${WHY["10000 hugo"]:-needs both at 10000}"
	fi
	if have "100000 gloss"; then
		g=${TIME["100000 gloss"]} f=${PEAK["100000 gloss"]}
		check "100k: gloss under 30 s and under 2 GB" "$g < 30 && $f < 2048" "$g s, $f MB"
	else
		check "100k: gloss under 30 s and under 2 GB" "" "${WHY["100000 gloss"]:-needs 100000}"
	fi
	if have "100000 gloss" && have "10000 gloss"; then
		g1=${TIME["10000 gloss"]} g2=${TIME["100000 gloss"]}
		check "t(100k) ≤ 11 × t(10k)" "$g2 <= 11 * $g1" "$g2 s / $g1 s = $(ratio "$g2" "$g1")×; CPU seconds: $(cpu_ratio "100000 gloss" "10000 gloss")"
		# Which part grows faster: the process's own work (user) or
		# the kernel's (system: most of it putting fresh pages under
		# the output and the heap), and the floor's ratio beside it.
		echo "  - user CPU seconds: ${UCPUS["100000 gloss"]} / ${UCPUS["10000 gloss"]} = $(ratio "${UCPUS["100000 gloss"]}" "${UCPUS["10000 gloss"]}")×; system CPU seconds: ${SCPUS["100000 gloss"]} / ${SCPUS["10000 gloss"]} = $(ratio "${SCPUS["100000 gloss"]}" "${SCPUS["10000 gloss"]}")×"
		if have "100000 floor" && have "10000 floor"; then
			echo "  - the floor's own: ${TIME["100000 floor"]} s / ${TIME["10000 floor"]} s = $(ratio "${TIME["100000 floor"]}" "${TIME["10000 floor"]}")×"
		fi
	else
		check "t(100k) ≤ 11 × t(10k)" "" "needs 10000 and 100000"
	fi
	if have "10000 gloss one-note rebuild" && have "10000 gloss"; then
		g1=${TIME["10000 gloss one-note rebuild"]} g=${TIME["10000 gloss"]}
		check "10k: one-note rebuild under 1/10 of a full build" "$g1 < $g / 10" "$g1 s / $g s = $(ratio "$g1" "$g"); CPU seconds: $(cpu_ratio "10000 gloss one-note rebuild" "10000 gloss")"
		f1=${FIRST["10000 gloss one-note rebuild"]}
		echo "  - the first of its runs, the first rebuild after a full build (no previous site kept beside the output to start from): $f1 s / $g s = $(ratio "$f1" "$g")"
	else
		check "10k: one-note rebuild under 1/10 of a full build" "" "needs 10000"
	fi
	for n in $SIZES; do
		if have "$n gloss" && have "$n floor"; then
			g=${TIME["$n gloss"]} f=${TIME["$n floor"]}
			check "$n: gloss at most 3× the floor" "$g <= 3 * $f" "$g s / $f s = $(ratio "$g" "$f")×; CPU seconds: $(cpu_ratio "$n gloss" "$n floor")"
		else
			check "$n: gloss at most 3× the floor" "" "needs gloss and floor at $n"
		fi
	done
}

{
	table
	echo
	targets
} | tee "$ROOT/report"
mkdir -p "$(dirname "$RESULTS")"
{
	echo "# gloss benchmark results"
	echo
	echo "Sizes: $SIZES; runs: ${BENCH_RUNS:-5 up to 1000 articles, else 3} (Hugo once at 100000 or more; rebuilds at least 5); $(nproc) cores; load average $LOAD_START at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end; $(hugo version 2>/dev/null | cut -d' ' -f2 || echo 'no hugo'). Times are wall-clock medians, built in tmpfs; compare ratios within one run (bench/README.md)."
	echo
	cat "$ROOT/report"
} >"$RESULTS"
say "bench: table written to $RESULTS"
exit 0
}
