# Finds a JDK >= 21 for building and running Sightline. POSIX sh; sourced by ./mvnw and ./sightline.
# Sets SIGHTLINE_JDK to its home, or prints what to install and returns 1.
# Looks where Maven's toolchains plugin looks: JAVA_HOME, the java on PATH, /usr/lib/jvm, /opt/java,
# ~/.sdkman and ~/.jdks.

sightline_jdk_major() { # $1 = JDK home; prints the feature version, or nothing
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  if [ -f "$1/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$1/release" | head -n 1)
  else
    v=$("$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\).*/\1/p' | head -n 1)
  fi
  printf '%s' "$v"
}

sightline_find_jdk() {
  SIGHTLINE_JDK=""
  best=0
  path_java=$(command -v java 2>/dev/null || true)
  path_home=""
  if [ -n "$path_java" ]; then
    path_home=$(dirname "$(dirname "$(readlink -f "$path_java")")")
  fi
  case $- in *f*) sightline_noglob=1; set +f ;; *) sightline_noglob=0 ;; esac
  for home in "${JAVA_HOME-}" "$path_home" /usr/lib/jvm/* /opt/java/* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    [ -n "$home" ] && [ -d "$home" ] || continue
    major=$(sightline_jdk_major "$home")
    [ -n "$major" ] || continue
    if [ "$major" -ge 21 ] && [ "$major" -gt "$best" ]; then
      best=$major
      SIGHTLINE_JDK=$home
    fi
  done
  [ "$sightline_noglob" = 1 ] && set -f
  if [ -z "$SIGHTLINE_JDK" ]; then
    echo "Sightline needs a JDK 21 or newer, and none was found (looked at JAVA_HOME, the java on PATH," >&2
    echo "/usr/lib/jvm, /opt/java, ~/.sdkman and ~/.jdks). Install one, for example:" >&2
    echo "  Debian/Ubuntu:  sudo apt-get install openjdk-21-jdk   (or temurin-21-jdk / temurin-25-jdk)" >&2
    echo "  macOS:          brew install openjdk@21" >&2
    echo "or point JAVA_HOME at an installed JDK >= 21." >&2
    return 1
  fi
  export SIGHTLINE_JDK
  return 0
}
