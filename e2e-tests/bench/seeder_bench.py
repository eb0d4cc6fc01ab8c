#!/usr/bin/python3
"""Downloads with python3-libtorrent leechers from one seeder, timed; the seeder is a Shoal worker or a
python3-libtorrent session seeding the same file from disk. No tracker: every peer is connected by hand,
so the two seeders are judged on the same swarm. DHT, LSD, UPnP, NAT-PMP, PEX and uTP are off.

  seeder_bench.py single TORRENT SEED_DIR WORKER_PORT WORKER_URL [WARMUP_TORRENT]
      one leecher from the worker (cold, then warm cache), then one from a libtorrent seed; with WARMUP_TORRENT,
      that torrent is downloaded from the worker first, untimed (the worker's JIT warm, its cache cold for TORRENT)
  seeder_bench.py swarm TORRENT SEED_DIR N RATE (worker PORT URL | libtorrent) [super]
      N leechers, every upload (the seeder's too) capped at RATE bytes/s; prints seconds and copies sent.
      FREE_RIDERS=K (environment): K of the leechers upload at FREE_RIDER_RATE bytes/s only (default 2 MiB/s),
      hosts that take more than they pass on
"""
import os
import shutil
import sys
import tempfile
import time
import json
import urllib.request

import libtorrent as lt

BASE_PORT = 31000
TIMEOUT = 600


def session(port, upload_limit=0, super_seed=False, count_overhead=True):
    return lt.session({
        # a leecher capped far below its download rate: libtorrent would drain its upload cap with the TCP
        # overhead of what it downloads and slow its downloads to a crawl (free riders below)
        'rate_limit_ip_overhead': count_overhead,
        'listen_interfaces': '127.0.0.1:%d' % port,
        'enable_dht': False, 'enable_lsd': False, 'enable_upnp': False, 'enable_natpmp': False,
        'dht_bootstrap_nodes': '', 'enable_outgoing_utp': False, 'enable_incoming_utp': False,
        'allow_multiple_connections_per_ip': True, 'min_reconnect_time': 1,
        'upload_rate_limit': upload_limit, 'ignore_limits_on_local_network': False,
        'alert_mask': 0,
    })


def add(ses, torrent, save_path, seed_mode=False, super_seed=False):
    params = {'ti': lt.torrent_info(torrent), 'save_path': save_path}
    handle = ses.add_torrent(params)
    handle.replace_trackers([])
    if super_seed:
        handle.set_flags(lt.torrent_flags.super_seeding)
    return handle


def served(url, key):
    with urllib.request.urlopen(url + '/api/v1/torrents') as r:
        for t in json.load(r)['torrents']:
            if t['infoHash'] == key:
                return t['bytesServed']
    return 0


def wait_all(handles, deadline):
    while time.time() < deadline:
        if all(h.status().is_seeding for h in handles):
            return True
        time.sleep(0.05)
    return False


def lt_seed(torrent, seed_dir, port, limit=0, super_seed=False):
    ses = session(port, limit)
    h = add(ses, torrent, seed_dir, super_seed=super_seed)
    deadline = time.time() + TIMEOUT
    while not h.status().is_seeding and time.time() < deadline:  # checks the file on disk first
        time.sleep(0.1)
    return ses, h


def leech_once(torrent, seeder_port, port):
    d = tempfile.mkdtemp(prefix='shoal-bench-')
    try:
        ses = session(port)
        h = add(ses, torrent, d)
        start = time.time()
        h.connect_peer(('127.0.0.1', seeder_port))
        if not wait_all([h], start + TIMEOUT):
            raise SystemExit('leecher timed out')
        elapsed = time.time() - start
        ses.remove_torrent(h)
        del ses
        return elapsed
    finally:
        shutil.rmtree(d, ignore_errors=True)


def single(torrent, seed_dir, worker_port, worker_url, warmup=None):
    size = lt.torrent_info(torrent).total_size()
    if warmup:  # another artifact first, not timed: a running worker's JIT is warm, only its cache is cold
        leech_once(warmup, worker_port, BASE_PORT + 5)
    cold = leech_once(torrent, worker_port, BASE_PORT + 1)
    warm = leech_once(torrent, worker_port, BASE_PORT + 2)
    ses, h = lt_seed(torrent, seed_dir, BASE_PORT + 3)
    ref = leech_once(torrent, BASE_PORT + 3, BASE_PORT + 4)
    mb = size / 1e6
    print(json.dumps({'bytes': size, 'shoal_cold_s': cold, 'shoal_warm_s': warm, 'libtorrent_s': ref,
                      'shoal_cold_MBps': mb / cold, 'shoal_warm_MBps': mb / warm, 'libtorrent_MBps': mb / ref,
                      'ratio_warm': ref / warm}))


def swarm(torrent, seed_dir, n, rate, seeder, worker_port=0, worker_url='', super_seed=False):
    ti = lt.torrent_info(torrent)
    size = ti.total_size()
    key = str(ti.info_hashes().v1) if ti.info_hashes().has_v1() else str(ti.info_hashes().v2)[:40]
    if seeder == 'libtorrent':
        seed_ses, seed_h = lt_seed(torrent, seed_dir, BASE_PORT + 50, rate, super_seed)
        seed_port = BASE_PORT + 50
        before = seed_h.status().total_payload_upload
    else:
        seed_port = worker_port
        before = served(worker_url, key)
    dirs, sessions, handles = [], [], []
    riders = int(os.environ.get('FREE_RIDERS', '0'))
    rider_rate = int(os.environ.get('FREE_RIDER_RATE', str(2 * 1024 * 1024)))
    for i in range(n):
        d = tempfile.mkdtemp(prefix='shoal-bench-')
        rider = i % 2 == 1 and i // 2 < riders
        s = session(BASE_PORT + 100 + i, rider_rate if rider else rate, count_overhead=not rider)
        dirs.append(d)
        sessions.append(s)
        handles.append(add(s, torrent, d))
    start = time.time()
    for i, h in enumerate(handles):
        h.connect_peer(('127.0.0.1', seed_port))
        for j in range(n):
            if j != i:
                h.connect_peer(('127.0.0.1', BASE_PORT + 100 + j))
    ok = wait_all(handles, start + TIMEOUT)
    elapsed = time.time() - start
    after = seed_h.status().total_payload_upload if seeder == 'libtorrent' else served(worker_url, key)
    for d in dirs:
        shutil.rmtree(d, ignore_errors=True)
    print(json.dumps({'seeder': seeder, 'super_seeding': super_seed, 'leechers': n, 'done': ok, 'seconds': elapsed,
                      'copies': (after - before) / size, 'bytes': size, 'free_riders': min(riders, n // 2),
                      'free_rider_rate': rider_rate}))


if __name__ == '__main__':
    if sys.argv[1] == 'single':
        single(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6] if len(sys.argv) > 6 else None)
    else:
        torrent, seed_dir, n, rate, seeder = sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
        if seeder == 'worker':
            swarm(torrent, seed_dir, n, rate, 'worker', int(sys.argv[7]), sys.argv[8], 'super' in sys.argv[9:])
        else:
            swarm(torrent, seed_dir, n, rate, 'libtorrent', super_seed='super' in sys.argv[7:])
