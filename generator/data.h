/* archive.json: the whole archive as data, with notes and positions as
 * W3C Web Annotations (TextQuoteSelector with exact, prefix and suffix,
 * and TextPositionSelector in code points of the capture). Its shape is
 * documented in README.md ("archive.json").
 *
 * Also the two things the data and the feeds share: URLs as seen from
 * outside the site, and Markdown as plain text. */
#ifndef GLOSS_DATA_H
#define GLOSS_DATA_H

#include "render.h"

/* Writes archive.json. */
void build_data(struct ctx *c, struct writer *w);

/* Appends the URL of REL (a path from the site's root, such as
 * "articles/x.html#n-y") to OUT: absolute under BASE_URL when it is not
 * NULL (a '/' put between them when BASE_URL lacks one), REL itself
 * otherwise. Bytes that may not appear in a URL are percent-encoded. */
void site_url(struct buf *out, const char *base_url, const char *rel);

/* Appends the top-level blocks FIRST up to END (exclusive; NULL for all
 * that follow) to OUT as a reader would read them: no markup, blocks
 * separated by a blank line, list items on lines of their own, an entry
 * link with empty text as the entry's name or title (from A), raw HTML
 * left out. */
void plain_text_blocks(const struct archive *a, cmark_node *first,
		       cmark_node *end, struct buf *out);

#endif
