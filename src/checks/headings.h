/* headings.h - pure helpers of the heading family, exposed for the unit
 * tests: reading a section number and matching a required section. */
#ifndef CLINT_CHECKS_HEADINGS_H
#define CLINT_CHECKS_HEADINGS_H

#include <stdbool.h>
#include <stddef.h>

#define HEADINGS_MAX_PARTS 8

/* A section number split into its parts: "6.5" is {6, 5}. */
struct secnum {
  unsigned long part[HEADINGS_MAX_PARTS];
  unsigned n;
};

/* Read a number such as "6", "6.5" or "1.2.3" (as the core stores it,
 * without a trailing dot). false when s is not such a number or has more
 * than HEADINGS_MAX_PARTS parts. */
bool headings_parse_number(const char *s, struct secnum *out);

/* Whether a and b have the same first n parts. */
bool headings_same_prefix(const struct secnum *a, const struct secnum *b,
                          unsigned n);

/* Whether heading text starts with want, ignoring ASCII case. Leading
 * numbering, punctuation and symbols of the heading ("3. ", "✅ ") are
 * skipped when want starts with a letter. */
bool headings_prefix_match(const char *text, const char *want);

/* Whether the heading text ends in a '#' that is not part of a language
 * name such as C# or F#; *run gets the number of trailing '#'. */
bool headings_stray_hash(const char *text, size_t len, size_t *run);

#endif
