#!/usr/bin/env bash
# Heap per idle peer connection of a seeder-worker, on a stack of its own. CONNECTIONS peers (default 1000)
# connect from 127.0.0.2, 127.0.0.3, ... (4 from each: the default cap per address and torrent), go through
# the handshake and BEP 10's, and stay idle for HOLD seconds (default 20); the worker's heap after a full GC
# while they are held is compared with before they came. A fifth connection from one address is tried too
# (it must be refused). Everything is closed at the end, by the script's own timeouts if not before.
#   e2e-tests/bench/seeder-connections.sh [connections] [hold-seconds]
# The worker runs as deployed (-Xmx512m) but with 1000 peers a torrent allowed (the default is 50).
set -euo pipefail
CONNECTIONS="${1:-1000}"
HOLD="${2:-20}"
BENCH_NAME=seeder-connections source "$(dirname "$0")/stack.sh"
bench_up
state() { grep "^$1=" "$SHOAL_HOME/stack.properties" | cut -d= -f2- | sed 's/\\:/:/g'; }
GATEWAY="$(state gateway.url)"; TOKEN="$(state api.token)"
head -c $((4 * 1024 * 1024)) /dev/urandom > "$WORK/idle.bin"
HASH=$(curl -sf -T "$WORK/idle.bin" -H "Authorization: Bearer $TOKEN" "$GATEWAY/api/v1/artifacts/idle.bin" \
  | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["infoHash"])')

HTTP=28095 PEER=26895
env KAFKA_BOOTSTRAP_SERVERS="$(state kafka.bootstrap.servers)" SHOAL_OBJECT_STORE_ENDPOINT="$(state s3.endpoint)" \
  SHOAL_OBJECT_STORE_ACCESS_KEY="$(state s3.access-key)" SHOAL_OBJECT_STORE_SECRET_KEY="$(state s3.secret-key)" \
  SHOAL_OBJECT_STORE_BUCKET="$(state s3.bucket)" SHOAL_SEEDER_PEER_PORT=$PEER SHOAL_SEEDER_ADVERTISED_HOST=127.0.0.1 \
  SHOAL_SEEDER_GROUP=bench-idle QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=$HTTP \
  SHOAL_SEEDER_CONNECTIONS_PER_TORRENT=$((CONNECTIONS + 50)) SHOAL_SEEDER_CONNECTIONS_TOTAL=$((CONNECTIONS + 50)) \
  "$JAVA_HOME/bin/java" -Xmx512m -jar "$ROOT/services/seeder-worker/target/quarkus-app/quarkus-run.jar" > "$WORK/worker.log" 2>&1 &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true; wait $WORKER 2>/dev/null || true; bench_cleanup' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$HTTP/q/health/ready" >/dev/null && break; sleep 1; done
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$HTTP/api/v1/torrents" | grep -q "$HASH" && break; sleep 1; done

heap_used_kib() { # after a full GC
  "$JAVA_HOME/bin/jcmd" $WORKER GC.run >/dev/null
  sleep 1
  "$JAVA_HOME/bin/jcmd" $WORKER GC.heap_info | sed -n 's/.* used \([0-9]*\)K.*/\1/p' | head -n 1
}
heap_used_kib >/dev/null # warm: the first connections load classes and pools
BEFORE=$(heap_used_kib)

mkfifo "$WORK/held"
/usr/bin/python3 - "$PEER" "$HASH" "$CONNECTIONS" "$HOLD" > "$WORK/held" <<'PY' &
import os, resource, socket, sys, time
port, info_hash, n, hold = int(sys.argv[1]), bytes.fromhex(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
reserved = bytes([0, 0, 0, 0, 0, 0x10, 0, 0x04])  # BEP 10 and the fast extension
ext = b'd1:md11:ut_metadatai3ee1:pi6881e1:v4:idlee'
def peer(address, i):
    s = socket.socket()
    s.settimeout(10)
    s.bind((address, 0))
    s.connect(('127.0.0.1', port))
    s.sendall(bytes([19]) + b'BitTorrent protocol' + reserved + info_hash + b'-ID0001-%012d' % i)
    s.sendall(len(ext + b'\x14\x00').to_bytes(4, 'big') + b'\x14\x00' + ext)
    return s
held = []
deadline = time.time() + 120
for i in range(n):
    address = '127.0.0.%d' % (2 + i // 4) if i // 4 < 250 else '127.0.%d.%d' % (1 + (i // 4 - 250) // 250, 2 + (i // 4 - 250) % 250)
    held.append(peer(address, i))
    if time.time() > deadline:
        break
for s in held:  # the handshake back: each connection was admitted, not closed
    s.settimeout(10)
    if len(s.recv(68, socket.MSG_WAITALL)) != 68:
        print('refused', flush=True); sys.exit(1)
fifth = peer('127.0.0.2', n)  # 127.0.0.2 holds 4 for this torrent already
fifth.settimeout(10)
data = b''
try:
    while True:
        chunk = fifth.recv(4096)
        if not chunk:
            break
        data += chunk
except OSError:
    pass
print('held %d fifth_refused %s' % (len(held), len(data) < 68), flush=True)
time.sleep(hold)
for s in held:
    s.close()
PY
HOLDER=$!
read -r LINE < "$WORK/held" || true
echo "$LINE"
PEERS=$(curl -sf "http://127.0.0.1:$HTTP/api/v1/torrents" | /usr/bin/python3 -c 'import json,sys; print(sum(t["peers"] for t in json.load(sys.stdin)["torrents"]))' 2>/dev/null || echo "?")
AFTER=$(heap_used_kib)
wait $HOLDER || true
/usr/bin/python3 - "$BEFORE" "$AFTER" "$CONNECTIONS" "$PEERS" "$LINE" <<'PY'
import json, sys
before, after, n, peers, line = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
per = (after - before) * 1024 / n
print(json.dumps({'connections': n, 'peers_in_swarm': peers, 'heap_before_kib': before, 'heap_held_kib': after,
                  'heap_per_connection_bytes': round(per), 'holder': line}))
print("| %d idle connections | %.1f KiB of heap each (%d KiB before, %d KiB held) | goal: at most 16 KiB |" % (
    n, per / 1024, before, after))
PY
