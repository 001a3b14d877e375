/* fuzz_page.c - libFuzzer harness for the page reader: the input is one
 * page. It goes through scan and parse directly (checking that every
 * position they hand out lies in the page), then through a whole lint as
 * a module's explainer next to a weekly plan that links to it. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "parse.h"
#include "scan.h"

static void check_pos(const struct source *src, struct pos p) {
  if (p.line < 1 || p.line > src->nlines + 1 || p.col < 1)
    abort();
}

/* Parse once more in a pool too small for the page: the parse must end
 * with CLINT_E_NOMEM or succeed, and leave the pool empty either way. The
 * limit comes from the page's length, so the failure lands at different
 * points of the parse (byte-exact under the sanitizers, where every block
 * is its own allocation). */
static void starved(const struct source *src) {
  struct pool *pool = pool_new(1 + src->len * 3);
  if (!pool)
    abort();
  struct arena keep, scratch;
  arena_init(&keep);
  arena_init(&scratch);
  struct doc doc;
  clint_status st = parse_doc(src, &keep, &scratch, pool, &doc);
  if (st != CLINT_OK && st != CLINT_E_NOMEM)
    abort();
  parse_free(&doc);
  if (pool_used(pool) != 0)
    abort();
  pool_free(pool);
  arena_free(&keep);
  arena_free(&scratch);
}

static void direct(const uint8_t *data, size_t size) {
  struct source src;
  if (scan_from_mem((const char *)data, size, &src) != CLINT_OK)
    return;
  starved(&src);
  struct arena keep, scratch;
  arena_init(&keep);
  arena_init(&scratch);
  struct pool *pool = pool_new(0);
  if (!pool)
    abort();
  struct doc doc;
  if (parse_doc(&src, &keep, &scratch, pool, &doc) == CLINT_OK) {
    for (size_t i = 0; i < doc.nblocks; i++) {
      const struct textblock *b = &doc.blocks[i];
      if (strlen(b->text) > b->len)
        abort();
      for (size_t k = 0; k < b->nsegs; k++) {
        const struct seg *s = &b->segs[k];
        if (s->text_off + s->len > b->len || s->src_off > src.len)
          abort();
        check_pos(&src, parse_block_pos(&doc, b, s->text_off));
      }
      check_pos(&src, parse_block_pos(&doc, b, b->len));
    }
    for (size_t i = 0; i < doc.nheadings; i++) {
      check_pos(&src, doc.headings[i].pos);
      if (doc.headings[i].level < 1 || doc.headings[i].level > 6)
        abort();
    }
    for (size_t i = 0; i < doc.nlinks; i++) {
      const struct link *l = &doc.links[i];
      check_pos(&src, l->pos);
      size_t n = strlen(l->dest);
      /* dest_off, when known, is where the destination stands. */
      if (l->dest_off != (size_t)-1 &&
          (l->dest_off > src.len || n > src.len - l->dest_off ||
           memcmp(src.text + l->dest_off, l->dest, n) != 0))
        abort();
    }
    for (size_t i = 0; i < doc.nids; i++)
      check_pos(&src, doc.ids[i].pos);
  }
  parse_free(&doc);
  pool_free(pool);
  arena_free(&keep);
  arena_free(&scratch);
  scan_free(&src);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static clint_linter *linter;
  if (!linter) {
    clint_error err;
    linter = clint_linter_new(&err);
    if (!linter)
      abort();
    static const char plan[] =
        "# Module 1: Weekly plan\n\n## Goals\n\n"
        "- [ ] read [the explainer](01_explainer.md#1-introduction)\n"
        "- [x] see explainer chapter 1.2 and [top](01_explainer.md#top)\n";
    static const char readme[] = "# Course\n\n[Module 1](01_intro/)\n";
    fuzz_write("01_intro/01_weekly_plan.md", plan, sizeof(plan) - 1);
    fuzz_write("README.md", readme, sizeof(readme) - 1);
  }
  direct(data, size);
  fuzz_write("01_intro/01_explainer.md", data, size);
  fuzz_lint(linter, "01_intro/01_explainer.md", size, false, false);
  return 0;
}
