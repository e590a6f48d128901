/* What git says, as readers see it: changes.html, the recent commits
 * that changed the content folder with the entries each changed, and the
 * line on each entry's page saying when its files last changed. Both
 * appear only when C->history is present (history.h). */
#ifndef GLOSS_CHANGES_H
#define GLOSS_CHANGES_H

#include "render.h"

/* Writes changes.html when C->history is present (C->root must be "");
 * nothing otherwise. */
void build_changes(struct ctx *c, struct writer *w);

/* Fills slot "history" of page P, the page of entry KIND ID: the date
 * its files last changed, linked to that commit on changes.html (or to
 * the page when the commit is older than those listed), and how many
 * commits changed them. Leaves the slot empty without history. */
void add_history(struct ctx *c, struct tpage *p, enum entry_kind kind,
		 const char *id);

/* True when the site has a changes.html. */
bool have_changes(const struct ctx *c);

#endif
