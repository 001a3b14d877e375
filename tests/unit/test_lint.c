/* test_lint.c - the link checks (src/checks/links.c), the file/ rules
 * (src/lint.c, src/page.c) and the linter's rule set (src/linter.c),
 * through courselint.h on small courses made in a temporary folder: each
 * case states the exact findings of one page, correct look-alikes
 * included, so that a finding gained or lost shows. */
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

/* The findings of page rel, one "line:col rule message" per line. The
 * page is the run's target, unless it is a symbolic link (a target is
 * named by where it leads): then the whole course is checked. */
static char *findings(struct course_dir *f, const char *rel) {
  clint_options o = CLINT_OPTIONS_INIT;
  o.root = f->root;
  o.jobs = 1;
  clint_error err;
  clint_run *run = clint_run_new(f->linter, &o, &err);
  assert_non_null(run);
  char target[512];
  snprintf(target, sizeof(target), "%s/%s", f->root, rel);
  struct stat st;
  assert_int_equal(lstat(target, &st), 0);
  if (!S_ISLNK(st.st_mode))
    assert_int_equal(clint_run_add_target(run, target, &err), CLINT_OK);
  assert_int_equal(clint_run_lint(run, &err), CLINT_OK);
  size_t cap = 8192, n = 0;
  char *out = calloc(1, cap);
  for (size_t i = 0; i < clint_run_diag_count(run); i++) {
    const clint_diag *d = clint_run_diag(run, i);
    if (strcmp(d->root_path, rel) != 0)
      continue;
    n += (size_t)snprintf(out + n, cap - n, "%u:%u %s %s%s%s\n", d->line,
                          d->column, d->rule, d->message,
                          d->suggestion ? " -> " : "",
                          d->suggestion ? d->suggestion : "");
  }
  clint_run_free(run);
  return out;
}

static void expect(struct course_dir *f, const char *rel, const char *want) {
  char *got = findings(f, rel);
  assert_string_equal(got, want);
  free(got);
}

static void test_links(void **state) {
  struct course_dir *f = *state;
  course_write(f->root, "docs/target.md",
               "# Target\n\n## Second part\n\n<a id=\"legacy\"></a>\n\n"
               "## Custom {#custom-id}\n");
  course_write(f->root, "docs/Upper.md", "# Upper\n");
  course_write(
      f->root, "docs/page.md",
      "# Page\n\n"
      "[ok](target.md) [ok](target.md#second-part) "
      "[ok](target.md#legacy) [ok](target.html) [ok](#page) "
      "[ok](#top) [ok](<target.md>) [ok](target%2Emd) "
      "[ok](https://example.com/x.md) [ok](mailto:a@b) [ok](/site/)\n\n"
      "[miss](targte.md)\n\n"
      "[anchor](target.md#second-prat)\n\n"
      "[case](upper.md)\n\n"
      "[out](../../outside.md)\n\n"
      "![img](missing.png)\n\n"
      "[ref][r]\n\n"
      "```\n[code](nowhere.md)\n```\n\n"
      "`[inline](nowhere.md)` <!-- [comment](nowhere.md) -->\n\n"
      "[r]: gone.md\n");
  expect(f, "docs/page.md",
         "5:1 link/missing-file link target 'targte.md' does not exist -> "
         "target.md\n"
         "7:1 link/missing-anchor no heading '#second-prat' in target.md -> "
         "#second-part\n"
         "9:1 link/case-mismatch link target 'upper.md' matches a file only "
         "if letter case is ignored (breaks on Linux and on the site) -> "
         "Upper.md\n"
         "11:1 link/outside-root link '../../outside.md' leaves the course "
         "root\n"
         "13:1 link/missing-file image 'missing.png' does not exist\n"
         "15:1 link/missing-file link target 'gone.md' does not exist (link "
         "defined at line 23)\n");
  /* The explicit {#id} is an anchor too. */
  course_write(f->root, "docs/custom.md", "# C\n\n[c](target.md#custom-id)\n");
  expect(f, "docs/custom.md", "");
}

static void test_file_rules(void **state) {
  struct course_dir *f = *state;
  course_put(f->root, "binary.md", "# B\n\0\1\2", 7);
  expect(f, "binary.md",
         "1:1 file/binary file contains NUL bytes: not a text file, not "
         "checked\n");
  course_write(f->root, "latin1.md", "# L\n\ncaf\xe9\n");
  expect(f, "latin1.md", "3:1 file/encoding invalid UTF-8 on this line\n");
  /* A page that is a link to a file outside the course is not read. */
  char link[512];
  snprintf(link, sizeof(link), "%s/outside.md", f->root);
  assert_int_equal(symlink("/etc/passwd", link), 0);
  expect(f, "outside.md",
         "1:1 file/unreadable symbolic link leads outside the course root; "
         "not read\n");
  /* A FIFO named like a page is not waited on. */
  snprintf(link, sizeof(link), "%s/fifo.md", f->root);
  assert_int_equal(mkfifo(link, 0644), 0);
  expect(f, "fifo.md", "1:1 file/unreadable cannot read: not a regular file\n");
  /* A BOM, CRLF and front matter change no position. */
  course_write(f->root, "bom.md",
               "\xef\xbb\xbf---\r\ntitle: x\r\n---\r\n# "
               "B\r\n\r\n[x](nothing-here.md)\r\n");
  expect(f, "bom.md",
         "6:1 link/missing-file link target 'nothing-here.md' does not "
         "exist\n");
}

static void test_linter(void **state) {
  struct course_dir *f = *state;
  const clint_rule_info *r =
      clint_linter_find_rule(f->linter, "link/missing-file");
  assert_non_null(r);
  assert_int_equal(r->severity, CLINT_SEV_ERROR);
  assert_null(clint_linter_find_rule(f->linter, "link/nonsense"));
  size_t n = clint_linter_rule_count(f->linter);
  assert_true(n > 20);
  assert_null(clint_linter_rule(f->linter, n));
  /* A rule file turns a rule off; the linter then reports nothing for it. */
  const char *yml = "rules:\n  link/missing-file: off\n";
  clint_error err;
  assert_int_equal(
      clint_linter_load_rules_mem(f->linter, "t.yml", yml, strlen(yml), &err),
      CLINT_OK);
  assert_int_equal(
      clint_linter_find_rule(f->linter, "link/missing-file")->severity,
      CLINT_SEV_OFF);
  course_write(f->root, "p.md", "# P\n\n[x](no.md)\n");
  expect(f, "p.md", "");
  /* A bad file leaves the linter as it was, and says where. */
  const char *bad = "rules:\n  link/missing-file: loud\n";
  assert_int_not_equal(
      clint_linter_load_rules_mem(f->linter, "bad.yml", bad, strlen(bad), &err),
      CLINT_OK);
  assert_string_equal(err.path, "bad.yml");
  assert_int_equal(err.line, 2);
  assert_int_equal(
      clint_linter_find_rule(f->linter, "link/missing-file")->severity,
      CLINT_SEV_OFF);
  /* The course's own rule file. */
  course_write(f->root, ".courselint.yml",
               "rules:\n  link/missing-file: warning\n");
  assert_int_equal(clint_linter_load_course_rules(f->linter, f->root, &err),
                   CLINT_OK);
  assert_int_equal(
      clint_linter_find_rule(f->linter, "link/missing-file")->severity,
      CLINT_SEV_WARNING);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_links, course_dir_setup,
                                      course_dir_teardown),
      cmocka_unit_test_setup_teardown(test_file_rules, course_dir_setup,
                                      course_dir_teardown),
      cmocka_unit_test_setup_teardown(test_linter, course_dir_setup,
                                      course_dir_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
