/* Path helpers: percent-decoding, normalisation, relative paths, schemes
 * and the edit distance behind suggestions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "levenshtein.h"
#include "util/path.h"

static void decode_is(const char *in, const char *want) {
  char out[256];
  size_t n = path_percent_decode(in, strlen(in), out);
  assert_string_equal(out, want);
  assert_int_equal(n, strlen(want));
}

static void test_percent_decode(void **state) {
  (void)state;
  decode_is("my%20notes.md", "my notes.md");
  decode_is("%2e%2E/x", "../x");
  decode_is("100%", "100%");
  decode_is("%zz%4", "%zz%4");
  decode_is("a%00b", "a%00b"); /* never an embedded NUL */
  decode_is("caf%C3%A9", "caf\xC3\xA9");
  decode_is("%41bc", "Abc");   /* an escape first */
  decode_is("abc%41", "abcA"); /* and last */
  decode_is("plain/path.md", "plain/path.md");
  decode_is("", "");
}

static void norm_is(const char *in, const char *want) {
  char out[256];
  bool ok = path_normalize(in, strlen(in), out);
  if (!want) {
    assert_false(ok);
    return;
  }
  assert_true(ok);
  assert_string_equal(out, want);
}

static void test_normalize(void **state) {
  (void)state;
  norm_is("a/b/../c.md", "a/c.md");
  norm_is("./a//b/./c/", "a/b/c");
  norm_is("a/../..", NULL);
  norm_is("../x", NULL);
  norm_is("a/..", "");
  norm_is("a/b/../../c", "c");
  norm_is("a/b/c.md", "a/b/c.md"); /* nothing to do */
  norm_is("/a/b", "a/b");
  norm_is("", "");
  norm_is("a/./../b/", "b");
  /* Past the 64 parts the function keeps track of without scanning. */
  char deep[1024] = "", want[1024] = "";
  for (int k = 0; k < 80; k++)
    strcat(deep, k % 2 ? "bb/" : "a/");
  strcat(deep, "../../x/../../y");
  for (int k = 0; k < 77; k++) /* 80, two up, x, one more up */
    strcat(want, k % 2 ? "bb/" : "a/");
  want[strlen(want) - 1] = '\0'; /* drop the last slash */
  strcat(want, "/y");
  norm_is(deep, want);
  char up[1024] = "";
  for (int k = 0; k < 70; k++)
    strcat(up, "c/");
  for (int k = 0; k < 70; k++)
    strcat(up, "../");
  norm_is(up, "");
  strcat(up, "..");
  norm_is(up, NULL);
}

static void rel_is(const char *from, const char *to, const char *want) {
  struct arena a;
  arena_init(&a);
  assert_string_equal(path_relative(&a, from, to), want);
  arena_free(&a);
}

static void test_relative(void **state) {
  (void)state;
  rel_is("a/b", "a/c/d.md", "../c/d.md");
  rel_is("", "x/y.md", "x/y.md");
  rel_is("a", "a/y.md", "y.md");
  rel_is("a/b", "x.md", "../../x.md");
  rel_is("ab", "a/x.md", "../a/x.md");
}

static void test_scheme(void **state) {
  (void)state;
  assert_true(path_has_scheme("https://x", 9));
  assert_true(path_has_scheme("mailto:a@b", 10));
  assert_true(path_has_scheme("file:///etc", 11));
  assert_false(path_has_scheme("C:/x", 4));
  assert_false(path_has_scheme("notes.md", 8));
  assert_false(path_has_scheme("a/b:c", 5));
}

/* Plain Levenshtein distance to compare the banded version against. */
static size_t naive(const char *a, const char *b) {
  return lev(a, strlen(a), b, strlen(b), (size_t)-2);
}

/* Compare path_edit_distance with the full computation on random pairs:
 * a of length below maxlen, b within [len(a) - shrink, len(a) + grow),
 * over an alphabet of letters, with a random bound below maxbound. */
static void compare_random(int pairs, size_t maxlen, size_t shrink, size_t grow,
                           int letters, size_t maxbound) {
  for (int t = 0; t < pairs; t++) {
    char a[64], b[64];
    size_t n = (size_t)rand() % maxlen;
    size_t m = n + (size_t)rand() % (shrink + grow);
    m = m > shrink ? m - shrink : 0;
    if (m >= sizeof(b))
      m = sizeof(b) - 1;
    for (size_t i = 0; i < n; i++)
      a[i] = (char)('a' + rand() % letters);
    for (size_t i = 0; i < m; i++)
      b[i] = (char)('a' + rand() % letters);
    a[n] = b[m] = '\0';
    size_t max = (size_t)rand() % maxbound;
    size_t want = naive(a, b);
    size_t got = path_edit_distance(a, n, b, m, max);
    assert_int_equal(got, want <= max ? want : max + 1);
  }
}

static void test_edit_distance(void **state) {
  (void)state;
  assert_int_equal(path_edit_distance("kitten", 6, "sitting", 7, 5), 3);
  assert_int_equal(path_edit_distance("abc", 3, "abc", 3, 2), 0);
  assert_int_equal(path_edit_distance("abc", 3, "xyz", 3, 2), 3); /* max+1 */
  srand(7);
  /* Short strings of any lengths: the band and the bounds agree with the
   * full computation. */
  compare_random(5000, 20, 20, 20, 4, 8);
  /* Longer strings of near lengths, where the band is narrower than a
   * row. */
  compare_random(5000, 50, 4, 5, 3, 12);
}

/* Destinations a template fills in at build time are not checked; a
 * brace, a dollar or a percent sign alone does not make one. */
static void test_template(void **state) {
  (void)state;
  static const char *const yes[] = {"{{ site.baseurl }}/x.md",
                                    "{%link a.md %}",
                                    "../{{page.next}}",
                                    "a/{% raw %}b",
                                    "${BASE}/x.md",
                                    "img/${name}.png",
                                    "<%= url %>",
                                    "x<%y",
                                    "{x}",
                                    "{",
                                    "a{{",
                                    "a{%"};
  static const char *const no[] = {"",       "a.md",   "a{b}.md", "$HOME/x.md",
                                   "a$/{b}", "<x.md>", "x<y%",    "100%.md",
                                   "a}{b",   "a{",     "a<",      "$"};
  for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
    assert_true(path_is_template(yes[i]));
  for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
    assert_false(path_is_template(no[i]));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_template),  cmocka_unit_test(test_percent_decode),
      cmocka_unit_test(test_normalize), cmocka_unit_test(test_relative),
      cmocka_unit_test(test_scheme),    cmocka_unit_test(test_edit_distance),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
