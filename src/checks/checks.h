/* checks.h - the families of checks and the table that lists them. Each
 * family lives in its own file under src/checks/ and may own top-level
 * sections of the rule files. A lint runs in two phases:
 *
 *  collect  once per page read, on that page's parsed document, in
 *           parallel: local findings and the page's share of the index
 *           (stored in page->family[id]); the cmark tree is freed after;
 *  resolve  once per page to report, in parallel, after the index is
 *           complete: cross-file findings. Reads other pages through
 *           lint_page (which may load them), writes only its own page.
 */
#ifndef CLINT_CHECKS_H
#define CLINT_CHECKS_H

#include <stdio.h>

#include "courselint.h"

struct rules;
struct ynode;
struct lint;
struct page;
struct doc;

enum family_id {
  FAM_FILE,
  FAM_LINKS,
  FAM_REFS,
  FAM_HEADINGS,
  FAM_TASKS,
  FAM_MODULES,
  FAM_SEQUENCE,
  FAM_LINKTEXT,
  FAM_COUNT
};

/* A built-in rule. */
struct rule_def {
  const char *id;
  clint_severity severity; /* default */
  const char *summary;
  const char *explain;
};

struct family {
  const char *name;
  const struct rule_def *rules; /* ends with an entry whose id is NULL */
  const char *const *sections;  /* top-level rule-file keys, NULL-ended */
  /* Apply one section of one rule file (files come in order: default
   * first, so later ones override). Settings go in r->family[id], memory
   * in r->arena, patterns through rules_compile. */
  clint_status (*configure)(struct rules *r, const char *file, const char *key,
                            const struct ynode *value, clint_error *err);
  /* Called once after every file was applied: check cross-references
   * between settings, register rules defined by the files. */
  clint_status (*finish)(struct rules *r, clint_error *err);
  /* Called once the severities of `rules:` are applied too (NULL: not
   * needed): settle what depends on which rules are on. */
  void (*ready)(struct rules *r);
  /* Write this family's sections of the effective configuration. */
  void (*print_config)(const struct rules *r, FILE *out);
  void (*collect)(struct lint *lt, struct page *page, const struct doc *doc);
  void (*resolve)(struct lint *lt, struct page *page);
  /* Whether resolve may give findings a fix under these rules (NULL: it
   * never does). A page is digested for --fix only when one of its
   * findings may carry a fix. */
  bool (*fixes_in_resolve)(const struct rules *r);
};

extern const struct family file_family;
extern const struct family links_family;
extern const struct family refs_family;
extern const struct family headings_family;
extern const struct family tasks_family;
extern const struct family modules_family;
extern const struct family sequence_family;
extern const struct family linktext_family;

/* Indexed by enum family_id. */
extern const struct family *const check_families[FAM_COUNT];

#endif
