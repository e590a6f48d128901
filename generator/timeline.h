/* timeline.html: articles, proposals and positions on one time axis.
 *
 * The page has two parts. The list by date is the primary content: every
 * article, proposal and position, grouped by year (headings with ids
 * `y-YYYY`), each dated exactly at the precision the archive gives; past
 * 500 entries it moves to pages by year, timeline/YYYY/index.html
 * (paging.h), which timeline.html links. The chart is an inline SVG drawn
 * at build time through libxml2's tree: a lane for each of the 12 parties
 * with the most proposals made and positions taken (by name), one for the
 * other parties together, counted per month, and one lane of article
 * counts; a party lane of more than 60 marks is counted too, so the chart
 * stays the same size however many parties and proposals there are. A
 * date known to the day is a point; one known to a month or a year is a
 * bar across that month or year. Every mark is a link with a <title>.
 *
 * Coordinates are integers in tenths of a pixel, printed without printf's
 * %f, so the SVG is the same under any locale. Articles are counted per
 * month (per year on long axes), so the chart stays small however many
 * articles the archive holds; the work is linear in the number of entries
 * apart from sorting the positions. */
#ifndef GLOSS_TIMELINE_H
#define GLOSS_TIMELINE_H

#include "render.h"

/* Writes timeline.html and, for a long list, timeline/YYYY/ (C->root
 * must be "", and is again on return). */
void build_timeline(struct ctx *c, struct writer *w);

#endif
