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
};

/* Reads archive.json of the site W replaces; false, holding nothing,
 * when there is none or it does not parse. */
bool dprev_open(struct dprev *p, struct writer *w);
void dprev_release(struct dprev *p);

/* The JSON of one thing of PART, from its first byte to its last (for
 * DPREV_ANNOTATIONS, from the first annotation's to the last's, with the
 * commas and indents between them). KEY is an entry's ID quoted by
 * json_quote; for annotations, the annotations' "id" quoted by
 * json_quote and cut after its '#'. False when the file has none, or
 * has it twice. */
bool dprev_get(struct dprev *p, enum dprev_part part, const char *key,
	       const char **json, size_t *len);

#endif
