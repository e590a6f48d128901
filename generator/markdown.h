/* Markdown through cmark's tree: parsing bodies, finding entry links, and
 * rendering straight into a libxml2 tree, so that no HTML text is ever
 * pasted together and raw HTML in Markdown never reaches a page. */
#ifndef GLOSS_MARKDOWN_H
#define GLOSS_MARKDOWN_H

#include <cmark.h>
#include <libxml/tree.h>
#include <stdbool.h>

#include "archive.h"
#include "buf.h"

/* Parses TEXT (LEN bytes) whose first line is line FIRST_LINE of its
 * file. Lines end at '\n' or "\r\n" only, as everywhere in gloss (a
 * lone '\r' is a space), so line L of the tree is line FIRST_LINE + L - 1
 * of the file. The caller owns BODY->doc (cmark_node_free). */
void md_parse(struct body *body, const char *text, size_t len,
	      int first_line);

/* Where node N starts in the text given to md_parse: *LINE and *COL.
 * The line is cmark's, but right for inlines where cmark 0.30 is wrong:
 * a link or image that spans lines (cmark gives the line where it ends)
 * and anything after a backslash hard break (cmark forgets that line);
 * a line break inside a code span is not counted. The column is
 * cmark's, which is wrong after a backslash hard break and on a lazy
 * line of a block quote: check it against the text before showing it. */
void md_position(cmark_node *n, int *line, int *col);

/* What a link destination is. */
enum link_class {
	LINK_ENTRY,    /* article:, party:, proposal: or page: */
	LINK_WEB,      /* http:, https:, mailto: */
	LINK_RELATIVE, /* no scheme: a file of the site, or a fragment */
	LINK_UNSAFE,   /* any other scheme: dropped */
};

/* Classifies URL. For LINK_ENTRY stores the entry kind and the ID (which
 * is the rest of URL, not yet validated: may be empty or malformed). */
enum link_class md_link_class(const char *url, enum entry_kind *kind,
			      const char **id);

/* Appends the text of N and its descendants to OUT, as a reader sees it:
 * emphasis dropped, line breaks as spaces. */
void md_plain_text(cmark_node *n, struct buf *out);

/* How to turn entry links into URLs while rendering. RESOLVE appends the
 * relative URL of entry ID of KIND to HREF and returns its title, or
 * returns NULL when there is no such entry (the link is then rendered as
 * its text alone; the loader has already reported it). ROOT is the path
 * from the page to the site's root ("" or "../"), put before relative
 * links, which Markdown bodies write from the root. */
struct md_links {
	const char *(*resolve)(void *ctx, enum entry_kind kind,
			       const char *id, struct buf *href);
	void *ctx;
	const char *root;
	/* The level the body's highest headings take: all its headings are
	 * shifted by the same amount, so that their nesting is kept and
	 * none outranks the page's own; levels stop at 6. */
	int top_heading;
	int shift; /* worked out by md_render_blocks: leave 0 */
};

/* Renders the top-level blocks FIRST up to END (exclusive; NULL for all
 * that follow) as children of PARENT. A link whose text has no words
 * shows its entry's title, or else its URL. */
void md_render_blocks(cmark_node *first, cmark_node *end, xmlNodePtr parent,
		      const struct md_links *links);

/* A digest of the top-level blocks FIRST up to END (exclusive) as
 * md_render_blocks renders them: every node's type, text, and the
 * attributes it is rendered with (links' destinations and titles, as
 * resolved, reference definitions included). What else a rendering
 * takes, the titles of the entries links name, is the caller's to
 * digest. */
uint64_t md_blocks_digest(cmark_node *first, cmark_node *end);

/* Renders the inline content of the single paragraph of a document (a
 * one-line Markdown value such as a proposal term) into PARENT. */
void md_render_inline(cmark_node *doc, xmlNodePtr parent,
		      const struct md_links *links);

/* Appends URL to OUT, percent-encoding bytes that may not appear in a URL
 * as written (space, quotes, angle brackets, non-ASCII...). */
void url_append(struct buf *out, const char *url);

#endif
