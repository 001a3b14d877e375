/* modules.h - pure helpers of the module family, exposed for the unit
 * tests. */
#ifndef CLINT_CHECKS_MODULES_H
#define CLINT_CHECKS_MODULES_H

#include <stdbool.h>
#include <stddef.h>

/* The value most of v[0, n) hold, ignoring negative entries (pages that
 * name no number). On a tie, tie wins when it is one of the tied values;
 * otherwise, and when no entry is set, -1. */
long modules_majority(const long *v, size_t n, long tie);

#endif
