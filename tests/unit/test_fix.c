/* test_fix.c - fix.c and fix_write.c: applying hand-made fixes, the
 * unified diff (and running out of memory while making it), and
 * clint_run_fix on a real course in a temporary folder: mode, CRLF and BOM
 * survive, a second run changes nothing, an interrupted write leaves the
 * page intact, a page changed meanwhile or being written is refused, a
 * symlink out of the course is refused, a page under two names is fixed
 * once, every page not fixed is reported, anchors with odd bytes are
 * escaped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
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
  struct buf out;
  buf_init(&out);
  assert_true(fix_diff(&out, "p.md", old, strlen(old), f, n));
  char *text = strdup(buf_cstr(&out));
  buf_free(&out);
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

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define SANITIZED 1
#endif
#endif

/* Out of memory while making a diff: fix_diff says so and adds nothing,
 * so that no truncated diff is shown. The child process gets a limit on
 * its address space just above what it uses; the page has 64 Mi lines, so
 * the line table alone needs 512 MiB. (Sanitizers reserve terabytes of
 * address space, so there the limit cannot be set.) */
static void diff_out_of_memory_fails(void **state) {
  (void)state;
#ifdef SANITIZED
  skip();
#else
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    size_t len = (size_t)64 << 20;
    char *old = malloc(len);
    if (!old)
      _exit(3);
    memset(old, '\n', len);
    long pages = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f || fscanf(f, "%ld", &pages) != 1)
      _exit(3);
    fclose(f);
    struct rlimit r;
    getrlimit(RLIMIT_AS, &r);
    r.rlim_cur = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + (32 << 20);
    if (setrlimit(RLIMIT_AS, &r) != 0)
      _exit(3);
    struct buf out;
    buf_init(&out);
    clint_fix fx = {len / 2, 0, "x"};
    bool ok = fix_diff(&out, "p.md", old, len, &fx, 1);
    _exit(ok ? 1 : out.len == 0 ? 0 : 2);
  }
  int st;
  assert_int_equal(waitpid(pid, &st, 0), pid);
  assert_true(WIFEXITED(st));
  assert_int_equal(WEXITSTATUS(st), 0);
#endif
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

/* A page that another program is rewriting in place and has written
 * half of: what the run read is half the page, and a rename would send
 * the rest of the writer's bytes to the replaced copy. */
static void page_being_written_is_refused(void **state) {
  struct course *c = *state;
  put(c, "b.md", page_b, sizeof(page_b) - 1);
  char path[256];
  snprintf(path, sizeof(path), "%s/a.md", c->root);
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  assert_true(fd >= 0);
  size_t half = (sizeof(page_a) - 1) / 2 + 8;
  assert_int_equal(write(fd, page_a, half), (ssize_t)half);
  clint_run *run = lint(c);
  clint_error err;
  clint_fix_summary sum;
  assert_int_equal(clint_run_fix(run, NULL, &sum, &err), CLINT_E_IO);
  clint_run_free(run);
  assert_non_null(strstr(err.message, "open for writing"));
  assert_int_equal(sum.files_failed, 1);
  assert_int_equal(write(fd, page_a + half, sizeof(page_a) - 1 - half),
                   (ssize_t)(sizeof(page_a) - 1 - half));
  close(fd);
  assert_page_a(c, page_a);
}

/* A page and a symlink to it inside the course are one file: fixed once,
 * and the diff names the file itself, so that patch -p1 applies it. */
static void page_under_two_names_is_fixed_once(void **state) {
  struct course *c = *state;
  make_course(c);
  char link[256];
  snprintf(link, sizeof(link), "%s/z-alias.md", c->root);
  assert_int_equal(symlink("a.md", link), 0);
  clint_run *run = lint(c);
  char *text = NULL;
  size_t len;
  FILE *m = open_memstream(&text, &len);
  clint_fix_options o = {.diff = m};
  clint_fix_summary sum;
  clint_error err;
  assert_int_equal(clint_run_fix(run, &o, &sum, &err), CLINT_OK);
  fclose(m);
  clint_run_free(run);
  assert_int_equal(sum.files_changed, 1);
  assert_int_equal(sum.fixes_applied, 2);
  assert_int_equal(sum.files_failed, 0);
  assert_page_a(c, fixed_a);
  /* One file in the diff, named a.md (behind the prefix to the cwd). */
  assert_null(strstr(text, "alias"));
  const char *plus = strstr(text, "\n+++ b/");
  assert_non_null(plus);
  assert_null(strstr(plus + 1, "\n+++ "));
  const char *eol = strchr(plus + 1, '\n');
  assert_non_null(eol);
  assert_int_equal(strncmp(eol - 5, "/a.md", 5), 0);
  free(text);
  struct stat st;
  assert_int_equal(lstat(link, &st), 0);
  assert_true(S_ISLNK(st.st_mode));
}

static void count_failure(const clint_error *e, void *ctx) {
  size_t *n = ctx;
  assert_int_equal(e->status, CLINT_E_IO);
  assert_non_null(strstr(e->message, "hard links"));
  ++*n;
}

/* Every page that cannot be fixed is reported, and the others are still
 * fixed. */
static void every_failed_page_is_reported(void **state) {
  struct course *c = *state;
  make_course(c);
  static const char boxes[] = "# C\n\n- [] c\n";
  put(c, "c.md", boxes, sizeof(boxes) - 1);
  put(c, "d.md", boxes, sizeof(boxes) - 1);
  char from[256], to[256];
  for (const char *p = "cd"; *p; p++) {
    snprintf(from, sizeof(from), "%s/%c.md", c->root, *p);
    snprintf(to, sizeof(to), "%s/%c-link.md", c->root, *p);
    assert_int_equal(link(from, to), 0);
  }
  clint_run *run = lint(c);
  size_t failures = 0;
  clint_fix_options o = {.page_failed = count_failure, .ctx = &failures};
  clint_fix_summary sum;
  clint_error err;
  assert_int_equal(clint_run_fix(run, &o, &sum, &err), CLINT_E_IO);
  clint_run_free(run);
  assert_int_equal(failures, 2);
  assert_int_equal(sum.files_failed, 2);
  assert_int_equal(sum.files_changed, 1);
  assert_page_a(c, fixed_a);
}

/* Lint the course, fix it, lint it again: the second lint must find
 * nothing, and the page must read want. */
static void assert_fixed_clean(const struct course *c, const char *name,
                               const char *want) {
  clint_run *run = lint(c);
  assert_true(clint_run_diag_count(run) > 0);
  clint_error err;
  assert_int_equal(clint_run_fix(run, NULL, NULL, &err), CLINT_OK);
  clint_run_free(run);
  run = lint(c);
  assert_int_equal(clint_run_diag_count(run), 0);
  clint_run_free(run);
  size_t len;
  char *got = get(c, name, &len);
  assert_string_equal(got, want);
  free(got);
}

/* An HTML id may hold a space, a newline, '(' or '%': written into the
 * link as it is, it would end the destination and turn the link into
 * text (which a re-lint cannot notice). The fix percent-encodes them. */
static void anchor_fix_escapes_the_id(void **state) {
  struct course *c = *state;
  static const char page[] =
      "# T\n\n<a id=\"leg acy\"></a>\n<a id=\"intro(1)\"></a>\n"
      "<span id=\"sum\nmary\">x</span>\n<a id=\"100%x\"></a>\n\n"
      "[L](#legacy) [i](#intro1) [s](<#sumary>) [p](#100x)\n\n"
      "[r]: #legac\n\nSee [r].\n";
  put(c, "t.md", page, sizeof(page) - 1);
  assert_fixed_clean(
      c, "t.md",
      "# T\n\n<a id=\"leg acy\"></a>\n<a id=\"intro(1)\"></a>\n"
      "<span id=\"sum\nmary\">x</span>\n<a id=\"100%x\"></a>\n\n"
      "[L](#leg%20acy) [i](#intro%281%29) [s](<#sum%0Amary>) [p](#100%25x)\n\n"
      "[r]: #leg%20acy\n\nSee [r].\n");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(apply_in_order_skipping_overlaps),
      cmocka_unit_test(diff_hunks_and_context),
      cmocka_unit_test(diff_without_final_newline),
      cmocka_unit_test(diff_out_of_memory_fails),
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
      cmocka_unit_test_setup_teardown(page_being_written_is_refused, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(page_under_two_names_is_fixed_once, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(every_failed_page_is_reported, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(anchor_fix_escapes_the_id, setup,
                                      teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
