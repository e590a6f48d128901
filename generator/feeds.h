/* feed.xml (Atom 1.0) and sitemap.xml, written with libxml2's xmlwriter
 * when archive.yaml sets base_url: both need absolute URLs. */
#ifndef GLOSS_FEEDS_H
#define GLOSS_FEEDS_H

#include "render.h"

/* Writes feed.xml and sitemap.xml when C->a->base_url is set; nothing
 * otherwise. The feed lists the articles newest first, each date as its first day at midnight UTC. Called
 * after every page is written: the sitemap lists the HTML files in W's
 * manifest, in its order, but 404.html; above 50,000 of them sitemap.xml
 * is an index of sitemap-N.xml files. */
void build_feeds(struct ctx *c, struct writer *w);

#endif
