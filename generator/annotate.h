/* Annotating articles: which lines are shown, where each note's and each
 * position's passage lies in the capture, and which parties each article
 * mentions. Runs after every entry's front matter is read. */
#ifndef GLOSS_ANNOTATE_H
#define GLOSS_ANNOTATE_H

#include "archive.h"

/* Splits every article into lines, applies omit and omit_lines, anchors
 * every note and position (reporting passages not found, or found more
 * than once, at their source position), fills article->notes,
 * article->positions and the mention counts of articles and parties.
 * Articles are annotated on THREADS threads; messages come in article
 * order whatever the number. */
void annotate_articles(struct archive *a, unsigned threads, struct diag *d);

/* Opens A's annotation cache (acache.h), once its parties are read:
 * when it holds records, articles are not parsed as they are read, but
 * when something needs their tree (A->defer_trees). */
void annotate_open_cache(struct archive *a);
/* Parses ART's Markdown now, and lets go of its .md's bytes. */
void article_parse(struct archive *a, struct article *art);

/* Makes sure ART's Markdown is parsed (ART->body.doc, ART->intro_end,
 * and its notes' blocks): an article annotated from the cache is parsed
 * only when this is first called, on any thread, by whatever needs its
 * tree. Nothing to do for an article whose .md could not be read. */
void article_tree(const struct archive *a, const struct article *art);

/* Writes the HTML-id-safe slug of a folded passage: its first words in
 * lowercase ASCII and a hash of the whole, so that it changes only when
 * the passage does. The caller frees the result. */
char *passage_slug(const char *folded, size_t len);

#endif
