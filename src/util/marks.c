/* marks.c - the container marks that open a source line; see marks.h. */
#include "marks.h"

size_t marks_prefix(const char *s, size_t len, bool item) {
  size_t i = 0;
  for (;;) {
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '>'))
      i++;
    if (!item)
      return i;
    size_t m = i;
    if (m < len && (s[m] == '-' || s[m] == '+' || s[m] == '*')) {
      m++;
    } else {
      /* An ordered list's number has at most nine digits. */
      while (m < len && m - i < 9 && s[m] >= '0' && s[m] <= '9')
        m++;
      if (m == i || m >= len || (s[m] != '.' && s[m] != ')'))
        return i;
      m++;
    }
    if (m >= len || (s[m] != ' ' && s[m] != '\t'))
      return i;
    i = m;
  }
}
