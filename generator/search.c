#include "search.h"

void build_search(struct ctx *c, struct writer *w)
{
	const struct crumb crumbs[] = {{"index.html", "Home"}, {NULL, "Search"}};
	struct tpage *p = page_begin(c, TPL_SEARCH, "Search", crumbs, 2);
	page_end(c, w, p, "search.html");
}
