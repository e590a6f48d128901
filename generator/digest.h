/* A 64-bit digest of what is added to it (xxHash's XXH3, each addition
 * seeded with the digest so far), for telling whether the inputs of a
 * page changed between builds; not for security. Lengths
 * go in before strings, so that ("ab", "c") and ("a", "bc") differ. */
#ifndef GLOSS_DIGEST_H
#define GLOSS_DIGEST_H

#include <stddef.h>
#include <stdint.h>

struct digest {
	uint64_t h;
};

/* A digest started from SEED, which keeps digests of different things
 * apart. */
struct digest digest_new(uint64_t seed);
void digest_bytes(struct digest *x, const void *data, size_t len);
void digest_u64(struct digest *x, uint64_t v);
/* Adds the length of S, then S; NULL is told apart from "". */
void digest_str(struct digest *x, const char *s);

#endif
