/* marks.h - the container marks that open a Markdown source line, for
 * code that reads lines of source beside libcmark's tree. */
#ifndef CLINT_MARKS_H
#define CLINT_MARKS_H

#include <stdbool.h>
#include <stddef.h>

/* The length of the marks that open line s[0, len): blanks, block quote
 * markers ('>') and, with item (the line starts a list item, or holds a
 * heading, which cannot begin with a marker), list markers ("-", "+",
 * "*", "1." or "1)" followed by a blank). What stands after them is the
 * line's own content: "> 10. [r]: x" gives the offset of "[r]". The
 * caller knows from the tree what kind of line it is; this reads no
 * further than the marks. */
size_t marks_prefix(const char *s, size_t len, bool item);

#endif
