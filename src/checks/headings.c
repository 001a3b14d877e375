/* headings.c - the heading family (not written yet: a placeholder that checks
 * nothing, so the table in checks.c stays complete). */
#include "checks.h"

const struct family headings_family = {.name = "heading"};
