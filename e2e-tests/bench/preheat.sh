#!/usr/bin/env bash
# Preheat, measured: the time for the first N hosts (python3-libtorrent sessions, uncapped, connected to the stack's
# seeder-worker and to each other) to complete an artifact the worker has never read (cold: every piece comes from
# the object store as the hosts ask) beside one preheated with POST /api/v1/artifacts/{name}/preheat first (warm:
# every piece already in the worker's cache); and the same with one host. Each round uploads new artifacts of the
# same size; the order of cold and preheated alternates between rounds. Also: how long the preheat itself took
# (request to the worker's finish), and the copies the worker sent.
#   e2e-tests/bench/preheat.sh [MiB] [hosts] [rounds]      (defaults 256 8 4: ~11 minutes)
# On a stack of its own (free ports, a scratch SHOAL_HOME, stopped at the end); prints JSON lines and a Markdown table.
set -euo pipefail
MIB="${1:-256}"
HOSTS="${2:-8}"
ROUNDS="${3:-4}"
/usr/bin/python3 -c 'import libtorrent' 2>/dev/null || { echo "needs python3-libtorrent (apt-get install python3-libtorrent)" >&2; exit 1; }
BENCH_NAME=preheat-bench source "$(dirname "$0")/stack.sh"
# the artifact fits in the worker's cache (its heap is 512m; the cache is direct memory, as large as the heap at most)
export SHOAL_SEEDER_CACHE_SIZE=$(((MIB + 64) * 1024 * 1024))
bench_up
state() { grep "^$1=" "$SHOAL_HOME/stack.properties" | cut -d= -f2- | sed 's/\\:/:/g'; }
GATEWAY="$(state gateway.url)"; TOKEN="$(state api.token)"
WORKER_URL=http://127.0.0.1:$SHOAL_SEEDER_WORKER_PORT

upload() { # NAME: a new artifact of MIB random MiB, its .torrent in $WORK
  mkdir -p "$WORK/$1"
  head -c $((MIB * 1024 * 1024)) /dev/urandom > "$WORK/$1/$1"
  curl -sf -T "$WORK/$1/$1" -H "Authorization: Bearer $TOKEN" "$GATEWAY/api/v1/artifacts/$1" >/dev/null
  curl -sf -o "$WORK/$1.torrent" "$GATEWAY/api/v1/artifacts/$1/torrent"
  rm -f "$WORK/$1/$1"
}

preheat() { # NAME: asks, waits for done; prints the seconds from request to the worker's finish
  curl -sf -X POST -H "Authorization: Bearer $TOKEN" "$GATEWAY/api/v1/artifacts/$1/preheat" >/dev/null
  for _ in $(seq 1 600); do
    local p
    p=$(curl -sf "$GATEWAY/api/v1/artifacts/$1/rollout" | /usr/bin/python3 -c '
import datetime, json, sys
p = json.load(sys.stdin).get("preheat", {})
t = lambda s: datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
if p.get("state") in ("done", "partial", "failed"):
    print(p["state"], (t(p["finishedAt"]) - t(p["requestedAt"])).total_seconds())')
    if [ -n "$p" ]; then
      [ "${p%% *}" = done ] || { echo "preheat of $1 ended $p" >&2; exit 1; }
      echo "${p#* }"; return
    fi
    sleep 0.5
  done
  echo "preheat of $1 did not finish in 5 minutes" >&2; exit 1
}

swarm() { # NAME HOSTS: hosts from the worker, uncapped
  /usr/bin/python3 "$ROOT/e2e-tests/bench/seeder_bench.py" swarm "$WORK/$1.torrent" "$WORK/$1" "$2" 0 worker \
    "$SHOAL_PEER_PORT" "$WORKER_URL"
}

pair() { # ROUND HOSTS: a cold and a preheated artifact, HOSTS hosts each; prints a JSON row
  local round=$1 hosts=$2 cold warm preheat_s
  upload "cold-$hosts-$round.bin"; upload "warm-$hosts-$round.bin"
  # the store's writes reach the disk now, not during the first run (which made whichever ran first ~3 s slower)
  sync
  sleep 12 # the worker names new torrents in its next stats record: until then the gateway's web seed steps aside anyway
  preheat_s=$(preheat "warm-$hosts-$round.bin")
  if (( round % 2 == 1 )); then
    cold=$(swarm "cold-$hosts-$round.bin" "$hosts"); warm=$(swarm "warm-$hosts-$round.bin" "$hosts")
  else
    warm=$(swarm "warm-$hosts-$round.bin" "$hosts"); cold=$(swarm "cold-$hosts-$round.bin" "$hosts")
  fi
  echo "{\"round\": $round, \"hosts\": $hosts, \"preheat_s\": $preheat_s, \"cold\": $cold, \"warm\": $warm}"
}

pair 0 1 >/dev/null # warms the JVMs up (the first preheat read at 40 MB/s, later ones at 200-300); not reported
ROWS=()
for round in $(seq 1 "$ROUNDS"); do
  for hosts in 1 "$HOSTS"; do
    ROW=$(pair "$round" "$hosts")
    echo "$ROW"
    ROWS+=("$ROW")
  done
done

/usr/bin/python3 - "$MIB" "${ROWS[@]}" <<'PY'
import json, statistics, sys
mib = int(sys.argv[1])
rows = [json.loads(r) for r in sys.argv[2:]]
print()
print("| hosts, round (%d MiB each) | cold: all completed | preheated: all completed | preheated / cold | the preheat itself | worker's copies cold / preheated |" % mib)
print("|---|---|---|---|---|---|")
for r in sorted(rows, key=lambda r: (r["hosts"], r["round"])):
    c, w = r["cold"], r["warm"]
    print("| %d, %d%s | %.1f s | %.1f s | %.2f | %.1f s (%.0f MB/s) | %.2f / %.2f |" % (
        r["hosts"], r["round"], "" if r["round"] % 2 else " (preheated first)", c["seconds"], w["seconds"],
        w["seconds"] / c["seconds"], r["preheat_s"], mib * 1048576 / 1e6 / r["preheat_s"], c["copies"], w["copies"]))
print()
for hosts in sorted({r["hosts"] for r in rows}):
    of = [r for r in rows if r["hosts"] == hosts]
    cold = statistics.median(r["cold"]["seconds"] for r in of); warm = statistics.median(r["warm"]["seconds"] for r in of)
    print("%d hosts, median of %d rounds: cold %.1f s, preheated %.1f s (%.2f)" % (hosts, len(of), cold, warm, warm / cold))
PY
