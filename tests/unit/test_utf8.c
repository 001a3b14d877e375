/* The one UTF-8 decoder: decoding against a reference that reads the
 * bits first and checks the ranges after, encoding, counting characters
 * and stepping to character starts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "util/utf8.h"

/* A decoder written the other way round from utf8.c: take the length
 * from the lead byte's high bits, gather the payload, and only then
 * refuse overlong forms, surrogates and values past U+10FFFF. */
static size_t ref_decode(const unsigned char *s, size_t n, uint32_t *cp) {
  if (n == 0)
    return 0;
  size_t len = s[0] < 0x80             ? 1
               : (s[0] & 0xE0) == 0xC0 ? 2
               : (s[0] & 0xF0) == 0xE0 ? 3
               : (s[0] & 0xF8) == 0xF0 ? 4
                                       : 0;
  if (len == 0 || len > n)
    return 0;
  uint32_t v = len == 1 ? s[0] : s[0] & (0x7Fu >> len);
  for (size_t k = 1; k < len; k++) {
    if ((s[k] & 0xC0) != 0x80)
      return 0;
    v = v << 6 | (s[k] & 0x3Fu);
  }
  static const uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
  if (v < least[len] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
    return 0;
  *cp = v;
  return len;
}

/* utf8_decode and the reference agree on the n bytes at s, and a refusal
 * leaves *cp alone. */
static void same_as_reference(const unsigned char *s, size_t n) {
  uint32_t want = 0xABCDEF, got = 0xABCDEF;
  size_t wl = ref_decode(s, n, &want);
  size_t gl = utf8_decode((const char *)s, n, &got);
  if (wl != gl || want != got)
    fail_msg("%02x %02x %02x %02x (n=%zu): decoded %zu bytes as U+%04X, "
             "expected %zu bytes as U+%04X",
             n > 0 ? s[0] : 0, n > 1 ? s[1] : 0, n > 2 ? s[2] : 0,
             n > 3 ? s[3] : 0, n, gl, (unsigned)got, wl, (unsigned)want);
}

/* Every string of one to three bytes, each also cut short. */
static void test_decode_every_short_string(void **state) {
  (void)state;
  unsigned char s[3];
  for (unsigned a = 0; a < 256; a++)
    for (unsigned b = 0; b < 256; b++)
      for (unsigned c = 0; c < 256; c++) {
        s[0] = (unsigned char)a, s[1] = (unsigned char)b;
        s[2] = (unsigned char)c;
        same_as_reference(s, 3);
        if (c == 0) {
          same_as_reference(s, 2);
          if (b == 0)
            same_as_reference(s, 1);
        }
      }
  same_as_reference(s, 0);
}

/* Four bytes: every lead and second byte, and third and fourth bytes at
 * the edges of the ranges that matter (ASCII, continuation, lead). */
static void test_decode_four_byte_strings(void **state) {
  (void)state;
  static const unsigned char tail[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F,
                                       0xA0, 0xBF, 0xC0, 0xE0, 0xF4, 0xFF};
  unsigned char s[4];
  for (unsigned a = 0; a < 256; a++)
    for (unsigned b = 0; b < 256; b++)
      for (size_t c = 0; c < sizeof(tail); c++)
        for (size_t d = 0; d < sizeof(tail); d++) {
          s[0] = (unsigned char)a, s[1] = (unsigned char)b;
          s[2] = tail[c], s[3] = tail[d];
          for (size_t n = 1; n <= 4; n++)
            same_as_reference(s, n);
        }
}

/* Every scalar value encodes to what the reference decodes back, with
 * the length its range calls for. */
static void test_encode_round_trip(void **state) {
  (void)state;
  for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
    if (cp >= 0xD800 && cp <= 0xDFFF)
      continue;
    char out[UTF8_MAX];
    size_t n = utf8_encode(cp, out);
    size_t want = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    uint32_t back = 0, ref = 0;
    if (n != want || utf8_decode(out, n, &back) != n || back != cp ||
        ref_decode((const unsigned char *)out, n, &ref) != n || ref != cp)
      fail_msg("U+%04X does not round-trip", (unsigned)cp);
  }
}

static void test_known_sequences(void **state) {
  (void)state;
  static const struct {
    const char *s;
    size_t len;
    uint32_t cp;
  } cases[] = {
      {"A", 1, 0x41},
      {"\xC3\xA9", 2, 0xE9},
      {"\xE2\x82\xAC", 3, 0x20AC},
      {"\xF0\x9F\x98\x80", 4, 0x1F600},
      {"\xF4\x8F\xBF\xBF", 4, 0x10FFFF},
      {"\xEF\xBF\xBD", 3, 0xFFFD},
      {"\xC0\xAF", 0, 0},         /* overlong '/' */
      {"\xE0\x9F\xBF", 0, 0},     /* overlong */
      {"\xED\xA0\x80", 0, 0},     /* surrogate */
      {"\xF4\x90\x80\x80", 0, 0}, /* past U+10FFFF */
      {"\xC3", 0, 0},             /* cut short */
      {"\x80", 0, 0},             /* lone continuation */
      {"\xFF", 0, 0},             /* never in UTF-8 */
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    uint32_t cp = 7;
    assert_int_equal(utf8_decode(cases[i].s, strlen(cases[i].s), &cp),
                     cases[i].len);
    assert_int_equal(cp, cases[i].len ? cases[i].cp : 7);
  }
}

/* utf8_count counts the bytes that are not continuation bytes, eight at
 * a time: against a byte-by-byte count, on runs of every length that mix
 * ASCII, leads, continuations and bytes with bit 6 set around them. */
static void test_count_in_words(void **state) {
  (void)state;
  static const unsigned char bytes[] = {'a',  0x80, 0xBF, 0xC3, 0xE2, 0xF0,
                                        0x40, 0xFF, 0x7F, 0x00, 0xA9};
  unsigned char run[64];
  unsigned seed = 1;
  for (int round = 0; round < 4000; round++) {
    size_t n = (size_t)round % sizeof(run);
    size_t want = 0;
    for (size_t i = 0; i < n; i++) {
      seed = seed * 1103515245u + 12345u;
      run[i] = bytes[(seed >> 16) % sizeof(bytes)];
      want += (run[i] & 0xC0) != 0x80;
    }
    assert_int_equal(utf8_count((const char *)run, n), want);
  }
  memset(run, 0x80, sizeof(run)); /* all continuations: no character */
  assert_int_equal(utf8_count((const char *)run, sizeof(run)), 0);
  assert_int_equal(utf8_count("\xC3\xA9t\xC3\xA9", 5), 3);
}

static void test_back_and_forward(void **state) {
  (void)state;
  const char *s = "a\xC3\xA9\xE2\x82\xAC" /* a é € */;
  size_t n = strlen(s);
  assert_int_equal(utf8_back(s, 0, n), 3);    /* the € */
  assert_int_equal(utf8_back(s, 0, 3), 1);    /* the é */
  assert_int_equal(utf8_back(s, 0, 5), 3);    /* from inside the € */
  assert_int_equal(utf8_back(s, 0, 1), 0);    /* the a */
  assert_int_equal(utf8_back(s, 0, 0), 0);    /* nothing before */
  assert_int_equal(utf8_back(s, 4, 6), 4);    /* not below lo */
  assert_int_equal(utf8_forward(s, n, 0), 0); /* a start already */
  assert_int_equal(utf8_forward(s, n, 2), 3); /* inside the é */
  assert_int_equal(utf8_forward(s, n, 4), 6); /* inside the €: the end */
  assert_int_equal(utf8_forward(s, n, 6), 6); /* at the end */
  assert_int_equal(utf8_forward(s, n, 7), 7); /* past it: unchanged */
  assert_int_equal(utf8_forward("\x80\x80", 2, 0), 2);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_decode_every_short_string),
      cmocka_unit_test(test_decode_four_byte_strings),
      cmocka_unit_test(test_encode_round_trip),
      cmocka_unit_test(test_known_sequences),
      cmocka_unit_test(test_count_in_words),
      cmocka_unit_test(test_back_and_forward),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
