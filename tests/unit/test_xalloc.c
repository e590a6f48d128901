/* The allocation wrappers (xalloc.h): what xcalloc and xcalloc_written
 * give is zeroed, also where the allocator hands back a block that was
 * freed full of other bytes, and grown arrays keep their elements. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "xalloc.h"

static bool all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static void test_zeroed_over_dirty_blocks(void **state)
{
	(void)state;
	/* Small, page-sized and large: each size class of the allocator. */
	static const size_t sizes[] = {24, 4096, 1 << 20, 3 << 20};
	for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
		for (int round = 0; round < 4; round++) {
			unsigned char *dirty = xmalloc(sizes[s]);
			memset(dirty, 0xa5, sizes[s]);
			free(dirty);
			unsigned char *w = xcalloc_written(sizes[s] / 8, 8);
			assert_true(all_zero(w, sizes[s]));
			memset(w, 0x5a, sizes[s]);
			free(w);
			unsigned char *c = xcalloc(sizes[s] / 8, 8);
			assert_true(all_zero(c, sizes[s]));
			free(c);
		}
	}
	/* Nothing asked for is still an address of its own. */
	void *none = xcalloc_written(0, 8);
	assert_non_null(none);
	free(none);
}

static void test_grow_keeps_elements(void **state)
{
	(void)state;
	size_t cap = 0;
	int *v = NULL;
	for (int i = 0; i < 100000; i++) {
		v = xgrow(v, &cap, (size_t)i + 1, sizeof *v);
		assert_true(cap >= (size_t)i + 1);
		v[i] = i;
	}
	for (int i = 0; i < 100000; i++)
		assert_int_equal(v[i], i);
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zeroed_over_dirty_blocks),
		cmocka_unit_test(test_grow_keeps_elements),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
