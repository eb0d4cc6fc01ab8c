#!/usr/bin/env bash
# The protocol library's benchmarks beside their references, in one run on this machine:
# bencode decoding, and piece hashing against JDK MessageDigest and `openssl speed`.
#   e2e-tests/bench/protocol.sh        (about 4 minutes; -Dbench.iterations=N via BENCH_OPTS)
# Prints a Markdown table; the README's benchmark table shows the latest numbers.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
source <(sed -n '/^java_major()/,/^}/p;/^find_jdk()/,/^}/p;/^die()/p' "$ROOT/shoal")
MIN_JAVA=21
find_jdk
(cd "$ROOT" && mvn -q -B -pl e2e-tests -am install -DskipTests -Dshoal.fuzz.skip=true >/dev/null)
(cd "$ROOT/e2e-tests" && mvn -q -B dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile=target/bench-classpath.txt >/dev/null)
exec "$JAVA_HOME/bin/java" ${BENCH_OPTS:-} -cp "$ROOT/e2e-tests/target/classes:$(cat "$ROOT/e2e-tests/target/bench-classpath.txt")" \
  io.shoal.bench.ProtocolBenchmarks
