package io.shoal.bittorrent.dht;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * An in-memory network for simulations and tests of {@link DhtNode}: a discrete-event clock (time jumps to the next
 * event, so minutes of a 10,000-node DHT pass in seconds), datagrams delivered after a latency drawn uniformly from
 * [minLatency, maxLatency] or lost with probability {@code loss}, and hosts that fail without warning (their
 * datagrams vanish, their timers stop). Datagrams are the real KRPC bytes. Single-threaded; seeded, so a run repeats.
 */
public final class SimulatedNetwork {

    private record Event(long atMillis, long seq, Runnable task, boolean[] cancelled) {
    }

    private final PriorityQueue<Event> events = new PriorityQueue<>(
            (a, b) -> a.atMillis != b.atMillis ? Long.compare(a.atMillis, b.atMillis) : Long.compare(a.seq, b.seq));
    private final Map<InetSocketAddress, Host> hosts = new HashMap<>();
    private final Random random;
    private final long minLatencyMillis;
    private final long maxLatencyMillis;
    private final double loss;
    private long now;
    private long seq;
    private long datagrams;

    public SimulatedNetwork(Random random, long minLatencyMillis, long maxLatencyMillis, double loss) {
        this.random = random;
        this.minLatencyMillis = minLatencyMillis;
        this.maxLatencyMillis = maxLatencyMillis;
        this.loss = loss;
    }

    /** A host at {@code address}: the runtime of the node that will live there (one per address). */
    public final class Host implements DhtRuntime {
        private final InetSocketAddress address;
        private DhtNode node;
        private BiConsumer<byte[], InetSocketAddress> receiver;
        private boolean alive = true;

        private Host(InetSocketAddress address) {
            this.address = address;
        }

        public void attach(DhtNode node) {
            this.node = node;
            this.receiver = node::receive;
        }

        /** Receives datagrams itself: a test's hand-written peer (an attacker, a client). */
        public void listen(BiConsumer<byte[], InetSocketAddress> receiver) {
            this.receiver = receiver;
        }

        public DhtNode node() {
            return node;
        }

        public InetSocketAddress address() {
            return address;
        }

        public boolean alive() {
            return alive;
        }

        /** Fails without warning: nothing reaches it, nothing leaves it, its timers never fire. */
        public void fail() {
            alive = false;
            hosts.remove(address);
        }

        @Override
        public long nowMillis() {
            return now;
        }

        @Override
        public Cancellable schedule(long delayMillis, Runnable task) {
            return at(now + delayMillis, () -> {
                if (alive) {
                    task.run();
                }
            });
        }

        @Override
        public void send(InetSocketAddress to, byte[] datagram) {
            if (!alive) {
                return;
            }
            datagrams++;
            if (loss > 0 && random.nextDouble() < loss) {
                return;
            }
            long latency = minLatencyMillis + (maxLatencyMillis > minLatencyMillis
                    ? (long) (random.nextDouble() * (maxLatencyMillis - minLatencyMillis)) : 0);
            at(now + latency, () -> {
                Host target = hosts.get(to);
                if (target != null && target.alive && target.receiver != null) {
                    target.receiver.accept(datagram, address);
                }
            });
        }
    }

    public Host host(InetSocketAddress address) {
        if (hosts.containsKey(address)) {
            throw new IllegalArgumentException("address in use: " + address);
        }
        Host host = new Host(address);
        hosts.put(address, host);
        return host;
    }

    /** Runs {@code task} at {@code atMillis} of simulated time. */
    public DhtRuntime.Cancellable at(long atMillis, Runnable task) {
        boolean[] cancelled = {false};
        events.add(new Event(Math.max(atMillis, now), seq++, task, cancelled));
        return () -> cancelled[0] = true;
    }

    /** Runs events until simulated time passes {@code untilMillis} or none are left. */
    public void runUntil(long untilMillis) {
        while (!events.isEmpty() && events.peek().atMillis <= untilMillis) {
            step();
        }
        now = Math.max(now, untilMillis);
    }

    private void step() {
        Event e = events.poll();
        now = e.atMillis;
        if (!e.cancelled[0]) {
            e.task.run();
        }
    }

    /**
     * Runs events while {@code notDone} holds (checked before each event), at most until simulated time passes
     * {@code limitMillis}; whether it stopped because {@code notDone} turned false.
     */
    public boolean runWhile(BooleanSupplier notDone, long limitMillis) {
        while (notDone.getAsBoolean()) {
            if (events.isEmpty() || events.peek().atMillis > limitMillis) {
                return false;
            }
            step();
        }
        return true;
    }

    public long nowMillis() {
        return now;
    }

    /** Datagrams sent since the start (lost ones included). */
    public long datagrams() {
        return datagrams;
    }
}
