/* gloss new: scaffolds an entry for the editor to complete.
 *
 *   new article ID --from RAW.txt   copies the capture in, byte for byte,
 *                                   as articles/ID.txt and writes ID.md
 *                                   proposing a title, a date and omit
 *                                   lines (see scaffold.c for the rules)
 *   new party|proposal|page ID      writes a skeleton gloss check accepts
 *
 * Nothing is overwritten: an ID whose files exist is refused. */
#ifndef GLOSS_SCAFFOLD_H
#define GLOSS_SCAFFOLD_H

#include "diag.h"

struct scaffold_options {
	const char *content; /* the content folder */
	const char *kind;    /* article, party, proposal or page */
	const char *id;
	const char *from;    /* article: the raw capture */
	const char *date;    /* article, proposal: overrides the inferred date */
	const char *by;      /* proposal: the proposing party's ID */
};

/* Writes the new entry and names the files written on stderr. Returns 0;
 * 1 when the ID, the capture or the archive is not fit (reported through
 * D); 2 for options that do not fit the kind; 3 when writing failed. */
int scaffold_new(const struct scaffold_options *o, struct diag *d);

#endif
