/* fuzz_course.c - libFuzzer harness for a whole lint of a small course.
 * The input is split at NUL bytes into the course's files, in this order:
 * the README, a module's explainer, weekly plan and review, a second
 * module's page and the course's .courselint.yml. Files the input does
 * not reach are removed. The course is linted whole, orphans included,
 * with its own rule file, on one thread and on three: the output must be
 * the same. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static const char *const files[] = {
    "README.md",
    "01_intro/01_explainer.md",
    "01_intro/01_weekly_plan.md",
    "01_intro/01_review.md",
    "02_next/notes.md",
    ".courselint.yml",
};
enum { NFILES = sizeof(files) / sizeof(*files) };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  size_t at = 0;
  bool more = true; /* the input reaches this file */
  for (size_t i = 0; i < NFILES; i++) {
    if (!more) {
      fuzz_write(files[i], NULL, 0);
      continue;
    }
    const uint8_t *nul = memchr(data + at, '\0', size - at);
    size_t n = nul ? (size_t)(nul - (data + at)) : size - at;
    fuzz_write(files[i], data + at, n);
    at += n + (nul != NULL);
    more = nul != NULL;
  }
  /* The findings must not depend on the number of threads. */
  char *one = fuzz_lint_jobs(NULL, NULL, 0, true, true, 1);
  char *two = fuzz_lint_jobs(NULL, NULL, 0, true, true, 3);
  if ((one == NULL) != (two == NULL) || (one && strcmp(one, two) != 0)) {
    fprintf(stderr, "output differs between 1 and 3 threads:\n%s\n---\n%s\n",
            one ? one : "(failed)", two ? two : "(failed)");
    abort();
  }
  free(one);
  free(two);
  return 0;
}
