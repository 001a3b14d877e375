/* test_index.c - the course index on a real folder tree: whether a path
 * passes a symbolic link on its way from the root (pages behind one are
 * read only when they stay inside the course), names looked up in a
 * folder's listing, and a walk taken in steps by several threads. */
#include <ftw.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "index.h"

static char root[64];

static void make_file(const char *rel) {
  char path[256];
  snprintf(path, sizeof(path), "%s/%s", root, rel);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs("# Page\n", f);
  fclose(f);
}

static void make_dir(const char *rel) {
  char path[256];
  snprintf(path, sizeof(path), "%s/%s", root, rel);
  assert_int_equal(mkdir(path, 0755), 0);
}

static void make_link(const char *target, const char *rel) {
  char path[256];
  snprintf(path, sizeof(path), "%s/%s", root, rel);
  assert_int_equal(symlink(target, path), 0);
}

static int remove_one(const char *path, const struct stat *st, int flag,
                      struct FTW *ftw) {
  (void)st;
  (void)flag;
  (void)ftw;
  return remove(path);
}

static void test_symlinks_on_the_way(void **state) {
  (void)state;
  strcpy(root, "/tmp/courselint-index.XXXXXX");
  assert_non_null(mkdtemp(root));
  make_dir("a");
  make_dir("a/b");
  make_file("top.md");
  make_file("a/b/page.md");
  make_link("b", "a/linked");           /* a folder link inside the course */
  make_link("b/page.md", "a/alias.md"); /* a file link */
  make_dir("a/b/deep");
  make_file("a/b/deep/x.md");

  struct rules rules = {0};
  rules.anchors = ANCHOR_GITHUB;
  struct course c;
  assert_int_equal(index_init(&c, root, NULL, &rules, NULL), CLINT_OK);
  /* Asked twice each: the second answer comes from what the first
   * worked out for the folders on the way. */
  for (int round = 0; round < 2; round++) {
    assert_false(index_has_symlink(&c, ""));
    assert_false(index_has_symlink(&c, "top.md"));
    assert_false(index_has_symlink(&c, "a/b/page.md"));
    assert_false(index_has_symlink(&c, "a/b/deep/x.md"));
    assert_true(index_has_symlink(&c, "a/alias.md"));
    assert_true(index_has_symlink(&c, "a/linked/page.md"));
    assert_true(index_has_symlink(&c, "a/linked/deep/x.md"));
    /* A name no folder lists is not known to be safe. */
    assert_true(index_has_symlink(&c, "a/missing/x.md"));
    assert_true(index_has_symlink(&c, "nowhere.md"));
  }
  index_free(&c);
  assert_int_equal(nftw(root, remove_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

/* Names found in a folder's listing, and names it does not hold, where
 * one is a prefix of another or differs in a byte above 0x7F (both in
 * strcmp's order, which the listing is sorted by). */
static void test_entry_lookup(void **state) {
  (void)state;
  strcpy(root, "/tmp/courselint-index.XXXXXX");
  assert_non_null(mkdtemp(root));
  static const char *const names[] = {
      "a",      "a.md", "a-b.md", "ab",
      "abc.md", "B.md", "b.md",   "\xc3\xa9t\xc3\xa9.md",
      "z"};
  size_t n = sizeof(names) / sizeof(names[0]);
  for (size_t i = 0; i < n; i++)
    make_file(names[i]);
  make_dir("sub");
  struct rules rules = {0};
  rules.anchors = ANCHOR_GITHUB;
  struct course c;
  assert_int_equal(index_init(&c, root, NULL, &rules, NULL), CLINT_OK);
  struct dir *d = index_dir(&c, "");
  assert_non_null(d);
  assert_int_equal(d->n, n + 1);
  for (size_t i = 0; i < n; i++) {
    const struct entry *e = index_entry(d, names[i], strlen(names[i]));
    assert_non_null(e);
    assert_string_equal(e->name, names[i]);
    assert_int_equal(e->type, ENTRY_FILE);
  }
  const struct entry *sub = index_entry(d, "sub", 3);
  assert_non_null(sub);
  assert_int_equal(sub->type, ENTRY_DIR);
  static const char *const absent[] = {
      "", "A", "a.m", "a.mdx", "abc", "b", "\xc3\xa9t\xc3\xa9", "zz", "\xff"};
  for (size_t i = 0; i < sizeof(absent) / sizeof(absent[0]); i++)
    assert_null(index_entry(d, absent[i], strlen(absent[i])));
  /* The length given counts, not a NUL: "a.md" cut to "a". */
  const struct entry *cut = index_entry(d, "a.md", 1);
  assert_non_null(cut);
  assert_string_equal(cut->name, "a");
  index_free(&c);
  assert_int_equal(nftw(root, remove_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

/* A walk taken in steps (index_walk_begin) by threads that also take
 * the pages it hands out: every page of the tree is found and handed
 * out once, whichever thread reads which folder. */
enum { STEP_THREADS = 4, STEP_DIRS = 30, STEP_PAGES = 5 };

struct stepper {
  struct walk *walk;
  struct page *got[STEP_DIRS * STEP_PAGES + 8];
  size_t ngot;
};

static void *take_pages(void *arg) {
  struct stepper *s = arg;
  struct page *mine[STEP_DIRS * STEP_PAGES + 8];
  size_t n = 0;
  for (struct page *p; (p = index_walk_next(s->walk));)
    if (n < sizeof(mine) / sizeof(mine[0]))
      mine[n++] = p;
  static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
  pthread_mutex_lock(&lock);
  for (size_t i = 0; i < n && s->ngot < sizeof(s->got) / sizeof(s->got[0]); i++)
    s->got[s->ngot++] = mine[i];
  pthread_mutex_unlock(&lock);
  return NULL;
}

static int ptr_cmp(const void *a, const void *b) {
  const struct page *x = *(struct page *const *)a;
  const struct page *y = *(struct page *const *)b;
  return x < y ? -1 : x > y;
}

static void test_walk_in_steps(void **state) {
  (void)state;
  strcpy(root, "/tmp/courselint-index.XXXXXX");
  assert_non_null(mkdtemp(root));
  char rel[64];
  for (int d = 0; d < STEP_DIRS; d++) {
    /* Nested by threes, so that folders turn up while others are read. */
    if (d % 3 == 0)
      snprintf(rel, sizeof(rel), "d%02d", d);
    else
      snprintf(rel, sizeof(rel), "d%02d/d%02d", d - d % 3, d);
    make_dir(rel);
    for (int k = 0; k < STEP_PAGES; k++) {
      char page[96];
      snprintf(page, sizeof(page), "%s/p%d.md", rel, k);
      make_file(page);
    }
    char other[96];
    snprintf(other, sizeof(other), "%s/image.png", rel);
    make_file(other); /* not a page */
  }
  struct rules rules = {0};
  rules.anchors = ANCHOR_GITHUB;
  struct course c;
  assert_int_equal(index_init(&c, root, NULL, &rules, NULL), CLINT_OK);
  for (unsigned readers = 1; readers <= 2; readers++) {
    struct vec out;
    vec_init(&out, sizeof(struct page *));
    struct stepper s = {.walk = index_walk_begin(&c, "", &out, readers, true)};
    assert_non_null(s.walk);
    pthread_t tids[STEP_THREADS];
    for (int t = 0; t < STEP_THREADS; t++)
      assert_int_equal(pthread_create(&tids[t], NULL, take_pages, &s), 0);
    for (int t = 0; t < STEP_THREADS; t++)
      pthread_join(tids[t], NULL);
    assert_int_equal(index_walk_end(s.walk), CLINT_OK);
    assert_int_equal(out.len, STEP_DIRS * STEP_PAGES);
    assert_int_equal(s.ngot, STEP_DIRS * STEP_PAGES);
    /* The pages handed out are those found, each once. */
    qsort(s.got, s.ngot, sizeof(s.got[0]), ptr_cmp);
    qsort(out.data, out.len, sizeof(struct page *), ptr_cmp);
    for (size_t i = 0; i < s.ngot; i++) {
      assert_ptr_equal(s.got[i], *(struct page **)vec_at(&out, i));
      if (i)
        assert_true(s.got[i - 1] != s.got[i]);
      assert_non_null(strstr(s.got[i]->path, ".md"));
    }
    vec_free(&out);
  }
  /* Without hand_out the walk only finds them. */
  struct vec out;
  vec_init(&out, sizeof(struct page *));
  struct walk *w = index_walk_begin(&c, "d03", &out, 1, false);
  assert_non_null(w);
  assert_null(index_walk_next(w));
  assert_int_equal(index_walk_end(w), CLINT_OK);
  assert_int_equal(out.len, 3 * STEP_PAGES); /* d03, d03/d04, d03/d05 */
  vec_free(&out);
  index_free(&c);
  assert_int_equal(nftw(root, remove_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_symlinks_on_the_way),
      cmocka_unit_test(test_entry_lookup),
      cmocka_unit_test(test_walk_in_steps),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
