/* test_modules.c - the module family's majority vote over the module
 * numbers a module's pages name in their H1. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "checks/modules.h"

static void test_majority(void **state) {
  (void)state;
  const long clear[] = {13, 13, 12, 13, -1};
  assert_int_equal(modules_majority(clear, 5, 13), 13);
  assert_int_equal(modules_majority(clear, 5, -1), 13);
  /* The folder's number does not outvote the pages. */
  assert_int_equal(modules_majority(clear, 5, 12), 13);
}

static void test_ties(void **state) {
  (void)state;
  const long tie[] = {1, 2, 2, 1, 3, 3};
  assert_int_equal(modules_majority(tie, 6, 2), 2);
  assert_int_equal(modules_majority(tie, 6, 4), -1);
  assert_int_equal(modules_majority(tie, 6, -1), -1);
  const long two[] = {7, 8};
  assert_int_equal(modules_majority(two, 2, 8), 8);
}

static void test_empty(void **state) {
  (void)state;
  const long none[] = {-1, -1};
  assert_int_equal(modules_majority(none, 2, 5), -1);
  assert_int_equal(modules_majority(NULL, 0, 5), -1);
  const long one[] = {4};
  assert_int_equal(modules_majority(one, 1, 5), 4);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_majority),
      cmocka_unit_test(test_ties),
      cmocka_unit_test(test_empty),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
