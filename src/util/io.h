/* io.h - writing to and reading from a file descriptor whole. */
#ifndef CLINT_IO_H
#define CLINT_IO_H

#include <stdbool.h>
#include <stddef.h>

/* Write the n bytes at s to fd, again after a short write or a signal.
 * false, with errno set, when fd takes no more. */
bool io_write_all(int fd, const char *s, size_t n);

/* Read exactly n bytes from fd into buf, past EINTR and short reads.
 * False when the file ends first or a read fails (errno says why). */
bool io_read_all(int fd, char *buf, size_t n);

#endif
