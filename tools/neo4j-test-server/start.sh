#!/usr/bin/env bash
# Start the Neo4j test server in the foreground (building it first if needed):
#   NEO4J_TEST_PASSWORD=... start.sh DATA_DIR PORT [--watch-stdin]
# Prints "READY bolt://127.0.0.1:PORT" when clients may connect; stop it with
# SIGTERM (or Ctrl-C).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$here/build.sh"
# A test server needs little heap (the page cache is set in the launcher), and
# starting fast matters more than peak speed: C1 alone halves the start time.
exec java -Xms256m -Xmx1g -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
  -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" \
  org.ufgraph.testserver.Launcher "$@"
