/* test_arena.c - arenas (src/util/arena.h): allocations keep their bytes
 * and alignment through resets, and arenas that share a store, on several
 * threads at once, never overlap, also once the store has run out and
 * their blocks come from malloc; a trim gives room back only when it can. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/arena.h"

static void fill(unsigned char *p, size_t n, unsigned seed) {
  for (size_t i = 0; i < n; i++)
    p[i] = (unsigned char)(seed + i * 13);
}

static bool filled(const unsigned char *p, size_t n, unsigned seed) {
  for (size_t i = 0; i < n; i++)
    if (p[i] != (unsigned char)(seed + i * 13))
      return false;
  return true;
}

/* Sizes from one byte to past a standard block (64 KB), which then gets a
 * block of its own. */
static size_t size_of(unsigned i) {
  static const size_t sizes[] = {1, 7, 16, 100, 1000, 5000, 40000, 70000};
  return sizes[i % (sizeof(sizes) / sizeof(sizes[0]))];
}

enum { ALLOCS = 300 };

struct job {
  struct arena_store *store;
  unsigned seed;
  struct arena arena[3];
  unsigned char *p[ALLOCS];
  bool ok;
};

/* Allocate into three arenas in turn, filling each block; then check
 * every block still holds what was written: an overlap with a block of
 * another arena, or of another thread, would show. */
static void *run_job(void *arg) {
  struct job *j = arg;
  for (int k = 0; k < 3; k++)
    arena_init_in(&j->arena[k], j->store);
  j->ok = true;
  for (unsigned i = 0; i < ALLOCS; i++) {
    j->p[i] = arena_alloc(&j->arena[i % 3], size_of(i));
    if (!j->p[i] || ((uintptr_t)j->p[i] % _Alignof(max_align_t)) != 0) {
      j->ok = false;
      return NULL;
    }
    for (size_t b = 0; b < size_of(i); b++)
      if (j->p[i][b] != 0) /* arena_alloc zeroes */
        j->ok = false;
    fill(j->p[i], size_of(i), j->seed + i);
  }
  return NULL;
}

static void check_jobs(struct arena_store *store) {
  enum { THREADS = 4 };
  struct job jobs[THREADS];
  pthread_t t[THREADS];
  for (unsigned k = 0; k < THREADS; k++) {
    jobs[k].store = store;
    jobs[k].seed = k * 1000;
    assert_int_equal(pthread_create(&t[k], NULL, run_job, &jobs[k]), 0);
  }
  for (unsigned k = 0; k < THREADS; k++)
    assert_int_equal(pthread_join(t[k], NULL), 0);
  for (unsigned k = 0; k < THREADS; k++) {
    assert_true(jobs[k].ok);
    for (unsigned i = 0; i < ALLOCS; i++)
      if (!filled(jobs[k].p[i], size_of(i), jobs[k].seed + i))
        fail_msg("thread %u, block %u was overwritten", k, i);
    for (int a = 0; a < 3; a++)
      arena_free(&jobs[k].arena[a]);
  }
}

static void test_store_shared_by_threads(void **state) {
  (void)state;
  /* A store with room for all (~4 x 1.7 MB), NULL under ASan: the
   * arenas then use malloc and the test still holds. */
  struct arena_store *s = arena_store_new(0);
  check_jobs(s);
  arena_store_free(s);
}

static void test_store_runs_out(void **state) {
  (void)state;
  /* Room for a few blocks only: the rest come from malloc. */
  struct arena_store *s = arena_store_new(100000);
  check_jobs(s);
  arena_store_free(s);
}

/* A trimmed block gives its room back to the store only while it is the
 * store's newest cut; either way the arena goes on working. */
static void test_trim(void **state) {
  (void)state;
  struct arena_store *s = arena_store_new(1 << 20);
  if (!s)
    return; /* no store under AddressSanitizer; the plain build tests it */
  struct arena a, b;
  arena_init_in(&a, s);
  arena_init_in(&b, s);
  unsigned char *x = arena_alloc(&a, 100);
  fill(x, 100, 1);
  arena_trim(&a); /* the newest cut: b's first block follows x closely */
  unsigned char *y = arena_alloc(&b, 100);
  assert_true(y > x && (size_t)(y - x) < 256);
  fill(y, 100, 2);
  unsigned char *z = arena_alloc(&a, 100); /* a new block, after b's */
  assert_true(z > y);
  fill(z, 100, 3);
  /* b's block is no longer the newest: trimming it changes nothing, and
   * its next allocation still lands in it, after y and before z. */
  arena_trim(&b);
  unsigned char *w = arena_alloc(&b, 16);
  assert_true(w >= y + 100 && w < z);
  fill(w, 16, 4);
  assert_true(filled(x, 100, 1) && filled(y, 100, 2) && filled(z, 100, 3) &&
              filled(w, 16, 4));
  /* An empty arena, and one of malloc'd blocks, trim to no effect. */
  struct arena e, m;
  arena_init_in(&e, s);
  arena_trim(&e);
  arena_init(&m);
  unsigned char *q = arena_alloc(&m, 10);
  arena_trim(&m);
  fill(q, 10, 5);
  assert_true(filled(q, 10, 5));
  arena_free(&m);
  arena_free(&e);
  arena_free(&a);
  arena_free(&b);
  arena_store_free(s);
}

/* A block that is no longer the store's newest cut gives back a tail
 * large enough to serve another arena: the next arena's first block is
 * cut from it, not from the store's end, and the arena trimmed goes on in
 * the room it kept. */
static void test_trim_gives_tail(void **state) {
  (void)state;
  struct arena_store *s = arena_store_new(1 << 20);
  if (!s)
    return; /* no store under AddressSanitizer */
  struct arena a, b, c;
  arena_init_in(&a, s);
  arena_init_in(&b, s);
  arena_init_in(&c, s);
  unsigned char *x[6];
  /* Five fill a 1 KB block (192 bytes keep them aligned end to end); the
   * sixth begins a 2 KB one. */
  for (int i = 0; i < 6; i++) {
    x[i] = arena_alloc(&a, 192);
    fill(x[i], 192, (unsigned)i);
  }
  unsigned char *z = arena_alloc(&b, 100); /* cut after a's 2 KB block */
  fill(z, 100, 7);
  assert_true(z > x[5] + 1800);
  arena_trim(&a);
  unsigned char *w = arena_alloc(&c, 100);
  assert_true(w >= x[5] + 192 && w + 100 <= z);
  fill(w, 100, 8);
  unsigned char *v = arena_alloc(&a, 16); /* in the room a kept */
  assert_true(v >= x[5] + 192 && v + 16 <= w);
  fill(v, 16, 9);
  for (int i = 0; i < 6; i++)
    assert_true(filled(x[i], 192, (unsigned)i));
  assert_true(filled(z, 100, 7) && filled(w, 100, 8) && filled(v, 16, 9));
  /* The tail was a block of the store: freeing all three is clean. */
  arena_free(&a);
  arena_free(&b);
  arena_free(&c);
  arena_store_free(s);
}

static void test_plain_arena(void **state) {
  (void)state;
  struct arena a;
  arena_init(&a);
  unsigned char *p[ALLOCS];
  for (int round = 0; round < 2; round++) {
    for (unsigned i = 0; i < ALLOCS; i++) {
      p[i] = arena_alloc(&a, size_of(i));
      assert_non_null(p[i]);
      fill(p[i], size_of(i), i);
    }
    for (unsigned i = 0; i < ALLOCS; i++)
      assert_true(filled(p[i], size_of(i), i));
    arena_reset(&a); /* the second round reuses the block kept */
  }
  /* Strings are packed; what arena_alloc gives after one is aligned. */
  for (size_t n = 0; n < 40; n++) {
    char *t = arena_strndup(&a, "abcdefghijklmnopqrstuvwxyz0123456789ABCD", n);
    assert_int_equal(strlen(t), n);
    void *o = arena_alloc(&a, n + 1);
    assert_int_equal((uintptr_t)o % _Alignof(max_align_t), 0);
  }
  assert_string_equal(arena_strndup(&a, "chapter 6.5", 7), "chapter");
  assert_string_equal(arena_printf(&a, "%s %d", "part", 7), "part 7");
  char big[600];
  memset(big, 'x', sizeof(big) - 1);
  big[sizeof(big) - 1] = '\0';
  assert_string_equal(arena_printf(&a, "%s", big), big);
  assert_false(a.failed);
  arena_free(&a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_plain_arena),
      cmocka_unit_test(test_store_shared_by_threads),
      cmocka_unit_test(test_store_runs_out),
      cmocka_unit_test(test_trim),
      cmocka_unit_test(test_trim_gives_tail),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
