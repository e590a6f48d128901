/* Unit tests of fold.c: the folding rules of SPEC §2 and the map from
 * folded bytes back to the capture. */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fold.h"

/* Folds S as an editor's passage and checks the result is exactly WANT. */
static void assert_folds_to(const char *s, const char *want)
{
	size_t len = 12345;
	char *got = fold_passage(s, strlen(s), &len);
	assert_string_equal(got, want);
	assert_int_equal(len, strlen(want));
	free(got);
}

static void assert_map(const struct folded *f, size_t i, size_t from,
		       size_t to)
{
	assert_int_equal(f->from[i], from);
	assert_int_equal(f->to[i], to);
}

static void test_init_is_empty(void **state)
{
	struct folded f;
	(void)state;
	folded_init(&f);
	assert_non_null(f.text);
	assert_string_equal(f.text, "");
	assert_int_equal(f.len, 0);
	assert_map(&f, 0, 0, 0);
	folded_release(&f);
	assert_null(f.text);
	/* Releasing twice is harmless. */
	folded_release(&f);
}

static void test_single_quotes(void **state)
{
	(void)state;
	/* ‘ ’ ‚ ‛ ′ */
	assert_folds_to("\u2018a\u2019 \u201Ab\u201B 5\u2032",
			"'a' 'b' 5'");
	assert_folds_to("Hamas\u2019s offer", "Hamas's offer");
}

static void test_double_quotes(void **state)
{
	(void)state;
	/* “ ” „ ‟ ″ « » */
	assert_folds_to("\u201Cx\u201D \u201Ey\u201F 6\u2033 \u00ABz\u00BB",
			"\"x\" \"y\" 6\" \"z\"");
}

static void test_dashes(void **state)
{
	(void)state;
	/* ‐ ‑ ‒ – — ― − */
	assert_folds_to("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-------");
	assert_folds_to("Hamas\u2013run Gaza \u2014 again", "Hamas-run Gaza - again");
}

static void test_ellipsis(void **state)
{
	(void)state;
	assert_folds_to("wait\u2026 and see", "wait... and see");
	assert_folds_to("\u2026\u2026", "......");
}

static void test_white_space(void **state)
{
	(void)state;
	/* NBSP, tab, several spaces, em space, narrow NBSP, line breaks:
	 * each run is one space. */
	assert_folds_to("a\u00A0b\t\tc   d\u2003 \ne\u202Ff\r\ng",
			"a b c d e f g");
	assert_folds_to("\u3000ideographic\u3000space\u3000", "ideographic space");
}

static void test_other_characters_unchanged(void **state)
{
	(void)state;
	/* Case, accents, other punctuation and plain ASCII quotes stay as
	 * they are. */
	assert_folds_to("Caf\u00E9 CAF\u00C9 \"it's\" - ... \u00B7 \u2022",
			"Caf\u00E9 CAF\u00C9 \"it's\" - ... \u00B7 \u2022");
}

static void test_passage_trimming(void **state)
{
	(void)state;
	assert_folds_to("  \t \u201CHello\u201D \u00A0\n", "\"Hello\"");
	assert_folds_to("no  trim\tneeded", "no trim needed");
	assert_folds_to(" \t\u00A0\n ", "");
	assert_folds_to("", "");
}

/* One scratch text folds passage after passage, each as fold_passage
 * folds it alone: nothing of a longer one is left in a shorter one. */
static void test_passage_into_scratch(void **state)
{
	static const char *const in[] = {
		"  a long \u201Cquoted\u201D line \u2026 with   space  ", "x",
		"\u00A0\u00A0", "  two  words ", ""};
	struct folded scratch;
	(void)state;
	folded_init(&scratch);
	for (size_t i = 0; i < sizeof in / sizeof *in; i++) {
		size_t want_len, got_len;
		char *want = fold_passage(in[i], strlen(in[i]), &want_len);
		const char *got = fold_passage_into(&scratch, in[i],
						    strlen(in[i]), &got_len);
		assert_int_equal(got_len, want_len);
		assert_string_equal(got, want);
		free(want);
	}
	folded_release(&scratch);
}

static void test_passage_length_without_out(void **state)
{
	char *got;
	(void)state;
	/* The length pointer may be NULL when the caller uses strlen. */
	got = fold_passage(" x ", 3, NULL);
	assert_string_equal(got, "x");
	free(got);
}

static void test_map_multibyte(void **state)
{
	/* a(0) sp(1) “(2-4) é(5-6) ”(7-9) sp(10) b(11) …(12-14) */
	const char *src = "a \u201C\u00E9\u201D b\u2026";
	struct folded f;
	(void)state;

	assert_int_equal(strlen(src), 15);
	folded_init(&f);
	fold_append(&f, src, strlen(src), 10);
	assert_string_equal(f.text, "a \"\u00E9\" b...");
	assert_int_equal(f.len, 11);
	assert_map(&f, 0, 10, 11);
	assert_map(&f, 1, 11, 12);
	assert_map(&f, 2, 12, 15); /* “ */
	assert_map(&f, 3, 15, 17); /* both bytes of é */
	assert_map(&f, 4, 15, 17);
	assert_map(&f, 5, 17, 20); /* ” */
	assert_map(&f, 6, 20, 21);
	assert_map(&f, 7, 21, 22);
	assert_map(&f, 8, 22, 25); /* each dot of … */
	assert_map(&f, 9, 22, 25);
	assert_map(&f, 10, 22, 25);
	assert_map(&f, 11, 25, 25); /* sentinel */
	folded_release(&f);
}

static void test_map_whitespace_run(void **state)
{
	/* x(0) sp(1) tab(2) NBSP(3-4) em space(5-7) y(8) sp(9) */
	const char *src = "x \t\u00A0\u2003y ";
	struct folded f;
	(void)state;

	folded_init(&f);
	fold_append(&f, src, strlen(src), 0);
	assert_string_equal(f.text, "x y ");
	assert_map(&f, 0, 0, 1);
	assert_map(&f, 1, 1, 8);
	assert_map(&f, 2, 8, 9);
	assert_map(&f, 3, 9, 10);
	assert_map(&f, 4, 10, 10);
	folded_release(&f);
}

static void test_map_single_spaces(void **state)
{
	/* Single spaces between words fold to themselves, one to one; one
	 * before more white space, ASCII or not, starts a run. a(0) b(1)
	 * sp(2) c(3) sp(4) sp(5) d(6) sp(7) e(8) NBSP(9-10) f(11) sp(12)
	 * g(13) */
	const char *src = "ab c  d e\u00A0f g";
	struct folded f;
	(void)state;

	folded_init(&f);
	fold_append(&f, src, strlen(src), 10);
	assert_string_equal(f.text, "ab c d e f g");
	const size_t from[] = {0, 1, 2, 3, 4, 6, 7, 8, 9, 11, 12, 13, 14};
	const size_t to[] = {1, 2, 3, 4, 6, 7, 8, 9, 11, 12, 13, 14, 14};
	for (size_t i = 0; i <= f.len; i++)
		assert_map(&f, i, 10 + from[i], 10 + to[i]);
	/* A single space that opens an append joins the run the last one
	 * ended with. */
	fold_clear(&f);
	fold_append(&f, "x ", 2, 0);
	fold_append(&f, " y", 2, 2);
	assert_string_equal(f.text, "x y");
	assert_map(&f, 1, 1, 3);
	assert_map(&f, 2, 3, 4);
	folded_release(&f);
}

static void test_invalid_bytes_copied(void **state)
{
	/* A stray byte, a lone continuation byte, an overlong encoding and
	 * a sequence cut short at the end: each byte passes on its own. */
	const char src[] = "a\xFF\x80\xC0\xAF" "b\xE2\x80";
	size_t n = sizeof src - 1;
	struct folded f;
	(void)state;

	folded_init(&f);
	fold_append(&f, src, n, 100);
	assert_int_equal(f.len, n);
	assert_memory_equal(f.text, src, n);
	for (size_t i = 0; i < n; i++)
		assert_map(&f, i, 100 + i, 101 + i);
	assert_map(&f, n, 100 + n, 100 + n);
	folded_release(&f);
}

static void test_separator(void **state)
{
	/* "one \ntwo" as two lines of a capture. */
	struct folded f;
	(void)state;

	folded_init(&f);
	fold_append(&f, "one\t", 4, 0);
	fold_append_separator(&f, '\n', 4);
	assert_map(&f, f.len, 5, 5);
	fold_append(&f, " two", 4, 5);
	assert_string_equal(f.text, "one \n two");
	assert_map(&f, 3, 3, 4);
	assert_map(&f, 4, 4, 5); /* the separator */
	assert_map(&f, 5, 5, 6); /* not merged with the run before '\n' */
	assert_map(&f, 6, 6, 7);
	assert_map(&f, 9, 9, 9);
	folded_release(&f);
}

static void test_run_across_appends(void **state)
{
	/* Two appends with no separator: a run split between them is still
	 * one space, reaching from the first to the end of the second. */
	struct folded f;
	(void)state;

	folded_init(&f);
	fold_append(&f, "a ", 2, 0);
	fold_append(&f, "\u00A0\tb", 4, 2);
	assert_string_equal(f.text, "a b");
	assert_map(&f, 1, 1, 5);
	assert_map(&f, 2, 5, 6);
	/* An empty append changes nothing but the sentinel. */
	fold_append(&f, "", 0, 6);
	assert_string_equal(f.text, "a b");
	assert_map(&f, 3, 6, 6);
	folded_release(&f);
}

static void test_source_range_round_trip(void **state)
{
	/* A capture of two lines; the passage is in the second, whose
	 * curly quotes and apostrophe the editor typed straight. */
	const char *cap = "Gaza truce\n"
			  "He said: \u201CIt\u2019s not\u00A0a time for truce,"
			  "\u201D he told the AP.";
	const char *want = "\u201CIt\u2019s not\u00A0a time for truce,\u201D";
	const char *quoted = " \"It's not a time for truce,\" ";
	const char *nl = strchr(cap, '\n');
	size_t l1 = (size_t)(nl - cap), n, plen, ss, se;
	struct folded f;
	char *passage;
	const char *hit;
	(void)state;

	folded_init(&f);
	fold_append(&f, cap, l1, 0);
	fold_append_separator(&f, '\n', l1);
	n = strlen(cap);
	fold_append(&f, cap + l1 + 1, n - l1 - 1, l1 + 1);

	passage = fold_passage(quoted, strlen(quoted), &plen);
	assert_string_equal(passage, "\"It's not a time for truce,\"");
	hit = strstr(f.text, passage);
	assert_non_null(hit);
	folded_source_range(&f, (size_t)(hit - f.text),
			    (size_t)(hit - f.text) + plen, &ss, &se);
	assert_int_equal(ss, 20);
	assert_int_equal(se - ss, strlen(want));
	assert_memory_equal(cap + ss, want, strlen(want));

	/* The whole text maps to the whole capture. */
	folded_source_range(&f, 0, f.len, &ss, &se);
	assert_int_equal(ss, 0);
	assert_int_equal(se, n);
	free(passage);
	folded_release(&f);
}

static void test_source_range_widens(void **state)
{
	/* x(0) …(1-3) é(4-5) y(6); folded "x...\xC3\xA9y" */
	const char *src = "x\u2026\u00E9y";
	struct folded f;
	size_t ss, se;
	(void)state;

	folded_init(&f);
	fold_append(&f, src, strlen(src), 0);
	assert_string_equal(f.text, "x...\u00E9y");
	/* "x." takes in the whole … */
	folded_source_range(&f, 0, 2, &ss, &se);
	assert_int_equal(ss, 0);
	assert_int_equal(se, 4);
	/* The middle dot alone is still the whole … */
	folded_source_range(&f, 2, 3, &ss, &se);
	assert_int_equal(ss, 1);
	assert_int_equal(se, 4);
	/* The second byte of é alone is all of é. */
	folded_source_range(&f, 5, 6, &ss, &se);
	assert_int_equal(ss, 4);
	assert_int_equal(se, 6);
	/* Empty ranges map to a point, the end to the end. */
	folded_source_range(&f, 4, 4, &ss, &se);
	assert_int_equal(ss, 4);
	assert_int_equal(se, 4);
	folded_source_range(&f, f.len, f.len, &ss, &se);
	assert_int_equal(ss, 7);
	assert_int_equal(se, 7);
	folded_release(&f);
}

static void test_growth(void **state)
{
	/* Many appends force the arrays to grow many times; the maps must
	 * survive every reallocation. "ab…  " is 7 bytes, folds to 6. */
	const char *chunk = "ab\u2026  ";
	const size_t count = 10000;
	struct folded f;
	(void)state;

	folded_init(&f);
	for (size_t i = 0; i < count; i++) {
		fold_append(&f, chunk, 7, 8 * i);
		fold_append_separator(&f, '\n', 8 * i + 7);
	}
	assert_int_equal(f.len, 7 * count);
	assert_int_equal(strlen(f.text), f.len);
	assert_memory_equal(f.text + 7 * (count - 1), "ab... \n", 7);
	/* The last chunk: a at 8*(count-1), … three bytes later, the run
	 * of two spaces, then the separator. */
	size_t base = 8 * (count - 1), fb = 7 * (count - 1);
	assert_map(&f, fb, base, base + 1);
	assert_map(&f, fb + 3, base + 2, base + 5);
	assert_map(&f, fb + 5, base + 5, base + 7);
	assert_map(&f, fb + 6, base + 7, base + 8);
	assert_map(&f, f.len, 8 * count, 8 * count);
	folded_release(&f);
}

/* ASCII text of every mix of letters, punctuation, spaces, tabs and
 * line breaks, at every length up to a few sixteen-byte blocks and
 * split between two appends anywhere: the folded text and its map are
 * what the rule says, byte by byte (the long runs are found sixteen
 * bytes at a time, so each edge of a block is crossed). */
static bool ascii_blank(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static void test_ascii_runs_match_the_rule(void **state)
{
	(void)state;
	static const char alphabet[] = "aaaaB.,  \t\n\x01\x7f";
	uint32_t seed = 12345;
	char src[80];
	char want[81];
	uint32_t want_from[81], want_to[81];
	for (int round = 0; round < 4000; round++) {
		size_t len = (size_t)(round % 80);
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			src[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
		}
		/* the rule: a run of white space is one ' ', whose range is
		 * the run's; anything else is itself */
		size_t n = 0;
		for (size_t i = 0; i < len;) {
			if (!ascii_blank(src[i])) {
				want[n] = src[i];
				want_from[n] = (uint32_t)i;
				want_to[n++] = (uint32_t)i + 1;
				i++;
				continue;
			}
			size_t end = i;
			while (end < len && ascii_blank(src[end]))
				end++;
			want[n] = ' ';
			want_from[n] = (uint32_t)i;
			want_to[n++] = (uint32_t)end;
			i = end;
		}
		size_t split = len ? (size_t)(seed >> 8) % (len + 1) : 0;
		struct folded f;
		folded_init(&f);
		fold_append(&f, src, split, 0);
		fold_append(&f, src + split, len - split, split);
		assert_int_equal(f.len, n);
		assert_memory_equal(f.text, want, n);
		for (size_t k = 0; k < n; k++)
			assert_map(&f, k, want_from[k], want_to[k]);
		assert_map(&f, n, len, len);
		folded_release(&f);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_is_empty),
		cmocka_unit_test(test_single_quotes),
		cmocka_unit_test(test_double_quotes),
		cmocka_unit_test(test_dashes),
		cmocka_unit_test(test_ellipsis),
		cmocka_unit_test(test_white_space),
		cmocka_unit_test(test_other_characters_unchanged),
		cmocka_unit_test(test_passage_trimming),
		cmocka_unit_test(test_passage_into_scratch),
		cmocka_unit_test(test_passage_length_without_out),
		cmocka_unit_test(test_map_multibyte),
		cmocka_unit_test(test_map_whitespace_run),
		cmocka_unit_test(test_map_single_spaces),
		cmocka_unit_test(test_invalid_bytes_copied),
		cmocka_unit_test(test_separator),
		cmocka_unit_test(test_run_across_appends),
		cmocka_unit_test(test_source_range_round_trip),
		cmocka_unit_test(test_source_range_widens),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_ascii_runs_match_the_rule),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
