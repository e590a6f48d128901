#include "map.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

unsigned long long hash_bytes(const void *data, size_t len)
{
	const unsigned char *p = data;
	unsigned long long h = 14695981039346656037ULL;
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

void map_init(struct map *m)
{
	m->keys = NULL;
	m->values = NULL;
	m->hashes = NULL;
	m->cap = 0;
	m->count = 0;
}

void map_release(struct map *m)
{
	free(m->keys);
	free(m->values);
	free(m->hashes);
	map_init(m);
}

/* The slot of KEY, whose hash is H: its own, or the empty one where it
 * would go. Keys are compared only when their hashes are equal. */
static size_t slot_of(const struct map *m, const char *key, uint64_t h)
{
	size_t mask = m->cap - 1;
	size_t i = (size_t)h & mask;
	while (m->keys[i] && (m->hashes[i] != h || strcmp(m->keys[i], key) != 0))
		i = (i + 1) & mask;
	return i;
}

/* The map's own hash, which nothing outside it sees: XXH3, where
 * hash_bytes goes a byte at a time. */
static uint64_t key_hash(const char *key)
{
	return XXH3_64bits(key, strlen(key));
}

void *map_get(const struct map *m, const char *key)
{
	if (m->cap == 0)
		return NULL;
	size_t i = slot_of(m, key, key_hash(key));
	return m->keys[i] ? m->values[i] : NULL;
}

static void rehash(struct map *m, size_t cap)
{
	struct map old = *m;
	m->cap = cap;
	m->keys = xcalloc(cap, sizeof *m->keys);
	m->values = xcalloc(cap, sizeof *m->values);
	m->hashes = xcalloc(cap, sizeof *m->hashes);
	for (size_t i = 0; i < old.cap; i++) {
		if (!old.keys[i])
			continue;
		size_t j = (size_t)old.hashes[i] & (cap - 1);
		while (m->keys[j])
			j = (j + 1) & (cap - 1);
		m->keys[j] = old.keys[i];
		m->values[j] = old.values[i];
		m->hashes[j] = old.hashes[i];
	}
	free(old.keys);
	free(old.values);
	free(old.hashes);
}

void *map_put(struct map *m, const char *key, void *value)
{
	/* Keep the load at most one half so probes stay short. */
	if (2 * (m->count + 1) > m->cap)
		rehash(m, m->cap ? 2 * m->cap : 16);
	uint64_t h = key_hash(key);
	size_t i = slot_of(m, key, h);
	if (m->keys[i])
		return m->values[i];
	m->keys[i] = key;
	m->values[i] = value;
	m->hashes[i] = h;
	m->count++;
	return NULL;
}
