/* run_fixes.h - for unit tests: the page a run's fixes make of data, by
 * the same fix_apply that --fix uses. Include after cmocka.h. */
#ifndef CLINT_TEST_RUN_FIXES_H
#define CLINT_TEST_RUN_FIXES_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "courselint.h"
#include "fix.h"

/* The run reports one page, so its findings (sorted by line and column)
 * carry fixes in offset order, as fix_apply wants. Every fix must apply:
 * none may be skipped. The result is NUL-terminated; free() it. */
static inline char *run_fixes(const clint_run *run, const char *data,
                              size_t len) {
  size_t n = clint_run_diag_count(run), k = 0;
  clint_fix *fixes = calloc(n ? n : 1, sizeof(*fixes));
  assert_non_null(fixes);
  for (size_t i = 0; i < n; i++)
    if (clint_run_diag(run, i)->fix)
      fixes[k++] = *clint_run_diag(run, i)->fix;
  struct buf out;
  buf_init(&out);
  size_t skipped = 0;
  assert_true(fix_apply(data, len, fixes, k, &out, &skipped));
  assert_int_equal(skipped, 0);
  free(fixes);
  char *page = strdup(buf_cstr(&out));
  buf_free(&out);
  assert_non_null(page);
  return page;
}

/* Lint page (len bytes) as the one page of a fresh course with the
 * default rules: it must give ndiags findings, and applying their fixes
 * must give want. */
static inline void assert_fixes_give(const char *page, size_t len,
                                     size_t ndiags, const char *want) {
  char dir[] = "/tmp/clint-fixes-XXXXXX", path[64];
  assert_non_null(mkdtemp(dir));
  snprintf(path, sizeof(path), "%s/p.md", dir);
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(page, 1, len, f), len);
  fclose(f);
  clint_error err;
  clint_linter *l = clint_linter_new(&err);
  assert_non_null(l);
  clint_options o = CLINT_OPTIONS_INIT;
  o.root = dir;
  o.jobs = 1;
  clint_run *run = clint_run_new(l, &o, &err);
  assert_non_null(run);
  assert_int_equal(clint_run_lint(run, &err), CLINT_OK);
  assert_int_equal(clint_run_diag_count(run), ndiags);
  char *fixed = run_fixes(run, page, len);
  assert_string_equal(fixed, want);
  free(fixed);
  clint_run_free(run);
  clint_linter_free(l);
  unlink(path);
  rmdir(dir);
}

#endif
