/* timeline.html: articles, proposals and positions on one time axis.
 *
 * The page has two parts. The list by date is the primary content: every
 * article, proposal and position, grouped by year (headings with ids
 * `y-YYYY`), each dated exactly at the precision the archive gives. The
 * chart is an inline SVG drawn at build time through libxml2's tree: one
 * lane per party that made proposals or holds positions, and one lane of
 * article counts. A date known to the day is a point; one known to a month
 * or a year is a bar across that month or year. Every mark is a link with
 * a <title>.
 *
 * Coordinates are integers in tenths of a pixel, printed without printf's
 * %f, so the SVG is the same under any locale. Articles are counted per
 * month (per year on long axes), so the chart stays small however many
 * articles the archive holds; the work is linear in the number of entries
 * apart from sorting the positions. */
#ifndef GLOSS_TIMELINE_H
#define GLOSS_TIMELINE_H

#include "render.h"

/* Writes timeline.html (C->root must be ""). */
void build_timeline(struct ctx *c, struct writer *w);

#endif
