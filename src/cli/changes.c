/* changes.c - which pages a change touches, from git: the staged changes
 * (for a pre-commit hook) or everything since the merge base with a ref
 * (for a pull request). Runs the git command: pre-commit and CI have it
 * wherever they run, it reads the repository's own configuration (rename
 * detection, safe.directory) the way the author's git does, and it spares
 * the library a dependency. Part of the CLI: the library spawns nothing. */
#include "changes.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* git's output: stdout whole, the start of stderr for messages. */
struct git_out {
  char *out; /* malloc'd, NUL-terminated */
  size_t len;
  char err[512];
};

/* Read fd to its end into a malloc'd buffer; NULL on no memory. */
static char *read_all(int fd, size_t *len) {
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  while (buf) {
    if (n + 1 >= cap) {
      char *more = realloc(buf, cap * 2);
      if (!more) {
        free(buf);
        return NULL;
      }
      buf = more;
      cap *= 2;
    }
    ssize_t got = read(fd, buf + n, cap - n - 1);
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0)
      break;
    n += (size_t)got;
  }
  if (buf)
    buf[n] = '\0';
  *len = n;
  return buf;
}

/* Run `git -C dir args...`. Returns its exit status, or -1 when it could
 * not be run (g->err says why). */
static int git(const char *dir, const char *const *args, struct git_out *g) {
  const char *argv[16] = {"git", "-C", dir};
  size_t n = 3;
  for (size_t i = 0; args[i] && n < 15; i++)
    argv[n++] = args[i];
  argv[n] = NULL;
  memset(g, 0, sizeof(*g));
  int out[2], err[2];
  if (pipe(out) != 0)
    goto no_git;
  if (pipe(err) != 0) {
    close(out[0]);
    close(out[1]);
    goto no_git;
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&fa, err[1], STDERR_FILENO);
  posix_spawn_file_actions_addclose(&fa, out[0]);
  posix_spawn_file_actions_addclose(&fa, err[0]);
  posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  pid_t pid;
  int rc = posix_spawnp(&pid, "git", &fa, NULL, (char *const *)argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  close(out[1]);
  close(err[1]);
  if (rc != 0) {
    close(out[0]);
    close(err[0]);
    errno = rc;
    goto no_git;
  }
  /* git's stderr is short; read stdout first, then what stderr holds.
   * A pipe holds 64 KB, so a git that fills stderr while we wait on
   * stdout would stall: git does not write that much there. */
  g->out = read_all(out[0], &g->len);
  size_t elen;
  char *e = read_all(err[0], &elen);
  close(out[0]);
  close(err[0]);
  if (e) {
    snprintf(g->err, sizeof(g->err), "%s", e);
    g->err[strcspn(g->err, "\n")] = '\0';
    free(e);
  }
  int status;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  if (!g->out)
    return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
no_git:
  snprintf(g->err, sizeof(g->err), "cannot run git: %s", strerror(errno));
  return -1;
}

static void git_free(struct git_out *g) { free(g->out); }

/* Add path (relative to top: the work tree's top, or the course root
 * when git named it from there) to the run: a target when it
 * is there, a page gone otherwise. Paths outside the course root are left
 * out. */
static int add(clint_run *run, const char *top, const char *rel, bool gone,
               size_t *count, char *msg, size_t cap) {
  const char *root = clint_run_root(run);
  char full[PATH_MAX * 2];
  if (snprintf(full, sizeof(full), "%s/%s", top, rel) >= (int)sizeof(full))
    return 0; /* too long to be a page of ours */
  size_t rl = strlen(root);
  if (strncmp(full, root, rl) != 0 || (full[rl] != '/' && full[rl] != '\0'))
    return 0;
  clint_error err;
  clint_status st = gone ? clint_run_add_gone(run, full, &err)
                         : clint_run_add_target(run, full, &err);
  if (st == CLINT_E_IO && !gone)
    /* Changed, then deleted or made a link out of the course: named as
     * gone, so that what refers to it is still checked. */
    st = clint_run_add_gone(run, full, &err);
  if (st != CLINT_OK) {
    snprintf(msg, cap, "%s: %s", rel, err.message);
    return -1;
  }
  (*count)++;
  return 0;
}

/* Add the paths of `git diff --name-status -z` output to the run. */
static int add_diff(clint_run *run, const char *top, const struct git_out *g,
                    size_t *count, char *msg, size_t cap) {
  const char *p = g->out, *end = g->out + g->len;
  while (p < end) {
    const char *status = p;
    p += strlen(p) + 1;
    if (p >= end)
      break;
    const char *path = p;
    p += strlen(p) + 1;
    int rc = 0;
    switch (status[0]) {
    case 'R': /* renamed: the old name is gone, the new one is there */
    case 'C': /* copied: the new one is there */
      if (p >= end)
        return 0;
      if (status[0] == 'R')
        rc = add(run, top, path, true, count, msg, cap);
      if (rc == 0)
        rc = add(run, top, p, false, count, msg, cap);
      p += strlen(p) + 1;
      break;
    case 'D':
      rc = add(run, top, path, true, count, msg, cap);
      break;
    default: /* added, modified, type changed, unmerged */
      rc = add(run, top, path, false, count, msg, cap);
      break;
    }
    if (rc != 0)
      return rc;
  }
  return 0;
}

/* Add the untracked files of `git ls-files -z` output. */
static int add_list(clint_run *run, const char *top, const struct git_out *g,
                    size_t *count, char *msg, size_t cap) {
  for (const char *p = g->out; p < g->out + g->len; p += strlen(p) + 1)
    if (add(run, top, p, false, count, msg, cap) != 0)
      return -1;
  return 0;
}

/* The top of the git work tree holding root, into top (cap PATH_MAX);
 * false, with msg saying so, when root is in none. */
static bool work_tree_top(const char *root, char *top, char *msg, size_t cap) {
  struct git_out g;
  const char *args[] = {"rev-parse", "--show-toplevel", NULL};
  int rc = git(root, args, &g);
  if (rc != 0) {
    snprintf(msg, cap, "%s: not in a git work tree (%s)", root,
             g.err[0] ? g.err : "git rev-parse failed");
    git_free(&g);
    return false;
  }
  snprintf(top, PATH_MAX, "%.*s", (int)strcspn(g.out, "\n"), g.out);
  git_free(&g);
  /* git prints the top with symbolic links resolved; the root is real
   * too (clint_run_root), so the two compare as strings. */
  char *real = realpath(top, NULL);
  if (real) {
    snprintf(top, PATH_MAX, "%s", real);
    free(real);
  }
  return true;
}

/* The staged changes: the index against HEAD (or, before the first
 * commit, everything staged), renames found as git finds them. One git
 * run, from the course root: --relative keeps the changes inside it and
 * names them from there, so a page moved into the course from outside
 * comes as added and one moved out as deleted. The hook runs on every
 * commit, and a git run costs as much as a sixth of it on a large
 * course; the work tree is asked for only when the diff fails. */
static int add_staged(clint_run *run, size_t *count, char *msg, size_t cap) {
  const char *root = clint_run_root(run);
  const char *args[] = {"diff", "--cached", "--name-status", "-z", "--relative",
                        "-M",   NULL};
  struct git_out g;
  int rc = git(root, args, &g);
  if (rc != 0) {
    char top[PATH_MAX];
    if (work_tree_top(root, top, msg, cap))
      snprintf(msg, cap, "git diff --cached failed: %s", g.err);
    git_free(&g);
    return -1;
  }
  rc = add_diff(run, root, &g, count, msg, cap);
  git_free(&g);
  return rc;
}

int changes_add(clint_run *run, enum changes_mode mode, const char *ref,
                size_t *count, char *msg, size_t cap) {
  *count = 0;
  if (mode == CHANGES_STAGED)
    return add_staged(run, count, msg, cap);
  char top[PATH_MAX];
  if (!work_tree_top(clint_run_root(run), top, msg, cap))
    return -1;
  struct git_out g;
  int rc;
  /* Since the merge base with ref: committed, staged, unstaged and
   * untracked changes of the work tree. */
  char spec[PATH_MAX];
  snprintf(spec, sizeof(spec), "%s^{commit}", ref);
  const char *verify[] = {"rev-parse", "--verify", "--quiet", spec, NULL};
  rc = git(top, verify, &g);
  git_free(&g);
  if (rc != 0) {
    snprintf(msg, cap,
             "unknown revision '%s' (for a shallow clone, fetch "
             "it first)",
             ref);
    return -1;
  }
  const char *mb_args[] = {"merge-base", ref, "HEAD", NULL};
  rc = git(top, mb_args, &g);
  if (rc != 0) {
    snprintf(msg, cap,
             "no merge base of '%s' and HEAD (%s): fetch more history "
             "(fetch-depth: 0)",
             ref, g.err[0] ? g.err : "unrelated histories?");
    git_free(&g);
    return -1;
  }
  char base[128];
  snprintf(base, sizeof(base), "%.*s", (int)strcspn(g.out, "\n"), g.out);
  git_free(&g);
  const char *diff_args[] = {"diff", "--name-status", "-z", "-M", base, NULL};
  rc = git(top, diff_args, &g);
  if (rc != 0) {
    snprintf(msg, cap, "git diff %s failed: %s", base, g.err);
    git_free(&g);
    return -1;
  }
  rc = add_diff(run, top, &g, count, msg, cap);
  git_free(&g);
  if (rc != 0)
    return rc;
  const char *ls_args[] = {"ls-files", "-z", "--others", "--exclude-standard",
                           NULL};
  rc = git(top, ls_args, &g);
  if (rc != 0) {
    snprintf(msg, cap, "git ls-files failed: %s", g.err);
    git_free(&g);
    return -1;
  }
  rc = add_list(run, top, &g, count, msg, cap);
  git_free(&g);
  return rc;
}
