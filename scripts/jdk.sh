# Sourced by the project's scripts: finds a JDK 25 and exports JAVA_HOME for it.
# Order: $JAVA_HOME if it is 25+, then the usual install places. Fails with what to do.
jcompose_java_feature() { # prints the feature release of the JDK at $1 (e.g. 25), or nothing
  local rel="$1/release"
  [ -r "$rel" ] || return 0
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$rel"
}
jcompose_find_jdk() {
  local c
  for c in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25* /usr/lib/jvm/java-25* /usr/lib/jvm/jdk-25* /usr/lib/jvm/*; do
    [ -n "$c" ] && [ -x "$c/bin/java" ] || continue
    local f; f=$(jcompose_java_feature "$c")
    if [ -n "$f" ] && [ "$f" -ge 25 ]; then printf '%s\n' "$c"; return 0; fi
  done
  return 1
}
if ! JAVA_HOME=$(jcompose_find_jdk); then
  echo "jcompose: no JDK 25 found (looked at \$JAVA_HOME and /usr/lib/jvm/*)." >&2
  echo "jcompose: install one (Debian/Ubuntu: Temurin 25 from the Adoptium apt repository, package temurin-25-jdk) or set JAVA_HOME to it." >&2
  return 1 2>/dev/null || exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
