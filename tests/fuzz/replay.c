/* replay.c - a main() for a fuzz harness without libFuzzer: runs
 * LLVMFuzzerTestOneInput once on each file named on the command line.
 * make test builds one per harness with the ordinary compiler (and
 * sanitizers under make asan) to replay tests/fuzz/regressions/. */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"

static int replay(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    return 1;
  }
  size_t cap = 4096, len = 0;
  unsigned char *data = malloc(cap);
  size_t n;
  while (data && (n = fread(data + len, 1, cap - len, f)) > 0) {
    len += n;
    if (len == cap) {
      unsigned char *p = realloc(data, cap *= 2);
      if (!p)
        free(data);
      data = p;
    }
  }
  fclose(f);
  if (!data) {
    fprintf(stderr, "%s: out of memory\n", path);
    return 1;
  }
  LLVMFuzzerTestOneInput(data, len);
  free(data);
  return 0;
}

int main(int argc, char **argv) {
  int bad = 0;
  for (int i = 1; i < argc; i++)
    bad |= replay(argv[i]);
  return bad;
}
