/* End-to-end tests of gloss's diagnostics: every kind of problem SPEC §2
 * and §4 names, and every one the engine reports, is written into a small
 * throwaway archive, and the test compares the WHOLE stderr of `gloss
 * check` (or `gloss build`) with what an editor should read: the file,
 * the 1-based line and 1-based byte column of the mistake, what is wrong
 * and how to fix it, then the summary line. Exit statuses follow SPEC §4:
 * 0 success (warnings allowed), 1 content errors, 2 usage errors.
 *
 * Each test starts from the same minimal valid archive (see
 * base_archive), which checks clean, and changes one thing. Expected
 * texts are templates where $C stands for the content folder, $D for the
 * test's temporary folder and $R for that folder's real path. */
#include "harness.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

/* ---- the minimal valid archive ---- */

static const char BASE_CONFIG[] = "title: Test archive\n";

/* articles/a1.txt: line 1 headline, lines 2-3 paragraphs. */
static const char BASE_TXT[] =
    "Hamas rejects truce\n"
    "Hamas has rejected the offer of a week-long truce.\n"
    "A spokesman said the talks would go on.\n";

/* articles/a1.md: the block quote is on line 7, the note on line 9. */
static const char BASE_MD[] = "---\n"				   /* 1 */
			      "outlet: The Test Times\n"	   /* 2 */
			      "date: 2023-12-01\n"		   /* 3 */
			      "---\n"				   /* 4 */
			      "An introduction.\n"		   /* 5 */
			      "\n"				   /* 6 */
			      "> Hamas has rejected the offer\n"   /* 7 */
			      "\n"				   /* 8 */
			      "A note on [Hamas](party:hamas).\n"; /* 9 */

static const char HAMAS_MD[] = "---\n"
			       "name: Hamas\n"
			       "---\n"
			       "A movement.\n";

/* proposals/p1.md: the one position starts on line 6, column 5. */
static const char P1_MD[] =
    "---\n"					      /* 1 */
    "title: Week-long truce\n"			      /* 2 */
    "date: 2023-12\n"				      /* 3 */
    "proposed_by: [hamas]\n"			      /* 4 */
    "positions:\n"				      /* 5 */
    "  - party: hamas\n"			      /* 6 */
    "    stance: rejected\n"			      /* 7 */
    "    source: a1\n"				      /* 8 */
    "    quote: \"the offer of a week-long truce\"\n" /* 9 */
    "---\n"					      /* 10 */
    "A proposal.\n";				      /* 11 */

/* Everything a test allocates is kept here and freed by its teardown,
 * so that a failed assertion, which leaves the test at once, leaks
 * nothing. */
static void **garbage;
static size_t garbage_count, garbage_cap;

static void *keep(void *p)
{
	if (garbage_count == garbage_cap) {
		garbage_cap = garbage_cap * 2 + 64;
		garbage = realloc(garbage, garbage_cap * sizeof *garbage);
		if (!garbage)
			exit(99);
	}
	garbage[garbage_count++] = p;
	return p;
}

static void free_garbage(void)
{
	for (size_t i = 0; i < garbage_count; i++)
		free(garbage[i]);
	free(garbage);
	garbage = NULL;
	garbage_count = garbage_cap = 0;
}

static char *xasprintf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static char *xasprintf(const char *fmt, ...)
{
	char *s = NULL;
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		exit(99);
	va_end(ap);
	return keep(s);
}

/* Runs gloss with ARGS; the result is freed by the teardown. */
static struct run_result run(const char *const *args)
{
	struct run_result r = run_gloss(args);
	keep(r.out);
	keep(r.err);
	return r;
}

/* DIR/REL's bytes, or NULL; freed by the teardown. */
static char *read_back(const char *dir, const char *rel)
{
	return keep(get_file(dir, rel));
}

/* Writes DATA to DIR/content/REL. */
static void put(const char *dir, const char *rel, const char *data)
{
	char *full = xasprintf("content/%s", rel);
	put_file(dir, full, data, -1);
}

/* Writes LEN bytes (NULs allowed) to DIR/content/REL. */
static void put_bytes(const char *dir, const char *rel, const char *data,
		      long len)
{
	char *full = xasprintf("content/%s", rel);
	put_file(dir, full, data, len);
}

static void rm(const char *dir, const char *rel)
{
	char *full = xasprintf("%s/content/%s", dir, rel);
	if (unlink(full) < 0) {
		perror(full);
		exit(99);
	}
}

static char *content_of(const char *dir)
{
	return xasprintf("%s/content", dir);
}

/* The minimal valid archive in DIR/content, and DIR/themes pointing at
 * the repository's themes, where `gloss check` looks for the theme named
 * in archive.yaml (SPEC §4: themes/ beside the content folder). */
static void base_archive(const char *dir)
{
	put(dir, "archive.yaml", BASE_CONFIG);
	put(dir, "articles/a1.txt", BASE_TXT);
	put(dir, "articles/a1.md", BASE_MD);
	put(dir, "parties/hamas.md", HAMAS_MD);
	put(dir, "proposals/p1.md", P1_MD);
	char *themes = keep(realpath("themes", NULL));
	char *link = xasprintf("%s/themes", dir);
	if (!themes || symlink(themes, link) < 0) {
		perror("themes");
		exit(99);
	}
}

static int setup(void **state)
{
	char *dir = temp_dir();
	base_archive(dir);
	*state = dir;
	return 0;
}

static int teardown(void **state)
{
	remove_dir(*state);
	free(*state);
	free_garbage();
	return 0;
}

/* Expands $C (content folder), $D (the test folder) and $R (its real
 * path) in TMPL. */
static char *expand(const char *dir, const char *tmpl)
{
	char *real = keep(realpath(dir, NULL));
	size_t cap = strlen(tmpl) * 4 + 4096, len = 0;
	char *out = malloc(cap);
	for (const char *p = tmpl; *p; p++) {
		const char *sub = NULL;
		if (p[0] == '$' && p[1] == 'C')
			sub = content_of(dir);
		else if (p[0] == '$' && p[1] == 'D')
			sub = dir;
		else if (p[0] == '$' && p[1] == 'R')
			sub = real ? real : dir;
		if (sub) {
			size_t n = strlen(sub);
			while (len + n + 1 >= cap)
				out = realloc(out, cap *= 2);
			memcpy(out + len, sub, n);
			len += n;
			p++;
			continue;
		}
		if (len + 2 >= cap)
			out = realloc(out, cap *= 2);
		out[len++] = *p;
	}
	out[len] = '\0';
	return keep(out);
}

static struct run_result check(const char *dir)
{
	char *content = content_of(dir);
	const char *args[] = {"check", "-C", content, NULL};
	struct run_result r = run(args);
	return r;
}

static struct run_result build(const char *dir, const char *out)
{
	char *content = content_of(dir);
	char *output = xasprintf("%s/%s", dir, out);
	const char *args[] = {"build",		"-C", content, "-t",
			      "themes/default", "-o", output,  NULL};
	struct run_result r = run(args);
	return r;
}

/* Runs `gloss check` on DIR and asserts its whole stderr (the template
 * EXPECTED, expanded), its exit status, and an empty stdout. */
static void expect_run(const char *dir, int status, const char *expected)
{
	char *want = expand(dir, expected);
	struct run_result r = check(dir);
	assert_string_equal(r.err, want);
	assert_int_equal(r.status, status);
	assert_string_equal(r.out, "");
}

/* One or more errors, then the two closing lines. */
static void expect_errors(const char *dir, const char *lines, int errors,
			  int warnings)
{
	char *tmpl = xasprintf("%sgloss: %d error%s, %d warning%s\n"
			       "gloss: nothing written\n",
			       lines, errors, errors == 1 ? "" : "s", warnings,
			       warnings == 1 ? "" : "s");
	expect_run(dir, 1, tmpl);
}

static void expect_error(const char *dir, const char *line)
{
	expect_errors(dir, line, 1, 0);
}

/* Warnings only: the check passes. */
static void expect_warnings(const char *dir, const char *lines, int warnings)
{
	char *tmpl = xasprintf("%sgloss: 0 errors, %d warning%s\n", lines,
			       warnings, warnings == 1 ? "" : "s");
	expect_run(dir, 0, tmpl);
}

/* ---- the base ---- */

static void valid_archive_checks_clean(void **state)
{
	expect_run(*state, 0, "");
}

static void valid_dates_of_every_precision(void **state)
{
	const char *dir = *state;
	put(dir, "articles/a1.md",
	    "---\n"
	    "outlet: The Test Times\n"
	    "date: 2024-02-29\n" /* a leap day */
	    "---\n"
	    "> Hamas has rejected the offer\n"
	    "\n"
	    "[Hamas](party:hamas) rejects it.\n");
	put(dir, "proposals/p1.md",
	    "---\n"
	    "title: Week-long truce\n"
	    "date: 2024\n"
	    "proposed_by: [hamas]\n"
	    "positions:\n"
	    "  - party: hamas\n"
	    "    stance: rejected\n"
	    "    date: 2024-02\n"
	    "    source: a1\n"
	    "    quote: \"the offer of a week-long truce\"\n"
	    "---\n");
	expect_run(dir, 0, "");
}

/* ---- archive.yaml ---- */

static void missing_archive_yaml(void **state)
{
	rm(*state, "archive.yaml");
	expect_error(*state,
		     "$C/archive.yaml: error: no archive.yaml in '$C'; "
		     "create it with at least a line 'title: ...', or point -C "
		     "at the content folder\n");
}

static void archive_yaml_without_title(void **state)
{
	put(*state, "archive.yaml", "tagline: Truce reports\n");
	expect_error(*state, "$C/archive.yaml:1:1: error: missing required key "
			     "'title'; add for example: title: My archive\n");
}

static void archive_yaml_unknown_key(void **state)
{
	put(*state, "archive.yaml", "title: T\ntagine: Truce reports\n");
	expect_error(*state,
		     "$C/archive.yaml:2:1: error: unknown key 'tagine'; "
		     "did you mean 'tagline'?\n");
}

/* archive.yaml is not front matter; and its failure must not bring a
 * second, made-up error about a theme named '(null)'. */
static void archive_yaml_not_a_mapping(void **state)
{
	put(*state, "archive.yaml", "- title\n");
	expect_error(*state,
		     "$C/archive.yaml:1:1: error: archive.yaml must be a "
		     "mapping of keys to values, for example: title: ...\n");
}

static void archive_yaml_invalid_yaml(void **state)
{
	put(*state, "archive.yaml", "title: Hamas: the truce talks\n");
	/* The second ':' is at column 13. */
	expect_error(
	    *state, "$C/archive.yaml:1:13: error: invalid YAML: mapping "
		    "values are not allowed in this context; quote values that "
		    "contain ': '\n");
}

static void archive_yaml_bad_base_url(void **state)
{
	put(*state, "archive.yaml",
	    "title: T\nbase_url: example.org/archive\n");
	expect_error(*state, "$C/archive.yaml:2:11: error: base_url must be an "
			     "absolute http or https URL, for example "
			     "https://example.org/archive/\n");
}

/* The message says "check 'theme'": it should point at it. */
static void theme_not_found_points_at_theme(void **state)
{
	put(*state, "archive.yaml", "title: T\ntheme: fancy\n");
	expect_error(*state,
		     "$C/archive.yaml:2:8: error: theme 'fancy' not found "
		     "in themes/ beside the content folder or in gloss's "
		     "installation; check 'theme', or give a theme folder with "
		     "-t\n");
}

/* ---- front matter: keys and types ---- */

static void article_unknown_key(void **state)
{
	put(*state, "articles/a1.md",
	    "---\n"
	    "outlet: The Test Times\n"
	    "date: 2023-12-01\n"
	    "bylin: Jane Doe\n"
	    "---\n"
	    "> Hamas has rejected the offer\n");
	expect_error(*state,
		     "$C/articles/a1.md:4:1: error: unknown key 'bylin'; "
		     "did you mean 'byline'?\n");
}

static void proposal_unknown_key_lists_known_keys(void **state)
{
	put(*state, "proposals/p1.md",
	    "---\n"
	    "title: Week-long truce\n"
	    "date: 2023-12\n"
	    "proposed_by: [hamas]\n"
	    "sponsor: [hamas]\n"
	    "---\n");
	expect_error(*state,
		     "$C/proposals/p1.md:5:1: error: unknown key "
		     "'sponsor'; known keys are: title, date, proposed_by, "
		     "mediators, addressed_to, status, terms, positions\n");
}

static void position_unknown_key(void **state)
{
	put(*state, "proposals/p1.md",
	    "---\n"
	    "title: Week-long truce\n"
	    "date: 2023-12\n"
	    "proposed_by: [hamas]\n"
	    "positions:\n"
	    "  - party: hamas\n"
	    "    stance: rejected\n"
	    "    source: a1\n"
	    "    quote: \"the offer of a week-long truce\"\n"
	    "    sorce: a1\n"
	    "---\n");
	expect_error(*state, "$C/proposals/p1.md:10:5: error: unknown key "
			     "'sorce'; did you mean 'source'?\n");
}

static void string_expected_not_list_or_mapping(void **state)
{
	put(*state, "articles/a1.md",
	    "---\n"
	    "outlet: [AP, Reuters]\n"
	    "date: 2023-12-01\n"
	    "byline: {name: Jane Doe}\n"
	    "---\n"
	    "> Hamas has rejected the offer\n");
	expect_errors(
	    *state,
	    "$C/articles/a1.md:2:9: error: 'outlet' must be a string, "
	    "not a list\n"
	    "$C/articles/a1.md:4:9: error: 'byline' must be a string, "
	    "not a mapping\n",
	    2, 0);
}

static void list_expected_not_string(void **state)
{
	put(*state, "proposals/p1.md",
	    "---\n"
	    "title: Week-long truce\n"
	    "date: 2023-12\n"
	    "proposed_by: hamas\n"
	    "---\n");
	expect_error(*state,
		     "$C/proposals/p1.md:4:14: error: 'proposed_by' must "
		     "be a list, for example: proposed_by: [a, b]\n");
}

static void empty_value_and_empty_item(void **state)
{
	put(*state, "articles/a1.md",
	    "---\n"
	    "outlet: \"\"\n"
	    "date: 2023-12-01\n"
	    "parties: [hamas, \"\"]\n"
	    "---\n"
	    "> Hamas has rejected the offer\n");
	expect_errors(
	    *state,
	    "$C/articles/a1.md:2:9: error: 'outlet' must not be empty\n"
	    "$C/articles/a1.md:4:18: error: an item of 'parties' must "
	    "not be empty\n",
	    2, 0);
}

static void duplicate_key(void **state)
{
	put(*state, "articles/a1.md",
	    "---\n"
	    "outlet: The Test Times\n"
	    "date: 2023-12-01\n"
	    "outlet: The Other Times\n"
	    "---\n"
	    "> Hamas has rejected the offer\n");
	expect_error(*state, "$C/articles/a1.md:4:1: error: duplicate key "
			     "'outlet' (first at line 2)\n");
}

static void yaml_anchors_and_tags(void **state)
{
	put(*state, "articles/a1.md",
	    "---\n"
	    "outlet: &o The Test Times\n"
	    "date: !!str 2023-12-01\n"
	    "byline: *o\n"
	    "---\n"
	    "> Hamas has rejected the offer\n");
	expect_errors(
	    *state,
	    "$C/articles/a1.md:2:9: error: YAML anchors and aliases "
	    "are not supported in front matter; write the value out\n"
	    "$C/articles/a1.md:3:7: error: YAML tags are not supported "
	    "in front matter; remove the tag (quote the value if it "
	    "must stay text)\n"
	    "$C/articles/a1.md:4:9: error: YAML anchors and aliases "
	    "are not supported in front matter; write the value out\n",
	    3, 0);
}

static void article_url_not_absolute(void **state)
{
	put(*state, "articles/a1.md",
	    "---\n"
	    "outlet: The Test Times\n"
	    "date: 2023-12-01\n"
	    "url: www.example.org/story\n"
	    "---\n"
	    "> Hamas has rejected the offer\n");
	expect_error(*state, "$C/articles/a1.md:4:6: error: url must be an "
			     "absolute http or https URL, for example "
			     "https://example.org/story\n");
}

/* ---- dates, stances, statuses ---- */

static void bad_dates(void **state)
{
	const char *dir = *state;
	put(dir, "articles/a1.md",
	    "---\n"
	    "outlet: The Test Times\n"
	    "date: 2024-13\n"
	    "---\n"
	    "> Hamas has rejected the offer\n");
	put(dir, "proposals/p1.md",
	    "---\n"
	    "title: Week-long truce\n"
	    "date: 2024-02-30\n"
	    "proposed_by: [hamas]\n"
	    "positions:\n"
	    "  - party: hamas\n"
	    "    stance: rejected\n"
	    "    date: May 2024\n"
	    "    source: a1\n"
	    "    quote: \"the offer of a week-long truce\"\n"
	    "---\n");
#define DATE_HINT                                                              \
	"; write YYYY, YYYY-MM or YYYY-MM-DD (for example 2008, "              \
	"2021-05 or 2024-05-26)\n"
	expect_errors(
	    dir,
	    "$C/articles/a1.md:3:7: error: invalid date '2024-13'" DATE_HINT
	    "$C/proposals/p1.md:3:7: error: invalid date '2024-02-30'" DATE_HINT
	    "$C/proposals/p1.md:8:11: error: invalid date 'May 2024'" DATE_HINT,
	    3, 0);
}

static void missing_date(void **state)
{
	put(*state, "articles/a1.md",
	    "---\n"
	    "outlet: The Test Times\n"
	    "---\n"
	    "> Hamas has rejected the offer\n");
	expect_error(*state,
		     "$C/articles/a1.md:1:1: error: missing required key "
		     "'date'; add for example: date: 2024-05\n");
}

static void bad_stance(void **state)
{
	put(*state, "proposals/p1.md",
	    "---\n"
	    "title: Week-long truce\n"
	    "date: 2023-12\n"
	    "proposed_by: [hamas]\n"
	    "positions:\n"
	    "  - party: hamas\n"
	    "    stance: refused\n"
	    "    source: a1\n"
	    "    quote: \"the offer of a week-long truce\"\n"
	    "---\n");
	expect_error(*state,
		     "$C/proposals/p1.md:7:13: error: invalid stance "
		     "'refused'; use one of: accepted, rejected, conditional, "
		     "undecided\n");
}

static void bad_status(void **state)
{
	put(*state, "proposals/p1.md",
	    "---\n"
	    "title: Week-long truce\n"
	    "date: 2023-12\n"
	    "status: pending\n"
	    "proposed_by: [hamas]\n"
	    "---\n");
	expect_error(*state,
		     "$C/proposals/p1.md:4:9: error: invalid status "
		     "'pending'; use one of: proposed, negotiating, accepted, "
		     "rejected, lapsed, implemented\n");
}

/* ---- file names and pairs ---- */

static void invalid_id_file_names(void **state)
{
	const char *dir = *state;
	const char *other = "---\nname: Other\naliases: [Other]\n---\n";
	put(dir, "parties/Fatah.md", other);
	put(dir, "parties/al--aqsa.md", other);
	put(dir, "parties/islamic_jihad.md", other);
	/* Listed in byte order of the names. */
	expect_errors(
	    dir,
	    "$C/parties/Fatah.md: error: invalid ID 'Fatah': it has "
	    "uppercase letters; rename the file, for example to "
	    "'fatah.md'\n"
	    "$C/parties/al--aqsa.md: error: invalid ID 'al--aqsa': it "
	    "has two hyphens in a row; rename the file, for example to "
	    "'al-aqsa.md'\n"
	    "$C/parties/islamic_jihad.md: error: invalid ID "
	    "'islamic_jihad': it may hold only lowercase letters a-z, "
	    "digits and single hyphens; rename the file, for example to "
	    "'islamic-jihad.md'\n",
	    3, 0);
}

static void id_longer_than_100(void **state)
{
	const char *dir = *state;
	char name[128], tmpl[512];
	memset(name, 'a', 101);
	name[101] = '\0';
	char *rel = xasprintf("articles/%s.txt", name);
	put(dir, rel, BASE_TXT);
	snprintf(
	    tmpl, sizeof tmpl,
	    "$C/articles/%s.txt: error: invalid ID '%s': it is longer than "
	    "100 characters; rename the file, for example to '%.100s.txt'\n",
	    name, name, name);
	expect_error(dir, tmpl);
}

static void reserved_page_id(void **state)
{
	put(*state, "pages/index.md", "---\ntitle: Home\n---\nHello.\n");
	expect_error(
	    *state,
	    "$C/pages/index.md: error: page ID 'index' is the "
	    "name of a page or folder gloss generates; rename the file, "
	    "for example to 'about-index.md'\n");
}

static void md_without_txt(void **state)
{
	rm(*state, "articles/a1.txt");
	expect_error(*state,
		     "$C/articles/a1.md: error: article 'a1' has no "
		     "captured text; add a1.txt beside it, or remove a1.md\n");
}

static void txt_without_md(void **state)
{
	put(*state, "articles/a2.txt", BASE_TXT);
	expect_error(
	    *state,
	    "$C/articles/a2.txt: error: article 'a2' has no "
	    "annotation; create a2.md with front matter giving at least "
	    "outlet and date\n");
}

static void unexpected_file(void **state)
{
	put(*state, "articles/notes.doc", "draft\n");
	expect_error(*state,
		     "$C/articles/notes.doc: error: unexpected file in "
		     "articles/: expected files named ID.md or ID.txt\n");
}

static void unexpected_folder(void **state)
{
	put(*state, "parties/old/hamas.md", HAMAS_MD);
	expect_error(*state, "$C/parties/old: error: unexpected folder in "
			     "parties/; entries are files named ID.md\n");
}

/* ---- references between entries ---- */

static void unknown_party_and_proposal_in_front_matter(void **state)
{
	put(*state, "articles/a1.md",
	    "---\n"
	    "outlet: The Test Times\n"
	    "date: 2023-12-01\n"
	    "parties: [hamas, fatah]\n"
	    "proposals: [p1, p9]\n"
	    "---\n"
	    "> Hamas has rejected the offer\n");
	expect_errors(*state,
		      "$C/articles/a1.md:4:18: error: unknown party 'fatah' in "
		      "'parties'; there is no parties/fatah.md\n"
		      "$C/articles/a1.md:5:17: error: unknown proposal 'p9' in "
		      "'proposals'; there is no proposals/p9.md\n",
		      2, 0);
}

static void id_listed_twice(void **state)
{
	put(*state, "articles/a1.md",
	    "---\n"
	    "outlet: The Test Times\n"
	    "date: 2023-12-01\n"
	    "parties: [hamas, hamas]\n"
	    "---\n"
	    "> Hamas has rejected the offer\n");
	expect_error(*state, "$C/articles/a1.md:4:18: error: 'hamas' is listed "
			     "twice in 'parties'; remove one\n");
}

static void position_unknown_party_and_source(void **state)
{
	put(*state, "proposals/p1.md",
	    "---\n"
	    "title: Week-long truce\n"
	    "date: 2023-12\n"
	    "proposed_by: [hamas]\n"
	    "positions:\n"
	    "  - party: fatah\n"
	    "    stance: rejected\n"
	    "    source: a9\n"
	    "    quote: \"the offer of a week-long truce\"\n"
	    "---\n");
	expect_errors(*state,
		      "$C/proposals/p1.md:6:12: error: unknown party 'fatah'; "
		      "there is no parties/fatah.md\n"
		      "$C/proposals/p1.md:8:13: error: unknown article 'a9' in "
		      "'source'; there is no articles/a9.md\n",
		      2, 0);
}

static void position_without_quote_is_a_warning(void **state)
{
	put(*state, "proposals/p1.md",
	    "---\n"
	    "title: Week-long truce\n"
	    "date: 2023-12\n"
	    "proposed_by: [hamas]\n"
	    "positions:\n"
	    "  - party: hamas\n"
	    "    stance: rejected\n"
	    "    source: a1\n"
	    "---\n");
	expect_warnings(*state,
			"$C/proposals/p1.md:6:5: warning: position of 'hamas' "
			"has no quote; add the passage of the source article "
			"that shows it\n",
			1);
}

/* A key missing from a position belongs to that position (line 6), not
 * to the top of the file. */
static void position_without_source(void **state)
{
	put(*state, "proposals/p1.md",
	    "---\n"
	    "title: Week-long truce\n"
	    "date: 2023-12\n"
	    "proposed_by: [hamas]\n"
	    "positions:\n"
	    "  - party: hamas\n"
	    "    stance: rejected\n"
	    "    quote: \"the offer of a week-long truce\"\n"
	    "---\n");
	expect_error(*state,
		     "$C/proposals/p1.md:6:5: error: missing required key "
		     "'source'; add for example: source: ARTICLE-ID\n");
}

static void position_not_a_mapping_and_without_stance(void **state)
{
	put(*state, "proposals/p1.md",
	    "---\n"
	    "title: Week-long truce\n"
	    "date: 2023-12\n"
	    "proposed_by: [hamas]\n"
	    "positions:\n"
	    "  - hamas rejected it\n"
	    "  - party: hamas\n"
	    "    source: a1\n"
	    "    quote: \"the offer of a week-long truce\"\n"
	    "---\n");
	expect_errors(
	    *state,
	    "$C/proposals/p1.md:6:5: error: each position must be a "
	    "mapping with party, stance and source, for example: - "
	    "{party: hamas, stance: rejected, source: ID, quote: "
	    "\"...\"}\n"
	    "$C/proposals/p1.md:7:5: error: position has no 'stance'; "
	    "add one of: accepted, rejected, conditional, undecided\n",
	    2, 0);
}

static void positions_not_a_list(void **state)
{
	put(*state, "proposals/p1.md",
	    "---\n"
	    "title: Week-long truce\n"
	    "date: 2023-12\n"
	    "proposed_by: [hamas]\n"
	    "positions: hamas rejected it\n"
	    "---\n");
	expect_error(*state,
		     "$C/proposals/p1.md:5:12: error: 'positions' must be "
		     "a list of positions, each with party, stance, source and "
		     "quote\n");
}

static void proposal_without_proposed_by(void **state)
{
	put(*state, "proposals/p1.md",
	    "---\n"
	    "title: Week-long truce\n"
	    "date: 2023-12\n"
	    "---\n");
	expect_error(*state,
		     "$C/proposals/p1.md:1:1: error: missing required key "
		     "'proposed_by'; add the party IDs of who made it, for "
		     "example: proposed_by: [egypt]\n");
}

static void proposal_with_empty_proposed_by(void **state)
{
	put(*state, "proposals/p1.md",
	    "---\n"
	    "title: Week-long truce\n"
	    "date: 2023-12\n"
	    "proposed_by: []\n"
	    "---\n");
	expect_error(*state,
		     "$C/proposals/p1.md:4:14: error: 'proposed_by' needs "
		     "at least one party ID\n");
}

/* ---- links in Markdown ---- */

static void link_to_unknown_entries(void **state)
{
	put(*state, "articles/a1.md",
	    "---\n"
	    "outlet: The Test Times\n"
	    "date: 2023-12-01\n"
	    "---\n"
	    /* line 5: “ ” and — are 3 bytes each; the first '[' is byte 26,
	     * the second byte 48. */
	    "See \xe2\x80\x9cthe report\xe2\x80\x9d \xe2\x80\x94 "
	    "[x](party:nobody) and [](article:nope).\n"
	    "\n"
	    "> Hamas has rejected the offer\n"
	    "\n"
	    "A note on [](proposal:p9), also\n" /* line 9, column 11 */
	    "in [the method](page:method).\n"); /* line 10, column 4 */
	expect_errors(
	    *state,
	    "$C/articles/a1.md:5:26: error: unknown party 'nobody' in "
	    "link; there is no parties/nobody.md\n"
	    "$C/articles/a1.md:5:48: error: unknown article 'nope' in "
	    "link; there is no articles/nope.md\n"
	    "$C/articles/a1.md:9:11: error: unknown proposal 'p9' in "
	    "link; there is no proposals/p9.md\n"
	    "$C/articles/a1.md:10:4: error: unknown page 'method' in "
	    "link; there is no pages/method.md\n",
	    4, 0);
}

static void link_in_nested_blocks(void **state)
{
	put(*state, "parties/hamas.md",
	    "---\n"
	    "name: Hamas\n"
	    "---\n"
	    "- item [y](party:nobody1)\n"     /* 4:8 */
	    "  - nested [z](party:nobody2)\n" /* 5:12 */
	    "\n"
	    "Some **bold [w](party:nobody3)** and `code` [v](party:nobody4)\n"
	    /* 7:13 and 7:45 */
	    "\n"
	    "> quoted [q](party:nobody5)\n" /* 9:10 */
	    "> more [r](party:nobody6)\n"   /* 10:8 */
	    "\n"
	    "a\t[s](party:nobody7)\n"); /* 12:3: a tab is one byte */
	expect_errors(
	    *state,
	    "$C/parties/hamas.md:4:8: error: unknown party 'nobody1' in "
	    "link; there is no parties/nobody1.md\n"
	    "$C/parties/hamas.md:5:12: error: unknown party 'nobody2' in "
	    "link; there is no parties/nobody2.md\n"
	    "$C/parties/hamas.md:7:13: error: unknown party 'nobody3' in "
	    "link; there is no parties/nobody3.md\n"
	    "$C/parties/hamas.md:7:45: error: unknown party 'nobody4' in "
	    "link; there is no parties/nobody4.md\n"
	    "$C/parties/hamas.md:9:10: error: unknown party 'nobody5' in "
	    "link; there is no parties/nobody5.md\n"
	    "$C/parties/hamas.md:10:8: error: unknown party 'nobody6' in "
	    "link; there is no parties/nobody6.md\n"
	    "$C/parties/hamas.md:12:3: error: unknown party 'nobody7' in "
	    "link; there is no parties/nobody7.md\n",
	    7, 0);
}

/* terms are Markdown inside YAML: the position must be the link's own
 * place in the file, whatever the scalar's style. */
static void link_positions_in_terms(void **state)
{
	put(*state, "proposals/p1.md",
	    "---\n"
	    "title: Week-long truce\n"
	    "date: 2023-12\n"
	    "proposed_by: [hamas]\n"
	    "terms:\n"
	    "  - Plain [t](party:nobody1)\n"			   /* 6:11 */
	    "  - \"Release of [hostages](party:nobody2) first\"\n" /* 7:17 */
	    "  - >\n" /* 8:5: libyaml folds a block scalar's lines, so
			  * positions inside one are given at its start */
	    "    Folded [z](party:nobody3)\n"
	    "---\n");
	expect_errors(
	    *state,
	    "$C/proposals/p1.md:6:11: error: unknown party 'nobody1' in "
	    "link; there is no parties/nobody1.md\n"
	    "$C/proposals/p1.md:7:17: error: unknown party 'nobody2' in "
	    "link; there is no parties/nobody2.md\n"
	    "$C/proposals/p1.md:8:5: error: unknown party 'nobody3' in "
	    "link; there is no parties/nobody3.md\n",
	    3, 0);
}

/* gloss check of DIR's content on 1, 2 and 4 threads: each exits 1
 * with exactly LINES ($C the content folder) on stderr. */
static void checks_alike_on_any_threads(const char *dir, const char *lines)
{
	char *expected = expand(dir, lines);
	char *content = content_of(dir);
	static const char *const threads[] = {"1", "2", "4"};
	for (size_t t = 0; t < sizeof threads / sizeof *threads; t++) {
		const char *args[] = {"check", "-j", threads[t], "-C", content,
				      NULL};
		struct run_result r = run(args);
		assert_string_equal(r.err, expected);
		assert_int_equal(r.status, 1);
	}
}

/* Parties are loaded on several threads: the messages of each come in
 * the order of the parties' IDs, whatever the number of threads. */
static void many_parties_in_order(void **state)
{
	enum { N = 24 };
	char *want = xasprintf("%s", "");
	for (int i = 1; i <= N; i++) {
		char path[64], text[128];
		snprintf(path, sizeof path, "parties/p%02d.md", i);
		snprintf(text, sizeof text,
			 "---\nkind: group\nsummary: Party %d.\n---\n", i);
		put(*state, path, text);
		char *more = xasprintf(
		    "%s$C/parties/p%02d.md:1:1: error: missing required key "
		    "'name'; add for example: name: Hamas\n", want, i);
		want = more;
	}
	char *lines = xasprintf("%s"
				"gloss: %d errors, 0 warnings\n"
				"gloss: nothing written\n",
				want, N);
	checks_alike_on_any_threads(*state, lines);
}

/* Proposals' links are checked on several threads; their messages come
 * in the order of the files (each proposal's body, then its terms),
 * after the articles' and parties' ones, however the threads ran. */
static void links_of_many_proposals_in_order(void **state)
{
	enum { N = 24 };
	char *want = xasprintf("%s", "");
	put(*state, "parties/egypt.md",
	    "---\nname: Egypt\n---\nMediates with [x](party:nobody0).\n");
	for (int i = 1; i <= N; i++) {
		char path[64], text[512];
		snprintf(path, sizeof path, "proposals/q%02d.md", i);
		snprintf(text, sizeof text,
			 "---\n"
			 "title: Truce %d\n"
			 "date: 2023-12\n"
			 "proposed_by: [hamas]\n"
			 "terms:\n"
			 "  - Plain [t](party:term%d)\n" /* 6:11 */
			 "---\n"
			 "Body [b](party:body%d).\n", /* 8:6 */
			 i, i, i);
		put(*state, path, text);
		char *more = xasprintf(
		    "%s$C/proposals/q%02d.md:8:6: error: unknown party 'body%d' "
		    "in link; there is no parties/body%d.md\n"
		    "$C/proposals/q%02d.md:6:11: error: unknown party 'term%d' "
		    "in link; there is no parties/term%d.md\n",
		    want, i, i, i, i, i, i);
		want = more;
	}
	char *lines = xasprintf(
	    "$C/parties/egypt.md:4:15: error: unknown party 'nobody0' in "
	    "link; there is no parties/nobody0.md\n"
	    "%s"
	    "gloss: %d errors, 0 warnings\n"
	    "gloss: nothing written\n",
	    want, 2 * N + 1);
	checks_alike_on_any_threads(*state, lines);
}

/* SPEC: "In any Markdown body ... an unknown ID is an error": a link
 * inside the quoted passage too. */
static void link_inside_passage_quote(void **state)
{
	put(*state, "articles/a1.md",
	    "---\n"
	    "outlet: The Test Times\n"
	    "date: 2023-12-01\n"
	    "---\n"
	    "An introduction.\n"
	    "\n"
	    "> Hamas has rejected [the offer](proposal:p9)\n" /* 7:22 */
	    "\n"
	    "A note.\n");
	expect_error(*state, "$C/articles/a1.md:7:22: error: unknown proposal "
			     "'p9' in link; there is no proposals/p9.md\n");
}

static void link_with_malformed_id(void **state)
{
	put(*state, "articles/a1.md",
	    "---\n"
	    "outlet: The Test Times\n"
	    "date: 2023-12-01\n"
	    "---\n"
	    "An introduction on [Hamas](party:Hamas).\n" /* 5:20 */
	    "\n"
	    "> Hamas has rejected the offer\n");
	expect_error(
	    *state,
	    "$C/articles/a1.md:5:20: error: malformed ID in link "
	    "'party:Hamas': it has uppercase letters; did you mean "
	    "'hamas'?\n");
}

/* An ID that is a path can never reach outside output/: every place an
 * ID is written refuses it, saying what an ID may hold. */
static void ids_that_are_paths(void **state)
{
	const char *dir = *state;
	put(dir, "articles/a1.md",
	    "---\n"
	    "outlet: The Test Times\n"
	    "date: 2023-12-01\n"
	    "parties: [../hamas]\n" /* 4:11 */
	    "---\n"
	    "See [x](party:../../etc/passwd), [y](article:a/b).\n" /* 6:5, 6:34 */
	    "\n"
	    "> Hamas has rejected the offer\n"
	    "\n"
	    "On [Hamas](party:hamas).\n");
	put(dir, "proposals/p1.md",
	    "---\n"
	    "title: Week-long truce\n"
	    "date: 2023-12\n"
	    "proposed_by: [hamas]\n"
	    "positions:\n"
	    "  - party: ./hamas\n"   /* 6:12 */
	    "    stance: rejected\n"
	    "    source: ../a1\n"    /* 8:13 */
	    "    quote: \"the offer of a week-long truce\"\n"
	    "---\n");
	expect_errors(
	    dir,
	    "$C/articles/a1.md:4:11: error: invalid party ID '../hamas' in "
	    "'parties': it may hold only lowercase letters a-z, digits and "
	    "single hyphens; did you mean 'hamas'?\n"
	    "$C/proposals/p1.md:6:12: error: invalid party ID './hamas' in "
	    "'party': it may hold only lowercase letters a-z, digits and "
	    "single hyphens; did you mean 'hamas'?\n"
	    "$C/proposals/p1.md:8:13: error: invalid article ID '../a1' in "
	    "'source': it may hold only lowercase letters a-z, digits and "
	    "single hyphens; did you mean 'a1'?\n"
	    "$C/articles/a1.md:6:5: error: malformed ID in link "
	    "'party:../../etc/passwd': it may hold only lowercase letters "
	    "a-z, digits and single hyphens; did you mean 'etc-passwd'?\n"
	    "$C/articles/a1.md:6:34: error: malformed ID in link "
	    "'article:a/b': it may hold only lowercase letters a-z, digits "
	    "and single hyphens; did you mean 'a-b'?\n",
	    5, 0);
}

/* Two files whose names differ only in case: the invalid one is refused,
 * and renaming it as usual would clash with the other. */
static void ids_differing_only_in_case(void **state)
{
	const char *dir = *state;
	put(dir, "parties/Hamas.md", "---\nname: Hamas again\n---\n");
	expect_error(dir, "$C/parties/Hamas.md: error: invalid ID 'Hamas': it "
			  "has uppercase letters, and it differs only in case "
			  "or punctuation from 'hamas.md' beside it; merge the "
			  "two into 'hamas.md'\n");
}

/* Empty files: each says what it lacks. */
static void empty_files(void **state)
{
	const char *dir = *state;
	put(dir, "archive.yaml", "");
	put(dir, "articles/a2.txt", "");
	put(dir, "articles/a2.md", "---\noutlet: X\ndate: 2024\n---\n");
	put(dir, "parties/qatar.md", "");
	put(dir, "proposals/p2.md", "");
	expect_errors(
	    dir,
	    "$C/archive.yaml:1:1: error: missing required key 'title'; add "
	    "for example: title: My archive\n"
	    "$C/parties/qatar.md:1:1: error: missing front matter: the file "
	    "must start with a line '---', then YAML, then a line '---'\n"
	    "$C/proposals/p2.md:1:1: error: missing front matter: the file "
	    "must start with a line '---', then YAML, then a line '---'\n"
	    "$C/articles/a2.txt: error: no text to show: the capture is "
	    "empty; it needs at least its headline on the first line\n",
	    4, 0);
}

/* A capture whose every line is blank or omitted has nothing to show. */
static void capture_with_nothing_to_show(void **state)
{
	const char *dir = *state;
	put(dir, "archive.yaml", "title: Test archive\nomit_lines: [Share]\n");
	put(dir, "articles/a2.txt", "Share\n\n   \nShare\n");
	put(dir, "articles/a2.md", "---\noutlet: X\ndate: 2024\n---\n");
	expect_error(dir, "$C/articles/a2.txt: error: no text to show: the "
			  "capture is blank or every line is omitted; it needs "
			  "at least its headline on the first line\n");
}

static void image_of_an_entry(void **state)
{
	put(*state, "parties/hamas.md",
	    "---\n"
	    "name: Hamas\n"
	    "---\n"
	    "A movement. ![logo](party:hamas)\n"); /* 4:13 */
	expect_error(
	    *state,
	    "$C/parties/hamas.md:4:13: error: an image cannot "
	    "show the party 'hamas'; use a link: [text](party:hamas)\n");
}

static void unsafe_link_scheme_is_a_warning(void **state)
{
	put(*state, "parties/hamas.md",
	    "---\n"
	    "name: Hamas\n"
	    "---\n"
	    "A movement, see [this](javascript:alert(1)).\n"); /* 4:17 */
	expect_warnings(
	    *state,
	    "$C/parties/hamas.md:4:17: warning: link to "
	    "'javascript:alert(1)' dropped: only http, https, mailto, "
	    "entry and relative links are kept\n",
	    1);
}

static void raw_html_is_a_warning(void **state)
{
	put(*state, "parties/hamas.md",
	    "---\n"
	    "name: Hamas\n"
	    "---\n"
	    "A <b>movement</b>.\n"); /* 4:3 */
	expect_warnings(*state,
			"$C/parties/hamas.md:4:3: warning: raw HTML is not "
			"rendered; write it as Markdown\n",
			1);
}

/* ---- legal but likely wrong ---- */

static void party_nobody_mentions_is_a_warning(void **state)
{
	put(*state, "parties/qatar.md",
	    "---\n"
	    "name: Qatar\n" /* 2:7 */
	    "---\n");
	expect_warnings(*state,
			"$C/parties/qatar.md:2:7: warning: no article mentions "
			"or names Qatar; add to 'aliases' the words the "
			"articles use for it, or list it in an article's "
			"'parties'\n",
			1);
}

static void proposal_without_positions_is_a_warning(void **state)
{
	put(*state, "proposals/p2.md",
	    "---\n"
	    "title: A second truce\n" /* 2:8 */
	    "date: 2023-12\n"
	    "proposed_by: [hamas]\n"
	    "---\n");
	expect_warnings(*state,
			"$C/proposals/p2.md:2:8: warning: no positions; add each "
			"answer the articles report, or write 'positions: []' "
			"when they report none\n",
			1);
}

/* An explicit empty list says the texts report no answer: no warning. */
static void proposal_with_empty_positions_is_clean(void **state)
{
	put(*state, "proposals/p2.md",
	    "---\n"
	    "title: A second truce\n"
	    "date: 2023-12\n"
	    "proposed_by: [hamas]\n"
	    "positions: []\n"
	    "---\n");
	expect_run(*state, 0, "");
}

static void note_without_links_is_a_warning(void **state)
{
	put(*state, "articles/a1.md",
	    "---\n"
	    "outlet: The Test Times\n"
	    "date: 2023-12-01\n"
	    "---\n"
	    "An introduction on [Hamas](party:hamas).\n"
	    "\n"
	    "> Hamas has rejected the offer\n" /* 7 */
	    "\n"
	    "A note with [a web link](https://example.org/) only.\n");
	expect_warnings(*state,
			"$C/articles/a1.md:7:1: warning: note links no party, "
			"proposal or article; link what it is about, as in "
			"[Hamas](party:hamas)\n",
			1);
}

/* ---- passages ---- */

static const char THREE_SENTENCES[] =
    "Hamas rejects truce\n"
    "Hamas has rejected the offer of a week-long truce. A spokesman said "
    "the talks would go on.\n"
    "Israel said it would study the proposal.\n";

static void passage_not_found_shows_closest(void **state)
{
	put(*state, "articles/a1.txt", THREE_SENTENCES);
	put(*state, "articles/a1.md",
	    "---\n"
	    "outlet: The Test Times\n"
	    "date: 2023-12-01\n"
	    "---\n"
	    "An introduction.\n"
	    "\n"
	    "> A spokesman said that talks would go on.\n"
	    "\n"
	    "A note.\n");
	expect_error(
	    *state,
	    "$C/articles/a1.md:7:1: error: passage not found in "
	    "a1.txt; the closest passage, on line 2, reads: \"A spokesman "
	    "said the talks would go on.\"; quote the article exactly "
	    "(white space, quotes and dashes may differ)\n");
}

/* A passage wrong at its start: the closest passage is still the one
 * sentence, not a piece of the sentence before it. */
static void passage_not_found_closest_keeps_to_the_sentence(void **state)
{
	const char *dir = *state;
	put(dir, "articles/a1.txt", THREE_SENTENCES);
	put(dir, "articles/a1.md",
	    "---\n"
	    "outlet: The Test Times\n"
	    "date: 2023-12-01\n"
	    "---\n"
	    "> A spokesperson said the talks would go on\n");
	/* With or without the sentence's full stop, but nothing of the
	 * sentence before ("truce. A spokesman ..."). */
	const char *tail =
	    "\"; quote the article exactly (white space, quotes "
	    "and dashes may differ)\ngloss: 1 error, 0 warnings\n"
	    "gloss: nothing written\n";
	const char *head = "$C/articles/a1.md:5:1: error: passage not found in "
			   "a1.txt; the closest passage, on line 2, reads: \"A "
			   "spokesman said the talks would go on";
	char *with_stop = expand(dir, xasprintf("%s.%s", head, tail));
	char *without = expand(dir, xasprintf("%s%s", head, tail));
	struct run_result r = check(dir);
	if (strcmp(r.err, without) != 0)
		assert_string_equal(r.err, with_stop);
	assert_int_equal(r.status, 1);
}

static void passage_found_several_times(void **state)
{
	put(*state, "articles/a1.txt",
	    "Hamas rejects truce\n"
	    "Hamas has rejected the offer of a week-long truce.\n"
	    "A spokesman said the talks would go on.\n"
	    "The talks would go on, he said.\n"
	    "He said the talks would go on.\n");
	put(*state, "articles/a1.md",
	    "---\n"
	    "outlet: The Test Times\n"
	    "date: 2023-12-01\n"
	    "---\n"
	    "> talks would go on\n");
	expect_error(*state,
		     "$C/articles/a1.md:5:1: error: passage occurs 3 times "
		     "in a1.txt (lines 3, 4, 5); quote more words so that it "
		     "occurs once\n");
}

/* A position's quote is anchored like a note: a failure is at the quote
 * (line 9, column 12), not at the start of the position. */
static void position_quote_not_found(void **state)
{
	put(*state, "proposals/p1.md",
	    "---\n"
	    "title: Week-long truce\n"
	    "date: 2023-12\n"
	    "proposed_by: [hamas]\n"
	    "positions:\n"
	    "  - party: hamas\n"
	    "    stance: rejected\n"
	    "    source: a1\n"
	    "    quote: \"the offer of a month-long truce\"\n"
	    "---\n");
	expect_error(
	    *state,
	    "$C/proposals/p1.md:9:12: error: passage not found in "
	    "a1.txt; the closest passage, on line 2, reads: \"the offer "
	    "of a week-long truce.\"; quote the article exactly (white "
	    "space, quotes and dashes may differ)\n");
}

static void position_quote_found_several_times(void **state)
{
	put(*state, "proposals/p1.md",
	    "---\n"
	    "title: Week-long truce\n"
	    "date: 2023-12\n"
	    "proposed_by: [hamas]\n"
	    "positions:\n"
	    "  - party: hamas\n"
	    "    stance: rejected\n"
	    "    source: a1\n"
	    "    quote: Hamas\n"
	    "---\n");
	expect_error(
	    *state, "$C/proposals/p1.md:9:12: error: passage occurs 2 "
		    "times in a1.txt (lines 1, 2); quote more words so that it "
		    "occurs once\n");
}

static void block_quote_of_two_paragraphs(void **state)
{
	put(*state, "articles/a1.md",
	    "---\n"
	    "outlet: The Test Times\n"
	    "date: 2023-12-01\n"
	    "---\n"
	    "An introduction.\n"
	    "\n"
	    "> Hamas has rejected the offer\n"
	    ">\n"
	    "> A spokesman said the talks would go on.\n"
	    "\n"
	    "A note.\n");
	expect_error(
	    *state, "$C/articles/a1.md:7:1: error: a passage must be one "
		    "paragraph of the article; split this block quote into one "
		    "quote per paragraph, each followed by its note\n");
}

/* An empty block quote has no paragraph to split: it is an empty
 * passage, and the message should say so. */
static void empty_block_quote(void **state)
{
	put(*state, "articles/a1.md",
	    "---\n"
	    "outlet: The Test Times\n"
	    "date: 2023-12-01\n"
	    "---\n"
	    ">\n"
	    "\n"
	    "A note on nothing.\n");
	expect_error(*state,
		     "$C/articles/a1.md:5:1: error: empty passage; quote "
		     "the words of the article this is about\n");
}

static void same_passage_quoted_twice(void **state)
{
	put(*state, "articles/a1.md",
	    "---\n"
	    "outlet: The Test Times\n"
	    "date: 2023-12-01\n"
	    "---\n"
	    "> Hamas has rejected the offer\n"
	    "\n"
	    "A note.\n"
	    "\n"
	    "> Hamas has rejected the offer\n"
	    "\n"
	    "Another note.\n");
	expect_error(
	    *state,
	    "$C/articles/a1.md:9:1: error: this passage of a1.txt "
	    "is already quoted by another note; merge the two into one\n");
}

static void omit_line_not_in_article(void **state)
{
	put(*state, "articles/a1.md",
	    "---\n"
	    "outlet: The Test Times\n"
	    "date: 2023-12-01\n"
	    "omit: [Share this story]\n"
	    "---\n"
	    "> Hamas has rejected the offer\n");
	expect_error(
	    *state,
	    "$C/articles/a1.md:4:8: error: omitted line not found "
	    "in a1.txt: 'Share this story'; copy the whole line exactly "
	    "as the capture has it\n");
}

/* ---- parties ---- */

static void alias_shared_by_two_parties(void **state)
{
	put(*state, "parties/islamic-jihad.md",
	    "---\n"
	    "name: Islamic Jihad\n"
	    "aliases: [Islamic Jihad, Hamas]\n" /* 'Hamas' at column 26 */
	    "---\n");
	expect_error(
	    *state,
	    "$C/parties/islamic-jihad.md:3:26: error: alias "
	    "'Hamas' already names party 'hamas'; an alias may name one "
	    "party only\n");
}

static void alias_listed_twice(void **state)
{
	put(*state, "parties/hamas.md",
	    "---\n"
	    "name: Hamas\n"
	    "aliases: [Hamas, Hamas]\n"
	    "---\n");
	expect_error(*state,
		     "$C/parties/hamas.md:3:18: error: alias 'Hamas' is "
		     "listed twice; remove one\n");
}

/* ---- front matter and YAML ---- */

static void missing_front_matter(void **state)
{
	put(*state, "articles/a1.md",
	    "outlet: The Test Times\n"
	    "date: 2023-12-01\n"
	    "\n"
	    "> Hamas has rejected the offer\n");
	expect_error(*state,
		     "$C/articles/a1.md:1:1: error: missing front matter: "
		     "the file must start with a line '---', then YAML, then a "
		     "line '---'\n");
}

static void front_matter_never_closes(void **state)
{
	put(*state, "articles/a1.md",
	    "---\n"
	    "outlet: The Test Times\n"
	    "date: 2023-12-01\n"
	    "\n"
	    "> Hamas has rejected the offer\n");
	expect_error(*state,
		     "$C/articles/a1.md:1:1: error: front matter opened "
		     "here never closes; add a line '---' after it\n");
}

static void front_matter_not_a_mapping(void **state)
{
	put(*state, "parties/hamas.md",
	    "---\n"
	    "- name\n"
	    "- Hamas\n"
	    "---\n");
	expect_error(
	    *state,
	    "$C/parties/hamas.md:2:1: error: front matter must "
	    "be a mapping of keys to values, for example: title: ...\n");
}

static void invalid_yaml_in_front_matter(void **state)
{
	put(*state, "articles/a1.md",
	    "---\n"
	    "outlet: The Test Times\n"
	    "date: 2023-12-01\n"
	    "title: Hamas: no truce\n" /* the second ':' at column 13 */
	    "---\n"
	    "> Hamas has rejected the offer\n");
	expect_error(
	    *state, "$C/articles/a1.md:4:13: error: invalid YAML: mapping "
		    "values are not allowed in this context; quote values that "
		    "contain ': '\n");
}

static void yaml_indented_with_a_tab(void **state)
{
	put(*state, "articles/a1.md",
	    "---\n"
	    "outlet: The Test Times\n"
	    "\tdate: 2023-12-01\n"
	    "---\n"
	    "> Hamas has rejected the offer\n");
	expect_error(
	    *state,
	    "$C/articles/a1.md:3:1: error: invalid YAML: found a "
	    "tab character that violates indentation (while scanning a "
	    "plain scalar that starts at line 2); indent with spaces, not "
	    "tabs\n");
}

/* ---- bytes that are not text ---- */

static void invalid_utf8_in_md(void **state)
{
	put(*state, "articles/a1.md",
	    "---\n"
	    "outlet: The Test Times\n"
	    "date: 2023-12-01\n"
	    "---\n"
	    "Caf\xe9 au lait.\n" /* Latin-1 é: byte 4 of line 5 */
	    "\n"
	    "> Hamas has rejected the offer\n");
	expect_error(*state,
		     "$C/articles/a1.md:5:4: error: invalid UTF-8 (byte "
		     "0xE9); save the file as UTF-8\n");
}

static void invalid_utf8_in_txt(void **state)
{
	put(*state, "articles/a1.txt",
	    "Hamas rejects truce\n"
	    "Hamas has rejected the offer of a week-long truce.\n"
	    "A spokesman said \xe2\x80 the talks would go on.\n"); /* 3:18 */
	expect_error(*state,
		     "$C/articles/a1.txt:3:18: error: invalid UTF-8 (byte "
		     "0xE2); save the file as UTF-8\n");
}

static void binary_file(void **state)
{
	static const char text[] = "Hamas rejects truce\n"
				   "Hamas has rejected\0 the offer\n";
	put_bytes(*state, "articles/a1.txt", text, (long)sizeof text - 1);
	expect_error(
	    *state, "$C/articles/a1.txt:2:19: error: binary file: a NUL "
		    "byte where text was expected; content files must be UTF-8 "
		    "text\n");
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void file_over_64_mib(void **state)
{
	const char *dir = *state;
	char *path = xasprintf("%s/content/articles/a1.txt", dir);
	/* Sparse: 65 MiB that take no room on disk. */
	assert_int_equal(truncate(path, (off_t)65 << 20), 0);
	double start = now();
	expect_error(
	    dir, "$C/articles/a1.txt: error: file is 68157440 bytes, over "
		 "the limit of 64 MiB; split it or keep it out of content/\n");
	/* Refused from its size, not after reading it. */
	assert_true(now() - start < 5.0);
}

/* A 100 MB capture (sparse) and a 100 MB annotation: both refused from
 * their size, in one run. */
static void files_of_100_mb(void **state)
{
	const char *dir = *state;
	char *txt = xasprintf("%s/content/articles/a1.txt", dir);
	char *md = xasprintf("%s/content/parties/hamas.md", dir);
	assert_int_equal(truncate(txt, (off_t)100 * 1000 * 1000), 0);
	assert_int_equal(truncate(md, (off_t)100 * 1000 * 1000), 0);
	double start = now();
	expect_errors(
	    dir,
	    "$C/parties/hamas.md: error: file is 100000000 bytes, over the "
	    "limit of 64 MiB; split it or keep it out of content/\n"
	    "$C/articles/a1.txt: error: file is 100000000 bytes, over the "
	    "limit of 64 MiB; split it or keep it out of content/\n",
	    2, 0);
	assert_true(now() - start < 5.0);
}

static void symlink_out_of_content(void **state)
{
	const char *dir = *state;
	put_file(dir, "outside.txt", BASE_TXT, -1);
	rm(dir, "articles/a1.txt");
	char *link = xasprintf("%s/content/articles/a1.txt", dir);
	assert_int_equal(symlink("../../outside.txt", link), 0);
	expect_error(
	    dir, "$C/articles/a1.txt: error: symbolic link leads outside "
		 "the content folder (to '$R/outside.txt'); copy the file into "
		 "content/ instead\n");
}

static void symlink_to_folder_out_of_content(void **state)
{
	const char *dir = *state;
	put_file(dir, "outside/x.txt", BASE_TXT, -1);
	char *link = xasprintf("%s/content/articles/elsewhere", dir);
	assert_int_equal(symlink("../../outside", link), 0);
	expect_error(
	    dir, "$C/articles/elsewhere: error: symbolic link leads outside "
		 "the content folder (to '$R/outside'); copy the file into "
		 "content/ instead\n");
}

static void symlink_inside_content_is_fine(void **state)
{
	const char *dir = *state;
	put(dir, "static/a1.txt", BASE_TXT);
	rm(dir, "articles/a1.txt");
	char *link = xasprintf("%s/content/articles/a1.txt", dir);
	assert_int_equal(symlink("../static/a1.txt", link), 0);
	expect_run(dir, 0, "");
}

/* ---- every error in one run ---- */

static void all_errors_in_one_run(void **state)
{
	const char *dir = *state;
	put(dir, "archive.yaml", "title: T\ntagine: x\n");
	put(dir, "articles/a1.md",
	    "---\n"
	    "outlet: The Test Times\n"
	    "date: 2023-13-01\n"
	    "---\n"
	    "> Hamas has rejected the offer\n");
	put(dir, "proposals/p1.md",
	    "---\n"
	    "title: Week-long truce\n"
	    "date: 2023-12\n"
	    "proposed_by: [hamas]\n"
	    "positions:\n"
	    "  - party: hamas\n"
	    "    stance: refused\n"
	    "    source: a1\n"
	    "    quote: \"the offer of a week-long truce\"\n"
	    "---\n");
	put(dir, "parties/hamas.md",
	    "---\n"
	    "name: Hamas\n"
	    "---\n"
	    "See [this](javascript:void(0)).\n");
	expect_errors(
	    dir,
	    "$C/archive.yaml:2:1: error: unknown key 'tagine'; did you "
	    "mean 'tagline'?\n"
	    "$C/articles/a1.md:3:7: error: invalid date '2023-13-01'" DATE_HINT
	    "$C/proposals/p1.md:7:13: error: invalid stance 'refused'; "
	    "use one of: accepted, rejected, conditional, undecided\n"
	    "$C/parties/hamas.md:4:5: warning: link to "
	    "'javascript:void(0)' dropped: only http, https, mailto, "
	    "entry and relative links are kept\n",
	    3, 1);
}

/* ---- the command line ---- */

/* The usage block: what `gloss --help` prints before its first blank
 * line. */
static char *usage_text(void)
{
	const char *args[] = {"--help", NULL};
	struct run_result r = run(args);
	char *end = strstr(r.out, "\n\n");
	char *usage = keep(strndup(r.out, end ? (size_t)(end - r.out) + 1 : 0));
	return usage;
}

static void expect_usage_error(const char *const *args, const char *message)
{
	char *usage = usage_text();
	assert_true(strncmp(usage, "usage: gloss ", 13) == 0);
	char *want = xasprintf("gloss: error: %s\n%s", message, usage);
	struct run_result r = run(args);
	assert_string_equal(r.err, want);
	assert_int_equal(r.status, 2);
	assert_string_equal(r.out, "");
}

static void usage_unknown_command(void **state)
{
	(void)state;
	const char *args[] = {"frobnicate", NULL};
	expect_usage_error(args, "unknown command 'frobnicate'");
}

static void usage_no_command(void **state)
{
	(void)state;
	const char *args[] = {NULL};
	expect_usage_error(args, "no command given");
}

static void usage_unknown_option(void **state)
{
	const char *dir = *state;
	char *content = content_of(dir);
	const char *args[] = {"check", "-C", content, "--frob", NULL};
	expect_usage_error(args, "unknown option '--frob'");
	/* -o belongs to build only. */
	const char *args2[] = {"check", "-o", "out", NULL};
	expect_usage_error(args2, "unknown option '-o'");
}

static void usage_option_without_value(void **state)
{
	(void)state;
	const char *args[] = {"check", "-C", NULL};
	expect_usage_error(args, "option '-C' needs a value");
	const char *args2[] = {"build", "-o", NULL};
	expect_usage_error(args2, "option '-o' needs a value");
}

/* The usage shows each command gloss has (`new` comes with the editors'
 * workflow issue, and its line with it). */
static void usage_lists_every_command(void **state)
{
	(void)state;
	char *usage = usage_text();
	assert_non_null(strstr(usage, "gloss build [-C CONTENT] [-t THEME_DIR] "
				      "[-o OUTPUT]"));
	assert_non_null(strstr(usage, "gloss check [-C CONTENT]"));
	assert_non_null(strstr(usage, "gloss --help | --version"));
}

static void version_exits_0(void **state)
{
	(void)state;
	const char *args[] = {"--version", NULL};
	struct run_result r = run(args);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.err, "");
	assert_true(strncmp(r.out, "gloss ", 6) == 0);
	assert_true(r.out[6] >= '0' && r.out[6] <= '9');
	assert_non_null(strchr(r.out, '\n'));
	assert_string_equal(strchr(r.out, '\n'), "\n"); /* one line */
}

static void help_exits_0(void **state)
{
	(void)state;
	const char *args[] = {"--help", NULL};
	struct run_result r = run(args);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.err, "");
	assert_true(strncmp(r.out, "usage: gloss ", 13) == 0);
	/* It explains the options and the exit statuses. */
	assert_non_null(strstr(r.out, "-C CONTENT"));
	assert_non_null(strstr(r.out, "-t THEME_DIR"));
	assert_non_null(strstr(r.out, "-o OUTPUT"));
	assert_non_null(strstr(r.out, "exit status"));
}

/* ---- builds that must not write ---- */

static void assert_absent(const char *dir, const char *rel)
{
	if (path_exists(dir, rel))
		fail_msg("%s/%s exists, but nothing should have been written",
			 dir, rel);
}

static void build_with_errors_writes_nothing(void **state)
{
	const char *dir = *state;
	put(dir, "parties/hamas.md",
	    "---\n"
	    "name: Hamas\n"
	    "---\n"
	    "Rejected [the truce](proposal:p2).\n");
	char *want = expand(dir, "$C/parties/hamas.md:4:10: error: unknown "
				 "proposal 'p2' in link; there is no "
				 "proposals/p2.md\n"
				 "gloss: 1 error, 0 warnings\n"
				 "gloss: nothing written\n");
	struct run_result r = build(dir, "out");
	assert_string_equal(r.err, want);
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out, "");
	assert_absent(dir, "out");
	assert_absent(dir, "out.gloss-new");
}

static void build_refuses_a_folder_it_does_not_own(void **state)
{
	const char *dir = *state;
	put_file(dir, "out/mine.txt", "keep me\n", -1);
	char *want =
	    expand(dir, "$D/out: error: output folder is not empty and "
			"was not written by gloss (it has no "
			".gloss-manifest); empty it, or choose another "
			"with -o\n"
			"gloss: 1 error, 0 warnings\n"
			"gloss: nothing written\n");
	struct run_result r = build(dir, "out");
	assert_string_equal(r.err, want);
	assert_int_equal(r.status, 2);
	assert_string_equal(r.out, "");
	/* The folder is exactly as it was. */
	char *kept = read_back(dir, "out/mine.txt");
	assert_non_null(kept);
	assert_string_equal(kept, "keep me\n");
	char *out = xasprintf("%s/out", dir);
	DIR *d = opendir(out);
	assert_non_null(d);
	struct dirent *e;
	int entries = 0;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			entries++;
	closedir(d);
	assert_int_equal(entries, 1);
	assert_absent(dir, "out.gloss-new");
}

/* Every file under a folder as "path\n<bytes>\n", sorted by path:
 * the whole of it, to compare before and after. */
struct snapshot {
	char **items;
	size_t count, cap;
};

static void snap_walk(struct snapshot *s, const char *root, const char *rel)
{
	const char *full = *rel ? xasprintf("%s/%s", root, rel) : root;
	DIR *d = opendir(full);
	struct dirent *e;
	if (!d) {
		s->items = realloc(s->items, (s->cap += 1) * sizeof *s->items);
		s->items[s->count++] = xasprintf("cannot list %s\n", full);
		return;
	}
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		const char *child = *rel ? xasprintf("%s/%s", rel, e->d_name)
					 : xasprintf("%s", e->d_name);
		char *path = xasprintf("%s/%s", root, child);
		struct stat st;
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			snap_walk(s, root, child);
			continue;
		}
		const char *data = read_back(root, child);
		if (s->count == s->cap)
			s->items =
			    realloc(s->items, (s->cap = s->cap * 2 + 16) *
						  sizeof *s->items);
		s->items[s->count++] =
		    xasprintf("%s\n%s\n", child, data ? data : "(unreadable)");
	}
	closedir(d);
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *snapshot(const char *dir, const char *rel)
{
	struct snapshot s = {0};
	snap_walk(&s, xasprintf("%s/%s", dir, rel), "");
	qsort(s.items, s.count, sizeof *s.items, compare_strings);
	size_t len = 0;
	for (size_t i = 0; i < s.count; i++)
		len += strlen(s.items[i]);
	char *all = keep(calloc(1, len + 1));
	for (size_t i = 0; i < s.count; i++)
		strcat(all, s.items[i]);
	free(s.items);
	return all;
}

static void build_with_errors_keeps_previous_output(void **state)
{
	const char *dir = *state;
	struct run_result r = build(dir, "out");
	assert_int_equal(r.status, 0);
	assert_true(path_exists(dir, "out/index.html"));
	assert_true(path_exists(dir, "out/.gloss-manifest"));
	char *before = snapshot(dir, "out");

	/* Break the content; also change what would be written. */
	put(dir, "archive.yaml", "title: Another title\n");
	put(dir, "proposals/p1.md",
	    "---\n"
	    "title: Week-long truce\n"
	    "date: 2023-12\n"
	    "proposed_by: [hamas]\n"
	    "positions:\n"
	    "  - party: hamas\n"
	    "    stance: refused\n"
	    "    source: a1\n"
	    "    quote: \"the offer of a week-long truce\"\n"
	    "---\n");
	char *want =
	    expand(dir, "$C/proposals/p1.md:7:13: error: invalid stance "
			"'refused'; use one of: accepted, rejected, "
			"conditional, undecided\n"
			"gloss: 1 error, 0 warnings\n"
			"gloss: nothing written\n");
	r = build(dir, "out");
	assert_string_equal(r.err, want);
	assert_int_equal(r.status, 1);
	char *after = snapshot(dir, "out");
	assert_string_equal(after, before);
	assert_absent(dir, "out.gloss-new");
	assert_absent(dir, "out.gloss-old");
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(valid_archive_checks_clean),
	    T(valid_dates_of_every_precision),
	    T(missing_archive_yaml),
	    T(archive_yaml_without_title),
	    T(archive_yaml_unknown_key),
	    T(archive_yaml_not_a_mapping),
	    T(archive_yaml_invalid_yaml),
	    T(archive_yaml_bad_base_url),
	    T(theme_not_found_points_at_theme),
	    T(article_unknown_key),
	    T(proposal_unknown_key_lists_known_keys),
	    T(position_unknown_key),
	    T(string_expected_not_list_or_mapping),
	    T(list_expected_not_string),
	    T(empty_value_and_empty_item),
	    T(duplicate_key),
	    T(yaml_anchors_and_tags),
	    T(article_url_not_absolute),
	    T(bad_dates),
	    T(missing_date),
	    T(bad_stance),
	    T(bad_status),
	    T(invalid_id_file_names),
	    T(id_longer_than_100),
	    T(reserved_page_id),
	    T(md_without_txt),
	    T(txt_without_md),
	    T(unexpected_file),
	    T(unexpected_folder),
	    T(unknown_party_and_proposal_in_front_matter),
	    T(id_listed_twice),
	    T(position_unknown_party_and_source),
	    T(position_without_quote_is_a_warning),
	    T(position_without_source),
	    T(position_not_a_mapping_and_without_stance),
	    T(positions_not_a_list),
	    T(proposal_without_proposed_by),
	    T(proposal_with_empty_proposed_by),
	    T(link_to_unknown_entries),
	    T(link_in_nested_blocks),
	    T(link_positions_in_terms),
	    T(links_of_many_proposals_in_order),
	    T(many_parties_in_order),
	    T(link_inside_passage_quote),
	    T(link_with_malformed_id),
	    T(image_of_an_entry),
	    T(ids_that_are_paths),
	    T(ids_differing_only_in_case),
	    T(empty_files),
	    T(capture_with_nothing_to_show),
	    T(unsafe_link_scheme_is_a_warning),
	    T(raw_html_is_a_warning),
	    T(party_nobody_mentions_is_a_warning),
	    T(proposal_without_positions_is_a_warning),
	    T(proposal_with_empty_positions_is_clean),
	    T(note_without_links_is_a_warning),
	    T(passage_not_found_shows_closest),
	    T(passage_not_found_closest_keeps_to_the_sentence),
	    T(passage_found_several_times),
	    T(position_quote_not_found),
	    T(position_quote_found_several_times),
	    T(block_quote_of_two_paragraphs),
	    T(empty_block_quote),
	    T(same_passage_quoted_twice),
	    T(omit_line_not_in_article),
	    T(alias_shared_by_two_parties),
	    T(alias_listed_twice),
	    T(missing_front_matter),
	    T(front_matter_never_closes),
	    T(front_matter_not_a_mapping),
	    T(invalid_yaml_in_front_matter),
	    T(yaml_indented_with_a_tab),
	    T(invalid_utf8_in_md),
	    T(invalid_utf8_in_txt),
	    T(binary_file),
	    T(file_over_64_mib),
	    T(files_of_100_mb),
	    T(symlink_out_of_content),
	    T(symlink_to_folder_out_of_content),
	    T(symlink_inside_content_is_fine),
	    T(all_errors_in_one_run),
	    T(usage_unknown_command),
	    T(usage_no_command),
	    T(usage_unknown_option),
	    T(usage_option_without_value),
	    T(usage_lists_every_command),
	    T(version_exits_0),
	    T(help_exits_0),
	    T(build_with_errors_writes_nothing),
	    T(build_refuses_a_folder_it_does_not_own),
	    T(build_with_errors_keeps_previous_output),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
