/* The cache of listings and page summaries (cache.h): a summary says
 * "surely not" only for a word the text lacks as a whole word; what is
 * saved loads back, and is trusted only under the same stamp; a file
 * that is cut short, damaged or names a way out of its folder is not
 * used at all. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>
#include <cmocka.h>

#include "cache.h"
#include "index.h"

/* Whether text may hold word, by its summary. */
static bool may(const char *text, const char *word) {
  size_t n;
  uint64_t *s = cache_summarize(text, strlen(text), &n);
  assert_non_null(s);
  uint64_t h[16];
  size_t nh = cache_word_hashes(word, h, 16);
  bool r = cache_may_hold(s, n, h, nh);
  free(s);
  return r;
}

static void test_summary_words(void **state) {
  (void)state;
  const char *page = "See [the lab](../02_diffusion/05_hands_on_lab.md#3-x)"
                     " and \"..\\/zh\\/lessons\\/README.md\" in notebooks.";
  /* Folder and file names as links write them. */
  assert_true(may(page, "02_diffusion"));
  assert_true(may(page, "05_hands_on_lab"));
  assert_true(may(page, "zh"));
  assert_true(may(page, "lessons"));
  /* A name cut at '.', ' ' or '/' holds when each piece does. */
  assert_true(may(page, "05_hands_on_lab.md"));
  assert_true(may(page, "lab md"));
  /* A name inside a longer one is not that name: "zh" is not in
   * "zh-tw/", nor "lab" in "05_hands_on_lab". */
  assert_false(may("[x](../zh-tw/lessons/a.md)", "zh"));
  assert_false(may("05_hands_on_lab", "lab"));
  /* A word with nothing to test (not ASCII) may be anywhere. */
  assert_true(may("plain", "\xe4\xb8\xad\xe6\x96\x87"));
  assert_false(may("", "a"));
}

static void test_summary_size(void **state) {
  (void)state;
  /* A page that says the same words again and again gets a small
   * summary: it is folded down to what its different words need. */
  size_t len = 200000, n1, n2;
  char *text = malloc(len + 1);
  assert_non_null(text);
  for (size_t i = 0; i < len; i++)
    text[i] = "the cat sat "[i % 12];
  text[len] = '\0';
  uint64_t *s = cache_summarize(text, len, &n1);
  assert_non_null(s);
  assert_true(n1 <= 2);
  free(s);
  /* Many different words: room for them, and each is found. */
  char *p = text;
  for (int i = 0; i < 5000; i++)
    p += sprintf(p, "w%d ", i);
  s = cache_summarize(text, (size_t)(p - text), &n2);
  assert_non_null(s);
  assert_true(n2 > 64);
  char w[16];
  for (int i = 0; i < 5000; i += 97) {
    snprintf(w, sizeof(w), "w%d", i);
    uint64_t h;
    assert_int_equal(cache_word_hashes(w, &h, 1), 1);
    assert_true(cache_may_hold(s, n2, &h, 1));
  }
  free(s);
  free(text);
}

static struct cache_stamp stamp(uint64_t ino, uint64_t size) {
  return (struct cache_stamp){ino, size, 1000, 1000, 5, 7};
}

/* A cache file with one folder "m1" of two entries, one a page. */
static char *make_file(void) {
  static char path[64];
  strcpy(path, "/tmp/courselint-test-cache-XXXXXX");
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  close(fd);
  const char *text = "[a](../m2/02_x.md)";
  size_t n;
  uint64_t *s = cache_summarize(text, strlen(text), &n);
  /* The root's entries come after m1's: a folder's entries are a run
   * anywhere in ents, not in the folders' order. */
  struct cache_entry ents[3] = {{"01_plan.md", 10, ENTRY_FILE, false},
                                {"img", 3, ENTRY_DIR, false},
                                {"m1", 2, ENTRY_DIR, false}};
  struct cache_dir_rec dirs[2] = {{"m1", stamp(2, 0), 0, 2},
                                  {"", stamp(1, 0), 2, 1}};
  struct cache_file_rec files[2] = {{"m1/01_plan.md", stamp(3, 18), s, n},
                                    {"m9/gone.md", stamp(4, 1), s, n}};
  assert_true(cache_save(path, dirs, 2, ents, 3, files, 2));
  free(s);
  return path;
}

static void test_save_load(void **state) {
  (void)state;
  char *path = make_file();
  struct cache k;
  cache_load(&k, path, 5000);
  assert_non_null(k.data);
  size_t n;
  struct cache_stamp st = stamp(2, 0);
  const char *d = cache_dir(&k, "m1", &st, &n);
  assert_non_null(d);
  assert_int_equal(n, 2);
  struct cache_entry e;
  assert_true(cache_dir_entry(&k, d, 1, &e));
  assert_string_equal(e.name, "img");
  assert_int_equal(e.type, ENTRY_DIR);
  assert_false(cache_dir_entry(&k, d, 2, &e));
  st = stamp(1, 0);
  d = cache_dir(&k, "", &st, &n);
  assert_non_null(d);
  assert_int_equal(n, 1);
  assert_true(cache_dir_entry(&k, d, 0, &e));
  assert_string_equal(e.name, "m1");
  /* Another stamp: not trusted. */
  st = stamp(2, 0);
  st.ctime_ns++;
  assert_null(cache_dir(&k, "m1", &st, &n));
  assert_null(cache_dir(&k, "m2", &st, &n));
  st = stamp(3, 18);
  size_t nw;
  const uint64_t *s = cache_summary(&k, "m1/01_plan.md", &st, &nw);
  assert_non_null(s);
  uint64_t h;
  cache_word_hashes("02_x", &h, 1);
  assert_true(cache_may_hold(s, nw, &h, 1));
  st.size++;
  assert_null(cache_summary(&k, "m1/01_plan.md", &st, &nw));
  /* A page whose folder was not saved is not kept either. */
  st = stamp(4, 1);
  assert_null(cache_summary(&k, "m9/gone.md", &st, &nw));
  assert_non_null(cache_summary_kept(&k, "m1/01_plan.md", &st, &nw));
  assert_int_equal(st.ino, 3);
  cache_free(&k);
  unlink(path);
}

/* Write len bytes of d to path. */
static void put_file(const char *path, const char *d, size_t len) {
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(d, 1, len, f), len);
  fclose(f);
}

/* A file mapped or copied (how) is used only when sound. */
static void faulty_files(enum cache_read how) {
  char *path = make_file();
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  char buf[4096];
  size_t len = fread(buf, 1, sizeof(buf), f);
  fclose(f);
  assert_true(len > 64 && len < sizeof(buf));
  struct cache k;
  cache_load_as(&k, path, 5000, how);
  assert_non_null(k.data);
  size_t words_at = k.words_at;
  cache_free(&k);
  /* Cut short: never used. */
  for (size_t cut = 0; cut < len; cut += 7) {
    put_file(path, buf, cut);
    cache_load_as(&k, path, 5000, how);
    assert_null(k.data);
    cache_free(&k);
  }
  /* A byte changed anywhere before the summaries: never used (the
   * checksum); in the summaries: used, without harm. */
  for (size_t at = 0; at < len; at++) {
    char bad[4096];
    memcpy(bad, buf, len);
    bad[at] ^= 0x41;
    put_file(path, bad, len);
    cache_load_as(&k, path, 5000, how);
    if (at < words_at)
      assert_null(k.data);
    if (k.data) {
      size_t n, nw;
      struct cache_stamp st = stamp(2, 0);
      const char *d = cache_dir(&k, "m1", &st, &n);
      struct cache_entry e;
      for (size_t i = 0; d && i < n; i++)
        if (cache_dir_entry(&k, d, i, &e))
          assert_null(strchr(e.name, '/'));
      st = stamp(3, 18);
      cache_summary(&k, "m1/01_plan.md", &st, &nw);
    }
    cache_free(&k);
  }
  /* Not a cache at all; a folder; missing. */
  put_file(path, "not a cache", 11);
  cache_load_as(&k, path, 5000, how);
  assert_null(k.data);
  cache_free(&k);
  cache_load_as(&k, "/tmp", 5000, how);
  assert_null(k.data);
  cache_free(&k);
  unlink(path);
  cache_load_as(&k, path, 5000, how);
  assert_null(k.data);
  cache_free(&k);
}

static void test_faulty_files(void **state) {
  (void)state;
  faulty_files(CACHE_MAP_LOCAL);
  faulty_files(CACHE_COPY);
}

/* Make an empty file at path, last used t seconds after the epoch. */
static void file_used_at(const char *path, time_t t) {
  put_file(path, "", 0);
  struct utimbuf u = {t, t};
  assert_int_equal(utime(path, &u), 0);
}

static void test_prune(void **state) {
  (void)state;
  char dir[] = "/tmp/courselint-test-prune-XXXXXX";
  assert_non_null(mkdtemp(dir));
  time_t now = 2000000000;
  /* The names cache_file_of gives are the names cache_prune takes. */
  char *old = cache_file_of(dir, "/courses/a"),
       *recent = cache_file_of(dir, "/courses/b");
  assert_non_null(old);
  assert_non_null(recent);
  assert_string_not_equal(old, recent);
  file_used_at(old, now - 31 * 86400);
  file_used_at(recent, now - 29 * 86400);
  char tmp_old[256], tmp_new[256], other[256];
  snprintf(tmp_old, sizeof(tmp_old), "%s.Ab12Cd", recent);
  snprintf(tmp_new, sizeof(tmp_new), "%s.Zz99Yy", old);
  snprintf(other, sizeof(other), "%s/notes.cache", dir);
  file_used_at(tmp_old, now - 2 * 3600);
  file_used_at(tmp_new, now - 600);
  file_used_at(other, now - 365 * 86400);
  cache_prune(dir, now);
  assert_int_not_equal(access(old, F_OK), 0);
  assert_int_equal(access(recent, F_OK), 0);
  assert_int_not_equal(access(tmp_old, F_OK), 0);
  assert_int_equal(access(tmp_new, F_OK), 0);
  assert_int_equal(access(other, F_OK), 0);
  unlink(recent);
  unlink(tmp_new);
  unlink(other);
  rmdir(dir);
  free(old);
  free(recent);
}

static void test_settled(void **state) {
  (void)state;
  struct cache_stamp s = stamp(1, 1);
  assert_true(cache_stamp_settled(&s, 1003));
  assert_false(cache_stamp_settled(&s, 1002));
  s.ctime_s = 1001;
  assert_false(cache_stamp_settled(&s, 1003));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_summary_words), cmocka_unit_test(test_summary_size),
      cmocka_unit_test(test_save_load),     cmocka_unit_test(test_faulty_files),
      cmocka_unit_test(test_prune),         cmocka_unit_test(test_settled),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
