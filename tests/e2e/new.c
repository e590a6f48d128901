/* End-to-end tests of `gloss new`: skeletons that `gloss check` accepts,
 * an article copied in byte for byte with its title, date and omit lines
 * proposed, and clear refusals that write nothing. */
#include "harness.h"

#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

static char *xasprintf(const char *f, ...)
{
	va_list ap;
	char *s = NULL;
	va_start(ap, f);
	if (vasprintf(&s, f, ap) < 0)
		abort();
	va_end(ap);
	return s;
}

/* Each test works on a copy of the golden archive in DIR/content. */
static int setup(void **state)
{
	char *dir = temp_dir();
	/* themes/ beside content/, where gloss looks for the theme. */
	char *cmd = xasprintf("cp -R tests/golden/basic/content '%s/content' && "
			      "ln -s \"$PWD/themes\" '%s/themes'", dir, dir);
	int rc = system(cmd);
	free(cmd);
	*state = dir;
	return rc == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	remove_dir(*state);
	free(*state);
	return 0;
}

/* Runs gloss with ARGS, then "-C DIR/content"; returns the result. */
static struct run_result gloss_in(const char *dir, const char *const *args)
{
	const char *all[16];
	size_t n = 0;
	char *content = xasprintf("%s/content", dir);
	for (; args[n] && n < 12; n++)
		all[n] = args[n];
	all[n++] = "-C";
	all[n++] = content;
	all[n] = NULL;
	struct run_result r = run_gloss(all);
	free(content);
	return r;
}

static void assert_checks_clean(const char *dir)
{
	const char *args[] = {"check", NULL};
	struct run_result r = gloss_in(dir, args);
	if (r.status != 0)
		fprintf(stderr, "%s", r.err);
	assert_int_equal(r.status, 0);
	/* The golden archive's own two warnings, and nothing else. */
	assert_null(strstr(r.err, ": error:"));
	run_result_free(&r);
}

static void new_party_page_and_proposal_check_clean(void **state)
{
	const char *dir = *state;
	const char *party[] = {"new", "party", "hezbollah", NULL};
	const char *page[] = {"new", "page", "sources", NULL};
	const char *proposal[] = {"new", "proposal", "2009-01-hamas-ceasefire", NULL};
	const char *const *cmds[] = {party, page, proposal};
	const char *files[] = {"content/parties/hezbollah.md",
			       "content/pages/sources.md",
			       "content/proposals/2009-01-hamas-ceasefire.md"};
	for (size_t i = 0; i < 3; i++) {
		struct run_result r = gloss_in(dir, cmds[i]);
		assert_int_equal(r.status, 0);
		char *want = xasprintf("gloss: wrote %s/%s\n", dir, files[i]);
		assert_string_equal(r.err, want);
		free(want);
		run_result_free(&r);
		assert_true(path_exists(dir, files[i]));
	}
	/* The proposal's date and proposer come from its ID. */
	char *md = get_file(dir, files[2]);
	assert_non_null(strstr(md, "\ndate: 2009-01\n"));
	assert_non_null(strstr(md, "\nproposed_by: [hamas]\n"));
	free(md);
	md = get_file(dir, files[0]);
	assert_non_null(strstr(md, "name: \"Hezbollah\"\n"));
	free(md);
	assert_checks_clean(dir);
}

static const char capture[] =
	"Beta \"answers\" Alpha: a \\ backslash, # and a colon\r\n"
	"Share this story\r\n"
	"Advertisement\r\n"
	"\r\n"
	"Beta\xe2\x80\x99s leader said on Friday that the offer was not enough.\r\n"
	"Posted March 3, 2009\r\n"
	"He added: \xe2\x80\x9cWe will answer in writing.\xe2\x80\x9d\r\n";

static void new_article_copies_and_proposes(void **state)
{
	const char *dir = *state;
	char *raw = xasprintf("%s/raw.txt", dir);
	put_file(dir, "raw.txt", capture, -1);
	const char *args[] = {"new", "article", "2009-03-beta-answers", "--from",
			      raw, NULL};
	struct run_result r = gloss_in(dir, args);
	assert_int_equal(r.status, 0);
	run_result_free(&r);
	/* Byte for byte, CRs and all. */
	char *txt = get_file(dir, "content/articles/2009-03-beta-answers.txt");
	assert_string_equal(txt, capture);
	free(txt);
	char *md = get_file(dir, "content/articles/2009-03-beta-answers.md");
	/* The headline is the title, quoted so YAML keeps it as it is. */
	assert_non_null(strstr(md, "\ntitle: \"Beta \\\"answers\\\" Alpha: a \\\\ "
				   "backslash, # and a colon\"\n"));
	assert_non_null(strstr(md, "\ndate: 2009-03\n"));
	/* Omit: the omit_lines match and the short lines that are not
	 * sentences; never the headline or a sentence. */
	assert_non_null(strstr(md, "\nomit:\n  - \"Share this story\"\n"
				   "  - \"Advertisement\"\n"
				   "  - \"Posted March 3, 2009\"\n#"));
	assert_null(strstr(md, "  - \"He added"));
	free(md);
	assert_checks_clean(dir);

	/* And the site shows the headline exactly. */
	char *content = xasprintf("%s/content", dir);
	char *out = xasprintf("%s/out", dir);
	const char *build[] = {"build", "-C", content, "-t", "themes/default",
			       "-o", out, NULL};
	r = run_gloss(build);
	assert_int_equal(r.status, 0);
	run_result_free(&r);
	htmlDocPtr doc = load_page(out, "articles/2009-03-beta-answers.html");
	assert_non_null(doc);
	char *h1 = xpath_string(doc, "normalize-space(//h1)");
	assert_string_equal(h1, "Beta \"answers\" Alpha: a \\ backslash, # and a colon");
	free(h1);
	xmlFreeDoc(doc);
	free(content);
	free(out);
	free(raw);
}

/* Without a date in the ID, the first date the text states is taken,
 * and the date note says where it came from. */
static void new_article_date_from_text(void **state)
{
	const char *dir = *state;
	char *raw = xasprintf("%s/raw.txt", dir);
	put_file(dir, "raw.txt", capture, -1);
	const char *args[] = {"new", "article", "beta-answers", "--from", raw, NULL};
	struct run_result r = gloss_in(dir, args);
	assert_int_equal(r.status, 0);
	run_result_free(&r);
	char *md = get_file(dir, "content/articles/beta-answers.md");
	assert_non_null(strstr(md, "\ndate: 2009-03-03\n"
				   "date_note: \"The text states the date: "
				   "\\\"March 3, 2009\\\".\"\n"));
	free(md);
	assert_checks_clean(dir);
	free(raw);
}

/* Refusals: exact message, exit status, nothing written. */
static void new_refuses_clearly(void **state)
{
	const char *dir = *state;
	char *raw = xasprintf("%s/raw.txt", dir);
	char *bin = xasprintf("%s/bin.txt", dir);
	char *undated = xasprintf("%s/undated.txt", dir);
	put_file(dir, "raw.txt", capture, -1);
	put_file(dir, "bin.txt", "PK\x03\x04\0\0binary", 12);
	put_file(dir, "undated.txt", "A headline\nNo date here.\n", -1);
	struct {
		const char *args[8];
		int status;
		const char *err; /* $D is the test folder */
		const char *absent;
	} cases[] = {
		{{"new", "party", "hamas", NULL}, 1,
		 "$D/content/parties/hamas.md: error: party 'hamas' exists "
		 "already; choose another ID, or edit it\n", NULL},
		{{"new", "party", "Hamas_2", NULL}, 1,
		 "gloss: error: invalid ID 'Hamas_2': ", "content/parties/hamas-2.md"},
		{{"new", "page", "search", NULL}, 1,
		 "gloss: error: 'search' is the name of a page gloss generates; "
		 "choose another ID\n", "content/pages/search.md"},
		{{"new", "article", "2009-a", NULL}, 2,
		 "gloss: error: new article needs --from RAW.txt, the text as "
		 "captured\n", "content/articles/2009-a.md"},
		{{"new", "article", "2009-b", "--from", bin, NULL}, 1,
		 "$D/bin.txt: error: the capture is not UTF-8 text (it holds NUL "
		 "bytes); save it as UTF-8 plain text first\n",
		 "content/articles/2009-b.txt"},
		{{"new", "article", "no-date", "--from", undated, NULL}, 1,
		 "$D/undated.txt: error: cannot tell the article's date: the ID "
		 "does not start with one and the text states none; give --date "
		 "YYYY[-MM[-DD]]\n", "content/articles/no-date.txt"},
		{{"new", "proposal", "ceasefire", NULL}, 1,
		 "$D/content/proposals/ceasefire.md: error: cannot tell the "
		 "proposal's date: the ID does not start with one; give --date "
		 "YYYY[-MM[-DD]]\n$D/content/proposals/ceasefire.md: error: "
		 "cannot tell who proposed it: no party ID is part of 'ceasefire'; "
		 "give --by PARTY\n", "content/proposals/ceasefire.md"},
		{{"new", "party", "x", "--by", "hamas", NULL}, 2,
		 "gloss: error: --by does not apply to a party\n",
		 "content/parties/x.md"},
		{{"new", "treaty", "x", NULL}, 2,
		 "gloss: error: unknown kind 'treaty'; use article, party, "
		 "proposal or page\n", NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct run_result r = gloss_in(dir, cases[i].args);
		/* Expand $D. */
		char *want = strdup("");
		for (const char *s = cases[i].err; *s; s++) {
			char *next = strncmp(s, "$D", 2) == 0
					     ? xasprintf("%s%s", want, dir)
					     : xasprintf("%s%c", want, *s);
			if (strncmp(s, "$D", 2) == 0)
				s++;
			free(want);
			want = next;
		}
		if (r.status != cases[i].status || strncmp(r.err, want, strlen(want)))
			fprintf(stderr, "case %zu: status %d, stderr:\n%s", i,
				r.status, r.err);
		assert_int_equal(r.status, cases[i].status);
		assert_memory_equal(r.err, want, strlen(want));
		if (cases[i].absent)
			assert_false(path_exists(dir, cases[i].absent));
		free(want);
		run_result_free(&r);
	}
	/* The party that existed is untouched. */
	char *hamas = get_file(dir, "content/parties/hamas.md");
	char *orig = get_file("tests/golden/basic/content", "parties/hamas.md");
	assert_string_equal(hamas, orig);
	free(hamas);
	free(orig);
	free(raw);
	free(bin);
	free(undated);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(new_party_page_and_proposal_check_clean),
		T(new_article_copies_and_proposes),
		T(new_article_date_from_text),
		T(new_refuses_clearly),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
