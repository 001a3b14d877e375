/* The string map under the path index and the anchor sets: what goes in
 * comes out, keys are compared by their bytes and length, the map grows
 * without losing anything, and the hash spreads keys that differ in one
 * byte anywhere. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/hash.h"

static void test_put_get_replace(void **state) {
  (void)state;
  struct hmap m;
  hmap_init(&m);
  assert_null(hmap_get(&m, "x", 1)); /* an empty map has no slots */
  int a, b, c;
  assert_true(hmap_put(&m, "docs/a.md", 9, &a));
  assert_true(hmap_put(&m, "", 0, &b));
  assert_ptr_equal(hmap_get(&m, "docs/a.md", 9), &a);
  assert_ptr_equal(hmap_get(&m, "", 0), &b);
  /* Length is part of the key: a prefix is another key. */
  assert_null(hmap_get(&m, "docs/a.m", 8));
  assert_null(hmap_get(&m, "docs/a.md\0", 10));
  assert_true(hmap_put(&m, "docs/a.md", 9, &c));
  assert_ptr_equal(hmap_get(&m, "docs/a.md", 9), &c);
  assert_int_equal(m.len, 2);
  struct hmap_slot *s = hmap_slot(&m, "", 0);
  assert_non_null(s);
  s->value = &a;
  assert_ptr_equal(hmap_get(&m, "", 0), &a);
  /* A key of 4 GB or more is refused, and never read: its length does
   * not fit a slot. */
  size_t huge = (size_t)UINT32_MAX + 1;
  if (huge > UINT32_MAX) { /* a 64-bit size_t */
    assert_false(hmap_put(&m, "x", huge, &a));
    assert_null(hmap_get(&m, "x", huge));
    assert_null(hmap_slot(&m, "x", huge));
    assert_int_equal(m.len, 2);
  }
  hmap_free(&m);
}

static void test_many_keys_with_long_shared_parts(void **state) {
  (void)state;
  /* Paths as a course has them: long, alike but for a few bytes at the
   * start, the middle or the end. */
  enum { N = 30000 };
  char *keys = malloc((size_t)N * 96);
  assert_non_null(keys);
  struct hmap m;
  hmap_init(&m);
  for (int i = 0; i < N; i++) {
    char *k = keys + (size_t)i * 96;
    switch (i % 3) {
    case 0:
      snprintf(k, 96,
               "%05d/translated_images/lesson-1.2606670fa61ee904687d.png", i);
      break;
    case 1:
      snprintf(k, 96, "translated_images/lesson-%05d.2606670fa61ee904687d.png",
               i);
      break;
    default:
      snprintf(k, 96, "translated_images/lesson-1.2606670fa61ee904687d.%05d",
               i);
    }
    assert_true(hmap_put(&m, k, strlen(k), k));
  }
  assert_int_equal(m.len, N);
  for (int i = 0; i < N; i++) {
    const char *k = keys + (size_t)i * 96;
    assert_ptr_equal(hmap_get(&m, k, strlen(k)), k);
  }
  /* Linear probing stays short when the hash spreads such keys: the
   * longest run of taken slots is a few dozen, not thousands. */
  size_t run = 0, longest = 0;
  for (size_t i = 0; i < m.cap; i++) {
    run = m.slots[i].key ? run + 1 : 0;
    if (run > longest)
      longest = run;
  }
  assert_true(longest < 100);
  hmap_free(&m);
  free(keys);
}

static void test_one_byte_changes_the_slot_bits(void **state) {
  (void)state;
  /* Flipping any one bit of a 40-byte key changes about half of the
   * hash's low 16 bits (the slot index of a map of 65,536 slots). */
  char key[41] = "contributors/guide/README-ko.md#section";
  uint64_t base = hash_bytes(key, 40);
  unsigned total = 0;
  for (int byte = 0; byte < 40; byte++)
    for (int bit = 0; bit < 8; bit++) {
      key[byte] ^= (char)(1 << bit);
      total +=
          (unsigned)__builtin_popcountll((hash_bytes(key, 40) ^ base) & 0xFFFF);
      key[byte] ^= (char)(1 << bit);
    }
  /* 320 flips of 16 bits: 2,560 bits would change at 50%. */
  assert_true(total > 2000 && total < 3100);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_put_get_replace),
      cmocka_unit_test(test_many_keys_with_long_shared_parts),
      cmocka_unit_test(test_one_byte_changes_the_slot_bits),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
