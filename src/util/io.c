/* io.c - writing to and reading from a file descriptor whole (see io.h). */
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

bool io_read_all(int fd, char *buf, size_t n) {
  while (n > 0) {
    ssize_t r = read(fd, buf, n);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      return false;
    buf += r;
    n -= (size_t)r;
  }
  return true;
}
