/* glob.c - glob matching for the rule files' ignore lists and path
 * scopes. The glob runs as a set of states, one per place in the glob,
 * over the path's characters: time in the product of their lengths
 * whatever the stars, and no backtracking to get wrong. */
#include "glob.h"

#include <stdlib.h>
#include <string.h>

/* What stands at place i of g. */
enum tok { END, ANY, STAR, DEEP, PARTS, LITERAL };

static enum tok tok_at(const char *g, size_t i) {
  if (!g[i])
    return END;
  if (g[i] == '?')
    return ANY;
  if (g[i] != '*')
    return LITERAL;
  if (g[i + 1] != '*')
    return STAR;
  return g[i + 2] == '/' ? PARTS : DEEP;
}

/* Add the places reached from the marked ones without reading a
 * character: past a star of any kind (it may match nothing). The steps
 * go forward only, so one pass in order is enough. */
static void close_over(const char *g, size_t n, unsigned char *at) {
  for (size_t i = 0; i < n; i++) {
    if (!at[i])
      continue;
    enum tok t = tok_at(g, i);
    if (t == STAR)
      at[i + 1] = 1;
    else if (t == DEEP)
      at[i + 2] = 1;
    else if (t == PARTS)
      at[i + 3] = 1;
  }
}

bool glob_match(const char *g, const char *s) {
  size_t n = strlen(g);
  /* at[i]: the glob up to place i matched what was read. part[i]: a
   * "**" "/" at place i is inside one of the parts it takes. */
  unsigned char small[4 * 128];
  unsigned char *mem =
      4 * (n + 1) <= sizeof(small) ? small : malloc(4 * (n + 1));
  if (!mem)
    return false;
  memset(mem, 0, 4 * (n + 1));
  unsigned char *at = mem, *part = mem + (n + 1);
  unsigned char *nat = mem + 2 * (n + 1), *npart = mem + 3 * (n + 1);
  at[0] = 1;
  close_over(g, n, at);
  for (; *s; s++) {
    memset(nat, 0, 2 * (n + 1)); /* nat and npart */
    char c = *s;
    for (size_t i = 0; i < n; i++) {
      if (part[i])
        (c == '/' ? nat : npart)[i] = 1;
      if (!at[i])
        continue;
      switch (tok_at(g, i)) {
      case PARTS:
        (c == '/' ? nat : npart)[i] = 1;
        break;
      case DEEP:
        nat[i] = 1;
        break;
      case STAR:
        if (c != '/')
          nat[i] = 1;
        break;
      case ANY:
        if (c != '/')
          nat[i + 1] = 1;
        break;
      case LITERAL:
        if (g[i] == c)
          nat[i + 1] = 1;
        break;
      case END:
        break;
      }
    }
    close_over(g, n, nat);
    unsigned char *t = at;
    at = nat, nat = t;
    t = part, part = npart, npart = t;
  }
  /* Matched when the glob is used up, or all that is left of it is
   * stars and slashes ("docs/" matches the folder "docs"). */
  bool hit = false;
  for (size_t i = 0; i <= n && !hit; i++)
    hit = at[i] && strspn(g + i, "*/") == n - i;
  if (mem != small)
    free(mem);
  return hit;
}

bool glob_holds(const char *g, const char *path) {
  bool anchored = strchr(g, '/') != NULL;
  if (g[0] == '/')
    g++;
  size_t n = strlen(path);
  char small[256];
  char *buf = n < sizeof(small) ? small : malloc(n + 1);
  if (!buf)
    return false;
  memcpy(buf, path, n + 1);
  /* Each folder on the way down, then the path itself: a glob that
   * matches a folder holds what is under it. */
  bool hit = false;
  size_t part = 0; /* where the current name starts */
  for (size_t i = 0; i <= n && !hit; i++) {
    if (i < n && buf[i] != '/')
      continue;
    char keep = buf[i];
    buf[i] = '\0';
    hit = glob_match(g, anchored ? buf : buf + part);
    buf[i] = keep;
    part = i + 1;
  }
  if (buf != small)
    free(buf);
  return hit;
}

const char *glob_problem(const char *g) {
  if (!*g)
    return "an empty glob matches nothing";
  if (g[0] == '!')
    return "a leading '!' is not supported: list the paths to leave out "
           "under 'exclude'";
  if (strpbrk(g, "\\"))
    return "'\\' is not supported: folders are separated by '/', and globs "
           "have no escapes";
  if (strpbrk(g, "[]{}"))
    return "'[' and '{' are not supported: globs know '*', '**' and '?'";
  const char *p = g[0] == '/' ? g + 1 : g;
  if (!*p)
    return "'/' alone matches nothing: name a path below the root";
  for (;;) {
    size_t len = strcspn(p, "/");
    if ((len == 1 && p[0] == '.') || (len == 2 && !strncmp(p, "..", 2)))
      return "'.' and '..' are not supported: globs are relative to the "
             "course root";
    if (len == 0 && p[0] == '/')
      return "an empty part ('//') matches nothing";
    if (!p[len])
      break;
    p += len + 1;
  }
  return NULL;
}
