/* Writing JSON into a buffer, with every string escaped on the way in.
 *
 * The writer tracks nesting and commas, so callers only say what comes
 * next: json_key before each member of an object, then its value. Strings
 * are written so that the result is also safe inside a <script> element
 * and older JavaScript: <, >, &, U+2028 and U+2029 are escaped, and bytes
 * that are not valid UTF-8 become U+FFFD. Output is deterministic: members
 * appear in the order they are written. */
#ifndef GLOSS_JSON_H
#define GLOSS_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

struct json {
	struct buf *out; /* borrowed */
	bool pretty;     /* newlines and two-space indents */
	bool *has_items; /* per open container: a value was written */
	size_t depth, cap;
	bool after_key;
};

/* Starts writing to OUT, which the caller owns. json_release frees the
 * writer's own state, not OUT. */
void json_init(struct json *j, struct buf *out, bool pretty);
void json_release(struct json *j);

void json_object_begin(struct json *j);
void json_object_end(struct json *j);
void json_array_begin(struct json *j);
void json_array_end(struct json *j);
void json_key(struct json *j, const char *key);

void json_string(struct json *j, const char *s);
void json_stringn(struct json *j, const char *s, size_t len);
void json_int(struct json *j, long long v);
/* A value that is already JSON (LEN bytes of S, which the caller vouches
 * for): copied as it stands, with the comma before it that it needs. */
void json_raw(struct json *j, const char *s, size_t len);
/* What comes before a value (a comma, a line break and indent), and
 * nothing else: the caller puts the value itself elsewhere, and the
 * writer counts it written. */
void json_item_here(struct json *j);

/* key: value in one call; json_key_string skips NULL values entirely. */
void json_key_string(struct json *j, const char *key, const char *s);
void json_key_int(struct json *j, const char *key, long long v);

/* Appends S (LEN bytes) as a quoted, escaped JSON string to OUT. */
void json_quote(struct buf *out, const char *s, size_t len);

#endif
