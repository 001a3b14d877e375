#!/usr/bin/env bash
# make install / make uninstall into a temporary PREFIX: every file lands,
# the man page renders, a program builds against the library through
# pkg-config and runs, and uninstall removes every file again. Prints TAP.
# usage: install.sh path/to/courselint (BUILD in the environment)
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
. "$(dirname "$0")/../lib/tap.sh"
prefix="$tmp/prefix"

make -C "$top" --no-print-directory -s BUILD="$BUILD" install PREFIX="$prefix" >"$tmp/log" 2>&1
t "make install succeeds" test $? -eq 0
for f in bin/courselint share/man/man1/courselint.1 lib/libcourselint.a \
         include/courselint.h lib/pkgconfig/courselint.pc; do
  t "installs $f" test -s "$prefix/$f"
done
t "the binary is executable" test -x "$prefix/bin/courselint"
t "the installed binary runs" "$prefix/bin/courselint" --version
if command -v man >/dev/null; then
  t "the man page renders without warnings" \
    bash -c "MANWIDTH=80 man --warnings -l '$prefix/share/man/man1/courselint.1' 2>&1 >/dev/null | grep -q . && exit 1 || exit 0"
fi
# Every option of the usage text, as the man page spells it (\-\-root).
for opt in $(grep -o -E '^ *"  (-[a-z], )?--[a-z-]+' "$top/src/cli/main.c" |
             grep -o -E -- '--[a-z-]+' | sort -u); do
  t "the man page documents $opt" grep -q -F -- "${opt//-/\\-}" \
    "$prefix/share/man/man1/courselint.1"
done
cat > "$tmp/use.c" <<'C'
#include <courselint.h>
#include <stdio.h>
int main(void) {
  clint_error err;
  clint_linter *l = clint_linter_new(&err);
  if (!l)
    return 1;
  printf("%s %zu\n", CLINT_VERSION, clint_linter_rule_count(l));
  clint_linter_free(l);
  return 0;
}
C
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
t "pkg-config knows courselint" pkg-config --exists courselint
t "pkg-config gives the version" test "$(pkg-config --modversion courselint)" = \
  "$(sed -n 's/^#define CLINT_VERSION "\(.*\)"/\1/p' "$top/include/courselint.h")"
# A library built by `make asan` or `make tsan` needs the sanitizers at
# link time too.
san=
if nm "$prefix/lib/libcourselint.a" 2>/dev/null | grep -q __asan_; then
  san=-fsanitize=address,undefined
elif nm "$prefix/lib/libcourselint.a" 2>/dev/null | grep -q __tsan_; then
  san=-fsanitize=thread
fi
${CC:-cc} -std=c11 $san -o "$tmp/use" "$tmp/use.c" \
  $(pkg-config --cflags --libs courselint) 2>"$tmp/cc.log"
t "a program builds against the library through pkg-config" test $? -eq 0
t "and runs" "$tmp/use"
make -C "$top" --no-print-directory -s BUILD="$BUILD" uninstall PREFIX="$prefix" >>"$tmp/log" 2>&1
t "make uninstall succeeds" test $? -eq 0
t "make uninstall removes every file" test -z "$(find "$prefix" -type f)"
echo "1..$n"
