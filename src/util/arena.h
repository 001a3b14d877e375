/* arena.h - a bump allocator for per-page and per-run data, freed in one
 * call. Allocation failure is reported by a NULL return; callers that
 * cannot recover check arena_failed() once at the end of a phase. */
#ifndef CLINT_ARENA_H
#define CLINT_ARENA_H

#include <stdbool.h>
#include <stddef.h>

struct arena_block;
struct arena_store;

struct arena {
  struct arena_block *head;
  struct arena_store *store; /* where blocks come from; NULL: malloc */
  bool failed;
};

void arena_init(struct arena *a);

/* A supply of blocks for many arenas that live as long as it does (the
 * pages of a run): one large mapping of address space, cut by any thread
 * with an atomic counter. The mapping goes back to the system only as a
 * whole; a block an arena frees waits in the store for the next arena
 * (a course kept open drops and loads pages again). Its memory is
 * touched in large pages where the system offers them (a run's index
 * faulted in 4 KB at a time cost a tenth of its system time). Blocks past
 * its end come from malloc. NULL when the mapping fails, or under
 * AddressSanitizer (which should see each block): arenas then use
 * malloc. */
struct arena_store *arena_store_new(size_t reserve); /* bytes; 0: 1 GB */
/* Free the store; every arena in it must be freed first. s may be
 * NULL. */
void arena_store_free(struct arena_store *s);
/* An empty arena whose blocks come from s (NULL: from malloc). */
void arena_init_in(struct arena *a, struct arena_store *s);
/* Give the unused room of a's newest block back to its store: in place
 * when that block is still the store's newest cut (always so on one
 * thread), else as a block of its own when it is large enough to serve
 * another arena. Done with a page for now, its arena need not hold room
 * for more. */
void arena_trim(struct arena *a);
void arena_free(struct arena *a);
/* Empty a for reuse: everything allocated is gone, one block is kept. */
void arena_reset(struct arena *a);
/* Zeroed memory aligned for any object, or NULL (and a->failed set). */
void *arena_alloc(struct arena *a, size_t size);
char *arena_strndup(struct arena *a, const char *s, size_t len);
char *arena_strdup(struct arena *a, const char *s);
/* printf into the arena. */
char *arena_printf(struct arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
