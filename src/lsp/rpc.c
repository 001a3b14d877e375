/* rpc.c - the base protocol of LSP: messages framed by a header block
 * ("Content-Length: N", optional "Content-Type", a blank line) and a JSON
 * body of N bytes. A bad header, a body that is not JSON or one over
 * LSP_MAX_MESSAGE is answered with an error and skipped; nothing the
 * client sends can make the server read without end into memory. */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "lsp.h"
#include "util/io.h"

void rpc_init(struct rpc *r, int in, int out) {
  memset(r, 0, sizeof(*r));
  r->in = in;
  r->out = out;
}

void rpc_free(struct rpc *r) {
  free(r->buf);
  r->buf = NULL;
}

/* Read more input into the buffer (blocking). false at the end of input
 * or on an error, after which eof is set. */
static bool fill(struct rpc *r) {
  if (r->eof)
    return false;
  if (r->off > 0 && r->off == r->len)
    r->off = r->len = 0;
  if (r->cap - r->len < 65536) {
    if (r->off > 0) { /* move what is unread to the front first */
      memmove(r->buf, r->buf + r->off, r->len - r->off);
      r->len -= r->off;
      r->off = 0;
    }
    if (r->cap - r->len < 65536) {
      size_t cap = r->cap ? r->cap * 2 : 131072;
      char *grown = realloc(r->buf, cap);
      if (!grown) {
        r->eof = true;
        return false;
      }
      r->buf = grown;
      r->cap = cap;
    }
  }
  ssize_t n;
  do
    n = read(r->in, r->buf + r->len, r->cap - r->len);
  while (n < 0 && errno == EINTR);
  if (n <= 0) {
    r->eof = true;
    return false;
  }
  r->len += (size_t)n;
  return true;
}

bool rpc_ready(struct rpc *r) {
  if (r->len > r->off || r->eof)
    return true;
  struct pollfd p = {.fd = r->in, .events = POLLIN};
  return poll(&p, 1, 0) > 0;
}

/* The end of the header block in the buffer (just past its blank line),
 * or 0 when it has not arrived yet. Lines end with CRLF; a bare LF is
 * accepted too. */
static size_t header_end(const struct rpc *r) {
  const char *b = r->buf + r->off;
  size_t n = r->len - r->off;
  for (size_t i = 0; i < n; i++) {
    if (b[i] != '\n')
      continue;
    if (i + 1 < n && b[i + 1] == '\n')
      return i + 2;
    if (i + 2 < n && b[i + 1] == '\r' && b[i + 2] == '\n')
      return i + 3;
  }
  return 0;
}

/* Parse the header block b[0, n): the body's length, or false with why
 * filled. */
static bool parse_header(const char *b, size_t n, size_t *length, char *why,
                         size_t cap) {
  bool have = false;
  size_t i = 0;
  while (i < n) {
    size_t e = i;
    while (e < n && b[e] != '\n')
      e++;
    size_t le = e > i && b[e - 1] == '\r' ? e - 1 : e;
    if (le > i) {
      const char *line = b + i;
      size_t len = le - i;
      const char *colon = memchr(line, ':', len);
      if (!colon) {
        snprintf(why, cap, "bad header line: no ':'");
        return false;
      }
      size_t nl = (size_t)(colon - line);
      if (nl == 14 && !strncasecmp(line, "Content-Length", 14)) {
        const char *v = colon + 1, *end = line + len;
        while (v < end && (*v == ' ' || *v == '\t'))
          v++;
        size_t x = 0;
        const char *d = v;
        for (; d < end && *d >= '0' && *d <= '9'; d++) {
          if (x > (SIZE_MAX - 9) / 10) {
            snprintf(why, cap, "Content-Length is too large");
            return false;
          }
          x = x * 10 + (size_t)(*d - '0');
        }
        while (d < end && (*d == ' ' || *d == '\t'))
          d++;
        if (d == v || d != end) {
          snprintf(why, cap, "Content-Length is not a number");
          return false;
        }
        *length = x;
        have = true;
      }
      /* Content-Type and unknown headers are ignored, as the spec
       * allows: the body is UTF-8 JSON either way. */
    }
    i = e + 1;
  }
  if (!have) {
    snprintf(why, cap, "message without Content-Length");
    return false;
  }
  return true;
}

/* Drop n bytes of input, reading as they come. */
static void skip(struct rpc *r, size_t n) {
  while (n > 0) {
    size_t have = r->len - r->off;
    if (have == 0) {
      if (!fill(r))
        return;
      continue;
    }
    size_t k = have < n ? have : n;
    r->off += k;
    n -= k;
  }
}

enum rpc_result rpc_read(struct rpc *r, json_t **msg, int *code, char *why,
                         size_t cap) {
  *msg = NULL;
  size_t he;
  if (r->skip) {
    size_t n = r->skip;
    r->skip = 0;
    skip(r, n);
  }
  /* Leading blank lines between messages are harmless: skip them. */
  for (;;) {
    while (r->off < r->len &&
           (r->buf[r->off] == '\r' || r->buf[r->off] == '\n'))
      r->off++;
    if ((he = header_end(r)) != 0)
      break;
    if (r->len - r->off > LSP_MAX_HEADER) {
      /* No blank line in sight: drop this much and look again. */
      r->off = r->len;
      *code = LSP_PARSE_ERROR;
      snprintf(why, cap, "header block over %zu bytes", LSP_MAX_HEADER);
      return RPC_BAD;
    }
    if (!fill(r))
      return RPC_EOF;
  }
  size_t length = 0;
  bool ok = parse_header(r->buf + r->off, he, &length, why, cap);
  r->off += he;
  if (!ok) {
    *code = LSP_PARSE_ERROR;
    return RPC_BAD;
  }
  if (length > LSP_MAX_MESSAGE) {
    *code = LSP_INVALID_REQUEST;
    snprintf(why, cap, "message of %zu bytes is over the limit of %zu bytes",
             length, LSP_MAX_MESSAGE);
    r->skip = length; /* after the error is sent, not before */
    return RPC_BAD;
  }
  while (r->len - r->off < length)
    if (!fill(r))
      return RPC_EOF; /* cut short: the client is gone */
  json_error_t err;
  /* Bodies nest at most JSON_PARSER_MAX_DEPTH deep in jansson. */
  *msg = json_loadb(r->buf + r->off, length, 0, &err);
  r->off += length;
  if (!*msg) {
    *code = LSP_PARSE_ERROR;
    snprintf(why, cap, "bad JSON at byte %d: %s", err.position, err.text);
    return RPC_BAD;
  }
  return RPC_MESSAGE;
}

bool rpc_write(struct rpc *r, const json_t *msg) {
  if (r->broken)
    return false;
  char *body = json_dumps(msg, JSON_COMPACT | JSON_ENSURE_ASCII);
  if (!body)
    return false;
  size_t n = strlen(body);
  char head[64];
  int hn = snprintf(head, sizeof(head), "Content-Length: %zu\r\n\r\n", n);
  bool ok =
      io_write_all(r->out, head, (size_t)hn) && io_write_all(r->out, body, n);
  free(body);
  if (!ok)
    r->broken = true;
  return ok;
}
