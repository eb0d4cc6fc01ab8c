"""The lab's network: namespaces, bridges, veths and their shaping, and the interface counters read from them.
Everything it creates is named with PREFIX (or is ROOT_LINK), so down() finds it without any state."""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys

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
# tbf's burst: well above veth's GSO packets (up to 64 KiB), which tbf splits when they exceed what the burst allows;
# measured at 50 Mbit/s, a 64 KiB burst cost a third more CPU than 256 KiB (137 vs 91 core-seconds, same bytes)
LAB_BURST = int(os.environ.get('SHOAL_LAB_BURST', 262144))


def run(*cmd, check=True):
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


def create(hosts, racks, rate, delay, stack_rate, inter_rack_rate):
    """Builds the lab (a previous one is removed first); returns its state, also written to STATE."""
    if os.geteuid() != 0:
        raise SystemExit('lab: network namespaces need root')
    if not 1 <= hosts <= 100 or not 1 <= racks <= 9:
        raise SystemExit('lab: 1-100 hosts in 1-9 racks')
    down(quiet=True)
    os.makedirs(STATE_DIR, exist_ok=True)
    stack_rate = stack_rate or rate
    state = {'rate': rate, 'delay': delay, 'stack_rate': stack_rate, 'inter_rack_rate': inter_rack_rate,
             'racks': racks, 'hosts': layout(hosts, racks, 'mixed')}
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
        shape(None, ROOT_LINK, stack_rate, delay)
        shape(CORE, UPLINK, stack_rate, delay)
        for rack in range(1, racks + 1):
            bridge = 'br%d' % rack
            ns(CORE, 'ip', 'link', 'add', bridge, 'type', 'bridge')
            ns(CORE, 'ip', 'address', 'add', '10.77.%d.1/24' % rack, 'dev', bridge)
            ns(CORE, 'ip', 'link', 'set', bridge, 'up')
            if inter_rack_rate:
                inter_rack(bridge, inter_rack_rate)
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
            shape(namespace, 'eth0', rate, delay)  # the host's upload
            shape(CORE, name, rate, delay)  # its download
        reachable(state['hosts'])
    except BaseException:
        down(quiet=True)
        raise
    return state


def reachable(hosts):
    """The first and last host reach the stack's address, and each other across racks: a TCP connection each."""
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
