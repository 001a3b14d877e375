/* rules.h - the effective rule set: what the default rule file and a
 * course's own rule files say, merged, with every pattern compiled once.
 * Built from scratch by rules_build whenever a rule file is added, so a
 * file that fails leaves the old rules untouched. Read-only once built and
 * shared by every thread of a run. */
#ifndef CLINT_RULES_H
#define CLINT_RULES_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdbool.h>
#include <stdio.h>

#include "anchor.h"
#include "checks/checks.h"
#include "courselint.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/hash.h"
#include "ytree.h"

/* The PCRE2 limits of every pattern (limits.match, limits.depth) unless a
 * rule file sets them, and the most it may set. */
#define RULES_MATCH_LIMIT 1000000u
#define RULES_DEPTH_LIMIT 10000u
#define RULES_MAX_LIMIT YAML_UINT_MAX

/* rules_match_budget tries a match under a small limit first, then under
 * limits RULES_BUDGET_GROWTH times larger, up to the match limit. */
#define RULES_BUDGET_FIRST 1024u
#define RULES_BUDGET_GROWTH 32u
#define RULES_BUDGET_STEPS 4

/* One parsed rule file. */
struct rule_file {
  const char *name;
  const struct ynode *root;
};

/* A role a page plays in a module: weekly plan, explainer, ... */
struct role {
  const char *id;   /* "explainer" */
  const char *file; /* pattern on the file name */
  pcre2_code *file_re;
  bool required;      /* every module must have this file */
  const char **names; /* words prose uses for it: "explainer" */
  size_t nnames;
  /* Where names was set, and the index of that rule file in load order
   * (a pattern that {role} makes too large blames the file that added
   * the names, when it came after the pattern's). */
  const char *names_file;
  const struct ynode *names_node;
  size_t names_from;
  const char *number; /* pattern reading a heading's number (group num) */
  pcre2_code *number_re;
  const char **sections; /* required sections in order */
  size_t nsections;
  /* Where the sections list was read (for pattern errors in finish). */
  const char *sections_file;
  const struct ynode *sections_node;
};

/* A map from ids to the indexes of an array that rule files extend entry
 * by entry (roles, references), kept in a rules arena: finding an id
 * stays constant-time however many entries there are. */
struct rules_ids {
  struct rules_id_slot {
    const char *key; /* NULL: empty */
    size_t index;
  } * slot;
  size_t cap; /* a power of two, or 0 */
  size_t n;
};

/* Where a rule or a reference entry applies: pages whose root-relative
 * path one of paths holds (every page when there are none) and none of
 * exclude holds (glob_holds). */
struct rules_scope {
  const char **paths;
  size_t npaths;
  const char **exclude;
  size_t nexclude;
};

struct rules {
  struct arena arena;
  size_t loading; /* the index of the rule file being applied */
  enum anchor_style anchors;
  const char **ignore; /* globs relative to the root */
  size_t nignore;
  struct role *roles;
  size_t nroles, roles_cap;
  struct rules_ids role_ids;
  const char *module_folder; /* pattern on a folder name (group num) */
  pcre2_code *module_folder_re;
  unsigned module_min_files; /* role files that make a folder a module */
  const char *module_title;  /* pattern on an H1 (group num) */
  /* What the course calls a module and a lesson, in messages ("unit 3
   * follows unit 1"); NULL: "module", "lesson". See rules_noun. */
  const char *module_noun, *lesson_noun;
  pcre2_code *module_title_re;
  bool roles_removed; /* a rule file took out roles (`remove: true`) */
  struct rules_ids removed_ids; /* the ids of roles taken out */
  /* The outline of courses laid out by place (modules.path, .lessons,
   * .lesson_title; NULL when not set): a folder whose root-relative path
   * matches module_path is a module (its number in group num, when the
   * pattern has one); a page whose path relative to its module's folder
   * matches lessons is a lesson, numbered by its group num, else by
   * lesson_title (group num) on the page's title. */
  const char *module_path;
  pcre2_code *module_path_re;
  const char *lessons;
  pcre2_code *lessons_re;
  const char *lesson_title;
  pcre2_code *lesson_title_re;
  unsigned match_limit; /* PCRE2 match and depth limits */
  unsigned depth_limit;
  pcre2_match_context *mctx;
  /* Rising match limits up to match_limit, for rules_match_budget. */
  pcre2_match_context *step_ctx[RULES_BUDGET_STEPS];
  unsigned step_limit[RULES_BUDGET_STEPS];
  size_t nsteps;
  /* Every rule, built-in and defined by rule files; by_id maps an id to
   * its index + 1. */
  struct vec infos; /* clint_rule_info */
  struct hmap by_id;
  /* The scope `rules:` gives each rule, by the rule's index in infos
   * (struct rules_scope); scoped says whether any has one. */
  struct vec scopes;
  bool scoped;
  void *family[FAM_COUNT]; /* each family's own settings */
  struct vec codes;        /* pcre2_code *, freed with the rules */
};

/* Build r from the rule files in order (later ones override). On failure
 * r is freed and err says where. */
clint_status rules_build(struct rules *r, const struct rule_file *files,
                         size_t nfiles, clint_error *err);
void rules_free(struct rules *r);

/* Compile pattern (from node n of file, for messages) with PCRE2 and JIT
 * where available into *out; the code is freed with r. On a bad pattern
 * *out is NULL and the status CLINT_E_PATTERN, with err (which may be
 * NULL) at file:line:col. */
clint_status rules_compile(struct rules *r, const char *file,
                           const struct ynode *n, const char *pattern,
                           uint32_t options, pcre2_code **out,
                           clint_error *err);

/* Room in r->arena for one more item at the end of an array *v of n
 * items of size bytes, *cap of them allocated: the array moves to twice
 * the room when full, so that building it costs memory linear in its
 * final length. Returns the new item (zeroed), or NULL on no memory. */
void *rules_grow(struct rules *r, void **v, size_t n, size_t *cap, size_t size);

/* The index stored under id in m, or -1. */
long rules_ids_get(const struct rules_ids *m, const char *id);
/* Store index under id (which must outlive r); false on no memory. */
bool rules_ids_put(struct rules *r, struct rules_ids *m, const char *id,
                   size_t index);

/* The index of the role with this id, or -1. */
int rules_role_index(const struct rules *r, const char *id);

/* Whether a rule file took the role with this id out (`remove: true`)
 * and none added it again: a list an earlier file gave that names it
 * (sequence.next_module.roles: [review]) then leaves it out, rather than
 * call it unknown. */
bool rules_role_removed(const struct rules *r, const char *id);

/* Add a rule (ids must be unique: CLINT_E_RULES otherwise). Strings must
 * live in r->arena or be static. */
clint_status rules_add(struct rules *r, const char *id, clint_severity sev,
                       const char *summary, const char *explain);

/* The configured severity of a rule id; CLINT_SEV_OFF for unknown ids. */
clint_severity rules_severity(const struct rules *r, const char *id);

/* The severity of a rule id on the page at root-relative path:
 * rules_severity, or CLINT_SEV_OFF when the rule's scope (`paths`,
 * `exclude` under `rules:`) leaves the page out. */
clint_severity rules_severity_on(const struct rules *r, const char *id,
                                 const char *path);

/* Whether scope s holds the page at root-relative path. */
bool rules_scope_holds(const struct rules_scope *s, const char *path);

/* Read the `paths` and `exclude` keys of map n, when there, into s: each
 * a glob or a list of globs, refused when glob_problem finds one wrong. A
 * key n does not name leaves s as it was (a later rule file changes only
 * what it names). */
clint_status rules_read_scope(struct rules *r, const char *file,
                              const struct ynode *n, struct rules_scope *s,
                              clint_error *err);

/* Write s as `paths` and `exclude` keys at indent, leaving out empty
 * lists. */
void rules_print_scope(FILE *out, const char *indent,
                       const struct rules_scope *s);

/* Match code against s[0, len) from offset start. Returns 1 on a match
 * (ovector in md), 0 on none, and otherwise the PCRE2 error code, which
 * is negative: a limit (rules_is_limit) or another failure, such as a
 * recursion that loops or the JIT stack running out. */
int rules_match(const struct rules *r, const pcre2_code *code, const char *s,
                size_t len, size_t start, pcre2_match_data *md);

/* Work a caller allows the matches of one pattern (or of several) on one
 * text, in PCRE2 match-limit units (see rules_match_budget). */
struct rules_budget {
  unsigned long left;
};

/* The result of rules_match_budget once the budget is spent. */
#define RULES_OVER_BUDGET (-100000)

/* rules_match, with the work it does charged to b: the match is tried
 * under RULES_BUDGET_FIRST, which costs nothing (a cost bounded by the
 * size of the text), and when that is not enough under larger limits up to
 * the match limit, each try charged its limit. Returns RULES_OVER_BUDGET,
 * without trying, when b cannot pay for the next try; the match limit, a
 * match, none or an error as rules_match. Bounds a pattern that stays just
 * under the match limit on every paragraph of a page. */
int rules_match_budget(const struct rules *r, const pcre2_code *code,
                       const char *s, size_t len, size_t start,
                       pcre2_match_data *md, struct rules_budget *b);

/* Whether a negative rules_match result is the match, depth or heap
 * limit. */
bool rules_is_limit(int rc);

/* PCRE2's message for a negative rules_match result, in buf. */
void rules_match_error(int rc, char *buf, size_t cap);

/* The role whose file pattern matches basename, or -1. *limit (when not
 * NULL) gets the id of a role whose pattern hit the PCRE2 match or depth
 * limit on basename before a match was found, else NULL. */
int rules_role_of(const struct rules *r, const char *basename,
                  pcre2_match_data *md, const char **limit);

/* The number of a heading under the role's numbering pattern ("6.5"), in
 * a, or NULL when the heading is not numbered. role may be -1 (the
 * default pattern of the first role that has one is not used then: only
 * roles number their headings). *limit (when not NULL) is set when the
 * pattern hit the PCRE2 match or depth limit on this text. */
const char *rules_heading_number(const struct rules *r, int role,
                                 const char *text, struct arena *a,
                                 pcre2_match_data *md, bool *limit);

/* A named group of the last match, as a pointer into s and a length;
 * false when the group did not take part. */
bool rules_group(const pcre2_code *code, pcre2_match_data *md, const char *s,
                 const char *group, const char **out, size_t *len);

/* Read a severity name at node n. */
clint_status rules_severity_of(const char *file, const struct ynode *n,
                               clint_severity *out, clint_error *err);

/* Read a list of strings (or one string) at n into the arena. */
clint_status rules_strings(struct rules *r, const char *file,
                           const struct ynode *n, const char ***out,
                           size_t *count, clint_error *err);

/* Write the effective rule set as YAML. */
void rules_print(const struct rules *r, FILE *out);

/* The default rule file compiled into the binary (rules/default.yml). */
extern const char rules_default_yml[];
extern const size_t rules_default_yml_len;

/* The word the course uses for a module (lesson false) or a lesson
 * (true), as messages print it. */
const char *rules_noun(const struct rules *r, bool lesson);

#endif
