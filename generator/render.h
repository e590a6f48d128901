/* Pieces shared by every page of the site: the rendering context, links
 * between entries, dates and stances as readers see them, the page frame
 * (title, navigation, breadcrumbs) and lists that several pages show.
 *
 * Everything here builds libxml2 nodes; text goes in as text nodes, so it
 * is escaped when the page is written. */
#ifndef GLOSS_RENDER_H
#define GLOSS_RENDER_H

#include <libxml/tree.h>

#include "archive.h"
#include "buf.h"
#include "markdown.h"
#include "sindex.h"
#include "template.h"
#include "writer.h"

struct history;
struct page_inputs;

/* What a page is rendered with. A, T and ROOT are borrowed; HREF and TEXT
 * are scratch buffers owned by the context, reset by whoever uses them. */
struct ctx {
	const struct archive *a;
	const struct theme *t;
	const char *root; /* "" for pages at the top, "../" below */
	struct buf href;  /* scratch for URLs */
	struct buf text;  /* scratch for text */
	/* a page's bytes as they are written: kept from page to page, so
	 * that each page does not grow a buffer from nothing */
	struct buf page;
	struct sindex_stats search; /* set by build_search */
	/* set by build_data: entries in archive.json, and how many of them
	 * were copied from the previous build's */
	size_t data_entries, data_copied;
	const struct history *history; /* borrowed; NULL without git history */
	/* The archive's articles and proposals by date, oldest first (then
	 * by ID): worked out once per build, borrowed by every page. */
	struct article *const *articles_by_date;
	struct proposal *const *proposals_by_date;
	/* What each page is made from (inputs.h): borrowed. */
	const struct page_inputs *inputs;
	/* The previous build's search index and archive.json when
	 * prev_read (read ahead, prevsite.h: borrowed; NULL when there are
	 * none to use); otherwise the jobs read them. */
	bool prev_read;
	struct sprev *prev_index;
	struct dprev *prev_data;
	/* Where archive.json's index (dprev.h) and the search index's
	 * record (sindex_record) go once they are written, or NULL for
	 * none: borrowed. */
	struct buf *data_index, *search_index;
	/* The caller's work done as a job (site_hooks), or NULL. */
	void (*aside)(void *arg);
	void *aside_arg;
};

/* One step of a page's breadcrumbs. */
struct crumb {
	const char *href; /* relative to the root; NULL for the current page */
	const char *text;
};

/* Appends the path of an entry's page, from the site's root, after ROOT
 * ("" for a root-relative path, "../" from a page below the root). */
void entry_url(struct buf *out, const char *root, enum entry_kind kind,
	       const char *id);

/* Link rewriting for Markdown rendered on the current page, its highest
 * headings at level TOP_HEADING (2 for a body under the page's <h1>). */
struct md_links links_for(struct ctx *c, int top_heading);

/* Appends <a> to the entry's page (#FRAGMENT when not NULL) and returns
 * it. */
xmlNodePtr link_entry(struct ctx *c, xmlNodePtr parent, enum entry_kind kind,
		      const char *id, const char *text, const char *fragment);

/* DATE as ISO 8601 at its precision ("2008", "2008-04", "2008-04-23")
 * and as readers see it ("2008", "April 2008", "23 April 2008"),
 * appended to OUT. */
void date_iso(struct buf *out, const struct date *date);
void date_shown(struct buf *out, const struct date *date);

/* Appends <time datetime=ISO>shown</time>, exactly at DATE's precision. */
void add_date(xmlNodePtr parent, const struct date *date);

/* Appends a stance as a shape and a word, never colour alone. */
void add_stance(xmlNodePtr parent, enum stance s);
/* The shape that stands for stance S (a UTF-8 string). */
const char *stance_shape(enum stance s);

/* Appends links to N parties: "A", "A and B", "A, B and C". */
void add_party_links(struct ctx *c, xmlNodePtr parent,
		     struct party *const *parties, size_t n);

/* Sets B to a fragment id: PREFIX followed by the passage's slug. The
 * prefixes are "p-" (a note's passage), "n-" (the note), "pp-" (a
 * position's passage) and "pos-" (the position beside the text). */
void note_id(struct buf *b, const char *prefix, const struct passage *p);

/* Starts a page of KIND: document title, page title, site title, tagline,
 * navigation and breadcrumbs. The caller fills its slots, then calls
 * page_end, which writes it to REL and frees it. */
struct tpage *page_begin(struct ctx *c, enum template_kind kind,
			 const char *title, const struct crumb *crumbs,
			 size_t crumb_count);
void page_end(struct ctx *c, struct writer *w, struct tpage *p,
	      const char *rel);

/* Renders body B's top-level blocks up to END (NULL: all) into SLOT, its
 * highest headings at level TOP_HEADING, giving each heading an id unique
 * on the page. */
void render_body(struct ctx *c, struct tpage *p, const char *slot,
		 const struct body *b, cmark_node *end, int top_heading);

/* Gives every h1–h6 below ROOT without an id one made of its words
 * ("terms-of-the-truce"), unique among the ids already in the document;
 * never one of the form of line, passage, note and position ids (l-,
 * p-, n-, pp-, pos-), which article pages add after their headings. */
void heading_ids(xmlNodePtr root);

/* List items: date, linked title, outlet or status. */
void article_item(struct ctx *c, xmlNodePtr list, const struct article *art);
void proposal_item(struct ctx *c, xmlNodePtr list, const struct proposal *p);

/* The quote of a position, linked to its passage in the source. */
void add_evidence(struct ctx *c, xmlNodePtr parent,
		  const struct position *pos);

/* One note or entry that links a party or proposal, as an item of UL:
 * a note shows its passage and its text. */
void referrer_item(struct ctx *c, xmlNodePtr ul, const struct reference *r);

/* Notes and entries that link a party or proposal, into slot "notes":
 * all of REFS; or, when NOTES is not NULL, its parties and pages and
 * then NOTES[0..NOTE_COUNT) in place of its notes, articles and
 * proposals (the caller lists those elsewhere). Returns the list, or
 * NULL when the page has no such slot or nothing to show. */
xmlNodePtr add_referrers(struct ctx *c, struct tpage *p,
			 const struct reference_list *refs,
			 const struct reference *const *notes,
			 size_t note_count);

#endif
