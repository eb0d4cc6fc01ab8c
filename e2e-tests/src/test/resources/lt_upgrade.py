#!/usr/bin/python3
"""A python3-libtorrent host that holds version 1 of an artifact and then takes version 2 (BEP 38).

usage: lt_upgrade.py V1_TORRENT V2_TORRENT SAVE_DIR PORT TIMEOUT_SECONDS
Downloads version 1 through its tracker, keeps seeding it, then adds version 2 (whose .torrent names version 1
under `similar`) beside it, and prints one JSON line: what version 2 named as similar, how many of its pieces the
host had before downloading anything, and its payload bytes downloaded. Exits 0 once both are complete, 2 on the
timeout. DHT, local discovery, UPnP, NAT-PMP, peer exchange and uTP are off.
"""
import json
import sys
import time

import libtorrent as lt

v1, v2, save_path, port, timeout = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
session = lt.session({
    'listen_interfaces': '127.0.0.1:%d' % port,
    'enable_dht': False, 'enable_lsd': False, 'enable_upnp': False, 'enable_natpmp': False,
    'dht_bootstrap_nodes': '',
    'enable_outgoing_utp': False, 'enable_incoming_utp': False,
    'allow_multiple_connections_per_ip': True,
    'min_reconnect_time': 1,
    'min_announce_interval': 1,
    'alert_mask': lt.alert.category_t.error_notification,
})
deadline = time.time() + timeout


def complete(handle, what):
    while time.time() < deadline:
        if handle.status().is_seeding:
            return
        time.sleep(0.1)
    status = handle.status()
    print('timed out on %s: %s, %.1f%% done, %d peers' % (what, status.state, status.progress * 100, status.num_peers), flush=True)
    sys.exit(2)


first = session.add_torrent({'ti': lt.torrent_info(v1), 'save_path': save_path})
complete(first, 'version 1')
print('version 1 done', flush=True)
info = lt.torrent_info(v2)
second = session.add_torrent({'ti': info, 'save_path': save_path})
while time.time() < deadline and second.status().state in (lt.torrent_status.checking_files, lt.torrent_status.checking_resume_data):
    time.sleep(0.05)
had = sum(second.status().pieces)  # what it took from version 1's files before any peer
complete(second, 'version 2')
status = second.status()
print(json.dumps({'similar': [str(h) for h in info.similar_torrents()], 'pieces': info.num_pieces(), 'had_pieces': had,
                  'downloaded': status.total_payload_download}), flush=True)
session.remove_torrent(second)
session.remove_torrent(first)
time.sleep(1)
