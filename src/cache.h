/* cache.h - what a run that searches for referrers keeps for the next:
 * each folder's listing and, for each page, a summary of the words it
 * holds, both stamped with what fstatat says of them (inode, size,
 * modification and change times). The next run trusts a listing or a
 * summary only while the stamp is the same, and reads the rest. A
 * pre-commit hook on a course of 7,000 pages then states 10,000 paths
 * instead of listing 2,500 folders and reading 86 MB.
 *
 * The file is a cache: any fault in it (missing, cut short, another
 * version, a checksum that does not add up, a name that could leave its
 * folder) makes it be ignored, never trusted, and it is rewritten whole
 * (a temporary file renamed over it) after a run that learnt something.
 *
 * A summary is a Bloom filter of the page's words: runs of ASCII letters,
 * digits, '_' and '-'. A word asked of a page (a folder or file name) is
 * cut the same way, and the page may hold it only if each of its pieces
 * is in the filter; a "no" is certain for whole words, which is how a
 * reference names a folder or file. */
#ifndef CLINT_CACHE_H
#define CLINT_CACHE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/hash.h"

/* What fstatat says of a file or folder, as far as the cache looks. */
struct cache_stamp {
  uint64_t ino, size;
  int64_t mtime_s, ctime_s;
  uint32_t mtime_ns, ctime_ns;
};

/* The stamp of path (relative to dirfd, not followed if a link) when it
 * is a folder (dir) or a regular file (!dir); false otherwise. */
bool cache_stamp_at(int dirfd, const char *path, bool dir,
                    struct cache_stamp *st);

/* Whether both of the stamp's times lie before since (seconds) by more
 * than the clock's step: a change after the run read it then gives
 * another stamp. Younger files and folders are read again next time. */
bool cache_stamp_settled(const struct cache_stamp *s, int64_t since);

/* One entry of a folder's cached listing. */
struct cache_entry {
  const char *name; /* in the cache's data, NUL-terminated */
  size_t len;
  int type; /* enum entry_type */
  bool symlink;
};

struct cache {
  const char *data; /* the file; NULL when there is none */
  size_t len;
  uint32_t ndirs, nentries, nfiles;
  uint64_t nstrings, nwords;
  size_t dirs_at, entries_at, files_at, strings_at, words_at; /* in data */
  int64_t since; /* when the run started, for cache_stamp_settled */
  /* Listings and summaries found this run that the file lacks: when
   * none, the file is not written again. */
  atomic_size_t fresh;
};

/* The cache file of the course at root in folder dir (malloc'd; NULL on
 * no memory): named after the root, so that courses keep their own. */
char *cache_file_of(const char *dir, const char *root);

/* Remove from folder dir the cache files (as cache_file_of names them)
 * that nobody has read or written for thirty days, by their access and
 * modification times (a course moved or deleted leaves its file behind),
 * and the temporary files of cache_save left by a run killed while
 * writing, after an hour. Nothing else; best effort. */
void cache_prune(const char *dir, int64_t now);

/* Read the cache file at path into k (emptied first). A missing or
 * faulty file leaves k empty and is not an error. since: now. The file
 * is mapped when it lies on a local file system, and copied into memory
 * elsewhere (a network file system may drop a mapped file's pages when
 * another machine replaces it); cache_load_as can ask for the copy. */
void cache_load(struct cache *k, const char *path, int64_t since);
enum cache_read { CACHE_MAP_LOCAL, CACHE_COPY };
void cache_load_as(struct cache *k, const char *path, int64_t since,
                   enum cache_read how);
void cache_free(struct cache *k);

/* The cached listing of the folder at path when its stamp is st's:
 * *n entries, taken one by one with cache_dir_entry. NULL otherwise. */
const char *cache_dir(const struct cache *k, const char *path,
                      const struct cache_stamp *st, size_t *n);
/* Entry i of a listing from cache_dir; false when the file is faulty
 * there (the listing must then be read from the folder). */
bool cache_dir_entry(const struct cache *k, const char *dir, size_t i,
                     struct cache_entry *e);

/* The cached summary of the page at path when its stamp is st's:
 * *nwords 64-bit words. NULL otherwise. */
const uint64_t *cache_summary(const struct cache *k, const char *path,
                              const struct cache_stamp *st, size_t *nwords);

/* The summary the cache holds for the page at path, whatever its stamp
 * now (into *st): to keep it for a page the run did not look at. */
const uint64_t *cache_summary_kept(const struct cache *k, const char *path,
                                   struct cache_stamp *st, size_t *nwords);

/* The summary of len bytes of text (nwords words), malloc'd; NULL on no
 * memory. */
uint64_t *cache_summarize(const char *text, size_t len, size_t *nwords);

/* The hashes of word's pieces, into out (room for cap; a word of len
 * bytes has at most len / 2 + 1 pieces); how many there are. */
size_t cache_word_hashes(const char *word, uint64_t *out, size_t cap);

/* Whether a page whose summary is s (n words) may hold every piece
 * whose hash is in h (nh of them): false only when one is surely
 * missing. */
bool cache_may_hold(const uint64_t *s, size_t n, const uint64_t *h, size_t nh);

/* A folder or page for cache_save. */
struct cache_dir_rec {
  const char *path;
  struct cache_stamp stamp;
  size_t first, n; /* its entries in cache_save's ents, sorted by name */
};
struct cache_file_rec {
  const char *path;
  struct cache_stamp stamp;
  const uint64_t *summary;
  size_t nwords;
};

/* Write a cache file at path (through a temporary file beside it) that
 * holds these folders (sorted here by path), their entries (each
 * folder's a run of ents), and those of these pages whose folder and
 * name are among them. false when it could not be written (nothing is
 * left behind then). */
bool cache_save(const char *path, struct cache_dir_rec *dirs, size_t ndirs,
                const struct cache_entry *ents, size_t nents,
                const struct cache_file_rec *files, size_t nfiles);

#endif
