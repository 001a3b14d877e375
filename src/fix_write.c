/* fix_write.c - clint_run_fix: apply the safe fixes that checks attach to
 * diagnostics to the pages on disk. A page is rewritten only when it is
 * exactly what the run read (size and digest), nobody else has it open
 * for writing, and the user could write it in place; the new text goes
 * through a temporary file in its folder that is synced and renamed over
 * it, so a crash leaves either the old page or the new one. Runs after
 * the checks, beside the reports; fix.c does the text. */
#define _GNU_SOURCE /* F_SETLEASE, F_SETSIG: see open_for_writing */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fix.h"
#include "lint.h"
#include "util/hash.h"
#include "util/io.h"
#include "util/status.h"

/* The temporary file of page NAME is ".NAME.courselint-XXXXXX" (mkstemp
 * fills the X's), or ".courselint-XXXXXX" when NAME is too long to fit
 * NAME_MAX (255) that way. */
#define TMP_TAG ".courselint-"
enum { TMP_RANDOM = 6, LONG_NAME = 200 };

/* One name under which a page with fixes was linted. Two names can lead
 * to one file (a symlink inside the course, a hard link). */
struct name {
  const char *display;   /* relative to the cwd */
  const char *root_path; /* relative to the root */
  size_t first, n;       /* its fixes in fixer.fixes */
  char *real;            /* the file, symlinks resolved; NULL: refused */
  dev_t dev;
  ino_t ino;
};

struct fixer {
  const clint_run *run;
  const clint_fix_options *opts;
  bool dry;
  const char *root;      /* real path of the course root */
  struct timespec start; /* temporary files older than this are stale */
  clint_fix *fixes;      /* every fix of the run, name by name */
  struct name *names;
  size_t nnames;
  clint_fix_summary *sum;
  clint_status first; /* the first failure, reported through err */
  clint_error *err;
};

/* A page could not be fixed: count it, tell the caller, keep the first. */
static void failed(struct fixer *fx, const clint_error *e) {
  fx->sum->files_failed++;
  if (fx->opts && fx->opts->page_failed)
    fx->opts->page_failed(e, fx->opts->ctx);
  if (fx->first == CLINT_OK) {
    fx->first = e->status;
    if (fx->err)
      *fx->err = *e;
  }
}

/* ---- reading a page ------------------------------------------------- */

static bool read_all(int fd, size_t size, char *buf) {
  if (!io_read_all(fd, buf, size))
    return false;
  char extra;
  return read(fd, &extra, 1) == 0; /* and nothing more */
}

/* Whether another program has the file open for writing, as an editor or
 * `cat new > page` does while it rewrites a page in place: what we read
 * may be half of it, and a rename would send the rest to the replaced
 * copy. Linux refuses a read lease exactly then (fcntl(2), F_SETLEASE).
 * The lease is dropped at once; should a writer open the file in between,
 * the kernel signals the lease holder, so the signal is set to SIGURG,
 * which is ignored unless a program asks for it. Where leases are not
 * supported (EINVAL) or not ours to take, nothing can be told. */
static bool open_for_writing(int fd) {
  if (fcntl(fd, F_SETSIG, SIGURG) != 0)
    return false;
  if (fcntl(fd, F_SETLEASE, F_RDLCK) != 0)
    return errno == EAGAIN;
  fcntl(fd, F_SETLEASE, F_UNLCK);
  return false;
}

/* Read the regular file at path into *data (malloc'd); st receives its
 * status. */
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
  else if (open_for_writing(fd))
    s = status_set(err, CLINT_E_IO, display, 0, 0,
                   "is open for writing by another program; not fixed");
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

/* ---- writing a page ------------------------------------------------- */

static void sync_dir(const char *dir) {
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    fsync(fd);
    close(fd);
  }
}

/* Whether the user could change the page in place: write it (access(2)
 * semantics with the effective ids, so root may) and keep its owner. */
static clint_status writable(const char *real, const char *display,
                             const struct stat *st, clint_error *err) {
  if (faccessat(AT_FDCWD, real, W_OK, AT_EACCESS) != 0)
    return status_set(err, CLINT_E_IO, display, 0, 0,
                      "cannot be written (mode %04o): %s; not fixed",
                      (unsigned)(st->st_mode & 07777), strerror(errno));
  return CLINT_OK;
}

/* Fill the temporary file fd: the page's owner, group and mode, then the
 * new text, synced. A rename must not hand the page to another owner, so
 * one that cannot be kept refuses the page. */
static clint_status fill_tmp(int fd, const char *display, const struct stat *st,
                             const struct buf *data, clint_error *err) {
  struct stat ts;
  if (fstat(fd, &ts) != 0)
    return status_set(err, CLINT_E_IO, display, 0, 0,
                      "cannot write the temporary file: %s", strerror(errno));
  if ((ts.st_uid != st->st_uid || ts.st_gid != st->st_gid) &&
      fchown(fd, st->st_uid, st->st_gid) != 0)
    return status_set(err, CLINT_E_IO, display, 0, 0,
                      "belongs to user %lu, group %lu, which a rewrite would "
                      "change; not fixed",
                      (unsigned long)st->st_uid, (unsigned long)st->st_gid);
  if (fchmod(fd, st->st_mode & 07777) != 0 ||
      !io_write_all(fd, data->data ? data->data : "", data->len) ||
      fsync(fd) != 0)
    return status_set(err, CLINT_E_IO, display, 0, 0,
                      "cannot write the temporary file: %s", strerror(errno));
  return CLINT_OK;
}

/* The page must still be what we read, and nobody may be writing it. */
static clint_status still_same(const char *real, const char *display,
                               const struct stat *st, const char *old,
                               clint_error *err) {
  struct stat now;
  char *again = NULL;
  clint_status s = read_page(real, display, &now, &again, err);
  if (s == CLINT_OK &&
      (!same_file(st, &now) || memcmp(again, old, (size_t)st->st_size)))
    s = status_set(err, CLINT_E_IO, display, 0, 0,
                   "changed while being fixed; not overwritten");
  free(again);
  return s;
}

/* Replace the page at real (status st, contents old) with data: a
 * temporary file beside it, same mode and owner, synced, checked that the
 * page has not changed meanwhile, then renamed over it. */
static clint_status replace(const struct fixer *fx, const char *real,
                            const char *display, const struct stat *st,
                            const char *old, const struct buf *data,
                            clint_error *err) {
  size_t dl = (size_t)(strrchr(real, '/') - real);
  const char *base = real + dl + 1;
  char *tmp = malloc(strlen(real) + sizeof(TMP_TAG) + TMP_RANDOM + 2);
  char *dir = strndup(real, dl ? dl : 1);
  if (!tmp || !dir) {
    free(tmp);
    free(dir);
    return status_set(err, CLINT_E_NOMEM, display, 0, 0, "out of memory");
  }
  if (strlen(base) < LONG_NAME)
    sprintf(tmp, "%s/.%s" TMP_TAG "XXXXXX", dir, base);
  else
    sprintf(tmp, "%s/" TMP_TAG "XXXXXX", dir);
  clint_status s = CLINT_OK;
  int fd = mkstemp(tmp);
  if (fd < 0) {
    s = status_set(err, CLINT_E_IO, display, 0, 0,
                   "cannot create a temporary file beside it: %s",
                   strerror(errno));
    goto out;
  }
  s = fill_tmp(fd, display, st, data, err);
  if (close(fd) != 0 && s == CLINT_OK)
    s = status_set(err, CLINT_E_IO, display, 0, 0,
                   "cannot write the temporary file: %s", strerror(errno));
  if (s != CLINT_OK) {
  } else if (fx->opts && fx->opts->before_rename &&
             fx->opts->before_rename(real, tmp, fx->opts->ctx) != 0) {
    s = status_set(err, CLINT_E_IO, display, 0, 0,
                   "write interrupted; the page was left as it was");
  } else if ((s = still_same(real, display, st, old, err)) != CLINT_OK) {
  } else if (rename(tmp, real) != 0) {
    s = status_set(err, CLINT_E_IO, display, 0, 0, "cannot replace: %s",
                   strerror(errno));
  } else {
    sync_dir(dir);
  }
  if (s != CLINT_OK)
    unlink(tmp);
out:
  free(tmp);
  free(dir);
  return s;
}

/* ---- stale temporary files -------------------------------------------- */

/* The page a temporary file name belongs to: for ".NAME" TMP_TAG "XXXXXX"
 * (six letters or digits, as mkstemp makes them) NAME's length, with
 * *start its first byte; 0 for the bare TMP_TAG "XXXXXX" of a long name;
 * -1 for any other name. */
static long tmp_page(const char *entry, size_t *start) {
  size_t n = strlen(entry), tl = strlen(TMP_TAG);
  if (n < tl + TMP_RANDOM)
    return -1;
  const char *tag = entry + n - tl - TMP_RANDOM;
  if (strncmp(tag, TMP_TAG, tl))
    return -1;
  for (size_t i = 0; i < TMP_RANDOM; i++)
    if (!isalnum((unsigned char)tag[tl + i]))
      return -1;
  if (tag == entry)
    return 0;
  if (entry[0] != '.' || tag == entry + 1)
    return -1;
  *start = 1;
  return (long)(tag - entry - 1);
}

/* Whether the entry is a file we may remove as stale: a regular file of
 * ours with one name, last changed before this run began (a temporary
 * file in use is being written, so its time is now). */
static bool stale(int dfd, const char *entry, const struct timespec *start) {
  struct stat s;
  return fstatat(dfd, entry, &s, AT_SYMLINK_NOFOLLOW) == 0 &&
         S_ISREG(s.st_mode) && s.st_uid == geteuid() && s.st_nlink == 1 &&
         (s.st_mtim.tv_sec < start->tv_sec ||
          (s.st_mtim.tv_sec == start->tv_sec &&
           s.st_mtim.tv_nsec < start->tv_nsec));
}

enum { HAS_PAGE = 1, HAS_LONG = 2 };

/* Remove the stale temporary files of the pages in folder dir (dl bytes
 * of a page's real path); flags say whether one has a long name. */
static void clean_dir(const struct fixer *fx, const struct hmap *pages,
                      const char *dir, size_t dl, uintptr_t flags) {
  char path[PATH_MAX];
  if (dl + 2 >= sizeof(path))
    return;
  memcpy(path, dir, dl ? dl : 1);
  path[dl ? dl : 1] = '\0';
  DIR *d = opendir(path);
  if (!d)
    return;
  path[dl] = '/';
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    size_t at = 0;
    long n = tmp_page(e->d_name, &at);
    bool ours = n == 0 ? (flags & HAS_LONG) != 0
                       : n > 0 && dl + 1 + (size_t)n < sizeof(path) &&
                             (memcpy(path + dl + 1, e->d_name + at, (size_t)n),
                              hmap_get(pages, path, dl + 1 + (size_t)n));
    if (ours && stale(dirfd(d), e->d_name, &fx->start))
      unlinkat(dirfd(d), e->d_name, 0);
  }
  closedir(d);
}

/* A courselint killed while it fixed a page (kill -9, a power cut) leaves
 * its temporary file, named after the page: remove those of the pages
 * this run fixes, listing each of their folders once. */
static void remove_stale(const struct fixer *fx) {
  struct hmap pages, dirs;
  hmap_init(&pages);
  hmap_init(&dirs);
  bool ok = true;
  for (size_t i = 0; ok && i < fx->nnames; i++) {
    const char *r = fx->names[i].real;
    if (!r)
      continue;
    const char *base = strrchr(r, '/') + 1;
    size_t dl = (size_t)(base - 1 - r);
    struct hmap_slot *slot = hmap_slot(&dirs, r, dl);
    uintptr_t f = HAS_PAGE | (strlen(base) >= LONG_NAME ? HAS_LONG : 0);
    if (slot)
      slot->value = (void *)((uintptr_t)slot->value | f);
    ok = (slot || hmap_put(&dirs, r, dl, (void *)f)) &&
         hmap_put(&pages, r, strlen(r), (void *)r);
  }
  for (size_t i = 0; ok && i < dirs.cap; i++)
    if (dirs.slots[i].key)
      clean_dir(fx, &pages, dirs.slots[i].key, dirs.slots[i].keylen,
                (uintptr_t)dirs.slots[i].value);
  hmap_free(&pages);
  hmap_free(&dirs);
}

/* ---- one file, under one or more names ------------------------------ */

/* The real path of a name's file when it lies inside the root (symlinks
 * resolved), else NULL with err filled. */
static char *real_page(const struct fixer *fx, const struct name *nm,
                       clint_error *err) {
  char *full = malloc(strlen(fx->root) + strlen(nm->root_path) + 2);
  if (!full) {
    status_set(err, CLINT_E_NOMEM, nm->display, 0, 0, "out of memory");
    return NULL;
  }
  sprintf(full, "%s/%s", fx->root, nm->root_path);
  char *real = realpath(full, NULL);
  free(full);
  size_t rl = strlen(fx->root);
  if (!real) {
    status_set(err, CLINT_E_IO, nm->display, 0, 0, "cannot resolve: %s",
               strerror(errno));
  } else if (strncmp(real, fx->root, rl) || real[rl] != '/') {
    status_set(err, CLINT_E_IO, nm->display, 0, 0,
               "a symlink leads out of the course root; not fixed");
    free(real);
    real = NULL;
  }
  return real;
}

/* How the diff and messages name the file itself: its real path from the
 * root, behind the same prefix (to the cwd) as the name it was linted
 * under. A diff naming a symlink would not apply with patch -p1. */
static char *file_display(const struct fixer *fx, const struct name *nm) {
  size_t dl = strlen(nm->display), rl = strlen(nm->root_path);
  size_t pre =
      dl >= rl && !strcmp(nm->display + dl - rl, nm->root_path) ? dl - rl : 0;
  const char *rel = nm->real + strlen(fx->root) + 1;
  if (!pre && dl != rl)
    return strdup(nm->display);
  char *s = malloc(pre + strlen(rel) + 1);
  if (s)
    sprintf(s, "%.*s%s", (int)pre, nm->display, rel);
  return s;
}

/* The page as the run read it under every name: same size and digest. */
static clint_status as_linted(const struct fixer *fx,
                              const struct name *const *m, size_t nm,
                              const char *old, size_t len, const char *display,
                              clint_error *err) {
  for (size_t i = 0; i < nm; i++) {
    size_t size, bom;
    uint64_t digest;
    if (!lint_run_digest(fx->run, m[i]->root_path, &size, &bom, &digest))
      return status_set(err, CLINT_E_IO, display, 0, 0,
                        "was not read by the run; not fixed");
    if (len != size || hash_digest(old + bom, len - bom) != digest)
      return status_set(err, CLINT_E_IO, display, 0, 0,
                        "changed since it was checked; not overwritten");
  }
  return CLINT_OK;
}

/* The fixes of every name of the file, sorted, as fix_apply takes them;
 * *n their number. NULL when out of memory. */
static clint_fix *merged_fixes(const struct fixer *fx,
                               const struct name *const *m, size_t nm,
                               size_t *n) {
  *n = 0;
  for (size_t i = 0; i < nm; i++)
    *n += m[i]->n;
  clint_fix *f = malloc((*n ? *n : 1) * sizeof(*f));
  if (!f)
    return NULL;
  size_t k = 0;
  for (size_t i = 0; i < nm; i++)
    for (size_t j = 0; j < m[i]->n; j++)
      f[k++] = fx->fixes[m[i]->first + j];
  qsort(f, *n, sizeof(*f), fix_cmp);
  return f;
}

/* Show the diff (already made) once the page is written, or at once in a
 * dry run. */
static clint_status show_diff(const struct fixer *fx, const struct buf *diff,
                              const char *display, clint_error *err) {
  FILE *out = fx->opts ? fx->opts->diff : NULL;
  if (out && diff->len && fwrite(diff->data, 1, diff->len, out) != diff->len)
    return status_set(err, CLINT_E_IO, display, 0, 0,
                      "cannot write the diff: %s", strerror(errno));
  return CLINT_OK;
}

/* The new text of the file: *fixes (malloc'd) are the ones applied,
 * *n their number. */
static clint_status new_text(struct fixer *fx, const struct name *const *m,
                             size_t nm, const char *old, size_t len,
                             const char *display, clint_fix **fixes, size_t *n,
                             struct buf *nw, clint_error *err) {
  size_t skipped = 0;
  if (!(*fixes = merged_fixes(fx, m, nm, n)))
    return status_set(err, CLINT_E_NOMEM, display, 0, 0, "out of memory");
  *n = fix_select(*fixes, *n, len, &skipped);
  fx->sum->fixes_skipped += skipped;
  if (!fix_apply(old, len, *fixes, *n, nw, &skipped))
    return status_set(err, CLINT_E_NOMEM, display, 0, 0, "out of memory");
  return CLINT_OK;
}

/* Fix one file, linted under the names m[0..nm). */
static clint_status fix_file(struct fixer *fx, const struct name *const *m,
                             size_t nm, const char *display, clint_error *err) {
  const char *real = m[0]->real;
  struct stat st;
  char *old;
  clint_status s = read_page(real, display, &st, &old, err);
  if (s != CLINT_OK)
    return s;
  size_t len = (size_t)st.st_size, n = 0;
  clint_fix *fixes = NULL;
  struct buf nw, diff;
  buf_init(&nw);
  buf_init(&diff);
  if ((s = as_linted(fx, m, nm, old, len, display, err)) != CLINT_OK) {
  } else if (st.st_nlink > 1) {
    s = status_set(err, CLINT_E_IO, display, 0, 0,
                   "has %lu hard links, which a rewrite would split; not "
                   "fixed",
                   (unsigned long)st.st_nlink);
  } else if ((s = new_text(fx, m, nm, old, len, display, &fixes, &n, &nw,
                           err)) != CLINT_OK) {
  } else if (nw.len == len && !memcmp(nw.data, old, len)) {
    /* nothing changes */
  } else if (fx->opts && fx->opts->diff &&
             !fix_diff(&diff, display, old, len, fixes, n)) {
    /* Made before the page is written, so that a diff is whole or not
     * shown at all. */
    s = status_set(err, CLINT_E_NOMEM, display, 0, 0,
                   "out of memory while making the diff; not fixed");
  } else if (!fx->dry && ((s = writable(real, display, &st, err)) != CLINT_OK ||
                          (s = replace(fx, real, display, &st, old, &nw,
                                       err)) != CLINT_OK)) {
  } else if ((s = show_diff(fx, &diff, display, err)) == CLINT_OK) {
    fx->sum->files_changed++;
    fx->sum->fixes_applied += n;
  }
  buf_free(&nw);
  buf_free(&diff);
  free(fixes);
  free(old);
  return s;
}

/* ---- the run ------------------------------------------------------- */

/* Order of names by the file they lead to, then by name. */
static int by_file(const void *a, const void *b) {
  const struct name *x = *(const struct name *const *)a;
  const struct name *y = *(const struct name *const *)b;
  if (x->dev != y->dev)
    return x->dev < y->dev ? -1 : 1;
  if (x->ino != y->ino)
    return x->ino < y->ino ? -1 : 1;
  return x < y ? -1 : x > y;
}

/* Collect the names with fixes (diagnostics are sorted by path, so each
 * page's are consecutive) and resolve them; a name that leads outside
 * the root fails here. */
static bool collect(struct fixer *fx) {
  size_t n = clint_run_diag_count(fx->run);
  fx->fixes = malloc((n ? n : 1) * sizeof(*fx->fixes));
  fx->names = malloc((n ? n : 1) * sizeof(*fx->names));
  if (!fx->fixes || !fx->names)
    return false;
  size_t nf = 0;
  for (size_t i = 0; i < n;) {
    const clint_diag *d = clint_run_diag(fx->run, i);
    struct name nm = {
        .display = d->path, .root_path = d->root_path, .first = nf};
    for (;
         i < n && !strcmp(clint_run_diag(fx->run, i)->root_path, d->root_path);
         i++)
      if (clint_run_diag(fx->run, i)->fix)
        fx->fixes[nf++] = *clint_run_diag(fx->run, i)->fix;
    nm.n = nf - nm.first;
    if (nm.n == 0)
      continue;
    clint_error e = {0};
    struct stat st;
    if ((nm.real = real_page(fx, &nm, &e)) && stat(nm.real, &st) != 0) {
      status_set(&e, CLINT_E_IO, nm.display, 0, 0, "cannot open: %s",
                 strerror(errno));
      free(nm.real);
      nm.real = NULL;
    }
    if (!nm.real) {
      failed(fx, &e);
      continue;
    }
    nm.dev = st.st_dev;
    nm.ino = st.st_ino;
    fx->names[fx->nnames++] = nm;
  }
  return true;
}

/* Fix each file once, in the order of its first name, with the fixes of
 * all its names: a page and a symlink to it are one file. */
static bool fix_files(struct fixer *fx) {
  const struct name **order = malloc((fx->nnames + 1) * sizeof(*order));
  size_t *group = malloc((fx->nnames + 1) * sizeof(*group));
  if (!order || !group) {
    free(order);
    free(group);
    return false;
  }
  for (size_t i = 0; i < fx->nnames; i++)
    order[i] = &fx->names[i];
  qsort(order, fx->nnames, sizeof(*order), by_file);
  /* group[k]: where the names of the file whose first name is k start in
   * order; SIZE_MAX for a name that is not the first of its file. */
  for (size_t i = 0; i < fx->nnames; i++)
    group[i] = SIZE_MAX;
  for (size_t i = 0; i < fx->nnames; i++)
    if (i == 0 || order[i - 1]->dev != order[i]->dev ||
        order[i - 1]->ino != order[i]->ino)
      group[order[i] - fx->names] = i;
  for (size_t k = 0; k < fx->nnames; k++) {
    if (group[k] == SIZE_MAX)
      continue;
    size_t a = group[k], b = a + 1;
    while (b < fx->nnames && order[b]->dev == order[a]->dev &&
           order[b]->ino == order[a]->ino)
      b++;
    clint_error e = {0};
    char *display = file_display(fx, order[a]);
    clint_status s = display ? fix_file(fx, order + a, b - a, display, &e)
                             : status_set(&e, CLINT_E_NOMEM, order[a]->display,
                                          0, 0, "out of memory");
    if (s != CLINT_OK)
      failed(fx, &e);
    free(display);
  }
  free(order);
  free(group);
  return true;
}

clint_status clint_run_fix(const clint_run *run, const clint_fix_options *opts,
                           clint_fix_summary *sum, clint_error *err) {
  clint_fix_summary local = {0};
  struct fixer fx = {.run = run,
                     .opts = opts,
                     .dry = opts && (opts->flags & CLINT_FIX_DRY_RUN),
                     .sum = sum ? sum : &local,
                     .err = err};
  memset(fx.sum, 0, sizeof(*fx.sum));
  clock_gettime(CLOCK_REALTIME, &fx.start);
  char *root = realpath(clint_run_root(run), NULL);
  clint_status s = CLINT_OK;
  if (!root) {
    s = status_set(err, CLINT_E_IO, clint_run_root(run), 0, 0,
                   "cannot resolve the course root: %s", strerror(errno));
  } else {
    fx.root = root;
    bool ok = collect(&fx);
    if (ok && !fx.dry)
      remove_stale(&fx);
    if (!ok || !fix_files(&fx))
      s = status_set(err, CLINT_E_NOMEM, NULL, 0, 0, "out of memory");
  }
  for (size_t i = 0; i < fx.nnames; i++)
    free(fx.names[i].real);
  free(fx.names);
  free(fx.fixes);
  free(root);
  return s != CLINT_OK ? s : fx.first;
}
