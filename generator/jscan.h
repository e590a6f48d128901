/* Reading back JSON that json.c wrote: a cursor that checks each thing
 * it steps over and fails, without moving, on anything else. A rebuild
 * reads the previous build's search index (sprev.h) and archive.json
 * (dprev.h) this way, and must not trust them: every step is bounded by
 * the end of the bytes, and nesting by JSCAN_DEPTH. */
#ifndef GLOSS_JSCAN_H
#define GLOSS_JSCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

#define JSCAN_DEPTH 64

struct jscan {
	const char *s, *end;
};

/* Steps over TEXT, which must come next. */
bool jscan_lit(struct jscan *sc, const char *text);
/* Whether CH comes next. */
bool jscan_peek(const struct jscan *sc, char ch);
/* Steps over white space (none is fine). */
void jscan_space(struct jscan *sc);
/* A number as json_int writes one that is not negative: digits, no
 * leading zero. */
bool jscan_number(struct jscan *sc, size_t *out);
/* A string: its bytes appended to OUT (may be NULL), its raw form, quotes
 * and all, into RAW and RAW_LEN (may be NULL). */
bool jscan_string(struct jscan *sc, struct buf *out, const char **raw,
		  size_t *raw_len);
/* Any value, white space inside it included. */
bool jscan_value(struct jscan *sc);

/* Appends the bytes of the JSON string at *S (just after its opening
 * quote) to OUT, and moves *S past its closing quote; false, with *S and
 * OUT unchanged, when it is not a well-formed string that ends before
 * END. OUT may be NULL to only check it. */
bool jscan_string_at(const char **s, const char *end, struct buf *out);

#endif
