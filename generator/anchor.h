/* Anchoring: finding an editor's passage in an article's folded text. */
#ifndef GLOSS_ANCHOR_H
#define GLOSS_ANCHOR_H

#include <stddef.h>

#include "fold.h"

/* Counts the occurrences of NEEDLE (NLEN bytes, already folded, NLEN > 0)
 * in HAY->text, overlapping ones included, in linear time. The folded
 * start offsets of the first MAX occurrences go to STARTS (may be NULL
 * when MAX is 0). Returns the total count. */
size_t anchor_find_all(const struct folded *hay, const char *needle,
		       size_t nlen, size_t *starts, size_t max);

/* For a NEEDLE that does not occur in HAY: finds the passage of HAY most
 * like it, for an error message that shows the editor what the article
 * says instead. Stores the folded range in [*START, *END): it lies within
 * one line of HAY (lines are separated by '\n'), is about as long as the
 * needle, and is cut at character boundaries. Runs in O(len(HAY) * log
 * NLEN) or better. When HAY is empty, both are 0. */
void anchor_closest(const struct folded *hay, const char *needle,
		    size_t nlen, size_t *start, size_t *end);

#endif
