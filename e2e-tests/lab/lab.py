#!/usr/bin/python3
"""A data center in a box: hosts in Linux network namespaces, in racks, on shaped links, pulling one artifact
with ordinary BitTorrent clients at their defaults. Needs root, iproute2 (ip, tc) and the clients.

  lab.py up [--hosts 24] [--racks 3] [--rate 5mbit] [--delay 0] [--stack-rate RATE] [--inter-rack-rate RATE]
      creates the network (and removes a previous lab's first); prints the stack's address, 10.77.0.1
  lab.py swarm --torrent FILE --sha256 HEX [--clients mixed|CLIENT,...] [--timeout 600]
               [--stagger SECONDS] [--late COUNT --late-delay SECONDS] [--pex on|off] [--dht HOST:PORT,...]
               [--out results.json]
      every host downloads TORRENT with its client; waits until all are done (or the timeout), checks every
      file's SHA-256 and prints (and writes) one JSON result: per-host times, bytes per link, rack shares;
      --dht turns the clients' DHT on, joined through those nodes (a trackerless torrent: no tracker view)
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
Links are shaped (tbf at the rate; netem when a delay is asked for) on both ends of each host's veth; the
stack's link likewise (--stack-rate, default the host rate: a seeder's node has the NIC of any other);
--inter-rack-rate caps what is routed into each rack from another rack (the stack's traffic is not capped by it).
The network is network.py, the clients clients.py.
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time

from clients import HERE, client_cpu, downloaded, host_dir, sha256, start_client, stop, torrent_info
from network import CLIENTS, CORE, STACK_ADDRESS, counters, create, down, load_state, ns, rate_bits, traffic


def cmd_up(args):
    create(args.hosts, args.racks, args.rate, args.delay, args.stack_rate, args.inter_rack_rate)
    print(STACK_ADDRESS)


def cmd_swarm(args):
    state = load_state()
    kinds = args.clients.split(',')
    if args.clients != 'mixed' and any(k not in CLIENTS for k in kinds):
        raise SystemExit('lab: --clients is mixed or a comma-separated choice of ' + ', '.join(CLIENTS))
    hosts = [dict(h, client=(h['client'] if args.clients == 'mixed' else kinds[i % len(kinds)]))
             for i, h in enumerate(state['hosts'])]
    name, size, announce_url, info_hash = torrent_info(args.torrent)
    dht = [n for n in (args.dht or '').split(',') if n]
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
            processes[host['name']] = start_client(host, args.torrent, host['client'], args.pex == 'on', dht)
        waiting_late = [h for h in hosts if h['name'] in late]
        view = None
        next_count = 0
        exited = {}  # clients gone before they had the file: nothing to wait for
        while len(done) + len(exited) < len(hosts) and time.time() < deadline:
            if waiting_late and time.time() >= late_at:
                for host in waiting_late:
                    started[host['name']] = time.time()
                    processes[host['name']] = start_client(host, args.torrent, host['client'], args.pex == 'on', dht)
                waiting_late = []
            for host in hosts:
                stamp = os.path.join(host_dir(host), 'done')
                if host['name'] not in done and host['name'] in started and os.path.exists(stamp):
                    with open(stamp) as f:
                        done[host['name']] = float(f.read().strip())
                elif host['name'] not in done and host['name'] in processes and host['name'] not in exited:
                    code = processes[host['name']].poll()
                    if code is not None and not os.path.exists(stamp):
                        exited[host['name']] = code
            if view is None and announce_url and not waiting_late and time.time() - max(started.values()) > 5 and \
                    (done or time.time() >= next_count and tracker_count(announce_url, info_hash) > len(hosts)):
                # every host and the seed have announced, and none is gone yet: aria2 leaves the moment it is done
                # when it gave back a copy while downloading (its default seed ratio), so the first done host is late
                view = tracker_view(hosts, announce_url, info_hash)
            if time.time() >= next_count:
                next_count = time.time() + 1
            if args.at and time.time() - min(started.values()) >= args.at_seconds:
                subprocess.run(args.at, shell=True)
                args.at = None
            time.sleep(0.2)
        after = counters(state)
        cpu = client_cpu(hosts, processes)
        if view is None and announce_url:
            view = tracker_view(hosts, announce_url, info_hash)
    finally:
        for process in processes.values():
            stop(process)
    for host in hosts:
        if host['name'] in exited:
            errors.append('%s (%s, %s): the client exited with status %d before it had the file; see %s' % (
                host['name'], host['client'], host['address'], exited[host['name']], host_dir(host)))
            continue
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


def tracker_count(announce_url, info_hash):
    """How many peers, seeds and leechers, the tracker's scrape (BEP 48: the announce URL's 'announce' made
    'scrape') counts in the swarm; 0 when it does not answer."""
    import urllib.parse
    import urllib.request
    import libtorrent as lt  # its bdecode; only /usr/bin/python3 has it (CLIENTS.md), as for torrent_info
    if '/announce' not in announce_url:
        return 0
    url = announce_url.replace('/announce', '/scrape', 1)
    url += ('&' if '?' in url else '?') + urllib.parse.urlencode({'info_hash': bytes.fromhex(info_hash)})
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            files = lt.bdecode(answer.read()) or {}
    except OSError:
        return 0
    stats = files.get(b'files', {}).get(bytes.fromhex(info_hash), {})
    return stats.get(b'complete', 0) + stats.get(b'incomplete', 0)


def tracker_view(hosts, announce_url, info_hash):
    """While every client runs (once every host and the seed announced): the swarm as the tracker hands it out (all it
    gives the first host of each rack, together), and what a host is handed when it asks for as many peers as its
    rack has others."""
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
    swarm.add_argument('--clients', default='mixed', help='mixed (each host its own), or clients taken in turn: '
                       + ','.join(CLIENTS))
    swarm.add_argument('--timeout', type=int, default=600)
    swarm.add_argument('--pex', default='on', choices=('on', 'off'),
                       help="peer exchange, on in every client by default; off shows what the tracker's hint does alone")
    swarm.add_argument('--dht', help='host:port,...: the clients use the DHT, joined through these nodes')
    swarm.add_argument('--stagger', type=float, default=0)
    swarm.add_argument('--late', type=int, default=0)
    swarm.add_argument('--late-delay', type=float, default=10)
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
