/* diags.c - diagnostics and code actions. After a change, the pages to
 * check are the changed ones, the pages that refer to them (the course
 * knows who refers to what), and, when folders or rules changed, every
 * page open or shown before; one run checks them (the course re-checks
 * only what the change touched) and each page whose findings differ
 * from what the client was last sent gets them. Code actions are the
 * findings' fixes and their "did you mean" replacements. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lsp.h"

static bool note_referrer(const clint_ref *r, void *ctx) {
  json_object_set_new(ctx, r->from, json_true());
  return true;
}

/* The pages whose diagnostics may have changed. */
static json_t *pages_to_check(struct lsp *s) {
  json_t *want = json_object();
  const char *path;
  json_t *v;
  json_object_foreach(s->changed, path, v) {
    json_object_set_new(want, path, json_true());
    clint_error err;
    clint_course_refs_to(s->course, path, NULL, note_referrer, want, &err);
  }
  if (s->all_changed) {
    for (size_t i = 0; i < s->ndocs; i++)
      if (s->docs[i]->path)
        json_object_set_new(want, s->docs[i]->path, json_true());
    json_object_foreach(s->published, path, v)
        json_object_set_new(want, path, json_true());
  }
  return want;
}

/* The message as shown: with its suggestion, as the text output has it
 * (a rule file's message may place it in its own words already). */
static json_t *message_of(const clint_diag *d) {
  if (!d->suggestion || d->suggestion_in_message)
    return lsp_str(d->message);
  size_t n = strlen(d->message) + strlen(d->suggestion) + 32;
  char *m = malloc(n);
  if (!m)
    return lsp_str(d->message);
  snprintf(m, n, "%s; did you mean '%s'?", d->message, d->suggestion);
  json_t *j = lsp_str(m);
  free(m);
  return j;
}

static json_t *diagnostic(const struct lsp *s, const struct text *t,
                          const clint_diag *d) {
  json_t *j = json_object();
  json_object_set_new(
      j, "range",
      lsp_lib_range(s, t, d->line, d->column, d->end_line, d->end_column));
  json_object_set_new(j, "severity",
                      json_integer(d->severity == CLINT_SEV_ERROR ? 1 : 2));
  json_object_set_new(j, "code", lsp_str(d->rule));
  json_object_set_new(j, "source", json_string("courselint"));
  json_object_set_new(j, "message", message_of(d));
  return j;
}

static void send(struct lsp *s, const char *path, json_t *list) {
  char *uri = lsp_uri_of(s, path);
  if (!uri) {
    json_decref(list);
    return;
  }
  json_t *p = json_pack("{s:o,s:o}", "uri", lsp_str(uri), "diagnostics", list);
  struct doc *d = lsp_doc_of_path(s, path);
  if (d)
    json_object_set_new(p, "version", json_integer(d->version));
  lsp_notify(s, "textDocument/publishDiagnostics", p);
  free(uri);
}

/* Publish list (taken) for path unless the client has it already. An
 * open page that changed always gets its list, for its new version. */
static void publish(struct lsp *s, const char *path, json_t *list,
                    bool edited) {
  char *digest = json_dumps(list, JSON_COMPACT);
  json_t *old = json_object_get(s->published, path);
  bool open = lsp_doc_of_path(s, path) != NULL;
  if (digest && old && !strcmp(json_string_value(old), digest) &&
      !(open && edited)) {
    json_decref(list);
  } else if (!old && json_array_size(list) == 0 && !open) {
    json_decref(list); /* nothing shown, nothing to show */
  } else {
    send(s, path, list);
    if (json_array_size(list) == 0 && !open)
      json_object_del(s->published, path);
    else if (digest)
      json_object_set_new(s->published, path, json_string(digest));
  }
  free(digest);
}

void diags_publish(struct lsp *s) {
  lsp_flush(s);
  json_t *want = pages_to_check(s);
  json_t *edited = json_deep_copy(s->changed);
  json_object_clear(s->changed);
  s->all_changed = false;
  json_t *pages = lsp_pages(s);
  clint_error err;
  clint_run *run = clint_course_run(s->course, &err);
  const char *path;
  json_t *v;
  bool any = false;
  json_object_foreach(want, path, v) {
    bool exists =
        (pages && json_object_get(pages, path)) || lsp_doc_of_path(s, path);
    if (exists && run && clint_run_add_target(run, path, &err) == CLINT_OK)
      any = true;
  }
  json_t *found = json_object(); /* path -> array of diagnostics */
  if (run && any && clint_run_lint(run, &err) == CLINT_OK) {
    const char *last = NULL;
    struct text own = {0};
    const struct text *t = NULL;
    json_t *list = NULL;
    for (size_t i = 0; i < clint_run_diag_count(run); i++) {
      const clint_diag *d = clint_run_diag(run, i);
      if (!json_object_get(want, d->root_path))
        continue;
      if (!last || strcmp(last, d->root_path) != 0) {
        text_free(&own);
        t = lsp_text_of(s, d->root_path, &own);
        list = json_array();
        json_object_set_new(found, d->root_path, list);
        last = d->root_path;
      }
      if (t)
        json_array_append_new(list, diagnostic(s, t, d));
    }
    text_free(&own);
  } else if (run && any) {
    fprintf(stderr, "courselint lsp: %s\n", err.message);
  }
  json_object_foreach(want, path, v) {
    json_t *list = json_object_get(found, path);
    publish(s, path, list ? json_incref(list) : json_array(),
            edited && json_object_get(edited, path));
  }
  json_decref(edited);
  json_decref(found);
  json_decref(want);
  clint_run_free(run);
}

/* ---- code actions ------------------------------------------------------- */

/* A suggestion as it can stand in a link destination: spaces and
 * parentheses percent-encoded. malloc'd. */
static char *dest_text(const char *sugg) {
  char *out = malloc(strlen(sugg) * 3 + 1);
  if (!out)
    return NULL;
  size_t o = 0;
  for (const char *c = sugg; *c; c++) {
    if (*c == ' ' || *c == '(' || *c == ')') {
      o += (size_t)sprintf(out + o, "%%%02X", (unsigned char)*c);
    } else {
      out[o++] = *c;
    }
  }
  out[o] = '\0';
  return out;
}

/* The bytes [*from, *to) of t that the suggestion of d replaces, and the
 * text to put there (malloc'd); NULL when it cannot be placed exactly. */
static char *replacement(const struct text *t, const clint_diag *d,
                         size_t *from, size_t *to) {
  size_t rs = text_lib_offset(t, d->line, d->column);
  size_t re = text_lib_end(t, d->end_line, d->end_column);
  const char *s = t->s, *sugg = d->suggestion;
  if (!strncmp(d->rule, "link/", 5)) {
    size_t ds, de;
    if (!lsp_link_dest(s, rs, re, &ds, &de) || de <= ds)
      return NULL;
    const char *hash = memchr(s + ds, '#', de - ds);
    if (sugg[0] == '#') { /* the fragment */
      if (!hash)
        return NULL;
      *from = (size_t)(hash - s) + 1;
      *to = de;
      return dest_text(sugg + 1);
    }
    size_t pe = hash ? (size_t)(hash - s) : de;
    const char *q = memchr(s + ds, '?', pe - ds);
    *from = ds;
    *to = q ? (size_t)(q - s) : pe;
    return dest_text(sugg);
  }
  if (!strcmp(d->rule, "ref/wrong-count")) {
    size_t i = rs;
    while (i < re && !(s[i] >= '0' && s[i] <= '9'))
      i++;
    size_t e = i;
    while (e < re && s[e] >= '0' && s[e] <= '9')
      e++;
    if (e == i || strspn(sugg, "0123456789") != strlen(sugg))
      return NULL;
    *from = i;
    *to = e;
    return strdup(sugg);
  }
  if (!strncmp(d->rule, "ref/", 4)) {
    /* A file or path named in prose: the finding covers the name. */
    for (size_t i = rs; i < re; i++)
      if (s[i] == ' ' || s[i] == '\n')
        return NULL;
    *from = rs;
    *to = re;
    return strdup(sugg);
  }
  return NULL;
}

static json_t *edit_action(const struct lsp *s, const char *uri,
                           const struct text *t, const char *title, size_t from,
                           size_t to, const char *text, json_t *diag,
                           bool preferred) {
  json_t *edit = json_pack("{s:o,s:o}", "range", lsp_byte_range(s, t, from, to),
                           "newText", lsp_str(text));
  json_t *changes = json_object();
  json_object_set_new(changes, uri, json_pack("[o]", edit));
  return json_pack("{s:o,s:s,s:[o],s:b,s:{s:o}}", "title", lsp_str(title),
                   "kind", "quickfix", "diagnostics", diag, "isPreferred",
                   preferred, "edit", "changes", changes);
}

/* Whether the LSP range r (JSON) and the bytes [from, to) of t meet. */
static bool overlaps(const struct lsp *s, const struct text *t, json_t *r,
                     size_t from, size_t to) {
  size_t a, b;
  if (!lsp_offset_of(s, t, json_object_get(r, "start"), &a) ||
      !lsp_offset_of(s, t, json_object_get(r, "end"), &b))
    return false;
  return a <= to && b >= from;
}

json_t *diags_code_actions(struct lsp *s, json_t *params, struct lsp_err *e) {
  struct doc *doc = lsp_doc_at(s, params, e, NULL);
  if (!doc)
    return e->code ? NULL : json_null();
  json_t *range = json_object_get(params, "range");
  if (!json_is_object(range))
    return lsp_fail(e, LSP_INVALID_PARAMS, "range is missing");
  clint_error err;
  clint_run *run = clint_course_run(s->course, &err);
  if (!run || clint_run_add_target(run, doc->path, &err) != CLINT_OK ||
      clint_run_lint(run, &err) != CLINT_OK) {
    clint_run_free(run);
    return lsp_fail(e, LSP_REQUEST_FAILED, "%s", err.message);
  }
  const struct text *t = &doc->text;
  json_t *actions = json_array();
  for (size_t i = 0; i < clint_run_diag_count(run); i++) {
    const clint_diag *d = clint_run_diag(run, i);
    size_t from = text_lib_offset(t, d->line, d->column);
    size_t to = text_lib_end(t, d->end_line, d->end_column);
    if (!overlaps(s, t, range, from, to))
      continue;
    if (d->fix && d->fix->offset <= t->len &&
        d->fix->length <= t->len - d->fix->offset) {
      char title[600];
      snprintf(title, sizeof(title), "Fix: %s", d->message);
      json_array_append_new(
          actions, edit_action(s, doc->uri, t, title, d->fix->offset,
                               d->fix->offset + d->fix->length, d->fix->text,
                               diagnostic(s, t, d), true));
    }
    size_t rf, rt;
    char *with = d->suggestion && !d->fix ? replacement(t, d, &rf, &rt) : NULL;
    if (with) {
      char title[600];
      snprintf(title, sizeof(title), "Replace with '%s'", d->suggestion);
      json_array_append_new(actions,
                            edit_action(s, doc->uri, t, title, rf, rt, with,
                                        diagnostic(s, t, d), true));
      free(with);
    }
  }
  clint_run_free(run);
  return actions;
}
