/* html.c - links and ids in raw HTML (see html.h). A scanner of our own
 * rather than an HTML library: the text is a Markdown page's HTML blocks
 * and inline tags, not whole documents, and all we need of it is the
 * attributes of start tags, with their offsets so that a finding lands on
 * the attribute's value. Comments, declarations and the content of raw
 * text elements (script, style, textarea, title) hold no tags. */
#include "html.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "util/path.h"
#include "util/utf8.h"

static bool space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static bool same(const char *s, size_t n, const char *word) {
  return strlen(word) == n && strncasecmp(s, word, n) == 0;
}

/* The offset of the end tag "</tag" in s[from, len), the tag's letter
 * case ignored, or len. */
static size_t end_tag(const char *s, size_t len, size_t from, const char *tag,
                      size_t taglen) {
  for (size_t i = from; i + taglen + 2 <= len; i++) {
    const char *lt = memchr(s + i, '<', len - i);
    if (!lt)
      break;
    i = (size_t)(lt - s);
    if (i + taglen + 2 <= len && s[i + 1] == '/' &&
        strncasecmp(s + i + 2, tag, taglen) == 0)
      return i;
  }
  return len;
}

/* The offset just past the first needle in s[from, len), or len. */
static size_t past(const char *s, size_t len, size_t from, const char *needle) {
  size_t nlen = strlen(needle);
  for (size_t i = from; i + nlen <= len; i++) {
    const char *hit = memchr(s + i, needle[0], len - i - nlen + 1);
    if (!hit)
      return len;
    i = (size_t)(hit - s);
    if (memcmp(s + i, needle, nlen) == 0)
      return i + nlen;
  }
  return len;
}

/* Elements whose content is text, never tags (HTML's raw text and
 * escapable raw text elements). */
static bool raw_text(const char *tag, size_t n) {
  return same(tag, n, "script") || same(tag, n, "style") ||
         same(tag, n, "textarea") || same(tag, n, "title");
}

/* The attributes of the start tag whose name ends at s[i]: calls fn on
 * each. Returns the offset past the tag's '>' (len when it is not
 * closed), or SIZE_MAX when fn said stop. */
static size_t read_attrs(const char *s, size_t len, size_t i,
                         struct html_attr *a, html_attr_fn fn, void *ctx) {
  for (;;) {
    while (i < len && (space(s[i]) || s[i] == '/'))
      i++;
    if (i >= len)
      return len;
    if (s[i] == '>')
      return i + 1;
    size_t name = i;
    while (i < len && !space(s[i]) && s[i] != '/' && s[i] != '>' &&
           (s[i] != '=' || i == name))
      i++;
    a->name = s + name;
    a->namelen = i - name;
    a->value = NULL;
    a->valuelen = 0;
    size_t j = i;
    while (j < len && space(s[j]))
      j++;
    if (j < len && s[j] == '=') {
      j++;
      while (j < len && space(s[j]))
        j++;
      if (j < len && (s[j] == '"' || s[j] == '\'')) {
        const char *close = memchr(s + j + 1, s[j], len - j - 1);
        size_t end = close ? (size_t)(close - s) : len;
        a->value = s + j + 1;
        a->valuelen = end - j - 1;
        i = end < len ? end + 1 : len;
      } else {
        size_t v = j;
        while (j < len && !space(s[j]) && s[j] != '>')
          j++;
        a->value = s + v;
        a->valuelen = j - v;
        i = j;
      }
    }
    if (!fn(ctx, a))
      return SIZE_MAX;
  }
}

bool html_scan(const char *s, size_t len, html_attr_fn fn, void *ctx) {
  size_t i = 0;
  while (i < len) {
    const char *lt = memchr(s + i, '<', len - i);
    if (!lt)
      break;
    i = (size_t)(lt - s) + 1;
    if (i >= len)
      break;
    char c = s[i];
    if (c == '!') {
      /* A comment, CDATA or a declaration: nothing in it is a tag. */
      if (len - i >= 3 && !memcmp(s + i, "!--", 3))
        i = past(s, len, i + 3, "-->");
      else if (len - i >= 8 && !memcmp(s + i, "![CDATA[", 8))
        i = past(s, len, i + 8, "]]>");
      else
        i = past(s, len, i, ">");
      continue;
    }
    if (c == '?') {
      i = past(s, len, i, "?>");
      continue;
    }
    if (c == '/') {
      i = past(s, len, i, ">");
      continue;
    }
    if (!isalpha((unsigned char)c))
      continue; /* "a <3 b": text */
    struct html_attr a = {.tag = s + i};
    while (i < len && (isalnum((unsigned char)s[i]) || s[i] == '-'))
      i++;
    a.taglen = (size_t)(s + i - a.tag);
    size_t next = read_attrs(s, len, i, &a, fn, ctx);
    if (next == SIZE_MAX)
      return false;
    i = next;
    if (raw_text(a.tag, a.taglen))
      i = end_tag(s, len, i, a.tag, a.taglen);
  }
  return true;
}

struct link_attr {
  const char *tag, *name;
  bool image;
};

static const struct link_attr link_attrs[] = {
    {"a", "href", false},       {"img", "src", true},
    {"img", "srcset", true},    {"source", "src", false},
    {"source", "srcset", true}, {"video", "src", false},
    {"video", "poster", true},  {"audio", "src", false},
};

bool html_is_link(const char *tag, size_t taglen, const char *name,
                  size_t namelen, bool *image) {
  for (size_t k = 0; k < sizeof(link_attrs) / sizeof(link_attrs[0]); k++)
    if (same(tag, taglen, link_attrs[k].tag) &&
        same(name, namelen, link_attrs[k].name)) {
      *image = link_attrs[k].image;
      return true;
    }
  return false;
}

/* A numeric reference at s[0, n) after "&#": its code point and length
 * up to and including ';', or 0 when there is none to decode. None
 * grows when decoded: "&#128;" is the shortest to take two bytes of
 * UTF-8, "&#2048;" three, "&#x10000;" four. */
static size_t numeric_ref(const char *s, size_t n, unsigned long *cp) {
  bool hex = n > 0 && (s[0] == 'x' || s[0] == 'X');
  size_t i = hex, digits = 0;
  unsigned long v = 0;
  for (; i < n && digits < 8 &&
         (hex ? isxdigit((unsigned char)s[i]) : isdigit((unsigned char)s[i]));
       i++, digits++)
    v = v * (hex ? 16 : 10) +
        (unsigned long)(isdigit((unsigned char)s[i])
                            ? s[i] - '0'
                            : (tolower((unsigned char)s[i]) - 'a' + 10));
  if (!digits || i >= n || s[i] != ';' || v == 0 || v > 0x10FFFF ||
      (v >= 0xD800 && v <= 0xDFFF))
    return 0;
  *cp = v;
  return i + 1;
}

size_t html_decode(const char *s, size_t len, char *out) {
  static const struct {
    const char *name;
    char c;
  } named[] = {{"amp;", '&'},
               {"lt;", '<'},
               {"gt;", '>'},
               {"quot;", '"'},
               {"apos;", '\''}};
  size_t o = 0;
  for (size_t i = 0; i < len; i++) {
    if (s[i] == '&' && i + 1 < len) {
      unsigned long cp;
      size_t n = s[i + 1] == '#' ? numeric_ref(s + i + 2, len - i - 2, &cp) : 0;
      if (n) {
        o += utf8_encode((uint32_t)cp, out + o);
        i += n + 1;
        continue;
      }
      size_t k = 0;
      for (; k < sizeof(named) / sizeof(named[0]); k++) {
        size_t nl = strlen(named[k].name);
        if (len - i - 1 >= nl && !memcmp(s + i + 1, named[k].name, nl))
          break;
      }
      if (k < sizeof(named) / sizeof(named[0])) {
        out[o++] = named[k].c;
        i += strlen(named[k].name);
        continue;
      }
    }
    out[o++] = s[i];
  }
  out[o] = '\0';
  return o;
}

/* ---- one HTML node of a page ------------------------------------------- */

/* Where the bytes of a node's literal lie in the page. libcmark strips
 * the container prefixes (block quote markers, list indentation) from
 * the lines of an HTML block and the leading spaces of a paragraph's
 * continuation lines, so each literal line after the first is the end of
 * its source line; the first starts at the node. Offsets are asked in
 * increasing order. */
struct litmap {
  const struct source *src;
  const char *lit;
  size_t litlen;
  unsigned line; /* source line of the current literal line */
  size_t at;     /* literal offset where the current line starts */
  size_t seen;   /* literal offset up to which '\n' were counted */
  size_t base;   /* page offset of lit[at] */
  bool exact;    /* base is known, not guessed */
};

/* Where s[0, n) holds t[0, m) first, or n. */
static size_t find(const char *s, size_t n, const char *t, size_t m) {
  if (m == 0)
    return 0;
  for (size_t i = 0; i + m <= n; i++) {
    const char *hit = memchr(s + i, t[0], n - m - i + 1);
    if (!hit)
      break;
    i = (size_t)(hit - s);
    if (!memcmp(s + i, t, m))
      return i;
  }
  return n;
}

/* The page offset that literal line lit[0, n) would start at in source
 * line `line`, so that its bytes are placed exactly (*exact) when they
 * stand there. A line of an HTML block, or a middle line of inline HTML,
 * is the end of its source line; libcmark may have made spaces of a tab
 * before it; the last line of inline HTML ends before its source line
 * does. Otherwise the line's start, and *exact is false. */
static size_t line_base(const struct source *src, unsigned line,
                        const char *lit, size_t n, bool *exact) {
  size_t len;
  const char *s = scan_line(src, line, &len);
  size_t start = (size_t)(s - src->text);
  size_t lead = 0;
  while (lead < n && (lit[lead] == ' ' || lit[lead] == '\t'))
    lead++;
  *exact = true;
  if (n <= len && !memcmp(s + len - n, lit, n))
    return start + len - n;
  size_t rest = n - lead, at = len - rest;
  if (rest > len || memcmp(s + at, lit + lead, rest) != 0)
    at = find(s, len, lit + lead, rest);
  if (at < len && start + at >= lead)
    return start + at - lead;
  *exact = false;
  return start;
}

/* The length of the literal line starting at lit[at], without its line
 * ending. */
static size_t line_len(const struct litmap *m, size_t at) {
  const char *nl = memchr(m->lit + at, '\n', m->litlen - at);
  size_t end = nl ? (size_t)(nl - m->lit) : m->litlen;
  if (end > at && m->lit[end - 1] == '\r')
    end--;
  return end - at;
}

static void next_line(struct litmap *m, size_t at) {
  m->at = at;
  m->line++;
  m->base = line_base(m->src, m->line, m->lit + at, line_len(m, at), &m->exact);
}

/* The page offset of literal offset k, and whether it is exact. */
static size_t lit_offset(struct litmap *m, size_t k, bool *exact) {
  if (k > m->litlen)
    k = m->litlen;
  if (k < m->at)
    k = m->at;
  size_t from = m->seen > m->at ? m->seen : m->at;
  const char *nl;
  while (from < k && (nl = memchr(m->lit + from, '\n', k - from)) != NULL) {
    from = (size_t)(nl - m->lit) + 1;
    next_line(m, from);
  }
  m->seen = k > m->seen ? k : m->seen;
  *exact = m->exact;
  size_t off = m->base + (k - m->at);
  return off > m->src->len ? m->src->len : off;
}

struct collect {
  const struct doc *doc;
  struct litmap map;
  struct arena *keep, *scratch;
  struct vec *links, *ids;
  bool nomem;
};

/* Add one link, dest = v[0, n) at literal offset k. */
static bool add_link(struct collect *c, const char *v, size_t n, size_t k,
                     bool image) {
  while (n && space(*v))
    v++, n--, k++;
  while (n && space(v[n - 1]))
    n--;
  if (!n)
    return true; /* src="": nothing to reach */
  char *dest = arena_alloc(c->scratch, n + 1);
  if (!dest)
    return false;
  size_t dl = html_decode(v, n, dest);
  bool external = path_is_external(dest);
  if (!external) {
    dest = arena_strndup(c->keep, dest, dl);
    if (!dest)
      return false;
  }
  struct link *l = vec_push(c->links);
  if (!l)
    return false;
  memset(l, 0, sizeof(*l));
  bool exact, exact_end;
  size_t off = lit_offset(&c->map, k, &exact);
  l->dest = dest;
  l->external = external;
  l->image = image;
  l->pos = parse_pos(c->doc, off);
  l->end = parse_pos(c->doc, lit_offset(&c->map, k + n, &exact_end));
  /* A fix may rewrite the destination only where the page holds it as
   * decoded: not across a line whose ending or container prefix the
   * literal lacks, nor with a character reference in it. */
  const struct source *src = c->map.src;
  l->dest_off = exact && dl == n && off <= src->len && n <= src->len - off &&
                        !memcmp(src->text + off, dest, n)
                    ? off
                    : (size_t)-1;
  return true;
}

/* srcset="a.png 1x, b.png 2x": each candidate's URL, up to white space
 * (trailing commas are not part of it), then descriptors up to a comma. */
static bool add_srcset(struct collect *c, const char *v, size_t n, size_t k) {
  size_t i = 0;
  while (i < n) {
    while (i < n && (space(v[i]) || v[i] == ','))
      i++;
    size_t u = i;
    while (i < n && !space(v[i]))
      i++;
    size_t e = i;
    while (e > u && v[e - 1] == ',')
      e--;
    if (e > u && !add_link(c, v + u, e - u, k + u, true))
      return false;
    /* Descriptors ("2x", "640w") follow unless a comma ended the URL. */
    if (e == i)
      while (i < n && v[i] != ',')
        i++;
  }
  return true;
}

static bool on_attr(void *ctx, const struct html_attr *a) {
  struct collect *c = ctx;
  if (!a->value)
    return true;
  size_t k = (size_t)(a->value - c->map.lit);
  bool image;
  if (c->links && html_is_link(a->tag, a->taglen, a->name, a->namelen, &image))
    c->nomem = same(a->name, a->namelen, "srcset")
                   ? !add_srcset(c, a->value, a->valuelen, k)
                   : !add_link(c, a->value, a->valuelen, k, image);
  else if (same(a->name, a->namelen, "id") ||
           same(a->name, a->namelen, "name")) {
    char *id = arena_alloc(c->keep, a->valuelen + 1);
    struct html_id *h = id ? vec_push(c->ids) : NULL;
    if (!h)
      return !(c->nomem = true);
    html_decode(a->value, a->valuelen, id);
    bool exact;
    h->id = id;
    h->pos = parse_pos(c->doc, lit_offset(&c->map, k, &exact));
  }
  return !c->nomem;
}

bool html_collect(const struct doc *doc, const char *lit, unsigned line,
                  size_t off, struct arena *keep, struct arena *scratch,
                  struct vec *links, struct vec *ids) {
  struct collect c = {
      .doc = doc, .keep = keep, .scratch = scratch, .links = links, .ids = ids};
  size_t len = strlen(lit);
  c.map = (struct litmap){
      .src = doc->src, .lit = lit, .litlen = len, .line = line, .base = off};
  /* The first line starts at the node, unless libcmark turned a tab
   * before it into spaces. */
  size_t first = line_len(&c.map, 0);
  c.map.exact =
      off + first <= doc->src->len && !memcmp(doc->src->text + off, lit, first);
  if (!c.map.exact) {
    size_t base = line_base(doc->src, line, lit, first, &c.map.exact);
    c.map.base = c.map.exact ? base : off;
  }
  html_scan(lit, len, on_attr, &c);
  return !c.nomem;
}
