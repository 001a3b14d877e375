/* index.c - third stage of the pipeline: the course's folders, pages and
 * modules (see index.h). Folder listings are cached so each folder is read
 * once however many links point into it. */
#include "index.h"

#include <assert.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <limits.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/path.h"
#include "util/status.h"

static char *display_prefix(struct arena *a, const char *root) {
  char cwd[PATH_MAX];
  if (!getcwd(cwd, sizeof(cwd)))
    return arena_printf(a, "%s/", root);
  if (!strcmp(cwd, root))
    return arena_strdup(a, "");
  char *rel = path_relative(a, cwd + 1, root + 1);
  if (!rel)
    return NULL;
  /* Past three levels up, the absolute path reads better. */
  if (!strncmp(rel, "../../../../", 12))
    return arena_printf(a, "%s/", root);
  return arena_printf(a, "%s/", rel);
}

clint_status index_init(struct course *c, const char *root,
                        const struct rules *rules, clint_error *err) {
  memset(c, 0, sizeof(*c));
  c->store = arena_store_new(0); /* NULL is fine: arenas then use malloc */
  arena_init_in(&c->arena, c->store);
  hmap_init(&c->dirs);
  hmap_init(&c->pages);
  hmap_init(&c->late_dirs);
  hmap_init(&c->late_pages);
  vec_init(&c->page_list, sizeof(struct page *));
  c->rules = rules;
  c->root = realpath(root, NULL);
  if (!c->root)
    return status_set(err, CLINT_E_IO, root, 0, 0,
                      "cannot use as course root: no such folder");
  struct stat st;
  if (stat(c->root, &st) != 0 || !S_ISDIR(st.st_mode)) {
    index_free(c);
    return status_set(err, CLINT_E_IO, root, 0, 0,
                      "cannot use as course root: not a folder");
  }
  if (!strcmp(c->root, "/"))
    c->root[0] = '\0'; /* paths are built as root + "/" + rel */
  c->root_fd =
      open(c->root[0] ? c->root : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  c->has_root_fd = c->root_fd >= 0;
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_init(&c->lock, &attr);
  pthread_mutexattr_destroy(&attr);
  c->display_prefix = display_prefix(&c->arena, c->root);
  c->anchors = rules->anchors;
  if (c->anchors == ANCHOR_AUTO) {
    struct dir *d = index_dir(c, "");
    c->anchors = d && hmap_get(&d->byname, "mkdocs.yml", 10) ? ANCHOR_MKDOCS
                                                             : ANCHOR_GITHUB;
  }
  if (!c->display_prefix || c->arena.failed) {
    index_free(c);
    return status_set(err, CLINT_E_NOMEM, NULL, 0, 0, "out of memory");
  }
  return CLINT_OK;
}

static void free_grams(struct grams *g);

static void free_dirs(struct hmap *dirs) {
  for (size_t i = 0; i < dirs->cap; i++) {
    struct dir *d = dirs->slots[i].key ? dirs->slots[i].value : NULL;
    if (d) {
      free(d->entries);
      free(d->names);
      free(d->by_len);
      free_grams(d->grams);
      if (d->folded)
        hmap_free(d->folded);
      hmap_free(&d->byname);
    }
  }
  hmap_free(dirs);
}

void index_free(struct course *c) {
  free_dirs(&c->dirs);
  free_dirs(&c->late_dirs);
  for (size_t i = 0; i < c->page_list.len; i++) {
    struct page *p = *(struct page **)vec_at(&c->page_list, i);
    if (p->anchor_names) {
      free(p->anchor_names->entries);
      free(p->anchor_names->by_len);
      free(p->anchor_names->by_name);
      free_grams(p->anchor_names->grams);
    }
    hmap_free(&p->anchors);
    vec_free(&p->diags);
    arena_free(&p->arena);
  }
  if (c->root)
    pthread_mutex_destroy(&c->lock);
  if (c->has_root_fd)
    close(c->root_fd);
  hmap_free(&c->pages);
  hmap_free(&c->late_pages);
  vec_free(&c->page_list);
  arena_free(&c->arena);
  arena_store_free(c->store);
  free(c->root);
  memset(c, 0, sizeof(*c));
}

static int entry_cmp(const void *a, const void *b) {
  return strcmp(((const struct entry *)a)->name,
                ((const struct entry *)b)->name);
}

/* root/path/name, malloc'd (path may be empty). */
static char *path_join_full(const struct course *c, const char *path,
                            const char *name) {
  size_t rl = strlen(c->root), pl = strlen(path), nl = strlen(name);
  char *p = malloc(rl + pl + nl + 3);
  if (!p)
    return NULL;
  char *o = p;
  memcpy(o, c->root, rl);
  o += rl;
  *o++ = '/';
  if (pl) {
    memcpy(o, path, pl);
    o += pl;
    *o++ = '/';
  }
  memcpy(o, name, nl + 1);
  return p;
}

static enum entry_type type_of(const char *full, bool *symlink) {
  struct stat st;
  *symlink = false;
  if (lstat(full, &st) != 0)
    return ENTRY_NONE;
  if (S_ISLNK(st.st_mode)) {
    *symlink = true;
    if (stat(full, &st) != 0)
      return ENTRY_OTHER; /* a dangling link or a loop */
  }
  if (S_ISREG(st.st_mode))
    return ENTRY_FILE;
  if (S_ISDIR(st.st_mode))
    return ENTRY_DIR;
  return ENTRY_OTHER;
}

/* Byte counts folded into 32 buckets (saturating). Names with very
 * different counts are many edits apart, so most names of a folder can be
 * ruled out as suggestions from these alone. */
static bool name_hist(const char *s, size_t len, unsigned char h[32]) {
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

/* A folder's listing, read without the course lock. */
struct listing {
  bool exists;
  int error;
  struct entry *entries; /* sorted by name; malloc'd */
  size_t n;
  char *names; /* the entries' names, one after another; malloc'd */
  struct hmap byname;
};

static enum entry_type type_of_entry(const struct course *c, const char *path,
                                     const struct dirent *de, bool *symlink) {
  switch (de->d_type) {
  case DT_REG:
    return ENTRY_FILE;
  case DT_DIR:
    return ENTRY_DIR;
  case DT_FIFO:
  case DT_SOCK:
  case DT_CHR:
  case DT_BLK:
    return ENTRY_OTHER;
  default: {
    /* A symbolic link, or a file system that does not say: ask. */
    char *p = path_join_full(c, path, de->d_name);
    if (!p)
      return ENTRY_OTHER;
    enum entry_type t = type_of(p, symlink);
    free(p);
    return t;
  }
  }
}

/* The folder at path (root-relative), open for reading, or NULL with
 * errno set. full is set to its full path, malloc'd, when one was made. */
static DIR *open_folder(const struct course *c, const char *path, char **full) {
  *full = NULL;
  if (c->has_root_fd) {
    int fd = openat(c->root_fd, *path ? path : ".",
                    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *dh = fd >= 0 ? fdopendir(fd) : NULL;
    if (fd >= 0 && !dh) {
      int e = errno;
      close(fd);
      errno = e;
    }
    return dh;
  }
  size_t rl = strlen(c->root), pl = strlen(path);
  *full = malloc(rl + pl + 3);
  if (!*full) {
    errno = ENOMEM;
    return NULL;
  }
  memcpy(*full, c->root, rl);
  (*full)[rl] = '/';
  memcpy(*full + rl + 1, path, pl + 1);
  return opendir(*full);
}

static void read_listing(const struct course *c, const char *path,
                         struct listing *l) {
  memset(l, 0, sizeof(*l));
  hmap_init(&l->byname);
  char *full;
  DIR *dh = open_folder(c, path, &full);
  if (!dh) {
    l->error = errno;
    free(full);
    return;
  }
  l->exists = true;
  struct vec v;
  struct buf names;
  vec_init(&v, sizeof(struct entry));
  buf_init(&names);
  struct dirent *de;
  while ((de = readdir(dh)) != NULL) {
    if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
      continue;
    struct entry *e = vec_push(&v);
    size_t at = names.len, len = strlen(de->d_name);
    if (!e || !buf_append(&names, de->d_name, len + 1)) {
      v.len -= e != NULL;
      break;
    }
    e->name = (const char *)(uintptr_t)at; /* an offset until names stops */
    e->len = len;
    name_hist(de->d_name, len, e->hist);
    e->type = type_of_entry(c, path, de, &e->symlink);
  }
  closedir(dh);
  free(full);
  struct entry *entries = v.data;
  for (size_t i = 0; i < v.len; i++)
    entries[i].name = names.data + (uintptr_t)entries[i].name;
  if (v.len) /* qsort(NULL, 0, ...) is undefined */
    qsort(entries, v.len, sizeof(struct entry), entry_cmp);
  for (size_t i = 0; i < v.len; i++)
    hmap_put(&l->byname, entries[i].name, entries[i].len, &entries[i]);
  l->entries = entries;
  l->n = v.len;
  l->names = names.data;
}

static void free_listing(struct listing *l) {
  free(l->entries);
  free(l->names);
  hmap_free(&l->byname);
}

void index_freeze(struct course *c) { c->frozen = true; }

struct dir *index_dir(struct course *c, const char *path) {
  size_t len = strlen(path);
  if (c->frozen) {
    struct dir *d = hmap_get(&c->dirs, path, len);
    if (d)
      return d;
  }
  pthread_mutex_lock(&c->lock);
  struct hmap *dirs = c->frozen ? &c->late_dirs : &c->dirs;
  struct dir *d = hmap_get(dirs, path, len);
  pthread_mutex_unlock(&c->lock);
  if (d)
    return d;
  /* Read the folder outside the lock, so threads list folders at once;
   * when two read the same one, the first to come back keeps its
   * listing. */
  struct listing l;
  read_listing(c, path, &l);
  pthread_mutex_lock(&c->lock);
  d = hmap_get(dirs, path, len);
  if (!d) {
    d = arena_alloc(&c->arena, sizeof(*d));
    if (d) {
      d->path = arena_strdup(&c->arena, path);
      if (!d->path || !hmap_put(dirs, d->path, len, d)) {
        d = NULL;
      } else {
        d->exists = l.exists;
        d->error = l.error;
        d->entries = l.entries;
        d->n = l.n;
        d->names = l.names;
        d->byname = l.byname;
        l = (struct listing){0};
      }
    }
  }
  pthread_mutex_unlock(&c->lock);
  free_listing(&l);
  return d;
}

static struct dir *parent_dir(struct course *c, const char *path,
                              const char **base) {
  size_t dl = path_dirname_len(path);
  char stackbuf[512];
  char *dir = dl < sizeof(stackbuf) ? stackbuf : malloc(dl + 1);
  if (!dir)
    return NULL;
  memcpy(dir, path, dl);
  dir[dl] = '\0';
  struct dir *d = index_dir(c, dir);
  if (dir != stackbuf)
    free(dir);
  *base = path_basename(path);
  return d;
}

enum { ROUTE_CLEAN = 1, ROUTE_LINKED = 2 };

/* Whether the way from the root down to folder d passes a symbolic link
 * (or a name its folder does not list): worked out once per folder, from
 * its parent's answer. Threads that race work out the same answer. */
static bool route_linked(struct course *c, struct dir *d) {
  int r = atomic_load(&d->route);
  if (r)
    return r == ROUTE_LINKED;
  bool linked = false;
  if (d->path[0]) {
    const char *base;
    struct dir *up = parent_dir(c, d->path, &base);
    const struct entry *e =
        up && up->exists ? hmap_get(&up->byname, base, strlen(base)) : NULL;
    linked = !e || e->symlink || route_linked(c, up);
  }
  atomic_store(&d->route, linked ? ROUTE_LINKED : ROUTE_CLEAN);
  return linked;
}

bool index_has_symlink(struct course *c, const char *path) {
  if (!path[0])
    return false;
  const char *base;
  struct dir *d = parent_dir(c, path, &base);
  if (!d || !d->exists || route_linked(c, d))
    return true;
  const struct entry *e = hmap_get(&d->byname, base, strlen(base));
  return !e || e->symlink;
}

enum entry_type index_type(struct course *c, const char *path) {
  if (path[0] == '\0')
    return ENTRY_DIR;
  const char *base;
  struct dir *d = parent_dir(c, path, &base);
  if (!d || !d->exists)
    return ENTRY_NONE;
  struct entry *e = hmap_get(&d->byname, base, strlen(base));
  return e ? e->type : ENTRY_NONE;
}

static char *fold(struct arena *a, const char *s, size_t n) {
  char *f = arena_alloc(a, n + 1);
  for (size_t i = 0; f && i < n; i++)
    f[i] = (char)tolower((unsigned char)s[i]);
  return f;
}

/* The first entry of d (in folder order) whose name equals name[0, n)
 * when ASCII letter case is ignored, as strncasecmp compares in the C
 * locale. The map of folded names is built on first use; a folder with
 * thousands of images is asked once per broken image link. */
static const struct entry *folded_entry(struct course *c, struct dir *d,
                                        const char *name, size_t n) {
  pthread_mutex_lock(&c->lock);
  if (!d->folded_done) {
    d->folded_done = true;
    d->folded = arena_alloc(&c->arena, sizeof(struct hmap));
    if (d->folded)
      hmap_init(d->folded);
    for (size_t i = d->n; d->folded && i-- > 0;) { /* the first one stays */
      const struct entry *e = &d->entries[i];
      char *f = fold(&c->arena, e->name, e->len);
      if (!f || !hmap_put(d->folded, f, e->len, (void *)e)) {
        hmap_free(d->folded);
        d->folded = NULL;
      }
    }
  }
  struct hmap *folded = d->folded;
  pthread_mutex_unlock(&c->lock);
  if (folded) {
    char small[256];
    char *key = n < sizeof(small) ? small : malloc(n + 1);
    if (key) {
      for (size_t i = 0; i < n; i++)
        key[i] = (char)tolower((unsigned char)name[i]);
      const struct entry *e = hmap_get(folded, key, n);
      if (key != small)
        free(key);
      return e;
    }
  }
  for (size_t i = 0; i < d->n; i++)
    if (d->entries[i].len == n && !strncasecmp(d->entries[i].name, name, n))
      return &d->entries[i];
  return NULL;
}

const char *index_case_match(struct course *c, struct arena *a,
                             const char *path) {
  struct buf out;
  buf_init(&out);
  const char *p = path;
  bool differs = false;
  while (*p) {
    size_t n = strcspn(p, "/");
    struct dir *d = index_dir(c, buf_cstr(&out));
    const struct entry *hit = NULL;
    if (d)
      hit = folded_entry(c, d, p, n);
    if (!hit) {
      buf_free(&out);
      return NULL;
    }
    differs |= strncmp(hit->name, p, n) != 0;
    if (out.len)
      buf_putc(&out, '/');
    buf_puts(&out, hit->name);
    p += n;
    p += *p == '/';
  }
  const char *r = differs ? arena_strdup(a, buf_cstr(&out)) : NULL;
  buf_free(&out);
  return r;
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

/* index_near_entries for a name whose letter counts are known. */
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

bool index_near_entries(struct course *c, struct dir *d, const char *want,
                        size_t wlen, size_t max, unsigned what,
                        struct vec *out) {
  unsigned char h[32];
  struct wanted w = {want, wlen, max, h, name_hist(want, wlen, h)};
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

const char *index_nearest_name(struct course *c, struct dir *d,
                               const char *want, size_t wlen) {
  struct path_near n = {0};
  size_t max = path_near_budget(wlen);
  unsigned char h[32];
  struct wanted w = {want, wlen, 0, h, name_hist(want, wlen, h)};
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
    name_hist(e->name, e->len, e->hist);
    sorted[d->n] = (struct named){e->name, d->n};
    d->n++;
  }
  qsort(sorted, d->n, sizeof(*sorted), named_cmp);
  for (size_t k = 0; k < d->n; k++)
    d->by_name[k] = sorted[k].i;
  free(sorted);
  return d;
}

struct dir *index_anchor_names(struct course *c, struct page *p) {
  pthread_mutex_lock(&c->lock);
  if (!p->anchor_names_done) {
    p->anchor_names_done = true;
    p->anchor_names = anchor_dir(c, &p->anchors);
  }
  struct dir *d = p->anchor_names;
  pthread_mutex_unlock(&c->lock);
  return d;
}

struct page *index_page(struct course *c, const char *path) {
  size_t len = strlen(path);
  if (c->frozen) {
    struct page *p = hmap_get(&c->pages, path, len);
    if (p)
      return p;
  }
  pthread_mutex_lock(&c->lock);
  struct hmap *pages = c->frozen ? &c->late_pages : &c->pages;
  struct page *p = hmap_get(pages, path, len);
  if (!p) {
    p = arena_alloc(&c->arena, sizeof(*p));
    struct page **slot = p ? vec_push(&c->page_list) : NULL;
    if (slot) {
      arena_init_in(&p->arena, c->store);
      hmap_init(&p->anchors);
      vec_init(&p->diags, sizeof(struct diag));
      p->role = -1;
      p->path = arena_strdup(&c->arena, path);
      p->display = arena_printf(&c->arena, "%s%s", c->display_prefix, path);
      *slot = p;
      if (!p->path || !p->display || !hmap_put(pages, p->path, len, p)) {
        c->page_list.len--;
        p = NULL;
      }
    } else {
      p = NULL;
    }
  }
  pthread_mutex_unlock(&c->lock);
  return p;
}

static struct module *make_module(struct course *c, struct dir *d,
                                  pcre2_match_data *md) {
  const struct rules *r = c->rules;
  if (!r->nroles)
    return NULL;
  const char **files = arena_alloc(&c->arena, sizeof(char *) * r->nroles);
  if (!files)
    return NULL;
  unsigned found = 0;
  for (size_t i = 0; i < d->n; i++) {
    if (d->entries[i].type != ENTRY_FILE)
      continue;
    int role = rules_role_of(r, d->entries[i].name, md, NULL);
    if (role >= 0 && !files[role]) {
      files[role] = d->path[0] ? arena_printf(&c->arena, "%s/%s", d->path,
                                              d->entries[i].name)
                               : d->entries[i].name;
      found++;
    }
  }
  const char *name = path_basename(d->path);
  long number = -1;
  if (r->module_folder_re &&
      rules_match(r, r->module_folder_re, name, strlen(name), 0, md) == 1) {
    const char *num;
    size_t len;
    if (rules_group(r->module_folder_re, md, name, "num", &num, &len))
      number = strtol(num, NULL, 10);
  }
  if (found == 0 || (found < r->module_min_files && number < 0))
    return NULL;
  struct module *m = arena_alloc(&c->arena, sizeof(*m));
  if (!m)
    return NULL;
  m->path = d->path;
  m->name = name;
  m->number = number;
  m->files = files;
  m->nroles = r->nroles;
  if (hmap_get(&d->byname, "README.md", 9))
    m->home = d->path[0] ? arena_printf(&c->arena, "%s/README.md", d->path)
                         : "README.md";
  for (size_t i = 0; i < r->nroles && !m->home; i++)
    m->home = files[i];
  return m;
}

struct module *index_module(struct course *c, const char *dir,
                            pcre2_match_data *md) {
  struct dir *d = index_dir(c, dir);
  if (!d || !d->exists)
    return NULL;
  pthread_mutex_lock(&c->lock);
  if (!d->module_known) {
    d->module = make_module(c, d, md);
    d->module_known = true;
  }
  pthread_mutex_unlock(&c->lock);
  return d->module;
}

bool index_is_markdown(const char *name) {
  size_t n = strlen(name);
  return (n > 3 && !strcmp(name + n - 3, ".md")) ||
         (n > 9 && !strcmp(name + n - 9, ".markdown"));
}

/* Glob match: '*' within a path component, '**' across components, '?'
 * one character. Iterative with one backtrack point per star kind. */
static bool glob(const char *g, const char *s) {
  const char *gs = NULL, *ss = NULL;
  bool deep = false;
  while (*s) {
    if (g[0] == '*' && g[1] == '*') {
      g += 2;
      if (*g == '/')
        g++;
      gs = g, ss = s, deep = true;
      continue;
    }
    if (*g == '*') {
      gs = ++g, ss = s, deep = false;
      continue;
    }
    if (*g == '?' ? *s != '/' : *g == *s) {
      g++, s++;
      continue;
    }
    if (gs && (deep || *ss != '/')) {
      g = gs, s = ++ss;
      continue;
    }
    return false;
  }
  while (*g == '*' || *g == '/')
    g++;
  return *g == '\0';
}

bool index_ignored(const struct course *c, const char *path, bool is_dir) {
  const char *base = path_basename(path);
  if (base[0] == '.' && base[1] != '\0')
    return true;
  if (is_dir && (!strcmp(base, "node_modules") || !strcmp(base, "site") ||
                 !strcmp(base, "build")))
    return true;
  for (size_t i = 0; i < c->rules->nignore; i++) {
    const char *g = c->rules->ignore[i];
    /* A glob without '/' matches a name at any depth, as in .gitignore. */
    if (strchr(g, '/') ? glob(g[0] == '/' ? g + 1 : g, path) : glob(g, base))
      return true;
  }
  return false;
}

/* One folder of a walk: its pages go to pages, its subfolders (malloc'd
 * paths) to subdirs. */
static clint_status walk_dir(struct course *c, const char *path,
                             struct vec *subdirs, struct vec *pages) {
  struct dir *d = index_dir(c, path);
  if (!d)
    return CLINT_E_NOMEM;
  if (d->error && d->error != ENOENT && d->error != ENOTDIR && path[0]) {
    /* Say so rather than skip it: loading this "page" fails with the
     * reason (Permission denied, File name too long). */
    struct page *p = index_page(c, path);
    struct page **slot = p ? vec_push(pages) : NULL;
    if (!slot)
      return CLINT_E_NOMEM;
    *slot = p;
    return CLINT_OK;
  }
  size_t pl = strlen(path);
  for (size_t i = 0; i < d->n; i++) {
    const struct entry *e = &d->entries[i];
    bool dir = e->type == ENTRY_DIR && !e->symlink;
    bool page = e->type == ENTRY_FILE && index_is_markdown(e->name);
    /* Linked folders are not followed: they may loop or leave the root. */
    if (!dir && !page)
      continue;
    char *child = malloc(pl + e->len + 2);
    if (!child)
      return CLINT_E_NOMEM;
    if (pl) {
      memcpy(child, path, pl);
      child[pl] = '/';
      memcpy(child + pl + 1, e->name, e->len + 1);
    } else {
      memcpy(child, e->name, e->len + 1);
    }
    if (index_ignored(c, child, dir)) {
      free(child);
      continue;
    }
    if (dir) {
      char **slot = vec_push(subdirs);
      if (!slot) {
        free(child);
        return CLINT_E_NOMEM;
      }
      *slot = child;
      continue;
    }
    struct page *p = index_page(c, child);
    free(child);
    struct page **slot = p ? vec_push(pages) : NULL;
    if (!slot)
      return CLINT_E_NOMEM;
    *slot = p;
  }
  return CLINT_OK;
}

/* A walk shared by threads: a queue of folders still to read. */
struct walk {
  struct course *c;
  pthread_mutex_t lock;
  pthread_cond_t more; /* the queue grew, or the walk is over */
  struct vec queue;    /* char *, malloc'd */
  size_t busy;         /* folders being read */
  struct vec *out;
  clint_status st;
};

/* Take folders from the queue until it is empty and no thread is still
 * reading one (which could add more). */
static void *walk_worker(void *arg) {
  struct walk *w = arg;
  struct vec subdirs, pages;
  vec_init(&subdirs, sizeof(char *));
  vec_init(&pages, sizeof(struct page *));
  pthread_mutex_lock(&w->lock);
  for (;;) {
    while (w->queue.len == 0 && w->busy > 0)
      pthread_cond_wait(&w->more, &w->lock);
    if (w->queue.len == 0)
      break;
    char *path = *(char **)vec_at(&w->queue, --w->queue.len);
    w->busy++;
    pthread_mutex_unlock(&w->lock);
    subdirs.len = pages.len = 0;
    clint_status st =
        w->st == CLINT_OK ? walk_dir(w->c, path, &subdirs, &pages) : w->st;
    free(path);
    pthread_mutex_lock(&w->lock);
    w->busy--;
    for (size_t i = 0; i < subdirs.len; i++) {
      char **slot = st == CLINT_OK ? vec_push(&w->queue) : NULL;
      if (slot)
        *slot = *(char **)vec_at(&subdirs, i);
      else {
        st = CLINT_E_NOMEM;
        free(*(char **)vec_at(&subdirs, i));
      }
    }
    for (size_t i = 0; i < pages.len && st == CLINT_OK; i++) {
      struct page **slot = vec_push(w->out);
      if (slot)
        *slot = *(struct page **)vec_at(&pages, i);
      else
        st = CLINT_E_NOMEM;
    }
    if (st != CLINT_OK)
      w->st = st;
    pthread_cond_broadcast(&w->more);
  }
  pthread_cond_broadcast(&w->more);
  pthread_mutex_unlock(&w->lock);
  vec_free(&subdirs);
  vec_free(&pages);
  return NULL;
}

clint_status index_walk(struct course *c, const char *path, struct vec *out,
                        unsigned jobs) {
  struct walk w = {.c = c, .out = out, .st = CLINT_OK};
  vec_init(&w.queue, sizeof(char *));
  char *start = strdup(path);
  char **slot = start ? vec_push(&w.queue) : NULL;
  if (!slot) {
    free(start);
    return CLINT_E_NOMEM;
  }
  *slot = start;
  pthread_mutex_init(&w.lock, NULL);
  pthread_cond_init(&w.more, NULL);
  pthread_t tids[64];
  unsigned started = 0;
  for (unsigned i = 1; i < jobs && i < 64; i++)
    if (pthread_create(&tids[started], NULL, walk_worker, &w) == 0)
      started++;
  walk_worker(&w);
  for (unsigned i = 0; i < started; i++)
    pthread_join(tids[i], NULL);
  pthread_cond_destroy(&w.more);
  pthread_mutex_destroy(&w.lock);
  for (size_t i = 0; i < w.queue.len; i++) /* left after an error */
    free(*(char **)vec_at(&w.queue, i));
  vec_free(&w.queue);
  return w.st;
}

bool index_add_anchor(struct page *p, const char *anchor, void *what) {
  size_t n = strlen(anchor);
  if (hmap_get(&p->anchors, anchor, n))
    return true;
  return hmap_put(&p->anchors, anchor, n, what);
}
