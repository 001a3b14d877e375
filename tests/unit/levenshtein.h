/* levenshtein.h - for unit tests: the edit distance by the textbook
 * recurrence, the oracle that path_edit_distance (banded, with shortcuts)
 * and the suggestion search are checked against. Include after cmocka.h. */
#ifndef CLINT_TEST_LEVENSHTEIN_H
#define CLINT_TEST_LEVENSHTEIN_H

#include <stdlib.h>

/* Levenshtein distance by the textbook recurrence, stopped once a whole
 * row is over limit (rows never get smaller). Returns limit + 1 then. */
static size_t lev(const char *a, size_t n, const char *b, size_t m,
                  size_t limit) {
  size_t *row = malloc((m + 1) * sizeof(size_t));
  assert_non_null(row);
  for (size_t j = 0; j <= m; j++)
    row[j] = j;
  for (size_t i = 1; i <= n; i++) {
    size_t diag = row[0], low = i;
    row[0] = i;
    for (size_t j = 1; j <= m; j++) {
      size_t up = row[j];
      size_t v = diag + (a[i - 1] != b[j - 1]);
      if (up + 1 < v)
        v = up + 1;
      if (row[j - 1] + 1 < v)
        v = row[j - 1] + 1;
      row[j] = v;
      diag = up;
      if (v < low)
        low = v;
    }
    if (low > limit) {
      free(row);
      return limit + 1;
    }
  }
  size_t d = row[m];
  free(row);
  return d > limit ? limit + 1 : d;
}

#endif
