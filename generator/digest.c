#include "digest.h"

#include <string.h>

struct digest digest_new(uint64_t seed)
{
	struct digest x = {0xcbf29ce484222325ULL};
	digest_u64(&x, seed);
	return x;
}

void digest_bytes(struct digest *x, const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t h = x->h;
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	x->h = h;
}

void digest_u64(struct digest *x, uint64_t v)
{
	unsigned char b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	digest_bytes(x, b, sizeof b);
}

void digest_str(struct digest *x, const char *s)
{
	size_t len = s ? strlen(s) : (size_t)-1;
	digest_u64(x, len);
	if (s)
		digest_bytes(x, s, len);
}
