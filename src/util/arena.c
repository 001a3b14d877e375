/* arena.c - bump allocation in blocks; see arena.h. Large requests get a
 * block of their own so a few big strings do not waste a standard block;
 * standard blocks start small and double. A store hands out blocks cut
 * from one large mapping; blocks given back (an arena freed while the
 * store lives on, as an editor's course drops a page it loads again) wait
 * on lists by size for the next arena that wants one. */
#include "arena.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define ARENA_BLOCK 65536
#define ARENA_FIRST 1024

struct arena_block {
  struct arena_block *next;
  size_t used;
  size_t cap;
  bool stored; /* cut from a store: not malloc'd */
  max_align_t data[];
};

#if defined(__SANITIZE_ADDRESS__)
#define ARENA_NO_STORE 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA_NO_STORE 1
#endif
#endif

/* Address space a store reserves: only what is used becomes memory. */
#define STORE_RESERVE (sizeof(void *) >= 8 ? (size_t)1 << 30 : (size_t)64 << 20)
#define STORE_ALIGN ((size_t)2 << 20) /* the usual large page */

/* Lists of blocks given back, by size: list k holds blocks of at least
 * ARENA_FIRST << k bytes (and less than twice that, but for the last). */
#define STORE_LISTS 7 /* 1 KB to 64 KB: ARENA_FIRST to ARENA_BLOCK */

struct arena_store {
  void *map;
  size_t map_len;
  char *base;
  size_t cap;
  atomic_size_t used;
  pthread_mutex_t lock;  /* for the lists */
  atomic_bool any_given; /* some list is not empty: worth the lock */
  struct arena_block *given[STORE_LISTS];
};

struct arena_store *arena_store_new(size_t reserve) {
#if defined(ARENA_NO_STORE) || !defined(MAP_ANONYMOUS)
  (void)reserve;
  return NULL;
#else
  if (!reserve)
    reserve = STORE_RESERVE;
  if (reserve > SIZE_MAX - STORE_ALIGN)
    return NULL;
  struct arena_store *s = malloc(sizeof(*s));
  if (!s)
    return NULL;
  s->map_len = reserve + STORE_ALIGN;
  int flags = MAP_PRIVATE | MAP_ANONYMOUS;
#ifdef MAP_NORESERVE
  flags |= MAP_NORESERVE;
#endif
  s->map = mmap(NULL, s->map_len, PROT_READ | PROT_WRITE, flags, -1, 0);
  if (s->map == MAP_FAILED) {
    free(s);
    return NULL;
  }
  uintptr_t at = ((uintptr_t)s->map + STORE_ALIGN - 1) & ~(STORE_ALIGN - 1);
  s->base = (char *)at;
  s->cap = reserve;
#ifdef MADV_HUGEPAGE
  (void)madvise(s->base, s->cap, MADV_HUGEPAGE); /* a hint; may be off */
#endif
  atomic_init(&s->used, 0);
  atomic_init(&s->any_given, false);
  memset(s->given, 0, sizeof(s->given));
  pthread_mutex_init(&s->lock, NULL);
  return s;
#endif
}

void arena_store_free(struct arena_store *s) {
  if (!s)
    return;
  pthread_mutex_destroy(&s->lock);
  munmap(s->map, s->map_len);
  free(s);
}

/* The list for a block of cap bytes (it may serve any request up to the
 * list's size), or -1 when it is too small for any. */
static int list_of(size_t cap) {
  int k = -1;
  for (size_t size = ARENA_FIRST; size <= cap && k < STORE_LISTS - 1;
       size <<= 1)
    k++;
  return k;
}

/* Give a block cut from s back to it, for another arena to use. */
static void store_give(struct arena_store *s, struct arena_block *b) {
  int k = list_of(b->cap);
  if (k < 0)
    return; /* a trimmed scrap: it stays unused until the store goes */
  pthread_mutex_lock(&s->lock);
  b->next = s->given[k];
  s->given[k] = b;
  atomic_store(&s->any_given, true);
  pthread_mutex_unlock(&s->lock);
}

/* A block given back with room for cap bytes, or NULL. */
static struct arena_block *store_take(struct arena_store *s, size_t cap) {
  if (!atomic_load_explicit(&s->any_given, memory_order_relaxed))
    return NULL;
  struct arena_block *b = NULL;
  pthread_mutex_lock(&s->lock);
  for (int k = list_of(cap); k >= 0 && k < STORE_LISTS && !b; k++) {
    /* List k holds blocks of at least ARENA_FIRST << k bytes; the one
     * cap falls in may hold smaller ones than cap, so look at each. */
    struct arena_block **at = &s->given[k];
    while (*at && (*at)->cap < cap)
      at = &(*at)->next;
    if (*at) {
      b = *at;
      *at = b->next;
    }
  }
  bool any = false;
  for (int k = 0; k < STORE_LISTS; k++)
    any |= s->given[k] != NULL;
  atomic_store(&s->any_given, any);
  pthread_mutex_unlock(&s->lock);
  return b;
}

/* n bytes (a multiple of 64) from s, or NULL when it has run out. */
static void *store_cut(struct arena_store *s, size_t n) {
  if (n > s->cap)
    return NULL;
  size_t at = atomic_fetch_add_explicit(&s->used, n, memory_order_relaxed);
  return at <= s->cap - n ? s->base + at : NULL;
}

void arena_init(struct arena *a) { arena_init_in(a, NULL); }

void arena_init_in(struct arena *a, struct arena_store *s) {
  a->head = NULL;
  a->store = s;
  a->failed = false;
}

/* Free a block of arena a: back to its store, or to malloc. */
static void free_block(struct arena *a, struct arena_block *b) {
  if (b->stored)
    store_give(a->store, b);
  else
    free(b);
}

void arena_free(struct arena *a) {
  struct arena_block *b = a->head;
  while (b) {
    struct arena_block *next = b->next;
    free_block(a, b);
    b = next;
  }
  a->head = NULL;
}

/* A new block with room for cap bytes. Blocks cut from a store are
 * rounded to 64 bytes, so that two threads' blocks share no cache line. */
/* The bytes a block of cap bytes takes in a store. */
static size_t stored_size(size_t cap) {
  return (sizeof(struct arena_block) + cap + 63) & ~(size_t)63;
}

static struct arena_block *new_block(struct arena *a, size_t cap) {
  struct arena_block *b = NULL;
  if (a->store && cap <= SIZE_MAX / 2) {
    b = store_take(a->store, cap);
    if (b) {
      b->used = 0;
      return b; /* its cap may be larger than asked for: all usable */
    }
    b = store_cut(a->store, stored_size(cap));
  }
  if (b) {
    b->stored = true;
  } else {
    b = malloc(sizeof(*b) + cap);
    if (!b)
      return NULL;
    b->stored = false;
  }
  b->used = 0;
  b->cap = cap;
  return b;
}

/* size bytes at an offset that is a multiple of align (a power of two),
 * not zeroed. Strings ask for 1: a course keeps hundreds of thousands. */
static void *bump(struct arena *a, size_t size, size_t align) {
  if (size == 0)
    size = 1;
  struct arena_block *b = a->head;
  size_t at = b ? (b->used + align - 1) & ~(align - 1) : 0;
  if (!b || at > b->cap || b->cap - at < size) {
    /* Blocks double from ARENA_FIRST up to ARENA_BLOCK: a course keeps
     * one arena per page, and most pages keep a few hundred bytes. */
    size_t grow = !b || b->cap < ARENA_FIRST  ? ARENA_FIRST
                  : b->cap >= ARENA_BLOCK / 2 ? ARENA_BLOCK
                                              : b->cap * 2;
    bool own = size > grow / 4;
    struct arena_block *nb = new_block(a, own ? size : grow);
    if (!nb) {
      a->failed = true;
      return NULL;
    }
    if (b && own) {
      /* Keep the current block on top: it still has room. */
      nb->next = b->next;
      b->next = nb;
      nb->used = size;
      return nb->data;
    }
    nb->next = b;
    a->head = nb;
    b = nb;
    at = 0;
  }
  b->used = at + size;
  return (char *)b->data + at;
}

void arena_trim(struct arena *a) {
  struct arena_block *b = a->head;
  if (!b || !b->stored)
    return;
  struct arena_store *s = a->store;
  size_t end = (size_t)((char *)b - s->base) + stored_size(b->cap);
  size_t keep = stored_size(b->used);
  size_t want = (size_t)((char *)b - s->base) + keep;
  if (want >= end)
    return;
  /* The newest cut of the store shrinks in place. */
  size_t newest = end;
  if (atomic_compare_exchange_strong(&s->used, &newest, want)) {
    b->cap = keep - sizeof(*b);
    return;
  }
  /* Another cut came after it (another thread's, or another arena's
   * while this page was checked): a tail large enough to serve another
   * arena goes back to the store as a block of its own. Blocks start
   * and end on 64 bytes, so the tail does too. */
  size_t tail = end - want;
  if (tail < stored_size(ARENA_FIRST))
    return;
  struct arena_block *t = (struct arena_block *)((char *)b + keep);
  t->next = NULL;
  t->used = 0;
  t->cap = tail - sizeof(*t);
  t->stored = true;
  b->cap = keep - sizeof(*b);
  store_give(s, t);
}

void *arena_alloc(struct arena *a, size_t size) {
  void *p = bump(a, size, _Alignof(max_align_t));
  if (p)
    memset(p, 0, size);
  return p;
}

void arena_reset(struct arena *a) {
  /* Keep the newest standard block: the next page will want one. */
  struct arena_block *keep = a->head;
  if (keep && keep->cap > ARENA_BLOCK)
    keep = NULL;
  for (struct arena_block *b = a->head; b;) {
    struct arena_block *next = b->next;
    if (b != keep)
      free_block(a, b);
    b = next;
  }
  a->head = keep;
  if (keep) {
    keep->next = NULL;
    keep->used = 0;
  }
  a->failed = false;
}

char *arena_strndup(struct arena *a, const char *s, size_t len) {
  char *p = bump(a, len + 1, 1);
  if (!p)
    return NULL;
  memcpy(p, s, len);
  p[len] = '\0';
  return p;
}

char *arena_strdup(struct arena *a, const char *s) {
  return arena_strndup(a, s, strlen(s));
}

char *arena_printf(struct arena *a, const char *fmt, ...) {
  /* Most results are short: format once into a buffer of our own, and
   * twice (measure, then write) only when it is too small. */
  char small[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof(small), fmt, ap);
  va_end(ap);
  if (n < 0)
    return NULL;
  if ((size_t)n < sizeof(small))
    return arena_strndup(a, small, (size_t)n);
  char *p = bump(a, (size_t)n + 1, 1);
  if (!p)
    return NULL;
  va_start(ap, fmt);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return p;
}
