/* suggest.h - "did you mean" candidates: the names of a folder, or the
 * anchors of a page, that lie within a few edits of a missing one. */
#ifndef CLINT_SUGGEST_H
#define CLINT_SUGGEST_H

#include <stdbool.h>
#include <stddef.h>

#include "index.h"
#include "util/buf.h"

/* Byte counts of s folded into 32 buckets (saturating), as stored in
 * struct entry's hist. Returns false when a count saturated: the lower
 * bound drawn from the counts then does not hold. */
bool suggest_name_hist(const char *s, size_t len, unsigned char h[32]);

/* Append to out (a vec of size_t) the indexes, in folder order, of the
 * entries of d that may lie within max edits of want (with NEAR_WINDOW),
 * and of those that share its first 8 bytes (with NEAR_PREFIX): with
 * both, a superset of the names path_edit_distance would accept, found
 * without comparing want with every name of a large folder. Returns false
 * on no memory. */
enum { NEAR_WINDOW = 1, NEAR_PREFIX = 2 };
bool suggest_near_entries(struct course *c, struct dir *d, const char *want,
                          size_t wlen, size_t max, unsigned what,
                          struct vec *out);

/* The name in d closest to want (wlen bytes), for a "did you mean" on a
 * missing file: see path_near_consider, with path_near_budget(wlen)
 * edits; names starting with '.' are left out. NULL when none is close;
 * else a name of d, lent for as long as d's listing lives. */
const char *suggest_nearest_name(struct course *c, struct dir *d,
                                 const char *want, size_t wlen);

/* The anchors of a loaded page as the entries of a folder, in the order
 * of p->anchors' slots, for suggest_near_entries; built on first use.
 * NULL on no memory. */
struct dir *suggest_anchor_names(struct course *c, struct page *p);

/* Free what the suggestions built for d (not d's entries). */
void suggest_dir_free(struct dir *d);

#endif
