#include "words.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include "utf8.h"
#include "xalloc.h"

#define BMP_SIZE 0x10000
#define UBUF 256 /* UTF-16 units: one character, decomposed and lowered */

void words_init(struct words *w)
{
	w->bmp = NULL;
	buf_init(&w->folds);
	buf_init(&w->scratch);
}

void words_release(struct words *w)
{
	free(w->bmp);
	w->bmp = NULL;
	buf_release(&w->folds);
	buf_release(&w->scratch);
}

static void add_utf8(struct buf *out, uint32_t cp)
{
	char s[4];
	size_t n;
	if (cp < 0x80) {
		s[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		s[0] = (char)(0xc0 | cp >> 6);
		s[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		s[0] = (char)(0xe0 | cp >> 12);
		s[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		s[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		s[0] = (char)(0xf0 | cp >> 18);
		s[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		s[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		s[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	buf_add(out, s, n);
}

/* Appends CP folded to OUT: its letters and digits, ' ' for anything
 * else. The steps are search.js's fold(): NFKD, lower case (full
 * mapping, no locale), NFKD, no marks, then its SPECIAL table, of which
 * three entries give letters and one (U+02BC, a letter to Unicode) takes
 * one away. */
static void fold_char(struct buf *out, uint32_t cp)
{
	UChar a[UBUF], b[UBUF];
	int32_t n = 0;
	UErrorCode err = U_ZERO_ERROR;
	const UNormalizer2 *nfkd = unorm2_getNFKDInstance(&err);
	U16_APPEND_UNSAFE(b, n, cp);
	n = unorm2_normalize(nfkd, b, n, a, UBUF, &err);
	n = u_strToLower(b, UBUF, a, n, "", &err);
	n = unorm2_normalize(nfkd, b, n, a, UBUF, &err);
	if (U_FAILURE(err)) {
		/* Not reached with Unicode's data; a separator is safe. */
		buf_addc(out, ' ');
		return;
	}
	for (int32_t i = 0; i < n;) {
		UChar32 c;
		U16_NEXT(a, i, n, c);
		uint32_t mask = U_GET_GC_MASK(c);
		if (mask & U_GC_M_MASK)
			continue;
		if (c == 0xdf) { /* ß */
			buf_adds(out, "ss");
			continue;
		}
		if (c == 0x3c2) /* final sigma */
			c = 0x3c3;
		else if (c == 0x131) /* dotless i */
			c = 'i';
		else if (c == 0x2bc) /* modifier letter apostrophe: ' */
			mask = 0;
		if (mask & (U_GC_L_MASK | U_GC_N_MASK))
			add_utf8(out, (uint32_t)c);
		else
			buf_addc(out, ' ');
	}
}

/* CP folded (see fold_char); the result lives until the next call. */
static const char *folded(struct words *w, uint32_t cp, size_t *len)
{
	if (cp >= BMP_SIZE) {
		buf_reset(&w->scratch);
		fold_char(&w->scratch, cp);
		*len = w->scratch.len;
		return w->scratch.data;
	}
	if (!w->bmp)
		w->bmp = xcalloc(BMP_SIZE, sizeof *w->bmp);
	uint32_t e = w->bmp[cp];
	if (!e) {
		size_t start = w->folds.len;
		fold_char(&w->folds, cp);
		/* A character folds to at most a few dozen bytes; the table
		 * of the BMP's folds stays far below 2^23 bytes. */
		e = (uint32_t)start << 8 | (uint32_t)(w->folds.len - start) << 1 |
		    1;
		w->bmp[cp] = e;
	}
	*len = (e >> 1) & 0x7f;
	return w->folds.data + (e >> 8);
}

/* For each byte: an ASCII letter or digit as a search word has it (lower
 * case), 0 for any other ASCII byte (a separator), 0xff for a byte of a
 * multibyte character. */
static unsigned char ascii_fold[256];

static void ascii_fold_init(void)
{
	for (int c = 0; c < 256; c++) {
		unsigned char f = 0;
		if (c >= 0x80)
			f = 0xff;
		else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			f = (unsigned char)c;
		else if (c >= 'A' && c <= 'Z')
			f = (unsigned char)(c + 32);
		ascii_fold[c] = f;
	}
}

/* The hash of the word being gathered, FNV-1a over its folded bytes. */
#define HASH_START 2166136261u
#define HASH_STEP(h, b) (((h) ^ (unsigned char)(b)) * 16777619u)

uint32_t words_hash(const char *word, size_t len)
{
	uint32_t h = HASH_START;
	for (size_t i = 0; i < len; i++)
		h = HASH_STEP(h, word[i]);
	return h;
}

void words_each(struct words *w, const char *text, size_t len,
		void (*fn)(void *arg, const char *word, size_t len,
			   uint32_t hash),
		void *arg)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, ascii_fold_init);
	char *word = w->word;
	size_t wlen = 0, chars = 0;
	uint32_t h = HASH_START;
	for (size_t i = 0; i < len;) {
		unsigned char f = ascii_fold[(unsigned char)text[i]];
		if (f && f != 0xff) {
			i++;
			if (chars++ < WORDS_MAX_CHARS) {
				word[wlen++] = (char)f;
				h = HASH_STEP(h, f);
			}
			continue;
		}
		if (!f) {
			i++;
			if (wlen) {
				word[wlen] = '\0';
				fn(arg, word, wlen, h);
			}
			wlen = chars = 0;
			h = HASH_START;
			continue;
		}
		uint32_t cp;
		size_t n = utf8_decode(text + i, len - i, &cp);
		size_t flen = 1;
		const char *fc = n ? folded(w, cp, &flen) : " ";
		i += n ? n : 1;
		for (size_t k = 0; k < flen;) {
			if (fc[k] == ' ') {
				if (wlen) {
					word[wlen] = '\0';
					fn(arg, word, wlen, h);
				}
				wlen = chars = 0;
				h = HASH_START;
				k++;
				continue;
			}
			size_t cl = 1;
			while (k + cl < flen && ((unsigned char)fc[k + cl] & 0xc0) ==
						    0x80)
				cl++;
			if (chars++ < WORDS_MAX_CHARS) {
				for (size_t b = 0; b < cl; b++) {
					word[wlen++] = fc[k + b];
					h = HASH_STEP(h, fc[k + b]);
				}
			}
			k += cl;
		}
	}
	if (wlen) {
		word[wlen] = '\0';
		fn(arg, word, wlen, h);
	}
}
