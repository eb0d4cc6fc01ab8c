#!/usr/bin/env bash
# Shoal's seeder-worker beside python3-libtorrent seeding the same file from disk, in one run on this machine,
# on a stack of its own (free ports, a scratch SHOAL_HOME, stopped at the end). Leechers are python3-libtorrent
# sessions connected to the seeder by hand (no tracker), so both seeders face the same swarm.
#   1. one leecher, a 1 GiB file: the worker (cold, then warm cache) and libtorrent; throughput and ratio
#   2. 8 leechers, 256 MiB, every upload capped at 20 MiB/s (the seeder's too): time until all are done and
#      copies the seeder sent; the worker and libtorrent, each with and without super-seeding (BEP 16)
#   e2e-tests/bench/seeder.sh [single-MiB] [swarm-MiB] [leechers]      (defaults 1024 256 8: ~8 minutes)
# Prints JSON lines and Markdown rows; the README's benchmark table shows the latest numbers.
set -euo pipefail
SINGLE_MIB="${1:-1024}"
SWARM_MIB="${2:-256}"
LEECHERS="${3:-8}"
RATE=$((20 * 1024 * 1024))
/usr/bin/python3 -c 'import libtorrent' 2>/dev/null || { echo "needs python3-libtorrent (apt-get install python3-libtorrent)" >&2; exit 1; }
BENCH_NAME=seeder-bench source "$(dirname "$0")/stack.sh"
export SHOAL_TRACKER_INTERVAL=5s SHOAL_TRACKER_MIN_INTERVAL=1s
bench_up
state() { grep "^$1=" "$SHOAL_HOME/stack.properties" | cut -d= -f2- | sed 's/\\:/:/g'; }
GATEWAY="$(state gateway.url)"; TOKEN="$(state api.token)"
mkdir -p "$WORK/single" "$WORK/swarm"
head -c $((SINGLE_MIB * 1024 * 1024)) /dev/urandom > "$WORK/single/single.bin"
head -c $((SWARM_MIB * 1024 * 1024)) /dev/urandom > "$WORK/swarm/swarm.bin"
for name in single swarm; do
  curl -sf -T "$WORK/$name/$name.bin" -H "Authorization: Bearer $TOKEN" "$GATEWAY/api/v1/artifacts/$name.bin" >/dev/null
  curl -sf -o "$WORK/$name.torrent" "$GATEWAY/api/v1/artifacts/$name.bin/torrent"
done

# Workers of their own (each its own consumer group, so each seeds every torrent): the stack's worker is
# left alone and never connected to.
WORKER_PIDS=()
worker() { # NAME HTTP_PORT PEER_PORT HEAP ENV...
  local name=$1 http=$2 peer=$3 heap=$4; shift 4
  env KAFKA_BOOTSTRAP_SERVERS="$(state kafka.bootstrap.servers)" SHOAL_OBJECT_STORE_ENDPOINT="$(state s3.endpoint)" \
    SHOAL_OBJECT_STORE_ACCESS_KEY="$(state s3.access-key)" SHOAL_OBJECT_STORE_SECRET_KEY="$(state s3.secret-key)" \
    SHOAL_OBJECT_STORE_BUCKET="$(state s3.bucket)" SHOAL_SEEDER_PEER_PORT=$peer SHOAL_SEEDER_ADVERTISED_HOST=127.0.0.1 \
    SHOAL_SEEDER_GROUP="bench-$name" QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=$http "$@" \
    "$JAVA_HOME/bin/java" -Xmx$heap -XX:G1HeapRegionSize=4m -jar "$ROOT/services/seeder-worker/target/quarkus-app/quarkus-run.jar" \
    > "$WORK/worker-$name.log" 2>&1 &
  WORKER_PIDS+=($!)
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$http/q/health/ready" >/dev/null && return; sleep 1; done
  echo "worker $name did not get ready; see $WORK/worker-$name.log" >&2; exit 1
}
stop_workers() { for pid in "${WORKER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; WORKER_PIDS=(); }
trap 'stop_workers; bench_cleanup' EXIT

echo "## 1. one leecher, ${SINGLE_MIB} MiB"
worker fast 28091 26891 $((SINGLE_MIB * 2 + 768))m SHOAL_SEEDER_CACHE_SIZE=$(((SINGLE_MIB + 64) * 1024 * 1024))
SINGLE=$(/usr/bin/python3 "$ROOT/e2e-tests/bench/seeder_bench.py" single "$WORK/single.torrent" "$WORK/single" 26891 http://127.0.0.1:28091)
echo "$SINGLE"
stop_workers

echo "## 2. ${LEECHERS} leechers, ${SWARM_MIB} MiB, uploads capped at 20 MiB/s"
worker capped 28092 26892 768m SHOAL_SEEDER_UPLOAD_RATE_LIMIT=$RATE
worker super 28093 26893 768m SHOAL_SEEDER_UPLOAD_RATE_LIMIT=$RATE SHOAL_SEEDER_SUPER_SEEDING_ALL=true
RUNS=()
RUNS+=("$(/usr/bin/python3 "$ROOT/e2e-tests/bench/seeder_bench.py" swarm "$WORK/swarm.torrent" "$WORK/swarm" "$LEECHERS" $RATE worker 26892 http://127.0.0.1:28092)")
RUNS+=("$(/usr/bin/python3 "$ROOT/e2e-tests/bench/seeder_bench.py" swarm "$WORK/swarm.torrent" "$WORK/swarm" "$LEECHERS" $RATE libtorrent)")
RUNS+=("$(/usr/bin/python3 "$ROOT/e2e-tests/bench/seeder_bench.py" swarm "$WORK/swarm.torrent" "$WORK/swarm" "$LEECHERS" $RATE worker 26893 http://127.0.0.1:28093 super)")
RUNS+=("$(/usr/bin/python3 "$ROOT/e2e-tests/bench/seeder_bench.py" swarm "$WORK/swarm.torrent" "$WORK/swarm" "$LEECHERS" $RATE libtorrent super)")
printf '%s\n' "${RUNS[@]}"

/usr/bin/python3 - "$SINGLE" "$SWARM_MIB" "$LEECHERS" "${RUNS[@]}" <<'PY'
import json, sys
single = json.loads(sys.argv[1]); mib = float(sys.argv[2]); n = int(sys.argv[3])
print()
print("| scenario | seeder | result | vs libtorrent |")
print("|---|---|---|---|")
print("| 1 leecher, %d MiB | libtorrent from disk | %.0f MB/s | |" % (single['bytes'] >> 20, single['libtorrent_MBps']))
print("| 1 leecher, %d MiB | Shoal, cold cache (reads the store) | %.0f MB/s | %.2fx |" % (single['bytes'] >> 20, single['shoal_cold_MBps'], single['shoal_cold_MBps'] / single['libtorrent_MBps']))
print("| 1 leecher, %d MiB | Shoal, warm cache | %.0f MB/s | %.2fx |" % (single['bytes'] >> 20, single['shoal_warm_MBps'], single['ratio_warm']))
bound = max(mib / 20, n * mib / (20 + n * 20))
runs = [json.loads(r) for r in sys.argv[4:]]
ref = {r['super_seeding']: r for r in runs if r['seeder'] == 'libtorrent'}
for r in runs:
    name = ('Shoal' if r['seeder'] == 'worker' else 'libtorrent') + (', super-seeding' if r['super_seeding'] else '')
    vs = '' if r['seeder'] == 'libtorrent' else '%.2fx time' % (r['seconds'] / ref[r['super_seeding']]['seconds'])
    print("| %d leechers, %d MiB, 20 MiB/s caps (bound %.1f s) | %s | %.1f s (%.2fx bound), %.2f copies%s | %s |" % (
        n, mib, bound, name, r['seconds'], r['seconds'] / bound, r['copies'], '' if r['done'] else ' (NOT DONE)', vs))
PY
