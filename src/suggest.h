/* suggest.h - the one "did you mean" policy, for links, anchors and prose
 * mentions of files: where a missing file went (its extension, one '../'
 * more or fewer, the same name elsewhere in the course), else the nearest
 * name of its folder. Ties and far matches stay silent rather than wrong,
 * and a finding costs little whatever the size of the folder or course. */
#ifndef CLINT_SUGGEST_H
#define CLINT_SUGGEST_H

#include <stdbool.h>
#include <stddef.h>

#include "index.h"
#include "util/arena.h"

/* Byte counts of s folded into 32 buckets (saturating), as stored in
 * struct entry's hist. Returns false when a count saturated: the lower
 * bound drawn from the counts then does not hold. */
bool suggest_name_hist(const char *s, size_t len, unsigned char h[32]);

/* Past this many names, a folder (or a page's anchors) is searched only
 * among the names that share the wanted one's first 8 bytes: a search
 * costs at most this many cheap comparisons. */
#define SUGGEST_SWEEP_MAX 2048

/* Which entries may be suggested; SUGGEST_WHOLE: names that are not file
 * names (anchors), compared whole and never by number. */
enum {
  SUGGEST_FILES = 1,
  SUGGEST_FOLDERS = 2,
  SUGGEST_ANY = 3,
  SUGGEST_WHOLE = 4
};

/* The name of d nearest to want[0, wlen), of the kinds asked, names
 * starting with '.' left out: within path_near_budget(wlen) edits, or
 * sharing a long start (path_near_consider). An extensionless want, or
 * one ending in ".html" (a site's URL), is compared with the names
 * without their extensions. Failing that, for a want numbered "NN_" or
 * "NN-" (up to three digits), the one name with the same number. NULL when none
 * is close or two are as close (a tie says nothing). Lent: lives as long as d.
 */
const char *suggest_near(struct course *c, struct dir *d, const char *want,
                         size_t wlen, unsigned kinds);

/* A suggestion for a missing file or folder. */
struct suggestion {
  const char *path; /* root-relative, in the arena given */
  bool folder;      /* it is a folder */
  /* The file itself, found elsewhere (its extension added, one '../'
   * more or fewer, moved): --fix may write it (links.fix_moved). */
  bool moved;
};

/* The one "did you mean" for a link to the missing path (root-relative),
 * written dest[0, dlen) (its path part) from folder base; folder when the
 * link asks for a folder. In order: the path with a page extension, or
 * another one (x -> x.md, x.md -> x.mdx); the link with one '../' more or
 * fewer; nothing when names of its folder are as near as each other (a
 * family of look-alikes); the same name elsewhere in the course, with
 * the most of its last folders, nearest by path (not a copy in a
 * parallel folder, nor one of many of a common name); the nearest name of
 * its folder (suggest_near). Each step answers only when one place is
 * meant. false when none does. Thread-safe; the course's names are
 * gathered once, on the first search for a moved file. */
bool suggest_file(struct course *c, const char *base, const char *dest,
                  size_t dlen, const char *path, bool folder, struct arena *a,
                  struct suggestion *out);

/* The anchors of a loaded page as the entries of a folder, in name order
 * (page_anchor), for suggest_near; built on first use. NULL on no
 * memory. */
struct dir *suggest_anchor_names(struct course *c, struct page *p);

/* Free the course's names (built by suggest_file). */
void suggest_course_free(struct course *c);

#endif
