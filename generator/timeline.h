/* timeline.html: articles, proposals and positions on one time axis, with
 * a chart drawn at build time as SVG through libxml2's tree. */
#ifndef GLOSS_TIMELINE_H
#define GLOSS_TIMELINE_H

#include "render.h"

/* Writes timeline.html (C->root must be ""). ARTICLES and PROPOSALS are
 * the archive's, sorted by date (sort_*_by_date). */
void build_timeline(struct ctx *c, struct writer *w,
		    struct article *const *articles, size_t article_count,
		    struct proposal *const *proposals, size_t proposal_count);

#endif
