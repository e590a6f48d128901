/* The search index: files that search.html's script loads with <script>
 * elements (no fetch or XHR, which file:// pages may not use), a small
 * entry file always and the rest only as a search needs them, so that
 * search stays quick however large the archive.
 *
 * Documents ("docs") are what results link to: numbered from 0 in the
 * order they are added, each belongs to the last entry (a page of the
 * site) added before it. Every file is a script of one statement; JSON
 * in it is written through json.h, so it is safe in a <script> element.
 *
 * SEARCH_INDEX, the entry file, at the site's root:
 *   window.GLOSS_SEARCH = {"version":2, "docs":D, "group":G,
 *     "prefix":SINDEX_PREFIX_CHARS, "wordChars":WORDS_MAX_CHARS,
 *     "kinds":[...], "terms":[word, ...]};
 *   D is the number of docs, G of docs per doc shard; KINDS names the
 *   kinds of docs; TERMS holds the first word of each term shard,
 *   sorted (by code point).
 *
 * search/t/N.js, term shard N: the words from TERMS[N] up to (not
 * including) TERMS[N+1], sorted, and where each is found:
 *   GLOSS_SEARCH_SHARD("t", N, {"words":[w, ...], "lists":[l, ...]});
 *   a list L is either a postings string, or [F, C]: the postings are
 *   in the C posting files F, F+1, ... F+C-1, one after the other.
 *
 * search/p/N.js, posting file N: GLOSS_SEARCH_SHARD("p", N, "postings");
 *
 * Postings: the docs a word is in, ascending, each with its weight, as
 * variable-length numbers written with the alphabet A-Z a-z 0-9 - _
 * (values 0-63): a character's value below 32 ends a number, 32 and
 * above carries 5 more bits, least significant first. Each posting is
 * one number V = DELTA * 2 + FLAG, DELTA being the doc's number minus
 * the previous one's (the first counts from -1: doc + 1), followed by
 * the weight when FLAG is 1; without it the weight is 1. A word's
 * weight in a doc: 1 per time it appears in the text, 10 per time in
 * the title of the entry (for the entry's first doc, which stands for
 * it as a whole), 5 per time in a section's heading; and a doc that is
 * not the first of its entry gains 1 when the entry's title holds the
 * word. Words are cut into search words by words.h.
 *
 * search/d/N.js, doc shard N: docs N*G to N*G+G-1 (fewer in the last):
 *   GLOSS_SEARCH_SHARD("d", N, {"entries":[[title, url, date shown,
 *     date ISO], ...], "docs":[[entry, kind, fragment, text, heading],
 *     ...]});
 *   ENTRY indexes this file's "entries" (an entry whose docs span two
 *   files is in both); KIND indexes KINDS; dates only for articles and
 *   proposals; FRAGMENT is the id on the entry's page, "" for the first
 *   doc of an entry; HEADING only for a section. TEXT is plain text,
 *   white space collapsed, as readers see it.
 *
 * Sizes: a term shard closes once it passes SINDEX_TERM_SHARD_BYTES; a
 * word whose postings pass SINDEX_INLINE_BYTES gets posting files of at
 * most about SINDEX_POSTINGS_BYTES each. Time and memory are linear in
 * the text indexed (one hash look-up per word, one sort of the distinct
 * words); postings are kept in memory compressed. */
#ifndef GLOSS_SINDEX_H
#define GLOSS_SINDEX_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "json.h"
#include "sprev.h"
#include "words.h"
#include "writer.h"

#define SEARCH_INDEX "search-index.js"
#define SINDEX_VERSION 2
#define SINDEX_GROUP 128
#define SINDEX_TERM_SHARD_BYTES (64 * 1024)
#define SINDEX_INLINE_BYTES (16 * 1024)
#define SINDEX_POSTINGS_BYTES (128 * 1024)
/* A query word this long or longer finds words that start with it;
 * shorter, only itself (search.js). */
#define SINDEX_PREFIX_CHARS 3

enum sindex_kind {
	SINDEX_ARTICLE,
	SINDEX_NOTE,
	SINDEX_PARTY,
	SINDEX_PROPOSAL,
	SINDEX_PAGE,
	SINDEX_KIND_COUNT
};

struct sindex_stats {
	size_t bytes;       /* every file of the index */
	size_t files;
	size_t entry_bytes; /* SEARCH_INDEX */
	size_t largest;     /* the largest other file */
	size_t entries;     /* entries indexed */
	size_t reused;      /* of which copied from the previous index */
	/* words whose postings were copied from the previous index as they
	 * were, and the posting files among them */
	size_t lists_kept, files_kept;
	size_t shards_kept; /* doc shards kept whole */
	/* of the files the record names, how many were stamped once written
	 * (sindex_record_stamp) */
	size_t stamped, recorded;
};

struct sword;      /* a distinct word, in sindex.c */
struct sindex_run; /* docs copied as they were, in sindex.c */

/* The index record being made (sindex_record): its parts as files are
 * written, and the entry whose docs are being added. */
struct sindex_record {
	struct buf *out;      /* borrowed; NULL: no record is made */
	struct buf files[3];  /* term shards, posting files, doc shards */
	uint32_t counts[3];
	uint64_t entry_len, entry_digest; /* of SEARCH_INDEX */
	struct buf entries;   /* the entries recorded */
	uint32_t entry_count;
	size_t first;         /* the current entry's first doc */
	/* the last entry, not yet recorded: an entry with the same URL
	 * right after it joins it, as sprev_open would read the shards */
	struct buf url, pending;
	size_t pending_first, pending_count;
};

struct sindex {
	struct writer *w; /* borrowed */
	struct words words;
	struct sindex_stats stats;
	/* distinct words: keys, a hash table of indexes + 1 */
	struct sword *wv;
	size_t wcount, wcap;
	struct buf keys;
	uint32_t *slots;
	size_t slot_cap;
	/* postings, compressed, in chained blocks */
	unsigned char *blocks;
	size_t block_count, block_cap;
	/* the doc being added: words it holds so far, and its weight */
	uint32_t *touched;
	size_t touched_count, touched_cap;
	uint32_t weight;
	size_t docs, entries;
	/* the current entry, as doc shards list it */
	struct buf title, url, date, iso;
	bool has_date;
	bool title_marked; /* its title's words know they are in it */
	/* the doc shard being filled */
	struct buf d_entries, d_docs, scratch;
	struct json je, jd;
	size_t group_docs, group_entries;
	long group_entry; /* this shard's index of the current entry, or -1 */
	/* Docs copied into the shard being filled with the numbers they
	 * had, and not written into it yet: while it holds no other doc
	 * (MIXED false), it may be the previous index's shard, kept whole */
	struct sindex_run *runs;
	size_t run_count, run_cap;
	bool group_mixed;
	size_t posting_files;
	/* A rebuild's previous index, or NULL (sindex_prev): for each of
	 * its docs, the number + 1 it has in this index, or 0 */
	struct sprev *prev;
	uint32_t *renumber;
	size_t prev_next;   /* its first doc not yet passed */
	struct buf quoted;
	struct sindex_record record;
};

/* Starts an index written through W (borrowed until sindex_release). */
void sindex_init(struct sindex *x, struct writer *w);

/* Starts an entry: the page at URL (from the site's root) titled TITLE;
 * DATE and ISO, the date as shown and in ISO form, may be NULL. */
void sindex_entry(struct sindex *x, const char *title, const char *url,
		  const char *date, const char *iso);

/* Adds a doc to the current entry. The first doc of each entry has FRAG
 * "" and stands for the entry as a whole. HEADING may be NULL. */
void sindex_doc(struct sindex *x, enum sindex_kind kind, const char *frag,
		const char *text, size_t len, const char *heading);

/* A rebuild: the docs of entries whose inputs did not change may be
 * copied from P, the previous build's index (borrowed until
 * sindex_release), instead of being indexed again. */
void sindex_prev(struct sindex *x, struct sprev *p);
/* Copies the docs of the current entry from the previous index, which
 * must have it with the same inputs; false when it cannot (the entry is
 * not there, or its docs come before those of an entry copied earlier),
 * and the caller adds them with sindex_doc. The index is the same bytes
 * either way. */
bool sindex_reuse(struct sindex *x);
/* Makes the index record of the index being written into OUT (reset
 * then) by the end of sindex_finish, for the next build's sprev_open.
 * Call before the first entry. The record, numbers as record.h writes
 * them:
 *   docs (u64); the entry file's length and digest (u64, u64);
 *   the number of term shards (u32), then each one's length, digest
 *   and stamp (record_put_stamp: as the file was once written);
 *   the number of posting files (u32), then the same of each;
 *   the number of doc shards (u32), then each one's length, digest,
 *   stamp and the digest of its "entries" array (sprev_entries_digest);
 *   the number of entries with docs (u32), then each one's URL quoted
 *   as JSON (its length, u32, then its bytes), first doc and number of
 *   docs (u64, u64).
 * Digests are sprev_file_digest's. The stamps are none until
 * sindex_record_stamp puts them in, but for files kept untouched from
 * the previous index that still had their recorded stamps
 * (sprev_file_stamp), which keep those. */
void sindex_record(struct sindex *x, struct buf *out);
/* Puts in RECORD, made by sindex_record, the stamps of the files it
 * names that have none (file_stamp_settled, SINCE): at 10,000 articles a
 * one-note rebuild has a few to stamp, not 3,000 (5 ms of stats on the
 * search index's job). In the site at OUTPUT (or the folder
 * it is written in, once they are all written: the site's swap into
 * place leaves files as they are): a file that still looks so is not
 * hashed again, a doc shard not even read. The files are looked at on
 * THREADS threads. Returns how many were; *NAMED (when given) is set to
 * how many files the record names. */
size_t sindex_record_stamp(struct buf *record, const char *output,
			   uint64_t since, unsigned threads, size_t *named);

/* Writes the rest of the index, the entry file last, and stores its
 * sizes in *ST. */
void sindex_finish(struct sindex *x, struct sindex_stats *st);

void sindex_release(struct sindex *x);

#endif
