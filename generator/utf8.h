/* UTF-8 decoding and the character classes gloss's text rules need. */
#ifndef GLOSS_UTF8_H
#define GLOSS_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes the code point at S (N bytes available). Returns its length in
 * bytes (1-4) and stores it in *CP; returns 0 for an invalid, overlong,
 * surrogate or truncated sequence. */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);

/* Decodes the code point that ends just before offset I of S. Returns its
 * length, or 0 when I is 0 or the bytes before I are not valid UTF-8. */
size_t utf8_decode_prev(const char *s, size_t i, uint32_t *cp);

/* Returns the offset of the first byte of S that is not part of valid
 * UTF-8, or N when all of S is valid. */
size_t utf8_validate(const char *s, size_t n);

/* True for a Unicode letter, digit or combining mark (the classes XML 1.0
 * names, from libxml2's tables): what may not stand beside a mention. */
bool utf8_is_word_char(uint32_t cp);

/* True for the Unicode White_Space characters. */
bool utf8_is_space(uint32_t cp);

#endif
