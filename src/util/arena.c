/* arena.c - bump allocation in blocks; see arena.h. Large requests get a
 * block of their own so a few big strings do not waste a standard block;
 * standard blocks start small and double. */
#include "arena.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK 65536
#define ARENA_FIRST 1024

struct arena_block {
  struct arena_block *next;
  size_t used;
  size_t cap;
  max_align_t data[];
};

void arena_init(struct arena *a) {
  a->head = NULL;
  a->failed = false;
}

void arena_free(struct arena *a) {
  struct arena_block *b = a->head;
  while (b) {
    struct arena_block *next = b->next;
    free(b);
    b = next;
  }
  a->head = NULL;
}

/* size bytes, rounded up to the alignment, not zeroed. */
static void *bump(struct arena *a, size_t size) {
  const size_t align = sizeof(max_align_t);
  size = (size + align - 1) & ~(align - 1);
  if (size == 0)
    size = align;
  struct arena_block *b = a->head;
  if (!b || b->cap - b->used < size) {
    /* Blocks double from ARENA_FIRST up to ARENA_BLOCK: a course keeps
     * one arena per page, and most pages keep a few hundred bytes. */
    size_t grow = !b || b->cap < ARENA_FIRST  ? ARENA_FIRST
                  : b->cap >= ARENA_BLOCK / 2 ? ARENA_BLOCK
                                              : b->cap * 2;
    bool own = size > grow / 4;
    size_t cap = own ? size : grow;
    struct arena_block *nb = malloc(sizeof(*nb) + cap);
    if (!nb) {
      a->failed = true;
      return NULL;
    }
    nb->used = 0;
    nb->cap = cap;
    if (b && own) {
      /* Keep the current block on top: it still has room. */
      nb->next = b->next;
      b->next = nb;
    } else {
      nb->next = b;
      a->head = nb;
    }
    b = nb;
  }
  void *p = (char *)b->data + b->used;
  b->used += size;
  return p;
}

void *arena_alloc(struct arena *a, size_t size) {
  void *p = bump(a, size);
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
  char *p = bump(a, len + 1);
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
  char *p = bump(a, (size_t)n + 1);
  if (!p)
    return NULL;
  va_start(ap, fmt);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return p;
}
