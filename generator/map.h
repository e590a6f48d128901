/* A hash map from strings to pointers, for looking entries up by ID.
 *
 * Keys are borrowed: the caller keeps each key alive as long as the map.
 * Iteration order is not meaningful, so nothing that reaches the output
 * may depend on it; gloss keeps its own sorted arrays for that. */
#ifndef GLOSS_MAP_H
#define GLOSS_MAP_H

#include <stddef.h>
#include <stdint.h>

struct map {
	const char **keys;
	void **values;
	uint64_t *hashes; /* per slot, its key's */
	size_t cap;   /* a power of two, or 0 */
	size_t count;
};

void map_init(struct map *m);
void map_release(struct map *m);
/* Returns the value for KEY, or NULL. */
void *map_get(const struct map *m, const char *key);
/* Stores VALUE for KEY unless KEY is present; returns the value already
 * there (and stores nothing), or NULL when it was added. */
void *map_put(struct map *m, const char *key, void *value);

/* FNV-1a, 64 bits: also gives stable short hashes for HTML ids. */
unsigned long long hash_bytes(const void *data, size_t len);

#endif
