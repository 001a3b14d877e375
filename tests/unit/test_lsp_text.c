/* test_lsp_text.c - the editor server's positions (src/lsp/text.c): LSP
 * positions in UTF-16 units and in UTF-8 bytes, courselint's character
 * columns, and byte offsets, on CJK text, emoji (surrogate pairs), the
 * three line endings and a BOM; edits; file: URIs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lsp/lsp.h"

/* "a😀b中" then CRLF, "x" then CR, "é": every line ending and widths of
 * 1, 2 (é), 3 (中) and 4 (😀) bytes. */
static const char sample[] = "a\xF0\x9F\x98\x80"
                             "b\xE4\xB8\xAD\r\nx\r\xC3\xA9";

static void test_lines(void **state) {
  (void)state;
  struct text t = {0};
  assert_true(text_set(&t, sample, strlen(sample), false));
  assert_int_equal(t.nlines, 3);
  size_t len;
  const char *l = text_line(&t, 1, &len);
  assert_int_equal(len, 9);
  assert_memory_equal(l, sample, 9);
  l = text_line(&t, 2, &len);
  assert_int_equal(len, 1);
  assert_int_equal(l[0], 'x');
  assert_int_equal(text_line_of(&t, 12), 2); /* its CR */
  assert_int_equal(text_line_of(&t, 13), 3);
  text_free(&t);
}

static void test_utf16(void **state) {
  (void)state;
  struct text t = {0};
  assert_true(text_set(&t, sample, strlen(sample), false));
  /* a=0, 😀=1-2, b=3, 中=4: bytes 0, 1, 5, 6. */
  assert_int_equal(text_offset(&t, 0, 0, false), 0);
  assert_int_equal(text_offset(&t, 0, 1, false), 1);
  assert_int_equal(text_offset(&t, 0, 2, false), 1); /* inside the pair */
  assert_int_equal(text_offset(&t, 0, 3, false), 5);
  assert_int_equal(text_offset(&t, 0, 4, false), 6);
  assert_int_equal(text_offset(&t, 0, 5, false), 9);
  assert_int_equal(text_offset(&t, 0, 99, false), 9); /* the line's end */
  assert_int_equal(text_offset(&t, 1, 1, false), 12);
  assert_int_equal(text_offset(&t, 2, 1, false), 15);
  assert_int_equal(text_offset(&t, 9, 0, false), t.len);
  unsigned line, ch;
  text_position(&t, 5, false, &line, &ch);
  assert_int_equal(line, 0);
  assert_int_equal(ch, 3);
  text_position(&t, 9, false, &line, &ch);
  assert_int_equal(ch, 5);
  text_position(&t, 10, false, &line, &ch); /* between CR and LF */
  assert_int_equal(line, 0);
  assert_int_equal(ch, 5);
  text_position(&t, 15, false, &line, &ch);
  assert_int_equal(line, 2);
  assert_int_equal(ch, 1);
  text_free(&t);
}

static void test_utf8(void **state) {
  (void)state;
  struct text t = {0};
  assert_true(text_set(&t, sample, strlen(sample), false));
  assert_int_equal(text_offset(&t, 0, 5, true), 5);
  assert_int_equal(text_offset(&t, 0, 3, true), 1);  /* inside 😀 */
  assert_int_equal(text_offset(&t, 0, 7, true), 6);  /* inside 中 */
  assert_int_equal(text_offset(&t, 2, 1, true), 13); /* inside é */
  unsigned line, ch;
  text_position(&t, 6, true, &line, &ch);
  assert_int_equal(ch, 6);
  text_free(&t);
}

static void test_lib_columns(void **state) {
  (void)state;
  struct text t = {0};
  assert_true(text_set(&t, sample, strlen(sample), false));
  /* courselint: a=1, 😀=2, b=3, 中=4. */
  assert_int_equal(text_lib_offset(&t, 1, 2), 1);
  assert_int_equal(text_lib_offset(&t, 1, 4), 6);
  assert_int_equal(text_lib_end(&t, 1, 2), 5);
  assert_int_equal(text_lib_end(&t, 1, 4), 9);
  assert_int_equal(text_lib_offset(&t, 3, 1), 13);
  assert_int_equal(text_lib_end(&t, 3, 1), 15);
  assert_int_equal(text_lib_offset(&t, 1, 99), 9);
  text_free(&t);
}

static void test_bom(void **state) {
  (void)state;
  const char *s = "\xEF\xBB\xBF# A\n";
  struct text t = {0};
  /* courselint counts line 1 after the BOM; a client that opened the
   * file from disk (skip) does too, one that sent it does not. */
  assert_true(text_set(&t, s, strlen(s), true));
  assert_int_equal(text_lib_offset(&t, 1, 1), 3);
  assert_int_equal(text_offset(&t, 0, 0, false), 3);
  assert_true(text_set(&t, s, strlen(s), false));
  assert_int_equal(text_lib_offset(&t, 1, 1), 3);
  assert_int_equal(text_offset(&t, 0, 1, false), 3);
  text_free(&t);
}

static void test_replace(void **state) {
  (void)state;
  struct text t = {0};
  assert_true(text_set(&t, "ab\ncd", 5, false));
  assert_true(text_replace(&t, 1, 4, "X\nY\nZ", 5));
  assert_string_equal(t.s, "aX\nY\nZd");
  assert_int_equal(t.nlines, 3);
  assert_false(text_replace(&t, 5, 2, "", 0));
  assert_false(text_replace(&t, 0, 99, "", 0));
  assert_string_equal(t.s, "aX\nY\nZd");
  text_free(&t);
}

static void test_uris(void **state) {
  (void)state;
  char *p = uri_to_path("file:///tmp/my%20notes/%E4%B8%AD.md");
  assert_string_equal(p, "/tmp/my notes/\xE4\xB8\xAD.md");
  char *u = path_to_uri(p);
  assert_string_equal(u, "file:///tmp/my%20notes/%E4%B8%AD.md");
  free(p);
  free(u);
  p = uri_to_path("file://localhost/a.md");
  assert_string_equal(p, "/a.md");
  free(p);
  assert_null(uri_to_path("file:///a%00.md"));
  assert_null(uri_to_path("file:///a%2"));
  assert_null(uri_to_path("file://host/a.md"));
  assert_null(uri_to_path("untitled:Untitled-1"));
  assert_null(uri_to_path("http://x/a.md"));
}

static void test_json_strings(void **state) {
  (void)state;
  json_t *j = lsp_str("bad \xFF byte, good \xE4\xB8\xAD");
  assert_non_null(j);
  assert_string_equal(json_string_value(j),
                      "bad \xEF\xBF\xBD byte, good \xE4\xB8\xAD");
  json_decref(j);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_lines), cmocka_unit_test(test_utf16),
      cmocka_unit_test(test_utf8),  cmocka_unit_test(test_lib_columns),
      cmocka_unit_test(test_bom),   cmocka_unit_test(test_replace),
      cmocka_unit_test(test_uris),  cmocka_unit_test(test_json_strings),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
