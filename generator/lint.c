#include "lint.h"

#include "frontmatter.h"

/* Where a front matter key is, or the file's first line. */
static void key_position(const struct frontmatter *fm, const char *key,
			 int *line, int *col)
{
	const struct ynode *n = ynode_get(fm->root, key);
	*line = n ? n->line : 1;
	*col = n ? n->col : 1;
}

void lint_archive(const struct archive *a, struct diag *d)
{
	int line, col;
	for (size_t i = 0; i < a->party_count; i++) {
		const struct party *p = a->parties[i];
		if (p->mention_count)
			continue;
		key_position(&p->fm, "name", &line, &col);
		diag_warning(d, p->path, line, col,
			     "no article mentions or names %s; add to 'aliases' "
			     "the words the articles use for it, or list it in "
			     "an article's 'parties'", p->name);
	}
	for (size_t i = 0; i < a->proposal_count; i++) {
		const struct proposal *p = a->proposals[i];
		/* An explicit `positions: []` says the texts report none. */
		if (p->position_count || ynode_get(p->fm.root, "positions"))
			continue;
		key_position(&p->fm, "title", &line, &col);
		diag_warning(d, p->path, line, col,
			     "no positions; add each answer the articles report, "
			     "or write 'positions: []' when they report none");
	}
	for (size_t i = 0; i < a->article_count; i++) {
		const struct article *art = a->articles[i];
		for (size_t j = 0; j < art->note_count; j++) {
			const struct note *n = &art->notes[j];
			if (n->entry_links)
				continue;
			diag_warning(d, art->md_path, n->line, 1,
				     "note links no party, proposal or article; "
				     "link what it is about, as in "
				     "[Hamas](party:hamas)");
		}
	}
}
