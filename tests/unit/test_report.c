/* test_report.c - the escaping every writer shares (report.h): UTF-8
 * validation, JSON strings, XML text and URI references, on the inputs
 * that break naive writers. The formats themselves are checked with real
 * parsers in tests/report/check_formats.py. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

typedef void (*writer)(FILE *out, const char *s);

static char *render(writer w, const char *s) {
  char *text = NULL;
  size_t len;
  FILE *m = open_memstream(&text, &len);
  w(m, s);
  fclose(m);
  return text;
}

#define assert_renders(w, in, want)                                            \
  do {                                                                         \
    char *got_ = render(w, in);                                                \
    assert_string_equal(got_, want);                                           \
    free(got_);                                                                \
  } while (0)

static void json_strings(void **state) {
  (void)state;
  assert_renders(report_json_str, NULL, "null");
  assert_renders(report_json_str, "", "\"\"");
  assert_renders(report_json_str, "say \"hi\" \\ now",
                 "\"say \\\"hi\\\" \\\\ now\"");
  assert_renders(report_json_str, "a\nb\rc\td\x01\x1f\x7f",
                 "\"a\\nb\\rc\\td\\u0001\\u001f\\u007f\"");
  assert_renders(report_json_str, "caf\xC3\xA9 </script>",
                 "\"caf\xC3\xA9 </script>\"");
  assert_renders(report_json_str,
                 "bad\xFF\xC0\xAF"
                 "end",
                 "\"bad\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
                 "end\"");
}

static void xml_text(void **state) {
  (void)state;
  assert_renders(report_xml_str, NULL, "");
  assert_renders(report_xml_str, "<a href=\"x\">&'</a>",
                 "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
  assert_renders(report_xml_str, "l1\nl2\tx\r", "l1&#10;l2&#9;x&#13;");
  /* XML 1.0 cannot carry other C0 controls, not even as &#1;. */
  assert_renders(report_xml_str,
                 "a\x01"
                 "b\x1b",
                 "a\xEF\xBF\xBD"
                 "b\xEF\xBF\xBD");
  assert_renders(report_xml_str, "\xEF\xBF\xBF", "\xEF\xBF\xBD"); /* U+FFFF */
  assert_renders(report_xml_str, "\xFE", "\xEF\xBF\xBD");
  assert_renders(report_xml_str, "\xC3\xA9t\xC3\xA9", "\xC3\xA9t\xC3\xA9");
}

static void uri_references(void **state) {
  (void)state;
  assert_renders(report_uri, "week1/01_plan.md", "week1/01_plan.md");
  assert_renders(report_uri, "a b/c%d#e?f\"g", "a%20b/c%25d%23e%3Ff%22g");
  assert_renders(report_uri, "caf\xC3\xA9\n.md", "caf%C3%A9%0A.md");
  assert_renders(report_uri, "~x-y_z.", "~x-y_z.");
}

static void clean_text(void **state) {
  (void)state;
  assert_renders(report_clean, "ok \xC3\xA9", "ok \xC3\xA9");
  assert_renders(report_clean, "a\nb\xFF",
                 "a\xEF\xBF\xBD"
                 "b\xEF\xBF\xBD");
}

static void report_format_by_extension(void **state) {
  (void)state;
  clint_report_format f;
  assert_true(clint_report_format_from_path("out/r.md", &f));
  assert_int_equal(f, CLINT_REPORT_MD);
  assert_true(clint_report_format_from_path("r.html", &f));
  assert_int_equal(f, CLINT_REPORT_HTML);
  assert_true(clint_report_format_from_path("./r.json", &f));
  assert_int_equal(f, CLINT_REPORT_JSON);
  assert_false(clint_report_format_from_path("report", &f));
  assert_false(clint_report_format_from_path("a.md/report", &f));
  assert_false(clint_report_format_from_path("r.txt", &f));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(json_strings),
      cmocka_unit_test(xml_text),
      cmocka_unit_test(uri_references),
      cmocka_unit_test(clean_text),
      cmocka_unit_test(report_format_by_extension),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
