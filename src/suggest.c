/* suggest.c - "did you mean": the names of a folder (or the anchors of a
 * page) within a few edits of a missing one, found without comparing it
 * with every name of a large folder. Letter counts rule most names out;
 * a large folder asked often gets an index of its names' 8-byte pieces.
 * Used by the link and reference checks for their suggestions. */
#include "suggest.h"

#include <assert.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/path.h"

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

/* d->by_len: entry indexes ordered by name length, then index. Built
 * under the course lock by counting sort, so no comparison state. */
static bool build_by_len(struct dir *d) {
  size_t maxlen = 0;
  for (size_t i = 0; i < d->n; i++)
    if (d->entries[i].len > maxlen)
      maxlen = d->entries[i].len;
  size_t *start = calloc(maxlen + 2, sizeof(size_t));
  size_t *order = malloc((d->n ? d->n : 1) * sizeof(size_t));
  if (!start || !order) {
    free(start);
    free(order);
    return false;
  }
  for (size_t i = 0; i < d->n; i++)
    start[d->entries[i].len + 1]++;
  for (size_t l = 1; l <= maxlen + 1; l++)
    start[l] += start[l - 1];
  for (size_t i = 0; i < d->n; i++)
    order[start[d->entries[i].len]++] = i;
  free(start);
  d->by_len = order;
  return true;
}

/* A name to find the names within max edits of, with its letter
 * counts (exact: none saturated, so hist_bound applies). */
struct wanted {
  const char *want;
  size_t wlen, max;
  const unsigned char *hist;
  bool exact;
};

/* Put entry i of d on out unless its letter counts put it more than
 * w->max edits away. False only when out cannot grow. */
static bool offer(const struct dir *d, const struct wanted *w, size_t i,
                  struct vec *out) {
  const struct entry *e = &d->entries[i];
  if (w->exact && hist_bound(w->hist, w->wlen, e->hist, e->len) > w->max)
    return true;
  size_t *slot = vec_push(out);
  if (!slot)
    return false;
  *slot = i;
  return true;
}

/* The names of d within w->max edits by length and letter counts: a
 * sweep over every name of a length within max of want's. */
static bool sweep_near(const struct dir *d, const struct wanted *w,
                       struct vec *out) {
  size_t lo = 0, hi = d->n;
  size_t minlen = w->wlen > w->max ? w->wlen - w->max : 0;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (d->entries[d->by_len[mid]].len < minlen)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (size_t k = lo; k < d->n; k++) {
    const struct entry *e = &d->entries[d->by_len[k]];
    if (e->len > w->wlen + w->max)
      break;
    if (!offer(d, w, d->by_len[k], out))
      return false;
  }
  return true;
}

/* Searching a large folder for the names within b edits of a long name
 * without a look at every name of about its length: cut the wanted name
 * into b + 1 pieces. An edit touches one piece at most, so one piece at
 * least stands unedited in any name within b edits: the first as its
 * prefix, the last as its suffix, and any piece where it stands in the
 * wanted name, moved by the edits before it (-b to +b places). The
 * folder's grams say which names hold given 8 bytes at a given place;
 * only places that are multiples of 4 are kept, so a piece of 11 bytes or
 * more, wherever it stands, holds one of them. */
enum { GRAM = 8, GRAM_STEP = 4, PIECE_MIN = GRAM + GRAM_STEP - 1 };

/* Worth building for a folder of this many names, once this many
 * searches could have used them: by then the sweeps have cost about what
 * building costs. */
enum { GRAMS_MIN_NAMES = 256, GRAMS_AFTER = 16 };

struct grams {
  uint32_t mask;   /* buckets - 1; buckets is a power of two */
  uint32_t *start; /* bucket b holds item[start[b]] to item[start[b + 1]] */
  uint32_t *item;  /* entry indexes */
};

/* The key of the 8 bytes at s standing at place pos of a name: mixed
 * (MurmurHash3's 64-bit finaliser) so the high half spreads over the
 * buckets. */
static uint64_t gram_key(const char *s, size_t pos) {
  uint64_t x;
  memcpy(&x, s, GRAM);
  x ^= (uint64_t)pos * 0x9e3779b97f4a7c15u;
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdu;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53u;
  x ^= x >> 33;
  return x;
}

static size_t gram_bucket(const struct grams *g, uint64_t key) {
  return (size_t)(key >> 32) & g->mask;
}

static void free_grams(struct grams *g) {
  if (g) {
    free(g->start);
    free(g->item);
    free(g);
  }
}

/* Every name's grams at places 0, 4, 8, ..., in buckets by key (a
 * counting sort: count, sum, place). NULL on no memory. */
static struct grams *build_grams(const struct dir *d) {
  size_t items = 0;
  for (size_t i = 0; i < d->n; i++)
    if (d->entries[i].len >= GRAM)
      items += (d->entries[i].len - GRAM) / GRAM_STEP + 1;
  size_t buckets = 64; /* about two grams to a bucket */
  while (buckets * 2 < items)
    buckets *= 2;
  if (d->n > UINT32_MAX || items >= UINT32_MAX || buckets > UINT32_MAX)
    return NULL;
  struct grams *g = malloc(sizeof(*g));
  uint32_t *start = calloc(buckets + 1, sizeof(uint32_t));
  uint32_t *item = malloc((items ? items : 1) * sizeof(*item));
  if (!g || !start || !item) {
    free(g);
    free(start);
    free(item);
    return NULL;
  }
  *g = (struct grams){(uint32_t)(buckets - 1), start, item};
  for (size_t i = 0; i < d->n; i++) {
    const struct entry *e = &d->entries[i];
    for (size_t m = 0; m + GRAM <= e->len; m += GRAM_STEP)
      start[gram_bucket(g, gram_key(e->name + m, m)) + 1]++;
  }
  for (size_t b = 1; b <= buckets; b++)
    start[b] += start[b - 1];
  for (size_t i = 0; i < d->n; i++) {
    const struct entry *e = &d->entries[i];
    for (size_t m = 0; m + GRAM <= e->len; m += GRAM_STEP) {
      uint64_t key = gram_key(e->name + m, m);
      item[start[gram_bucket(g, key)]++] = (uint32_t)i;
    }
  }
  /* Placing moved each start to the next bucket's: move them back. */
  memmove(start + 1, start, buckets * sizeof(uint32_t));
  start[0] = 0;
  return g;
}

/* The names holding want[s, s + len) unedited at place s + shift, and
 * within w->max edits by what that leaves (last: the piece ends the
 * name). Of the piece's grams, the one whose bucket is smallest is
 * asked. */
static bool piece_near(const struct dir *d, const struct grams *g,
                       const struct wanted *w, size_t s, size_t len,
                       ptrdiff_t shift, bool last, struct vec *out) {
  size_t at = (size_t)((ptrdiff_t)s + shift);
  size_t pick = 0, fewest = SIZE_MAX;
  for (size_t m = (at + GRAM_STEP - 1) / GRAM_STEP * GRAM_STEP;
       m + GRAM <= at + len && fewest > 0; m += GRAM_STEP) {
    size_t b = gram_bucket(g, gram_key(w->want + s + (m - at), m));
    size_t n = g->start[b + 1] - g->start[b];
    if (n < fewest)
      fewest = n, pick = b;
  }
  assert(fewest != SIZE_MAX); /* a piece of PIECE_MIN bytes holds a gram */
  /* The bucket may hold other grams too: the piece is compared whole. */
  for (uint32_t t = g->start[pick]; fewest && t < g->start[pick + 1]; t++) {
    const struct entry *e = &d->entries[g->item[t]];
    if (e->len < at + len || memcmp(e->name + at, w->want + s, len) != 0)
      continue;
    /* The edits before the piece moved it by shift; those after it
     * make up the rest of the difference in length. */
    ptrdiff_t after = (ptrdiff_t)e->len - (ptrdiff_t)w->wlen - shift;
    size_t edits = (size_t)(shift < 0 ? -shift : shift) +
                   (size_t)(after < 0 ? -after : after);
    if (edits > w->max || (last && after != 0))
      continue;
    if (!offer(d, w, g->item[t], out))
      return false;
  }
  return true;
}

/* The names within w->max edits of w->want, from the grams of pieces
 * of it (see above); wlen >= (max + 1) * PIECE_MIN. */
static bool grams_near(const struct dir *d, const struct grams *g,
                       const struct wanted *w, struct vec *out) {
  size_t k = w->max + 1, base = w->wlen / k, extra = w->wlen % k;
  ptrdiff_t max = (ptrdiff_t)w->max;
  for (size_t j = 0, s = 0; j < k; s += base + (j < extra), j++) {
    size_t len = base + (j < extra);
    /* The first piece cannot move: nothing stands before it. Nor can a
     * piece move to before the start of a name. */
    ptrdiff_t lo = j ? -max : 0, hi = j ? max : 0;
    for (ptrdiff_t shift = lo < -(ptrdiff_t)s ? -(ptrdiff_t)s : lo; shift <= hi;
         shift++)
      if (!piece_near(d, g, w, s, len, shift, j == k - 1, out))
        return false;
  }
  return true;
}

/* The names sharing want's first 8 bytes: a run in name order. */
static bool prefix_near(const struct dir *d, const char *want,
                        struct vec *out) {
  const size_t *by_name = d->by_name;
#define NAME_AT(k) d->entries[by_name ? by_name[k] : (k)].name
  size_t lo = 0, hi = d->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (strncmp(NAME_AT(mid), want, 8) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (size_t k = lo; k < d->n && !strncmp(NAME_AT(k), want, 8); k++) {
    size_t *slot = vec_push(out);
    if (!slot)
      return false;
    *slot = by_name ? by_name[k] : k;
  }
#undef NAME_AT
  return true;
}

/* Put out[first, len) in folder order, each index once. */
static bool folder_order(const struct dir *d, struct vec *out, size_t first) {
  if (out->len == first)
    return true; /* nothing found; out->data may still be NULL */
  size_t *idx = (size_t *)out->data + first;
  size_t n = out->len - first, o = 0;
  if (n > 64) {
    /* Many candidates (names that share a long prefix): mark and sweep
     * in folder order instead of sorting. */
    unsigned char *mark = calloc(d->n, 1);
    if (!mark)
      return false;
    for (size_t i = 0; i < n; i++)
      mark[idx[i]] = 1;
    const unsigned char *m = mark, *stop = mark + d->n;
    while ((m = memchr(m, 1, (size_t)(stop - m))) != NULL)
      idx[o++] = (size_t)(m++ - mark);
    free(mark);
  } else {
    /* Insertion sort: few, and often in order already (a run of names
     * sharing a prefix, from a folder sorted by name). */
    for (size_t i = 1; i < n; i++) {
      size_t v = idx[i], j = i;
      for (; j > 0 && idx[j - 1] > v; j--)
        idx[j] = idx[j - 1];
      idx[j] = v;
    }
    for (size_t i = 0; i < n; i++)
      if (o == 0 || idx[o - 1] != idx[i])
        idx[o++] = idx[i];
  }
  out->len = first + o;
  return true;
}

/* suggest_near_entries for a name whose letter counts are known. */
static bool near_entries(struct course *c, struct dir *d,
                         const struct wanted *w, unsigned what,
                         struct vec *out) {
  size_t first = out->len;
  bool window = what & NEAR_WINDOW;
  bool cut = window && w->max < w->wlen / PIECE_MIN && d->n >= GRAMS_MIN_NAMES;
  pthread_mutex_lock(&c->lock);
  bool ok = d->by_len || build_by_len(d);
  if (cut && !d->grams_done && ++d->grams_asked >= GRAMS_AFTER) {
    d->grams_done = true;
    d->grams = build_grams(d);
  }
  const struct grams *g = cut ? d->grams : NULL;
  pthread_mutex_unlock(&c->lock);
  if (!ok)
    return false;
  if (window && !(g ? grams_near(d, g, w, out) : sweep_near(d, w, out)))
    return false;
  if ((what & NEAR_PREFIX) && w->wlen >= 8 && !prefix_near(d, w->want, out))
    return false;
  return folder_order(d, out, first);
}

bool suggest_near_entries(struct course *c, struct dir *d, const char *want,
                          size_t wlen, size_t max, unsigned what,
                          struct vec *out) {
  unsigned char h[32];
  struct wanted w = {want, wlen, max, h, suggest_name_hist(want, wlen, h)};
  return near_entries(c, d, &w, what, out);
}

/* Weigh entry e as the suggestion for w->want, within max edits (see
 * path_near_consider), unless it is hidden or its letter counts show it
 * is farther than n's best: then weighing it would change nothing. Only a
 * name that starts want or that want starts may count as close however
 * far it is. */
static void weigh(struct path_near *n, const struct wanted *w,
                  const struct entry *e, size_t max) {
  if (e->name[0] == '.')
    return;
  size_t shared = w->wlen < e->len ? w->wlen : e->len;
  if (w->exact && (shared < 8 || memcmp(w->want, e->name, shared) != 0) &&
      hist_bound(w->hist, w->wlen, e->hist, e->len) > (n->best ? n->dist : max))
    return;
  path_near_consider(n, w->want, w->wlen, e->name, e->len, max);
}

const char *suggest_nearest_name(struct course *c, struct dir *d,
                                 const char *want, size_t wlen) {
  struct path_near n = {0};
  size_t max = path_near_budget(wlen);
  unsigned char h[32];
  struct wanted w = {want, wlen, 0, h, suggest_name_hist(want, wlen, h)};
  /* Only the names that can be close, in folder order: a folder of
   * thousands of images is searched for every broken image link. The
   * names most likely closest (the same first 8 bytes; for a short name,
   * the same length and letters) bound the answer's distance first; only
   * names within that bound can be the answer. */
  struct vec near;
  vec_init(&near, sizeof(size_t));
  bool prefix = wlen >= 8;
  if (near_entries(c, d, &w, prefix ? NEAR_PREFIX : NEAR_WINDOW, &near)) {
    for (size_t k = 0; k < near.len; k++)
      weigh(&n, &w, &d->entries[*(size_t *)vec_at(&near, k)], max);
  } else {
    prefix = false;
  }
  w.max = n.best && n.dist < max ? n.dist : max;
  near.len = 0;
  bool some = near_entries(c, d, &w, NEAR_WINDOW, &near);
  for (size_t k = 0; k < (some ? near.len : d->n); k++) {
    const struct entry *e = &d->entries[some ? *(size_t *)vec_at(&near, k) : k];
    /* The names sharing the first 8 bytes were weighed above. */
    if (!prefix || e->len < 8 || memcmp(e->name, want, 8) != 0)
      weigh(&n, &w, e, max);
  }
  vec_free(&near);
  return n.best;
}

struct named {
  const char *name;
  size_t i;
};

static int named_cmp(const void *a, const void *b) {
  return strcmp(((const struct named *)a)->name,
                ((const struct named *)b)->name);
}

static struct dir *anchor_dir(struct course *c, const struct hmap *m) {
  struct dir *d = arena_alloc(&c->arena, sizeof(*d));
  size_t n = m->len;
  struct named *sorted = malloc((n ? n : 1) * sizeof(*sorted));
  if (d) {
    d->path = "";
    d->exists = true;
    d->entries = calloc(n ? n : 1, sizeof(struct entry));
    d->by_name = malloc((n ? n : 1) * sizeof(size_t));
  }
  if (!d || !d->entries || !d->by_name || !sorted) {
    if (d) {
      free(d->entries);
      free(d->by_name);
    }
    free(sorted);
    return NULL;
  }
  for (size_t i = 0; i < m->cap; i++) {
    if (!m->slots[i].key)
      continue;
    struct entry *e = &d->entries[d->n];
    e->name = m->slots[i].key;
    e->len = m->slots[i].keylen;
    e->type = ENTRY_OTHER;
    suggest_name_hist(e->name, e->len, e->hist);
    sorted[d->n] = (struct named){e->name, d->n};
    d->n++;
  }
  qsort(sorted, d->n, sizeof(*sorted), named_cmp);
  for (size_t k = 0; k < d->n; k++)
    d->by_name[k] = sorted[k].i;
  free(sorted);
  return d;
}

struct dir *suggest_anchor_names(struct course *c, struct page *p) {
  pthread_mutex_lock(&c->lock);
  if (!p->anchor_names_done) {
    p->anchor_names_done = true;
    p->anchor_names = anchor_dir(c, &p->anchors);
  }
  struct dir *d = p->anchor_names;
  pthread_mutex_unlock(&c->lock);
  return d;
}

void suggest_dir_free(struct dir *d) {
  free(d->by_len);
  free(d->by_name);
  free_grams(d->grams);
}
