#!/usr/bin/env bash
# Builds tree-sitter grammars from their npm tarballs (see grammars.lock) into shared libraries
# lib/<platform>-freshet-<grammar>.<so|dylib>, exporting tree_sitter_<grammar>, which the parser
# prefers to the bonede artifacts' lib/<platform>-tree-sitter-<grammar>: the grammars Maven Central
# has no artifact for, and optimised (-O2) builds of those whose artifact is compiled without
# optimisation. "runtime" is tree-sitter's C library itself, as lib/<platform>-freshet-runtime, with
# the engine's own C functions (the optional third argument: the one-call tree copy) in it.
#
# Each grammar's npm tarball (pinned version, pinned SHA-256) holds its generated parser.c (and
# scanner.c) in src/, in <grammar>/src/ for a package with several grammars (typescript, tsx), or
# in the directory the lock's optional fourth column names (tree-sitter-sfapex's apex/src); it is
# compiled once and cached under ~/.cache/freshet/grammars/<tarball sha256>[-<extra source sha256>]/,
# so a rebuild copies the library and needs neither npm nor a network. Without npm or a C compiler
# the grammar is left out with a warning: its language then reports "unsupported: no grammar".
# A tarball whose hash differs from the pinned one stops the build: it is not the reviewed code.
#
# usage: build-grammars.sh <lock file> <output directory (the class path's root)> [runtime's extra C source]
set -euo pipefail

lock=$1
out=$2/lib
runtime_extra=${3:-}

case "$(uname -s)" in
  Linux) os=linux-gnu; ext=so ;;
  Darwin) os=macos; ext=dylib ;;
  *) echo "[grammars] WARNING: no grammar builds on $(uname -s); their languages stay unsupported"; exit 0 ;;
esac
case "$(uname -m)" in
  x86_64|amd64) cpu=x86_64 ;;
  aarch64|arm64) cpu=aarch64 ;;
  *) cpu=$(uname -m) ;;
esac
cache=${XDG_CACHE_HOME:-$HOME/.cache}/freshet/grammars
cc=${CC:-cc}

sha256() {
  if command -v sha256sum >/dev/null; then sha256sum "$1" | cut -d' ' -f1; else shasum -a 256 "$1" | cut -d' ' -f1; fi
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
  actual=$(sha256 "$tarball")
  if [[ "$actual" != "$sha" ]]; then
    echo "[grammars] ERROR: $package has SHA-256 $actual, not the pinned $sha: refusing to compile it" >&2
    exit 1
  fi
  local sources flags=(-shared -fPIC -O2 -std=c11)
  if [[ $grammar == runtime ]]; then
    # tree-sitter's own C library: one translation unit (lib.c) that includes the others.
    local lib=package/vendor/tree-sitter/lib
    tar -xzf "$tarball" -C "$work" "$lib"
    sources=("$work/$lib/src/lib.c")
    [[ -n "$runtime_extra" ]] && sources+=("$runtime_extra")
    flags+=(-D_POSIX_C_SOURCE=200112L -D_DEFAULT_SOURCE -I "$work/$lib/include" -I "$work/$lib/src")
  else
    # A package with several grammars keeps each in a folder: named by the lock, or after the grammar.
    local src=package/${dir:-src}
    tar -xzf "$tarball" -C "$work" package
    [[ -z "$dir" && -f "$work/package/$grammar/src/parser.c" ]] && src=package/$grammar/src
    sources=("$work/$src/parser.c")
    [[ -f "$work/$src/scanner.c" ]] && sources+=("$work/$src/scanner.c")
    flags+=(-I "$work/$src")
  fi
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
while read -r grammar package sha dir; do
  [[ -z "$grammar" || "$grammar" == \#* ]] && continue
  library=$cpu-$os-freshet-$grammar.$ext
  key=$sha
  # The runtime's cache entry is named by the engine's C source too: editing it compiles it again.
  [[ $grammar == runtime && -n "$runtime_extra" ]] && key=$sha-$(sha256 "$runtime_extra" | cut -c1-16)
  if [[ -f "$cache/$key/$library" ]] || build "$grammar" "$package" "$sha" "$library" "$key" "$dir"; then
    cp "$cache/$key/$library" "$out/$library"
  else
    rm -f "$out/$library"
  fi
done <"$lock"
