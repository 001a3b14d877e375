/* test_fix.c - fix.c: applying hand-made fixes, the unified diff, and
 * clint_run_fix on a real course in a temporary folder: mode, CRLF and BOM
 * survive, a second run changes nothing, an interrupted write leaves the
 * page intact, a page changed meanwhile is refused, a symlink out of the
 * course is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "courselint.h"
#include "fix.h"

/* ---- fix_apply and fix_diff ------------------------------------------ */

static void apply_in_order_skipping_overlaps(void **state) {
  (void)state;
  const char *old = "- []a\n-[ ] b\n";
  clint_fix f[] = {{2, 2, "[ ]"}, {4, 0, " "},  {4, 0, " "},
                   {3, 2, "X"},   {6, 1, "- "}, {100, 1, "far"}};
  struct buf out;
  buf_init(&out);
  size_t skipped = 0;
  assert_true(fix_apply(old, strlen(old), f, 6, &out, &skipped));
  assert_string_equal(buf_cstr(&out), "- [ ] a\n- [ ] b\n");
  /* The duplicate is dropped; the overlap and the one past the end are
   * skipped. */
  assert_int_equal(skipped, 2);
  buf_free(&out);
}

static char *diff_of(const char *old, const clint_fix *f, size_t n) {
  char *text = NULL;
  size_t len;
  FILE *m = open_memstream(&text, &len);
  fix_diff(m, "p.md", old, strlen(old), f, n);
  fclose(m);
  return text;
}

static void diff_hunks_and_context(void **state) {
  (void)state;
  const char *old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n"
                    "17\n18\n19\n20\n";
  /* Line 2 and line 18: too far apart for one hunk. */
  clint_fix f[] = {{2, 1, "two"}, {42, 2, "eighteen"}};
  char *d = diff_of(old, f, 2);
  assert_string_equal(d, "--- a/p.md\n+++ b/p.md\n"
                         "@@ -1,5 +1,5 @@\n 1\n-2\n+two\n 3\n 4\n 5\n"
                         "@@ -15,6 +15,6 @@\n 15\n 16\n 17\n-18\n+eighteen\n"
                         " 19\n 20\n");
  free(d);
}

static void diff_without_final_newline(void **state) {
  (void)state;
  clint_fix f[] = {{3, 1, "B"}};
  char *d = diff_of("a\r\nb", f, 1);
  assert_string_equal(d, "--- a/p.md\n+++ b/p.md\n@@ -1,2 +1,2 @@\n a\r\n"
                         "-b\n\\ No newline at end of file\n"
                         "+B\n\\ No newline at end of file\n");
  free(d);
}

/* ---- clint_run_fix on a course ---------------------------------------- */

struct course {
  char root[64];
  clint_linter *linter;
};

static void put(const struct course *c, const char *name, const char *text,
                size_t len) {
  char path[256];
  snprintf(path, sizeof(path), "%s/%s", c->root, name);
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  fwrite(text, 1, len, f);
  fclose(f);
}

static char *get(const struct course *c, const char *name, size_t *len) {
  char path[256];
  snprintf(path, sizeof(path), "%s/%s", c->root, name);
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  char *buf = calloc(1, 4096);
  *len = fread(buf, 1, 4095, f);
  fclose(f);
  return buf;
}

static int setup(void **state) {
  struct course *c = calloc(1, sizeof(*c));
  strcpy(c->root, "/tmp/clint-fix-XXXXXX");
  if (!mkdtemp(c->root))
    return -1;
  clint_error err;
  c->linter = clint_linter_new(&err);
  *state = c;
  /* Anchor fixes are opt-in: these tests ask for them. */
  static const char opt_in[] = "links:\n  fix_anchors: true\n";
  if (c->linter &&
      clint_linter_load_rules_mem(c->linter, "opt-in", opt_in,
                                  sizeof(opt_in) - 1, &err) != CLINT_OK)
    return -1;
  return c->linter ? 0 : -1;
}

static int teardown(void **state) {
  struct course *c = *state;
  char cmd[256];
  snprintf(cmd, sizeof(cmd), "chmod -R u+w %s; rm -rf %s", c->root, c->root);
  if (system(cmd) != 0)
    return -1;
  clint_linter_free(c->linter);
  free(c);
  return 0;
}

static clint_run *lint(const struct course *c) {
  clint_options o = CLINT_OPTIONS_INIT;
  o.root = c->root;
  o.jobs = 1;
  clint_error err;
  clint_run *run = clint_run_new(c->linter, &o, &err);
  assert_non_null(run);
  assert_int_equal(clint_run_lint(run, &err), CLINT_OK);
  return run;
}

/* A page with a BOM, CRLF line ends and two broken anchors that each have
 * one close heading, so link/missing-anchor attaches a fix to both. */
static const char page_a[] = "\xEF\xBB\xBF# A\r\n\r\nSee [b](b.md#introductoin)"
                             " and [c](b.md#sumary).\r\n";
static const char fixed_a[] =
    "\xEF\xBB\xBF# A\r\n\r\nSee [b](b.md#introduction)"
    " and [c](b.md#summary).\r\n";
static const char page_b[] = "# B\n\n## Introduction\n\n## Summary\n";

static void make_course(const struct course *c) {
  put(c, "a.md", page_a, sizeof(page_a) - 1);
  put(c, "b.md", page_b, sizeof(page_b) - 1);
  char path[256];
  snprintf(path, sizeof(path), "%s/a.md", c->root);
  assert_int_equal(chmod(path, 0640), 0);
}

static void assert_page_a(const struct course *c, const char *want) {
  size_t len;
  char *got = get(c, "a.md", &len);
  assert_int_equal(len, strlen(want));
  assert_memory_equal(got, want, len);
  free(got);
}

static void fix_keeps_mode_crlf_bom_and_is_idempotent(void **state) {
  struct course *c = *state;
  make_course(c);
  clint_run *run = lint(c);
  clint_fix_summary sum;
  clint_error err;
  assert_int_equal(clint_run_fix(run, NULL, &sum, &err), CLINT_OK);
  clint_run_free(run);
  assert_int_equal(sum.files_changed, 1);
  assert_int_equal(sum.fixes_applied, 2);
  assert_page_a(c, fixed_a);
  char path[256];
  struct stat st;
  snprintf(path, sizeof(path), "%s/a.md", c->root);
  assert_int_equal(stat(path, &st), 0);
  assert_int_equal(st.st_mode & 07777, 0640);
  /* Second run: nothing left to fix, nothing written. */
  run = lint(c);
  assert_int_equal(clint_run_diag_count(run), 0);
  assert_int_equal(clint_run_fix(run, NULL, &sum, &err), CLINT_OK);
  assert_int_equal(sum.files_changed, 0);
  clint_run_free(run);
  /* No temporary file left behind. */
  char cmd[256];
  snprintf(cmd, sizeof(cmd), "test $(ls -A %s | wc -l) -eq 2", c->root);
  assert_int_equal(system(cmd), 0);
}

static void dry_run_writes_nothing(void **state) {
  struct course *c = *state;
  make_course(c);
  clint_run *run = lint(c);
  char *text = NULL;
  size_t len;
  FILE *m = open_memstream(&text, &len);
  clint_fix_options o = {.flags = CLINT_FIX_DRY_RUN, .diff = m};
  clint_fix_summary sum;
  clint_error err;
  assert_int_equal(clint_run_fix(run, &o, &sum, &err), CLINT_OK);
  fclose(m);
  clint_run_free(run);
  assert_int_equal(sum.files_changed, 1);
  assert_non_null(strstr(text, "+See [b](b.md#introduction) and "
                               "[c](b.md#summary).\r\n"));
  free(text);
  assert_page_a(c, page_a);
}

static int interrupt(const char *path, const char *tmp, void *ctx) {
  (void)path;
  (void)ctx;
  /* The temporary file is complete at this point. */
  return access(tmp, F_OK) == 0 ? 1 : 2;
}

static void interrupted_write_leaves_the_page(void **state) {
  struct course *c = *state;
  make_course(c);
  clint_run *run = lint(c);
  clint_fix_options o = {.before_rename = interrupt};
  clint_fix_summary sum;
  clint_error err;
  assert_int_equal(clint_run_fix(run, &o, &sum, &err), CLINT_E_IO);
  clint_run_free(run);
  assert_int_equal(sum.files_failed, 1);
  assert_non_null(strstr(err.message, "interrupted"));
  assert_page_a(c, page_a);
  char cmd[256];
  snprintf(cmd, sizeof(cmd), "test $(ls -A %s | wc -l) -eq 2", c->root);
  assert_int_equal(system(cmd), 0);
}

static int edit_meanwhile(const char *path, const char *tmp, void *ctx) {
  (void)tmp;
  (void)ctx;
  FILE *f = fopen(path, "ab");
  fputs("an author's new line\r\n", f);
  fclose(f);
  return 0;
}

static void page_changed_while_fixing_is_refused(void **state) {
  struct course *c = *state;
  make_course(c);
  clint_run *run = lint(c);
  clint_fix_options o = {.before_rename = edit_meanwhile};
  clint_error err;
  assert_int_equal(clint_run_fix(run, &o, NULL, &err), CLINT_E_IO);
  clint_run_free(run);
  assert_non_null(strstr(err.message, "changed"));
  char want[256];
  snprintf(want, sizeof(want), "%san author's new line\r\n", page_a);
  assert_page_a(c, want);
}

static void page_changed_since_lint_is_refused(void **state) {
  struct course *c = *state;
  make_course(c);
  clint_run *run = lint(c);
  /* Same size, other bytes: only the digest can tell. */
  char edited[sizeof(page_a)];
  memcpy(edited, page_a, sizeof(page_a));
  edited[5] = 'Z';
  put(c, "a.md", edited, sizeof(page_a) - 1);
  clint_error err;
  assert_int_equal(clint_run_fix(run, NULL, NULL, &err), CLINT_E_IO);
  clint_run_free(run);
  assert_non_null(strstr(err.message, "changed since"));
  assert_page_a(c, edited);
}

static void symlink_out_of_the_course_is_refused(void **state) {
  struct course *c = *state;
  char outside[96], link[128];
  snprintf(outside, sizeof(outside), "%s-outside.md", c->root);
  FILE *f = fopen(outside, "wb");
  fwrite(page_a, 1, sizeof(page_a) - 1, f);
  fclose(f);
  put(c, "b.md", page_b, sizeof(page_b) - 1);
  snprintf(link, sizeof(link), "%s/a.md", c->root);
  assert_int_equal(symlink(outside, link), 0);
  clint_run *run = lint(c);
  clint_error err;
  clint_status st = clint_run_fix(run, NULL, NULL, &err);
  clint_run_free(run);
  size_t len;
  f = fopen(outside, "rb");
  char got[256];
  len = fread(got, 1, sizeof(got), f);
  fclose(f);
  unlink(outside);
  /* Either the run never read the page through the link, or the fix was
   * refused: in both cases the outside file is untouched. */
  assert_int_equal(len, sizeof(page_a) - 1);
  assert_memory_equal(got, page_a, len);
  if (st != CLINT_OK)
    assert_true(strstr(err.message, "symlink") ||
                strstr(err.message, "not read"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(apply_in_order_skipping_overlaps),
      cmocka_unit_test(diff_hunks_and_context),
      cmocka_unit_test(diff_without_final_newline),
      cmocka_unit_test_setup_teardown(fix_keeps_mode_crlf_bom_and_is_idempotent,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(dry_run_writes_nothing, setup, teardown),
      cmocka_unit_test_setup_teardown(interrupted_write_leaves_the_page, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(page_changed_while_fixing_is_refused,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(page_changed_since_lint_is_refused, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(symlink_out_of_the_course_is_refused,
                                      setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
