"""The hosts' BitTorrent clients: started in a host's namespace at their defaults (but DHT, local discovery, UPnP
and NAT-PMP; with dht, the DHT on, joined through those nodes only), stamped done by stamp.sh or lt_client.py,
stopped by their process group; and the files they got."""
import hashlib
import json
import os
import shutil
import signal
import subprocess
import time

from network import STATE_DIR

HERE = os.path.dirname(os.path.abspath(__file__))


def host_dir(host):
    return os.path.join(STATE_DIR, host['name'])


def start_client(host, torrent, client, pex=True, dht=()):
    """dht: host:port of the DHT nodes to join through (the stack's); empty, the DHT stays off."""
    d = host_dir(host)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(os.path.join(d, 'download'))
    env = dict(os.environ, LAB_DONE=os.path.join(d, 'done'), LAB_DHT=','.join(dht))
    log = open(os.path.join(d, client + '.log'), 'w')
    exec_ns = ['ip', 'netns', 'exec', host['namespace']]
    stamp = os.path.join(HERE, 'stamp.sh')
    if client == 'aria2':
        # its defaults but DHT and local discovery; it seeds to a ratio of 1.0 and exits, as it does by default
        dht_options = ['--enable-dht=true', '--dht-entry-point=' + dht[0], '--dht-file-path=' + os.path.join(d, 'dht.dat')] \
            if dht else ['--enable-dht=false']
        cmd = ['aria2c', '--dir=' + os.path.join(d, 'download')] + dht_options + ['--enable-dht6=false',
               '--bt-enable-lpd=false', '--on-bt-download-complete=' + stamp, '--summary-interval=0',
               '--console-log-level=notice'] + ([] if pex else ['--enable-peer-exchange=false']) + [torrent]
    elif client == 'libtorrent':
        cmd = ['/usr/bin/python3', os.path.join(HERE, 'lt_client.py'), torrent, os.path.join(d, 'download')] + \
              ([] if pex else ['no-pex'])
    elif client == 'transmission':
        conf = os.path.join(d, 'transmission')
        os.makedirs(conf)
        with open(os.path.join(conf, 'settings.json'), 'w') as f:
            json.dump({'dht-enabled': bool(dht), 'lpd-enabled': False, 'port-forwarding-enabled': False,
                       'download-dir': os.path.join(d, 'download'), 'rpc-enabled': True,
                       'rpc-bind-address': '127.0.0.1', 'rpc-port': 9091, 'rpc-authentication-required': False,
                       'rpc-whitelist-enabled': True, 'rpc-whitelist': '127.0.0.1',
                       'script-torrent-done-enabled': True, 'script-torrent-done-filename': stamp,
                       **({} if pex else {'pex-enabled': False})}, f)
        if dht:
            # Transmission joins the DHT through the nodes its config directory's dht.bootstrap names
            with open(os.path.join(conf, 'dht.bootstrap'), 'w') as f:
                f.writelines('%s %s\n' % tuple(node.rsplit(':', 1)) for node in dht)
        cmd = ['transmission-daemon', '-f', '-g', conf]
    else:
        raise SystemExit('lab: unknown client ' + client)
    process = subprocess.Popen(exec_ns + cmd, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    if client == 'transmission':
        deadline = time.time() + 20
        while True:
            added = subprocess.run(exec_ns + ['transmission-remote', '127.0.0.1:9091', '-a', torrent],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            if added.returncode == 0 and 'success' in added.stdout:
                break
            if time.time() > deadline or process.poll() is not None:
                raise SystemExit('lab: transmission on %s did not take the torrent: %s' % (host['name'], added.stdout))
            time.sleep(0.2)
    return process


def cpu_seconds(pid):
    """User and system CPU time of a process and its waited-for children, or 0 once it is gone."""
    try:
        with open('/proc/%d/stat' % pid) as f:
            fields = f.read().rsplit(')', 1)[1].split()
        return sum(int(v) for v in fields[11:15]) / os.sysconf('SC_CLK_TCK')
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return 0.0


def client_cpu(hosts, processes):
    """CPU seconds per client kind, summed over its hosts (read before they are stopped)."""
    out = {}
    for host in hosts:
        if host['name'] in processes:
            out[host['client']] = round(out.get(host['client'], 0) + cpu_seconds(processes[host['name']].pid), 1)
    return out


def stop(process):
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(5)
        except (subprocess.TimeoutExpired, ProcessLookupError):
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait()


def downloaded(host, name):
    path = os.path.join(host_dir(host), 'download', name)
    return path if os.path.exists(path) else None


def sha256(path):
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b''):
            h.update(chunk)
    return h.hexdigest()


def torrent_info(path):
    """(name, total length, announce URL or None, v1 info-hash hex) of a single-file torrent, as libtorrent reads it."""
    import libtorrent as lt  # only /usr/bin/python3 has it (CLIENTS.md); the clients need it anyway
    info = lt.torrent_info(path)
    if info.num_files() != 1:
        raise SystemExit('lab: a single-file torrent, please')
    trackers = [t.url for t in info.trackers()]
    return info.name(), info.total_size(), trackers[0] if trackers else None, str(info.info_hashes().v1)
