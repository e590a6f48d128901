/* feed.xml (Atom 1.0) and sitemap.xml, written with libxml2's xmlwriter
 * when archive.yaml sets base_url: both need absolute URLs. */
#ifndef GLOSS_FEEDS_H
#define GLOSS_FEEDS_H

#include "render.h"

/* Writes feed.xml and sitemap.xml when C->a->base_url is set; nothing
 * otherwise. ARTICLES are sorted by date, oldest first; the feed lists
 * them newest first, each date as its first day at midnight UTC. Called
 * after every page is written: the sitemap lists the HTML files in W's
 * manifest, in its order, but 404.html; above 50,000 of them sitemap.xml
 * is an index of sitemap-N.xml files. */
void build_feeds(struct ctx *c, struct writer *w,
		 struct article *const *articles, size_t article_count);

#endif
