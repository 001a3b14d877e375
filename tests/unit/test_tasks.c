/* test_tasks.c - the checkbox family: finding and classifying boxes on a
 * line, and the fixes it attaches (offsets in the file as on disk, BOM
 * and CRLF included). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "run_fixes.h"

#include "checks/tasks.h"
#include "courselint.h"

static const char *const marks[] = {"v", "\xE2\x9C\x93"};

static enum task_mark classify(const char *line) {
  struct task_box b;
  if (!tasks_find_box(line, strlen(line), &b))
    return MARK_NONE;
  return tasks_classify(line + b.box + 1, b.end - b.box - 2, marks, 2);
}

static void test_find_places(void **state) {
  (void)state;
  struct task_box b;
  assert_true(tasks_find_box("- [ ] a", 7, &b));
  assert_int_equal(b.place, TASK_ITEM);
  assert_int_equal(b.box, 2);
  assert_int_equal(b.end, 5);
  assert_true(tasks_find_box("  12. [x] a", 11, &b));
  assert_int_equal(b.place, TASK_ITEM);
  assert_int_equal(b.bullet, 2);
  assert_int_equal(b.bullet_end, 5);
  assert_int_equal(b.box, 6);
  assert_true(tasks_find_box("-[ ] a", 6, &b));
  assert_int_equal(b.place, TASK_TIGHT);
  assert_int_equal(b.bullet_end, 1);
  assert_true(tasks_find_box("[ ] a", 5, &b));
  assert_int_equal(b.place, TASK_BARE);
  assert_true(tasks_find_box("> > - [ ] a", 11, &b));
  assert_int_equal(b.place, TASK_ITEM);
  assert_int_equal(b.box, 6);
  assert_true(tasks_find_box("*\t[ ] a", 7, &b));
  assert_int_equal(b.box, 2);
}

static void test_find_rejects(void **state) {
  (void)state;
  struct task_box b;
  assert_false(tasks_find_box("", 0, &b));
  assert_false(tasks_find_box("text [ ] a", 10, &b));
  assert_false(tasks_find_box("- text", 6, &b));
  assert_false(tasks_find_box("- [ unclosed", 12, &b));
  assert_false(tasks_find_box("- [a long link text] x", 22, &b));
  assert_false(tasks_find_box("- [[x]]", 7, &b));
  assert_false(tasks_find_box("1234567890. [ ] a", 17, &b));
  assert_false(tasks_find_box("- `[ ]` a", 9, &b));
}

static void test_classify(void **state) {
  (void)state;
  assert_int_equal(classify("- [ ] a"), MARK_OPEN);
  assert_int_equal(classify("- [x] a"), MARK_DONE);
  assert_int_equal(classify("- [X] a"), MARK_DONE_UPPER);
  assert_int_equal(classify("- [] a"), MARK_EMPTY);
  assert_int_equal(classify("- [  ] a"), MARK_SPACED_OPEN);
  assert_int_equal(classify("- [ x] a"), MARK_SPACED_DONE);
  assert_int_equal(classify("- [x ] a"), MARK_SPACED_DONE);
  assert_int_equal(classify("- [ X ] a"), MARK_SPACED_DONE);
  assert_int_equal(classify("- [v] a"), MARK_OTHER);
  assert_int_equal(classify("- [\xE2\x9C\x93] a"), MARK_OTHER);
  assert_int_equal(classify("- [a] a"), MARK_NONE);
  assert_int_equal(classify("- [xx] a"), MARK_NONE);
  assert_int_equal(classify("- [1] a"), MARK_NONE);
}

/* Spaces that look like a space but do not make a box (issue 13). */
static void test_lookalike_spaces(void **state) {
  (void)state;
  assert_int_equal(classify("- [\xC2\xA0] a"), MARK_SPACED_OPEN);
  assert_int_equal(classify("- [\xE3\x80\x80] a"), MARK_SPACED_OPEN);
  assert_int_equal(classify("- [x\xE2\x80\xAF] a"), MARK_SPACED_DONE);
  assert_int_equal(classify("- [\xC2\xA0X\xC2\xA0] a"), MARK_SPACED_DONE);
  /* Not spaces: a lone continuation byte, U+00A9, U+2010 (a hyphen). */
  assert_int_equal(classify("- [\xA0] a"), MARK_NONE);
  assert_int_equal(classify("- [\xC2\xA9] a"), MARK_NONE);
  assert_int_equal(classify("- [\xE2\x80\x90] a"), MARK_NONE);
  uint32_t cp = 0;
  assert_int_equal(tasks_lookalike_space("\xE2\x80\x8B", 3, &cp), 3);
  assert_int_equal(cp, 0x200B);
  assert_int_equal(tasks_lookalike_space("\xC2", 1, &cp), 0);
  assert_int_equal(tasks_lookalike_space(" ", 1, &cp), 0);
  struct task_box b;
  assert_true(tasks_find_box("-\xC2\xA0[ ] a", 9, &b));
  assert_int_equal(b.place, TASK_TIGHT);
  assert_int_equal(b.gap, 2);
  assert_int_equal(b.box, 3);
  assert_true(tasks_find_box("-[ ] a", 6, &b));
  assert_int_equal(b.gap, 0);
  assert_false(tasks_find_box("-\xC2\xA0text", 7, &b));
}

/* ---- fixes through the public API -------------------------------------- */

/* Each look-alike space is replaced by one ASCII space, whatever its
 * length in bytes, in one run. */
static void test_fix_lookalike_spaces(void **state) {
  (void)state;
  static const char page[] = "# T\n\n- [\xC2\xA0] a\n- [ ]\xE2\x80\x83"
                             "b\n"
                             "-\xC2\xA0[x] c\n";
  static const char want[] = "# T\n\n- [ ] a\n- [ ] b\n- [x] c\n";
  assert_fixes_give(page, sizeof(page) - 1, 3, want);
}

static void test_fix_offsets_bom_crlf(void **state) {
  (void)state;
  static const char page[] = "\xEF\xBB\xBF# T\r\n\r\n- [] a\r\n- [ x] b\r\n"
                             "- [ ]c\r\n-[ ] d\r\n";
  static const char want[] = "\xEF\xBB\xBF# T\r\n\r\n- [ ] a\r\n- [x] b\r\n"
                             "- [ ] c\r\n- [ ] d\r\n";
  assert_fixes_give(page, sizeof(page) - 1, 4, want);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_find_places),
      cmocka_unit_test(test_find_rejects),
      cmocka_unit_test(test_classify),
      cmocka_unit_test(test_lookalike_spaces),
      cmocka_unit_test(test_fix_lookalike_spaces),
      cmocka_unit_test(test_fix_offsets_bom_crlf),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
