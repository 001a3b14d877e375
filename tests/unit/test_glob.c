/* test_glob.c - glob_match against a plain recursive matcher that
 * follows the definition in glob.h, on chosen cases and random ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/glob.h"

/* The definition, written as directly as possible: exponential, fine for
 * short strings. */
static bool oracle(const char *g, const char *s) {
  if (!*g)
    return !*s;
  if (g[0] == '*' && g[1] == '*') {
    if (g[2] == '/') {
      /* Zero or more whole parts, each ending in '/'. */
      if (oracle(g + 3, s))
        return true;
      for (const char *t = s; *t; t++)
        if (*t == '/' && oracle(g + 3, t + 1))
          return true;
      return false;
    }
    for (const char *t = s;; t++) {
      if (oracle(g + 2, t))
        return true;
      if (!*t)
        return false;
    }
  }
  if (*g == '*') {
    for (const char *t = s;; t++) {
      if (oracle(g + 1, t))
        return true;
      if (!*t || *t == '/')
        return false;
    }
  }
  if (!*s) /* a trailing run of stars and slashes matches nothing left */
    return strspn(g, "*/") == strlen(g);
  if (*g == '?' ? *s == '/' : *g != *s)
    return false;
  return oracle(g + 1, s + 1);
}

static void test_cases(void **state) {
  (void)state;
  struct {
    const char *g, *s;
    bool want;
  } cases[] = {
      {"*.md", "a.md", true},
      {"*.md", "x/a.md", false},
      {"**/*.md", "a.md", true},
      {"**/*.md", "x/y/a.md", true},
      {"cohorts/**", "cohorts/2024/a.md", true},
      {"cohorts/**", "cohorts", true},
      {"cohorts/**", "cohortsx/a.md", false},
      {"**/x", "ax", false},
      {"**/x", "a/x", true},
      {"**/x", "x", true},
      {"**/x/*.md", "a/x/b/x/c.md", true},
      {"a/**/b", "a/b", true},
      {"a/**/b", "a/q/r/b", true},
      {"a/**/b", "a/qb", false},
      {"lessons/?"
       "?-*.md",
       "lessons/04-intro.md", true},
      {"lessons/?"
       "?-*.md",
       "lessons/4-intro.md", false},
      {"**.ipynb", "x/y.ipynb", true},
      {"docs/", "docs", true},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    if (glob_match(cases[i].g, cases[i].s) != cases[i].want)
      fail_msg("glob_match('%s', '%s') should be %d", cases[i].g, cases[i].s,
               cases[i].want);
    assert_int_equal(oracle(cases[i].g, cases[i].s), cases[i].want);
  }
}

static void random_string(char *out, size_t max, const char *alphabet) {
  size_t n = (size_t)rand() % (max + 1), k = strlen(alphabet);
  for (size_t i = 0; i < n; i++)
    out[i] = alphabet[(size_t)rand() % k];
  out[n] = '\0';
}

static void test_random(void **state) {
  (void)state;
  srand(7);
  char g[12], s[14];
  for (int i = 0; i < 200000; i++) {
    random_string(g, 10, "ab/*?*");
    random_string(s, 12, "ab/");
    if (glob_match(g, s) != oracle(g, s))
      fail_msg("glob_match('%s', '%s') = %d, definition says %d", g, s,
               glob_match(g, s), oracle(g, s));
  }
}

/* glob_holds reads globs as the ignore list does: from the root when they
 * hold '/', a name at any depth otherwise, and a folder holds what is
 * under it. */
static void test_holds(void **state) {
  (void)state;
  static const struct {
    const char *g, *path;
    bool want;
  } cases[] = {
      {"cohorts/**", "cohorts/2024/01_m/06_review.md", true},
      {"cohorts/**", "cohorts", true},
      {"cohorts/**", "modules/cohorts/a.md", false},
      {"cohorts", "cohorts/2024/a.md", true},
      {"cohorts", "modules/cohorts/a.md", true},
      {"cohorts", "cohorts.md", false},
      {"cohorts/", "cohorts/a.md", true},
      {"/cohorts", "cohorts/a.md", true},
      {"/cohorts", "x/cohorts/a.md", false},
      {"modules/*", "modules/01_m/02_explainer.md", true},
      {"modules/*/06_review.md", "modules/01_m/06_review.md", true},
      {"modules/*/06_review.md", "modules/01_m/03_notes.md", false},
      {"*.md", "a/b/c.md", true},
      {"README.md", "a/README.md", true},
      {"README.md", "a/README.md.bak", false},
      {"a/b", "a/bc/d.md", false},
      {"", "a.md", false},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
    if (glob_holds(cases[i].g, cases[i].path) != cases[i].want)
      fail_msg("glob_holds('%s', '%s') should be %d", cases[i].g, cases[i].path,
               cases[i].want);
  /* A path longer than the buffer on the stack. */
  char longpath[600];
  memset(longpath, 'a', sizeof(longpath) - 1);
  longpath[sizeof(longpath) - 1] = '\0';
  memcpy(longpath, "cohorts/", 8);
  assert_true(glob_holds("cohorts", longpath));
  assert_false(glob_holds("modules", longpath));
}

static void test_problem(void **state) {
  (void)state;
  const char *ok[] = {"cohorts/**",
                      "**/*.md",
                      "/cohorts",
                      "a/b/",
                      "lessons/?"
                      "?-*.md",
                      "x"};
  for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
    if (glob_problem(ok[i]))
      fail_msg("'%s' refused: %s", ok[i], glob_problem(ok[i]));
  const char *bad[] = {"",        "/",   "!cohorts", "a\\b", "[ab]/x", "{a,b}",
                       "../x/**", "./x", "a/./b",    "a/..", "a//b"};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
    if (!glob_problem(bad[i]))
      fail_msg("'%s' accepted", bad[i]);
  assert_string_equal(glob_problem("../x"),
                      "'.' and '..' are not supported: globs are relative "
                      "to the course root");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_cases),
      cmocka_unit_test(test_random),
      cmocka_unit_test(test_holds),
      cmocka_unit_test(test_problem),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
