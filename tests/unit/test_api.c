/* test_api.c - the library as a long-running caller uses it, through
 * courselint.h alone: options that grow, runs that refuse to lint twice,
 * many threads asked for, a course kept open and told what changed (text
 * from memory, files changed on disk), findings that outlive the course's
 * changes, and the queries an editor asks (who refers to a heading, the
 * headings of a page). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "course_dir.h"
#include "courselint.h"

static clint_options options(const char *root) {
  clint_options o = CLINT_OPTIONS_INIT;
  o.root = root;
  o.jobs = 1;
  return o;
}

/* How many findings of run carry rule and lie on page path (root
 * relative). */
static size_t count(const clint_run *run, const char *path, const char *rule) {
  size_t n = 0;
  for (size_t i = 0; i < clint_run_diag_count(run); i++) {
    const clint_diag *d = clint_run_diag(run, i);
    n += !strcmp(d->root_path, path) && !strcmp(d->rule, rule);
  }
  return n;
}

/* A run of course c over path (NULL: every page), linted. */
static clint_run *lint(clint_course *c, const char *path) {
  clint_error err;
  clint_run *run = clint_course_run(c, &err);
  assert_non_null(run);
  if (path)
    assert_int_equal(clint_run_add_target(run, path, &err), CLINT_OK);
  assert_int_equal(clint_run_lint(run, &err), CLINT_OK);
  return run;
}

static void test_version_and_options(void **state) {
  struct course_dir *d = *state;
  assert_int_equal(clint_api_version(), CLINT_API_VERSION);
  clint_options o;
  clint_options_init(&o);
  assert_int_equal(o.size, sizeof(clint_options));
  /* Options without their size are refused, not half read. */
  clint_options bad = {0};
  bad.root = d->root;
  clint_error err;
  assert_null(clint_course_new(d->linter, &bad, &err));
  assert_int_equal(err.status, CLINT_E_USAGE);
  /* Neither root nor base: nothing to go by but the current folder,
   * which the library does not look at. */
  clint_options none = CLINT_OPTIONS_INIT;
  assert_null(clint_course_new(d->linter, &none, &err));
  assert_int_equal(err.status, CLINT_E_USAGE);
  /* An older caller's smaller struct: the fields it did not know of take
   * their defaults (here, index_all stays false). */
  clint_options old = CLINT_OPTIONS_INIT;
  old.root = d->root;
  old.index_all = true;
  old.size = offsetof(clint_options, index_all);
  course_write(d->root, "a.md", "# A\n");
  clint_run *run = clint_run_new(d->linter, &old, &err);
  assert_non_null(run);
  assert_int_equal(clint_run_lint(run, &err), CLINT_OK);
  assert_int_equal(clint_run_orphan_count(run), 0);
  clint_run_free(run);
}

/* Defect: a second clint_run_lint added the targets again and wrote past
 * the findings. */
static void test_lint_twice(void **state) {
  struct course_dir *d = *state;
  course_write(d->root, "a.md", "# A\n\n[x](missing.md)\n");
  clint_options o = options(d->root);
  clint_error err;
  clint_run *run = clint_run_new(d->linter, &o, &err);
  assert_non_null(run);
  assert_int_equal(clint_run_lint(run, &err), CLINT_OK);
  size_t n = clint_run_diag_count(run);
  assert_int_equal(n, 1);
  assert_int_equal(clint_run_lint(run, &err), CLINT_E_USAGE);
  assert_int_equal(err.status, CLINT_E_USAGE);
  assert_int_equal(clint_run_add_target(run, "a.md", &err), CLINT_E_USAGE);
  assert_int_equal(clint_run_diag_count(run), n);
  assert_string_equal(clint_run_diag(run, 0)->rule, "link/missing-file");
  clint_run_free(run);
}

/* Defect: -j 65 to 256 wrote past the array of 64 threads. */
static void test_many_jobs(void **state) {
  struct course_dir *d = *state;
  char name[32], text[64];
  for (int i = 0; i < 150; i++) {
    snprintf(name, sizeof(name), "p%03d.md", i);
    snprintf(text, sizeof(text), "# P%d\n\n[next](p%03d.md)\n", i, i + 1);
    course_write(d->root, name, text);
  }
  clint_options o = options(d->root);
  o.jobs = 256;
  clint_error err;
  clint_run *run = clint_run_new(d->linter, &o, &err);
  assert_non_null(run);
  assert_int_equal(clint_run_lint(run, &err), CLINT_OK);
  /* p149 links to p150, the one page missing. */
  assert_int_equal(clint_run_diag_count(run), 1);
  assert_string_equal(clint_run_diag(run, 0)->root_path, "p149.md");
  assert_int_equal(clint_run_summary(run)->files_checked, 150);
  clint_run_free(run);
}

/* Paths are relative to the base the caller names, never to the
 * process's current folder. */
static void test_base(void **state) {
  struct course_dir *d = *state;
  course_write(d->root, "sub/b.md", "# B\n\n[x](nope.md)\n");
  clint_options o = options(d->root);
  char base[sizeof(d->root) + 8];
  snprintf(base, sizeof(base), "%s/sub", d->root);
  o.base = base;
  clint_error err;
  clint_run *run = clint_run_new(d->linter, &o, &err);
  assert_non_null(run);
  assert_int_equal(clint_run_add_target(run, "b.md", &err), CLINT_OK);
  assert_int_equal(clint_run_lint(run, &err), CLINT_OK);
  assert_int_equal(clint_run_diag_count(run), 1);
  assert_string_equal(clint_run_diag(run, 0)->path, "b.md");
  assert_string_equal(clint_run_diag(run, 0)->root_path, "sub/b.md");
  clint_run_free(run);
  /* Without a base, paths are root-relative. */
  o.base = NULL;
  run = clint_run_new(d->linter, &o, &err);
  assert_non_null(run);
  assert_int_equal(clint_run_lint(run, &err), CLINT_OK);
  assert_string_equal(clint_run_diag(run, 0)->path, "sub/b.md");
  clint_run_free(run);
}

/* A course kept open: an editor's text stands for the file; a page that
 * links to a renamed heading is checked again without being named; the
 * first run's findings stay as they were. */
static void test_course_text(void **state) {
  struct course_dir *d = *state;
  course_write(d->root, "a.md", "# A\n\nSee [b](b.md#old-name).\n");
  course_write(d->root, "b.md", "# B\n\n## Old name\n");
  clint_options o = options(d->root);
  clint_error err;
  clint_course *c = clint_course_new(d->linter, &o, &err);
  assert_non_null(c);
  clint_run *first = lint(c, NULL);
  assert_int_equal(clint_run_diag_count(first), 0);

  const char *renamed = "# B\n\n## New name\n";
  assert_int_equal(
      clint_course_set_text(c, "b.md", renamed, strlen(renamed), &err),
      CLINT_OK);
  clint_run *second = lint(c, "a.md");
  assert_int_equal(count(second, "a.md", "link/missing-anchor"), 1);
  assert_int_equal(clint_run_diag_count(first), 0); /* unchanged */

  /* Withdrawn: the file on disk counts again. */
  assert_int_equal(clint_course_set_text(c, "b.md", NULL, 0, &err), CLINT_OK);
  clint_run *third = lint(c, "a.md");
  assert_int_equal(clint_run_diag_count(third), 0);
  assert_int_equal(count(second, "a.md", "link/missing-anchor"), 1);

  /* A page that exists only in the editor. */
  course_write(d->root, "c.md", "# C\n\n[new](new.md)\n");
  assert_int_equal(clint_course_changed(c, "c.md", &err), CLINT_OK);
  clint_run *fourth = lint(c, "c.md");
  assert_int_equal(count(fourth, "c.md", "link/missing-file"), 1);
  const char *fresh = "# New\n";
  assert_int_equal(
      clint_course_set_text(c, "new.md", fresh, strlen(fresh), &err), CLINT_OK);
  clint_run *fifth = lint(c, "c.md");
  assert_int_equal(clint_run_diag_count(fifth), 0);

  /* Outside the root: refused. */
  assert_int_equal(clint_course_set_text(c, "/etc/x.md", "x", 1, &err),
                   CLINT_E_IO);
  assert_int_equal(clint_course_set_text(c, "../x.md", "x", 1, &err),
                   CLINT_E_IO);

  clint_run_free(first);
  clint_run_free(second);
  clint_run_free(third);
  clint_run_free(fourth);
  clint_run_free(fifth);
  clint_course_free(c);
}

/* An editor's text for a notebook is read as the notebook file is: its
 * markdown cells, with findings on the file's lines. */
static void test_course_text_notebook(void **state) {
  struct course_dir *d = *state;
  course_write(d->root, "n.ipynb", "{\"cells\": []}\n");
  clint_options o = options(d->root);
  clint_error err;
  clint_course *c = clint_course_new(d->linter, &o, &err);
  assert_non_null(c);
  const char *text =
      "{\"cells\": [\n"
      " {\"cell_type\": \"code\", \"source\": [\"[x](gone.md)\"]},\n"
      " {\"cell_type\": \"markdown\",\n"
      "  \"source\": [\"# N\\n\", \"\\n\", \"[y](gone.md)\"]}\n"
      "]}\n";
  assert_int_equal(
      clint_course_set_text(c, "n.ipynb", text, strlen(text), &err), CLINT_OK);
  clint_run *run = lint(c, "n.ipynb");
  assert_int_equal(clint_run_diag_count(run), 1);
  const clint_diag *f = clint_run_diag(run, 0);
  assert_string_equal(f->rule, "link/missing-file");
  assert_int_equal(f->line, 4);
  clint_run_free(run);
  clint_course_free(c);
}

/* A file changed on disk, told with clint_course_changed. */
static void test_course_changed(void **state) {
  struct course_dir *d = *state;
  course_write(d->root, "a.md", "# A\n\n[b](b.md#two)\n");
  course_write(d->root, "b.md", "# B\n\n## Two\n");
  clint_options o = options(d->root);
  clint_error err;
  clint_course *c = clint_course_new(d->linter, &o, &err);
  assert_non_null(c);
  clint_run *run = lint(c, NULL);
  assert_int_equal(clint_run_diag_count(run), 0);
  clint_run_free(run);
  course_write(d->root, "b.md", "# B\n\n## Three\n");
  /* Not told yet: the course still knows the old text. */
  run = lint(c, "a.md");
  assert_int_equal(clint_run_diag_count(run), 0);
  clint_run_free(run);
  assert_int_equal(clint_course_changed(c, "b.md", &err), CLINT_OK);
  run = lint(c, "a.md");
  assert_int_equal(count(run, "a.md", "link/missing-anchor"), 1);
  clint_run_free(run);
  /* Deleted: the link itself is broken now. */
  char path[sizeof(d->root) + 8];
  snprintf(path, sizeof(path), "%s/b.md", d->root);
  assert_int_equal(unlink(path), 0);
  assert_int_equal(clint_course_changed(c, path, &err), CLINT_OK);
  run = lint(c, "a.md");
  assert_int_equal(count(run, "a.md", "link/missing-file"), 1);
  clint_run_free(run);
  clint_course_free(c);
}

struct seen {
  size_t n;
  char from[8][64];
  unsigned line[8];
  char anchor[8][64];
};

static bool note_ref(const clint_ref *r, void *ctx) {
  struct seen *s = ctx;
  if (s->n < 8) {
    snprintf(s->from[s->n], sizeof(s->from[0]), "%s", r->from);
    s->line[s->n] = r->line;
    snprintf(s->anchor[s->n], sizeof(s->anchor[0]), "%s",
             r->anchor ? r->anchor : "");
  }
  s->n++;
  return true;
}

static bool note_heading(const clint_heading *h, void *ctx) {
  struct seen *s = ctx;
  if (s->n < 8) {
    snprintf(s->from[s->n], sizeof(s->from[0]), "%s", h->text);
    s->line[s->n] = h->line;
    snprintf(s->anchor[s->n], sizeof(s->anchor[0]), "%s",
             h->anchor ? h->anchor : "");
  }
  s->n++;
  return true;
}

/* Who refers to a heading, and what a page's headings are. */
static void test_queries(void **state) {
  struct course_dir *d = *state;
  course_write(d->root, "a.md", "# A\n\n[b](b.md#two)\n\n![i](b.md)\n");
  course_write(d->root, "c.md", "# C\n\nText.\n\n[two](b.md#two)\n");
  course_write(d->root, "b.md", "# B\n\n## Two\n\n[self](#two)\n");
  clint_options o = options(d->root);
  clint_error err;
  clint_course *c = clint_course_new(d->linter, &o, &err);
  assert_non_null(c);

  struct seen s = {0};
  assert_int_equal(clint_course_refs_to(c, "b.md", "two", note_ref, &s, &err),
                   CLINT_OK);
  /* a.md line 3, c.md line 5; b.md's own link names its own page. */
  assert_int_equal(s.n, 3);
  size_t from_a = 0, from_c = 0;
  for (size_t i = 0; i < s.n; i++) {
    from_a += !strcmp(s.from[i], "a.md") && s.line[i] == 3;
    from_c += !strcmp(s.from[i], "c.md") && s.line[i] == 5;
    assert_string_equal(s.anchor[i], "two");
  }
  assert_int_equal(from_a, 1);
  assert_int_equal(from_c, 1);

  memset(&s, 0, sizeof(s));
  assert_int_equal(clint_course_refs_to(c, "b.md", NULL, note_ref, &s, &err),
                   CLINT_OK);
  assert_int_equal(s.n, 4); /* and the image of a.md */

  memset(&s, 0, sizeof(s));
  assert_int_equal(clint_course_refs_from(c, "a.md", note_ref, &s, &err),
                   CLINT_OK);
  assert_int_equal(s.n, 2);

  memset(&s, 0, sizeof(s));
  assert_int_equal(clint_course_headings(c, "b.md", note_heading, &s, &err),
                   CLINT_OK);
  assert_int_equal(s.n, 2);
  assert_string_equal(s.from[1], "Two");
  assert_int_equal(s.line[1], 3);
  assert_string_equal(s.anchor[1], "two");

  assert_int_equal(clint_course_headings(c, "nope.md", note_heading, &s, &err),
                   CLINT_E_IO);

  /* Renamed in the editor: c.md's reference is broken now. */
  const char *renamed = "# B\n\n## Deux\n";
  assert_int_equal(
      clint_course_set_text(c, "b.md", renamed, strlen(renamed), &err),
      CLINT_OK);
  memset(&s, 0, sizeof(s));
  assert_int_equal(clint_course_refs_to(c, "b.md", "two", note_ref, &s, &err),
                   CLINT_OK);
  assert_int_equal(s.n, 2); /* from a.md and c.md, both broken now */
  clint_course_free(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_version_and_options,
                                      course_dir_setup, course_dir_teardown),
      cmocka_unit_test_setup_teardown(test_lint_twice, course_dir_setup,
                                      course_dir_teardown),
      cmocka_unit_test_setup_teardown(test_many_jobs, course_dir_setup,
                                      course_dir_teardown),
      cmocka_unit_test_setup_teardown(test_base, course_dir_setup,
                                      course_dir_teardown),
      cmocka_unit_test_setup_teardown(test_course_text, course_dir_setup,
                                      course_dir_teardown),
      cmocka_unit_test_setup_teardown(test_course_text_notebook,
                                      course_dir_setup, course_dir_teardown),
      cmocka_unit_test_setup_teardown(test_course_changed, course_dir_setup,
                                      course_dir_teardown),
      cmocka_unit_test_setup_teardown(test_queries, course_dir_setup,
                                      course_dir_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
