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

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* One UTF-8 sequence at p[0] (a byte >= 0x80), per the table of
 * well-formed sequences in Unicode (table 3-7): the lead byte fixes the
 * length and the range of the second byte, which rules out overlong
 * forms, surrogates and values past U+10FFFF. Returns its length, or 0
 * when it is not well formed; n is the number of bytes available. */
static size_t utf8_seq(const unsigned char *p, size_t n) {
  unsigned c = p[0];
  if (c >= 0xC2 && c <= 0xDF)
    return n >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;
  unsigned lo = 0x80, hi = 0xBF;
  size_t len;
  if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    lo = c == 0xE0 ? 0xA0 : 0x80;
    hi = c == 0xED ? 0x9F : 0xBF;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    lo = c == 0xF0 ? 0x90 : 0x80;
    hi = c == 0xF4 ? 0x8F : 0xBF;
  } else {
    return 0;
  }
  if (n < len || p[1] < lo || p[1] > hi || (p[2] & 0xC0) != 0x80 ||
      (len == 4 && (p[3] & 0xC0) != 0x80))
    return 0;
  return len;
}

/* Whether s is well-formed UTF-8, one sequence at a time; if not, *bad is
 * the offset of the first byte that is not. */
static bool utf8_valid_scalar(const unsigned char *p, size_t len, size_t *bad) {
  size_t i = 0;
  while (i < len) {
    if (p[i] < 0x80) {
      i++;
      continue;
    }
    size_t n = utf8_seq(p + i, len - i);
    if (!n) {
      *bad = i;
      return false;
    }
    i += n;
  }
  return true;
}

#if defined(__SSE2__)
/* Masks of one 64-byte block, a bit per byte. */
struct utf8_masks {
  uint64_t cont;           /* 10xxxxxx */
  uint64_t lead;           /* C2..F4: wants a continuation after it */
  uint64_t lead3;          /* E0..F4: wants two */
  uint64_t lead4;          /* F0..F4: wants three */
  uint64_t bad;            /* C0, C1, F5..FF: never in UTF-8 */
  uint64_t e0, ed, f0, f4; /* leads that narrow their second byte */
  uint64_t lo9f;           /* 80..9F */
  uint64_t lo8f;           /* 80..8F */
};

static uint64_t mask16(__m128i m, int k) {
  return (uint64_t)(unsigned)_mm_movemask_epi8(m) << (16 * k);
}

static void utf8_classify(const unsigned char *p, struct utf8_masks *m) {
  memset(m, 0, sizeof(*m));
  for (int k = 0; k < 4; k++) {
    /* Bytes compared as signed: 80..BF are -128..-65, C0..FF -64..-1. */
    __m128i v = _mm_loadu_si128((const void *)(p + 16 * k));
    __m128i c0 = _mm_cmplt_epi8(v, _mm_set1_epi8(-64));   /* < C0 */
    __m128i neg = _mm_cmplt_epi8(v, _mm_setzero_si128()); /* >= 80 */
    __m128i ge_c2 = _mm_cmpgt_epi8(v, _mm_set1_epi8(-63));
    __m128i ge_e0 = _mm_cmpgt_epi8(v, _mm_set1_epi8(-33));
    __m128i ge_f0 = _mm_cmpgt_epi8(v, _mm_set1_epi8(-17));
    __m128i ge_f5 = _mm_cmpgt_epi8(v, _mm_set1_epi8(-12));
    __m128i lead = _mm_andnot_si128(ge_f5, _mm_and_si128(ge_c2, neg));
    m->cont |= mask16(_mm_and_si128(c0, neg), k);
    m->lead |= mask16(lead, k);
    m->lead3 |= mask16(_mm_andnot_si128(ge_f5, ge_e0), k);
    m->lead4 |= mask16(_mm_andnot_si128(ge_f5, ge_f0), k);
    m->bad |= mask16(
        _mm_andnot_si128(_mm_or_si128(c0, _mm_andnot_si128(ge_f5, ge_c2)), neg),
        k);
    m->e0 |= mask16(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xE0)), k);
    m->ed |= mask16(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xED)), k);
    m->f0 |= mask16(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xF0)), k);
    m->f4 |= mask16(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xF4)), k);
    m->lo9f |= mask16(_mm_cmplt_epi8(v, _mm_set1_epi8((char)0xA0)), k);
    m->lo8f |= mask16(_mm_cmplt_epi8(v, _mm_set1_epi8((char)0x90)), k);
  }
}
#endif

/* Whether s is well-formed UTF-8; if not, *bad is the offset of the first
 * byte that is not. A translated page is mostly multibyte characters, so
 * the test works on 64 bytes at once with masks: every continuation byte
 * must be one that a lead byte before it asks for, and no other byte may
 * be; the four leads that narrow their second byte (E0, ED, F0, F4) are
 * checked against it. A page that fails is read again one sequence at a
 * time to find the first bad byte. */
static bool utf8_valid(const char *s, size_t len, size_t *bad) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
#if defined(__SSE2__)
  uint64_t err = 0, carry = 0, e0 = 0, ed = 0, f0 = 0, f4 = 0;
  for (; i + 64 <= len; i += 64) {
    __m128i any =
        _mm_or_si128(_mm_or_si128(_mm_loadu_si128((const void *)(p + i)),
                                  _mm_loadu_si128((const void *)(p + i + 16))),
                     _mm_or_si128(_mm_loadu_si128((const void *)(p + i + 32)),
                                  _mm_loadu_si128((const void *)(p + i + 48))));
    if (!_mm_movemask_epi8(any)) {
      err |= carry; /* a sequence cut short by ASCII */
      carry = e0 = ed = f0 = f4 = 0;
      continue;
    }
    struct utf8_masks m;
    utf8_classify(p + i, &m);
    uint64_t want = (m.lead << 1) | (m.lead3 << 2) | (m.lead4 << 3) | carry;
    err |= (want ^ m.cont) | m.bad;
    /* The byte after E0 is A0..BF, after ED 80..9F, after F0 90..BF and
     * after F4 80..8F; a byte that is no continuation at all is caught
     * above. */
    uint64_t after_e0 = (m.e0 << 1) | e0, after_ed = (m.ed << 1) | ed;
    uint64_t after_f0 = (m.f0 << 1) | f0, after_f4 = (m.f4 << 1) | f4;
    err |= (after_e0 & m.lo9f) | (after_ed & m.cont & ~m.lo9f) |
           (after_f0 & m.lo8f) | (after_f4 & m.cont & ~m.lo8f);
    carry = (m.lead >> 63) | (m.lead3 >> 62) | (m.lead4 >> 61);
    e0 = m.e0 >> 63, ed = m.ed >> 63, f0 = m.f0 >> 63, f4 = m.f4 >> 63;
    if (err)
      break;
  }
  if (err)
    return utf8_valid_scalar(p, len, bad);
  /* The rest one sequence at a time, from the lead of a sequence that the
   * last block left open. */
  if (carry)
    do
      i--;
    while (i > 0 && (p[i] & 0xC0) == 0x80);
#endif
  if (!utf8_valid_scalar(p + i, len - i, bad)) {
    *bad += i;
    return false;
  }
  return true;
}

/* Fill src's line table and has_nul in one pass: sixteen bytes at a time,
 * with a mask of the newlines and NULs in each. */
static bool index_lines(struct source *src) {
  const unsigned char *p = (const unsigned char *)src->text;
  size_t len = src->len, cap = len / 32 + 16, n = 0;
  size_t *starts = malloc(cap * sizeof(size_t));
  if (!starts)
    return false;
  starts[n++] = 0;
  bool nul = false;
  for (size_t i = 0; i < len; i += 16) {
    unsigned nl = 0, zero = 0;
    size_t left = len - i;
    if (left >= 16) {
#if defined(__SSE2__)
      __m128i v = _mm_loadu_si128((const void *)(p + i));
      nl = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')));
      zero =
          (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_setzero_si128()));
#else
      for (int k = 0; k < 16; k++) {
        nl |= (unsigned)(p[i + k] == '\n') << k;
        zero |= (unsigned)(p[i + k] == 0) << k;
      }
#endif
    } else {
      for (size_t k = 0; k < left; k++) {
        nl |= (unsigned)(p[i + k] == '\n') << k;
        zero |= (unsigned)(p[i + k] == 0) << k;
      }
    }
    nul |= zero != 0;
    while (nl) {
      if (n == cap) {
        size_t *grown = realloc(starts, cap * 2 * sizeof(size_t));
        if (!grown) {
          free(starts);
          return false;
        }
        starts = grown;
        cap *= 2;
      }
      starts[n++] = i + (size_t)__builtin_ctz(nl) + 1;
      nl &= nl - 1;
    }
  }
  /* A final newline does not start a line of its own. */
  if (n > 1 && starts[n - 1] == len)
    n--;
  src->line_starts = starts;
  src->nlines = n;
  src->has_nul = nul;
  return true;
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

static clint_status build(struct source *src) {
  if (!index_lines(src))
    return CLINT_E_NOMEM;
  size_t bad;
  if (!utf8_valid(src->text, src->len, &bad)) {
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

static clint_status take(struct source *src, char *data, size_t len) {
  memset(src, 0, sizeof(*src));
  if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
    memmove(data, data + 3, len - 3);
    len -= 3;
    data[len] = '\0';
    src->bom = 3;
  }
  src->text = data;
  src->len = len;
  clint_status st = build(src);
  if (st != CLINT_OK)
    scan_free(src);
  return st;
}

clint_status scan_from_mem(const char *data, size_t len, struct source *src) {
  char *copy = malloc(len + 1);
  if (!copy)
    return CLINT_E_NOMEM;
  memcpy(copy, data, len);
  copy[len] = '\0';
  return take(src, copy, len);
}

clint_status scan_read_file(const char *path, struct source *src,
                            clint_error *err) {
  memset(src, 0, sizeof(*src));
  /* O_NONBLOCK: opening a FIFO must not wait for a writer. */
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    return status_set(err, CLINT_E_IO, path, 0, 0, "cannot open: %s",
                      strerror(errno));
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return status_set(err, CLINT_E_IO, path, 0, 0,
                      "cannot read: not a regular file");
  }
  if ((size_t)st.st_size > SCAN_MAX_BYTES) {
    close(fd);
    return status_set(err, CLINT_E_LIMIT, path, 0, 0,
                      "file of %lld bytes is over the limit of %zu bytes",
                      (long long)st.st_size, SCAN_MAX_BYTES);
  }
  /* Room for one byte past the size, so that reading to EOF does not
   * look like growth and double the buffer. */
  size_t cap = (size_t)st.st_size + 2, len = 0;
  char *data = malloc(cap);
  if (!data) {
    close(fd);
    return status_set(err, CLINT_E_NOMEM, path, 0, 0, "out of memory");
  }
  for (;;) {
    if (len + 1 >= cap) {
      /* The file grew while we read it. */
      if (cap > SCAN_MAX_BYTES) {
        free(data);
        close(fd);
        return status_set(err, CLINT_E_LIMIT, path, 0, 0,
                          "file is over the limit of %zu bytes",
                          SCAN_MAX_BYTES);
      }
      char *p = realloc(data, cap * 2);
      if (!p) {
        free(data);
        close(fd);
        return status_set(err, CLINT_E_NOMEM, path, 0, 0, "out of memory");
      }
      data = p;
      cap *= 2;
    }
    size_t want = cap - 1 - len;
    ssize_t n = read(fd, data + len, want);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      int e = errno;
      free(data);
      close(fd);
      return status_set(err, CLINT_E_IO, path, 0, 0, "cannot read: %s",
                        strerror(e));
    }
    if (n == 0)
      break;
    len += (size_t)n;
    /* A regular file reads short only at its end: no second read to
     * learn that. The buffer has room for one byte past the size, so a
     * file that grew fills it and is read on. */
    if ((size_t)n < want)
      break;
  }
  close(fd);
  data[len] = '\0';
  clint_status s = take(src, data, len);
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

size_t scan_chars(const char *s, size_t n) {
  /* Every byte but a continuation byte (10xxxxxx) starts a character;
   * count those eight at a time: bit 7 set and bit 6 clear. */
  size_t cont = 0, i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    cont += (size_t)__builtin_popcountll(w & ~(w << 1) &
                                         0x8080808080808080ULL);
  }
  for (; i < n; i++)
    cont += ((unsigned char)s[i] & 0xC0) == 0x80;
  return n - cont;
}

unsigned scan_char_column(const struct source *src, size_t off) {
  unsigned line = scan_line_of(src, off);
  size_t start = src->line_starts[line - 1];
  if (off > src->len)
    off = src->len;
  return 1 + (unsigned)(off > start ? scan_chars(src->text + start, off - start)
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
