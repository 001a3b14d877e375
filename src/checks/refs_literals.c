/* refs_literals.c - the words a reference pattern needs, derived from the
 * pattern when the rule files are loaded: a set of words of which every
 * block the pattern matches in holds one, ASCII case ignored, so that the
 * word search (refs_util.c) can skip the other blocks. Conservative: any
 * syntax not understood here gives no words, and the pattern then runs
 * on every block. */
#include <string.h>

#include "refs.h"

#define LIT_MAX REFS_MAX_LITERALS    /* words in a set */
#define LIT_LEN 32                   /* bytes in a word */
#define LIT_BUDGET ((size_t)1 << 20) /* scratch bytes for one pattern */
#define LIT_DEPTH 32                 /* groups nested deeper give no words */
#define LIT_SETS REFS_MAX_WORDSETS

/* A set of texts. known: the set is listed; otherwise it is "any text"
 * (for an exact set: too many to list; for a need: nothing known). */
struct lits {
  bool known;
  size_t n;
  const char *w[LIT_MAX];
};

/* What a part of a pattern matches: exact, every text it can match (when
 * they can be listed); need, words of which every such text holds one. */
struct piece {
  struct lits exact, need;
};

struct lp {
  const char *p, *end;
  struct arena *a; /* scratch */
  size_t spent;    /* bytes taken from a */
  unsigned depth;
  bool caseless; /* (?i) is on here */
  bool fail;     /* syntax not understood: no words at all */
  /* The sets of words the pattern's top-level sequence needs, best
   * first: each alone filters; the caller picks one. */
  struct lits sets[LIT_SETS];
  size_t nsets;
};

static const struct lits any = {false, 0, {NULL}};
static const struct lits empty_text = {true, 1, {""}};

static struct piece unknown_piece(void) { return (struct piece){any, any}; }

static struct piece empty_piece(void) {
  return (struct piece){empty_text, any};
}

static char *scratch(struct lp *lp, size_t n) {
  lp->spent += n;
  char *s = lp->spent <= LIT_BUDGET ? arena_alloc(lp->a, n) : NULL;
  if (!s)
    lp->fail = true;
  return s;
}

/* Add word w (len bytes) unless there; a set that overflows, in words or
 * in a word's length, becomes "any text" (a word cut short would claim
 * texts that are not there). */
static void add(struct lp *lp, struct lits *s, const char *w, size_t len) {
  if (!s->known)
    return;
  if (len > LIT_LEN) {
    *s = any;
    return;
  }
  for (size_t i = 0; i < s->n; i++)
    if (strlen(s->w[i]) == len && !memcmp(s->w[i], w, len))
      return;
  if (s->n == LIT_MAX) {
    *s = any;
    return;
  }
  char *c = scratch(lp, len + 1);
  if (!c)
    return;
  memcpy(c, w, len);
  c[len] = '\0';
  s->w[s->n++] = c;
}

static struct lits unite(struct lp *lp, const struct lits *a,
                         const struct lits *b) {
  if (!a->known || !b->known)
    return any;
  struct lits u = *a;
  for (size_t i = 0; i < b->n && u.known; i++)
    add(lp, &u, b->w[i], strlen(b->w[i]));
  return u;
}

/* How well a set of needed words filters: 0 when it does not (unknown,
 * empty, or a word too short for the word search), otherwise more for
 * longer shortest words, then for fewer words. */
static size_t quality(const struct lits *s) {
  if (!s->known || s->n == 0)
    return 0;
  size_t shortest = LIT_LEN;
  for (size_t i = 0; i < s->n; i++)
    if (strlen(s->w[i]) < shortest)
      shortest = strlen(s->w[i]);
  return shortest < 2 ? 0 : shortest * (LIT_MAX + 1) + (LIT_MAX - s->n);
}

static const struct lits *better(const struct lits *a, const struct lits *b) {
  return quality(b) > quality(a) ? b : a;
}

/* The best words a piece's texts need: its own need, or its exact texts. */
static struct lits pick(const struct piece *x) {
  const struct lits *best = better(&x->need, &x->exact);
  return quality(best) ? *best : any;
}

/* ---- sequences ------------------------------------------------------- */

/* A sequence of pieces read so far: the run of consecutive pieces whose
 * texts are listed, multiplied out (every text the run matches); the best
 * need among the pieces and the runs that ended; and whether the whole
 * sequence is still one run. */
struct seq {
  struct lits run;
  size_t longest; /* of the run's words */
  struct lits best;
  bool one_run;
  bool top; /* the pattern's top-level sequence: keep lp->sets */
};

static void seq_init(struct seq *sq, bool top) {
  sq->run = empty_text;
  sq->longest = 0;
  sq->best = any;
  sq->one_run = true;
  sq->top = top;
}

static bool same_set(const struct lits *a, const struct lits *b) {
  if (a->n != b->n)
    return false;
  for (size_t i = 0; i < a->n; i++) {
    size_t k = 0;
    while (k < b->n && strcmp(a->w[i], b->w[k]))
      k++;
    if (k == b->n)
      return false;
  }
  return true;
}

/* A set the sequence needs: the best so far, and at the top level one of
 * the LIT_SETS best. */
static void consider(struct lp *lp, struct seq *sq, const struct lits *set) {
  sq->best = *better(&sq->best, set);
  size_t q = quality(set);
  if (!sq->top || !q)
    return;
  size_t i = 0;
  while (i < lp->nsets && quality(&lp->sets[i]) >= q) {
    if (same_set(&lp->sets[i], set))
      return;
    i++;
  }
  if (i == LIT_SETS)
    return;
  size_t n = lp->nsets < LIT_SETS ? lp->nsets + 1 : LIT_SETS;
  memmove(&lp->sets[i + 1], &lp->sets[i], (n - 1 - i) * sizeof(lp->sets[0]));
  lp->sets[i] = *set;
  lp->nsets = n;
}

static void end_run(struct lp *lp, struct seq *sq) {
  consider(lp, sq, &sq->run);
  sq->run = empty_text;
  sq->longest = 0;
}

static size_t longest(const struct lits *s) {
  size_t m = 0;
  for (size_t i = 0; i < s->n; i++)
    if (strlen(s->w[i]) > m)
      m = strlen(s->w[i]);
  return m;
}

/* run := run x x (every word of run followed by every word of x). */
static void multiply(struct lp *lp, struct seq *sq, const struct lits *x) {
  struct lits out = {true, 0, {NULL}};
  for (size_t i = 0; i < sq->run.n; i++)
    for (size_t k = 0; k < x->n; k++) {
      size_t a = strlen(sq->run.w[i]), b = strlen(x->w[k]);
      char *c = scratch(lp, a + b + 1);
      if (!c)
        return;
      memcpy(c, sq->run.w[i], a);
      memcpy(c + a, x->w[k], b + 1);
      add(lp, &out, c, a + b);
    }
  sq->run = out;
  sq->longest += longest(x);
}

static void seq_add(struct lp *lp, struct seq *sq, const struct piece *x) {
  struct lits need = pick(x);
  consider(lp, sq, &need);
  if (!x->exact.known) {
    end_run(lp, sq);
    sq->one_run = false;
    return;
  }
  if (x->exact.n == 1 && !x->exact.w[0][0])
    return; /* only the empty text: an anchor, a lookaround */
  if (sq->run.n * x->exact.n > LIT_MAX ||
      sq->longest + longest(&x->exact) > LIT_LEN) {
    /* Too many or too long: what the run has so far is needed, and a
     * new run starts here. */
    end_run(lp, sq);
    sq->one_run = false;
  }
  multiply(lp, sq, &x->exact);
}

static struct piece seq_end(struct lp *lp, struct seq *sq) {
  struct piece x = {sq->one_run ? sq->run : any, any};
  end_run(lp, sq);
  x.need = sq->best;
  return x;
}

/* ---- atoms ----------------------------------------------------------- */

static struct piece parse_alt(struct lp *lp, bool top);

/* One character as a literal: c, or the n bytes of a UTF-8 character at
 * s. Our words ignore ASCII case only. Under (?i) PCRE2 also takes U+017F
 * (long s) for s and U+212A (Kelvin sign) for k, so those are listed too,
 * and a non-ASCII character may match others not listed here. */
static struct piece literal_utf8(struct lp *lp, const char *s, size_t n) {
  struct piece x = {{true, 0, {NULL}}, any};
  if (n > 1) {
    if (lp->caseless)
      return unknown_piece();
    add(lp, &x.exact, s, n);
    return x;
  }
  unsigned char c = (unsigned char)s[0];
  if (c == 0)
    return unknown_piece(); /* our words end at a NUL */
  char low = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
  add(lp, &x.exact, &low, 1);
  if (lp->caseless && low == 's')
    add(lp, &x.exact, "\xc5\xbf", 2);
  else if (lp->caseless && low == 'k')
    add(lp, &x.exact, "\xe2\x84\xaa", 3);
  return x;
}

static struct piece literal(struct lp *lp, unsigned char c) {
  char b = (char)c;
  return literal_utf8(lp, &b, 1);
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_alnum(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int hex_value(char c) {
  return is_digit(c)            ? c - '0'
         : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                : -1;
}

/* The character of \x.. or \o{..} (p after the x or o), or -1 when it is
 * not ASCII or not understood. */
static long code_escape(struct lp *lp, char kind) {
  long v = 0;
  int base = kind == 'x' ? 16 : 8, digits = 0;
  bool braced = lp->p < lp->end && *lp->p == '{';
  if (braced)
    lp->p++;
  else if (kind == 'o')
    return lp->fail = true, -1;
  while (lp->p < lp->end && (braced || digits < 2)) {
    int d = hex_value(*lp->p);
    if (d < 0 || d >= base)
      break;
    v = v < 0x100000 ? v * base + d : v;
    digits++;
    lp->p++;
  }
  if (braced) {
    if (lp->p >= lp->end || *lp->p != '}' || !digits)
      return lp->fail = true, -1;
    lp->p++;
  }
  return v < 0x80 ? v : -1;
}

/* Step over one UTF-8 character whose first byte is at p. */
static void skip_char(struct lp *lp) {
  lp->p++;
  while (lp->p < lp->end && ((unsigned char)*lp->p & 0xC0) == 0x80)
    lp->p++;
}

/* The non-ASCII character at p as a literal. */
static struct piece wide_char(struct lp *lp) {
  const char *at = lp->p;
  skip_char(lp);
  return literal_utf8(lp, at, (size_t)(lp->p - at));
}

/* A backslash escape outside a class, p after the backslash. */
static struct piece parse_escape(struct lp *lp) {
  if (lp->p >= lp->end)
    return lp->fail = true, unknown_piece();
  char e = *lp->p++;
  static const char *const ctl = "a\ae\033f\fn\nr\rt\t";
  for (const char *c = ctl; *c; c += 2)
    if (e == c[0])
      return literal(lp, (unsigned char)c[1]);
  if (strchr("bBAzZGKE", e))
    return empty_piece(); /* no text: positions, \K, a stray \E */
  if (strchr("dDwWsShHvVRNXC", e)) {
    if (e == 'N' && lp->p < lp->end && *lp->p == '{')
      lp->fail = true; /* \N{U+...} */
    return unknown_piece();
  }
  if (e == 'p' || e == 'P') {
    if (lp->p < lp->end && *lp->p == '{') {
      const char *close = memchr(lp->p, '}', (size_t)(lp->end - lp->p));
      if (!close)
        return lp->fail = true, unknown_piece();
      lp->p = close + 1;
    } else if (lp->p < lp->end) {
      lp->p++;
    }
    return unknown_piece();
  }
  if (e == 'x' || e == 'o') {
    long v = code_escape(lp, e);
    return v < 0 ? unknown_piece() : literal(lp, (unsigned char)v);
  }
  if (is_alnum(e)) /* back-references, subroutines, \c, octal: not here */
    return lp->fail = true, unknown_piece();
  if ((unsigned char)e >= 0x80) {
    lp->p--;
    return wide_char(lp);
  }
  return literal(lp, (unsigned char)e);
}

/* A class, p after the '['. Its texts are listed when it holds a few
 * plain ASCII characters; ranges, negation, shorthands and non-ASCII
 * characters leave them unknown. */
static struct piece parse_class(struct lp *lp) {
  struct piece x = {{true, 0, {NULL}}, any};
  bool listed = true;
  if (lp->p < lp->end && *lp->p == '^')
    listed = false, lp->p++;
  for (bool first = true; !lp->fail; first = false) {
    if (lp->p >= lp->end)
      return lp->fail = true, x;
    bool posix = false;
    char c = *lp->p;
    if (c == ']' && !first) {
      lp->p++;
      break;
    }
    struct piece one;
    if (c == '[' && lp->p + 1 < lp->end && strchr(":.=", lp->p[1])) {
      const char *close = strstr(lp->p + 2, ":]");
      if (!close || close >= lp->end)
        return lp->fail = true, x;
      lp->p = close + 2;
      one = unknown_piece();
      posix = true;
    } else if (c == '\\') {
      lp->p++;
      char e = lp->p < lp->end ? *lp->p : 0;
      if (e == 'Q' || e == 'E' || e == 'b' || is_digit(e))
        return lp->fail = true, x;
      one = parse_escape(lp);
      if (!e || strchr("NRXCKBAzZG", e))
        lp->fail = true; /* not members of a class */
    } else if ((unsigned char)c >= 0x80) {
      one = wide_char(lp);
    } else {
      lp->p++;
      one = literal(lp, (unsigned char)c);
    }
    /* a-z: a range, unless the '-' ends the class. */
    if (lp->p + 1 < lp->end && *lp->p == '-' && lp->p[1] != ']' && !posix) {
      lp->p++;
      if (*lp->p == '\\') {
        lp->p++;
        (void)parse_escape(lp);
      } else if ((unsigned char)*lp->p >= 0x80) {
        skip_char(lp);
      } else {
        lp->p++;
      }
      one = unknown_piece();
    }
    if (!one.exact.known)
      listed = false;
    else if (listed)
      x.exact = unite(lp, &x.exact, &one.exact);
  }
  if (!listed || !x.exact.known)
    return unknown_piece();
  return x;
}

/* (?flags) or (?flags: at p (after "(?"), setting lp->caseless as the
 * flags say: false when a flag is one this reading cannot follow (x: white
 * space and comments in the pattern). */
static bool read_flags(struct lp *lp, bool *group) {
  bool on = true;
  for (; lp->p < lp->end && strchr("imnsJU^-", *lp->p); lp->p++)
    if (*lp->p == '-')
      on = false;
    else if (*lp->p == '^')
      lp->caseless = false;
    else if (*lp->p == 'i')
      lp->caseless = on;
  if (lp->p >= lp->end || (*lp->p != ')' && *lp->p != ':'))
    return false;
  *group = *lp->p == ':';
  lp->p++;
  return true;
}

/* A group, p after the '('. */
static struct piece parse_group(struct lp *lp) {
  bool look = false, group = true, outer = lp->caseless;
  if (lp->p < lp->end && *lp->p == '*')
    return lp->fail = true, unknown_piece(); /* verbs, (*pla:...) */
  if (lp->p < lp->end && *lp->p == '?') {
    lp->p++;
    char c = lp->p < lp->end ? *lp->p : 0;
    char d = lp->p + 1 < lp->end ? lp->p[1] : 0;
    if (c == '#') {
      const char *close = memchr(lp->p, ')', (size_t)(lp->end - lp->p));
      if (!close)
        return lp->fail = true, unknown_piece();
      lp->p = close + 1;
      return empty_piece();
    }
    if (c == ':' || c == '|' || c == '>') {
      lp->p++;
    } else if (c == '=' || c == '!' || (c == '<' && (d == '=' || d == '!'))) {
      lp->p += c == '<' ? 2 : 1;
      look = true;
    } else if (c == '<' || c == '\'' || (c == 'P' && d == '<')) {
      char close = c == '\'' ? '\'' : '>';
      const char *e = memchr(lp->p + 1, close, (size_t)(lp->end - lp->p - 1));
      if (!e)
        return lp->fail = true, unknown_piece();
      lp->p = e + 1;
    } else if (!read_flags(lp, &group)) {
      return lp->fail = true, unknown_piece();
    }
  }
  if (!group)
    return empty_piece(); /* (?i): on to the end of the enclosing group */
  if (++lp->depth > LIT_DEPTH)
    return lp->fail = true, unknown_piece();
  struct piece x = parse_alt(lp, false);
  lp->depth--;
  lp->caseless = outer; /* a flag set inside ends with the group */
  if (lp->p >= lp->end || *lp->p != ')')
    return lp->fail = true, unknown_piece();
  lp->p++;
  /* A lookaround's text is not part of the match; it matches no text. */
  return look ? empty_piece() : x;
}

static struct piece parse_atom(struct lp *lp) {
  unsigned char c = (unsigned char)*lp->p++;
  switch (c) {
  case '(':
    return parse_group(lp);
  case '[':
    return parse_class(lp);
  case '\\':
    return parse_escape(lp);
  case '.':
    return unknown_piece();
  case '^':
  case '$':
    return empty_piece();
  case '*':
  case '+':
  case '?':
  case '{':
    return lp->fail = true, unknown_piece();
  default:
    if (c >= 0x80) {
      lp->p--;
      return wide_char(lp);
    }
    return literal(lp, c);
  }
}

/* A number of a {n,m} quantifier at p, or -1. */
static long read_count(struct lp *lp) {
  long v = -1;
  while (lp->p < lp->end && is_digit(*lp->p)) {
    v = (v < 0 ? 0 : v) * 10 + (*lp->p++ - '0');
    if (v > 65535)
      v = 65535;
  }
  return v;
}

/* Step over comments and stray \E: PCRE2 reads a quantifier after them
 * as one of the item before. */
static void skip_nothing(struct lp *lp) {
  for (;;) {
    if (lp->end - lp->p >= 3 && !memcmp(lp->p, "(?#", 3)) {
      const char *close = memchr(lp->p, ')', (size_t)(lp->end - lp->p));
      if (!close) {
        lp->fail = true;
        return;
      }
      lp->p = close + 1;
    } else if (lp->end - lp->p >= 2 && !memcmp(lp->p, "\\E", 2)) {
      lp->p += 2;
    } else {
      return;
    }
  }
}

/* The quantifier after piece x, if any, applied to it. */
static struct piece quantify(struct lp *lp, struct piece x) {
  skip_nothing(lp);
  if (lp->p >= lp->end)
    return x;
  long min, max;
  char q = *lp->p;
  if (q == '*' || q == '+' || q == '?') {
    lp->p++;
    min = q == '+';
    max = q == '?' ? 1 : -1;
  } else if (q == '{') {
    lp->p++;
    min = read_count(lp);
    max = min;
    if (lp->p < lp->end && *lp->p == ',') {
      lp->p++;
      max = read_count(lp);
    }
    /* {,n} and a '{' that starts no quantifier mean different things
     * in different PCRE2 versions: leave such patterns alone. */
    if (min < 0 || lp->p >= lp->end || *lp->p != '}')
      return lp->fail = true, x;
    lp->p++;
  } else {
    return x;
  }
  if (lp->p < lp->end && (*lp->p == '?' || *lp->p == '+'))
    lp->p++; /* lazy or possessive: the same texts */
  if (max == 0)
    return empty_piece();
  if (min == 0) {
    struct piece o = {max == 1 ? unite(lp, &x.exact, &empty_text) : any, any};
    return o;
  }
  /* At least once: what one needs, all need. */
  struct piece o = {min == 1 && max == 1 ? x.exact : any, pick(&x)};
  return o;
}

/* \Q...\E, p after the \Q: each character a literal of the sequence. */
static void quoted(struct lp *lp, struct seq *sq) {
  const char *end = lp->p;
  while (end + 1 < lp->end && !(end[0] == '\\' && end[1] == 'E'))
    end++;
  if (end + 1 >= lp->end)
    end = lp->end;
  if (end == lp->p)
    lp->fail = true; /* a quantifier after \Q\E: not ours to read */
  while (lp->p < end && !lp->fail) {
    struct piece x;
    if ((unsigned char)*lp->p >= 0x80)
      x = wide_char(lp);
    else
      x = literal(lp, (unsigned char)*lp->p++);
    if (lp->p == end) {
      lp->p = end < lp->end ? end + 2 : end;
      x = quantify(lp, x);
    }
    seq_add(lp, sq, &x);
  }
}

static struct piece parse_seq(struct lp *lp, bool top) {
  struct seq sq;
  seq_init(&sq, top);
  while (!lp->fail && lp->p < lp->end && *lp->p != '|' && *lp->p != ')') {
    if (lp->p + 1 < lp->end && lp->p[0] == '\\' && lp->p[1] == 'Q') {
      lp->p += 2;
      quoted(lp, &sq);
      continue;
    }
    struct piece x = parse_atom(lp);
    x = quantify(lp, x);
    seq_add(lp, &sq, &x);
  }
  return seq_end(lp, &sq);
}

static struct piece parse_alt(struct lp *lp, bool top) {
  struct piece all = parse_seq(lp, top);
  all.need = pick(&all);
  while (!lp->fail && lp->p < lp->end && *lp->p == '|') {
    lp->p++;
    if (top)
      lp->nsets = 0; /* the sets of one branch are not needed by the rest */
    struct piece b = parse_seq(lp, false);
    if (all.exact.known)
      all.exact = unite(lp, &all.exact, &b.exact);
    if (all.need.known) {
      struct lits need = pick(&b);
      all.need = unite(lp, &all.need, &need);
    }
  }
  return all;
}

/* Drop the words that hold another word of the set: they add nothing. */
static void reduce(struct lits *s) {
  size_t o = 0;
  for (size_t i = 0; i < s->n; i++) {
    bool redundant = false;
    for (size_t k = 0; k < s->n && !redundant; k++)
      redundant = k != i && strstr(s->w[i], s->w[k]) &&
                  (strlen(s->w[k]) < strlen(s->w[i]) || k < i);
    if (!redundant)
      s->w[o++] = s->w[i];
  }
  s->n = o;
}

size_t refs_literals(struct arena *a, const char *pattern,
                     struct refs_wordset *out) {
  struct arena tmp;
  arena_init(&tmp);
  struct lp lp = {.p = pattern, .end = pattern + strlen(pattern), .a = &tmp};
  struct piece top = parse_alt(&lp, true);
  if (lp.nsets == 0) {
    lp.sets[0] = pick(&top);
    lp.nsets = quality(&lp.sets[0]) ? 1 : 0;
  }
  size_t n = 0;
  for (size_t i = 0; !lp.fail && lp.p == lp.end && i < lp.nsets; i++) {
    struct lits *set = &lp.sets[i];
    reduce(set);
    const char **v = arena_alloc(a, sizeof(*v) * set->n);
    for (size_t k = 0; v && k < set->n; k++)
      v[k] = arena_strdup(a, set->w[k]);
    if (!v || !v[set->n - 1])
      break;
    out[n].word = v;
    out[n++].n = set->n;
  }
  arena_free(&tmp);
  return n;
}
