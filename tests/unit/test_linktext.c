/* test_linktext.c - the link-text family's reading of the chapter and
 * section numbers link text names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "checks/linktext.h"

/* The numbers text names, written "2", "4.1,4.2,4.3", or "" for none;
 * noun gets the noun as written. */
static const char *numbers(const char *text, char *noun, char *buf) {
  struct secnum v[16];
  const char *n = NULL;
  size_t nl = 0;
  size_t k = linktext_numbers(text, &n, &nl, v, 16);
  buf[0] = noun[0] = '\0';
  if (k) {
    memcpy(noun, n, nl);
    noun[nl] = '\0';
  }
  for (size_t i = 0; i < k; i++) {
    char one[64];
    secnum_str(&v[i], one, sizeof(one));
    if (i)
      strcat(buf, ",");
    strcat(buf, one);
  }
  return buf;
}

static void test_numbers(void **state) {
  (void)state;
  char noun[64], buf[256];
  assert_string_equal(numbers("explainer chapter 2", noun, buf), "2");
  assert_string_equal(noun, "chapter");
  assert_string_equal(numbers("Chapter 3: CLIP training", noun, buf), "3");
  assert_string_equal(numbers("section 4.2", noun, buf), "4.2");
  assert_string_equal(numbers("sections 4.1-4.3", noun, buf), "4.1,4.2,4.3");
  assert_string_equal(numbers("chapters 2 to 4", noun, buf), "2,3,4");
  assert_string_equal(numbers("chapters 2, 5, and 7", noun, buf), "2,5,7");
  assert_string_equal(numbers("ch. 3", noun, buf), "3");
  assert_string_equal(noun, "ch.");
  assert_string_equal(numbers("ch.3", noun, buf), "3");
  assert_string_equal(numbers("\xc2\xa7"
                              "2.4",
                              noun, buf),
                      "2.4");
  assert_string_equal(numbers("\xc2\xa7\xc2\xa7 2.4 and 2.6", noun, buf),
                      "2.4,2.6");
  assert_string_equal(noun, "\xc2\xa7\xc2\xa7");
}

/* A number needs a noun right before it; nouns inside words, and
 * numbers that run into letters, name nothing. */
static void test_no_numbers(void **state) {
  (void)state;
  char noun[64], buf[256];
  assert_string_equal(numbers("CLIP training", noun, buf), "");
  assert_string_equal(numbers("the first 3 explainer chapters", noun, buf), "");
  assert_string_equal(numbers("all 6 chapters", noun, buf), "");
  assert_string_equal(numbers("2024 results", noun, buf), "");
  assert_string_equal(numbers("subsection 2", noun, buf), "");
  assert_string_equal(numbers("chapter2", noun, buf), "");
  assert_string_equal(numbers("chapter 2a", noun, buf), "");
  assert_string_equal(numbers("chapter one", noun, buf), "");
  assert_string_equal(numbers("", noun, buf), "");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_numbers),
      cmocka_unit_test(test_no_numbers),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
