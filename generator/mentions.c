#include "mentions.h"

#include <stdint.h>
#include <stdlib.h>

#include "utf8.h"
#include "xalloc.h"

/* The trie's nodes live in one array, the root at index 0. Edges are not
 * stored in the nodes: with thousands of aliases most nodes have one
 * child, so per-node tables of 256 pointers would waste most of the
 * memory and child lists would make each step a search. Instead one
 * open-addressing table maps (parent, byte) to the child, which keeps a
 * step O(1) expected and the memory proportional to the bytes added. */

/* 32-bit numbers: a scan walks these tables at every word start, and
 * half the bytes keep more of them in cache. No archive comes near 2^32
 * bytes of aliases, or 2^32 parties. */
struct node {
	uint32_t party;	/* meaningful only when terminal */
	bool terminal;	/* an alias ends here */
};

/* A slot is empty when child is 0: the root is never anyone's child. */
struct edge {
	uint32_t parent;
	uint32_t child;
	unsigned char byte;
};

struct mention_set {
	/* The root's children by byte, 0 for none: most positions of a text
	 * start no alias, and this says so without a probe of the table. */
	size_t root[256];
	/* Bit (A << 8 | B) is set when an alias starts with bytes A, B: at
	 * most word starts that begin some alias, no alias goes on with
	 * the next byte, which this says without walking the trie. */
	unsigned char pairs[65536 / 8];
	struct node *nodes;
	size_t nnodes;
	size_t nodes_cap;
	struct edge *edges;	/* capacity is a power of two */
	size_t edges_cap;
	size_t nedges;
};

static size_t edge_hash(size_t parent, unsigned char byte)
{
	/* splitmix64's finaliser: node indices are sequential, so the key
	 * needs real mixing before it is masked to the table size. */
	uint64_t h = ((uint64_t)parent << 8) | byte;
	h ^= h >> 30;
	h *= UINT64_C(0xbf58476d1ce4e5b9);
	h ^= h >> 27;
	h *= UINT64_C(0x94d049bb133111eb);
	h ^= h >> 31;
	return (size_t)h;
}

/* Returns the slot holding the edge (PARENT, BYTE), or the empty slot
 * where it would go. */
static struct edge *edge_slot(struct edge *edges, size_t cap, size_t parent,
			      unsigned char byte)
{
	size_t mask = cap - 1;
	size_t i = edge_hash(parent, byte) & mask;
	while (edges[i].child != 0 &&
	       (edges[i].parent != parent || edges[i].byte != byte))
		i = (i + 1) & mask;
	return &edges[i];
}

/* Returns the child of PARENT along BYTE, or 0 when there is none. */
static size_t child_of(const struct mention_set *set, size_t parent,
		       unsigned char byte)
{
	return edge_slot(set->edges, set->edges_cap, parent, byte)->child;
}

/* Doubles the edge table, rehashing every edge into the new one. */
static void edges_grow(struct mention_set *set)
{
	/* Cannot overflow: the current table already holds edges_cap
	 * edges of several bytes each. xcalloc_written reports a size too
	 * big. */
	size_t cap = set->edges_cap * 2;
	struct edge *edges = xcalloc_written(cap, sizeof(*edges));
	for (size_t i = 0; i < set->edges_cap; i++) {
		const struct edge *e = &set->edges[i];
		if (e->child != 0)
			*edge_slot(edges, cap, e->parent, e->byte) = *e;
	}
	free(set->edges);
	set->edges = edges;
	set->edges_cap = cap;
}

/* Returns the child of PARENT along BYTE, creating it when missing. */
static size_t child_add(struct mention_set *set, size_t parent,
			unsigned char byte)
{
	struct edge *slot =
		edge_slot(set->edges, set->edges_cap, parent, byte);
	if (slot->child != 0)
		return slot->child;
	/* Keep the load at most one half so that probe runs stay short. */
	if ((set->nedges + 1) * 2 > set->edges_cap) {
		edges_grow(set);
		slot = edge_slot(set->edges, set->edges_cap, parent, byte);
	}
	size_t child = set->nnodes;
	set->nodes = xgrow(set->nodes, &set->nodes_cap, child + 1,
			   sizeof(*set->nodes));
	set->nodes[child] = (struct node){0};
	set->nnodes++;
	if (parent == 0)
		set->root[byte] = child;
	slot->parent = (uint32_t)parent;
	slot->byte = byte;
	slot->child = (uint32_t)child;
	set->nedges++;
	return child;
}

struct mention_set *mention_set_new(void)
{
	struct mention_set *set = xcalloc(1, sizeof(*set));
	set->nodes = xgrow(NULL, &set->nodes_cap, 1, sizeof(*set->nodes));
	set->nodes[0] = (struct node){0};
	set->nnodes = 1;
	set->edges_cap = 16;
	set->edges = xcalloc(set->edges_cap, sizeof(*set->edges));
	return set;
}

void mention_set_free(struct mention_set *set)
{
	if (!set)
		return;
	free(set->nodes);
	free(set->edges);
	free(set);
}

bool mention_set_add(struct mention_set *set, const char *alias, size_t len,
		     size_t party, size_t *owner)
{
	size_t node = 0;
	for (size_t i = 0; i < len; i++)
		node = child_add(set, node, (unsigned char)alias[i]);
	if (len >= 2) {
		unsigned pair = (unsigned char)alias[0] << 8 |
				(unsigned char)alias[1];
		set->pairs[pair >> 3] |= (unsigned char)(1u << (pair & 7));
	}
	if (set->nodes[node].terminal) {
		*owner = set->nodes[node].party;
		return false;
	}
	set->nodes[node].terminal = true;
	set->nodes[node].party = (uint32_t)party;
	return true;
}

/* True when a word character starts at offset I of TEXT. Invalid bytes
 * and the end of the text are not word characters. */
static bool word_at(const char *text, size_t len, size_t i)
{
	uint32_t cp;
	if (i >= len || utf8_decode(text + i, len - i, &cp) == 0)
		return false;
	return utf8_is_word_char(cp);
}

/* True when a word character ends just before offset I of TEXT. */
static bool word_before(const char *text, size_t i)
{
	uint32_t cp;
	if (utf8_decode_prev(text, i, &cp) == 0)
		return false;
	return utf8_is_word_char(cp);
}

void mention_scan(const struct mention_set *set, const char *text,
		  size_t len, mention_fn fn, void *ctx)
{
	size_t p = 0;
	while (p < len) {
		size_t end = 0;
		size_t party = 0;
		bool found = false;
		unsigned char b = (unsigned char)text[p];
		if (set->root[b] == 0 && b < 0x80) {
			p++; /* no alias starts with this character */
			continue;
		}
		size_t first = set->root[b];
		if (first != 0 && !set->nodes[first].terminal) {
			unsigned pair = p + 1 < len ? (unsigned)b << 8 |
					(unsigned char)text[p + 1] : 0;
			if (p + 1 >= len ||
			    !(set->pairs[pair >> 3] & (1u << (pair & 7))))
				first = 0; /* no alias goes on this way */
		}
		if (first != 0 && !word_before(text, p)) {
			/* A shorter alias can win when the longest one
			 * reached runs into a word character, so keep the
			 * last terminal that ends at a boundary. */
			size_t node = 0;
			for (size_t q = p; q < len; q++) {
				node = child_of(set, node,
						(unsigned char)text[q]);
				if (node == 0)
					break;
				if (set->nodes[node].terminal &&
				    !word_at(text, len, q + 1)) {
					found = true;
					end = q + 1;
					party = set->nodes[node].party;
				}
			}
		}
		if (found) {
			fn(ctx, party, p, end);
			p = end;
			continue;
		}
		uint32_t cp;
		size_t step = utf8_decode(text + p, len - p, &cp);
		p += step ? step : 1;
	}
}
