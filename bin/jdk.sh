# Sourced by ./freshet and ./build: finds a JDK 21 or newer and exports JAVA_HOME.
# Looks at JAVA_HOME, then `java` on PATH, then the usual install locations.

freshet_java_major() {
  # Prints the feature version of the java binary $1 (e.g. 17, 21, 25), or nothing.
  "$1" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \(1\.\)\{0,1\}\([0-9]*\).*/\2/p' | head -n 1
}

freshet_find_jdk() {
  candidates=""
  [ -n "${JAVA_HOME:-}" ] && candidates="$JAVA_HOME"
  if command -v java >/dev/null 2>&1; then
    java_bin=$(command -v java)
    java_bin=$(readlink -f "$java_bin" 2>/dev/null || echo "$java_bin")
    candidates="$candidates ${java_bin%/bin/java}"
  fi
  for dir in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
             "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$dir" ] && candidates="$candidates $dir"
  done
  best="" best_major=0
  for home in $candidates; do
    [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || continue
    major=$(freshet_java_major "$home/bin/java")
    [ -n "$major" ] || continue
    if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then best="$home" best_major="$major"; fi
  done
  if [ -z "$best" ]; then
    echo "freshet: no JDK 21 or newer found (looked at JAVA_HOME, PATH and /usr/lib/jvm)." >&2
    echo "Install one (for example: apt-get install openjdk-21-jdk) or set JAVA_HOME to it." >&2
    return 1
  fi
  JAVA_HOME="$best"
  export JAVA_HOME
}
