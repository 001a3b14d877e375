/* test_query.c - the queries for editors (src/query.c), through
 * courselint.h alone: the text a course reads for a page (given, or from
 * disk, never from outside the root), the roles of a page's module and
 * the pages playing them, a folder's entries as the course sees them,
 * and a run over a page that only an editor's text gives. */
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

static clint_course *open_course(struct course_dir *d) {
  clint_options o = CLINT_OPTIONS_INIT;
  o.root = d->root;
  o.jobs = 1;
  clint_error err;
  clint_course *c = clint_course_new(d->linter, &o, &err);
  assert_non_null(c);
  return c;
}

static void test_page_text(void **state) {
  struct course_dir *d = *state;
  course_write(d->root, "a.md", "\xEF\xBB\xBF# A\r\n");
  course_write(d->outside, "secret.md", "# Secret\n");
  /* Room for the folder and the name: nothing is cut short. */
  char link[sizeof(d->root) + 16], target[sizeof(d->outside) + 16];
  snprintf(link, sizeof(link), "%s/leak.md", d->root);
  snprintf(target, sizeof(target), "%s/secret.md", d->outside);
  assert_int_equal(symlink(target, link), 0);
  clint_course *c = open_course(d);
  clint_error err;
  char *text;
  size_t len;
  /* From disk: the bytes as they are, BOM and CRLF included. */
  assert_int_equal(clint_course_page_text(c, "a.md", &text, &len, &err),
                   CLINT_OK);
  assert_int_equal(len, 8);
  assert_memory_equal(text, "\xEF\xBB\xBF# A\r\n", 8);
  assert_int_equal(text[len], '\0');
  free(text);
  /* Given: the editor's text, for a page on disk or not. */
  assert_int_equal(clint_course_set_text(c, "a.md", "# B\n", 4, &err),
                   CLINT_OK);
  assert_int_equal(clint_course_set_text(c, "new.md", "# N\n", 4, &err),
                   CLINT_OK);
  assert_int_equal(clint_course_page_text(c, "a.md", &text, &len, &err),
                   CLINT_OK);
  assert_string_equal(text, "# B\n");
  free(text);
  assert_int_equal(clint_course_page_text(c, "new.md", &text, &len, &err),
                   CLINT_OK);
  assert_string_equal(text, "# N\n");
  free(text);
  /* Never read: outside the root, through a link out of it, missing. */
  assert_int_equal(clint_course_page_text(c, target, &text, &len, &err),
                   CLINT_E_IO);
  assert_null(text);
  assert_int_equal(clint_course_page_text(c, "leak.md", &text, &len, &err),
                   CLINT_E_IO);
  assert_null(text);
  assert_int_equal(clint_course_page_text(c, "../x.md", &text, &len, &err),
                   CLINT_E_IO);
  assert_int_equal(clint_course_page_text(c, "gone.md", &text, &len, &err),
                   CLINT_E_IO);
  clint_course_free(c);
}

struct roles_seen {
  char explainer[128];
  bool explainer_numbered;
  bool plan_numbered;
  size_t n;
  bool has_name;
};

static bool note_role(const clint_role *r, void *ctx) {
  struct roles_seen *s = ctx;
  s->n++;
  if (!strcmp(r->id, "explainer")) {
    snprintf(s->explainer, sizeof(s->explainer), "%s", r->page ? r->page : "");
    s->explainer_numbered = r->numbered;
    for (size_t i = 0; i < r->nnames; i++)
      s->has_name |= !strcmp(r->names[i], "explainer");
  }
  if (!strcmp(r->id, "weekly_plan"))
    s->plan_numbered = r->numbered;
  return true;
}

static void test_roles(void **state) {
  struct course_dir *d = *state;
  course_write(d->root, "01_m/01_weekly_plan.md", "# Plan\n");
  course_write(d->root, "01_m/02_explainer.md", "# E\n\n## 1. One\n");
  course_write(d->root, "notes.md", "# Notes\n");
  clint_course *c = open_course(d);
  clint_error err;
  struct roles_seen s = {0};
  assert_int_equal(
      clint_course_roles(c, "01_m/01_weekly_plan.md", note_role, &s, &err),
      CLINT_OK);
  assert_int_equal(s.n, 6); /* the default rule set's roles */
  assert_string_equal(s.explainer, "01_m/02_explainer.md");
  assert_true(s.explainer_numbered);
  assert_false(s.plan_numbered);
  assert_true(s.has_name);
  /* Outside a module, and without a page: no pages play the roles. */
  memset(&s, 0, sizeof(s));
  assert_int_equal(clint_course_roles(c, "notes.md", note_role, &s, &err),
                   CLINT_OK);
  assert_string_equal(s.explainer, "");
  memset(&s, 0, sizeof(s));
  assert_int_equal(clint_course_roles(c, NULL, note_role, &s, &err), CLINT_OK);
  assert_int_equal(s.n, 6);
  assert_int_equal(clint_course_roles(c, "nope.md", note_role, &s, &err),
                   CLINT_E_IO);
  clint_course_free(c);
}

struct listing {
  char names[16][64];
  bool dir[16];
  size_t n;
};

static bool note_entry(const clint_entry *e, void *ctx) {
  struct listing *l = ctx;
  if (l->n < 16) {
    snprintf(l->names[l->n], sizeof(l->names[0]), "%s", e->name);
    l->dir[l->n] = e->dir;
  }
  l->n++;
  return true;
}

static bool listed(const struct listing *l, const char *name, bool dir) {
  for (size_t i = 0; i < l->n && i < 16; i++)
    if (!strcmp(l->names[i], name))
      return l->dir[i] == dir;
  return false;
}

static void test_list(void **state) {
  struct course_dir *d = *state;
  course_write(d->root, "a.md", "# A\n");
  course_write(d->root, "img/x.png", "png");
  course_write(d->root, ".hidden/h.md", "# H\n");
  course_write(d->root, "node_modules/n.md", "# N\n");
  course_write(d->root, "skip/s.md", "# S\n");
  course_write(d->root, ".courselint.yml", "version: 1\nignore: ['skip']\n");
  clint_linter *l = d->linter;
  clint_error err;
  assert_int_equal(clint_linter_load_course_rules(l, d->root, &err), CLINT_OK);
  clint_course *c = open_course(d);
  struct listing seen = {0};
  assert_int_equal(clint_course_list(c, d->root, note_entry, &seen, &err),
                   CLINT_OK);
  /* What a run would read or link to; not what it skips. */
  assert_int_equal(seen.n, 2);
  assert_true(listed(&seen, "a.md", false));
  assert_true(listed(&seen, "img", true));
  memset(&seen, 0, sizeof(seen));
  assert_int_equal(clint_course_list(c, "img", note_entry, &seen, &err),
                   CLINT_OK);
  assert_int_equal(seen.n, 1);
  assert_true(listed(&seen, "x.png", false));
  assert_int_equal(clint_course_list(c, "nope", note_entry, &seen, &err),
                   CLINT_E_IO);
  assert_int_equal(clint_course_list(c, d->outside, note_entry, &seen, &err),
                   CLINT_E_IO);
  assert_int_equal(clint_course_list(c, "skip", note_entry, &seen, &err),
                   CLINT_E_IO);
  clint_course_free(c);
}

/* A page that exists only as an editor's text can be a run's target. */
static void test_target_given_only(void **state) {
  struct course_dir *d = *state;
  course_write(d->root, "a.md", "# A\n");
  clint_course *c = open_course(d);
  clint_error err;
  const char *text = "# New\n\n[x](missing.md)\n";
  assert_int_equal(clint_course_set_text(c, "new.md", text, strlen(text), &err),
                   CLINT_OK);
  clint_run *run = clint_course_run(c, &err);
  assert_non_null(run);
  assert_int_equal(clint_run_add_target(run, "new.md", &err), CLINT_OK);
  assert_int_equal(clint_run_lint(run, &err), CLINT_OK);
  assert_int_equal(clint_run_diag_count(run), 1);
  assert_string_equal(clint_run_diag(run, 0)->root_path, "new.md");
  assert_string_equal(clint_run_diag(run, 0)->rule, "link/missing-file");
  clint_run_free(run);
  /* Neither on disk nor given: still refused. */
  run = clint_course_run(c, &err);
  assert_int_equal(clint_run_add_target(run, "other.md", &err), CLINT_E_IO);
  clint_run_free(run);
  clint_course_free(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_page_text, course_dir_setup,
                                      course_dir_teardown),
      cmocka_unit_test_setup_teardown(test_roles, course_dir_setup,
                                      course_dir_teardown),
      cmocka_unit_test_setup_teardown(test_list, course_dir_setup,
                                      course_dir_teardown),
      cmocka_unit_test_setup_teardown(test_target_given_only, course_dir_setup,
                                      course_dir_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
