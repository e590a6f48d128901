#include "frontmatter.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>
#include <yaml.h>

#include "buf.h"
#include "record.h"
#include "utf8.h"
#include "xalloc.h"

/* Deep enough for any honest front matter, shallow enough that the
 * recursive ynode_free and the fixed frame stack below stay cheap. */
#define MAX_DEPTH 64
/* what keys of stored trees are seeded with */
#define STORE_SEED 0x676c6f7373666d31ULL

/* Longer strings are never keys worth suggesting, and the cap keeps the
 * distance row on the stack. */
#define MAX_DISTANCE_LEN 256

static const char anchor_msg[] = "YAML anchors and aliases are not supported "
				 "in front matter; write the value out";

/* Keys already seen in one mapping, as indices into its keys[] plus one
 * (0 marks a free slot), so duplicates are found in O(1) per key even in
 * a hostile file with millions of them. */
struct keyset {
	size_t *slots;
	size_t nslots;
};

struct frame {
	struct ynode *node;
	size_t cap;
	bool want_value;
	struct keyset seen;
};

struct parse {
	const char *path;
	struct diag *d;
	const char *yaml;
	size_t ylen;
	int first_line; /* the file line on which yaml[0] sits */
	const char *what; /* "front matter" or the file's name, for messages */
	/* libyaml marks count characters, not bytes; this cursor walks the
	 * text once in document order to turn them into byte columns. */
	size_t cur_chars, cur_bytes, cur_line_start;
	int cur_line;
	struct frame stack[MAX_DEPTH];
	size_t depth;
	struct ynode *root;
	int documents;
};

void ynode_free(struct ynode *n)
{
	/* A node of a block goes with its root, and takes its tree along. */
	if (!n || n->alloc == YNODE_IN_BLOCK)
		return;
	if (n->alloc == YNODE_BLOCK_ROOT) {
		free(n);
		return;
	}
	for (size_t i = 0; i < n->count; i++) {
		if (n->kind == YNODE_SEQUENCE) {
			ynode_free(n->items[i]);
		} else if (n->kind == YNODE_MAPPING) {
			ynode_free(n->keys[i]);
			ynode_free(n->values[i]);
		}
	}
	free(n->scalar);
	free(n->items);
	free(n->keys);
	free(n->values);
	free(n);
}

void frontmatter_release(struct frontmatter *fm)
{
	ynode_free(fm->root);
	memset(fm, 0, sizeof(*fm));
}

/* Length of the UTF-8 sequence led by C; 1 for a stray byte, so a walk
 * over bad input still advances. */
static size_t utf8_width(unsigned char c)
{
	if ((c & 0xE0) == 0xC0)
		return 2;
	if ((c & 0xF0) == 0xE0)
		return 3;
	if ((c & 0xF8) == 0xF0)
		return 4;
	return 1;
}

static void cursor_reset(struct parse *p)
{
	p->cur_chars = 0;
	p->cur_bytes = 0;
	p->cur_line_start = 0;
	p->cur_line = p->first_line;
}

/* Converts a libyaml mark to a file line and byte column, and returns the
 * byte offset in the YAML text. Marks arrive almost always in order, so
 * the cursor only moves forward; a mark behind it restarts the walk. */
static size_t locate(struct parse *p, const yaml_mark_t *m, int *line,
		     int *col)
{
	if (m->index < p->cur_chars)
		cursor_reset(p);
	while (p->cur_chars < m->index && p->cur_bytes < p->ylen) {
		unsigned char c = (unsigned char)p->yaml[p->cur_bytes];
		size_t w = utf8_width(c);
		if (w > p->ylen - p->cur_bytes)
			w = p->ylen - p->cur_bytes;
		p->cur_bytes += w;
		p->cur_chars++;
		if (c == '\n') {
			p->cur_line++;
			p->cur_line_start = p->cur_bytes;
		}
	}
	*line = p->cur_line;
	*col = (int)(p->cur_bytes - p->cur_line_start) + 1;
	return p->cur_bytes;
}

/* libyaml's reader reports a byte offset rather than a mark. */
static void locate_byte(const struct parse *p, size_t off, int *line,
			int *col)
{
	size_t start = 0;
	*line = p->first_line;
	if (off > p->ylen)
		off = p->ylen;
	for (size_t i = 0; i < off; i++) {
		if (p->yaml[i] == '\n') {
			(*line)++;
			start = i + 1;
		}
	}
	*col = (int)(off - start) + 1;
}

static void error_at(struct parse *p, const yaml_mark_t *m, const char *msg)
{
	int line, col;
	locate(p, m, &line, &col);
	diag_error(p->d, p->path, line, col, "%s", msg);
}

static uint64_t hash_key(const struct ynode *k)
{
	uint64_t h = 14695981039346656037u;
	for (size_t i = 0; i < k->len; i++) {
		h ^= (unsigned char)k->scalar[i];
		h *= 1099511628211u;
	}
	return h;
}

static bool same_key(const struct ynode *a, const struct ynode *b)
{
	return a->len == b->len && memcmp(a->scalar, b->scalar, a->len) == 0;
}

/* Returns the slot where KEY is, or the free slot where it belongs. */
static size_t keyset_slot(const struct keyset *s, struct ynode *const *keys,
			  const struct ynode *key)
{
	size_t mask = s->nslots - 1;
	size_t i = (size_t)hash_key(key) & mask;
	while (s->slots[i] && !same_key(keys[s->slots[i] - 1], key))
		i = (i + 1) & mask;
	return i;
}

/* Records keys[IDX] and returns 0, or returns the index of an earlier
 * equal key plus one. */
static size_t keyset_add(struct keyset *s, struct ynode *const *keys,
			 size_t idx)
{
	if (2 * (idx + 1) >= s->nslots) {
		struct keyset grown;
		grown.nslots = s->nslots ? 2 * s->nslots : 16;
		grown.slots = xcalloc(grown.nslots, sizeof(*grown.slots));
		for (size_t i = 0; i < s->nslots; i++) {
			size_t k = s->slots[i];
			if (k)
				grown.slots[keyset_slot(&grown, keys,
							keys[k - 1])] = k;
		}
		free(s->slots);
		*s = grown;
	}
	size_t i = keyset_slot(s, keys, keys[idx]);
	if (s->slots[i])
		return s->slots[i];
	s->slots[i] = idx + 1;
	return 0;
}

static struct ynode *node_new(enum ynode_kind kind, int line, int col)
{
	struct ynode *n = xcalloc(1, sizeof(*n));
	n->kind = kind;
	n->line = line;
	n->col = col;
	return n;
}

/* Hangs N under the innermost open container, or makes it the root. The
 * node is attached before its children arrive so that, whatever error
 * stops the parse, everything built is reachable from the root and freed
 * with it. */
static void attach(struct parse *p, struct ynode *n)
{
	if (p->depth == 0) {
		p->root = n;
		if (n->kind != YNODE_MAPPING)
			diag_error(p->d, p->path, n->line, n->col,
				   "%s must be a mapping of keys to values, for "
				   "example: title: ...", p->what);
		return;
	}
	struct frame *f = &p->stack[p->depth - 1];
	struct ynode *parent = f->node;
	if (parent->kind == YNODE_SEQUENCE) {
		parent->items = xgrow(parent->items, &f->cap,
				      parent->count + 1, sizeof(*parent->items));
		parent->items[parent->count++] = n;
		return;
	}
	if (f->want_value) {
		parent->values[parent->count - 1] = n;
		f->want_value = false;
		return;
	}
	/* keys[] and values[] grow in step, so one capacity serves both. */
	size_t cap = f->cap;
	parent->keys = xgrow(parent->keys, &cap, parent->count + 1,
			     sizeof(*parent->keys));
	parent->values = xgrow(parent->values, &f->cap, parent->count + 1,
			       sizeof(*parent->values));
	size_t idx = parent->count++;
	parent->keys[idx] = n;
	parent->values[idx] = NULL;
	f->want_value = true;
	if (n->kind != YNODE_SCALAR) {
		diag_error(p->d, p->path, n->line, n->col,
			   "a key must be a plain string, not a %s",
			   n->kind == YNODE_SEQUENCE ? "list" : "mapping");
		return;
	}
	size_t first = keyset_add(&f->seen, parent->keys, idx);
	if (first)
		diag_error(p->d, p->path, n->line, n->col,
			   "duplicate key '%s' (first at line %d)", n->scalar,
			   parent->keys[first - 1]->line);
}

static void check_props(struct parse *p, const yaml_event_t *ev,
			const yaml_char_t *anchor, const yaml_char_t *tag)
{
	if (anchor)
		error_at(p, &ev->start_mark, anchor_msg);
	if (tag)
		error_at(p, &ev->start_mark,
			 "YAML tags are not supported in front matter; remove "
			 "the tag (quote the value if it must stay text)");
}

/* Returns false when the parse cannot go on. */
static bool open_container(struct parse *p, const yaml_event_t *ev,
			   enum ynode_kind kind)
{
	int line, col;
	locate(p, &ev->start_mark, &line, &col);
	if (p->depth == MAX_DEPTH) {
		diag_error(p->d, p->path, line, col,
			   "front matter nests deeper than %d levels; "
			   "flatten it",
			   MAX_DEPTH);
		return false;
	}
	if (kind == YNODE_MAPPING)
		check_props(p, ev, ev->data.mapping_start.anchor,
			    ev->data.mapping_start.tag);
	else
		check_props(p, ev, ev->data.sequence_start.anchor,
			    ev->data.sequence_start.tag);
	struct ynode *n = node_new(kind, line, col);
	attach(p, n);
	struct frame *f = &p->stack[p->depth++];
	memset(f, 0, sizeof(*f));
	f->node = n;
	return true;
}

static void close_container(struct parse *p)
{
	if (p->depth == 0)
		return;
	struct frame *f = &p->stack[--p->depth];
	free(f->seen.slots);
	f->seen.slots = NULL;
}

static void add_scalar(struct parse *p, const yaml_event_t *ev)
{
	int line, col;
	locate(p, &ev->start_mark, &line, &col);
	check_props(p, ev, ev->data.scalar.anchor, ev->data.scalar.tag);
	struct ynode *n = node_new(YNODE_SCALAR, line, col);
	n->scalar = xstrndup((const char *)ev->data.scalar.value,
			     ev->data.scalar.length);
	n->len = ev->data.scalar.length;
	n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	bool quoted = ev->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
		      ev->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
	if (n->plain || quoted) {
		size_t start = locate(p, &ev->start_mark, &line, &col);
		int end_line, end_col;
		size_t end = locate(p, &ev->end_mark, &end_line, &end_col);
		size_t from = start + (quoted ? 1 : 0);
		size_t to = end - (quoted ? 1 : 0);
		if (end_line == line && to >= from && to - from == n->len &&
		    memcmp(p->yaml + from, n->scalar, n->len) == 0)
			n->value_col = col + (quoted ? 1 : 0);
	}
	attach(p, n);
}

static void add_alias(struct parse *p, const yaml_event_t *ev)
{
	int line, col;
	locate(p, &ev->start_mark, &line, &col);
	diag_error(p->d, p->path, line, col, "%s", anchor_msg);
	/* A stand-in keeps the mapping's key/value pairing, so the errors
	 * after it still point at the right keys. */
	struct ynode *n = node_new(YNODE_SCALAR, line, col);
	n->scalar = xstrdup("");
	n->plain = true;
	attach(p, n);
}

/* Reports the error that stopped libyaml, with a hint for the mistakes
 * that writers of front matter actually make. */
static void report_yaml_error(struct parse *p, const yaml_parser_t *y)
{
	struct buf b;
	int line, col;
	size_t off;

	buf_init(&b);
	if (y->error == YAML_READER_ERROR) {
		off = y->problem_offset;
		locate_byte(p, off, &line, &col);
	} else {
		off = locate(p, &y->problem_mark, &line, &col);
	}
	buf_addf(&b, "invalid YAML: %s",
		 y->problem ? y->problem : "cannot parse");
	if (y->context && y->context_mark.line != y->problem_mark.line) {
		int cline, ccol;
		locate(p, &y->context_mark, &cline, &ccol);
		buf_addf(&b, " (%s that starts at line %d)", y->context, cline);
	}
	if (y->problem && strstr(y->problem, "mapping values are not allowed"))
		buf_adds(&b, "; quote values that contain ': '");
	else if (off < p->ylen && p->yaml[off] == '\t')
		buf_adds(&b, "; indent with spaces, not tabs");
	else if (off < p->ylen && (p->yaml[off] == '@' || p->yaml[off] == '`'))
		buf_addf(&b, "; quote values that start with '%c'",
			 p->yaml[off]);
	diag_error(p->d, p->path, line, col, "%s", b.data);
	buf_release(&b);
}

/* Returns false when the parse is over, by error or end of stream. */
static bool handle_event(struct parse *p, const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++p->documents > 1) {
			error_at(p, &ev->start_mark,
				 "front matter must be one YAML document; "
				 "this starts a second one");
			return false;
		}
		return true;
	case YAML_ALIAS_EVENT:
		add_alias(p, ev);
		return true;
	case YAML_SCALAR_EVENT:
		add_scalar(p, ev);
		return true;
	case YAML_MAPPING_START_EVENT:
		return open_container(p, ev, YNODE_MAPPING);
	case YAML_SEQUENCE_START_EVENT:
		return open_container(p, ev, YNODE_SEQUENCE);
	case YAML_MAPPING_END_EVENT:
	case YAML_SEQUENCE_END_EVENT:
		close_container(p);
		return true;
	case YAML_STREAM_END_EVENT:
		return false;
	default:
		return true;
	}
}

/* Returns the length of the line at S (up to END) when it is MARKER
 * followed only by spaces, tabs and a line end; 0 otherwise. The length
 * includes the newline when there is one. */
static size_t marker_line(const char *s, const char *end, const char *marker)
{
	const char *q = s;
	size_t n = strlen(marker);
	if ((size_t)(end - q) < n || memcmp(q, marker, n) != 0)
		return 0;
	q += n;
	while (q < end && (*q == ' ' || *q == '\t'))
		q++;
	if (q < end && *q == '\r')
		q++;
	if (q == end)
		return (size_t)(q - s);
	if (*q == '\n')
		return (size_t)(q + 1 - s);
	return 0;
}

/* Parses YLEN bytes of YAML whose first line is FIRST_LINE of PATH into
 * *ROOT (NULL when empty). Returns -1 after reporting errors. */
static int parse_yaml(struct ynode **root, const char *path, const char *what,
		      const char *yaml, size_t ylen, int first_line,
		      struct diag *d)
{
	size_t before = d->errors;
	struct parse p;
	yaml_parser_t y;
	bool have_parser = false;

	*root = NULL;
	memset(&p, 0, sizeof(p));
	p.path = path;
	p.d = d;
	p.yaml = yaml;
	p.ylen = ylen;
	p.first_line = first_line;
	p.what = what;
	cursor_reset(&p);

	if (!yaml_parser_initialize(&y)) {
		diag_error(d, path, 0, 0, "cannot start the YAML parser");
		goto out;
	}
	have_parser = true;
	yaml_parser_set_encoding(&y, YAML_UTF8_ENCODING);
	yaml_parser_set_input_string(&y, (const unsigned char *)p.yaml,
				     p.ylen);
	for (;;) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&y, &ev)) {
			report_yaml_error(&p, &y);
			break;
		}
		bool more = handle_event(&p, &ev);
		yaml_event_delete(&ev);
		if (!more)
			break;
	}
	if (d->errors == before) {
		*root = p.root;
		p.root = NULL;
	}
out:
	if (have_parser)
		yaml_parser_delete(&y);
	while (p.depth > 0)
		close_container(&p);
	ynode_free(p.root);
	return d->errors > before ? -1 : 0;
}

int yaml_parse_file(struct ynode **root, const char *path, const char *src,
		    size_t len, struct diag *d)
{
	if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0) {
		src += 3;
		len -= 3;
	}
	const char *slash = strrchr(path, '/');
	return parse_yaml(root, path, slash ? slash + 1 : path, src, len, 1, d);
}

int frontmatter_parse(struct frontmatter *fm, const char *path,
		      const char *src, size_t len, struct diag *d)
{
	return frontmatter_parse_stored(fm, path, src, len, NULL, d);
}

/* ---- trees kept between runs ---- */

/* A tree's encoding: what it takes read back (struct tree_size: its
 * nodes, the slots of its containers and its scalars' bytes with their
 * NULs, three numbers), then its root. A node's: its kind (or NO_NODE),
 * whether plain, its line, column and value column; then a scalar's
 * length and bytes, or a container's count and children (a mapping's
 * key and value in turn). Numbers are 32 bits, least significant byte
 * first. The sizes first let a tree be read back in one pass into one
 * block (a first pass to measure it was a third of reading it). */
#define NO_NODE 0xff

/* What a tree read back takes: its nodes, the slots of its containers
 * (a mapping's keys and values), and its scalars' bytes with their NULs. */
struct tree_size {
	size_t nodes, slots, bytes;
};

static void measure_tree(const struct ynode *n, struct tree_size *size)
{
	if (!n)
		return;
	size->nodes++;
	if (n->kind == YNODE_SCALAR) {
		size->bytes += n->len + 1;
		return;
	}
	/* a container holds at least one slot, as one parsed does */
	size_t room = n->count ? n->count : 1;
	size->slots += n->kind == YNODE_SEQUENCE ? room : 2 * room;
	for (size_t i = 0; i < n->count; i++) {
		if (n->kind == YNODE_SEQUENCE) {
			measure_tree(n->items[i], size);
		} else {
			measure_tree(n->keys[i], size);
			measure_tree(n->values[i], size);
		}
	}
}

static void encode_node(const struct ynode *n, struct buf *out)
{
	if (!n) {
		buf_addc(out, (char)NO_NODE);
		return;
	}
	buf_addc(out, (char)n->kind);
	buf_addc(out, (char)n->plain);
	record_put_u32(out, (uint32_t)n->line);
	record_put_u32(out, (uint32_t)n->col);
	record_put_u32(out, (uint32_t)n->value_col);
	if (n->kind == YNODE_SCALAR) {
		record_put_u32(out, (uint32_t)n->len);
		buf_add(out, n->scalar, n->len);
		return;
	}
	record_put_u32(out, (uint32_t)n->count);
	for (size_t i = 0; i < n->count; i++) {
		if (n->kind == YNODE_SEQUENCE) {
			encode_node(n->items[i], out);
		} else {
			encode_node(n->keys[i], out);
			encode_node(n->values[i], out);
		}
	}
}

void ynode_encode(const struct ynode *n, struct buf *out)
{
	struct tree_size size = {0, 0, 0};
	measure_tree(n, &size);
	record_put_u32(out, (uint32_t)size.nodes);
	record_put_u32(out, (uint32_t)size.slots);
	record_put_u32(out, (uint32_t)size.bytes);
	encode_node(n, out);
}

/* A node's encoding up to what it holds: COUNT is a scalar's length or
 * a container's children. */
struct node_head {
	unsigned kind; /* or NO_NODE */
	bool plain;
	uint32_t line, col, value_col, count;
};

/* Reads one node's head from R into H. False, with R->ok cleared, for
 * what ynode_encode does not write. A record is read as untrusted: every
 * count is checked against the bytes left (each node takes at least
 * one), nesting against MAX_DEPTH. */
static bool read_head(struct record_reader *r, int depth, struct node_head *h)
{
	if (r->p == r->end || depth > MAX_DEPTH) {
		r->ok = false;
		return false;
	}
	h->kind = *r->p++;
	if (h->kind == NO_NODE)
		return true;
	if (h->kind > YNODE_MAPPING || r->p == r->end || *r->p > 1) {
		r->ok = false;
		return false;
	}
	h->plain = *r->p++;
	h->line = record_get_u32(r);
	h->col = record_get_u32(r);
	h->value_col = record_get_u32(r);
	h->count = record_get_u32(r);
	if (!r->ok || h->line > INT32_MAX || h->col > INT32_MAX ||
	    h->value_col > INT32_MAX || h->count > (size_t)(r->end - r->p)) {
		r->ok = false;
		return false;
	}
	return true;
}

/* Where a tree is built: the next free node, slot and byte, and the
 * ends of each, which the sizes its record gave set and which nothing
 * may pass (the record is not trusted). */
struct tree_block {
	struct ynode *node, *node_end;
	struct ynode **slot, **slot_end;
	char *bytes, *bytes_end;
};

/* Builds one node from R, with what it holds, in B, at nesting DEPTH;
 * NULL for NO_NODE, or, with R->ok cleared, for what ynode_encode does
 * not write or does not fit B. */
static struct ynode *build_node(struct record_reader *r, struct tree_block *b,
				int depth)
{
	struct node_head h;
	if (!read_head(r, depth, &h) || h.kind == NO_NODE)
		return NULL;
	if (b->node == b->node_end) {
		r->ok = false;
		return NULL;
	}
	struct ynode *n = b->node++;
	*n = (struct ynode){.kind = (enum ynode_kind)h.kind,
			    .line = (int)h.line, .col = (int)h.col,
			    .plain = h.plain, .value_col = (int)h.value_col,
			    .alloc = YNODE_IN_BLOCK};
	if (h.kind == YNODE_SCALAR) {
		if ((size_t)(b->bytes_end - b->bytes) < (size_t)h.count + 1) {
			r->ok = false;
			return NULL;
		}
		n->scalar = b->bytes;
		memcpy(b->bytes, r->p, h.count);
		b->bytes[h.count] = '\0';
		b->bytes += h.count + 1;
		n->len = h.count;
		r->p += h.count;
		return n;
	}
	size_t room = h.count ? h.count : 1;
	size_t slots = h.kind == YNODE_SEQUENCE ? room : 2 * room;
	if ((size_t)(b->slot_end - b->slot) < slots) {
		r->ok = false;
		return NULL;
	}
	n->count = h.count;
	if (h.kind == YNODE_SEQUENCE) {
		n->items = b->slot;
	} else {
		n->keys = b->slot;
		n->values = b->slot + room;
	}
	b->slot += slots;
	for (uint32_t i = 0; i < h.count && r->ok; i++) {
		if (h.kind == YNODE_SEQUENCE) {
			n->items[i] = build_node(r, b, depth + 1);
			continue;
		}
		n->keys[i] = build_node(r, b, depth + 1);
		/* keys are scalars, never absent */
		if (r->ok && (!n->keys[i] || n->keys[i]->kind != YNODE_SCALAR))
			r->ok = false;
		if (r->ok)
			n->values[i] = build_node(r, b, depth + 1);
	}
	return n;
}

int ynode_decode(const void *data, size_t len, struct ynode **root)
{
	const unsigned char *start = data;
	struct record_reader r = {start, start + len, true};
	*root = NULL;
	size_t nodes = record_get_u32(&r), slots = record_get_u32(&r);
	size_t bytes = record_get_u32(&r);
	size_t left = r.ok ? (size_t)(r.end - r.p) : 0;
	/* Each node takes a byte of the record at least, each slot a node
	 * (or, in an empty container, its node), each byte of a scalar a
	 * byte or its NUL. */
	if (!r.ok || nodes > left || slots > 2 * left ||
	    bytes > left + nodes || r.p == r.end ||
	    (*r.p != NO_NODE && *r.p != YNODE_MAPPING))
		return -1;
	/* An empty block: no node at all. */
	if (nodes == 0)
		return *r.p == NO_NODE && r.p + 1 == r.end && slots == 0 &&
			       bytes == 0
			   ? 0
			   : -1;
	/* One allocation: nodes, then slots, then bytes. */
	size_t slots_at = nodes * sizeof(struct ynode);
	size_t bytes_at = slots_at + slots * sizeof(struct ynode *);
	char *block = xmalloc(bytes_at + bytes + 1);
	struct tree_block b = {
	    (struct ynode *)(void *)block,
	    (struct ynode *)(void *)block + nodes,
	    (struct ynode **)(void *)(block + slots_at),
	    (struct ynode **)(void *)(block + slots_at) + slots,
	    block + bytes_at, block + bytes_at + bytes};
	struct ynode *tree = build_node(&r, &b, 0);
	if (!r.ok || r.p != r.end || !tree || b.node != b.node_end ||
	    b.slot != b.slot_end || b.bytes != b.bytes_end) {
		free(block);
		return -1;
	}
	tree->alloc = YNODE_BLOCK_ROOT;
	*root = tree;
	return 0;
}

bool frontmatter_from_store(struct frontmatter *fm, uint64_t key,
			    const struct fm_store *store)
{
	size_t kept_len = 0;
	const unsigned char *kept = store->get(store->arg, key, &kept_len);
	if (!kept || ynode_decode(kept, kept_len, &fm->root) != 0)
		return false;
	/* kept for the next run too */
	store->put(store->arg, key, kept, kept_len);
	fm->stored = true;
	fm->key = key;
	return true;
}

int frontmatter_parse_stored(struct frontmatter *fm, const char *path,
			     const char *src, size_t len,
			     const struct fm_store *store, struct diag *d)
{
	const char *end = src + len;
	const char *s = src;
	const char *close = NULL;
	size_t open_len, close_len = 0;
	int line = 2;
	size_t before = d->errors;

	memset(fm, 0, sizeof(*fm));

	if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		s += 3;
	open_len = marker_line(s, end, "---");
	if (open_len == 0) {
		diag_error(d, path, 1, 1,
			   "missing front matter: the file must start with a "
			   "line '---', then YAML, then a line '---'");
		goto out;
	}
	/* A bare `---` at the end of the file opens a block with no room to
	 * close it. */
	if (s[open_len - 1] != '\n') {
		diag_error(d, path, 1, 1,
			   "front matter opened here never closes; add a "
			   "line '---' after it");
		goto out;
	}
	for (const char *q = s + open_len; q < end; line++) {
		close_len = marker_line(q, end, "---");
		if (close_len == 0)
			close_len = marker_line(q, end, "...");
		if (close_len) {
			close = q;
			break;
		}
		const char *nl = memchr(q, '\n', (size_t)(end - q));
		if (!nl)
			break;
		q = nl + 1;
	}
	if (!close) {
		diag_error(d, path, 1, 1,
			   "front matter opened here never closes; add a "
			   "line '---' after it");
		goto out;
	}

	/* The tree depends on the block's bytes alone (its positions
	 * count from line 2 in any file): the store keys it by them. */
	const char *yaml = s + open_len;
	size_t ylen = (size_t)(close - yaml);
	uint64_t key = store ? XXH3_64bits_withSeed(yaml, ylen, STORE_SEED) : 0;
	fm->key = key;
	if (!store || !frontmatter_from_store(fm, key, store)) {
		if (parse_yaml(&fm->root, path, "front matter", yaml, ylen, 2,
			       d) < 0)
			goto out;
		if (store) {
			struct buf enc;
			buf_init(&enc);
			ynode_encode(fm->root, &enc);
			store->put(store->arg, key, enc.data, enc.len);
			buf_release(&enc);
		}
	}
	fm->body = close + close_len;
	fm->body_len = (size_t)(end - fm->body);
	fm->body_line = line + 1;

out:
	if (d->errors > before) {
		ynode_free(fm->root);
		memset(fm, 0, sizeof(*fm));
		return -1;
	}
	return 0;
}

/* The index of KEY in mapping MAP, or MAP's count when it has none. */
static size_t key_index(const struct ynode *map, const char *key)
{
	size_t n = strlen(key);
	for (size_t i = 0; i < map->count; i++) {
		const struct ynode *k = map->keys[i];
		if (k && k->kind == YNODE_SCALAR && k->len == n &&
		    memcmp(k->scalar, key, n) == 0)
			return i;
	}
	return map->count;
}

const struct ynode *ynode_get(const struct ynode *map, const char *key)
{
	if (!map || map->kind != YNODE_MAPPING)
		return NULL;
	size_t i = key_index(map, key);
	return i < map->count ? map->values[i] : NULL;
}

/* N and what it holds, each node allocated on its own. */
static struct ynode *ynode_copy(const struct ynode *n)
{
	if (!n)
		return NULL;
	struct ynode *c = node_new(n->kind, n->line, n->col);
	c->plain = n->plain;
	c->value_col = n->value_col;
	if (n->kind == YNODE_SCALAR) {
		/* a scalar may hold a NUL, written "\0" in YAML */
		c->scalar = xmalloc(n->len + 1);
		memcpy(c->scalar, n->scalar, n->len + 1);
		c->len = n->len;
		return c;
	}
	size_t room = n->count ? n->count : 1;
	c->count = n->count;
	if (n->kind == YNODE_SEQUENCE) {
		c->items = xcalloc(room, sizeof *c->items);
		for (size_t i = 0; i < n->count; i++)
			c->items[i] = ynode_copy(n->items[i]);
	} else {
		c->keys = xcalloc(room, sizeof *c->keys);
		c->values = xcalloc(room, sizeof *c->values);
		for (size_t i = 0; i < n->count; i++) {
			c->keys[i] = ynode_copy(n->keys[i]);
			c->values[i] = ynode_copy(n->values[i]);
		}
	}
	return c;
}

struct ynode *ynode_take(struct ynode *map, const char *key)
{
	if (!map || map->kind != YNODE_MAPPING)
		return NULL;
	size_t i = key_index(map, key);
	if (i == map->count)
		return NULL;
	struct ynode *v = map->values[i];
	map->values[i] = NULL;
	return v && v->alloc == YNODE_IN_BLOCK ? ynode_copy(v) : v;
}

size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t row[MAX_DISTANCE_LEN + 1];

	if (la > MAX_DISTANCE_LEN || lb > MAX_DISTANCE_LEN)
		return SIZE_MAX;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t corner = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = corner + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			corner = up;
		}
	}
	return row[lb];
}

static bool is_known(const char *key, const char *const *known)
{
	for (size_t i = 0; known[i]; i++)
		if (strcmp(key, known[i]) == 0)
			return true;
	return false;
}

size_t ynode_check_keys(const struct ynode *map, const char *const *known,
			const char *path, struct diag *d)
{
	size_t unknown = 0;
	struct buf b;

	if (!map || map->kind != YNODE_MAPPING)
		return 0;
	buf_init(&b);
	for (size_t i = 0; i < map->count; i++) {
		const struct ynode *k = map->keys[i];
		if (!k || k->kind != YNODE_SCALAR ||
		    (strlen(k->scalar) == k->len && is_known(k->scalar, known)))
			continue;
		unknown++;
		const char *nearest = NULL;
		size_t best = SIZE_MAX;
		for (size_t j = 0; known[j]; j++) {
			size_t dist = edit_distance(k->scalar, known[j]);
			if (dist < best) {
				best = dist;
				nearest = known[j];
			}
		}
		size_t limit = k->len / 3 > 2 ? k->len / 3 : 2;
		buf_reset(&b);
		buf_addf(&b, "unknown key '%s'; ", k->scalar);
		if (nearest && best <= limit) {
			buf_addf(&b, "did you mean '%s'?", nearest);
		} else if (!known[0]) {
			buf_adds(&b, "this file takes no keys");
		} else {
			buf_adds(&b, "known keys are: ");
			for (size_t j = 0; known[j]; j++)
				buf_addf(&b, "%s%s", j ? ", " : "", known[j]);
		}
		diag_error(d, path, k->line, k->col, "%s", b.data);
	}
	buf_release(&b);
	return unknown;
}

static const char *kind_noun(enum ynode_kind kind)
{
	return kind == YNODE_SEQUENCE ? "list" : "mapping";
}

/* True when the scalar N holds nothing but white space (or nothing). */
static bool blank(const struct ynode *n)
{
	size_t i = 0, k;
	uint32_t cp;
	while (i < n->len && (k = utf8_decode(n->scalar + i, n->len - i, &cp)) &&
	       utf8_is_space(cp))
		i += k;
	return i == n->len;
}

const char *ynode_string(const struct ynode *n, const char *key,
			 const char *path, struct diag *d)
{
	if (!n)
		return NULL;
	if (n->kind != YNODE_SCALAR) {
		diag_error(d, path, n->line, n->col,
			   "'%s' must be a string, not a %s", key,
			   kind_noun(n->kind));
		return NULL;
	}
	if (blank(n)) {
		diag_error(d, path, n->line, n->col, "'%s' must not be empty",
			   key);
		return NULL;
	}
	return n->scalar;
}

bool ynode_string_list(const struct ynode *n, const char *key,
		       const char *path, struct diag *d)
{
	bool ok = true;

	if (!n)
		return true;
	if (n->kind != YNODE_SEQUENCE) {
		diag_error(d, path, n->line, n->col,
			   "'%s' must be a list, for example: %s: [a, b]", key,
			   key);
		return false;
	}
	for (size_t i = 0; i < n->count; i++) {
		const struct ynode *it = n->items[i];
		if (it->kind != YNODE_SCALAR) {
			diag_error(d, path, it->line, it->col,
				   "an item of '%s' must be a string, not a %s",
				   key, kind_noun(it->kind));
			ok = false;
		} else if (blank(it)) {
			diag_error(d, path, it->line, it->col,
				   "an item of '%s' must not be empty", key);
			ok = false;
		}
	}
	return ok;
}

size_t frontmatter_bytes(const char *src, int body_line)
{
	const char *s = src;
	for (int line = 1; s && line < body_line; line++) {
		const char *nl = strchr(s, '\n');
		s = nl ? nl + 1 : NULL;
	}
	return s ? (size_t)(s - src) : strlen(src);
}
