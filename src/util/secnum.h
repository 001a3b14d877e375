/* secnum.h - a dotted section number ("6", "6.5", "1.2.10"): the one type
 * and parser for the numbers of headings (the heading family's sequence
 * checks) and of prose references ("explainer chapter 6.5"). */
#ifndef CLINT_SECNUM_H
#define CLINT_SECNUM_H

#include <stdbool.h>
#include <stddef.h>

#define SECNUM_MAX_PARTS 8  /* "1.2.3.4.5.6.7.8" */
#define SECNUM_MAX_DIGITS 6 /* a part is at most SECNUM_MAX_PART */
#define SECNUM_MAX_PART 999999u

/* "6.5" has two parts, 6 and 5. */
struct secnum {
  unsigned n;
  unsigned part[SECNUM_MAX_PARTS];
};

/* Read a dotted number at the start of s[0, len): "6", "6.5", "06" (6). A
 * dot belongs to the number only when a digit follows it: "6." ending a
 * sentence is 6. Returns the bytes read; 0 when s does not start with an
 * ASCII digit, a part has more than SECNUM_MAX_DIGITS digits or there are
 * more than SECNUM_MAX_PARTS parts. */
size_t secnum_parse(const char *s, size_t len, struct secnum *out);

/* Whether the whole of s (NUL-terminated, may be NULL) is such a number. */
bool secnum_from_str(const char *s, struct secnum *out);

/* Part by part ("2" < "2.1" < "10"); <0, 0, >0. */
int secnum_cmp(const struct secnum *a, const struct secnum *b);

/* Whether a and b both have at least n parts and the same first n. */
bool secnum_same_prefix(const struct secnum *a, const struct secnum *b,
                        unsigned n);

/* Write n as "6.5" into buf (NUL-terminated, cut short when cap is too
 * small; nothing when cap is 0). */
void secnum_str(const struct secnum *n, char *buf, size_t cap);

#endif
