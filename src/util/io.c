/* io.c - writing to a file descriptor whole (see io.h). */
#include "io.h"

#include <errno.h>
#include <unistd.h>

bool io_write_all(int fd, const char *s, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, s, n);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0) {
      if (w == 0)
        errno = EIO;
      return false;
    }
    s += w;
    n -= (size_t)w;
  }
  return true;
}
