/* fuzz_rules.c - libFuzzer harness for the rule-file loader: the input is
 * a rule file loaded on top of the defaults with
 * clint_linter_load_rules_mem. A rejected file must say where (name, line
 * and column) and what; an accepted one must print its configuration and
 * lint a small fixed course without trouble, whatever its patterns. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static void write_course(void) {
  static const char expl[] =
      "---\ntitle: Explainer\n---\n"
      "# Module 1: Explainer\n\n## 1. Introduction\n\n"
      "See the weekly plan and explainer chapter 1.2, or [lab](lab.md).\n\n"
      "## 1.2 Details {#details}\n\n"
      "<!-- courselint-disable-next-line link -->\n"
      "[gone](gone.md) `[code](x.md)`\n\n"
      "```\n[in code](nowhere.md)\n```\n";
  static const char plan[] =
      "# Module 1: Weekly plan\n\n## Goals\n\n"
      "- [ ] read [the explainer](01_explainer.md#1-introduction)\n"
      "- [x] [details](01_explainer.md#details) and [bad](#nope)\n";
  static const char review[] =
      "# Review\n\n## Review loop\n\n## Reflection\n\n## Completion gate\n";
  fuzz_write("01_intro/01_explainer.md", expl, sizeof(expl) - 1);
  fuzz_write("01_intro/01_weekly_plan.md", plan, sizeof(plan) - 1);
  fuzz_write("01_intro/01_review.md", review, sizeof(review) - 1);
  fuzz_write("README.md", "# Course\n\n[m](01_intro/)\n", 24);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static bool ready;
  if (!ready) {
    write_course();
    ready = true;
  }
  clint_error err = {0};
  clint_linter *l = clint_linter_new(&err);
  if (!l)
    abort();
  clint_status st =
      clint_linter_load_rules_mem(l, "fuzz.yml", (const char *)data, size, &err);
  if (st != CLINT_OK) {
    /* Every mistake in a rule file is reported as file:line:col. */
    if (st != CLINT_E_NOMEM &&
        (strcmp(err.path, "fuzz.yml") != 0 || err.line < 1 ||
         err.column < 1 || !err.message[0] || err.status != st)) {
      fprintf(stderr, "error without a position: %s:%u:%u: %s (%s)\n",
              err.path, err.line, err.column, err.message,
              clint_status_str(st));
      abort();
    }
  } else {
    FILE *out = fopen("/dev/null", "w");
    if (out) {
      clint_linter_print_config(l, out);
      for (size_t i = 0; i < clint_linter_rule_count(l); i++)
        fputs(clint_linter_rule(l, i)->id, out);
      fclose(out);
    }
    fuzz_lint(l, NULL, 0, true, false);
  }
  clint_linter_free(l);
  return 0;
}
