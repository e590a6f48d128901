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
 * pages read are let go as the copy moves on, so that an archive.json of
 * a gigabyte does not stay in memory. */
#ifndef GLOSS_DPREV_H
#define GLOSS_DPREV_H

#include <stdbool.h>
#include <stddef.h>

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
	size_t released;  /* bytes before this have been let go */
	/* per part: key (owned) -> struct dprev_range (owned) */
	struct map parts[DPREV_PART_COUNT];
	bool indexed;     /* its things were found from an index */
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

/* The JSON of one thing of PART, from its first byte to its last (for
 * DPREV_ANNOTATIONS, from the first annotation's to the last's, with the
 * commas and indents between them). KEY is an entry's ID quoted by
 * json_quote; for annotations, the annotations' "id" quoted by
 * json_quote and cut after its '#'. False when the file has none, or
 * has it twice. */
bool dprev_get(struct dprev *p, enum dprev_part part, const char *key,
	       const char **json, size_t *len);

/* An index of an archive.json as it is written: where each thing is,
 * and a digest of all its bytes, for dprev_open to read back. */
struct dprev_index {
	struct buf things; /* the things' records so far */
	uint32_t count;
	uint64_t len;      /* bytes so far */
	void *hash;        /* owned: xxHash's XXH3 state, of the bytes */
	struct buf record; /* the record, once dprev_index_finish made it */
};

void dprev_index_init(struct dprev_index *x);
void dprev_index_release(struct dprev_index *x);
/* The file's next LEN bytes, as they are written. */
void dprev_index_bytes(struct dprev_index *x, const char *data, size_t len);
/* A thing of PART under KEY (as dprev_get takes it): bytes START to START
 * + LEN of the file. */
void dprev_index_add(struct dprev_index *x, enum dprev_part part,
		     const char *key, uint64_t start, uint64_t len);
/* Makes the record of the whole file in X->record (left empty when
 * there was no memory for the digest), with no stamp yet. */
void dprev_index_finish(struct dprev_index *x);
/* Puts in RECORD, made by dprev_index_finish, the stamp of the file at
 * PATH (file_stamp_settled, SINCE), once the site is in place: while the
 * file still looks so, it is not hashed again. */
void dprev_record_stamp(struct buf *record, const char *path, uint64_t since);

#endif
