/* floor.c - the benchmark's floor: the time libcmark alone needs to parse
 * a course. Reads each file named on stdin (one path a line), parses it
 * with CMARK_OPT_SOURCEPOS as courselint does, frees the tree; one thread.
 * Prints the number of files and bytes parsed to stderr. */
#include <cmark.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *read_all(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  size_t cap = 1 << 16, n = 0;
  char *data = malloc(cap);
  while (data) {
    n += fread(data + n, 1, cap - n, f);
    if (n < cap)
      break;
    char *p = realloc(data, cap * 2);
    if (!p) {
      free(data);
      data = NULL;
      break;
    }
    data = p;
    cap *= 2;
  }
  int bad = ferror(f);
  fclose(f);
  if (bad) {
    free(data);
    return NULL;
  }
  *len = n;
  return data;
}

int main(void) {
  char line[8192];
  size_t files = 0, bytes = 0;
  while (fgets(line, sizeof(line), stdin)) {
    line[strcspn(line, "\n")] = '\0';
    if (!line[0])
      continue;
    size_t len;
    char *text = read_all(line, &len);
    if (!text) {
      fprintf(stderr, "floor: cannot read %s\n", line);
      return 2;
    }
    cmark_node *doc = cmark_parse_document(text, len, CMARK_OPT_SOURCEPOS);
    if (!doc) {
      fprintf(stderr, "floor: cannot parse %s\n", line);
      free(text);
      return 2;
    }
    cmark_node_free(doc);
    free(text);
    files++;
    bytes += len;
  }
  fprintf(stderr, "floor: %zu files, %zu bytes\n", files, bytes);
  return 0;
}
