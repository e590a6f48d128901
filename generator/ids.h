/* Entry IDs: the file stems that name articles, parties, proposals and
 * pages, and become file names in the output. */
#ifndef GLOSS_IDS_H
#define GLOSS_IDS_H

#include <stdbool.h>
#include <stddef.h>

#define ID_MAX_LEN 100

/* Returns NULL when ID (LEN bytes) is valid: lowercase ASCII letters,
 * digits and single hyphens, neither first nor last, at most ID_MAX_LEN
 * bytes. Otherwise returns a static phrase saying what is wrong, to follow
 * "invalid ID 'X': ". */
const char *id_problem(const char *id, size_t len);

/* True when ID names a generated page or folder that a free page may not
 * take (index, positions, articles, ...). */
bool id_is_reserved_page(const char *id);

/* Writes a lowercase suggestion for an invalid ID into a new string the
 * caller frees: `Truce Talks_2008` becomes `truce-talks-2008`. */
char *id_suggest(const char *id, size_t len);

#endif
