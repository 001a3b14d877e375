/* course_dir.h - for unit tests that use the public API: a course in a
 * fresh temporary folder (under $TMPDIR, else /tmp), a folder beside it
 * for paths that must stay outside, a linter, and pages written into it.
 * Include after cmocka.h; pass course_dir_setup and course_dir_teardown
 * to cmocka_unit_test_setup_teardown. */
#ifndef CLINT_TEST_COURSE_DIR_H
#define CLINT_TEST_COURSE_DIR_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "courselint.h"

struct course_dir {
  char root[256];
  char outside[256];
  clint_linter *linter;
};

/* Write len bytes of text to rel under root, making its folders. */
static inline void course_put(const char *root, const char *rel,
                              const char *text, size_t len) {
  char path[1024];
  snprintf(path, sizeof(path), "%s/%s", root, rel);
  for (char *s = strchr(path + strlen(root) + 1, '/'); s;
       s = strchr(s + 1, '/')) {
    *s = '\0';
    mkdir(path, 0755);
    *s = '/';
  }
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(text, 1, len, f), len);
  assert_int_equal(fclose(f), 0);
}

static inline void course_write(const char *root, const char *rel,
                                const char *text) {
  course_put(root, rel, text, strlen(text));
}

static inline int course_dir_setup(void **state) {
  struct course_dir *d = calloc(1, sizeof(*d));
  if (!d)
    return -1;
  const char *tmp = getenv("TMPDIR");
  tmp = tmp && *tmp ? tmp : "/tmp";
  snprintf(d->root, sizeof(d->root), "%s/clint-test-XXXXXX", tmp);
  snprintf(d->outside, sizeof(d->outside), "%s/clint-out-XXXXXX", tmp);
  *state = d;
  if (!mkdtemp(d->root) || !mkdtemp(d->outside))
    return -1;
  clint_error err;
  d->linter = clint_linter_new(&err);
  return d->linter ? 0 : -1;
}

static inline int course_dir_teardown(void **state) {
  struct course_dir *d = *state;
  char cmd[600];
  snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s'", d->root, d->outside);
  int rc = system(cmd);
  clint_linter_free(d->linter);
  free(d);
  return rc == 0 ? 0 : -1;
}

#endif
