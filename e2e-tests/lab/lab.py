#!/usr/bin/python3
"""A data center in a box: hosts in Linux network namespaces, in racks, on shaped links, pulling one artifact
with ordinary BitTorrent clients at their defaults. Needs root, iproute2 (ip, tc) and the clients.

  lab.py up [--hosts 24] [--racks 3] [--rate 5mbit] [--delay 0] [--stack-rate RATE] [--inter-rack-rate RATE]
      creates the network (and removes a previous lab's first); prints the stack's address, 10.77.0.1
  lab.py swarm --torrent FILE --sha256 HEX [--clients mixed|transmission|aria2|libtorrent] [--timeout 600]
               [--stagger SECONDS] [--late COUNT --late-delay SECONDS] [--pex on|off] [--out results.json]
      every host downloads TORRENT with its client; waits until all are done (or the timeout), checks every
      file's SHA-256 and prints (and writes) one JSON result: per-host times, bytes per link, rack shares
  lab.py http --url URL --sha256 HEX --size BYTES [--timeout 600] [--measure SECONDS] [--out results.json]
      the client-server control: every host fetches URL over plain HTTP (curl) at once (--measure: stop after
      SECONDS and project the time all would take from the bytes they have)
  lab.py exec HOST COMMAND...   run a command in a host's namespace (h01, h02, ...; "core" is the router)
  lab.py hosts                  one line per host: name, address, rack, client
  lab.py down                   removes everything a lab created, also after a killed run

The network, all inside 10.77.0.0/16 and nowhere else:
  root namespace (the Shoal stack) 10.77.0.1 --veth shoallab0-- namespace shoal-lab-core 10.77.0.2, a router
  (forwarding on in that namespace only) with one bridge per rack, rack r being 10.77.r.0/24 (gateway
  10.77.r.1); host i is namespace shoal-lab-hNN with one veth eth0 on its rack's bridge, address
  10.77.r.(10+k). Hosts have no default route: they reach 10.77.0.0/16 and nothing else.
Links are shaped (tbf at the rate; netem when a delay is asked for) on both ends of each host's veth; the stack's link likewise
(--stack-rate, default the host rate: a seeder's node has the NIC of any other); --inter-rack-rate caps
what is routed into each rack from another rack (the stack's traffic is not capped by it).
"""
import argparse
import hashlib
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PREFIX = 'shoal-lab-'
CORE = PREFIX + 'core'
ROOT_LINK = 'shoallab0'
UPLINK = 'uplink'
STACK_ADDRESS = '10.77.0.1'
CORE_ADDRESS = '10.77.0.2'
LAB_NET = '10.77.0.0/16'
STATE_DIR = os.environ.get('SHOAL_LAB_DIR', '/tmp/shoal-lab')
STATE = os.path.join(STATE_DIR, 'lab.json')
CLIENTS = ('transmission', 'aria2', 'libtorrent')
LAB_BURST = int(os.environ.get('SHOAL_LAB_BURST', 262144))


def run(*cmd, check=True, quiet=False):
    result = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if check and result.returncode != 0:
        raise SystemExit('lab: %s failed (%d): %s' % (' '.join(cmd), result.returncode, result.stderr.strip()))
    return result.stdout


def ns(name, *cmd, check=True):
    return run('ip', 'netns', 'exec', name, *cmd, check=check)


def rate_bits(rate):
    """'50mbit' -> 50e6 bits/s (tc's units: kbit, mbit, gbit; bit)."""
    units = {'gbit': 1e9, 'mbit': 1e6, 'kbit': 1e3, 'bit': 1}
    for unit, factor in units.items():
        if rate.endswith(unit):
            return float(rate[:-len(unit)]) * factor
    raise SystemExit('lab: rate %r is not like 50mbit' % rate)


def shape(namespace, device, rate, delay):
    """A token bucket at RATE (a burst of 10 ms at the rate, at least 64 KiB: veth hands over 64 KiB GSO
    packets), queueing up to 50 ms; with a delay, netem's rate and delay instead (a kernel with sch_netem)."""
    if delay in ('0', '0ms', '0us'):
        burst = max(LAB_BURST, int(rate_bits(rate) / 8 / 100))
        cmd = ['tc', 'qdisc', 'replace', 'dev', device, 'root', 'tbf', 'rate', rate, 'burst', str(burst),
               'latency', '50ms']
    else:
        limit = max(100, int(rate_bits(rate) / 8 / 1500 / 20))
        cmd = ['tc', 'qdisc', 'replace', 'dev', device, 'root', 'netem', 'delay', delay, 'rate', rate,
               'limit', str(limit)]
    result = subprocess.run((['ip', 'netns', 'exec', namespace] if namespace else []) + cmd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        hint = (' (this kernel has no netem: --delay needs sch_netem; --delay 0 shapes the rate alone)'
                if 'netem' in cmd and 'unknown' in result.stderr else '')
        raise SystemExit('lab: %s failed: %s%s' % (' '.join(cmd), result.stderr.strip(), hint))


def host_name(i):
    return 'h%02d' % i


def layout(hosts, racks, clients):
    out = []
    per_rack = {}
    for i in range(1, hosts + 1):
        rack = (i - 1) % racks + 1
        k = per_rack.get(rack, 0)
        per_rack[rack] = k + 1
        client = CLIENTS[(i - 1) % len(CLIENTS)] if clients == 'mixed' else clients
        out.append({'name': host_name(i), 'namespace': PREFIX + host_name(i), 'rack': rack,
                    'address': '10.77.%d.%d' % (rack, 10 + k), 'client': client})
    return out


def load_state():
    if not os.path.exists(STATE):
        raise SystemExit('lab: no lab is up (%s is missing); run lab.py up' % STATE)
    with open(STATE) as f:
        return json.load(f)


# ---------------------------------------------------------------------------------------------------- up / down

def cmd_up(args):
    if os.geteuid() != 0:
        raise SystemExit('lab: network namespaces need root')
    if not 1 <= args.hosts <= 100 or not 1 <= args.racks <= 9:
        raise SystemExit('lab: 1-100 hosts in 1-9 racks')
    down(quiet=True)
    os.makedirs(STATE_DIR, exist_ok=True)
    stack_rate = args.stack_rate or args.rate
    state = {'rate': args.rate, 'delay': args.delay, 'stack_rate': stack_rate, 'inter_rack_rate': args.inter_rack_rate,
             'racks': args.racks, 'hosts': layout(args.hosts, args.racks, 'mixed')}
    # written first: a failure halfway still leaves down() what to remove (it also sweeps by prefix)
    with open(STATE, 'w') as f:
        json.dump(state, f, indent=1)
    try:
        run('ip', 'netns', 'add', CORE)
        ns(CORE, 'ip', 'link', 'set', 'lo', 'up')
        ns(CORE, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1')
        run('ip', 'link', 'add', ROOT_LINK, 'type', 'veth', 'peer', 'name', UPLINK, 'netns', CORE)
        run('ip', 'address', 'add', STACK_ADDRESS + '/24', 'dev', ROOT_LINK)
        run('ip', 'link', 'set', ROOT_LINK, 'up')
        run('ip', 'route', 'add', LAB_NET, 'via', CORE_ADDRESS, 'dev', ROOT_LINK)
        ns(CORE, 'ip', 'address', 'add', CORE_ADDRESS + '/24', 'dev', UPLINK)
        ns(CORE, 'ip', 'link', 'set', UPLINK, 'up')
        shape(None, ROOT_LINK, stack_rate, args.delay)
        shape(CORE, UPLINK, stack_rate, args.delay)
        for rack in range(1, args.racks + 1):
            bridge = 'br%d' % rack
            ns(CORE, 'ip', 'link', 'add', bridge, 'type', 'bridge')
            ns(CORE, 'ip', 'address', 'add', '10.77.%d.1/24' % rack, 'dev', bridge)
            ns(CORE, 'ip', 'link', 'set', bridge, 'up')
            if args.inter_rack_rate:
                inter_rack(bridge, args.inter_rack_rate)
        for host in state['hosts']:
            name, namespace = host['name'], host['namespace']
            run('ip', 'netns', 'add', namespace)
            ns(namespace, 'ip', 'link', 'set', 'lo', 'up')
            ns(CORE, 'ip', 'link', 'add', name, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', namespace)
            ns(CORE, 'ip', 'link', 'set', name, 'master', 'br%d' % host['rack'])
            ns(CORE, 'ip', 'link', 'set', name, 'up')
            ns(namespace, 'ip', 'address', 'add', host['address'] + '/24', 'dev', 'eth0')
            ns(namespace, 'ip', 'link', 'set', 'eth0', 'up')
            ns(namespace, 'ip', 'route', 'add', LAB_NET, 'via', '10.77.%d.1' % host['rack'])
            shape(namespace, 'eth0', args.rate, args.delay)  # the host's upload
            shape(CORE, name, args.rate, args.delay)  # its download
        reachable(state['hosts'])
    except BaseException:
        down(quiet=True)
        raise
    print(STACK_ADDRESS)


def reachable(hosts):
    """The first and last host reach the stack's address, and each other across racks: a TCP connection each."""
    import socket
    with socket.socket() as listener:
        listener.bind((STACK_ADDRESS, 0))
        listener.listen(8)
        port = listener.getsockname()[1]
        for host in (hosts[0], hosts[-1]):
            ns(host['namespace'], sys.executable, '-c',
               'import socket; socket.create_connection(("%s", %d), 3).close()' % (STACK_ADDRESS, port))
            listener.accept()[0].close()
    if len(hosts) > 1:
        first, last = hosts[0], hosts[-1]
        server = subprocess.Popen(['ip', 'netns', 'exec', last['namespace'], sys.executable, '-c',
                                   'import socket; s = socket.create_server(("%s", 7000)); print(1, flush=True); '
                                   's.accept()' % last['address']], stdout=subprocess.PIPE, text=True)
        try:
            server.stdout.readline()
            ns(first['namespace'], sys.executable, '-c',
               'import socket; socket.create_connection(("%s", 7000), 3).close()' % last['address'])
            server.wait(5)
        finally:
            if server.poll() is None:
                server.kill()


def inter_rack(bridge, rate):
    """What the router sends into a rack: from the stack's subnet unshaped, from another rack at RATE."""
    ns(CORE, 'tc', 'qdisc', 'add', 'dev', bridge, 'root', 'handle', '1:', 'htb', 'default', '20')
    ns(CORE, 'tc', 'class', 'add', 'dev', bridge, 'parent', '1:', 'classid', '1:10', 'htb', 'rate', '10gbit')
    ns(CORE, 'tc', 'class', 'add', 'dev', bridge, 'parent', '1:', 'classid', '1:20', 'htb', 'rate', rate)
    ns(CORE, 'tc', 'filter', 'add', 'dev', bridge, 'parent', '1:', 'protocol', 'ip', 'prio', '1', 'u32',
       'match', 'ip', 'src', '10.77.0.0/24', 'flowid', '1:10')


def down(quiet=False):
    """Everything this lab creates carries its prefix: found by name even when the state file is gone."""
    namespaces = [line.split()[0] for line in run('ip', 'netns', 'list', check=False).splitlines() if line.strip()]
    ours = [n for n in namespaces if n.startswith(PREFIX)]
    for namespace in ours:
        # the clients a swarm run started; a killed run leaves them, and only they live in our namespaces
        for pid in run('ip', 'netns', 'pids', namespace, check=False).split():
            try:
                os.kill(int(pid), signal.SIGKILL)
            except (ProcessLookupError, ValueError):
                pass
    for namespace in ours:
        run('ip', 'netns', 'delete', namespace, check=False)
    if os.path.exists('/sys/class/net/' + ROOT_LINK):
        run('ip', 'link', 'delete', ROOT_LINK, check=False)
    if os.path.exists(STATE_DIR):
        shutil.rmtree(STATE_DIR, ignore_errors=True)
    if not quiet:
        print('removed %d namespaces%s' % (len(ours), '' if not ours else ' (' + ', '.join(ours) + ')'))


# ------------------------------------------------------------------------------------------------------ counters

def counter(namespace, device, name):
    path = '/sys/class/net/%s/statistics/%s' % (device, name)
    if namespace is None:
        with open(path) as f:
            return int(f.read())
    return int(ns(namespace, 'cat', path))


def counters(state):
    """Bytes on the wire (headers included) from interface counters: the same measure for every seeder."""
    with open('/proc/stat') as f:
        ticks = [int(v) for v in f.readline().split()[1:]]
    c = {'stack_out': counter(None, ROOT_LINK, 'tx_bytes'), 'stack_in': counter(None, ROOT_LINK, 'rx_bytes'),
         'hosts': {}, 'racks': {}, 'cpu_idle': ticks[3] + ticks[4], 'cpu_total': sum(ticks[:8])}
    for host in state['hosts']:
        c['hosts'][host['name']] = {'in': counter(CORE, host['name'], 'tx_bytes'),
                                    'out': counter(CORE, host['name'], 'rx_bytes')}
    for rack in range(1, state['racks'] + 1):
        c['racks'][rack] = counter(CORE, 'br%d' % rack, 'tx_bytes')  # routed into the rack (bridged is not counted)
    return c


def traffic(before, after, file_size):
    delivered = sum(after['hosts'][h]['in'] - before['hosts'][h]['in'] for h in after['hosts'])
    from_stack = after['stack_out'] - before['stack_out']
    routed_in = sum(after['racks'][r] - before['racks'][r] for r in after['racks'])
    inter_rack = max(0, routed_in - from_stack)
    intra_rack = max(0, delivered - routed_in)
    between_hosts = intra_rack + inter_rack
    total = after['cpu_total'] - before['cpu_total']
    busy = total - (after['cpu_idle'] - before['cpu_idle'])
    return {'cpu_busy': round(busy / total, 2) if total else None,
            'cpu_core_s': round(busy / os.sysconf('SC_CLK_TCK'), 1), 'delivered_bytes': delivered, 'stack_sent_bytes': from_stack,
            'stack_copies': round(from_stack / file_size, 3),
            'between_hosts_bytes': between_hosts, 'intra_rack_bytes': intra_rack, 'inter_rack_bytes': inter_rack,
            'intra_rack_share': round(intra_rack / between_hosts, 3) if between_hosts else None}


# ------------------------------------------------------------------------------------------------------- clients

def host_dir(host):
    return os.path.join(STATE_DIR, host['name'])


def start_client(host, torrent, client, pex=True):
    d = host_dir(host)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(os.path.join(d, 'download'))
    env = dict(os.environ, LAB_DONE=os.path.join(d, 'done'))
    log = open(os.path.join(d, client + '.log'), 'w')
    exec_ns = ['ip', 'netns', 'exec', host['namespace']]
    stamp = os.path.join(HERE, 'stamp.sh')
    if client == 'aria2':
        # its defaults but DHT and local discovery; it seeds to a ratio of 1.0 and exits, as it does by default
        cmd = ['aria2c', '--dir=' + os.path.join(d, 'download'), '--enable-dht=false', '--enable-dht6=false',
               '--bt-enable-lpd=false', '--on-bt-download-complete=' + stamp, '--summary-interval=0',
               '--console-log-level=notice'] + ([] if pex else ['--enable-peer-exchange=false']) + [torrent]
    elif client == 'libtorrent':
        cmd = ['/usr/bin/python3', os.path.join(HERE, 'lt_client.py'), torrent, os.path.join(d, 'download')] + \
              ([] if pex else ['no-pex'])
    elif client == 'transmission':
        conf = os.path.join(d, 'transmission')
        os.makedirs(conf)
        with open(os.path.join(conf, 'settings.json'), 'w') as f:
            json.dump({'dht-enabled': False, 'lpd-enabled': False, 'port-forwarding-enabled': False,
                       'download-dir': os.path.join(d, 'download'), 'rpc-enabled': True,
                       'rpc-bind-address': '127.0.0.1', 'rpc-port': 9091, 'rpc-authentication-required': False,
                       'rpc-whitelist-enabled': True, 'rpc-whitelist': '127.0.0.1',
                       'script-torrent-done-enabled': True, 'script-torrent-done-filename': stamp,
                       **({} if pex else {'pex-enabled': False})}, f)
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


def percentile(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, max(0, int(round(p / 100 * len(s) + 0.5)) - 1))]


def fluid_bound(state, n, file_size):
    """The least time N hosts can all have the file (Kumar and Ross): the seeder's upload, a host's download,
    or everyone's upload together."""
    u = rate_bits(state['rate']) / 8
    us = rate_bits(state['stack_rate']) / 8
    return max(file_size / us, file_size / u, n * file_size / (us + n * u))


def summarize(state, hosts, started, done, file_size, errors, before, after, extra):
    times = {h['name']: done[h['name']] - started[h['name']] for h in hosts if h['name'] in done}
    result = {'hosts': len(hosts), 'racks': state['racks'], 'rate': state['rate'], 'stack_rate': state['stack_rate'],
              'delay': state['delay'], 'file_bytes': file_size, 'completed': len(times),
              'fluid_bound_s': round(fluid_bound(state, len(hosts), file_size), 1), 'errors': errors}
    if times:
        values = list(times.values())
        result.update({'p50_s': round(percentile(values, 50), 1), 'p99_s': round(percentile(values, 99), 1),
                       'max_s': round(max(values), 1),
                       'all_done_s': round(max(done.values()) - min(started.values()), 1)})
        result['max_over_bound'] = round(result['all_done_s'] / result['fluid_bound_s'], 2)
    result.update(traffic(before, after, file_size))
    result.update(extra)
    result['per_host'] = [{'name': h['name'], 'address': h['address'], 'rack': h['rack'], 'client': h.get('client'),
                           'seconds': round(times[h['name']], 1) if h['name'] in times else None} for h in hosts]
    return result


def torrent_info(path):
    """(name, total length, announce URL, info-hash hex) of a single-file v1 torrent, with a small bencode reader
    of its own."""
    with open(path, 'rb') as f:
        data = f.read()

    def parse(i):
        c = data[i:i + 1]
        if c == b'i':
            end = data.index(b'e', i)
            return int(data[i + 1:end]), end + 1
        if c == b'l':
            out, i = [], i + 1
            while data[i:i + 1] != b'e':
                v, i = parse(i)
                out.append(v)
            return out, i + 1
        if c == b'd':
            out, i = {}, i + 1
            while data[i:i + 1] != b'e':
                k, i = parse(i)
                v, i = parse(i)
                out[k] = v
            return out, i + 1
        colon = data.index(b':', i)
        n = int(data[i:colon])
        return data[colon + 1:colon + 1 + n], colon + 1 + n

    meta, _ = parse(0)
    info = meta[b'info']
    if b'files' in info:
        raise SystemExit('lab: a single-file torrent, please')
    begin = data.index(b'4:infod') + len(b'4:info')
    info_hash = hashlib.sha1(data[begin:parse(begin)[1]]).hexdigest()
    return info[b'name'].decode(), info[b'length'], meta[b'announce'].decode(), info_hash


def cmd_swarm(args):
    state = load_state()
    hosts = [dict(h, client=(h['client'] if args.clients == 'mixed' else args.clients)) for h in state['hosts']]
    name, size, announce_url, info_hash = torrent_info(args.torrent)
    late = set(h['name'] for h in hosts[len(hosts) - args.late:]) if args.late else set()
    processes, started, done, errors = {}, {}, {}, []
    before = counters(state)
    deadline = time.time() + args.timeout
    pending = [h for h in hosts if h['name'] not in late]
    late_at = time.time() + args.late_delay
    try:
        for i, host in enumerate(pending):
            if args.stagger and i:
                time.sleep(args.stagger)
            started[host['name']] = time.time()
            processes[host['name']] = start_client(host, args.torrent, host['client'], args.pex == 'on')
        waiting_late = [h for h in hosts if h['name'] in late]
        view = None
        while len(done) < len(hosts) and time.time() < deadline:
            if waiting_late and time.time() >= late_at:
                for host in waiting_late:
                    started[host['name']] = time.time()
                    processes[host['name']] = start_client(host, args.torrent, host['client'], args.pex == 'on')
                waiting_late = []
            for host in hosts:
                stamp = os.path.join(host_dir(host), 'done')
                if host['name'] not in done and host['name'] in started and os.path.exists(stamp):
                    with open(stamp) as f:
                        done[host['name']] = float(f.read().strip())
            if view is None and done and not waiting_late and time.time() - max(started.values()) > 5:
                # every host has announced, and none is gone yet (aria2 leaves once it gave back a copy)
                view = tracker_view(hosts, announce_url, info_hash)
            if args.on_half and len(done) >= len(hosts) // 2:
                subprocess.run(args.on_half, shell=True)
                args.on_half = None
            if args.at and time.time() - min(started.values()) >= args.at_seconds:
                subprocess.run(args.at, shell=True)
                args.at = None
            time.sleep(0.2)
        after = counters(state)
        cpu = client_cpu(hosts, processes)
        if view is None:
            view = tracker_view(hosts, announce_url, info_hash)
    finally:
        for process in processes.values():
            stop(process)
    for host in hosts:
        if host['name'] not in done:
            errors.append('%s (%s, %s) did not finish in %d s' % (host['name'], host['client'], host['address'], args.timeout))
            continue
        path = downloaded(host, name)
        digest = sha256(path) if path else None
        if digest != args.sha256:
            errors.append('%s (%s): SHA-256 %s, expected %s' % (host['name'], host['client'], digest, args.sha256))
    result = summarize(state, hosts, started, done, size, errors, before, after,
                       {'kind': 'bittorrent', 'clients': args.clients, 'pex': args.pex, 'late': args.late,
                        'late_delay_s': args.late_delay if args.late else 0, 'client_cpu_s': cpu,
                        'tracker': view})
    report(result, args.out)
    if errors:
        sys.exit(1)


def tracker_view(hosts, announce_url, info_hash):
    """While every client runs (once the first host is done): the swarm as the tracker hands it out (all it gives the first host of each
    rack, together), and what a host is handed when it asks for as many peers as its rack has others."""
    def ask(host, numwant):
        out = ns(host['namespace'], sys.executable, os.path.join(HERE, 'announce.py'), announce_url, info_hash,
                 str(numwant))
        return json.loads(out)
    first = hosts[0]
    seen, duplicates = set(), 0
    for rack in sorted(set(h['rack'] for h in hosts)):
        answer = ask(next(h for h in hosts if h['rack'] == rack), 200)
        duplicates += len(answer) - len(set(answer))
        seen.update(answer)
    same_rack = [h for h in hosts if h['rack'] == first['rack'] and h is not first]
    return {'asked_from': first['address'], 'swarm': sorted(seen), 'duplicates': duplicates,
            'rack_numwant': len(same_rack), 'rack_answer': ask(first, len(same_rack)) if same_rack else []}


def cmd_http(args):
    """Every host runs curl at once. With --measure S the run stops after S seconds when not all are done, and the
    time all would take is projected from the bytes they had by then (the stack's link is shared evenly, so they
    finish together): the control takes N copies through one link, which at lab rates can take an hour."""
    state = load_state()
    hosts = [dict(h, client='curl') for h in state['hosts']]
    processes, started, done, errors = {}, {}, {}, []
    before = counters(state)
    for host in hosts:
        d = host_dir(host)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        started[host['name']] = time.time()
        processes[host['name']] = subprocess.Popen(
            ['ip', 'netns', 'exec', host['namespace'], 'curl', '-sS', '-f', '--max-time', str(args.timeout),
             '-o', os.path.join(d, 'file'), args.url], stderr=subprocess.PIPE, text=True, start_new_session=True)
    begin = min(started.values())
    projected = None
    try:
        while any(p.poll() is None for p in processes.values()):
            if args.measure and time.time() - begin >= args.measure:
                have = sum(os.path.getsize(os.path.join(host_dir(h), 'file')) for h in hosts
                           if os.path.exists(os.path.join(host_dir(h), 'file')))
                elapsed = time.time() - begin
                projected = {'measured_s': round(elapsed, 1), 'measured_bytes': have,
                             'projected_all_done_s': round(elapsed * len(hosts) * args.size / max(have, 1), 1)}
                break
            time.sleep(0.5)
        after = counters(state)
    finally:
        for p in processes.values():
            stop(p)
    if projected:
        result = summarize(state, hosts, started, {}, args.size, errors, before, after, {'kind': 'http', **projected})
        result['all_done_s'] = projected['projected_all_done_s']
        result['max_over_bound'] = round(result['all_done_s'] / result['fluid_bound_s'], 2)
        result['stack_copies'] = len(hosts)  # what the control sends when it runs to the end
        report(result, args.out)
        return
    for host in hosts:
        p = processes[host['name']]
        if p.returncode == 0:
            done[host['name']] = os.path.getmtime(os.path.join(host_dir(host), 'file'))
            if sha256(os.path.join(host_dir(host), 'file')) != args.sha256:
                errors.append('%s: wrong SHA-256' % host['name'])
        else:
            errors.append('%s: curl exited %d: %s' % (host['name'], p.returncode, p.stderr.read().strip()))
    result = summarize(state, hosts, started, done, args.size, errors, before, after, {'kind': 'http'})
    report(result, args.out)
    if errors:
        sys.exit(1)


def report(result, out):
    text = json.dumps(result, indent=1)
    if out:
        with open(out, 'w') as f:
            f.write(text)
    print(text)


def cmd_exec(args):
    state = load_state()
    names = {h['name']: h['namespace'] for h in state['hosts']}
    names['core'] = CORE
    if args.host not in names:
        raise SystemExit('lab: no host %s (hosts: %s)' % (args.host, ', '.join(sorted(names))))
    os.execvp('ip', ['ip', 'netns', 'exec', names[args.host]] + args.command)


def cmd_hosts(args):
    for h in load_state()['hosts']:
        print('%s %s rack%d %s' % (h['name'], h['address'], h['rack'], h['client']))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest='verb', required=True)
    up = sub.add_parser('up')
    up.add_argument('--hosts', type=int, default=24)
    up.add_argument('--racks', type=int, default=3)
    up.add_argument('--rate', default='5mbit')
    up.add_argument('--delay', default='0', help='one-way, per link end, e.g. 0.25ms (needs netem)')
    up.add_argument('--stack-rate')
    up.add_argument('--inter-rack-rate')
    swarm = sub.add_parser('swarm')
    swarm.add_argument('--torrent', required=True)
    swarm.add_argument('--sha256', required=True)
    swarm.add_argument('--clients', default='mixed', choices=('mixed',) + CLIENTS)
    swarm.add_argument('--timeout', type=int, default=600)
    swarm.add_argument('--pex', default='on', choices=('on', 'off'),
                       help="peer exchange, on in every client by default; off shows what the tracker's hint does alone")
    swarm.add_argument('--stagger', type=float, default=0)
    swarm.add_argument('--late', type=int, default=0)
    swarm.add_argument('--late-delay', type=float, default=10)
    swarm.add_argument('--on-half', help='a shell command run once half the hosts are done')
    swarm.add_argument('--at', help='a shell command run --at-seconds after the first host started (the churn run)')
    swarm.add_argument('--at-seconds', type=float, default=60)
    swarm.add_argument('--out')
    http = sub.add_parser('http')
    http.add_argument('--url', required=True)
    http.add_argument('--sha256', required=True)
    http.add_argument('--timeout', type=int, default=600)
    http.add_argument('--size', type=int, required=True, help="the file's size in bytes")
    http.add_argument('--measure', type=int, default=0, help='stop after this many seconds and project (0: run to the end)')
    http.add_argument('--out')
    ex = sub.add_parser('exec')
    ex.add_argument('host')
    ex.add_argument('command', nargs=argparse.REMAINDER)
    sub.add_parser('hosts')
    sub.add_parser('down')
    args = parser.parse_args()
    if args.verb == 'down':
        down()
        return
    {'up': cmd_up, 'swarm': cmd_swarm, 'http': cmd_http, 'exec': cmd_exec, 'hosts': cmd_hosts}[args.verb](args)


if __name__ == '__main__':
    # Ctrl-C and kill end a run through its finally blocks, which stop the clients it started
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    main()
