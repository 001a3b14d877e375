/* test_index_near.c - the one "did you mean" policy (src/suggest.h):
 * suggest_near must pick what weighing every name of the folder by the
 * policy picks (nearest within the budget, a tie says nothing, stems for
 * a site's URLs, the one name of the same number), within the names it
 * may look at in a large folder; suggest_file must find a moved file and
 * stay silent on ties, parallel copies and common names. Folders are
 * written to a temporary folder and read through the index, as a run
 * reads them. */
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

static size_t stem(const char *s, size_t n) {
  for (size_t i = n; i-- > 1;)
    if (s[i] == '.')
      return i;
  return n;
}

/* What suggest_near should answer, from every name given (kinds
 * SUGGEST_ANY, with SUGGEST_WHOLE when whole). */
static const char *brute_near(char **names, size_t n, const char *want,
                              bool whole) {
  size_t wl = strlen(want);
  bool html = wl > 5 && !strcmp(want + wl - 5, ".html");
  bool stems = !whole && (html || stem(want, wl) == wl);
  if (html)
    wl -= 5;
  size_t max = path_near_budget(wl);
  const char *best = NULL;
  size_t best_d = 0;
  bool tie = false;
  for (size_t i = 0; i < n; i++) {
    const char *s = names[i];
    if (s[0] == '.')
      continue;
    size_t sl = stems ? stem(s, strlen(s)) : strlen(s);
    size_t d = lev(want, wl, s, sl, max);
    if (d > max && wl >= 8 && sl >= 8 && !strncmp(want, s, wl < sl ? wl : sl))
      d = max;
    if (d > max)
      continue;
    if (!best || d < best_d)
      best = s, best_d = d, tie = false;
    else if (d == best_d && strcmp(s, best))
      tie = true;
  }
  if (best)
    return tie ? NULL : best;
  /* The one name of the same number. */
  size_t digits = strspn(want, "0123456789");
  if (whole || !digits || digits > 3 ||
      (want[digits] != '_' && want[digits] != '-'))
    return NULL;
  const char *found = NULL;
  size_t same = 0;
  for (size_t i = 0; i < n; i++)
    if (names[i][0] != '.' && !strncmp(names[i], want, digits + 1))
      found = names[i], same++;
  return same == 1 ? found : NULL;
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

static void same_answer(const char *q, const char *got, const char *want) {
  if (!want != !got || (want && strcmp(want, got)))
    fail_msg("'%s': got '%s', want '%s'", q, got ? got : "(none)",
             want ? want : "(none)");
}

/* Ask for many names in one folder, as a run with many broken links into
 * one folder does. */
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
    same_answer(q, suggest_near(&f->course, d, q, strlen(q), SUGGEST_ANY),
                brute_near(names, n, q, false));
  }
  free_names(names, n);
}

static void test_hash_names(void **state) {
  seed = 1;
  run_folder(*state, "hash", 0, 1500, 1500, hex);
}

static void test_short_names(void **state) {
  seed = 2;
  run_folder(*state, "short", 1, 1000, 1500, small_alpha);
}

static void test_mixed_names(void **state) {
  struct fixture *f = *state;
  seed = 3;
  run_folder(f, "mixed", 2, 1200, 800, "abcdxyz0-._");
  run_folder(f, "some", 2, 60, 300, "abcdxyz0-._");
}

/* A folder past SUGGEST_SWEEP_MAX is searched among the names sharing the
 * wanted one's first 8 bytes: the answer is one of them, close, and what
 * weighing all of them gives when there are few. */
static void test_large_folder(void **state) {
  struct fixture *f = *state;
  seed = 6;
  size_t n;
  char **names = make_names(0, SUGGEST_SWEEP_MAX + 1500, &n);
  assert_true(n > SUGGEST_SWEEP_MAX);
  write_folder(f->root, "large", names, n);
  struct dir *d = index_dir(&f->course, "large");
  assert_non_null(d);
  char **sharing = calloc(n, sizeof(char *));
  assert_non_null(sharing);
  char q[300];
  for (unsigned t = 0; t < 1000; t++) {
    make_query(names, n, q, hex);
    size_t wl = strlen(q), k = 0;
    for (size_t i = 0; i < n && wl >= 8; i++)
      if (!strncmp(names[i], q, 8))
        sharing[k++] = names[i];
    const char *got = suggest_near(&f->course, d, q, wl, SUGGEST_ANY);
    if (wl < 8 || k == 0) {
      if (got && !brute_near(names, n, q, false))
        fail_msg("'%s': got '%s' from no candidate", q, got);
      continue;
    }
    if (got)
      assert_memory_equal(got, q, 8);
    if (k <= 64)
      same_answer(q, got, brute_near(sharing, k, q, false));
  }
  free(sharing);
  free_names(names, n);
}

/* The anchors of a page form a folder of their own, in name order,
 * compared whole and never by number. */
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
  assert_true(page_seal_anchors(p)); /* as loading ends */
  assert_int_equal(p->nanchors, n);
  for (size_t i = 0; i < n; i++)
    assert_ptr_equal(page_anchor(p, names[i]), p);
  assert_null(page_anchor(p, "no such anchor"));
  struct dir *d = suggest_anchor_names(&f->course, p);
  assert_non_null(d);
  assert_int_equal(d->n, n);
  char q[300];
  for (unsigned t = 0; t < 600; t++) {
    make_query(names, n, q, "abcdxyz0-._");
    same_answer(
        q,
        suggest_near(&f->course, d, q, strlen(q), SUGGEST_ANY | SUGGEST_WHOLE),
        brute_near(names, n, q, true));
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
      strdup("2.mdx"),
      strdup("chapter2.qmd"),
      strdup("07_review.md"),
      strdup("2023_EU_Amsterdam.png"),
  };
  size_t n = sizeof(names) / sizeof(names[0]);
  write_folder(f->root, "hand", names, n);
  struct dir *d = index_dir(&f->course, "hand");
  assert_non_null(d);
#define NEAR(q, kinds) suggest_near(&f->course, d, q, strlen(q), kinds)
  /* Two names at two edits: a tie says nothing. */
  assert_null(NEAR("lesson-1.2606670fa61ee904687da5d6fa4e726639d524d064c89511"
                   "7da1b95b9ff6251d.ar.jpg",
                   SUGGEST_ANY));
  /* A name the wanted one starts, past the budget in edits. */
  assert_string_equal(NEAR("05_hands_on_lab_v2.md.bak.old", SUGGEST_ANY),
                      names[2]);
  assert_string_equal(NEAR("05_hands_on_lab.md", SUGGEST_ANY), names[2]);
  assert_null(NEAR(".hidden-name.mdx", SUGGEST_ANY));
  assert_string_equal(NEAR("xb", SUGGEST_ANY), names[4]);
  assert_null(NEAR("xy", SUGGEST_ANY)); /* "ab" and "2" (2.mdx), a tie */
  /* Two edits from the name sharing the first 8 bytes and from one that
   * does not: a tie, whatever comes first. One edit: the answer. */
  assert_null(NEAR("Xbcdefghijklmnop", SUGGEST_ANY));
  assert_string_equal(NEAR("Ybcdefghijklmnoq", SUGGEST_ANY), names[6]);
  /* A site's URL: extensionless or .html, compared without extensions. */
  assert_string_equal(NEAR("22", SUGGEST_ANY), names[7]);
  assert_string_equal(NEAR("chapter3.html", SUGGEST_ANY), names[8]);
  /* Far, but the one name numbered 07. */
  assert_string_equal(NEAR("07_summary_and_questions.md", SUGGEST_ANY),
                      names[9]);
  assert_null(NEAR("07_summary_and_questions.md", SUGGEST_FOLDERS));
  assert_null(NEAR("07_summary_and_questions.md", SUGGEST_ANY | SUGGEST_WHOLE));
  /* A year is no number in a sequence. */
  assert_null(NEAR("2023_NA_Chicago_Pizzanetes.png", SUGGEST_ANY));
#undef NEAR
  for (size_t i = 0; i < n; i++)
    free(names[i]);
}

/* A course on disk for suggest_file: each path, made with its folders. */
static void make_tree(const char *root, const char *const *paths) {
  char full[1024];
  for (; *paths; paths++) {
    snprintf(full, sizeof(full), "%s/%s", root, *paths);
    for (char *c = full + strlen(root) + 1; *c; c++)
      if (*c == '/') {
        *c = '\0';
        mkdir(full, 0700);
        *c = '/';
      }
    if (full[strlen(full) - 1] == '/')
      mkdir(full, 0700);
    else
      close(open(full, O_CREAT | O_WRONLY, 0600));
  }
}

/* The suggestion for a link written dest from folder base, or NULL. */
static const char *file_for(struct fixture *f, const char *base,
                            const char *dest, struct arena *a, bool *moved) {
  size_t bl = strlen(base), dl = strlen(dest);
  char tmp[1024], out[1024];
  bool folder;
  const char *path = path_resolve(base, bl, dest, dl, tmp, out, &folder);
  assert_non_null(path);
  struct suggestion s;
  if (!suggest_file(&f->course, base, dest, dl, path, folder, a, &s))
    return NULL;
  *moved = s.moved;
  return s.path;
}

static void test_suggest_file(void **state) {
  struct fixture *f = *state;
  static const char *const tree[] = {"2024/02-intro/08-summary.md",
                                     "2024/03-models/a/b/page.md",
                                     "2024/03-models/a/b/notes.md",
                                     "2023/02-intro/09-extra.md",
                                     "logo.png",
                                     "course/unit1/images/x.png",
                                     "course/unit1/README.md",
                                     "course/unit1/01_plan.md",
                                     "course/unit1/02_explainer.md",
                                     "course/unit1/04_daily_recall.md",
                                     "course/unit2/01_plan.md",
                                     "course/unit2/02_explainer.md",
                                     "course/unit2/README.md",
                                     "pages/3.md",
                                     "pages/intro.mdx",
                                     "twice/a/guide.md",
                                     "twice/b/guide.md",
                                     "common/1/README.md",
                                     "common/2/README.md",
                                     "common/3/README.md",
                                     "common/4/README.md",
                                     "common/5/README.md",
                                     "common/6/README.md",
                                     ".hidden/only-hidden.md",
                                     "deep/x/y/z/only.md",
                                     "tools/note.rs",
                                     "tools/two.rs",
                                     "tools/two.py",
                                     "tools/homework.md",
                                     "series/m1/06_notes.md",
                                     "series/m2/01_weekly_plan.md",
                                     NULL};
  make_tree(f->root, tree);
  struct arena a;
  arena_init(&a);
  bool moved = false;
  /* Moved: its one other place, nearest by path. */
  assert_string_equal(
      file_for(f, "2024/03-models/a/b", "08-summary.md", &a, &moved),
      "2024/02-intro/08-summary.md");
  assert_true(moved);
  /* The same name in a parallel module is that module's own file. */
  assert_null(file_for(f, "course/unit2", "04_daily_recall.md", &a, &moved));
  /* Numbered sibling folders (m1, m2) are a series: m2's plan is its own. */
  assert_null(file_for(f, "series/m1", "01_weekly_plan.md", &a, &moved));
  /* Two places as near as each other: a tie. */
  assert_null(file_for(f, "twice", "guide.md", &a, &moved));
  /* A common name, its folders unlike the link's: too common to place. */
  assert_null(file_for(f, "pages", "README.md", &a, &moved));
  /* One '../' more, and one fewer. */
  assert_string_equal(file_for(f, "pages", "logo.png", &a, &moved), "logo.png");
  assert_string_equal(
      file_for(f, "course/unit1/images", "../../images/x.png", &a, &moved),
      "course/unit1/images/x.png");
  /* The page's extension, or another one. */
  assert_string_equal(file_for(f, "pages", "./3", &a, &moved), "pages/3.md");
  assert_true(moved);
  assert_string_equal(file_for(f, "pages", "intro.md", &a, &moved),
                      "pages/intro.mdx");
  /* Without an extension: the one file of that name with one; a folder
   * link to a page. */
  assert_string_equal(file_for(f, "tools", "note", &a, &moved),
                      "tools/note.rs");
  assert_true(moved);
  assert_null(file_for(f, "tools", "two", &a, &moved));
  assert_string_equal(file_for(f, "tools", "homework/", &a, &moved),
                      "tools/homework.md");
  /* Written from the root. */
  assert_string_equal(file_for(f, "deep/x", "y/z/only.md", &a, &moved),
                      "deep/x/y/z/only.md");
  assert_string_equal(file_for(f, "pages", "deep/x/y/z/only.md", &a, &moved),
                      "deep/x/y/z/only.md");
  /* Else a near name of its folder, which is not a move. */
  assert_string_equal(file_for(f, "pages", "intro.mdxx", &a, &moved),
                      "pages/intro.mdx");
  assert_false(moved);
  /* Hidden folders are not the course's. */
  assert_null(file_for(f, "pages", "only-hidden.md", &a, &moved));
  arena_free(&a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_rules, setup, teardown),
      cmocka_unit_test_setup_teardown(test_hash_names, setup, teardown),
      cmocka_unit_test_setup_teardown(test_short_names, setup, teardown),
      cmocka_unit_test_setup_teardown(test_mixed_names, setup, teardown),
      cmocka_unit_test_setup_teardown(test_large_folder, setup, teardown),
      cmocka_unit_test_setup_teardown(test_anchor_names, setup, teardown),
      cmocka_unit_test_setup_teardown(test_suggest_file, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
