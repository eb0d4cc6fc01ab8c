#!/usr/bin/env bash
# Heap a tracker peer costs: InMemorySwarms filled with N peers (default 1,000,000) over 10,000 swarms, heap
# retained after full collections, on the collector the deployment gives the tracker (G1, compressed oops).
# Needs a build (./shoal build, or mvn test-compile for the tracker's test classes).
#   e2e-tests/bench/tracker-memory.sh [peers] [swarms]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
CP="$ROOT/services/tracker/target/classes:$ROOT/services/tracker/target/test-classes:$ROOT/services/bittorrent/target/classes"
[ -d "$ROOT/services/tracker/target/test-classes/io/shoal/tracker/swarm" ] || \
  (cd "$ROOT" && mvn -q -B -pl services/tracker -am test-compile -Dshoal.fuzz.skip=true)
exec "$JAVA" -Xmx2g -XX:+UseG1GC -cp "$CP" io.shoal.tracker.swarm.PeerMemory "${1:-1000000}" "${2:-10000}"
