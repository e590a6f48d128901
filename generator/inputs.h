/* What each page is made from, summed up as one 64-bit key, so that a
 * rebuild renders only the pages whose inputs changed: the writer keeps
 * the files of a page whose key is the one the previous build recorded
 * for it (writer_keep).
 *
 * A key must change whenever the page's bytes could: it covers gloss
 * itself (a hash of its sources, and its libraries' versions, ICU's
 * among them), the
 * theme's templates,
 * archive.yaml and index.md, git's history of the entry, the names and
 * titles every link and list shows, and the files of the entries the page
 * shows more of. An edit to one article's notes so re-renders that
 * article's page and the pages of the parties and proposals its notes
 * link, and nothing else; a new title re-renders everything. */
#ifndef GLOSS_INPUTS_H
#define GLOSS_INPUTS_H

#include <stdint.h>

#include "archive.h"
#include "buf.h"
#include "digest.h"
#include "history.h"
#include "template.h"
#include "writer.h"

struct page_inputs {
	const struct archive *a;     /* borrowed */
	const struct history *h;     /* borrowed; may be NULL */
	uint64_t global;  /* gloss, the theme, archive.yaml, index.md */
	uint64_t names;   /* what links and lists show of every entry */
	uint64_t lists;   /* everything but the articles' text and notes */
	uint64_t *article, *party, *proposal; /* owned: each entry's files,
						 by index */
	/* owned: a digest of each entry's ID, by index, which keys take in
	 * place of the ID wherever they name an entry */
	uint64_t *article_id, *party_id, *proposal_id;
	/* owned: each entry's key once worked out, or 0, by index: a key is
	 * asked for by its page, the search index and archive.json, from
	 * any thread (two that work one out at once store the same) */
	_Atomic uint64_t *article_key, *party_key, *proposal_key;
	/* owned: by index, whether the previous build recorded each entry's
	 * page under its key (inputs_unchanged): 0 not yet known, else
	 * SAME_CHANGED or SAME_UNCHANGED */
	_Atomic unsigned char *article_same, *party_same, *proposal_same;
};

/* Appends to OUT the versions, as they run, of the libraries whose work
 * reaches the site: cmark, libxml2, libyaml, and ICU with the version of
 * its Unicode tables, by which search words are folded (words.h). Each
 * is in every key, so that a site is built again, search index and all,
 * after one of them changes. */
void inputs_libraries(struct buf *out);
/* Appends to OUT what gloss is, for keys kept between runs: a hash of its
 * sources, and its libraries as inputs_libraries names them. */
void inputs_identity(struct buf *out);
/* A digest seeded with SEED that has taken in inputs_identity: what the
 * caches' keys start from. */
struct digest inputs_identity_digest(uint64_t seed);

/* Computes the keys' parts for archive A, built with theme T and history
 * H (NULL or absent: none). */
void inputs_compute(struct page_inputs *in, const struct archive *a,
		    const struct theme *t, const struct history *h);
void inputs_release(struct page_inputs *in);
/* Works out the key of every article, party and proposal on THREADS
 * threads, before the jobs look them up: archive.json's job looks up
 * every entry's in turn, and working them out alone there made it the
 * longest job of a rebuild. With W (may be NULL), inputs_unchanged of
 * each entry against it too, which that job and the search index's ask
 * of every entry, each answer a look-up by the page's tag. */
void inputs_work_out_keys(const struct page_inputs *in, struct writer *w,
			  unsigned threads);
uint64_t inputs_article(const struct page_inputs *in,
			const struct article *art);
uint64_t inputs_party(const struct page_inputs *in, const struct party *p);
uint64_t inputs_proposal(const struct page_inputs *in,
			 const struct proposal *p);
uint64_t inputs_page(const struct page_inputs *in, const struct page *p);
/* The pages that list entries: home, lists, positions, timeline. */
uint64_t inputs_lists(const struct page_inputs *in);
/* The key of the page of entry ENTRY of KIND (ENTRY_INDEX: the home
 * page, ENTRY NULL), and its job's tag ("article:ID", "index") into
 * TAG. */
uint64_t inputs_entry(const struct page_inputs *in, enum entry_kind kind,
		      const void *entry, struct buf *tag);
/* Whether the previous build, the site W replaces, recorded the page of
 * ENTRY of KIND under the key it has now: everything shown of the entry
 * is as it was, and what that build wrote of it may be copied. */
bool inputs_unchanged(const struct page_inputs *in, struct writer *w,
		      enum entry_kind kind, const void *entry);

#endif
