#!/usr/bin/python3
"""One python3-libtorrent peer on loopback, finding others only through the torrent's tracker (or the DHT).

usage: lt_peer.py TORRENT|MAGNET SAVE_DIR PORT seed|leech TIMEOUT_SECONDS [UPLOAD_LIMIT_BYTES_PER_S]
A leecher prints "done" and exits 0 once it has every piece; a seeder seeds until it is stopped or the
timeout passes. Tracker replies and errors are printed, so a failing test shows what the tracker said.
DHT, local discovery, UPnP, NAT-PMP, peer exchange and uTP are off. LT_ENCRYPTION=forced makes it speak
only Message Stream Encryption with an RC4 payload, both ways (libtorrent's strictest setting).
LT_DHT_BOOTSTRAP=host:port,... turns the DHT on, joined through those nodes only (loopback allowed); the torrent
is added once the DHT has bootstrapped, and its DHT announce is forced every 5 s until a peer is connected.
"""
import os
import sys
import time

import libtorrent as lt

torrent, save_path, port, mode, timeout = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], float(sys.argv[5])
upload_limit = int(sys.argv[6]) if len(sys.argv) > 6 else 0
dht_bootstrap = os.environ.get('LT_DHT_BOOTSTRAP', '')
session = lt.session({
    'upload_rate_limit': upload_limit,
    # rate limits count on loopback too (libtorrent exempts local peers by default)
    'ignore_limits_on_local_network': False,
    'listen_interfaces': '127.0.0.1:%d' % port,
    'enable_dht': bool(dht_bootstrap), 'enable_lsd': False, 'enable_upnp': False, 'enable_natpmp': False,
    'dht_bootstrap_nodes': dht_bootstrap,
    # a private DHT on loopback: every node shares 127.0.0.1
    'dht_restrict_routing_ips': False, 'dht_restrict_search_ips': False,
    'enable_outgoing_utp': False, 'enable_incoming_utp': False,
    'allow_multiple_connections_per_ip': True,
    'min_reconnect_time': 1,
    # follow the tracker's interval (the tests run it at a few seconds), not libtorrent's 5-minute floor
    'min_announce_interval': 1,
    **({'out_enc_policy': int(lt.enc_policy.forced), 'in_enc_policy': int(lt.enc_policy.forced),
        'allowed_enc_level': int(lt.enc_level.rc4), 'prefer_rc4': True}
       if os.environ.get('LT_ENCRYPTION') == 'forced' else {}),
    'alert_mask': lt.alert.category_t.error_notification | lt.alert.category_t.tracker_notification
                  | lt.alert.category_t.status_notification | lt.alert.category_t.dht_notification,
})
if dht_bootstrap:
    deadline = time.time() + 30
    bootstrapped = False
    while time.time() < deadline and not bootstrapped:
        for alert in session.pop_alerts():
            print('%s: %s' % (type(alert).__name__, alert.message()), flush=True)
            bootstrapped |= isinstance(alert, lt.dht_bootstrap_alert)
        time.sleep(0.1)
    print('dht nodes: %d' % session.status().dht_nodes, flush=True)
if torrent.startswith('magnet:'):
    params = lt.parse_magnet_uri(torrent)
    params.save_path = save_path
    handle = session.add_torrent(params)
else:
    handle = session.add_torrent({'ti': lt.torrent_info(torrent), 'save_path': save_path})
deadline = time.time() + timeout
said_seeding = False
next_dht_announce = 0
while time.time() < deadline:
    for alert in session.pop_alerts():
        if isinstance(alert, (lt.tracker_error_alert, lt.tracker_warning_alert, lt.tracker_reply_alert,
                              lt.dht_reply_alert, lt.dht_get_peers_reply_alert)):
            print('%s: %s' % (type(alert).__name__, alert.message()), flush=True)
    status = handle.status()
    if dht_bootstrap and status.num_peers == 0 and time.time() >= next_dht_announce:
        handle.force_dht_announce()
        next_dht_announce = time.time() + 5
    if status.is_seeding:
        if mode == 'leech':
            print('done', flush=True)
            session.remove_torrent(handle)  # announces "stopped", so the swarm does not keep a gone peer
            time.sleep(1)
            sys.exit(0)
        if not said_seeding:
            print('seeding', flush=True)
            said_seeding = True
    time.sleep(0.2)
print('timed out: %s, %.1f%% done, %d peers' % (status.state, status.progress * 100, status.num_peers), flush=True)
sys.exit(2)
