#!/usr/bin/env bash
# Upload through the gateway beside the same bytes put straight into the store with the MinIO SDK, in one
# run on this machine, on a stack of its own (free ports, a scratch SHOAL_HOME, stopped at the end).
#   e2e-tests/bench/upload.sh [MiB] [rounds]      (default 2048 MiB, 3 rounds: about 5 minutes)
# Prints a Markdown table row; the README's benchmark table shows the latest numbers.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
source <(sed -n '/^java_major()/,/^}/p;/^find_jdk()/,/^}/p;/^die()/p' "$ROOT/shoal")
MIN_JAVA=21
find_jdk
MIB="${1:-2048}"
ROUNDS="${2:-3}"
WORK="$(mktemp -d /tmp/shoal-upload-bench.XXXXXX)"
export SHOAL_HOME="$WORK/home"
# Ports of its own, so a running ./shoal up is left alone.
export SHOAL_PEER_GATEWAY_PORT=28080 SHOAL_METADATA_PORT=28081 SHOAL_TRACKER_PORT=26969 SHOAL_SEEDER_WORKER_PORT=28083 \
  SHOAL_PEER_PORT=26881 SHOAL_KAFKA_PORT=29092 SHOAL_KAFKA_CONTROLLER_PORT=29093 SHOAL_POSTGRES_PORT=25432 SHOAL_S3_PORT=29000
cleanup() {
  "$ROOT/shoal" down >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
(cd "$ROOT" && mvn -q -B -pl e2e-tests -am install -DskipTests -Dshoal.fuzz.skip=true >/dev/null)
(cd "$ROOT/e2e-tests" && mvn -q -B dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile=target/bench-classpath.txt >/dev/null)
head -c "$((MIB * 1024 * 1024))" /dev/urandom > "$WORK/artifact.bin"
SHOAL_SKIP_BUILD=1 "$ROOT/shoal" up -d >/dev/null
"$JAVA_HOME/bin/java" -cp "$ROOT/e2e-tests/target/classes:$(cat "$ROOT/e2e-tests/target/bench-classpath.txt")" \
  io.shoal.bench.UploadBenchmark "$SHOAL_HOME/stack.properties" "$WORK/artifact.bin" "$ROUNDS"
