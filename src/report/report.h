/* report.h - one writer per output format, all reading a finished run
 * through the public API, plus the escaping they share. Last stage: scan
 * -> parse -> index -> checks -> report. */
#ifndef CLINT_REPORT_H
#define CLINT_REPORT_H

#include <stdio.h>

#include "courselint.h"

void report_text(const clint_run *run, unsigned flags, FILE *out);
void report_json(const clint_run *run, FILE *out);
void report_sarif(const clint_run *run, FILE *out);
void report_github(const clint_run *run, FILE *out);
void report_junit(const clint_run *run, FILE *out);

/* The broken-reference report for maintainers (broken.c, html.c). */
void report_broken_md(const clint_run *run, FILE *out);
void report_broken_json(const clint_run *run, FILE *out);
void report_broken_html(const clint_run *run, FILE *out);

/* s as a JSON string with quotes, or null when s is NULL. Invalid UTF-8
 * becomes U+FFFD, so the output is always valid UTF-8. */
void report_json_str(FILE *out, const char *s);

/* The last fields of a finding as JSON, and the object's closing brace:
 * ,"rule":…,"message":…,"suggestion":…} (the JSON output and the JSON
 * broken-reference report share them). */
void report_json_finding_end(FILE *out, const clint_diag *d);

/* s as XML/HTML text or attribute content: markup characters as entities,
 * control characters XML 1.0 cannot hold and invalid UTF-8 as U+FFFD. */
void report_xml_str(FILE *out, const char *s);

/* A '/'-separated relative path as a URI reference: every byte outside
 * the unreserved set and '/' percent-encoded. */
void report_uri(FILE *out, const char *path);

/* s with control characters escaped as \n, \t and \xNN, so that one
 * finding stays one line of the text format whatever a file name holds. */
void report_text_str(FILE *out, const char *s);

/* The text format's message: message plus "; did you mean '...'?" (unless
 * the message words the suggestion itself), both through
 * report_text_str. */
void report_message(FILE *out, const clint_diag *d);

/* ---- The broken-reference report's model (broken.c) ------------------ */

/* The run's reference findings (kind other than CLINT_KIND_OTHER), sorted
 * by module, missing target, path and line, so that each module and each
 * target within it is a run of consecutive entries. */
struct broken {
  const clint_diag **refs;
  size_t n;
  size_t by_kind[4]; /* indexed by clint_diag_kind */
  size_t other;      /* findings that are not about references */
};

/* false when out of memory. Free with broken_free. */
bool broken_collect(const clint_run *run, struct broken *b);
void broken_free(struct broken *b);
/* The end of the module group, or of the target group, starting at i. */
size_t broken_module_end(const struct broken *b, size_t i);
size_t broken_target_end(const struct broken *b, size_t i);
/* What a reference group is about: the missing target, else the message. */
const char *broken_target(const clint_diag *d);
/* s without the "module/" prefix when it starts with it. */
const char *broken_in_module(const char *s, const char *module);
/* "link", "anchor", "reference". */
const char *broken_kind_name(clint_diag_kind kind);

/* s with invalid UTF-8 and control characters as U+FFFD. */
void report_clean(FILE *out, const char *s);

#endif
