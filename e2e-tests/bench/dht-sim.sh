#!/usr/bin/env bash
# The DHT simulation: N nodes of Shoal's real DHT node (services/bittorrent, io.shoal.bittorrent.dht) on an
# in-memory network with latency and loss, steady, with 20% of the nodes failed at once, and under 10% churn a
# minute. Prints the README's table.
#   e2e-tests/bench/dht-sim.sh [NODES]      (10,000 by default: about 2 minutes here, 4 GiB of heap)
# Settings as system properties in BENCH_OPTS: -Dsim.lookups=1000 -Dsim.infoHashes=100 -Dsim.minLatency=10
# -Dsim.maxLatency=100 -Dsim.loss=0.01 -Dsim.churnMinutes=10 -Dsim.reannounceMinutes=15 -Dsim.seed=1
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
source <(sed -n '/^java_major()/,/^}/p;/^find_jdk()/,/^}/p;/^die()/p' "$ROOT/shoal")
MIN_JAVA=21
find_jdk
(cd "$ROOT" && mvn -q -B -pl e2e-tests -am install -DskipTests -Dshoal.fuzz.skip=true >/dev/null)
(cd "$ROOT/e2e-tests" && mvn -q -B dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile=target/bench-classpath.txt >/dev/null)
exec "$JAVA_HOME/bin/java" -Xmx4g ${BENCH_OPTS:-} -cp "$ROOT/e2e-tests/target/classes:$(cat "$ROOT/e2e-tests/target/bench-classpath.txt")" \
  io.shoal.bench.DhtSimulation "${1:-10000}"
