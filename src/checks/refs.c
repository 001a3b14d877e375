/* refs.c - the ref family (not written yet: a placeholder that checks
 * nothing, so the table in checks.c stays complete). */
#include "checks.h"

const struct family refs_family = {.name = "ref"};
