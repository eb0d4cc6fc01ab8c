# Sourced by the benchmarks that run against a Shoal stack of their own: a JDK, a scratch directory
# ($WORK, with SHOAL_HOME inside), ports of their own (a running ./shoal up is left alone), the build,
# and everything stopped and removed on exit. Then: bench_up, and bench_java MAIN-CLASS ARGS...
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source <(sed -n '/^java_major()/,/^}/p;/^find_jdk()/,/^}/p;/^die()/p' "$ROOT/shoal")
MIN_JAVA=21
find_jdk
BENCH="${BENCH_NAME:-bench}" # BENCH_NAME=x source ... sets it for this file only: kept for the exit trap
WORK="$(mktemp -d "/tmp/shoal-$BENCH.XXXXXX")"
export SHOAL_HOME="$WORK/home"
export SHOAL_PEER_GATEWAY_PORT=28080 SHOAL_METADATA_PORT=28081 SHOAL_TRACKER_PORT=26969 SHOAL_SEEDER_WORKER_PORT=28083 \
  SHOAL_PEER_PORT=26881 SHOAL_METADATA_MANAGEMENT_PORT=29081 SHOAL_KAFKA_PORT=29092 SHOAL_KAFKA_CONTROLLER_PORT=29093 SHOAL_POSTGRES_PORT=25432 SHOAL_S3_PORT=29000
bench_cleanup() {
  "$ROOT/shoal" down >/dev/null 2>&1 || true
  # The services' logs of the last run stay for whoever reads its numbers (or its failure).
  if [ -d "$SHOAL_HOME/logs" ]; then
    rm -rf "$ROOT/e2e-tests/target/bench-logs/$BENCH"
    mkdir -p "$ROOT/e2e-tests/target/bench-logs"
    cp -r "$SHOAL_HOME/logs" "$ROOT/e2e-tests/target/bench-logs/$BENCH"
  fi
  rm -rf "$WORK"
}
trap bench_cleanup EXIT
(cd "$ROOT" && mvn -q -B -pl e2e-tests -am install -DskipTests -Dshoal.fuzz.skip=true >/dev/null)
(cd "$ROOT/e2e-tests" && mvn -q -B dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile=target/bench-classpath.txt >/dev/null)

bench_up() {
  SHOAL_SKIP_BUILD=1 "$ROOT/shoal" up -d >/dev/null
}

bench_java() {
  "$JAVA_HOME/bin/java" -cp "$ROOT/e2e-tests/target/classes:$(cat "$ROOT/e2e-tests/target/bench-classpath.txt")" "$@"
}
