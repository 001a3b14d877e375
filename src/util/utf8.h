/* utf8.h - the one UTF-8 decoder of courselint: decode and validate one
 * character, encode one, count characters, and step to the start of a
 * character. Well formed means Unicode's table 3-7 (RFC 3629): no
 * overlong forms, no surrogates, nothing past U+10FFFF. */
#ifndef CLINT_UTF8_H
#define CLINT_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The most bytes one character takes. */
#define UTF8_MAX 4

/* Whether byte c continues a character (10xxxxxx) rather than starting
 * one. */
static inline bool utf8_is_cont(unsigned char c) { return (c & 0xC0) == 0x80; }

/* utf8_decode for a character that is not ASCII. */
size_t utf8_decode_multi(const char *s, size_t n, uint32_t *cp);

/* The length (1 to 4) of the well-formed character at the start of the n
 * bytes at s, with its code point in *cp; 0 when n is 0 or the bytes there
 * are not a well-formed character (then *cp is left alone). ASCII is
 * decoded inline: the report writers call this for every byte. */
static inline size_t utf8_decode(const char *s, size_t n, uint32_t *cp) {
  if (n && (unsigned char)s[0] < 0x80) {
    *cp = (unsigned char)s[0];
    return 1;
  }
  return utf8_decode_multi(s, n, cp);
}

/* Code point cp (a Unicode scalar value) as UTF-8 in out, which has room
 * for UTF8_MAX bytes; returns the length. */
size_t utf8_encode(uint32_t cp, char *out);

/* The characters in the n bytes at s: every byte but a continuation byte
 * starts one, so well-formed text counts its code points. */
size_t utf8_count(const char *s, size_t n);

/* The offset where the character before offset i of s starts, going back
 * no further than lo; lo when i <= lo. */
size_t utf8_back(const char *s, size_t lo, size_t i);

/* The first offset at or after i where a character starts, or n: i
 * itself unless it is a continuation byte before n. */
size_t utf8_forward(const char *s, size_t n, size_t i);

#endif
