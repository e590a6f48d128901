/* Relations between entries: the links editors write in Markdown, and the
 * lists derived from them and from front matter that pages show. */
#ifndef GLOSS_RELATIONS_H
#define GLOSS_RELATIONS_H

#include "archive.h"
#include "buf.h"
#include "record.h"

/* Checks every link in every Markdown body and proposal term: reports
 * malformed or unknown entry IDs at their file, line and column, warns of
 * dropped unsafe links and of raw HTML, and records each note or entry
 * that links a party or proposal in that entry's referrers. Articles are
 * checked on THREADS threads; messages and referrers come in the order
 * one thread gives. */
void relations_check_links(struct archive *a, unsigned threads,
			   struct diag *d);

/* Appends to OUT, for ART's record in the annotation cache (acache.h),
 * the entry links of its body (parsed, its notes anchored) in the order
 * relations_check_links meets them, each with its note. An article
 * whose links give a message whatever the archive holds (raw HTML, an
 * unsafe link, an image of an entry, a malformed ID) has its links
 * checked on its tree instead, and the record says only that. Layout,
 * in record.h's numbers: a flag (1: checked on the tree); when 0, the
 * count of links, then each as its note (0: none, else the note's index
 * + 1), its entry kind, and its ID's length and bytes. */
void relations_link_record(struct article *art, struct buf *out);
/* Reads what relations_link_record wrote into ART, whose notes are read
 * already: false, with ART as it was, when it does not fit them. */
bool relations_read_links(struct article *art, struct record_reader *r);

/* Fills the derived lists: proposals made, mediated and addressed and
 * positions per party; coverage per proposal; proposals covered and
 * parties named per article; articles per party by mentions. */
void relations_derive(struct archive *a);

/* Sorts ARR (COUNT proposals) by date, then ID. */
void sort_proposals_by_date(struct proposal **arr, size_t count);
/* Sorts ARR (COUNT articles) by date, then ID. */
void sort_articles_by_date(struct article **arr, size_t count);

#endif
