#!/usr/bin/env bash
# A real editor on the server: Neovim, headless, drives `courselint lsp`
# through its built-in LSP client (tests/lsp/nvim_test.lua) on a copy of
# tests/lsp/course. Skipped, saying so, when Neovim is not installed (CI
# machines may lack it: apt-get install neovim). Prints TAP.
# usage: lsp_nvim.sh path/to/courselint
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(cd "$(dirname "$0")/../.." && pwd)
if ! command -v nvim >/dev/null 2>&1; then
  echo "ok 1 - Neovim drives courselint lsp # SKIP nvim is not installed" \
    "(Debian: apt-get install neovim); the editor test did not run"
  echo "1..1"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$top/tests/lsp/course" "$tmp/course"
mkdir "$tmp/course/.git"
COURSE="$tmp/course" CLINT="$bin" OUT="$tmp/tap" HOME="$tmp" \
  timeout 120 nvim --headless --clean -n \
  -c "luafile $top/tests/lsp/nvim_test.lua" >"$tmp/nvim.log" 2>&1 </dev/null
rc=$?
if [ -s "$tmp/tap" ]; then
  cat "$tmp/tap"
fi
if [ $rc -ne 0 ] || ! grep -q '^1\.\.' "$tmp/tap" 2>/dev/null; then
  echo "not ok - nvim exited with status $rc before the test's end"
  sed 's/^/    # /' "$tmp/nvim.log" | head -40
fi
