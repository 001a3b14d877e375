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

static bool utf8_valid(const char *s, size_t len, size_t *bad) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
  while (i < len) {
    /* Most text is ASCII: skip it eight bytes at a time. */
    if (i + 8 <= len) {
      uint64_t w;
      memcpy(&w, p + i, 8);
      if (!(w & 0x8080808080808080ULL)) {
        i += 8;
        continue;
      }
    }
    unsigned c = p[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    /* The well-formed sequences of Unicode (table 3-7): the lead byte
     * fixes the length and the range of the second byte, which rules out
     * overlong forms, surrogates and values past U+10FFFF. */
    size_t n;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      lo = c == 0xE0 ? 0xA0 : 0x80;
      hi = c == 0xED ? 0x9F : 0xBF;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      lo = c == 0xF0 ? 0x90 : 0x80;
      hi = c == 0xF4 ? 0x8F : 0xBF;
    } else {
      *bad = i;
      return false;
    }
    if (n >= len - i || p[i + 1] < lo || p[i + 1] > hi ||
        (n > 1 && (p[i + 2] & 0xC0) != 0x80) ||
        (n > 2 && (p[i + 3] & 0xC0) != 0x80)) {
      *bad = i;
      return false;
    }
    i += n + 1;
  }
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
  const char *text = src->text, *stop = text + src->len;
  /* text[len] is a NUL of ours: an earlier one is the page's. */
  src->has_nul = strlen(text) != src->len;
  size_t n = 1;
  for (const char *q = text; (q = memchr(q, '\n', (size_t)(stop - q))); q++)
    n++;
  src->line_starts = malloc(n * sizeof(size_t));
  if (!src->line_starts)
    return CLINT_E_NOMEM;
  src->nlines = 0;
  src->line_starts[src->nlines++] = 0;
  for (const char *q = text; (q = memchr(q, '\n', (size_t)(stop - q))); q++) {
    size_t i = (size_t)(q - text);
    if (i > 0 && text[i - 1] == '\r')
      src->crlf = true;
    if (src->nlines < n)
      src->line_starts[src->nlines++] = i + 1;
  }
  /* A final newline does not start a line of its own. */
  if (src->nlines > 1 && src->line_starts[src->nlines - 1] == src->len)
    src->nlines--;
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
    ssize_t n = read(fd, data + len, cap - 1 - len);
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

unsigned scan_char_column(const struct source *src, size_t off) {
  unsigned line = scan_line_of(src, off);
  unsigned col = 1;
  for (size_t i = src->line_starts[line - 1]; i < off && i < src->len; i++)
    if (((unsigned char)src->text[i] & 0xC0) != 0x80)
      col++;
  return col;
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
