/* glob.h - shell-style globs on '/'-separated paths, as .gitignore and
 * rule files write them. */
#ifndef CLINT_GLOB_H
#define CLINT_GLOB_H

#include <stdbool.h>

/* Whether path s matches glob g: '*' matches within one path part; '**'
 * followed by '/' matches zero or more whole parts ("a/" "**" "/b"
 * matches "a/b" and "a/x/y/b"), elsewhere anything; '?' one character
 * other than '/'. Everything else matches itself, and a glob's trailing
 * stars and slashes may match nothing ("docs/" matches "docs"). */
bool glob_match(const char *g, const char *s);

#endif
