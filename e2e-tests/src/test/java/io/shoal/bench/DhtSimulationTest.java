package io.shoal.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The DHT simulation at 1,000 nodes (the README's table is the 10,000-node run of e2e-tests/bench/dht-sim.sh): the
 * issue's goals, median hops at most ceil(log2(N) / 3) + 1 and 99% of lookups succeeding with 20% of the nodes
 * gone, held by the real node implementation.
 */
class DhtSimulationTest {

    @Test
    void a_thousand_nodes_meet_the_hop_and_failure_goals() {
        DhtSimulation.Settings settings = new DhtSimulation.Settings(1_000, 300, 50, 10, 100, 0.01, 0.20, 0.10, 3, 15, 7);
        DhtSimulation.Report report = DhtSimulation.run(settings);
        System.out.print(DhtSimulation.markdown(report));
        assertEquals(3, report.phases().size());
        DhtSimulation.Phase steady = report.phases().get(0);
        DhtSimulation.Phase failed = report.phases().get(1);
        DhtSimulation.Phase churn = report.phases().get(2);
        assertTrue(steady.hopsP50() <= report.hopsGoal(), "median hops " + steady.hopsP50());
        assertTrue(steady.closestFound() >= 0.99 && steady.peersFound() >= 0.99, steady.toString());
        assertEquals(800, failed.liveNodes());
        assertTrue(failed.closestFound() >= 0.99 && failed.peersFound() >= 0.99, failed.toString());
        assertTrue(churn.closestFound() >= 0.95, churn.toString());
        assertTrue(report.heapBytesPerNode() > 0);
    }
}
