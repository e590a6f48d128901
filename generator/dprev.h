/* The previous build's archive.json, read back so that a rebuild copies
 * the JSON of every entry whose page's inputs did not change instead of
 * writing it again from the archive (data.h).
 *
 * dprev_open maps the file and reads its whole structure once, checking
 * it: what each entry is (the object in "articles", "parties",
 * "proposals" or "pages" whose "id" it is) and each article's run of
 * annotations (those whose "id" is a URL on its page). Anything not as
 * data.c writes it, an ID found twice or a file that does not parse,
 * means that part, or the whole file, is not used: what is copied is only
 * ever a whole value that parsed. The file is mapped, not read, and the
 * pages read are let go as the reading moves on, so that an archive.json
 * of a gigabyte does not stay in memory; the things copied go from file
 * to file (writer_file_add_prev), never through the mapping. */
#ifndef GLOSS_DPREV_H
#define GLOSS_DPREV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "fsutil.h"
#include "map.h"
#include "writer.h"

enum dprev_part {
	DPREV_ARTICLE,
	DPREV_PARTY,
	DPREV_PROPOSAL,
	DPREV_PAGE,
	DPREV_ANNOTATIONS, /* an article's annotations, one after another */
	DPREV_PART_COUNT
};

struct dprev {
	const char *data; /* the file, mapped */
	size_t len;
	int fd;           /* the file, open: copied from by writer_file_add_prev */
	size_t released;  /* bytes before this have been let go */
	/* per part: key (owned) -> struct dprev_range (owned) */
	struct map parts[DPREV_PART_COUNT];
	bool indexed;     /* its things were found from an index */
	/* When the index vouched for the file by its stamp: that stamp;
	 * the stamp the file before it had then, and how many bytes the
	 * two share from their start (writer_file_reuse). No stamps, and
	 * 0, otherwise. */
	struct file_stamp stamp, before;
	size_t shared;
	/* The things' gaps that the index gave, one after another */
	struct buf gaps;
};

/* Reads archive.json of the site W replaces; false, holding nothing,
 * when there is none or it does not parse. INDEX (LEN bytes, may be
 * NULL) is the record dprev_index made of the archive.json gloss wrote
 * last: when the file is still the bytes it describes, its things are
 * found from it, and the file is not read through. The record is not
 * trusted: one that does not read back, or that names bytes the file
 * does not have, is not used. */
bool dprev_open(struct dprev *p, struct writer *w, const unsigned char *index,
		size_t index_len);
void dprev_release(struct dprev *p);

/* Where one thing's JSON is in the file, from its first byte to its
 * last, and the digest of those bytes (dprev_digest); and, when the
 * index gave them, the GAP_LEN bytes before it in the file, back to the
 * end of the thing before it or the file's start (GAP: NULL when not
 * known). */
struct dprev_thing {
	size_t start, len;
	uint64_t digest;
	const char *gap;
	size_t gap_len;
};

/* The thing of PART under KEY (for DPREV_ANNOTATIONS, an article's
 * annotations, from the first one's first byte to the last one's last,
 * with the commas and indents between them). KEY is an entry's ID quoted
 * by json_quote; for annotations, the annotations' "id" quoted by
 * json_quote and cut after its '#'. False when the file has none, or
 * has it twice. A thing found by the index comes with the digest the
 * index recorded, otherwise its bytes are hashed now. */
bool dprev_get(struct dprev *p, enum dprev_part part, const char *key,
	       struct dprev_thing *thing);
/* The digest of a thing's LEN bytes at DATA. */
uint64_t dprev_digest(const char *data, size_t len);

/* An index of an archive.json as it is written, for dprev_open to read
 * back: where each thing is, with the digest of its bytes and the bytes
 * between it and the thing before it (mostly a comma, a line break and
 * an indent), and a digest of the whole file. The file's digest is taken
 * over its bytes with each thing's digest in place of the thing's bytes,
 * so that a thing copied from the previous file need not be read to be
 * hashed, nor the bytes before it to be compared. */
struct dprev_index {
	struct buf things; /* the things' records so far */
	uint32_t count;
	uint64_t len;      /* bytes so far */
	void *hash;        /* owned: xxHash's XXH3 state, of the file */
	struct buf gap;    /* the bytes since the last thing */
	struct buf record; /* the record, once dprev_index_finish made it */
};

void dprev_index_init(struct dprev_index *x);
void dprev_index_release(struct dprev_index *x);
/* The file's next LEN bytes, as they are written, when they are not a
 * thing's. */
void dprev_index_bytes(struct dprev_index *x, const char *data, size_t len);
/* A thing of PART under KEY (as dprev_get takes it), the file's next
 * LEN bytes, from START (where the bytes so far end), whose digest is
 * DIGEST. */
void dprev_index_add(struct dprev_index *x, enum dprev_part part,
		     const char *key, uint64_t start, uint64_t len,
		     uint64_t digest);
/* Makes the record of the whole file in X->record (left empty when
 * there was no memory for the digest), with no stamp yet. BEFORE (may be
 * NULL) is the stamp of the file it replaces, of which it keeps the
 * first SHARED bytes as they were. */
void dprev_index_finish(struct dprev_index *x, const struct file_stamp *before,
			uint64_t shared);
/* Puts in RECORD, made by dprev_index_finish, the stamp of the file at
 * PATH (file_stamp_settled, SINCE), once the site is in place: while the
 * file still looks so, it is not hashed again. */
void dprev_record_stamp(struct buf *record, const char *path, uint64_t since);

#endif
