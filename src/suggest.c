/* suggest.c - "did you mean" (see suggest.h). A missing file is first
 * looked for as itself: with a page extension, one '../' away, or under
 * its own name elsewhere in the course, from an index of every name built
 * once per run. Only then is a near name of its folder suggested. Every
 * step costs a bounded amount per finding: a folder of more than
 * SUGGEST_SWEEP_MAX names is searched by its names' first bytes only, and
 * a name found in more than MOVED_MAX places is too common to place. */
#include "suggest.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats.h"
#include "util/path.h"

/* ---- the names of one folder ----------------------------------------------
 */

/* Byte counts folded into 32 buckets (saturating). Names with very
 * different counts are many edits apart, so most names of a folder can be
 * ruled out as suggestions from these alone. */
bool suggest_name_hist(const char *s, size_t len, unsigned char h[32]) {
  memset(h, 0, 32);
  if (len <= 255) { /* no count can pass 255: count in the bytes */
    for (size_t i = 0; i < len; i++)
      h[(unsigned char)s[i] & 31]++;
    return true;
  }
  unsigned counts[32] = {0};
  bool exact = true;
  for (size_t i = 0; i < len; i++)
    counts[(unsigned char)s[i] & 31]++;
  for (size_t k = 0; k < 32; k++) {
    exact = exact && counts[k] <= 255;
    h[k] = (unsigned char)(counts[k] > 255 ? 255 : counts[k]);
  }
  return exact;
}

/* A lower bound of the edit distance from the counts: each edit changes
 * at most one count up and one down, so it takes at least the larger of
 * the surplus and the deficit, which is (L1 + |alen - blen|) / 2. */
static size_t hist_bound(const unsigned char *a, size_t alen,
                         const unsigned char *b, size_t blen) {
  unsigned l1 = 0;
#ifdef __SSE2__
  /* psadbw sums the absolute differences of 16 bytes at once; this runs
   * for every name of a folder of thousands. */
  for (unsigned k = 0; k < 32; k += 16) {
    __m128i s = _mm_sad_epu8(_mm_loadu_si128((const __m128i *)(a + k)),
                             _mm_loadu_si128((const __m128i *)(b + k)));
    l1 += (unsigned)_mm_cvtsi128_si32(s) +
          (unsigned)_mm_cvtsi128_si32(_mm_srli_si128(s, 8));
  }
#else
  for (unsigned k = 0; k < 32; k++)
    l1 += (unsigned)(a[k] > b[k] ? a[k] - b[k] : b[k] - a[k]);
#endif
  return (l1 + (alen > blen ? alen - blen : blen - alen)) / 2;
}

/* The length of name[0, len) without its extension (from its last '.',
 * unless that starts the name). */
static size_t stem_len(const char *name, size_t len) {
  for (size_t i = len; i-- > 1;)
    if (name[i] == '.')
      return i;
  return len;
}

/* A wanted name and how names are compared with it. */
struct wanted {
  const char *want;
  size_t wlen, max;
  unsigned char hist[32];
  bool exact; /* hist holds exact counts: hist_bound applies */
  bool stems; /* compare with names without their extensions */
  unsigned kinds;
};

/* Weigh entry e as the suggestion: see path_near_consider. */
static void weigh(struct path_near *n, const struct wanted *w,
                  const struct entry *e) {
  if (e->name[0] == '.' ||
      !(w->kinds & (e->type == ENTRY_DIR ? SUGGEST_FOLDERS : SUGGEST_FILES)))
    return;
  size_t len = w->stems ? stem_len(e->name, e->len) : e->len;
  /* The counts rule out most names at once; only a name sharing a long
   * start with want may count as close however far it is. */
  size_t shared = w->wlen < len ? w->wlen : len;
  if (w->exact && !w->stems &&
      (shared < 8 || memcmp(w->want, e->name, shared) != 0) &&
      hist_bound(w->hist, w->wlen, e->hist, e->len) >
          (n->best ? n->dist : w->max))
    return;
  path_near_consider(n, w->want, w->wlen, e->name, len, w->max);
}

/* Where want[0, n) would stand among d's names in name order. */
static size_t name_rank(const struct dir *d, const char *want, size_t n) {
  size_t lo = 0, hi = d->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (strncmp(d->entries[mid].name, want, n) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* The names sharing want's first 8 bytes in a large folder: at most
 * PREFIX_TAKE of them, nearest want in name order. */
enum { PREFIX_TAKE = 64 };

static void weigh_prefix(struct path_near *n, const struct wanted *w,
                         const struct dir *d) {
  size_t at = name_rank(d, w->want, w->wlen);
  size_t lo = at, hi = at;
  for (size_t taken = 0; taken < PREFIX_TAKE; taken++) {
    bool down = lo > 0 && !strncmp(d->entries[lo - 1].name, w->want, 8);
    bool up = hi < d->n && !strncmp(d->entries[hi].name, w->want, 8);
    if (!down && !up)
      break;
    if (up && (!down || taken % 2 == 0))
      weigh(n, w, &d->entries[hi++]);
    else
      weigh(n, w, &d->entries[--lo]);
  }
}

/* For want numbered "NN_" or "NN-" (up to three digits): the one name of
 * d with that number. */
static const char *same_number(const struct dir *d, const struct wanted *w) {
  size_t digits = 0;
  while (digits < w->wlen && isdigit((unsigned char)w->want[digits]))
    digits++;
  /* A module's files number themselves 01_, 1-, 001_; a year (2023_) is
   * not a place in a sequence. */
  if (!digits || digits > 3 || digits >= w->wlen ||
      (w->want[digits] != '_' && w->want[digits] != '-'))
    return NULL;
  const char *found = NULL;
  size_t n = 0;
  for (size_t k = name_rank(d, w->want, digits + 1);
       k < d->n && n < 2 && !strncmp(d->entries[k].name, w->want, digits + 1);
       k++) {
    const struct entry *e = &d->entries[k];
    if (e->name[0] != '.' &&
        (w->kinds & (e->type == ENTRY_DIR ? SUGGEST_FOLDERS : SUGGEST_FILES)))
      found = e->name, n++;
  }
  return n == 1 ? found : NULL;
}

/* suggest_near, and whether no answer is a tie (*tie). */
static const char *near_in(const struct dir *d, const char *want, size_t wlen,
                           unsigned kinds, bool *tie) {
  *tie = false;
  if (!d || !d->exists || !wlen)
    return NULL;
  struct wanted w = {.want = want, .wlen = wlen, .kinds = kinds};
  /* A site's URL names a page without its extension, or with ".html". */
  bool html = wlen > 5 && !memcmp(want + wlen - 5, ".html", 5);
  w.stems = !(kinds & SUGGEST_WHOLE) && (html || stem_len(want, wlen) == wlen);
  if (html)
    w.wlen -= 5;
  w.max = path_near_budget(w.wlen);
  w.exact = suggest_name_hist(want, w.wlen, w.hist);
  struct path_near n = {0};
  if (d->n <= SUGGEST_SWEEP_MAX) {
    for (size_t i = 0; i < d->n; i++)
      weigh(&n, &w, &d->entries[i]);
  } else if (w.wlen >= 8) {
    weigh_prefix(&n, &w, d);
  }
  if (n.best) {
    *tie = !n.unique;
    return n.unique ? n.best : NULL;
  }
  return kinds & SUGGEST_WHOLE ? NULL : same_number(d, &w);
}

const char *suggest_near(struct course *c, struct dir *d, const char *want,
                         size_t wlen, unsigned kinds) {
  (void)c;
  bool tie;
  return near_in(d, want, wlen, kinds, &tie);
}

/* ---- anchors as names ------------------------------------------------------
 */

/* The entries are in name order already, as the array is. */
static struct dir *anchor_dir(struct course *c, const struct page *p) {
  struct dir *d = arena_alloc(&c->arena, sizeof(*d));
  size_t n = p->nanchors;
  if (d) {
    d->path = "";
    d->exists = true;
    d->entries = calloc(n ? n : 1, sizeof(struct entry));
  }
  if (!d || !d->entries)
    return NULL;
  for (; d->n < n; d->n++) {
    struct entry *e = &d->entries[d->n];
    e->name = p->anchor_list[d->n].name;
    e->len = strlen(e->name);
    e->type = ENTRY_OTHER;
    suggest_name_hist(e->name, e->len, e->hist);
  }
  return d;
}

static void find_anchor_names(struct course *c, void *arg) {
  struct page *p = arg;
  p->anchor_names = anchor_dir(c, p);
}

struct dir *suggest_anchor_names(struct course *c, struct page *p) {
  index_once(c, &p->anchor_names_done, find_anchor_names, p);
  return p->anchor_names;
}

/* ---- the names of the course -----------------------------------------------
 */

/* Every place of one name in the course. */
struct placed {
  size_t n, cap;
  const char **paths; /* root-relative; malloc'd array */
};

struct suggest_index {
  struct hmap byname; /* name -> struct placed */
};

/* A name found in more places than this is too common to tell where a
 * missing one went ("README.md", "image.png"); with one of its folders
 * shared, four. */
enum { MOVED_MAX = 16, MOVED_MAX_BARE = 4 };

static bool place(struct course *c, struct suggest_index *x, const char *name,
                  size_t len, const char *path) {
  struct placed *pl = hmap_get(&x->byname, name, len);
  if (!pl) {
    pl = arena_alloc(&c->listings, sizeof(*pl));
    if (!pl || !hmap_put(&x->byname, name, len, pl))
      return false;
    memset(pl, 0, sizeof(*pl));
  }
  if (pl->n > MOVED_MAX)
    return true; /* counted enough: too common */
  if (pl->n == pl->cap) {
    size_t cap = pl->cap ? pl->cap * 2 : 2;
    const char **v = realloc(pl->paths, cap * sizeof(*v));
    if (!v)
      return false;
    pl->paths = v;
    pl->cap = cap;
  }
  pl->paths[pl->n++] = path;
  return true;
}

/* c->names: every file and folder of the course a walk would read,
 * hidden, ignored and linked folders left out, by name, in the listings
 * (index_forget_listings drops them). Built through index_once, under the
 * course lock, as the listings arena wants. */
static void course_names(struct course *c, void *arg) {
  (void)arg;
  struct suggest_index *x = arena_alloc(&c->listings, sizeof(*x));
  if (!x)
    return;
  hmap_init(&x->byname);
  c->names = x;
  struct vec queue;
  vec_init(&queue, sizeof(const char *));
  const char **slot = vec_push(&queue);
  if (slot)
    *slot = "";
  for (size_t q = 0; q < queue.len; q++) {
    const char *dir = *(const char **)vec_at(&queue, q);
    struct dir *d = index_dir(c, dir);
    for (size_t i = 0; d && d->exists && i < d->n; i++) {
      const struct entry *e = &d->entries[i];
      bool folder = e->type == ENTRY_DIR;
      char *child = e->name[0] == '.'
                        ? NULL
                        : path_join(&c->listings, dir, e->name, e->len);
      if (!child || index_ignored(c, child, folder))
        continue;
      const char *key = child + strlen(child) - e->len;
      if (!place(c, x, key, e->len, child))
        break;
      if (folder && !e->symlink && (slot = vec_push(&queue)))
        *slot = child;
    }
  }
  vec_free(&queue);
}

void suggest_course_free(struct course *c) {
  struct suggest_index *x = c->names;
  atomic_store(&c->names_built, false);
  c->names = NULL;
  if (!x)
    return;
  for (size_t i = 0; i < x->byname.cap; i++)
    if (x->byname.slots[i].key)
      free(((struct placed *)x->byname.slots[i].value)->paths);
  hmap_free(&x->byname);
}

/* The number of '/'-separated parts of a path ("" has none). */
static size_t parts(const char *s, size_t n) {
  size_t k = n ? 1 : 0;
  for (size_t i = 0; i < n; i++)
    k += s[i] == '/';
  return k;
}

/* How many last parts a and b share (at least the name, which they do). */
static size_t shared_tail(const char *a, const char *b) {
  size_t al = strlen(a), bl = strlen(b), k = 0;
  while (al && bl) {
    size_t i = al, j = bl;
    while (i && a[i - 1] != '/')
      i--;
    while (j && b[j - 1] != '/')
      j--;
    if (al - i != bl - j || memcmp(a + i, b + j, al - i) != 0)
      break;
    k++;
    al = i ? i - 1 : 0;
    bl = j ? j - 1 : 0;
    if (!i || !j)
      break;
  }
  return k;
}

/* Steps from folder a to folder b (root-relative, "" the root): up to
 * their common folder, then down. */
static size_t distance(const char *a, size_t al, const char *b, size_t bl) {
  size_t common = 0, i = 0;
  while (i < al && i < bl && a[i] == b[i]) {
    if (a[i] == '/')
      common++;
    i++;
  }
  /* A whole last part in common counts too ("a/b" and "a/b/c"). */
  if (i && (i == al || a[i] == '/') && (i == bl || b[i] == '/'))
    common++;
  return parts(a, al) + parts(b, bl) - 2 * common;
}

/* Whether folders a and b are two numbers of one series in one folder
 * (m1 and m2, week1 and week2, 2023 and 2024): they differ in digits
 * only. */
static bool numbered_siblings(const char *a, const char *b) {
  size_t al = path_dirname_len(a), bl = path_dirname_len(b);
  if (al != bl || strncmp(a, b, al) != 0)
    return false;
  a = path_basename(a);
  b = path_basename(b);
  while (*a || *b) {
    bool da = isdigit((unsigned char)*a), db = isdigit((unsigned char)*b);
    if (da || db) {
      if (!da || !db)
        return false;
      while (isdigit((unsigned char)*a))
        a++;
      while (isdigit((unsigned char)*b))
        b++;
    } else if (*a++ != *b++) {
      return false;
    }
  }
  return true;
}

/* Whether folders a and b are copies of one layout (two modules, two
 * translations): numbered siblings, or they share two names besides the
 * one looked for. */
static bool parallel(struct course *c, const char *a, const char *b,
                     const char *name) {
  if (*a && *b && numbered_siblings(a, b))
    return true;
  struct dir *da = index_dir(c, a), *db = index_dir(c, b);
  if (!da || !db || !da->exists || !db->exists)
    return false;
  if (da->n > db->n) {
    struct dir *t = da;
    da = db;
    db = t;
  }
  size_t same = 0;
  for (size_t i = 0; i < da->n && i < 256 && same < 2; i++) {
    const struct entry *e = &da->entries[i];
    if (e->name[0] != '.' && strcmp(e->name, name) != 0 &&
        index_entry(db, e->name, e->len))
      same++;
  }
  return same >= 2;
}

/* The one other place of path's name: see suggest_file. */
static const char *moved(struct course *c, const char *path, bool folder,
                         struct arena *a) {
  const char *name = path_basename(path);
  index_once(c, &c->names_built, course_names, NULL);
  const struct suggest_index *x = c->names;
  const struct placed *pl = x ? hmap_get(&x->byname, name, strlen(name)) : NULL;
  if (!pl || pl->n > MOVED_MAX)
    return NULL;
  size_t dl = path_dirname_len(path);
  const char *best = NULL;
  size_t best_k = 0, best_d = 0;
  bool tie = false;
  for (size_t i = 0; i < pl->n; i++) {
    const char *p = pl->paths[i];
    if (folder && index_type(c, p) != ENTRY_DIR)
      continue;
    size_t k = shared_tail(path, p);
    size_t d = distance(path, dl, p, path_dirname_len(p));
    if (!best || k > best_k || (k == best_k && d < best_d)) {
      best = p, best_k = k, best_d = d, tie = false;
    } else if (k == best_k && d == best_d) {
      tie = true;
    }
  }
  if (!best || tie || (best_k == 1 && pl->n > MOVED_MAX_BARE))
    return NULL;
  char *dir = arena_strndup(a, path, dl);
  char *bdir = arena_strndup(a, best, path_dirname_len(best));
  if (!dir || !bdir || parallel(c, dir, bdir, name))
    return NULL;
  return best;
}

/* ---- the policy
 * -------------------------------------------------------------- */

static bool is_page_ext(const char *ext) {
  for (size_t k = 0; formats_page_exts[k]; k++)
    if (!strcmp(ext, formats_page_exts[k]))
      return true;
  return false;
}

/* The one file of folder d named name[0, n) plus an extension
 * ("note" -> "note.rs"), or NULL. */
static const char *one_extension(const struct dir *d, const char *name,
                                 size_t n) {
  const char *found = NULL;
  for (size_t k = name_rank(d, name, n);
       k < d->n && !strncmp(d->entries[k].name, name, n); k++) {
    const struct entry *e = &d->entries[k];
    if (e->len > n + 1 && e->name[n] == '.' && stem_len(e->name, e->len) == n &&
        e->type != ENTRY_DIR) {
      if (found)
        return NULL;
      found = e->name;
    }
  }
  return found;
}

/* The path with a page extension (x -> x.md), or another one (x.md ->
 * x.mdx), when that file exists; or, for a name without one, the one
 * file of its folder with that name and an extension (x -> x.rs). */
static const char *with_extension(struct course *c, const char *path,
                                  struct arena *a) {
  const char *name = path_basename(path);
  size_t nl = strlen(name), n = strlen(path),
         stem = n - nl + stem_len(name, nl);
  if (stem != n && !is_page_ext(path + stem))
    return NULL;
  for (size_t k = 0; formats_page_exts[k]; k++) {
    if (stem != n && !strcmp(path + stem, formats_page_exts[k]))
      continue;
    char *cand =
        arena_printf(a, "%.*s%s", (int)stem, path, formats_page_exts[k]);
    if (cand && index_type(c, cand) == ENTRY_FILE)
      return cand;
  }
  if (stem != n)
    return NULL;
  char *dir = arena_strndup(a, path, n - nl);
  if (dir && n > nl)
    dir[n - nl - 1] = '\0'; /* the '/' before the name */
  struct dir *d = dir ? index_dir(c, dir) : NULL;
  const char *file = d && d->exists ? one_extension(d, name, nl) : NULL;
  return file ? path_join(a, dir, file, strlen(file)) : NULL;
}

/* The link with one '../' more, or one fewer, when exactly one of the
 * two reaches what it asks for. */
static const char *one_up(struct course *c, const char *base, const char *dest,
                          size_t dlen, bool folder, struct arena *a) {
  const char *found = NULL;
  for (int k = 0; k < 2; k++) {
    char *d = k ? (dlen >= 3 && !memcmp(dest, "../", 3)
                       ? arena_strndup(a, dest + 3, dlen - 3)
                       : NULL)
                : arena_printf(a, "../%.*s", (int)dlen, dest);
    size_t n = d ? strlen(d) : 0, bl = strlen(base);
    char *tmp = d ? arena_alloc(a, bl + n + 2) : NULL;
    char *out = tmp ? arena_alloc(a, bl + n + 2) : NULL;
    bool f;
    const char *p = out ? path_resolve(base, bl, d, n, tmp, out, &f) : NULL;
    enum entry_type t = p && *p ? index_type(c, p) : ENTRY_NONE;
    if (t == ENTRY_DIR || (t == ENTRY_FILE && !folder)) {
      if (found)
        return NULL; /* both: a tie */
      found = p;
    }
  }
  return found;
}

bool suggest_file(struct course *c, const char *base, const char *dest,
                  size_t dlen, const char *path, bool folder, struct arena *a,
                  struct suggestion *out) {
  *out = (struct suggestion){NULL, false, true};
  /* x/ may be the page x.md, which is no folder (05-deployment/homework/
   * for homework.md). */
  const char *p = with_extension(c, path, a);
  if (!p)
    p = one_up(c, base, dest, dlen, folder, a);
  if (!p) {
    /* Names of its folder as near as each other (translations of one
     * image, numbered copies): the name is one of a family, and no one
     * place is meant. Otherwise the file itself, elsewhere, before a
     * near name: 08-summary.md moved away, not 07-summary.md beside it. */
    size_t dl = path_dirname_len(path);
    char *dir = arena_strndup(a, path, dl);
    const char *name = path_basename(path);
    bool tie = false;
    const char *near =
        dir ? near_in(index_dir(c, dir), name, strlen(name),
                      folder ? SUGGEST_FOLDERS : SUGGEST_ANY, &tie)
            : NULL;
    if (tie)
      return false;
    p = moved(c, path, folder, a);
    if (!p && near) {
      out->moved = false;
      p = path_join(a, dir, near, strlen(near));
    }
  }
  if (!p)
    return false;
  out->path = p;
  out->folder = index_type(c, p) == ENTRY_DIR;
  return true;
}
