/* Unit tests of anchor.c: counting a passage's matches in an article and
 * finding what the article says instead when there is none. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "anchor.h"
#include "fold.h"
#include "xalloc.h"

/* Folds a capture the way an article is folded: line by line, joined by
 * unfolded '\n' separators, offsets into CAP. */
static void fold_capture(struct folded *f, const char *cap, size_t len)
{
	size_t line = 0;

	folded_init(f);
	for (size_t i = 0; i <= len; i++) {
		if (i < len && cap[i] != '\n')
			continue;
		fold_append(f, cap + line, i - line, line);
		if (i < len)
			fold_append_separator(f, '\n', i);
		line = i + 1;
	}
}

static size_t count_in(const char *cap, const char *needle, size_t *starts,
		       size_t max)
{
	struct folded f;
	size_t n;

	fold_capture(&f, cap, strlen(cap));
	n = anchor_find_all(&f, needle, strlen(needle), starts, max);
	folded_release(&f);
	return n;
}

/* Checks that the closest passage to NEEDLE in CAP is exactly WANT. */
static void assert_closest(const char *cap, const char *needle,
			   const char *want)
{
	struct folded f;
	size_t start = 99, end = 99;
	char *got;

	fold_capture(&f, cap, strlen(cap));
	anchor_closest(&f, needle, strlen(needle), &start, &end);
	assert_true(start <= end && end <= f.len);
	got = xstrndup(f.text + start, end - start);
	assert_string_equal(got, want);
	free(got);
	folded_release(&f);
}

/* Marsaglia's xorshift: pseudo-random text whose period (2^32 - 1) is far
 * longer than the tests' texts, so a long passage of it is unique. */
static uint32_t xorshift(uint32_t x)
{
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return x;
}

static const char *article =
	"Hamas offers a truce\n"
	"Haniyeh said the truce would hold for six months, officials "
	"confirmed.\n"
	"Islamic Jihad rejected it.\n"
	"The ceasefire began at dawn on Friday.";

static void test_find_none(void **state)
{
	size_t starts[4] = { 7, 7, 7, 7 };
	(void)state;
	assert_int_equal(count_in(article, "truce will hold", starts, 4), 0);
	assert_int_equal(starts[0], 7);
	/* Matching is case-sensitive. */
	assert_int_equal(count_in(article, "hamas", starts, 4), 0);
}

static void test_find_one(void **state)
{
	size_t starts[4] = { 0 };
	(void)state;
	assert_int_equal(count_in(article, "Islamic Jihad", starts, 4), 1);
	assert_int_equal(starts[0], 92);
	assert_memory_equal(article + 92, "Islamic Jihad", 13);
	/* At the very start and the very end of the text. */
	assert_int_equal(count_in(article, "Hamas", starts, 4), 1);
	assert_int_equal(starts[0], 0);
	assert_int_equal(count_in(article, "Friday.", starts, 4), 1);
	assert_int_equal(starts[0], strlen(article) - 7);
}

static void test_find_several(void **state)
{
	size_t starts[4] = { 0 };
	(void)state;
	assert_int_equal(count_in(article, "truce", starts, 4), 2);
	assert_int_equal(starts[0], 15);
	assert_int_equal(starts[1], 38);
}

static void test_find_overlapping(void **state)
{
	size_t starts[8] = { 0 };
	(void)state;
	assert_int_equal(count_in("aaaa", "aa", starts, 8), 3);
	assert_int_equal(starts[0], 0);
	assert_int_equal(starts[1], 1);
	assert_int_equal(starts[2], 2);
	assert_int_equal(count_in("abababa x aba", "aba", starts, 8), 4);
	assert_int_equal(starts[0], 0);
	assert_int_equal(starts[1], 2);
	assert_int_equal(starts[2], 4);
	assert_int_equal(starts[3], 10);
}

/* anchor_find_all switches between memmem and stepping: on many random
 * texts of a small alphabet (overlaps and near-misses everywhere) its
 * count and starts must be those of trying every offset. */
static void test_find_matches_every_offset(void **state)
{
	(void)state;
	uint64_t seed = 42;
	for (int round = 0; round < 3000; round++) {
		char hay[64], needle[8];
		size_t hlen = 1 + (size_t)(round % 60), nlen = 1 + (size_t)(round % 5);
		for (size_t i = 0; i < hlen; i++) {
			seed = seed * 6364136223846793005u + 1442695040888963407u;
			hay[i] = "ab\n"[(seed >> 33) % (round % 7 ? 2 : 3)];
		}
		hay[hlen] = '\0';
		for (size_t i = 0; i < nlen; i++) {
			seed = seed * 6364136223846793005u + 1442695040888963407u;
			needle[i] = "ab"[(seed >> 33) % 2];
		}
		needle[nlen] = '\0';
		size_t want[64], got[64], n_want = 0;
		for (size_t i = 0; i + nlen <= hlen; i++)
			if (memcmp(hay + i, needle, nlen) == 0)
				want[n_want++] = i;
		size_t n_got = count_in(hay, needle, got, 64);
		assert_int_equal(n_got, n_want);
		for (size_t i = 0; i < n_want; i++)
			assert_int_equal(got[i], want[i]);
	}
}

static void test_find_more_than_max(void **state)
{
	size_t starts[3] = { 77, 77, 77 };
	(void)state;
	/* The count stays exact; only MAX starts are written. */
	assert_int_equal(count_in("-----", "--", starts, 2), 4);
	assert_int_equal(starts[0], 0);
	assert_int_equal(starts[1], 1);
	assert_int_equal(starts[2], 77);
	assert_int_equal(count_in("-----", "--", NULL, 0), 4);
}

static void test_find_folded_text(void **state)
{
	/* The needle is folded, the capture folds as it is matched: the
	 * start is a folded offset, 3 bytes less than in the capture
	 * because of the “ before it. */
	size_t starts[2] = { 0 };
	(void)state;
	assert_int_equal(count_in("\u201CIt\u2019s\u00A0over,\u201D he said",
				  "It's over,\" he", starts, 2),
			 1);
	assert_int_equal(starts[0], 1);
}

static void test_find_stays_in_line(void **state)
{
	(void)state;
	/* "six months, officials confirmed. Islamic" would match if the
	 * lines were one. */
	assert_int_equal(count_in(article, "confirmed. Islamic", NULL, 0), 0);
	assert_int_equal(count_in(article, "confirmed.Islamic", NULL, 0), 0);
	/* A needle that is not folded and holds the separator itself
	 * still does not cross the line. */
	assert_int_equal(count_in(article, "confirmed.\nIslamic", NULL, 0), 0);
	assert_int_equal(count_in(article, "confirmed.", NULL, 0), 1);
}

static void test_find_large(void **state)
{
	/* 2 MB of one byte and a needle of 1000 of it: every position
	 * matches, the case where memmem restarted after each hit is
	 * quadratic. Then one long needle in 2 MB of varied text. */
	const size_t n = 2 * 1024 * 1024, m = 1000, long_m = 100000;
	char *cap = xmalloc(n + 1);
	char *needle = xmalloc(long_m + 1);
	size_t starts[4];
	uint32_t x = 12345;
	(void)state;

	memset(cap, 'a', n);
	cap[n] = '\0';
	memset(needle, 'a', m);
	needle[m] = '\0';
	assert_int_equal(count_in(cap, needle, starts, 4), n - m + 1);
	assert_int_equal(starts[3], 3);

	for (size_t i = 0; i < n; i++) {
		x = xorshift(x);
		cap[i] = (char)('a' + x % 3);
	}
	memcpy(needle, cap + 1000000, long_m);
	needle[long_m] = '\0';
	assert_int_equal(count_in(cap, needle, starts, 4), 1);
	assert_int_equal(starts[0], 1000000);
	free(needle);
	free(cap);
}

static void test_closest_misquoted_middle(void **state)
{
	(void)state;
	/* One wrong word: the sentence is shown from where the passage
	 * starts, its last word whole. */
	assert_closest(article,
		       "Haniyeh said the truce will hold for six months",
		       "Haniyeh said the truce would hold for six months,");
}

static void test_closest_misquoted_both_ends(void **state)
{
	(void)state;
	/* Wrong near both ends: the longest common part, laid over the
	 * text, still finds the sentence and its first word. */
	assert_closest(article, "Haniya said the truce would hold for 6 months",
		       "Haniyeh said the truce would hold for six months,");
}

static void test_closest_prefix_only(void **state)
{
	(void)state;
	/* The passage runs on past the end of the line. */
	assert_closest(article, "Islamic Jihad rejected the offer within hours",
		       "Islamic Jihad rejected it.");
}

static void test_closest_suffix_only(void **state)
{
	(void)state;
	/* Only the end matches: the window ends where the match ends and
	 * starts as far back as the passage is long, at a word. */
	assert_closest(article, "A truce began at dawn on Friday.",
		       "ceasefire began at dawn on Friday.");
}

static void test_closest_across_lines(void **state)
{
	(void)state;
	/* A passage copied across a paragraph break: the line with more of
	 * it, up to its end. */
	assert_closest(article, "officials confirmed. Islamic Jihad",
		       "officials confirmed.");
}

static void test_closest_no_match(void **state)
{
	(void)state;
	/* Not a byte in common: the start of the first line, as long as the
	 * passage, its last word whole. */
	assert_closest(article, "XYZ", "Hamas");
	assert_closest(article, "XYZXYZXYZXYZ", "Hamas offers");
	/* An empty first line is skipped. */
	assert_closest("\nNo truce today", "%%%", "No");
}

static void test_closest_empty_hay(void **state)
{
	struct folded f;
	size_t start = 5, end = 5;
	(void)state;

	folded_init(&f);
	anchor_closest(&f, "truce", 5, &start, &end);
	assert_int_equal(start, 0);
	assert_int_equal(end, 0);
	folded_release(&f);
}

static void test_closest_multibyte(void **state)
{
	/* Text with no spaces, each character three bytes: the window may
	 * not take in whole words, so it is cut, but between characters
	 * only, even though the passage's extra ASCII byte at each end
	 * puts the aligned edges inside 火 and 了. */
	const char *cap = "\u4E00\u4E8C\u4E09\u56DB\u4E94\u516D\u4E03\u516B"
			  "\u4E5D\u5341\u4E00\u4E8C\u505C\u706B\u534F\u8BAE"
			  "\u4ECA\u5929\u5728\u5F00\u7F57\u7B7E\u7F72\u4E86"
			  "\u4E00\u4E8C\u4E09\u56DB\u4E94\u516D\u4E03\u516B"
			  "\u4E5D\u5341\u4E00\u4E8C";
	(void)state;

	assert_closest(cap, "x\u534F\u8BAE\u4ECA\u5929\u5728\u5F00\u7F57y",
		       "\u706B\u534F\u8BAE\u4ECA\u5929\u5728\u5F00\u7F57"
		       "\u7B7E");
	/* A word with accents is taken in whole, not cut before its é. */
	assert_closest("Le cessez-le-feu a \u00E9t\u00E9 prolong\u00E9 "
		       "hier",
		       "feu a ete prolong",
		       "cessez-le-feu a \u00E9t\u00E9 prolong\u00E9");
}

static void test_closest_large(void **state)
{
	/* 2 MB on one line, and a 5000-byte passage that differs in one
	 * byte near its middle and in its last byte: found in one pass. */
	const size_t n = 2 * 1024 * 1024, m = 5000, at = 1500000;
	char *cap = xmalloc(n + 1);
	char *needle = xmalloc(m + 1);
	struct folded f;
	size_t start, end;
	uint32_t x = 777;
	(void)state;

	for (size_t i = 0; i < n; i++) {
		x = xorshift(x);
		cap[i] = (char)('a' + x % 4);
	}
	cap[n] = '\0';
	memcpy(needle, cap + at, m);
	needle[m / 2] = 'Z';
	needle[m - 1] = 'Z';
	needle[m] = '\0';
	fold_capture(&f, cap, n);
	anchor_closest(&f, needle, m, &start, &end);
	assert_int_equal(start, at);
	assert_int_equal(end, at + m);

	/* One byte over and over, and a needle that only its last byte
	 * keeps from matching. */
	folded_release(&f);
	memset(cap, 'a', n);
	memset(needle, 'a', m);
	needle[m - 1] = 'b';
	fold_capture(&f, cap, n);
	anchor_closest(&f, needle, m, &start, &end);
	assert_int_equal(start, 0);
	assert_int_equal(end, m);
	folded_release(&f);
	free(needle);
	free(cap);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find_none),
		cmocka_unit_test(test_find_one),
		cmocka_unit_test(test_find_several),
		cmocka_unit_test(test_find_overlapping),
		cmocka_unit_test(test_find_more_than_max),
		cmocka_unit_test(test_find_matches_every_offset),
		cmocka_unit_test(test_find_folded_text),
		cmocka_unit_test(test_find_stays_in_line),
		cmocka_unit_test(test_find_large),
		cmocka_unit_test(test_closest_misquoted_middle),
		cmocka_unit_test(test_closest_misquoted_both_ends),
		cmocka_unit_test(test_closest_prefix_only),
		cmocka_unit_test(test_closest_suffix_only),
		cmocka_unit_test(test_closest_across_lines),
		cmocka_unit_test(test_closest_no_match),
		cmocka_unit_test(test_closest_empty_hay),
		cmocka_unit_test(test_closest_multibyte),
		cmocka_unit_test(test_closest_large),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
