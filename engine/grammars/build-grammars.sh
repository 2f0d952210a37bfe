#!/usr/bin/env bash
# Builds tree-sitter grammars from their npm tarballs (see grammars.lock) into shared libraries
# lib/<platform>-freshet-<grammar>.<so|dylib>, exporting tree_sitter_<grammar>, which the parser
# prefers to the bonede artifacts' lib/<platform>-tree-sitter-<grammar>: the grammars Maven Central
# has no artifact for, and optimised (-O2) builds of those whose artifact is compiled without
# optimisation. "runtime" is tree-sitter's C library itself, as lib/<platform>-freshet-runtime, with
# the engine's own C functions (the optional third argument: the one-call tree copy) in it.
#
# The runtime is compiled at -O3 with profile-guided optimisation (gcc's -fprofile-generate/-use), which
# with -fno-semantic-interposition takes 15 to 20 % off the CPU time of parsing Java and Python (-O3
# itself executes 8 to 10 % fewer instructions than -O2 there; for the grammars it makes no difference):
# instrumented, it parses the example files of a rules directory (the optional fourth argument:
# rules/<grammar>/*, with the grammars built here) under pgo-train.c, and is compiled again from that
# profile; so it is built last. Should any step fail (a compiler without gcc's profile flags, such as
# macOS's clang), it is built plainly at -O3, with a warning, and cached as such (remove its cache
# entry to try again).
# The grammars themselves are not: their profile saved under 3 % of parsing time.
#
# Each grammar's npm tarball (pinned version, pinned SHA-256) holds its generated parser.c (and
# scanner.c) in src/, in <grammar>/src/ for a package with several grammars (typescript, tsx), or
# in the directory the lock's optional fourth column names (tree-sitter-sfapex's apex/src); it is
# compiled once and cached under ~/.cache/freshet/grammars/<tarball sha256>[-<runtime's inputs>]/,
# so a rebuild copies the library and needs neither npm nor a network. The runtime's entry is named
# by everything that goes into it besides the tarball: the engine's C source, the training driver
# and examples, the grammars' lock and this script. Without npm or a C compiler the grammar is left
# out with a warning: its language then reports "unsupported: no grammar".
# A tarball whose hash differs from the pinned one stops the build: it is not the reviewed code.
#
# The engine's C source includes JNI's header (its functions are called through JNI): from the JDK the
# build runs on, the optional fifth argument (else JAVA_HOME).
#
# usage: build-grammars.sh <lock file> <output directory (the class path's root)> [runtime's extra C source] [training rules directory] [JDK home]
set -euo pipefail

lock=$1
out=$2/lib
runtime_extra=${3:-}
training=${4:-}
java_home=${5:-${JAVA_HOME:-}}
here=$(cd "$(dirname "$0")" && pwd)

case "$(uname -s)" in
  Linux) os=linux-gnu; ext=so; jni_os=linux ;;
  Darwin) os=macos; ext=dylib; jni_os=darwin ;;
  *) echo "[grammars] WARNING: no grammar builds on $(uname -s); their languages stay unsupported"; exit 0 ;;
esac
case "$(uname -m)" in
  x86_64|amd64) cpu=x86_64 ;;
  aarch64|arm64) cpu=aarch64 ;;
  *) cpu=$(uname -m) ;;
esac
cache=${XDG_CACHE_HOME:-$HOME/.cache}/freshet/grammars
cc=${CC:-cc}

# The SHA-256 of the standard input.
sha256() {
  if command -v sha256sum >/dev/null; then sha256sum; else shasum -a 256; fi | cut -d' ' -f1
}

# The grammars built here that the training directory has examples for (rules/<grammar>/).
trained_grammars() {
  [[ -n "$training" && -d "$training" ]] || return 0
  local examples
  for examples in "$training"/*/; do
    examples=$(basename "$examples")
    [[ -f "$out/$cpu-$os-freshet-$examples.$ext" ]] && echo "$examples"
  done
  return 0
}

# A grammar's example files: those of rules/<grammar>/ but the rules themselves.
examples() {
  local file
  for file in "$training/$1"/*; do
    [[ -f "$file" && "$file" != *.yaml && "$file" != *.yml ]] && echo "$file"
  done
  return 0
}

# The files that make the runtime's library besides its tarball, one after the other: they name its
# cache entry, so that editing any of them (the engine's C source, the training) compiles it again.
runtime_inputs() {
  local grammar file
  cat ${runtime_extra:+"$runtime_extra"} "$here/pgo-train.c" "$lock" "$0"
  for grammar in $(trained_grammars); do
    examples "$grammar" | while IFS= read -r file; do cat "$file"; done
  done
}

# Compiles the runtime's lib.c into $work/lib.o, and the engine's C source into $work/extra.o, from a
# profile of pgo-train parsing the examples and copying their trees as the engine does (the arguments
# after the source: compiler flags, the same in both passes as gcc requires).
# -fprofile-partial-training keeps code the examples never reach (error recovery, queries)
# optimised as usual rather than for size.
profile_guided() {
  local work=$1 source=$2 grammar file files trained=0; shift 2
  # Tried first, so that a compiler that takes gcc's profile flags otherwise (clang) runs no training.
  "$cc" -fprofile-use -fprofile-partial-training -x c -c /dev/null -o "$work/probe.o" || return 1
  [[ -n "$runtime_extra" ]] || { echo "no engine C source (freshet_tree_copy) to train" >&2; return 1; }
  "$cc" "$@" -fprofile-generate -c "$source" -o "$work/lib.o" || return 1
  "$cc" "$@" -fprofile-generate -c "$runtime_extra" -o "$work/extra.o" || return 1
  "$cc" "$@" "$here/pgo-train.c" "$work/lib.o" "$work/extra.o" -fprofile-generate -ldl -o "$work/pgo-train" || return 1
  for grammar in $(trained_grammars); do
    files=()
    while IFS= read -r file; do files+=("$file"); done < <(examples "$grammar")
    [[ ${#files[@]} -gt 0 ]] || continue
    "$work/pgo-train" "$out/$cpu-$os-freshet-$grammar.$ext" "$grammar" "${files[@]}" >/dev/null || return 1
    trained=$((trained + 1))
  done
  [[ $trained -gt 0 ]] || { echo "no example files to train with in '$training'" >&2; return 1; }
  "$cc" "$@" -fprofile-use -fprofile-partial-training -c "$source" -o "$work/lib.o" \
    && "$cc" "$@" -fprofile-use -fprofile-partial-training -c "$runtime_extra" -o "$work/extra.o"
}

# Builds one grammar into $cache/$key/$library; returns non-zero (with a warning) when it cannot.
build() {
  local grammar=$1 package=$2 sha=$3 library=$4 key=$5 dir=$6
  local work consequence="its language reports unsupported: no grammar"
  [[ $grammar == runtime ]] && consequence="the Maven artifact's unoptimised runtime is used: parsing is slower"
  if ! command -v npm >/dev/null; then
    echo "[grammars] WARNING: npm is not installed: $grammar is left out ($consequence)"
    return 1
  fi
  if ! command -v "$cc" >/dev/null; then
    echo "[grammars] WARNING: no C compiler ($cc): $grammar is left out ($consequence)"
    return 1
  fi
  work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  if ! (cd "$work" && npm pack --silent "$package" >/dev/null 2>"$work/npm.log"); then
    echo "[grammars] WARNING: npm pack $package failed: $grammar is left out"
    sed 's/^/[grammars]   /' "$work/npm.log" | head -5
    return 1
  fi
  local tarball actual
  tarball=$(ls "$work"/*.tgz)
  actual=$(sha256 <"$tarball")
  if [[ "$actual" != "$sha" ]]; then
    echo "[grammars] ERROR: $package has SHA-256 $actual, not the pinned $sha: refusing to compile it" >&2
    exit 1
  fi
  local sources compile=(-fPIC -O2 -std=c11)
  if [[ $grammar == runtime ]]; then
    # tree-sitter's own C library: one translation unit (lib.c) that includes the others, compiled
    # from a profile of real parsing when the compiler can, else plainly with the rest. With gcc, also
    # -fno-semantic-interposition: the library's calls to its own exported functions are then direct
    # and inlined (nothing interposes them: the engine loads the library by itself), which saves
    # another 7 % of the instructions parsing executes.
    local lib=package/vendor/tree-sitter/lib
    tar -xzf "$tarball" -C "$work" "$lib"
    compile+=(-O3 -D_POSIX_C_SOURCE=200112L -D_DEFAULT_SOURCE -I "$work/$lib/include" -I "$work/$lib/src")
    if [[ -n "$runtime_extra" ]]; then
      if [[ ! -f "$java_home/include/jni.h" ]]; then
        echo "[grammars] WARNING: no jni.h under '$java_home/include' (pass the JDK's home): $grammar is left out ($consequence)"
        return 1
      fi
      compile+=(-I "$java_home/include" -I "$java_home/include/$jni_os")
    fi
    if profile_guided "$work" "$work/$lib/src/lib.c" "${compile[@]}" -fno-semantic-interposition 2>"$work/pgo.log"; then
      sources=("$work/lib.o" "$work/extra.o")
    else
      echo "[grammars] WARNING: no profile-guided runtime ($(grep -m1 error "$work/pgo.log" || tail -n1 "$work/pgo.log")): built at plain -O3, parsing is slower"
      sources=("$work/$lib/src/lib.c")
      [[ -n "$runtime_extra" ]] && sources+=("$runtime_extra")
    fi
  else
    # A package with several grammars keeps each in a folder: named by the lock, or after the grammar.
    local src=package/${dir:-src}
    tar -xzf "$tarball" -C "$work" package
    [[ -z "$dir" && -f "$work/package/$grammar/src/parser.c" ]] && src=package/$grammar/src
    sources=("$work/$src/parser.c")
    [[ -f "$work/$src/scanner.c" ]] && sources+=("$work/$src/scanner.c")
    compile+=(-I "$work/$src")
  fi
  local flags=(-shared "${compile[@]}")
  [[ $os == macos ]] && flags+=(-dynamiclib)
  if ! "$cc" "${flags[@]}" "${sources[@]}" -o "$work/$library" 2>"$work/cc.log"; then
    echo "[grammars] WARNING: compiling $grammar failed: it is left out"
    sed 's/^/[grammars]   /' "$work/cc.log" | head -10
    return 1
  fi
  mkdir -p "$cache/$key"
  # A library in the cache is always whole: it is moved there in one step.
  mv "$work/$library" "$cache/$key/$library.partial.$$"
  mv "$cache/$key/$library.partial.$$" "$cache/$key/$library"
  echo "[grammars] built $grammar from $package"
}

mkdir -p "$out"
# The runtime comes last: it trains with the grammars built before it.
while read -r grammar package sha dir; do
  [[ -z "$grammar" || "$grammar" == \#* ]] && continue
  library=$cpu-$os-freshet-$grammar.$ext
  key=$sha
  [[ $grammar == runtime ]] && key=$sha-$(runtime_inputs | sha256 | cut -c1-16)
  if [[ -f "$cache/$key/$library" ]] || build "$grammar" "$package" "$sha" "$library" "$key" "$dir"; then
    cp "$cache/$key/$library" "$out/$library"
  else
    rm -f "$out/$library"
  fi
done < <(grep -v '^runtime[[:space:]]' "$lock"; grep '^runtime[[:space:]]' "$lock")
