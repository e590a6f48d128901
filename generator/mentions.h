/* Mentions: finding where articles name parties by their aliases.
 *
 * An alias matches case-sensitively where the characters on either side
 * are not letters or digits (utf8_is_word_char), so `Hamas’s` and
 * `Hamas-run` mention Hamas while `Israeli` does not mention Israel. At
 * each position the longest alias wins, and scanning resumes after it.
 * Aliases live in a byte trie, so a scan costs time linear in the text
 * times the length of the longest alias that matches there, whatever the
 * number of aliases. */
#ifndef GLOSS_MENTIONS_H
#define GLOSS_MENTIONS_H

#include <stdbool.h>
#include <stddef.h>

struct mention_set;

/* Returns a new, empty set, owned by the caller (mention_set_free). */
struct mention_set *mention_set_new(void);
void mention_set_free(struct mention_set *set);

/* Adds ALIAS (LEN bytes, LEN > 0) for party number PARTY. When the alias
 * is already in the set, leaves the set unchanged, stores the party that
 * has it in *OWNER and returns false. */
bool mention_set_add(struct mention_set *set, const char *alias, size_t len,
		     size_t party, size_t *owner);

typedef void (*mention_fn)(void *ctx, size_t party, size_t start,
			   size_t end);

/* Calls FN(CTX, party, start, end) for each mention in TEXT[0..LEN), in
 * text order, with byte offsets of the matched alias. */
void mention_scan(const struct mention_set *set, const char *text,
		  size_t len, mention_fn fn, void *ctx);

#endif
