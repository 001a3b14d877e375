/* server.c - the editor server's main loop and state: the lifecycle
 * (initialize, shutdown, exit), open documents and their text given to
 * the course, files changed outside the editor and the course's rule
 * file, and the dispatch of requests to diags.c, navigate.c and
 * complete.c. One thread; messages that arrive together are read first,
 * so that a cancelled request is never started and a burst of keystrokes
 * is checked once. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lsp.h"

/* ---- replies ---------------------------------------------------------------
 */

json_t *lsp_fail(struct lsp_err *e, int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  e->code = code;
  vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
  va_end(ap);
  return NULL;
}

void lsp_reply(struct lsp *s, json_t *id, json_t *result, int code,
               const char *message) {
  json_t *m = json_object();
  json_object_set_new(m, "jsonrpc", json_string("2.0"));
  json_object_set(m, "id", id ? id : json_null());
  if (result) {
    json_object_set_new(m, "result", result);
  } else {
    json_t *err = json_object();
    json_object_set_new(err, "code", json_integer(code));
    json_object_set_new(err, "message", lsp_str(message));
    json_object_set_new(m, "error", err);
  }
  rpc_write(&s->rpc, m);
  json_decref(m);
}

void lsp_notify(struct lsp *s, const char *method, json_t *params) {
  json_t *m = json_object();
  json_object_set_new(m, "jsonrpc", json_string("2.0"));
  json_object_set_new(m, "method", json_string(method));
  json_object_set_new(m, "params", params);
  rpc_write(&s->rpc, m);
  json_decref(m);
}

/* Tell the user (window/showMessage): 1 error, 2 warning, 3 info. */
static void show(struct lsp *s, int type, const char *msg) {
  json_t *p = json_object();
  json_object_set_new(p, "type", json_integer(type));
  json_object_set_new(p, "message", lsp_str(msg));
  lsp_notify(s, "window/showMessage", p);
}

/* ---- documents ------------------------------------------------------------
 */

struct doc *lsp_doc(struct lsp *s, const char *uri) {
  for (size_t i = 0; i < s->ndocs; i++)
    if (!strcmp(s->docs[i]->uri, uri))
      return s->docs[i];
  return NULL;
}

struct doc *lsp_doc_of_path(struct lsp *s, const char *path) {
  for (size_t i = 0; i < s->ndocs; i++)
    if (s->docs[i]->path && !strcmp(s->docs[i]->path, path))
      return s->docs[i];
  return NULL;
}

static bool is_markdown(const char *name) {
  size_t n = strlen(name);
  return (n > 3 && !strcmp(name + n - 3, ".md")) ||
         (n > 9 && !strcmp(name + n - 9, ".markdown"));
}

/* The root-relative path of a document's URI, or NULL when it is not a
 * Markdown page inside the course root. Followed through symbolic links
 * as the library does: the file itself when it exists, else its
 * folder. Nothing is read. */
static char *doc_path(const struct lsp *s, const char *uri) {
  char *abs = uri_to_path(uri);
  if (!abs || !s->root || !is_markdown(abs)) {
    free(abs);
    return NULL;
  }
  char *real = realpath(abs, NULL);
  if (!real) {
    char *slash = strrchr(abs, '/');
    *slash = '\0';
    char *dir = realpath(abs[0] ? abs : "/", NULL);
    *slash = '/';
    if (dir && (real = malloc(strlen(dir) + strlen(slash) + 1)))
      sprintf(real, "%s%s", strcmp(dir, "/") ? dir : "", slash);
    free(dir);
  }
  free(abs);
  size_t rl = strlen(s->root);
  char *rel = NULL;
  if (real && !strncmp(real, s->root, rl) && real[rl] == '/' && real[rl + 1])
    rel = strdup(real + rl + 1);
  free(real);
  return rel;
}

char *lsp_uri_of(struct lsp *s, const char *path) {
  struct doc *d = lsp_doc_of_path(s, path);
  if (d)
    return strdup(d->uri);
  char *abs = malloc(strlen(s->root) + strlen(path) + 2);
  if (!abs)
    return NULL;
  sprintf(abs, "%s/%s", s->root, path);
  char *uri = path_to_uri(abs);
  free(abs);
  return uri;
}

static void mark_changed(struct lsp *s, const char *path) {
  json_object_set_new(s->changed, path, json_true());
}

void lsp_flush(struct lsp *s) {
  for (size_t i = 0; i < s->ndocs; i++) {
    struct doc *d = s->docs[i];
    if (!d->dirty || !d->path || !s->course)
      continue;
    clint_error err;
    bool known = s->pages && json_object_get(s->pages, d->path);
    if (clint_course_set_text(s->course, d->path, d->text.s, d->text.len,
                              &err) != CLINT_OK)
      fprintf(stderr, "courselint lsp: %s: %s\n", d->path, err.message);
    else if (!known)
      json_decref(s->pages), s->pages = NULL; /* a page appeared */
    d->dirty = false;
  }
}

static bool add_page(const char *path, void *ctx) {
  json_object_set_new(ctx, path, json_true());
  return true;
}

json_t *lsp_pages(struct lsp *s) {
  if (s->pages || !s->course)
    return s->pages;
  lsp_flush(s);
  s->pages = json_object();
  clint_error err;
  if (clint_course_pages(s->course, add_page, s->pages, &err) != CLINT_OK)
    fprintf(stderr, "courselint lsp: %s\n", err.message);
  return s->pages;
}

const struct text *lsp_text_of(struct lsp *s, const char *path,
                               struct text *own) {
  struct doc *d = lsp_doc_of_path(s, path);
  if (d)
    return &d->text;
  memset(own, 0, sizeof(*own));
  char *text;
  size_t len;
  clint_error err;
  if (!s->course ||
      clint_course_page_text(s->course, path, &text, &len, &err) != CLINT_OK)
    return NULL;
  bool ok = text_set(own, text, len, true);
  free(text);
  return ok ? own : NULL;
}

static json_t *position(const struct lsp *s, const struct text *t, size_t off) {
  unsigned line, ch;
  text_position(t, off, s->utf8, &line, &ch);
  return json_pack("{s:I,s:I}", "line", (json_int_t)line, "character",
                   (json_int_t)ch);
}

json_t *lsp_byte_range(const struct lsp *s, const struct text *t, size_t from,
                       size_t to) {
  return json_pack("{s:o,s:o}", "start", position(s, t, from), "end",
                   position(s, t, to < from ? from : to));
}

json_t *lsp_lib_range(const struct lsp *s, const struct text *t, unsigned line,
                      unsigned col, unsigned end_line, unsigned end_col) {
  size_t from = text_lib_offset(t, line, col);
  size_t to = end_line ? text_lib_end(t, end_line, end_col) : from;
  return lsp_byte_range(s, t, from, to);
}

static bool uint_of(json_t *v, unsigned *out) {
  if (!json_is_integer(v) || json_integer_value(v) < 0 ||
      json_integer_value(v) > UINT_MAX)
    return false;
  *out = (unsigned)json_integer_value(v);
  return true;
}

bool lsp_offset_of(const struct lsp *s, const struct text *t, json_t *pos,
                   size_t *offset) {
  unsigned line, ch;
  if (!json_is_object(pos) || !uint_of(json_object_get(pos, "line"), &line) ||
      !uint_of(json_object_get(pos, "character"), &ch))
    return false;
  *offset = text_offset(t, line, ch, s->utf8);
  return true;
}

/* The URI string of params.textDocument, or NULL. */
static const char *doc_uri(json_t *params) {
  return json_string_value(
      json_object_get(json_object_get(params, "textDocument"), "uri"));
}

struct doc *lsp_doc_at(struct lsp *s, json_t *params, struct lsp_err *e,
                       size_t *offset) {
  e->code = 0;
  const char *uri = doc_uri(params);
  if (!uri) {
    lsp_fail(e, LSP_INVALID_PARAMS, "textDocument.uri is missing");
    return NULL;
  }
  struct doc *d = lsp_doc(s, uri);
  if (offset) {
    json_t *pos = json_object_get(params, "position");
    size_t off = 0;
    struct text empty = {0};
    if (!lsp_offset_of(s, d ? &d->text : &empty, pos, &off)) {
      lsp_fail(e, LSP_INVALID_PARAMS, "position is missing or malformed");
      return NULL;
    }
    *offset = off;
  }
  if (!d || !d->path || !s->course)
    return NULL;
  lsp_flush(s);
  return d;
}

static void doc_free(struct doc *d) {
  if (!d)
    return;
  free(d->uri);
  free(d->path);
  text_free(&d->text);
  free(d);
}

/* ---- the course ------------------------------------------------------------
 */

/* A linter with the course's rule file, or NULL with the reason in err
 * (then *defaults is the linter without it, when that loads). */
static clint_linter *load_linter(const char *root, clint_error *err,
                                 clint_linter **defaults) {
  *defaults = NULL;
  clint_linter *l = clint_linter_new(err);
  if (!l)
    return NULL;
  if (clint_linter_load_course_rules(l, root, err) != CLINT_OK) {
    *defaults = l;
    return NULL;
  }
  return l;
}

/* Publish the rule file's error as a diagnostic of the rule file (or
 * clear it when err is NULL). */
static void rules_diagnostic(struct lsp *s, const clint_error *err) {
  char *path = malloc(strlen(s->root) + 32);
  if (!path)
    return;
  sprintf(path, "%s/.courselint.yml", s->root);
  char *uri = path_to_uri(path);
  free(path);
  json_t *list = json_array();
  if (err) {
    unsigned line = err->line ? err->line - 1 : 0;
    unsigned col = err->column ? err->column - 1 : 0;
    json_array_append_new(
        list,
        json_pack("{s:{s:{s:I,s:I},s:{s:I,s:I}},s:i,s:s,s:o}", "range", "start",
                  "line", (json_int_t)line, "character", (json_int_t)col, "end",
                  "line", (json_int_t)line, "character", (json_int_t)col + 1,
                  "severity", 1, "source", "courselint", "message",
                  lsp_str(err->message)));
  }
  lsp_notify(s, "textDocument/publishDiagnostics",
             json_pack("{s:o,s:o}", "uri", lsp_str(uri ? uri : ""),
                       "diagnostics", list));
  free(uri);
}

/* Open the course with linter l (taken), replacing the one open. */
static bool open_course(struct lsp *s, clint_linter *l) {
  clint_options o = CLINT_OPTIONS_INIT;
  o.root = s->root;
  o.jobs = s->jobs;
  clint_error err;
  clint_course *c = clint_course_new(l, &o, &err);
  if (!c) {
    show(s, 1, err.message);
    clint_linter_free(l);
    return false;
  }
  clint_course_free(s->course);
  clint_linter_free(s->linter);
  s->course = c;
  s->linter = l;
  s->indexed = false;
  s->all_changed = true;
  json_decref(s->pages);
  s->pages = NULL;
  for (size_t i = 0; i < s->ndocs; i++)
    s->docs[i]->dirty = s->docs[i]->path != NULL;
  return true;
}

/* The course's rule file changed: load it again. A broken one keeps the
 * rules in use, and says where it is broken. */
static void reload_rules(struct lsp *s, bool first) {
  clint_error err;
  clint_linter *defaults;
  clint_linter *l = load_linter(s->root, &err, &defaults);
  if (!l) {
    char msg[1200];
    snprintf(msg, sizeof(msg), "courselint: .courselint.yml: %s%s", err.message,
             first ? "; using the default rules"
                   : "; keeping the rules in use");
    show(s, 1, msg);
    rules_diagnostic(s, &err);
    if (first && defaults)
      open_course(s, defaults);
    else
      clint_linter_free(defaults);
    return;
  }
  rules_diagnostic(s, NULL);
  open_course(s, l);
}

/* The first full run: every page read and checked once, so that later
 * queries and edits cost only what they touch. */
static void index_course(struct lsp *s) {
  if (s->indexed || !s->course)
    return;
  lsp_flush(s);
  clint_error err;
  clint_run *run = clint_course_run(s->course, &err);
  if (run && clint_run_lint(run, &err) == CLINT_OK)
    s->indexed = true;
  else
    fprintf(stderr, "courselint lsp: %s\n", err.message);
  clint_run_free(run);
}

/* ---- lifecycle ----------------------------------------------------------- */

static bool has_string(json_t *array, const char *want) {
  size_t i;
  json_t *v;
  json_array_foreach(array, i,
                     v) if (json_is_string(v) &&
                            !strcmp(json_string_value(v), want)) return true;
  return false;
}

/* The folder the client opened: a workspace folder, rootUri or
 * rootPath; NULL for none. malloc'd. */
static char *client_folder(json_t *params) {
  json_t *folders = json_object_get(params, "workspaceFolders");
  const char *uri = NULL;
  if (json_is_array(folders) && json_array_size(folders) > 0)
    uri = json_string_value(json_object_get(json_array_get(folders, 0), "uri"));
  if (!uri)
    uri = json_string_value(json_object_get(params, "rootUri"));
  if (uri)
    return uri_to_path(uri);
  const char *path = json_string_value(json_object_get(params, "rootPath"));
  return path && path[0] == '/' ? strdup(path) : NULL;
}

static json_t *capabilities(const struct lsp *s) {
  json_t *c = json_pack(
      "{s:s,s:{s:b,s:i,s:{s:b}},s:b,s:b,s:b,s:{s:b},s:{s:[s,s,s,s,s]},"
      "s:b,s:b,s:{s:[s]}}",
      "positionEncoding", s->utf8 ? "utf-8" : "utf-16", "textDocumentSync",
      "openClose", 1, "change", 2, "save", "includeText", 0,
      "definitionProvider", 1, "hoverProvider", 1, "referencesProvider", 1,
      "renameProvider", "prepareProvider", 1, "completionProvider",
      "triggerCharacters", "(", "#", "/", " ", ".", "documentSymbolProvider", 1,
      "workspaceSymbolProvider", 1, "codeActionProvider", "codeActionKinds",
      "quickfix");
  return c;
}

static json_t *h_initialize(struct lsp *s, json_t *params, struct lsp_err *e) {
  if (s->initialized)
    return lsp_fail(e, LSP_INVALID_REQUEST, "initialize was sent twice");
  if (!json_is_object(params))
    return lsp_fail(e, LSP_INVALID_PARAMS, "initialize needs params");
  json_t *caps = json_object_get(params, "capabilities");
  s->utf8 = has_string(
      json_object_get(json_object_get(caps, "general"), "positionEncodings"),
      "utf-8");
  s->hierarchical = json_is_true(json_object_get(
      json_object_get(json_object_get(caps, "textDocument"), "documentSymbol"),
      "hierarchicalDocumentSymbolSupport"));
  s->watch_dynamic = json_is_true(
      json_object_get(json_object_get(json_object_get(caps, "workspace"),
                                      "didChangeWatchedFiles"),
                      "dynamicRegistration"));
  char *folder = s->root_arg ? strdup(s->root_arg) : client_folder(params);
  if (!folder) {
    char cwd[PATH_MAX];
    folder = getcwd(cwd, sizeof(cwd)) ? strdup(cwd) : NULL;
  }
  s->root = s->root_arg ? realpath(folder, NULL) : clint_find_root(folder);
  if (!s->root) {
    lsp_fail(e, LSP_REQUEST_FAILED, "cannot use %s as the course root: %s",
             folder ? folder : "the folder", strerror(errno));
    free(folder);
    return NULL;
  }
  free(folder);
  s->initialized = true;
  return json_pack("{s:o,s:{s:s,s:s}}", "capabilities", capabilities(s),
                   "serverInfo", "name", "courselint", "version",
                   CLINT_VERSION);
}

/* Ask the client to tell of changes to pages, folders and the rule file
 * made outside the editor. */
static void register_watchers(struct lsp *s) {
  json_t *m = json_pack(
      "{s:s,s:I,s:s,s:{s:[{s:s,s:s,s:{s:[{s:s},{s:s},{s:s},{s:s}]}}]}}",
      "jsonrpc", "2.0", "id", s->next_id++, "method",
      "client/registerCapability", "params", "registrations", "id",
      "courselint-watch", "method", "workspace/didChangeWatchedFiles",
      "registerOptions", "watchers", "globPattern", "**/*.md", "globPattern",
      "**/*.markdown", "globPattern", "**/.courselint.yml", "globPattern",
      "**/");
  rpc_write(&s->rpc, m);
  json_decref(m);
}

static void n_initialized(struct lsp *s, json_t *params) {
  (void)params;
  if (s->course)
    return;
  reload_rules(s, true);
  if (s->watch_dynamic)
    register_watchers(s);
  index_course(s);
}

static json_t *h_shutdown(struct lsp *s, json_t *params, struct lsp_err *e) {
  (void)params;
  (void)e;
  s->shutdown = true;
  return json_null();
}

static void n_exit(struct lsp *s, json_t *params) {
  (void)params;
  s->exit_code = s->shutdown ? 0 : 1;
}

/* ---- text sync ------------------------------------------------------------
 */

static void n_did_open(struct lsp *s, json_t *params) {
  json_t *td = json_object_get(params, "textDocument");
  const char *uri = json_string_value(json_object_get(td, "uri"));
  json_t *text = json_object_get(td, "text");
  if (!uri || !json_is_string(text))
    return;
  struct doc *d = lsp_doc(s, uri);
  if (!d) {
    d = calloc(1, sizeof(*d));
    if (!d || !(d->uri = strdup(uri))) {
      doc_free(d);
      return;
    }
    if (s->ndocs == s->capdocs) {
      size_t cap = s->capdocs ? s->capdocs * 2 : 8;
      struct doc **grown = realloc(s->docs, cap * sizeof(*grown));
      if (!grown) {
        doc_free(d);
        return;
      }
      s->docs = grown;
      s->capdocs = cap;
    }
    s->docs[s->ndocs++] = d;
    d->path = doc_path(s, uri);
  }
  if (!text_set(&d->text, json_string_value(text), json_string_length(text),
                false))
    return;
  json_t *v = json_object_get(td, "version");
  d->version = json_is_integer(v) ? json_integer_value(v) : 0;
  if (d->path) {
    d->dirty = true;
    mark_changed(s, d->path);
  }
}

/* Apply one entry of contentChanges: a range and its new text, or the
 * whole text. */
static bool apply_change(struct lsp *s, struct doc *d, json_t *ch) {
  json_t *text = json_object_get(ch, "text");
  if (!json_is_string(text))
    return false;
  json_t *range = json_object_get(ch, "range");
  if (!range)
    return text_set(&d->text, json_string_value(text), json_string_length(text),
                    false);
  size_t from, to;
  if (!lsp_offset_of(s, &d->text, json_object_get(range, "start"), &from) ||
      !lsp_offset_of(s, &d->text, json_object_get(range, "end"), &to))
    return false;
  if (to < from) {
    size_t x = from;
    from = to;
    to = x;
  }
  return text_replace(&d->text, from, to, json_string_value(text),
                      json_string_length(text));
}

static void n_did_change(struct lsp *s, json_t *params) {
  json_t *td = json_object_get(params, "textDocument");
  const char *uri = json_string_value(json_object_get(td, "uri"));
  json_t *changes = json_object_get(params, "contentChanges");
  struct doc *d = uri ? lsp_doc(s, uri) : NULL;
  if (!d || !json_is_array(changes))
    return;
  size_t i;
  json_t *ch;
  json_array_foreach(changes, i, ch) {
    if (!apply_change(s, d, ch))
      fprintf(stderr, "courselint lsp: %s: a change could not be applied\n",
              uri);
  }
  json_t *v = json_object_get(td, "version");
  if (json_is_integer(v))
    d->version = json_integer_value(v);
  if (d->path) {
    d->dirty = true;
    mark_changed(s, d->path);
  }
}

static void n_did_close(struct lsp *s, json_t *params) {
  const char *uri = doc_uri(params);
  for (size_t i = 0; uri && i < s->ndocs; i++) {
    struct doc *d = s->docs[i];
    if (strcmp(d->uri, uri) != 0)
      continue;
    if (d->path && s->course) {
      clint_error err;
      /* The file on disk counts again. */
      clint_course_set_text(s->course, d->path, NULL, 0, &err);
      mark_changed(s, d->path);
      json_decref(s->pages);
      s->pages = NULL;
    }
    doc_free(d);
    s->docs[i] = s->docs[--s->ndocs];
    return;
  }
}

static void n_did_save(struct lsp *s, json_t *params) {
  const char *uri = doc_uri(params);
  char *path = uri ? uri_to_path(uri) : NULL;
  size_t rl = s->root ? strlen(s->root) : 0;
  if (path && s->root && !strncmp(path, s->root, rl) &&
      !strcmp(path + rl, "/.courselint.yml"))
    reload_rules(s, false);
  free(path);
}

/* workspace/didChangeWatchedFiles: pages, folders and the rule file
 * changed outside the editor. */
static void n_watched(struct lsp *s, json_t *params) {
  json_t *changes = json_object_get(params, "changes");
  size_t i;
  json_t *ch;
  bool rules = false;
  size_t rl = s->root ? strlen(s->root) : 0;
  json_array_foreach(changes, i, ch) {
    const char *uri = json_string_value(json_object_get(ch, "uri"));
    char *path = uri ? uri_to_path(uri) : NULL;
    if (!path || !s->course || strncmp(path, s->root, rl) != 0 ||
        (path[rl] != '/' && path[rl] != '\0')) {
      free(path);
      continue; /* outside the course: none of its business */
    }
    if (!strcmp(path + rl, "/.courselint.yml")) {
      rules = true;
    } else {
      clint_error err;
      if (clint_course_changed(s->course, path, &err) == CLINT_OK) {
        if (path[rl] && path[rl + 1])
          mark_changed(s, path + rl + 1);
        /* Created or deleted: the listings are read again. */
        json_decref(s->pages);
        s->pages = NULL;
        s->all_changed = true;
      }
    }
    free(path);
  }
  if (rules)
    reload_rules(s, false);
}

/* ---- dispatch --------------------------------------------------------------
 */

static json_t *h_code_action(struct lsp *s, json_t *params, struct lsp_err *e) {
  return diags_code_actions(s, params, e);
}

static const struct {
  const char *method;
  lsp_request_fn fn;
} requests[] = {
    {"initialize", h_initialize},
    {"shutdown", h_shutdown},
    {"textDocument/definition", nav_definition},
    {"textDocument/hover", nav_hover},
    {"textDocument/references", nav_references},
    {"textDocument/prepareRename", nav_prepare_rename},
    {"textDocument/rename", nav_rename},
    {"textDocument/completion", comp_completion},
    {"textDocument/documentSymbol", comp_document_symbols},
    {"workspace/symbol", comp_workspace_symbols},
    {"textDocument/codeAction", h_code_action},
};

static const struct {
  const char *method;
  void (*fn)(struct lsp *s, json_t *params);
} notifications[] = {
    {"initialized", n_initialized},
    {"exit", n_exit},
    {"textDocument/didOpen", n_did_open},
    {"textDocument/didChange", n_did_change},
    {"textDocument/didClose", n_did_close},
    {"textDocument/didSave", n_did_save},
    {"workspace/didChangeWatchedFiles", n_watched},
};

static void handle_request(struct lsp *s, const char *method, json_t *id,
                           json_t *params) {
  if (!s->initialized && strcmp(method, "initialize") != 0) {
    lsp_reply(s, id, NULL, LSP_NOT_INITIALIZED,
              "the server is not initialized");
    return;
  }
  if (s->shutdown) {
    lsp_reply(s, id, NULL, LSP_INVALID_REQUEST, "the server is shutting down");
    return;
  }
  for (size_t i = 0; i < sizeof(requests) / sizeof(requests[0]); i++) {
    if (strcmp(requests[i].method, method) != 0)
      continue;
    if (params && !json_is_object(params) && !json_is_array(params)) {
      lsp_reply(s, id, NULL, LSP_INVALID_PARAMS, "params must be an object");
      return;
    }
    if (strcmp(method, "initialize") != 0 && strcmp(method, "shutdown") != 0)
      index_course(s);
    struct lsp_err e = {0};
    json_t *result = requests[i].fn(s, params, &e);
    if (result)
      lsp_reply(s, id, result, 0, NULL);
    else
      lsp_reply(s, id, NULL, e.code ? e.code : LSP_INTERNAL_ERROR,
                e.code ? e.msg : "internal error");
    return;
  }
  char msg[300];
  snprintf(msg, sizeof(msg), "unknown method %.200s", method);
  lsp_reply(s, id, NULL, LSP_METHOD_NOT_FOUND, msg);
}

static void handle_notification(struct lsp *s, const char *method,
                                json_t *params) {
  if (strcmp(method, "exit") != 0 &&
      (!s->initialized || (s->shutdown && strcmp(method, "exit") != 0)))
    return; /* before initialize or after shutdown: dropped */
  for (size_t i = 0; i < sizeof(notifications) / sizeof(notifications[0]); i++)
    if (!strcmp(notifications[i].method, method)) {
      notifications[i].fn(s, params);
      return;
    }
  /* Unknown notifications ($/setTrace, ...) are ignored, as the spec
   * asks. */
}

static void handle(struct lsp *s, json_t *m) {
  json_t *id = json_object_get(m, "id");
  json_t *method = json_object_get(m, "method");
  json_t *params = json_object_get(m, "params");
  if (!json_is_object(m)) {
    lsp_reply(s, NULL, NULL, LSP_INVALID_REQUEST,
              "a message must be a JSON object");
    return;
  }
  if (id && !json_is_integer(id) && !json_is_string(id)) {
    lsp_reply(s, NULL, NULL, LSP_INVALID_REQUEST,
              "id must be an integer or a string");
    return;
  }
  if (!method) {
    /* A response to one of our requests (registerCapability): nothing
     * to do with it. A message with neither is not valid. */
    if (!id || (!json_object_get(m, "result") && !json_object_get(m, "error")))
      lsp_reply(s, id, NULL, LSP_INVALID_REQUEST, "message without method");
    return;
  }
  if (!json_is_string(method)) {
    if (id)
      lsp_reply(s, id, NULL, LSP_INVALID_REQUEST, "method must be a string");
    return;
  }
  if (id)
    handle_request(s, json_string_value(method), id, params);
  else
    handle_notification(s, json_string_value(method), params);
}

/* $/cancelRequest: a request still waiting in the queue is answered
 * RequestCancelled and never run; one already answered is left alone. */
static void cancel(struct lsp *s, json_t *params) {
  json_t *want = json_object_get(params, "id");
  size_t i;
  json_t *m;
  if (!want)
    return;
  json_array_foreach(s->queue, i, m) {
    json_t *id = json_object_get(m, "id");
    if (id && json_object_get(m, "method") && json_equal(id, want)) {
      lsp_reply(s, id, NULL, LSP_CANCELLED, "request cancelled");
      json_array_remove(s->queue, i);
      return;
    }
  }
}

/* Read one message into the queue (or act on it at once: cancel). false
 * at the end of input. */
static bool read_one(struct lsp *s) {
  json_t *m;
  int code = 0;
  char why[256];
  switch (rpc_read(&s->rpc, &m, &code, why, sizeof(why))) {
  case RPC_EOF:
    return false;
  case RPC_BAD:
    lsp_reply(s, NULL, NULL, code, why);
    return true;
  case RPC_MESSAGE:
    break;
  }
  const char *method = json_string_value(json_object_get(m, "method"));
  if (method && !strcmp(method, "$/cancelRequest") &&
      !json_object_get(m, "id")) {
    cancel(s, json_object_get(m, "params"));
    json_decref(m);
  } else {
    json_array_append_new(s->queue, m);
  }
  return true;
}

static bool work_pending(const struct lsp *s) {
  return json_object_size(s->changed) > 0 || s->all_changed;
}

static int serve(struct lsp *s) {
  for (;;) {
    /* Read what has arrived; wait only when there is nothing to do. */
    while (!s->rpc.eof && json_array_size(s->queue) < 4096 &&
           (rpc_ready(&s->rpc) ||
            (json_array_size(s->queue) == 0 && !work_pending(s))))
      if (!read_one(s))
        break;
    if (s->rpc.broken)
      return s->shutdown ? 0 : 1; /* the client is gone */
    if (json_array_size(s->queue) > 0) {
      json_t *m = json_incref(json_array_get(s->queue, 0));
      json_array_remove(s->queue, 0);
      handle(s, m);
      json_decref(m);
      if (s->exit_code >= 0)
        return s->exit_code;
    } else if (work_pending(s) && s->initialized && s->course && !s->shutdown) {
      index_course(s);
      diags_publish(s);
    } else if (s->rpc.eof) {
      return s->shutdown ? 0 : 1;
    } else {
      json_object_clear(s->changed);
      s->all_changed = false;
    }
  }
}

static const char usage[] =
    "usage: courselint lsp [--root DIR] [--jobs N]\n"
    "\n"
    "Serve the Language Server Protocol on standard input and output, for\n"
    "editors: diagnostics as you type, go to definition, hover, references,\n"
    "rename, completion and symbols along the course's links and prose\n"
    "references. The course root is DIR, else the one holding the folder\n"
    "the editor opened (its nearest parent with .courselint.yml or .git).\n";

int lsp_main(int argc, char **argv) {
  struct lsp s = {.exit_code = -1, .next_id = 1};
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--root") && i + 1 < argc) {
      s.root_arg = argv[++i];
    } else if (!strncmp(a, "--root=", 7)) {
      s.root_arg = a + 7;
    } else if ((!strcmp(a, "--jobs") || !strcmp(a, "-j")) && i + 1 < argc) {
      s.jobs = (unsigned)atoi(argv[++i]);
    } else if (!strcmp(a, "--stdio")) {
      /* What generic clients pass: stdio is the only transport. */
    } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      fputs(usage, stdout);
      return 0;
    } else {
      fprintf(stderr, "courselint lsp: unknown option '%s'\n%s", a, usage);
      return 2;
    }
  }
  /* A client that goes away makes write fail with EPIPE, not kill us. */
  signal(SIGPIPE, SIG_IGN);
  rpc_init(&s.rpc, STDIN_FILENO, STDOUT_FILENO);
  s.queue = json_array();
  s.published = json_object();
  s.changed = json_object();
  int code = s.queue && s.published && s.changed ? serve(&s) : 3;
  for (size_t i = 0; i < s.ndocs; i++)
    doc_free(s.docs[i]);
  free(s.docs);
  clint_course_free(s.course);
  clint_linter_free(s.linter);
  free(s.root);
  json_decref(s.queue);
  json_decref(s.published);
  json_decref(s.changed);
  json_decref(s.pages);
  rpc_free(&s.rpc);
  return code;
}
