/* test_rules.c - the rule-file loader (src/rules.c, src/ytree.c and the ref
 * family's `references` section): defaults, overriding, mistakes refused
 * with file:line:col, --print-config output that loads back, heading
 * numbers, and the PCRE2 match limit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "courselint.h"
#include "rules.h"

static clint_linter *fresh(void) {
  clint_error err = {0};
  clint_linter *l = clint_linter_new(&err);
  assert_non_null(l);
  return l;
}

static clint_status load(clint_linter *l, const char *yaml, clint_error *err) {
  memset(err, 0, sizeof(*err));
  return clint_linter_load_rules_mem(l, "test.yml", yaml, strlen(yaml), err);
}

static void test_defaults_define_ref_rules(void **state) {
  (void)state;
  clint_linter *l = fresh();
  const char *ids[] = {"ref/missing-section", "ref/wrong-count",
                       "ref/missing-file", "ref/missing-path"};
  for (size_t i = 0; i < 4; i++) {
    const clint_rule_info *r = clint_linter_find_rule(l, ids[i]);
    assert_non_null(r);
    assert_int_equal(r->severity, CLINT_SEV_ERROR);
    assert_non_null(r->summary);
    assert_non_null(strstr(r->explain, "Example"));
  }
  clint_linter_free(l);
}

static void test_override_and_append(void **state) {
  (void)state;
  clint_linter *l = fresh();
  clint_error err;
  size_t before = clint_linter_rule_count(l);
  assert_int_equal(load(l,
                        "references:\n"
                        "  - id: ref/missing-section\n"
                        "    severity: warning\n"
                        "  - id: ref/see-lesson\n"
                        "    kind: section\n"
                        "    role: explainer\n"
                        "    pattern: 'lesson (?<nums>\\d+)'\n"
                        "    summary: lessons\n",
                        &err),
                   CLINT_OK);
  assert_int_equal(clint_linter_rule_count(l), before + 1);
  assert_int_equal(clint_linter_find_rule(l, "ref/missing-section")->severity,
                   CLINT_SEV_WARNING);
  assert_string_equal(clint_linter_find_rule(l, "ref/see-lesson")->summary,
                      "lessons");
  /* The severity table applies after every entry: a later file wins. */
  assert_int_equal(load(l, "rules:\n  ref/*: off\n", &err), CLINT_OK);
  assert_int_equal(clint_linter_find_rule(l, "ref/see-lesson")->severity,
                   CLINT_SEV_OFF);
  clint_linter_free(l);
}

struct bad {
  const char *yaml;
  clint_status status;
  unsigned line, col;
  const char *says;
};

static const struct bad bad_files[] = {
    /* Taking roles out: a known id or '*', and nothing else. */
    {"roles:\n  - {id: reviews, remove: true}\n", CLINT_E_RULES, 2, 5,
     "unknown role 'reviews'"},
    {"roles:\n  - {id: review, remove: true, required: false}\n", CLINT_E_RULES,
     2, 5, "no other key"},
    {"roles:\n  - {id: review, remove: false}\n", CLINT_E_RULES, 2, 26,
     "only true"},
    {"roles:\n  - {id: '*', file: x}\n", CLINT_E_RULES, 2, 10,
     "'remove: true'"},
    {"modules:\n  lesson_title: 'lesson \\d+'\n", CLINT_E_PATTERN, 2, 17,
     "num"},
    {"modules:\n  lessons: '(?<num>\\d+'\n", CLINT_E_PATTERN, 2, 0,
     "missing closing parenthesis"},
    {"references:\n  - id: ref/x\n    kind: lesson\n    pattern: 'lesson'\n",
     CLINT_E_PATTERN, 4, 14, "(?<nums>"},
    {"references:\n  - id: ref/x\n    pattern: 'open\n", CLINT_E_RULES, 4, 1,
     "quoted scalar"},
    {"references:\n  - id: ref/missing-file\n    patern: x\n", CLINT_E_RULES, 3,
     5, "unknown key 'patern'"},
    {"references:\n  - id: ref/missing-file\n    in_code: maybe\n",
     CLINT_E_RULES, 3, 14, "true or false"},
    {"references:\n  id: ref/x\n", CLINT_E_RULES, 2, 3, "expected a list"},
    {"references:\n  - kind: file\n", CLINT_E_RULES, 2, 5, "needs an id"},
    {"references:\n  - id: x\n", CLINT_E_RULES, 2, 9, "must start with"},
    {"references:\n  - id: ref/x\n    kind: chapter\n", CLINT_E_RULES, 3, 11,
     "reference kind"},
    {"references:\n  - id: ref/x\n    kind: file\n", CLINT_E_RULES, 2, 5,
     "needs a pattern"},
    {"references:\n  - id: ref/x\n    kind: file\n    pattern: '(?<file>x'\n",
     CLINT_E_PATTERN, 4, 0, "invalid pattern"},
    {"references:\n  - id: ref/x\n    kind: file\n    pattern: 'x'\n",
     CLINT_E_PATTERN, 4, 14, "(?<file>"},
    {"references:\n  - id: ref/x\n    kind: section\n"
     "    pattern: '(?<nums>\\d)'\n",
     CLINT_E_PATTERN, 4, 14, "(?<role>"},
    {"references:\n  - id: ref/x\n    kind: path\n"
     "    pattern: '(?<path>x)'\n    scope: everywhere\n",
     CLINT_E_RULES, 5, 12, "module or course"},
    {"references:\n  - id: ref/missing-path\n    message: '{where}'\n",
     CLINT_E_RULES, 3, 14, "'{where}'"},
    /* An old rule file's hint for speed: refused, not obeyed. */
    {"references:\n  - id: ref/missing-path\n    requires: ['../']\n",
     CLINT_E_RULES, 3, 5, "'requires' is no longer read"},
    {"references:\n  - id: ref/missing-path\n    ranges: {a: b}\n",
     CLINT_E_RULES, 3, 13, NULL},
    {"references:\n  - id: ref/x\n    kind: file\n    pattern: []\n",
     CLINT_E_RULES, 4, 14, "1 to 8 patterns"},
    {"references:\n  - id: ref/x\n    kind: file\n"
     "    pattern: ['(?<file>x)', '(?<nofile>y)']\n",
     CLINT_E_PATTERN, 4, 29, "(?<file>"},
    {"references:\n  - id: ref/x\n    kind: file\n"
     "    pattern: ['(?<file>x)', [y]]\n",
     CLINT_E_RULES, 4, 29, "string"},
    {"referenses: []\n", CLINT_E_RULES, 1, 1, "unknown section"},
    /* The YAML tree refuses aliases, anchored collections and nesting past
     * its limit (64 levels: the document map and 63 lists, so the 64th
     * '[' at column 9 + 63). */
    {"ignore: &x [a]\n", CLINT_E_RULES, 1, 9, "anchors are not supported"},
    {"version: 1\nignore: *x\n", CLINT_E_RULES, 2, 9,
     "aliases are not supported"},
    {"ignore: "
     "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]"
     "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n",
     CLINT_E_RULES, 1, 72, "nesting deeper than 64"},
    /* Duplicate keys, in the document map and in a nested one; the same
     * key in two maps of one list is no duplicate. */
    {"ignore: []\nversion: 1\nignore: [a]\n", CLINT_E_RULES, 3, 1,
     "duplicate key 'ignore' (first at line 1)"},
    {"references:\n  - id: ref/x\n    kind: path\n  - id: ref/y\n"
     "    kind: path\n    id: ref/z\n",
     CLINT_E_RULES, 6, 5, "duplicate key 'id' (first at line 4)"},
    {"version: 2\n", CLINT_E_RULES, 1, 10, "version"},
    {"anchors: gitlab\n", CLINT_E_RULES, 1, 10, "anchor style"},
    {"limits:\n  match: lots\n", CLINT_E_RULES, 2, 10, NULL},
    {"limits:\n  match: 0\n", CLINT_E_RULES, 2, 10,
     "expected a whole number from 1 to 1000000"},
    {"limits:\n  depth: 0\n", CLINT_E_RULES, 2, 10, "from 1 to 1000000"},
    {"limits:\n  match: 1000001\n", CLINT_E_RULES, 2, 10,
     "expected a whole number from 1 to 1000000"},
    {"limits:\n  match: -1\n", CLINT_E_RULES, 2, 10, "from 1 to"},
    {"limits:\n  match: '5'\n", CLINT_E_RULES, 2, 10, "from 1 to"},
    {"modules:\n  min_files: 1e3\n", CLINT_E_RULES, 2, 14, "from 0 to"},
    {"headings:\n  numbers_start_at: [0, 1000000]\n", CLINT_E_RULES, 2, 25,
     "expected a whole number from 0 to 999999"},
    {"rules:\n  ref/nothing: off\n", CLINT_E_RULES, 2, 3, "unknown rule"},
    {"roles:\n  - id: explainer\n    number: '(\\d+)'\n", CLINT_E_PATTERN, 3,
     13, "(?<num>"},
    {"roles:\n  - id: new_role\n    names: [x]\n", CLINT_E_RULES, 2, 5,
     "file pattern"},
    {"- a list\n", CLINT_E_RULES, 1, 1, NULL},
    {"a: &x 1\nb: *x\n", CLINT_E_RULES, 0, 0, NULL},
};

static void test_mistakes_are_refused_where_they_are(void **state) {
  (void)state;
  clint_linter *l = fresh();
  size_t count = clint_linter_rule_count(l);
  for (size_t i = 0; i < sizeof(bad_files) / sizeof(bad_files[0]); i++) {
    const struct bad *b = &bad_files[i];
    clint_error err;
    clint_status st = load(l, b->yaml, &err);
    if (st != b->status || (b->line && err.line != b->line) ||
        (b->col && err.column != b->col) ||
        (b->says && !strstr(err.message, b->says)))
      fail_msg("case %zu: status %d line %u col %u: %s", i, (int)st, err.line,
               err.column, err.message);
    assert_string_equal(err.path, "test.yml");
    /* A refused file leaves the linter as it was. */
    assert_int_equal(clint_linter_rule_count(l), count);
    assert_int_equal(clint_linter_find_rule(l, "ref/missing-path")->severity,
                     CLINT_SEV_ERROR);
  }
  clint_linter_free(l);
}

/* Bad patterns in every place a rule file can hold one, each loaded with
 * no clint_error at all: the status says what failed, nothing reads the
 * missing error back, and the linter stays as it was. */
static const char *const bad_patterns[] = {
    "roles:\n  - id: x\n    file: '([a-'\n",
    "roles:\n  - id: explainer\n    number: '(?<num>'\n",
    "modules:\n  folder: '(?<num>\\d+'\n",
    "modules:\n  title: '[module'\n",
    "roles:\n  - id: review\n    sections: ['/(unclosed/']\n",
    "references:\n  - id: ref/x\n    kind: file\n    pattern: '(?<file>x'\n",
    /* Compiles as written, not once {role} is expanded: study\s+material
     * is no fixed length for a lookbehind. */
    "references:\n  - id: ref/x\n    kind: file\n"
    "    pattern: '(?<=x{role})(?<file>y)'\n",
};

static void test_no_error_struct(void **state) {
  (void)state;
  clint_linter *l = clint_linter_new(NULL);
  assert_non_null(l);
  size_t count = clint_linter_rule_count(l);
  for (size_t i = 0; i < sizeof(bad_patterns) / sizeof(bad_patterns[0]); i++) {
    const char *y = bad_patterns[i];
    clint_error err;
    assert_int_equal(load(l, y, &err), CLINT_E_PATTERN);
    assert_int_equal(
        clint_linter_load_rules_mem(l, "t.yml", y, strlen(y), NULL),
        CLINT_E_PATTERN);
    assert_int_equal(clint_linter_rule_count(l), count);
  }
  for (size_t i = 0; i < sizeof(bad_files) / sizeof(bad_files[0]); i++) {
    const char *y = bad_files[i].yaml;
    assert_int_equal(
        clint_linter_load_rules_mem(l, "t.yml", y, strlen(y), NULL),
        bad_files[i].status);
  }
  assert_int_equal(clint_linter_rule_count(l), count);
  /* The loader under the API, given no error either. */
  struct arena a;
  arena_init(&a);
  struct ynode *root;
  const char *y = bad_patterns[0];
  assert_int_equal(yaml_parse(&a, "t.yml", y, strlen(y), &root, NULL),
                   CLINT_OK);
  struct rule_file f = {"t.yml", root};
  struct rules r;
  assert_int_equal(rules_build(&r, &f, 1, NULL), CLINT_E_PATTERN);
  arena_free(&a);
  clint_linter_free(l);
}

/* Role names that make the default reference patterns too large to
 * compile: the error names the rule file that added them, at its names,
 * not the built-in pattern (it blamed <built-in rules>). */
static void test_too_many_role_names(void **state) {
  (void)state;
  clint_linter *l = fresh();
  struct buf y;
  buf_init(&y);
  buf_puts(&y, "roles:\n  - id: explainer\n    names:\n");
  for (int i = 0; i < 4000; i++)
    buf_printf(&y, "      - chapter name %d\n", i);
  clint_error err;
  assert_int_equal(load(l, buf_cstr(&y), &err), CLINT_E_PATTERN);
  assert_string_equal(err.path, "test.yml");
  assert_int_equal(err.line, 4);
  assert_int_equal(err.column, 7);
  assert_non_null(strstr(err.message, "with these role names, the pattern of "
                                      "ref/missing-section (<built-in "
                                      "rules>:"));
  assert_non_null(strstr(err.message, "regular expression is too large"));
  /* A pattern that role names of an earlier file break is blamed
   * itself: study\s+material has no fixed length for a lookbehind. */
  assert_int_equal(load(l,
                        "references:\n  - id: ref/x\n    kind: file\n"
                        "    pattern: '(?<=x{role})(?<file>y)'\n",
                        &err),
                   CLINT_E_PATTERN);
  assert_int_equal(err.line, 4);
  assert_int_equal(err.column, 14);
  assert_string_equal(err.message,
                      "invalid pattern once {role} stands for the role names: "
                      "lookbehind assertion is not fixed length");
  buf_free(&y);
  clint_linter_free(l);
}

static char *printed(const clint_linter *l) {
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  assert_non_null(f);
  assert_int_equal(clint_linter_print_config(l, f), CLINT_OK);
  fclose(f);
  return text;
}

/* What text (a printed configuration) loads into over the defaults
 * prints as text again. */
static void assert_loads_back(const char *text) {
  clint_error err;
  clint_linter *again = fresh();
  assert_int_equal(load(again, text, &err), CLINT_OK);
  char *second = printed(again);
  assert_string_equal(text, second);
  free(second);
  clint_linter_free(again);
}

static void test_print_config_loads_back(void **state) {
  (void)state;
  clint_linter *l = fresh();
  clint_error err;
  assert_int_equal(load(l,
                        "references:\n"
                        "  - id: ref/see-lesson\n"
                        "    kind: section\n"
                        "    role: explainer\n"
                        "    pattern: 'it''s lesson (?<nums>\\d+)'\n"
                        "    ranges: [to]\n"
                        "    explain: 'why: \"quoted\"'\n"
                        "    paths: 'modules/**'\n"
                        "    exclude: [cohorts, '**/draft-*.md']\n"
                        "rules:\n  ref/wrong-count: warning\n"
                        "  module/*: {exclude: ['cohorts/**']}\n",
                        &err),
                   CLINT_OK);
  char *first = printed(l);
  assert_non_null(strstr(first, "  - id: 'ref/see-lesson'\n"));
  assert_non_null(strstr(first, "    role: 'explainer'\n"));
  /* The words derived from each pattern show as comments. */
  assert_non_null(strstr(first, "    # the pattern runs only on text holding "
                                "one of: 'it''s lesson '\n"));
  assert_non_null(strstr(first, "    # the pattern runs only on text holding "
                                "one of: '../'\n"));
  assert_non_null(strstr(first, "    # pattern 2 runs only on text holding "
                                "one of: 'material', 'explainer', "
                                "'.md'\n"));
  assert_non_null(strstr(first, "  ref/wrong-count: warning\n"));
  /* Scopes show where they apply, for references and rules. */
  assert_non_null(strstr(first, "    paths: ['modules/**']\n"
                                "    exclude: ['cohorts', '**/draft-*.md']\n"
                                "    role: 'explainer'\n"));
  assert_non_null(strstr(first, "  module/sequence:\n"
                                "    severity: error\n"
                                "    exclude: ['cohorts/**']\n"));
  assert_loads_back(first);
  free(first);
  clint_linter_free(l);
}

/* A rule file that takes roles out and places modules by path prints as
 * one that loads back to the same rules over the defaults. */
static void test_removed_roles_load_back(void **state) {
  (void)state;
  clint_linter *l = fresh();
  clint_error err;
  assert_int_equal(load(l,
                        "roles:\n  - {id: review, remove: true}\n"
                        "modules:\n  path: '^(?<num>\\d+)-'\n"
                        "  lessons: '^(?<num>\\d+)-.*\\.md$'\n"
                        "  lesson_title: '^lesson (?<num>\\d+)'\n",
                        &err),
                   CLINT_OK);
  char *first = printed(l);
  assert_non_null(strstr(first, "roles:\n  - id: '*'\n    remove: true\n"
                                "  - id: weekly_plan\n"));
  assert_null(strstr(first, "id: review\n"));
  assert_non_null(strstr(first, "  path: '^(?<num>\\d+)-'\n"));
  assert_loads_back(first);
  free(first);
  /* Every role out: none printed, and none after loading back. */
  assert_int_equal(load(l, "roles:\n  - {id: '*', remove: true}\n", &err),
                   CLINT_OK);
  first = printed(l);
  assert_non_null(strstr(first, "roles:\n  - id: '*'\n    remove: true\n"
                                "modules:\n"));
  assert_loads_back(first);
  free(first);
  clint_linter_free(l);
}

/* Internal: build rules from one YAML text on top of the defaults. */
static void build(struct rules *r, struct arena *a, const char *yaml) {
  clint_error err = {0};
  struct rule_file files[2] = {{"<built-in rules>", NULL}, {"t.yml", NULL}};
  struct ynode *root;
  assert_int_equal(yaml_parse(a, files[0].name, rules_default_yml,
                              rules_default_yml_len, &root, &err),
                   CLINT_OK);
  files[0].root = root;
  assert_int_equal(
      yaml_parse(a, files[1].name, yaml, strlen(yaml), &root, &err), CLINT_OK);
  files[1].root = root;
  if (rules_build(r, files, 2, &err) != CLINT_OK)
    fail_msg("%s:%u:%u: %s", err.path, err.line, err.column, err.message);
}

static void test_match_limit(void **state) {
  (void)state;
  struct arena a;
  arena_init(&a);
  struct rules r;
  build(&r, &a, "limits:\n  match: 10000\n");
  pcre2_code *re;
  assert_int_equal(rules_compile(&r, "t", NULL, "(a+)+$", 0, &re, NULL),
                   CLINT_OK);
  pcre2_match_data *md = pcre2_match_data_create(16, NULL);
  char text[64];
  memset(text, 'a', 40);
  strcpy(text + 40, "!");
  int rc = rules_match(&r, re, text, strlen(text), 0, md);
  assert_true(rc < 0 && rules_is_limit(rc));
  assert_int_equal(rules_match(&r, re, "aaa", 3, 0, md), 1);
  assert_int_equal(rules_match(&r, re, "b!", 2, 0, md), 0);
  /* The budget: a match that needs little costs nothing; one that needs
   * more than the first step is charged the step it finished under; the
   * match limit is still the limit; an empty budget stops before trying.
   * (a+)+$ on 12 a's and a '!' needs a few thousand units, on 40 more than
   * the 10,000 of this rule set. */
  struct rules_budget b = {25000};
  assert_int_equal(rules_match_budget(&r, re, "aaa", 3, 0, md, &b), 1);
  assert_int_equal(b.left, 25000);
  char mid[16];
  memset(mid, 'a', 12);
  strcpy(mid + 12, "!");
  assert_int_equal(rules_match_budget(&r, re, mid, strlen(mid), 0, md, &b), 0);
  assert_int_equal(b.left, 25000 - 10000);
  rc = rules_match_budget(&r, re, text, strlen(text), 0, md, &b);
  assert_true(rules_is_limit(rc));
  assert_int_equal(b.left, 5000);
  assert_int_equal(rules_match_budget(&r, re, mid, strlen(mid), 0, md, &b),
                   RULES_OVER_BUDGET);
  assert_int_equal(b.left, 5000);
  assert_int_equal(rules_match_budget(&r, re, "aaa", 3, 0, md, &b), 1);
  /* A failure that is no limit is passed on, not taken for "no match": a
   * recursion that loops at one place (PCRE2's interpreter says so; its
   * JIT runs out of stack). */
  assert_int_equal(rules_compile(&r, "t", NULL, "(a|(?R))", 0, &re, NULL),
                   CLINT_OK);
  rc = rules_match(&r, re, "b", 1, 0, md);
  assert_true(rc < 0 && !rules_is_limit(rc));
  char why[128];
  rules_match_error(rc, why, sizeof(why));
  assert_true(strstr(why, "recursion") || strstr(why, "JIT stack"));
  pcre2_match_data_free(md);
  rules_free(&r);
  arena_free(&a);
}

/* Rule files add roles and references one by one: each id is found
 * again (a later entry with the same id changes the first), and the
 * arrays keep their order. */
static void test_many_roles_and_entries(void **state) {
  (void)state;
  enum { N = 3000 };
  struct buf y;
  buf_init(&y);
  buf_puts(&y, "roles:\n");
  for (int i = 0; i < N; i++)
    buf_printf(&y, "  - id: role%d\n    file: '^r%d\\.md$'\n", i, i);
  buf_puts(&y, "  - id: role7\n    required: true\n");
  buf_puts(&y, "references:\n");
  for (int i = 0; i < N; i++)
    buf_printf(&y,
               "  - id: ref/e%d\n    kind: path\n    role: role%d\n"
               "    pattern: '(?<path>e%d/)'\n",
               i, N - 1 - i, i);
  buf_puts(&y, "  - id: ref/e9\n    severity: warning\n");
  struct arena a;
  arena_init(&a);
  struct rules r;
  build(&r, &a, buf_cstr(&y));
  size_t builtin = 6; /* the roles of rules/default.yml */
  assert_int_equal(r.nroles, builtin + N);
  for (int i = 0; i < N; i += 97) {
    char id[32];
    snprintf(id, sizeof(id), "role%d", i);
    int k = rules_role_index(&r, id);
    assert_int_equal(k, (int)builtin + i);
    assert_string_equal(r.roles[k].id, id);
  }
  assert_true(r.roles[rules_role_index(&r, "role7")].required);
  assert_false(r.roles[rules_role_index(&r, "role8")].required);
  assert_int_equal(rules_role_index(&r, "role3000"), -1);
  assert_int_equal(rules_role_index(&r, "explainer"), 1);
  assert_int_equal(rules_severity(&r, "ref/e9"), CLINT_SEV_WARNING);
  assert_int_equal(rules_severity(&r, "ref/e10"), CLINT_SEV_ERROR);
  struct rules r0;
  build(&r0, &a, "version: 1\n");
  assert_int_equal(r.infos.len, r0.infos.len + N);
  rules_free(&r0);
  rules_free(&r);
  arena_free(&a);
  buf_free(&y);
}

static void test_heading_numbers_and_roles(void **state) {
  (void)state;
  struct arena a;
  arena_init(&a);
  struct rules r;
  build(&r, &a, "version: 1\n");
  pcre2_match_data *md = pcre2_match_data_create(16, NULL);
  int ex = rules_role_of(&r, "02_explainer.md", md, NULL);
  assert_true(ex >= 0);
  assert_string_equal(r.roles[ex].id, "explainer");
  assert_int_equal(rules_role_of(&r, "notes.md", md, NULL), -1);
  struct {
    const char *text, *number;
  } cases[] = {{"6.5 Latent space", "6.5"},
               {"6. Video models", "6"},
               {"Chapter 3: Attention", "3"},
               {"chapter 12", "12"},
               {"2024 roadmap", NULL},
               {"Tokens", NULL},
               {"6.5.", "6.5"},
               {"1) Setup", "1"}};
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    const char *n = rules_heading_number(&r, ex, cases[i].text, &a, md, NULL);
    if (cases[i].number ? !n || strcmp(n, cases[i].number) : n != NULL)
      fail_msg("'%s' gave %s", cases[i].text, n ? n : "NULL");
  }
  assert_null(rules_heading_number(&r, -1, "6.5 Latent", &a, md, NULL));
  pcre2_match_data_free(md);
  rules_free(&r);
  arena_free(&a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_defaults_define_ref_rules),
      cmocka_unit_test(test_override_and_append),
      cmocka_unit_test(test_mistakes_are_refused_where_they_are),
      cmocka_unit_test(test_no_error_struct),
      cmocka_unit_test(test_too_many_role_names),
      cmocka_unit_test(test_print_config_loads_back),
      cmocka_unit_test(test_removed_roles_load_back),
      cmocka_unit_test(test_match_limit),
      cmocka_unit_test(test_many_roles_and_entries),
      cmocka_unit_test(test_heading_numbers_and_roles),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
