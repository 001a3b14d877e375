/* headings.h - what the two files of the heading family share (settings,
 * the section checks of sections.c) and its pure helpers, exposed for
 * the unit tests: matching a required section,
 * spotting a stray '#'. */
#ifndef CLINT_CHECKS_HEADINGS_H
#define CLINT_CHECKS_HEADINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "../rules.h"

struct lint;
struct page;

/* The heading family's settings (rules->family[FAM_HEADINGS]). */
struct heading_settings {
  const char **signs; /* permalink signs: "¶" */
  size_t nsigns;
  const char **allow_dup; /* heading texts that may repeat */
  size_t nallow_dup;
  bool all_pages;   /* H1 and duplicate rules on every page, not only roles */
  unsigned *starts; /* numbers a run of siblings may start with */
  size_t nstarts;
  /* Per role, per required section: the compiled /regex/, or NULL for a
   * prefix. Filled in finish, once the roles are final. */
  pcre2_code ***section_re;
  size_t nroles;
};

/* Whether a required section is written as a /regex/. */
bool headings_is_pattern(const char *s);

/* Section numbers and required sections of page p (sections.c), run in
 * the family's collect. */
void headings_check_numbers(struct lint *lt, struct page *p);
void headings_check_sections(struct lint *lt, struct page *p);

/* Whether heading text starts with want, ignoring ASCII case. Leading
 * numbering, punctuation and symbols of the heading ("3. ", "✅ ") are
 * skipped when want starts with a letter. */
bool headings_prefix_match(const char *text, const char *want);

/* Whether the heading text ends in a '#' that is not part of a language
 * name such as C# or F#; *run gets the number of trailing '#'. */
bool headings_stray_hash(const char *text, size_t len, size_t *run);

#endif
