/* json.c - one JSON document for tools: every diagnostic with its
 * position, rule and suggestion, then the run's summary. The shape is
 * versioned ("version": 1); fields are only ever added. */
#include "report.h"

static void diag(FILE *out, const clint_diag *d) {
  fputs("{\"path\":", out);
  report_json_str(out, d->path);
  fprintf(out, ",\"line\":%u,\"column\":%u,\"end_line\":%u,\"end_column\":%u",
          d->line, d->column, d->end_line, d->end_column);
  fputs(",\"severity\":", out);
  report_json_str(out, clint_severity_str(d->severity));
  report_json_finding_end(out, d);
}

void report_json(const clint_run *run, FILE *out) {
  fputs("{\"version\":1,\"diagnostics\":[", out);
  size_t n = clint_run_diag_count(run);
  for (size_t i = 0; i < n; i++) {
    fputs(i ? ",\n  " : "\n  ", out);
    diag(out, clint_run_diag(run, i));
  }
  const clint_summary *s = clint_run_summary(run);
  fprintf(out,
          "%s],\"summary\":{\"files\":%zu,\"errors\":%zu,\"warnings\":%zu,"
          "\"references_checked\":%zu,\"external_skipped\":%zu}}\n",
          n ? "\n" : "", s->files_checked, s->errors, s->warnings,
          s->references_checked, s->external_skipped);
}
