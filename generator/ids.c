#include "ids.h"

#include <string.h>

#include "buf.h"

const char *id_problem(const char *id, size_t len)
{
	if (len == 0)
		return "it is empty";
	if (len > ID_MAX_LEN)
		return "it is longer than 100 characters";
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)id[i];
		/* Most bytes are lowercase letters and digits: one test each
		 * (every file name is checked, 20,000 at 10,000 articles). */
		if ((unsigned char)(c - 'a') < 26 || (unsigned char)(c - '0') < 10)
			continue;
		if (c >= 'A' && c <= 'Z')
			return "it has uppercase letters";
		if (c != '-')
			return "it may hold only lowercase letters a-z, digits "
			       "and single hyphens";
		if (i == 0 || i == len - 1)
			return "it starts or ends with a hyphen";
		if (id[i + 1] == '-')
			return "it has two hyphens in a row";
	}
	return NULL;
}

bool id_is_reserved_page(const char *id)
{
	static const char *const reserved[] = {
		"index",    "positions", "timeline", "search",
		"changes",  "404",       "articles", "parties",
		"proposals", "static",   "assets",   NULL,
	};
	for (size_t i = 0; reserved[i]; i++)
		if (strcmp(id, reserved[i]) == 0)
			return true;
	return false;
}

char *id_suggest(const char *id, size_t len)
{
	struct buf b;
	buf_init(&b);
	for (size_t i = 0; i < len && b.len < ID_MAX_LEN; i++) {
		char c = id[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			buf_addc(&b, c);
		else if (b.len > 0 && b.data[b.len - 1] != '-')
			buf_addc(&b, '-');
	}
	while (b.len > 0 && b.data[b.len - 1] == '-')
		b.data[--b.len] = '\0';
	return buf_detach(&b, NULL);
}
