/* The pool libcmark parses in: blocks keep their contents through
 * realloc, a release frees what came after its mark and nothing before,
 * a huge page's memory goes back to the system, and a failed allocation
 * jumps out instead of returning NULL to libcmark. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "parse.h"
#include "util/pool.h"

static void fill(unsigned char *p, size_t n, unsigned seed) {
  for (size_t i = 0; i < n; i++)
    p[i] = (unsigned char)(seed + i * 7);
}

static bool filled(const unsigned char *p, size_t n, unsigned seed) {
  for (size_t i = 0; i < n; i++)
    if (p[i] != (unsigned char)(seed + i * 7))
      return false;
  return true;
}

static void test_blocks_keep_their_contents(void **state) {
  (void)state;
  struct pool *p = pool_new(0);
  jmp_buf oom;
  if (setjmp(oom))
    fail_msg("unexpected out of memory");
  cmark_mem *mem = pool_parse_begin(p, &oom);
  unsigned char *a = mem->calloc(3, 10);
  for (size_t i = 0; i < 30; i++)
    assert_int_equal(a[i], 0);
  fill(a, 30, 1);
  /* The newest block grows in place, an older one moves: both keep
   * their bytes, from a few bytes up to sizes that need their own
   * allocation. */
  unsigned char *b = mem->calloc(1, 5);
  fill(b, 5, 2);
  for (size_t n = 16; n <= (size_t)1 << 20; n *= 4) {
    size_t old = n / 4 < 5 ? 5 : n / 4;
    b = mem->realloc(b, n);
    assert_true(filled(b, old, 2));
    fill(b, n, 2);
  }
  a = mem->realloc(a, 4000);
  assert_true(filled(a, 30, 1));
  assert_true(filled(b, (size_t)1 << 20, 2));
  mem->free(a);
  mem->free(b);
  mem->free(NULL);
  /* realloc(NULL, n) allocates. */
  unsigned char *c = mem->realloc(NULL, 100);
  fill(c, 100, 3);
  assert_true(filled(c, 100, 3));
  pool_parse_end(p);
  pool_free(p);
}

static void test_freed_blocks_are_reused(void **state) {
  (void)state;
  struct pool *p = pool_new(0);
  jmp_buf oom;
  if (setjmp(oom))
    fail_msg("unexpected out of memory");
  cmark_mem *mem = pool_parse_begin(p, &oom);
  unsigned char *a = mem->calloc(1, 40), *b = mem->calloc(1, 40);
  unsigned char *keep = mem->calloc(1, 40);
  fill(keep, 40, 8);
  /* Freed in the middle of the pool: the next blocks of that size take
   * their place, newest freed first, zeroed by calloc, and the block
   * between them is untouched. */
  mem->free(a);
  mem->free(b);
  unsigned char *c = mem->calloc(1, 33), *d = mem->calloc(5, 8);
  if (!POOL_MALLOC_EACH) {
    assert_ptr_equal(c, b);
    assert_ptr_equal(d, a);
  }
  for (size_t i = 0; i < 33; i++)
    assert_int_equal(c[i], 0);
  fill(c, 33, 9);
  fill(d, 40, 10);
  assert_true(filled(keep, 40, 8));
  assert_true(filled(c, 33, 9));
  /* A block that moves to grow frees its old place. */
  unsigned char *e = mem->calloc(1, 200);
  mem->calloc(1, 16);
  fill(e, 200, 11);
  unsigned char *grown = mem->realloc(e, 4000);
  assert_true(filled(grown, 200, 11));
  if (!POOL_MALLOC_EACH)
    assert_ptr_equal(mem->calloc(1, 200), e);
  pool_parse_end(p);
  pool_free(p);
}

static void test_release_frees_only_what_came_after_the_mark(void **state) {
  (void)state;
  struct pool *p = pool_new(0);
  jmp_buf oom;
  if (setjmp(oom))
    fail_msg("unexpected out of memory");
  cmark_mem *mem = pool_parse_begin(p, &oom);
  unsigned char *before = mem->calloc(1, 64);
  unsigned char *big_before = mem->calloc(1, 100000);
  fill(before, 64, 4);
  fill(big_before, 100000, 5);
  size_t held = pool_size(p);
  struct pool_mark m = pool_mark(p);
  for (int i = 0; i < 100; i++)
    fill(mem->calloc(1, 1000 + (size_t)i * 997), 1000, 6);
  void *big_after = mem->calloc(1, 500000);
  assert_non_null(big_after);
  size_t full = pool_size(p);
  assert_true(full > held + 500000);
  pool_release(p, m);
  /* What came before is whole, and the big block after is gone. */
  assert_true(filled(before, 64, 4));
  assert_true(filled(big_before, 100000, 5));
  assert_true(pool_size(p) <= full - 500000);
  /* A new block after the release is cut where the released ones were,
   * and does not touch the older ones. */
  unsigned char *again = mem->calloc(1, 64);
  fill(again, 64, 7);
  assert_true(filled(before, 64, 4));
  pool_parse_end(p);
  pool_free(p);
}

static void test_huge_page_memory_goes_back(void **state) {
  (void)state;
  struct pool *p = pool_new(0);
  jmp_buf oom;
  if (setjmp(oom))
    fail_msg("unexpected out of memory");
  cmark_mem *mem = pool_parse_begin(p, &oom);
  struct pool_mark empty = pool_mark(p);
  for (int i = 0; i < 20000; i++)
    mem->calloc(1, 3000); /* about 60 MB of small blocks */
  assert_true(pool_size(p) > (size_t)50 << 20);
  pool_release(p, empty);
  /* A few spare chunks stay for the next page, not 60 MB. */
  assert_true(pool_size(p) <= (size_t)2 << 20);
  pool_parse_end(p);
  pool_free(p);
}

static void test_failed_allocation_jumps_out(void **state) {
  (void)state;
  struct pool *p = pool_new(1 << 20);
  jmp_buf oom;
  volatile int allocated = 0;
  if (setjmp(oom) == 0) {
    cmark_mem *mem = pool_parse_begin(p, &oom);
    while (allocated < 1000) {
      mem->calloc(1, 50000);
      allocated++;
    }
    fail_msg("50 MB allocated under a limit of 1 MB");
  }
  pool_parse_end(p);
  /* It got close to the limit, not past it. */
  assert_true(allocated >= 10);
  assert_true(pool_size(p) <= 1 << 20);
  pool_release(p, (struct pool_mark){0});
  assert_int_equal(pool_size(p), 0);
  pool_free(p);
}

static void test_parse_out_of_memory_is_an_error(void **state) {
  (void)state;
  /* A page that needs more than the pool may hold: parse_doc says so
   * and leaves nothing behind in the pool. */
  size_t n = 200000;
  char *text = malloc(n + 1);
  assert_non_null(text);
  for (size_t i = 0; i < n; i++)
    text[i] = i % 50 == 49 ? '\n' : "- [x](y) "[i % 9];
  text[n] = '\0';
  struct source src;
  assert_int_equal(scan_from_mem(text, n, &src), CLINT_OK);
  struct pool *p = pool_new(1 << 20);
  struct arena keep, scratch;
  arena_init(&keep);
  arena_init(&scratch);
  struct doc doc;
  assert_int_equal(parse_doc(&src, &keep, &scratch, p, &doc), CLINT_E_NOMEM);
  parse_free(&doc);
  assert_int_equal(pool_used(p), 0);
  /* The same page with room enough parses. */
  struct pool *roomy = pool_new(0);
  assert_int_equal(parse_doc(&src, &keep, &scratch, roomy, &doc), CLINT_OK);
  assert_true(doc.nlinks > 1000);
  parse_free(&doc);
  pool_free(roomy);
  pool_free(p);
  arena_free(&keep);
  arena_free(&scratch);
  scan_free(&src);
  free(text);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_blocks_keep_their_contents),
      cmocka_unit_test(test_freed_blocks_are_reused),
      cmocka_unit_test(test_release_frees_only_what_came_after_the_mark),
      cmocka_unit_test(test_huge_page_memory_goes_back),
      cmocka_unit_test(test_failed_allocation_jumps_out),
      cmocka_unit_test(test_parse_out_of_memory_is_an_error),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
