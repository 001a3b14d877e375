/* fix.c - --fix: apply the safe fixes that checks attach to diagnostics
 * to the pages on disk. A page is rewritten only when it is exactly what
 * the run read (size and digest), through a temporary file in its folder
 * that is synced and renamed over it, so a crash leaves either the old
 * page or the new one. Runs after the checks, beside the reports. */
#include "fix.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lint.h"
#include "util/hash.h"
#include "util/status.h"

enum { CONTEXT = 3 };

static bool same_fix(const clint_fix *a, const clint_fix *b) {
  return a->offset == b->offset && a->length == b->length &&
         !strcmp(a->text ? a->text : "", b->text ? b->text : "");
}

bool fix_apply(const char *old, size_t len, const clint_fix *fixes, size_t n,
               struct buf *out, size_t *skipped) {
  size_t at = 0;
  const clint_fix *last = NULL;
  for (size_t i = 0; i < n; i++) {
    const clint_fix *f = &fixes[i];
    /* Several links can share one reference definition, and so one fix:
     * the same edit twice is applied once, not counted as a clash. */
    if (last && same_fix(f, last))
      continue;
    if (f->offset < at || f->offset > len || f->length > len - f->offset) {
      ++*skipped;
      continue;
    }
    if (!buf_append(out, old + at, f->offset - at) ||
        !buf_puts(out, f->text ? f->text : ""))
      return false;
    at = f->offset + f->length;
    last = f;
  }
  return buf_append(out, old + at, len - at);
}

/* ---- unified diff -------------------------------------------------- */

/* The line (0-based) holding byte off, by binary search in starts. */
static size_t line_of(const size_t *starts, size_t nlines, size_t off) {
  size_t lo = 0, hi = nlines;
  while (hi - lo > 1) {
    size_t mid = (lo + hi) / 2;
    if (starts[mid] <= off)
      lo = mid;
    else
      hi = mid;
  }
  return lo;
}

/* A run of changed lines [a, b] and the fixes [f0, f1) inside it. */
struct block {
  size_t a, b, f0, f1;
};

static void put_line(FILE *out, char mark, const char *s, size_t n) {
  fputc(mark, out);
  fwrite(s, 1, n, out);
  if (n == 0 || s[n - 1] != '\n')
    fputs("\n\\ No newline at end of file\n", out);
}

/* Print the lines of s[0..n), each with mark; returns how many. */
static size_t put_lines(FILE *out, char mark, const char *s, size_t n,
                        bool count_only) {
  size_t count = 0;
  for (size_t i = 0; i < n;) {
    const char *nl = memchr(s + i, '\n', n - i);
    size_t e = nl ? (size_t)(nl - s) + 1 : n;
    if (!count_only)
      put_line(out, mark, s + i, e - i);
    count++;
    i = e;
  }
  return count;
}

struct text {
  const char *s;
  size_t len;
  const size_t *starts;
  size_t nlines;
};

static size_t line_end(const struct text *t, size_t line) {
  return line + 1 < t->nlines ? t->starts[line + 1] : t->len;
}

/* The new text of a block: its old lines with its fixes applied. */
static bool block_new(const struct text *t, const struct block *bl,
                      const clint_fix *fixes, struct buf *out) {
  size_t s = t->starts[bl->a], e = line_end(t, bl->b), skipped = 0;
  clint_fix *local = malloc((bl->f1 - bl->f0) * sizeof(*local));
  if (!local)
    return false;
  for (size_t i = bl->f0; i < bl->f1; i++) {
    local[i - bl->f0] = fixes[i];
    local[i - bl->f0].offset -= s;
  }
  bool ok = fix_apply(t->s + s, e - s, local, bl->f1 - bl->f0, out, &skipped);
  free(local);
  return ok;
}

static void hunk(FILE *out, const struct text *t, const struct block *bl,
                 size_t nb, const clint_fix *fixes, long *delta) {
  size_t from = bl[0].a > CONTEXT ? bl[0].a - CONTEXT : 0;
  size_t to = bl[nb - 1].b + CONTEXT < t->nlines ? bl[nb - 1].b + CONTEXT
                                                 : t->nlines - 1;
  size_t old_n = to - from + 1, new_n = old_n;
  struct buf *nw = calloc(nb, sizeof(struct buf));
  if (!nw)
    return;
  for (size_t i = 0; i < nb; i++) {
    buf_init(&nw[i]);
    block_new(t, &bl[i], fixes, &nw[i]);
    new_n = new_n - (bl[i].b - bl[i].a + 1) +
            put_lines(out, '+', nw[i].data, nw[i].len, true);
  }
  /* Unified diff numbers an empty range by the line before it. */
  fprintf(out, "@@ -%zu,%zu +%ld,%zu @@\n", old_n ? from + 1 : from, old_n,
          (long)(new_n ? from + 1 : from) + *delta, new_n);
  size_t line = from;
  for (size_t i = 0; i < nb; i++) {
    for (; line < bl[i].a; line++)
      put_line(out, ' ', t->s + t->starts[line],
               line_end(t, line) - t->starts[line]);
    size_t s = t->starts[bl[i].a], e = line_end(t, bl[i].b);
    put_lines(out, '-', t->s + s, e - s, false);
    put_lines(out, '+', nw[i].data, nw[i].len, false);
    line = bl[i].b + 1;
    buf_free(&nw[i]);
  }
  for (; line <= to; line++)
    put_line(out, ' ', t->s + t->starts[line],
             line_end(t, line) - t->starts[line]);
  free(nw);
  *delta += (long)new_n - (long)old_n;
}

void fix_diff(FILE *out, const char *name, const char *old, size_t len,
              const clint_fix *fixes, size_t n) {
  size_t *starts = malloc((len + 1) * sizeof(size_t));
  struct block *bl = malloc((n ? n : 1) * sizeof(*bl));
  if (!starts || !bl || n == 0) {
    free(starts);
    free(bl);
    return;
  }
  size_t nlines = 0;
  starts[nlines++] = 0;
  for (size_t i = 0; i + 1 < len; i++)
    if (old[i] == '\n')
      starts[nlines++] = i + 1;
  struct text t = {old, len, starts, nlines};
  /* Fixes on the same lines form one block. */
  size_t nb = 0;
  for (size_t i = 0; i < n; i++) {
    size_t end = fixes[i].offset + fixes[i].length;
    size_t a = line_of(starts, nlines, fixes[i].offset);
    size_t b = line_of(starts, nlines, end > fixes[i].offset ? end - 1 : end);
    if (nb && a <= bl[nb - 1].b) {
      bl[nb - 1].b = b > bl[nb - 1].b ? b : bl[nb - 1].b;
      bl[nb - 1].f1 = i + 1;
    } else {
      bl[nb++] = (struct block){a, b, i, i + 1};
    }
  }
  fprintf(out, "--- a/%s\n+++ b/%s\n", name, name);
  long delta = 0;
  /* Blocks whose context would touch or overlap share a hunk. */
  for (size_t i = 0; i < nb;) {
    size_t j = i + 1;
    while (j < nb && bl[j].a - bl[j - 1].b - 1 <= 2 * CONTEXT)
      j++;
    hunk(out, &t, bl + i, j - i, fixes, &delta);
    i = j;
  }
  free(starts);
  free(bl);
}

/* ---- writing a page ------------------------------------------------- */

struct page_job {
  const clint_run *run;
  const clint_fix_options *opts;
  const char *root;      /* real path of the course root */
  const char *display;   /* relative to the cwd, for messages and diffs */
  const char *root_path; /* relative to the root */
  clint_fix *fixes;
  size_t n;
};

static bool read_all(int fd, size_t size, char *buf) {
  size_t got = 0;
  while (got < size) {
    ssize_t r = read(fd, buf + got, size - got);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      return false;
    got += (size_t)r;
  }
  char extra;
  return read(fd, &extra, 1) == 0; /* and nothing more */
}

/* Read the real file at path into *data; st receives its status. */
static clint_status read_page(const char *path, const char *display,
                              struct stat *st, char **data, clint_error *err) {
  int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    return status_set(err, CLINT_E_IO, display, 0, 0, "cannot open: %s",
                      strerror(errno));
  clint_status s = CLINT_OK;
  *data = NULL;
  if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode))
    s = status_set(err, CLINT_E_IO, display, 0, 0, "not a regular file");
  else if (!(*data = malloc((size_t)st->st_size + 1)))
    s = status_set(err, CLINT_E_NOMEM, display, 0, 0, "out of memory");
  else if (!read_all(fd, (size_t)st->st_size, *data))
    s = status_set(err, CLINT_E_IO, display, 0, 0, "changed while being read");
  close(fd);
  if (s != CLINT_OK) {
    free(*data);
    *data = NULL;
  }
  return s;
}

static bool same_file(const struct stat *a, const struct stat *b) {
  return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
         a->st_size == b->st_size && a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
         a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

static bool write_all(int fd, const char *s, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, s, n);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return false;
    s += w;
    n -= (size_t)w;
  }
  return true;
}

static void sync_dir(const char *dir) {
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    fsync(fd);
    close(fd);
  }
}

/* Replace the page at real (status st, contents old) with data: a
 * temporary file beside it, same mode and owner, synced, checked that the
 * page has not changed meanwhile, then renamed over it. */
static clint_status replace(const struct page_job *j, const char *real,
                            const struct stat *st, const char *old,
                            const struct buf *data, clint_error *err) {
  size_t dl = (size_t)(strrchr(real, '/') - real);
  char *tmp = malloc(strlen(real) + 32);
  char *dir = strndup(real, dl ? dl : 1);
  if (!tmp || !dir) {
    free(tmp);
    free(dir);
    return status_set(err, CLINT_E_NOMEM, j->display, 0, 0, "out of memory");
  }
  /* Named after the page where the name allows (NAME_MAX is 255). */
  if (strlen(real + dl + 1) < 200)
    sprintf(tmp, "%s/.%s.courselint-XXXXXX", dir, real + dl + 1);
  else
    sprintf(tmp, "%s/.courselint-XXXXXX", dir);
  clint_status s = CLINT_OK;
  int fd = mkstemp(tmp);
  if (fd < 0) {
    s = status_set(err, CLINT_E_IO, j->display, 0, 0,
                   "cannot create a temporary file beside it: %s",
                   strerror(errno));
    goto out;
  }
  /* The owner can only be kept by root; the mode always. */
  if (fchown(fd, st->st_uid, st->st_gid) != 0) {
    /* not permitted: the page becomes ours, as any editor would do */
  }
  bool ok = fchmod(fd, st->st_mode & 07777) == 0 &&
            write_all(fd, data->data ? data->data : "", data->len) &&
            fsync(fd) == 0;
  ok = close(fd) == 0 && ok;
  if (!ok) {
    s = status_set(err, CLINT_E_IO, j->display, 0, 0,
                   "cannot write the temporary file: %s", strerror(errno));
  } else if (j->opts && j->opts->before_rename &&
             j->opts->before_rename(real, tmp, j->opts->ctx) != 0) {
    s = status_set(err, CLINT_E_IO, j->display, 0, 0,
                   "write interrupted; the page was left as it was");
  } else {
    /* Last look: the page must still be what we read. */
    struct stat now;
    char *again = NULL;
    clint_error e2;
    if (read_page(real, j->display, &now, &again, &e2) != CLINT_OK ||
        !same_file(st, &now) || memcmp(again, old, (size_t)st->st_size)) {
      s = status_set(err, CLINT_E_IO, j->display, 0, 0,
                     "changed while being fixed; not overwritten");
    } else if (rename(tmp, real) != 0) {
      s = status_set(err, CLINT_E_IO, j->display, 0, 0, "cannot replace: %s",
                     strerror(errno));
    } else {
      sync_dir(dir);
    }
    free(again);
  }
  if (s != CLINT_OK)
    unlink(tmp);
out:
  free(tmp);
  free(dir);
  return s;
}

static int fix_cmp(const void *a, const void *b) {
  const clint_fix *x = a, *y = b;
  if (x->offset != y->offset)
    return x->offset < y->offset ? -1 : 1;
  return x->length < y->length ? -1 : x->length > y->length;
}

/* The real path of the page when it lies inside the root (symlinks
 * resolved), else NULL with err filled. */
static char *real_page(const struct page_job *j, clint_error *err) {
  char *full = malloc(strlen(j->root) + strlen(j->root_path) + 2);
  if (!full)
    return NULL;
  sprintf(full, "%s/%s", j->root, j->root_path);
  char *real = realpath(full, NULL);
  free(full);
  size_t rl = strlen(j->root);
  if (!real) {
    status_set(err, CLINT_E_IO, j->display, 0, 0, "cannot resolve: %s",
               strerror(errno));
  } else if (strncmp(real, j->root, rl) || real[rl] != '/') {
    status_set(err, CLINT_E_IO, j->display, 0, 0,
               "a symlink leads out of the course root; not fixed");
    free(real);
    real = NULL;
  }
  return real;
}

static clint_status fix_page(const struct page_job *j, clint_fix_summary *sum,
                             clint_error *err) {
  size_t want_size, bom;
  uint64_t want_digest;
  if (!lint_run_digest(j->run, j->root_path, &want_size, &bom, &want_digest))
    return status_set(err, CLINT_E_IO, j->display, 0, 0,
                      "was not read by the run; not fixed");
  char *real = real_page(j, err);
  if (!real)
    return CLINT_E_IO;
  struct stat st;
  char *old;
  clint_status s = read_page(real, j->display, &st, &old, err);
  if (s != CLINT_OK) {
    free(real);
    return s;
  }
  size_t len = (size_t)st.st_size;
  struct buf nw;
  buf_init(&nw);
  size_t skipped = 0;
  qsort(j->fixes, j->n, sizeof(*j->fixes), fix_cmp);
  if (len != want_size || hash_digest(old + bom, len - bom) != want_digest) {
    s = status_set(err, CLINT_E_IO, j->display, 0, 0,
                   "changed since it was checked; not overwritten");
  } else if (st.st_nlink > 1) {
    s = status_set(err, CLINT_E_IO, j->display, 0, 0,
                   "has %lu hard links, which a rewrite would split; not "
                   "fixed",
                   (unsigned long)st.st_nlink);
  } else if (!fix_apply(old, len, j->fixes, j->n, &nw, &skipped)) {
    s = status_set(err, CLINT_E_NOMEM, j->display, 0, 0, "out of memory");
  } else if (nw.len != len || memcmp(nw.data, old, len)) {
    /* Drop the skipped fixes so that the diff shows what is applied. */
    size_t o = 0, at = 0;
    for (size_t i = 0; i < j->n; i++)
      if (o && same_fix(&j->fixes[i], &j->fixes[o - 1])) {
        continue;
      } else if (j->fixes[i].offset >= at && j->fixes[i].offset <= len &&
                 j->fixes[i].length <= len - j->fixes[i].offset) {
        at = j->fixes[i].offset + j->fixes[i].length;
        j->fixes[o++] = j->fixes[i];
      }
    if (j->opts && j->opts->diff)
      fix_diff(j->opts->diff, j->display, old, len, j->fixes, o);
    if (!(j->opts && (j->opts->flags & CLINT_FIX_DRY_RUN)))
      s = replace(j, real, &st, old, &nw, err);
    if (s == CLINT_OK) {
      sum->files_changed++;
      sum->fixes_applied += o;
    }
  }
  sum->fixes_skipped += skipped;
  buf_free(&nw);
  free(old);
  free(real);
  return s;
}

clint_status clint_run_fix(const clint_run *run, const clint_fix_options *opts,
                           clint_fix_summary *sum, clint_error *err) {
  clint_fix_summary local = {0};
  if (!sum)
    sum = &local;
  memset(sum, 0, sizeof(*sum));
  char *root = realpath(clint_run_root(run), NULL);
  size_t n = clint_run_diag_count(run);
  clint_fix *fixes = malloc((n ? n : 1) * sizeof(*fixes));
  if (!root || !fixes) {
    free(root);
    free(fixes);
    return status_set(err, CLINT_E_IO, clint_run_root(run), 0, 0,
                      "cannot resolve the course root");
  }
  clint_status first = CLINT_OK;
  /* Diagnostics are sorted by path, so each page's are consecutive. */
  for (size_t i = 0; i < n;) {
    const clint_diag *d = clint_run_diag(run, i);
    struct page_job j = {run, opts, root, d->path, d->root_path, fixes, 0};
    for (; i < n && !strcmp(clint_run_diag(run, i)->root_path, d->root_path);
         i++)
      if (clint_run_diag(run, i)->fix)
        fixes[j.n++] = *clint_run_diag(run, i)->fix;
    if (j.n == 0)
      continue;
    clint_error e = {0};
    clint_status s = fix_page(&j, sum, &e);
    if (s != CLINT_OK) {
      sum->files_failed++;
      if (first == CLINT_OK) {
        first = s;
        if (err)
          *err = e;
      }
    }
  }
  free(fixes);
  free(root);
  return first;
}
