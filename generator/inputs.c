#include "inputs.h"

#include <stdatomic.h>

#include <cmark.h>
#include <libxml/globals.h>
#include <libxml/xmlversion.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/uversion.h>
#include <yaml.h>

#include "digest.h"
#include "fsutil.h"
#include "parallel.h"
#include "xalloc.h"

/* What gloss is, for the keys: a build from other sources, or with
 * another cmark or libxml2, may render differently. The Makefile gives a
 * hash of the sources; a build without it (the fuzzers) falls back on
 * its build time, which only costs renders. */
#ifndef GLOSS_SOURCE_HASH
#define GLOSS_SOURCE_HASH __DATE__ " " __TIME__
#endif
static const char gloss_identity[] = GLOSS_SOURCE_HASH " cmark "
	CMARK_VERSION_STRING " libxml2 " LIBXML_DOTTED_VERSION;


static void add_date_parts(struct digest *x, const struct date *d)
{
	digest_u64(x, (uint64_t)d->year);
	digest_u64(x, (uint64_t)d->month);
	digest_u64(x, (uint64_t)d->day);
	digest_u64(x, (uint64_t)d->precision);
}

static void add_file(struct digest *x, const char *path)
{
	char *data;
	size_t len;
	if (path && read_file(path, (size_t)1 << 30, &data, &len) == 0) {
		digest_u64(x, len);
		digest_bytes(x, data, len);
		free(data);
	} else {
		digest_u64(x, (uint64_t)-1);
	}
}

/* The templates of theme T, in name order. */
static void add_theme(struct digest *x, const struct theme *t)
{
	char **names = NULL;
	size_t n = 0;
	/* Not the folder's path: an installed theme is the same theme. */
	if (list_dir(t->dir, &names, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(names[i]);
		if (len < 5 || strcmp(names[i] + len - 5, ".html") != 0)
			continue;
		char *path = path_join(t->dir, names[i]);
		digest_str(x, names[i]);
		add_file(x, path);
		free(path);
	}
	names_free(names, n);
}

/* What git says of one entry, as its page shows it. */
static void add_history(struct digest *x, const struct history *h,
			enum entry_kind kind, const char *id)
{
	const struct history_entry *e =
	    h && h->present ? history_find(h, kind, id) : NULL;
	if (!e) {
		digest_u64(x, 0);
		return;
	}
	digest_u64(x, 1);
	digest_u64(x, (uint64_t)e->last.seconds);
	digest_u64(x, (uint64_t)e->last.offset);
	digest_u64(x, e->commits);
	digest_u64(x, h->partial);
	digest_str(x, e->last_change != HISTORY_NONE ? h->changes[e->last_change].id
						  : NULL);
}

/* The front matter of a Markdown file: what lists and links show of it. */
static void add_front_matter(struct digest *x, const char *source,
			     const struct body *b)
{
	size_t len = frontmatter_bytes(source, b->first_line);
	digest_u64(x, len);
	digest_bytes(x, source, len);
}

void inputs_libraries(struct buf *out)
{
	UVersionInfo icu, unicode;
	char icu_s[U_MAX_VERSION_STRING_LENGTH];
	char unicode_s[U_MAX_VERSION_STRING_LENGTH];
	u_getVersion(icu);
	u_getUnicodeVersion(unicode);
	u_versionToString(icu, icu_s);
	u_versionToString(unicode, unicode_s);
	buf_addf(out, "cmark %s libxml2 %s libyaml %s ICU %s Unicode %s",
		 cmark_version_string(), xmlParserVersion,
		 yaml_get_version_string(), icu_s, unicode_s);
}

void inputs_identity(struct buf *out)
{
	buf_adds(out, gloss_identity);
	buf_addc(out, ' ');
	inputs_libraries(out);
}

struct digest inputs_identity_digest(uint64_t seed)
{
	struct buf id;
	buf_init(&id);
	inputs_identity(&id);
	struct digest x = digest_new(seed);
	digest_str(&x, id.data);
	buf_release(&id);
	return x;
}

/* A digest of an entry's ID, which keys take in place of the ID: an ID
 * named in many keys (a party mentioned in thousands of articles) is
 * then hashed once. */
static uint64_t id_digest(const char *id)
{
	struct digest x = digest_new(9);
	digest_str(&x, id);
	return x.h;
}

void inputs_compute(struct page_inputs *in, const struct archive *a,
		    const struct theme *t, const struct history *h)
{
	memset(in, 0, sizeof *in);
	in->a = a;
	in->h = h;

	struct digest g = digest_new(1);
	digest_str(&g, gloss_identity);
	struct buf libraries;
	buf_init(&libraries);
	inputs_libraries(&libraries);
	digest_str(&g, libraries.data);
	buf_release(&libraries);
	add_theme(&g, t);
	add_file(&g, a->config_path);
	digest_str(&g, a->index ? a->index->source : NULL);
	add_history(&g, h, ENTRY_INDEX, "index");
	digest_u64(&g, h && h->present);
	digest_u64(&g, h && h->present ? h->commit_count : 0);
	if (h && h->present)
		for (size_t i = 0; i < h->change_count; i++)
			digest_str(&g, h->changes[i].id);
	in->global = g.h;

	in->article = xcalloc(a->article_count + 1, sizeof *in->article);
	in->party = xcalloc(a->party_count + 1, sizeof *in->party);
	in->proposal = xcalloc(a->proposal_count + 1, sizeof *in->proposal);
	in->article_key = xcalloc(a->article_count + 1, sizeof *in->article_key);
	in->party_key = xcalloc(a->party_count + 1, sizeof *in->party_key);
	in->proposal_key = xcalloc(a->proposal_count + 1,
				   sizeof *in->proposal_key);
	in->article_same = xcalloc(a->article_count + 1,
				   sizeof *in->article_same);
	in->party_same = xcalloc(a->party_count + 1, sizeof *in->party_same);
	in->proposal_same = xcalloc(a->proposal_count + 1,
				    sizeof *in->proposal_same);
	in->article_id = xcalloc(a->article_count + 1, sizeof *in->article_id);
	in->party_id = xcalloc(a->party_count + 1, sizeof *in->party_id);
	in->proposal_id = xcalloc(a->proposal_count + 1,
				  sizeof *in->proposal_id);

	struct digest names = digest_new(2);
	for (size_t i = 0; i < a->article_count; i++) {
		const struct article *art = a->articles[i];
		struct digest x = digest_new(3);
		digest_u64(&x, art->text_digest);
		digest_u64(&x, art->md_digest);
		in->article[i] = x.h;
		in->article_id[i] = id_digest(art->id);
		digest_str(&names, art->id);
		digest_str(&names, art->title);
		digest_u64(&names, art->front_digest);
	}
	for (size_t i = 0; i < a->party_count; i++) {
		const struct party *p = a->parties[i];
		struct digest x = digest_new(4);
		digest_str(&x, p->source);
		in->party[i] = x.h;
		in->party_id[i] = id_digest(p->id);
		digest_str(&names, p->id);
		add_front_matter(&names, p->source, &p->body);
	}
	for (size_t i = 0; i < a->proposal_count; i++) {
		const struct proposal *p = a->proposals[i];
		struct digest x = digest_new(5);
		digest_u64(&x, p->source_digest);
		in->proposal[i] = x.h;
		in->proposal_id[i] = id_digest(p->id);
		digest_str(&names, p->id);
		digest_str(&names, p->title);
		add_date_parts(&names, &p->date);
		digest_u64(&names, p->has_status ? (uint64_t)p->status + 1 : 0);
		for (size_t k = 0; k < p->proposed_by_count; k++)
			digest_str(&names, p->proposed_by[k]->id);
	}
	for (size_t i = 0; i < a->page_count; i++) {
		const struct page *p = a->pages[i];
		digest_str(&names, p->id);
		digest_str(&names, p->title);
		digest_str(&names, p->summary);
	}
	in->names = names.h;

	/* Lists, the matrix and the timeline show every party and proposal
	 * and where each position's quote was found; of articles, only what
	 * the names cover. */
	struct digest lists = digest_new(7);
	digest_u64(&lists, in->names);
	for (size_t i = 0; i < a->party_count; i++)
		digest_u64(&lists, in->party[i]);
	for (size_t i = 0; i < a->proposal_count; i++) {
		const struct proposal *p = a->proposals[i];
		digest_u64(&lists, in->proposal[i]);
		for (size_t k = 0; k < p->position_count; k++) {
			const struct position *pos = &p->positions[k];
			digest_u64(&lists, pos->anchored);
			digest_str(&lists, pos->anchored ? pos->passage.slug : NULL);
			digest_u64(&lists, pos->anchored ? pos->passage.line : 0);
		}
		digest_u64(&lists, p->coverage_count);
		for (size_t k = 0; k < p->coverage_count; k++)
			digest_u64(&lists, in->article_id[p->coverage[k]->index]);
	}
	for (size_t i = 0; i < a->article_count; i++) {
		const struct article *art = a->articles[i];
		digest_u64(&lists, art->mention_count);
		for (size_t k = 0; k < art->mention_count; k++) {
			digest_u64(&lists,
				   in->party_id[art->mentions[k].party->index]);
			digest_u64(&lists, art->mentions[k].count);
		}
	}
	in->lists = lists.h;
}

void inputs_release(struct page_inputs *in)
{
	free(in->article);
	free(in->party);
	free(in->proposal);
	free(in->article_id);
	free(in->party_id);
	free(in->proposal_id);
	free((void *)in->article_key);
	free((void *)in->party_key);
	free((void *)in->proposal_key);
	free((void *)in->article_same);
	free((void *)in->party_same);
	free((void *)in->proposal_same);
	memset(in, 0, sizeof *in);
}

static struct digest page_hasher(const struct page_inputs *in, uint64_t kind)
{
	struct digest x = digest_new(100 + kind);
	digest_u64(&x, in->global);
	digest_u64(&x, in->names);
	return x;
}

/* Where ENTRY of KIND is in the arrays kept for each article, party and
 * proposal: which of the three (0, 1, 2), and its index there. False
 * for pages, which have none. */
static bool entry_place(enum entry_kind kind, const void *entry, int *which,
			size_t *i)
{
	switch (kind) {
	case ENTRY_ARTICLE:
		*which = 0;
		*i = ((const struct article *)entry)->index;
		return true;
	case ENTRY_PARTY:
		*which = 1;
		*i = ((const struct party *)entry)->index;
		return true;
	case ENTRY_PROPOSAL:
		*which = 2;
		*i = ((const struct proposal *)entry)->index;
		return true;
	case ENTRY_PAGE:
	case ENTRY_INDEX:
		break;
	}
	return false;
}

static uint64_t entry_hash(const struct page_inputs *in, enum entry_kind kind,
			   const void *entry)
{
	const uint64_t *const of[] = {in->article, in->party, in->proposal};
	int which;
	size_t i;
	if (entry_place(kind, entry, &which, &i))
		return of[which][i];
	/* Pages have no index field: their bodies are hashed here. */
	const struct page *p = entry;
	struct digest x = digest_new(8);
	digest_str(&x, p->source);
	return x.h;
}

/* id_digest of the ID of ENTRY of KIND: worked out once for articles,
 * parties and proposals. */
static uint64_t entry_id_digest(const struct page_inputs *in,
				enum entry_kind kind, const void *entry)
{
	const uint64_t *const of[] = {in->article_id, in->party_id,
				      in->proposal_id};
	int which;
	size_t i;
	if (entry_place(kind, entry, &which, &i))
		return of[which][i];
	return id_digest(entry_id(kind, entry));
}

/* The entries linking a party or proposal, whose notes its page shows.
 * A note is shown with its passage and its blocks (referrer_item), which
 * its shown_digest covers (archive.h), and its article's title and
 * date, which every page's names digest holds;
 * an article that links it outside its notes, by that title and date
 * alone. Those are the inputs, not the whole of the article, so that an
 * edit of another of its notes leaves the page as it is. */
static void add_referrers(struct digest *x, const struct page_inputs *in,
			  const struct reference_list *refs)
{
	digest_u64(x, refs->count);
	for (size_t i = 0; i < refs->count; i++) {
		const struct reference *r = &refs->items[i];
		digest_u64(x, r->kind);
		digest_u64(x, entry_id_digest(in, r->kind, r->entry));
		if (!r->note) {
			if (r->kind != ENTRY_ARTICLE)
				digest_u64(x, entry_hash(in, r->kind, r->entry));
			continue;
		}
		digest_u64(x, r->note->shown_digest);
	}
}

static void add_position(struct digest *x, const struct page_inputs *in,
			 const struct position *pos)
{
	digest_u64(x, in->proposal[pos->proposal->index]);
	digest_u64(x, in->party_id[pos->party->index]);
	digest_u64(x, pos->anchored);
	digest_str(x, pos->anchored ? pos->passage.slug : NULL);
	digest_u64(x, pos->anchored ? pos->passage.line : 0);
}

uint64_t inputs_article(const struct page_inputs *in,
			const struct article *art)
{
	struct digest x = page_hasher(in, ENTRY_ARTICLE);
	digest_u64(&x, in->article[art->index]);
	for (size_t i = 0; i < art->position_count; i++)
		add_position(&x, in, art->positions[i]);
	for (size_t i = 0; i < art->covered_count; i++)
		digest_u64(&x, in->proposal[art->covered[i]->index]);
	for (size_t i = 0; i < art->named_count; i++)
		digest_u64(&x, in->party_id[art->named[i]->index]);
	add_history(&x, in->h, ENTRY_ARTICLE, art->id);
	return x.h | 1; /* never 0, which means no key */
}

uint64_t inputs_party(const struct page_inputs *in, const struct party *p)
{
	struct digest x = page_hasher(in, ENTRY_PARTY);
	digest_u64(&x, in->party[p->index]);
	digest_u64(&x, p->mention_count);
	for (size_t i = 0; i < p->mention_count; i++) {
		digest_u64(&x, in->article_id[p->mentions[i].article->index]);
		digest_u64(&x, p->mentions[i].count);
	}
	for (size_t i = 0; i < p->position_count; i++)
		add_position(&x, in, p->positions[i]);
	struct proposal **const lists[] = {p->proposed, p->mediated,
					   p->addressed};
	const size_t counts[] = {p->proposed_count, p->mediated_count,
				 p->addressed_count};
	for (size_t l = 0; l < 3; l++) {
		digest_u64(&x, counts[l]);
		for (size_t i = 0; i < counts[l]; i++)
			digest_u64(&x, in->proposal[lists[l][i]->index]);
	}
	add_referrers(&x, in, &p->referrers);
	add_history(&x, in->h, ENTRY_PARTY, p->id);
	return x.h | 1;
}

uint64_t inputs_proposal(const struct page_inputs *in,
			 const struct proposal *p)
{
	struct digest x = page_hasher(in, ENTRY_PROPOSAL);
	digest_u64(&x, in->proposal[p->index]);
	for (size_t i = 0; i < p->position_count; i++)
		add_position(&x, in, &p->positions[i]);
	digest_u64(&x, p->coverage_count);
	for (size_t i = 0; i < p->coverage_count; i++)
		digest_u64(&x, in->article_id[p->coverage[i]->index]);
	add_referrers(&x, in, &p->referrers);
	add_history(&x, in->h, ENTRY_PROPOSAL, p->id);
	return x.h | 1;
}

uint64_t inputs_page(const struct page_inputs *in, const struct page *p)
{
	struct digest x = page_hasher(in, ENTRY_PAGE);
	digest_u64(&x, entry_hash(in, ENTRY_PAGE, p));
	add_history(&x, in->h, ENTRY_PAGE, p->id);
	return x.h | 1;
}

uint64_t inputs_lists(const struct page_inputs *in)
{
	struct digest x = page_hasher(in, 99);
	digest_u64(&x, in->lists);
	return x.h | 1;
}

/* Where the key of ENTRY of KIND is kept once worked out (0 until
 * then): NULL for free pages and the home page, few and cheap. */
static _Atomic uint64_t *key_slot(const struct page_inputs *in,
				  enum entry_kind kind, const void *entry)
{
	_Atomic uint64_t *const of[] = {in->article_key, in->party_key,
					in->proposal_key};
	int which;
	size_t i;
	return entry_place(kind, entry, &which, &i) ? &of[which][i] : NULL;
}

/* The key of ENTRY of KIND, worked out. */
static uint64_t work_out_key(const struct page_inputs *in,
			     enum entry_kind kind, const void *entry)
{
	switch (kind) {
	case ENTRY_ARTICLE: return inputs_article(in, entry);
	case ENTRY_PARTY: return inputs_party(in, entry);
	case ENTRY_PROPOSAL: return inputs_proposal(in, entry);
	case ENTRY_PAGE: return inputs_page(in, entry);
	case ENTRY_INDEX: break;
	}
	return inputs_lists(in);
}

uint64_t inputs_entry(const struct page_inputs *in, enum entry_kind kind,
		      const void *entry, struct buf *tag)
{
	static const char *const prefixes[] = {
		[ENTRY_ARTICLE] = "article:", [ENTRY_PARTY] = "party:",
		[ENTRY_PROPOSAL] = "proposal:", [ENTRY_PAGE] = "page:",
	};
	buf_reset(tag);
	if (kind == ENTRY_INDEX) {
		buf_adds(tag, "index");
	} else {
		buf_adds(tag, prefixes[kind]);
		buf_adds(tag, entry_id(kind, entry));
	}
	_Atomic uint64_t *slot = key_slot(in, kind, entry);
	uint64_t key = slot ? atomic_load_explicit(slot, memory_order_relaxed)
			    : 0;
	if (!key) {
		key = work_out_key(in, kind, entry);
		if (slot)
			atomic_store_explicit(slot, key, memory_order_relaxed);
	}
	return key;
}

enum { SAME_CHANGED = 1, SAME_UNCHANGED = 2 };

/* Where inputs_unchanged of ENTRY of KIND is kept once known (0 until
 * then): NULL as for key_slot. */
static _Atomic unsigned char *same_slot(const struct page_inputs *in,
					enum entry_kind kind,
					const void *entry)
{
	_Atomic unsigned char *const of[] = {in->article_same, in->party_same,
					     in->proposal_same};
	int which;
	size_t i;
	return entry_place(kind, entry, &which, &i) ? &of[which][i] : NULL;
}

bool inputs_unchanged(const struct page_inputs *in, struct writer *w,
		      enum entry_kind kind, const void *entry)
{
	_Atomic unsigned char *slot = same_slot(in, kind, entry);
	unsigned char known =
	    slot ? atomic_load_explicit(slot, memory_order_relaxed) : 0;
	if (known)
		return known == SAME_UNCHANGED;
	struct buf tag;
	buf_init(&tag);
	uint64_t key = inputs_entry(in, kind, entry, &tag);
	bool same = writer_prev_key(w, tag.data, key);
	buf_release(&tag);
	/* Two threads that find it at once store the same. */
	if (slot)
		atomic_store_explicit(slot, same ? SAME_UNCHANGED : SAME_CHANGED,
				      memory_order_relaxed);
	return same;
}

/* What work_out_one works out: keys, and with a writer, whether each
 * entry is unchanged against it. */
struct work_out {
	const struct page_inputs *in;
	struct writer *w; /* may be NULL */
};

/* Works out the key of the Ith entry: articles, then parties, then
 * proposals. */
static void work_out_one(void *arg, size_t i, unsigned worker)
{
	(void)worker;
	const struct work_out *o = arg;
	const struct page_inputs *in = o->in;
	const struct archive *a = in->a;
	enum entry_kind kind = ENTRY_ARTICLE;
	const void *entry;
	if (i < a->article_count) {
		entry = a->articles[i];
	} else if ((i -= a->article_count) < a->party_count) {
		kind = ENTRY_PARTY;
		entry = a->parties[i];
	} else {
		kind = ENTRY_PROPOSAL;
		entry = a->proposals[i - a->party_count];
	}
	_Atomic uint64_t *slot = key_slot(in, kind, entry);
	if (!atomic_load_explicit(slot, memory_order_relaxed))
		atomic_store_explicit(slot, work_out_key(in, kind, entry),
				      memory_order_relaxed);
	if (o->w)
		inputs_unchanged(in, o->w, kind, entry);
}

void inputs_work_out_keys(const struct page_inputs *in, struct writer *w,
			  unsigned threads)
{
	const struct archive *a = in->a;
	struct work_out o = {in, w};
	parallel_for(a->article_count + a->party_count + a->proposal_count,
		     threads, work_out_one, &o);
}
