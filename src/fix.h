/* fix.h - --fix: applying text replacements to a page's bytes and showing
 * them as a unified diff (fix.c); clint_run_fix (courselint.h, in
 * fix_write.c) drives both and writes the pages. After the report stage
 * of the pipeline. */
#ifndef CLINT_FIX_H
#define CLINT_FIX_H

#include <stdbool.h>
#include <stddef.h>

#include "courselint.h"
#include "util/buf.h"

/* Whether two fixes make the same edit. */
bool fix_same(const clint_fix *a, const clint_fix *b);

/* qsort order of fixes: by offset, then length, then text. */
int fix_cmp(const void *a, const void *b);

/* Keep, in place and in order, the fixes (sorted by fix_cmp) that
 * fix_apply would apply to a text of len bytes; the others are counted in
 * *skipped. Returns how many are kept. */
size_t fix_select(clint_fix *fixes, size_t n, size_t len, size_t *skipped);

/* Apply fixes (sorted by offset) to old[0..len) into out. Fixes that
 * touch compose; one that starts inside the range an earlier one
 * replaces, or reaches past the end, is skipped and counted in *skipped;
 * one identical to the one before is dropped. Returns false when out of
 * memory. */
bool fix_apply(const char *old, size_t len, const clint_fix *fixes, size_t n,
               struct buf *out, size_t *skipped);

/* Append to out a unified diff (3 lines of context) from old to the
 * result of fixes, as fix_select keeps them: in order, none overlapping.
 * name is used in the ---/+++ lines with a/ and b/ prefixes. Returns
 * false when out of memory; out then holds a partial diff that must not
 * be shown. */
bool fix_diff(struct buf *out, const char *name, const char *old, size_t len,
              const clint_fix *fixes, size_t n);

#endif
