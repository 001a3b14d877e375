/* util.c - helpers of the fuzz harnesses; see fuzz.h. */
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

static char dir[256];

static int remove_one(const char *path, const struct stat *st, int flag,
                      struct FTW *ftw) {
  (void)st, (void)flag, (void)ftw;
  return remove(path);
}

static void cleanup(void) {
  if (dir[0])
    nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

const char *fuzz_dir(void) {
  if (!dir[0]) {
    const char *t = getenv("TMPDIR");
    snprintf(dir, sizeof(dir), "%s/courselint-fuzz.XXXXXX", t ? t : "/tmp");
    if (!mkdtemp(dir)) {
      perror("mkdtemp");
      abort();
    }
    atexit(cleanup);
  }
  return dir;
}

void fuzz_write(const char *rel, const void *data, size_t len) {
  char path[1024];
  snprintf(path, sizeof(path), "%s/%s", fuzz_dir(), rel);
  if (!data) {
    remove(path);
    return;
  }
  for (char *s = strchr(path + strlen(fuzz_dir()) + 1, '/'); s;
       s = strchr(s + 1, '/')) {
    *s = '\0';
    if (mkdir(path, 0755) != 0 && errno != EEXIST) {
      perror(path);
      abort();
    }
    *s = '/';
  }
  FILE *f = fopen(path, "wb");
  if (!f || (len && fwrite(data, 1, len, f) != len) || fclose(f) != 0) {
    perror(path);
    abort();
  }
}

char *fuzz_lint_jobs(const clint_linter *linter, const char *target,
                     size_t target_size, bool index_all, bool course_config,
                     unsigned jobs) {
  clint_error err = {0};
  clint_linter *own = NULL;
  char *text = NULL;
  if (!linter || course_config) {
    /* The course's rule file goes into a linter of this lint's own. */
    own = clint_linter_new(&err);
    if (!own)
      abort(); /* the built-in rules always load */
    linter = own;
  }
  clint_options opts = CLINT_OPTIONS_INIT;
  opts.root = fuzz_dir();
  opts.jobs = jobs;
  opts.index_all = index_all;
  clint_run *run = NULL;
  if (!course_config ||
      clint_linter_load_course_rules(own, fuzz_dir(), &err) == CLINT_OK)
    run = clint_run_new(linter, &opts, &err);
  if (run) {
    char path[1024];
    bool ok = true;
    if (target) {
      snprintf(path, sizeof(path), "%s/%s", fuzz_dir(), target);
      ok = clint_run_add_target(run, path, &err) == CLINT_OK;
    }
    if (ok && clint_run_lint(run, &err) == CLINT_OK) {
      /* Touch every string a reporter would print. */
      size_t sum = 0;
      for (size_t i = 0; i < clint_run_diag_count(run); i++) {
        const clint_diag *d = clint_run_diag(run, i);
        /* Positions are 1-based; a fix stays inside the file it fixes. */
        if (d->line < 1 || d->column < 1)
          abort();
        if (d->fix && target && !strcmp(d->root_path, target) &&
            (d->fix->offset > target_size ||
             d->fix->length > target_size - d->fix->offset))
          abort();
        sum += strlen(d->path) + strlen(d->root_path) + strlen(d->rule) +
               strlen(d->message) + d->line + d->column;
        if (d->suggestion)
          sum += strlen(d->suggestion);
        if (d->target)
          sum += strlen(d->target);
        if (d->fix)
          sum += d->fix->offset + d->fix->length + strlen(d->fix->text);
      }
      for (size_t i = 0; i < clint_run_orphan_count(run); i++)
        sum += strlen(clint_run_orphan(run, i));
      /* Every output format the library knows; the text one is kept. */
      static const char *const formats[] = {"json", "sarif", "github",
                                            "junit"};
      FILE *out = fopen("/dev/null", "w");
      for (size_t f = 0; out && f < sizeof(formats) / sizeof(*formats); f++) {
        clint_format fmt;
        if (clint_format_from_name(formats[f], &fmt))
          clint_run_write(run, fmt, 0, out);
      }
      if (out) {
        fprintf(out, "%zu", sum);
        fclose(out);
      }
      size_t len;
      FILE *mem = open_memstream(&text, &len);
      if (mem) {
        clint_run_write(run, CLINT_FORMAT_TEXT, 0, mem);
        fclose(mem);
      }
    }
    clint_run_free(run);
  }
  clint_linter_free(own);
  return text;
}

void fuzz_lint(const clint_linter *linter, const char *target,
               size_t target_size, bool index_all, bool course_config) {
  free(fuzz_lint_jobs(linter, target, target_size, index_all, course_config,
                      1));
}
