/* arena.h - a bump allocator for per-page and per-run data, freed in one
 * call. Allocation failure is reported by a NULL return; callers that
 * cannot recover check arena_failed() once at the end of a phase. */
#ifndef CLINT_ARENA_H
#define CLINT_ARENA_H

#include <stdbool.h>
#include <stddef.h>

struct arena_block;

struct arena {
  struct arena_block *head;
  bool failed;
};

void arena_init(struct arena *a);
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
