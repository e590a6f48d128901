/* Reading the previous index's postings (sprev.h): sprev_skip, which
 * steps over sixteen bytes at a time where it can, against a decoder
 * that follows sindex.h's description a character at a time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "sprev.h"

static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static void put_number(struct buf *b, uint32_t v)
{
	while (v >= 32) {
		buf_addc(b, alphabet[32 | (v & 31)]);
		v >>= 5;
	}
	buf_addc(b, alphabet[v]);
}

static void put_posting(struct buf *b, uint32_t gap, uint32_t weight)
{
	put_number(b, gap << 1 | (weight != 1));
	if (weight != 1)
		put_number(b, weight);
}

static int value_of(char c)
{
	const char *p = strchr(alphabet, c);
	return c && p ? (int)(p - alphabet) : -1;
}

/* One number, a character at a time; false at the end or a stray byte. */
static bool rule_number(const char **s, const char *end, uint64_t *v)
{
	*v = 0;
	for (int shift = 0; *s < end && shift <= 35; shift += 5) {
		int c = value_of(*(*s)++);
		if (c < 0)
			return false;
		*v |= (uint64_t)(c & 31) << shift;
		if (c < 32)
			return *v <= UINT32_MAX;
	}
	return false;
}

/* The rule: postings from S while each is well formed (a gap of at least
 * 1, a weight of at least 2), of a doc + 1 below LIMIT and starting less
 * than BUDGET bytes on. */
static const char *rule_skip(const char *s, const char *end, uint32_t *doc1,
			     uint32_t limit, size_t budget)
{
	const char *start = s;
	uint64_t d = *doc1;
	while (s < end && (size_t)(s - start) < budget) {
		const char *p = s;
		uint64_t v, w = 1;
		if (!rule_number(&p, end, &v) || v >> 1 == 0 ||
		    ((v & 1) && (!rule_number(&p, end, &w) || w < 2)) ||
		    d + (v >> 1) >= limit)
			break;
		d += v >> 1;
		s = p;
	}
	*doc1 = (uint32_t)d;
	return s;
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)rng;
}

/* A gap and weight as the index has them: mostly small gaps, some
 * weights (most of them small), now and then a long gap. */
static void random_posting(struct buf *b, int mix)
{
	uint32_t r = next_random(), gap, weight = 1;
	switch (mix) {
	case 0: /* dense, unweighted: one character each */
		gap = 1 + r % 15;
		break;
	case 1: /* dense, weighted as titles and headings weigh */
		gap = 1 + r % 15;
		weight = r % 3 ? 1 : 2 + (r >> 8) % 14;
		break;
	default: /* any */
		gap = r % 4 ? 1 + (r >> 4) % 40 : 1 + (r >> 4) % 100000;
		weight = r % 5 ? 1 : 2 + (r >> 12) % (r % 2 ? 20 : 5000);
		break;
	}
	put_posting(b, gap, weight);
}

static void check_skip(const char *s, size_t len, uint32_t doc1,
		       uint32_t limit, size_t budget)
{
	uint32_t want_doc = doc1, got_doc = doc1;
	const char *want = rule_skip(s, s + len, &want_doc, limit, budget);
	const char *got = sprev_skip(s, s + len, &got_doc, limit, budget);
	assert_int_equal(got - s, want - s);
	assert_int_equal(got_doc, want_doc);
}

/* Every mix of postings, stopped at every doc and byte budget. */
static void test_skip_against_rule(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b);
	for (int round = 0; round < 600; round++) {
		buf_reset(&b);
		int count = 1 + (int)(next_random() % 60);
		for (int i = 0; i < count; i++)
			random_posting(&b, round % 3);
		/* The whole; stopped at each posting's doc, just below it and
		 * just above it; at every byte budget. */
		check_skip(b.data, b.len, 0, UINT32_MAX, SIZE_MAX);
		const char *s = b.data, *end = b.data + b.len;
		uint32_t doc1 = 0;
		while (s < end) {
			uint32_t next = doc1;
			const char *after = rule_skip(s, end, &next, UINT32_MAX, 1);
			for (uint32_t limit = next - 1; limit <= next + 1; limit++)
				check_skip(b.data, b.len, 0, limit, SIZE_MAX);
			/* From here on, as a run of copied postings starts. */
			check_skip(s, (size_t)(end - s), doc1,
				   doc1 + (next - doc1) * 20, SIZE_MAX);
			doc1 = next;
			s = after;
		}
		for (size_t budget = 0; budget <= b.len + 1; budget++)
			check_skip(b.data, b.len, 0, UINT32_MAX, budget);
	}
	buf_release(&b);
}

/* Whatever is not a posting stops it where the rule stops: a stray
 * byte, a gap of 0, a weight of 1, a number cut short, anywhere in a
 * block of sixteen. */
static void test_skip_stops_at_what_is_not_a_posting(void **state)
{
	(void)state;
	/* Gaps of 0 ("A", "B", "gA": 0 in two characters), weights of 0 and
	 * 1, a weight that is no number, stray bytes, a number of eight
	 * characters (40 bits). */
	static const char *const bad[] = {"A", "B", "gA", "hA", "DA", "DB",
					  "D!", "!", "\x80", "\xc3", "\"",
					  "ggggggggC"};
	struct buf b;
	buf_init(&b);
	for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
		for (int at = 0; at < 40; at++) {
			for (int mix = 0; mix < 2; mix++) {
				buf_reset(&b);
				for (int i = 0; i < at; i++)
					put_posting(&b, 1 + (uint32_t)i % 15,
						    mix && i % 3 == 0 ? 2 : 1);
				size_t good = b.len;
				buf_adds(&b, bad[k]);
				for (int i = 0; i < 20; i++)
					put_posting(&b, 1, 1);
				check_skip(b.data, b.len, 0, UINT32_MAX,
					   SIZE_MAX);
				uint32_t doc1 = 0;
				const char *end = sprev_skip(
				    b.data, b.data + b.len, &doc1, UINT32_MAX,
				    SIZE_MAX);
				assert_int_equal(end - b.data, good);
			}
		}
	}
	/* An odd gap whose weight is cut off by the end. */
	for (int at = 0; at < 40; at++) {
		buf_reset(&b);
		for (int i = 0; i < at; i++)
			put_posting(&b, 2, 1);
		size_t good = b.len;
		buf_adds(&b, "D");
		uint32_t doc1 = 0;
		const char *end = sprev_skip(b.data, b.data + b.len, &doc1,
					     UINT32_MAX, SIZE_MAX);
		assert_int_equal(end - b.data, good);
		assert_int_equal(doc1, 2 * (uint32_t)at);
	}
	buf_release(&b);
}

/* sprev_read_posting reads one posting as the rule does. */
static void test_read_posting(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b);
	for (int round = 0; round < 3000; round++) {
		buf_reset(&b);
		random_posting(&b, 2);
		const char *s = b.data, *p = b.data;
		uint64_t v, w = 1;
		assert_true(rule_number(&p, b.data + b.len, &v));
		if (v & 1)
			assert_true(rule_number(&p, b.data + b.len, &w));
		uint32_t gap, weight;
		assert_true(sprev_read_posting(&s, b.data + b.len, &gap,
					       &weight));
		assert_ptr_equal(s, p);
		assert_int_equal(gap, v >> 1);
		assert_int_equal(weight, w);
		/* Cut anywhere, it is no posting. */
		for (size_t cut = 0; cut < b.len; cut++) {
			s = b.data;
			assert_false(sprev_read_posting(&s, b.data + cut, &gap,
							&weight));
			assert_ptr_equal(s, b.data);
		}
	}
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_skip_against_rule),
	    cmocka_unit_test(test_skip_stops_at_what_is_not_a_posting),
	    cmocka_unit_test(test_read_posting),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
