/* search.html and its index: full-text search that works from file://.
 * The index is a generated script file the search page loads with a
 * <script> element (no fetch or XHR); the theme's own script searches it. */
#ifndef GLOSS_SEARCH_H
#define GLOSS_SEARCH_H

#include "render.h"

/* Writes search.html and the search index (C->root must be ""), and sets
 * C->search_index_bytes to the index's size. */
void build_search(struct ctx *c, struct writer *w);

#endif
