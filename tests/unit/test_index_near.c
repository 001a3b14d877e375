/* test_index_near.c - the search behind "did you mean" suggestions
 * (src/index.h): suggest_near_entries must return every name within the
 * edit bound, in folder order, however it narrows the folder down, and
 * suggest_nearest_name must pick what weighing every name of the folder
 * picks. Folders of look-alike names are written to a temporary folder
 * and read through the index, as a run reads them. */
#include <dirent.h>
#include <fcntl.h>
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
#include "levenshtein.h"
#include "suggest.h"
#include "util/path.h"

/* A generator of our own, so runs are the same everywhere. */
static uint64_t seed;

static unsigned rnd(unsigned n) {
  seed = seed * 6364136223846793005u + 1442695040888963407u;
  return (unsigned)((seed >> 33) % n);
}

static const char hex[] = "0123456789abcdef";
static const char small_alpha[] = "ab.-_1";
static const char *const langs[] = {"ar", "Ko", "ed", "fr", "de", "es",
                                    "pt", "zh", "ja", "mr", "ne", "hi"};

/* What the suggestion should be, from every name of the folder. */
static const char *brute_nearest(char **names, size_t n, const char *want) {
  size_t wl = strlen(want), max = path_near_budget(wl);
  const char *best = NULL;
  size_t best_d = 0;
  for (size_t i = 0; i < n; i++) {
    const char *s = names[i];
    size_t sl = strlen(s);
    if (s[0] == '.')
      continue;
    size_t d = lev(want, wl, s, sl, max);
    if (d > max && wl >= 8 && sl >= 8 && !strncmp(want, s, wl < sl ? wl : sl))
      d = max;
    if (d > max)
      continue;
    if (!best || d < best_d || (d == best_d && strcmp(s, best) < 0))
      best = s, best_d = d;
  }
  return best;
}

/* One to edits random edits of s, in place (s has room for 300 bytes);
 * each byte written comes from alpha. */
static void edit(char *s, unsigned edits, const char *alpha) {
  size_t na = strlen(alpha);
  for (unsigned k = 0; k < edits; k++) {
    size_t len = strlen(s);
    size_t at = rnd((unsigned)len + 1);
    char ch = alpha[rnd((unsigned)na)];
    switch (rnd(3)) {
    case 0: /* insert */
      if (len < 250) {
        memmove(s + at + 1, s + at, len - at + 1);
        s[at] = ch;
      }
      break;
    case 1: /* delete */
      if (at < len && len > 1)
        memmove(s + at, s + at + 1, len - at);
      break;
    default:
      if (at < len)
        s[at] = ch;
    }
  }
}

static void random_str(char *s, size_t len, const char *alpha) {
  size_t na = strlen(alpha);
  for (size_t i = 0; i < len; i++)
    s[i] = alpha[rnd((unsigned)na)];
  s[len] = '\0';
}

/* A folder's names: kind 0 is translated images ("stem.<64 hex>.xx.png",
 * several languages of one hash), kind 1 short names over a few letters,
 * kind 2 names of mixed lengths made from one another by a few edits. */
static char **make_names(int kind, size_t n, size_t *out_n) {
  char **names = calloc(n, sizeof(char *));
  assert_non_null(names);
  size_t k = 0;
  char s[300];
  while (k < n) {
    if (kind == 0) {
      char hash[200], stem[40];
      random_str(hash, 64, hex);
      if (k > 0 && rnd(4) == 0) {
        /* A near twin of an earlier hash. */
        const char *h = strchr(names[rnd((unsigned)k)], '.') + 1;
        memcpy(hash, h, strcspn(h, "."));
        hash[strcspn(h, ".")] = '\0';
        edit(hash, 1 + rnd(3), hex);
      }
      random_str(stem, 3 + rnd(18), "abcdefgh-");
      if (rnd(3) == 0)
        strcpy(stem, "bing-translate");
      unsigned copies = 1 + rnd(4);
      for (unsigned c = 0; c < copies && k < n; c++) {
        snprintf(s, sizeof(s), "%s.%s.%s.%s", stem, hash, langs[rnd(12)],
                 rnd(3) ? "png" : "jpg");
        /* Now and then one differs in its first letter, so that names
         * as close as the one sharing the first 8 bytes start otherwise. */
        if (rnd(4) == 0)
          s[0] = "aBz"[rnd(3)];
        names[k++] = strdup(s);
      }
      continue;
    }
    if (kind == 1) {
      random_str(s, 1 + rnd(9), small_alpha);
    } else if (k > 0 && rnd(3)) {
      strcpy(s, names[rnd((unsigned)k)]);
      edit(s, 1 + rnd(4), "abcdxyz0-._");
      if (rnd(8) == 0) /* a longer or shorter take on the same name */
        s[strlen(s) / 2] = '\0';
    } else {
      random_str(s, 1 + rnd(120), "abcdxyz0-._");
    }
    if (!s[0])
      continue;
    if (rnd(40) == 0)
      s[0] = '.'; /* hidden: never suggested */
    names[k++] = strdup(s);
  }
  /* Drop repeats: a folder holds each name once. */
  size_t o = 0;
  for (size_t i = 0; i < k; i++) {
    bool seen = strcmp(names[i], ".") == 0 || strcmp(names[i], "..") == 0;
    for (size_t j = 0; j < o && !seen; j++)
      seen = !strcmp(names[j], names[i]);
    if (seen)
      free(names[i]);
    else
      names[o++] = names[i];
  }
  *out_n = o;
  return names;
}

static void write_folder(const char *root, const char *sub, char **names,
                         size_t n) {
  char path[1024];
  snprintf(path, sizeof(path), "%s/%s", root, sub);
  assert_int_equal(mkdir(path, 0700), 0);
  for (size_t i = 0; i < n; i++) {
    snprintf(path, sizeof(path), "%s/%s/%s", root, sub, names[i]);
    int fd = open(path, O_CREAT | O_WRONLY | O_EXCL, 0600);
    assert_true(fd >= 0);
    close(fd);
  }
}

static void remove_tree(const char *root) {
  DIR *dh = opendir(root);
  if (!dh)
    return;
  struct dirent *de;
  char path[1024];
  while ((de = readdir(dh)) != NULL) {
    if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
      continue;
    snprintf(path, sizeof(path), "%s/%s", root, de->d_name);
    if (unlink(path) != 0)
      remove_tree(path);
  }
  closedir(dh);
  rmdir(root);
}

/* A wanted name: usually an existing one with a few edits (so look-alikes
 * and ties abound), sometimes cut short or grown, sometimes anything. */
static void make_query(char **names, size_t n, char *q, const char *alpha) {
  unsigned how = rnd(10);
  if (how == 0) {
    random_str(q, 1 + rnd(95), alpha);
    return;
  }
  strcpy(q, names[rnd((unsigned)n)]);
  if (how == 1) {
    q[rnd((unsigned)strlen(q)) + 1] = '\0';
  } else if (how == 2) {
    size_t l = strlen(q);
    random_str(q + l, rnd(20), alpha);
  } else if (how < 6 && strlen(q) > 7 && q[strlen(q) - 7] == '.') {
    /* Another language of a translated image, as broken links into
     * translated_images/ ask for: as close to several names. */
    memcpy(q + strlen(q) - 6, langs[rnd(12)], 2);
    if (rnd(2))
      edit(q, 1, alpha);
  } else {
    edit(q, rnd(8), alpha);
  }
}

/* Every name within max edits of want is among the candidates, and they
 * come in folder order, each once. With NEAR_PREFIX, so are the names
 * sharing want's first 8 bytes. */
static void check_superset(struct course *c, struct dir *d, const char *want,
                           size_t max, unsigned what) {
  struct vec near;
  vec_init(&near, sizeof(size_t));
  size_t wl = strlen(want);
  assert_true(suggest_near_entries(c, d, want, wl, max, what, &near));
  char *in = calloc(d->n ? d->n : 1, 1);
  assert_non_null(in);
  for (size_t k = 0; k < near.len; k++) {
    size_t i = *(size_t *)vec_at(&near, k);
    assert_true(i < d->n);
    if (k > 0)
      assert_true(*(size_t *)vec_at(&near, k - 1) < i);
    in[i] = 1;
  }
  for (size_t i = 0; i < d->n; i++) {
    const struct entry *e = &d->entries[i];
    bool close =
        (what & NEAR_WINDOW) && lev(want, wl, e->name, e->len, max) <= max;
    bool prefix = (what & NEAR_PREFIX) && wl >= 8 && e->len >= 8 &&
                  !memcmp(want, e->name, 8);
    if ((close || prefix) && !in[i])
      fail_msg("'%s' (%zu edits at most) misses '%s'", want, max, e->name);
  }
  free(in);
  vec_free(&near);
}

struct fixture {
  char root[64];
  struct rules rules;
  struct course course;
};

static int setup(void **state) {
  struct fixture *f = calloc(1, sizeof(*f));
  if (!f)
    return -1;
  strcpy(f->root, "/tmp/courselint-near.XXXXXX");
  if (!mkdtemp(f->root))
    return -1;
  f->rules.anchors = ANCHOR_GITHUB;
  if (index_init(&f->course, f->root, NULL, &f->rules, NULL) != CLINT_OK)
    return -1;
  *state = f;
  return 0;
}

static int teardown(void **state) {
  struct fixture *f = *state;
  index_free(&f->course);
  remove_tree(f->root);
  free(f);
  return 0;
}

static void free_names(char **names, size_t n) {
  for (size_t i = 0; i < n; i++)
    free(names[i]);
  free(names);
}

/* Ask for many names in one folder, as a run with many broken links into
 * one folder does: the early questions and the later ones may be answered
 * in different ways, and both must agree with weighing every name. */
static void run_folder(struct fixture *f, const char *sub, int kind,
                       size_t count, unsigned queries, const char *alpha) {
  size_t n;
  char **names = make_names(kind, count, &n);
  write_folder(f->root, sub, names, n);
  struct dir *d = index_dir(&f->course, sub);
  assert_non_null(d);
  assert_int_equal(d->n, n);
  char q[300];
  for (unsigned t = 0; t < queries; t++) {
    make_query(names, n, q, alpha);
    const char *want = brute_nearest(names, n, q);
    const char *got = suggest_nearest_name(&f->course, d, q, strlen(q));
    if (!want != !got || (want && strcmp(want, got)))
      fail_msg("'%s' in %s: got '%s', want '%s'", q, sub, got ? got : "(none)",
               want ? want : "(none)");
    size_t max = rnd(7);
    check_superset(&f->course, d, q, max, NEAR_WINDOW);
    check_superset(&f->course, d, q, max, NEAR_WINDOW | NEAR_PREFIX);
  }
  free_names(names, n);
}

static void test_hash_names(void **state) {
  struct fixture *f = *state;
  seed = 1;
  run_folder(f, "big", 0, 1500, 400, hex);
  run_folder(f, "few", 0, 40, 200, hex);
}

static void test_short_names(void **state) {
  struct fixture *f = *state;
  seed = 2;
  run_folder(f, "short", 1, 600, 600, small_alpha);
  run_folder(f, "tiny", 1, 12, 200, small_alpha);
}

static void test_mixed_names(void **state) {
  struct fixture *f = *state;
  seed = 3;
  run_folder(f, "mixed", 2, 1200, 800, "abcdxyz0-._");
  run_folder(f, "some", 2, 60, 300, "abcdxyz0-._");
}

/* Names of 150 to 250 bytes asked with larger bounds than suggestions
 * use (suggest_near_entries takes any): many short pieces, moved far. */
static void test_long_names(void **state) {
  struct fixture *f = *state;
  seed = 5;
  const char *alpha = "abcdxyz0-._";
  size_t n;
  char **names = make_names(2, 400, &n);
  char s[300];
  for (size_t i = 0; i < n; i++) {
    /* Grow each name past 150 bytes with a tail drawn from the others,
     * so that pieces of one stand in many, at other places. */
    strcpy(s, names[i]);
    while (strlen(s) < 150) {
      const char *o = names[rnd((unsigned)n)];
      size_t l = strlen(s), ol = strlen(o);
      if (l + ol < 250)
        memcpy(s + l, o, ol + 1);
      else
        s[l] = alpha[rnd(11)], s[l + 1] = '\0';
    }
    free(names[i]);
    names[i] = strdup(s);
  }
  /* Growing may have made two the same: keep the first. */
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    bool seen = false;
    for (size_t j = 0; j < o && !seen; j++)
      seen = !strcmp(names[j], names[i]);
    if (seen)
      free(names[i]);
    else
      names[o++] = names[i];
  }
  n = o;
  write_folder(f->root, "long", names, n);
  struct dir *d = index_dir(&f->course, "long");
  assert_non_null(d);
  char q[300];
  for (unsigned t = 0; t < 300; t++) {
    strcpy(q, names[rnd((unsigned)n)]);
    edit(q, rnd(24), alpha);
    check_superset(&f->course, d, q, rnd(22), NEAR_WINDOW);
    const char *want = brute_nearest(names, n, q);
    const char *got = suggest_nearest_name(&f->course, d, q, strlen(q));
    if (!want != !got || (want && strcmp(want, got)))
      fail_msg("'%s': got '%s', want '%s'", q, got ? got : "(none)",
               want ? want : "(none)");
  }
  free_names(names, n);
}

/* The anchors of a page form a folder of their own, in hash-map order;
 * the same guarantees hold there. */
static void test_anchor_names(void **state) {
  struct fixture *f = *state;
  seed = 4;
  size_t n;
  char **names = make_names(2, 1000, &n);
  struct page *p = index_page(&f->course, "anchors.md");
  assert_non_null(p);
  for (size_t i = 0; i < n; i++) {
    /* The page keeps its anchors' names in its arena. */
    char *a = arena_strdup(&p->arena, names[i]);
    assert_non_null(a);
    assert_true(page_add_anchor(p, a, p));
  }
  struct dir *d = suggest_anchor_names(&f->course, p);
  assert_non_null(d);
  assert_int_equal(d->n, n);
  char q[300];
  for (unsigned t = 0; t < 600; t++) {
    make_query(names, n, q, "abcdxyz0-._");
    size_t max = path_near_budget(strlen(q));
    check_superset(&f->course, d, q, max, NEAR_WINDOW | NEAR_PREFIX);
    check_superset(&f->course, d, q, rnd(3), NEAR_WINDOW);
  }
  free_names(names, n);
}

/* Hand-picked cases of the rules themselves. */
static void test_rules(void **state) {
  struct fixture *f = *state;
  char *names[] = {
      strdup("lesson-1.2606670fa61ee904687da5d6fa4e726639d524d064c895117da1b95"
             "b9ff6251d.Ko.jpg"),
      strdup("lesson-1.2606670fa61ee904687da5d6fa4e726639d524d064c895117da1b95"
             "b9ff6251d.ed.jpg"),
      strdup("05_hands_on_lab_v2.md"),
      strdup(".hidden-name.md"),
      strdup("ab"),
      strdup("Xbcdefghijklmnqq"),
      strdup("Abcdefghijklmnoq"),
  };
  size_t n = sizeof(names) / sizeof(names[0]);
  write_folder(f->root, "hand", names, n);
  struct dir *d = index_dir(&f->course, "hand");
  assert_non_null(d);
  const char *q = "lesson-1.2606670fa61ee904687da5d6fa4e726639d524d064c895117"
                  "da1b95b9ff6251d.ar.jpg";
  /* Two names at two edits: the first in byte order ('K' < 'e'). */
  assert_string_equal(suggest_nearest_name(&f->course, d, q, strlen(q)),
                      names[0]);
  /* A name the wanted one starts, past the budget in edits. */
  q = "05_hands_on_lab_v2.md.bak.old";
  assert_string_equal(suggest_nearest_name(&f->course, d, q, strlen(q)),
                      names[2]);
  q = "05_hands_on_lab.md";
  assert_string_equal(suggest_nearest_name(&f->course, d, q, strlen(q)),
                      names[2]);
  q = ".hidden-name.mdx";
  assert_null(suggest_nearest_name(&f->course, d, q, strlen(q)));
  q = "xy";
  assert_string_equal(suggest_nearest_name(&f->course, d, q, strlen(q)),
                      names[4]);
  /* Two edits from the name sharing the first 8 bytes, and from one that
   * does not but comes first. */
  q = "Xbcdefghijklmnop";
  assert_string_equal(suggest_nearest_name(&f->course, d, q, strlen(q)),
                      names[6]);
  for (size_t i = 0; i < n; i++)
    free(names[i]);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_rules, setup, teardown),
      cmocka_unit_test_setup_teardown(test_hash_names, setup, teardown),
      cmocka_unit_test_setup_teardown(test_short_names, setup, teardown),
      cmocka_unit_test_setup_teardown(test_mixed_names, setup, teardown),
      cmocka_unit_test_setup_teardown(test_long_names, setup, teardown),
      cmocka_unit_test_setup_teardown(test_anchor_names, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
