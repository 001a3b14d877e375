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

/* The root-relative path that a destination's path part dest[0, len)
 * names from folder dir[0, dirlen): joined into tmp, percent-decoded and
 * normalised into out (both with room for dirlen + len + 2 bytes).
 * Returns out, or NULL when it climbs above the root. *folder is set when
 * it is written as a folder (ends in '/'). */
char *path_resolve(const char *dir, size_t dirlen, const char *dest, size_t len,
                   char *tmp, char *out, bool *folder);

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

/* Whether a link destination points off the course: a URL with a scheme,
 * or a path from the site's root ("/..."). Such links are counted, not
 * checked (no network). */
bool path_is_external(const char *dest);

/* Whether a link destination is a template that a site generator fills
 * in ("{{ site.baseurl }}/x", "{% link x.md %}", "${base}/x", a JSX
 * expression "{img}"): it names nothing before the site is built. */
bool path_is_template(const char *dest);

/* Edit distance between two strings, capped at max + 1 (cheap rejection
 * of far candidates). Case-sensitive, byte-wise. */
size_t path_edit_distance(const char *a, size_t alen, const char *b,
                          size_t blen, size_t max);

/* The choice of a "did you mean" name among candidates: the fewest edits,
 * ties going to the first name in byte order, so the verdict does not
 * depend on the order the names are weighed in (nor on a name being
 * weighed twice). unique is set when no other name weighed was as close.
 * Start from {0}. */
struct path_near {
  const char *best; /* lent: one of the candidates */
  size_t dist;
  bool unique;
};

/* How many edits still count as "close" for a name of len bytes: a third
 * of it, at least 2 and at most 6 (past that, two names are different
 * names). */
size_t path_near_budget(size_t len);

/* Weigh cand (clen bytes, NUL-terminated) as a suggestion for want (wlen
 * bytes): within max edits, or, when both have 8 bytes or more and one
 * starts with the other, as if at max edits. */
void path_near_consider(struct path_near *n, const char *want, size_t wlen,
                        const char *cand, size_t clen, size_t max);

/* The relative path from folder from_dir to path to (both root-relative,
 * '/'-separated, normalised), in the arena: "a/b" and "a/c/d.md" give
 * "../c/d.md". */
char *path_relative(struct arena *a, const char *from_dir, const char *to);

#endif
