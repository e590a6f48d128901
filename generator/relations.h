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
/* The same for proposal P's body, then its terms (parsed), in the text
 * cache (archive.c): no link is in a note. */
void relations_proposal_link_record(struct proposal *p, struct buf *out);
/* Reads what relations_link_record wrote into OUT (empty), for a body of
 * NOTE_COUNT notes: false, with OUT empty, when it does not fit them.
 * A record that says the links are checked on the tree leaves OUT empty,
 * not cached. */
bool relations_read_links(struct link_list *out, size_t note_count,
			  struct record_reader *r);
/* Frees L's links and leaves it empty. */
void relations_forget_links(struct link_list *l);

/* Fills the derived lists: proposals made, mediated and addressed and
 * positions per party; coverage per proposal; proposals covered and
 * parties named per article; articles per party by mentions. */
void relations_derive(struct archive *a);

/* Sorts ARR (COUNT proposals) by date, then ID. */
void sort_proposals_by_date(struct proposal **arr, size_t count);
/* Sorts ARR (COUNT articles) by date, then ID. */
void sort_articles_by_date(struct article **arr, size_t count);

#endif
