/* arena.c - bump allocation in blocks; see arena.h. Large requests get a
 * block of their own so a few big strings do not waste a standard block;
 * standard blocks start small and double. */
#include "arena.h"

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

struct arena_store {
  void *map;
  size_t map_len;
  char *base;
  size_t cap;
  atomic_size_t used;
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
  return s;
#endif
}

void arena_store_free(struct arena_store *s) {
  if (!s)
    return;
  munmap(s->map, s->map_len);
  free(s);
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

void arena_free(struct arena *a) {
  struct arena_block *b = a->head;
  while (b) {
    struct arena_block *next = b->next;
    if (!b->stored)
      free(b);
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
  if (a->store && cap <= SIZE_MAX / 2)
    b = store_cut(a->store, stored_size(cap));
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
  /* Only the newest cut of the store can shrink; another thread may have
   * cut after it, and then the room stays where it is. */
  if (want < end && atomic_compare_exchange_strong(&s->used, &end, want))
    b->cap = keep - sizeof(*b);
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
    if (b != keep && !b->stored)
      free(b);
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
