/* Unit tests of words.c: text folded and cut into search words as the
 * default theme's search.js folds and cuts a query. */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "words.h"

/* FNV-1a, written out here so that a change to words_hash shows. */
static uint32_t fnv1a(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static void gather(void *arg, const char *word, size_t len, uint32_t hash)
{
	struct buf *out = arg;
	assert_int_equal(strlen(word), len);
	/* The hash given is the word's, whichever path gathered it. */
	assert_int_equal(hash, fnv1a(word, len));
	assert_int_equal(hash, words_hash(word, len));
	if (out->len)
		buf_addc(out, '|');
	buf_add(out, word, len);
}

/* Checks that TEXT's words, joined with '|', are WANT. */
static void assert_words(struct words *w, const char *text, const char *want)
{
	struct buf out;
	buf_init(&out);
	words_each(w, text, strlen(text), gather, &out);
	assert_string_equal(out.data, want);
	buf_release(&out);
}

static void test_ascii(void **state)
{
	(void)state;
	struct words w;
	words_init(&w);
	assert_words(&w, "", "");
	assert_words(&w, "  ", "");
	assert_words(&w, "Hamas's offer, 2008-03!", "hamas|s|offer|2008|03");
	assert_words(&w, "A`B_c", "a|b|c");
	assert_words(&w, "x", "x");
	words_release(&w);
}

static void test_unicode(void **state)
{
	(void)state;
	struct words w;
	words_init(&w);
	/* Accents, curly quotes, dashes, ellipsis and odd spaces. */
	assert_words(&w, "Caf\u00e9 \u201cd\u00e9j\u00e0\u201d \u2014 na\u00efve\u2026",
		     "cafe|deja|naive");
	assert_words(&w, "Hamas\u2019s\u00a0truce\u2013offer", "hamas|s|truce|offer");
	/* ß, final sigma, dotless i, ligatures, full-width, capital I with
	 * dot above. */
	assert_words(&w, "Stra\u00dfe \u039f\u0394\u039f\u03a3 \u0131s", "strasse|οδοσ|is");
	assert_words(&w, "\ufb01ne \uff21\uff22 \u0130stanbul", "fine|ab|istanbul");
	/* The modifier letter apostrophe is a quote mark to search.js. */
	assert_words(&w, "Hamas\u02bcs \u0149", "hamas|s|n");
	/* Numbers and letters of other scripts are words; symbols not. */
	assert_words(&w, "\u00bd \u0661\u0662 \u05e9\u05dc\u05d5\u05dd \u20ac5",
		     "1|2|١٢|שלום|5");
	/* Invalid UTF-8 separates words; a character outside the BMP. */
	assert_words(&w, "ab\xff" "cd \xf0\x9d\x90\x80x", "ab|cd|ax");
	words_release(&w);
}

static void test_long_words_are_cut(void **state)
{
	(void)state;
	struct words w;
	words_init(&w);
	char text[100];
	memset(text, 'a', 40);
	text[40] = '\0';
	char want[WORDS_MAX_CHARS + 1];
	memset(want, 'a', WORDS_MAX_CHARS);
	want[WORDS_MAX_CHARS] = '\0';
	assert_words(&w, text, want);
	/* Cut by characters, not bytes. */
	struct buf t, e;
	buf_init(&t);
	buf_init(&e);
	for (int i = 0; i < 40; i++)
		buf_adds(&t, "\u00e9");
	for (int i = 0; i < WORDS_MAX_CHARS; i++)
		buf_adds(&e, "e");
	assert_words(&w, t.data, e.data);
	buf_release(&t);
	buf_release(&e);
	words_release(&w);
}

/* Text of letters of both cases, digits, punctuation, spaces and é, of
 * every length up to a few sixteen-byte blocks, with words near the cut:
 * the words are the rule's, whichever path gathered them (ASCII runs
 * are lowered sixteen bytes at a time). */
static void test_mixed_text_matches_the_rule(void **state)
{
	(void)state;
	static const char *const pieces[] = {"a", "Q", "z", "Z", "0", "9", "m",
					     "M", " ", ",", "-", "'", "\u00e9",
					     "\u00c9", "@", "[", "`", "{"};
	const size_t piece_count = sizeof pieces / sizeof *pieces;
	struct words w;
	words_init(&w);
	uint32_t seed = 99;
	struct buf text, want;
	buf_init(&text);
	buf_init(&want);
	for (int round = 0; round < 3000; round++) {
		buf_reset(&text);
		buf_reset(&want);
		size_t count = (size_t)(round % 90);
		/* the rule, as the text is made: letters and digits lowered,
		 * é and É as e, anything else between words; 32 at most */
		size_t chars = 0;
		for (size_t i = 0; i < count; i++) {
			seed = seed * 1103515245u + 12345u;
			/* long words: mostly letters in some rounds */
			size_t k = round % 3 == 0 ? (seed >> 16) % 8
						  : (seed >> 16) % piece_count;
			const char *p = pieces[k];
			buf_adds(&text, p);
			char c = p[0] == '\xc3' ? 'e' : p[0];
			bool letter = (c >= 'a' && c <= 'z') ||
				      (c >= 'A' && c <= 'Z') ||
				      (c >= '0' && c <= '9');
			if (!letter) {
				chars = 0;
				continue;
			}
			if (chars == 0 && want.len)
				buf_addc(&want, '|');
			if (chars++ < WORDS_MAX_CHARS)
				buf_addc(&want, c >= 'A' && c <= 'Z'
						    ? (char)(c + 32) : c);
		}
		struct buf out;
		buf_init(&out);
		words_each(&w, text.data, text.len, gather, &out);
		assert_string_equal(out.data, want.data);
		buf_release(&out);
	}
	buf_release(&text);
	buf_release(&want);
	words_release(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ascii),
	    cmocka_unit_test(test_unicode),
	    cmocka_unit_test(test_long_words_are_cut),
	    cmocka_unit_test(test_mixed_text_matches_the_rule),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
