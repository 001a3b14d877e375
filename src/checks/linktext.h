/* linktext.h - pure helpers of the link-text family, exposed for the
 * unit tests. */
#ifndef CLINT_CHECKS_LINKTEXT_H
#define CLINT_CHECKS_LINKTEXT_H

#include <stddef.h>

#include "../util/secnum.h"

/* The chapter or section numbers link text names after its first noun
 * ("chapter 2", "sections 4.1-4.3", "ch. 3", "§2.4"): expanded as prose
 * writes lists and ranges, at most max of them into out; how many (0:
 * the text names none). *noun and *noun_len get the noun as written. A
 * number needs its noun: "the first 3 chapters" and "2024 results" name
 * none. */
size_t linktext_numbers(const char *text, const char **noun, size_t *noun_len,
                        struct secnum *out, size_t max);

#endif
