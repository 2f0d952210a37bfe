# Sourced by ./freshet and ./build: finds a JDK 25 or newer and exports JAVA_HOME.
# Looks at JAVA_HOME, then `java` on PATH, then the usual install locations, reading each JDK's
# `release` file rather than starting it; the JDK found is remembered in a cache file and reused
# while it is still installed.

freshet_required_major=25

freshet_java_major() {
  # Prints the feature version of the JDK at $1 (e.g. 17, 21, 25), or nothing.
  sed -n 's/^JAVA_VERSION="\(1\.\)\{0,1\}\([0-9]*\).*/\2/p' "$1/release" 2>/dev/null | head -n 1
}

freshet_is_jdk() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  major=$(freshet_java_major "$1")
  [ -n "$major" ] && [ "$major" -ge "$freshet_required_major" ]
}

freshet_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && freshet_is_jdk "$JAVA_HOME"; then
    export JAVA_HOME
    return 0
  fi
  jdk_cache="${XDG_CACHE_HOME:-$HOME/.cache}/freshet/jdk-home"
  if [ -f "$jdk_cache" ]; then
    cached=$(cat "$jdk_cache")
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
    if [ "$major" -gt "$best_major" ]; then best="$home" best_major="$major"; fi
  done
  if [ -z "$best" ]; then
    echo "freshet: no JDK $freshet_required_major or newer found (looked at JAVA_HOME, PATH and /usr/lib/jvm)." >&2
    echo "Install one (for example: apt-get install openjdk-$freshet_required_major-jdk) or set JAVA_HOME to it." >&2
    return 1
  fi
  JAVA_HOME="$best"
  export JAVA_HOME
  mkdir -p "$(dirname "$jdk_cache")" 2>/dev/null && echo "$best" >"$jdk_cache.$$" 2>/dev/null &&
    mv -f "$jdk_cache.$$" "$jdk_cache" 2>/dev/null || true
}
