# Sourced by ./freshet and ./build: finds a JDK 25 or newer, exports JAVA_HOME and sets java_major.
# Looks at JAVA_HOME, then `java` on PATH, then the usual install locations, reading each JDK's
# `release` file rather than starting it; the JDK found is remembered in a cache file and reused
# while it is still installed.

freshet_required_major=25

freshet_java_major() {
  # Sets java_major to the feature version of the JDK at $1 (e.g. 17, 21, 25), or to nothing. Shell
  # built-ins only: the launcher runs this on every command, where each program started costs a millisecond.
  java_major=""
  [ -r "$1/release" ] || return 0
  while IFS= read -r line || [ -n "$line" ]; do
    case $line in
      JAVA_VERSION=*)
        version=${line#JAVA_VERSION=}
        version=${version#\"}
        version=${version#1.}
        java_major=${version%%[!0-9]*}
        return 0 ;;
    esac
  done <"$1/release"
}

freshet_is_jdk() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  freshet_java_major "$1"
  [ -n "$java_major" ] && [ "$java_major" -ge "$freshet_required_major" ]
}

freshet_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && freshet_is_jdk "$JAVA_HOME"; then
    export JAVA_HOME
    return 0
  fi
  jdk_cache="${XDG_CACHE_HOME:-$HOME/.cache}/freshet/jdk-home"
  if [ -f "$jdk_cache" ]; then
    cached=""
    IFS= read -r cached <"$jdk_cache" || true
    if [ -n "$cached" ] && freshet_is_jdk "$cached"; then
      JAVA_HOME="$cached"
      export JAVA_HOME
      return 0
    fi
  fi
  candidates=""
  if command -v java >/dev/null 2>&1; then
    java_bin=$(command -v java)
    java_bin=$(readlink -f "$java_bin" 2>/dev/null || echo "$java_bin")
    candidates="${java_bin%/bin/java}"
  fi
  for dir in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
             "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$dir" ] && candidates="$candidates $dir"
  done
  best="" best_major=0
  for home in $candidates; do
    freshet_is_jdk "$home" || continue
    if [ "$java_major" -gt "$best_major" ]; then best="$home" best_major="$java_major"; fi
  done
  if [ -z "$best" ]; then
    echo "freshet: no JDK $freshet_required_major or newer found (looked at JAVA_HOME, PATH and /usr/lib/jvm)." >&2
    echo "Install one (for example: apt-get install openjdk-$freshet_required_major-jdk) or set JAVA_HOME to it." >&2
    return 1
  fi
  JAVA_HOME="$best"
  java_major=$best_major
  export JAVA_HOME
  mkdir -p "$(dirname "$jdk_cache")" 2>/dev/null && echo "$best" >"$jdk_cache.$$" 2>/dev/null &&
    mv -f "$jdk_cache.$$" "$jdk_cache" 2>/dev/null || true
}
