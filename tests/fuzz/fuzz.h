/* fuzz.h - helpers shared by the libFuzzer harnesses in tests/fuzz/: a
 * scratch course folder made once per process, files written into it, and
 * a lint run that reads every finding. Test code: plain asserts and one
 * static folder name per process are fine here. */
#ifndef CLINT_FUZZ_H
#define CLINT_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "courselint.h"

/* The libFuzzer entry point each harness defines. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A scratch folder for this process, created on first use and removed at
 * exit. Never NULL (aborts when it cannot be made). */
const char *fuzz_dir(void);

/* Write len bytes to rel (relative to fuzz_dir, parent folders made);
 * remove it when data is NULL. */
void fuzz_write(const char *rel, const void *data, size_t len);

/* Lint the scratch course with linter (NULL: the default rules), the
 * given target (relative to fuzz_dir; NULL: everything) and options, on
 * jobs threads, then read every finding and write every output format.
 * Aborts when a finding has no position or a fix reaches past target_size
 * (the target's size in bytes). Returns the text output (malloc'd; free
 * it), or NULL when the run failed. */
char *fuzz_lint_jobs(const clint_linter *linter, const char *target,
                     size_t target_size, bool index_all, bool course_config,
                     unsigned jobs);

/* fuzz_lint_jobs on one thread, output dropped. */
void fuzz_lint(const clint_linter *linter, const char *target,
               size_t target_size, bool index_all, bool course_config);

#endif
