/* report.c - choosing a writer by format, and the escaping every writer
 * shares: JSON strings, XML text and URI references, all of which must
 * stay valid whatever bytes a page name or message holds. */
#include <string.h>

#include "report.h"
#include "util/utf8.h"

static const char *const format_names[] = {
    [CLINT_FORMAT_TEXT] = "text",   [CLINT_FORMAT_JSON] = "json",
    [CLINT_FORMAT_SARIF] = "sarif", [CLINT_FORMAT_GITHUB] = "github",
    [CLINT_FORMAT_JUNIT] = "junit",
};

bool clint_format_from_name(const char *name, clint_format *out) {
  for (size_t i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++)
    if (format_names[i] && !strcmp(name, format_names[i])) {
      *out = (clint_format)i;
      return true;
    }
  return false;
}

clint_status clint_run_write(const clint_run *run, clint_format format,
                             unsigned flags, FILE *out) {
  switch (format) {
  case CLINT_FORMAT_TEXT:
    report_text(run, flags, out);
    break;
  case CLINT_FORMAT_JSON:
    report_json(run, out);
    break;
  case CLINT_FORMAT_SARIF:
    report_sarif(run, out);
    break;
  case CLINT_FORMAT_GITHUB:
    report_github(run, out);
    break;
  case CLINT_FORMAT_JUNIT:
    report_junit(run, out);
    break;
  default:
    return CLINT_E_USAGE;
  }
  return ferror(out) ? CLINT_E_IO : CLINT_OK;
}

bool clint_report_format_from_path(const char *path, clint_report_format *out) {
  const char *dot = strrchr(path, '.');
  if (!dot || strchr(dot, '/'))
    return false;
  if (!strcmp(dot, ".md") || !strcmp(dot, ".markdown"))
    *out = CLINT_REPORT_MD;
  else if (!strcmp(dot, ".html") || !strcmp(dot, ".htm"))
    *out = CLINT_REPORT_HTML;
  else if (!strcmp(dot, ".json"))
    *out = CLINT_REPORT_JSON;
  else
    return false;
  return true;
}

clint_status clint_run_write_report(const clint_run *run,
                                    clint_report_format format, FILE *out) {
  switch (format) {
  case CLINT_REPORT_MD:
    report_broken_md(run, out);
    break;
  case CLINT_REPORT_HTML:
    report_broken_html(run, out);
    break;
  case CLINT_REPORT_JSON:
    report_broken_json(run, out);
    break;
  default:
    return CLINT_E_USAGE;
  }
  return ferror(out) ? CLINT_E_IO : CLINT_OK;
}

static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */

void report_json_finding_end(FILE *out, const clint_diag *d) {
  fputs(",\"rule\":", out);
  report_json_str(out, d->rule);
  fputs(",\"message\":", out);
  report_json_str(out, d->message);
  fputs(",\"suggestion\":", out);
  report_json_str(out, d->suggestion);
  fputc('}', out);
}

void report_json_str(FILE *out, const char *s) {
  if (!s) {
    fputs("null", out);
    return;
  }
  size_t n = strlen(s);
  fputc('"', out);
  for (size_t i = 0; i < n;) {
    uint32_t cp;
    size_t k = utf8_decode(s + i, n - i, &cp);
    if (k == 0) {
      fputs(replacement, out);
      i++;
      continue;
    }
    if (cp == '"' || cp == '\\')
      fprintf(out, "\\%c", (int)cp);
    else if (cp == '\n')
      fputs("\\n", out);
    else if (cp == '\r')
      fputs("\\r", out);
    else if (cp == '\t')
      fputs("\\t", out);
    else if (cp < 0x20 || cp == 0x7F)
      fprintf(out, "\\u%04x", (unsigned)cp);
    else
      fwrite(s + i, 1, k, out);
    i += k;
  }
  fputc('"', out);
}

void report_xml_str(FILE *out, const char *s) {
  size_t n = s ? strlen(s) : 0;
  for (size_t i = 0; i < n;) {
    uint32_t cp;
    size_t k = utf8_decode(s + i, n - i, &cp);
    if (k == 0) {
      fputs(replacement, out);
      i++;
      continue;
    }
    switch (cp) {
    case '&':
      fputs("&amp;", out);
      break;
    case '<':
      fputs("&lt;", out);
      break;
    case '>':
      fputs("&gt;", out);
      break;
    case '"':
      fputs("&quot;", out);
      break;
    case '\'':
      fputs("&#39;", out);
      break;
    case '\n':
      fputs("&#10;", out);
      break;
    case '\r':
      fputs("&#13;", out);
      break;
    case '\t':
      fputs("&#9;", out);
      break;
    default:
      /* XML 1.0 has no way to write other C0 controls, even as
       * character references; U+FFFE/FFFF are not characters either. */
      if (cp < 0x20 || cp == 0xFFFE || cp == 0xFFFF)
        fputs(replacement, out);
      else
        fwrite(s + i, 1, k, out);
    }
    i += k;
  }
}

void report_uri(FILE *out, const char *path) {
  for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
    if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
        (*p >= '0' && *p <= '9') || strchr("-._~/", *p))
      fputc(*p, out);
    else
      fprintf(out, "%%%02X", *p);
  }
}

void report_text_str(FILE *out, const char *s) {
  while (s && *s) {
    /* Write each run of printable bytes at once; escape the rest. */
    size_t n = 0;
    while (s[n] && ((unsigned char)s[n] >= 0x20 && s[n] != 0x7f))
      n++;
    fwrite(s, 1, n, out);
    s += n;
    if (!*s)
      break;
    unsigned char c = (unsigned char)*s++;
    if (c == '\n')
      fputs("\\n", out);
    else if (c == '\t')
      fputs("\\t", out);
    else
      fprintf(out, "\\x%02x", c);
  }
}

void report_message(FILE *out, const clint_diag *d) {
  report_text_str(out, d->message);
  if (d->suggestion && !d->suggestion_in_message) {
    fputs("; did you mean '", out);
    report_text_str(out, d->suggestion);
    fputs("'?", out);
  }
}
