/* pool.h - the memory libcmark parses a page in: a bump allocator that
 * one thread owns, emptied to a mark when the page's tree is no longer
 * needed. Parsing with it is about a third faster than with malloc, the
 * tree needs no walk to free it, and running out of memory ends the parse
 * with an error instead of libcmark's abort().
 *
 * libcmark's allocator functions take no context, so the pool that serves
 * them is found through one thread-local pointer, set by pool_parse_begin
 * and cleared by pool_parse_end on the same thread. Nothing is shared
 * between threads: each worker owns its pool. */
#ifndef CLINT_POOL_H
#define CLINT_POOL_H

#include <cmark.h>
#include <setjmp.h>
#include <stddef.h>

/* 1 under AddressSanitizer: every block is then its own malloc, so that
 * the sanitizer sees each overflow and each use after a release. */
#if defined(__SANITIZE_ADDRESS__)
#define POOL_MALLOC_EACH 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define POOL_MALLOC_EACH 1
#endif
#endif
#ifndef POOL_MALLOC_EACH
#define POOL_MALLOC_EACH 0
#endif

struct pool;

/* A point to empty the pool back to. */
struct pool_mark {
  void *chunk;
  size_t used;
  void *big;
};

/* A new, empty pool; limit caps the bytes it holds at once (0: no cap).
 * NULL when out of memory. Free with pool_free. */
struct pool *pool_new(size_t limit);
void pool_free(struct pool *p);

struct pool_mark pool_mark(const struct pool *p);
/* Free everything allocated since m was taken. Keeps a few chunks for the
 * next page and returns the rest to the system. */
void pool_release(struct pool *p, struct pool_mark m);

/* Bytes the pool holds now (chunks and large blocks). */
size_t pool_size(const struct pool *p);

/* Bytes handed out and not yet released (freed small blocks included):
 * 0 once everything went back to an empty mark. */
size_t pool_used(const struct pool *p);

/* Route libcmark's allocations on this thread to p until pool_parse_end,
 * and return the allocator to hand to cmark_parser_new_with_mem. When an
 * allocation fails, the pool longjmps to oom, which the caller has set
 * with setjmp in a frame that lives until pool_parse_end; everything
 * allocated since then is still in the pool, and pool_release frees it. */
cmark_mem *pool_parse_begin(struct pool *p, jmp_buf *oom);
void pool_parse_end(struct pool *p);

#endif
