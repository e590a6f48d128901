/* A list on an entry's page that grows with the archive, such as a
 * party's positions, the articles that mention it, or what links it.
 *
 * Up to SHOWN items, the entry's page shows them all, in the order it
 * gives. Beyond that, it shows SHOWN of them (long_list_slot: the latest,
 * newest first; or a choice of the caller's, followed by
 * long_list_more) and a way to all of them, by date, on pages of their
 * own: DIR/index.html, DIR/2.html... (paging.h, PAGING_PACKED), DIR
 * being "parties/ID/FOLDER/" or "proposals/ID/FOLDER/". Each page holds
 * at most PER_PAGE items, under a heading per year. */
#ifndef GLOSS_LONGLIST_H
#define GLOSS_LONGLIST_H

#include "paging.h"

struct long_list {
	/* Given by the caller. */
	enum entry_kind kind; /* the entry whose page holds the list */
	const char *id, *name;
	const char *folder;     /* "positions" */
	const char *heading;    /* the pages' last crumb: "Positions" */
	const char *one, *many; /* "position", "positions" */
	/* What the items are, before the entry's name: "positions of" */
	const char *what;
	/* Texts that say otherwise than WHAT, or NULL, borrowed until
	 * long_list_write: the pages' title ("Positions of NAME"), their
	 * lede before the link to the entry's page ("The N positions of
	 * NAME, by date. The latest are also on "), and what the entry's
	 * page says of the items it shows ("Above, the 50 latest of the N
	 * positions of NAME. "). */
	const char *title, *lede, *above;
	size_t shown, per_page;
	const struct date *(*date_of)(const void *item);
	/* Orders items of the same date (qsort's convention). */
	int (*tie)(const void *a, const void *b);
	/* Renders ITEMS[0..N) into PARENT: a table, a list. */
	void (*render)(struct ctx *c, xmlNodePtr parent,
		       const void *const *items, size_t n);

	/* Made by long_list_cut; all owned. */
	const void **by_date; /* oldest first */
	const struct date **dates;
	size_t count;         /* 0 while the entry's page shows them all */
	char *dir;
	struct paging pg;
};

/* Takes ITEMS[0..N), borrowed until long_list_release; orders and cuts
 * them into pages when there are more than L->shown. */
void long_list_cut(struct long_list *l, const void *const *items, size_t n);

/* Fills SLOT of the entry's page: all the items, or the latest and the
 * way to the rest. */
void long_list_slot(struct ctx *c, xmlNodePtr slot, const struct long_list *l,
		    const void *const *items, size_t n);

/* Appends to PARENT, under the items shown, the way to all of them: what
 * is shown, a link to the list's first page, and its years. */
void long_list_more(struct ctx *c, xmlNodePtr parent,
		    const struct long_list *l);

/* Writes the list's own pages, if it has any. */
void long_list_write(struct ctx *c, struct writer *w, struct long_list *l);

void long_list_release(struct long_list *l);

#endif
