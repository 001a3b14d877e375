/* refs_entry.h - what the three files of the ref family share: an entry
 * of the rule files' `references` section (read in refs_config.c), and
 * the references found on a page (refs_collect.c), which refs_check.c
 * checks once the course is indexed. */
#ifndef CLINT_CHECKS_REFS_ENTRY_H
#define CLINT_CHECKS_REFS_ENTRY_H

#include "../lint.h"
#include "refs.h"

enum ref_kind {
  REF_SECTION,
  REF_FILE,
  REF_PATH,
  REF_COUNT,
  REF_MODULE, /* "module 4": a module of that number (refs_units.c) */
  REF_LESSON, /* "lesson 8", "unit 5.2": a lesson of a module */
  REF_NKINDS
};

/* "section", "file", ...: as rule files name the kinds. */
extern const char *const refs_kind_names[REF_NKINDS];
/* The named group each kind reads ("nums", "file", ...). */
extern const char *const refs_kind_group[REF_NKINDS];
/* The message of an entry that sets none. */
extern const char *const refs_default_message[REF_NKINDS];

/* The placeholders of a message template, in the order of refs_value;
 * NULL-terminated. */
extern const char *const refs_placeholders[];

enum refs_value {
  V_TEXT,
  V_ROLE,
  V_NOUN,
  V_NOUNS,
  V_NUMBER,
  V_FILE,
  V_HAVE,
  V_COUNT,
  V_ACTUAL,
  V_PATH,
  V_FOLDER,
  V_SUGGESTION,
  V_N
};

#define REF_MAX_PATTERNS 8

/* The work an entry's patterns may do on one page beyond what its size
 * bounds, in match limits (rules_match_budget): a pattern that stays just
 * under the match limit on every paragraph stops after about this many,
 * with a rule/match-limit finding. */
#define REFS_PAGE_BUDGET 10

struct ref_entry {
  const char *id;
  const char *file; /* the rule file that defined it, for messages */
  const struct ynode *node;
  enum ref_kind kind;
  bool has_kind;
  /* One phrase may be written several ways: each pattern is tried. */
  const char *patterns[REF_MAX_PATTERNS];
  const struct ynode *pattern_nodes[REF_MAX_PATTERNS];
  const char *pattern_file;
  size_t pattern_from; /* the index of pattern_file in load order */
  pcre2_code *res[REF_MAX_PATTERNS];
  size_t npatterns;
  clint_severity severity;
  bool has_severity;
  const char *summary, *explain, *message;
  /* The `suggestion` template: how a suggestion reads ({suggestion} in it
   * is the name suggested), put where the message has {suggestion}, else
   * at its end; only when there is a suggestion. NULL: {suggestion} is
   * the name alone. */
  const char *suggestion;
  /* The message is the rule file's own, or the entry has a `suggestion`
   * template: the message places the suggestion (or leaves it out), and
   * the output formats add no English "did you mean" (see clint_diag). */
  bool custom_message;
  bool in_code, has_in_code;
  bool module_only, has_scope;
  /* The pages the entry runs on (`paths`, `exclude`). */
  struct rules_scope where;
  const char *role; /* a role id for patterns without a role group */
  const char *role_file;
  const struct ynode *role_node;
  int role_index;
  const char **ranges;
  size_t nranges;
  /* Per pattern: the words of which a block must hold one for the
   * pattern to match in it, derived from the pattern (refs_literals; none:
   * every block is searched), and their bits in the family's word set;
   * fit is false when they did not fit there and are looked for one by
   * one. */
  struct refs_wordset sets[REF_MAX_PATTERNS][REFS_MAX_WORDSETS];
  size_t nsets[REF_MAX_PATTERNS]; /* refs_literals, chosen from in ready */
  const char **words[REF_MAX_PATTERNS];
  size_t nwords[REF_MAX_PATTERNS];
  uint32_t need[REF_MAX_PATTERNS];
  bool fit[REF_MAX_PATTERNS];
};

struct refs_config {
  struct ref_entry *v;
  size_t n, cap;
  struct rules_ids ids; /* id -> index in v */
  /* The words of the patterns, searched for in one pass over a page. */
  struct refs_words words;
};

/* One match, kept with the page (strings in the page arena). */
struct ref {
  const struct ref_entry *e;
  struct pos pos, end;
  const char *text;   /* the phrase */
  const char *role;   /* role group, or NULL */
  const char *noun;   /* noun group, or NULL */
  const char *nums;   /* section: the list of numbers */
  const char *path;   /* file and path: the name as written */
  const char *link;   /* destination of the link whose text holds role (a
                         lesson: nums) */
  const char *module; /* module group ("Module 7 explainer", "module 5,
                         lesson 2"), or NULL */
  unsigned long count;
};

struct page_refs {
  struct ref *v;
  size_t n;
};

/* Shared by the checks of refs_check.c and refs_units.c: a message
 * template filled with vals; the noun as a message shows it (fallback
 * when the entry has no noun group); a finding of x with message msg. */
const char *refs_fill(struct arena *a, const char *tmpl,
                      const char *const vals[V_N]);
const char *refs_noun(struct page *p, const struct ref *x,
                      const char *fallback);
struct diag *refs_report(struct lint *lt, struct page *p, const struct ref *x,
                         const char *msg);

/* Check a module or lesson reference against the course's outline
 * (refs_units.c). */
void refs_check_unit(struct lint *lt, struct page *p, const struct ref *x);

/* The family's steps, in the order a run takes them. */
void refs_collect(struct lint *lt, struct page *p, const struct doc *doc);
void refs_resolve(struct lint *lt, struct page *p);

#endif
