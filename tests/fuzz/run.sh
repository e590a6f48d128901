#!/usr/bin/env bash
# The libFuzzer targets (build/fuzz/fuzz_TARGET, from tests/fuzz/*.c):
# first every seed (tests/fuzz/corpus/TARGET/) and every input that once
# crashed (tests/fuzz/regressions/TARGET/) is replayed through its target;
# then, unless FUZZ_SECONDS is 0, each target fuzzes for FUZZ_SECONDS
# (default 60), two at a time. Each replay and each run counts as one test.
#
# tests/run.sh sources this file and calls fuzz_tests with its own ok,
# fail and $tmp; run alone (make fuzz) it brings its own and ends with
# "N passed, N failed". New inputs found are kept in build/fuzz/corpus/,
# crashes in build/fuzz/crashes/: copy a crash into
# tests/fuzz/regressions/TARGET/ once it is fixed.

FUZZ_TARGETS=(frontmatter fold_anchor markdown archive prev)

# Libfuzzer options shared by replays and runs: leaks are failures, and an
# input that takes over 10 s or 2 GB is a hang.
FUZZ_OPTS=(-detect_leaks=1 -timeout=10 -rss_limit_mb=2048)

# The runs start from a fixed seed (FUZZ_SEED, default 1), so that a run
# of make test explores the same inputs in the same order on any machine
# and a failure in CI can be repeated here; FUZZ_SEED=0 takes a random
# seed, for exploring (make fuzz FUZZ_SEED=0 FUZZ_SECONDS=600).
FUZZ_SEED=${FUZZ_SEED:-1}

# Prints what a failed run says about its crash: the error, and where the
# input is.
fuzz_report() {
	local log=$1 t=$2 unit
	grep -a -E 'invariant broken|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error|SUMMARY' "$log" |
		head -n 6 | sed 's/^/      /'
	unit=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
	if [ -n "$unit" ]; then
		echo "      crash input: $unit"
		echo "      reproduce: build/fuzz/fuzz_$t $unit; once fixed, keep it as tests/fuzz/regressions/$t/NAME"
	else
		tail -n 5 "$log" | sed 's/^/      /'
	fi
}

fuzz_replay() {
	local t=$1 bin=build/fuzz/fuzz_$1 log="$tmp/fuzz-replay-$1.log" inputs
	shopt -s nullglob
	inputs=(tests/fuzz/corpus/"$t"/* tests/fuzz/regressions/"$t"/*)
	shopt -u nullglob
	if [ ! -x "$bin" ]; then
		fail "fuzz replay $t: $bin is not built (make $bin)"
	elif [ "${#inputs[@]}" -eq 0 ]; then
		fail "fuzz replay $t: no seeds in tests/fuzz/corpus/$t"
	elif mkdir -p build/fuzz/crashes &&
		"$bin" "${FUZZ_OPTS[@]}" -artifact_prefix=build/fuzz/crashes/"$t"- \
			"${inputs[@]}" >"$log" 2>&1; then
		ok "fuzz replay $t: ${#inputs[@]} seed and regression inputs"
	else
		fail "fuzz replay $t: an input of tests/fuzz/{corpus,regressions}/$t fails"
		fuzz_report "$log" "$t"
	fi
}

# Starts one fuzzing run in the background, with the target's dictionary
# of tokens (tests/fuzz/TARGET.dict) when it has one.
fuzz_start() {
	local t=$1 dict=() dirs=()
	[ -f tests/fuzz/"$t".dict ] && dict=(-dict=tests/fuzz/"$t".dict)
	mkdir -p build/fuzz/corpus/"$t" build/fuzz/crashes
	# A target with no past crash has no regressions folder (git keeps no
	# empty folder), and libFuzzer stops at a folder that is missing.
	for d in tests/fuzz/corpus/"$t" tests/fuzz/regressions/"$t"; do
		[ -d "$d" ] && dirs+=("$d")
	done
	(
		build/fuzz/fuzz_"$t" "${FUZZ_OPTS[@]}" "${dict[@]}" -seed="$FUZZ_SEED" \
			-max_total_time="$FUZZ_SECONDS" \
			-artifact_prefix=build/fuzz/crashes/"$t"- -print_final_stats=1 \
			build/fuzz/corpus/"$t" "${dirs[@]}" \
			>"$tmp/fuzz-$t.log" 2>&1
		echo $? >"$tmp/fuzz-$t.rc"
	) &
}

fuzz_result() {
	local t=$1 log="$tmp/fuzz-$1.log" rc runs
	rc=$(cat "$tmp/fuzz-$t.rc" 2>/dev/null || echo 1)
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	if [ "$rc" -eq 0 ]; then
		ok "fuzz $t: ${FUZZ_SECONDS} s, ${runs:-?} inputs, no crash, leak or broken invariant"
	else
		fail "fuzz $t: crashed after ${runs:-some} inputs (exit $rc)"
		fuzz_report "$log" "$t"
	fi
}

fuzz_tests() {
	local seconds=${FUZZ_SECONDS:-60} t i
	FUZZ_SECONDS=$seconds
	for t in "${FUZZ_TARGETS[@]}"; do
		fuzz_replay "$t"
	done
	if [ "$seconds" = 0 ]; then
		echo "      (FUZZ_SECONDS=0: no fuzzing run)"
		return
	fi
	# Two at a time: the machines have two cores.
	for ((i = 0; i < ${#FUZZ_TARGETS[@]}; i += 2)); do
		fuzz_start "${FUZZ_TARGETS[i]}"
		[ $((i + 1)) -lt ${#FUZZ_TARGETS[@]} ] && fuzz_start "${FUZZ_TARGETS[i + 1]}"
		wait
	done
	for t in "${FUZZ_TARGETS[@]}"; do
		fuzz_result "$t"
	done
}

# Run alone: make fuzz.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -u
	cd "$(dirname "$0")/../.."
	passed=0
	failed=0
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	ok()   { passed=$((passed + 1)); printf 'ok    %s\n' "$1"; }
	fail() { failed=$((failed + 1)); printf 'FAIL  %s\n' "$1"; }
	echo "== fuzz (FUZZ_SECONDS=${FUZZ_SECONDS:-60} per target)"
	fuzz_tests
	echo
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
fi
