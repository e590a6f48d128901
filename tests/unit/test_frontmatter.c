/* Unit tests of frontmatter.c: the tree and positions it builds, and the
 * exact text and position of every diagnostic it can give. */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "diag.h"
#include "frontmatter.h"

/* Diagnostics go to a memory stream so each test can compare the whole
 * output, not just a count. */
struct capture {
	char *text;
	size_t size;
	FILE *out;
	struct diag d;
};

static int capture_setup(void **state)
{
	struct capture *c = calloc(1, sizeof(*c));
	if (!c)
		return -1;
	c->out = open_memstream(&c->text, &c->size);
	if (!c->out) {
		free(c);
		return -1;
	}
	diag_init(&c->d, c->out);
	*state = c;
	return 0;
}

static int capture_teardown(void **state)
{
	struct capture *c = *state;
	fclose(c->out);
	free(c->text);
	free(c);
	return 0;
}

/* Starts a fresh output stream; the error counts carry on. */
static void capture_reset(struct capture *c)
{
	fclose(c->out);
	free(c->text);
	c->text = NULL;
	c->size = 0;
	c->out = open_memstream(&c->text, &c->size);
	assert_non_null(c->out);
	c->d.out = c->out;
}

static const char *captured(struct capture *c)
{
	fflush(c->out);
	return c->text ? c->text : "";
}

/* Parses SRC expecting success and no diagnostics. */
static void parse_ok(struct capture *c, struct frontmatter *fm,
		     const char *src)
{
	int rc = frontmatter_parse(fm, "a.md", src, strlen(src), &c->d);
	assert_string_equal(captured(c), "");
	assert_int_equal(rc, 0);
	assert_int_equal(c->d.errors, 0);
}

/* Parses SRC expecting failure with exactly the diagnostics EXPECTED, and
 * checks that the frontmatter was left empty. */
static void parse_fails(struct capture *c, const char *src, size_t len,
			const char *expected)
{
	struct frontmatter fm;
	capture_reset(c);
	memset(&fm, 0xAB, sizeof(fm));
	int rc = frontmatter_parse(&fm, "a.md", src, len, &c->d);
	assert_int_equal(rc, -1);
	assert_string_equal(captured(c), expected);
	assert_null(fm.root);
	assert_null(fm.body);
	assert_int_equal(fm.body_len, 0);
	assert_int_equal(fm.body_line, 0);
}

static void expect_error(struct capture *c, const char *src,
			 const char *expected)
{
	parse_fails(c, src, strlen(src), expected);
}

static void assert_scalar(const struct ynode *n, const char *text, bool plain,
			  int line, int col)
{
	assert_non_null(n);
	assert_int_equal(n->kind, YNODE_SCALAR);
	assert_string_equal(n->scalar, text);
	assert_int_equal(n->len, strlen(text));
	assert_int_equal(n->plain, plain);
	assert_int_equal(n->line, line);
	assert_int_equal(n->col, col);
}

static void assert_pos(const struct ynode *n, enum ynode_kind kind, int line,
		       int col)
{
	assert_non_null(n);
	assert_int_equal(n->kind, kind);
	assert_int_equal(n->line, line);
	assert_int_equal(n->col, col);
}

/* ---- successful parses ---- */

static void test_scalars(void **state)
{
	struct capture *c = *state;
	struct frontmatter fm;
	parse_ok(c, &fm,
		 "---\n"
		 "title: Hello world\n"
		 "year: 2008\n"
		 "flag: true\n"
		 "quoted: \"true\"\n"
		 "single: 'it''s'\n"
		 "empty:\n"
		 "---\n"
		 "Body.\n");
	const struct ynode *r = fm.root;
	assert_pos(r, YNODE_MAPPING, 2, 1);
	assert_int_equal(r->count, 6);
	assert_scalar(r->keys[0], "title", true, 2, 1);
	assert_scalar(r->values[0], "Hello world", true, 2, 8);
	assert_scalar(r->keys[1], "year", true, 3, 1);
	assert_scalar(r->values[1], "2008", true, 3, 7);
	assert_scalar(r->values[2], "true", true, 4, 7);
	assert_scalar(r->values[3], "true", false, 5, 9);
	assert_scalar(r->values[4], "it's", false, 6, 9);
	/* An empty plain value sits just after its colon. */
	assert_scalar(r->keys[5], "empty", true, 7, 1);
	assert_scalar(r->values[5], "", true, 7, 7);
	assert_int_equal(fm.body_line, 9);
	assert_string_equal(fm.body, "Body.\n");
	frontmatter_release(&fm);
	assert_null(fm.root);
}

static void test_flow_list(void **state)
{
	struct capture *c = *state;
	struct frontmatter fm;
	parse_ok(c, &fm,
		 "---\n"
		 "omit: [Share this story, \"Close X\", About these ads]\n"
		 "none: []\n"
		 "---\n");
	const struct ynode *omit = ynode_get(fm.root, "omit");
	assert_pos(omit, YNODE_SEQUENCE, 2, 7);
	assert_int_equal(omit->count, 3);
	assert_scalar(omit->items[0], "Share this story", true, 2, 8);
	assert_scalar(omit->items[1], "Close X", false, 2, 26);
	assert_scalar(omit->items[2], "About these ads", true, 2, 37);
	const struct ynode *none = ynode_get(fm.root, "none");
	assert_pos(none, YNODE_SEQUENCE, 3, 7);
	assert_int_equal(none->count, 0);
	frontmatter_release(&fm);
}

/* A value taken out of the tree is the caller's; the tree releases the
 * rest without it. */
static void test_take_value(void **state)
{
	struct capture *c = *state;
	struct frontmatter fm;
	parse_ok(c, &fm,
		 "---\n"
		 "title: T\n"
		 "omit: [Share this story]\n"
		 "---\n");
	struct ynode *omit = ynode_take(fm.root, "omit");
	assert_pos(omit, YNODE_SEQUENCE, 3, 7);
	assert_scalar(omit->items[0], "Share this story", true, 3, 8);
	assert_null(ynode_get(fm.root, "omit"));
	assert_null(ynode_take(fm.root, "omit"));
	assert_null(ynode_take(fm.root, "absent"));
	assert_null(ynode_take(NULL, "omit"));
	assert_scalar(ynode_get(fm.root, "title"), "T", true, 2, 8);
	frontmatter_release(&fm);
	ynode_free(omit);
}

static void test_block_lists(void **state)
{
	struct capture *c = *state;
	struct frontmatter fm;
	parse_ok(c, &fm,
		 "---\n"
		 "indentless:\n"
		 "- one\n"
		 "-   two\n"
		 "indented:\n"
		 "  - three\n"
		 "---\n");
	const struct ynode *a = ynode_get(fm.root, "indentless");
	assert_pos(a, YNODE_SEQUENCE, 3, 1);
	assert_int_equal(a->count, 2);
	assert_scalar(a->items[0], "one", true, 3, 3);
	assert_scalar(a->items[1], "two", true, 4, 5);
	const struct ynode *b = ynode_get(fm.root, "indented");
	assert_pos(b, YNODE_SEQUENCE, 6, 3);
	assert_int_equal(b->count, 1);
	assert_scalar(b->items[0], "three", true, 6, 5);
	frontmatter_release(&fm);
}

static void test_nested_mappings(void **state)
{
	struct capture *c = *state;
	struct frontmatter fm;
	parse_ok(c, &fm,
		 "---\n"
		 "positions:\n"
		 "  - party: hamas\n"
		 "    stance: rejected   # a comment\n"
		 "    quote: \"has rejected\"\n"
		 "  - {party: fatah, stance: accepted}\n"
		 "---\n");
	const struct ynode *pos = ynode_get(fm.root, "positions");
	assert_pos(pos, YNODE_SEQUENCE, 3, 3);
	assert_int_equal(pos->count, 2);
	const struct ynode *first = pos->items[0];
	assert_pos(first, YNODE_MAPPING, 3, 5);
	assert_int_equal(first->count, 3);
	assert_scalar(first->keys[1], "stance", true, 4, 5);
	assert_scalar(ynode_get(first, "stance"), "rejected", true, 4, 13);
	assert_scalar(ynode_get(first, "quote"), "has rejected", false, 5, 12);
	const struct ynode *second = pos->items[1];
	assert_pos(second, YNODE_MAPPING, 6, 5);
	assert_scalar(second->keys[0], "party", true, 6, 6);
	assert_scalar(ynode_get(second, "stance"), "accepted", true, 6, 28);
	frontmatter_release(&fm);
}

static void test_block_scalar(void **state)
{
	struct capture *c = *state;
	struct frontmatter fm;
	parse_ok(c, &fm,
		 "---\n"
		 "summary: |\n"
		 "  line one\n"
		 "  line two\n"
		 "---\n");
	const struct ynode *s = ynode_get(fm.root, "summary");
	assert_scalar(s, "line one\nline two\n", false, 2, 10);
	frontmatter_release(&fm);
}

static void test_crlf(void **state)
{
	struct capture *c = *state;
	struct frontmatter fm;
	parse_ok(c, &fm,
		 "---\r\n"
		 "title: Hi\r\n"
		 "tags: [a, b]\r\n"
		 "---\r\n"
		 "Body\r\n");
	assert_scalar(ynode_get(fm.root, "title"), "Hi", true, 2, 8);
	const struct ynode *tags = ynode_get(fm.root, "tags");
	assert_pos(tags, YNODE_SEQUENCE, 3, 7);
	assert_scalar(tags->items[1], "b", true, 3, 11);
	assert_int_equal(fm.body_line, 5);
	assert_int_equal(fm.body_len, 6);
	assert_memory_equal(fm.body, "Body\r\n", 6);
	frontmatter_release(&fm);
}

static void test_utf8_byte_columns(void **state)
{
	struct capture *c = *state;
	struct frontmatter fm;
	/* "é" is two bytes and "ü" two more: columns count bytes. */
	parse_ok(c, &fm,
		 "---\n"
		 "\xc3\xa9t\xc3\xa9: \xc3\xbc ok\n"
		 "next: [\xe2\x80\x94, x]\n"
		 "---\n");
	const struct ynode *r = fm.root;
	assert_scalar(r->values[0], "\xc3\xbc ok", true, 2, 8);
	assert_scalar(r->keys[1], "next", true, 3, 1);
	const struct ynode *next = r->values[1];
	assert_scalar(next->items[0], "\xe2\x80\x94", true, 3, 8);
	assert_scalar(next->items[1], "x", true, 3, 13);
	frontmatter_release(&fm);
}

static void test_body(void **state)
{
	struct capture *c = *state;
	struct frontmatter fm;
	const char *src = "---\na: 1\nb: 2\n---\nfirst\nsecond\n";
	parse_ok(c, &fm, src);
	assert_ptr_equal(fm.body, src + 18);
	assert_int_equal(fm.body_len, strlen(src) - 18);
	assert_int_equal(fm.body_line, 5);
	frontmatter_release(&fm);

	/* A closing line at the end of the file leaves an empty body. */
	src = "---\na: 1\n---";
	parse_ok(c, &fm, src);
	assert_ptr_equal(fm.body, src + strlen(src));
	assert_int_equal(fm.body_len, 0);
	assert_int_equal(fm.body_line, 4);
	assert_scalar(ynode_get(fm.root, "a"), "1", true, 2, 4);
	frontmatter_release(&fm);
}

static void test_markers_tolerated(void **state)
{
	struct capture *c = *state;
	struct frontmatter fm;
	/* A BOM, trailing blanks on both markers, and `...` as the close. */
	const char *src = "\xef\xbb\xbf---  \na: x\n... \t\r\nbody";
	parse_ok(c, &fm, src);
	assert_scalar(ynode_get(fm.root, "a"), "x", true, 2, 4);
	assert_string_equal(fm.body, "body");
	assert_int_equal(fm.body_line, 4);
	frontmatter_release(&fm);
}

static void test_empty_block(void **state)
{
	struct capture *c = *state;
	struct frontmatter fm;
	const char *src = "---\n---\nText\n";
	parse_ok(c, &fm, src);
	assert_null(fm.root);
	assert_ptr_equal(fm.body, src + 8);
	assert_int_equal(fm.body_line, 3);
	frontmatter_release(&fm);

	/* Comments and blank lines are no content either. */
	parse_ok(c, &fm, "---\n# nothing yet\n\n---\n");
	assert_null(fm.root);
	assert_int_equal(fm.body_line, 5);
	assert_int_equal(fm.body_len, 0);
	frontmatter_release(&fm);
}

/* Builds `a: ` followed by LEVELS nested flow lists. */
static char *nested_lists(int levels)
{
	struct buf b;
	buf_init(&b);
	buf_adds(&b, "---\na: ");
	for (int i = 0; i < levels; i++)
		buf_addc(&b, '[');
	for (int i = 0; i < levels; i++)
		buf_addc(&b, ']');
	buf_adds(&b, "\n---\n");
	char *s = buf_detach(&b, NULL);
	buf_release(&b);
	return s;
}

static void test_depth_limit(void **state)
{
	struct capture *c = *state;
	struct frontmatter fm;
	/* The root mapping is level 1, so 63 lists reach exactly 64. */
	char *src = nested_lists(63);
	parse_ok(c, &fm, src);
	const struct ynode *n = ynode_get(fm.root, "a");
	int levels = 0;
	while (n && n->kind == YNODE_SEQUENCE) {
		levels++;
		n = n->count ? n->items[0] : NULL;
	}
	assert_int_equal(levels, 63);
	frontmatter_release(&fm);
	free(src);

	src = nested_lists(64);
	expect_error(c, src,
		     "a.md:2:67: error: front matter nests deeper than 64 "
		     "levels; flatten it\n");
	free(src);
}

static void test_many_keys(void **state)
{
	struct capture *c = *state;
	struct frontmatter fm;
	struct buf b;
	buf_init(&b);
	buf_adds(&b, "---\n");
	for (int i = 0; i < 200; i++)
		buf_addf(&b, "k%d: %d\n", i, i);
	buf_adds(&b, "---\n");
	parse_ok(c, &fm, b.data);
	assert_int_equal(fm.root->count, 200);
	assert_scalar(ynode_get(fm.root, "k199"), "199", true, 201, 7);
	frontmatter_release(&fm);

	/* The duplicate check must survive the key set being rehashed. */
	buf_reset(&b);
	buf_adds(&b, "---\n");
	for (int i = 0; i < 100; i++)
		buf_addf(&b, "k%d: x\n", i);
	buf_adds(&b, "k50: y\n---\n");
	expect_error(c, b.data,
		     "a.md:102:1: error: duplicate key 'k50' (first at line "
		     "52)\n");
	buf_release(&b);
}

/* ---- errors ---- */

static const char missing[] =
	"a.md:1:1: error: missing front matter: the file must start with a "
	"line '---', then YAML, then a line '---'\n";
static const char unclosed[] =
	"a.md:1:1: error: front matter opened here never closes; add a line "
	"'---' after it\n";

static void test_missing_front_matter(void **state)
{
	struct capture *c = *state;
	expect_error(c, "title: x\n", missing);
	assert_int_equal(c->d.errors, 1);
}

static void test_missing_variants(void **state)
{
	struct capture *c = *state;
	expect_error(c, "", missing);
	expect_error(c, "----\na: 1\n---\n", missing);
	expect_error(c, "--- a: 1\n---\n", missing);
	expect_error(c, "\n---\na: 1\n---\n", missing);
	expect_error(c, "---x\n", missing);
	assert_string_equal(captured(c), missing);
}

static void test_never_closes(void **state)
{
	struct capture *c = *state;
	expect_error(c, "---\ntitle: x\nBody text\n", unclosed);
}

static void test_never_closes_variants(void **state)
{
	struct capture *c = *state;
	expect_error(c, "---", unclosed);
	expect_error(c, "---\n", unclosed);
	expect_error(c, "---\na: 1\n----\n", unclosed);
	assert_int_equal(c->d.errors, 3);
}

static void test_root_not_mapping(void **state)
{
	struct capture *c = *state;
	expect_error(c, "---\n- a\n- b\n---\n",
		     "a.md:2:1: error: front matter must be a mapping of keys "
		     "to values, for example: title: ...\n");
}

static void test_root_scalar(void **state)
{
	struct capture *c = *state;
	expect_error(c, "---\n\n  just text\n---\n",
		     "a.md:3:3: error: front matter must be a mapping of keys "
		     "to values, for example: title: ...\n");
}

static void test_yaml_mapping_values(void **state)
{
	struct capture *c = *state;
	expect_error(c, "---\ntitle: Hamas: no truce\n---\n",
		     "a.md:2:13: error: invalid YAML: mapping values are not "
		     "allowed in this context; quote values that contain "
		     "': '\n");
}

static void test_yaml_tab(void **state)
{
	struct capture *c = *state;
	expect_error(c, "---\na:\n\tb: 1\n---\n",
		     "a.md:3:1: error: invalid YAML: found character that "
		     "cannot start any token; indent with spaces, not tabs\n");
}

static void test_yaml_at_sign(void **state)
{
	struct capture *c = *state;
	expect_error(c, "---\nbyline: @someone\n---\n",
		     "a.md:2:9: error: invalid YAML: found character that "
		     "cannot start any token; quote values that start with "
		     "'@'\n");
}

static void test_yaml_unclosed_quote(void **state)
{
	struct capture *c = *state;
	expect_error(c, "---\na: \"x\nb: 2\n---\n",
		     "a.md:4:1: error: invalid YAML: found unexpected end of "
		     "stream (while scanning a quoted scalar that starts at "
		     "line 2)\n");
}

static void test_yaml_missing_colon(void **state)
{
	struct capture *c = *state;
	expect_error(c, "---\na: 1\nb\n---\n",
		     "a.md:4:1: error: invalid YAML: could not find expected "
		     "':' (while scanning a simple key that starts at line "
		     "3)\n");
}

static void test_yaml_control_character(void **state)
{
	struct capture *c = *state;
	expect_error(c, "---\na: b\x01" "c\n---\n",
		     "a.md:2:5: error: invalid YAML: control characters are "
		     "not allowed\n");
}

static void test_yaml_error_after_crlf_and_utf8(void **state)
{
	struct capture *c = *state;
	/* Positions of libyaml's errors are converted too: byte column 11
	 * after a two-byte character, line 3 after CRLFs. */
	expect_error(c, "---\r\nok: 1\r\nt\xc3\xa9: Hamas: x\r\n---\r\n",
		     "a.md:3:11: error: invalid YAML: mapping values are not "
		     "allowed in this context; quote values that contain "
		     "': '\n");
}

static const char anchors[] = "YAML anchors and aliases are not supported "
			      "in front matter; write the value out\n";
static const char tags[] = "YAML tags are not supported in front matter; "
			   "remove the tag (quote the value if it must stay "
			   "text)\n";

static void test_alias(void **state)
{
	struct capture *c = *state;
	struct buf want;
	buf_init(&want);
	buf_addf(&want, "a.md:2:4: error: %s", anchors);
	buf_addf(&want, "a.md:3:4: error: %s", anchors);
	expect_error(c, "---\na: &x 1\nb: *x\n---\n", want.data);
	buf_release(&want);
}

static void test_anchor_on_container(void **state)
{
	struct capture *c = *state;
	struct buf want;
	buf_init(&want);
	buf_addf(&want, "a.md:2:7: error: %s", anchors);
	buf_addf(&want, "a.md:3:6: error: %s", anchors);
	expect_error(c, "---\nlist: &l [a]\nmap: &m {b: c}\n---\n", want.data);
	buf_release(&want);
}

static void test_tags(void **state)
{
	struct capture *c = *state;
	struct buf want;
	buf_init(&want);
	buf_addf(&want, "a.md:2:7: error: %s", tags);
	buf_addf(&want, "a.md:3:7: error: %s", tags);
	buf_addf(&want, "a.md:4:7: error: %s", tags);
	expect_error(c,
		     "---\n"
		     "date: !!str 2008\n"
		     "list: !custom [a]\n"
		     "bare: ! text\n"
		     "---\n",
		     want.data);
	buf_release(&want);
}

static void test_duplicate_key(void **state)
{
	struct capture *c = *state;
	expect_error(c,
		     "---\n"
		     "title: a\n"
		     "date: 2008\n"
		     "\"title\": b\n"
		     "nest:\n"
		     "  x: 1\n"
		     "  x: 2\n"
		     "---\n",
		     "a.md:4:1: error: duplicate key 'title' (first at line "
		     "2)\n"
		     "a.md:7:3: error: duplicate key 'x' (first at line 6)\n");
}

static void test_same_key_in_sibling_mappings(void **state)
{
	struct capture *c = *state;
	struct frontmatter fm;
	parse_ok(c, &fm, "---\nl:\n- {a: 1}\n- {a: 2}\na: 3\n---\n");
	assert_scalar(ynode_get(fm.root, "a"), "3", true, 5, 4);
	frontmatter_release(&fm);
}

static void test_non_scalar_keys(void **state)
{
	struct capture *c = *state;
	expect_error(c,
		     "---\n"
		     "? [a, b]\n"
		     ": 1\n"
		     "? {k: v}\n"
		     ": 2\n"
		     "---\n",
		     "a.md:2:3: error: a key must be a plain string, not a "
		     "list\n"
		     "a.md:4:3: error: a key must be a plain string, not a "
		     "mapping\n");
}

static void test_second_document(void **state)
{
	struct capture *c = *state;
	expect_error(c, "---\na: 1\n--- b\n---\n",
		     "a.md:3:1: error: front matter must be one YAML document; "
		     "this starts a second one\n");
}

static void test_all_errors_reported(void **state)
{
	struct capture *c = *state;
	struct buf want;
	buf_init(&want);
	buf_addf(&want, "a.md:3:4: error: %s", anchors);
	buf_adds(&want, "a.md:4:1: error: duplicate key 'a' (first at line "
			"2)\n");
	buf_adds(&want, "a.md:5:5: error: invalid YAML: mapping values are not "
			"allowed in this context; quote values that contain "
			"': '\n");
	expect_error(c,
		     "---\n"
		     "a: 1\n"
		     "b: *x\n"
		     "a: 2\n"
		     "c: x: y\n"
		     "---\n",
		     want.data);
	assert_int_equal(c->d.errors, 3);
	buf_release(&want);
}

/* ---- accessors ---- */

static const char *const page_keys[] = {"title", "summary", "date", NULL};

static void test_get(void **state)
{
	struct capture *c = *state;
	struct frontmatter fm;
	parse_ok(c, &fm, "---\ntitle: T\nsub: {x: 1}\n---\n");
	assert_scalar(ynode_get(fm.root, "title"), "T", true, 2, 8);
	assert_null(ynode_get(fm.root, "titl"));
	assert_null(ynode_get(fm.root, "title2"));
	assert_null(ynode_get(NULL, "title"));
	const struct ynode *t = ynode_get(fm.root, "title");
	/* Not a mapping: no keys to find. */
	assert_null(ynode_get(t, "title"));
	assert_scalar(ynode_get(ynode_get(fm.root, "sub"), "x"), "1", true, 3,
		      10);
	frontmatter_release(&fm);
}

static void test_check_keys_suggests(void **state)
{
	struct capture *c = *state;
	struct frontmatter fm;
	parse_ok(c, &fm, "---\ntitle: x\n\nsumary: y\n  \ntitel: z\n---\n");
	assert_int_equal(ynode_check_keys(fm.root, page_keys, "a.md", &c->d),
			 2);
	assert_string_equal(captured(c),
			    "a.md:4:1: error: unknown key 'sumary'; did you "
			    "mean 'summary'?\n"
			    "a.md:6:1: error: unknown key 'titel'; did you "
			    "mean 'title'?\n");
	frontmatter_release(&fm);
}

static void test_check_keys_lists_known(void **state)
{
	struct capture *c = *state;
	struct frontmatter fm;
	parse_ok(c, &fm, "---\n  colour: red\n---\n");
	assert_int_equal(ynode_check_keys(fm.root, page_keys, "a.md", &c->d),
			 1);
	assert_string_equal(captured(c),
			    "a.md:2:3: error: unknown key 'colour'; known keys "
			    "are: title, summary, date\n");
	frontmatter_release(&fm);
}

static void test_check_keys_threshold(void **state)
{
	struct capture *c = *state;
	struct frontmatter fm;
	static const char *const known[] = {"description", "ab", NULL};
	/* An 11-byte key may be 3 edits from its suggestion but not 4; a
	 * 2-byte key may still be 2 edits away. */
	parse_ok(c, &fm,
		 "---\ndexcriptixx: 1\ndexxriptixx: 2\nxy: 3\ndescription: 4\n"
		 "---\n");
	assert_int_equal(edit_distance("dexcriptixx", "description"), 3);
	assert_int_equal(edit_distance("dexxriptixx", "description"), 4);
	assert_int_equal(ynode_check_keys(fm.root, known, "a.md", &c->d), 3);
	assert_string_equal(captured(c),
			    "a.md:2:1: error: unknown key 'dexcriptixx'; did "
			    "you mean 'description'?\n"
			    "a.md:3:1: error: unknown key 'dexxriptixx'; known "
			    "keys are: description, ab\n"
			    "a.md:4:1: error: unknown key 'xy'; did you mean "
			    "'ab'?\n");
	frontmatter_release(&fm);
}

static void test_check_keys_none_unknown(void **state)
{
	struct capture *c = *state;
	struct frontmatter fm;
	parse_ok(c, &fm, "---\ntitle: a\ndate: 2008\n---\n");
	assert_int_equal(ynode_check_keys(fm.root, page_keys, "a.md", &c->d),
			 0);
	assert_int_equal(ynode_check_keys(NULL, page_keys, "a.md", &c->d), 0);
	assert_int_equal(ynode_check_keys(ynode_get(fm.root, "title"),
					  page_keys, "a.md", &c->d),
			 0);
	assert_string_equal(captured(c), "");
	frontmatter_release(&fm);
}

static void test_string(void **state)
{
	struct capture *c = *state;
	struct frontmatter fm;
	parse_ok(c, &fm,
		 "---\n"
		 "title: T\n"
		 "date: 2008\n"
		 "list: [a]\n"
		 "map:\n"
		 "  k: v\n"
		 "empty:\n"
		 "quoted: ''\n"
		 "---\n");
	assert_string_equal(ynode_string(ynode_get(fm.root, "title"), "title",
					 "a.md", &c->d),
			    "T");
	assert_string_equal(ynode_string(ynode_get(fm.root, "date"), "date",
					 "a.md", &c->d),
			    "2008");
	assert_null(ynode_string(ynode_get(fm.root, "absent"), "absent",
				 "a.md", &c->d));
	assert_string_equal(captured(c), "");
	assert_null(ynode_string(ynode_get(fm.root, "list"), "list", "a.md",
				 &c->d));
	assert_null(ynode_string(ynode_get(fm.root, "map"), "map", "a.md",
				 &c->d));
	assert_null(ynode_string(ynode_get(fm.root, "empty"), "empty", "a.md",
				 &c->d));
	assert_null(ynode_string(ynode_get(fm.root, "quoted"), "quoted",
				 "a.md", &c->d));
	assert_string_equal(captured(c),
			    "a.md:4:7: error: 'list' must be a string, not a "
			    "list\n"
			    "a.md:6:3: error: 'map' must be a string, not a "
			    "mapping\n"
			    "a.md:7:7: error: 'empty' must not be empty\n"
			    "a.md:8:9: error: 'quoted' must not be empty\n");
	assert_int_equal(c->d.errors, 4);
	frontmatter_release(&fm);
}

static void test_string_list(void **state)
{
	struct capture *c = *state;
	struct frontmatter fm;
	parse_ok(c, &fm,
		 "---\n"
		 "good: [a, \"b\", 3]\n"
		 "none: []\n"
		 "one: hamas\n"
		 "map: {a: b}\n"
		 "bad:\n"
		 "  - ok\n"
		 "  - [x]\n"
		 "  - {y: z}\n"
		 "  - ''\n"
		 "---\n");
	assert_true(ynode_string_list(ynode_get(fm.root, "good"), "good",
				      "a.md", &c->d));
	assert_true(ynode_string_list(ynode_get(fm.root, "none"), "none",
				      "a.md", &c->d));
	assert_true(ynode_string_list(NULL, "absent", "a.md", &c->d));
	assert_string_equal(captured(c), "");
	assert_false(ynode_string_list(ynode_get(fm.root, "one"), "parties",
				       "a.md", &c->d));
	assert_false(ynode_string_list(ynode_get(fm.root, "map"), "map",
				       "a.md", &c->d));
	assert_false(ynode_string_list(ynode_get(fm.root, "bad"), "omit",
				       "a.md", &c->d));
	assert_string_equal(captured(c),
			    "a.md:4:6: error: 'parties' must be a list, for "
			    "example: parties: [a, b]\n"
			    "a.md:5:6: error: 'map' must be a list, for "
			    "example: map: [a, b]\n"
			    "a.md:8:5: error: an item of 'omit' must be a "
			    "string, not a list\n"
			    "a.md:9:5: error: an item of 'omit' must be a "
			    "string, not a mapping\n"
			    "a.md:10:5: error: an item of 'omit' must not be "
			    "empty\n");
	frontmatter_release(&fm);
}

/* Caught by fuzz_archive's checks: a title or name of white space alone
 * passed as a string, and the lists linked its entry with a link of no
 * words. */
static void test_blank_strings_are_empty(void **state)
{
	struct capture *c = *state;
	struct frontmatter fm;
	parse_ok(c, &fm,
		 "---\n"
		 "title: '  '\n"
		 "name: \"\\t\\u00a0\\u3000\"\n"
		 "aliases: [A, ' ']\n"
		 "word: ' a '\n"
		 "---\n");
	assert_null(ynode_string(ynode_get(fm.root, "title"), "title", "a.md",
				 &c->d));
	assert_null(ynode_string(ynode_get(fm.root, "name"), "name", "a.md",
				 &c->d));
	assert_false(ynode_string_list(ynode_get(fm.root, "aliases"),
				       "aliases", "a.md", &c->d));
	assert_string_equal(ynode_string(ynode_get(fm.root, "word"), "word",
					 "a.md", &c->d),
			    " a ");
	assert_string_equal(captured(c),
			    "a.md:2:8: error: 'title' must not be empty\n"
			    "a.md:3:7: error: 'name' must not be empty\n"
			    "a.md:4:14: error: an item of 'aliases' must not be "
			    "empty\n");
	frontmatter_release(&fm);
}

static void test_edit_distance(void **state)
{
	(void)state;
	assert_int_equal(edit_distance("", ""), 0);
	assert_int_equal(edit_distance("title", "title"), 0);
	assert_int_equal(edit_distance("", "abc"), 3);
	assert_int_equal(edit_distance("abc", ""), 3);
	assert_int_equal(edit_distance("kitten", "sitting"), 3);
	assert_int_equal(edit_distance("sitting", "kitten"), 3);
	assert_int_equal(edit_distance("titel", "title"), 2);
	assert_int_equal(edit_distance("sumary", "summary"), 1);
	assert_int_equal(edit_distance("flaw", "lawn"), 2);

	char a[258], b[258];
	memset(a, 'a', sizeof(a));
	memset(b, 'b', sizeof(b));
	/* 256 bytes is still computed ... */
	a[256] = b[256] = '\0';
	assert_int_equal(edit_distance(a, b), 256);
	assert_int_equal(edit_distance(a, "a"), 255);
	/* ... 257 is not, and counts as far from everything. */
	a[256] = 'a';
	a[257] = '\0';
	assert_true(edit_distance(a, "a") > 100000);
	assert_true(edit_distance("a", a) > 100000);
}

/* ---- trees kept between runs (fm_store) ---- */

/* Two trees alike in every field. */
static void assert_same_tree(const struct ynode *a, const struct ynode *b)
{
	if (!a || !b) {
		assert_ptr_equal(a, b);
		return;
	}
	assert_int_equal(a->kind, b->kind);
	assert_int_equal(a->line, b->line);
	assert_int_equal(a->col, b->col);
	assert_int_equal(a->value_col, b->value_col);
	assert_int_equal(a->plain, b->plain);
	assert_int_equal(a->count, b->count);
	if (a->kind == YNODE_SCALAR) {
		assert_int_equal(a->len, b->len);
		assert_memory_equal(a->scalar, b->scalar, a->len);
		assert_int_equal(b->scalar[b->len], '\0');
	}
	for (size_t i = 0; i < a->count; i++) {
		if (a->kind == YNODE_SEQUENCE) {
			assert_same_tree(a->items[i], b->items[i]);
		} else if (a->kind == YNODE_MAPPING) {
			assert_same_tree(a->keys[i], b->keys[i]);
			assert_same_tree(a->values[i], b->values[i]);
		}
	}
}

/* A store of one record that counts what it is asked. */
struct one_record {
	struct buf data;
	bool have;
	uint64_t key;
	int gets, puts;
};

static const unsigned char *one_get(void *arg, uint64_t key, size_t *len)
{
	struct one_record *r = arg;
	r->gets++;
	if (!r->have || r->key != key)
		return NULL;
	*len = r->data.len;
	return (const unsigned char *)r->data.data;
}

static void one_put(void *arg, uint64_t key, const void *data, size_t len)
{
	struct one_record *r = arg;
	r->puts++;
	r->key = key;
	r->have = true;
	/* DATA may be the record one_get handed out */
	struct buf copy;
	buf_init(&copy);
	buf_add(&copy, data, len);
	buf_release(&r->data);
	r->data = copy;
}

static const char rich[] =
    "---\n"
    "title: \"Caf\\u00e9 \\\"truce\\\"\"\n"
    "plain: a value\n"
    "empty:\n"
    "list: [a, 'b c', 3]\n"
    "nested:\n"
    "  - party: hamas\n"
    "    quote: >\n"
    "      folded\n"
    "      text\n"
    "  - {party: israel, stance: accepts}\n"
    "\xc3\xa9t\xc3\xa9: \xc3\xa0 la ligne\n"
    "---\n"
    "Body.\n";

/* A tree read back from its encoding is the tree parsed, and the store
 * hands it back for the same block, in place of the parse. */
static void test_store_round_trip(void **state)
{
	struct capture *c = *state;
	struct one_record r = {.have = false};
	buf_init(&r.data);
	struct fm_store store = {one_get, one_put, &r};
	struct frontmatter parsed, kept, plain;
	assert_int_equal(frontmatter_parse(&plain, "x.md", rich,
					   sizeof rich - 1, &c->d), 0);
	assert_int_equal(frontmatter_parse_stored(&parsed, "x.md", rich,
						  sizeof rich - 1, &store,
						  &c->d), 0);
	assert_int_equal(r.gets, 1);
	assert_int_equal(r.puts, 1);
	assert_same_tree(plain.root, parsed.root);
	/* the second time from the store, put back for the next run */
	struct buf first;
	buf_init(&first);
	buf_add(&first, r.data.data, r.data.len);
	assert_int_equal(frontmatter_parse_stored(&kept, "y.md", rich,
						  sizeof rich - 1, &store,
						  &c->d), 0);
	assert_int_equal(r.gets, 2);
	assert_int_equal(r.puts, 2);
	assert_int_equal(r.data.len, first.len);
	assert_memory_equal(r.data.data, first.data, first.len);
	assert_same_tree(plain.root, kept.root);
	assert_ptr_equal(kept.body, rich + sizeof rich - 1 - strlen("Body.\n"));
	assert_int_equal(kept.body_line, plain.body_line);
	assert_int_equal(kept.body_len, plain.body_len);
	/* another block is another key */
	static const char other[] = "---\ntitle: b\n---\n";
	struct frontmatter third;
	assert_int_equal(frontmatter_parse_stored(&third, "z.md", other,
						  sizeof other - 1, &store,
						  &c->d), 0);
	assert_int_equal(r.puts, 3);
	assert_string_equal(ynode_get(third.root, "title")->scalar, "b");
	assert_int_equal(c->d.errors, 0);
	frontmatter_release(&plain);
	frontmatter_release(&parsed);
	frontmatter_release(&kept);
	frontmatter_release(&third);
	buf_release(&first);
	buf_release(&r.data);
}

/* A block that does not parse is reported each time, and never stored;
 * an empty block is stored as empty. */
static void test_store_keeps_only_parsed(void **state)
{
	struct capture *c = *state;
	struct one_record r = {.have = false};
	buf_init(&r.data);
	struct fm_store store = {one_get, one_put, &r};
	struct frontmatter fm;
	static const char bad[] = "---\ntitle: [unclosed\n---\n";
	assert_int_equal(frontmatter_parse_stored(&fm, "x.md", bad,
						  sizeof bad - 1, &store,
						  &c->d), -1);
	assert_int_equal(r.puts, 0);
	assert_int_equal(c->d.errors, 1);
	static const char empty[] = "---\n---\nBody\n";
	assert_int_equal(frontmatter_parse_stored(&fm, "x.md", empty,
						  sizeof empty - 1, &store,
						  &c->d), 0);
	assert_int_equal(r.puts, 1);
	assert_null(fm.root);
	assert_int_equal(frontmatter_parse_stored(&fm, "x.md", empty,
						  sizeof empty - 1, &store,
						  &c->d), 0);
	assert_int_equal(r.puts, 2);
	assert_null(fm.root);
	assert_int_equal(fm.body_line, 3);
	buf_release(&r.data);
}

/* SRC parsed into *PLAIN, encoded into *ENC, and read back: the tree
 * read back, the same as the one parsed, for the caller to free. */
static struct ynode *read_back(struct capture *c, const char *src,
			       size_t len, struct frontmatter *plain,
			       struct buf *enc)
{
	assert_int_equal(frontmatter_parse(plain, "x.md", src, len, &c->d), 0);
	buf_init(enc);
	ynode_encode(plain->root, enc);
	struct ynode *back;
	assert_int_equal(ynode_decode(enc->data, enc->len, &back), 0);
	assert_same_tree(plain->root, back);
	return back;
}

/* A tree read back is one block: a value taken out of it is a copy of
 * its own, which outlives the tree, NULs in scalars included. */
static void test_take_from_tree_read_back(void **state)
{
	static const char src[] = "---\n"
				  "nested:\n"
				  "  - party: hamas\n"
				  "    quote: \"a\\0b\"\n"
				  "  - [x, {y: z}]\n"
				  "  - {}\n"
				  "kept: value\n"
				  "---\n";
	struct capture *c = *state;
	struct frontmatter plain;
	struct buf enc;
	struct ynode *back = read_back(c, src, sizeof src - 1, &plain, &enc);
	struct ynode *taken = ynode_take(back, "nested");
	assert_non_null(taken);
	assert_null(ynode_get(back, "nested"));
	assert_string_equal(ynode_get(back, "kept")->scalar, "value");
	ynode_free(back);
	assert_same_tree(ynode_get(plain.root, "nested"), taken);
	const struct ynode *quote = ynode_get(taken->items[0], "quote");
	assert_int_equal(quote->len, 3);
	assert_memory_equal(quote->scalar, "a\0b", 4);
	ynode_free(taken);
	frontmatter_release(&plain);
	buf_release(&enc);
}

/* A record that is not a tree of front matter (cut short anywhere, a
 * byte changed, bytes after it, a root that is not a mapping) is not
 * used: the block is parsed again, with the same result. */
static void test_store_record_not_trusted(void **state)
{
	struct capture *c = *state;
	struct frontmatter plain;
	struct buf enc;
	struct ynode *back = read_back(c, rich, sizeof rich - 1, &plain, &enc);
	ynode_free(back);
	for (size_t cut = 0; cut < enc.len; cut++) {
		assert_int_equal(ynode_decode(enc.data, cut, &back), -1);
		assert_null(back);
	}
	struct buf longer;
	buf_init(&longer);
	buf_add(&longer, enc.data, enc.len);
	buf_addc(&longer, 0);
	assert_int_equal(ynode_decode(longer.data, longer.len, &back), -1);
	/* each byte changed: rejected, or read as some tree, never more */
	for (size_t at = 0; at < enc.len; at++) {
		buf_reset(&longer);
		buf_add(&longer, enc.data, enc.len);
		longer.data[at] = (char)(longer.data[at] ^ 0x5a);
		if (ynode_decode(longer.data, longer.len, &back) == 0)
			ynode_free(back);
	}
	/* a scalar at the root */
	struct ynode scalar = {.kind = YNODE_SCALAR, .line = 2, .col = 1,
			       .scalar = "x", .len = 1, .plain = true};
	buf_reset(&longer);
	ynode_encode(&scalar, &longer);
	assert_int_equal(ynode_decode(longer.data, longer.len, &back), -1);
	/* a store that hands back a broken record: parsed instead */
	struct one_record r = {.have = true};
	buf_init(&r.data);
	buf_add(&r.data, enc.data, enc.len - 1);
	r.key = 0;
	struct fm_store store = {one_get, one_put, &r};
	struct frontmatter first, again;
	assert_int_equal(frontmatter_parse_stored(&first, "x.md", rich,
						  sizeof rich - 1, &store,
						  &c->d), 0);
	/* the key is the block's: set the broken record under it */
	buf_reset(&r.data);
	buf_add(&r.data, enc.data, enc.len - 1);
	assert_int_equal(frontmatter_parse_stored(&again, "x.md", rich,
						  sizeof rich - 1, &store,
						  &c->d), 0);
	assert_same_tree(plain.root, again.root);
	assert_int_equal(r.data.len, enc.len);
	assert_int_equal(c->d.errors, 0);
	frontmatter_release(&plain);
	frontmatter_release(&first);
	frontmatter_release(&again);
	buf_release(&enc);
	buf_release(&longer);
	buf_release(&r.data);
}

#define T(name) cmocka_unit_test_setup_teardown(name, capture_setup, \
						capture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_scalars),
		T(test_flow_list),
		T(test_take_value),
		T(test_block_lists),
		T(test_nested_mappings),
		T(test_block_scalar),
		T(test_crlf),
		T(test_utf8_byte_columns),
		T(test_body),
		T(test_markers_tolerated),
		T(test_empty_block),
		T(test_depth_limit),
		T(test_many_keys),
		T(test_missing_front_matter),
		T(test_missing_variants),
		T(test_never_closes),
		T(test_never_closes_variants),
		T(test_root_not_mapping),
		T(test_root_scalar),
		T(test_yaml_mapping_values),
		T(test_yaml_tab),
		T(test_yaml_at_sign),
		T(test_yaml_unclosed_quote),
		T(test_yaml_missing_colon),
		T(test_yaml_control_character),
		T(test_yaml_error_after_crlf_and_utf8),
		T(test_alias),
		T(test_anchor_on_container),
		T(test_tags),
		T(test_duplicate_key),
		T(test_same_key_in_sibling_mappings),
		T(test_non_scalar_keys),
		T(test_second_document),
		T(test_all_errors_reported),
		T(test_get),
		T(test_check_keys_suggests),
		T(test_check_keys_lists_known),
		T(test_check_keys_threshold),
		T(test_check_keys_none_unknown),
		T(test_string),
		T(test_string_list),
		T(test_blank_strings_are_empty),
		T(test_store_round_trip),
		T(test_store_keeps_only_parsed),
		T(test_store_record_not_trusted),
		T(test_take_from_tree_read_back),
		cmocka_unit_test(test_edit_distance),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
