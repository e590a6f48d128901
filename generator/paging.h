/* Long lists cut into pages, so that no page grows with the archive.
 *
 * A list of entries in date order is cut either by year (PAGING_BY_YEAR:
 * a page per year) or only by size (PAGING_PACKED: years follow each
 * other on a page, each under a heading with id `y-YYYY`). Either way a
 * page holds entries of at most MAX weight (each entry weighs 1 unless
 * the caller says otherwise, and a page holds at least one entry), so a
 * year heavier than that continues on further parts.
 *
 * The pages of a list in folder DIR (from the site's root, ending in
 * '/') are named
 *
 *   PAGING_BY_YEAR   DIR/YYYY/index.html, then DIR/YYYY/2.html, 3.html...
 *   PAGING_PACKED    DIR/index.html, then DIR/2.html, 3.html...
 *
 * Entry pages are files DIR/ID.html, so folders such as DIR/2015/ can
 * never take an entry page's name; an entry whose ID is "2015" keeps
 * articles/2015.html beside the folder articles/2015/.
 *
 * Every page shows the years of the list (each linked, with its count)
 * and, when its year or its list has several parts, the parts, each
 * labelled by the dates of its first and last entries. Work is linear in
 * the number of entries. */
#ifndef GLOSS_PAGING_H
#define GLOSS_PAGING_H

#include "render.h"

enum paging_mode { PAGING_BY_YEAR, PAGING_PACKED };

/* The most entries gloss's lists put on one page. */
#define PAGING_MAX 1000

struct paging_page {
	int year;	    /* PAGING_BY_YEAR: the year of its entries */
	size_t part, parts; /* 1-based, of its year (by year) or the list */
	size_t from, to;    /* its entries: [from, to) */
};

struct paging_year {
	int year;
	size_t from, to; /* its entries */
	size_t page;	 /* the page holding its first entry */
};

/* A list cut into pages. Owns its arrays; DIR and DATES are borrowed
 * and must outlive it. */
struct paging {
	enum paging_mode mode;
	const char *dir;
	char *root; /* from a page of the list to the site's root: "../../" */
	const struct date *const *dates;
	struct paging_page *pages;
	size_t page_count;
	struct paging_year *years;
	size_t year_count;
};

/* Cuts N entries, whose dates DATES[i] are in order, into pages of at
 * most MAX weight; WEIGHTS[i] is entry i's (NULL: 1 each). */
void paging_cut(struct paging *pg, enum paging_mode mode, const char *dir,
		const struct date *const *dates, const size_t *weights,
		size_t n, size_t max);
void paging_release(struct paging *pg);

/* The entries of page K's whole year (PAGING_BY_YEAR) or of the whole
 * list (PAGING_PACKED), all its parts: [*FROM, *TO). */
void paging_span(const struct paging *pg, size_t k, size_t *from, size_t *to);

/* Appends the path of page K after ROOT ("" for the path from the
 * site's root). */
void paging_url(const struct paging *pg, struct buf *out, const char *root,
		size_t k);

/* Appends the link to year Y's first entry (its page, and in a packed
 * list the year's heading) after ROOT. */
void paging_year_url(const struct paging *pg, struct buf *out, const char *root,
		     size_t y);

/* Appends the list of years to PARENT: each year linked, with its count
 * of entries (ONE, MANY: "article", "articles"); year CURRENT, when not
 * negative, is marked as the current page. */
void paging_years(struct ctx *c, xmlNodePtr parent, const struct paging *pg,
		  int current, const char *one, const char *many);

/* What the pages of a list show around their entries. */
struct paging_frame {
	enum template_kind kind;
	const struct crumb *crumbs; /* above the pages, from the root */
	size_t crumb_count;
	const char *title;	/* "Articles": pages are "Articles, 2015" */
	const char *crumb;	/* the last crumb of a packed list's pages */
	const char *one, *many; /* what the years count */
	/* Fills page K: its entries are [pg->pages[k].from, .to). */
	void (*fill)(struct ctx *c, struct tpage *p, const struct paging *pg,
		     size_t k, void *arg);
	void *arg;
};

/* Writes every page of PG through its theme template: title, crumbs,
 * slot "years" (the years), slot "parts" (the parts of the page's year
 * or list, when more than one), then whatever FRAME->fill adds.
 * C->root is the list's pages' own while they are filled, and restored
 * after. */
void paging_write(struct ctx *c, struct writer *w, const struct paging *pg,
		  const struct paging_frame *frame);

/* Starts a year's section in a packed page or a list of several years:
 * <section class="year"> holding <h2 id="y-YYYY">YYYY</h2> (at LEVEL),
 * and returns the section. */
xmlNodePtr paging_year_section(xmlNodePtr parent, int year, int level);

#endif
