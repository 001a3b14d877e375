/* test_secnum.c - the one section-number type (src/util/secnum.h): read
 * from prose (a prefix, a full stop after it) and from a heading's whole
 * number, compared, and written back; the limits on digits and parts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/secnum.h"

static const char *str(const struct secnum *n) {
  static char buf[64]; /* tests run one at a time */
  secnum_str(n, buf, sizeof(buf));
  return buf;
}

static void test_parse_prose(void **state) {
  (void)state;
  struct secnum n;
  assert_int_equal(secnum_parse("6.5 Latent", 10, &n), 3);
  assert_string_equal(str(&n), "6.5");
  assert_int_equal(secnum_parse("06", 2, &n), 2);
  assert_string_equal(str(&n), "6");
  /* A full stop after a number ends the sentence. */
  assert_int_equal(secnum_parse("6.", 2, &n), 1);
  assert_int_equal(secnum_parse("6.5.", 4, &n), 3);
  assert_int_equal(n.n, 2);
  assert_int_equal(secnum_parse("1..2", 4, &n), 1);
  assert_int_equal(secnum_parse("x6", 2, &n), 0);
  assert_int_equal(secnum_parse("", 0, &n), 0);
  assert_int_equal(secnum_parse(".5", 2, &n), 0);
  /* len bounds the read: "65" cut after one byte is 6. */
  assert_int_equal(secnum_parse("65", 1, &n), 1);
  assert_int_equal(n.part[0], 6);
}

static void test_limits(void **state) {
  (void)state;
  struct secnum n;
  /* SECNUM_MAX_DIGITS digits a part, SECNUM_MAX_PARTS parts. */
  assert_int_equal(secnum_parse("999999", 6, &n), 6);
  assert_int_equal(n.part[0], 999999);
  assert_int_equal(secnum_parse("1234567", 7, &n), 0);
  assert_int_equal(secnum_parse("1.1234567", 9, &n), 0);
  assert_int_equal(secnum_parse("0000001", 7, &n), 0);
  assert_int_equal(secnum_parse("1.2.3.4.5.6.7.8", 15, &n), 15);
  assert_int_equal(n.n, 8);
  assert_int_equal(secnum_parse("1.2.3.4.5.6.7.8.9", 17, &n), 0);
  assert_false(secnum_from_str("1234567890", &n));
  assert_false(secnum_from_str("1.1.1.1.1.1.1.1.1", &n));
}

static void test_whole_string(void **state) {
  (void)state;
  struct secnum n;
  assert_true(secnum_from_str("6", &n));
  assert_int_equal(n.n, 1);
  assert_int_equal(n.part[0], 6);
  assert_true(secnum_from_str("1.2.10", &n));
  assert_int_equal(n.n, 3);
  assert_int_equal(n.part[2], 10);
  assert_false(secnum_from_str("", &n));
  assert_false(secnum_from_str(NULL, &n));
  assert_int_equal(n.n, 0);
  assert_false(secnum_from_str("a.1", &n));
  assert_false(secnum_from_str("1..2", &n));
  assert_false(secnum_from_str("1.2a", &n));
  assert_false(secnum_from_str("6.", &n));
  assert_false(secnum_from_str(" 6", &n));
}

static void test_compare_and_write(void **state) {
  (void)state;
  struct secnum a, b, c, d;
  assert_true(secnum_from_str("2", &a));
  assert_true(secnum_from_str("2.1", &b));
  assert_true(secnum_from_str("10", &c));
  assert_true(secnum_from_str("6.7.1", &d));
  assert_true(secnum_cmp(&a, &b) < 0);
  assert_true(secnum_cmp(&b, &c) < 0);
  assert_true(secnum_cmp(&c, &a) > 0);
  assert_int_equal(secnum_cmp(&b, &b), 0);
  struct secnum e;
  assert_true(secnum_from_str("6.5", &e));
  assert_true(secnum_same_prefix(&e, &d, 1));
  assert_false(secnum_same_prefix(&e, &d, 2));
  assert_false(secnum_same_prefix(&e, &d, 3));
  assert_true(secnum_same_prefix(&e, &d, 0));
  assert_string_equal(str(&d), "6.7.1");
  char small[4];
  secnum_str(&d, small, sizeof(small));
  assert_string_equal(small, "6.7");
  secnum_str(&d, small, 0); /* writes nothing */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_parse_prose),
      cmocka_unit_test(test_limits),
      cmocka_unit_test(test_whole_string),
      cmocka_unit_test(test_compare_and_write),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
