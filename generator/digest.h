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

/* digest_bytes of V's eight bytes, least significant first, in line: a
 * page's key adds hundreds of numbers (700,000 in a rebuild of 10,000
 * articles), for which the call and the general code cost three times
 * the hash. This is XXH3 of 4 to 8 bytes (xxhash.h, XXH3_len_4to8_64b
 * with the default secret, whose bytes 8-23 give DIGEST_XXH3_FLIP);
 * test_digest checks it against xxHash itself. */
#define DIGEST_XXH3_FLIP (0x1cad21f72c81017cULL ^ 0xdb979083e96dd4deULL)
static inline void digest_u64(struct digest *x, uint64_t v)
{
	uint64_t seed = x->h;
	seed ^= (uint64_t)__builtin_bswap32((uint32_t)seed) << 32;
	/* Its first four bytes as the high half, its last four as the low. */
	uint64_t h = (v << 32 | v >> 32) ^ (DIGEST_XXH3_FLIP - seed);
	h ^= (h << 49 | h >> 15) ^ (h << 24 | h >> 40);
	h *= 0x9FB21C651E98DF25ULL;
	h ^= (h >> 35) + 8;
	h *= 0x9FB21C651E98DF25ULL;
	x->h = h ^ h >> 28;
}
/* Adds the length of S, then S; NULL is told apart from "". */
void digest_str(struct digest *x, const char *s);

#endif
