/* fuzz_cache.c - libFuzzer harness for the reader of the hook's cache
 * file (src/cache.c): the input is a cache file. Whatever its bytes,
 * cache_load refuses it or every lookup stays inside it: each folder
 * record is looked up with the stamp it holds (so that the fuzzer reaches
 * the entries), each entry read, and pages looked up by a few paths.
 * The record layout used here to find the folders' stamps is the one
 * cache.c documents. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "fuzz.h"
#include "util/hash.h"

enum { HEAD = 64, DIR_REC = 56, DIR_STAMP = 16, ENTRY_REC = 12, FILE_REC = 48 };

static uint32_t get32(const char *p) {
  uint32_t v;
  memcpy(&v, p, sizeof(v));
  return v;
}

/* Touch every word of a summary, as a search would. */
static unsigned long touch(const uint64_t *s, size_t n) {
  unsigned long sum = 0;
  for (size_t i = 0; i < n; i++)
    sum += (unsigned long)(s[i] & 1);
  uint64_t h[4];
  size_t nh = cache_word_hashes("m1/01_plan", h, 4);
  return sum + cache_may_hold(s, n, h, nh);
}

/* Put the checksum right in a copy of the input whose header's counts
 * fit it, so that mutations reach the records rather than stop at the
 * checksum every time; the other half of the inputs go in as they are. */
static void fix_checksum(char *d, size_t size) {
  if (size < HEAD || (d[63] & 1))
    return;
  uint64_t ndirs = get32(d + 12), nent = get32(d + 16), nfiles = get32(d + 20),
           nstrings;
  memcpy(&nstrings, d + 24, 8);
  uint64_t words = HEAD + ndirs * DIR_REC + (nent * ENTRY_REC + 7) / 8 * 8 +
                   nfiles * FILE_REC + nstrings;
  if (nstrings > size || words > size)
    return;
  uint64_t sum = hash_digest(d + HEAD, (size_t)words - HEAD);
  memcpy(d + 40, &sum, 8);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char path[4096];
  snprintf(path, sizeof(path), "%s/c.cache", fuzz_dir());
  char *copy = malloc(size ? size : 1);
  if (!copy)
    return 0;
  memcpy(copy, data, size);
  fix_checksum(copy, size);
  fuzz_write("c.cache", copy, size);
  free(copy);
  struct cache k;
  cache_load(&k, path, 2000000000);
  volatile unsigned long sink = 0;
  for (uint32_t i = 0; k.data && i < k.ndirs; i++) {
    const char *r = k.data + k.dirs_at + (size_t)i * DIR_REC;
    const char *dir = k.data + k.strings_at + get32(r); /* checked by load */
    struct cache_stamp st;
    memcpy(&st.ino, r + DIR_STAMP, 8);
    memcpy(&st.size, r + DIR_STAMP + 8, 8);
    memcpy(&st.mtime_s, r + DIR_STAMP + 16, 8);
    memcpy(&st.ctime_s, r + DIR_STAMP + 24, 8);
    memcpy(&st.mtime_ns, r + DIR_STAMP + 32, 4);
    memcpy(&st.ctime_ns, r + DIR_STAMP + 36, 4);
    size_t n;
    const char *rec = cache_dir(&k, dir, &st, &n);
    struct cache_entry e;
    for (size_t j = 0; rec && j < n + 1; j++)
      if (cache_dir_entry(&k, rec, j, &e)) {
        sink += e.len + strlen(e.name);
        char page[1024];
        snprintf(page, sizeof(page), "%s%s%s", dir, *dir ? "/" : "", e.name);
        size_t nw;
        struct cache_stamp ps;
        const uint64_t *s = cache_summary_kept(&k, page, &ps, &nw);
        if (s && cache_summary(&k, page, &ps, &nw) == s)
          sink += touch(s, nw);
      }
  }
  static const char *const pages[] = {"", "m1/01_plan.md", "README.md",
                                      "a/b/c.md", "m9/gone.md"};
  for (size_t i = 0; i < sizeof(pages) / sizeof(*pages); i++) {
    size_t nw;
    struct cache_stamp ps;
    const uint64_t *s = cache_summary_kept(&k, pages[i], &ps, &nw);
    if (s)
      sink += touch(s, nw);
  }
  (void)sink;
  cache_free(&k);
  return 0;
}
