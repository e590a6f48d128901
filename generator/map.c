#include "map.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

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
	m->cap = 0;
	m->count = 0;
}

void map_release(struct map *m)
{
	free(m->keys);
	free(m->values);
	map_init(m);
}

static size_t slot_of(const struct map *m, const char *key)
{
	size_t mask = m->cap - 1;
	size_t i = (size_t)hash_bytes(key, strlen(key)) & mask;
	while (m->keys[i] && strcmp(m->keys[i], key) != 0)
		i = (i + 1) & mask;
	return i;
}

void *map_get(const struct map *m, const char *key)
{
	if (m->cap == 0)
		return NULL;
	size_t i = slot_of(m, key);
	return m->keys[i] ? m->values[i] : NULL;
}

static void rehash(struct map *m, size_t cap)
{
	struct map old = *m;
	m->cap = cap;
	m->keys = xcalloc(cap, sizeof *m->keys);
	m->values = xcalloc(cap, sizeof *m->values);
	for (size_t i = 0; i < old.cap; i++) {
		if (!old.keys[i])
			continue;
		size_t j = slot_of(m, old.keys[i]);
		m->keys[j] = old.keys[i];
		m->values[j] = old.values[i];
	}
	free(old.keys);
	free(old.values);
}

void *map_put(struct map *m, const char *key, void *value)
{
	/* Keep the load at most one half so probes stay short. */
	if (2 * (m->count + 1) > m->cap)
		rehash(m, m->cap ? 2 * m->cap : 16);
	size_t i = slot_of(m, key);
	if (m->keys[i])
		return m->values[i];
	m->keys[i] = key;
	m->values[i] = value;
	m->count++;
	return NULL;
}
