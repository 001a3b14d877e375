/* index.c - third stage of the pipeline: the course's folders, pages and
 * modules (see index.h). Folder listings are cached so each folder is read
 * once however many links point into it. */
#include "index.h"

#include <assert.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "formats.h"
#include "site.h"
#include "suggest.h"
#include "util/buf.h"
#include "util/glob.h"
#include "util/path.h"
#include "util/status.h"

/* How a root-relative path is shown: relative to the base folder, or as
 * it is when there is no base. Past three levels up, the absolute path
 * reads better. In a (scratch: the page copies it). */
static const char *display_path(const struct course *c, struct arena *a,
                                const char *path) {
  if (!c->base || !strcmp(c->base, c->root))
    return path; /* run from the root: most runs, and no copy */
  char *full = arena_printf(a, "%s/%s", c->root, path);
  char *rel = full ? path_relative(a, c->base + 1, full + 1) : NULL;
  return rel && !strncmp(rel, "../../../../", 12) ? full : rel;
}

clint_status index_init(struct course *c, const char *root, const char *base,
                        const struct rules *rules, clint_error *err) {
  memset(c, 0, sizeof(*c));
  c->store = arena_store_new(0); /* NULL is fine: arenas then use malloc */
  arena_init_in(&c->arena, c->store);
  arena_init_in(&c->listings, c->store);
  hmap_init(&c->given);
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
  c->base = base ? realpath(base, NULL) : NULL;
  c->anchors = rules->anchors;
  if (c->anchors == ANCHOR_AUTO) {
    struct dir *d = index_dir(c, "");
    c->anchors =
        d && index_entry(d, "mkdocs.yml", 10) ? ANCHOR_MKDOCS : ANCHOR_GITHUB;
  }
  if ((base && !c->base) || c->arena.failed) {
    index_free(c);
    return status_set(err, CLINT_E_NOMEM, NULL, 0, 0, "out of memory");
  }
  return CLINT_OK;
}

static void free_dirs(struct hmap *dirs) {
  for (size_t i = 0; i < dirs->cap; i++) {
    struct dir *d = dirs->slots[i].key ? dirs->slots[i].value : NULL;
    if (d) {
      free(d->entries);
      free(d->names);
      if (d->folded)
        hmap_free(d->folded);
    }
  }
  hmap_free(dirs);
}

static void free_given(struct hmap *given) {
  for (size_t i = 0; i < given->cap; i++) {
    struct given_text *g = given->slots[i].key ? given->slots[i].value : NULL;
    if (g) {
      free(g->text);
      free(g);
      free((char *)given->slots[i].key);
    }
  }
  hmap_free(given);
}

void index_free(struct course *c) {
  site_free(c);
  suggest_course_free(c);
  free_dirs(&c->dirs);
  free_dirs(&c->late_dirs);
  for (size_t i = 0; i < c->page_list.len; i++)
    page_free(*(struct page **)vec_at(&c->page_list, i));
  if (c->root)
    pthread_mutex_destroy(&c->lock);
  if (c->has_root_fd)
    close(c->root_fd);
  hmap_free(&c->pages);
  hmap_free(&c->late_pages);
  free_given(&c->given);
  vec_free(&c->page_list);
  arena_free(&c->arena);
  arena_free(&c->listings);
  arena_store_free(c->store);
  free(c->root);
  free(c->base);
  memset(c, 0, sizeof(*c));
}

static int entry_cmp(const void *a, const void *b) {
  return strcmp(((const struct entry *)a)->name,
                ((const struct entry *)b)->name);
}

const struct entry *index_entry(const struct dir *d, const char *name,
                                size_t len) {
  size_t lo = 0, hi = d->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    const struct entry *e = &d->entries[mid];
    /* strcmp's order: on a common prefix, the shorter name first. */
    int c = memcmp(e->name, name, e->len < len ? e->len : len);
    if (c == 0)
      c = e->len < len ? -1 : e->len > len;
    if (c == 0)
      return e;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
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

/* A folder's listing, read without the course lock. */
struct listing {
  bool exists;
  int error;
  bool stamped, from_cache; /* as in struct dir */
  struct cache_stamp stamp;
  struct entry *entries; /* sorted by name; malloc'd */
  size_t n;
  char *names; /* the entries' names, one after another; malloc'd */
};

static enum entry_type type_of_entry(const struct course *c, const char *path,
                                     const char *name, unsigned char type,
                                     bool *symlink) {
  *symlink = false;
  switch (type) {
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
    char *p = path_join_full(c, path, name);
    if (!p)
      return ENTRY_OTHER;
    enum entry_type t = type_of(p, symlink);
    free(p);
    return t;
  }
  }
}

/* A folder being listed. On Linux the kernel's records are read straight
 * into buf with getdents64: opendir on a descriptor costs three more
 * system calls a folder (fstat and two fcntl), a sixth of all the calls
 * of a run over a course of 2,500 folders. Elsewhere, readdir. */
struct lister {
  int fd;
#ifdef SYS_getdents64
  size_t len, at;
  _Alignas(8) char buf[32768];
#else
  DIR *dh;
#endif
};

/* Open the folder at path (root-relative) into l; false with errno set. */
static bool lister_open(const struct course *c, const char *path,
                        struct lister *l) {
  int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
  if (c->has_root_fd) {
    l->fd = openat(c->root_fd, *path ? path : ".", flags);
  } else {
    char *full = path_join_full(c, "", path);
    if (!full) {
      errno = ENOMEM;
      return false;
    }
    l->fd = open(full, flags);
    free(full);
  }
  if (l->fd < 0)
    return false;
#ifdef SYS_getdents64
  l->len = l->at = 0;
  return true;
#else
  l->dh = fdopendir(l->fd);
  if (!l->dh) {
    int e = errno;
    close(l->fd);
    errno = e;
  }
  return l->dh != NULL;
#endif
}

/* The next entry's name and d_type: 1, or 0 at the end, or -1 with errno
 * set. The name lasts until the next call. */
static int lister_next(struct lister *l, const char **name,
                       unsigned char *type) {
#ifdef SYS_getdents64
  /* A record: 8-byte inode, 8-byte offset, 2-byte length, 1-byte type,
   * then the name and its NUL. */
  enum { REC_LEN = 16, REC_TYPE = 18, REC_NAME = 19 };
  if (l->at >= l->len) {
    long n = syscall(SYS_getdents64, l->fd, l->buf, sizeof(l->buf));
    if (n <= 0)
      return n < 0 ? -1 : 0;
    l->len = (size_t)n;
    l->at = 0;
  }
  const char *rec = l->buf + l->at;
  unsigned short reclen;
  memcpy(&reclen, rec + REC_LEN, sizeof(reclen));
  if (reclen < REC_NAME + 1 || reclen > l->len - l->at) {
    errno = EIO; /* the kernel never writes this */
    return -1;
  }
  l->at += reclen;
  *type = (unsigned char)rec[REC_TYPE];
  *name = rec + REC_NAME;
  return 1;
#else
  errno = 0;
  struct dirent *de = readdir(l->dh);
  if (!de)
    return errno ? -1 : 0;
  *type = de->d_type;
  *name = de->d_name;
  return 1;
#endif
}

static void lister_close(struct lister *l) {
#ifdef SYS_getdents64
  close(l->fd);
#else
  closedir(l->dh);
#endif
}

/* Add to a folder's entries the pages given from memory in it that its
 * listing lacks: an editor's new page, not saved yet. Few, so the map is
 * searched whole. */
static void add_given(const struct course *c, const char *path, struct vec *v,
                      struct buf *names) {
  size_t pl = strlen(path);
  for (size_t i = 0; i < c->given.cap; i++) {
    const struct hmap_slot *s = &c->given.slots[i];
    const struct given_text *g = s->key ? s->value : NULL;
    if (!g || !g->text || path_dirname_len(s->key) != pl ||
        strncmp(s->key, path, pl) != 0)
      continue;
    const char *base = path_basename(s->key);
    size_t len = strlen(base), at = 0;
    bool listed = false;
    for (size_t k = 0; k < v->len && !listed;
         k++, at += strlen(names->data + at) + 1)
      listed = !strcmp(names->data + at, base);
    struct entry *e = listed ? NULL : vec_push(v);
    if (!e)
      continue;
    size_t off = names->len;
    if (!buf_append(names, base, len + 1)) {
      v->len--;
      continue;
    }
    e->name = (const char *)(uintptr_t)off; /* an offset, as read_listing's */
    e->len = len;
    suggest_name_hist(base, len, e->hist);
    e->type = ENTRY_FILE;
  }
}

/* Add an entry to a listing being read: its name goes to names, and
 * the entry keeps the name's offset there until names stops growing. */
static bool listing_add(struct vec *v, struct buf *names, const char *name,
                        size_t len, enum entry_type type, bool symlink) {
  struct entry *e = vec_push(v);
  size_t at = names->len;
  if (!e || !buf_append(names, name, len + 1)) {
    v->len -= e != NULL;
    errno = ENOMEM;
    return false;
  }
  e->name = (const char *)(uintptr_t)at;
  e->len = len;
  suggest_name_hist(name, len, e->hist);
  e->type = type;
  e->symlink = symlink;
  return true;
}

/* The folder's listing as the cache has it, when its stamp is the same
 * as now: into v and names. A symbolic link's type is asked again, for
 * where it leads may have changed without the folder. */
static bool listing_cached(const struct course *c, const char *path,
                           struct listing *l, struct vec *v,
                           struct buf *names) {
  if (!cache_stamp_at(c->root_fd, *path ? path : ".", true, &l->stamp))
    return false;
  l->stamped = true;
  size_t n;
  const char *rec = cache_dir(c->cache, path, &l->stamp, &n);
  if (!rec)
    return false;
  for (size_t i = 0; i < n; i++) {
    struct cache_entry ce;
    if (!cache_dir_entry(c->cache, rec, i, &ce)) {
      /* A faulty cache: list the folder after all. */
      v->len = names->len = 0;
      return false;
    }
    enum entry_type type = (enum entry_type)ce.type;
    bool symlink = ce.symlink;
    if (symlink)
      type = type_of_entry(c, path, ce.name, DT_LNK, &symlink);
    if (!listing_add(v, names, ce.name, ce.len, type, symlink)) {
      l->error = ENOMEM;
      break;
    }
  }
  return true;
}

static void read_listing(const struct course *c, const char *path,
                         struct listing *l) {
  memset(l, 0, sizeof(*l));
  struct vec v;
  struct buf names;
  vec_init(&v, sizeof(struct entry));
  buf_init(&names);
  if (c->cache && c->has_root_fd && listing_cached(c, path, l, &v, &names)) {
    l->exists = l->from_cache = true;
    goto listed;
  }
  struct lister lr;
  if (!lister_open(c, path, &lr)) {
    l->error = errno;
    vec_free(&v);
    buf_free(&names);
    return;
  }
  l->exists = true;
  /* A listing cut short (an I/O error, no memory) is kept with its
   * error: the walk reports the folder, and lookups of names it lacks
   * ask the file system (index_type). */
  const char *name;
  unsigned char type;
  int got;
  while ((got = lister_next(&lr, &name, &type)) > 0) {
    if (!strcmp(name, ".") || !strcmp(name, ".."))
      continue;
    bool symlink;
    enum entry_type t = type_of_entry(c, path, name, type, &symlink);
    if (!listing_add(&v, &names, name, strlen(name), t, symlink)) {
      got = -1;
      break;
    }
  }
  l->error = got < 0 ? errno : 0;
  lister_close(&lr);
listed:
  add_given(c, path, &v, &names);
  struct entry *entries = v.data;
  for (size_t i = 0; i < v.len; i++)
    entries[i].name = names.data + (uintptr_t)entries[i].name;
  /* A listing from the cache is in order already. */
  size_t k = 1;
  while (k < v.len && entry_cmp(&entries[k - 1], &entries[k]) < 0)
    k++;
  if (k < v.len) /* and qsort(NULL, 0, ...) is undefined */
    qsort(entries, v.len, sizeof(struct entry), entry_cmp);
  l->entries = entries;
  l->n = v.len;
  l->names = names.data;
}

static void free_listing(struct listing *l) {
  free(l->entries);
  free(l->names);
}

void index_freeze(struct course *c) { c->frozen = true; }

void index_once(struct course *c, atomic_bool *done,
                void (*build)(struct course *c, void *arg), void *arg) {
  if (atomic_load_explicit(done, memory_order_acquire))
    return;
  pthread_mutex_lock(&c->lock);
  if (!atomic_load_explicit(done, memory_order_relaxed)) {
    build(c, arg);
    atomic_store_explicit(done, true, memory_order_release);
  }
  pthread_mutex_unlock(&c->lock);
}

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
    d = arena_alloc(&c->listings, sizeof(*d));
    if (d) {
      d->path = arena_strdup(&c->listings, path);
      if (!d->path || !hmap_put(dirs, d->path, len, d)) {
        d = NULL;
      } else {
        d->exists = l.exists;
        d->error = l.error;
        d->stamped = l.stamped;
        d->from_cache = l.from_cache;
        d->stamp = l.stamp;
        d->entries = l.entries;
        d->n = l.n;
        d->names = l.names;
        l = (struct listing){0};
      }
    }
  }
  pthread_mutex_unlock(&c->lock);
  free_listing(&l);
  return d;
}

struct dir *index_parent_dir(struct course *c, const char *path,
                             const char **base) {
  *base = path_basename(path);
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
    struct dir *up = index_parent_dir(c, d->path, &base);
    const struct entry *e =
        up && up->exists ? index_entry(up, base, strlen(base)) : NULL;
    linked = !e || e->symlink || route_linked(c, up);
  }
  atomic_store(&d->route, linked ? ROUTE_LINKED : ROUTE_CLEAN);
  return linked;
}

bool index_has_symlink(struct course *c, const char *path) {
  if (!path[0])
    return false;
  const char *base;
  struct dir *d = index_parent_dir(c, path, &base);
  return index_has_symlink_in(c, d, base);
}

bool index_has_symlink_in(struct course *c, struct dir *d, const char *base) {
  if (!d || !d->exists || route_linked(c, d))
    return true;
  const struct entry *e = index_entry(d, base, strlen(base));
  return !e || e->symlink;
}

enum entry_type index_type_in(struct course *c, struct dir *d,
                              const char *name) {
  if (!d || !d->exists)
    return ENTRY_NONE;
  const struct entry *e = index_entry(d, name, strlen(name));
  if (e || !d->error)
    return e ? e->type : ENTRY_NONE;
  /* The folder's listing was cut short: it cannot say "missing". */
  char *full = path_join_full(c, d->path, name);
  bool symlink;
  enum entry_type t = full ? type_of(full, &symlink) : ENTRY_OTHER;
  free(full);
  return t;
}

enum entry_type index_type(struct course *c, const char *path) {
  if (path[0] == '\0')
    return ENTRY_DIR;
  const char *base;
  struct dir *d = index_parent_dir(c, path, &base);
  return index_type_in(c, d, base);
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
/* Folder d's case-folded names (index_once). */
static void fold_names(struct course *c, void *arg) {
  struct dir *d = arg;
  d->folded = arena_alloc(&c->listings, sizeof(struct hmap));
  if (d->folded)
    hmap_init(d->folded);
  for (size_t i = d->n; d->folded && i-- > 0;) { /* the first one stays */
    const struct entry *e = &d->entries[i];
    char *f = fold(&c->listings, e->name, e->len);
    if (!f || !hmap_put(d->folded, f, e->len, (void *)e)) {
      hmap_free(d->folded);
      d->folded = NULL;
    }
  }
}

static const struct entry *folded_entry(struct course *c, struct dir *d,
                                        const char *name, size_t n) {
  index_once(c, &d->folded_done, fold_names, d);
  struct hmap *folded = d->folded;
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
    struct arena scratch;
    arena_init(&scratch);
    const char *display = display_path(c, &scratch, path);
    p = display ? page_new(&c->arena, c->store, path, display) : NULL;
    arena_free(&scratch);
    struct page **slot = p ? vec_push(&c->page_list) : NULL;
    if (slot && hmap_put(pages, p->path, len, p)) {
      *slot = p;
    } else {
      if (slot)
        c->page_list.len--;
      if (p)
        page_free(p);
      p = NULL;
    }
  }
  pthread_mutex_unlock(&c->lock);
  return p;
}

bool index_is_markdown(const char *name) {
  return formats_of(name) != FORMAT_NONE;
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
    if (strchr(g, '/') ? glob_match(g[0] == '/' ? g + 1 : g, path)
                       : glob_match(g, base))
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

/* A walk shared by threads: a queue of folders still to read, and the
 * pages found, which index_walk_next may hand out as it goes. */
struct walk {
  struct course *c;
  pthread_mutex_t lock;
  pthread_cond_t more; /* the queue or the pages grew, or the walk is over */
  struct vec queue;    /* char *, malloc'd */
  size_t busy;         /* folders being read */
  unsigned readers;    /* how many may be read at once */
  bool hand_out;       /* whether index_walk_next gives pages */
  size_t given;        /* the pages of out handed out so far */
  struct vec *out;
  clint_status st;
};

struct walk *index_walk_begin(struct course *c, const char *path,
                              struct vec *out, unsigned readers,
                              bool hand_out) {
  struct walk *w = calloc(1, sizeof(*w));
  char *start = w ? strdup(path) : NULL;
  if (!start) {
    free(w);
    return NULL;
  }
  *w = (struct walk){.c = c,
                     .readers = readers ? readers : 1,
                     .hand_out = hand_out,
                     .out = out,
                     .st = CLINT_OK};
  vec_init(&w->queue, sizeof(char *));
  char **slot = vec_push(&w->queue);
  if (!slot) {
    free(start);
    free(w);
    return NULL;
  }
  *slot = start;
  pthread_mutex_init(&w->lock, NULL);
  pthread_cond_init(&w->more, NULL);
  return w;
}

/* Read one folder taken from the queue, with w->lock held on entry and
 * on return (dropped while reading): its subfolders join the queue, its
 * pages the walk's output. */
static void read_one(struct walk *w, struct vec *subdirs, struct vec *pages) {
  char *path = *(char **)vec_at(&w->queue, --w->queue.len);
  w->busy++;
  clint_status st = w->st; /* read under the lock: others write it */
  pthread_mutex_unlock(&w->lock);
  subdirs->len = pages->len = 0;
  if (st == CLINT_OK)
    st = walk_dir(w->c, path, subdirs, pages);
  free(path);
  pthread_mutex_lock(&w->lock);
  w->busy--;
  for (size_t i = 0; i < subdirs->len; i++) {
    char **slot = st == CLINT_OK ? vec_push(&w->queue) : NULL;
    if (slot)
      *slot = *(char **)vec_at(subdirs, i);
    else {
      st = CLINT_E_NOMEM;
      free(*(char **)vec_at(subdirs, i));
    }
  }
  for (size_t i = 0; i < pages->len && st == CLINT_OK; i++) {
    struct page **slot = vec_push(w->out);
    if (slot)
      *slot = *(struct page **)vec_at(pages, i);
    else
      st = CLINT_E_NOMEM;
  }
  if (st != CLINT_OK)
    w->st = st;
  pthread_cond_broadcast(&w->more);
}

struct page *index_walk_next(struct walk *w) {
  struct vec subdirs, pages;
  vec_init(&subdirs, sizeof(char *));
  vec_init(&pages, sizeof(struct page *));
  struct page *p = NULL;
  pthread_mutex_lock(&w->lock);
  for (;;) {
    /* Folders first, while there is room: they find the pages. */
    if (w->queue.len && w->busy < w->readers) {
      read_one(w, &subdirs, &pages);
      continue;
    }
    if (w->hand_out && w->given < w->out->len) {
      p = *(struct page **)vec_at(w->out, w->given++);
      break;
    }
    if (w->queue.len == 0 && w->busy == 0)
      break;
    pthread_cond_wait(&w->more, &w->lock);
  }
  pthread_mutex_unlock(&w->lock);
  vec_free(&subdirs);
  vec_free(&pages);
  return p;
}

clint_status index_walk_end(struct walk *w) {
  if (!w)
    return CLINT_E_NOMEM;
  clint_status st = w->st;
  pthread_cond_destroy(&w->more);
  pthread_mutex_destroy(&w->lock);
  for (size_t i = 0; i < w->queue.len; i++) /* left after an error */
    free(*(char **)vec_at(&w->queue, i));
  vec_free(&w->queue);
  free(w);
  return st;
}

static void *walk_worker(void *arg) {
  while (index_walk_next(arg))
    ;
  return NULL;
}

clint_status index_walk(struct course *c, const char *path, struct vec *out,
                        unsigned jobs) {
  if (jobs > CLINT_MAX_JOBS)
    jobs = CLINT_MAX_JOBS;
  struct walk *w = index_walk_begin(c, path, out, jobs ? jobs : 1, false);
  if (!w)
    return CLINT_E_NOMEM;
  pthread_t tids[CLINT_MAX_JOBS];
  unsigned started = 0;
  for (unsigned i = 1; i < jobs; i++)
    if (pthread_create(&tids[started], NULL, walk_worker, w) == 0)
      started++;
  walk_worker(w);
  for (unsigned i = 0; i < started; i++)
    pthread_join(tids[i], NULL);
  return index_walk_end(w);
}

const char *index_given_text(const struct course *c, const char *path,
                             size_t *len) {
  if (!c->given.len)
    return NULL;
  const struct given_text *g = hmap_get(&c->given, path, strlen(path));
  if (!g || !g->text)
    return NULL;
  *len = g->len;
  return g->text;
}

bool index_give_text(struct course *c, const char *path, const char *text,
                     size_t len) {
  struct hmap_slot *slot = hmap_slot(&c->given, path, strlen(path));
  struct given_text *g = slot ? slot->value : NULL;
  if (!text) {
    if (g) {
      free(g->text);
      g->text = NULL; /* the slot stays: hmap has no removal */
      g->len = 0;
    }
    return true;
  }
  char *copy = malloc(len + 1);
  if (!copy)
    return false;
  memcpy(copy, text, len);
  copy[len] = '\0';
  if (!g) {
    char *key = strdup(path);
    g = malloc(sizeof(*g));
    if (!key || !g || !hmap_put(&c->given, key, strlen(key), g)) {
      free(key);
      free(g);
      free(copy);
      return false;
    }
    g->text = NULL;
  }
  free(g->text);
  g->text = copy;
  g->len = len;
  return true;
}

bool index_read_raw(const struct course *c, const char *path, struct buf *b) {
  b->len = 0;
  int fd = openat(c->root_fd, path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    return false;
  struct stat st;
  bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
            (size_t)st.st_size <= SCAN_MAX_BYTES &&
            buf_reserve(b, (size_t)st.st_size + 1);
  while (ok && b->len < (size_t)st.st_size) {
    ssize_t n = read(fd, b->data + b->len, (size_t)st.st_size - b->len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break; /* shorter than it said: search what there is */
    b->len += (size_t)n;
  }
  close(fd);
  return ok;
}

void index_forget_listings(struct course *c) {
  suggest_course_free(c); /* its names live in the listings */
  free_dirs(&c->dirs);
  free_dirs(&c->late_dirs);
  hmap_init(&c->dirs);
  hmap_init(&c->late_dirs);
  arena_free(&c->listings);
  c->modules = NULL; /* they lived in the listings */
  c->nmodules = 0;
  c->modules_known = false;
  for (size_t i = 0; i < c->page_list.len; i++)
    page_drop(*(struct page **)vec_at(&c->page_list, i));
}

/* Move the entries of from into to. On no memory, those not moved stay
 * in from, and false is returned. */
static bool fold_in(struct hmap *to, struct hmap *from) {
  bool all = true;
  for (size_t i = 0; i < from->cap; i++) {
    struct hmap_slot *s = &from->slots[i];
    if (s->key)
      all &= hmap_put(to, s->key, s->keylen, s->value);
  }
  if (all) {
    hmap_free(from);
    hmap_init(from);
  }
  return all;
}

bool index_thaw(struct course *c) {
  /* Until both are folded in, lookups must still try the late maps. */
  if (fold_in(&c->dirs, &c->late_dirs) && fold_in(&c->pages, &c->late_pages))
    c->frozen = false;
  return !c->frozen;
}
