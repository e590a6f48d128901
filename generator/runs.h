/* Runs of words in text, found sixteen bytes at a time.
 *
 * Most text is words with a single ' ' between them. Folding a capture
 * and gathering the plain text of a search doc copy such a run as it
 * stands, and change only what ends it (a run of white space, a
 * character to fold), so finding where a run ends is their inner loop. */
#ifndef GLOSS_RUNS_H
#define GLOSS_RUNS_H

#include <stdbool.h>
#include <stddef.h>

/* White space as both have it: ' ', and \t \n \v \f \r. */
static inline bool runs_is_space(unsigned char c)
{
	return c <= ' ' && (c == ' ' || (c >= '\t' && c <= '\r'));
}

/* Where the run that goes on from I ends in S (of LEN bytes): bytes
 * other than white space (ASCII ones only, when ASCII_ONLY), and single
 * ' 's each between two of them. I itself when S[I] does not go on a
 * run; the byte before I is taken to be one of the run's. */
size_t runs_end(const char *s, size_t len, size_t i, bool ascii_only);

#endif
