/* test_headings.c - the heading family's pure helpers (section
 * prefixes, stray '#'), and the fixes it attaches for stray
 * permalink signs, applied to a file with a BOM and CRLF line ends. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "run_fixes.h"

#include "checks/headings.h"
#include "courselint.h"

static void test_prefix_match(void **state) {
  (void)state;
  assert_true(headings_prefix_match("Review loop", "Review loop"));
  assert_true(headings_prefix_match("review LOOP (weekly)", "Review loop"));
  assert_true(headings_prefix_match("3. Reflection", "Reflection"));
  assert_true(
      headings_prefix_match("\xE2\x9C\x85 Completion gate", "Completion gate"));
  assert_false(headings_prefix_match("Review", "Review loop"));
  assert_false(headings_prefix_match("The review loop", "Review loop"));
  assert_false(headings_prefix_match("", "Reflection"));
  assert_true(headings_prefix_match("1. Intro", "1. Intro"));
  assert_false(headings_prefix_match("2. Intro", "1. Intro"));
}

static void test_stray_hash(void **state) {
  (void)state;
  size_t run;
  assert_true(headings_stray_hash("Sampling#", 9, &run));
  assert_int_equal(run, 1);
  assert_true(headings_stray_hash("Sampling##  ", 12, &run));
  assert_int_equal(run, 2);
  assert_true(headings_stray_hash("Tail #", 6, &run));
  assert_false(headings_stray_hash("Learning C#", 11, &run));
  assert_false(headings_stray_hash("F#", 2, &run));
  assert_false(headings_stray_hash("C# and F#", 9, &run));
  assert_true(headings_stray_hash("ABC#", 4, &run));
  assert_false(headings_stray_hash("#", 1, &run));
  assert_false(headings_stray_hash("No hash", 7, &run));
}

/* ---- fixes through the public API -------------------------------------- */

static void test_stray_fixes(void **state) {
  (void)state;
  static const char page[] =
      "\xEF\xBB\xBF# Title\xC2\xB6\r\n\r\n## Sampling#\r\n\r\n"
      "Setext \xC2\xB6\r\n------\r\n\r\n## Keep {#keep}\r\n";
  static const char want[] = "\xEF\xBB\xBF# Title\r\n\r\n## Sampling\r\n\r\n"
                             "Setext\r\n------\r\n\r\n## Keep {#keep}\r\n";
  assert_fixes_give(page, sizeof(page) - 1, 3, want);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_prefix_match),
      cmocka_unit_test(test_stray_hash),
      cmocka_unit_test(test_stray_fixes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
