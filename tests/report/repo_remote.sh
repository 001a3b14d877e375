#!/usr/bin/env bash
# URLs into the repository itself, found from .git/config at the course
# root: remote URL forms, origin's HEAD as the default branch, GitLab's
# URLs (a nested group), and a .git that would make us read outside the
# course (a .git file, a linked config) not followed. Prints TAP.
# usage: repo_remote.sh path/to/courselint
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
. "$(dirname "$0")/../lib/tap.sh"
# course NAME REMOTE_URL PAGE_TEXT: a course whose origin is REMOTE_URL.
course() {
  mkdir -p "$tmp/$1/.git/refs/remotes/origin" "$tmp/$1/docs"
  printf '[core]\n\tbare = false\n[remote "upstream"]\n\turl = https://github.com/someone/else.git\n[remote "origin"]\n\turl = %s\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n' \
    "$2" >"$tmp/$1/.git/config"
  printf '# Guide\n' >"$tmp/$1/docs/guide.md"
  printf '# Page\n\n%s\n' "$3" >"$tmp/$1/README.md"
}
lint() { (cd "$tmp/$1" && "$bin" -q --color=never --root . README.md 2>&1); }

course scp 'git@github.com:Owner/Course.git' \
  '[ok](https://github.com/Owner/Course/blob/main/docs/guide.md) [gone](https://github.com/Owner/Course/blob/main/docs/gone.md)'
t "an scp-like remote: the gone page is found" \
  grep -q "README.md:3:[0-9]*: error: link target 'https://github.com/Owner/Course/blob/main/docs/gone.md' does not exist" <(lint scp)
t "an scp-like remote: the page that exists is not" \
  test "$(lint scp | grep -c error)" = 1

course head 'https://user@github.com/Owner/Course' \
  '[main](https://github.com/Owner/Course/blob/main/docs/gone.md) [develop](https://github.com/Owner/Course/blob/develop/docs/gone.md)'
printf 'ref: refs/remotes/origin/develop\n' >"$tmp/head/.git/refs/remotes/origin/HEAD"
t "origin's HEAD names the default branch" \
  grep -q "blob/develop/docs/gone.md' does not exist" <(lint head)
t "main is then another branch, not checked" \
  test "$(lint head | grep -c error)" = 1

course gitlab 'ssh://git@gitlab.example.org:2222/group/sub/course.git' \
  '[ok](https://gitlab.example.org/group/sub/course/-/blob/main/docs/guide.md) [gone](https://gitlab.example.org/group/sub/course/-/tree/main/docs/gone/)'
t "GitLab with a nested group and a port" \
  grep -q "tree/main/docs/gone/' does not exist" <(lint gitlab)
t "GitLab: the page that exists is not reported" \
  test "$(lint gitlab | grep -c error)" = 1

course worktree 'git@github.com:Owner/Course.git' \
  '[gone](https://github.com/Owner/Course/blob/main/docs/gone.md)'
rm -rf "$tmp/worktree/.git"
printf 'gitdir: %s/scp/.git\n' "$tmp" >"$tmp/worktree/.git"
t "a .git file is not followed: no URL is checked" \
  test "$(lint worktree | grep -c error)" = 0

course linked 'git@github.com:Owner/Course.git' \
  '[gone](https://github.com/Owner/Course/blob/main/docs/gone.md)'
mv "$tmp/linked/.git/config" "$tmp/outside-config"
ln -s "$tmp/outside-config" "$tmp/linked/.git/config"
t "a linked .git/config is not read" \
  test "$(lint linked | grep -c error)" = 0
echo "1..$n"
