/* pool.c - bump allocation for libcmark; see pool.h. Small blocks are cut
 * from chunks of CHUNK bytes behind a 16-byte header (size and tag), so
 * realloc knows the old size; the newest block grows and shrinks in
 * place, which is how cmark's string buffers grow. Larger blocks get a
 * malloc of their own, linked so that a release can find them; freed
 * small blocks wait on a list per size for the next block of that size.
 * See POOL_MALLOC_EACH for sanitizer builds. */
#include "pool.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* libcmark 0.29's getters (cmark_node_get_literal, _get_url and others)
 * make their C string on first call, with the allocator the tree was
 * parsed with; parse.c calls them after the parse, when that allocator
 * has no pool behind it. 0.30 makes the strings while parsing. */
#if !defined(CMARK_VERSION) || CMARK_VERSION < 0x001E00
#error                                                                         \
    "courselint needs libcmark 0.30 or later (its parse pool relies on 0.30's accessors, which do not allocate)"
#endif

#define CHUNK ((size_t)256 * 1024)
#define KEEP_CHUNKS 4  /* spare chunks kept past a release */
#define REUSE_MAX 1024 /* freed small blocks up to this size are reused */

#if POOL_MALLOC_EACH
#define SMALL_MAX 0
#else
#define SMALL_MAX (CHUNK / 8)
#endif

enum { TAG_SMALL = 0x51, TAG_BIG = 0xB1 };

struct chunk {
  struct chunk *next;
  size_t cap;
  size_t used;
  max_align_t data[];
};

/* Just before every block: its size, and which kind it is. */
struct head {
  size_t size;
  size_t tag;
};

struct big {
  struct big *prev, *next;
  struct head h;
};

struct pool {
  struct chunk *first; /* chunks in the order they were made */
  struct chunk *cur;   /* the one being cut; NULL before the first */
  struct big *bigs;    /* newest first */
  void *last;          /* the newest small block, or NULL */
  /* Freed small blocks by size (16, 32, ... REUSE_MAX bytes), linked
   * through their first bytes: libcmark frees many short-lived ones
   * while it parses inlines. */
  void *reuse[REUSE_MAX / 16];
  size_t limit, held;
  jmp_buf *oom;
};

/* The pool that serves libcmark on this thread (see pool.h). */
static _Thread_local struct pool *active;

static size_t round16(size_t n) { return (n + 15) & ~(size_t)15; }

static struct head *head_of(void *ptr) { return (struct head *)ptr - 1; }

__attribute__((noinline, cold)) static void *fail(struct pool *p) {
  if (p->oom)
    longjmp(*p->oom, 1);
  return NULL;
}

static bool over_limit(const struct pool *p, size_t more) {
  return p->limit && (more > p->limit || p->held > p->limit - more);
}

/* Chunks come straight from the system and go straight back: from
 * malloc, a freed chunk would stay in the malloc arena of the thread that
 * freed it (glibc raises its mmap threshold past our chunk size once one
 * is freed), where another thread's next page cannot use it; eight
 * threads parsing large pages one after another then held eight times
 * the memory of one. */
static struct chunk *chunk_new(void) {
#if !POOL_MALLOC_EACH && defined(MAP_ANONYMOUS)
  void *m = mmap(NULL, sizeof(struct chunk) + CHUNK, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  return m == MAP_FAILED ? NULL : m;
#else
  return malloc(sizeof(struct chunk) + CHUNK);
#endif
}

static void chunk_free(struct chunk *c) {
#if !POOL_MALLOC_EACH && defined(MAP_ANONYMOUS)
  munmap(c, sizeof(struct chunk) + CHUNK);
#else
  free(c);
#endif
}

/* Put b at the head of the pool's large blocks. */
static void big_link(struct pool *p, struct big *b) {
  b->prev = NULL;
  b->next = p->bigs;
  if (p->bigs)
    p->bigs->prev = b;
  p->bigs = b;
}

/* The slow paths stay out of line, so that the common one (a block cut
 * from the current chunk, or reused) is a few instructions in the
 * allocator callbacks. */
#define COLD __attribute__((noinline, cold))

COLD static void *big_alloc(struct pool *p, size_t n) {
  if (n > SIZE_MAX - sizeof(struct big) || over_limit(p, n))
    return fail(p);
  struct big *b = malloc(sizeof(*b) + n);
  if (!b)
    return fail(p);
  b->h.size = n;
  b->h.tag = TAG_BIG;
  big_link(p, b);
  p->held += n;
  return b + 1;
}

static void big_unlink(struct pool *p, struct big *b) {
  if (b->prev)
    b->prev->next = b->next;
  else
    p->bigs = b->next;
  if (b->next)
    b->next->prev = b->prev;
}

/* The chunk to cut need bytes from: the current one, a spare one after
 * it, or a new one. */
COLD static struct chunk *chunk_with_room(struct pool *p, size_t need) {
  struct chunk *c = p->cur;
  if (c && c->cap - c->used >= need)
    return c;
  struct chunk *next = c ? c->next : p->first;
  if (next) {
    next->used = 0;
    return next; /* need <= SMALL_MAX + header fits any chunk */
  }
  if (over_limit(p, CHUNK))
    return NULL;
  struct chunk *n = chunk_new();
  if (!n)
    return NULL;
  n->next = NULL;
  n->cap = CHUNK;
  n->used = 0;
  if (c)
    c->next = n;
  else
    p->first = n;
  p->held += CHUNK;
  return n;
}

/* Cut a block of r bytes (and its header) from chunk c, which has room. */
static inline void *cut(struct pool *p, struct chunk *c, size_t r) {
  struct head *h = (struct head *)((char *)c->data + c->used);
  c->used += sizeof(struct head) + r;
  h->size = r;
  h->tag = TAG_SMALL;
  p->last = h + 1;
  return p->last;
}

/* A block cut from a new chunk (the current one is full). */
COLD static void *alloc_in_new_chunk(struct pool *p, size_t r) {
  struct chunk *c = chunk_with_room(p, sizeof(struct head) + r);
  if (!c)
    return fail(p);
  p->cur = c;
  return cut(p, c, r);
}

static inline void *alloc(struct pool *p, size_t n) {
  if (n > SMALL_MAX)
    return big_alloc(p, n);
  size_t r = round16(n ? n : 1);
  if (r <= REUSE_MAX && p->reuse[r / 16 - 1]) {
    void *q = p->reuse[r / 16 - 1];
    memcpy(&p->reuse[r / 16 - 1], q, sizeof(void *));
    return q;
  }
  struct chunk *c = p->cur;
  if (!c || c->cap - c->used < sizeof(struct head) + r)
    return alloc_in_new_chunk(p, r);
  return cut(p, c, r);
}

static void release(struct pool *p, void *ptr) {
  if (!ptr)
    return;
  struct head *h = head_of(ptr);
  if (h->tag == TAG_BIG) {
    struct big *b = (struct big *)((char *)h - offsetof(struct big, h));
    big_unlink(p, b);
    p->held -= b->h.size;
    free(b);
  } else if (ptr == p->last) {
    /* The newest block: give its room back. */
    p->cur->used -= sizeof(struct head) + h->size;
    p->last = NULL;
  } else if (h->size <= REUSE_MAX) {
    memcpy(ptr, &p->reuse[h->size / 16 - 1], sizeof(void *));
    p->reuse[h->size / 16 - 1] = ptr;
  }
}

static void *resize(struct pool *p, void *ptr, size_t n) {
  if (!ptr)
    return alloc(p, n);
  struct head *h = head_of(ptr);
  if (h->tag == TAG_BIG) {
    struct big *b = (struct big *)((char *)h - offsetof(struct big, h));
    size_t old = b->h.size;
    if (n > SIZE_MAX - sizeof(struct big) ||
        (n > old && over_limit(p, n - old)))
      return fail(p);
    big_unlink(p, b);
    struct big *nb = realloc(b, sizeof(*b) + n);
    if (!nb) {
      big_link(p, b); /* b is still whole: a release must free it */
      return fail(p);
    }
    nb->h.size = n;
    big_link(p, nb);
    p->held = p->held - old + n;
    return nb + 1;
  }
  if (n <= h->size)
    return ptr;
  size_t grow = round16(n) - h->size;
  if (ptr == p->last && n <= SMALL_MAX && p->cur->cap - p->cur->used >= grow) {
    p->cur->used += grow;
    h->size += grow;
    return ptr;
  }
  void *q = alloc(p, n);
  if (q) {
    memcpy(q, ptr, h->size);
    release(p, ptr);
  }
  return q;
}

struct pool *pool_new(size_t limit) {
  struct pool *p = calloc(1, sizeof(*p));
  if (p)
    p->limit = limit;
  return p;
}

void pool_free(struct pool *p) {
  if (!p)
    return;
  while (p->bigs) {
    struct big *b = p->bigs;
    p->bigs = b->next;
    free(b);
  }
  for (struct chunk *c = p->first; c;) {
    struct chunk *next = c->next;
    chunk_free(c);
    c = next;
  }
  free(p);
}

struct pool_mark pool_mark(const struct pool *p) {
  return (struct pool_mark){p->cur, p->cur ? p->cur->used : 0, p->bigs};
}

void pool_release(struct pool *p, struct pool_mark m) {
  while (p->bigs && p->bigs != m.big) {
    struct big *b = p->bigs;
    p->bigs = b->next;
    p->held -= b->h.size;
    free(b);
  }
  if (p->bigs)
    p->bigs->prev = NULL;
  p->cur = m.chunk;
  if (p->cur)
    p->cur->used = m.used;
  p->last = NULL;
  /* Freed blocks may lie past the mark. */
  memset(p->reuse, 0, sizeof(p->reuse));
  /* Keep a few spare chunks past the mark for the next page; a huge page
   * must not keep its memory for the rest of the run. */
  struct chunk **link = p->cur ? &p->cur->next : &p->first;
  for (int kept = 0; *link && kept < KEEP_CHUNKS; kept++)
    link = &(*link)->next;
  for (struct chunk *x = *link; x;) {
    struct chunk *next = x->next;
    p->held -= x->cap;
    chunk_free(x);
    x = next;
  }
  *link = NULL;
}

size_t pool_size(const struct pool *p) { return p->held; }

size_t pool_used(const struct pool *p) {
  size_t n = 0;
  for (const struct chunk *c = p->first; p->cur && c; c = c->next) {
    n += c->used;
    if (c == p->cur)
      break;
  }
  for (const struct big *b = p->bigs; b; b = b->next)
    n += b->h.size;
  return n;
}

static void *mem_calloc(size_t n, size_t size) {
  struct pool *p = active;
  if (size && n > SIZE_MAX / size)
    return fail(p);
  void *q = alloc(p, n * size);
  if (q)
    memset(q, 0, n * size);
  return q;
}

static void *mem_realloc(void *ptr, size_t n) { return resize(active, ptr, n); }

static void mem_free(void *ptr) { release(active, ptr); }

static const cmark_mem pool_mem = {mem_calloc, mem_realloc, mem_free};

cmark_mem *pool_parse_begin(struct pool *p, jmp_buf *oom) {
  p->oom = oom;
  active = p;
  /* cmark never writes to its allocator; its API just lacks the const. */
  return (cmark_mem *)&pool_mem;
}

void pool_parse_end(struct pool *p) {
  p->oom = NULL;
  active = NULL;
}
