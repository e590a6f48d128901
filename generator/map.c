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
	m->slots = NULL;
	m->cap = 0;
	m->count = 0;
}

void map_release(struct map *m)
{
	free(m->slots);
	map_init(m);
}

/* The slot of KEY, whose hash is H: its own, or the empty one where it
 * would go. Keys are compared only when their hashes are equal. */
static size_t slot_of(const struct map *m, const char *key, uint64_t h)
{
	size_t mask = m->cap - 1;
	size_t i = (size_t)h & mask;
	const struct map_slot *s = m->slots;
	while (s[i].key && (s[i].hash != h || strcmp(s[i].key, key) != 0))
		i = (i + 1) & mask;
	return i;
}

/* The map's own hash, which nothing outside it sees: XXH3, where
 * hash_bytes goes a byte at a time. */
static uint64_t key_hash(const char *key)
{
	return XXH3_64bits(key, strlen(key));
}

uint64_t map_hash(const char *key)
{
	return key_hash(key);
}

void *map_get_hashed(const struct map *m, const char *key, uint64_t hash)
{
	if (m->cap == 0)
		return NULL;
	size_t i = slot_of(m, key, hash);
	return m->slots[i].key ? m->slots[i].value : NULL;
}

void *map_get(const struct map *m, const char *key)
{
	return m->cap ? map_get_hashed(m, key, key_hash(key)) : NULL;
}

static void rehash(struct map *m, size_t cap)
{
	struct map_slot *old = m->slots;
	size_t old_cap = m->cap;
	m->cap = cap;
	m->slots = xcalloc_written(cap, sizeof *m->slots);
	for (size_t i = 0; i < old_cap; i++) {
		if (!old[i].key)
			continue;
		size_t j = (size_t)old[i].hash & (cap - 1);
		while (m->slots[j].key)
			j = (j + 1) & (cap - 1);
		m->slots[j] = old[i];
	}
	free(old);
}

/* Keep the load at most one half so probes stay short. */
static size_t cap_for(size_t count, size_t cap)
{
	while (2 * count > cap)
		cap = cap ? 2 * cap : 16;
	return cap;
}

void map_reserve(struct map *m, size_t count)
{
	size_t cap = cap_for(count, m->cap);
	if (cap != m->cap)
		rehash(m, cap);
}

void *map_put(struct map *m, const char *key, void *value)
{
	if (2 * (m->count + 1) > m->cap)
		rehash(m, cap_for(m->count + 1, m->cap));
	uint64_t h = key_hash(key);
	size_t i = slot_of(m, key, h);
	struct map_slot *s = &m->slots[i];
	if (s->key)
		return s->value;
	*s = (struct map_slot){h, key, value};
	m->count++;
	return NULL;
}
