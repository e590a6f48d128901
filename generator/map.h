/* A hash map from strings to pointers, for looking entries up by ID.
 *
 * Keys are borrowed: the caller keeps each key alive as long as the map.
 * Iteration order is not meaningful, so nothing that reaches the output
 * may depend on it; gloss keeps its own sorted arrays for that. */
#ifndef GLOSS_MAP_H
#define GLOSS_MAP_H

#include <stddef.h>
#include <stdint.h>

/* A slot holds its key's hash beside the key and value, so that a
 * probe reads one place in memory, not three arrays. */
struct map_slot {
	uint64_t hash;
	const char *key; /* NULL: empty */
	void *value;
};

struct map {
	struct map_slot *slots;
	size_t cap;   /* a power of two, or 0 */
	size_t count;
};

void map_init(struct map *m);
void map_release(struct map *m);
/* Makes room for COUNT keys in all, so that adding them does not grow
 * the map step by step. */
void map_reserve(struct map *m, size_t count);
/* Returns the value for KEY, or NULL. */
void *map_get(const struct map *m, const char *key);
/* The hash the maps take of KEY, for looking one key up in several maps
 * without hashing it each time (map_get_hashed). */
uint64_t map_hash(const char *key);
/* map_get of KEY, whose map_hash is HASH. */
void *map_get_hashed(const struct map *m, const char *key, uint64_t hash);
/* Stores VALUE for KEY unless KEY is present; returns the value already
 * there (and stores nothing), or NULL when it was added. */
void *map_put(struct map *m, const char *key, void *value);

/* Slot I's key (NULL for an empty slot) and value, for I below m->cap:
 * for letting go of what the keys and values own. */
static inline const char *map_key_at(const struct map *m, size_t i)
{
	return m->slots[i].key;
}

static inline void *map_value_at(const struct map *m, size_t i)
{
	return m->slots[i].value;
}

/* FNV-1a, 64 bits: also gives stable short hashes for HTML ids. */
unsigned long long hash_bytes(const void *data, size_t len);

#endif
