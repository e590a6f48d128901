/* Digests (digest.h): what a page's key is made of. A key must change
 * when any byte of any input changes, and must not depend on how the
 * same bytes were handed over except where the split itself means
 * something (lengths go before strings). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <xxhash.h>

#include "digest.h"

static uint64_t of_strings(const char *a, const char *b)
{
	struct digest x = digest_new(7);
	digest_str(&x, a);
	digest_str(&x, b);
	return x.h;
}

static void test_same_inputs_same_digest(void **state)
{
	(void)state;
	assert_int_equal(of_strings("truce", "talks"),
			 of_strings("truce", "talks"));
}

static void test_strings_split_differently_differ(void **state)
{
	(void)state;
	assert_int_not_equal(of_strings("ab", "c"), of_strings("a", "bc"));
	assert_int_not_equal(of_strings("", "abc"), of_strings("abc", ""));
}

static void test_null_differs_from_empty(void **state)
{
	(void)state;
	assert_int_not_equal(of_strings(NULL, "x"), of_strings("", "x"));
}

static void test_seeds_keep_digests_apart(void **state)
{
	(void)state;
	struct digest a = digest_new(0), b = digest_new(1);
	digest_str(&a, "same");
	digest_str(&b, "same");
	assert_int_not_equal(a.h, b.h);
}

/* Every byte of a long input, at every offset of the hash's blocks,
 * reaches the digest, and so does the order of two additions. */
static void test_every_byte_counts(void **state)
{
	(void)state;
	unsigned char data[1100];
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (unsigned char)(i * 31 + 7);
	struct digest base = digest_new(3);
	digest_bytes(&base, data, sizeof data);
	for (size_t i = 0; i < sizeof data; i++) {
		data[i] ^= 1;
		struct digest x = digest_new(3);
		digest_bytes(&x, data, sizeof data);
		data[i] ^= 1;
		if (x.h == base.h)
			fail_msg("flipping byte %zu left the digest as it was", i);
	}
	struct digest ab = digest_new(3), ba = digest_new(3);
	digest_u64(&ab, 1);
	digest_u64(&ab, 2);
	digest_u64(&ba, 2);
	digest_u64(&ba, 1);
	assert_int_not_equal(ab.h, ba.h);
}

/* digest_u64 is xxHash's XXH3 of the number's eight bytes, least
 * significant first, seeded with the digest so far: computed in line,
 * it must give what xxHash gives, for numbers and digests of every
 * kind of bit. */
static void test_numbers_as_xxh3_digests_them(void **state)
{
	(void)state;
	uint64_t s = 0x9e3779b97f4a7c15ULL;
	for (int i = 0; i < 100000; i++) {
		/* splitmix64, and some numbers with few bits set */
		s += 0x9e3779b97f4a7c15ULL;
		uint64_t z = s;
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		z ^= z >> 31;
		uint64_t v = i % 3 == 0 ? (uint64_t)i : z;
		uint64_t seed = i % 5 == 0 ? (uint64_t)i << (i % 64) : z * 31;
		unsigned char b[8];
		for (int k = 0; k < 8; k++)
			b[k] = (unsigned char)(v >> (8 * k));
		struct digest x = {seed};
		digest_u64(&x, v);
		uint64_t want = XXH3_64bits_withSeed(b, sizeof b, seed);
		if (x.h != want)
			fail_msg("digest_u64(%016llx) seeded %016llx: %016llx, "
				 "xxHash %016llx", (unsigned long long)v,
				 (unsigned long long)seed,
				 (unsigned long long)x.h,
				 (unsigned long long)want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_inputs_same_digest),
		cmocka_unit_test(test_strings_split_differently_differ),
		cmocka_unit_test(test_null_differs_from_empty),
		cmocka_unit_test(test_seeds_keep_digests_apart),
		cmocka_unit_test(test_every_byte_counts),
		cmocka_unit_test(test_numbers_as_xxh3_digests_them),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
