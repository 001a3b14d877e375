/* lsp.h - the editor server, `courselint lsp`: a Language Server Protocol
 * server over stdio, written against include/courselint.h alone (like
 * src/cli/main.c) and jansson for JSON. Its files: rpc.c (message
 * framing), text.c (documents, positions, URIs), server.c (lifecycle,
 * text sync, the main loop), diags.c (diagnostics and code actions),
 * navigate.c (definition, hover, references, rename), complete.c
 * (completion, symbols). */
#ifndef CLINT_LSP_H
#define CLINT_LSP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "courselint.h"

/* ---- rpc.c: JSON-RPC over a byte stream --------------------------------- */

/* A message body larger than this is refused (and skipped): a page may
 * be up to 64 MiB, and escaping in JSON can make it larger. */
#define LSP_MAX_MESSAGE ((size_t)160 << 20)
/* The header block of one message: a few short lines. */
#define LSP_MAX_HEADER ((size_t)8192)

struct rpc {
  int in, out;
  char *buf; /* unread input is buf[off, len) */
  size_t off, len, cap;
  size_t skip; /* bytes of a refused message still to drop */
  bool eof;
  bool broken; /* writing failed: the client is gone */
};

enum rpc_result {
  RPC_MESSAGE, /* *msg is a parsed JSON value (the caller owns it) */
  RPC_BAD,     /* a framing or JSON error: why says which, and code */
  RPC_EOF,     /* the input ended */
};

void rpc_init(struct rpc *r, int in, int out);
void rpc_free(struct rpc *r);

/* Read the next message. On RPC_BAD, code is the JSON-RPC error code to
 * answer with (id null) and why the message; reading can go on. */
enum rpc_result rpc_read(struct rpc *r, json_t **msg, int *code, char *why,
                         size_t cap);

/* Whether a message can be read without waiting: input is buffered, or
 * the stream has bytes (or its end) ready. */
bool rpc_ready(struct rpc *r);

/* Send msg with its header. false once the client is gone. */
bool rpc_write(struct rpc *r, const json_t *msg);

/* ---- text.c: documents and positions ------------------------------------ */

/* A page's text with its line table. Lines end at "\n", "\r\n" or "\r",
 * as both LSP and courselint count them. */
struct text {
  char *s; /* owned, NUL-terminated */
  size_t len;
  size_t *lines; /* offset of each line's first byte */
  size_t nlines;
  /* Bytes of a UTF-8 byte order mark at the start: courselint counts
   * columns of line 1 after it; the client does too when skip is set
   * (a file read from disk: editors drop the mark when they open it). */
  size_t bom;
  bool skip;
};

/* Take len bytes at s (copied). false on no memory. */
bool text_set(struct text *t, const char *s, size_t len, bool skip_bom);
void text_free(struct text *t);

/* Replace bytes [from, to) with the n bytes at s. false on no memory (the
 * text is then unchanged). */
bool text_replace(struct text *t, size_t from, size_t to, const char *s,
                  size_t n);

/* An LSP position (0-based line; character in UTF-8 bytes or UTF-16
 * units) as a byte offset, clamped to the line and the text. A character
 * inside a UTF-8 sequence or a surrogate pair moves to the sequence's
 * start. */
size_t text_offset(const struct text *t, unsigned line, unsigned character,
                   bool utf8);

/* A byte offset as an LSP position. */
void text_position(const struct text *t, size_t off, bool utf8, unsigned *line,
                   unsigned *character);

/* A courselint position (1-based line, 1-based column in characters) as
 * a byte offset, clamped. */
size_t text_lib_offset(const struct text *t, unsigned line, unsigned column);

/* The byte offset past the character at a courselint position (the end
 * of an inclusive range). */
size_t text_lib_end(const struct text *t, unsigned line, unsigned column);

/* The 1-based line holding byte offset off, and the bytes of line n
 * (1-based) without its ending. */
unsigned text_line_of(const struct text *t, size_t off);
const char *text_line(const struct text *t, unsigned n, size_t *len);

/* Where the destination of the link that the bytes [from, to) of s hold
 * lies: [*ds, *de), after the last "](" or inside href="..." or
 * src="...". false for a reference link ([text][label]), whose
 * destination is elsewhere. */
bool lsp_link_dest(const char *s, size_t from, size_t to, size_t *ds,
                   size_t *de);

/* The absolute path a file: URI names (percent-decoded, malloc'd), or
 * NULL when uri is not a local file URI or decodes to something unsafe
 * (a NUL byte, a relative path). */
char *uri_to_path(const char *uri);

/* A file: URI for an absolute path (malloc'd), or NULL on no memory. */
char *path_to_uri(const char *path);

/* ---- server.c: the server's state ---------------------------------------- */

struct doc {
  char *uri;  /* as the client names it */
  char *path; /* root-relative, or NULL: outside the course, ignored */
  struct text text;
  json_int_t version;
  bool dirty; /* changed since the course was last given its text */
};

struct lsp;

/* An error to answer a request with. */
struct lsp_err {
  int code;
  char msg[256];
};

/* A request's handler: the result (the caller owns it; json_null() for
 * none), or NULL with e filled. */
typedef json_t *(*lsp_request_fn)(struct lsp *s, json_t *params,
                                  struct lsp_err *e);

struct lsp {
  struct rpc rpc;
  bool utf8; /* positions in UTF-8 bytes (else UTF-16 units) */
  bool initialized, shutdown;
  const char *root_arg; /* --root, or NULL */
  unsigned jobs;
  char *root; /* absolute course root */
  clint_linter *linter;
  clint_course *course;
  bool indexed; /* the first full run is done */
  struct doc **docs;
  size_t ndocs, capdocs;
  json_t *queue;     /* messages read, not handled yet */
  json_t *published; /* root-relative path -> digest of what was sent */
  json_t *changed;   /* root-relative path -> true: changed since publish */
  bool all_changed;  /* listings or rules changed: recheck what is shown */
  bool hierarchical; /* the client takes DocumentSymbol trees */
  bool watch_dynamic;
  json_int_t next_id; /* of requests to the client */
  json_t *pages;      /* root-relative page path -> true, or NULL: stale */
  int exit_code;      /* >= 0 once exit was asked for */
};

/* A JSON string of s, with bytes that are not UTF-8 replaced by U+FFFD
 * (jansson takes only UTF-8). Never NULL but on no memory. */
json_t *lsp_str(const char *s);

/* Fill e and return NULL. */
json_t *lsp_fail(struct lsp_err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Answer a request: result (stolen; NULL for an error with code and
 * message). */
void lsp_reply(struct lsp *s, json_t *id, json_t *result, int code,
               const char *message);

/* Send a notification (params stolen). */
void lsp_notify(struct lsp *s, const char *method, json_t *params);

/* The open document with this URI, or NULL. */
struct doc *lsp_doc(struct lsp *s, const char *uri);

/* The open document of a root-relative path, or NULL. */
struct doc *lsp_doc_of_path(struct lsp *s, const char *path);

/* Give the course the text of every document changed since it was last
 * given (before a query or a run). */
void lsp_flush(struct lsp *s);

/* The URI of a root-relative path: the client's own when it has the page
 * open. malloc'd; NULL on no memory. */
char *lsp_uri_of(struct lsp *s, const char *path);

/* The text of a page as the course reads it: the open document's, else
 * the file's (through the library, so never outside the root). Returns
 * the document's text, or fills own (free with text_free) and returns it;
 * NULL when there is none. */
const struct text *lsp_text_of(struct lsp *s, const char *path,
                               struct text *own);

/* The set of the course's pages (root-relative path -> true), built on
 * first use after a change. Borrowed; NULL on failure. */
json_t *lsp_pages(struct lsp *s);

/* An LSP range (JSON) of the courselint positions [line:col, end_line:
 * end_col] (end inclusive; 0 for a point) in t. */
json_t *lsp_lib_range(const struct lsp *s, const struct text *t, unsigned line,
                      unsigned col, unsigned end_line, unsigned end_col);

/* An LSP range of the bytes [from, to) of t. */
json_t *lsp_byte_range(const struct lsp *s, const struct text *t, size_t from,
                       size_t to);

/* The document of a textDocument/... request's params, and the byte
 * offset of its position when offset is not NULL. NULL when the params
 * are malformed (e filled: InvalidParams) or the document is not an open
 * page of the course (e->code 0: the answer is null). */
struct doc *lsp_doc_at(struct lsp *s, json_t *params, struct lsp_err *e,
                       size_t *offset);

/* A position of an LSP request (JSON {line, character}) as a byte offset
 * of t; false when pos is malformed. */
bool lsp_offset_of(const struct lsp *s, const struct text *t, json_t *pos,
                   size_t *offset);

/* A heading of a page, copied out of the course. */
struct lsp_heading {
  unsigned level, line, column, end_line;
  char *text, *anchor, *number;
};

struct lsp_headings {
  struct lsp_heading *v;
  size_t n, cap;
};

/* The headings of page path (root-relative) in page order; false when
 * there is no readable page there. Free with lsp_headings_free. */
bool lsp_headings(struct lsp *s, const char *path, struct lsp_headings *out);
void lsp_headings_free(struct lsp_headings *h);

/* ---- diags.c ---------------------------------------------------------- */

/* Check what changed and publish the diagnostics that differ from what
 * the client was last sent. */
void diags_publish(struct lsp *s);

json_t *diags_code_actions(struct lsp *s, json_t *params, struct lsp_err *e);

/* ---- navigate.c --------------------------------------------------------- */

json_t *nav_definition(struct lsp *s, json_t *params, struct lsp_err *e);
json_t *nav_hover(struct lsp *s, json_t *params, struct lsp_err *e);
json_t *nav_references(struct lsp *s, json_t *params, struct lsp_err *e);
json_t *nav_prepare_rename(struct lsp *s, json_t *params, struct lsp_err *e);
json_t *nav_rename(struct lsp *s, json_t *params, struct lsp_err *e);

/* ---- complete.c --------------------------------------------------------- */

json_t *comp_completion(struct lsp *s, json_t *params, struct lsp_err *e);
json_t *comp_document_symbols(struct lsp *s, json_t *params, struct lsp_err *e);
json_t *comp_workspace_symbols(struct lsp *s, json_t *params,
                               struct lsp_err *e);

/* JSON-RPC and LSP error codes. */
enum {
  LSP_PARSE_ERROR = -32700,
  LSP_INVALID_REQUEST = -32600,
  LSP_METHOD_NOT_FOUND = -32601,
  LSP_INVALID_PARAMS = -32602,
  LSP_INTERNAL_ERROR = -32603,
  LSP_NOT_INITIALIZED = -32002,
  LSP_REQUEST_FAILED = -32803,
  LSP_CANCELLED = -32800,
};

/* The server: `courselint lsp [--root DIR] [--jobs N]`. Returns the
 * process's exit status. */
int lsp_main(int argc, char **argv);

#endif
