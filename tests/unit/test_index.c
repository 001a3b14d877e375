/* test_index.c - the course index on a real folder tree: whether a path
 * passes a symbolic link on its way from the root (pages behind one are
 * read only when they stay inside the course), and names looked up in a
 * folder's listing. */
#include <ftw.h>
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

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_symlinks_on_the_way),
      cmocka_unit_test(test_entry_lookup),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
