#!/usr/bin/python3
"""A host's python3-libtorrent client at libtorrent's defaults, but DHT, local discovery, UPnP and NAT-PMP off
(and no DHT bootstrap node); with $LAB_DHT (host:port,...) the DHT on, joined through those nodes only. Stamps
$LAB_DONE when it has every piece, then seeds until it is stopped.

usage: lt_client.py TORRENT SAVE_DIR [no-pex]
"""
import os
import sys
import time

import libtorrent as lt

torrent, save_path = sys.argv[1], sys.argv[2]
dht = os.environ.get('LAB_DHT', '')
session = lt.session({
    'enable_dht': bool(dht), 'enable_lsd': False, 'enable_upnp': False, 'enable_natpmp': False,
    'dht_bootstrap_nodes': dht,
    'alert_mask': lt.alert.category_t.error_notification | lt.alert.category_t.tracker_notification,
})
handle = session.add_torrent({'ti': lt.torrent_info(torrent), 'save_path': save_path})
if sys.argv[3:] == ['no-pex']:
    handle.set_flags(lt.torrent_flags.disable_pex)
stamped = False
next_dht_announce = 0
while True:
    for alert in session.pop_alerts():
        print('%s: %s' % (type(alert).__name__, alert.message()), flush=True)
    # libtorrent's first DHT announce can come before its DHT has any node, and the next 15 minutes later
    if dht and handle.status().num_peers == 0 and time.time() >= next_dht_announce:
        handle.force_dht_announce()
        next_dht_announce = time.time() + 5
    if not stamped and handle.status().is_seeding:
        done = os.environ['LAB_DONE']
        with open(done + '.tmp', 'w') as f:
            f.write('%.6f\n' % time.time())
        os.rename(done + '.tmp', done)
        print('done', flush=True)
        stamped = True
    time.sleep(0.1)
