#!/usr/bin/env bash
# Shoal's seeder-worker beside python3-libtorrent seeding the same file from disk, in one run on this machine,
# on a stack of its own (free ports, a scratch SHOAL_HOME, stopped at the end). Leechers are python3-libtorrent
# sessions connected to the seeder by hand (no tracker), so both seeders face the same swarm.
#   1. one leecher, a 1 GiB file: the worker (cold, then warm cache; after an untimed download of another
#      artifact, so that its JIT is warm) and libtorrent; throughput and ratio; and the store read directly in
#      piece-sized ranged GETs, 1 and 4 at a time (the cold path's reference)
#   2. 8 leechers, 256 MiB, every upload capped at 20 MiB/s (the seeder's too): time until all are done and
#      copies the seeder sent; the worker and libtorrent, each with and without super-seeding (BEP 16)
#   3. the same swarm under each choking policy of the worker, ROUNDS times each in turn (default 3): time and
#      copies for fastest-download-first and ledger at the defaults (8 slots, 10 s rounds) and at 2 slots and
#      2 s rounds (where a policy has peers to choose between), and super-seeding. FREE_RIDERS=K makes K of the
#      leechers (every second one) upload at FREE_RIDER_RATE only (2 MiB/s): hosts that take more than they give
#   e2e-tests/bench/seeder.sh [single-MiB] [swarm-MiB] [leechers]      (defaults 1024 256 8: ~16 minutes)
# SCENARIOS=single (or swarm, or policies; or a list: swarm,policies) runs those parts only.
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
# left alone and never connected to. Every leecher here is 127.0.0.1 standing for a host of its own, so the
# per-address caps (4 a torrent by default) are raised.
WORKER_PIDS=()
worker() { # NAME HTTP_PORT PEER_PORT DIRECT_MEMORY ENV...   (the heap is the deployment's 512m; the cache is off it)
  local name=$1 http=$2 peer=$3 direct=$4; shift 4
  env KAFKA_BOOTSTRAP_SERVERS="$(state kafka.bootstrap.servers)" SHOAL_OBJECT_STORE_ENDPOINT="$(state s3.endpoint)" \
    SHOAL_OBJECT_STORE_ACCESS_KEY="$(state s3.access-key)" SHOAL_OBJECT_STORE_SECRET_KEY="$(state s3.secret-key)" \
    SHOAL_OBJECT_STORE_BUCKET="$(state s3.bucket)" SHOAL_SEEDER_PEER_PORT=$peer SHOAL_SEEDER_ADVERTISED_HOST=127.0.0.1 \
    SHOAL_SEEDER_GROUP="bench-$name" QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=$http \
    SHOAL_SEEDER_CONNECTIONS_PER_ADDRESS=64 SHOAL_SEEDER_CONNECTIONS_PER_ADDRESS_TOTAL=256 "$@" \
    "$JAVA_HOME/bin/java" -Xmx512m -XX:MaxDirectMemorySize=$direct -jar "$ROOT/services/seeder-worker/target/quarkus-app/quarkus-run.jar" \
    > "$WORK/worker-$name.log" 2>&1 &
  WORKER_PIDS+=($!)
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$http/q/health/ready" >/dev/null && return; sleep 1; done
  echo "worker $name did not get ready; see $WORK/worker-$name.log" >&2; exit 1
}
stop_workers() { for pid in "${WORKER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; WORKER_PIDS=(); }
trap 'stop_workers; bench_cleanup' EXIT

SCENARIOS="${SCENARIOS:-single,swarm,policies}"
ROUNDS="${ROUNDS:-3}"
SINGLE='{}'; STORE='{}'; RUNS=(); POLICY_RUNS=()
if [[ ,$SCENARIOS, == *,single,* ]]; then
echo "## 1. one leecher, ${SINGLE_MIB} MiB"
PIECE=$(/usr/bin/python3 -c 'import sys, libtorrent as lt; print(lt.torrent_info(sys.argv[1]).piece_length())' "$WORK/single.torrent")
STORE=$(bench_java io.shoal.bench.StoreReadBenchmark "$SHOAL_HOME/stack.properties" $((SINGLE_MIB * 1024 * 1024)) "$PIECE" 4)
echo "$STORE"
# The worker first serves the swarm's artifact once, untimed: a running worker's JIT is warm and only its cache
# is cold for a new artifact (the cache holds both, so the warm run finds every piece of the first).
worker fast 28091 26891 $((SINGLE_MIB + SWARM_MIB + 256))m SHOAL_SEEDER_CACHE_SIZE=$(((SINGLE_MIB + SWARM_MIB + 64) * 1024 * 1024))
SINGLE=$(/usr/bin/python3 "$ROOT/e2e-tests/bench/seeder_bench.py" single "$WORK/single.torrent" "$WORK/single" 26891 http://127.0.0.1:28091 "$WORK/swarm.torrent")
echo "$SINGLE"
stop_workers
fi

if [[ ,$SCENARIOS, == *,swarm,* ]]; then
echo "## 2. ${LEECHERS} leechers, ${SWARM_MIB} MiB, uploads capped at 20 MiB/s"
worker capped 28092 26892 512m SHOAL_SEEDER_UPLOAD_RATE_LIMIT=$RATE
worker super 28093 26893 512m SHOAL_SEEDER_UPLOAD_RATE_LIMIT=$RATE SHOAL_SEEDER_SUPER_SEEDING_ALL=true
RUNS+=("$(/usr/bin/python3 "$ROOT/e2e-tests/bench/seeder_bench.py" swarm "$WORK/swarm.torrent" "$WORK/swarm" "$LEECHERS" $RATE worker 26892 http://127.0.0.1:28092)")
RUNS+=("$(/usr/bin/python3 "$ROOT/e2e-tests/bench/seeder_bench.py" swarm "$WORK/swarm.torrent" "$WORK/swarm" "$LEECHERS" $RATE libtorrent)")
RUNS+=("$(/usr/bin/python3 "$ROOT/e2e-tests/bench/seeder_bench.py" swarm "$WORK/swarm.torrent" "$WORK/swarm" "$LEECHERS" $RATE worker 26893 http://127.0.0.1:28093 super)")
RUNS+=("$(/usr/bin/python3 "$ROOT/e2e-tests/bench/seeder_bench.py" swarm "$WORK/swarm.torrent" "$WORK/swarm" "$LEECHERS" $RATE libtorrent super)")
printf '%s\n' "${RUNS[@]}"
stop_workers
fi

if [[ ,$SCENARIOS, == *,policies,* ]]; then
echo "## 3. choking policies: ${LEECHERS} leechers, ${SWARM_MIB} MiB, uploads capped at 20 MiB/s, ${ROUNDS} rounds"
FEW="SHOAL_SEEDER_CHOKING_UPLOAD_SLOTS=2 SHOAL_SEEDER_CHOKING_INTERVAL=2s SHOAL_SEEDER_CHOKING_OPTIMISTIC_INTERVAL=6s"
worker fastest 28094 26894 512m SHOAL_SEEDER_UPLOAD_RATE_LIMIT=$RATE SHOAL_SEEDER_CHOKING_POLICY=fastest-download-first
worker ledger 28095 26895 512m SHOAL_SEEDER_UPLOAD_RATE_LIMIT=$RATE SHOAL_SEEDER_CHOKING_POLICY=ledger
worker fastest-few 28096 26896 512m SHOAL_SEEDER_UPLOAD_RATE_LIMIT=$RATE SHOAL_SEEDER_CHOKING_POLICY=fastest-download-first $FEW
worker ledger-few 28097 26897 512m SHOAL_SEEDER_UPLOAD_RATE_LIMIT=$RATE SHOAL_SEEDER_CHOKING_POLICY=ledger $FEW
worker super-policy 28098 26898 512m SHOAL_SEEDER_UPLOAD_RATE_LIMIT=$RATE SHOAL_SEEDER_SUPER_SEEDING_ALL=true
CONFIGS=("fastest-download-first, 8 slots, 10 s rounds|28094|26894" "ledger, 8 slots, 10 s rounds|28095|26895"
         "fastest-download-first, 2 slots, 2 s rounds|28096|26896" "ledger, 2 slots, 2 s rounds|28097|26897"
         "super-seeding|28098|26898")
for round in $(seq 1 "$ROUNDS"); do
  for i in "${!CONFIGS[@]}"; do # each round starts one further along, so no policy always runs first
    IFS='|' read -r label http peer <<<"${CONFIGS[$(((i + round - 1) % ${#CONFIGS[@]}))]}"
    run=$(/usr/bin/python3 "$ROOT/e2e-tests/bench/seeder_bench.py" swarm "$WORK/swarm.torrent" "$WORK/swarm" "$LEECHERS" $RATE worker $peer http://127.0.0.1:$http \
          $([[ $label == super* ]] && echo super))
    echo "$label: $run"
    POLICY_RUNS+=("$label|$run")
  done
done
stop_workers
fi

/usr/bin/python3 - "$SINGLE" "$STORE" "$SWARM_MIB" "$LEECHERS" "${#RUNS[@]}" "${RUNS[@]}" "${POLICY_RUNS[@]}" <<'PY'
import json, sys
single = json.loads(sys.argv[1]); store = json.loads(sys.argv[2]); mib = float(sys.argv[3]); n = int(sys.argv[4])
print()
print("| scenario | seeder | result | vs reference |")
print("|---|---|---|---|")
if single:
    size = single['bytes'] >> 20
    print("| 1 leecher, %d MiB | libtorrent from disk | %.0f MB/s | reference (goal for Shoal warm: 1.2x) |" % (size, single['libtorrent_MBps']))
    print("| 1 leecher, %d MiB | Shoal, warm cache | %.0f MB/s | %.2fx libtorrent |" % (size, single['shoal_warm_MBps'], single['ratio_warm']))
    print("| %d MiB from the store | ranged GETs of %d KiB, 1 / %d at a time | %.0f / %.0f MB/s | reference (goal for Shoal cold: 0.8x the parallel rate) |" % (
        size, store['range'] >> 10, store['parallel'], store['store_sequential_MBps'], store['store_parallel_MBps']))
    print("| 1 leecher, %d MiB | Shoal, cold cache (reads the store) | %.0f MB/s | %.2fx the store read %d at a time, %.2fx libtorrent |" % (
        size, single['shoal_cold_MBps'], single['shoal_cold_MBps'] / store['store_parallel_MBps'], store['parallel'],
        single['shoal_cold_MBps'] / single['libtorrent_MBps']))
bound = max(mib / 20, n * mib / (20 + n * 20))
count = int(sys.argv[5])
runs = [json.loads(r) for r in sys.argv[6:6 + count]]
policy_runs = [(a.split('|', 1)[0], json.loads(a.split('|', 1)[1])) for a in sys.argv[6 + count:]]
ref = {r['super_seeding']: r for r in runs if r['seeder'] == 'libtorrent'}
for r in runs:
    name = ('Shoal' if r['seeder'] == 'worker' else 'libtorrent') + (', super-seeding' if r['super_seeding'] else '')
    vs = '' if r['seeder'] == 'libtorrent' else '%.2fx time' % (r['seconds'] / ref[r['super_seeding']]['seconds'])
    print("| %d leechers, %d MiB, 20 MiB/s caps (bound %.1f s) | %s | %.1f s (%.2fx bound), %.2f copies%s | %s |" % (
        n, mib, bound, name, r['seconds'], r['seconds'] / bound, r['copies'], '' if r['done'] else ' (NOT DONE)', vs))
if policy_runs:
    import statistics
    first = policy_runs[0][1]
    k, slow = first.get('free_riders', 0), first.get('free_rider_rate', 0) / (1024 * 1024)
    bound = max(mib / 20, n * mib / (20 + (n - k) * 20 + k * slow))
    riders = ', %d of them uploading at %.2f MiB/s' % (k, slow) if k else ''
    print()
    print("| %d leechers%s, %d MiB, 20 MiB/s caps (bound %.1f s): the worker's policy | median s (x bound) | median copies | every round: s / copies |" % (n, riders, mib, bound))
    print("|---|---|---|---|")
    labels = list(dict.fromkeys(label for label, _ in policy_runs))
    for label in labels:
        rs = [r for l, r in policy_runs if l == label]
        secs = statistics.median(r['seconds'] for r in rs)
        print("| %s | %.1f (%.2fx) | %.2f | %s |" % (label, secs, secs / bound, statistics.median(r['copies'] for r in rs),
              ', '.join('%.1f / %.2f%s' % (r['seconds'], r['copies'], '' if r['done'] else ' NOT DONE') for r in rs)))
PY
