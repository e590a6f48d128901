#include "timeline.h"

void build_timeline(struct ctx *c, struct writer *w,
		    struct article *const *articles, size_t article_count,
		    struct proposal *const *proposals, size_t proposal_count)
{
	const struct crumb crumbs[] = {{"index.html", "Home"}, {NULL, "Timeline"}};
	(void)articles, (void)article_count, (void)proposals, (void)proposal_count;
	struct tpage *p = page_begin(c, TPL_TIMELINE, "Timeline", crumbs, 2);
	page_end(c, w, p, "timeline.html");
}
