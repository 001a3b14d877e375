/* Reading pages: BOM, front matter, CRLF, the line table and columns. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "scan.h"

static void test_bom_and_front_matter(void **state) {
  (void)state;
  const char text[] = "\xEF\xBB\xBF---\ntitle: x\n---\n# Heading\n";
  struct source src;
  assert_int_equal(scan_from_mem(text, sizeof(text) - 1, &src), CLINT_OK);
  assert_int_equal(src.bom, 3);
  assert_int_equal(src.nlines, 4);
  assert_int_equal(src.body_line, 4);
  /* Front matter is blanked for the parser, lines and offsets kept. */
  assert_memory_equal(src.parse_text, "   \n        \n   \n# Heading\n", 27);
  assert_int_equal(scan_line_of(&src, src.line_starts[3]), 4);
  scan_free(&src);
}

static void test_unclosed_front_matter(void **state) {
  (void)state;
  const char text[] = "---\nnot front matter\n";
  struct source src;
  assert_int_equal(scan_from_mem(text, sizeof(text) - 1, &src), CLINT_OK);
  assert_int_equal(src.body_line, 1);
  scan_free(&src);
}

static void test_crlf_lines(void **state) {
  (void)state;
  const char text[] = "a\r\nbc\r\n\r\nd";
  struct source src;
  assert_int_equal(scan_from_mem(text, sizeof(text) - 1, &src), CLINT_OK);
  assert_true(src.crlf);
  assert_int_equal(src.nlines, 4);
  size_t len;
  const char *l = scan_line(&src, 2, &len);
  assert_int_equal(len, 2);
  assert_memory_equal(l, "bc", 2);
  scan_line(&src, 3, &len);
  assert_int_equal(len, 0);
  scan_free(&src);
}

static void test_columns_count_characters(void **state) {
  (void)state;
  const char text[] = "x\n\xC3\xA9t\xC3\xA9 [a](b)\n";
  struct source src;
  assert_int_equal(scan_from_mem(text, sizeof(text) - 1, &src), CLINT_OK);
  size_t off = src.line_starts[1] + 6; /* the '[' after "été " */
  assert_int_equal(scan_char_column(&src, off), 5);
  assert_int_equal(scan_offset(&src, 2, 7), off);
  scan_free(&src);
}

static void test_invalid_utf8_and_nul(void **state) {
  (void)state;
  const char text[] = "ok\nbad \xC3\x28 here\nnul\0byte\n";
  struct source src;
  assert_int_equal(scan_from_mem(text, sizeof(text) - 1, &src), CLINT_OK);
  assert_true(src.bad_utf8);
  assert_int_equal(src.bad_utf8_line, 2);
  assert_true(src.has_nul);
  assert_int_equal(src.parse_text[src.line_starts[2] + 3], ' ');
  scan_free(&src);
}

static void test_empty(void **state) {
  (void)state;
  struct source src;
  assert_int_equal(scan_from_mem("", 0, &src), CLINT_OK);
  assert_int_equal(src.nlines, 1);
  assert_int_equal(src.body_line, 1);
  scan_free(&src);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_bom_and_front_matter),
      cmocka_unit_test(test_unclosed_front_matter),
      cmocka_unit_test(test_crlf_lines),
      cmocka_unit_test(test_columns_count_characters),
      cmocka_unit_test(test_invalid_utf8_and_nul),
      cmocka_unit_test(test_empty),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
