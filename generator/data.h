/* archive.json: the whole archive as data, with notes and positions as
 * W3C Web Annotations (TextQuoteSelector with exact, prefix and suffix).
 * Its shape is documented in README.md. */
#ifndef GLOSS_DATA_H
#define GLOSS_DATA_H

#include "render.h"

/* Writes archive.json. ARTICLES are sorted by date, oldest first. */
void build_data(struct ctx *c, struct writer *w,
		struct article *const *articles, size_t article_count);

#endif
