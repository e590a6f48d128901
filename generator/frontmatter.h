/* YAML front matter: splitting it from a Markdown file and reading it
 * through libyaml into a small tree that keeps every value's position.
 *
 * Only what front matter needs is accepted: mappings, sequences and
 * scalars. Anchors, aliases, tags, duplicate keys and multiple documents
 * are errors, so no input can make the tree grow beyond the text that
 * describes it. Every position is 1-based and counted in the whole file. */
#ifndef GLOSS_FRONTMATTER_H
#define GLOSS_FRONTMATTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "diag.h"

enum ynode_kind { YNODE_SCALAR, YNODE_SEQUENCE, YNODE_MAPPING };

struct ynode {
	enum ynode_kind kind;
	int line, col;
	/* YNODE_SCALAR: the value, NUL-terminated (len excludes the NUL);
	 * `plain` is true when it was written without quotes, so that
	 * `null`, `true` or `3` can be told from "null", "true" or "3". */
	char *scalar;
	size_t len;
	bool plain;
	/* When the scalar's value is its source text byte for byte on one
	 * line (plain, or quoted without escapes), the column of its first
	 * byte; otherwise 0. Lets Markdown inside a value be located. */
	int value_col;
	/* YNODE_SEQUENCE: items[0..count). YNODE_MAPPING: keys[i] (always
	 * scalars) and values[i] for i < count, in document order. */
	struct ynode **items;
	struct ynode **keys;
	struct ynode **values;
	size_t count;
	/* How the node was allocated: on its own, or in one block with its
	 * whole tree (ynode_decode), which the root owns. */
	enum { YNODE_OWN, YNODE_BLOCK_ROOT, YNODE_IN_BLOCK } alloc;
};

struct frontmatter {
	struct ynode *root; /* a mapping, or NULL when the block is empty */
	const char *body;   /* borrowed: points into the source given */
	size_t body_len;
	int body_line;      /* line of the file on which the body starts */
	bool stored;        /* the tree came from an fm_store */
	uint64_t key;       /* its block's key in an fm_store, when given one */
};

/* Splits SRC (LEN bytes) into front matter and body and parses the front
 * matter. The file must open with a line `---`; the block ends at the next
 * line that is `---` (or `...`). CRLF line ends are accepted. Errors are
 * reported through D against PATH at their line and column, saying what
 * would fix them; returns 0 on success, -1 on error (FM is then empty
 * and needs no release). On success the caller releases FM with
 * frontmatter_release; FM->body borrows SRC, which must outlive it. */
int frontmatter_parse(struct frontmatter *fm, const char *path,
		      const char *src, size_t len, struct diag *d);
void frontmatter_release(struct frontmatter *fm);

/* Where front matter already parsed is kept between runs (archive.c
 * keeps it in a cache file, acache.h): GET gives the tree encoded under
 * KEY, or NULL; PUT keeps one. Keys are digests of the YAML block. */
struct fm_store {
	const unsigned char *(*get)(void *arg, uint64_t key, size_t *len);
	void (*put)(void *arg, uint64_t key, const void *data, size_t len);
	void *arg;
};

/* frontmatter_parse, taking the tree from STORE (NULL: none) when it
 * holds the block's, and giving STORE each tree it parses. A tree is
 * only ever stored after a parse without a message, and a block's tree
 * depends on its bytes alone, so the result is the same either way. */
int frontmatter_parse_stored(struct frontmatter *fm, const char *path,
			     const char *src, size_t len,
			     const struct fm_store *store, struct diag *d);
/* The tree STORE holds under KEY (FM->key of an earlier parse), taken
 * as frontmatter_parse_stored takes it: given back to STORE, and
 * FM->stored set. FM's body is left for the caller. False when STORE
 * holds no tree under KEY that reads back. */
bool frontmatter_from_store(struct frontmatter *fm, uint64_t key,
			    const struct fm_store *store);

/* A tree (NULL for an empty block) as bytes, appended to OUT; and read
 * back into *ROOT, which is then the caller's: -1, with *ROOT NULL, for
 * bytes that are not a tree ynode_encode wrote of a front matter. The
 * tree read back is one allocation, freed whole with its root. */
void ynode_encode(const struct ynode *n, struct buf *out);
int ynode_decode(const void *data, size_t len, struct ynode **root);

/* The bytes of SRC before its line BODY_LINE (1-based): the front matter
 * and its fences; all of SRC when it has fewer lines. */
size_t frontmatter_bytes(const char *src, int body_line);

/* Parses SRC, a whole YAML file such as archive.yaml, into *ROOT (a
 * mapping, or NULL when the file is empty; the caller frees it with
 * ynode_free). Same rules and diagnostics as front matter; returns 0, or
 * -1 after reporting errors. */
int yaml_parse_file(struct ynode **root, const char *path, const char *src,
		    size_t len, struct diag *d);
void ynode_free(struct ynode *n);

/* Returns the value of KEY in mapping MAP, or NULL when MAP is NULL, not a
 * mapping, or has no such key. Borrowed from MAP. */
const struct ynode *ynode_get(const struct ynode *map, const char *key);

/* Takes the value of KEY out of mapping MAP, as ynode_get finds it: the
 * caller owns it (ynode_free), and MAP keeps the key with no value. From
 * a tree decoded in one block, the caller gets a copy. */
struct ynode *ynode_take(struct ynode *map, const char *key);

/* Reports every key of MAP not in KNOWN (NULL-terminated) as
 * `unknown key 'K'; did you mean 'NEAREST'?` (the nearest known key by
 * edit distance; when none is close, lists the known keys). Returns the
 * number of unknown keys. */
size_t ynode_check_keys(const struct ynode *map, const char *const *known,
			const char *path, struct diag *d);

/* Returns N's text when it is a non-empty scalar string; otherwise reports
 * `'KEY' must be a string, not a list|mapping` (or `must not be empty`,
 * also for white space alone) at N and returns NULL. A NULL N returns
 * NULL silently. */
const char *ynode_string(const struct ynode *n, const char *key,
			 const char *path, struct diag *d);

/* Returns true when N is a sequence whose items are all non-empty
 * scalars (white space alone is empty). A single scalar is NOT accepted: reports `'KEY' must be a list,
 * for example: KEY: [a, b]` and returns false. Items that are not scalars
 * are reported each at its position. A NULL N returns true (absent). */
bool ynode_string_list(const struct ynode *n, const char *key,
		       const char *path, struct diag *d);

/* The edit distance between A and B, for "did you mean" hints. */
size_t edit_distance(const char *a, const char *b);

#endif
