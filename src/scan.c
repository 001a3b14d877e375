/* scan.c - first stage of the pipeline: read a page, drop its BOM, find its
 * front matter and build the line table that every later stage uses to
 * turn offsets into line:column. */
#include "scan.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/status.h"
#include "util/utf8.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* The room of a page's first read: more than nearly every page needs
 * (IoT for Beginners: 10 KB on average). */
#define SCAN_FIRST_READ ((size_t)64 * 1024)

/* Whether s is well-formed UTF-8, one sequence at a time; if not, *bad is
 * the offset of the first byte that is not. The reference for the SSE2
 * check, and the one that finds where a bad page goes wrong. */
static bool utf8_valid_scalar(const unsigned char *p, size_t len, size_t *bad) {
  size_t i = 0;
  while (i < len) {
    if (p[i] < 0x80) {
      i++;
      continue;
    }
    uint32_t cp;
    size_t n = utf8_decode((const char *)p + i, len - i, &cp);
    if (!n) {
      *bad = i;
      return false;
    }
    i += n;
  }
  return true;
}

#if defined(__SSE2__)
/* The lanes of the 16 bytes v that break UTF-8, given the bytes one, two
 * and three places before each (b1, b2, b3): a continuation byte where no
 * lead asks for one, or none where one does; a byte that is never in
 * UTF-8 (C0, C1, F5..FF); a second byte outside what its lead allows
 * (after E0: A0..BF, ED: 80..9F, F0: 90..BF, F4: 80..8F). Compares are
 * signed: 80..BF are -128..-65 and C0..FF -64..-1; ASCII is 0..127. */
static inline __m128i utf8_errors16(__m128i v, __m128i b1, __m128i b2,
                                    __m128i b3) {
#define SET(x) _mm_set1_epi8((char)(x))
  __m128i cont = _mm_cmplt_epi8(v, SET(-64));
  /* Leads, compared unsigned: with the top bit flipped, C0..FF are
   * 64..127 and ASCII is negative. */
  __m128i want = _mm_or_si128(
      _mm_cmpgt_epi8(_mm_xor_si128(b1, SET(0x80)), SET(0x3F)), /* C0.. */
      _mm_or_si128(
          _mm_cmpgt_epi8(_mm_xor_si128(b2, SET(0x80)), SET(0x5F)),   /* E0.. */
          _mm_cmpgt_epi8(_mm_xor_si128(b3, SET(0x80)), SET(0x6F)))); /* F0.. */
  __m128i err = _mm_xor_si128(want, cont);
  err = _mm_or_si128(err, _mm_and_si128(_mm_cmpgt_epi8(v, SET(-65)),
                                        _mm_cmplt_epi8(v, SET(-62))));
  err = _mm_or_si128(err, _mm_and_si128(_mm_cmpgt_epi8(v, SET(-12)),
                                        _mm_cmplt_epi8(v, SET(0))));
  __m128i narrow =
      _mm_or_si128(_mm_or_si128(_mm_and_si128(_mm_cmpeq_epi8(b1, SET(0xE0)),
                                              _mm_cmplt_epi8(v, SET(-96))),
                                _mm_and_si128(_mm_cmpeq_epi8(b1, SET(0xED)),
                                              _mm_cmpgt_epi8(v, SET(-97)))),
                   _mm_or_si128(_mm_and_si128(_mm_cmpeq_epi8(b1, SET(0xF0)),
                                              _mm_cmplt_epi8(v, SET(-112))),
                                _mm_and_si128(_mm_cmpeq_epi8(b1, SET(0xF4)),
                                              _mm_cmpgt_epi8(v, SET(-113)))));
#undef SET
  return _mm_or_si128(err, narrow);
}

static inline __m128i utf8_errors_at(const unsigned char *p) {
  return utf8_errors16(_mm_loadu_si128((const void *)p),
                       _mm_loadu_si128((const void *)(p - 1)),
                       _mm_loadu_si128((const void *)(p - 2)),
                       _mm_loadu_si128((const void *)(p - 3)));
}

/* Whether the len bytes at p are well-formed UTF-8. A translated page is
 * mostly multibyte characters, so each byte is checked against the three
 * before it, 16 at a time, and the errors gathered in one register; a run
 * of 64 ASCII bytes is passed over once the bytes before it ask for no
 * continuation. The end, from the last sequence that starts before it,
 * one sequence at a time. */
static bool utf8_valid_sse2(const unsigned char *p, size_t len) {
  if (len < 16)
    return utf8_valid_scalar(p, len, &(size_t){0});
  /* The first 16 bytes have nothing before them: zeros, as ASCII. */
  unsigned char head[19] = {0};
  memcpy(head + 3, p, 16);
  __m128i err = utf8_errors_at(head + 3);
  size_t i = 16;
  for (; i + 64 <= len; i += 64) {
    __m128i any =
        _mm_or_si128(_mm_or_si128(_mm_loadu_si128((const void *)(p + i)),
                                  _mm_loadu_si128((const void *)(p + i + 16))),
                     _mm_or_si128(_mm_loadu_si128((const void *)(p + i + 32)),
                                  _mm_loadu_si128((const void *)(p + i + 48))));
    if (!_mm_movemask_epi8(any)) {
      if (p[i - 1] >= 0xC0 || p[i - 2] >= 0xE0 || p[i - 3] >= 0xF0)
        return false; /* a sequence cut short by ASCII */
      continue;
    }
    for (int k = 0; k < 64; k += 16)
      err = _mm_or_si128(err, utf8_errors_at(p + i + k));
  }
  for (; i + 16 <= len; i += 16)
    err = _mm_or_si128(err, utf8_errors_at(p + i));
  if (_mm_movemask_epi8(err))
    return false;
  i = utf8_back((const char *)p, 0, i);
  return utf8_valid_scalar(p + i, len - i, &(size_t){0});
}
#endif

bool scan_utf8_valid(const char *s, size_t len, enum scan_path path) {
  (void)path;
#if defined(__SSE2__)
  if (path == SCAN_PATH_SSE2)
    return utf8_valid_sse2((const unsigned char *)s, len);
#endif
  size_t bad;
  return utf8_valid_scalar((const unsigned char *)s, len, &bad);
}

/* The line table as it grows: at[k] is the offset where line k+1 starts. */
struct lines {
  size_t *at;
  size_t n, cap;
};

static bool lines_grow(struct lines *t) {
  size_t *grown = realloc(t->at, t->cap * 2 * sizeof(size_t));
  if (!grown)
    return false;
  t->at = grown;
  t->cap *= 2;
  return true;
}

/* A line starts after each line ending that ends marks, bit k for the
 * byte at base + k. One test for room covers a whole 64-byte block. */
static inline bool lines_add(struct lines *t, size_t base, uint64_t ends) {
  if (t->cap - t->n < 64 && !lines_grow(t))
    return false;
  /* A local count: a store through at could otherwise change t->n. */
  size_t n = t->n;
  for (; ends; ends &= ends - 1)
    t->at[n++] = base + (size_t)__builtin_ctzll(ends) + 1;
  t->n = n;
  return true;
}

/* Whether the byte at p[i] ends a line. CommonMark's line endings are LF,
 * CR and CR LF; the CR of a CR LF does not end a line, its LF does. */
static inline bool line_end_at(const unsigned char *p, size_t len, size_t i) {
  return p[i] == '\n' || (p[i] == '\r' && (i + 1 == len || p[i + 1] != '\n'));
}

/* Plain C: the path on other architectures, and the reference for the
 * SSE2 one. */
static bool index_lines_portable(const unsigned char *p, size_t len,
                                 struct lines *t, bool *nul) {
  for (size_t i = 0; i < len; i++)
    if (line_end_at(p, len, i) && !lines_add(t, i, 1))
      return false;
  *nul = memchr(p, '\0', len) != NULL;
  return true;
}

#if defined(__SSE2__)
/* The line endings among the 64 bytes at p, as a mask; next_lf says that
 * the byte after them is a LF. low keeps the least byte seen, so that a
 * NUL anywhere shows at the end. */
static inline uint64_t line_ends_sse2(const unsigned char *p, bool next_lf,
                                      __m128i *low) {
  uint64_t lf = 0, cr = 0;
  for (int k = 0; k < 4; k++) {
    __m128i v = _mm_loadu_si128((const void *)(p + 16 * k));
    *low = _mm_min_epu8(*low, v);
    unsigned l =
        (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')));
    unsigned c =
        (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('\r')));
    lf |= (uint64_t)l << (16 * k);
    cr |= (uint64_t)c << (16 * k);
  }
  /* A CR ends a line unless a LF follows it, here or in the next block. */
  return lf | (cr & ~((lf >> 1) | (uint64_t)next_lf << 63));
}

/* Copy the len - i < 64 bytes left at p + i into last, padded with
 * spaces: neither line ending nor NUL. */
static void last_block(unsigned char last[64], const unsigned char *p,
                       size_t len, size_t i) {
  memset(last, ' ', 64);
  memcpy(last, p + i, len - i);
}

static bool index_lines_sse2(const unsigned char *p, size_t len,
                             struct lines *t, bool *nul) {
  __m128i low = _mm_set1_epi8(-1);
  size_t i = 0;
  for (; i + 64 <= len; i += 64) {
    uint64_t ends =
        line_ends_sse2(p + i, i + 64 < len && p[i + 64] == '\n', &low);
    if (ends && !lines_add(t, i, ends))
      return false;
  }
  unsigned char last[64];
  last_block(last, p, len, i);
  if (!lines_add(t, i, line_ends_sse2(last, false, &low)))
    return false;
  *nul = _mm_movemask_epi8(_mm_cmpeq_epi8(low, _mm_setzero_si128())) != 0;
  return true;
}
#endif

/* The line endings and NULs in the len bytes at p, by the given path. */
static bool find_lines(const unsigned char *p, size_t len, enum scan_path path,
                       struct lines *t, bool *nul) {
  (void)path;
#if defined(__SSE2__)
  if (path == SCAN_PATH_SSE2)
    return index_lines_sse2(p, len, t, nul);
#endif
  return index_lines_portable(p, len, t, nul);
}

/* Fill src's line table and has_nul in one pass. */
static bool index_lines(struct source *src, enum scan_path path) {
  struct lines t = {NULL, 1, src->len / 32 + 64};
  t.at = malloc(t.cap * sizeof(size_t));
  if (!t.at)
    return false;
  t.at[0] = 0;
  bool nul = false;
  bool ok =
      find_lines((const unsigned char *)src->text, src->len, path, &t, &nul);
  if (!ok) {
    free(t.at);
    return false;
  }
  /* A final line ending does not start a line of its own. */
  if (t.n > 1 && t.at[t.n - 1] == src->len)
    t.n--;
  src->line_starts = t.at;
  src->nlines = t.n;
  src->has_nul = nul;
  return true;
}

enum scan_path scan_path_best(void) {
#if defined(__SSE2__)
  return SCAN_PATH_SSE2;
#else
  return SCAN_PATH_PORTABLE;
#endif
}

/* Front matter is a "---" first line closed by a "---" or "..." line, as
 * Jekyll, Hugo and MkDocs read it. Returns the 1-based first body line. */
static unsigned front_matter_end(const struct source *src) {
  size_t len;
  const char *l = scan_line(src, 1, &len);
  if (len < 3 || memcmp(l, "---", 3) != 0)
    return 1;
  for (size_t i = 3; i < len; i++)
    if (l[i] != ' ' && l[i] != '\t')
      return 1;
  for (unsigned n = 2; n <= src->nlines; n++) {
    l = scan_line(src, n, &len);
    while (len && (l[len - 1] == ' ' || l[len - 1] == '\t'))
      len--;
    if (len == 3 && (memcmp(l, "---", 3) == 0 || memcmp(l, "...", 3) == 0))
      return n + 1;
  }
  return 1; /* unclosed: not front matter, a thematic break */
}

static clint_status build(struct source *src, enum scan_path path) {
  if (!index_lines(src, path))
    return CLINT_E_NOMEM;
  size_t bad;
  /* A page that fails the fast check is read again one sequence at a
   * time to find where. */
  if (!scan_utf8_valid(src->text, src->len, path) &&
      !utf8_valid_scalar((const unsigned char *)src->text, src->len, &bad)) {
    src->bad_utf8 = true;
    src->bad_utf8_line = scan_line_of(src, bad);
  }
  src->body_line = front_matter_end(src);
  /* cmark reads the text itself unless something must be blanked. */
  if (src->body_line == 1 && !src->has_nul) {
    src->parse_text = src->text;
    return CLINT_OK;
  }
  src->parse_text = malloc(src->len + 1);
  if (!src->parse_text)
    return CLINT_E_NOMEM;
  memcpy(src->parse_text, src->text, src->len + 1);
  if (src->body_line > 1) {
    size_t end = src->body_line - 1 < src->nlines
                     ? src->line_starts[src->body_line - 1]
                     : src->len;
    for (size_t i = 0; i < end; i++)
      if (src->parse_text[i] != '\n' && src->parse_text[i] != '\r')
        src->parse_text[i] = ' ';
  }
  /* cmark stops at a NUL in some paths; CommonMark says replace it. A
   * space keeps offsets and columns true. */
  if (src->has_nul)
    for (size_t i = 0; i < src->len; i++)
      if (src->parse_text[i] == '\0')
        src->parse_text[i] = ' ';
  return CLINT_OK;
}

static clint_status take(struct source *src, char *data, size_t len,
                         enum scan_path path) {
  memset(src, 0, sizeof(*src));
  if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
    memmove(data, data + 3, len - 3);
    len -= 3;
    data[len] = '\0';
    src->bom = 3;
  }
  src->text = data;
  src->len = len;
  clint_status st = build(src, path);
  if (st != CLINT_OK)
    scan_free(src);
  return st;
}

clint_status scan_from_mem(const char *data, size_t len, struct source *src) {
  return scan_from_mem_path(data, len, scan_path_best(), src);
}

clint_status scan_from_mem_path(const char *data, size_t len,
                                enum scan_path path, struct source *src) {
  enum scan_path best = scan_path_best();
  char *copy = malloc(len + 1);
  if (!copy)
    return CLINT_E_NOMEM;
  memcpy(copy, data, len);
  copy[len] = '\0';
  return take(src, copy, len, path > best ? best : path);
}

clint_status scan_read_file(const char *path, struct source *src,
                            clint_error *err) {
  return scan_read_file_at(AT_FDCWD, path, src, err);
}

/* The size of the open file fd, or CLINT_E_IO when it is not a regular
 * file and CLINT_E_LIMIT when it is over SCAN_MAX_BYTES. */
static clint_status regular_size(int fd, const char *path, size_t *size,
                                 clint_error *err) {
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
    return status_set(err, CLINT_E_IO, path, 0, 0,
                      "cannot read: not a regular file");
  if ((size_t)st.st_size > SCAN_MAX_BYTES)
    return status_set(err, CLINT_E_LIMIT, path, 0, 0,
                      "file of %lld bytes is over the limit of %zu bytes",
                      (long long)st.st_size, SCAN_MAX_BYTES);
  *size = (size_t)st.st_size;
  return CLINT_OK;
}

/* Make *data hold to bytes. */
static clint_status grow(char **data, size_t *cap, size_t to, const char *path,
                         clint_error *err) {
  char *p = realloc(*data, to);
  if (!p)
    return status_set(err, CLINT_E_NOMEM, path, 0, 0, "out of memory");
  *data = p;
  *cap = to;
  return CLINT_OK;
}

clint_status scan_read_file_at(int dirfd, const char *path, struct source *src,
                               clint_error *err) {
  memset(src, 0, sizeof(*src));
  /* O_NONBLOCK: opening a FIFO must not wait for a writer. */
  int fd = openat(dirfd, path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    return status_set(err, CLINT_E_IO, path, 0, 0, "cannot open: %s",
                      strerror(errno));
  /* Most pages fit the first read, so the file's status is asked only
   * when that read is odd: it fills the room (a large page, or a device
   * that never ends), reads nothing (an empty page, or a FIFO) or fails.
   * The walk listed the page as a regular file; this saves a system call
   * on nearly every page. */
  size_t cap = SCAN_FIRST_READ, len = 0;
  bool stated = false;
  char *data = malloc(cap);
  clint_status st =
      data ? CLINT_OK
           : status_set(err, CLINT_E_NOMEM, path, 0, 0, "out of memory");
  while (st == CLINT_OK) {
    if (!stated && len + 1 >= cap) {
      size_t size;
      st = regular_size(fd, path, &size, err);
      stated = true;
      /* Room for one byte past the size, so that reading to EOF does
       * not look like growth. */
      if (st == CLINT_OK && size + 2 > cap) {
        st = grow(&data, &cap, size + 2, path, err);
        continue;
      }
    }
    if (st == CLINT_OK && len + 1 >= cap) /* the file grew as we read it */
      st = cap > SCAN_MAX_BYTES
               ? status_set(err, CLINT_E_LIMIT, path, 0, 0,
                            "file is over the limit of %zu bytes",
                            SCAN_MAX_BYTES)
               : grow(&data, &cap, cap * 2, path, err);
    if (st != CLINT_OK)
      break;
    size_t want = cap - 1 - len;
    ssize_t n = read(fd, data + len, want);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0 && !stated) {
      /* A FIFO, a folder or a device says so here. */
      int e = errno;
      size_t size;
      stated = true;
      st = regular_size(fd, path, &size, err);
      errno = e;
    }
    if (st == CLINT_OK && n < 0)
      st = status_set(err, CLINT_E_IO, path, 0, 0, "cannot read: %s",
                      strerror(errno));
    if (st != CLINT_OK || n == 0)
      break;
    len += (size_t)n;
    /* A regular file reads short only at its end: no second read to
     * learn that. */
    if ((size_t)n < want)
      break;
  }
  if (st != CLINT_OK) {
    free(data);
    close(fd);
    return st;
  }
  close(fd);
  data[len] = '\0';
  clint_status s = take(src, data, len, scan_path_best());
  if (s != CLINT_OK)
    return status_set(err, s, path, 0, 0, "out of memory");
  return CLINT_OK;
}

void scan_free(struct source *src) {
  if (src->parse_text != src->text)
    free(src->parse_text);
  free(src->text);
  free(src->line_starts);
  memset(src, 0, sizeof(*src));
}

unsigned scan_line_of(const struct source *src, size_t off) {
  size_t lo = 0, hi = src->nlines;
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (src->line_starts[mid] <= off)
      lo = mid;
    else
      hi = mid;
  }
  return (unsigned)lo + 1;
}

size_t scan_offset(const struct source *src, unsigned line, unsigned col) {
  if (line == 0)
    line = 1;
  if (line > src->nlines)
    return src->len;
  size_t off = src->line_starts[line - 1] + (col ? col - 1 : 0);
  return off > src->len ? src->len : off;
}

unsigned scan_char_column(const struct source *src, size_t off) {
  unsigned line = scan_line_of(src, off);
  size_t start = src->line_starts[line - 1];
  if (off > src->len)
    off = src->len;
  return 1 + (unsigned)(off > start ? utf8_count(src->text + start, off - start)
                                    : 0);
}

const char *scan_line(const struct source *src, unsigned line, size_t *len) {
  if (line == 0 || line > src->nlines) {
    *len = 0;
    return src->text + src->len;
  }
  size_t start = src->line_starts[line - 1];
  size_t end = line < src->nlines ? src->line_starts[line] : src->len;
  if (end > start && src->text[end - 1] == '\n')
    end--;
  if (end > start && src->text[end - 1] == '\r')
    end--;
  *len = end - start;
  return src->text + start;
}
