/* main.c - the courselint command: arguments, output and exit status.
 * Includes only courselint.h, which proves the public API is enough.
 * Exit status: 0 clean (or warnings only), 1 errors found (or warnings with
 * --strict, or more than --max-warnings), 2 usage, rule-file or I/O
 * problems, 3 internal errors. */
#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "changes.h"
#include "courselint.h"
#include "outline.h"

/* The editor server, `courselint lsp` (src/lsp/): a client of this same
 * header, linked into the command. */
int lsp_main(int argc, char **argv);

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2, EXIT_INTERNAL = 3 };

struct cli {
  const char *root;
  const char *rules;
  const char *explain;
  const char *report; /* --report FILE */
  const char *since;  /* --changed-since REF */
  const char **paths;
  size_t npaths;
  unsigned jobs;
  clint_format format;
  int color;         /* -1 auto, 0 never, 1 always */
  long max_warnings; /* -1: no limit */
  bool quiet, strict, list_rules, print_config, outline, no_config;
  bool fix, diff;
  bool staged, no_referrers, no_cache;
};

static const char usage[] =
    "usage: courselint [OPTIONS] [PATH...]\n"
    "       courselint lsp [--root DIR]   (an editor server on stdin/stdout)\n"
    "\n"
    "Lint Markdown course material: links, anchors, prose cross-references,\n"
    "headings, checkboxes and module structure. PATHs are files or folders\n"
    "(default: the whole course); references resolve against the whole\n"
    "course either way.\n"
    "\n"
    "Options:\n"
    "  --root DIR          course root (default: nearest parent holding\n"
    "                      .courselint.yml or .git, else the current folder)\n"
    "  --rules FILE        load this rule file on top of the defaults\n"
    "                      instead of <root>/.courselint.yml\n"
    "  --no-config         ignore <root>/.courselint.yml\n"
    "  --format FORMAT     text (default), json, sarif, github, junit\n"
    "  -j, --jobs N        worker threads (default: one per core)\n"
    "  --strict            warnings fail the run too\n"
    "  --max-warnings N    fail when there are more than N warnings\n"
    "  --color WHEN        auto (default), always, never\n"
    "  --report FILE       also write the broken-reference report for\n"
    "                      maintainers; .md, .html or .json by extension\n"
    "  --staged            check the pages of the staged git changes (a\n"
    "                      pre-commit hook), deleted and renamed ones too\n"
    "  --changed-since REF check the pages changed since the merge base of\n"
    "                      REF and HEAD (committed, staged, unstaged and\n"
    "                      untracked): a pull request\n"
    "  --no-referrers      with PATHs or a change: leave out the findings of\n"
    "                      other pages about references into them\n"
    "  --no-cache          with PATHs or --staged: neither read nor write\n"
    "                      the cache of folder listings and page summaries\n"
    "                      in $XDG_CACHE_HOME/courselint (~/.cache/...);\n"
    "                      never used with --changed-since or under CI\n"
    "  --fix               apply the safe automatic fixes to the pages\n"
    "  --diff              with --fix: print the fixes as a unified diff\n"
    "                      and change no file\n"
    "  -q, --quiet         no summary line on stderr\n"
    "  --list-rules        list every rule with its severity\n"
    "  --explain RULE      say what a rule checks, with an example\n"
    "  --print-config      print the effective rules as YAML\n"
    "  --outline           print the course as the rules read it: modules,\n"
    "                      the page of each role, numbered headings, and\n"
    "                      folders of numbered pages\n"
    "  -h, --help          show this help\n"
    "  --version           show the version\n"
    "\n"
    "Exit status: 0 no errors, 1 errors found, 2 usage, configuration or\n"
    "I/O problem, 3 internal error.\n";

static int usage_error(const char *fmt, const char *arg) {
  fprintf(stderr, "courselint: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\nTry 'courselint --help'.\n");
  return EXIT_USAGE;
}

/* "--name=value" or "--name value": the value, or NULL when arg is not
 * this option. *i advances past a separate value; *missing is set (and
 * left set) when arg is this option but no value follows. */
static const char *option_value(int argc, char **argv, int *i, const char *name,
                                const char *shortname, bool *missing) {
  const char *a = argv[*i];
  size_t n = strlen(name);
  if (!strncmp(a, name, n) && a[n] == '=')
    return a + n + 1;
  /* A short option may carry its value: -j4. */
  if (shortname && !strncmp(a, shortname, strlen(shortname)) &&
      a[strlen(shortname)] != '\0')
    return a + strlen(shortname);
  if (!strcmp(a, name) || (shortname && !strcmp(a, shortname))) {
    if (*i + 1 >= argc) {
      *missing = true;
      return NULL;
    }
    return argv[++*i];
  }
  return NULL;
}

static bool parse_count(const char *s, long *out) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || *end || end == s || v < 0 || v > 1000000)
    return false;
  *out = v;
  return true;
}

static int parse_args(int argc, char **argv, struct cli *c) {
  c->paths = calloc((size_t)argc, sizeof(char *));
  if (!c->paths)
    return EXIT_INTERNAL;
  bool only_paths = false;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v;
    bool missing = false; /* set by the option_value that matched */
    long n;
    if (only_paths || a[0] != '-' || !strcmp(a, "-")) {
      c->paths[c->npaths++] = a;
    } else if (!strcmp(a, "--")) {
      only_paths = true;
    } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      fputs(usage, stdout);
      exit(EXIT_CLEAN);
    } else if (!strcmp(a, "--version")) {
      printf("courselint %s\n", CLINT_VERSION);
      exit(EXIT_CLEAN);
    } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
      c->quiet = true;
    } else if (!strcmp(a, "--strict")) {
      c->strict = true;
    } else if (!strcmp(a, "--no-config")) {
      c->no_config = true;
    } else if (!strcmp(a, "--fix")) {
      c->fix = true;
    } else if (!strcmp(a, "--staged")) {
      c->staged = true;
    } else if (!strcmp(a, "--no-referrers")) {
      c->no_referrers = true;
    } else if (!strcmp(a, "--no-cache")) {
      c->no_cache = true;
    } else if ((v = option_value(argc, argv, &i, "--changed-since", NULL,
                                 &missing))) {
      c->since = v;
    } else if (!strcmp(a, "--diff")) {
      c->diff = true;
    } else if (!strcmp(a, "--list-rules")) {
      c->list_rules = true;
    } else if (!strcmp(a, "--print-config")) {
      c->print_config = true;
    } else if (!strcmp(a, "--outline")) {
      c->outline = true;
    } else if ((v = option_value(argc, argv, &i, "--root", NULL, &missing))) {
      c->root = v;
    } else if ((v = option_value(argc, argv, &i, "--rules", NULL, &missing))) {
      c->rules = v;
    } else if ((v = option_value(argc, argv, &i, "--report", NULL, &missing))) {
      clint_report_format rf;
      if (!clint_report_format_from_path(v, &rf))
        return usage_error("--report needs a file ending in .md, .html or "
                           ".json, not '%s'",
                           v);
      c->report = v;
    } else if ((v = option_value(argc, argv, &i, "--explain", NULL,
                                 &missing))) {
      c->explain = v;
    } else if ((v = option_value(argc, argv, &i, "--format", NULL, &missing))) {
      if (!clint_format_from_name(v, &c->format))
        return usage_error("unknown format '%s' (text, json, sarif, github, "
                           "junit)",
                           v);
    } else if ((v = option_value(argc, argv, &i, "--jobs", "-j", &missing))) {
      if (!parse_count(v, &n) || n > 256)
        return usage_error("--jobs takes a number from 0 to 256, not '%s'", v);
      c->jobs = (unsigned)n;
    } else if ((v = option_value(argc, argv, &i, "--max-warnings", NULL,
                                 &missing))) {
      if (!parse_count(v, &n))
        return usage_error("--max-warnings takes a number, not '%s'", v);
      c->max_warnings = n;
    } else if ((v = option_value(argc, argv, &i, "--color", NULL, &missing)) ||
               (v = option_value(argc, argv, &i, "--colour", NULL, &missing))) {
      if (!strcmp(v, "auto"))
        c->color = -1;
      else if (!strcmp(v, "always"))
        c->color = 1;
      else if (!strcmp(v, "never"))
        c->color = 0;
      else
        return usage_error("--color takes auto, always or never, not '%s'", v);
    } else if (missing) {
      return usage_error("option '%s' needs a value", a);
    } else {
      return usage_error("unknown option '%s'", a);
    }
  }
  if (c->diff && !c->fix)
    return usage_error("%s only goes with --fix", "--diff");
  if ((c->staged || c->since) && c->npaths)
    return usage_error("%s takes no PATHs: git names the pages",
                       c->staged ? "--staged" : "--changed-since");
  if (c->staged && c->since)
    return usage_error("%s: choose one of --staged and --changed-since",
                       "--staged");
  return -1;
}

static void print_error(const clint_error *e) {
  if (e->path[0] && e->line)
    fprintf(stderr, "courselint: %s:%u:%u: %s\n", e->path, e->line, e->column,
            e->message);
  else if (e->path[0])
    fprintf(stderr, "courselint: %s: %s\n", e->path, e->message);
  else
    fprintf(stderr, "courselint: %s\n", e->message);
}

static int exit_for(clint_status st) {
  return st == CLINT_E_INTERNAL || st == CLINT_E_NOMEM ? EXIT_INTERNAL
                                                       : EXIT_USAGE;
}

static int list_rules(const clint_linter *l) {
  for (size_t i = 0; i < clint_linter_rule_count(l); i++) {
    const clint_rule_info *r = clint_linter_rule(l, i);
    printf("%-28s %-8s %s\n", r->id, clint_severity_str(r->severity),
           r->summary ? r->summary : "");
  }
  return EXIT_CLEAN;
}

static int explain(const clint_linter *l, const char *id) {
  const clint_rule_info *r = clint_linter_find_rule(l, id);
  if (!r) {
    fprintf(stderr, "courselint: no rule '%s' (see --list-rules)\n", id);
    return EXIT_USAGE;
  }
  printf("%s (%s)\n\n%s\n", r->id, clint_severity_str(r->severity),
         r->summary ? r->summary : "");
  if (r->explain)
    printf("\n%s\n", r->explain);
  return EXIT_CLEAN;
}

static bool want_color(int setting) {
  if (setting >= 0)
    return setting;
  const char *term = getenv("TERM");
  return isatty(STDOUT_FILENO) && !getenv("NO_COLOR") &&
         !(term && !strcmp(term, "dumb"));
}

/* The course options of the command line, with base the current folder
 * (read into cwd): paths on the command line and in the output are
 * relative to it, and the library knows it only from here. false, having
 * said why, when the folder cannot be read. */
static bool course_options(const struct cli *c, char cwd[PATH_MAX],
                           clint_options *opts) {
  if (!getcwd(cwd, PATH_MAX)) {
    fprintf(stderr, "courselint: cannot read the current folder: %s\n",
            strerror(errno));
    return false;
  }
  clint_options_init(opts);
  opts->root = c->root;
  opts->base = cwd;
  return true;
}

/* The folder for the cache of runs that search for referrers, made when
 * missing: $XDG_CACHE_HOME/courselint, else ~/.cache/courselint (the XDG
 * base directory rules; relative settings are ignored, as they say).
 * NULL when there is none to use: runs then keep nothing. */
static const char *cache_folder(char *buf, size_t cap) {
  const char *x = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
  int n;
  if (x && x[0] == '/')
    n = snprintf(buf, cap, "%s/courselint", x);
  else if (home && home[0] == '/')
    n = snprintf(buf, cap, "%s/.cache/courselint", home);
  else
    return NULL;
  if (n < 0 || (size_t)n >= cap)
    return NULL;
  /* Each missing folder on the way, private to the user. */
  for (char *s = strchr(buf + 1, '/');; s = strchr(s + 1, '/')) {
    if (s)
      *s = '\0';
    bool made = mkdir(buf, 0700) == 0 || errno == EEXIST;
    if (s)
      *s = '/';
    if (!made)
      return NULL;
    if (!s)
      break;
  }
  return buf;
}

/* A finished run over the course and the targets, or NULL with the exit
 * status in *code. */
static clint_run *lint_once(const clint_linter *l, const struct cli *c,
                            int *code) {
  clint_error err = {0};
  char cwd[PATH_MAX];
  clint_options opts;
  if (!course_options(c, cwd, &opts)) {
    *code = EXIT_USAGE;
    return NULL;
  }
  opts.jobs = c->jobs;
  opts.index_all = c->report != NULL;
  opts.referrers = !c->no_referrers;
  /* The cache serves the author's runs (PATHs, --staged): it is read
   * back by the next one. Not --changed-since, nor any run under CI:
   * there each run starts afresh, and filling a cache nobody reads would
   * cost more than the search it spares. */
  char cache[PATH_MAX];
  const char *ci = getenv("CI");
  bool in_ci = ci && *ci && strcmp(ci, "false") != 0 && strcmp(ci, "0") != 0;
  if (opts.referrers && (c->staged || c->npaths) && !c->since && !in_ci &&
      !c->no_cache)
    opts.cache_dir = cache_folder(cache, sizeof(cache));
  clint_run *run = clint_run_new(l, &opts, &err);
  if (!run) {
    print_error(&err);
    *code = exit_for(err.status);
    return NULL;
  }
  if (c->staged || c->since) {
    char msg[1024];
    size_t changed = 0;
    if (changes_add(run, c->staged ? CHANGES_STAGED : CHANGES_SINCE, c->since,
                    &changed, msg, sizeof(msg)) != 0) {
      fprintf(stderr, "courselint: %s: %s\n",
              c->staged ? "--staged" : "--changed-since", msg);
      clint_run_free(run);
      *code = EXIT_USAGE;
      return NULL;
    }
    if (changed == 0) { /* nothing changed: nothing to say */
      clint_run_free(run);
      *code = EXIT_CLEAN;
      return NULL;
    }
  }
  for (size_t i = 0; i < c->npaths; i++) {
    if (clint_run_add_target(run, c->paths[i], &err) != CLINT_OK) {
      print_error(&err);
      clint_run_free(run);
      *code = EXIT_USAGE;
      return NULL;
    }
  }
  if (clint_run_lint(run, &err) != CLINT_OK) {
    print_error(&err);
    clint_run_free(run);
    *code = exit_for(err.status);
    return NULL;
  }
  return run;
}

/* Ctrl-C, a closed terminal or a plain kill between writing a temporary
 * file and renaming it over a page or the report would leave it behind:
 * they wait (until sigprocmask restores *old), then take effect as
 * usual. */
static void hold_signals(sigset_t *old) {
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGHUP);
  sigprocmask(SIG_BLOCK, &stop, old);
}

static void fix_failed(const clint_error *e, void *ctx) {
  (void)ctx;
  print_error(e);
}

/* --fix: apply the fixes; with --diff only print them. *changed tells
 * whether any page was (or, with --diff, would be) changed. Every page
 * that could not be fixed is named on stderr; the run goes on, and the
 * exit status says so. */
static int fix(const clint_run *run, const struct cli *c, bool *changed) {
  clint_error err = {0};
  clint_fix_options fo = {.flags = c->diff ? CLINT_FIX_DRY_RUN : 0,
                          .diff = c->diff ? stdout : NULL,
                          .page_failed = fix_failed};
  clint_fix_summary sum;
  sigset_t old;
  hold_signals(&old);
  clint_status st = clint_run_fix(run, &fo, &sum, &err);
  sigprocmask(SIG_SETMASK, &old, NULL);
  *changed = sum.files_changed > 0;
  if (c->diff && fflush(stdout) != 0) {
    fprintf(stderr, "courselint: cannot write the diff\n");
    return EXIT_USAGE;
  }
  if (!c->quiet)
    fprintf(stderr, "courselint: %s %zu fix%s in %zu file%s%s\n",
            c->diff ? "would apply" : "applied", sum.fixes_applied,
            sum.fixes_applied == 1 ? "" : "es", sum.files_changed,
            sum.files_changed == 1 ? "" : "s",
            sum.fixes_skipped ? " (overlapping fixes left for another run)"
                              : "");
  if (st != CLINT_OK && sum.files_failed == 0)
    print_error(&err); /* not about one page: no page_failed call */
  if (st != CLINT_OK && !c->quiet && sum.files_failed)
    fprintf(stderr, "courselint: %zu file%s not fixed (named above)\n",
            sum.files_failed, sum.files_failed == 1 ? "" : "s");
  return st == CLINT_OK ? EXIT_CLEAN : exit_for(st);
}

/* Whether path, as written, stays inside the current folder: relative,
 * and no ".." climbs above where it starts. */
static bool stays_here(const char *path) {
  if (path[0] == '/')
    return false;
  long depth = 0;
  for (const char *p = path; *p;) {
    size_t n = strcspn(p, "/");
    if (n == 2 && !strncmp(p, "..", 2))
      depth--;
    else if (n && !(n == 1 && p[0] == '.'))
      depth++;
    if (depth < 0)
      return false;
    p += n + (p[n] == '/');
  }
  return true;
}

/* Whether the real path real lies in the real folder dir (or is it). */
static bool within(const char *real, const char *dir) {
  size_t dl = strlen(dir);
  return !strncmp(real, dir, dl) &&
         (real[dl] == '\0' || real[dl] == '/' || !strcmp(dir, "/"));
}

/* The file the report replaces: path itself, or where a symlink there
 * leads. A report path inside the current folder (a course in CI, where
 * a pull request may commit a symlink at that path or a folder link on
 * the way) must not lead out of it. NULL, with a message, when refused. */
static char *report_target(const char *path) {
  struct stat st;
  bool link = lstat(path, &st) == 0 && S_ISLNK(st.st_mode);
  char *target = link ? realpath(path, NULL) : strdup(path);
  if (!target) {
    fprintf(stderr,
            "courselint: %s: a symbolic link to nothing; report not "
            "written\n",
            path);
    return NULL;
  }
  if (!stays_here(path))
    return target; /* the user's choice, on the command line */
  char *slash = strrchr(target, '/');
  char *dir =
      slash ? strndup(target, slash == target ? 1 : (size_t)(slash - target))
            : strdup(".");
  char *real_dir = dir ? realpath(dir, NULL) : NULL;
  char *here = realpath(".", NULL);
  bool ok = real_dir && here && within(real_dir, here);
  if (!ok)
    fprintf(stderr, "courselint: %s: %s; report not written\n", path,
            real_dir && here ? "leads out of the current folder through a "
                               "symbolic link"
                             : strerror(errno));
  free(dir);
  free(real_dir);
  free(here);
  if (!ok) {
    free(target);
    return NULL;
  }
  return target;
}

/* Write the report to a new temporary file beside its target, then
 * rename it over the target: nothing is ever written through a symlink
 * or into an existing file, and an interrupted run leaves the old report
 * or the new one. */
static int write_report(const clint_run *run, const char *path) {
  clint_report_format rf;
  if (!clint_report_format_from_path(path, &rf))
    return EXIT_USAGE;
  char *target = report_target(path);
  if (!target)
    return EXIT_USAGE;
  char *slash = strrchr(target, '/');
  size_t dl = slash ? (size_t)(slash - target) + 1 : 0;
  char *tmp = malloc(dl + sizeof(".courselint-report-XXXXXX"));
  if (!tmp) {
    free(target);
    return EXIT_INTERNAL;
  }
  sprintf(tmp, "%.*s.courselint-report-XXXXXX", (int)dl, target);
  sigset_t old;
  hold_signals(&old);
  int fd = mkstemp(tmp); /* O_CREAT | O_EXCL: a new file, never a link */
  FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
  if (!f) {
    fprintf(stderr, "courselint: %s: cannot write the report: %s\n", path,
            strerror(errno));
    if (fd >= 0) {
      close(fd);
      unlink(tmp);
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    free(tmp);
    free(target);
    return EXIT_USAGE;
  }
  /* mkstemp makes it 0600; a report is as readable as any new file. */
  mode_t mask = umask(0);
  umask(mask);
  fchmod(fd, 0666 & ~mask);
  clint_status st = clint_run_write_report(run, rf, f);
  bool ok = fclose(f) == 0 && st == CLINT_OK && rename(tmp, target) == 0;
  if (!ok) {
    fprintf(stderr, "courselint: %s: cannot write the report: %s\n", path,
            strerror(errno));
    unlink(tmp);
  }
  sigprocmask(SIG_SETMASK, &old, NULL);
  free(tmp);
  free(target);
  return ok ? EXIT_CLEAN : EXIT_USAGE;
}

static int lint(const clint_linter *l, const struct cli *c) {
  int code = EXIT_CLEAN;
  /* Findings go out at the end, in one burst: into a pipe or a file,
   * in 64 KB writes rather than stdio's 4 KB. */
  static char out[1 << 16];
  if (!isatty(STDOUT_FILENO))
    setvbuf(stdout, out, _IOFBF, sizeof(out));
  clint_run *run = lint_once(l, c, &code);
  if (!run)
    return code;
  int fix_code = EXIT_CLEAN; /* a page that could not be fixed: 2 */
  if (c->fix) {
    bool changed = false;
    fix_code = fix(run, c, &changed);
    if (c->diff || fix_code == EXIT_INTERNAL) {
      clint_run_free(run);
      return fix_code != EXIT_CLEAN ? fix_code
             : changed              ? EXIT_FINDINGS
                                    : EXIT_CLEAN;
    }
    /* Report what is left, the pages not fixed included: lint the fixed
     * pages again. */
    if (changed) {
      clint_run_free(run);
      if (!(run = lint_once(l, c, &code)))
        return code;
    }
  }
  if (c->report && (code = write_report(run, c->report)) != EXIT_CLEAN) {
    clint_run_free(run);
    return code;
  }
  unsigned flags = c->format == CLINT_FORMAT_TEXT && want_color(c->color)
                       ? CLINT_WRITE_COLOR
                       : 0;
  clint_status st = clint_run_write(run, c->format, flags, stdout);
  if (fflush(stdout) != 0 || st != CLINT_OK) {
    fprintf(stderr, "courselint: cannot write the output\n");
    clint_run_free(run);
    return EXIT_USAGE;
  }
  const clint_summary *s = clint_run_summary(run);
  if (!c->quiet)
    fprintf(stderr,
            "courselint: %zu file%s checked (%zu indexed), %zu error%s, "
            "%zu warning%s\n",
            s->files_checked, s->files_checked == 1 ? "" : "s",
            s->files_indexed, s->errors, s->errors == 1 ? "" : "s", s->warnings,
            s->warnings == 1 ? "" : "s");
  if (s->errors || (c->strict && s->warnings) ||
      (c->max_warnings >= 0 && s->warnings > (size_t)c->max_warnings))
    code = EXIT_FINDINGS;
  clint_run_free(run);
  return fix_code > code ? fix_code : code;
}

/* The heap a run (or the editor server's first index) grows into, backed
 * by large pages where the kernel allows it (transparent huge pages in
 * "madvise" mode, Linux's default). A run keeps what it learns of every
 * page until the end, and each fresh 4 KB of it costs a page fault: on
 * the shared virtual machine we measure on, 11 microseconds each, 50 ms
 * of a 650 ms run on the largest corpus (perf stat counts 4,900 faults
 * against the floor's 250). With the room laid out ahead and marked, a
 * few hundred faults remain, and paired runs took 0.95 of the time with
 * one job, 0.92 with two (tests/bench/README.md). The costs: 64 MB of
 * address space, and up to that much freed memory at the heap's top kept
 * rather than given back (the pad). It changes how the whole process
 * allocates, so it is the program's to do, never the library's. glibc
 * only; elsewhere nothing happens. */
#define HEAP_AHEAD ((size_t)64 << 20)
#define LARGE_PAGE ((uintptr_t)2 << 20)

static void heap_in_large_pages(void) {
#if defined(__GLIBC__) && defined(M_TOP_PAD) && defined(MADV_HUGEPAGE)
  /* Blocks below the mmap threshold come from the heap, which grows by
   * the pad each time it must grow: do that once, now. Large blocks (a
   * run's findings, a big folder's listing) come from it too. */
  if (!mallopt(M_MMAP_THRESHOLD, (int)(HEAP_AHEAD / 4))) /* over its max */
    return;
  if (!mallopt(M_TOP_PAD, (int)HEAP_AHEAD))
    return;
  char *before = sbrk(0), *after = before;
  void *grow[4] = {NULL};
  for (int i = 0; i < 4 && after == before; i++) {
    grow[i] = malloc(96 << 10); /* free room at the top may serve one */
    after = sbrk(0);
  }
  for (int i = 0; i < 4; i++)
    free(grow[i]); /* the heap keeps the pad when its top is freed */
  after = sbrk(0); /* less what the frees gave back */
  uintptr_t lo = ((uintptr_t)before + LARGE_PAGE - 1) & ~(LARGE_PAGE - 1);
  if (before != (char *)-1 && after != (char *)-1 && (uintptr_t)after > lo)
    (void)madvise((void *)lo, (uintptr_t)after - lo, MADV_HUGEPAGE);
#endif
}

/* --outline: the course as the rules read it. */
static int outline(const clint_linter *l, const struct cli *c) {
  char cwd[PATH_MAX];
  clint_options opts;
  if (!course_options(c, cwd, &opts))
    return EXIT_USAGE;
  clint_error err = {0};
  if (outline_print(l, &opts, stdout, &err) != CLINT_OK) {
    print_error(&err);
    return exit_for(err.status);
  }
  return fflush(stdout) == 0 ? EXIT_CLEAN : EXIT_USAGE;
}

int main(int argc, char **argv) {
  if (argc > 1 && !strcmp(argv[1], "lsp")) {
    heap_in_large_pages(); /* its first index is a full run */
    return lsp_main(argc - 1, argv + 1);
  }
  struct cli c = {.color = -1, .max_warnings = -1};
  int code = parse_args(argc, argv, &c);
  if (code >= 0) {
    free(c.paths);
    return code;
  }
  clint_error err = {0};
  clint_linter *l = clint_linter_new(&err);
  if (!l) {
    print_error(&err);
    free(c.paths);
    return EXIT_INTERNAL;
  }
  /* The course's own rule file, found from --root or the current folder,
   * unless --rules names one: --list-rules and --print-config show what a
   * lint here would use. */
  char *root = c.root ? realpath(c.root, NULL) : clint_find_root(NULL);
  if (!root) {
    fprintf(stderr, "courselint: %s: cannot use as course root: %s\n",
            c.root ? c.root : ".", strerror(errno));
    clint_linter_free(l);
    free(c.paths);
    return EXIT_USAGE;
  }
  c.root = c.root ? c.root : root;
  clint_status st = CLINT_OK;
  if (c.rules)
    st = clint_linter_load_rules(l, c.rules, &err);
  else if (!c.no_config)
    st = clint_linter_load_course_rules(l, root, &err);
  if (st != CLINT_OK) {
    print_error(&err);
    code = exit_for(err.status);
  } else if (c.list_rules) {
    code = list_rules(l);
  } else if (c.explain) {
    code = explain(l, c.explain);
  } else if (c.print_config) {
    code = clint_linter_print_config(l, stdout) == CLINT_OK ? EXIT_CLEAN
                                                            : EXIT_USAGE;
  } else if (c.outline) {
    code = outline(l, &c);
  } else {
    heap_in_large_pages();
    code = lint(l, &c);
  }
  clint_linter_free(l);
  free(root);
  free(c.paths);
  return code;
}
