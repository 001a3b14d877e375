/* Reading pages: BOM, front matter, CRLF, the line table and columns. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "scan.h"

static void test_bom_and_front_matter(void **state) {
  (void)state;
  const char text[] = "\xEF\xBB\xBF---\ntitle: x\n---\n# Heading\n";
  struct source src;
  assert_int_equal(scan_from_mem(text, sizeof(text) - 1, &src), CLINT_OK);
  assert_int_equal(src.bom, 3);
  assert_int_equal(src.nlines, 4);
  assert_int_equal(src.body_line, 4);
  /* Front matter is blanked for the parser, lines and offsets kept. */
  assert_memory_equal(src.parse_text, "   \n        \n   \n# Heading\n", 27);
  assert_int_equal(scan_line_of(&src, src.line_starts[3]), 4);
  scan_free(&src);
}

static void test_unclosed_front_matter(void **state) {
  (void)state;
  const char text[] = "---\nnot front matter\n";
  struct source src;
  assert_int_equal(scan_from_mem(text, sizeof(text) - 1, &src), CLINT_OK);
  assert_int_equal(src.body_line, 1);
  scan_free(&src);
}

static void test_crlf_lines(void **state) {
  (void)state;
  const char text[] = "a\r\nbc\r\n\r\nd";
  struct source src;
  assert_int_equal(scan_from_mem(text, sizeof(text) - 1, &src), CLINT_OK);
  assert_int_equal(src.nlines, 4);
  size_t len;
  const char *l = scan_line(&src, 2, &len);
  assert_int_equal(len, 2);
  assert_memory_equal(l, "bc", 2);
  scan_line(&src, 3, &len);
  assert_int_equal(len, 0);
  scan_free(&src);
}

static void test_columns_count_characters(void **state) {
  (void)state;
  const char text[] = "x\n\xC3\xA9t\xC3\xA9 [a](b)\n";
  struct source src;
  assert_int_equal(scan_from_mem(text, sizeof(text) - 1, &src), CLINT_OK);
  size_t off = src.line_starts[1] + 6; /* the '[' after "été " */
  assert_int_equal(scan_char_column(&src, off), 5);
  assert_int_equal(scan_offset(&src, 2, 7), off);
  scan_free(&src);
}

static void test_invalid_utf8_and_nul(void **state) {
  (void)state;
  const char text[] = "ok\nbad \xC3\x28 here\nnul\0byte\n";
  struct source src;
  assert_int_equal(scan_from_mem(text, sizeof(text) - 1, &src), CLINT_OK);
  assert_true(src.bad_utf8);
  assert_int_equal(src.bad_utf8_line, 2);
  assert_true(src.has_nul);
  assert_int_equal(src.parse_text[src.line_starts[2] + 3], ' ');
  scan_free(&src);
}

static void test_empty(void **state) {
  (void)state;
  struct source src;
  assert_int_equal(scan_from_mem("", 0, &src), CLINT_OK);
  assert_int_equal(src.nlines, 1);
  assert_int_equal(src.body_line, 1);
  scan_free(&src);
}

/* The first byte of s that is not well-formed UTF-8 (len when none), by
 * decoding code points: a different road from the scanner's table of
 * byte ranges, to the same answer. */
static size_t first_bad_utf8(const unsigned char *s, size_t len) {
  size_t i = 0;
  while (i < len) {
    unsigned c = s[i];
    size_t n = c < 0x80                ? 1
               : c >= 0xC0 && c < 0xE0 ? 2
               : c >= 0xE0 && c < 0xF0 ? 3
               : c >= 0xF0 && c < 0xF8 ? 4
                                       : 0;
    if (!n || i + n > len)
      return i;
    unsigned long cp = n == 1 ? c : c & (0x7Fu >> n);
    for (size_t k = 1; k < n; k++) {
      if ((s[i + k] & 0xC0) != 0x80)
        return i;
      cp = cp << 6 | (s[i + k] & 0x3Fu);
    }
    static const unsigned long least[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < least[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return i;
    i += n;
  }
  return len;
}

/* Where the line after offset i starts when a line ending is there, or
 * 0: a CR LF pair ends one line (at its LF), a lone CR or LF ends one
 * too. Walks the text its own way, not by scan.c's test. */
static size_t next_line_at(const unsigned char *page, size_t len, size_t i) {
  if (page[i] == '\n')
    return i + 1;
  if (page[i] == '\r')
    return i + 1 < len && page[i + 1] == '\n' ? 0 : i + 1;
  return 0;
}

/* Scan page by the plain C path and by the fastest this build has, and
 * compare each with what the decoder above and a byte-by-byte walk say
 * (the verdict of the UTF-8 check itself as well as the page's, the line
 * of the first bad byte, the line table and the NUL flag), and the two
 * paths' line tables with each other. */
static void check_page(const unsigned char *page, size_t len) {
  size_t bad = first_bad_utf8(page, len);
  struct source ref;
  assert_int_equal(
      scan_from_mem_path((const char *)page, len, SCAN_PATH_PORTABLE, &ref),
      CLINT_OK);
  for (int path = SCAN_PATH_PORTABLE; path <= (int)scan_path_best(); path++) {
    struct source src;
    assert_int_equal(scan_from_mem_path((const char *)page, len, path, &src),
                     CLINT_OK);
    /* The page's verdict would hide a fast check that calls good text
     * bad (the page is read again to find where): ask the check. */
    assert_int_equal(scan_utf8_valid((const char *)page, len, path),
                     bad == len);
    assert_int_equal(src.bad_utf8, bad < len);
    size_t lines = 1, line_of_bad = 0;
    for (size_t i = 0; i < len; i++) {
      if (i == bad)
        line_of_bad = lines;
      size_t next = next_line_at(page, len, i);
      if (next && next < len) {
        assert_int_equal(src.line_starts[lines], next);
        lines++;
      }
    }
    if (bad < len)
      assert_int_equal(src.bad_utf8_line, line_of_bad);
    assert_int_equal(src.nlines, lines);
    assert_memory_equal(src.line_starts, ref.line_starts,
                        lines * sizeof(size_t));
    assert_int_equal(src.has_nul, memchr(page, 0, len) != NULL);
    scan_free(&src);
  }
  scan_free(&ref);
}

/* x86-64 always has SSE2, so that is the path its builds must take (a
 * build without it would leave the vector code untested and unused). */
static void test_sse2_runs_on_x86_64(void **state) {
  (void)state;
#if defined(__x86_64__)
  assert_int_equal(scan_path_best(), SCAN_PATH_SSE2);
#else
  assert_true(scan_path_best() == SCAN_PATH_PORTABLE ||
              scan_path_best() == SCAN_PATH_SSE2);
#endif
}

/* Random pages of ASCII, newlines and real multibyte characters, with a
 * byte flipped here and there, against the decoder above. */
static void test_utf8_and_lines_match_a_decoder(void **state) {
  (void)state;
  static const char *const pieces[] = {"a",
                                       "word ",
                                       "\n",
                                       "\r\n",
                                       "\r",
                                       "\xC3\xA9",
                                       "\xE2\x82\xAC",
                                       "\xF0\x9F\x98\x80",
                                       "\xD8\xB3\xD9\x84",
                                       "\xE4\xB8\xAD",
                                       "0123456789abcdef",
                                       "\xEF\xBF\xBD",
                                       "\xF4\x8F\xBF\xBF"};
  unsigned long seed = 12345;
  unsigned char page[600];
  for (int round = 0; round < 20000; round++) {
    size_t len = 0;
    seed = seed * 6364136223846793005UL + 1442695040888963407UL;
    size_t want = (seed >> 33) % 200;
    while (len < want) {
      seed = seed * 6364136223846793005UL + 1442695040888963407UL;
      const char *p = pieces[(seed >> 33) % 13];
      size_t pl = strlen(p);
      memcpy(page + len, p, pl);
      len += pl;
    }
    /* Flip up to two bytes to any value: truncated, overlong, surrogate
     * and out-of-range sequences all turn up. */
    for (int k = 0; k < 2 && len; k++) {
      seed = seed * 6364136223846793005UL + 1442695040888963407UL;
      if ((seed >> 60) & 1)
        page[(seed >> 33) % len] = (unsigned char)(seed >> 20);
    }
    check_page(page, len);
  }
}

/* Sequences well formed and not, for the tests below: the boundary
 * cases of each length, and each kind of error. */
/* clang-format off */
static const char *const seqs[] = {
    /* well formed: the least and the greatest of each length */
    "\xC2\x80", "\xC3\xA9", "\xDF\xBF", "\xE0\xA0\x80", "\xE2\x82\xAC",
    "\xED\x9F\xBF", "\xEE\x80\x80", "\xEF\xBF\xBF", "\xF0\x90\x80\x80",
    "\xF0\x9F\x98\x80", "\xF3\xBF\xBF\xBF", "\xF4\x8F\xBF\xBF",
    /* overlong */
    "\xC0\x80", "\xC0\xAF", "\xC1\xBF", "\xE0\x80\x80", "\xE0\x9F\xBF",
    "\xF0\x80\x80\x80", "\xF0\x8F\xBF\xBF",
    /* surrogates */
    "\xED\xA0\x80", "\xED\xAF\xBF", "\xED\xBF\xBF",
    /* past U+10FFFF, and bytes never in UTF-8 */
    "\xF4\x90\x80\x80", "\xF4\xBF\xBF\xBF", "\xF5\x80\x80\x80",
    "\xF7\xBF\xBF\xBF", "\xF8\x88\x80\x80\x80", "\xFE", "\xFF",
    /* lone continuations, one too many, and a sequence cut by another */
    "\x80", "\xBF", "\xBF\xBF", "\x80\x80\x80\x80", "\xC3\xA9\xA9",
    "\xE2\x82\xAC\x80", "\xF0\x9F\x98\x80\x80", "\xC3\xC3\xA9",
    "\xE2\x41\xAC", "\xF0\x9F\x41\x80",
};
/* clang-format on */
#define NSEQS (sizeof(seqs) / sizeof(seqs[0]))

/* Fill page from len up to end with characters of one to four bytes when
 * wide, else with ASCII and a newline every 37 bytes; a gap too small for
 * the next character gets ASCII. Returns end. */
static size_t fill(unsigned char *page, size_t len, size_t end, bool wide) {
  static const char *const chars[] = {"\xD0\xB6",         "\xE4\xB8\xAD", "a",
                                      "\xF0\x9F\x98\x80", "\xC3\xA9",     "\n",
                                      "\xE0\xA4\x95"};
  for (size_t k = 0; len < end; k++) {
    const char *c = wide ? chars[k % 7] : (len % 37 == 36 ? "\n" : "a");
    size_t n = strlen(c);
    if (len + n > end) {
      c = "b";
      n = 1;
    }
    memcpy(page + len, c, n);
    len += n;
  }
  return end;
}

/* Every sequence, whole or cut short, at every offset around the 32- and
 * 64-byte blocks of the fast paths, in ASCII and in multibyte text. */
static void test_utf8_across_block_boundaries(void **state) {
  (void)state;
  unsigned char page[300];
  for (size_t q = 0; q < NSEQS; q++) {
    size_t full = strlen(seqs[q]);
    for (size_t cut = 0; cut < full; cut++)
      for (size_t at = 0; at < 140; at++)
        for (int wide = 0; wide < 2; wide++) {
          size_t len = fill(page, 0, at, wide);
          memcpy(page + len, seqs[q], full - cut);
          len = fill(page, len + full - cut, sizeof(page), wide);
          check_page(page, len);
        }
  }
}

/* The same with the sequence at the very end of the text, whole or cut
 * short, for every length of text up to a few blocks: the partial last
 * block, and a sequence left open by the last full one. */
static void test_utf8_at_the_end(void **state) {
  (void)state;
  unsigned char page[200];
  for (size_t q = 0; q < NSEQS; q++) {
    size_t full = strlen(seqs[q]);
    for (size_t cut = 0; cut < full; cut++)
      for (size_t at = 0; at < 140; at++)
        for (int wide = 0; wide < 2; wide++) {
          size_t len = fill(page, 0, at, wide);
          memcpy(page + len, seqs[q], full - cut);
          check_page(page, len + full - cut);
        }
  }
}

/* Pages of the bytes that decide UTF-8 (every lead, the edges of the
 * continuation ranges that E0, ED, F0 and F4 narrow, C0, C1, F5, FF),
 * alone or scattered through runs of ASCII or of valid three-byte
 * characters, judged by the fastest path and by the decoder above. */
static void test_utf8_edge_bytes_at_random(void **state) {
  (void)state;
  static const unsigned char edge[] = {
      'a',  '\n', 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF,
      0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF};
  unsigned char page[260];
  unsigned long seed = 7;
  size_t valid = 0, runs = 200000;
  for (size_t it = 0; it < runs; it++) {
    seed = seed * 6364136223846793005UL + 1442695040888963407UL;
    size_t len = (seed >> 33) % sizeof(page);
    int mode = (int)((seed >> 20) % 3);
    const unsigned char *three = (const unsigned char *)"\xE4\xB8\x80";
    for (size_t i = 0; i < len; i++) {
      seed = seed * 6364136223846793005UL + 1442695040888963407UL;
      page[i] = mode == 0   ? edge[(seed >> 40) % sizeof(edge)]
                : mode == 1 ? 'x'
                            : three[i % 3];
    }
    /* Up to two edge bytes in the runs: none leaves most pages valid. */
    for (int k = (int)((seed >> 50) % 3); mode && len && k > 0; k--) {
      seed = seed * 6364136223846793005UL + 1442695040888963407UL;
      page[(seed >> 33) % len] = edge[(seed >> 45) % sizeof(edge)];
    }
    bool want = first_bad_utf8(page, len) == len;
    valid += want;
    assert_int_equal(scan_utf8_valid((const char *)page, len, scan_path_best()),
                     want);
  }
  /* Both verdicts must be common for the comparison to mean anything. */
  assert_true(valid > runs / 20 && valid < runs - runs / 20);
}

/* A line ending of each kind (LF, CR, CR LF, and LF CR, which is two),
 * a NUL, or both, at each offset of texts of every length up to four
 * 64-byte blocks, and texts of nothing but line endings: the line table
 * and the NUL flag, in the full blocks, across their edges (a CR LF
 * whose CR ends one block) and in the padded last one. */
static void test_lines_and_nul_at_every_offset(void **state) {
  (void)state;
  static const char *const ends[] = {"\n", "\r", "\r\n", "\n\r"};
  unsigned char page[260];
  for (size_t len = 0; len <= sizeof(page); len++) {
    memset(page, '\n', len);
    check_page(page, len);
    memset(page, '\r', len);
    check_page(page, len);
    for (size_t i = 0; i < len; i++)
      page[i] = i % 2 ? '\n' : '\r';
    check_page(page, len);
    for (size_t at = 0; at < len; at++) {
      for (size_t e = 0; e < sizeof(ends) / sizeof(ends[0]); e++) {
        memset(page, 'x', len);
        size_t n = strlen(ends[e]);
        memcpy(page + at, ends[e], at + n <= len ? n : len - at);
        check_page(page, len);
      }
      memset(page, 'x', len);
      page[at] = '\0';
      check_page(page, len);
      page[len - 1 - at] = '\n';
      check_page(page, len);
    }
  }
}

/* A bare CR ends a line as LF and CR LF do (CommonMark 2.1), alone and
 * mixed with the others in one page. */
static void test_cr_lines(void **state) {
  (void)state;
  const char text[] = "# T\r\rSee [a](x.md)\r\n- [] x\n\r\rend\r";
  struct source src;
  assert_int_equal(scan_from_mem(text, sizeof(text) - 1, &src), CLINT_OK);
  static const char *const want[] = {"# T", "",   "See [a](x.md)", "- [] x", "",
                                     "",    "end"};
  assert_int_equal(src.nlines, 7);
  for (unsigned ln = 1; ln <= 7; ln++) {
    size_t len;
    const char *l = scan_line(&src, ln, &len);
    assert_int_equal(len, strlen(want[ln - 1]));
    assert_memory_equal(l, want[ln - 1], len);
  }
  size_t off = (size_t)(strstr(src.text, "[a]") - src.text);
  assert_int_equal(scan_line_of(&src, off), 3);
  assert_int_equal(scan_char_column(&src, off), 5);
  assert_int_equal(scan_offset(&src, 4, 3),
                   (size_t)(strstr(src.text, "[]") - src.text));
  scan_free(&src);
}

/* Front matter closed on a CR-only page is found, and blanked with its
 * line endings kept. */
static void test_cr_front_matter(void **state) {
  (void)state;
  const char text[] = "---\rtitle: x\r---\r# H\r";
  struct source src;
  assert_int_equal(scan_from_mem(text, sizeof(text) - 1, &src), CLINT_OK);
  assert_int_equal(src.nlines, 4);
  assert_int_equal(src.body_line, 4);
  assert_memory_equal(src.parse_text, "   \r        \r   \r# H\r", 21);
  scan_free(&src);
}

/* Make the folder dir (a mkdtemp template) and put the path of name in
 * it into path. */
static void temp_path(char *dir, char *path, size_t size, const char *name) {
  assert_non_null(mkdtemp(dir));
  snprintf(path, size, "%s/%s", dir, name);
}

/* A file of each size around the first read's room (64 KB) and past
 * it reads whole, byte for byte; an empty one reads as an empty page. */
static void test_read_file_of_every_size_around_the_first_read(void **state) {
  (void)state;
  char dir[] = "/tmp/clint-scan-XXXXXX", path[64];
  temp_path(dir, path, sizeof(path), "page.md");
  const size_t sizes[] = {0,     1,     65534,  65535, 65536,
                          65537, 65538, 131071, 200001};
  char *want = malloc(200001);
  assert_non_null(want);
  for (size_t i = 0; i < 200001; i++)
    want[i] = i % 80 == 79 ? '\n' : (char)('a' + i % 26);
  for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(want, 1, sizes[k], f), sizes[k]);
    assert_int_equal(fclose(f), 0);
    struct source src;
    clint_error err;
    assert_int_equal(scan_read_file(path, &src, &err), CLINT_OK);
    assert_int_equal(src.len, sizes[k]);
    assert_memory_equal(src.text, want, sizes[k]);
    assert_int_equal(src.text[sizes[k]], '\0');
    scan_free(&src);
  }
  free(want);
  unlink(path);
  rmdir(dir);
}

/* What is not a regular file is refused, whatever its first read does:
 * a FIFO without a writer reads nothing, a folder fails to read. */
static void test_read_refuses_what_is_not_a_file(void **state) {
  (void)state;
  char dir[] = "/tmp/clint-scan-XXXXXX", fifo[64];
  temp_path(dir, fifo, sizeof(fifo), "fifo.md");
  assert_int_equal(mkfifo(fifo, 0600), 0);
  const char *paths[] = {fifo, dir};
  for (size_t k = 0; k < 2; k++) {
    struct source src;
    clint_error err;
    assert_int_equal(scan_read_file(paths[k], &src, &err), CLINT_E_IO);
    assert_non_null(strstr(err.message, "not a regular file"));
  }
  unlink(fifo);
  rmdir(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_bom_and_front_matter),
      cmocka_unit_test(test_unclosed_front_matter),
      cmocka_unit_test(test_crlf_lines),
      cmocka_unit_test(test_cr_lines),
      cmocka_unit_test(test_cr_front_matter),
      cmocka_unit_test(test_columns_count_characters),
      cmocka_unit_test(test_invalid_utf8_and_nul),
      cmocka_unit_test(test_empty),
      cmocka_unit_test(test_read_file_of_every_size_around_the_first_read),
      cmocka_unit_test(test_read_refuses_what_is_not_a_file),
      cmocka_unit_test(test_sse2_runs_on_x86_64),
      cmocka_unit_test(test_utf8_and_lines_match_a_decoder),
      cmocka_unit_test(test_utf8_across_block_boundaries),
      cmocka_unit_test(test_utf8_at_the_end),
      cmocka_unit_test(test_utf8_edge_bytes_at_random),
      cmocka_unit_test(test_lines_and_nul_at_every_offset),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
