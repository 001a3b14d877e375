/* path.h - string operations on '/'-separated paths and link
 * destinations. Results go into a caller's buffer or arena. */
#ifndef CLINT_PATH_H
#define CLINT_PATH_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

/* Decode %XX escapes in s into out (NUL-terminated, at most len bytes plus
 * NUL; out must hold len + 1). Returns the decoded length. A %00 or a
 * malformed escape is kept literally, so the result has no embedded NUL. */
size_t path_percent_decode(const char *s, size_t len, char *out);

/* Normalise a relative path: drop "." and empty parts, resolve ".." against
 * earlier parts. Writes into out (room for len + 1). Returns false when ".."
 * climbs above the start, that is, the path leaves its base. */
bool path_normalize(const char *s, size_t len, char *out);

/* The folder part of a root-relative path: "a/b/c.md" -> "a/b", "c.md" ->
 * "". */
size_t path_dirname_len(const char *path);

/* The final component of a path. */
const char *path_basename(const char *path);

/* dir + "/" + rel (no slash when dir is empty), in the arena. */
char *path_join(struct arena *a, const char *dir, const char *rel,
                size_t rellen);

/* true when s starts with a URL scheme such as "https:" or "mailto:"
 * (letters, digits, '+', '-', '.' and then ':', at least two letters so
 * that a Windows drive "C:" is not a scheme). */
bool path_has_scheme(const char *s, size_t len);

/* Edit distance between two strings, capped at max + 1 (cheap rejection
 * of far candidates). Case-sensitive, byte-wise. */
size_t path_edit_distance(const char *a, size_t alen, const char *b,
                          size_t blen, size_t max);

/* The relative path from folder from_dir to path to (both root-relative,
 * '/'-separated, normalised), in the arena: "a/b" and "a/c/d.md" give
 * "../c/d.md". */
char *path_relative(struct arena *a, const char *from_dir, const char *to);

#endif
