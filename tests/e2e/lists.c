/* End-to-end tests of the pages that list the whole archive, at a size
 * where listing everything on one page would not do: the articles,
 * proposals and positions by year, the home page, a party's articles,
 * and the timeline.
 *
 * The group setup writes archives with small C loops (articles a0, a1...
 * with a few lines each, parties p0... named "Group N", proposals q0...
 * with positions quoting lines of the articles) and builds them once.
 * What the pages must hold is worked out from the same loops, not read
 * back from gloss's output. The limits tested are those of the contract
 * (generator/paging.h, site.c, timeline.c): pages of at most 1,000
 * entries, 12 party lanes, a matrix grid up to 400 cells, 50 articles by
 * mentions on a party's page, ten articles and proposals at home. */
#include "harness.h"

#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#define THEME "themes/default"

/* An XPath predicate: the element has class C. */
#define CLS(c)                                                                 \
	"[contains(concat(' ', normalize-space(@class), ' '), ' " c " ')]"

/* ---- memory: freed after each test, even one that fails ---- */

static void **g_kept;
static size_t g_kept_n, g_kept_cap;
static htmlDocPtr *g_docs;
static size_t g_doc_n, g_doc_cap;

static void *keep(void *p)
{
	if (g_kept_n == g_kept_cap) {
		g_kept_cap = g_kept_cap ? 2 * g_kept_cap : 256;
		g_kept = realloc(g_kept, g_kept_cap * sizeof *g_kept);
	}
	g_kept[g_kept_n++] = p;
	return p;
}

static int free_kept(void **state)
{
	(void)state;
	for (size_t i = 0; i < g_kept_n; i++)
		free(g_kept[i]);
	g_kept_n = 0;
	for (size_t i = 0; i < g_doc_n; i++)
		xmlFreeDoc(g_docs[i]);
	g_doc_n = 0;
	return 0;
}

static char *fmt(const char *f, ...)
{
	va_list ap;
	char *s = NULL;
	va_start(ap, f);
	if (vasprintf(&s, f, ap) < 0)
		abort();
	va_end(ap);
	return keep(s);
}

/* ---- the archives ---- */

/* What an archive holds: ARTICLES articles, PARTIES parties, PROPOSALS
 * proposals, each with STANCES positions. */
struct shape {
	int articles, parties, proposals, stances;
};

/* The article IDs: a0, a1... except article 1, "2011", an ID that is
 * also the name of a year's folder. */
static const char *article_id(int i)
{
	return i == 1 ? "2011" : fmt("a%d", i);
}

/* Years: the first eighth 2010, the next eighth 2011, the rest 2012
 * (more than a page's 1,000 in the big archive). */
static int article_year(const struct shape *s, int i)
{
	if (i < s->articles / 8)
		return 2010;
	if (i < 2 * (s->articles / 8))
		return 2011;
	return 2012;
}

static int articles_in(const struct shape *s, int year)
{
	int n = 0;
	for (int i = 0; i < s->articles; i++)
		n += article_year(s, i) == year;
	return n;
}

/* Every tenth article is dated only to the year, the next only to a
 * month, the others to a day. */
static const char *article_date(const struct shape *s, int i)
{
	int y = article_year(s, i);
	if (i % 10 == 0)
		return fmt("%d", y);
	if (i % 10 == 1)
		return fmt("%d-03", y);
	return fmt("%d-%02d-%02d", y, 1 + i % 12, 1 + i % 28);
}

static const char *const stance_names[] = {"accepted", "rejected",
					   "conditional", "undecided"};

/* Position K of proposal J: the party, its stance, its source. */
static int position_party(const struct shape *s, int j, int k)
{
	return (j + k) % s->parties;
}

static int position_stance(int j, int k)
{
	return (j + 2 * k) % 4;
}

static int position_source(const struct shape *s, int j)
{
	return j % s->articles;
}

static void write_archive(const char *dir, const struct shape *s)
{
	put_file(dir, "archive.yaml", "title: Lists\n", -1);
	for (int p = 0; p < s->parties; p++)
		put_file(dir, fmt("parties/p%d.md", p),
			 fmt("---\nname: Group %d\n---\nGroup %d.\n", p, p),
			 -1);
	for (int i = 0; i < s->articles; i++) {
		/* Every article mentions Group 0, and one other. */
		char *text = fmt("Headline %d\nGroup 0 and Group %d talked in "
				 "report %d.\n",
				 i, i % s->parties, i);
		for (int k = 0; k < s->stances; k++)
			text = fmt("%sLine %d of report %d.\n", text, k, i);
		put_file(dir, fmt("articles/%s.txt", article_id(i)), text, -1);
		/* Every third article has a note that links Group 1. */
		put_file(dir, fmt("articles/%s.md", article_id(i)),
			 fmt("---\noutlet: Wire\ndate: %s\n---\nReport %d.\n%s",
			     article_date(s, i), i,
			     i % 3 ? ""
				   : fmt("\n> talked in report %d.\n\nOn "
					 "[Group 1](party:p1).\n", i)),
			 -1);
	}
	for (int j = 0; j < s->proposals; j++) {
		char *md = fmt("---\ntitle: Proposal %d\ndate: %d-%02d\n"
			       "proposed_by: [p%d]\npositions:\n",
			       j, 2010 + j % 3, 1 + j % 12, j % s->parties);
		int src = position_source(s, j);
		for (int k = 0; k < s->stances; k++)
			md = fmt("%s  - party: p%d\n    stance: %s\n"
				 "    source: %s\n"
				 "    quote: \"Line %d of report %d.\"\n",
				 md, position_party(s, j, k),
				 stance_names[position_stance(j, k)],
				 article_id(src), k, src);
		put_file(dir, fmt("proposals/q%d.md", j),
			 fmt("%s---\nProposal %d.\n", md, j), -1);
	}
}

static char *g_tmp;

/* Writes archive NAME of shape S and builds it with THEME_DIR; returns
 * the output folder (kept for the group) or NULL when the build fails. */
static char *build(const char *name, const struct shape *s,
		   const char *theme_dir)
{
	char *content = NULL, *out = NULL;
	if (asprintf(&content, "%s/%s", g_tmp, name) < 0 ||
	    asprintf(&out, "%s/%s-out", g_tmp, name) < 0)
		abort();
	mkdir(content, 0777);
	write_archive(content, s);
	const char *args[] = {"build", "--no-history", "-q", "-C", content,
			      "-t",    theme_dir,      "-o", out,  NULL};
	struct run_result r = run_gloss(args);
	if (r.status != 0) {
		fprintf(stderr, "build of %s: exit %d\n%s", name, r.status,
			r.err);
		free(out);
		out = NULL;
	}
	run_result_free(&r);
	free(content);
	return out;
}

/* The archives: BIG has 1,500 articles (1,126 of them in 2012), 200
 * proposals with 3 positions each, and 25 parties; SMALL a tenth of its
 * articles and proposals; GRID and SPARSE the largest matrix shown as a
 * grid (20 parties × 20 proposals) and one party more. */
static const struct shape big = {1500, 25, 200, 3};
static const struct shape small = {150, 25, 20, 3};
static const struct shape grid = {20, 20, 20, 20};
static const struct shape sparse = {20, 21, 20, 20};
static char *g_big, *g_small, *g_grid, *g_sparse, *g_plain, *g_long;
static char *g_big_plain;

/* LONG: 120 proposals, each made by Group 0, mediated by Group 2,
 * addressed to Group 1, with Group 1's position quoting line J of the
 * one article; proposal J is dated LONG_YEAR(J). */
#define LONG_PROPOSALS 120
#define LONG_YEAR(j) (2010 + (j) % 3)

static char *build_long(void)
{
	char *content = NULL, *out = NULL;
	if (asprintf(&content, "%s/long", g_tmp) < 0 ||
	    asprintf(&out, "%s/long-out", g_tmp) < 0)
		abort();
	mkdir(content, 0777);
	put_file(content, "archive.yaml", "title: Lists\n", -1);
	for (int p = 0; p < 3; p++)
		put_file(content, fmt("parties/p%d.md", p),
			 fmt("---\nname: Group %d\n---\nGroup %d.\n", p, p),
			 -1);
	char *text = "Headline\n";
	for (int j = 0; j < LONG_PROPOSALS; j++)
		text = fmt("%sLine %d of the report.\n", text, j);
	put_file(content, "articles/a0.txt", text, -1);
	put_file(content, "articles/a0.md",
		 "---\noutlet: Wire\ndate: 2012-12-01\n---\nReport.\n", -1);
	for (int j = 0; j < LONG_PROPOSALS; j++)
		put_file(content, fmt("proposals/q%d.md", j),
			 fmt("---\ntitle: Proposal %d\ndate: %d-%02d\n"
			     "proposed_by: [p0]\nmediators: [p2]\n"
			     "addressed_to: [p1]\npositions:\n"
			     "  - party: p1\n    stance: accepted\n"
			     "    date: %d-%02d\n    source: a0\n"
			     "    quote: \"Line %d of the report.\"\n"
			     "---\nProposal %d.\n",
			     j, LONG_YEAR(j), 1 + j % 12, LONG_YEAR(j),
			     1 + j % 12, j, j),
			 -1);
	const char *args[] = {"build", "--no-history", "-q", "-C", content,
			      "-t",    THEME,          "-o", out,  NULL};
	struct run_result r = run_gloss(args);
	if (r.status != 0) {
		fprintf(stderr, "build of long: exit %d\n%s", r.status, r.err);
		free(out);
		out = NULL;
	}
	run_result_free(&r);
	free(content);
	return out;
}

static int group_setup(void **state)
{
	(void)state;
	xmlInitParser();
	/* Thousands of small files: in memory when the machine has a tmpfs
	 * there, as creating them on disk can take long. */
	char shm[] = "/dev/shm/gloss-test-XXXXXX";
	g_tmp = mkdtemp(shm) ? strdup(shm) : temp_dir();
	g_big = build("big", &big, THEME);
	g_small = build("small", &small, THEME);
	g_grid = build("grid", &grid, THEME);
	g_sparse = build("sparse", &sparse, THEME);
	g_plain = build("plain", &small, "themes/plain");
	g_long = build_long();
	g_big_plain = build("bigplain", &big, "themes/plain");
	free_kept(NULL);
	return g_big && g_small && g_grid && g_sparse && g_plain && g_long &&
		       g_big_plain
		   ? 0
		   : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	free_kept(NULL);
	free(g_kept);
	free(g_docs);
	remove_dir(g_tmp);
	free(g_tmp);
	free(g_big);
	free(g_small);
	free(g_grid);
	free(g_sparse);
	free(g_plain);
	free(g_long);
	free(g_big_plain);
	return 0;
}

/* ---- reading pages ---- */

static htmlDocPtr page(const char *site, const char *rel)
{
	htmlDocPtr doc = load_page(site, rel);
	if (!doc)
		fail_msg("missing page %s", rel);
	if (g_doc_n == g_doc_cap) {
		g_doc_cap = g_doc_cap ? 2 * g_doc_cap : 64;
		g_docs = realloc(g_docs, g_doc_cap * sizeof *g_docs);
	}
	g_docs[g_doc_n++] = doc;
	return doc;
}

static int N(htmlDocPtr doc, const char *xpath)
{
	char *s = xpath_string(doc, fmt("count(%s)", xpath));
	int n = atoi(s);
	free(s);
	return n;
}

static const char *S(htmlDocPtr doc, const char *xpath)
{
	return keep(xpath_string(doc, xpath));
}

/* The string values of the nodes XPATH selects, in document order. */
struct strs {
	const char **v;
	size_t n;
};

static struct strs texts(htmlDocPtr doc, const char *xpath)
{
	struct strs r = {0};
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr obj = xmlXPathEvalExpression(BAD_CAST xpath, ctx);
	int n = obj && obj->nodesetval ? obj->nodesetval->nodeNr : 0;
	r.v = keep(calloc((size_t)n + 1, sizeof *r.v));
	for (int i = 0; i < n; i++) {
		xmlChar *s = xmlNodeGetContent(obj->nodesetval->nodeTab[i]);
		r.v[r.n++] = keep(strdup((const char *)s));
		xmlFree(s);
	}
	xmlXPathFreeObject(obj);
	xmlXPathFreeContext(ctx);
	return r;
}

static long file_size(const char *site, const char *rel)
{
	struct stat st;
	if (stat(fmt("%s/%s", site, rel), &st) != 0)
		fail_msg("missing file %s", rel);
	return (long)st.st_size;
}

/* REL resolved against the folder of page FROM (both from the site's
 * root): "articles/2012/index.html" + "2.html". */
static const char *resolve(const char *from, const char *rel)
{
	const char *hash = strchr(rel, '#');
	char *path =
	    fmt("%.*s", (int)(hash ? hash - rel : (long)strlen(rel)), rel);
	const char *slash = strrchr(from, '/');
	char *dir = fmt("%.*s", slash ? (int)(slash - from + 1) : 0, from);
	while (strncmp(path, "../", 3) == 0) {
		path += 3;
		size_t len = strlen(dir);
		if (len == 0)
			fail_msg("link %s climbs out of the site from %s", rel,
				 from);
		dir[len - 1] = '\0';
		char *up = strrchr(dir, '/');
		if (up)
			up[1] = '\0';
		else
			dir[0] = '\0';
	}
	return fmt("%s%s", dir, path);
}

/* The pages of a list cut by year, found by following the links of its
 * index (the years) and of each year's first page (its parts). */
static struct strs year_pages(const char *site, const char *index)
{
	struct strs years =
	    texts(page(site, index), "//main//ul" CLS("years") "/li/a/@href");
	struct strs all = {keep(calloc(64, sizeof *all.v)), 0};
	for (size_t y = 0; y < years.n; y++) {
		const char *first = resolve(index, years.v[y]);
		all.v[all.n++] = first;
		struct strs parts = texts(
		    page(site, first), "//main//ol" CLS("parts") "//a/@href");
		for (size_t k = 0; k < parts.n && all.n < 63; k++)
			all.v[all.n++] = resolve(first, parts.v[k]);
	}
	return all;
}

/* The number after PREFIX in S ("../../proposals/q12.html",
 * "proposals/q" gives 12), or -1. */
static int number_after(const char *s, const char *prefix)
{
	const char *p = strstr(s, prefix);
	return p ? atoi(p + strlen(prefix)) : -1;
}

/* The index of string S among the N of V, or -1. */
static int find(const char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return (int)i;
	return -1;
}

/* ---- articles by year ---- */

/* Each year has its page, with the years and a link back to the list;
 * a year of more than 1,000 articles continues on a second page. */
static void test_article_year_pages(void **state)
{
	(void)state;
	htmlDocPtr index = page(g_big, "articles/index.html");
	assert_int_equal(N(index, "//main//ul" CLS("years") "/li"), 3);
	assert_string_equal(
	    S(index, "string(//main//ul" CLS("years") "/li[1]/a/@href)"),
	    "../articles/2010/index.html");
	assert_string_equal(
	    S(index, "normalize-space(//main//ul" CLS("years") "/li[3])"),
	    fmt("2012 %d articles", articles_in(&big, 2012)));
	struct strs pages = year_pages(g_big, "articles/index.html");
	assert_int_equal(pages.n, 4);
	assert_string_equal(pages.v[3], "articles/2012/2.html");
	for (size_t i = 0; i < pages.n; i++) {
		htmlDocPtr doc = page(g_big, pages.v[i]);
		/* Back to the list, and to the other years. */
		assert_int_equal(N(doc, "//nav[@aria-label='Breadcrumb']//a"
					"[@href='../../articles/index.html']"),
				 1);
		assert_int_equal(N(doc, "//main//ul" CLS("years") "/li/a"), 2);
		assert_int_equal(
		    N(doc, "//main//ul" CLS(
			       "years") "/li/span[@aria-current='page']"),
		    1);
		/* At most a page's worth. */
		assert_in_range(N(doc, "//main//div" CLS("list") "//ol/li"), 1,
				1000);
	}
	htmlDocPtr last = page(g_big, "articles/2012/2.html");
	assert_string_equal(S(last, "string(//h1)"),
			    "Articles, 2012 (page 2 of 2)");
	assert_int_equal(N(last, "//main//ol" CLS("parts") "/li"), 2);
	assert_int_equal(
	    N(last,
	      "//main//ol" CLS("parts") "/li[2]/span[@aria-current='page']"),
	    1);
}

/* Every article is on exactly one year's page, the page of its year,
 * in date order; one dated only to the year is listed under the year. */
static void test_every_article_once(void **state)
{
	(void)state;
	int n = big.articles;
	const char **ids = keep(calloc((size_t)n, sizeof *ids));
	int *seen = keep(calloc((size_t)n, sizeof *seen));
	for (int i = 0; i < n; i++)
		ids[i] = fmt("../../articles/%s.html", article_id(i));
	struct strs pages = year_pages(g_big, "articles/index.html");
	int total = 0;
	for (size_t k = 0; k < pages.n; k++) {
		htmlDocPtr doc = page(g_big, pages.v[k]);
		int year = atoi(pages.v[k] + strlen("articles/"));
		struct strs links =
		    texts(doc, "//main//div" CLS("list") "//ol/li/a/@href");
		struct strs dates = texts(
		    doc, "//main//div" CLS("list") "//ol/li/time/@datetime");
		assert_int_equal(links.n, dates.n);
		for (size_t j = 0; j < links.n; j++) {
			int i = find(ids, (size_t)n, links.v[j]);
			if (i < 0)
				fail_msg("%s lists %s", pages.v[k], links.v[j]);
			seen[i]++;
			total++;
			assert_int_equal(article_year(&big, i), year);
			assert_string_equal(dates.v[j], article_date(&big, i));
			/* Dates never go back (ISO dates of one year sort as
			 * strings; a year alone comes first). */
			if (j > 0)
				assert_true(
				    strcmp(dates.v[j - 1], dates.v[j]) <= 0);
		}
	}
	assert_int_equal(total, n);
	for (int i = 0; i < n; i++)
		if (seen[i] != 1)
			fail_msg("%s is on %d year pages", article_id(i),
				 seen[i]);
	/* Article 0 is dated only to 2010: under its own heading. */
	htmlDocPtr y2010 = page(g_big, "articles/2010/index.html");
	assert_string_equal(
	    S(y2010, "normalize-space((//main//div" CLS("list") "/h2)[1])"),
	    "Dated only to 2010");
	assert_string_equal(
	    S(y2010,
	      "string((//main//div" CLS(
		  "list") "/h2)[1]/following-sibling::ol[1]/li[1]/a/@href)"),
	    "../../articles/a0.html");
}

/* An article whose ID is a year keeps its page beside the year's
 * folder. */
static void test_year_id_does_not_collide(void **state)
{
	(void)state;
	assert_string_equal(
	    S(page(g_big, "articles/2011.html"), "string(//h1)"), "Headline 1");
	assert_string_equal(
	    S(page(g_big, "articles/2011/index.html"), "string(//h1)"),
	    "Articles, 2011");
}

/* ---- proposals by year ---- */

static void test_every_proposal_once(void **state)
{
	(void)state;
	int n = big.proposals;
	int *seen = keep(calloc((size_t)n, sizeof *seen));
	struct strs pages = year_pages(g_big, "proposals/index.html");
	assert_int_equal(pages.n, 3);
	for (size_t k = 0; k < pages.n; k++) {
		htmlDocPtr doc = page(g_big, pages.v[k]);
		int year = atoi(pages.v[k] + strlen("proposals/"));
		struct strs links = texts(doc, "//main//table//th/a/@href");
		for (size_t j = 0; j < links.n; j++) {
			int q = number_after(links.v[j], "../../proposals/q");
			if (q < 0 || q >= n)
				fail_msg("%s lists %s", pages.v[k], links.v[j]);
			seen[q]++;
			assert_int_equal(2010 + q % 3, year);
		}
	}
	for (int q = 0; q < n; q++)
		if (seen[q] != 1)
			fail_msg("q%d is on %d year pages", q, seen[q]);
	/* The list's own page: the 20 latest, newest first. */
	htmlDocPtr index = page(g_big, "proposals/index.html");
	assert_int_equal(N(index, "//main//section" CLS("latest") "//tbody/tr"),
			 20);
	assert_string_equal(
	    S(index, "string(//main//section" CLS(
			 "latest") "//tbody/tr[1]/td[1]/time/@datetime)"),
	    "2012-12");
}

/* ---- positions ---- */

/* Up to 400 cells the matrix is a grid: 20 parties × 20 proposals. */
static void test_small_matrix_is_a_grid(void **state)
{
	(void)state;
	htmlDocPtr doc = page(g_grid, "positions.html");
	assert_int_equal(N(doc, "//table" CLS("matrix")), 1);
	assert_int_equal(N(doc, "//table" CLS("matrix") "/tbody/tr"), 20);
	assert_int_equal(N(doc, "//table" CLS("matrix") "/thead/tr/th"), 21);
	assert_int_equal(N(doc, "//table" CLS("matrix") "//td//a"
							"/span" CLS("stance")),
			 400);
	assert_int_equal(N(doc, "//ol" CLS("stances-list")), 0);
	assert_false(path_exists(g_grid, "positions/2010/index.html"));
	/* The home page shows it whole. */
	assert_int_equal(
	    N(page(g_grid, "index.html"), "//table" CLS("matrix") "/tbody/tr"),
	    20);
}

/* Checks that the stances listed on DOC are real positions of SHAPE,
 * each once, linked to its evidence; counts them into SEEN. */
static void check_stances(htmlDocPtr doc, const struct shape *s, int *seen)
{
	struct strs props =
	    texts(doc, "//main//ol" CLS("stances-list") "/li/p" CLS(
			   "stances-head") "/a/@href");
	for (size_t i = 0; i < props.n; i++) {
		int j = number_after(props.v[i], "proposals/q");
		assert_in_range(j, 0, s->proposals - 1);
		const char *item =
		    fmt("(//main//ol" CLS("stances-list") "/li)[%zu]/ul" CLS(
			    "stances") "/li",
			i + 1);
		struct strs parties = texts(doc, fmt("%s/a[1]/@href", item));
		struct strs stances =
		    texts(doc, fmt("%s/a" CLS("stance-link") "/span", item));
		struct strs evidence =
		    texts(doc, fmt("%s/a" CLS("stance-link") "/@href", item));
		assert_int_equal(parties.n, (size_t)s->stances);
		assert_int_equal(stances.n, parties.n);
		assert_int_equal(evidence.n, parties.n);
		for (size_t k = 0; k < parties.n; k++) {
			int p = number_after(parties.v[k], "parties/p");
			/* Position k of proposal j, as written. */
			assert_int_equal(p, position_party(s, j, (int)k));
			const char *word =
			    stance_names[position_stance(j, (int)k)];
			assert_non_null(strstr(stances.v[k], word));
			assert_non_null(
			    strstr(evidence.v[k],
				   fmt("articles/%s.html#pp-",
				       article_id(position_source(s, j)))));
			seen[j * s->stances + (int)k]++;
		}
	}
}

/* Beyond 400 cells: no grid, proposals by year with only the stances
 * taken, every position exactly once. */
static void test_large_matrix_is_listed(void **state)
{
	(void)state;
	const struct shape *shapes[] = {&sparse, &big};
	const char *sites[] = {g_sparse, g_big};
	for (size_t a = 0; a < 2; a++) {
		const struct shape *s = shapes[a];
		htmlDocPtr doc = page(sites[a], "positions.html");
		assert_int_equal(N(doc, "//table" CLS("matrix")), 0);
		assert_int_equal(N(doc, "//td"), 0);
		int n = s->proposals * s->stances;
		int *seen = keep(calloc((size_t)n, sizeof *seen));
		struct strs pages = year_pages(sites[a], "positions.html");
		assert_int_equal(pages.n, 3);
		for (size_t k = 0; k < pages.n; k++) {
			htmlDocPtr y = page(sites[a], pages.v[k]);
			assert_int_equal(N(y, "//table"), 0);
			check_stances(y, s, seen);
		}
		for (int i = 0; i < n; i++)
			if (seen[i] != 1)
				fail_msg("position %d of q%d listed %d times",
					 i % s->stances, i / s->stances,
					 seen[i]);
		/* positions.html shows the latest, with their stances. */
		int *latest = keep(calloc((size_t)n, sizeof *latest));
		check_stances(doc, s, latest);
		assert_int_equal(N(doc, "//main//ol" CLS("stances-list") "/li"),
				 20);
	}
}

/* ---- the home page ---- */

/* Ten articles, ten proposals and a matrix of recent proposals (at most
 * 6 × 12 cells), however large the archive: the page is about the same
 * size at 1,500 articles as at 150. */
static void test_home_page_bounded(void **state)
{
	(void)state;
	htmlDocPtr doc = page(g_big, "index.html");
	assert_int_equal(N(doc, "//main//section" CLS("latest") "//ol/li"), 10);
	assert_int_equal(N(doc, "//main//section[.//h2='Latest proposals']"
				"//tbody/tr"),
			 10);
	assert_in_range(N(doc, "//table" CLS("matrix") "/thead/tr/th"), 2, 7);
	assert_in_range(N(doc, "//table" CLS("matrix") "/tbody/tr"), 1, 12);
	/* The matrix's proposals are the latest with positions: last the
	 * last of those dated December 2012 (j % 3 == 2, j % 12 == 11) by
	 * ID, as IDs sort: q95. */
	assert_string_equal(
	    S(doc,
	      "string(//table" CLS("matrix") "/thead/tr/th[last()]/a/@href)"),
	    "proposals/q95.html");
	long at_big = file_size(g_big, "index.html");
	long at_small = file_size(g_small, "index.html");
	print_message("home page: %ld bytes at 1,500 articles, %ld at 150\n",
		      at_big, at_small);
	assert_true(at_big < at_small + at_small / 4);
	assert_true(at_big < 40000);
}

/* ---- a party's articles ---- */

/* Group 0 is mentioned by all 1,500 articles: its page lists the 50
 * with the most mentions and links the rest, on pages by date. */
static void test_party_page_bounded(void **state)
{
	(void)state;
	htmlDocPtr doc = page(g_big, "parties/p0.html");
	const char *sec = "//section[@aria-labelledby='articles-heading']";
	assert_int_equal(N(doc, fmt("%s/div/ul/li", sec)), 50);
	assert_string_equal(
	    S(doc, fmt("string(%s//div" CLS("more") "/p/a/@href)", sec)),
	    "../parties/p0/articles/index.html");
	assert_int_equal(N(doc, fmt("%s//ul" CLS("years") "/li", sec)), 3);
	long at_big = file_size(g_big, "parties/p0.html");
	long at_small = file_size(g_small, "parties/p0.html");
	print_message("party page: %ld bytes at 1,500 articles, %ld at 150\n",
		      at_big, at_small);
	/* Listing all 1,500 would take some 150 kB; the 50 take 10. */
	assert_true(at_big < 60000);

	/* The full list: every article once, by date, pages of at most
	 * 1,000, each year under its heading. */
	int n = big.articles;
	const char **ids = keep(calloc((size_t)n, sizeof *ids));
	int *seen = keep(calloc((size_t)n, sizeof *seen));
	for (int i = 0; i < n; i++)
		ids[i] = fmt("../../../articles/%s.html", article_id(i));
	const char *first = "parties/p0/articles/index.html";
	htmlDocPtr list = page(g_big, first);
	struct strs parts = texts(list, "//main//ol" CLS("parts") "//a/@href");
	assert_int_equal(parts.n, 1);
	const char *pages[] = {first, resolve(first, parts.v[0])};
	assert_string_equal(pages[1], "parties/p0/articles/2.html");
	const char *last = "";
	for (size_t k = 0; k < 2; k++) {
		htmlDocPtr p = page(g_big, pages[k]);
		assert_int_equal(N(p, "//nav[@aria-label='Breadcrumb']//a"
				      "[@href='../../../parties/p0.html']"),
				 1);
		struct strs links =
		    texts(p, "//main//section" CLS("year") "/ol/li/a/@href");
		struct strs dates = texts(
		    p, "//main//section" CLS("year") "/ol/li/time/@datetime");
		assert_in_range(links.n, 1, 1000);
		for (size_t j = 0; j < links.n; j++) {
			int i = find(ids, (size_t)n, links.v[j]);
			assert_true(i >= 0);
			seen[i]++;
			/* By date: years never go back. */
			assert_true(strncmp(last, dates.v[j], 4) <= 0);
			last = dates.v[j];
		}
	}
	for (int i = 0; i < n; i++)
		assert_int_equal(seen[i], 1);
}

/* ---- what links a party ---- */

/* 500 notes link Group 1 in BIG: its page shows the 50 latest, newest
 * first, and links pages that hold all 500 by date; in SMALL, 50 notes
 * all show on the page and there are no such pages. */
static void test_linking_notes_bounded(void **state)
{
	(void)state;
	const char *sec = "//section[@aria-labelledby='notes-heading']";
	htmlDocPtr doc = page(g_big, "parties/p1.html");
	struct strs shown = texts(doc, fmt("%s//ul" CLS("referrers")
					   "/li/p/a/@href", sec));
	assert_int_equal(shown.n, 50);
	/* Newest first: years never go forward down the list, and the
	 * first is the archive's last year. */
	struct strs when = texts(doc, fmt("%s//ul" CLS("referrers")
					  "/li/p/time/@datetime", sec));
	assert_int_equal(when.n, 50);
	assert_int_equal(strncmp(when.v[0], "2012", 4), 0);
	for (size_t j = 1; j < when.n; j++)
		assert_true(strncmp(when.v[j - 1], when.v[j], 4) >= 0);
	assert_string_equal(
	    S(doc, fmt("string(%s//div" CLS("more") "/p/a/@href)", sec)),
	    "../parties/p1/notes/index.html");

	int n = big.articles;
	const char **ids = keep(calloc((size_t)n, sizeof *ids));
	int *seen = keep(calloc((size_t)n, sizeof *seen));
	for (int i = 0; i < n; i++)
		ids[i] = fmt("../../../articles/%s.html", article_id(i));
	const char *first = "parties/p1/notes/index.html";
	htmlDocPtr list = page(g_big, first);
	struct strs parts = texts(list, "//main//ol" CLS("parts") "//a/@href");
	assert_int_equal(parts.n, 2); /* 500 in pages of 200 */
	const char *pages[] = {first, resolve(first, parts.v[0]),
			       resolve(first, parts.v[1])};
	size_t total = 0;
	for (size_t k = 0; k < 3; k++) {
		htmlDocPtr p = page(g_big, pages[k]);
		struct strs links = texts(p, "//main//section" CLS("year")
					     "/ul" CLS("referrers")
					     "/li/p/a/@href");
		assert_in_range(links.n, 1, 200);
		total += links.n;
		for (size_t j = 0; j < links.n; j++) {
			char *id = strdup(links.v[j]);
			*strchr(id, '#') = '\0';
			int i = find(ids, (size_t)n, id);
			assert_true(i >= 0 && i % 3 == 0);
			seen[i]++;
			free(id);
		}
	}
	assert_int_equal(total, 500);
	for (int i = 0; i < n; i += 3)
		assert_int_equal(seen[i], 1);

	htmlDocPtr few = page(g_small, "parties/p1.html");
	assert_int_equal(N(few, fmt("%s//ul" CLS("referrers") "/li", sec)), 50);
	assert_int_equal(N(few, fmt("%s//div" CLS("more"), sec)), 0);
	assert_false(path_exists(g_small, "parties/p1/notes"));
}

/* ---- a party's long lists ---- */

/* In LONG, each of a party's lists holds 120 proposals: the party's page
 * shows the 50 latest, newest first, and links pages that hold all 120
 * once each, by date, each year under its heading. */
static void check_long_list(const char *party, const char *slot,
			    const char *items, const char *folder)
{
	const char *sec = fmt("//section[@aria-labelledby='%s-heading']", slot);
	htmlDocPtr doc = page(g_long, fmt("parties/%s.html", party));
	struct strs when = texts(doc, fmt("%s%s//time/@datetime", sec, items));
	assert_int_equal(when.n, 50);
	assert_int_equal(strncmp(when.v[0], "2012", 4), 0);
	for (size_t j = 1; j < when.n; j++)
		assert_true(strcmp(when.v[j - 1], when.v[j]) >= 0);
	assert_string_equal(
	    S(doc, fmt("string(%s//div" CLS("more") "/p/a/@href)", sec)),
	    fmt("../parties/%s/%s/index.html", party, folder));
	assert_int_equal(N(doc, fmt("%s//ul" CLS("years") "/li", sec)), 3);

	const char **ids = keep(calloc(LONG_PROPOSALS, sizeof *ids));
	int *seen = keep(calloc(LONG_PROPOSALS, sizeof *seen));
	for (int j = 0; j < LONG_PROPOSALS; j++)
		ids[j] = fmt("../../../proposals/q%d.html", j);
	htmlDocPtr list =
	    page(g_long, fmt("parties/%s/%s/index.html", party, folder));
	assert_int_equal(
	    N(list, fmt("//nav[@aria-label='Breadcrumb']//a"
			"[@href='../../../parties/%s.html']", party)),
	    1);
	struct strs years =
	    texts(list, "//main//section" CLS("year") "/h2");
	assert_int_equal(years.n, 3);
	struct strs links = texts(
	    list, fmt("//main//section" CLS("year") "%s//a"
		      "[starts-with(@href, '../../../proposals/')]/@href",
		      items));
	assert_int_equal(links.n, LONG_PROPOSALS);
	for (size_t k = 0; k < links.n; k++) {
		int j = find(ids, LONG_PROPOSALS, links.v[k]);
		assert_true(j >= 0);
		seen[j]++;
		/* By date: years never go back. */
		int year = 2010 + (int)(k * 3 / LONG_PROPOSALS);
		assert_int_equal(LONG_YEAR(j), year);
	}
	for (int j = 0; j < LONG_PROPOSALS; j++)
		assert_int_equal(seen[j], 1);
}

static void test_party_long_lists(void **state)
{
	(void)state;
	check_long_list("p1", "positions", "//table" CLS("positions") "//tr",
			"positions");
	check_long_list("p0", "proposed", "//ul/li", "proposed");
	check_long_list("p2", "mediated", "//ul/li", "mediated");
	check_long_list("p1", "addressed", "//ul/li", "addressed");
	/* Every position quotes its evidence, on the pages too. */
	htmlDocPtr list = page(g_long, "parties/p1/positions/index.html");
	assert_int_equal(N(list, "//main//table//td/q"),
			 LONG_PROPOSALS);
	/* Short lists stay whole on the page, with no pages of their own. */
	htmlDocPtr big_p0 = page(g_big, "parties/p0.html");
	assert_int_equal(
	    N(big_p0, "//section[@aria-labelledby='positions-heading']"
		      "//div" CLS("more")),
	    0);
	assert_false(path_exists(g_big, "parties/p0/positions"));
}

/* The plain theme's search page lists every entry of SMALL (195), but
 * links the lists of BIG (1,725 entries, over the 1,000 it lists). */
static void test_plain_search_bounded(void **state)
{
	(void)state;
	htmlDocPtr few = page(g_plain, "search.html");
	assert_int_equal(N(few, "//main//a[starts-with(@href, 'articles/')]"),
			 small.articles);
	htmlDocPtr many = page(g_big_plain, "search.html");
	assert_int_equal(N(many, "//main//a[starts-with(@href, 'articles/a')]"),
			 0);
	assert_int_equal(N(many, "//main//a[@href='articles/index.html']"), 1);
	assert_int_equal(N(many, "//main//a[@href='proposals/index.html']"), 1);
	assert_int_equal(N(many, "//main//a[@href='parties/index.html']"), 1);
	assert_non_null(strstr(S(many, "string(//main)"),
			       "1500 articles, 200 proposals and 25 parties, "
			       "too many for one page"));
	assert_true(file_size(g_big_plain, "search.html") < 20000);
}

/* ---- the timeline ---- */

#define CHART "//svg" CLS("tl-svg")

/* 25 parties propose and take positions: 12 get lanes, the other 13
 * share one, counted; the list by date is on a page per year. */
static void test_timeline_bounded(void **state)
{
	(void)state;
	htmlDocPtr doc = page(g_big, "timeline.html");
	assert_int_equal(
	    N(doc, CHART
	      "/g" CLS("tl-lane") "[not("
				  "contains(@class, 'tl-lane-articles'))]"),
	    13);
	assert_string_equal(
	    S(doc, "normalize-space(" CHART "/g" CLS(
		       "tl-lane-counted") "/text" CLS("tl-lane-label") ")"),
	    "Other parties (13)");
	/* Every counted column links to its year's page. */
	struct strs cols = texts(doc, CHART "//a" CLS("tl-counted") "/@href");
	assert_true(cols.n > 0);
	for (size_t i = 0; i < cols.n; i++)
		assert_true(
		    path_exists(g_big, resolve("timeline.html", cols.v[i])));
	assert_int_equal(N(doc, "//ol" CLS("tl-events")), 0);
	assert_true(file_size(g_big, "timeline.html") < 250000);

	/* The pages by year list every entry once. */
	struct strs years = texts(doc, "//main//ul" CLS("years") "/li/a/@href");
	assert_int_equal(years.n, 3);
	size_t events = 0;
	struct strs pages = year_pages(g_big, "timeline.html");
	for (size_t k = 0; k < pages.n; k++) {
		htmlDocPtr y = page(g_big, pages.v[k]);
		int n = N(y, "//ol" CLS("tl-events") "/li");
		assert_in_range(n, 1, 1000);
		events += (size_t)n;
	}
	assert_int_equal(events, (size_t)(big.articles + big.proposals +
					  big.proposals * big.stances));
	assert_string_equal(
	    S(page(g_big, "timeline/2011/index.html"), "string(//h1)"),
	    "Timeline, 2011");
}

/* A small archive keeps its list on the page, and a lane per party. */
static void test_timeline_small_list_inline(void **state)
{
	(void)state;
	htmlDocPtr doc = page(g_grid, "timeline.html");
	assert_int_equal(N(doc, "//ol" CLS("tl-events") "/li"),
			 grid.articles + grid.proposals +
			     grid.proposals * grid.stances);
	assert_false(path_exists(g_grid, "timeline/2010/index.html"));
}

/* ---- the plain theme ---- */

static void test_plain_theme(void **state)
{
	(void)state;
	htmlDocPtr doc = page(g_plain, "articles/index.html");
	assert_int_equal(N(doc, "//main//ul" CLS("years") "/li/a"), 3);
	doc = page(g_plain, "articles/2012/index.html");
	assert_string_equal(S(doc, "string(//h1)"), "Articles, 2012");
	assert_int_equal(N(doc, "//main//ol/li/a"), articles_in(&small, 2012));
	doc = page(g_plain, "positions.html");
	assert_int_equal(N(doc, "//ol" CLS("stances-list") "/li"), 20);
}

#define T_(f) cmocka_unit_test_teardown(f, free_kept)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T_(test_article_year_pages),
	    T_(test_every_article_once),
	    T_(test_year_id_does_not_collide),
	    T_(test_every_proposal_once),
	    T_(test_small_matrix_is_a_grid),
	    T_(test_large_matrix_is_listed),
	    T_(test_home_page_bounded),
	    T_(test_party_page_bounded),
	    T_(test_linking_notes_bounded),
	    T_(test_party_long_lists),
	    T_(test_plain_search_bounded),
	    T_(test_timeline_bounded),
	    T_(test_timeline_small_list_inline),
	    T_(test_plain_theme),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
