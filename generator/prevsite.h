/* The previous build's site, read while the archive loads.
 *
 * A rebuild copies what did not change from the site it replaces: its
 * manifest tells which page has which inputs (writer.h), and its search
 * index and archive.json are read back (sprev.h, dprev.h). None of it
 * depends on the archive, so it is read on a thread of its own from the
 * start of the run, beside the loading, which leaves part of a core idle;
 * site_build then finds it ready.
 *
 * Reading writes nothing: a build whose archive has errors writes
 * nothing, and the previous site is only read until site_build stages
 * the new one. */
#ifndef GLOSS_PREVSITE_H
#define GLOSS_PREVSITE_H

#include <pthread.h>
#include <stdbool.h>

#include "diag.h"
#include "dprev.h"
#include "sprev.h"
#include "writer.h"

struct prev_site {
	const char *output;   /* borrowed */
	/* the index of the last archive.json written (dprev.h) and the
	 * record of the last search index (sindex_record), or NULL:
	 * borrowed */
	const unsigned char *data_index, *search_index;
	size_t data_index_len, search_index_len;
	struct writer w;      /* peeked (writer_peek): staged by site_build */
	int rc;               /* writer_peek's */
	struct diag d;        /* its messages, kept until prev_site_join */
	struct sprev index;   /* when index_ok */
	struct dprev data;    /* when data_ok */
	bool index_ok, data_ok;
	pthread_t thread;
	bool started, joined;
};

/* Starts reading the site at OUTPUT: on a thread when one can be
 * started, otherwise in the call. DATA_INDEX (DATA_LEN bytes, may be
 * NULL) is what dprev_open may find archive.json's things from, and
 * SEARCH_INDEX (SEARCH_LEN bytes, may be NULL) what sprev_open may find
 * the search index's from; both must stay until prev_site_join. */
void prev_site_start(struct prev_site *s, const char *output,
		     const unsigned char *data_index, size_t data_len,
		     const unsigned char *search_index, size_t search_len);
/* Waits until it is read, and passes its messages on to D. */
void prev_site_join(struct prev_site *s, struct diag *d);
/* Waits, if it has not, and does what the writer does to the file
 * system as it is let go (writer_settle), without freeing anything. */
void prev_site_settle(struct prev_site *s);
/* Waits, if it has not, and frees everything: the writer too, which
 * removes a new folder not committed. */
void prev_site_release(struct prev_site *s);

#endif
