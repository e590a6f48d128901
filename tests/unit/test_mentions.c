#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mentions.h"
#include "xalloc.h"

struct found {
	size_t party;
	size_t start;
	size_t end;
};

/* Every mention a scan reported, in order. */
struct record {
	struct found *v;
	size_t n;
	size_t cap;
};

static void record_mention(void *ctx, size_t party, size_t start, size_t end)
{
	struct record *r = ctx;
	r->v = xgrow(r->v, &r->cap, r->n + 1, sizeof(*r->v));
	r->v[r->n++] = (struct found){party, start, end};
}

static void record_clear(struct record *r)
{
	free(r->v);
	*r = (struct record){0};
}

/* Scans TEXT (a C string) afresh into R. */
static void scan(const struct mention_set *set, const char *text,
		 struct record *r)
{
	record_clear(r);
	mention_scan(set, text, strlen(text), record_mention, r);
}

static void add(struct mention_set *set, const char *alias, size_t party)
{
	size_t owner = 12345;
	assert_true(mention_set_add(set, alias, strlen(alias), party, &owner));
	/* A successful add must leave OWNER alone. */
	assert_int_equal(owner, 12345);
}

static void expect_mention(const struct record *r, size_t i, size_t party,
			   size_t start, size_t end)
{
	assert_true(i < r->n);
	assert_int_equal(r->v[i].party, party);
	assert_int_equal(r->v[i].start, start);
	assert_int_equal(r->v[i].end, end);
}

static void test_whole_word(void **state)
{
	(void)state;
	struct mention_set *set = mention_set_new();
	struct record r = {0};
	add(set, "Hamas", 7);

	scan(set, "Hamas\xe2\x80\x99s leaders", &r); /* Hamas’s */
	assert_int_equal(r.n, 1);
	expect_mention(&r, 0, 7, 0, 5);

	scan(set, "the Hamas-run ministry", &r);
	assert_int_equal(r.n, 1);
	expect_mention(&r, 0, 7, 4, 9);

	scan(set, "a movement (Hamas) said", &r);
	assert_int_equal(r.n, 1);
	expect_mention(&r, 0, 7, 12, 17);

	scan(set, "Hamas", &r);
	assert_int_equal(r.n, 1);
	expect_mention(&r, 0, 7, 0, 5);

	scan(set, "Hamas said it and so did Hamas", &r);
	assert_int_equal(r.n, 2);
	expect_mention(&r, 0, 7, 0, 5);
	expect_mention(&r, 1, 7, 25, 30);

	scan(set, "HamasHamas", &r);
	assert_int_equal(r.n, 0);

	scan(set, "Hamasville", &r);
	assert_int_equal(r.n, 0);

	scan(set, "XHamas", &r);
	assert_int_equal(r.n, 0);

	scan(set, "Hamas2 and 2Hamas and Hamas_", &r);
	/* '_' is not a letter or digit, so only the last is a mention. */
	assert_int_equal(r.n, 1);
	expect_mention(&r, 0, 7, 22, 27);

	scan(set, "Hama", &r);
	assert_int_equal(r.n, 0);

	record_clear(&r);
	mention_set_free(set);
}

static void test_case_sensitive(void **state)
{
	(void)state;
	struct mention_set *set = mention_set_new();
	struct record r = {0};
	add(set, "Hamas", 1);
	add(set, "HAMAS", 2);

	scan(set, "hamas Hamas HAMAS HaMaS", &r);
	assert_int_equal(r.n, 2);
	expect_mention(&r, 0, 1, 6, 11);
	expect_mention(&r, 1, 2, 12, 17);

	record_clear(&r);
	mention_set_free(set);
}

static void test_longest_first(void **state)
{
	(void)state;
	struct mention_set *set = mention_set_new();
	struct record r = {0};
	/* Added shortest first so that order of insertion cannot help. */
	add(set, "Jihad", 3);
	add(set, "Islamic Jihad", 2);
	add(set, "Palestinian Islamic Jihad", 1);

	scan(set, "Palestinian Islamic Jihad said", &r);
	assert_int_equal(r.n, 1);
	expect_mention(&r, 0, 1, 0, 25);

	scan(set, "Islamic Jihad rejected it; Jihad is a word.", &r);
	assert_int_equal(r.n, 2);
	expect_mention(&r, 0, 2, 0, 13);
	expect_mention(&r, 1, 3, 27, 32);

	scan(set, "Palestinian leaders and Islamic Jihadists", &r);
	assert_int_equal(r.n, 0);

	record_clear(&r);
	mention_set_free(set);
}

static void test_shorter_wins_at_boundary(void **state)
{
	(void)state;
	struct mention_set *set = mention_set_new();
	struct record r = {0};
	add(set, "Hamas", 1);
	add(set, "Hamas leader", 2);

	/* "Hamas leader" runs into "s", so "Hamas" is the mention. */
	scan(set, "Hamas leaders met", &r);
	assert_int_equal(r.n, 1);
	expect_mention(&r, 0, 1, 0, 5);

	scan(set, "Hamas leader met", &r);
	assert_int_equal(r.n, 1);
	expect_mention(&r, 0, 2, 0, 12);

	/* The trie path goes further than any alias: "Hamas lead". */
	scan(set, "Hamas lead", &r);
	assert_int_equal(r.n, 1);
	expect_mention(&r, 0, 1, 0, 5);

	record_clear(&r);
	mention_set_free(set);
}

static void test_israeli_is_not_israel(void **state)
{
	(void)state;
	struct mention_set *set = mention_set_new();
	struct record r = {0};
	add(set, "Israel", 4);

	scan(set, "Israeli forces", &r);
	assert_int_equal(r.n, 0);

	scan(set, "Israel's army and Israelis", &r);
	assert_int_equal(r.n, 1);
	expect_mention(&r, 0, 4, 0, 6);

	add(set, "Israeli", 5);
	scan(set, "Israeli forces left Israel.", &r);
	assert_int_equal(r.n, 2);
	expect_mention(&r, 0, 5, 0, 7);
	expect_mention(&r, 1, 4, 20, 26);

	record_clear(&r);
	mention_set_free(set);
}

static void test_non_ascii_boundaries(void **state)
{
	(void)state;
	struct mention_set *set = mention_set_new();
	struct record r = {0};
	add(set, "Hamas", 1);
	add(set, "\xd8\xad\xd9\x85\xd8\xa7\xd8\xb3", 2); /* حماس */

	scan(set, "Hamas\xc3\xa9", &r); /* Hamasé */
	assert_int_equal(r.n, 0);

	scan(set, "\xc3\xa9Hamas", &r); /* éHamas */
	assert_int_equal(r.n, 0);

	/* A combining mark belongs to the word it follows. */
	scan(set, "Hamas\xcc\x81", &r);
	assert_int_equal(r.n, 0);

	scan(set, "\xd0\x96Hamas \xd9\xa3Hamas", &r); /* ЖHamas ٣Hamas */
	assert_int_equal(r.n, 0);

	scan(set, "Hamas\xe2\x80\x94then", &r); /* Hamas—then */
	assert_int_equal(r.n, 1);
	expect_mention(&r, 0, 1, 0, 5);

	scan(set, "\xe2\x80\x94Hamas\xc2\xa0x", &r); /* —Hamas, NBSP */
	assert_int_equal(r.n, 1);
	expect_mention(&r, 0, 1, 3, 8);

	/* «حماس» and حماسي: a non-Latin alias obeys the same rule. */
	scan(set,
	     "\xc2\xab\xd8\xad\xd9\x85\xd8\xa7\xd8\xb3\xc2\xbb "
	     "\xd8\xad\xd9\x85\xd8\xa7\xd8\xb3\xd9\x8a",
	     &r);
	assert_int_equal(r.n, 1);
	expect_mention(&r, 0, 2, 2, 10);

	record_clear(&r);
	mention_set_free(set);
}

static void test_aliases_with_dots(void **state)
{
	(void)state;
	struct mention_set *set = mention_set_new();
	struct record r = {0};
	add(set, "U.S.", 1);
	add(set, "U.N.", 2);

	scan(set, "the U.S. and the U.N.", &r);
	assert_int_equal(r.n, 2);
	expect_mention(&r, 0, 1, 4, 8);
	expect_mention(&r, 1, 2, 17, 21);

	scan(set, "(U.S.)", &r);
	assert_int_equal(r.n, 1);
	expect_mention(&r, 0, 1, 1, 5);

	/* Letters on either side still block it. */
	scan(set, "U.S.A and XU.S. and U.S.2", &r);
	assert_int_equal(r.n, 0);

	/* Back to back: "U.S." runs into a letter, but the dot it ends
	 * with is a boundary before "U.N.". */
	scan(set, "U.S.U.N.", &r);
	assert_int_equal(r.n, 1);
	expect_mention(&r, 0, 2, 4, 8);
	scan(set, "U.S.-U.N. talks", &r);
	assert_int_equal(r.n, 2);
	expect_mention(&r, 0, 1, 0, 4);
	expect_mention(&r, 1, 2, 5, 9);

	record_clear(&r);
	mention_set_free(set);
}

static void test_duplicate_alias(void **state)
{
	(void)state;
	struct mention_set *set = mention_set_new();
	struct record r = {0};
	size_t owner = 0;
	add(set, "Hamas", 3);

	assert_false(mention_set_add(set, "Hamas", 5, 9, &owner));
	assert_int_equal(owner, 3);

	/* A prefix or extension of an alias is a different alias. */
	add(set, "Hama", 4);
	add(set, "Hamas movement", 5);
	assert_false(mention_set_add(set, "Hama", 4, 10, &owner));
	assert_int_equal(owner, 4);

	/* The set is unchanged: Hamas still belongs to party 3. */
	scan(set, "Hamas, Hama and Hamas movement", &r);
	assert_int_equal(r.n, 3);
	expect_mention(&r, 0, 3, 0, 5);
	expect_mention(&r, 1, 4, 7, 11);
	expect_mention(&r, 2, 5, 16, 30);

	/* Alias bytes are counted, not NUL-terminated. */
	assert_false(mention_set_add(set, "Hamasxyz", 5, 11, &owner));
	assert_int_equal(owner, 3);

	record_clear(&r);
	mention_set_free(set);
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	struct mention_set *set = mention_set_new();
	struct record r = {0};
	add(set, "Hamas", 1);

	/* Invalid bytes stand for one non-word character each. */
	scan(set, "\xffHamas\x80 \xc3Hamas\xe2\x80", &r);
	assert_int_equal(r.n, 2);
	expect_mention(&r, 0, 1, 1, 6);
	expect_mention(&r, 1, 1, 9, 14);

	/* An overlong encoding of 'A' and a lone surrogate. */
	scan(set, "\xc1\x81Hamas\xed\xa0\x80", &r);
	assert_int_equal(r.n, 1);
	expect_mention(&r, 0, 1, 2, 7);

	scan(set, "\xf0\x9f\x98", &r);
	assert_int_equal(r.n, 0);

	scan(set, "Ham\xff" "as", &r);
	assert_int_equal(r.n, 0);

	/* Text that ends inside a possible match. */
	scan(set, "x Ham", &r);
	assert_int_equal(r.n, 0);

	record_clear(&r);
	mention_set_free(set);
}

static void test_empty(void **state)
{
	(void)state;
	struct mention_set *set = mention_set_new();
	struct record r = {0};

	scan(set, "Hamas and Israel and the U.S.", &r);
	assert_int_equal(r.n, 0);
	scan(set, "", &r);
	assert_int_equal(r.n, 0);

	add(set, "Hamas", 1);
	scan(set, "", &r);
	assert_int_equal(r.n, 0);
	mention_scan(set, "Hamas", 0, record_mention, &r);
	assert_int_equal(r.n, 0);
	/* LEN bounds the text even when more follows. */
	mention_scan(set, "Hamasville", 5, record_mention, &r);
	assert_int_equal(r.n, 1);
	expect_mention(&r, 0, 1, 0, 5);

	record_clear(&r);
	mention_set_free(set);
	mention_set_free(NULL);
}

/* A small deterministic generator, so the scale test is reproducible. */
static uint32_t next_random(uint64_t *s)
{
	*s = *s * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
	return (uint32_t)(*s >> 33);
}

/* Appends the four-letter code of K (K < 26^4) to TEXT at *N. */
static void append_code(char *text, size_t *n, size_t k)
{
	for (int i = 0; i < 4; i++) {
		text[(*n)++] = (char)('a' + k % 26);
		k /= 26;
	}
}

static void append_str(char *text, size_t *n, const char *s)
{
	size_t len = strlen(s);
	memcpy(text + *n, s, len);
	*n += len;
}

static void test_scale(void **state)
{
	(void)state;
	enum { PARTIES = 10000, TEXT_SIZE = 1 << 20, LONGEST_TOKEN = 32 };
	struct mention_set *set = mention_set_new();
	struct record r = {0};
	struct record want = {0};
	char *alias = xmalloc(strlen("Org") + 4 + strlen(" Front"));
	char *text = xmalloc(TEXT_SIZE);
	size_t n = 0;
	uint64_t seed = 42;

	/* Two aliases per party: "Orgabcd" and "Orgabcd Front", sharing
	 * prefixes with every other party's, 20,000 in all. */
	for (size_t k = 0; k < PARTIES; k++) {
		size_t len = 0;
		append_str(alias, &len, "Org");
		append_code(alias, &len, k);
		assert_true(mention_set_add(set, alias, len, k, &(size_t){0}));
		append_str(alias, &len, " Front");
		assert_true(mention_set_add(set, alias, len, k, &(size_t){0}));
	}

	/* Tokens separated by spaces; each kind's expected mention is
	 * recorded as the text is written. */
	while (n + LONGEST_TOKEN < TEXT_SIZE) {
		uint32_t kind = next_random(&seed) % 7;
		size_t k = next_random(&seed) % PARTIES;
		size_t start = n;
		switch (kind) {
		case 0: /* short alias */
			append_str(text, &n, "Org");
			append_code(text, &n, k);
			record_mention(&want, k, start, n);
			break;
		case 1: /* long alias: one mention, not two */
			append_str(text, &n, "Org");
			append_code(text, &n, k);
			append_str(text, &n, " Front");
			record_mention(&want, k, start, n);
			break;
		case 2: /* long alias blocked, short one wins */
			append_str(text, &n, "Org");
			append_code(text, &n, k);
			record_mention(&want, k, start, n);
			append_str(text, &n, " Fronts");
			break;
		case 3: /* followed by a letter */
			append_str(text, &n, "Org");
			append_code(text, &n, k);
			append_str(text, &n, "s");
			break;
		case 4: /* preceded by a letter */
			append_str(text, &n, "XOrg");
			append_code(text, &n, k);
			break;
		case 5: /* a code no party has */
			append_str(text, &n, "Org");
			append_code(text, &n, PARTIES + k);
			break;
		default:
			append_str(text, &n, "and");
			break;
		}
		text[n++] = ' ';
	}

	mention_scan(set, text, n, record_mention, &r);
	/* Pins the generator, so a change to it shows here first. */
	assert_int_equal(want.n, 46774);
	assert_int_equal(r.n, want.n);
	for (size_t i = 0; i < want.n; i++)
		expect_mention(&r, i, want.v[i].party, want.v[i].start,
			       want.v[i].end);

	free(alias);
	free(text);
	record_clear(&want);
	record_clear(&r);
	mention_set_free(set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_word),
		cmocka_unit_test(test_case_sensitive),
		cmocka_unit_test(test_longest_first),
		cmocka_unit_test(test_shorter_wins_at_boundary),
		cmocka_unit_test(test_israeli_is_not_israel),
		cmocka_unit_test(test_non_ascii_boundaries),
		cmocka_unit_test(test_aliases_with_dots),
		cmocka_unit_test(test_duplicate_alias),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_scale),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
