/* suppress.h - suppression comments: <!-- courselint-disable ... -->
 * and its kin switch rules off for a line, a range of lines or the whole
 * page. Read once when a page loads; asked for every finding. */
#ifndef CLINT_SUPPRESS_H
#define CLINT_SUPPRESS_H

#include <stdbool.h>

#include "parse.h"
#include "util/arena.h"

struct suppressions;

/* The suppressions the HTML comments of doc declare, in the arena, or
 * NULL when there are none (or on no memory: then nothing is
 * suppressed). Costs time in proportion to the comments. */
struct suppressions *suppress_read(struct arena *a, const struct doc *doc);

/* Whether rule (an id such as "link/missing-file") is switched off at
 * 1-based line. s may be NULL. Not for two threads at once on one s (it
 * remembers which groups each rule consults). */
bool suppress_covers(struct suppressions *s, const char *rule, unsigned line);

/* Free what s holds outside its arena. s may be NULL. */
void suppress_free(struct suppressions *s);

#endif
