#!/usr/bin/env bash
# Change-aware runs on real git repositories built here: --staged (what a
# pre-commit hook runs), --changed-since REF (what a pull request runs),
# and PATHs whose breakage shows on other pages. Each case makes a commit,
# changes something, and compares the whole output with what it must be.
# Prints TAP. usage: changes.sh path/to/courselint
set -u
. "$(cd "$(dirname "$0")" && pwd)/lib/tap.sh"
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! command -v git >/dev/null; then
  echo "1..0 # skip: git is not installed"
  exit 0
fi
export GIT_CONFIG_NOSYSTEM=1 HOME=$tmp GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t \
  GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t

# A course of two modules; the plan links to the explainer's chapter 2
# and cites its chapter 3.2 in prose; the review names the next module;
# a page at the root links to the plan. other.md has a broken link of its
# own that no change here touches: it must never be reported.
course() {
  rm -rf "$tmp/c"
  mkdir -p "$tmp/c/m1" "$tmp/c/m2"
  cd "$tmp/c" || exit 1
  git init -q -b main
  printf '# Plan\n\nRead [attention](02_explainer.md#2-attention), then re-read explainer chapter 3.2.\n' >m1/01_weekly_plan.md
  printf '# Explainer\n\n## 1. Basics\n\n## 2. Attention\n\n## 3. Heads\n\n### 3.1 One\n\n### 3.2 Two\n' >m1/02_explainer.md
  printf '# Notes\n\nReady to move to ../m2/.\n' >m1/06_notes.md
  printf '# Next\n\n![logo](../img/logo.png)\n' >m2/01_weekly_plan.md
  mkdir -p img
  printf 'PNG' >img/logo.png
  printf '# Home\n\n[plan](m1/01_weekly_plan.md)\n' >README.md
  printf '# Other\n\n[gone](nowhere.md)\n' >other.md
  git add -A
  git commit -qm start
}

run() { # run ARGS...: the CLI's stdout; its status in $status
  out=$("$bin" -q --color=never "$@" 2>"$tmp/err")
  status=$?
}

# 1. Nothing staged: nothing to say.
course
run --staged
ok "--staged without staged changes exits 0" test "$status" -eq 0
ok "--staged without staged changes prints nothing" test -z "$out$(cat "$tmp/err")"
run --staged --format=json
ok "--staged without changes prints nothing in JSON either" test -z "$out"

# 2. A chapter heading renamed: the plan's link to it breaks.
course
sed -i 's/## 2. Attention/## 2. Attention heads/' m1/02_explainer.md
git add -A
run --staged
same "--staged reports the link the renamed heading breaks" \
  "m1/01_weekly_plan.md:3:6: error: no heading '#2-attention' in 02_explainer.md; did you mean '#2-attention-heads'? [link/missing-anchor]" "$out"
ok "--staged exits 1 on what the change breaks" test "$status" -eq 1
run --staged --no-referrers
same "--no-referrers leaves other pages out" "" "$out"

# 3. A page moved with git mv: the links to it break.
course
git mv m1/01_weekly_plan.md m1/01_plan.md
run --staged
same "--staged reports links to a page renamed away, and where it went" \
  "README.md:3:1: error: link target 'm1/01_weekly_plan.md' does not exist; did you mean 'm1/01_plan.md'? [link/missing-file]" \
  "$out"

# 4. A chapter deleted: the prose reference to its section breaks.
course
printf '# Explainer\n\n## 1. Basics\n\n## 2. Attention\n' >m1/02_explainer.md
git add -A
run --staged
same "--staged reports prose citing a deleted section" \
  "m1/01_weekly_plan.md:3:61: error: explainer chapter 3.2 does not exist: 02_explainer.md has chapters 1-2 [ref/missing-section]" "$out"

# 5. A page deleted (not renamed).
course
git rm -q m1/01_weekly_plan.md
run --staged
same "--staged reports links to a deleted page" \
  "README.md:3:1: error: link target 'm1/01_weekly_plan.md' does not exist [link/missing-file]" "$out"

# 6. An image deleted.
course
git rm -q img/logo.png
run --staged
same "--staged reports images that were deleted" \
  "m2/01_weekly_plan.md:3:1: error: image '../img/logo.png' does not exist [link/missing-file]" "$out"

# 7. A harmless change passes.
course
printf '\nOne more line.\n' >>m1/02_explainer.md
git add -A
run --staged
ok "a harmless staged change exits 0" test "$status" -eq 0
same "a harmless staged change prints nothing" "" "$out"

# 8. A pull request: a branch with a commit, a staged change, an
# unstaged one and an untracked page, against main.
course
git checkout -q -b topic
sed -i 's/## 2. Attention/## 2. Focus/' m1/02_explainer.md
git commit -qam "rename chapter 4"
printf '# New\n\n[bad](nope.md)\n' >m2/02_explainer.md
printf '# Home\n\n[plan](m1/01_weekly_plan.md) and [r](m1/06_notes.md#nothing)\n' >README.md
git add README.md
printf '\n[next](../m2/missing.md)\n' >>m1/06_notes.md
run --changed-since main
same "--changed-since reports the branch's, staged, unstaged and untracked changes and what they break" \
  "README.md:3:34: error: no heading '#nothing' in m1/06_notes.md [link/missing-anchor]
m1/01_weekly_plan.md:3:6: error: no heading '#2-attention' in 02_explainer.md [link/missing-anchor]
m1/06_notes.md:5:1: error: link target '../m2/missing.md' does not exist [link/missing-file]
m2/02_explainer.md:3:1: error: link target 'nope.md' does not exist [link/missing-file]" "$out"
run --changed-since main --format json
ok "--changed-since works with --format json" \
  test "$(grep -o '"rule"' <<<"$out" | wc -l)" -eq 4
run --changed-since main --report "$tmp/report.md"
ok "--changed-since writes --report" grep -q "nope.md" "$tmp/report.md"
git stash -q -u
git checkout -q main
run --changed-since main
ok "--changed-since on the ref itself exits 0" test "$status" -eq 0
same "--changed-since on the ref itself prints nothing" "" "$out"

# 9. Errors: outside a work tree, an unknown ref, PATHs with --staged.
mkdir -p "$tmp/plain"
printf '# P\n' >"$tmp/plain/p.md"
(cd "$tmp/plain" && "$bin" -q --root . --staged >/dev/null 2>"$tmp/err")
ok "--staged outside a git work tree exits 2" test $? -eq 2
ok "--staged outside a git work tree says so" grep -q "not in a git work tree" "$tmp/err"
cd "$tmp/c" || exit 1
run --changed-since no-such-branch
ok "--changed-since with an unknown ref exits 2" test "$status" -eq 2
ok "--changed-since with an unknown ref names it" grep -q "unknown revision 'no-such-branch'" "$tmp/err"
run --staged m1/02_explainer.md
ok "--staged with PATHs is a usage error" test "$status" -eq 2

# 10. PATHs alone: the named page's breakage elsewhere is reported too.
course
sed -i 's/## 2. Attention/## 2. Attention heads/' m1/02_explainer.md
run m1/02_explainer.md
same "a PATH's findings come with what it breaks on other pages" \
  "m1/01_weekly_plan.md:3:6: error: no heading '#2-attention' in 02_explainer.md; did you mean '#2-attention-heads'? [link/missing-anchor]" "$out"

# 11. A change to many pages at once (past the search's limit, every
# page is a candidate): what it breaks is still reported, and a page that
# names one of them rightly stays silent.
course
mkdir -p many
for i in $(seq 1 40); do printf '# Page %d\n\n## Part\n' "$i" >"many/p$i.md"; done
printf '# Index\n\n[forty](many/p40.md#part) [one](many/p1.md#part)\n' >index.md
git add -A
git commit -qm many
for i in $(seq 1 40); do printf '# Page %d\n\n## Piece\n' "$i" >"many/p$i.md"; done
sed -i 's/#part)$/#piece)/' index.md
run many/p*.md
same "forty named pages: the link they break elsewhere is reported" \
  "index.md:3:1: error: no heading '#part' in many/p40.md [link/missing-anchor]" "$out"

# 12. A course in a folder of a larger repository: a page moved out of
# the course is gone for it (the link to it breaks), a page moved in from
# outside is checked, a staged change outside the course is not its own.
rm -rf "$tmp/r"
mkdir -p "$tmp/r/course/m1" "$tmp/r/notes" "$tmp/r/site"
cd "$tmp/r" || exit 1
git init -q -b main
printf '# Plan\n\nRead [attention](02_explainer.md#2-attention).\n' >course/m1/01_weekly_plan.md
printf '# Explainer\n\n## 2. Attention\n' >course/m1/02_explainer.md
printf '# Draft\n\n[x](missing.md)\n' >notes/03_draft.md
printf '# Site\n\n[y](gone.md)\n' >site/index.md
git add -A
git commit -qm start
git mv course/m1/02_explainer.md notes/02_explainer.md
git mv notes/03_draft.md course/m1/03_draft.md
printf '# Site\n\n[z](also-gone.md)\n' >site/index.md
git add -A
cd course || exit 1
run --root . --staged
same "--staged in a course folder: moved out is gone, moved in is checked, outside is not reported" \
  "m1/01_weekly_plan.md:3:6: error: link target '02_explainer.md#2-attention' does not exist [link/missing-file]
m1/03_draft.md:3:1: error: link target 'missing.md' does not exist [link/missing-file]" "$out"
cd "$tmp/r/course/m1" || exit 1
run --root .. --staged
same "--staged from a folder below the course root names pages from there" \
  "01_weekly_plan.md:3:6: error: link target '02_explainer.md#2-attention' does not exist [link/missing-file]
03_draft.md:3:1: error: link target 'missing.md' does not exist [link/missing-file]" "$out"

echo "1..$n"
