/* search.html and its index: full-text search that works from file://.
 *
 * The index (its files and their format are in sindex.h) holds a doc for
 * each unit results link to. Each entry's first doc has fragment "" and
 * stands for the entry as a whole: the entry's title is searched with it,
 * and its text is the entry's metadata and introduction. The others are
 * smaller: each shown line of an article (l-N), each note (n-SLUG: the
 * passage and the note), and each section of a Markdown body that has
 * headings (the heading's id, given by the same code that renders the
 * page). Entries come in this order: the home page, free pages, parties,
 * proposals and articles (both oldest first), which is the order results
 * of equal rank are shown in.
 *
 * A rebuild copies the docs of each entry whose page's inputs did not
 * change from the previous build's index (sprev.h), with their postings,
 * rather than render and read its text again; the index is the same
 * bytes either way.
 *
 * search.html itself holds the form and, for readers without
 * JavaScript, slot "lists": links to the lists of articles, proposals
 * and parties and to the free pages, whose size does not grow with the
 * archive; or slot "all", every article, proposal, party and page, for
 * a theme that has no search script and lists everything instead. */
#ifndef GLOSS_SEARCH_H
#define GLOSS_SEARCH_H

#include "render.h"
#include "sindex.h"

/* Writes search.html and the search index (C->root must be ""), and sets
 * C's search_* counts to the index's size. Time and memory are linear
 * in the size of the archive. */
void build_search(struct ctx *c, struct writer *w);

#endif
