#!/usr/bin/env bash
# Writes a text file through the Java stream classes Spark's event-log codecs use, with Spark's
# settings, by running the shared SparkCodecWriter (../shared/tools/codecgen). Compiles it once
# into a cache directory and reuses the class file until the source changes.
#
# Usage:
#   scripts/codecgen.sh <lz4|snappy|lzf|zstd> <plain-in> <out> [flush-every-N-lines] [noclose]
#   scripts/codecgen.sh --check      exit 0 when Java, the jars and the writer are all present
#
# Environment:
#   CODECGEN_SRC    SparkCodecWriter.java (default: <repo>/../shared/tools/codecgen/...)
#   CODECGEN_CACHE  where the compiled class goes (default: ${TMPDIR:-/tmp}/sparkmedic-codecgen-$UID)
#   CODECGEN_JARS   directory holding lz4-java.jar, snappy-java.jar, compress-lzf.jar,
#                   zstd-jni.jar (default: /usr/share/java, the Debian packages liblz4-java,
#                   libsnappy-java, libcompress-lzf-java, libzstd-jni-java)
#
# Exit status: 0 done; 2 usage; 3 something needed is missing (tests skip on this); other: the
# compiler or the writer failed.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
src=${CODECGEN_SRC:-$repo/../shared/tools/codecgen/SparkCodecWriter.java}
cache=${CODECGEN_CACHE:-${TMPDIR:-/tmp}/sparkmedic-codecgen-$(id -u)}
jars=${CODECGEN_JARS:-/usr/share/java}
cp="$jars/lz4-java.jar:$jars/snappy-java.jar:$jars/compress-lzf.jar:$jars/zstd-jni.jar"
libpath=/usr/lib/x86_64-linux-gnu/jni:/usr/lib/x86_64-linux-gnu

missing() {
  echo "codecgen: $*" >&2
  exit 3
}

check() {
  command -v java >/dev/null 2>&1 || missing "java not found (apt-get install default-jdk-headless)"
  command -v javac >/dev/null 2>&1 || missing "javac not found (apt-get install default-jdk-headless)"
  [[ -f $src ]] || missing "writer source not found: $src (set CODECGEN_SRC)"
  local jar
  for jar in lz4-java snappy-java compress-lzf zstd-jni; do
    [[ -f $jars/$jar.jar ]] || missing "$jars/$jar.jar not found (set CODECGEN_JARS)"
  done
}

# Compiles into a private directory, then renames the class into place, so concurrent test
# processes never see a half-written class file.
compile() {
  local class=$cache/SparkCodecWriter.class
  [[ -f $class && $class -nt $src ]] && return 0
  mkdir -p "$cache"
  local tmp
  tmp=$(mktemp -d "$cache/build.XXXXXX")
  javac -nowarn -cp "$cp" -d "$tmp" "$src"
  mv -f "$tmp/SparkCodecWriter.class" "$class"
  rm -rf "$tmp"
}

if [[ ${1:-} == --check ]]; then
  check
  compile
  exit 0
fi
if [[ $# -lt 3 || $# -gt 5 ]]; then
  sed -n '6,8p' "$0" >&2
  exit 2
fi
case $1 in lz4 | snappy | lzf | zstd) ;; *) echo "codecgen: unknown codec: $1" >&2; exit 2 ;; esac

check
compile
exec java -Xshare:auto -cp "$cache:$cp" -Djava.library.path="$libpath" SparkCodecWriter "$@"
