/* Fuzz target: folding (fold.h) and anchoring (anchor.h).
 *
 * The input is an article's text and an editor's passage, split at the
 * first NUL byte (no NUL: the passage is the text's last line, so that
 * matches are common). The text is folded line by line as annotate.c
 * does (shown lines joined by '\n' separators), each line in two appends
 * cut at a point the input chooses, which must make no difference. Then:
 *
 * - the folded text and its offset maps are well formed: from[] never
 *   goes back, every byte maps into the source, a whitespace run is one
 *   space, and the whole text folds to the same bytes in one append;
 * - fold_passage gives the same bytes as fold_append, trimmed;
 * - every match anchor_find_all reports is really there, and
 *   folded_source_range maps it to source bytes whose folding holds the
 *   passage (widened by at most a character at each end);
 * - with no match, anchor_closest gives a range within one line of the
 *   folded text, cut at character boundaries when the text is UTF-8. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "anchor.h"
#include "fold.h"
#include "fuzz.h"
#include "utf8.h"

#define MAX_MATCHES 8

static bool is_continuation(char c)
{
	return ((unsigned char)c & 0xC0) == 0x80;
}

/* Moves CUT back to the start of the character it falls in, as folding
 * decodes S[0..LEN) from its start: an append cut inside a character
 * folds its bytes as invalid ones. */
static size_t char_boundary(const char *s, size_t len, size_t cut)
{
	size_t i = 0;
	if (cut >= len)
		return len;
	while (i < cut) {
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);
		if (i + (n ? n : 1) > cut)
			break;
		i += n ? n : 1;
	}
	return i;
}

/* True when NEEDLE occurs in HAY (memmem is a GNU extension). */
static bool contains(const char *hay, size_t hlen, const char *needle,
		     size_t nlen)
{
	for (size_t i = 0; i + nlen <= hlen; i++)
		if (memcmp(hay + i, needle, nlen) == 0)
			return true;
	return false;
}

/* Overlapping occurrences of NEEDLE in HAY, the slow and obvious way. */
static size_t naive_count(const char *hay, size_t hlen, const char *needle,
			  size_t nlen)
{
	size_t n = 0;
	for (size_t i = 0; i + nlen <= hlen; i++)
		n += memcmp(hay + i, needle, nlen) == 0;
	return n;
}

/* The folded text is well formed for a source of SRC_LEN bytes. */
static void check_folded(const struct folded *f, size_t src_len)
{
	CHECK(f->text != NULL && f->text[f->len] == '\0');
	CHECK(f->len < f->cap);
	for (size_t i = 0; i < f->len; i++) {
		CHECK(f->from[i] < f->to[i]);
		CHECK(f->to[i] <= src_len);
		if (i > 0) {
			CHECK(f->from[i - 1] <= f->from[i]);
			CHECK(!(f->text[i - 1] == ' ' && f->text[i] == ' '));
		}
	}
	CHECK(f->from[f->len] <= src_len && f->to[f->len] == f->from[f->len]);
}

/* fold_passage(SRC) must be F's text with its end spaces trimmed. */
static void check_passage_agrees(const struct folded *f, const char *src,
				 size_t len)
{
	size_t plen = 12345;
	char *p = fold_passage(src, len, &plen);
	size_t s = 0, e = f->len;
	while (s < e && f->text[s] == ' ')
		s++;
	while (e > s && f->text[e - 1] == ' ')
		e--;
	CHECK(plen == e - s);
	CHECK(memcmp(p, f->text + s, plen) == 0 && p[plen] == '\0');
	free(p);
}

/* Source ranges [ss, se) of folded range [fs, fe) must fold to bytes
 * that contain NEEDLE, less than a character wider at each end. */
static void check_match(const struct folded *f, const char *src,
			size_t src_len, size_t fs, const char *needle,
			size_t nlen)
{
	size_t ss, se, rlen;
	CHECK(fs + nlen <= f->len);
	CHECK(memcmp(f->text + fs, needle, nlen) == 0);
	folded_source_range(f, fs, fs + nlen, &ss, &se);
	CHECK(ss < se && se <= src_len);
	CHECK(memchr(src + ss, '\n', se - ss) == NULL);
	char *refold = fold_passage(src + ss, se - ss, &rlen);
	/* A match may start or end inside a character: "…" folds to three
	 * bytes, and a needle of invalid UTF-8 may hold part of a valid
	 * character. The range takes all of it, up to 3 more bytes. */
	CHECK(rlen >= nlen && rlen <= nlen + 6);
	CHECK(contains(refold, rlen, needle, nlen));
	free(refold);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	const char *nul = memchr(in, '\0', size);
	const char *src = in, *quote;
	size_t src_len, qlen;
	struct folded f, whole;

	if (nul) {
		src_len = (size_t)(nul - in);
		quote = nul + 1;
		qlen = size - src_len - 1;
	} else {
		const char *last = src;
		src_len = size;
		for (size_t i = 0; i + 1 < size; i++)
			if (in[i] == '\n')
				last = in + i + 1;
		quote = last;
		qlen = (size_t)(in + size - last);
	}
	/* The cut inside each line is taken from the passage's length, so
	 * that it varies with the input without costing a byte of it. */
	size_t cut_seed = qlen * 7 + 3;

	/* The shown text, folded as annotate.c's scan_begin does. */
	folded_init(&f);
	size_t shown = 0;
	for (size_t pos = 0; pos < src_len || (pos == 0 && src_len == 0);) {
		const char *nl = memchr(src + pos, '\n', src_len - pos);
		size_t end = nl ? (size_t)(nl - src) : src_len;
		size_t len = end - pos, plen;
		if (len > 0 && src[pos + len - 1] == '\r')
			len--;
		char *p = fold_passage(src + pos, len, &plen);
		free(p);
		if (plen > 0) {
			if (shown++ > 0)
				fold_append_separator(&f, '\n', pos);
			size_t cut = char_boundary(src + pos, len,
						   cut_seed % (len + 1));
			fold_append(&f, src + pos, cut, pos);
			fold_append(&f, src + pos + cut, len - cut, pos + cut);
		}
		if (!nl)
			break;
		pos = end + 1;
	}
	check_folded(&f, src_len);

	/* The whole text in one append, and split in two: same folding. */
	folded_init(&whole);
	size_t cut = char_boundary(src, src_len, cut_seed % (src_len + 1));
	fold_append(&whole, src, cut, 0);
	fold_append(&whole, src + cut, src_len - cut, cut);
	check_folded(&whole, src_len);
	check_passage_agrees(&whole, src, src_len);
	{
		struct folded once;
		folded_init(&once);
		fold_append(&once, src, src_len, 0);
		CHECK(once.len == whole.len);
		CHECK(memcmp(once.text, whole.text, once.len) == 0);
		CHECK(memcmp(once.from, whole.from,
			     (once.len + 1) * sizeof *once.from) == 0);
		CHECK(memcmp(once.to, whole.to,
			     once.len * sizeof *once.to) == 0);
		folded_release(&once);
	}
	/* Any folded range maps back within the source, in order. */
	for (size_t i = 0; i <= whole.len; i += 1 + whole.len / 16) {
		size_t j = i + (cut_seed % (whole.len - i + 1));
		size_t ss, se;
		folded_source_range(&whole, i, j, &ss, &se);
		CHECK(ss <= se && se <= src_len);
	}
	folded_release(&whole);

	size_t nlen;
	char *needle = fold_passage(quote, qlen, &nlen);
	CHECK(needle[nlen] == '\0');
	CHECK(nlen == 0 || (needle[0] != ' ' && needle[nlen - 1] != ' '));
	if (nlen > 0) {
		size_t starts[MAX_MATCHES];
		size_t n = anchor_find_all(&f, needle, nlen, starts, MAX_MATCHES);
		CHECK(anchor_find_all(&f, needle, nlen, NULL, 0) == n);
		for (size_t i = 0; i < n && i < MAX_MATCHES; i++) {
			CHECK(i == 0 || starts[i - 1] < starts[i]);
			check_match(&f, src, src_len, starts[i], needle, nlen);
		}
		/* A plain search agrees (the needle never holds a '\n'). */
		CHECK(memchr(needle, '\n', nlen) == NULL);
		if (f.len * nlen <= 1000000)
			CHECK(naive_count(f.text, f.len, needle, nlen) == n);
		if (n == 0) {
			size_t fs = 99, fe = 99;
			anchor_closest(&f, needle, nlen, &fs, &fe);
			CHECK(fs <= fe && fe <= f.len);
			/* About as long as the needle: a word cut at either
			 * end may be taken whole (anchor.c's WORD_SLACK). */
			CHECK(fe - fs <= nlen + 2 * (32 + 3));
			CHECK(memchr(f.text + fs, '\n', fe - fs) == NULL);
			if (f.len == 0)
				CHECK(fs == 0 && fe == 0);
			if (fe > fs) {
				CHECK(f.text[fs] != ' ' && f.text[fe - 1] != ' ');
				if (utf8_validate(f.text, f.len) == f.len)
					CHECK(!is_continuation(f.text[fs]) &&
					      (fe == f.len ||
					       !is_continuation(f.text[fe])));
				size_t ss, se;
				folded_source_range(&f, fs, fe, &ss, &se);
				CHECK(ss < se && se <= src_len);
			}
		}
	}
	free(needle);
	folded_release(&f);
	return 0;
}
