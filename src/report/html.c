/* html.c - the broken-reference report as one self-contained HTML page:
 * inline CSS only, no scripts, fonts or images from anywhere, so it can be
 * mailed, archived as a CI artifact or printed. Same content as the
 * Markdown report (broken.c). */
#include <stdlib.h>
#include <string.h>

#include "report.h"

static const char style[] =
    "body{font:15px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;"
    "color:#1f2328;background:#fff;max-width:72rem;margin:2rem auto;"
    "padding:0 1.5rem}\n"
    "h1{font-size:1.7rem;margin:0 0 1rem}\n"
    "h2{font-size:1.25rem;margin:2rem 0 .6rem;padding-bottom:.25rem;"
    "border-bottom:1px solid #d0d7de}\n"
    "code{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,"
    "monospace;background:#f6f8fa;padding:.1em .3em;border-radius:4px;"
    "overflow-wrap:anywhere}\n"
    ".stats{display:flex;flex-wrap:wrap;gap:.75rem;margin:0 0 1rem;"
    "padding:0;list-style:none}\n"
    ".stats li{border:1px solid #d0d7de;border-radius:6px;padding:.5rem "
    ".9rem;min-width:7.5rem}\n"
    ".stats b{display:block;font-size:1.5rem}\n"
    ".stats .bad b{color:#cf222e}\n"
    "table{border-collapse:collapse;width:100%;margin:.4rem 0 1rem;"
    "table-layout:fixed}\n"
    "col.target{width:30%}col.kind{width:6.5rem}col.fix{width:18%}\n"
    "td{overflow-wrap:anywhere}\n"
    "th,td{text-align:left;vertical-align:top;padding:.4rem .6rem;"
    "border-bottom:1px solid #d8dee4}\n"
    "th{background:#f6f8fa;font-weight:600}\n"
    "td.kind{white-space:nowrap;color:#57606a}\n"
    "td ul{margin:0;padding-left:1.1rem}\n"
    ".fix{color:#1a7f37}\n"
    ".note{color:#57606a}\n"
    "@media print{body{margin:0;max-width:none;font-size:11pt}"
    "code{background:none;padding:0}h2{break-after:avoid}"
    "tr{break-inside:avoid}.stats li{border-color:#999}}\n";

static void stat(FILE *out, size_t n, const char *label, bool bad) {
  fprintf(out, "<li%s><b>%zu</b>%s</li>\n", bad && n ? " class=\"bad\"" : "", n,
          label);
}

static void code(FILE *out, const char *s) {
  fputs("<code>", out);
  report_xml_str(out, s);
  fputs("</code>", out);
}

static void row(const struct broken *b, size_t i, size_t end,
                const char *module, FILE *out) {
  const clint_diag *d = b->refs[i];
  fputs("<tr><td>", out);
  code(out, broken_in_module(broken_target(d), module));
  fprintf(out, "</td><td class=\"kind\">%s</td><td><ul>",
          broken_kind_name(d->kind));
  for (size_t k = i; k < end; k++) {
    const clint_diag *r = b->refs[k];
    fputs("<li><code>", out);
    report_xml_str(out, broken_in_module(r->root_path, module));
    fprintf(out, ":%u</code> <span class=\"note\">", r->line);
    report_xml_str(out, r->message);
    fputs("</span></li>", out);
  }
  fputs("</ul></td><td class=\"fix\">", out);
  for (size_t k = i; k < end; k++) {
    const char *sg = b->refs[k]->suggestion;
    bool seen = !sg;
    for (size_t j = i; j < k && !seen; j++)
      seen = b->refs[j]->suggestion && !strcmp(b->refs[j]->suggestion, sg);
    if (!seen) {
      code(out, sg);
      fputc(' ', out);
    }
  }
  fputs("</td></tr>\n", out);
}

static void modules(const struct broken *b, FILE *out) {
  for (size_t i = 0; i < b->n;) {
    size_t mend = broken_module_end(b, i);
    const char *module = b->refs[i]->module;
    fputs("<h2>", out);
    if (module) {
      fputs("Module ", out);
      code(out, module);
    } else {
      fputs("Outside any module", out);
    }
    fputs("</h2>\n<table><colgroup><col class=\"target\"><col "
          "class=\"kind\"><col><col class=\"fix\"></colgroup>"
          "<thead><tr><th>Missing target</th><th>Kind</th>"
          "<th>Referenced from</th><th>Did you mean</th></tr></thead>"
          "<tbody>\n",
          out);
    while (i < mend) {
      size_t tend = broken_target_end(b, i);
      row(b, i, tend, module, out);
      i = tend;
    }
    fputs("</tbody></table>\n", out);
  }
}

void report_broken_html(const clint_run *run, FILE *out) {
  struct broken b;
  if (!broken_collect(run, &b))
    return;
  const clint_summary *s = clint_run_summary(run);
  size_t no = clint_run_orphan_count(run);
  fprintf(out,
          "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
          "charset=\"utf-8\">\n<meta name=\"viewport\" "
          "content=\"width=device-width,initial-scale=1\">\n"
          "<title>Broken references - courselint</title>\n<style>\n%s"
          "</style>\n</head>\n<body>\n<h1>Broken references</h1>\n"
          "<ul class=\"stats\">\n",
          style);
  stat(out, s->files_checked, "files checked", false);
  stat(out, s->references_checked, "references checked", false);
  stat(out, b.n, "broken", true);
  stat(out, b.by_kind[CLINT_KIND_LINK], "links", true);
  stat(out, b.by_kind[CLINT_KIND_ANCHOR], "anchors", true);
  stat(out, b.by_kind[CLINT_KIND_REF], "prose references", true);
  stat(out, b.other, "other findings", false);
  stat(out, no, "orphan pages", false);
  fputs("</ul>\n", out);
  if (s->external_skipped)
    fprintf(out,
            "<p class=\"note\">%zu external link%s not checked (courselint "
            "works offline).</p>\n",
            s->external_skipped, s->external_skipped == 1 ? "" : "s");
  if (b.n == 0)
    fputs("<p>No broken references.</p>\n", out);
  modules(&b, out);
  fputs("<h2>Orphan pages</h2>\n", out);
  if (no == 0)
    fputs("<p>No orphan pages: every page is linked or named from another "
          "one.</p>\n",
          out);
  else
    fputs("<p>No other page links to or names these pages:</p>\n<ul>\n", out);
  for (size_t i = 0; i < no; i++) {
    fputs("<li>", out);
    code(out, clint_run_orphan(run, i));
    fputs("</li>\n", out);
  }
  fprintf(out,
          "%s<p class=\"note\">Generated by courselint %s.</p>\n"
          "</body>\n</html>\n",
          no ? "</ul>\n" : "", CLINT_VERSION);
  broken_free(&b);
}
