/* The previous build's search index, read back from the output folder so
 * that a rebuild indexes again only the entries whose inputs changed
 * (search.h): the docs of the others are copied from the old doc shards,
 * and their postings from the old term shards and posting files, with the
 * docs numbered anew.
 *
 * gloss wrote these files in the format sindex.h describes, but the
 * folder may have been edited since. sprev_open reads and checks the
 * whole index first — every file the previous manifest lists, every
 * string well formed, words in order, postings in order and within the
 * docs — and refuses an index that is not as gloss writes it; later reads
 * check again and fail rather than trust. An entry whose docs cannot be
 * read is indexed again, so the new index never depends on a file being
 * as expected, only its speed does.
 *
 * Memory: the term shards and posting files are held (about a sixth of
 * the index); the doc shards, which hold the text, are read again as
 * docs are copied, a few at a time. A doc shard whose docs all keep
 * their numbers, and whose entries are listed as a new one would list
 * them (sprev_shard_same), is not read again but kept whole.
 *
 * The index record. As sindex writes an index it can make a record of
 * it (sindex_record): each file's length and digest, and where each
 * entry's docs are. Given the record of the index it replaces,
 * sprev_open only reads each file and checks its digest: when every
 * file is still the bytes the record describes, the files are as gloss
 * wrote them, so their words and postings need no checking and the doc
 * shards no parsing; the entries come from the record. A record that
 * does not read back or does not describe the files is not used, and
 * the index is read through as above. */
#ifndef GLOSS_SPREV_H
#define GLOSS_SPREV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "fsutil.h"
#include "map.h"
#include "writer.h"

/* One posting: a doc (numbered from 0) and the word's weight in it. */
struct sprev_posting {
	uint32_t doc, weight;
};

struct sprev_postings {
	struct sprev_posting *v;
	size_t n, cap;
};

/* A doc shard as read: where its entries' URLs and its docs are. */
struct sprev_shard {
	char *data;              /* owned: the file */
	size_t *url, *url_len;   /* owned: per entry, its URL, quoted */
	size_t *title;           /* owned: per entry, where its title is */
	size_t entry_count, entry_cap;
	size_t *entry;           /* owned: per doc, its entry */
	size_t *rest, *rest_len; /* owned: per doc, its JSON after the entry */
	size_t count, cap;       /* docs */
	size_t entries_at, entries_len; /* the "entries" array, brackets and
					   all */
	size_t len;              /* of the file */
};

/* A file of the previous index as its record described it. */
struct sprev_file {
	struct file_stamp stamp;
	uint64_t len, digest;
};

struct sprev {
	struct writer *w;    /* borrowed: where the previous site is */
	size_t docs;         /* docs of the previous index */
	struct map entries;  /* quoted URL (owned) -> struct sprev_range */
	struct mapped_file *terms; /* owned: term shard N, whole */
	size_t term_count;
	struct mapped_file *posts; /* owned: posting file N, whole */
	size_t post_count;
	size_t post_cap;
	bool opening;        /* posting files are read as words name them */
	bool checked;        /* sprev_open read it all and found it sound */
	bool indexed;        /* ... by the index record it was given */
	/* of the files the record names, how many were looked at, and how
	 * many still looked as their stamps say, so were not hashed */
	size_t files_looked_at, files_stamped;
	/* per term shard, posting file and doc shard the record names, the
	 * record's word on it when it still looked so (sprev_file_stamp);
	 * a stamp of inode 0 otherwise */
	struct sprev_file *known[3];
	/* per doc shard: a digest of its "entries" array, its size, and
	 * the digest of its bytes (sprev_file_digest) */
	uint64_t *shard_entries;
	size_t *shard_size;
	uint64_t *shard_digest;
	/* doc shards read: shard_first .. shard_first + shard_count - 1 */
	struct sprev_shard *shards;
	size_t shard_first, shard_count, shard_cap;
};

/* Reads the search index of the site W replaces. Returns false, holding
 * nothing, when there is none or it is not exactly as gloss writes it.
 * RECORD (LEN bytes; may be NULL) is the index record sindex made of the
 * index gloss wrote last: it is not trusted, only used when it reads
 * back whole and every file matches it. */
bool sprev_open(struct sprev *p, struct writer *w, const unsigned char *record,
		size_t len);
void sprev_release(struct sprev *p);

/* The docs of the entry whose URL, quoted as JSON (json_quote), is
 * QUOTED_URL: false when the previous index has no such entry, or has it
 * in more than one place. */
bool sprev_entry(const struct sprev *p, const char *quoted_url,
		 size_t *first, size_t *count);

/* Reads the doc shards that hold docs FIRST up to FIRST + COUNT, letting
 * go of those before FIRST's: docs must be asked for in ascending order.
 * False when a shard cannot be read, or those docs are not the docs of
 * the entry at QUOTED_URL. */
bool sprev_load_docs(struct sprev *p, size_t first, size_t count,
		     const char *quoted_url);

/* Whether doc shard N of the previous index holds DOCS docs and lists
 * its entries as ENTRIES does (the "entries" array a new shard would
 * have, as sindex writes it): then a shard whose docs are all copied
 * from it, with the same numbers, is the same bytes, and *SIZE and
 * *DIGEST are its size and digest when sprev_open read it. */
bool sprev_shard_same(const struct sprev *p, size_t n, size_t docs,
		      const char *entries, size_t entries_len, size_t *size,
		      uint64_t *digest);

/* The digest of a doc shard's "entries" array, brackets and all, as
 * index records keep it. */
uint64_t sprev_entries_digest(const char *entries, size_t len);
/* The digest of a file of the index, as index records keep it. */
uint64_t sprev_file_digest(const char *data, size_t len);

/* Whether file N of KIND ('t', 'p' or 'd') of the previous index, LEN
 * bytes, still had the stamp its record gave it when sprev_open looked:
 * then *STAMP and *DIGEST are the record's. A file the new index keeps
 * untouched (writer_emit_kept: not even linked anew, which would move
 * its change time) has that stamp still, and is not stamped again
 * (sindex_record_stamp). */
bool sprev_file_stamp(const struct sprev *p, char kind, size_t n, size_t len,
		      struct file_stamp *stamp, uint64_t *digest);

/* Reads the doc shards that hold docs FIRST up to FIRST + COUNT, as
 * sprev_load_docs does, whatever entries they are of. */
bool sprev_load_shards(struct sprev *p, size_t first, size_t count);

/* After sprev_load_shards: what doc DOC was indexed from, decoded, as
 * sindex_doc took it: its TEXT; its entry's TITLE when *WHOLE (its
 * fragment is "", the doc standing for the entry), else its HEADING
 * (empty when it has none); and, when ENTRY_TITLE is not NULL, its
 * entry's title whatever the doc. False when the shard does not say. */
bool sprev_doc_source(const struct sprev *p, size_t doc, bool *whole,
		      struct buf *text, struct buf *title_or_heading,
		      struct buf *entry_title);

/* After sprev_load_docs: doc DOC as its doc shard holds it, from the
 * comma after its entry's number to its closing bracket. */
void sprev_doc(const struct sprev *p, size_t doc, const char **rest,
	       size_t *len);

/* The words of the previous index in order (by bytes, as sindex sorts
 * them), each with its postings. */
struct sprev_words {
	struct sprev *p;       /* borrowed */
	size_t shard;          /* term shard being read */
	const char *word, *list, *end; /* the next of each in it; its end */
	bool in_shard, first;
	size_t next_post;      /* the posting file the next [F, C] must name */
	uint32_t last;         /* doc + 1 of the word's last posting */
	const char *raw;       /* the last word as the file holds it */
	size_t raw_len;
	/* Where the last word's postings are: a string of the term shard
	 * (POSTINGS, between its quotes: POSTINGS_LEN bytes), or posting
	 * files FILE to FILE + FILES - 1 (POSTINGS NULL). */
	const char *postings;
	size_t postings_len, file, files;
	bool failed;           /* the index is not as gloss writes it */
};

void sprev_words_begin(struct sprev_words *it, struct sprev *p);
/* The next word into WORD (reset first) and its postings into OUT (reset
 * first; NULL only checks them, and after sprev_open does not read them:
 * sprev_skip and sprev_read_posting may then read them where IT says
 * they are); false at the end, and also, setting IT->failed, when the index
 * is not as gloss writes it (sprev_open reads it all once, so only that
 * call sees a failure). */
bool sprev_words_next(struct sprev_words *it, struct buf *word,
		      struct sprev_postings *out);

/* The postings of posting file N of the previous index, from S to END
 * (between its quotes): false when it was not read. */
bool sprev_file_postings(const struct sprev *p, size_t n, const char **s,
			 const char **end);

/* Reads the posting at *S (before END) and steps over it: the gap from
 * the doc before it (doc + 1 for the first of a list or posting file)
 * and its weight. False, leaving *S, when it is not one as sindex.h
 * writes it. */
bool sprev_read_posting(const char **s, const char *end, uint32_t *gap,
			uint32_t *weight);

/* Steps over the postings from S (before END), sixteen bytes at a time
 * where every number there is of one or two characters, while each is of a doc + 1 below LIMIT and
 * starts less than BUDGET bytes from S. *DOC1 is the doc + 1 of the
 * posting before S on entry (0 at the start of a list or file), of the
 * last one stepped over on return. Returns where it stopped: END, or a
 * posting it did not step over (one that is not well formed among
 * them). */
const char *sprev_skip(const char *s, const char *end, uint32_t *doc1,
		       uint32_t limit, size_t budget);

/* Posting file N of the previous index, whole (LEN bytes), as read while
 * its words were: NULL when it was not. */
const char *sprev_posting_file(const struct sprev *p, size_t n, size_t *len);
/* Term shard N of the previous index, whole (LEN bytes), or NULL. */
const char *sprev_term_shard(const struct sprev *p, size_t n, size_t *len);

#endif
