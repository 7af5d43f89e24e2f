#!/usr/bin/env bash
# Build the Neo4j test server, doing only what is out of date:
#  1. target/classpath.txt  <- Maven resolves Neo4j into ~/.m2 (minutes the
#     first time, cached afterwards), redone when pom.xml changes or a jar
#     it lists has gone from the cache;
#  2. target/classes        <- javac Launcher.java, redone when the source or
#     the classpath is newer than the class file.
# Prints nothing when up to date; exits non-zero with Maven's/javac's output
# on failure.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
target="$here/target"
classpath="$target/classpath.txt"
source="$here/src/main/java/org/ufgraph/testserver/Launcher.java"
class="$target/classes/org/ufgraph/testserver/Launcher.class"

for tool in java javac mvn; do
  command -v "$tool" >/dev/null || { echo "neo4j-test-server: '$tool' is not installed" >&2; exit 3; }
done

classpath_ok() {
  [[ -s "$classpath" && "$classpath" -nt "$here/pom.xml" ]] || return 1
  local jar
  IFS=':' read -r -a jars < "$classpath"
  for jar in "${jars[@]}"; do [[ -f "$jar" ]] || return 1; done
}

if ! classpath_ok; then
  echo "neo4j-test-server: resolving Neo4j with Maven (the first time takes a few minutes)" >&2
  mkdir -p "$target"
  (cd "$here" && mvn -B -q -Dstyle.color=never dependency:build-classpath -Dmdep.outputFile="$classpath") >&2
fi

if [[ ! -f "$class" || "$source" -nt "$class" || "$classpath" -nt "$class" ]]; then
  echo "neo4j-test-server: compiling the launcher" >&2
  mkdir -p "$target/classes"
  javac -encoding UTF-8 --release 17 -cp "$(cat "$classpath")" -d "$target/classes" "$source" >&2
fi
