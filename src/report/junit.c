/* junit.c - JUnit XML for CI systems that show test results (GitLab,
 * Jenkins, Azure): one test case per page checked, passing when the page
 * has no findings, with a <failure> per finding otherwise. */
#include <string.h>

#include "report.h"

static void failure(FILE *out, const clint_diag *d) {
  fputs("      <failure type=\"", out);
  report_xml_str(out, d->rule);
  fputs("\" message=\"", out);
  report_xml_str(out, d->message);
  fputs("\">", out);
  report_xml_str(out, d->path);
  fprintf(out, ":%u:%u: %s: ", d->line, d->column,
          clint_severity_str(d->severity));
  report_xml_str(out, d->message);
  if (d->suggestion && !d->suggestion_in_message) {
    fputs("; did you mean &#39;", out);
    report_xml_str(out, d->suggestion);
    fputs("&#39;?", out);
  }
  fputs(" [", out);
  report_xml_str(out, d->rule);
  fputs("]</failure>\n", out);
}

void report_junit(const clint_run *run, FILE *out) {
  size_t nfiles = clint_run_file_count(run);
  size_t ndiags = clint_run_diag_count(run);
  fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
  fprintf(out,
          "<testsuites name=\"courselint\" tests=\"%zu\" failures=\"%zu\" "
          "errors=\"0\">\n"
          "  <testsuite name=\"courselint\" tests=\"%zu\" failures=\"%zu\" "
          "errors=\"0\" skipped=\"0\">\n",
          nfiles, ndiags, nfiles, ndiags);
  /* Diagnostics and files are both in path order, so one pass pairs
   * them. */
  size_t k = 0;
  for (size_t i = 0; i < nfiles; i++) {
    const char *path = clint_run_file(run, i);
    fputs("    <testcase classname=\"courselint\" name=\"", out);
    report_xml_str(out, path);
    fputs("\" file=\"", out);
    report_xml_str(out, path);
    size_t first = k;
    while (k < ndiags && !strcmp(clint_run_diag(run, k)->path, path))
      k++;
    if (k == first) {
      fputs("\"/>\n", out);
      continue;
    }
    fputs("\">\n", out);
    for (size_t j = first; j < k; j++)
      failure(out, clint_run_diag(run, j));
    fputs("    </testcase>\n", out);
  }
  fputs("  </testsuite>\n</testsuites>\n", out);
}
