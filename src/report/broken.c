/* broken.c - the broken-reference report for a course maintainer (as
 * opposed to the per-line formats for compilers and CI): a summary, the
 * broken references grouped by module and by missing target with the
 * suggestion for each, then orphan pages. This file holds the grouping
 * and the Markdown and JSON writers; html.c holds the HTML one. */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "util/utf8.h"

const char *broken_target(const clint_diag *d) {
  return d->target ? d->target : d->message;
}

static const char *module_of(const clint_diag *d) {
  return d->module ? d->module : "";
}

static int ref_cmp(const void *a, const void *b) {
  const clint_diag *x = *(const clint_diag *const *)a;
  const clint_diag *y = *(const clint_diag *const *)b;
  int c = strcmp(module_of(x), module_of(y));
  if (!c)
    c = strcmp(broken_target(x), broken_target(y));
  if (!c)
    c = strcmp(x->root_path, y->root_path);
  if (!c && x->line != y->line)
    c = x->line < y->line ? -1 : 1;
  if (!c && x->column != y->column)
    c = x->column < y->column ? -1 : 1;
  return c;
}

bool broken_collect(const clint_run *run, struct broken *b) {
  memset(b, 0, sizeof(*b));
  size_t n = clint_run_diag_count(run);
  b->refs = malloc((n ? n : 1) * sizeof(*b->refs));
  if (!b->refs)
    return false;
  for (size_t i = 0; i < n; i++) {
    const clint_diag *d = clint_run_diag(run, i);
    if (d->kind == CLINT_KIND_OTHER || (unsigned)d->kind > 3) {
      b->other++;
      continue;
    }
    b->by_kind[d->kind]++;
    b->refs[b->n++] = d;
  }
  qsort(b->refs, b->n, sizeof(*b->refs), ref_cmp);
  return true;
}

void broken_free(struct broken *b) {
  free(b->refs);
  b->refs = NULL;
}

size_t broken_module_end(const struct broken *b, size_t i) {
  const char *m = module_of(b->refs[i]);
  while (i < b->n && !strcmp(module_of(b->refs[i]), m))
    i++;
  return i;
}

size_t broken_target_end(const struct broken *b, size_t i) {
  const char *m = module_of(b->refs[i]), *t = broken_target(b->refs[i]);
  while (i < b->n && !strcmp(module_of(b->refs[i]), m) &&
         !strcmp(broken_target(b->refs[i]), t))
    i++;
  return i;
}

const char *broken_in_module(const char *s, const char *module) {
  size_t n = module ? strlen(module) : 0;
  if (n && !strncmp(s, module, n) && s[n] == '/')
    return s + n + 1;
  return s;
}

const char *broken_kind_name(clint_diag_kind kind) {
  switch (kind) {
  case CLINT_KIND_LINK:
    return "link";
  case CLINT_KIND_ANCHOR:
    return "anchor";
  case CLINT_KIND_REF:
    return "reference";
  default:
    return "other";
  }
}

void report_clean(FILE *out, const char *s) {
  size_t n = s ? strlen(s) : 0;
  for (size_t i = 0; i < n;) {
    uint32_t cp;
    size_t k = utf8_decode(s + i, n - i, &cp);
    if (k == 0 || cp < 0x20 || cp == 0x7F) {
      fputs("\xEF\xBF\xBD", out);
      i += k ? k : 1;
    } else {
      fwrite(s + i, 1, k, out);
      i += k;
    }
  }
}

/* ---- Markdown ---------------------------------------------------------- */

/* s as a code span: a fence one backtick longer than any run inside, and
 * padded when s starts or ends with a backtick (CommonMark 6.1). */
static void md_code(FILE *out, const char *s) {
  size_t longest = 0, run = 0;
  for (const char *p = s; *p; p++) {
    run = *p == '`' ? run + 1 : 0;
    if (run > longest)
      longest = run;
  }
  bool pad = s[0] == '`' || (s[0] && s[strlen(s) - 1] == '`');
  for (size_t i = 0; i <= longest; i++)
    fputc('`', out);
  fputs(pad ? " " : "", out);
  report_clean(out, s);
  fputs(pad ? " " : "", out);
  for (size_t i = 0; i <= longest; i++)
    fputc('`', out);
}

static void md_summary(const clint_run *run, const struct broken *b,
                       FILE *out) {
  const clint_summary *s = clint_run_summary(run);
  fprintf(out,
          "# Broken references\n\n"
          "| Files checked | References checked | Broken | Links | Anchors "
          "| Prose references | Other findings | Orphan pages |\n"
          "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
          "| %zu | %zu | %zu | %zu | %zu | %zu | %zu | %zu |\n",
          s->files_checked, s->references_checked, b->n,
          b->by_kind[CLINT_KIND_LINK], b->by_kind[CLINT_KIND_ANCHOR],
          b->by_kind[CLINT_KIND_REF], b->other, clint_run_orphan_count(run));
  if (s->external_skipped)
    fprintf(out,
            "\n%zu external link%s not checked (courselint works "
            "offline).\n",
            s->external_skipped, s->external_skipped == 1 ? "" : "s");
}

static void md_group(const struct broken *b, size_t i, size_t end,
                     const char *module, FILE *out) {
  const clint_diag *d = b->refs[i];
  fputs("- ", out);
  md_code(out, broken_in_module(broken_target(d), module));
  fprintf(out, " (%s): referenced from ", broken_kind_name(d->kind));
  for (size_t k = i; k < end; k++) {
    fputs(k == i ? "" : k + 1 == end ? " and " : ", ", out);
    char *where = NULL;
    size_t len;
    FILE *m = open_memstream(&where, &len);
    if (m) {
      fprintf(m, "%s:%u", broken_in_module(b->refs[k]->root_path, module),
              b->refs[k]->line);
      fclose(m);
    }
    md_code(out, where ? where : "?");
    free(where);
  }
  /* Each distinct suggestion once, in order of first appearance. */
  bool any = false;
  for (size_t k = i; k < end; k++) {
    const char *sg = b->refs[k]->suggestion;
    bool seen = !sg;
    for (size_t j = i; j < k && !seen; j++)
      seen = b->refs[j]->suggestion && !strcmp(b->refs[j]->suggestion, sg);
    if (seen)
      continue;
    fputs(any ? " or " : "; did you mean ", out);
    md_code(out, sg);
    any = true;
  }
  fputs(any ? "?\n" : "\n", out);
}

void report_broken_md(const clint_run *run, FILE *out) {
  struct broken b;
  if (!broken_collect(run, &b)) {
    fputs("# Broken references\n\nout of memory\n", out);
    return;
  }
  md_summary(run, &b, out);
  if (b.n == 0)
    fputs("\nNo broken references.\n", out);
  for (size_t i = 0; i < b.n;) {
    size_t mend = broken_module_end(&b, i);
    const char *module = b.refs[i]->module;
    fputs("\n## ", out);
    if (module) {
      fputs("Module ", out);
      md_code(out, module);
    } else {
      fputs("Outside any module", out);
    }
    fputs("\n\n", out);
    while (i < mend) {
      size_t tend = broken_target_end(&b, i);
      md_group(&b, i, tend, module, out);
      i = tend;
    }
  }
  size_t no = clint_run_orphan_count(run);
  fputs("\n## Orphan pages\n\n", out);
  if (no == 0)
    fputs("No orphan pages: every page is linked or named from another "
          "one.\n",
          out);
  else
    fputs("No other page links to or names these pages:\n\n", out);
  for (size_t i = 0; i < no; i++) {
    fputs("- ", out);
    md_code(out, clint_run_orphan(run, i));
    fputc('\n', out);
  }
  broken_free(&b);
}

/* ---- JSON -------------------------------------------------------------- */

static void json_group(const struct broken *b, size_t i, size_t end,
                       FILE *out) {
  const clint_diag *d = b->refs[i];
  fputs("{\"target\":", out);
  report_json_str(out, broken_target(d));
  fprintf(out, ",\"kind\":\"%s\",\"references\":[", broken_kind_name(d->kind));
  for (size_t k = i; k < end; k++) {
    const clint_diag *r = b->refs[k];
    fputs(k == i ? "\n        {\"path\":" : ",\n        {\"path\":", out);
    report_json_str(out, r->root_path);
    fprintf(out, ",\"line\":%u,\"column\":%u", r->line, r->column);
    report_json_finding_end(out, r);
  }
  fputs("]}", out);
}

void report_broken_json(const clint_run *run, FILE *out) {
  struct broken b;
  if (!broken_collect(run, &b))
    return;
  const clint_summary *s = clint_run_summary(run);
  fprintf(out,
          "{\"version\":1,\"summary\":{\"files\":%zu,\"files_indexed\":%zu,"
          "\"references_checked\":%zu,\"external_skipped\":%zu,"
          "\"broken\":%zu,\"by_kind\":{\"link\":%zu,\"anchor\":%zu,"
          "\"reference\":%zu},\"other_findings\":%zu,\"orphans\":%zu},\n"
          "\"modules\":[",
          s->files_checked, s->files_indexed, s->references_checked,
          s->external_skipped, b.n, b.by_kind[CLINT_KIND_LINK],
          b.by_kind[CLINT_KIND_ANCHOR], b.by_kind[CLINT_KIND_REF], b.other,
          clint_run_orphan_count(run));
  for (size_t i = 0; i < b.n;) {
    size_t mend = broken_module_end(&b, i);
    fputs(i ? ",\n  {\"module\":" : "\n  {\"module\":", out);
    report_json_str(out, b.refs[i]->module);
    fputs(",\"targets\":[", out);
    for (size_t first = i; i < mend;) {
      size_t tend = broken_target_end(&b, i);
      fputs(i == first ? "\n      " : ",\n      ", out);
      json_group(&b, i, tend, out);
      i = tend;
    }
    fputs("]}", out);
  }
  fputs(b.n ? "\n],\n\"orphans\":[" : "],\n\"orphans\":[", out);
  for (size_t i = 0; i < clint_run_orphan_count(run); i++) {
    fputs(i ? "," : "", out);
    report_json_str(out, clint_run_orphan(run, i));
  }
  fputs("]}\n", out);
  broken_free(&b);
}
