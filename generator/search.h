/* search.html and its index: full-text search that works from file://.
 *
 * The index is a generated script file, SEARCH_INDEX at the site's root,
 * that search.html loads with a <script> element (no fetch or XHR, which
 * file:// pages may not use); the theme's own script searches it. The file
 * holds one assignment, `window.GLOSS_SEARCH = {...};`, of a JSON object:
 *
 *   "version": 1
 *   "kinds":   ["article", "note", "party", "proposal", "page"]
 *   "entries": [[title, url, date shown, date ISO], ...]  one per page;
 *              url from the site's root; the dates only for articles
 *              and proposals
 *   "docs":    [[entry, kind, fragment, text, heading], ...]  the units
 *              results link to: ENTRY indexes "entries", KIND "kinds";
 *              FRAGMENT is the id on the entry's page ("" for the top),
 *              TEXT plain text with white space collapsed, HEADING the
 *              section's heading, left out when there is none
 *
 * Each entry's first doc has fragment "" and stands for the entry as a
 * whole: the entry's title is searched with it. The others are smaller:
 * each shown line of an article (l-N), each note (n-SLUG: the passage
 * and the note), and each section of a Markdown body that has headings
 * (the heading's id, given by the same code that renders the page).
 * Entries come in this order: the home page, free pages, parties,
 * proposals and articles (both newest first), which is the order
 * results of equal rank are shown in.
 *
 * search.html itself holds the form and, for readers without
 * JavaScript, slot "all": a list of every article, proposal, party and
 * page. */
#ifndef GLOSS_SEARCH_H
#define GLOSS_SEARCH_H

#include "render.h"

#define SEARCH_INDEX "search-index.js"

/* Writes search.html and the search index (C->root must be ""), and sets
 * C->search_index_bytes to the index's size. Time and memory are linear
 * in the size of the archive. */
void build_search(struct ctx *c, struct writer *w);

#endif
