/* End-to-end tests of timeline.html: the chart drawn as inline SVG and the
 * list by date.
 *
 * The golden archive (tests/golden/basic/content) is built once; small
 * archives written into temporary folders cover day, month and year
 * precision side by side, an empty archive, an archive without proposals,
 * long axes with a gap, and many articles counted per month.
 *
 * Expected values come from the fixtures and the rules of the page, not
 * from gloss's output: a date is drawn across the stretch of the axis its
 * precision covers, years share the axis equally (the axis line gives its
 * ends), a day is a point. Class names come from themes/default and
 * generator/timeline.c: tl-proposal, tl-position and tl-articles on the
 * marks' links; tl-span-year, tl-span-month and tl-point on their shapes. */
#include "harness.h"

#include <math.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#define CONTENT "tests/golden/basic/content"
#define THEME "themes/default"

/* An XPath predicate: the element has class C. */
#define CLS(c)                                                                 \
	"[contains(concat(' ', normalize-space(@class), ' '), ' " c " ')]"
#define CHART "//svg" CLS("tl-svg")
#define PROPOSAL_MARKS CHART "//a" CLS("tl-proposal")
#define POSITION_MARKS CHART "//a" CLS("tl-position")
#define ARTICLE_MARKS CHART "//a" CLS("tl-articles")
#define EVENTS "//ol" CLS("tl-events") "/li"

#define EM_DASH "\xe2\x80\x94"
#define EN_DASH "\xe2\x80\x93"

static char *g_tmp; /* the group's temporary folder */
static char *g_out; /* the golden archive, built */

/* ---- memory: freed after each test, even one that fails ---- */

static void **g_kept;
static size_t g_kept_n, g_kept_cap;

static void *keep(void *p)
{
	if (g_kept_n == g_kept_cap) {
		g_kept_cap = g_kept_cap ? 2 * g_kept_cap : 64;
		g_kept = realloc(g_kept, g_kept_cap * sizeof *g_kept);
	}
	g_kept[g_kept_n++] = p;
	return p;
}

static htmlDocPtr *g_docs;
static size_t g_doc_n, g_doc_cap;

static htmlDocPtr keep_doc(htmlDocPtr d)
{
	if (g_doc_n == g_doc_cap) {
		g_doc_cap = g_doc_cap ? 2 * g_doc_cap : 16;
		g_docs = realloc(g_docs, g_doc_cap * sizeof *g_docs);
	}
	g_docs[g_doc_n++] = d;
	return d;
}

static char **g_dirs;
static size_t g_dir_n, g_dir_cap;

static int free_kept(void **state)
{
	(void)state;
	for (size_t i = 0; i < g_kept_n; i++)
		free(g_kept[i]);
	g_kept_n = 0;
	for (size_t i = 0; i < g_doc_n; i++)
		xmlFreeDoc(g_docs[i]);
	g_doc_n = 0;
	for (size_t i = 0; i < g_dir_n; i++) {
		remove_dir(g_dirs[i]);
		free(g_dirs[i]);
	}
	g_dir_n = 0;
	return 0;
}

static char *fmtv(const char *f, va_list ap)
{
	char *s = NULL;
	if (vasprintf(&s, f, ap) < 0)
		abort();
	return keep(s);
}

static char *fmt(const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	char *s = fmtv(f, ap);
	va_end(ap);
	return s;
}

/* ---- XPath ---- */

/* How many nodes an XPath selects (libxml2 may give no node set at all
 * for an empty result, so XPath counts them). */
static int N(htmlDocPtr doc, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	char *xp = fmtv(f, ap);
	va_end(ap);
	char *s = keep(xpath_string(doc, fmt("count(%s)", xp)));
	char *end = NULL;
	long n = strtol(s, &end, 10);
	if (!*s || *end)
		fail_msg("XPath %s does not evaluate (\"%s\")", xp, s);
	return (int)n;
}

/* The string value of an XPath, white space normalised. */
static const char *S(htmlDocPtr doc, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	char *xp = fmtv(f, ap);
	va_end(ap);
	return keep(xpath_string(doc, fmt("normalize-space(%s)", xp)));
}

/* A number an XPath gives (an attribute holding a coordinate). */
static double D(htmlDocPtr doc, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	char *xp = fmtv(f, ap);
	va_end(ap);
	char *s = keep(xpath_string(doc, fmt("string(%s)", xp)));
	char *end = NULL;
	double v = strtod(s, &end);
	if (!*s || *end)
		fail_msg("%s is \"%s\", not a number", xp, s);
	return v;
}

/* The normalised string values of what an XPath selects, in order. */
static const char **texts(htmlDocPtr doc, size_t *n, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	char *xp = fmtv(f, ap);
	va_end(ap);
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr obj = xmlXPathEvalExpression(BAD_CAST xp, ctx);
	int k = obj && obj->nodesetval ? obj->nodesetval->nodeNr : 0;
	const char **v = keep(calloc((size_t)k + 1, sizeof *v));
	for (int i = 0; i < k; i++) {
		xmlNodePtr node = obj->nodesetval->nodeTab[i];
		xmlXPathContextPtr c2 = xmlXPathNewContext(doc);
		c2->node = node;
		xmlXPathObjectPtr o2 =
		    xmlXPathEvalExpression(BAD_CAST "normalize-space(.)", c2);
		xmlChar *s = xmlXPathCastToString(o2);
		v[i] = keep(strdup((const char *)s));
		xmlFree(s);
		xmlXPathFreeObject(o2);
		xmlXPathFreeContext(c2);
	}
	xmlXPathFreeObject(obj);
	xmlXPathFreeContext(ctx);
	*n = (size_t)k;
	return v;
}

#define assert_near(got, want, tol)                                            \
	do {                                                                   \
		double g_ = (got), w_ = (want);                                \
		if (fabs(g_ - w_) > (tol))                                     \
			fail_msg("%s is %.2f, want %.2f (within %.2f)", #got,  \
				 g_, w_, (double)(tol));                       \
	} while (0)

/* ---- building archives ---- */

/* Builds the archive written from FILES (pairs of path and contents,
 * ended by NULL) and returns the site's folder; the test fails when gloss
 * does not succeed. */
static const char *build_files(const char *const *files)
{
	char *dir = temp_dir();
	if (g_dir_n == g_dir_cap) {
		g_dir_cap = g_dir_cap ? 2 * g_dir_cap : 8;
		g_dirs = realloc(g_dirs, g_dir_cap * sizeof *g_dirs);
	}
	g_dirs[g_dir_n++] = dir;
	for (size_t i = 0; files[i]; i += 2)
		put_file(dir, fmt("content/%s", files[i]), files[i + 1], -1);
	const char *content = fmt("%s/content", dir);
	const char *out = fmt("%s/out", dir);
	const char *args[] = {"build", "-C", content, "-t",
			      THEME,   "-o", out,     NULL};
	struct run_result r = run_gloss(args);
	if (r.status != 0) {
		print_error("gloss build exited %d:\n%s%s\n", r.status, r.out,
			    r.err);
		run_result_free(&r);
		fail();
	}
	run_result_free(&r);
	return out;
}

static htmlDocPtr timeline(const char *site)
{
	htmlDocPtr doc = load_page(site, "timeline.html");
	if (!doc)
		fail_msg("%s/timeline.html is missing or does not parse", site);
	return keep_doc(doc);
}

/* ---- checks shared by several tests ---- */

/* Every link of timeline.html in SITE leads to a file that exists, and
 * every fragment to exactly one element with that id. */
static void check_links(const char *site)
{
	htmlDocPtr doc = timeline(site);
	size_t n = 0;
	const char **hrefs = texts(doc, &n, "//@href");
	assert_true(n > 0);
	for (size_t i = 0; i < n; i++) {
		const char *h = hrefs[i];
		if (!strncmp(h, "https:", 6) || !strncmp(h, "http:", 5))
			continue;
		const char *hash = strchr(h, '#');
		const char *path = hash ? fmt("%.*s", (int)(hash - h), h) : h;
		if (strstr(path, ".."))
			fail_msg("link \"%s\" leaves the site's root", h);
		if (!*path)
			path = "timeline.html";
		if (!path_exists(site, path))
			fail_msg("link \"%s\": %s does not exist", h, path);
		if (!hash)
			continue;
		htmlDocPtr target = keep_doc(load_page(site, path));
		int ids = N(target, "//*[@id='%s']", hash + 1);
		if (ids != 1)
			fail_msg("link \"%s\": %d elements with that id in %s",
				 h, ids, path);
	}
}

/* The ends of the axis line: where the first year starts, the last ends. */
static void axis_ends(htmlDocPtr doc, double *x1, double *x2)
{
	*x1 = D(doc, "(" CHART "//line" CLS("tl-axis-line") ")[1]/@x1");
	*x2 = D(doc, "(" CHART "//line" CLS("tl-axis-line") ")[1]/@x2");
	assert_true(*x2 > *x1);
}

/* Every mark's link names what it marks with a <title>. */
static void check_titles(htmlDocPtr doc)
{
	int marks =
	    N(doc, CHART "//a" CLS("tl-proposal") " | " CHART "//a" CLS(
		       "tl-position") " | " CHART "//a" CLS("tl-articles"));
	assert_true(marks > 0);
	assert_int_equal(N(doc,
			   CHART "//a[title[1][normalize-space()!='']]"
				 "[contains(@class, 'tl-')]"
				 "[not(contains(@class, 'tl-lane-link'))]"),
			 marks);
	/* The title comes first, so it names the link. */
	assert_int_equal(N(doc,
			   CHART "//a[*[1][not(self::title)]]"
				 "[not(contains(@class, 'tl-lane-link'))]"),
			 0);
}

/* The x at which a diamond's path ("Mx y L...") starts: its top vertex,
 * straight above its centre. */
static double path_x(htmlDocPtr doc, const char *xp)
{
	const char *d = keep(xpath_string(doc, fmt("string(%s/@d)", xp)));
	if (d[0] != 'M')
		fail_msg("%s: path \"%s\" does not start with M", xp, d);
	return strtod(d + 1, NULL);
}

/* The text highlighted after the reference mark whose link has id ID on
 * an article page: the marked pieces that follow it (other reference
 * marks skipped), up to the first text that is not marked. */
static const char *marked_after(htmlDocPtr doc, const char *id)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr obj =
	    xmlXPathEvalExpression(BAD_CAST fmt("//sup/a[@id='%s']", id), ctx);
	xmlNodePtr a = obj && obj->nodesetval && obj->nodesetval->nodeNr == 1
			   ? obj->nodesetval->nodeTab[0]
			   : NULL;
	size_t len = 0;
	char *out = calloc(1, 1);
	for (xmlNodePtr n = a ? a->parent->next : NULL; n; n = n->next) {
		if (n->type == XML_ELEMENT_NODE &&
		    !xmlStrcmp(n->name, BAD_CAST "sup"))
			continue;
		if (n->type != XML_ELEMENT_NODE ||
		    xmlStrcmp(n->name, BAD_CAST "mark"))
			break;
		xmlChar *t = xmlNodeGetContent(n);
		size_t k = strlen((const char *)t);
		out = realloc(out, len + k + 1);
		memcpy(out + len, t, k + 1);
		len += k;
		xmlFree(t);
	}
	xmlXPathFreeObject(obj);
	xmlXPathFreeContext(ctx);
	return keep(out);
}

/* ---- group setup: the golden archive ---- */

static int setup(void **state)
{
	(void)state;
	g_tmp = temp_dir();
	if (asprintf(&g_out, "%s/out", g_tmp) < 0)
		return -1;
	const char *args[] = {"build", "-C", CONTENT, "-t",
			      THEME,   "-o", g_out,   NULL};
	struct run_result r = run_gloss(args);
	int status = r.status;
	if (status)
		fprintf(stderr, "gloss build exited %d:\n%s", status, r.err);
	run_result_free(&r);
	return status == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	free_kept(state);
	free(g_kept);
	free(g_docs);
	free(g_dirs);
	remove_dir(g_tmp);
	free(g_out);
	free(g_tmp);
	return 0;
}

/* ---- the golden archive ---- */

static void test_chart_frame(void **state)
{
	(void)state;
	htmlDocPtr doc = timeline(g_out);
	assert_int_equal(N(doc, CHART), 1);
	/* viewBox is set in C, so it survives; the parser lowercases it. */
	const char *vb = S(doc, CHART "/@viewbox");
	double w = 0, h = 0;
	if (sscanf(vb, "0 0 %lf %lf", &w, &h) != 2)
		fail_msg("viewBox is \"%s\"", vb);
	assert_true(w > 0 && h > 0);
	/* Coordinates are plain decimals, whatever the locale. */
	assert_null(strchr(vb, ','));
	/* The chart scrolls inside a focusable, named region. */
	assert_int_equal(N(doc, "//*[@role='region'][@tabindex='0']"
				"[normalize-space(@aria-label)!='']" CHART),
			 1);
	/* It has a name of its own, and a legend in HTML beside it. */
	assert_int_equal(N(doc, CHART "/title"), 1);
	assert_string_equal(S(doc, CHART "/@aria-labelledby"),
			    S(doc, CHART "/title/@id"));
	assert_true(N(doc, "//ul" CLS("tl-legend-list") "/li") >= 6);
	assert_true(strstr(S(doc, "//ul" CLS("tl-legend-list")), "accepted") &&
		    strstr(S(doc, "//ul" CLS("tl-legend-list")), "undecided"));
	/* No template marks are left. */
	assert_int_equal(N(doc, "//@data-gloss | //@data-gloss-if"), 0);
}

static void test_chart_proposal_marks(void **state)
{
	(void)state;
	htmlDocPtr doc = timeline(g_out);
	/* One proposal, made by one party (hamas): one mark. */
	assert_int_equal(N(doc, PROPOSAL_MARKS), 1);
	assert_string_equal(S(doc, PROPOSAL_MARKS "/@href"),
			    "proposals/2008-alpha-truce.html");
	assert_string_equal(S(doc, PROPOSAL_MARKS "/title"),
			    "Alpha's 2008 truce offer " EM_DASH " 2008");
	/* It is numbered 1, and its title is written beside it. */
	assert_string_equal(S(doc, PROPOSAL_MARKS "//text"),
			    "1 Alpha's 2008 truce offer");
	check_titles(doc);
}

/* The position mark of PARTY (a name) dated SHOWN must link to its quote
 * in SOURCE (an article ID), where the passage holds QUOTE. */
static void check_position(htmlDocPtr doc, const char *party,
			   const char *stance, const char *shown,
			   const char *source, const char *quote)
{
	const char *title =
	    fmt("%s on Alpha's 2008 truce offer: %s " EM_DASH " %s", party,
		stance, shown);
	const char *xp =
	    fmt(POSITION_MARKS "[normalize-space(title)=\"%s\"]", title);
	if (N(doc, "%s", xp) != 1)
		fail_msg("%d marks titled \"%s\", want 1", N(doc, "%s", xp),
			 title);
	assert_int_equal(N(doc, "%s" CLS("tl-stance-%s"), xp, stance), 1);
	const char *href = S(doc, "%s/@href", xp);
	const char *want = fmt("articles/%s.html#pp-", source);
	if (strncmp(href, want, strlen(want)) != 0)
		fail_msg("%s links to \"%s\", want %s...", title, href, want);
	htmlDocPtr art =
	    keep_doc(load_page(g_out, fmt("articles/%s.html", source)));
	const char *frag = strchr(href, '#') + 1;
	assert_int_equal(N(art, "//*[@id='%s']", frag), 1);
	const char *held = marked_after(art, frag);
	if (!strstr(held, quote))
		fail_msg("%s: #%s holds \"%s\", not the quote \"%s\"", title,
			 frag, held, quote);
	/* The proposal's number beside the stance. */
	assert_string_equal(S(doc, "%s//tspan" CLS("tl-num"), xp), "1");
}

static void test_chart_position_marks(void **state)
{
	(void)state;
	htmlDocPtr doc = timeline(g_out);
	/* Three positions in the fixture; a position without a date takes
	 * its source's: 2008-alpha-offer is dated 2008. */
	assert_int_equal(N(doc, POSITION_MARKS), 3);
	check_position(doc, "Palestinian Islamic Jihad", "rejected", "2008",
		       "2008-alpha-offer", "This is not a time for truce.");
	check_position(doc, "Palestinian Islamic Jihad", "rejected",
		       "March 2008", "2008-03-beta-answer",
		       "Beta said it rejected the truce offered by Alpha.");
	check_position(doc, "Hamas", "accepted", "2008", "2008-alpha-offer",
		       "Alpha\xe2\x80\x99s offer of a truce stands");
	/* Stances are told by shape: a drawn check or cross, not colour. */
	assert_int_equal(
	    N(doc,
	      POSITION_MARKS CLS("tl-stance-accepted") "/path" CLS("tl-glyph")),
	    1);
	assert_int_equal(
	    N(doc, POSITION_MARKS CLS("tl-stance-rejected") "/path" CLS(
		       "tl-glyph") "[contains(substring-after(@d, 'M'), 'M')]"),
	    2);
	check_titles(doc);
}

static void test_chart_lanes(void **state)
{
	(void)state;
	htmlDocPtr doc = timeline(g_out);
	/* Lanes for the parties that propose or hold positions (gamma only
	 * mediates), by name, each linked to its party. */
	size_t n = 0;
	const char **names = texts(doc, &n, CHART "//a" CLS("tl-lane-link"));
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "Hamas");
	assert_string_equal(names[1], "Palestinian Islamic Jihad");
	assert_string_equal(
	    S(doc, "(" CHART "//a" CLS("tl-lane-link") ")[2]/@href"),
	    "parties/islamic-jihad.html");
	/* The proposal is in its proposer's lane, positions in their
	 * holders'. */
	assert_int_equal(
	    N(doc, CHART
	      "//g[a" CLS("tl-lane-link") "[normalize-space()='Hamas']]/a" CLS(
		  "tl-proposal")),
	    1);
	assert_int_equal(
	    N(doc,
	      CHART "//g[a" CLS(
		  "tl-lane-link") "[normalize-space()='Palestinian Islamic "
				  "Jihad']]/a" CLS("tl-position")),
	    2);
}

static void test_chart_precision(void **state)
{
	(void)state;
	htmlDocPtr doc = timeline(g_out);
	double x1, x2;
	axis_ends(doc, &x1, &x2);
	/* Everything is in 2008, so the axis is that one year. */
	double year = x2 - x1;
	/* The proposal, dated 2008, is a bar across the whole year. */
	const char *bar = PROPOSAL_MARKS "/rect" CLS("tl-span-year");
	assert_int_equal(N(doc, bar), 1);
	assert_near(D(doc, "%s/@x", bar), x1, 0.2);
	assert_near(D(doc, "%s/@width", bar), year, 0.2);
	/* The position dated 2008-03 spans March of a leap year: days 60 to
	 * 91 of 366. */
	const char *march = POSITION_MARKS "/rect" CLS("tl-span-month");
	assert_int_equal(N(doc, march), 1);
	assert_near(D(doc, "%s/@x", march), x1 + year * 60 / 366, 0.2);
	assert_near(D(doc, "%s/@width", march), year * 31 / 366, 0.2);
	/* The two positions dated 2008 span the year; no date in the
	 * fixture is a day, so nothing is a point. */
	assert_int_equal(N(doc, POSITION_MARKS "/rect" CLS("tl-span-year")), 2);
	assert_int_equal(N(doc, CHART "//*" CLS("tl-point")), 0);
	assert_true(D(doc, "%s/@width", bar) > D(doc, "%s/@width", march));
}

static void test_chart_articles(void **state)
{
	(void)state;
	htmlDocPtr doc = timeline(g_out);
	/* One year: articles are counted per month. 2008-alpha-offer is
	 * dated only to 2008 (a band under the year); 2008-03-beta-answer
	 * to March. Both link to 2008 in the list. */
	assert_int_equal(N(doc, ARTICLE_MARKS), 2);
	assert_int_equal(N(doc, ARTICLE_MARKS "[@href='#y-2008']"), 2);
	assert_int_equal(N(doc, ARTICLE_MARKS
			   "[normalize-space(title)="
			   "'2008, dated to the year only: 1 article']"
			   "/rect" CLS("tl-span-year")),
			 1);
	assert_int_equal(
	    N(doc, ARTICLE_MARKS
	      "[normalize-space(title)="
	      "'March 2008: 1 article']/rect" CLS("tl-span-month")),
	    1);
}

static void test_list(void **state)
{
	(void)state;
	htmlDocPtr doc = timeline(g_out);
	/* One year, its heading the target of the chart's article links. */
	assert_int_equal(N(doc, "//h3[@id='y-2008']"), 1);
	assert_string_equal(S(doc, "//h3[@id='y-2008']"), "2008");
	assert_string_equal(
	    S(doc, "//section[h3[@id='y-2008']]/p" CLS("tl-count")),
	    "1 proposal, 3 positions, 2 articles");
	/* Every proposal, position and article, at its own precision, by
	 * date (a year before its months), proposals before positions
	 * before articles on one date, positions as the proposal lists
	 * them. */
	size_t n = 0;
	const char **dates = texts(doc, &n, EVENTS "/time/@datetime");
	const char *want_dates[] = {"2008", "2008",    "2008",
				    "2008", "2008-03", "2008-03"};
	assert_int_equal(n, 6);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(dates[i], want_dates[i]);
	const char **shown = texts(doc, &n, EVENTS "/time");
	assert_string_equal(shown[0], "2008");
	assert_string_equal(shown[4], "March 2008");
	const char **kinds = texts(doc, &n, EVENTS "/span" CLS("tl-kind"));
	const char *want_kinds[] = {"Proposal 1", "Position", "Position",
				    "Article",	  "Position", "Article"};
	for (size_t i = 0; i < n; i++)
		assert_string_equal(kinds[i], want_kinds[i]);
	/* What each links to. */
	assert_string_equal(S(doc, "(" EVENTS ")[1]/a[1]/@href"),
			    "proposals/2008-alpha-truce.html");
	assert_string_equal(S(doc, "(" EVENTS ")[2]/a[1]"),
			    "Palestinian Islamic Jihad");
	assert_string_equal(S(doc, "(" EVENTS ")[3]/a[1]/@href"),
			    "parties/hamas.html");
	assert_string_equal(S(doc, "(" EVENTS ")[4]/a/@href"),
			    "articles/2008-alpha-offer.html");
	assert_string_equal(S(doc, "(" EVENTS ")[6]/a/@href"),
			    "articles/2008-03-beta-answer.html");
	/* A position's stance is a shape and a word; its source links to
	 * the quoted passage. */
	assert_string_equal(S(doc, "(" EVENTS ")[3]/span" CLS("stance")),
			    "\xe2\x9c\x93 accepted");
	assert_true(strncmp(S(doc, "(" EVENTS ")[5]//cite/a/@href"),
			    "articles/2008-03-beta-answer.html#pp-", 37) == 0);
}

static void test_links_resolve(void **state)
{
	(void)state;
	check_links(g_out);
}

/* ---- day, month and year side by side ---- */

static const char *const precision_files[] = {
    "archive.yaml",
    "title: Precision\n",
    "parties/alpha.md",
    "---\nname: Alpha\n---\n",
    "parties/beta.md",
    "---\nname: Beta\n---\n",
    "articles/a-day.txt",
    "Alpha proposes a pause\nAlpha said it would pause.\n",
    "articles/a-day.md",
    "---\noutlet: Wire\ndate: 2020-02-10\n---\n",
    "articles/a-month.txt",
    "Beta answers\nBeta said yes to the pause.\n",
    "articles/a-month.md",
    "---\noutlet: Wire\ndate: 2020-02\n---\n",
    "articles/a-year.txt",
    "Looking back\nA year of talks.\n",
    "articles/a-year.md",
    "---\noutlet: Review\ndate: 2019\n---\n",
    "proposals/pause.md",
    "---\ntitle: A pause\ndate: 2020-02-10\nproposed_by: [alpha]\n"
    "positions:\n"
    "  - party: beta\n    stance: accepted\n    date: 2020-02-11\n"
    "    source: a-month\n    quote: Beta said yes to the pause.\n"
    "  - party: beta\n    stance: conditional\n    date: 2020-03\n"
    "    source: a-month\n"
    "  - party: alpha\n    stance: undecided\n    date: 2019\n"
    "    source: a-year\n"
    "  - party: alpha\n    stance: rejected\n    source: a-day\n"
    "    quote: Alpha said it would pause.\n"
    "---\n",
    "proposals/talks.md",
    "---\ntitle: Year of talks\ndate: 2019\nproposed_by: [beta]\n---\n",
    "proposals/march.md",
    "---\ntitle: March plan\ndate: 2020-03\nproposed_by: [alpha, beta]\n---\n",
    NULL,
};

static void test_precision_marks(void **state)
{
	(void)state;
	const char *site = build_files(precision_files);
	htmlDocPtr doc = timeline(site);
	double x1, x2;
	axis_ends(doc, &x1, &x2);
	/* 2019 and 2020 share the axis; 2020 is a leap year. */
	double year = (x2 - x1) / 2, y2020 = x1 + year;
	const char *pause = PROPOSAL_MARKS "[@href='proposals/pause.html']";
	const char *talks = PROPOSAL_MARKS "[@href='proposals/talks.html']";
	const char *march = PROPOSAL_MARKS "[@href='proposals/march.html']";

	/* A day is a point: the diamond of 2020-02-10 (day 40 of 2020)
	 * sits in the middle of that day, and is no bar. */
	assert_int_equal(N(doc, pause), 1);
	assert_int_equal(N(doc, "%s/*" CLS("tl-span"), pause), 0);
	assert_int_equal(N(doc, "%s/path" CLS("tl-point"), pause), 1);
	assert_near(path_x(doc, fmt("%s/path" CLS("tl-point"), pause)),
		    y2020 + year * 40.5 / 366, 0.2);
	/* A year is a bar across the year. */
	assert_near(D(doc, "%s/rect" CLS("tl-span-year") "/@x", talks), x1,
		    0.2);
	assert_near(D(doc, "%s/rect" CLS("tl-span-year") "/@width", talks),
		    year, 0.2);
	/* A month is a bar across the month, in each proposer's lane. */
	assert_int_equal(N(doc, march), 2);
	assert_int_equal(N(doc, "%s/rect" CLS("tl-span-month"), march), 2);
	assert_near(D(doc, "(%s)[1]/rect/@x", march), y2020 + year * 60 / 366,
		    0.2);
	assert_near(D(doc, "(%s)[1]/rect/@width", march), year * 31 / 366, 0.2);
	assert_true(D(doc, "%s/rect/@width", talks) >
		    D(doc, "(%s)[1]/rect/@width", march));

	/* Positions: a day is a pointer at the day, a month or a year a bar
	 * across it. */
	const char *pos = POSITION_MARKS "[starts-with(normalize-space(title), "
					 "'%s on A pause: %s')]";
	const char *accepted = fmt(pos, "Beta", "accepted");
	const char *conditional = fmt(pos, "Beta", "conditional");
	const char *undecided = fmt(pos, "Alpha", "undecided");
	const char *rejected = fmt(pos, "Alpha", "rejected");
	assert_int_equal(N(doc, "%s/path" CLS("tl-point"), accepted), 1);
	assert_int_equal(N(doc, "%s/*" CLS("tl-span"), accepted), 0);
	assert_int_equal(N(doc, "%s/path" CLS("tl-point"), rejected), 1);
	assert_near(
	    D(doc, "%s/rect" CLS("tl-span-month") "/@width", conditional),
	    year * 31 / 366, 0.2);
	assert_near(D(doc, "%s/rect" CLS("tl-span-year") "/@width", undecided),
		    year, 0.2);
	/* The titles say the date at its precision. */
	assert_string_equal(S(doc, "%s/title", accepted),
			    "Beta on A pause: accepted " EM_DASH
			    " 11 February 2020");
	assert_string_equal(S(doc, "%s/title", conditional),
			    "Beta on A pause: conditional " EM_DASH
			    " March 2020");
	assert_string_equal(S(doc, "%s/title", undecided),
			    "Alpha on A pause: undecided " EM_DASH " 2019");
	/* Each of the four stances has its own shape. */
	assert_int_equal(N(doc, "%s/path" CLS("tl-glyph"), accepted), 1);
	assert_int_equal(N(doc, "%s/path" CLS("tl-glyph-fill"), conditional),
			 1);
	assert_string_equal(S(doc, "%s/text" CLS("tl-glyph-text"), undecided),
			    "?");
	assert_int_equal(N(doc, "%s/path" CLS("tl-glyph"), rejected), 1);
	/* Proposals are numbered by date: talks (2019), pause, march; the
	 * positions on the pause show its number. */
	assert_string_equal(S(doc, "%s//tspan" CLS("tl-num"), talks), "1");
	assert_string_equal(S(doc, "%s//tspan" CLS("tl-num"), pause), "2");
	assert_string_equal(S(doc, "%s//tspan" CLS("tl-num"), accepted), "2");
	/* A position with a quote links to it, one without to its
	 * proposal. */
	assert_true(strncmp(S(doc, "%s/@href", accepted),
			    "articles/a-month.html#pp-", 25) == 0);
	assert_string_equal(S(doc, "%s/@href", conditional),
			    "proposals/pause.html");
	check_titles(doc);
	check_links(site);
}

static void test_precision_list(void **state)
{
	(void)state;
	const char *site = build_files(precision_files);
	htmlDocPtr doc = timeline(site);
	size_t n = 0;
	/* By the first day each date covers, a coarser date first;
	 * proposals, then positions, then articles on one date. */
	const char *want[] = {
	    "2019 Proposal 1",	     "2019 Position",
	    "2019 Article",	     "2020-02 Article",
	    "2020-02-10 Proposal 2", "2020-02-10 Position",
	    "2020-02-10 Article",    "2020-02-11 Position",
	    "2020-03 Proposal 3",    "2020-03 Position",
	};
	const char **dates = texts(doc, &n, EVENTS "/time/@datetime");
	size_t k = 0;
	const char **kinds = texts(doc, &k, EVENTS "/span" CLS("tl-kind"));
	assert_int_equal(n, sizeof want / sizeof *want);
	assert_int_equal(k, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(fmt("%s %s", dates[i], kinds[i]), want[i]);
	const char **shown = texts(doc, &n, EVENTS "/time");
	assert_string_equal(shown[4], "10 February 2020");
	assert_string_equal(shown[3], "February 2020");
	/* Two years, two sections, with the ids the chart links to. */
	assert_int_equal(N(doc, "//section" CLS("tl-year")), 2);
	assert_int_equal(N(doc, "//h3[@id='y-2019']"), 1);
	assert_int_equal(N(doc, "//h3[@id='y-2020']"), 1);
	/* Articles are counted per month: the two of February 2020 in one
	 * column; the one dated only to 2019 in a band of its own. */
	assert_int_equal(N(doc, ARTICLE_MARKS), 2);
	assert_string_equal(S(doc, ARTICLE_MARKS "[@href='#y-2020']/title"),
			    "February 2020: 2 articles");
	assert_int_equal(
	    N(doc, ARTICLE_MARKS "[@href='#y-2019']/rect" CLS("tl-art-year")),
	    1);
}

/* ---- empty archives ---- */

static void test_empty_archive(void **state)
{
	(void)state;
	const char *const files[] = {"archive.yaml", "title: Empty\n", NULL};
	const char *site = build_files(files);
	htmlDocPtr doc = timeline(site);
	assert_string_equal(S(doc, "//h1"), "Timeline");
	assert_int_equal(N(doc, "//svg"), 0);
	assert_int_equal(N(doc, "//section"), 0);
	assert_int_equal(N(doc, EVENTS), 0);
	assert_true(strstr(S(doc, "//main"), "nothing to place in time") !=
		    NULL);
	assert_int_equal(N(doc, "//@data-gloss | //@data-gloss-if"), 0);
}

static void test_archive_without_proposals(void **state)
{
	(void)state;
	const char *const files[] = {
	    "archive.yaml",
	    "title: Articles only\n",
	    "articles/one.txt",
	    "One story\nA line.\n",
	    "articles/one.md",
	    "---\noutlet: Wire\ndate: 2015-06-01\n---\n",
	    NULL,
	};
	const char *site = build_files(files);
	htmlDocPtr doc = timeline(site);
	assert_int_equal(N(doc, CHART), 1);
	assert_int_equal(N(doc, PROPOSAL_MARKS " | " POSITION_MARKS), 0);
	assert_int_equal(N(doc, CHART "//a" CLS("tl-lane-link")), 0);
	assert_int_equal(N(doc, ARTICLE_MARKS), 1);
	assert_string_equal(S(doc, ARTICLE_MARKS "/title"),
			    "June 2015: 1 article");
	assert_int_equal(N(doc, EVENTS), 1);
	assert_string_equal(S(doc, EVENTS "/time/@datetime"), "2015-06-01");
	/* The legend explains only what is drawn. */
	const char *legend = S(doc, "//ul" CLS("tl-legend-list"));
	assert_null(strstr(legend, "Proposal"));
	assert_null(strstr(legend, "accepted"));
	assert_non_null(strstr(legend, "Articles per month"));
	assert_null(strstr(S(doc, "//main"), "nothing to place"));
	check_links(site);
}

/* ---- long axes ---- */

/* Year labels of the top axis must not overlap: a four-digit label is
 * taken to be at most 36 px wide, anchored as its text-anchor says. */
static void check_year_labels(htmlDocPtr doc, size_t *count)
{
	const char *xp =
	    "(" CHART "/g" CLS("tl-axis") ")[1]/text" CLS("tl-year");
	*count = (size_t)N(doc, "%s", xp);
	double last_end = -1e9;
	for (size_t i = 1; i <= *count; i++) {
		double x = D(doc, "(%s)[%zu]/@x", xp, i);
		const char *anchor = S(doc, "(%s)[%zu]/@text-anchor", xp, i);
		double start = !strcmp(anchor, "end")	   ? x - 36
			       : !strcmp(anchor, "middle") ? x - 18
							   : x;
		if (start < last_end)
			fail_msg("year label %zu (\"%s\") overlaps the one "
				 "before it",
				 i, S(doc, "(%s)[%zu]", xp, i));
		last_end = start + 36;
	}
}

static void test_long_axis_with_gap(void **state)
{
	(void)state;
	/* One article in 1900, then one a year from 1950 to 2020: the
	 * empty years 1901–1949 are left out, and the axis is long enough
	 * that articles are counted per year and not every year has a
	 * label. */
	size_t cap = 2 * (2 + 2 * 72) + 1, n = 0;
	const char **files = keep(calloc(cap, sizeof *files));
	files[n++] = "archive.yaml";
	files[n++] = "title: Long\n";
	for (int y = 1900; y <= 2020; y++) {
		if (y > 1900 && y < 1950)
			continue;
		files[n++] = fmt("articles/y%d.txt", y);
		files[n++] = fmt("Story of %d\nA line.\n", y);
		files[n++] = fmt("articles/y%d.md", y);
		files[n++] = fmt("---\noutlet: Wire\ndate: %d-%s\n---\n", y,
				 y % 3 == 0   ? "05"
				 : y % 3 == 1 ? "07-04"
					      : "01");
	}
	files[n] = NULL;
	const char *site = build_files(files);
	htmlDocPtr doc = timeline(site);
	assert_int_equal(N(doc, CHART "//rect" CLS("tl-gap")), 1);
	assert_string_equal(S(doc, CHART "//rect" CLS("tl-gap") "/title"),
			    "1901" EN_DASH "1949: nothing in the archive");
	/* One column per year that has articles, linked to its year. */
	assert_int_equal(N(doc, ARTICLE_MARKS), 72);
	assert_int_equal(N(doc, ARTICLE_MARKS "[@href='#y-1977']"), 1);
	assert_string_equal(S(doc, ARTICLE_MARKS "[@href='#y-1977']/title"),
			    "1977: 1 article");
	size_t labels = 0;
	check_year_labels(doc, &labels);
	/* Labels are thinned out but still mark the axis. */
	assert_true(labels >= 5 && labels < 72);
	assert_int_equal(
	    N(doc, CHART "//text" CLS(
		       "tl-year") "[number(.) > 1900 and number(.) < 1950]"),
	    0);
	assert_int_equal(N(doc, "(" CHART "/g" CLS("tl-axis") ")[1]/text" CLS(
				    "tl-year") "[.='1900']"),
			 1);
	check_links(site);
}

static void test_articles_counted_per_month(void **state)
{
	(void)state;
	/* 30 articles in May 2021, 10 in June 2021, 1 in 2022: three
	 * columns, not 41 marks, their heights as their counts. */
	size_t n = 0;
	const char **files = keep(calloc(2 * (2 + 2 * 41) + 1, sizeof *files));
	files[n++] = "archive.yaml";
	files[n++] = "title: Many\n";
	for (int i = 0; i < 41; i++) {
		const char *date = i < 30   ? fmt("2021-05-%02d", i + 1)
				   : i < 40 ? fmt("2021-06-%02d", i - 29)
					    : "2022-01";
		files[n++] = fmt("articles/a%02d.txt", i);
		files[n++] = fmt("Story %d\nA line.\n", i);
		files[n++] = fmt("articles/a%02d.md", i);
		files[n++] = fmt("---\noutlet: Wire\ndate: %s\n---\n", date);
	}
	files[n] = NULL;
	const char *site = build_files(files);
	htmlDocPtr doc = timeline(site);
	assert_int_equal(N(doc, ARTICLE_MARKS), 3);
	const char *may = ARTICLE_MARKS "[normalize-space(title)="
					"'May 2021: 30 articles']/rect";
	const char *june = ARTICLE_MARKS "[normalize-space(title)="
					 "'June 2021: 10 articles']/rect";
	assert_int_equal(N(doc, may), 1);
	assert_int_equal(N(doc, june), 1);
	assert_near(D(doc, "%s/@height", may) / D(doc, "%s/@height", june), 3,
		    0.05);
	/* The list has each of them. */
	assert_int_equal(N(doc, EVENTS), 41);
	assert_int_equal(N(doc, "//section[h3[@id='y-2021']]//li"), 40);
}

#define T_(f) cmocka_unit_test_teardown(f, free_kept)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T_(test_chart_frame),
	    T_(test_chart_proposal_marks),
	    T_(test_chart_position_marks),
	    T_(test_chart_lanes),
	    T_(test_chart_precision),
	    T_(test_chart_articles),
	    T_(test_list),
	    T_(test_links_resolve),
	    T_(test_precision_marks),
	    T_(test_precision_list),
	    T_(test_empty_archive),
	    T_(test_archive_without_proposals),
	    T_(test_long_axis_with_gap),
	    T_(test_articles_counted_per_month),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
