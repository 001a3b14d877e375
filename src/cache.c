/* cache.c - the listings and page summaries a run keeps for the next
 * (see cache.h).
 *
 * The file, in the machine's byte order (a check word says which):
 *   header    64 bytes: magic, check word, counts, lengths, a checksum
 *             of what follows up to the summaries (the summaries are
 *             left out for speed: a file is only replaced whole, by a
 *             rename, so only damage on disk could change one)
 *   folders   56 bytes each, sorted by path: path, first entry, entry
 *             count, stamp
 *   entries   12 bytes each, a folder's sorted by name: name, type,
 *             whether a symbolic link, the page it is (or none); padded
 *             to 8 bytes
 *   pages     48 bytes each: summary offset and length, stamp
 *   strings   the folders' paths and the entries' names, each with its
 *             NUL, padded to 8 bytes
 *   summaries 64-bit words
 * A page is found through its folder and name, by binary search: no
 * table is built when the file is read. Every offset is checked before
 * it is followed: the folders' paths when the file is read, an entry or
 * a page when it is looked at. */
#include "cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#if defined(__linux__)
#include <sys/vfs.h>
#endif
#include <unistd.h>

#include "index.h"
#include "util/io.h"

/* A cache file larger than this is a fault: no course of ours needs it. */
#define CACHE_MAX_BYTES ((size_t)256 << 20)

enum {
  HEAD = 64,
  DIR_REC = 56,
  ENTRY_REC = 12,
  FILE_REC = 48,
  DIR_STAMP = 16, /* where the stamp starts in a folder's record */
  FILE_STAMP = 8, /* and in a page's */
};

/* An entry that is no page. */
#define NO_FILE UINT32_MAX

static const char magic[8] = {'C', 'L', 'C', 'A', 'C', 'H', 'E', '2'};
static const uint32_t check_word = 0x01020304;

bool cache_stamp_at(int dirfd, const char *path, bool dir,
                    struct cache_stamp *out) {
  struct stat st;
  if (fstatat(dirfd, path, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
      !(dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode)))
    return false;
  *out = (struct cache_stamp){
      (uint64_t)st.st_ino,          dir ? 0 : (uint64_t)st.st_size,
      (int64_t)st.st_mtim.tv_sec,   (int64_t)st.st_ctim.tv_sec,
      (uint32_t)st.st_mtim.tv_nsec, (uint32_t)st.st_ctim.tv_nsec};
  return true;
}

bool cache_stamp_settled(const struct cache_stamp *s, int64_t since) {
  /* Two seconds: file times come from a clock that may lag the one
   * since was read from by a tick. */
  return s->mtime_s < since - 2 && s->ctime_s < since - 2;
}

static bool stamp_same(const struct cache_stamp *a,
                       const struct cache_stamp *b) {
  return a->ino == b->ino && a->size == b->size && a->mtime_s == b->mtime_s &&
         a->ctime_s == b->ctime_s && a->mtime_ns == b->mtime_ns &&
         a->ctime_ns == b->ctime_ns;
}

/* ---- reading the fields of a record ------------------------------------ */

static uint32_t get32(const char *p) {
  uint32_t v;
  memcpy(&v, p, sizeof(v));
  return v;
}

static uint64_t get64(const char *p) {
  uint64_t v;
  memcpy(&v, p, sizeof(v));
  return v;
}

static void put32(char *p, uint32_t v) { memcpy(p, &v, sizeof(v)); }
static void put64(char *p, uint64_t v) { memcpy(p, &v, sizeof(v)); }

static struct cache_stamp get_stamp(const char *p) {
  return (struct cache_stamp){get64(p),
                              get64(p + 8),
                              (int64_t)get64(p + 16),
                              (int64_t)get64(p + 24),
                              get32(p + 32),
                              get32(p + 36)};
}

static void put_stamp(char *p, const struct cache_stamp *s) {
  put64(p, s->ino);
  put64(p + 8, s->size);
  put64(p + 16, (uint64_t)s->mtime_s);
  put64(p + 24, (uint64_t)s->ctime_s);
  put32(p + 32, s->mtime_ns);
  put32(p + 36, s->ctime_ns);
}

/* ---- the file's name ---------------------------------------------------- */

enum { NAME_HEX = 16 };
static const char suffix[] = ".cache";
static const char tmp_suffix[] = ".XXXXXX"; /* mkstemp's, after suffix */

char *cache_file_of(const char *dir, const char *root) {
  size_t n = strlen(dir) + 1 + NAME_HEX + sizeof(suffix);
  char *f = malloc(n);
  if (f)
    snprintf(f, n, "%s/%016llx%s", dir,
             (unsigned long long)hash_bytes(root, strlen(root)), suffix);
  return f;
}

/* Whether name is a cache file's (tmp: a temporary one's). */
static bool cache_name(const char *name, bool tmp) {
  size_t sl = sizeof(suffix) - 1;
  if (strspn(name, "0123456789abcdef") != NAME_HEX ||
      strncmp(name + NAME_HEX, suffix, sl) != 0)
    return false;
  const char *rest = name + NAME_HEX + sl;
  return tmp ? rest[0] == '.' && strlen(rest) == sizeof(tmp_suffix) - 1
             : rest[0] == '\0';
}

void cache_prune(const char *dir, int64_t now) {
  DIR *d = opendir(dir);
  if (!d)
    return;
  int fd = dirfd(d);
  struct dirent *e;
  while ((e = readdir(d))) {
    bool tmp = cache_name(e->d_name, true);
    struct stat st;
    if ((!tmp && !cache_name(e->d_name, false)) ||
        fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
        !S_ISREG(st.st_mode))
      continue;
    int64_t used = st.st_atime > st.st_mtime ? st.st_atime : st.st_mtime;
    if (now - used > (tmp ? 3600 : 30 * 86400))
      unlinkat(fd, e->d_name, 0);
  }
  closedir(d);
}

/* ---- loading ------------------------------------------------------------ */

/* The room the entries take: padded to 8 bytes, so that the pages and the
 * summaries after them stay aligned. */
static size_t entries_room(uint64_t n) {
  return (size_t)(n * ENTRY_REC + 7) / 8 * 8;
}

/* Read the layout of k's file (k->data, k->len bytes) from its header
 * into k's counts and offsets; false when it does not fit the file. */
static bool read_layout(struct cache *k) {
  static const char zero[16];
  const char *d = k->data;
  size_t len = k->len;
  if (len < HEAD || memcmp(d, magic, sizeof(magic)) != 0 ||
      get32(d + 8) != check_word || memcmp(d + 48, zero, sizeof(zero)) != 0)
    return false;
  k->ndirs = get32(d + 12);
  k->nentries = get32(d + 16);
  k->nfiles = get32(d + 20);
  k->nstrings = get64(d + 24);
  k->nwords = get64(d + 32);
  /* Each count is below 2^32 and len below CACHE_MAX_BYTES, so these
   * sums cannot wrap before they are compared with len. */
  if (k->nstrings > len || k->nwords > len / 8 || k->nstrings % 8)
    return false;
  k->dirs_at = HEAD;
  k->entries_at = k->dirs_at + (size_t)k->ndirs * DIR_REC;
  k->files_at = k->entries_at + entries_room(k->nentries);
  k->strings_at = k->files_at + (size_t)k->nfiles * FILE_REC;
  k->words_at = k->strings_at + (size_t)k->nstrings;
  return k->words_at + (size_t)k->nwords * 8 == len && k->words_at % 8 == 0 &&
         hash_digest(d + HEAD, k->words_at - HEAD) == get64(d + 40);
}

/* The string at off, len bytes then a NUL, when it lies in the strings
 * and holds no NUL of its own; else NULL. */
static const char *string_at(const struct cache *k, uint32_t off,
                             uint32_t len) {
  if ((uint64_t)off + len >= k->nstrings)
    return NULL;
  const char *s = k->data + k->strings_at + off;
  return s[len] == '\0' && !memchr(s, '\0', len) ? s : NULL;
}

/* A name a folder may list: no '/', not "." or "..", not empty. */
static bool name_ok(const char *s, size_t len) {
  return len > 0 && !memchr(s, '/', len) && strcmp(s, ".") != 0 &&
         strcmp(s, "..") != 0;
}

/* A root-relative path as the index writes it: no leading or doubled
 * '/', no "." or ".." part ("" is the root). */
static bool path_ok(const char *s, size_t len) {
  for (size_t at = 0; at < len;) {
    const char *slash = memchr(s + at, '/', len - at);
    size_t end = slash ? (size_t)(slash - s) : len;
    if (end == at || (end - at == 1 && s[at] == '.') ||
        (end - at == 2 && s[at] == '.' && s[at + 1] == '.'))
      return false;
    at = end + 1;
    if (slash && at == len)
      return false;
  }
  return true;
}

/* Whether the file open as fd lies on a local file system, where
 * mapping it is safe: the page cache holds it, and only an in-place
 * truncation (which courselint never does: it replaces the file by a
 * rename) could pull pages from under the mapping. A network file
 * system may drop its pages when another machine replaces the file. */
static bool on_local_fs(int fd) {
#if defined(__linux__)
  static const unsigned long local[] = {
      0xEF53,     /* ext2, ext3, ext4 */
      0x58465342, /* xfs */
      0x9123683E, /* btrfs */
      0x01021994, /* tmpfs */
      0x794C7630, /* overlayfs (containers) */
      0x2FC12FC1, /* zfs */
      0xF2F52010, /* f2fs */
  };
  struct statfs fs;
  if (fstatfs(fd, &fs) != 0)
    return false;
  for (size_t i = 0; i < sizeof(local) / sizeof(local[0]); i++)
    if ((unsigned long)fs.f_type == local[i])
      return true;
#else
  (void)fd;
#endif
  return false;
}

/* The file's len bytes in memory of their own (unmapped by room_free):
 * mapped from the page cache on a local file system, which costs a
 * twentieth of copying them into fresh pages on the machines measured
 * (0.7 ms against 12 ms for 3.5 MB); read into new memory elsewhere. */
static char *room_read(int fd, size_t len, enum cache_read how) {
  if (!len)
    return NULL;
#ifdef MAP_POPULATE
  if (how == CACHE_MAP_LOCAL && on_local_fs(fd)) {
    void *m = mmap(NULL, len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (m != MAP_FAILED)
      return m;
  }
  char *d = mmap(NULL, len, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
  if (d == MAP_FAILED)
    return NULL;
#else
  (void)how;
  char *d = malloc(len);
  if (!d)
    return NULL;
#endif
  if (io_read_all(fd, d, len))
    return d;
#ifdef MAP_POPULATE
  munmap(d, len);
#else
  free(d);
#endif
  return NULL;
}

static void room_free(const char *d, size_t len) {
  if (!d)
    return;
#ifdef MAP_POPULATE
  munmap((void *)d, len);
#else
  (void)len;
  free((void *)d);
#endif
}

static const char *read_file(const char *path, size_t *len,
                             enum cache_read how) {
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0)
    return NULL;
  struct stat st;
  const char *d = NULL;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
      (size_t)st.st_size <= CACHE_MAX_BYTES)
    d = room_read(fd, (size_t)st.st_size, how);
  close(fd);
  *len = d ? (size_t)st.st_size : 0;
  return d;
}

/* The folders' paths: each valid, and in strictly rising order, so that
 * a binary search over them is sound. */
static bool dirs_ok(const struct cache *k) {
  const char *prev = NULL;
  for (uint32_t i = 0; i < k->ndirs; i++) {
    const char *r = k->data + k->dirs_at + (size_t)i * DIR_REC;
    uint32_t len = get32(r + 4);
    const char *path = string_at(k, get32(r), len);
    if (!path || !path_ok(path, len) || (prev && strcmp(prev, path) >= 0) ||
        (uint64_t)get32(r + 8) + get32(r + 12) > k->nentries)
      return false;
    prev = path;
  }
  return true;
}

void cache_load(struct cache *k, const char *path, int64_t since) {
  cache_load_as(k, path, since, CACHE_MAP_LOCAL);
}

void cache_load_as(struct cache *k, const char *path, int64_t since,
                   enum cache_read how) {
  memset(k, 0, sizeof(*k));
  k->data = path ? read_file(path, &k->len, how) : NULL;
  if (k->data && !(read_layout(k) && dirs_ok(k)))
    cache_free(k);
  atomic_init(&k->fresh, 0);
  k->since = since;
}

void cache_free(struct cache *k) {
  room_free(k->data, k->len);
  memset(k, 0, sizeof(*k));
}

/* ---- lookups ------------------------------------------------------------ */

/* The record of the folder at path, or NULL. */
static const char *find_dir(const struct cache *k, const char *path) {
  size_t lo = 0, hi = k->ndirs;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    const char *r = k->data + k->dirs_at + mid * DIR_REC;
    int c = strcmp(path, k->data + k->strings_at + get32(r));
    if (c == 0)
      return r;
    if (c < 0)
      hi = mid;
    else
      lo = mid + 1;
  }
  return NULL;
}

/* Entry i of folder record dir, checked; false when it is not sound. */
static bool entry_at(const struct cache *k, const char *dir, size_t i,
                     struct cache_entry *e, uint32_t *file) {
  if (i >= get32(dir + 12))
    return false;
  const char *r = k->data + k->entries_at + (get32(dir + 8) + i) * ENTRY_REC;
  uint16_t len;
  memcpy(&len, r + 4, sizeof(len));
  const char *name = string_at(k, get32(r), len);
  if (!name || !name_ok(name, len) || (unsigned char)r[6] > ENTRY_OTHER ||
      (unsigned char)r[7] > 1)
    return false;
  *e = (struct cache_entry){name, len, (unsigned char)r[6], r[7] != 0};
  *file = get32(r + 8);
  return true;
}

const char *cache_dir(const struct cache *k, const char *path,
                      const struct cache_stamp *st, size_t *n) {
  const char *r = k->data ? find_dir(k, path) : NULL;
  if (!r)
    return NULL;
  struct cache_stamp was = get_stamp(r + DIR_STAMP);
  if (!stamp_same(&was, st))
    return NULL;
  *n = get32(r + 12);
  return r;
}

bool cache_dir_entry(const struct cache *k, const char *dir, size_t i,
                     struct cache_entry *e) {
  uint32_t file;
  return entry_at(k, dir, i, e, &file);
}

/* The record of the page at path (its folder's, then its name's, by
 * binary search), or NULL. */
static const char *find_file(const struct cache *k, const char *path) {
  if (!k->data)
    return NULL;
  const char *slash = strrchr(path, '/');
  char small[512];
  size_t dl = slash ? (size_t)(slash - path) : 0;
  if (dl >= sizeof(small))
    return NULL;
  memcpy(small, path, dl);
  small[dl] = '\0';
  const char *dir = find_dir(k, small), *name = slash ? slash + 1 : path;
  if (!dir)
    return NULL;
  size_t lo = 0, hi = get32(dir + 12);
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    struct cache_entry e;
    uint32_t file;
    if (!entry_at(k, dir, mid, &e, &file))
      return NULL;
    int c = strcmp(name, e.name);
    if (c == 0) {
      if (file >= k->nfiles)
        return NULL;
      const char *r = k->data + k->files_at + (size_t)file * FILE_REC;
      uint32_t at = get32(r), nw = get32(r + 4);
      return nw && !(nw & (nw - 1)) && (uint64_t)at + nw <= k->nwords ? r
                                                                      : NULL;
    }
    if (c < 0)
      hi = mid;
    else
      lo = mid + 1;
  }
  return NULL;
}

static const uint64_t *summary_of(const struct cache *k, const char *r,
                                  size_t *nwords) {
  *nwords = get32(r + 4);
  /* The summaries start 8-byte aligned, in page-aligned memory. */
  return (const uint64_t *)(const void *)(k->data + k->words_at) + get32(r);
}

const uint64_t *cache_summary(const struct cache *k, const char *path,
                              const struct cache_stamp *st, size_t *nwords) {
  const char *r = find_file(k, path);
  if (!r)
    return NULL;
  struct cache_stamp was = get_stamp(r + FILE_STAMP);
  return stamp_same(&was, st) ? summary_of(k, r, nwords) : NULL;
}

const uint64_t *cache_summary_kept(const struct cache *k, const char *path,
                                   struct cache_stamp *st, size_t *nwords) {
  const char *r = find_file(k, path);
  if (!r)
    return NULL;
  *st = get_stamp(r + FILE_STAMP);
  return summary_of(k, r, nwords);
}

/* ---- summaries ---------------------------------------------------------- */

/* The bytes words are made of: ASCII letters, digits, '_' and '-'. */
static const unsigned char word_bytes[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* The hashes of the words of s[0..len), one pass, into *v (malloc'd,
 * grown; *cap its room); how many, or (size_t)-1 on no memory. A word's
 * bytes are gathered eight at a time and mixed then, and once more at
 * its end so that the low bits, which pick the filter's bits, depend on
 * them all: the summaries of a 7,000-page course are made while its
 * pages are read for the search, and must cost little more. */
static size_t hash_words(const char *s, size_t len, uint64_t **v, size_t *cap) {
  const uint64_t k = 0x9E3779B97F4A7C15ULL;
  const unsigned char *p = (const unsigned char *)s, *end = p + len;
  size_t n = 0;
  for (;;) {
    while (p < end && !word_bytes[*p])
      p++;
    if (p == end)
      return n;
    uint64_t h = k, acc = 0;
    unsigned got = 0;
    while (p < end && word_bytes[*p]) {
      acc = acc << 8 | *p++;
      if (++got == 8) {
        h = (h ^ acc) * k;
        acc = got = 0;
      }
    }
    h = (h ^ acc) * k;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    if (n == *cap) {
      size_t more = *cap ? *cap * 2 : 256;
      uint64_t *q = realloc(*v, more * sizeof(*q));
      if (!q)
        return (size_t)-1;
      *v = q;
      *cap = more;
    }
    (*v)[n++] = h;
  }
}

enum { PROBES = 3, BITS_PER_WORD = 10, MAX_BITS = 1 << 22 };

static void set_bits(uint64_t *w, size_t nbits, uint64_t h) {
  uint64_t step = (h >> 32) | 1;
  for (int i = 0; i < PROBES; i++, h += step)
    w[(h & (nbits - 1)) / 64] |= (uint64_t)1 << (h & 63);
}

static bool has_bits(const uint64_t *w, size_t nbits, uint64_t h) {
  uint64_t step = (h >> 32) | 1;
  for (int i = 0; i < PROBES; i++, h += step)
    if (!(w[(h & (nbits - 1)) / 64] & ((uint64_t)1 << (h & 63))))
      return false;
  return true;
}

static size_t ones(const uint64_t *w, size_t n) {
  size_t c = 0;
  for (size_t i = 0; i < n; i++)
    c += (size_t)__builtin_popcountll(w[i]);
  return c;
}

uint64_t *cache_summarize(const char *text, size_t len, size_t *nwords) {
  uint64_t *hv = NULL;
  size_t cap = 0, count = hash_words(text, len, &hv, &cap);
  if (count == (size_t)-1) {
    free(hv);
    return NULL;
  }
  /* Sized for every word, then folded in halves (a bit of the half is
   * the OR of its two bits) while under a quarter of the bits are set:
   * a page repeats most of its words. */
  size_t nbits = 64;
  while (nbits < MAX_BITS && nbits < count * BITS_PER_WORD)
    nbits *= 2;
  size_t n = nbits / 64;
  uint64_t *w = calloc(n, sizeof(*w));
  for (size_t i = 0; w && i < count; i++)
    set_bits(w, nbits, hv[i]);
  free(hv);
  if (!w)
    return NULL;
  while (n > 1 && ones(w, n) * 4 < n * 64) {
    n /= 2;
    for (size_t i = 0; i < n; i++)
      w[i] |= w[i + n];
  }
  *nwords = n;
  uint64_t *out = realloc(w, n * sizeof(*w)); /* give back the folded half */
  return out ? out : w;
}

size_t cache_word_hashes(const char *word, uint64_t *out, size_t cap) {
  uint64_t *hv = NULL;
  size_t room = 0, n = hash_words(word, strlen(word), &hv, &room);
  if (n == (size_t)-1)
    n = 0; /* no memory: no piece to test, so a "maybe" */
  if (n > cap)
    n = cap;
  if (n)
    memcpy(out, hv, n * sizeof(*out));
  free(hv);
  return n;
}

bool cache_may_hold(const uint64_t *s, size_t n, const uint64_t *h, size_t nh) {
  for (size_t i = 0; i < nh; i++)
    if (!has_bits(s, n * 64, h[i]))
      return false;
  return true;
}

/* ---- saving ------------------------------------------------------------- */

static int dir_rec_cmp(const void *a, const void *b) {
  return strcmp(((const struct cache_dir_rec *)a)->path,
                ((const struct cache_dir_rec *)b)->path);
}

/* Where the page at path goes: its entry in ents, found through its
 * folder in dirs (sorted); false when the folder or the name is not
 * among them. */
static bool place(const struct cache_dir_rec *dirs, size_t ndirs,
                  const struct cache_entry *ents, const char *path,
                  size_t *ei) {
  const char *slash = strrchr(path, '/');
  size_t dl = slash ? (size_t)(slash - path) : 0;
  const char *name = slash ? slash + 1 : path;
  size_t lo = 0, hi = ndirs;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strncmp(path, dirs[mid].path, dl);
    if (c == 0)
      c = dirs[mid].path[dl] ? -1 : 0;
    if (c == 0) {
      lo = mid;
      break;
    }
    if (c < 0)
      hi = mid;
    else
      lo = mid + 1;
  }
  if (lo >= ndirs || strncmp(path, dirs[lo].path, dl) || dirs[lo].path[dl])
    return false;
  size_t a = 0, b = dirs[lo].n;
  while (a < b) {
    size_t mid = a + (b - a) / 2;
    int c = strcmp(name, ents[dirs[lo].first + mid].name);
    if (c == 0) {
      *ei = dirs[lo].first + mid;
      return true;
    }
    if (c < 0)
      b = mid;
    else
      a = mid + 1;
  }
  return false;
}

bool cache_save(const char *path, struct cache_dir_rec *dirs, size_t ndirs,
                const struct cache_entry *ents, size_t nents,
                const struct cache_file_rec *files, size_t nfiles) {
  if (ndirs > UINT32_MAX || nents > UINT32_MAX || nfiles > UINT32_MAX)
    return false;
  if (ndirs > 1) /* qsort(NULL, 0, ...) is undefined */
    qsort(dirs, ndirs, sizeof(*dirs), dir_rec_cmp);
  /* Sizes first, pages with no place among the folders left out. */
  uint64_t nstrings = 0, nwords = 0, nkept = 0;
  for (size_t i = 0; i < ndirs; i++)
    nstrings += strlen(dirs[i].path) + 1;
  for (size_t e = 0; e < nents; e++) {
    if (ents[e].len > UINT16_MAX)
      return false; /* no file system names a file so long */
    nstrings += ents[e].len + 1;
  }
  for (size_t i = 0; i < nfiles; i++) {
    size_t ei;
    if (place(dirs, ndirs, ents, files[i].path, &ei)) {
      nkept++;
      nwords += files[i].nwords;
    }
  }
  nstrings = (nstrings + 7) / 8 * 8;
  uint64_t len = HEAD + ndirs * DIR_REC + entries_room(nents) +
                 nkept * FILE_REC + nstrings + nwords * 8;
  char *d = len <= CACHE_MAX_BYTES ? calloc(1, (size_t)len) : NULL;
  if (!d)
    return false;
  memcpy(d, magic, sizeof(magic));
  put32(d + 8, check_word);
  put32(d + 12, (uint32_t)ndirs);
  put32(d + 16, (uint32_t)nents);
  put32(d + 20, (uint32_t)nkept);
  put64(d + 24, nstrings);
  put64(d + 32, nwords);
  char *dr = d + HEAD, *er = dr + ndirs * DIR_REC,
       *fr = er + entries_room(nents), *strings = fr + nkept * FILE_REC;
  uint64_t *words = (uint64_t *)(void *)(strings + nstrings);
  /* Strings are copied without their NUL: the block was zeroed. */
  uint32_t so = 0, wo = 0;
  for (size_t i = 0; i < ndirs; i++, dr += DIR_REC) {
    size_t pl = strlen(dirs[i].path);
    put32(dr, so);
    put32(dr + 4, (uint32_t)pl);
    put32(dr + 8, (uint32_t)dirs[i].first);
    put32(dr + 12, (uint32_t)dirs[i].n);
    put_stamp(dr + DIR_STAMP, &dirs[i].stamp);
    memcpy(strings + so, dirs[i].path, pl);
    so += (uint32_t)pl + 1;
  }
  for (size_t e = 0; e < nents; e++) {
    char *r = er + e * ENTRY_REC;
    uint16_t nl = (uint16_t)ents[e].len;
    put32(r, so);
    memcpy(r + 4, &nl, sizeof(nl));
    r[6] = (char)ents[e].type;
    r[7] = (char)ents[e].symlink;
    put32(r + 8, NO_FILE);
    memcpy(strings + so, ents[e].name, ents[e].len);
    so += (uint32_t)ents[e].len + 1;
  }
  uint32_t kept = 0;
  for (size_t i = 0; i < nfiles; i++) {
    size_t ei;
    if (!place(dirs, ndirs, ents, files[i].path, &ei))
      continue; /* its folder was not kept: nor is it */
    char *r = fr + (size_t)kept * FILE_REC;
    put32(er + ei * ENTRY_REC + 8, kept++);
    put32(r, wo);
    put32(r + 4, (uint32_t)files[i].nwords);
    put_stamp(r + FILE_STAMP, &files[i].stamp);
    memcpy(words + wo, files[i].summary, files[i].nwords * sizeof(*words));
    wo += (uint32_t)files[i].nwords;
  }
  put64(d + 40, hash_digest(d + HEAD, (size_t)((char *)words - d) - HEAD));
  size_t pl = strlen(path);
  char *tmp = malloc(pl + sizeof(tmp_suffix));
  bool ok = false;
  if (tmp) {
    memcpy(tmp, path, pl);
    memcpy(tmp + pl, tmp_suffix, sizeof(tmp_suffix));
    int fd = mkstemp(tmp);
    if (fd >= 0) {
      ok = io_write_all(fd, d, (size_t)len);
      ok = close(fd) == 0 && ok;
      ok = ok && rename(tmp, path) == 0;
      if (!ok)
        unlink(tmp);
    }
  }
  free(tmp);
  free(d);
  return ok;
}
