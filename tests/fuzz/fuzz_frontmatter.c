/* Fuzz target: YAML front matter and whole YAML files (frontmatter.h).
 *
 * Every input is read twice: as a Markdown file (frontmatter_parse) and
 * as archive.yaml (yaml_parse_file). On success the tree is walked and
 * checked against what the header promises: the root is a mapping, keys
 * are scalars and unique, every position is within the file, a scalar's
 * value_col points at its own bytes, and the body starts on body_line.
 * Then the accessors run over it as the loader would use them. Every
 * diagnostic must point into the file: its line exists, its column is
 * at most one past the line's end. A tree parsed is encoded as the front
 * matter cache keeps it and read back the same; the input itself, read
 * as such a record, gives a tree of front matter or nothing. */
#define _GNU_SOURCE /* fopencookie */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frontmatter.h"
#include "fuzz.h"

/* The file: its bytes, less a leading byte order mark (line 1 is the
 * only one it shifts, and no YAML node is reported there in front
 * matter), with the offset where each line starts. */
struct text {
	const char *s;
	size_t len;
	size_t *line_start; /* [1..lines] */
	size_t lines;
};

static void text_init(struct text *t, const char *s, size_t len)
{
	if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
		s += 3;
		len -= 3;
	}
	t->s = s;
	t->len = len;
	t->lines = 1;
	for (size_t i = 0; i < len; i++)
		t->lines += s[i] == '\n';
	t->line_start = malloc((t->lines + 1) * sizeof *t->line_start);
	size_t l = 1;
	t->line_start[1] = 0;
	for (size_t i = 0; i < len; i++)
		if (s[i] == '\n')
			t->line_start[++l] = i + 1;
}

static const char *const known[] = {"title", "date", "parties", "omit",
				    "positions", "terms", NULL};

static void check_node(const struct ynode *n, const struct text *t,
		       int min_line, size_t depth, size_t *nodes)
{
	CHECK(n != NULL);
	CHECK(depth <= 80);
	++*nodes;
	CHECK(n->line >= min_line && (size_t)n->line <= t->lines);
	CHECK(n->col >= 1);
	switch (n->kind) {
	case YNODE_SCALAR:
		CHECK(n->scalar != NULL && n->scalar[n->len] == '\0');
		CHECK(n->items == NULL && n->keys == NULL && n->values == NULL);
		CHECK(n->count == 0);
		if (n->value_col > 0) {
			size_t at = t->line_start[n->line] + (size_t)n->value_col - 1;
			CHECK(at <= t->len && n->len <= t->len - at);
			CHECK(memcmp(t->s + at, n->scalar, n->len) == 0);
			CHECK(memchr(n->scalar, '\n', n->len) == NULL);
		}
		break;
	case YNODE_SEQUENCE:
		CHECK(n->count == 0 || n->items != NULL);
		for (size_t i = 0; i < n->count; i++)
			check_node(n->items[i], t, min_line, depth + 1, nodes);
		break;
	case YNODE_MAPPING:
		for (size_t i = 0; i < n->count; i++) {
			const struct ynode *k = n->keys[i];
			check_node(k, t, min_line, depth + 1, nodes);
			CHECK(k->kind == YNODE_SCALAR);
			check_node(n->values[i], t, min_line, depth + 1, nodes);
			/* ynode_get finds the one value of a key. */
			if (strlen(k->scalar) == k->len)
				CHECK(ynode_get(n, k->scalar) == n->values[i]);
		}
		/* Duplicates are errors: at most a few keys are compared
		 * pairwise, to stay fast on long mappings. */
		for (size_t i = 0; i < n->count && i < 32; i++)
			for (size_t j = i + 1; j < n->count && j < 32; j++)
				CHECK(n->keys[i]->len != n->keys[j]->len ||
				      memcmp(n->keys[i]->scalar,
					     n->keys[j]->scalar,
					     n->keys[i]->len) != 0);
		break;
	default:
		CHECK(!"a node of no known kind");
	}
}

/* A and B alike in every field. */
static void same_tree(const struct ynode *a, const struct ynode *b)
{
	CHECK((a == NULL) == (b == NULL));
	if (!a)
		return;
	CHECK(a->kind == b->kind && a->line == b->line && a->col == b->col &&
	      a->value_col == b->value_col && a->plain == b->plain &&
	      a->count == b->count);
	if (a->kind == YNODE_SCALAR)
		CHECK(a->len == b->len && memcmp(a->scalar, b->scalar, a->len) == 0 &&
		      b->scalar[b->len] == '\0');
	for (size_t i = 0; i < a->count; i++) {
		if (a->kind == YNODE_SEQUENCE) {
			same_tree(a->items[i], b->items[i]);
		} else {
			same_tree(a->keys[i], b->keys[i]);
			same_tree(a->values[i], b->values[i]);
		}
	}
}

/* Runs the accessors the loader uses over a parsed root. */
static void use_root(const struct ynode *root, const char *path,
		     struct diag *d)
{
	if (!root)
		return;
	CHECK(root->kind == YNODE_MAPPING);
	size_t unknown = ynode_check_keys(root, known, path, d);
	CHECK(unknown <= root->count);
	for (size_t i = 0; i < root->count; i++) {
		const struct ynode *k = root->keys[i], *v = root->values[i];
		const char *s = ynode_string(v, k->scalar, path, d);
		CHECK(!s || s == v->scalar);
		(void)ynode_string_list(v, k->scalar, path, d);
		size_t dist = edit_distance(k->scalar, known[i % 6]);
		size_t la = strlen(k->scalar), lb = strlen(known[i % 6]);
		CHECK(dist == SIZE_MAX || dist <= (la > lb ? la : lb));
		CHECK(edit_distance(k->scalar, k->scalar) == 0 || la > 256);
	}
	/* A key no mapping has gives NULL. */
	const char *absent = "no such key in any seed";
	const struct ynode *v = ynode_get(root, absent);
	bool present = false;
	for (size_t i = 0; i < root->count; i++)
		present |= strcmp(root->keys[i]->scalar, absent) == 0 &&
			   root->keys[i]->len == strlen(absent);
	CHECK(present ? v != NULL : v == NULL);
}

/* Diagnostics arrive one per write (diag.c writes and flushes each
 * whole), through a stream whose buffer holds any of them. */
static const struct text *diag_text;
static const char *diag_path;

static ssize_t diag_write(void *cookie, const char *buf, size_t n)
{
	(void)cookie;
	size_t plen = strlen(diag_path);
	if (getenv("GLOSS_FUZZ_VERBOSE"))
		fwrite(buf, 1, n, stderr);
	CHECK(n > plen + 2 && memcmp(buf, diag_path, plen) == 0 &&
	      buf[plen] == ':' && buf[n - 1] == '\n');
	const char *p = buf + plen + 1;
	if (*p < '0' || *p > '9')
		return (ssize_t)n; /* no position */
	char *end;
	long line = strtol(p, &end, 10), col = 1;
	if (*end == ':' && end[1] >= '0' && end[1] <= '9')
		col = strtol(end + 1, &end, 10);
	CHECK(line >= 1 && (size_t)line <= diag_text->lines && col >= 1);
	size_t start = diag_text->line_start[line];
	const char *nl = memchr(diag_text->s + start, '\n', diag_text->len - start);
	size_t len = nl ? (size_t)(nl - diag_text->s) - start
			: diag_text->len - start;
	if ((size_t)col > len + 1)
		fprintf(stderr, "%.*s: column past the end of line %ld (%zu "
			"bytes)\n", (int)n - 1, buf, line, len);
	CHECK((size_t)col <= len + 1);
	return (ssize_t)n;
}

static FILE *diag_stream(void)
{
	static FILE *f;
	static char buffer[1 << 20];
	if (!f) {
		cookie_io_functions_t io = {NULL, diag_write, NULL, NULL};
		f = fopencookie(NULL, "w", io);
		if (!f || setvbuf(f, buffer, _IOFBF, sizeof buffer) != 0)
			abort();
	}
	return f;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *src = (const char *)data;
	struct diag d;
	struct text t;
	struct frontmatter fm;
	struct ynode *root = NULL;
	size_t nodes = 0;

	text_init(&t, src, size);
	diag_init(&d, diag_stream());
	diag_text = &t;
	diag_path = "f.md";

	if (frontmatter_parse(&fm, "f.md", src, size, &d) == 0) {
		CHECK(d.errors == 0);
		CHECK(fm.body >= src && fm.body <= src + size);
		CHECK(fm.body_len == (size_t)(src + size - fm.body));
		CHECK(fm.body_line >= 3);
		/* cmark's line 1 is the file's line body_line. */
		if (fm.body_len > 0) {
			size_t nl = 0;
			for (const char *p = src; p < fm.body; p++)
				nl += *p == '\n';
			CHECK(nl + 1 == (size_t)fm.body_line);
		}
		if (fm.root)
			check_node(fm.root, &t, 2, 0, &nodes);
		use_root(fm.root, "f.md", &d);
		/* kept between runs: read back, the same tree */
		struct buf enc;
		buf_init(&enc);
		ynode_encode(fm.root, &enc);
		struct ynode *back;
		CHECK(ynode_decode(enc.data, enc.len, &back) == 0);
		same_tree(fm.root, back);
		ynode_free(back);
		buf_release(&enc);
		frontmatter_release(&fm);
	} else {
		CHECK(d.errors > 0);
		CHECK(fm.root == NULL);
	}

	diag_init(&d, d.out);
	diag_path = "archive.yaml";
	if (yaml_parse_file(&root, "archive.yaml", src, size, &d) == 0) {
		CHECK(d.errors == 0);
		if (root)
			check_node(root, &t, 1, 0, &nodes);
		use_root(root, "archive.yaml", &d);
		ynode_free(root);
	} else {
		CHECK(d.errors > 0);
		CHECK(root == NULL);
	}
	/* The input as a record of the front matter cache, which is read
	 * as untrusted: a tree of front matter, or nothing. */
	if (ynode_decode(data, size, &root) == 0) {
		CHECK(!root || root->kind == YNODE_MAPPING);
		ynode_free(root);
	} else {
		CHECK(root == NULL);
	}
	/* The tree never outgrows the text that describes it. */
	CHECK(nodes <= 2 * (2 * size + 2));
	free(t.line_start);
	return 0;
}
