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

/* Whether a root-relative path lies where glob g points, the way a rule
 * file's `ignore` list reads globs (as .gitignore does): a glob holding
 * '/' matches from the root (a leading '/' is dropped), one without
 * matches a name at any depth; and a glob that matches a folder holds
 * everything under it ("cohorts", "cohorts/" and "cohorts/" "**" all hold
 * "cohorts/week1/a.md"). */
bool glob_holds(const char *g, const char *path);

/* Why g is not a glob a rule file may use, or NULL when it is: empty, a
 * '.' or '..' part (paths are root-relative and normalised), an empty
 * part ("a//b"), or a character that other glob dialects give a meaning
 * this one lacks (a backslash, '[', '{', a leading '!'), which would silently
 * match itself. The reason is a constant string. */
const char *glob_problem(const char *g);

#endif
