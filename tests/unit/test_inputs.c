/* What every key holds of the libraries (inputs.h): each library whose
 * work reaches the site, by the version that runs, ICU's Unicode tables
 * among them, since they fold the search index's words and a rebuild
 * copies the words of unchanged entries from the previous index. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <cmark.h>
#include <libxml/globals.h>
#include <unicode/uchar.h>
#include <unicode/uversion.h>
#include <yaml.h>

#include "buf.h"
#include "inputs.h"

static void assert_names(const char *all, const char *name, const char *v)
{
	char want[128];
	snprintf(want, sizeof want, "%s %s", name, v);
	if (!strstr(all, want))
		fail_msg("'%s' does not name %s", all, want);
}

static void test_every_library_by_its_version(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b);
	inputs_libraries(&b);
	UVersionInfo v;
	char s[U_MAX_VERSION_STRING_LENGTH];
	assert_names(b.data, "cmark", cmark_version_string());
	assert_names(b.data, "libxml2", xmlParserVersion);
	assert_names(b.data, "libyaml", yaml_get_version_string());
	u_getVersion(v);
	u_versionToString(v, s);
	assert_names(b.data, "ICU", s);
	u_getUnicodeVersion(v);
	u_versionToString(v, s);
	assert_names(b.data, "Unicode", s);
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_library_by_its_version),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
