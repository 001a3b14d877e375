/* test_sequence.c - the sequence family's reading of link text and of
 * numbered names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "checks/sequence.h"

static void test_mark_next(void **state) {
  (void)state;
  assert_int_equal(sequence_mark("Next"), 1);
  assert_int_equal(sequence_mark("  next lesson "), 1);
  assert_int_equal(sequence_mark("Next: Deployment"), 1);
  assert_int_equal(sequence_mark("Deployment \xE2\x86\x92"), 1);
  assert_int_equal(sequence_mark("\xE2\x8F\xAD Deployment"), 1);
  assert_int_equal(sequence_mark("Deployment \xE2\x8F\xAD"), 1);
}

static void test_mark_previous(void **state) {
  (void)state;
  assert_int_equal(sequence_mark("Previous"), -1);
  assert_int_equal(sequence_mark("prev"), -1);
  assert_int_equal(sequence_mark("\xE2\x86\x90 Back"), -1);
  assert_int_equal(sequence_mark("\xE2\x8F\xAE Setup"), -1);
}

/* Words that only start like the markers, arrows inside the text, and
 * text that marks both ways say nothing. */
static void test_mark_neither(void **state) {
  (void)state;
  assert_int_equal(sequence_mark(""), 0);
  assert_int_equal(sequence_mark("Nextcloud setup"), 0);
  assert_int_equal(sequence_mark("Prevodu reci na text"), 0);
  assert_int_equal(sequence_mark("Previously"), 0);
  assert_int_equal(sequence_mark("A \xE2\x86\x92 B mapping"), 0);
  assert_int_equal(sequence_mark("the next lesson"), 0);
  assert_int_equal(sequence_mark("\xE2\x86\x90 Previous | Next \xE2\x86\x92"),
                   0);
}

static void test_mark_module(void **state) {
  (void)state;
  assert_int_equal(sequence_mark_module("the next module"), 1);
  assert_int_equal(sequence_mark_module("Next Module: Diffusion"), 1);
  assert_int_equal(sequence_mark_module("back to the previous module"), -1);
  assert_int_equal(sequence_mark_module("the next modules"), 0);
  assert_int_equal(sequence_mark_module("annex module"), 0);
  assert_int_equal(sequence_mark_module("next lesson"), 0);
  assert_int_equal(sequence_mark_module(""), 0);
}

static void test_number(void **state) {
  (void)state;
  assert_int_equal(sequence_number("05-deployment.md"), 5);
  assert_int_equal(sequence_number("01_image_video_models"), 1);
  assert_int_equal(sequence_number("123456789-x"), 123456789);
  assert_int_equal(sequence_number("1234567890-x"), -1);
  assert_int_equal(sequence_number("ch01-01.md"), -1);
  assert_int_equal(sequence_number("README.md"), -1);
  assert_int_equal(sequence_number(""), -1);
}

static void test_home(void **state) {
  (void)state;
  assert_true(sequence_is_home("README.md"));
  assert_true(sequence_is_home("readme.md"));
  assert_true(sequence_is_home("index.md"));
  assert_true(sequence_is_home("_index.md"));
  assert_false(sequence_is_home("01_readme.md"));
  assert_false(sequence_is_home("README.txt"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_mark_next),    cmocka_unit_test(test_mark_previous),
      cmocka_unit_test(test_mark_neither), cmocka_unit_test(test_mark_module),
      cmocka_unit_test(test_number),       cmocka_unit_test(test_home),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
