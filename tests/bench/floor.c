/* floor.c - the benchmark's floor: the time libcmark alone needs to parse
 * a course. Reads each file named in LIST (one path a line; stdin without
 * LIST), parses it with CMARK_OPT_SOURCEPOS as courselint does and frees
 * the tree; one thread. Prints the number of files and bytes to stderr.
 *   floor [LIST] */
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

int main(int argc, char **argv) {
  FILE *list = argc > 1 ? fopen(argv[1], "r") : stdin;
  if (!list) {
    fprintf(stderr, "floor: cannot open %s\n", argv[1]);
    return 2;
  }
  char line[8192];
  size_t files = 0, bytes = 0;
  while (fgets(line, sizeof(line), list)) {
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
