/* Heading anchors in GitHub and MkDocs style. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "anchor.h"

static void github_is(const char *text, const char *want) {
  char out[512];
  anchor_github(text, strlen(text), out);
  assert_string_equal(out, want);
}

static void mkdocs_is(const char *text, const char *want) {
  char out[512];
  anchor_mkdocs(text, strlen(text), out);
  assert_string_equal(out, want);
}

static void test_github_ascii(void **state) {
  (void)state;
  github_is("6.5 Latent space", "65-latent-space");
  github_is("6. Generation families", "6-generation-families");
  github_is("Section 9: CLIP", "section-9-clip");
  github_is("CI - cross build", "ci---cross-build");
  github_is("snake_case and kebab-case", "snake_case-and-kebab-case");
  github_is("What's new?", "whats-new");
  github_is("  padded  ", "--padded--");
  github_is("C++ & C#", "c--c");
}

static void test_github_unicode(void **state) {
  (void)state;
  github_is("Café & Crème — Intro", "café--crème--intro");
  github_is("Öffnen eines Pull Requests", "öffnen-eines-pull-requests");
  github_is("Review loop¶", "review-loop");
  github_is("Привет Мир", "привет-мир");
  github_is("Emoji \xF0\x9F\x9A\x80 launch", "emoji--launch");
}

static void test_mkdocs(void **state) {
  (void)state;
  mkdocs_is("6.5 Latent space", "65-latent-space");
  mkdocs_is("Café & Crème — Intro", "cafe-creme-intro");
  mkdocs_is("CI - cross build", "ci-cross-build");
  mkdocs_is("  padded  ", "padded");
  mkdocs_is("- leading dash", "-leading-dash");
  mkdocs_is("Привет", "");
  mkdocs_is("snake_case", "snake_case");
}

/* A byte that starts no character is dropped alone: the ASCII after a
 * cut-short sequence stays in the slug. */
static void test_invalid_utf8(void **state) {
  (void)state;
  github_is("a\xC3"
            "b c",
            "ab-c");
  github_is("x\xE2\x82 y\x80z", "x-yz");
  mkdocs_is("a\xC3"
            "b c",
            "ab-c");
}

static void pandoc_is(const char *text, const char *want) {
  char out[256];
  anchor_slug(ANCHOR_PANDOC, text, strlen(text), out);
  assert_string_equal(out, want);
}

/* Pandoc's examples (its manual, "Extension: auto_identifiers"). */
static void test_pandoc(void **state) {
  (void)state;
  pandoc_is("Heading identifiers in HTML", "heading-identifiers-in-html");
  pandoc_is("Maître d'hôtel", "maître-dhôtel");
  pandoc_is("*Dogs*?--in *my* house?", "dogs--in-my-house");
  pandoc_is("[HTML], [S5], or [RTF]?", "html-s5-or-rtf");
  pandoc_is("3. Applications", "applications");
  pandoc_is("33", "section");
  pandoc_is("6.5 Latent space v2.1", "latent-space-v2.1");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_github_ascii),
      cmocka_unit_test(test_github_unicode),
      cmocka_unit_test(test_mkdocs),
      cmocka_unit_test(test_invalid_utf8),
      cmocka_unit_test(test_pandoc),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
