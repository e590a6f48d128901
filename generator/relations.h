/* Relations between entries: the links editors write in Markdown, and the
 * lists derived from them and from front matter that pages show. */
#ifndef GLOSS_RELATIONS_H
#define GLOSS_RELATIONS_H

#include "archive.h"

/* Checks every link in every Markdown body and proposal term: reports
 * malformed or unknown entry IDs at their file, line and column, warns of
 * dropped unsafe links and of raw HTML, and records each note or entry
 * that links a party or proposal in that entry's referrers. Articles are
 * checked on THREADS threads; messages and referrers come in the order
 * one thread gives. */
void relations_check_links(struct archive *a, unsigned threads,
			   struct diag *d);

/* Fills the derived lists: proposals made, mediated and addressed and
 * positions per party; coverage per proposal; proposals covered and
 * parties named per article; articles per party by mentions. */
void relations_derive(struct archive *a);

/* Sorts ARR (COUNT proposals) by date, then ID. */
void sort_proposals_by_date(struct proposal **arr, size_t count);
/* Sorts ARR (COUNT articles) by date, then ID. */
void sort_articles_by_date(struct article **arr, size_t count);

#endif
