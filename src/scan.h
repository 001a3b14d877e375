/* scan.h - reading a page into memory: UTF-8 BOM, YAML front matter, and a
 * line table (lines end in LF, CR or CR LF, as in CommonMark) that maps
 * byte offsets back to line:column. First stage of the pipeline: scan ->
 * parse -> index -> checks -> report. */
#ifndef CLINT_SCAN_H
#define CLINT_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "courselint.h"

/* Pages larger than this are refused with a finding rather than read. */
#define SCAN_MAX_BYTES ((size_t)64 * 1024 * 1024)

struct source {
  char *text; /* the page without its BOM; NUL-terminated, owned */
  size_t len;
  size_t bom;          /* bytes of BOM dropped before text (0 or 3) */
  size_t *line_starts; /* offset in text of each line's first byte */
  size_t nlines;
  /* Front matter occupies lines [1, body_line); its bytes are blanked to
   * spaces in parse_text so that cmark sees blank lines there. */
  unsigned body_line;
  bool has_nul;  /* the page contains a NUL byte */
  bool bad_utf8; /* the page is not valid UTF-8 */
  unsigned bad_utf8_line;
  /* text with front matter blanked; owned, or text itself when nothing
   * needed blanking */
  char *parse_text;
};

/* Read path into src. Returns CLINT_E_IO (unreadable, not a regular
 * file) or CLINT_E_LIMIT (over SCAN_MAX_BYTES) with err filled. Free with
 * scan_free. Never blocks on a FIFO. */
clint_status scan_read_file(const char *path, struct source *src,
                            clint_error *err);

/* The same for path relative to the open folder dirfd (AT_FDCWD: the
 * current one): a course's pages are opened from its root, so the kernel
 * does not walk the root's own path again for every page. */
clint_status scan_read_file_at(int dirfd, const char *path, struct source *src,
                               clint_error *err);

/* The same from memory (len bytes at data are copied). */
clint_status scan_from_mem(const char *data, size_t len, struct source *src);

/* The ways the line table, the NUL test and the UTF-8 check can read a
 * page: plain C, and SSE2 where the build has it (always on x86-64).
 * scan_read_file and scan_from_mem take the best one; the plain C one is
 * named so that the unit tests can compare the two. */
enum scan_path {
  SCAN_PATH_PORTABLE, /* plain C: the reference, and other architectures */
  SCAN_PATH_SSE2,     /* 16 bytes at a time: the x86-64 baseline */
};

/* The fastest path this build has. */
enum scan_path scan_path_best(void);

/* Whether the len bytes at s are well-formed UTF-8, by the given path (a
 * path this build lacks is taken as plain C). For scan and its tests. */
bool scan_utf8_valid(const char *s, size_t len, enum scan_path path);

/* scan_from_mem by the given path; a path beyond scan_path_best() is
 * taken as scan_path_best(). For tests. */
clint_status scan_from_mem_path(const char *data, size_t len,
                                enum scan_path path, struct source *src);

void scan_free(struct source *src);

/* 1-based line holding byte offset off of text. */
unsigned scan_line_of(const struct source *src, size_t off);

/* Byte offset of 1-based line and 1-based byte column (cmark's columns),
 * clamped to the text. */
size_t scan_offset(const struct source *src, unsigned line, unsigned col);

/* 1-based column in characters (UTF-8 code points) of byte offset off. */
unsigned scan_char_column(const struct source *src, size_t off);

/* The bytes of 1-based line, without its line ending. */
const char *scan_line(const struct source *src, unsigned line, size_t *len);

#endif
