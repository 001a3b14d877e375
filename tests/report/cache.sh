#!/usr/bin/env bash
# The cache of runs that search for referrers (PATHs, --staged): a run
# that reads it reports exactly what a run without it (--no-cache)
# reports, whatever changed on disk since it was written: a page's text
# (even at the same size and modification time), a page added, a page
# deleted, a folder renamed; and a cache file that is damaged, cut short
# or not a file is ignored. Prints TAP. usage: cache.sh path/to/courselint
set -u
. "$(cd "$(dirname "$0")" && pwd)/lib/tap.sh"
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_CACHE_HOME=$tmp/cache
unset CI # under CI no cache is kept (tested below); these tests want one

# agree NAME ARGS...: the run with the cache prints and exits as the run
# without it does (and the run without it still finds something).
agree() {
  local name=$1
  shift
  want=$("$bin" -q --color=never --no-cache "$@" 2>&1)
  ws=$?
  got=$("$bin" -q --color=never "$@" 2>&1)
  gs=$?
  n=$((n + 1))
  if [ "$want" = "$got" ] && [ "$ws" = "$gs" ] && [ -n "$want" ]; then
    echo "ok $n - $name"
  else
    echo "not ok $n - $name"
    diff <(echo "$want") <(echo "$got") | sed 's/^/# /'
    echo "# status without the cache $ws, with it $gs"
  fi
}

# A course of two modules; pages of m2 link into m1's explainer.
mkdir -p "$tmp/c/m1" "$tmp/c/m2/deep" "$tmp/c/m3"
cd "$tmp/c" || exit 1
printf '# Explainer\n\n## 1. Basics\n\n## 2. Attention\n' >m1/02_explainer.md
printf '# Plan\n\nRead [attention](02_explainer.md#2-attention).\n' >m1/01_weekly_plan.md
printf '# Next\n\nSee [basics](../m1/02_explainer.md#1-basics).\n' >m2/01_weekly_plan.md
printf '# Deep\n\n[x](../../m1/02_explainer.md#1-basics)\n' >m2/deep/notes.md
far_old='# Far\n\nNothing about the first module here, nothing at all.\n'
far_new='# Far\n\n[b](../m1/02_explainer.md#1-basics), and no more....\n'
printf "$far_old" >m3/01_weekly_plan.md
touch .courselint.yml
# Files changed in the last two seconds are not trusted to the cache;
# these are older by then.
sleep 3

# The change: chapter 1 renamed, so three links break.
sed -i 's/## 1. Basics/## 1. Foundations/' m1/02_explainer.md
agree "a first run (nothing cached) reports what --no-cache reports" m1/02_explainer.md
cache=$(ls "$XDG_CACHE_HOME"/courselint/*.cache 2>/dev/null | head -1)
ok "it leaves a cache file" test -s "$cache"
agree "a second run (all cached) reports the same" m1/02_explainer.md

# A referrer's text changed at the same size and modification time: only
# its change time tells.
touch -r m3/01_weekly_plan.md "$tmp/when"
s=$(stat -c %s m3/01_weekly_plan.md)
printf "$far_new" >m3/01_weekly_plan.md
ok "(the rewritten page has the same size)" test "$(stat -c %s m3/01_weekly_plan.md)" = "$s"
touch -m -r "$tmp/when" m3/01_weekly_plan.md
ok "(and the same modification time)" test "$(stat -c %y m3/01_weekly_plan.md)" = "$(stat -c %y "$tmp/when")"
agree "a page rewritten in place (same time) is read again" m1/02_explainer.md

# A page added in a cached folder, one deleted, a folder renamed.
printf '# New\n\n[n](../m1/02_explainer.md#1-basics)\n' >m2/new.md
rm m2/deep/notes.md
agree "a page added and a page deleted are seen" m1/02_explainer.md
mv m2 m2b
agree "a folder renamed is seen" m1/02_explainer.md
sleep 3
agree "after they settle, cached again: the same" m1/02_explainer.md

# The cache file damaged: cut short, bytes changed, emptied, replaced by
# a folder or by a link elsewhere. Each run still agrees.
cp "$cache" "$tmp/good"
size=$(stat -c %s "$tmp/good")
head -c $((size / 2)) "$tmp/good" >"$cache"
agree "a cache cut short is ignored" m1/02_explainer.md
for at in 20 100 $((size / 3)) $((size - 9)); do
  cp "$tmp/good" "$cache"
  printf 'ZZZZ' | dd of="$cache" bs=1 seek="$at" conv=notrunc 2>/dev/null
  agree "a cache with bytes changed at $at is ignored or harmless" m1/02_explainer.md
done
: >"$cache"
agree "an empty cache is ignored" m1/02_explainer.md
rm -f "$cache"
printf 'not yours\n' >"$tmp/elsewhere"
ln -s "$tmp/elsewhere" "$cache"
agree "a cache that is a link is not followed" m1/02_explainer.md
ok "and what it leads to is left as it was" grep -qx 'not yours' "$tmp/elsewhere"

# The summaries are what the run goes by: with every bit of them cleared
# (each page "surely" lacks every word), the referrers go unseen. This is
# how the tests know that a cached run reads the cache at all.
cp "$tmp/good" "$cache"
words=$(od -An -t u8 -j 32 -N 8 "$cache" | tr -d ' ')
size=$(stat -c %s "$cache")
dd if=/dev/zero of="$cache" bs=1 seek=$((size - words * 8)) count=$((words * 8)) \
  conv=notrunc 2>/dev/null
got=$("$bin" -q --color=never m1/02_explainer.md 2>&1)
ok "cleared summaries hide the referrers (the cache is used)" \
  test -z "$(grep -v '^m1/' <<<"$got")" -a -n "$(grep -v '^m1/' <<<"$want")"
rm -f "$cache"

# --no-cache writes nothing; a relative XDG_CACHE_HOME is not used.
rm -rf "$XDG_CACHE_HOME"
"$bin" -q --no-cache m1/02_explainer.md >/dev/null 2>&1
ok "--no-cache writes no cache" test ! -e "$XDG_CACHE_HOME"
(cd "$tmp" && XDG_CACHE_HOME=rel HOME=$tmp/home "$bin" -q --root c c/m1/02_explainer.md >/dev/null 2>&1)
ok "a relative XDG_CACHE_HOME is ignored (the home's .cache is used)" \
  test ! -e "$tmp/rel" -a -d "$tmp/home/.cache/courselint"
# Under CI, and for --changed-since, each run starts afresh: none kept.
CI=true XDG_CACHE_HOME=$tmp/ci "$bin" -q m1/02_explainer.md >/dev/null 2>&1
ok "under CI no cache is kept" test ! -e "$tmp/ci"
CI=false XDG_CACHE_HOME=$tmp/ci-false "$bin" -q m1/02_explainer.md >/dev/null 2>&1
ok "CI=false is not CI" test -d "$tmp/ci-false/courselint"
if command -v git >/dev/null; then
  (export GIT_CONFIG_NOSYSTEM=1 HOME=$tmp GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t \
     GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t
   git init -q -b main && git add -A && git commit -qm c &&
   XDG_CACHE_HOME=$tmp/since "$bin" -q --changed-since main >/dev/null 2>&1)
  ok "--changed-since keeps no cache" test ! -e "$tmp/since"
fi
# Naming the course's root is a full run: the report of a run without
# PATHs, and no referrer search, so no cache kept.
want=$("$bin" -q --color=never 2>&1)
for root in . "$tmp/c/"; do
  got=$(XDG_CACHE_HOME=$tmp/root "$bin" -q --color=never "$root" 2>&1)
  ok "'courselint ${root#$tmp/}' reports what a run without PATHs reports" \
    test "$want" = "$got" -a -n "$want"
  ok "'courselint ${root#$tmp/}' searches no referrers (keeps no cache)" \
    test -z "$(ls "$tmp/root/courselint" 2>/dev/null)"
done
# Old files go: a course's cache unused for thirty days, a temporary
# file left by a killed run after an hour; recent ones and files not named
# as the cache names them stay.
k=$tmp/prune/courselint
mkdir -p "$k"
for f in 0123456789abcdef.cache 0123456789abcdef.cache.Ab12Cd \
  fedcba9876543210.cache fedcba9876543210.cache.Zz99Yy notes.txt \
  0123456789abcdeg.cache; do
  : >"$k/$f"
done
touch -a -m -d '40 days ago' "$k/0123456789abcdef.cache" "$k/notes.txt" \
  "$k/0123456789abcdeg.cache"
touch -a -m -d '2 hours ago' "$k/0123456789abcdef.cache.Ab12Cd"
touch -a -m -d '10 minutes ago' "$k/fedcba9876543210.cache.Zz99Yy"
touch -m -d '40 days ago' "$k/fedcba9876543210.cache" # read today
XDG_CACHE_HOME=$tmp/prune "$bin" -q m1/02_explainer.md >/dev/null 2>&1
ok "a course's cache unused for thirty days is removed" test ! -e "$k/0123456789abcdef.cache"
ok "a killed run's temporary file is removed after an hour" test ! -e "$k/0123456789abcdef.cache.Ab12Cd"
ok "a cache read lately stays" test -e "$k/fedcba9876543210.cache"
ok "a recent temporary file stays" test -e "$k/fedcba9876543210.cache.Zz99Yy"
ok "files not named as the cache's stay" test -e "$k/notes.txt" -a -e "$k/0123456789abcdeg.cache"
# A full run keeps nothing.
XDG_CACHE_HOME=$tmp/full "$bin" -q >/dev/null 2>&1
ok "a run over the whole course keeps no cache" test ! -e "$tmp/full"

echo "1..$n"
