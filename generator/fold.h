/* Folding: the normal form in which passages are matched against articles.
 *
 * Every run of white space (Unicode White_Space included) becomes one
 * space; ‘ ’ ‚ ‛ ′ become '; “ ” „ ‟ ″ « » become "; ‐ ‑ ‒ – — ― − become
 * -; … becomes "...". Nothing else changes: matching stays case-sensitive.
 * A folded text remembers, for every byte, where it came from, so that a
 * match can be mapped back to the exact bytes of the capture. */
#ifndef GLOSS_FOLD_H
#define GLOSS_FOLD_H

#include <stddef.h>
#include <stdint.h>

struct folded {
	char *text;  /* NUL-terminated folded bytes; never NULL once init */
	size_t len;
	/* from[i]: offset in the source of the character folded byte i came
	 * from; to[i]: offset just past that source character (for a
	 * whitespace run, past the whole run). len+1 entries each. */
	uint32_t *from; /* 32 bits: a capture is at most 64 MiB */
	uint32_t *to;
	size_t cap;
};

void folded_init(struct folded *f);
void folded_release(struct folded *f);
/* Empties F for reuse, keeping its memory. */
void fold_clear(struct folded *f);

/* Appends the folding of SRC[0..LEN) to F, recording source offsets as
 * BASE + offset, so several lines of one article can be folded into one
 * text. Invalid UTF-8 bytes are copied through unchanged. */
void fold_append(struct folded *f, const char *src, size_t len, size_t base);

/* Appends one raw byte (a line separator such as '\n') that is not folded
 * and maps to source offset AT. */
void fold_append_separator(struct folded *f, char c, size_t at);

/* Folds a passage quoted by an editor: as fold_append, then trims the
 * leading and trailing space. Returns a malloc'd NUL-terminated string
 * owned by the caller; *LEN receives its length. */
char *fold_passage(const char *src, size_t len, size_t *out_len);

/* The same passage folded into SCRATCH, whose earlier contents it
 * replaces: for folding many lines without an allocation each. Returns a
 * NUL-terminated string inside SCRATCH, valid until its next use. */
const char *fold_passage_into(struct folded *scratch, const char *src,
			      size_t len, size_t *out_len);

/* Counts, up to LIMIT, the bytes of SRC[0..LEN) that fold to themselves
 * and are never trimmed (ASCII other than white space): a lower bound on
 * the length of its folded passage, found without folding. */
size_t fold_kept_bytes(const char *src, size_t len, size_t limit);

/* Maps the folded range [FSTART, FEND) of F back to the source range
 * [*SSTART, *SEND), widened to whole source characters. */
void folded_source_range(const struct folded *f, size_t fstart, size_t fend,
			 size_t *sstart, size_t *send);

#endif
