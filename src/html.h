/* html.h - links and ids in raw HTML. A small scanner reads the start
 * tags of an HTML block or an inline HTML node and their attributes;
 * comments, declarations, end tags and the content of script, style,
 * textarea and title are stepped over. Part of the parse stage: parse.c
 * hands it each HTML node of a page. */
#ifndef CLINT_HTML_H
#define CLINT_HTML_H

#include <stdbool.h>
#include <stddef.h>

#include "parse.h"
#include "util/arena.h"
#include "util/buf.h"

/* One attribute of a start tag: pointers into the scanned text. value is
 * NULL for an attribute without one (<video controls>); otherwise it is
 * the value as written, without its quotes and undecoded. */
struct html_attr {
  const char *tag;
  size_t taglen;
  const char *name;
  size_t namelen;
  const char *value;
  size_t valuelen;
};

/* Call fn on each attribute of each start tag of s[0, len), in order,
 * until it returns false. Returns false when fn did. */
typedef bool (*html_attr_fn)(void *ctx, const struct html_attr *a);
bool html_scan(const char *s, size_t len, html_attr_fn fn, void *ctx);

/* Whether tag[0, taglen) and attribute name[0, namelen) hold a link:
 * href of <a>, src of <img>, <source>, <video>, <audio>, srcset of
 * <img> and <source>, poster of <video>. Sets *image for an image
 * (src and srcset of <img> and <source>, poster). Letter case is
 * ignored. */
bool html_is_link(const char *tag, size_t taglen, const char *name,
                  size_t namelen, bool *image);

/* Decode the character references of an attribute value (&amp;, &lt;,
 * &gt;, &quot;, &apos;, &#NN;, &#xHH;) into out (room for len + 1
 * bytes; a reference never grows). Returns the decoded length; others
 * are kept as written. */
size_t html_decode(const char *s, size_t len, char *out);

/* The HTML node lit (NUL-terminated, as libcmark gives it) of doc, whose
 * first byte is at page-text offset off on line `line`: append its links
 * (struct link, when links is not NULL) and its id and name attributes
 * (struct html_id) to the vectors. A link's position is its value's; a
 * destination is kept in keep, or in scratch when it is external
 * (path_is_external), like a Markdown link's. Returns false on no
 * memory. */
bool html_collect(const struct doc *doc, const char *lit, unsigned line,
                  size_t off, struct arena *keep, struct arena *scratch,
                  struct vec *links, struct vec *ids);

#endif
