/* sarif.c - SARIF 2.1.0 for code-scanning services (GitHub code scanning,
 * GitLab, Azure DevOps): the rules in effect with their help text, and a
 * result per diagnostic whose location is relative to the course root
 * (uriBaseId COURSEROOT, which the service maps to the checkout). Columns
 * count Unicode code points, as courselint's do. */
#include <stdlib.h>
#include <string.h>

#include "report.h"

static void text_obj(FILE *out, const char *key, const char *text) {
  fprintf(out, ",\"%s\":{\"text\":", key);
  report_json_str(out, text ? text : "");
  fputc('}', out);
}

/* SARIF's level: our severity's name, except that "off" is "none". */
static const char *level(clint_severity sev) {
  return sev == CLINT_SEV_OFF ? "none" : clint_severity_str(sev);
}

static void rules(const clint_run *run, FILE *out) {
  for (size_t i = 0; i < clint_run_rule_count(run); i++) {
    const clint_rule_info *r = clint_run_rule(run, i);
    fputs(i ? ",\n        " : "\n        ", out);
    fputs("{\"id\":", out);
    report_json_str(out, r->id);
    fputs(",\"name\":", out);
    report_json_str(out, r->id);
    text_obj(out, "shortDescription", r->summary);
    text_obj(out, "fullDescription", r->summary);
    text_obj(out, "help", r->explain ? r->explain : r->summary);
    fprintf(out, ",\"defaultConfiguration\":{\"level\":\"%s\"}}",
            level(r->severity));
  }
}

static long rule_index(const clint_run *run, const char *id) {
  for (size_t i = 0; i < clint_run_rule_count(run); i++)
    if (!strcmp(clint_run_rule(run, i)->id, id))
      return (long)i;
  return -1;
}

static void location(FILE *out, const clint_diag *d) {
  fputs("\"artifactLocation\":{\"uri\":\"", out);
  /* A URI is ASCII; report_uri percent-encodes the rest, so the JSON
   * string needs no further escaping. */
  report_uri(out, d->root_path);
  fputs("\",\"uriBaseId\":\"COURSEROOT\"}", out);
}

static void fix(FILE *out, const clint_diag *d) {
  const clint_fix *f = d->fix;
  fputs(",\"fixes\":[{\"description\":{\"text\":", out);
  report_json_str(out, d->suggestion ? d->suggestion : "apply the fix");
  fputs("},\"artifactChanges\":[{", out);
  location(out, d);
  fprintf(out,
          ",\"replacements\":[{\"deletedRegion\":{\"byteOffset\":%zu,"
          "\"byteLength\":%zu},\"insertedContent\":{\"text\":",
          f->offset, f->length);
  report_json_str(out, f->text);
  fputs("}}]}]}]", out);
}

static void result(const clint_run *run, FILE *out, const clint_diag *d) {
  fputs("{\"ruleId\":", out);
  report_json_str(out, d->rule);
  long idx = rule_index(run, d->rule);
  if (idx >= 0)
    fprintf(out, ",\"ruleIndex\":%ld", idx);
  fprintf(out, ",\"level\":\"%s\",\"message\":{\"text\":", level(d->severity));
  /* The message text as the text format words it, suggestion included. */
  char *msg = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&msg, &len);
  if (m) {
    report_message(m, d);
    fclose(m);
  }
  report_json_str(out, msg ? msg : d->message);
  free(msg);
  fputs("},\"locations\":[{\"physicalLocation\":{", out);
  location(out, d);
  /* SARIF's endColumn is the column after the region; ours is inclusive. */
  fprintf(out,
          ",\"region\":{\"startLine\":%u,\"startColumn\":%u,\"endLine\":%u,"
          "\"endColumn\":%u}}}]",
          d->line, d->column, d->end_line, d->end_column + 1);
  if (d->fix)
    fix(out, d);
  fputc('}', out);
}

void report_sarif(const clint_run *run, FILE *out) {
  fputs("{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\","
        "\"version\":\"2.1.0\",\"runs\":[{\n"
        "  "
        "\"tool\":{\"driver\":{\"name\":\"courselint\",\"version\":"
        "\"" CLINT_VERSION "\",\"semanticVersion\":\"" CLINT_VERSION
        "\",\"rules\":[",
        out);
  rules(run, out);
  fputs("]}},\n  \"columnKind\":\"unicodeCodePoints\",\n  \"results\":[", out);
  size_t n = clint_run_diag_count(run);
  for (size_t i = 0; i < n; i++) {
    fputs(i ? ",\n    " : "\n    ", out);
    result(run, out, clint_run_diag(run, i));
  }
  fputs(n ? "\n  ]}]}\n" : "]}]}\n", out);
}
