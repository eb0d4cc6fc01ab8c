#!/usr/bin/env bash
# Many hosts pull one artifact at once, in the namespace lab (e2e-tests/lab): H hosts in racks, each on a link of
# RATE (the stack's link STACK_RATE), running Transmission, aria2c and libtorrent at their defaults in turn. Runs,
# each on a fresh artifact of the same bytes (a new swarm, a cold cache), side by side:
#   shoal       the stack's seeder-worker, the tracker's topology hint on
#   nopex       the same with peer exchange off in every client (what the tracker's hint does alone)
#   libtorrent  in its place: opentracker and a python3-libtorrent seed from disk on the stack's address
#   http        client-server: every host fetches the file over plain HTTP from the stack's address (measured for
#               HTTP_SECONDS, then projected: N copies through the stack's link take long at lab rates; 0 runs it out)
#   churn       shoal with a second worker in the group; a third of the hosts join LATE_DELAY s late and the worker
#               holding the torrent is SIGKILLed halfway through the fluid bound
#   super       shoal with super-seeding (BEP 16); the stack restarted with SHOAL_SEEDER_SUPER_SEEDING_ALL=true
#   dht         trackerless: the .torrent without announce, announce-list and url-list; every client's DHT on,
#               joined through the nodes GET /api/v1/dht/nodes lists (the tracker's and the worker's); not in the
#               default RUNS
# Prints one JSON line per run and a table; the JSON is kept in e2e-tests/target/bench-swarm/.
#
#   HOSTS=24 RACKS=3 RATE=5mbit STACK_RATE=5mbit SIZE_MIB=256 RUNS=shoal,nopex,libtorrent,http,churn,super \
#     e2e-tests/bench/swarm.sh
# The default rate is what 24 hosts fit on a 2-core machine: the clients at their defaults cost about a core
# whatever the rate (libtorrent ~6% each, Transmission ~3.5%, aria2 ~2%) and the stack and the kernel's
# forwarding the rest; at 5 Mbit/s the machine is ~80% busy, at 10 Mbit/s saturated (README, the lab).
# Needs root (network namespaces). Every run is bounded by TIMEOUT seconds; the lab and the stack are removed on
# exit, Ctrl-C or failure.
set -euo pipefail
{ # read whole before it runs: editing this file during a run does not change the run
HOSTS="${HOSTS:-24}" RACKS="${RACKS:-3}" RATE="${RATE:-5mbit}"; STACK_RATE="${STACK_RATE:-$RATE}"
SIZE_MIB="${SIZE_MIB:-256}" RUNS="${RUNS:-shoal,nopex,libtorrent,http,churn,super}" TIMEOUT="${TIMEOUT:-900}"
HTTP_SECONDS="${HTTP_SECONDS:-120}"
LATE_DELAY="${LATE_DELAY:-10}"
BENCH_NAME=swarm source "$(dirname "$0")/stack.sh"
LAB="$ROOT/e2e-tests/lab/lab.py"
export SHOAL_LAB_DIR="$WORK/lab"
OUT="$ROOT/e2e-tests/target/bench-swarm"
rm -rf "$OUT" && mkdir -p "$OUT"
EXTRA_PIDS=()
cleanup() {
  for pid in "${EXTRA_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  "$ROOT/shoal" down >/dev/null 2>&1 || true # before the lab: the stack listens on the lab's address
  /usr/bin/python3 "$LAB" down >/dev/null 2>&1 || true
  bench_cleanup
}
trap cleanup EXIT

/usr/bin/python3 "$LAB" up --hosts "$HOSTS" --racks "$RACKS" --rate "$RATE" --stack-rate "$STACK_RATE" >/dev/null
export SHOAL_PUBLIC_ADDRESS=10.77.0.1 SHOAL_TRACKER_TOPOLOGY_ENABLED=true
bench_up
state() { grep "^$1=" "$SHOAL_HOME/stack.properties" | cut -d= -f2- | sed 's/\\:/:/g'; }
GATEWAY="$(state gateway.url)"; TOKEN="$(state api.token)"
mkdir -p "$WORK/file"
FILE="$WORK/file/artifact.bin"
head -c $((SIZE_MIB * 1024 * 1024)) /dev/urandom > "$FILE"
SHA=$(sha256sum "$FILE" | cut -d' ' -f1)

publish() { # NAME -> $WORK/NAME.torrent, the artifact uploaded through the gateway under NAME
  curl -sf -T "$FILE" -H "Authorization: Bearer $TOKEN" "$GATEWAY/api/v1/artifacts/$1" >/dev/null
  curl -sf -o "$WORK/$1.torrent" "$GATEWAY/api/v1/artifacts/$1/torrent"
}
summary_line() { # RUN-NAME: the run's JSON on one line, without the per-host detail
  /usr/bin/python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); r.pop("per_host"); r.pop("tracker", None)
r["run"] = sys.argv[2]; print(json.dumps(r))' "$OUT/$1.json" "$1"
}
lt_info() { # TORRENT EXPRESSION-OF-t: a field of the torrent as libtorrent reads it
  /usr/bin/python3 -c "import sys, libtorrent as lt; t = lt.torrent_info(sys.argv[1]); print($2)" "$1"
}
swarm() { # RUN-NAME TORRENT LAB-OPTIONS...
  local name=$1 torrent=$2; shift 2
  /usr/bin/python3 "$LAB" swarm --torrent "$torrent" --sha256 "$SHA" --timeout "$TIMEOUT" --out "$OUT/$name.json" "$@" \
    > "$OUT/$name.out" 2>&1 || echo "run $name: not every host finished; see $OUT/$name.json" >&2
  summary_line "$name"
}
wait_for() { # URL: up to 120 s
  for _ in $(seq 1 120); do curl -sf "$1" >/dev/null && return; sleep 1; done
  echo "$1 did not answer" >&2; exit 1
}

if [[ ,$RUNS, == *,shoal,* ]]; then
  publish swarm-shoal.bin
  swarm shoal "$WORK/swarm-shoal.bin.torrent"
fi

if [[ ,$RUNS, == *,nopex,* ]]; then
  publish swarm-nopex.bin
  swarm nopex "$WORK/swarm-nopex.bin.torrent" --pex off
fi

if [[ ,$RUNS, == *,libtorrent,* ]]; then
  PIECE=$(lt_info "$WORK/swarm-shoal.bin.torrent" 't.piece_length()' 2>/dev/null || echo 262144)
  mkdir -p "$WORK/ref" "$WORK/opentracker" && ln -f "$FILE" "$WORK/ref/swarm-libtorrent.bin"
  mktorrent -l "$(/usr/bin/python3 -c "import math; print(int(math.log2($PIECE)))")" -a http://10.77.0.1:26970/announce \
    -o "$WORK/swarm-libtorrent.bin.torrent" "$WORK/ref/swarm-libtorrent.bin" >/dev/null
  lt_info "$WORK/swarm-libtorrent.bin.torrent" 't.info_hash()' > "$WORK/opentracker/whitelist"
  chmod -R a+rX "$WORK/opentracker" && chmod a+x "$WORK"
  opentracker -i 10.77.0.1 -p 26970 -P 26970 -d "$WORK/opentracker" -u nobody -w whitelist > "$WORK/opentracker.log" 2>&1 &
  EXTRA_PIDS+=($!)
  /usr/bin/python3 "$ROOT/e2e-tests/lab/lt_seed.py" "$WORK/swarm-libtorrent.bin.torrent" "$WORK/ref" 10.77.0.1 26890 \
    > "$WORK/lt-seed.log" 2>&1 &
  SEED=$!; EXTRA_PIDS+=($SEED)
  for _ in $(seq 1 120); do grep -q seeding "$WORK/lt-seed.log" && break; sleep 0.5; done
  swarm libtorrent "$WORK/swarm-libtorrent.bin.torrent"
  kill "$SEED"; wait "$SEED" 2>/dev/null || true
  cp "$WORK/lt-seed.log" "$OUT/lt-seed.log"
fi

if [[ ,$RUNS, == *,http,* ]]; then
  (cd "$WORK/file" && exec /usr/bin/python3 -m http.server 26899 --bind 10.77.0.1 > "$WORK/http.log" 2>&1) &
  HTTPD=$!; EXTRA_PIDS+=($HTTPD)
  wait_for http://10.77.0.1:26899/
  /usr/bin/python3 "$LAB" http --url http://10.77.0.1:26899/artifact.bin --sha256 "$SHA" --timeout "$TIMEOUT" \
    --size $((SIZE_MIB * 1024 * 1024)) --measure "$HTTP_SECONDS" --out "$OUT/http.json" > "$OUT/http.out" 2>&1 || echo "run http: not every host finished" >&2
  summary_line http
  kill "$HTTPD" 2>/dev/null || true
fi

if [[ ,$RUNS, == *,churn,* ]]; then
  # a second worker in the stack's group (a consumer group member: the torrents' partitions are split between them)
  env KAFKA_BOOTSTRAP_SERVERS="$(state kafka.bootstrap.servers)" SHOAL_OBJECT_STORE_ENDPOINT="$(state s3.endpoint)" \
    SHOAL_OBJECT_STORE_ACCESS_KEY="$(state s3.access-key)" SHOAL_OBJECT_STORE_SECRET_KEY="$(state s3.secret-key)" \
    SHOAL_OBJECT_STORE_BUCKET="$(state s3.bucket)" SHOAL_SEEDER_PEER_PORT=26882 SHOAL_SEEDER_PEER_HOST=10.77.0.1 \
    SHOAL_SEEDER_ADVERTISED_HOST=10.77.0.1 QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=28093 \
    "$JAVA_HOME/bin/java" -Xmx512m -jar "$ROOT/services/seeder-worker/target/quarkus-app/quarkus-run.jar" \
    > "$OUT/worker-2.log" 2>&1 &
  WORKER2=$!; EXTRA_PIDS+=($WORKER2)
  wait_for http://127.0.0.1:28093/q/health/ready
  sleep 15 # the group rebalances onto both
  publish swarm-churn.bin
  HASH=$(lt_info "$WORK/swarm-churn.bin.torrent" 't.info_hash()')
  WORKER1=$(pgrep -f -- "-Dshoal.home=$SHOAL_HOME .*seeder-worker" | head -n 1)
  # the holder is the worker whose torrent list has the info-hash; SIGKILL, no goodbye to the group
  cat > "$WORK/kill-holder.sh" <<EOF
if curl -sf http://127.0.0.1:28093/api/v1/torrents | grep -q $HASH; then victim="$WORKER2 (the second worker)"; else victim="$WORKER1 (the stack's worker)"; fi
kill -9 \${victim%% *} && echo "\$(date +%s.%N) killed worker pid \$victim" >> "$OUT/churn-kill.log"
EOF
  HALF=$(cd "$ROOT/e2e-tests/lab" && /usr/bin/python3 -c \
    "import network; print(int($SIZE_MIB * 8 * 1024 * 1024 / network.rate_bits('$RATE') / 2))")
  swarm churn "$WORK/swarm-churn.bin.torrent" --late $((HOSTS / 3)) --late-delay "$LATE_DELAY" \
    --at "sh $WORK/kill-holder.sh" --at-seconds "$HALF"
  cat "$OUT/churn-kill.log" 2>/dev/null || echo "churn: no worker was killed" >&2
fi

if [[ ,$RUNS, == *,dht,* ]]; then
  publish swarm-dht.bin
  /usr/bin/python3 -c 'import sys, libtorrent as lt
t = lt.bdecode(open(sys.argv[1], "rb").read())
for key in (b"announce", b"announce-list", b"url-list"):
    t.pop(key, None)
open(sys.argv[2], "wb").write(lt.bencode(t))' "$WORK/swarm-dht.bin.torrent" "$WORK/swarm-dht.trackerless.torrent"
  swarm dht "$WORK/swarm-dht.trackerless.torrent" --dht "$(curl -sf "$GATEWAY/api/v1/dht/nodes" \
    | /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["bootstrap"])')"
fi

if [[ ,$RUNS, == *,super,* ]]; then
  for pid in "${EXTRA_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  "$ROOT/shoal" down >/dev/null 2>&1 || true
  SHOAL_SEEDER_SUPER_SEEDING_ALL=true bench_up
  publish swarm-super.bin
  swarm super "$WORK/swarm-super.bin.torrent"
fi

/usr/bin/python3 - "$OUT" <<'EOF'
import json, os, sys
out = sys.argv[1]
def load(name):
    f = os.path.join(out, name + '.json')
    return json.load(open(f)) if os.path.exists(f) else None
runs = {name: r for name in ('shoal', 'nopex', 'churn', 'super', 'dht', 'libtorrent', 'http') if (r := load(name))}
print('\n| run | hosts done | p50 s | p99 s | all done s | x bound | seeder copies | in-rack share | CPU busy |')
print('|---|---|---|---|---|---|---|---|---|')
for path, r in runs.items():
    if 'projected_all_done_s' in r:
        path += ' (projected from %.0f s)' % r['measured_s']
    print('| %s | %d/%d | %s | %s | %s | %s | %s | %s | %s |' % (path, r['completed'], r['hosts'], r.get('p50_s'), r.get('p99_s'),
          r.get('all_done_s'), r.get('max_over_bound'), r['stack_copies'], r['intra_rack_share'], r['cpu_busy']))
shoal, lt, http = runs.get('shoal'), runs.get('libtorrent'), runs.get('http')
if shoal and http and shoal.get('all_done_s'):
    print('\nShoal all done %.1fx faster than client-server' % (http['all_done_s'] / shoal['all_done_s']))
if shoal and lt and lt.get('all_done_s') and shoal.get('all_done_s'):
    print('Shoal %.2fx the libtorrent seed\'s time' % (shoal['all_done_s'] / lt['all_done_s']))
r = next(iter(runs.values()))
print('\n%d hosts in %d racks, %s links, the stack %s; %d MiB; fluid bound %.1f s' % (r['hosts'], r['racks'], r['rate'],
      r['stack_rate'], r['file_bytes'] >> 20, r['fluid_bound_s']))
EOF
exit
}
