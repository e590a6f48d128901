/* The string map (map.h): every key put is found with its value through
 * every growth of the table, a key put twice keeps its first value, and
 * keys that are not there, or differ by a byte, are not found. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "map.h"

enum { COUNT = 20000 };

static void test_put_and_get_through_growth(void **state)
{
	(void)state;
	static char keys[COUNT][16];
	static int values[COUNT];
	struct map m;
	map_init(&m);
	assert_null(map_get(&m, "anything"));
	for (int i = 0; i < COUNT; i++) {
		snprintf(keys[i], sizeof keys[i], "key-%d", i);
		values[i] = i;
		assert_null(map_put(&m, keys[i], &values[i]));
		/* Every key so far, at every size the table takes. */
		if ((i & (i + 1)) == 0)
			for (int k = 0; k <= i; k++)
				assert_ptr_equal(map_get(&m, keys[k]), &values[k]);
	}
	assert_int_equal(m.count, COUNT);
	for (int i = 0; i < COUNT; i++)
		assert_ptr_equal(map_get(&m, keys[i]), &values[i]);
	/* A second put finds the first value and changes nothing. */
	int other = -1;
	char again[16];
	snprintf(again, sizeof again, "key-%d", 77);
	assert_ptr_equal(map_put(&m, again, &other), &values[77]);
	assert_ptr_equal(map_get(&m, again), &values[77]);
	assert_int_equal(m.count, COUNT);
	/* Looked up by a hash taken once, the same: in this map, and in
	 * an empty one. */
	struct map empty;
	map_init(&empty);
	for (int i = 0; i < COUNT; i += 97) {
		uint64_t h = map_hash(keys[i]);
		assert_ptr_equal(map_get_hashed(&m, keys[i], h), &values[i]);
		assert_null(map_get_hashed(&empty, keys[i], h));
	}
	assert_null(map_get_hashed(&m, "key-", map_hash("key-")));
	/* Near misses are not found. */
	assert_null(map_get(&m, "key-"));
	assert_null(map_get(&m, "key-20000"));
	assert_null(map_get(&m, "key-1 "));
	assert_null(map_get(&m, "Key-1"));
	assert_null(map_get(&m, ""));
	map_release(&m);
	assert_null(map_get(&m, "key-1"));
}

/* A map made room for does not grow while its keys are put, keeps the
 * keys put before, and shows each key once among its slots. */
static void test_reserve_and_slots(void **state)
{
	(void)state;
	static char keys[1000][16];
	static int values[1000];
	struct map m;
	map_init(&m);
	assert_null(map_put(&m, "first", &values[0]));
	map_reserve(&m, 1001);
	size_t cap = m.cap;
	assert_true(cap >= 2 * 1001);
	assert_ptr_equal(map_get(&m, "first"), &values[0]);
	for (int i = 0; i < 1000; i++) {
		snprintf(keys[i], sizeof keys[i], "k%d", i);
		values[i] = i;
		assert_null(map_put(&m, keys[i], &values[i]));
	}
	assert_int_equal(m.cap, cap);
	/* less room than it has: nothing changes */
	map_reserve(&m, 10);
	assert_int_equal(m.cap, cap);
	size_t seen = 0;
	long sum = 0;
	for (size_t i = 0; i < m.cap; i++) {
		const char *key = map_key_at(&m, i);
		if (!key)
			continue;
		seen++;
		assert_ptr_equal(map_get(&m, key), map_value_at(&m, i));
		if (strcmp(key, "first") != 0)
			sum += *(int *)map_value_at(&m, i);
	}
	assert_int_equal(seen, 1001);
	assert_int_equal(sum, 999 * 1000 / 2);
	map_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put_and_get_through_growth),
		cmocka_unit_test(test_reserve_and_slots),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
