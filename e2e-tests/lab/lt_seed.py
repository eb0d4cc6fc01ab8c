#!/usr/bin/python3
"""The reference seed: python3-libtorrent seeding a file from disk at its defaults (DHT, local discovery, UPnP
and NAT-PMP off), listening on ADDRESS:PORT, announcing to the torrent's tracker. Prints 'seeding' once it
has checked the file, then seeds until stopped; prints the payload it uploaded when stopped (SIGTERM).

usage: lt_seed.py TORRENT DIR ADDRESS PORT [super]
"""
import signal
import sys
import time

import libtorrent as lt

torrent, save_path, address, port = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
session = lt.session({
    'listen_interfaces': '%s:%d' % (address, port), 'outgoing_interfaces': address,
    'enable_dht': False, 'enable_lsd': False, 'enable_upnp': False, 'enable_natpmp': False,
    'dht_bootstrap_nodes': '', 'alert_mask': lt.alert.category_t.error_notification,
})
handle = session.add_torrent({'ti': lt.torrent_info(torrent), 'save_path': save_path})
if len(sys.argv) > 5 and sys.argv[5] == 'super':
    handle.set_flags(lt.torrent_flags.super_seeding)
stopping = []
signal.signal(signal.SIGTERM, lambda *_: stopping.append(1))
said = False
while not stopping:
    for alert in session.pop_alerts():
        print('%s: %s' % (type(alert).__name__, alert.message()), flush=True)
    if not said and handle.status().is_seeding:
        print('seeding', flush=True)
        said = True
    time.sleep(0.2)
print('uploaded %d' % handle.status().total_payload_upload, flush=True)
