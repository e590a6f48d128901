/* Themes: HTML templates with marked slots, filled through libxml2's tree.
 *
 * A theme folder holds layout.html, the frame of every page, and one
 * template per kind of page whose <body> children become the layout's
 * `data-gloss="main"` element. gloss knows only these marks:
 *
 *   data-gloss="NAME"     the element's children are replaced by slot NAME
 *                         (left empty when the page has no such content)
 *   data-gloss-if="NAME"  the element is removed when slot NAME is empty
 *   data-gloss-root       the element's href or src is relative to the
 *                         site's root: gloss prefixes "../" where needed
 *
 * and the attributes are removed from the pages written. Templates are
 * parsed once per run; each page works on a copy. */
#ifndef GLOSS_TEMPLATE_H
#define GLOSS_TEMPLATE_H

#include <libxml/HTMLtree.h>
#include <stdbool.h>

#include "buf.h"
#include "diag.h"

enum template_kind {
	TPL_INDEX,
	TPL_ARTICLE,
	TPL_ARTICLES,
	TPL_PARTY,
	TPL_PARTIES,
	TPL_PROPOSAL,
	TPL_PROPOSALS,
	TPL_POSITIONS,
	TPL_PAGE,
	TPL_TIMELINE,
	TPL_SEARCH,
	TPL_CHANGES,
	TPL_COUNT
};

/* A marked element of a kind's page, found once per theme: the
 * element's number in document order (elements only), and its marks. */
struct tmark {
	size_t element;
	char *slot;  /* owned: data-gloss, or NULL */
	char *cond;  /* owned: data-gloss-if, or NULL */
	bool root;   /* data-gloss-root */
};

/* A prepared page laid out in one block, for pages to copy whole
 * (template.c); BYTES is NULL when the page cannot be. */
struct timage {
	char *bytes;
	size_t size;
	size_t *pointers; /* offsets of the fields that point inside */
	size_t pointer_count;
	size_t *marked;   /* offset of each mark's element */
};

/* A kind's page before any content: the layout with the kind's template
 * in its main slot, its marks recorded and stripped. Pages copy it. */
struct tprepared {
	htmlDocPtr doc;
	struct tmark *marks; /* in document order */
	size_t mark_count;
	struct timage image;
};

struct theme {
	char *dir;
	htmlDocPtr layout;
	htmlDocPtr kinds[TPL_COUNT];
	struct tprepared pages[TPL_COUNT];
};

/* Loads the theme in DIR. Reports a missing or unreadable template, or a
 * layout without a main slot, through D and returns -1. */
int theme_load(struct theme *t, const char *dir, struct diag *d);
void theme_release(struct theme *t);

/* One page being filled: a copy of the layout with the kind's template in
 * its main slot. */
struct tpage {
	htmlDocPtr doc;
	const struct tmark *marks; /* the theme's, for this kind */
	xmlNodePtr *marked; /* per mark: its element in this page */
	size_t marked_count;
	bool *filled;       /* per marked element: slot content was set */
	bool in_arena;      /* doc lives in the thread's arena (xmlarena.h) */
};

/* Starts a page of KIND. The caller owns the result (tpage_free). */
struct tpage *tpage_new(const struct theme *t, enum template_kind kind);
void tpage_free(struct tpage *p);

/* Returns the first element of slot NAME, emptied and marked as filled,
 * for the caller to append content to; NULL when the theme has no such
 * slot, in which case the page simply does not show that content. */
xmlNodePtr tpage_slot(struct tpage *p, const char *name);

/* Sets the text of every element of slot NAME. */
void tpage_set_text(struct tpage *p, const char *name, const char *text);

/* Completes the page: removes empty optional parts, makes root-relative
 * links relative to ROOT ("" or "../"), sets the document's LANG, strips
 * the marks, and serialises it as UTF-8 HTML5 into OUT. */
void tpage_finish(struct tpage *p, const char *root, const char *lang,
		  struct buf *out);

#endif
