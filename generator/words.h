/* Search words: text folded and cut into words the way the default
 * theme's search script (themes/default/assets/search.js, fold() and
 * words()) folds and cuts a query, so that a word of a query finds the
 * word of the index it names.
 *
 * Folding decomposes compatibility forms (ligatures, full-width letters),
 * lowers case, drops accents and other combining marks (NFKD, lower case,
 * NFKD again, no \p{M}), and makes ß "ss", ς "σ" and ı "i", and ʼ (U+02BC)
 * a quote mark as search.js does. A word is a
 * run of letters and digits (\p{L}, \p{N}) of the folded text; anything
 * else separates words. Words are cut after WORDS_MAX_CHARS characters
 * (code points), as the script cuts them. Unicode's tables come from ICU,
 * as they do in the browser.
 *
 * Folding works character by character, so a word never depends on what
 * is around it; folded characters are remembered, so folding costs a
 * table look-up per character after the first time. */
#ifndef GLOSS_WORDS_H
#define GLOSS_WORDS_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define WORDS_MAX_CHARS 32

struct words {
	/* For each BMP character: 0 when not folded yet, else
	 * (offset in folds) << 8 | (length) << 1 | 1. */
	uint32_t *bmp;
	struct buf folds;   /* folded characters; ' ' stands for a separator */
	struct buf scratch; /* one character folded outside the BMP */
	/* the word being gathered: characters of up to 4 bytes, and NUL */
	char word[4 * WORDS_MAX_CHARS + 1];
};

void words_init(struct words *w);
void words_release(struct words *w);

/* Calls FN(ARG, WORD, LEN) for each word of TEXT (LEN bytes of UTF-8,
 * invalid bytes separating words), in order. WORD is folded and
 * NUL-terminated, and lives until FN returns; HASH is words_hash's. */
void words_each(struct words *w, const char *text, size_t len,
		void (*fn)(void *arg, const char *word, size_t len,
			   uint32_t hash),
		void *arg);

/* The HASH words_each gives for WORD (LEN bytes, folded): FNV-1a,
 * computed as the word is gathered so that its bytes are read once. */
uint32_t words_hash(const char *word, size_t len);

#endif
