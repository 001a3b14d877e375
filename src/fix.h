/* fix.h - applying text replacements to a page's bytes and showing them
 * as a unified diff; clint_run_fix (courselint.h) drives both and writes
 * the result atomically. After the report stage of the pipeline. */
#ifndef CLINT_FIX_H
#define CLINT_FIX_H

#include <stdio.h>

#include "courselint.h"
#include "util/buf.h"

/* Apply fixes (sorted by offset) to old[0..len) into out. A fix that
 * overlaps an earlier one, or reaches past the end, is skipped and
 * counted in *skipped; one identical to the one before is dropped. Returns
 * false when out of memory. */
bool fix_apply(const char *old, size_t len, const clint_fix *fixes, size_t n,
               struct buf *out, size_t *skipped);

/* Write a unified diff (3 lines of context) from old to the result of
 * fixes, which fix_apply accepted: every fix in order, none overlapping.
 * name is used in the ---/+++ lines with a/ and b/ prefixes. */
void fix_diff(FILE *out, const char *name, const char *old, size_t len,
              const clint_fix *fixes, size_t n);

#endif
