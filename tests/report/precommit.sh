#!/usr/bin/env bash
# The real pre-commit client with the project's .pre-commit-hooks.yaml, on
# a course repository built here: the hook must stop a commit that renames
# a heading other pages link to, one that moves a page with `git mv`, and
# one that deletes a chapter cited in prose, naming the pages they break;
# and let a harmless change through. Skipped, with a message, when
# pre-commit is not installed (Debian: apt-get install pre-commit). Prints
# TAP. usage: precommit.sh path/to/courselint
set -u
. "$(cd "$(dirname "$0")" && pwd)/lib/tap.sh"
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
project=$(cd "$(dirname "$0")/../.." && pwd)
if ! command -v pre-commit >/dev/null || ! command -v git >/dev/null; then
  echo "1..0 # skip: pre-commit is not installed (apt-get install pre-commit)"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp PRE_COMMIT_HOME=$tmp/cache GIT_CONFIG_NOSYSTEM=1 \
  GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t GIT_COMMITTER_NAME=t \
  GIT_COMMITTER_EMAIL=t@t PATH=$(dirname "$bin"):$PATH

# pre-commit reads the hooks' manifest from a commit of a repository: a
# copy of the manifest as it is in the work tree, committed, stands in for
# this project (whose work tree may hold uncommitted changes).
mkdir -p "$tmp/hooks"
cp "$project/.pre-commit-hooks.yaml" "$tmp/hooks/"
git -C "$tmp/hooks" init -q
git -C "$tmp/hooks" add -A
git -C "$tmp/hooks" commit -qm hooks
rev=$(git -C "$tmp/hooks" rev-parse HEAD)

mkdir -p "$tmp/c/m1"
cd "$tmp/c" || exit 1
git init -q
cat >.pre-commit-config.yaml <<YML
repos:
  - repo: $tmp/hooks
    rev: $rev
    hooks:
      - id: courselint
YML
printf '# Plan\n\nRead [attention](02_explainer.md#2-attention), then explainer chapter 3.2.\n' >m1/01_weekly_plan.md
printf '# Explainer\n\n## 1. Basics\n\n## 2. Attention\n\n## 3. Heads\n\n### 3.1 One\n\n### 3.2 Two\n' >m1/02_explainer.md
printf '# Home\n\n[plan](m1/01_weekly_plan.md)\n' >README.md
git add -A
git commit -qm start
if ! pre-commit install >"$tmp/install.log" 2>&1; then
  echo "not ok 1 - pre-commit install"
  sed 's/^/# /' "$tmp/install.log"
  echo "1..1"
  exit 0
fi

# try MESSAGE: commit what is staged; its status in $status, output in $out
try() {
  out=$(git commit -qm "$1" 2>&1)
  status=$?
}

sed -i 's/## 2. Attention/## 2. Attention heads/' m1/02_explainer.md
git add -A
try "rename a heading"
ok "the hook stops a commit renaming a heading that is linked to" test "$status" -ne 0
ok "... and names the page it breaks" grep -q "m1/01_weekly_plan.md:3:6: error: no heading '#2-attention'" <<<"$out"
git checkout -q HEAD -- m1/02_explainer.md

git mv m1/01_weekly_plan.md m1/01_plan.md
try "move a page"
ok "the hook stops a git mv of a page that is linked to" test "$status" -ne 0
ok "... and names the page it breaks" grep -q "README.md:3:1: error: link target 'm1/01_weekly_plan.md' does not exist" <<<"$out"
git mv m1/01_plan.md m1/01_weekly_plan.md

printf '# Explainer\n\n## 1. Basics\n\n## 2. Attention\n' >m1/02_explainer.md
git add -A
try "delete chapter 3"
ok "the hook stops a commit deleting a chapter cited in prose" test "$status" -ne 0
ok "... and names the page it breaks" grep -q "m1/01_weekly_plan.md:3:.*explainer chapter 3.2 does not exist" <<<"$out"
git checkout -q HEAD -- m1/02_explainer.md

printf '\nOne more paragraph.\n' >>m1/02_explainer.md
git add -A
try "a harmless change"
ok "the hook lets a harmless change through" test "$status" -eq 0
ok "... and the commit is made" test "$(git log --oneline | wc -l)" -eq 2
echo "1..$n"
