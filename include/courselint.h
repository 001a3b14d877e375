/*
 * courselint.h - public API of libcourselint, a linter for Markdown course
 * material.
 *
 * A clint_linter holds a loaded, read-only rule set. A clint_run lints one
 * course with it: it indexes every page under the course root, checks the
 * pages it was asked about and collects diagnostics. The command-line tool
 * in src/cli/ is written against this header alone.
 *
 * Ownership: _new returns an object you own and free with the matching
 * _free; _free(NULL) does nothing. Pointers returned as const live as long
 * as the object they came from.
 */
#ifndef COURSELINT_H
#define COURSELINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CLINT_VERSION "0.2.0"

/* The version of this API. It grows by one whenever a declaration here
 * changes in a way that old callers would notice. */
#define CLINT_API_VERSION 3

/* CLINT_API_VERSION as the library was built: a caller linked against a
 * library built from another header can tell. */
unsigned clint_api_version(void);

/* ---- Status and errors ------------------------------------------------ */

typedef enum clint_status {
  CLINT_OK = 0,
  CLINT_E_USAGE,    /* a bad argument from the caller */
  CLINT_E_IO,       /* a file or folder could not be read or written */
  CLINT_E_RULES,    /* a rule file is malformed */
  CLINT_E_PATTERN,  /* a pattern in a rule file does not compile */
  CLINT_E_NOMEM,    /* out of memory */
  CLINT_E_LIMIT,    /* an input exceeds a resource limit */
  CLINT_E_INTERNAL, /* a bug in courselint */
} clint_status;

/* The English name of a status code, e.g. "I/O error". Never NULL. */
const char *clint_status_str(clint_status status);

/* Details of a failure, filled by functions that take a clint_error *.
 * path, line and column say where the problem is when that is known (a
 * rule file position, say); they are empty or 0 otherwise. Every such
 * function accepts NULL instead (the returned status alone then says what
 * failed) and only ever writes to it, never reads it back. */
typedef struct clint_error {
  clint_status status;
  unsigned line;
  unsigned column;
  char path[1024];
  char message[512];
} clint_error;

/* ---- Diagnostics ------------------------------------------------------ */

typedef enum clint_severity {
  CLINT_SEV_OFF = 0,
  CLINT_SEV_WARNING,
  CLINT_SEV_ERROR,
} clint_severity;

/* "error", "warning" or "off". */
const char *clint_severity_str(clint_severity sev);

/* What kind of thing a diagnostic is about; the broken-reference report
 * groups by it. */
typedef enum clint_diag_kind {
  CLINT_KIND_OTHER = 0, /* structure, syntax: not a reference */
  CLINT_KIND_LINK,      /* a link or image whose target is missing */
  CLINT_KIND_ANCHOR,    /* a #fragment that names no heading */
  CLINT_KIND_REF,       /* a prose cross-reference that names nothing */
} clint_diag_kind;

/* A text replacement that fixes a diagnostic: replace the bytes
 * [offset, offset + length) of the file as read from disk with text. */
typedef struct clint_fix {
  size_t offset;
  size_t length;
  const char *text;
} clint_fix;

/* One finding. Strings live as long as the run that found it. */
typedef struct clint_diag {
  const char *path;      /* relative to the options' base folder */
  const char *root_path; /* relative to the course root, '/'-separated */
  unsigned line;         /* 1-based */
  unsigned column;       /* 1-based, in characters */
  unsigned end_line;
  unsigned end_column; /* 1-based, inclusive */
  clint_severity severity;
  clint_diag_kind kind;
  const char *rule;       /* e.g. "link/missing-anchor" */
  const char *message;    /* lower case, no full stop */
  const char *suggestion; /* a likely intended target, or NULL */
  const char *target;     /* for references: what is missing, or NULL */
  const char *module;     /* root-relative module folder, or NULL */
  const clint_fix *fix;   /* a safe automatic fix, or NULL */
  /* The message already words the suggestion, as a rule file's template
   * placed it (in the rule file's language): show the message alone, with
   * no "did you mean" added. */
  bool suggestion_in_message;
} clint_diag;

/* ---- Rules ------------------------------------------------------------ */

typedef struct clint_linter clint_linter;

/* Describes one rule for --list-rules and --explain. */
typedef struct clint_rule_info {
  const char *id;
  clint_severity severity; /* as configured */
  const char *summary;     /* one line */
  const char *explain;     /* a paragraph with an example and its fix */
} clint_rule_info;

/* A linter with the default rule set compiled into the library. Returns
 * NULL and fills err when the built-in rules cannot be loaded. Free with
 * clint_linter_free. */
clint_linter *clint_linter_new(clint_error *err);
void clint_linter_free(clint_linter *linter);

/* Extend and override the loaded rules with a YAML rule file. On failure
 * returns CLINT_E_IO, CLINT_E_RULES or CLINT_E_PATTERN, fills err with the
 * file, line and column, and leaves the linter as it was. */
clint_status clint_linter_load_rules(clint_linter *linter, const char *path,
                                     clint_error *err);

/* The same from memory; name is used in messages. */
clint_status clint_linter_load_rules_mem(clint_linter *linter, const char *name,
                                         const char *text, size_t len,
                                         clint_error *err);

/* Load the course's own rule file, <root>/.courselint.yml, on top of the
 * loaded rules when it exists (CLINT_OK when it does not). Messages name
 * it relative to the current folder when it lies below it. Fails as
 * clint_linter_load_rules does. Load it before runs start: a linter is
 * read-only while runs use it. */
clint_status clint_linter_load_course_rules(clint_linter *linter,
                                            const char *root, clint_error *err);

/* The number of rules, and rule i (0-based) of them. */
size_t clint_linter_rule_count(const clint_linter *linter);
const clint_rule_info *clint_linter_rule(const clint_linter *linter, size_t i);
/* The rule with this id, or NULL. */
const clint_rule_info *clint_linter_find_rule(const clint_linter *linter,
                                              const char *id);

/* Write the effective rule set as YAML to out. */
clint_status clint_linter_print_config(const clint_linter *linter, FILE *out);

/* ---- Options ---------------------------------------------------------- */

/* Worker threads: at most this many, whatever is asked for. */
#define CLINT_MAX_JOBS 64

/* How a course is read and checked. The struct may grow in later
 * versions: start from CLINT_OPTIONS_INIT (or clint_options_init), which
 * sets size, so that a newer library reads only the fields the caller
 * knew. A size of 0 is refused with CLINT_E_USAGE. */
typedef struct clint_options {
  size_t size; /* sizeof(clint_options) as the caller compiled it */
  /* Course root. NULL: clint_find_root(base), that is the nearest parent
   * of base holding .courselint.yml or .git, else base itself. One of
   * root and base must be set. */
  const char *root;
  /* The folder that the caller's relative paths (targets) and the
   * findings' paths are relative to. NULL: the course root. The library
   * never looks at the process's current folder; the command-line tool
   * passes it here. */
  const char *base;
  /* Worker threads; 0: one per core. Clamped to CLINT_MAX_JOBS. */
  unsigned jobs;
  /* Read every page under the root even when only some are targets (the
   * orphan list needs it). Otherwise only what the targets' checks need
   * is read, with the same findings for the targets. */
  bool index_all;
  /* With targets (or pages gone, clint_run_add_gone): also report the
   * findings of other pages about their references into the targets
   * (links, anchors, prose references, paths): what a change to the
   * targets breaks elsewhere. Every page's bytes are searched for the
   * targets' names; only those that may refer to them are parsed. */
  bool referrers;
  /* An existing folder where runs that search for referrers keep what
   * they learnt of the course for the next run: each folder's listing
   * and a summary of each page's words, trusted only while the file
   * system says the same of them (inode, size, times). One file per
   * course root, replaced whole; the files of roots unused for thirty
   * days are removed from the folder. NULL: nothing is kept. */
  const char *cache_dir;
} clint_options;

#define CLINT_OPTIONS_INIT                                                     \
  { sizeof(clint_options), NULL, NULL, 0, false, false, NULL }

/* Set o to CLINT_OPTIONS_INIT. */
void clint_options_init(clint_options *o);

/* The course root for a folder (NULL: the current folder): its nearest
 * parent holding .courselint.yml or .git, else the folder itself. Returns
 * an absolute path that the caller frees with free(), or NULL when the
 * folder cannot be read. */
char *clint_find_root(const char *start);

/* ---- Courses: an index that lives on -------------------------------- */

/* A clint_course is the index of one course, kept between runs: a
 * long-running caller (an editor server, a watch loop) opens it once,
 * tells it what changed, and checks again; only what a change touches is
 * read and checked again. Pages can be given from memory (an editor's
 * unsaved buffer). One thread at a time may use a course; its runs may
 * use several worker threads inside. */
typedef struct clint_course clint_course;

/* Open the course that opts describes (opts may be NULL: the defaults).
 * The linter must outlive the course and is not changed by it. Returns
 * NULL and fills err when the root cannot be used or opts is bad. Nothing
 * is read until the first run or query. Free with clint_course_free. */
clint_course *clint_course_new(const clint_linter *linter,
                               const clint_options *opts, clint_error *err);
void clint_course_free(clint_course *course);

/* The absolute course root. */
const char *clint_course_root(const clint_course *course);

/* Use text (len bytes, copied) as the page at path (relative to the
 * options' base, or absolute; inside the root; need not exist on disk)
 * until it is given again or withdrawn with text NULL, which goes back to
 * the file on disk. Returns CLINT_E_IO for a path outside the root. */
clint_status clint_course_set_text(clint_course *course, const char *path,
                                   const char *text, size_t len,
                                   clint_error *err);

/* Tell the course that the file or folder at path changed on disk: its
 * text, or that it was created, deleted or renamed (call once for each
 * name). Other pages that depend on it are checked again on the next
 * run. */
clint_status clint_course_changed(clint_course *course, const char *path,
                                  clint_error *err);

/* What a reference is: how a page names a page, heading or folder. */
typedef enum clint_ref_kind {
  CLINT_REF_LINK = 0, /* a link, [text](dest) or <a href> */
  CLINT_REF_IMAGE,    /* an image, ![alt](src) or <img src> */
  CLINT_REF_PROSE,    /* prose: "explainer chapter 6.5", "All 6 chapters" */
  CLINT_REF_PATH,     /* a file or path named in prose */
} clint_ref_kind;

/* One reference, as the last check of its page found it. Positions are
 * 1-based, columns in characters, end inclusive. Strings are lent for the
 * call of the function they are given to. */
typedef struct clint_ref {
  const char *from; /* the referring page, root-relative */
  unsigned line;
  unsigned column;
  unsigned end_line;
  unsigned end_column;
  clint_ref_kind kind;
  const char *rule;   /* the rule that checks it, or NULL */
  const char *to;     /* root-relative page, folder or missing path */
  const char *anchor; /* the #fragment or heading it names in to, or NULL */
  bool broken;        /* it names nothing there */
} clint_ref;

/* Called once per reference; return false to stop. */
typedef bool (*clint_ref_fn)(const clint_ref *ref, void *ctx);

/* The references of the page at path (relative to base, or absolute),
 * checking the page first when its references are not known. */
clint_status clint_course_refs_from(clint_course *course, const char *path,
                                    clint_ref_fn fn, void *ctx,
                                    clint_error *err);

/* The references of every page of the course to the page at path: to any
 * part of it when anchor is NULL, else to that anchor. The first call
 * checks every page of the course; later ones only what changed. */
clint_status clint_course_refs_to(clint_course *course, const char *path,
                                  const char *anchor, clint_ref_fn fn,
                                  void *ctx, clint_error *err);

/* A heading of a page. Strings are lent for the call. */
typedef struct clint_heading {
  unsigned level; /* 1-6 */
  unsigned line;
  unsigned column;
  unsigned end_line;
  const char *text;   /* plain text */
  const char *anchor; /* the anchor links use, or NULL */
  const char *number; /* its number by the page's role ("6.5"), or NULL */
} clint_heading;

typedef bool (*clint_heading_fn)(const clint_heading *h, void *ctx);

/* The headings of the page at path in page order. CLINT_E_IO when no
 * readable page is there. */
clint_status clint_course_headings(clint_course *course, const char *path,
                                   clint_heading_fn fn, void *ctx,
                                   clint_error *err);

/* Every page of the course (root-relative paths, in no set order). */
clint_status clint_course_pages(clint_course *course,
                                bool (*fn)(const char *path, void *ctx),
                                void *ctx, clint_error *err);

/* ---- Runs ------------------------------------------------------------- */

/* A clint_run checks some pages of a course once and holds what it
 * found. Its findings and lists are its own: they stay valid until the
 * run is freed, whatever happens to the course after. */
typedef struct clint_run clint_run;

/* Set up a run over a course of its own: clint_course_new and
 * clint_course_run in one, for a caller that checks once. Returns NULL
 * and fills err as clint_course_new does. */
clint_run *clint_run_new(const clint_linter *linter, const clint_options *opts,
                         clint_error *err);

/* Set up a run on a course that lives on. The course must outlive the
 * run, and must not change between this call and clint_run_lint. */
clint_run *clint_course_run(clint_course *course, clint_error *err);

void clint_run_free(clint_run *run);

/* The absolute course root of the run. */
const char *clint_run_root(const clint_run *run);

/* Ask for diagnostics on a file or folder (relative to the options' base,
 * or absolute). Without any target the whole root is checked. Returns
 * CLINT_E_IO when the path does not exist or lies outside the root, and
 * CLINT_E_USAGE once the run has linted. */
clint_status clint_run_add_target(clint_run *run, const char *path,
                                  clint_error *err);

/* Name a page that is gone: deleted, or the old name of a renamed page
 * (path relative to the options' base, or absolute; inside the root; it
 * need not exist). Nothing is checked there, but with the referrers
 * option the pages that still refer to it are reported. CLINT_E_USAGE
 * once the run has linted. */
clint_status clint_run_add_gone(clint_run *run, const char *path,
                                clint_error *err);

typedef struct clint_summary {
  size_t files_indexed; /* Markdown pages read under the root */
  size_t files_checked; /* pages whose diagnostics are reported */
  size_t errors;
  size_t warnings;
  size_t references_checked; /* links, anchors and prose references */
  size_t external_skipped;   /* URLs with a scheme, not checked offline */
} clint_summary;

/* Index the course and check the targets. Findings are not errors: a run
 * that finds problems returns CLINT_OK. A run lints once: a second call
 * returns CLINT_E_USAGE and changes nothing (start another run). */
clint_status clint_run_lint(clint_run *run, clint_error *err);

/* Diagnostics, sorted by path, line and column; valid after
 * clint_run_lint and until clint_run_free. */
size_t clint_run_diag_count(const clint_run *run);
const clint_diag *clint_run_diag(const clint_run *run, size_t i);

const clint_summary *clint_run_summary(const clint_run *run);

/* Pages under the root that no other page links to or names (root
 * relative); the root README and index pages are never orphans. Filled
 * only when the options had index_all set. */
size_t clint_run_orphan_count(const clint_run *run);
const char *clint_run_orphan(const clint_run *run, size_t i);

/* The pages whose diagnostics are reported (the files checked), sorted
 * by root-relative path; clint_run_file gives page i relative to the
 * base, or NULL past the end. Valid after clint_run_lint. */
size_t clint_run_file_count(const clint_run *run);
const char *clint_run_file(const clint_run *run, size_t i);

/* The rules in effect for the run (the linter's, plus the course's own
 * rule file when loaded): count, and rule i or NULL past the end. */
size_t clint_run_rule_count(const clint_run *run);
const clint_rule_info *clint_run_rule(const clint_run *run, size_t i);

/* ---- Output ----------------------------------------------------------- */

typedef enum clint_format {
  CLINT_FORMAT_TEXT = 0, /* path:line:col: severity: message [rule] */
  CLINT_FORMAT_JSON,
  CLINT_FORMAT_SARIF,
  CLINT_FORMAT_GITHUB,
  CLINT_FORMAT_JUNIT,
} clint_format;

/* The format named name ("text", "json", ...); false if none is. */
bool clint_format_from_name(const char *name, clint_format *out);

enum {
  CLINT_WRITE_COLOR = 1, /* text: ANSI colours */
};

/* Write the run's diagnostics to out in a format. Returns CLINT_E_IO when
 * writing fails. */
clint_status clint_run_write(const clint_run *run, clint_format format,
                             unsigned flags, FILE *out);

/* ---- The broken-reference report (--report) ------------------------- */

/* For a course maintainer rather than a compiler: a summary, the broken
 * references grouped by module and by missing target with suggestions,
 * then the orphan pages (filled only when the run had index_all set). */
typedef enum clint_report_format {
  CLINT_REPORT_MD = 0,
  CLINT_REPORT_HTML, /* one self-contained page: inline CSS, no scripts */
  CLINT_REPORT_JSON,
} clint_report_format;

/* The report format for a file name by its extension (.md, .markdown,
 * .html, .htm, .json); false for any other. */
bool clint_report_format_from_path(const char *path, clint_report_format *out);

/* Write the broken-reference report of a finished run to out. Returns
 * CLINT_E_IO when writing fails, CLINT_E_USAGE for an unknown format. */
clint_status clint_run_write_report(const clint_run *run,
                                    clint_report_format format, FILE *out);

/* ---- Fixing (--fix) ---------------------------------------------------- */

enum {
  CLINT_FIX_DRY_RUN = 1, /* change no file; with diff set, only show */
};

typedef struct clint_fix_options {
  unsigned flags;
  /* When not NULL, a unified diff (a/ and b/ prefixes, paths relative to
   * the cwd) of every change is written here. */
  FILE *diff;
  /* For tests: called once the temporary file is written and synced,
   * just before it replaces the page; returning non-zero abandons that
   * page (the temporary file is removed, the page is left as it was) as
   * if the writer had been interrupted. NULL in normal use. */
  int (*before_rename)(const char *path, const char *tmp, void *ctx);
  /* When not NULL, called once for each page that could not be fixed,
   * with err naming it and saying why, while the other pages are still
   * fixed; lets a caller name every such page, where the return value of
   * clint_run_fix names only the first. */
  void (*page_failed)(const clint_error *err, void *ctx);
  void *ctx; /* passed to before_rename and page_failed */
} clint_fix_options;

typedef struct clint_fix_summary {
  size_t files_changed; /* pages rewritten (or, dry run, to rewrite) */
  size_t fixes_applied;
  size_t fixes_skipped; /* overlapping another fix: left for a rerun */
  size_t files_failed;  /* refused or not writable: left untouched */
} clint_fix_summary;

/* Apply the fixes of a finished run's diagnostics to the pages on disk.
 * Each page is rewritten atomically (a temporary file in its folder,
 * fsync, rename) with its mode, owner, line endings and BOM kept and no
 * other byte touched. Refused, and left as they are: a page reached
 * through a symlink that leaves the course root, one that changed since
 * the run read it, one another program has open for writing, one with
 * several hard links, and one the user could not write in place (no
 * write permission, or an owner a rewrite would change). A page reached
 * under several names (a symlink to it inside the course) is fixed once,
 * and the diff names the file itself. Fixes are applied in order of
 * offset and compose when they touch; one that starts inside another's
 * range is skipped. Temporary files that a killed earlier run left beside
 * the pages being fixed (".NAME.courselint-XXXXXX", regular, the user's,
 * older than this call) are removed. Returns CLINT_OK when every page
 * could be handled, otherwise the status of the first page that failed,
 * with err naming it (the others are still fixed; opts->page_failed
 * hears of each). sum may be NULL. */
clint_status clint_run_fix(const clint_run *run, const clint_fix_options *opts,
                           clint_fix_summary *sum, clint_error *err);

/* ---- Queries for editors (src/query.c) -------------------------------- */

/* Added for the editor server (`courselint lsp`, src/lsp/): questions an
 * editor asks of a course kept open that runs and references do not
 * answer. Each works between runs, like the other course queries. */

/* The text the course reads for the page at path (relative to the
 * options' base, or absolute): the text given with clint_course_set_text,
 * else the file's bytes as on disk, BOM included, read as a run reads
 * them (never through a symbolic link that leaves the root, never over
 * the size limit of a page). *text is malloc'd and NUL-terminated (free
 * it with free()); *len is its length. Returns CLINT_E_IO when no
 * readable page is there or path lies outside the root, CLINT_E_LIMIT
 * when the file is over the limit. */
clint_status clint_course_page_text(clint_course *course, const char *path,
                                    char **text, size_t *len, clint_error *err);

/* A role of the rule set, and the page that plays it in one module.
 * Strings are lent for the call. */
typedef struct clint_role {
  const char *id;           /* "explainer" */
  const char *const *names; /* the words prose uses for it: "explainer" */
  size_t nnames;
  bool numbered;    /* the role numbers its headings ("6.5") */
  const char *page; /* root-relative page playing it there, or NULL */
} clint_role;

/* Every role of the rule set in order, each with the page that plays it
 * in the module of the page at path (page NULL when path is NULL or the
 * page is in no module). CLINT_E_IO when path names no readable page. */
clint_status clint_course_roles(clint_course *course, const char *path,
                                bool (*fn)(const clint_role *role, void *ctx),
                                void *ctx, clint_error *err);

/* A unit of the course's outline as a rule file with modules.path or
 * modules.lessons describes it: a module (page NULL) or one of its
 * lessons. Strings are lent for the call. */
typedef struct clint_unit {
  const char *module; /* the module's root-relative folder ("" the root) */
  long module_number; /* from its folder's name or path, or -1 */
  const char *home;   /* the module's README.md (or first role page), or
                         NULL */
  const char *page;   /* a lesson: its root-relative page; NULL: the module */
  long number;        /* the lesson's number (from its path or title), or -1 */
} clint_unit;

/* Every module of the course in reading order, each followed by its
 * lessons in reading order: by number (lesson 3 before lesson 10), then
 * by path, those without a number last; nothing when the rule set has neither
 * modules.path nor modules.lessons (the seed's layout: see
 * clint_course_roles). Stops when fn returns false. CLINT_E_NOMEM when
 * memory runs out. */
clint_status clint_course_units(clint_course *course,
                                bool (*fn)(const clint_unit *unit, void *ctx),
                                void *ctx, clint_error *err);

/* An entry of a folder of the course. The name is lent for the call. */
typedef struct clint_entry {
  const char *name;
  bool dir; /* a folder (else a file) */
} clint_entry;

/* The files and folders in the folder at path (relative to the options'
 * base, or absolute; the root itself too) as the course sees them, in no
 * set order: what a run would skip (hidden names, node_modules, site,
 * build, the rule set's ignore globs) and what is neither file nor folder
 * are left out. CLINT_E_IO when no folder of the course is there. */
clint_status clint_course_list(clint_course *course, const char *path,
                               bool (*fn)(const clint_entry *e, void *ctx),
                               void *ctx, clint_error *err);

#ifdef __cplusplus
}
#endif

#endif
