/* The site: every page of an archive, rendered through a theme and
 * written to the output folder. */
#ifndef GLOSS_SITE_H
#define GLOSS_SITE_H

#include "archive.h"
#include "diag.h"
#include "history.h"
#include "prevsite.h"
#include "template.h"
#include "writer.h"

/* Renders archive A (which must have loaded without errors) with theme T
 * and its git history H (NULL, or not present: none shown) and writes the
 * site to OUTPUT. The pages are written to a new folder
 * beside OUTPUT, which then takes OUTPUT's place, so a failure half-way
 * leaves the previous site whole. OUTPUT must be absent, empty, or a site
 * gloss wrote (it holds gloss's manifest). Returns 0, 2 when OUTPUT is a
 * folder gloss does not own, or 3 when writing failed; both reported
 * through D. *STATS receives what was written. */
struct site_stats {
	size_t files;              /* files written, the manifest aside */
	size_t unchanged;          /* of which kept, bytes unchanged */
	size_t search_index_bytes; /* size of the search index, all files */
	size_t search_files, search_entry_bytes, search_largest;
	/* entries in the search index, and how many of them were copied
	 * from the previous build's */
	size_t search_entries, search_reused;
	/* files of the index stamped once written, of those its record
	 * names */
	size_t search_stamped, search_recorded;
	/* the same for archive.json */
	size_t data_entries, data_copied;
};
/* Optional: how to build. ON_FILE is called after each file written (REL
 * its path in the site, UNCHANGED when the previous file was kept), from
 * one thread at a time; THREADS pages are rendered at once (0 or 1: one
 * at a time). The bytes written are the same for any number. */
struct site_hooks {
	void (*on_file)(void *arg, const char *rel, bool unchanged);
	void *arg;
	unsigned threads;
	/* The site at OUTPUT, read ahead while the archive loaded
	 * (prevsite.h), or NULL: site_build reads it then. */
	struct prev_site *prev;
	/* Where the index of the archive.json written goes (dprev.h), and
	 * the record of the search index written (sindex_record), for the
	 * next build to read them back by, or NULL. */
	struct buf *data_index, *search_index;
	/* Work of the caller's, done as the first of the jobs that render
	 * pages, or NULL: a build saves its caches so, beside archive.json's
	 * job, which is most of a rebuild's rendering. */
	void (*aside)(void *arg);
	void *aside_arg;
	/* Called once every page is written and nothing more reads the
	 * archive, before the site is put in place, or NULL: a build frees
	 * the archive meanwhile. Not called when the build fails first. */
	void (*rendered)(void *arg);
	void *rendered_arg;
};
int site_build(const struct archive *a, const struct theme *t,
	       const struct history *h, const char *output,
	       const struct site_hooks *hooks, struct site_stats *stats,
	       struct diag *d);

/* The name of the manifest gloss keeps in the output folder. */
#define SITE_MANIFEST WRITER_MANIFEST

#endif
