#include "digest.h"

#include <string.h>

/* xxHash's XXH3, inlined: most of what is digested is a few bytes at a
 * time (job keys add lengths, dates and IDs one by one), where a call
 * into the shared library would cost more than the hash. */
#define XXH_INLINE_ALL
#include <xxhash.h>

struct digest digest_new(uint64_t seed)
{
	struct digest x = {0xcbf29ce484222325ULL};
	digest_u64(&x, seed);
	return x;
}

/* Each addition is hashed with the digest so far as its seed, so the
 * result depends on every byte added and on where each addition ends. */
void digest_bytes(struct digest *x, const void *data, size_t len)
{
	x->h = XXH3_64bits_withSeed(data, len, x->h);
}

void digest_str(struct digest *x, const char *s)
{
	size_t len = s ? strlen(s) : (size_t)-1;
	digest_u64(x, len);
	if (s)
		digest_bytes(x, s, len);
}
