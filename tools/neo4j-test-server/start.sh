#!/usr/bin/env bash
# Start the Neo4j test server in the foreground (building it first if needed):
#   NEO4J_TEST_PASSWORD=... start.sh [--production] DATA_DIR PORT [--watch-stdin]
# Prints "READY bolt://127.0.0.1:PORT" when clients may connect; stop it with
# SIGTERM (or Ctrl-C).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$here/build.sh"
# A test server needs little heap, and starting fast matters more than peak
# speed: C1 alone halves the start time.
jvm=(-Xms256m -Xmx1g -XX:+UseSerialGC -XX:TieredStopAtLevel=1)
if [[ "${1:-}" == "--production" ]]; then
  # As a production server runs (benchmarks): full JIT (C2), G1 as neo4j.conf
  # sets it, a heap fixed at 4 GB (transactions may use 70 % of it) and a
  # 2 GB page cache.
  shift
  jvm=(-Xms4g -Xmx4g -XX:+UseG1GC -XX:+AlwaysPreTouch -Dufgraph.pagecache.mb=2048)
fi
# NEO4J_TEST_SERVER_JAVA_OPTS adds options (a profiler: -XX:StartFlightRecording=...).
# shellcheck disable=SC2086
exec java "${jvm[@]}" ${NEO4J_TEST_SERVER_JAVA_OPTS:-} \
  -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" \
  org.ufgraph.testserver.Launcher "$@"
